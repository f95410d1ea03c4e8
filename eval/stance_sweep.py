"""Choose the stance model's training mix and epochs on a GPU, by a held-out fold of SciFact train.

Three steps; the first and last run here (CPU), the middle one on a GPU machine:

    python eval/stance_sweep.py prep --data ../shared/data --out .gpu       # pairs + fp16 base
    python3 eval/stance_sweep.py run --bundle .gpu --out OUT               # on the GPU machine
    python eval/stance_sweep.py unpack --from OUT --out DIR                # -> a stance folder

``prep`` builds, for each recipe of ``training_data.RECIPES``, two pair sets with the real
recipe code: ``sel`` (one fifth of the SciFact train claims, every fifth by id, left out with
every abstract they cite) and ``full`` (the recipe as ``verifact train-stance`` builds it). The
left-out claims' sentences are the selection set: each rationale sentence against its claim,
two other sentences of the abstract as neutral. ``run`` fine-tunes every (recipe, epochs)
variant on both sets at once, scores the ``sel`` models on the selection set (macro-F1 over the
three labels: the criterion, fixed before any run) and the ``full`` models on SNLI test and
HealthVer test (for the record only; they choose nothing), and writes the winner's ``full``
weights in fp16 parts. ``unpack`` rebuilds the weights and exports the int8 ONNX folder with the
project's own pinned export code.

The GPU machine takes at most 64 MiB of files, so the bundle carries the base model's weights
rounded to fp16 (restored to fp32 before training) and the trained weights come back in fp16.
Nothing from the data folder is committed: the bundle lives in an ignored folder (add ``/.gpu/``
to ``.git/info/exclude``). The bundle is 51 MiB; the two shipped ONNX files (46 MB) must leave
the working tree for the call, or it exceeds the limit: move ``src/verifact/index/bundled/
model.onnx`` and ``src/verifact/verify/model/model.onnx`` out, make the call with ``.gpu``
carried, then move them back and check their sha256. The 16 runs (8 variants, 2 pair sets each)
go at once on one GPU; ``--deadline`` (seconds) stops waiting and chooses among those finished.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {  # name -> (recipe name, epochs)
    "base-e1": ("base", 1),
    "base-e2": ("base", 2),
    "shipped-e3": ("shipped", 3),
    "real-heavy-e2": ("real-heavy", 2),
    "real-heavy-e3": ("real-heavy", 3),
    "topical-e2": ("topical", 2),
    "all-e2": ("all", 2),
    "all-e3": ("all", 3),
}
FOLD = 5  # every FOLD-th SciFact train claim (sorted by id) is the selection set
PART_BYTES = 15 * 2**20
# for a dry run on a CPU: SWEEP_DEVICE=cpu SWEEP_LIMIT=64 SWEEP_VARIANTS=shipped-e1,all-e2
DEVICE = os.environ.get("SWEEP_DEVICE", "cuda")
LIMIT = int(os.environ.get("SWEEP_LIMIT", "0"))


def _write_jsonl_gz(path: Path, rows) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _read_jsonl_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _resave(src: Path, dst: Path, dtype: str) -> None:
    """A safetensors file with its floating-point tensors cast to ``dtype`` ("float16" for the
    transfer, "float32" to train or export)."""
    import torch
    from safetensors.torch import load_file, save_file

    to = getattr(torch, dtype)
    w = load_file(str(src))
    save_file({k: v.to(to) if v.is_floating_point() else v for k, v in w.items()}, str(dst))


class _MemoNLP:
    """spaCy's pipe with a cache by text: the recipes parse the same texts."""

    def __init__(self, nlp):
        self.nlp, self.docs = nlp, {}

    def pipe(self, texts, batch_size=32):
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.docs]
        for t, d in zip(todo, self.nlp.pipe(todo, batch_size=batch_size)):
            self.docs[t] = d
        return (self.docs[t] for t in texts)


