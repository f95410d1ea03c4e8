"""ONNX export: a sentence-transformers model folder -> cached int8 (or fp32) ONNX file.

The default model needs none of this: its int8 file and tokenizer ship in ``index/bundled/``
(:func:`read_prebuilt` checks them against their recorded sha256). Any other model is exported
on first use with ``torch.onnx.export`` (this one time needs the ``torch`` extra) and quantized
to int8, cached under :func:`verifact.config.cache_dir` and written atomically. An int8 export
is used only if its vectors stay close to the fp32 ones on sample passages (mean cosine >=
``INT8_MIN_COSINE``); otherwise the fp32 export is kept, with a one-line warning.
:func:`write_prebuilt` writes an export with its tokenizer and sha256s into a folder (that is
how ``index/bundled/`` is made: ``verifact export-onnx``). ``embed_onnx`` runs the files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..config import cache_dir, default_sources_dir
from ..errors import InputError, MissingDependencyError, ModelNotFoundError
from .model import TORCH_EXTRA, resolve_model

log = logging.getLogger(__name__)

# Bump whenever export or quantization changes what lands in the cache: it is part of the cache key.
OPSET = 17
QUANT_PER_CHANNEL = True
QUANT_REDUCE_RANGE = False
EXPORTER_VERSION = (
    f"verifact-onnx/1 opset{OPSET} int8=dynamic-QInt8"
    f"{'-per_channel' if QUANT_PER_CHANNEL else ''}{'-reduce_range' if QUANT_REDUCE_RANGE else ''}"
)
# Part of the cache key only (not of index manifests): exports cached before the int8 check
# existed are made again, so each one is checked once.
CHECK_VERSION = "int8-check/1"
INT8_MIN_COSINE = 0.99  # mean cosine to fp32 an int8 export must keep (MiniLM: 0.994)
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".msgpack", ".h5")
_SUPPORTED_POOLING = ("cls", "max", "mean", "mean_sqrt_len_tokens")
_LEGACY_POOLING_KEYS = {  # ordered like sentence-transformers' concatenation order
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}


def cache_root() -> Path:
    """Where exported models are cached: ``$VERIFACT_CACHE`` or the user's cache folder."""
    return cache_dir()


@dataclass(frozen=True)
class ModelSpec:
    """What the ONNX backend needs to know about a sentence-transformers model folder."""

    folder: Path  # the sentence-transformers model folder
    transformer_dir: Path  # folder of the Hugging Face transformer (module 0)
    max_seq_length: int
    do_lower_case: bool
    pooling_modes: tuple[str, ...]
    dim: int
    default_prompt: str  # prepended to every text, as SentenceTransformer.encode does by default


def _pool(hidden: np.ndarray, mask: np.ndarray, modes: tuple[str, ...]) -> np.ndarray:
    """sentence-transformers pooling of (batch, seq, dim) token vectors with a 0/1 mask."""
    m = mask.astype(np.float32)[:, :, None]
    parts = []
    for mode in modes:
        if mode == "cls":
            first = mask.argmax(axis=1)  # first attended token (left padding safe)
            parts.append(hidden[np.arange(hidden.shape[0]), first])
        elif mode == "max":
            parts.append(np.where(m > 0, hidden, -np.inf).max(axis=1))
        else:  # mean, mean_sqrt_len_tokens
            total = (hidden * m).sum(axis=1)
            count = np.clip(m.sum(axis=1), 1e-9, None)
            parts.append(total / (count if mode == "mean" else np.sqrt(count)))
    return np.concatenate(parts, axis=1) if len(parts) > 1 else parts[0]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"Could not read {path} ({type(e).__name__}: {e})") from e
    if not isinstance(data, (dict, list)):
        raise InputError(f"{path} does not hold a JSON object")
    return data


def _local_model_folder(location: str) -> Path:
    """Local folder of a model path, or of a hub name already in the hub cache (never downloads)."""
    path = Path(location)
    if path.is_dir():
        return path.resolve()
    try:
        from huggingface_hub import snapshot_download
    except ImportError as e:
        raise InputError(f"Model {location!r} is not a local folder") from e
    candidates = [location] if "/" in location else [f"sentence-transformers/{location}", location]
    for repo_id in candidates:
        try:
            return Path(snapshot_download(repo_id, local_files_only=True)).resolve()
        except Exception:  # noqa: BLE001 - not cached (or not a valid name): try the next form
            continue
    raise ModelNotFoundError(
        f"Model {location!r} is neither a local folder nor in the local Hugging Face cache; "
        "the ONNX backend never downloads models"
    )


