"""ONNX Runtime embedding backend: a sentence-transformers model run without torch.

The default model's int8 file and tokenizer ship with verifact (``index/bundled/``, checked
against their sha256 on load; see ``prebuilt``), as does any folder made by ``verifact
export-onnx``. Any other model is exported on first use with ``torch.onnx.export`` (this one
time needs the ``torch`` extra), quantized to int8 when that stays faithful, and cached under
``$VERIFACT_CACHE`` (default: the user's cache folder). Every load reads the file with
onnxruntime and tokenizes with ``tokenizers``: no torch, no transformers, well under a second.
Pooling (mean / cls / max / mean_sqrt_len_tokens) and L2 normalisation run in numpy, following the
model's ``modules.json`` and ``1_Pooling/config.json``; a model with any other module (Dense,
...) raises :class:`~verifact.errors.InputError`, so ``load_embedder(backend="auto")`` falls back
to torch.

Example::

    emb = OnnxEmbedder("default")
    emb.embed_queries(["Vitamin D prevents fractures"]).shape  # => (1, 384)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import numpy as np

from ..config import run_each, usable_cpus
from ..errors import InputError, MissingDependencyError
from .model import is_bundled, normalize, resolve_model
from .onnx_export import (  # noqa: F401 - cache_key, EXPORTER_VERSION, _pool are part of this API
    EXPORTER_VERSION,
    _export,
    _local_model_folder,
    _pool,
    _read_json,
    cache_key,
    read_model_spec,
)
from .prebuilt import BUNDLED_DIR, is_prebuilt, read_prebuilt

log = logging.getLogger(__name__)

SMALL_CALL = 4  # calls with at most this many texts run single-threaded
# How texts are fed to the model; recorded in index manifests, since it changes int8 vectors.
ENCODING = {True: "int8, one text per call", False: "fp32, length-sorted batches"}


class OnnxEmbedder:
    """Embedder on onnxruntime + tokenizers (int8 by default); same vectors as the torch backend."""

    def __init__(
        self,
        model: str = "default",
        batch_size: int = 32,
        quantize: bool = True,
        threads: int | None = None,
        query_prefix: str = "",
        passage_prefix: str = "",
    ):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise MissingDependencyError(
                'The ONNX backend needs "onnxruntime" and "tokenizers": '
                "pip install onnxruntime tokenizers"
            ) from e
        if batch_size < 1:
            raise InputError(f"batch_size must be >= 1, got {batch_size}")
        prebuilt = None
        if is_bundled(model) and quantize:
            prebuilt = read_prebuilt(BUNDLED_DIR)
            self.name = prebuilt.name
        else:
            self.name, location = resolve_model(model)
            if is_prebuilt(location):
                prebuilt = read_prebuilt(location, name=self.name)
        if prebuilt is not None:
            self.spec, folder = prebuilt.spec, None
            quantize = prebuilt.quantized
            exporter = prebuilt.exporter
        else:
            folder = _local_model_folder(location)
            self.spec = read_model_spec(folder)
            exporter = EXPORTER_VERSION
        self.batch_size = batch_size
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.max_tokens = self.spec.max_seq_length
        self.dim = self.spec.dim

        tok_file = str(self.spec.transformer_dir / "tokenizer.json")
        self._tokenizer = Tokenizer.from_file(tok_file)
        self._tokenizer.no_padding()  # tokenizer.json may carry fixed padding (MiniLM: 128)
        self._tokenizer.enable_truncation(max_length=self.max_tokens)
        self._counter = Tokenizer.from_file(tok_file)  # untruncated, for count_tokens
        self._counter.no_padding()
        self._counter.no_truncation()
        self._pad_id = self._find_pad_id()

        if prebuilt is not None:
            self.path = prebuilt.onnx
        else:
            self.path = _export(self.name, str(folder), self.spec, quantize, force=False)
            quantize = self.path.name == "model_int8.onnx"  # int8 may have failed its check
        self.backend = "onnx-int8" if quantize else "onnx-fp32"
        self.version = f"{exporter}; {ENCODING[quantize]}"
        self.threads = threads or usable_cpus()
        self._ort = ort
        # Small calls (a query) run on one thread: a short text gains little from two, and
        # under CPU contention one thread is several times faster. Bulk calls get ``threads``.
        try:
            self._small_session = self._new_session(1)
        except Exception as e:  # noqa: BLE001 - a damaged cache file: export it again, once
            if folder is None:  # a prebuilt file passed its sha256 check: not a cache problem
                raise
            log.warning("cached ONNX model %s unusable (%s); exporting again", self.path, e)
            self.path = _export(self.name, str(folder), self.spec, quantize, force=True)
            self._small_session = self._new_session(1)
        self._bulk_session = self._small_session if self.threads == 1 else None
        self._inputs = [i.name for i in self._small_session.get_inputs()]
        out_dim = self._small_session.get_outputs()[0].shape[-1]
        if isinstance(out_dim, int) and out_dim * len(self.spec.pooling_modes) != self.dim:
            raise InputError(
                f"ONNX model {self.path} gives {out_dim}-dim tokens, expected {self.dim}"
            )

    def _find_pad_id(self) -> int:
        cfg_file = self.spec.transformer_dir / "tokenizer_config.json"
        pad = _read_json(cfg_file).get("pad_token") if cfg_file.exists() else None
        if isinstance(pad, dict):
            pad = pad.get("content")
        for token in (pad, "[PAD]", "<pad>"):
            if isinstance(token, str) and self._tokenizer.token_to_id(token) is not None:
                return int(self._tokenizer.token_to_id(token))
        return 0

    def _new_session(self, threads: int):
        opts = self._ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = self._ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        return self._ort.InferenceSession(
            str(self.path), sess_options=opts, providers=["CPUExecutionProvider"]
        )

    def _batches(self, texts: list[str]) -> Iterator[tuple[np.ndarray, list[str]]]:
        # longest first: batches of similar lengths pad little, and the progress bar's first
        # estimate is pessimistic rather than optimistic
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            idx = order[start : start + self.batch_size]
            yield idx, [texts[i] for i in idx]

    def _session_for(self, n_texts: int):
        if n_texts <= SMALL_CALL:
            return self._small_session
        if self._bulk_session is None:
            self._bulk_session = self._new_session(self.threads)
        return self._bulk_session

    def _run(self, session, texts: list[str]) -> np.ndarray:
        encs = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        width = max(len(e.ids) for e in encs)
        ids = np.full((len(encs), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        types = np.zeros((len(encs), width), dtype=np.int64)
        for row, e in enumerate(encs):
            n = len(e.ids)
            ids[row, :n] = e.ids
            mask[row, :n] = 1
            types[row, :n] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = session.run(None, {n: feed[n] for n in self._inputs})[0]
        return _pool(hidden, mask, self.spec.pooling_modes)

    def _encode(self, texts: list[str], prefix: str, progress: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        prefix = self.spec.default_prompt + prefix
        texts = [prefix + str(t) for t in texts]
        if self.spec.do_lower_case:
            texts = [t.lower() for t in texts]
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="Embedding", unit="text")
        try:
            if self.backend == "onnx-int8":
                self._encode_one_by_one(texts, out, bar)
            else:
                session = self._session_for(len(texts))
                for idx, chunk in self._batches(texts):
                    out[idx] = self._run(session, chunk)
                    if bar is not None:
                        bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()
        return normalize(out)

    def _encode_one_by_one(self, texts: list[str], out: np.ndarray, bar) -> None:
        """int8: each text alone, on ``threads`` workers sharing the one-thread session.

        Dynamic quantisation scales activations per call, so a text batched with others gets a
        slightly different vector (cosine 0.98-0.998). Alone, a text's vector depends on the
        text only: incremental index updates then equal full rebuilds exactly. Unpadded single
        texts on one thread each are also faster here than padded batches on two threads.
        """
        session = self._small_session

        def one(i: int) -> None:
            out[i] = self._run(session, [texts[i]])[0]

        workers = 1 if len(texts) <= SMALL_CALL else self.threads
        run_each(one, len(texts), workers, None if bar is None else lambda: bar.update(1))

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Return float32 (len(texts), dim), L2-normalised."""
        return self._encode(list(texts), self.passage_prefix, progress)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Return float32 (len(texts), dim), L2-normalised."""
        return self._encode(list(texts), self.query_prefix, False)

    def count_tokens(self, text: str) -> int:
        """Number of model tokens in ``text`` (special tokens included, no truncation)."""
        return len(self._counter.encode(text, add_special_tokens=True).ids)