def prep(data: Path, out: Path) -> None:
    from verifact.eval.verdicts import rationale_sentence_rows
    from verifact.index.embed import load_embedder
    from verifact.index.model import bundled_model_path
    from verifact.verify import training_data as td
    from verifact.verify.analysis import load_nlp

    out.mkdir(parents=True, exist_ok=True)
    nlp, embedder = _MemoNLP(load_nlp()), load_embedder()
    memo: dict[tuple, object] = {}

    def embed(words):
        key = tuple(words)
        if key not in memo:
            memo[key] = embedder.embed_queries(list(words))
        return memo[key]

    train, corpus, _ = td.scifact_split(data)
    _, fold, _ = td.selection_split(train, FOLD)
    pool: dict[tuple, int] = {}
    sets, records = {}, {}
    for name, recipe in td.RECIPES.items():
        for which in ("sel", "full"):
            start = time.time()
            pairs, record = td.build_training_pairs(
                data,
                nlp,
                embed,
                replace(recipe, selection_fold=FOLD) if which == "sel" else recipe,
                log=lambda m: None,
            )
            idx = []
            for p in pairs:
                key = (p.premise, p.hypothesis, p.label, p.kind, p.source)
                idx.append(pool.setdefault(key, len(pool)))
            sets[f"{name}/{which}"] = idx
            records[f"{name}/{which}"] = {"pairs": len(pairs), "composition": record["composition"]}
            print(f"{name}/{which}: {len(pairs)} pairs ({time.time() - start:.0f} s)", flush=True)
    rows = sorted(pool.items(), key=lambda kv: kv[1])
    _write_jsonl_gz(
        out / "pool.jsonl.gz",
        ({"premise": k[0], "hypothesis": k[1], "label": k[2]} for k, _ in rows),
    )
    rows = rationale_sentence_rows(fold, corpus, random.Random(13), unsupported=True)
    _write_jsonl_gz(out / "selection.jsonl.gz", rows)
    held = {}
    for name in ("snli_test.jsonl", "healthver_test.jsonl"):
        with open(data / "nli" / name, encoding="utf-8") as f:
            held[name] = [json.loads(line) for line in f if line.strip()]
    _write_jsonl_gz(
        out / "heldout.jsonl.gz", ({"set": n, **r} for n, rs in held.items() for r in rs)
    )
    (out / "sets.json").write_text(
        json.dumps({"variants": VARIANTS, "sets": sets, "records": records, "fold": FOLD})
    )
    base = Path(bundled_model_path())
    (out / "base").mkdir(exist_ok=True)
    for f in base.iterdir():
        if f.is_file() and f.suffix in (".json", ".txt") and f.name != "model.safetensors":
            (out / "base" / f.name).write_bytes(f.read_bytes())
    _resave(base / "model.safetensors", out / "base" / "model.fp16.safetensors", "float16")
    print(f"{len(pool)} distinct pairs, {len(fold)} selection claims -> {out}")


def _load_train_module():
    """verifact.verify.train without the package's __init__ (the GPU image lacks spaCy & co)."""
    import importlib
    import types

    for name, path in (("verifact", "src/verifact"), ("verifact.verify", "src/verifact/verify")):
        if name not in sys.modules:
            mod = types.ModuleType(name)
            mod.__path__ = [str(ROOT / path)]
            sys.modules[name] = mod
    return importlib.import_module("verifact.verify.train")


def _probs(model, tok, rows: list[dict], device: str, max_length: int = 128):
    import numpy as np
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), 256):
            b = rows[i : i + 256]
            enc = tok(
                [r["premise"] for r in b],
                [r["hypothesis"] for r in b],
                truncation=True,
                max_length=max_length,
                padding=True,
                return_tensors="pt",
            ).to(device)
            out.append(torch.softmax(model(**enc).logits.float(), -1).cpu().numpy())
    return np.concatenate(out)