def _pooling_modes(config: dict[str, Any]) -> tuple[str, ...]:
    mode = config.get("pooling_mode")
    if mode is None:
        modes = tuple(m for k, m in _LEGACY_POOLING_KEYS.items() if config.get(k)) or ("mean",)
    elif isinstance(mode, str):
        modes = (mode,)
    else:
        modes = tuple(mode)
    return modes


def read_model_spec(folder: Path) -> ModelSpec:
    """Parse a sentence-transformers folder; raise InputError for what this backend cannot run."""
    modules_file = folder / "modules.json"
    if modules_file.exists():
        modules = _read_json(modules_file)
        if not isinstance(modules, list) or not modules:
            raise InputError(f"{modules_file} lists no modules")
    else:  # a plain Hugging Face model: sentence-transformers adds mean pooling
        modules = [{"type": "sentence_transformers.models.Transformer", "path": ""}]
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds[0] != "Transformer":
        raise InputError(f"ONNX backend: the first module must be a Transformer, not {kinds[0]!r}")
    unsupported = [k for k in kinds[1:] if k not in ("Pooling", "Normalize")]
    if unsupported or kinds.count("Pooling") > 1:
        raise InputError(
            f"ONNX backend does not support the modules {unsupported or kinds} of {folder}; "
            "use the torch backend"
        )
    transformer_dir = folder / modules[0].get("path", "")
    st_config: dict[str, Any] = {}
    for name in ("sentence_bert_config.json",):
        if (transformer_dir / name).exists():
            st_config = _read_json(transformer_dir / name)
    hf_config = _read_json(transformer_dir / "config.json")
    if not (transformer_dir / "tokenizer.json").exists():
        raise InputError(
            f"ONNX backend needs a fast tokenizer (tokenizer.json) in {transformer_dir}"
        )
    if hf_config.get("is_encoder_decoder"):
        raise InputError("ONNX backend supports encoder-only transformers")

    max_len = st_config.get("max_seq_length")
    if not max_len:
        tok_config = (
            _read_json(transformer_dir / "tokenizer_config.json")
            if (transformer_dir / "tokenizer_config.json").exists()
            else {}
        )
        candidates = [
            v
            for v in (tok_config.get("model_max_length"), hf_config.get("max_position_embeddings"))
            if isinstance(v, int) and 0 < v < 1_000_000
        ]
        max_len = min(candidates) if candidates else 512

    hidden = hf_config.get("hidden_size") or hf_config.get("dim") or hf_config.get("d_model")
    modes: tuple[str, ...] = ("mean",)
    if "Pooling" in kinds:
        pool_dir = folder / modules[kinds.index("Pooling")].get("path", "")
        pool_config = _read_json(pool_dir / "config.json")
        modes = _pooling_modes(pool_config)
        bad = [m for m in modes if m not in _SUPPORTED_POOLING]
        if bad:
            raise InputError(f"ONNX backend does not support pooling {bad}; use the torch backend")
        hidden = pool_config.get("embedding_dimension") or pool_config.get(
            "word_embedding_dimension", hidden
        )
        include_prompt = pool_config.get("include_prompt", True)
    else:
        include_prompt = True
    if not isinstance(hidden, int):
        raise InputError(f"Could not tell the hidden size of {transformer_dir}")

    default_prompt = ""
    cfg_file = folder / "config_sentence_transformers.json"
    if cfg_file.exists():
        cfg = _read_json(cfg_file)
        name = cfg.get("default_prompt_name")
        if name:
            default_prompt = str((cfg.get("prompts") or {}).get(name, ""))
    if default_prompt and not include_prompt:
        raise InputError("ONNX backend does not support pooling that excludes the prompt")
    return ModelSpec(
        folder=folder,
        transformer_dir=transformer_dir,
        max_seq_length=int(max_len),
        do_lower_case=bool(st_config.get("do_lower_case", False)),
        pooling_modes=modes,
        dim=int(hidden) * len(modes),
        default_prompt=default_prompt,
    )


def cache_key(source: str, spec: ModelSpec) -> str:
    """Hash of (model location, its weight files' sizes and mtimes, EXPORTER_VERSION)."""
    files = []
    for p in sorted(spec.transformer_dir.iterdir()):
        if p.is_file() and (p.suffix in WEIGHT_SUFFIXES or p.name == "config.json"):
            st = p.stat()
            files.append([p.name, st.st_size, st.st_mtime_ns])
    if not any(name.endswith(WEIGHT_SUFFIXES) for name, _, _ in files):
        raise InputError(f"No weight files in {spec.transformer_dir}")
    blob = json.dumps([source, files, EXPORTER_VERSION, CHECK_VERSION], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:20]


