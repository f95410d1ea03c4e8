"""A real two-node Ray cluster on 127.0.0.1 for tests and benchmarks, stopped by PID.

Each node is one ``ray start --block`` process (head, then a worker joining it) with its own
ports and temp dir; ``--block`` keeps it in the foreground, so terminating it (its process
group, which we started) stops that node's raylet, GCS and workers, and nothing else on the
machine. Never ``ray stop``: it would stop every Ray on the machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

RAY = Path(sys.executable).with_name("ray")


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _node_args(ports: list[int]) -> list[str]:
    node, obj, agent, grpc, metrics, runtime = ports[:6]
    return [
        "--node-ip-address=127.0.0.1",
        f"--node-manager-port={node}",
        f"--object-manager-port={obj}",
        f"--dashboard-agent-listen-port={agent}",
        f"--dashboard-agent-grpc-port={grpc}",
        f"--metrics-export-port={metrics}",
        f"--runtime-env-agent-port={runtime}",
        f"--min-worker-port={ports[6]}",
        f"--max-worker-port={ports[6] + 40}",
        "--disable-usage-stats",
        "--block",
    ]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0"}  # + auth below
    with open(log, "wb") as out:
        return subprocess.Popen(
            ["nice", "-n", "10", str(RAY), "start", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: stopped as one, by its PID
        )


def descendants(pid: int) -> list[int]:
    """PIDs of every process below ``pid`` (Ray workers start their own sessions, so the
    process group alone does not hold them)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    below = descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=4)  # a node drains for up to 30 s; nothing to drain here
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    for pid in below:  # anything that outlived its node, by the PID recorded above
        try:
            if "ray" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                os.kill(pid, signal.SIGKILL)  # still ours (a reused PID would not be Ray)
        except (OSError, ProcessLookupError):
            pass


def _refresh_auth() -> None:
    """Make this process see the auth variables as they are now: Ray reads them once, when
    ``ray._raylet`` is imported (a test module importing ray at collection did so before the
    cluster's token was set), and caches the token on first use."""
    if "ray._raylet" not in sys.modules:
        return  # imported later, ray reads the environment then
    try:
        from ray._private.authentication_test_utils import reset_auth_token_state
    except ImportError:  # a Ray without token authentication: nothing cached
        return
    reset_auth_token_state()


def _wait_nodes(address: str, n: int, timeout: float = 90) -> None:
    script = (
        "import ray,sys,time;"
        f"ray.init(address={address!r},logging_level='ERROR',log_to_driver=False);"
        f"t=time.time()\nwhile len([x for x in ray.nodes() if x['Alive']])<{n}:\n"
        f"    time.sleep(0.5)\n    if time.time()-t>{timeout}: sys.exit(1)"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=timeout + 30)


@contextmanager
def ray_cluster(tmp: Path, nodes: int = 2, cpus: float = 1, gpus: int = 0):
    """Start ``nodes`` Ray nodes on 127.0.0.1 (``cpus`` CPUs each); yield the head address.

    Short temp dir names: Ray's socket paths must stay under 107 characters.
    """
    root = Path("/tmp") / f"vfray-{os.getpid()}-{int(time.time() * 1000) % 10**6}"
    root.mkdir(parents=True)
    procs: list[subprocess.Popen] = []
    # Token authentication with a token of this cluster's own, passed by environment to its
    # nodes, this process and its children: nothing is read from or written to ~/.ray (Ray
    # turns token mode on for a head node when ~/.ray/auth_token exists, but not for the
    # nodes joining it, and a local ray.init() writes that file when the mode is unset).
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    saved = {key: os.environ.get(key) for key in auth}
    os.environ.update(auth)
    _refresh_auth()
    try:
        port, *rest = free_ports(1 + 7 * nodes)
        address = f"127.0.0.1:{port}"
        head = [
            "--head",
            f"--port={port}",
            f"--num-cpus={cpus}",
            f"--num-gpus={gpus}",
            "--include-dashboard=false",
            f"--temp-dir={root}",
        ]
        procs.append(_start(head + _node_args(rest[:7]), tmp / "ray-head.log"))
        time.sleep(3)
        for i in range(1, nodes):
            worker = [f"--address={address}", f"--num-cpus={cpus}", f"--num-gpus={gpus}"]
            ports = rest[7 * i : 7 * i + 7]
            procs.append(_start(worker + _node_args(ports), tmp / f"ray-node{i}.log"))
        _wait_nodes(address, nodes)
        yield address
    finally:
        for p in reversed(procs):
            _stop(p)
        shutil.rmtree(root, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _refresh_auth()
