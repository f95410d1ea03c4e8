"""Ray, imported lazily: connect this process to a cluster (or start a throwaway one).

Ray is an optional dependency (``pip install "verifact[cluster]"``); nothing else in verifact
imports it, so the default install runs without it.
"""

from __future__ import annotations

import logging

from ..errors import InputError, MissingDependencyError

NAMESPACE = "verifact"  # named shard actors live here
INSTALL = 'Ray clusters need the "cluster" extra: pip install "verifact[cluster]"'


def import_ray():
    """The ``ray`` module; raises MissingDependencyError with the pip command when absent."""
    try:
        import ray
    except ImportError as e:
        raise MissingDependencyError(INSTALL) from e
    return ray


def connect(address: str):
    """Connect to Ray once per process and return the ``ray`` module.

    Args:
        address: "local" starts a throwaway Ray instance inside this process (it ends with
            the process); "auto" joins the cluster already running on this machine; anything
            else is a cluster address such as "127.0.0.1:6380".

    Raises:
        MissingDependencyError: Ray is not installed.
        InputError: no cluster answers at ``address``.
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray
    for name in ("ray", "ray.data"):  # the CLI prints its own summary
        logging.getLogger(name).setLevel(logging.WARNING)
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False, "namespace": NAMESPACE}
    try:
        if address == "local":
            ray.init(include_dashboard=False, **quiet)
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as e:
        detail = (str(e).splitlines() or [type(e).__name__])[0][:160]
        raise InputError(
            f"Cannot reach a Ray cluster at --ray {address!r} ({detail}); start one with "
            "`ray start --head --port=6380` and pass --ray 127.0.0.1:6380 (or --ray auto), "
            "or use --ray local for a throwaway one"
        ) from e
    try:
        from ray.data import DataContext

        DataContext.get_current().enable_progress_bars = False
        from ray.data._internal.logging import configure_logging

        configure_logging()  # Ray Data sets its loggers up once; then quiet them
        logging.getLogger("ray.data").setLevel(logging.ERROR)
    except (ImportError, AttributeError):  # no ray[data]: serving still works
        pass
    return ray


def alive_nodes(ray) -> list[dict]:
    """The cluster's live nodes (``ray.nodes()`` entries), each with its ``Resources``."""
    return [n for n in ray.nodes() if n.get("Alive")]
