"""Command line, sharded and Ray parts: ``verifact index --shards N [--ray]`` and ``serve``.

Thin like cli.py: parse -> call the library -> print. cli.py wires these in.
"""

from __future__ import annotations

import sys

from ..errors import InputError

SERVE_EXAMPLE = "verifact serve --index index/archive --ray 127.0.0.1:6380"


def partial_fields(index) -> dict:
    """``{"partial": true, "missing_shards": [...]}`` when the last search of a sharded index
    could not reach every shard (``--allow-partial``), else ``{}``."""
    missing = list(getattr(index, "last_missing", ()))
    return {"partial": True, "missing_shards": missing} if missing else {}


def add_ray_flags(p) -> None:
    """--ray and --allow-partial for the commands that search (ask, check, eval, chat)."""
    p.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="sharded index: hold each shard in a named Ray actor on this cluster "
        "(host:port, auto = the cluster running here, local = a throwaway one)",
    )
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help='sharded index: answer from the shards that respond, marked "partial", '
        "instead of failing when one is unreachable",
    )


def add_serve(sub, add) -> None:
    p = add("serve", "Start the Ray actors of a sharded index, so later calls find them loaded")
    p.add_argument("--index", metavar="DIR", required=True, help="sharded index directory")
    p.add_argument("--ray", metavar="ADDRESS", default="auto", help="Ray cluster (default auto)")
    p.add_argument("--stop", action="store_true", help="stop this index's actors instead")


def cmd_serve(args) -> int:
    from ..index.shards import is_sharded
    from ..search.ray_serve import serve_index, stop_index

    if not is_sharded(args.index):
        raise InputError(
            f"{args.index!r} is not a sharded index; build one with "
            f"verifact index PATH... --index {args.index} --shards N"
        )
    if args.ray == "local":
        raise InputError("serve needs a running cluster (--ray ADDRESS or auto), not local")
    if args.stop:
        names = stop_index(args.index, args.ray)
        print(f"Stopped {len(names)} shard actors of {args.index}")
        return 0
    names = serve_index(args.index, args.ray)
    print(f"{len(names)} shard actors of {args.index} are loaded on the cluster at {args.ray}:")
    for name in names:
        print(f"  {name}")
    print(f'Next: verifact ask "your question" --index {args.index} --ray {args.ray}')
    return 0


def index_sharded(args, settings, shards: int) -> int:
    """``verifact index ... --shards N [--ray ADDRESS]``."""
    from ..index.embed import load_embedder
    from ..index.shards import PrecomputedEmbedder, build_sharded_index, needs_embedding
    from ..ingest.readers import load_documents

    backend, pipeline = args.backend, None
    if args.ray:
        from ..index.ray_pipeline import cluster_backend

        backend = cluster_backend(args.ray, args.backend)  # GPU nodes embed with torch
    embedder = load_embedder(args.model, backend=backend)
    if args.ray:
        from ..index.ray_pipeline import PipelineReport, embed_documents, read_documents

        pipeline = PipelineReport()
        result = read_documents(args.paths, args.ray, pipeline)
        todo = result.documents
        if not args.full:
            todo = needs_embedding(todo, args.index, embedder, settings, shards)
        table = embed_documents(todo, args.model, backend, settings, args.ray, pipeline)
        embedder = PrecomputedEmbedder(embedder, table)
    else:
        result = load_documents(args.paths)
    for path, reason in result.skipped:
        print(f"Warning: skipped {path}: {reason}", file=sys.stderr)
    for path, reason in result.warnings:
        print(f"Warning: {path}: {reason}", file=sys.stderr)
    report = build_sharded_index(
        result.documents,
        args.index,
        embedder,
        settings,
        shards=shards,
        progress=not args.quiet,
        incremental=not args.full,
        log=print,
        wait=args.wait,
        on_wait=lambda who: print(
            f"Waiting up to {args.wait:.0f} s for another writer of {args.index} ({who})...",
            file=sys.stderr,
        ),
    )
    where = ""
    if pipeline is not None:
        where = (
            f" (read and embedded on {pipeline.nodes} Ray nodes by {pipeline.actors} "
            f"embedding actors: read {pipeline.read_s:.1f} s, chunk + embed "
            f"{pipeline.embed_s:.1f} s)"
        )
    print(
        f"Indexed {report.documents} documents ({len(result.skipped)} skipped"
        + (f", {len(result.warnings)} with warnings" if result.warnings else "")
        + ") into "
        f"{report.passages} passages in {len(report.shards)} shards in {report.seconds:.1f} s"
        f"{where}: {report.embedded} embedded, {report.reused} reused, "
        f"{report.removed_documents} documents removed, at {report.path}"
    )
    ray = f" --ray {args.ray}" if args.ray and args.ray != "local" else ""
    print(f'Next: verifact ask "your question" --index {report.path}{ray}')
    return 0
