"""Evaluation reports: results -> results.json, per_query.jsonl, recall_at_k.png and a table."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import write_json_atomic
from ..errors import MissingDependencyError
from .seed import EvalResult, results_dir


def write_outputs(result: EvalResult, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Write results.json, per_query.jsonl (when there are rows) and recall_at_k.png.

    Default ``out_dir``: ``<results_dir()>/<name>`` (``seed`` or ``<dataset>-<split>``): in a
    source checkout ``eval/results/<name>``.
    """
    out = Path(out_dir) if out_dir else results_dir() / result.name
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "results": out / "results.json",
        "per_query": out / "per_query.jsonl",
        "plot": out / "recall_at_k.png",
    }
    write_json_atomic(paths["results"], result.results)
    if result.per_query:
        with open(paths["per_query"], "w", encoding="utf-8") as f:
            for row in result.per_query:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        del paths["per_query"]
    plot_recall(result.results, paths["plot"])
    return paths


def require_eval_extra() -> None:
    """Raise MissingDependencyError before an evaluation runs if its plot could not be drawn."""
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        raise MissingDependencyError(
            'verifact eval draws recall_at_k.png with matplotlib, which comes with the "eval" '
            'extra: pip install "verifact[eval]"'
        )


def plot_recall(results: dict, path: Path) -> None:
    """Recall@k against k, one line per mode (matplotlib, Agg backend: no display needed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise MissingDependencyError(
            'The Recall@k plot needs "matplotlib": pip install "verifact[eval]"'
        ) from e
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for mode, metrics in results["metrics"].items():
        ks = sorted(int(m.split("@")[1]) for m in metrics if m.startswith("recall@"))
        ax.plot(ks, [metrics[f"recall@{k}"] for k in ks], marker="o", label=mode)
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_title(f"{results['dataset']} {results['split']}: Recall@k by mode ({results['model']})")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def format_table(results: dict) -> str:
    """The terminal summary: one row per mode, then the published figures and the claims."""
    metrics = results["metrics"]
    names = list(next(iter(metrics.values())))
    lines = [
        f"{results['dataset']} {results['split']}: {results['queries']} queries, model "
        f"{results['model']} ({results['backend']}), verifact {results['verifact_version']}",
        f"{'mode':<8}" + "".join(f"{n:>11}" for n in names),
    ]
    for mode, values in metrics.items():
        lines.append(f"{mode:<8}" + "".join(f"{values[n]:>11.4f}" for n in names))
    for system, value in results.get("published_ndcg@10", {}).items():
        lines.append(f"  published nDCG@10 {value:.3f}  {system}")
    claims = results.get("claims")
    if claims:
        lines.append(
            f"claims ({claims['n']}, {claims['mode']}): accuracy {claims['accuracy']:.4f}, "
            f"macro-F1 {claims['macro_f1']:.4f}"
        )
        if claims.get("supported_precision") is not None:
            lines.append(
                f"  SUPPORTED precision {claims['supported_precision']:.4f}, "
                f"expected calibration error {claims['ece']:.4f}"
            )
        if "evidence_doc_level" in claims:
            ev = claims["evidence_doc_level"]
            lines.append(
                f"  evidence (document level): precision {ev['precision']:.4f}, "
                f"recall {ev['recall']:.4f}"
            )
        labels = list(claims["confusion"])
        corner = "gold / predicted"
        lines.append(f"  {corner:<18}" + "".join(f"{lab:>16}" for lab in labels))
        for g in labels:
            row = "".join(f"{claims['confusion'][g][p]:>16}" for p in labels)
            lines.append(f"  {g:<18}{row}")
    return "\n".join(lines)
