"""Sentence embeddings: what a question means, beyond the words it uses.

The model is all-MiniLM-L6-v2, shipped in ``bot/models/minilm`` as int8 ONNX (its provenance is in
``PROVENANCE.json`` there) and run with onnxruntime and tokenizers: no torch, nothing downloaded.
Embeddings of the knowledge base's phrasings are cached by the hash of each text, so a start-up
encodes only the phrasings it has not seen before.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import tempfile
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm"
#: Embeddings of the built-in knowledge base's texts, shipped beside the model.
SHIPPED_CACHE = MODEL_DIR / "phrasings.npz"
#: Phrasings are cut to this many tokens; they are far shorter.
MAX_TOKENS = 128
#: A question is read to this many tokens, its last ones (a model's cost grows with its length; a long post asks
#: at its end, and its asking sentence is read on its own as well).
MAX_QUERY_TOKENS = 48

#: How phrasings are read, part of the fingerprint: one at a time, as a question is. The int8 model quantizes
#: each run's activations together, so a text read in a batch comes out a little different from the same
#: text read alone (cosine about 0.99), and its vector would depend on the other texts of its batch.
_PHRASINGS_READ = "-alone"

Vectors = npt.NDArray[np.float32]
#: Embeddings as stored: half precision moves a similarity by less than 0.001.
HalfVectors = npt.NDArray[np.float16]


class SentenceEncoder:
    """Turns texts into unit vectors whose dot product says how alike their meanings are.

    >>> encoder = SentenceEncoder.shipped()
    >>> a, b, c = encoder.encode(["who builds the production system?",
    ...                           "which role puts models into production?", "what is the salary"])
    >>> bool(a @ b > a @ c)
    True
    """

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        provenance = json.loads((model_dir / "PROVENANCE.json").read_text(encoding="utf-8"))
        #: Changes whenever the model or its tokenizer changes; cached embeddings are keyed by it.
        self.fingerprint: str = (provenance["files"]["model.onnx"][:16] + provenance["files"]["tokenizer.json"][:16]
                                 + _PHRASINGS_READ)
        self.dimensions: int = int(provenance["dimensions"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # The extended optimizations give the same embeddings to the bit as all of them, as fast, and the layout
        # ones add nothing to a text model.
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        self._session = onnxruntime.InferenceSession(
            str(model_dir / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"])
        # One tokenizer (each copy costs about 9 MB), set up for phrasings in batches and, while a question is
        # read, for that question (see _run and encode_queries).
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # An onnxruntime session may run concurrently, but the tokenizer's settings may not.
        self._lock = threading.Lock()
        release_freed_memory()

    @staticmethod
    @cache
    def shipped() -> SentenceEncoder:
        """The shipped model, loaded once per process."""
        return SentenceEncoder()

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        """One unit row per text (zeros for an empty text)."""
        result = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        # Texts of similar length are batched together, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = [i for i in order[start : start + batch_size] if texts[i].strip()]
            if chunk:
                result[chunk] = self._run([texts[i] for i in chunk])
        return result

    def encode_query(self, text: str, *, max_tokens: int = MAX_QUERY_TOKENS) -> Vectors:
        """The unit vector of one question, read from its last ``max_tokens`` tokens (at most
        :data:`MAX_QUERY_TOKENS`)."""
        vector: Vectors = self.encode_queries([(text, max_tokens)])[0]
        return vector

    def encode_queries(self, queries: Sequence[tuple[str, int]]) -> Vectors:
        """The unit vectors of a few questions, each read from its last so many tokens (at most
        :data:`MAX_QUERY_TOKENS`), in one run of the model: a run costs a fixed part besides its tokens."""
        result = np.zeros((len(queries), self.dimensions), dtype=np.float32)
        rows: list[list[int]] = []
        with self._lock:
            # A question is read from its end, where a long post asks, so its cost stays bounded; tokenizer.json
            # pads to a fixed 128 tokens, and one question needs no padding at all.
            self._tokenizer.enable_truncation(max_length=MAX_QUERY_TOKENS, direction="left")
            self._tokenizer.no_padding()
            for text, limit in queries:
                if text.strip():
                    ids = self._tokenizer.encode(text).ids
                    # The tokenizer reads the last MAX_QUERY_TOKENS; fewer keep [CLS] and the last ones.
                    limit = min(limit, MAX_QUERY_TOKENS)
                    rows.append(ids if len(ids) <= limit else ids[:1] + ids[len(ids) - limit + 1:])
        if rows:
            width = max(len(row) for row in rows)
            masks = [[1] * len(row) + [0] * (width - len(row)) for row in rows]
            padded = [row + [0] * (width - len(row)) for row in rows]
            filled = [i for i, (text, _) in enumerate(queries) if text.strip()]
            result[filled] = self._feed(padded, masks)
        return result

    def _run(self, texts: list[str]) -> Vectors:
        """The embeddings of texts, each read to :data:`MAX_TOKENS` tokens."""
        with self._lock:
            self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
            self._tokenizer.enable_padding()
            encodings = self._tokenizer.encode_batch(texts)
        return self._feed([e.ids for e in encodings], [e.attention_mask for e in encodings])

    def _feed(self, rows: list[list[int]], masks: list[list[int]]) -> Vectors:
        feeds = {
            "input_ids": np.array(rows, dtype=np.int64),
            "attention_mask": np.array(masks, dtype=np.int64),
            "token_type_ids": np.zeros((len(rows), len(rows[0])), dtype=np.int64),
        }
        output: Any = self._session.run(None, feeds)[0]
        return np.asarray(output, dtype=np.float32)


def release_freed_memory() -> None:
    """Give the pages the C allocator holds free back to the system, where it can (glibc).

    Loading the model frees the graph it optimizes away, about 8 MB that glibc otherwise keeps for the
    process's lifetime; elsewhere this does nothing.
    """
    try:
        # The symbols already loaded into the process, glibc's among them on Linux.
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


@cache
def dictionary(model_dir: Path = MODEL_DIR) -> frozenset[str]:
    """The whole words of the shipped tokenizer's vocabulary: common English words, which a typo
    corrector leaves alone ("decade" is not a misspelt "decide"), unlike "scientst"."""
    try:
        vocabulary = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(word for word in vocabulary if word.isascii() and word.isalpha())


#: Embeddings computed in this process, by model fingerprint and text key, in half precision as on disk. It
#: holds the knowledge bases' phrasings only, never questions, so it grows with the knowledge, not with use.
_PROCESS_VECTORS: dict[str, dict[str, HalfVectors]] = {}


def text_key(text: str) -> str:
    """The cache key of a text."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]