def _scores(probs, rows: list[dict], labels: list[str]) -> dict:
    """Accuracy, macro-F1 and per-label recall of stance ``probs``. Not ``verify.fit.macro_f1``
    (over verdict labels): the worker imports nothing of verifact beyond ``verify.train``, whose
    package needs spaCy and more that the GPU image lacks."""
    import numpy as np

    gold = np.array([labels.index(r["label"]) for r in rows])
    pred = probs.argmax(1)
    f1s, recall = [], {}
    for k, name in enumerate(labels):
        tp = int(((pred == k) & (gold == k)).sum())
        p = tp / max(1, int((pred == k).sum()))
        r = tp / max(1, int((gold == k).sum()))
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        recall[name] = round(r, 4)
    return {
        "pairs": len(rows),
        "accuracy": round(float((pred == gold).mean()), 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
        "recall": recall,
    }


def worker(bundle: Path, variant: str, which: str, out: Path) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    train = _load_train_module()
    from verifact.verify.perturb import LABELS, Pair

    spec = json.loads((bundle / "sets.json").read_text())
    recipe, epochs = spec["variants"][variant]
    pool = _read_jsonl_gz(bundle / "pool.jsonl.gz")
    pairs = [Pair(**pool[i], kind="", source="") for i in spec["sets"][f"{recipe}/{which}"]]
    pairs = pairs[:LIMIT] if LIMIT else pairs
    settings = train.TrainSettings(epochs=epochs, device=DEVICE)
    start = time.time()
    info = train.train_stance_model(pairs, "/tmp/base", out, settings, log=lambda m: None)
    model = AutoModelForSequenceClassification.from_pretrained(out).to(DEVICE)
    tok = AutoTokenizer.from_pretrained(out)
    result = {"variant": variant, "which": which, "pairs": len(pairs), "training": info}
    if which == "sel":
        rows = _read_jsonl_gz(bundle / "selection.jsonl.gz")[: LIMIT or None]
        result["selection"] = _scores(_probs(model, tok, rows, DEVICE), rows, list(LABELS))
    else:
        rows = _read_jsonl_gz(bundle / "heldout.jsonl.gz")
        for name in ("snli_test.jsonl", "healthver_test.jsonl"):
            rs = [r for r in rows if r["set"] == name][: LIMIT or None]
            result[name] = _scores(_probs(model, tok, rs, DEVICE), rs, list(LABELS))
    result["seconds"] = round(time.time() - start, 1)
    (out / "result.json").write_text(json.dumps(result, indent=1))
    print(json.dumps({k: result[k] for k in result if k != "training"}), flush=True)


def run(bundle: Path, out: Path, deadline: float) -> None:
    """Every variant on both pair sets at once, then the winner's full weights in fp16 parts."""
    import torch

    start = time.time()
    base = Path("/tmp/base")
    base.mkdir(exist_ok=True)
    for f in (bundle / "base").iterdir():
        if f.name != "model.fp16.safetensors":
            (base / f.name).write_bytes(f.read_bytes())
    _resave(bundle / "base" / "model.fp16.safetensors", base / "model.safetensors", "float32")
    work = Path("/tmp/sweep")
    procs = {}
    env = dict(
        os.environ, PYTHONUNBUFFERED="1", OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false"
    )
    only = os.environ.get("SWEEP_VARIANTS")
    log = open(out / "workers.log", "a")  # every worker's output, interleaved
    for variant in only.split(",") if only else VARIANTS:
        for which in ("sel", "full"):
            d = work / f"{variant}.{which}"
            d.mkdir(parents=True, exist_ok=True)
            procs[(variant, which)] = subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "worker",
                    "--bundle",
                    str(bundle),
                    "--variant",
                    variant,
                    "--which",
                    which,
                    "--out",
                    str(d),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=ROOT,
            )
    while time.time() - start < deadline and any(p.poll() is None for p in procs.values()):
        time.sleep(5)
    log.close()
    results = {}
    for (variant, which), p in procs.items():
        f = work / f"{variant}.{which}" / "result.json"
        if f.is_file():
            results[f"{variant}.{which}"] = json.loads(f.read_text())
        elif p.poll() is None:
            p.kill()
    sel = {
        r["variant"]: r["selection"]["macro_f1"] for r in results.values() if r["which"] == "sel"
    }
    done_full = {r["variant"] for r in results.values() if r["which"] == "full"}
    ranked = sorted((v for v in sel if v in done_full), key=lambda v: -sel[v])
    summary = {
        "results": results,
        "ranked_by_selection_f1": ranked,
        "seconds": round(time.time() - start, 1),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none",
    }
    if ranked:
        winner = ranked[0]
        summary["winner"] = winner
        d = work / f"{winner}.full"
        _resave(d / "model.safetensors", Path("/tmp/winner.fp16.safetensors"), "float16")
        blob = Path("/tmp/winner.fp16.safetensors").read_bytes()
        for i in range(0, len(blob), PART_BYTES):
            (out / f"winner.part{i // PART_BYTES}").write_bytes(blob[i : i + PART_BYTES])
        for name in ("config.json", "tokenizer_config.json", "training.json"):
            if (d / name).is_file():
                summary.setdefault("files", {})[name] = json.loads((d / name).read_text())
    (out / "sweep.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps({"ranked": ranked, "sel": sel, "seconds": summary["seconds"]}))


def unpack(src: Path, out: Path) -> None:
    """The fp16 parts -> a checkpoint (fp32) -> the int8 ONNX stance folder, exported here."""
    from transformers import AutoConfig, AutoTokenizer

    from verifact.index.model import bundled_model_path
    from verifact.verify.perturb import LABELS
    from verifact.verify.train import LABEL_ID, write_stance_folder

    parts = sorted(src.glob("winner.part*"), key=lambda p: int(p.name.rsplit("part", 1)[1]))
    if not (src / "sweep.json").is_file() or not parts:
        raise SystemExit(
            f"--from {str(src)!r} holds no sweep.json and winner.part* files; pass the folder "
            "the GPU run wrote its $OUT files to"
        )
    summary = json.loads((src / "sweep.json").read_text())
    ck = out / "checkpoint"
    ck.mkdir(parents=True, exist_ok=True)
    (ck / "half.safetensors").write_bytes(b"".join(p.read_bytes() for p in parts))
    _resave(ck / "half.safetensors", ck / "model.safetensors", "float32")
    (ck / "half.safetensors").unlink()
    cfg = AutoConfig.from_pretrained(
        bundled_model_path(),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id=LABEL_ID,
    )
    cfg.architectures = ["BertForSequenceClassification"]
    cfg.save_pretrained(ck)
    AutoTokenizer.from_pretrained(bundled_model_path()).save_pretrained(ck)
    write_stance_folder(ck, out)
    shutil.rmtree(ck)
    winner = summary["winner"]
    rec = {"winner": winner, "sweep": summary["results"]}
    (out / "sweep.json").write_text(json.dumps(rec, indent=1) + "\n")
    print(f"{winner} -> {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--out", type=Path, default=ROOT / ".gpu")
    p = sub.add_parser("run")
    p.add_argument("--bundle", type=Path, default=ROOT / ".gpu")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--deadline", type=float, default=420)
    p = sub.add_parser("worker")
    p.add_argument("--bundle", type=Path, required=True)
    p.add_argument("--variant", required=True)
    p.add_argument("--which", choices=("sel", "full"), required=True)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("unpack")
    p.add_argument("--from", dest="src", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "prep":
        prep(a.data, a.out)
    elif a.cmd == "run":
        a.out.mkdir(parents=True, exist_ok=True)
        run(a.bundle, a.out, a.deadline)
    elif a.cmd == "worker":
        worker(a.bundle, a.variant, a.which, a.out)
    else:
        unpack(a.src, a.out)


if __name__ == "__main__":
    main()