def model_cache_dir(name: str, source: str, spec: ModelSpec, root: Path | None = None) -> Path:
    """Cache folder of one model export: ``<root or cache_root>/onnx/<name>-<cache_key>``."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name or "model")[:60]
    return (root or cache_root()) / "onnx" / f"{slug}-{cache_key(source, spec)}"


def _tmp_name(final: Path) -> Path:
    # dot-prefixed and matching .gitignore's ".*.tmp-*" in case a cache lives inside a repo
    return final.with_name(f".{final.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def _remove_stale_temporaries(folder: Path, max_age_s: float = 3600.0) -> None:
    """Delete temporaries an interrupted export left (another export may own fresh ones)."""
    now = time.time()
    for p in folder.glob(".*.tmp-*"):
        try:
            if now - p.stat().st_mtime > max_age_s:
                p.unlink()
        except OSError:
            pass


def _torch_export(spec: ModelSpec, out: Path) -> list[str]:
    """Export the transformer to ONNX (fp32) at ``out``; return the graph's input names."""
    try:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise MissingDependencyError(
            f"Model {str(spec.folder)!r} is not the bundled one: exporting it to ONNX (once) "
            f'needs the "torch" extra: {TORCH_EXTRA}'
        ) from e
    import inspect

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the folder is local: never ask the hub
    hf_logging.disable_progress_bar()
    try:
        hf = AutoModel.from_pretrained(str(spec.transformer_dir), attn_implementation="eager")
    except (TypeError, ValueError):
        hf = AutoModel.from_pretrained(str(spec.transformer_dir))
    hf.eval()
    params = inspect.signature(hf.forward).parameters
    names = ["input_ids", "attention_mask"]
    if "token_type_ids" in params:
        names.append("token_type_ids")

    class _Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, *inputs):
            return self.model(**dict(zip(names, inputs, strict=True)), return_dict=True)[0]

    wrapper = _Encoder(hf).eval()
    vocab = int(getattr(hf.config, "vocab_size", 1000))
    # trace with a padded row so nothing about the mask is specialised to all-ones
    ids = torch.randint(min(100, vocab - 1), vocab, (2, 9), dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 6:] = 0
    example = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "token_embeddings"]}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            tuple(example[n] for n in names),
            str(out),
            dynamo=False,
            input_names=names,
            output_names=["token_embeddings"],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )
        # check the graph against torch on another shape (dynamic axes really dynamic)
        ids = torch.randint(min(100, vocab - 1), vocab, (3, 13), dtype=torch.long)
        mask = torch.ones_like(ids)
        mask[0, 5:] = 0
        check = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
        want = wrapper(*(check[n] for n in names)).numpy()
    import onnxruntime as ort

    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    got = sess.run(None, {n: check[n].numpy() for n in names})[0]
    valid = mask.numpy().astype(bool)
    scale = max(1.0, float(np.abs(want[valid]).max()))
    err = float(np.abs(got[valid] - want[valid]).max()) / scale
    if not np.isfinite(err) or err > 1e-3:
        raise InputError(
            f"ONNX export of {spec.transformer_dir} disagrees with torch (max {err:.3g})"
        )
    return names


