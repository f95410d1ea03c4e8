"""Search stage on Ray: each shard of a sharded index held by a named, long-lived Ray actor.

An actor is named after the index directory and the shard it holds (``verifact:<dir
hash>:<shard>:<digest of its version and rows>``, namespace ``verifact``), so any process that
opens the same index on the same cluster reuses it: the first ``verifact ask --ray ADDRESS``
(or ``verifact serve``) starts the actors, later calls find them. On a cluster the actors are
detached (they outlive the process that started them until ``verifact serve --stop``); with
``--ray local`` they end with the process. Ray restarts an actor that dies (``max_restarts``);
a call to a shard that does not answer fails with a message naming the shard.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ..index.cluster import NAMESPACE, connect
from .shard import ShardSearcher, ShardSpec, shard_specs

SHARD_CPUS = 0.25  # fractional: shards never starve the build pipeline or each other
START_TIMEOUT = 600.0  # seconds for a new actor to load its shard
CALL_TIMEOUT = 60.0  # seconds for one fan-out call
ROOM_WAIT = 10.0  # seconds to wait for free CPUs to show before saying the cluster is full


class ShardActor:
    """The Ray actor: one ``ShardSearcher`` in memory, answering the coordinator's calls.

    It gets only short strings and reads its shard's place from the index's manifest itself:
    Ray keeps large constructor arguments in the object store, where a restart after the
    starting process has gone could no longer find them.
    """

    def __init__(self, index_dir: str, name: str, digest: str):
        import faiss

        from ..errors import IndexCorruptError
        from ..index.shards import read_sharded_manifest

        faiss.omp_set_num_threads(1)  # single queries gain nothing from threads (NOTES)
        specs = {s.name: s for s in shard_specs(index_dir, read_sharded_manifest(index_dir))}
        if name not in specs or spec_digest(specs[name]) != digest:
            raise IndexCorruptError(
                f"Shard {name!r} of {index_dir!r} changed since this actor was named; "
                "open the index again"
            )
        self.searcher = ShardSearcher(specs[name])

    def call(self, method: str, *args):
        out = getattr(self.searcher, method)(*args)
        if method == "info":
            import ray

            out["node"] = ray.get_runtime_context().get_node_id()[:12]
        return out


def index_key(index_dir: str | Path) -> str:
    return hashlib.sha1(str(Path(index_dir).resolve()).encode()).hexdigest()[:12]


def spec_digest(spec: ShardSpec) -> str:
    """Changes when the shard's version or its rows' place in the corpus changes."""
    text = f"{Path(spec.index_dir).name}|{spec.approx}|{','.join(map(str, spec.firsts))}"
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def actor_name(index_dir: str | Path, spec: ShardSpec) -> str:
    return f"verifact:{index_key(index_dir)}:{spec.name}:{spec_digest(spec)}"


class RayShards:
    """The shards of one index as Ray actors; ``call`` fans out and gathers (see sharded.py)."""

    def __init__(self, index_dir, specs: list[ShardSpec], address: str, timeout=CALL_TIMEOUT):
        self.ray = connect(address)
        self.index_dir, self.timeout = Path(index_dir), timeout
        self.specs = {s.name: s for s in specs}
        detached = address != "local"
        keep = {actor_name(index_dir, s) for s in specs}
        _check_room(self.ray, index_dir, keep, address)
        self.handles = {s.name: self._actor(s, detached) for s in specs}
        retire_actors(self.ray, index_dir, keep=keep)
        self._ready = False

    def _actor(self, spec: ShardSpec, detached: bool):
        remote = self.ray.remote(ShardActor).options(
            name=actor_name(self.index_dir, spec),
            namespace=NAMESPACE,
            get_if_exists=True,
            lifetime="detached" if detached else None,
            max_restarts=-1,  # Ray restarts a dead shard (it reloads the shard from disk)
            max_task_retries=0,  # a call in flight when it died fails: the caller decides
            num_cpus=SHARD_CPUS,
            scheduling_strategy="SPREAD",
        )
        return remote.remote(str(self.index_dir.resolve()), spec.name, spec_digest(spec))

    @property
    def names(self) -> list[str]:
        return list(self.handles)

    def describe(self, name: str) -> str:
        return actor_name(self.index_dir, self.specs[name])

    def wait_ready(self, timeout: float = START_TIMEOUT) -> dict[str, object]:
        """Wait until every actor has loaded its shard; {name: name or the exception}."""
        out = self._gather("ping", {n: () for n in self.handles}, timeout)
        self._ready = True
        return out

    def call(self, method: str, args: dict[str, tuple]) -> dict[str, object]:
        """{shard: result or the exception that kept it from answering}."""
        timeout = self.timeout if self._ready else START_TIMEOUT  # the first call loads
        out = self._gather(method, args, timeout)
        self._ready = True
        return out

    def _gather(self, method: str, args: dict[str, tuple], timeout: float) -> dict[str, object]:
        ray = self.ray
        refs = {name: self.handles[name].call.remote(method, *a) for name, a in args.items()}
        deadline = time.monotonic() + timeout
        out: dict[str, object] = {}
        for name, ref in refs.items():
            try:
                out[name] = ray.get(ref, timeout=max(0.0, deadline - time.monotonic()))
            except ray.exceptions.GetTimeoutError:
                out[name] = TimeoutError(f"no answer within {timeout:.0f} s")
                ray.cancel(ref)
            except (ray.exceptions.RayActorError, ray.exceptions.ActorUnavailableError) as e:
                out[name] = ConnectionError(f"its actor {self.describe(name)!r} {_why(e)}")
            except ray.exceptions.RayTaskError as e:  # the shard raised: re-raise its error
                raise e.as_instanceof_cause() from None
        return out

    def close(self) -> None:
        self.handles.clear()


def _why(e: Exception) -> str:
    text = type(e).__name__
    if "Unavailable" in text:
        return "is unavailable (restarting or unreachable)"
    return "died"


def serve_index(index_dir: str | Path, address: str) -> list[str]:
    """Start (or find) the actors of a sharded index and wait until they hold their shards.

    Returns:
        The actor names, one per non-empty shard.

    Raises:
        ShardUnavailableError: an actor failed to load its shard.
    """
    from ..errors import ShardUnavailableError
    from ..index.shards import read_sharded_manifest

    specs = shard_specs(index_dir, read_sharded_manifest(index_dir))
    shards = RayShards(index_dir, specs, address)
    for name, result in shards.wait_ready().items():
        if isinstance(result, BaseException):
            raise ShardUnavailableError(f"Shard {name!r} did not start: {result}")
    return [shards.describe(n) for n in shards.names]


def _check_room(ray, index_dir, keep: set[str], address: str) -> None:
    """Fail at once, in one line, when the cluster has no CPU left for the actors to start.

    Each shard actor reserves ``SHARD_CPUS``; an actor Ray cannot place would otherwise wait
    out ``START_TIMEOUT``. This index's stale actors count as free: they are retired next.
    """
    from ..errors import ShardUnavailableError

    named = _named_actors(ray)
    new = [n for n in keep if n not in named]
    if not new:
        return
    prefix = f"verifact:{index_key(index_dir)}:"
    stale = [n for n in named if n.startswith(prefix) and n not in keep]
    need = SHARD_CPUS * len(new)
    deadline = time.monotonic() + ROOM_WAIT
    while True:  # Ray's view of free resources lags a few seconds behind killed actors
        free = float(ray.available_resources().get("CPU", 0.0)) + SHARD_CPUS * len(stale)
        if free + 1e-9 >= need or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if free + 1e-9 < need:
        raise ShardUnavailableError(
            f"The Ray cluster at {address!r} has {free:g} CPUs free and the {len(new)} shard "
            f"actors of {str(index_dir)!r} need {need:g}: stop another index's actors "
            f"(`verifact serve --stop --index DIR --ray {address}`) or add a node"
        )


def _named_actors(ray) -> set[str]:
    out = set()
    for entry in ray.util.list_named_actors(all_namespaces=True):
        name = entry["name"] if isinstance(entry, dict) else entry
        space = entry.get("namespace", NAMESPACE) if isinstance(entry, dict) else NAMESPACE
        if space == NAMESPACE:
            out.add(name)
    return out


def retire_actors(ray, index_dir: str | Path, keep: set[str] = frozenset()) -> list[str]:
    """Kill this index's shard actors whose names are not in ``keep`` (stale versions, or
    all of them for ``verifact serve --stop``); returns their names."""
    prefix = f"verifact:{index_key(index_dir)}:"
    gone = []
    for name in sorted(_named_actors(ray)):
        if name.startswith(prefix) and name not in keep:
            try:
                ray.kill(ray.get_actor(name, namespace=NAMESPACE), no_restart=True)
                gone.append(name)
            except ValueError:  # already gone
                pass
    return gone


def stop_index(index_dir: str | Path, address: str) -> list[str]:
    """Kill every shard actor of ``index_dir`` on the cluster at ``address``."""
    return retire_actors(connect(address), index_dir)
