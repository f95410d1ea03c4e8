"""ONNX Runtime embedding backend: a sentence-transformers model exported once, run without torch.

The first use of a model exports its transformer with ``torch.onnx.export`` (this one time needs
torch and transformers), quantizes the weights to int8 and caches the result under
``$VERIFACT_CACHE`` (default ``~/.cache/verifact``). Every later load reads the cached file with
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
import os
from collections.abc import Iterator

import numpy as np

from ..errors import InputError, MissingDependencyError
from .model import normalize, resolve_model
from .onnx_export import (  # noqa: F401 - cache_key and EXPORTER_VERSION are part of this API
    EXPORTER_VERSION,
    _export,
    _local_model_folder,
    _read_json,
    cache_key,
    read_model_spec,
)

log = logging.getLogger(__name__)

SMALL_CALL = 4  # calls with at most this many texts run single-threaded
# How texts are fed to the model; recorded in index manifests, since it changes int8 vectors.
ENCODING = {True: "int8, one text per call", False: "fp32, length-sorted batches"}


def _default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return max(1, os.cpu_count() or 1)


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
        self.name, location = resolve_model(model)
        folder = _local_model_folder(location)
        self.spec = read_model_spec(folder)
        self.backend = "onnx-int8" if quantize else "onnx-fp32"
        self.version = f"{EXPORTER_VERSION}; {ENCODING[quantize]}"
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

        self.path = _export(self.name, str(folder), self.spec, quantize, force=False)
        self.threads = threads or _default_threads()
        self._ort = ort
        # Small calls (a query) run on one thread: a short text gains little from two, and
        # under CPU contention one thread is several times faster. Bulk calls get ``threads``.
        try:
            self._small_session = self._new_session(1)
        except Exception as e:  # noqa: BLE001 - a damaged cache file: export it again, once
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

        if self.threads == 1 or len(texts) <= SMALL_CALL:
            for i in range(len(texts)):
                one(i)
                if bar is not None:
                    bar.update(1)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            for _ in pool.map(one, range(len(texts))):  # onnxruntime releases the GIL
                if bar is not None:
                    bar.update(1)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Return float32 (len(texts), dim), L2-normalised."""
        return self._encode(list(texts), self.passage_prefix, progress)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Return float32 (len(texts), dim), L2-normalised."""
        return self._encode(list(texts), self.query_prefix, False)

    def count_tokens(self, text: str) -> int:
        """Number of model tokens in ``text`` (special tokens included, no truncation)."""
        return len(self._counter.encode(text, add_special_tokens=True).ids)