def _quantize(src: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on the root logger
    try:
        quantize_dynamic(
            src,
            out,
            weight_type=QuantType.QInt8,
            per_channel=QUANT_PER_CHANNEL,
            reduce_range=QUANT_REDUCE_RANGE,
        )
    finally:
        root.setLevel(level)


def export_onnx(
    model: str = "default", quantize: bool = True, force: bool = False, cache: Path | None = None
) -> Path:
    """Return the cached ONNX file for ``model``, exporting (and quantizing) it first if needed.

    With ``quantize`` the result is the int8 file, or the fp32 one when int8 failed its check
    (see ``INT8_MIN_COSINE``). Writes are atomic (temporary file, then ``os.replace``), so an
    interrupted export never leaves a half-written model behind; concurrent exports of the
    same model are harmless. ``cache`` replaces the cache root (``cache_root()``).

    Raises:
        MissingDependencyError: the model must be exported and the ``torch`` extra is missing.
    """
    name, location = resolve_model(model)
    folder = _local_model_folder(location)
    spec = read_model_spec(folder)
    return _export(name, str(folder), spec, quantize, force, cache)


def _cached(target_dir: Path, quantize: bool) -> Path | None:
    final = target_dir / ("model_int8.onnx" if quantize else "model_fp32.onnx")
    if final.exists():
        return final
    fp32 = target_dir / "model_fp32.onnx"
    meta = target_dir / "export.json"
    if quantize and fp32.exists() and meta.exists():
        check = _read_json(meta).get("int8_check") or {}
        if check.get("used") is False:  # int8 was rejected when exported: fp32 stands in
            return fp32
    return None


def _export(
    name: str, source: str, spec: ModelSpec, quantize: bool, force: bool, root: Path | None = None
) -> Path:
    target_dir = model_cache_dir(name, source, spec, root)
    if not force and (hit := _cached(target_dir, quantize)) is not None:
        return hit
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"Cannot create the model cache {target_dir}: {e}") from e
    _remove_stale_temporaries(target_dir)
    fp32 = _tmp_name(target_dir / "model_fp32.onnx")
    int8 = _tmp_name(target_dir / "model_int8.onnx")
    check = None
    try:
        try:
            names = _torch_export(spec, fp32)
            if quantize:
                _quantize(fp32, int8)
                check = int8_agreement(spec, fp32, int8)
        except (InputError, MissingDependencyError):
            raise
        except Exception as e:  # noqa: BLE001 - any exporter failure means "use torch instead"
            msg = str(e).splitlines()[0][:200] if str(e) else ""
            raise InputError(f"ONNX export of {source} failed ({type(e).__name__}: {msg})") from e
        use_int8 = quantize and check["mean_cosine"] >= INT8_MIN_COSINE
        meta = {
            "source": source,
            "exporter": EXPORTER_VERSION,
            "inputs": names,
            "max_seq_length": spec.max_seq_length,
            "pooling": list(spec.pooling_modes),
        }
        if check is not None:
            meta["int8_check"] = {**check, "min_mean_cosine": INT8_MIN_COSINE, "used": use_int8}
        final = target_dir / ("model_int8.onnx" if use_int8 else "model_fp32.onnx")
        os.replace(int8 if use_int8 else fp32, final)
        meta_tmp = _tmp_name(target_dir / "export.json")
        meta_tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(meta_tmp, target_dir / "export.json")
    finally:
        for p in (fp32, int8):
            p.unlink(missing_ok=True)
    if quantize and not use_int8:
        log.warning(
            "int8 export of %s is not faithful (mean cosine %.3f to fp32 on %d sample passages, "
            "needs %.2f): using the fp32 export",
            name,
            check["mean_cosine"],
            check["samples"],
            INT8_MIN_COSINE,
        )
    log.info("exported %s to %s", source, final)
    return final


# a few claims and questions beside the shipped article's lines: queries are short
_SAMPLE_QUERIES = (
    "Vitamin D supplementation reduces the risk of fractures in older adults.",
    "Does smoking during pregnancy lower birth weight?",
    "The mitochondria is the powerhouse of the cell.",
    "When did Putin invite Meshaal to Moscow?",
    "Aspirin use is associated with a lower risk of colorectal cancer.",
    "Which minister met Hamas officials in November 2015?",
)


def sample_texts(limit: int = 48) -> list[str]:
    """Texts on which an int8 export is compared with fp32: the shipped article's lines and
    sentences, plus a few short claims and questions."""
    texts: list[str] = []
    for path in sorted(default_sources_dir().glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        lines = [ln for ln in lines if len(ln.split()) >= 4]
        sentences = [s for ln in lines for s in re.split(r"(?<=[.!?])\s+", ln)]
        texts += lines + [s for s in sentences if len(s.split()) >= 4 and s not in lines]
    return texts[: limit - len(_SAMPLE_QUERIES)] + list(_SAMPLE_QUERIES)


def int8_agreement(spec: ModelSpec, fp32: Path, int8: Path) -> dict[str, Any]:
    """Cosine between the fp32 and int8 vectors of ``sample_texts()``, each text embedded alone.

    Returns: ``{"mean_cosine": float, "min_cosine": float, "samples": int}``.
    """
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(spec.transformer_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=spec.max_seq_length)
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    sessions = [
        ort.InferenceSession(str(p), sess_options=opts, providers=["CPUExecutionProvider"])
        for p in (fp32, int8)
    ]
    inputs = [i.name for i in sessions[0].get_inputs()]
    texts = [spec.default_prompt + t for t in sample_texts()]
    if spec.do_lower_case:
        texts = [t.lower() for t in texts]
    vecs = [[], []]
    for enc in tok.encode_batch(texts, add_special_tokens=True):
        ids = np.asarray([enc.ids], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        for out, sess in zip(vecs, sessions):
            hidden = sess.run(None, {n: feed[n] for n in inputs})[0]
            out.append(_pool(hidden, feed["attention_mask"], spec.pooling_modes)[0])
    a, b = (np.asarray(v, dtype=np.float64) for v in vecs)
    a /= np.clip(np.linalg.norm(a, axis=1, keepdims=True), 1e-12, None)
    b /= np.clip(np.linalg.norm(b, axis=1, keepdims=True), 1e-12, None)
    cos = (a * b).sum(axis=1)
    return {
        "mean_cosine": round(float(cos.mean()), 4),
        "min_cosine": round(float(cos.min()), 4),
        "samples": len(texts),
    }