class EmbeddingCache:
    """Embeddings by text, read from the shipped file and a writable folder (when given).

    Files are named by the encoder's fingerprint, so a new model never reads old vectors.
    """

    def __init__(self, encoder: SentenceEncoder, *, directory: Path | None = None,
                 shipped: Path | None = SHIPPED_CACHE) -> None:
        self.encoder = encoder
        self.directory = directory
        # Shared by every cache in the process (per model), so a reload or a second advisor encodes nothing again.
        self._vectors = _PROCESS_VECTORS.setdefault(encoder.fingerprint, {})
        for path in (shipped, self._path):
            if path is not None and path.is_file():
                self._vectors.update(_read(path, encoder.fingerprint))

    @property
    def _path(self) -> Path | None:
        return None if self.directory is None else self.directory / f"embeddings-{self.encoder.fingerprint}.npz"

    def embed(self, texts: Sequence[str]) -> Vectors:
        """The embeddings of ``texts``, encoding (and saving, when a folder is set) the unseen ones."""
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in self._vectors))
        if missing:
            # Read one at a time, as a question is (see _PHRASINGS_READ); kept in half precision, as saved, so a
            # phrasing scores the same before and after a restart.
            for text, vector in zip(missing, self.encoder.encode(missing, batch_size=1).astype(np.float16)):
                self._vectors[text_key(text)] = vector
            self._save()
        if not texts:
            return np.zeros((0, self.encoder.dimensions), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys], dtype=np.float32)

    def _save(self) -> None:
        path = self._path
        if path is None:
            return
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write(path, self._vectors.items(), self.encoder.fingerprint)
        except OSError:
            # A read-only data folder costs start-up time, not answers.
            return


def _read(path: Path, fingerprint: str) -> dict[str, HalfVectors]:
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["fingerprint"]) != fingerprint:
                return {}
            keys, vectors = data["keys"], data["vectors"].astype(np.float16, copy=False)
    except (OSError, KeyError, ValueError):
        return {}
    return {str(k): v for k, v in zip(keys, vectors)}


def write(path: Path, items: Iterable[tuple[str, Vectors | HalfVectors]], fingerprint: str) -> None:
    """Write embeddings atomically (half precision: similarities move by less than 0.001)."""
    pairs = sorted(items)
    keys = np.array([k for k, _ in pairs])
    vectors = np.stack([v for _, v in pairs]).astype(np.float16) if pairs else np.zeros((0, 0), np.float16)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as file:
        temporary = Path(file.name)
        try:
            np.savez(file, keys=keys, vectors=vectors, fingerprint=np.array(fingerprint))
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    temporary.replace(path)


class SemanticIndex:
    """Phrasing embeddings grouped by label: how close a question comes to each label's phrasings."""

    def __init__(self, vectors: Vectors, owners: npt.NDArray[np.intp], labels: int) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.owners = owners
        self.labels = labels
        counts = np.bincount(owners, minlength=labels)
        starts = np.searchsorted(owners, np.arange(labels))
        width = max(3, int(counts.max()) if len(counts) else 3)
        # Each label's phrasings as one row of positions, padded with a slot that is always -1.
        self._padded = np.full((labels, width), len(owners), dtype=np.intp)
        for label in range(labels):
            self._padded[label, : counts[label]] = np.arange(starts[label], starts[label] + counts[label])

    def scores(self, query: Vectors, *, exclude: int | None = None) -> tuple[Vectors, Vectors]:
        """Per label, the best cosine to one of its phrasings and the mean of its best three
        (-1 for a label without phrasings); ``exclude`` leaves one phrasing out."""
        similarities = np.empty(len(self.owners) + 1, dtype=np.float32)
        # einsum, not BLAS: once onnxruntime has run, OpenBLAS's threads make this product 20 times slower.
        similarities[:-1] = np.einsum("ij,j->i", self.vectors, query)
        similarities[-1] = -1.0
        if exclude is not None:
            similarities[exclude] = -1.0
        top = np.partition(similarities[self._padded], -3, axis=1)[:, -3:]
        return top.max(axis=1), top.mean(axis=1)
