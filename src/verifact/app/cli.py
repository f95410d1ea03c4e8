"""Command line: parse args -> call the library -> print. ``verifact --help`` lists commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from ..config import INDEX_TYPES, MODES, Settings
from ..errors import InputError, VerifactError
from .cluster import (
    SERVE_EXAMPLE,
    add_ray_flags,
    add_serve,
    cmd_serve,
    index_sharded,
    partial_fields,
)

SHARD_INDEX_TYPES = (*INDEX_TYPES, "ivf-sq8", "ivf-pq")  # approximate types: shards only

AUTH_ENV = "VERIFACT_AUTH"


class UploadLimitsDefaults:
    """The chat's upload limits, as app/upload.py's UploadLimits (not imported: fast --help)."""

    file_mb, files, request_mb, total_mb = 20, 20, 100, 500


EXAMPLES = {
    "index": "verifact index ~/reports --index index/reports",
    "ask": 'verifact ask "When did Putin invite Meshaal to Moscow?" -k 3',
    "check": 'verifact check "Putin invited Meshaal to Moscow in 2008." --json',
    "eval": "verifact eval --beir ~/data/scifact --split test --mode all",
    "chat": "verifact chat --index index/reports --port 7860",
    "train-stance": "verifact train-stance --data ../shared/data --out models/stance",
    "verify-index": "verifact verify-index --index index/reports",
    "export-onnx": "verifact export-onnx --out src/verifact/index/bundled",
    "serve": SERVE_EXAMPLE,
}


def _add_common(p: argparse.ArgumentParser, index_required: bool = False) -> None:
    p.add_argument(
        "--index",
        metavar="DIR",
        required=index_required,
        help="index directory (default: the shipped corpus, built on first use)",
    )
    p.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        help="sentence-transformers model name or folder (default: the bundled "
        "all-MiniLM-L6-v2; an existing index records its own)",
    )
    p.add_argument(
        "--backend",
        choices=("auto", "onnx", "torch"),
        default="auto",
        help="embedding runtime: onnx int8 (fast, no torch at query time) or torch",
    )


def _add_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("-k", type=int, default=Settings.k, help="passages per query (default 5)")
    p.add_argument(
        "--mode",
        choices=MODES,
        default=Settings.mode,
        help="retrieval mode (default hybrid: dense + BM25 fused)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument(
        "--batch",
        metavar="FILE",
        help='read one query a line (or JSONL with a "text" field) from FILE',
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verifact",
        description="Answer questions and check claims with cited passages from your sources. "
        "Retrieval only: nothing is generated.",
        epilog="Examples:\n  " + "\n  ".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, help_):
        return sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=f"Example:\n  {EXAMPLES[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = add("index", "Index files or folders (.txt .md .html .pdf .docx .jsonl) for search")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    p.add_argument("--index", metavar="DIR", required=True, help="index directory to write")
    p.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        default="default",
        help="sentence-transformers model name or folder (default: bundled MiniLM)",
    )
    p.add_argument("--backend", choices=("auto", "onnx", "torch"), default="auto")
    p.add_argument(
        "--index-type",
        choices=SHARD_INDEX_TYPES,
        default="auto",
        help=f"FAISS index: flat (exact) or hnsw; auto = hnsw from "
        f"{Settings.hnsw_threshold:,} passages; with --shards also ivf-sq8 or ivf-pq "
        "(approximate, exact re-ranking; recall@10 against exact search is printed)",
    )
    p.add_argument(
        "--shards",
        type=int,
        metavar="N",
        help="build a sharded index: documents routed to N shards by a hash of their id "
        "(default: an existing sharded index keeps its count)",
    )
    p.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="with --shards: read, chunk and embed on a Ray cluster (host:port, auto, or "
        "local for a throwaway one)",
    )
    p.add_argument(
        "--max-words",
        type=int,
        default=Settings.max_words,
        help=f"passage length cap in words (default {Settings.max_words})",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="re-embed everything instead of reusing unchanged documents",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another writer of the same index (the chat adding an "
        "upload, another verifact index) instead of failing at once (default 0)",
    )

    p = add("ask", "Retrieve the passages that answer a question, with citations")
    p.add_argument("query", nargs="?", help="the question (or use --batch)")
    _add_common(p)
    _add_search(p)
    add_ray_flags(p)

    p = add("check", "Check a claim: a verdict drawn only from cited evidence")
    p.add_argument("claim", nargs="?", help="the claim (or use --batch)")
    _add_common(p)
    _add_search(p)
    add_ray_flags(p)
    p.add_argument(
        "--stance-model",
        metavar="DIR",
        help="folder of another stance model made by `verifact train-stance` (default: shipped)",
    )

    p = add("eval", "Evaluate retrieval (and verdicts) on the seed set or a BEIR dataset")
    _add_common(p)
    p.add_argument(
        "--beir",
        metavar="DIR",
        help="BEIR dataset folder (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv); "
        "its index is built once and cached (see --cache)",
    )
    p.add_argument(
        "--cache",
        metavar="DIR",
        help="where evaluation indexes are cached (default: $VERIFACT_CACHE/eval, else the "
        "user's cache folder, e.g. ~/.cache/verifact/eval)",
    )
    p.add_argument("--split", default="test", help="qrels split for --beir (default test)")
    p.add_argument(
        "--mode",
        choices=(*MODES, "all"),
        default="all",
        help="retrieval mode(s) to evaluate (default all)",
    )
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="where to write results.json, per_query.jsonl and recall_at_k.png (default "
        "NAME = seed or DATASET-SPLIT under eval/results/ in a source checkout, else under "
        "the user's data folder)",
    )
    p.add_argument(
        "--claims",
        metavar="FILE",
        help="with --beir: SciFact-format claims (claims_dev.jsonl) to evaluate verdicts",
    )
    p.add_argument(
        "--no-claims",
        action="store_true",
        help="seed set: skip the verdict evaluation of eval/seed/claims.jsonl",
    )
    p.add_argument(
        "--alpha", type=float, help=f"dense weight of hybrid fusion, 0-1 (default {Settings.alpha})"
    )
    p.add_argument(
        "--candidates",
        type=int,
        help=f"per-retriever depth before fusion (default {Settings.candidates})",
    )
    p.add_argument(
        "--max-words",
        type=int,
        help=f"--beir: passage length cap in words (default {Settings.max_words}); "
        "e.g. 1000 indexes whole abstracts, as the published figures do",
    )
    p.add_argument(
        "--fit",
        action="store_true",
        help="--beir: grid-search the hybrid --alpha and --candidates on --split "
        "(use a training split) and report the best",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_ray_flags(p)

    p = add(
        "verify-index",
        "Check an index fully: file checksums, unit vectors, passages equal to their source text",
    )
    p.add_argument("--index", metavar="DIR", help="index directory (default: the shipped corpus)")

    p = add("chat", "Start the Gradio chat on an index")
    _add_common(p)
    add_ray_flags(p)
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="create a public Gradio share link")
    p.add_argument(
        "--auth-file",
        metavar="FILE",
        help=f"require a login: FILE holds USER:PASSWORD lines (or set ${AUTH_ENV}=USER:PASSWORD)",
    )
    p.add_argument("--auth", metavar="USER:PASSWORD", help=argparse.SUPPRESS)  # refused: see ps
    limits = UploadLimitsDefaults
    p.add_argument(
        "--max-upload-mb",
        type=float,
        default=limits.file_mb,
        metavar="MB",
        help=f"largest file one may upload (default {limits.file_mb:g})",
    )
    p.add_argument(
        "--max-upload-files",
        type=int,
        default=limits.files,
        metavar="N",
        help=f"files per upload (default {limits.files})",
    )
    p.add_argument(
        "--max-request-mb",
        type=float,
        default=limits.request_mb,
        metavar="MB",
        help=f"all files of one upload (default {limits.request_mb:g})",
    )
    p.add_argument(
        "--max-uploads-total-mb",
        type=float,
        default=limits.total_mb,
        metavar="MB",
        help=f"everything stored in <index>/uploads (default {limits.total_mb:g})",
    )

    p = add("train-stance", "Retrain the stance model from public NLI data and SciFact (torch)")
    p.add_argument(
        "--data",
        metavar="DIR",
        required=True,
        help="data folder with nli/*.jsonl and scifact/original/ (see the model card)",
    )
    p.add_argument("--out", metavar="DIR", required=True, help="folder for the new model")
    p.add_argument("--seed", type=int, default=13, help="seed of every random choice (13)")
    p.add_argument(
        "--recipe",
        default="shipped",
        metavar="NAME",
        help="training mix: shipped (default), statements, nli-heavy, paraphrase, base, "
        "real-heavy, topical or all (see the model card)",
    )
    p.add_argument(
        "--epochs", type=int, help="passes over the pairs (default: the recipe's; shipped: 2)"
    )
    p.add_argument(
        "--device", default="cpu", help='torch device to train on: cpu (default) or e.g. "cuda"'
    )

    p = add(
        "export-onnx",
        "Export a sentence-transformers model to ONNX with its tokenizer and sha256s, "
        'int8 when it stays within 0.99 cosine of fp32 (needs "verifact[torch]")',
    )
    p.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        default="default",
        help="model to export (default: the bundled all-MiniLM-L6-v2, which re-creates the "
        "shipped src/verifact/index/bundled byte for byte); --model OUT then runs it",
    )
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write")
    add_serve(sub, add)
    return parser


def _settings(args) -> Settings:
    s = Settings(backend=getattr(args, "backend", "auto"))
    if getattr(args, "model", None):
        s = replace(s, model=args.model)
    return s


def open_index(args):
    """The index named by --index (or the default corpus), with --model checked against it."""
    from ..search.load import load_index

    settings = _settings(args)
    return load_index(
        args.index,
        model=getattr(args, "model", None),
        settings=settings,
        ray=getattr(args, "ray", None),
        allow_partial=getattr(args, "allow_partial", False),
    )


def read_batch(path: str) -> list[str]:
    """Queries from a file: one a line, or JSONL objects with a "text" (or "claim") field."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"Batch file {path!r} does not exist; pass a text file, one query a line")
    out = []
    # split on newlines only: str.splitlines also breaks at \v \f \x1c-\x1e \x85 \u2028 ...
    for n, raw in enumerate(p.read_bytes().split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8").strip()
        except UnicodeDecodeError as e:
            raise InputError(
                f"Line {n} of {path!r} is not valid UTF-8 (byte {raw[e.start : e.start + 1]!r} at "
                f"column {e.start + 1}); save the file as UTF-8"
            ) from None
        if not line:
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError as e:
                raise InputError(f"Line {n} of {path!r} is not valid JSON; fix or quote it") from e
            text = obj.get("text", obj.get("claim")) if isinstance(obj, dict) else None
            if not isinstance(text, str):
                raise InputError(f'Line {n} of {path!r} has no "text" field; add one')
            line = text
        out.append(line)
    if not out:
        raise InputError(f"Batch file {path!r} holds no queries; write one query a line")
    return out


def _queries(args, single: str | None) -> list[str]:
    if args.batch and single:
        raise InputError("Give either a query or --batch FILE, not both")
    if args.batch:
        return read_batch(args.batch)
    if single is None:
        raise InputError("No query given; pass one in quotes or use --batch FILE")
    return [single]


def cmd_index(args) -> int:
    from ..index.embed import load_embedder
    from ..index.shards import is_sharded, read_sharded_manifest
    from ..index.store import build_index
    from ..ingest.readers import load_documents

    if args.max_words < 1:
        raise InputError(f"Invalid --max-words {args.max_words!r}; use a number of 1 or more")
    settings = replace(
        Settings(),
        model=args.model,
        backend=args.backend,
        index_type=args.index_type,
        max_words=args.max_words,
        min_words=min(Settings.min_words, args.max_words),
    )
    shards = args.shards
    if shards is None and is_sharded(args.index):
        shards = len(read_sharded_manifest(args.index)["shards"])
    if shards is not None:
        return index_sharded(args, settings, shards)
    if args.ray or args.index_type not in INDEX_TYPES:
        flag = "--ray" if args.ray else f"--index-type {args.index_type}"
        raise InputError(f"{flag} needs a sharded index: add --shards N (e.g. --shards 4)")
    result = load_documents(args.paths)
    for path, reason in result.skipped:
        print(f"Warning: skipped {path}: {reason}", file=sys.stderr)
    for path, reason in result.warnings:
        print(f"Warning: {path}: {reason}", file=sys.stderr)
    embedder = load_embedder(args.model, backend=args.backend)
    report = build_index(
        result.documents,
        args.index,
        embedder,
        settings,
        progress=not args.quiet,
        incremental=not args.full,
        wait=args.wait,
        on_wait=lambda who: print(
            f"Waiting up to {args.wait:.0f} s for another writer of {args.index} ({who})...",
            file=sys.stderr,
        ),
    )
    print(
        f"Indexed {report.documents} documents ({len(result.skipped)} skipped"
        + (f", {len(result.warnings)} with warnings" if result.warnings else "")
        + ") into "
        f"{report.passages} passages in {report.seconds:.1f} s: {report.embedded} embedded, "
        f"{report.reused} reused, {report.removed_documents} documents removed"
        + (f", {report.uploads_kept} chat uploads kept" if report.uploads_kept else "")
        + "; "
        f"{report.index_type} FAISS index + BM25 at {report.path}"
    )
    if report.reembed_reason:
        print(f"Note: every passage was embedded again: {report.reembed_reason}")
    print(f'Next: verifact ask "your question" --index {report.path}')
    return 0


def cmd_ask(args) -> int:
    from ..search.render import format_hits
    from ..search.search import results_json, validate_k, validate_query
    from .chat import is_weak_answer, with_weak

    queries = [validate_query(q) for q in _queries(args, args.query)]
    validate_k(args.k)
    index = open_index(args)
    if args.mode != "bm25":
        for q in queries:
            if index.is_truncated(q):
                print(
                    f"Warning: query longer than the model's {index.embedder.max_tokens}-token "
                    f"window was truncated for dense search: {q[:60]!r}...",
                    file=sys.stderr,
                )
    results = index.search_many(queries, k=args.k, mode=args.mode)
    partial = partial_fields(index)
    if partial and not args.json:
        print(f"Partial answer: shards {partial['missing_shards']} unreachable", file=sys.stderr)
    for q, hits in zip(queries, results):
        weak = [is_weak_answer(h) for h in hits]
        if args.json:
            obj = {**with_weak(results_json(q, args.mode, args.k, hits), weak), **partial}
            print(json.dumps(obj, ensure_ascii=False))
        else:
            print(format_hits(q, hits, weak=weak))
            print()
    return 0


def cmd_check(args) -> int:
    from ..search.search import validate_k, validate_query
    from ..verify.analysis import preload_nlp
    from ..verify.verdict import format_verdict, verify_claims

    claims = [validate_query(c) for c in _queries(args, args.claim)]
    validate_k(args.k)
    preload_nlp()  # spaCy loads on a second core while the index and the models load
    index = open_index(args)
    stance = _stance_model(args.stance_model)
    verdicts = verify_claims(index, claims, k=args.k, mode=args.mode, stance_model=stance)
    partial = partial_fields(index)
    if partial and not args.json:
        print(f"Partial answer: shards {partial['missing_shards']} unreachable", file=sys.stderr)
    for v in verdicts:
        if args.json:
            print(json.dumps({**v.to_dict(), **partial}, ensure_ascii=False))
        else:
            print(format_verdict(v))
            print()
    return 0


def _stance_model(folder: str | None) -> str | None:
    if folder is None:
        return None
    path = Path(folder).expanduser()
    if not (path / "stance.json").is_file():
        raise InputError(
            f"--stance-model {folder!r} has no stance.json; pass a folder made by "
            "`verifact train-stance --out DIR`"
        )
    return str(path)


def cmd_train_stance(args) -> int:
    from ..verify.train import TrainSettings, train_and_export
    from ..verify.training_data import RECIPES, check_data_dir

    if args.recipe not in RECIPES:
        raise InputError(
            f"Unknown --recipe {args.recipe!r}; use one of {', '.join(RECIPES)} (the model card "
            "describes each)"
        )
    if args.epochs is not None and args.epochs < 1:
        raise InputError(f"Invalid --epochs {args.epochs!r}; use 1 or more, e.g. 2")
    data = check_data_dir(Path(args.data).expanduser())
    out = Path(args.out).expanduser()
    recipe = replace(RECIPES[args.recipe], seed=args.seed)
    epochs = recipe.epochs if args.epochs is None else args.epochs
    settings = TrainSettings(seed=args.seed, epochs=epochs, device=args.device)
    record = train_and_export(data, out, recipe, settings, log=print)
    print(f"Stance model written to {out} ({record['pairs']} training pairs).")
    print(f'Next: verifact check "your claim" --stance-model {out}')
    return 0


def _eval_index(args, settings, progress, cache):
    """The seed set's index: a sharded --index (in this process or, with --ray, on actors) or
    what eval.seed.open_seed_index picks."""
    from ..eval.seed import open_seed_index
    from ..index.shards import is_sharded

    if args.ray or (args.index and is_sharded(args.index)):
        from ..search.load import load_index

        return load_index(
            args.index, settings=settings, ray=args.ray, allow_partial=args.allow_partial
        )
    return open_seed_index(args.index, settings, progress, cache_dir=cache)


def cmd_eval(args) -> int:
    from ..eval.beir import fit_hybrid, run_beir
    from ..eval.report import format_table, require_eval_extra, write_outputs
    from ..eval.seed import modes_of, run_seed, with_overrides

    require_eval_extra()  # before minutes of evaluation, not after

    if args.alpha is not None and not 0 <= args.alpha <= 1:
        raise InputError(f"Invalid --alpha {args.alpha!r}; use a weight from 0 to 1, e.g. 0.5")
    if args.candidates is not None and args.candidates < 1:
        raise InputError(f"Invalid --candidates {args.candidates!r}; use 1 or more, e.g. 100")
    if args.claims and not args.beir:
        raise InputError("--claims needs --beir DIR (the corpus the claims are checked against)")
    if args.beir and args.index:
        raise InputError("Give either --beir DIR (indexed and cached for you) or --index DIR")
    if args.max_words is not None and (args.max_words < 1 or not args.beir):
        raise InputError(f"Invalid --max-words {args.max_words!r}; use 1 or more, with --beir")
    settings = with_overrides(_settings(args), alpha=args.alpha, candidates=args.candidates)
    if args.max_words is not None:
        settings = with_overrides(
            settings, max_words=args.max_words, min_words=min(Settings.min_words, args.max_words)
        )
    modes, progress = modes_of(args.mode), not args.quiet
    if args.fit and not args.beir:
        raise InputError("--fit needs --beir DIR and a training --split, e.g. --split train")
    cache = Path(args.cache).expanduser() if args.cache else None
    if args.fit:
        result = fit_hybrid(args.beir, args.split, settings, cache_dir=cache, progress=progress)
    elif args.beir:
        result = run_beir(
            args.beir, args.split, modes, settings, args.claims, cache_dir=cache, progress=progress
        )
    else:
        index = _eval_index(args, settings, progress, cache)
        result = run_seed(index, modes, settings, claims=not args.no_claims, progress=progress)
    paths = write_outputs(result, args.out)
    if args.json:
        print(json.dumps(result.results, ensure_ascii=False))
    else:
        print(format_table(result.results))
        print(f"Wrote {paths['results']}, " + ", ".join(p.name for p in list(paths.values())[1:]))
    return 0


def cmd_verify_index(args) -> int:
    from ..config import default_index_dir
    from ..index.store import verify_index

    print(verify_index(args.index or default_index_dir()).message())
    return 0


def read_auth(args) -> str | None:
    """USER:PASSWORD lines from --auth-file or $VERIFACT_AUTH (never from argv: ps shows it)."""
    if args.auth:
        raise InputError(
            "--auth USER:PASSWORD would show the password to anyone running ps on this "
            f"machine; put USER:PASSWORD in a file and pass --auth-file FILE, or set ${AUTH_ENV}"
        )
    if args.auth_file:
        try:
            return Path(args.auth_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(
                f"Cannot read --auth-file {args.auth_file!r} ({type(e).__name__}); "
                "write USER:PASSWORD lines into it"
            ) from e
    return os.environ.get(AUTH_ENV) or None


def cmd_chat(args) -> int:
    from .ui import check_port, launch, parse_credentials
    from .upload import UploadLimits

    auth = read_auth(args)
    if auth is not None:
        parse_credentials(auth)  # refuse empty users or passwords before loading anything
    for flag in ("max_upload_mb", "max_upload_files", "max_request_mb", "max_uploads_total_mb"):
        if getattr(args, flag) <= 0:
            raise InputError(
                f"Invalid --{flag.replace('_', '-')} {getattr(args, flag)!r}; use 1 or more"
            )
    limits = UploadLimits(
        file_mb=args.max_upload_mb,
        files=args.max_upload_files,
        request_mb=args.max_request_mb,
        total_mb=args.max_uploads_total_mb,
    )
    check_port(args.host, args.port)  # before the index loads: a taken port fails at once
    index = open_index(args)
    launch(index, host=args.host, port=args.port, share=args.share, auth=auth, limits=limits)
    return 0


def cmd_export_onnx(args) -> int:
    from ..index.prebuilt import write_prebuilt

    meta = write_prebuilt(args.model, args.out)
    check = meta["int8_check"] or {}
    kind = "int8" if meta["quantized"] else "fp32 (int8 failed its check)"
    print(
        f"Exported {meta['model']} as {kind} ONNX to {args.out} (mean cosine int8 vs fp32 "
        f"{check.get('mean_cosine', float('nan')):.4f} on {check.get('samples', 0)} samples)"
    )
    print(f"Next: verifact index PATH --index DIR --model {args.out}")
    return 0


COMMANDS = {
    "index": cmd_index,
    "ask": cmd_ask,
    "check": cmd_check,
    "eval": cmd_eval,
    "chat": cmd_chat,
    "train-stance": cmd_train_stance,
    "verify-index": cmd_verify_index,
    "export-onnx": cmd_export_onnx,
    "serve": cmd_serve,
}


def main(argv: list[str] | None = None) -> int:
    # offline unless the user allows downloads (HF_HUB_OFFLINE=0): an unknown model name then
    # fails at once with a clear error instead of retrying the network for a minute
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except VerifactError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # piped into a reader that stopped early (e.g. head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Interrupted; any index being written was left as it was.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
