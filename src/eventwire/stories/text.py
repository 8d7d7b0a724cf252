"""Text features for stories: hashed TF-IDF with streaming document frequencies, sentences, shingles.

Terms are hashed (no vocabulary to grow), and document frequencies are counted as
articles arrive, so the weights need no fitting pass over the whole collection. A
vector is a small dict {term index: weight}, L2-normalised and cut to its strongest
terms, which keeps similarity and centroids cheap.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from eventwire.timex import WEEKDAYS

Vector = dict[int, float]

N_FEATURES = 2**20
#: Words frequent in news whatever the story; dropped along with spaCy's English stop words.
NEWS_STOP_WORDS = frozenset(
    [
        "said",
        "says",
        "told",
        "tell",
        "also",
        "would",
        "could",
        "year",
        "years",
        "percent",
        "per",
        "cent",
        "people",
        "time",
        "new",
        "like",
        "including",
        "according",
        "reported",
        "report",
        "reports",
        "week",
        "month",
        "day",
        "today",
        *WEEKDAYS,
        "mr",
        "mrs",
        "ms",
        "just",
        "one",
        "two",
        "three",
        "first",
        "last",
        "many",
        "much",
        "well",
        "since",
        "still",
        "even",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words plus common news words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | NEWS_STOP_WORDS


@lru_cache(maxsize=1)
def hashing_vectorizer() -> HashingVectorizer:
    """Content words (unigrams: bigrams dilute story signal), hashed, raw counts (weighting is done here)."""
    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=True,
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_'’-]{2,}\b",
        stop_words=sorted(stop_words()),
        ngram_range=(1, 1),
        dtype=np.float32,
    )


class TermWeights:
    """Document frequencies counted over the stream; turns texts into TF-IDF vectors."""

    def __init__(self, max_terms: int = 80) -> None:
        self.max_terms = max_terms
        self.documents = 0
        self._df = np.zeros(N_FEATURES, dtype=np.int32)

    def add_documents(self, texts: Sequence[str]) -> list[Vector]:
        """Count the texts' terms as seen, then return each text's vector."""
        matrix = hashing_vectorizer().transform(texts).tocsr()
        vectors: list[Vector] = []
        for row in range(matrix.shape[0]):
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            indices = matrix.indices[start:end]
            self.documents += 1
            self._df[indices] += 1
            vectors.append(self._weigh(indices, matrix.data[start:end]))
        return vectors

    def vectors(self, texts: Sequence[str], max_terms: int | None = None) -> list[Vector]:
        """Vectors for texts without counting them as documents (sentences, titles)."""
        matrix = hashing_vectorizer().transform(texts).tocsr()
        out = []
        for row in range(matrix.shape[0]):
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            out.append(self._weigh(matrix.indices[start:end], matrix.data[start:end], max_terms))
        return out

    def _weigh(self, indices: np.ndarray, counts: np.ndarray, max_terms: int | None = None) -> Vector:
        if len(indices) == 0:
            return {}
        n = max(self.documents, 1)
        idf = np.log((1.0 + n) / (1.0 + self._df[indices])) + 1.0
        weights = (1.0 + np.log(counts)) * idf
        limit = max_terms or self.max_terms
        if len(weights) > limit:
            keep = np.argpartition(-weights, limit - 1)[:limit]
            indices, weights = indices[keep], weights[keep]
        norm = float(np.sqrt(np.dot(weights, weights))) or 1.0
        return {int(i): float(w) / norm for i, w in zip(indices, weights, strict=True)}


def cosine(vector: dict[Any, float], centroid: dict[Any, float], centroid_norm: float) -> float:
    """Cosine of a unit vector with an un-normalised centroid of known norm."""
    if not vector or centroid_norm <= 0:
        return 0.0
    get = centroid.get
    return sum(w * get(k, 0.0) for k, w in vector.items()) / centroid_norm


def add_into(centroid: dict[Any, float], vector: dict[Any, float], norm: float) -> float:
    """Add `vector` into `centroid` in place; return the centroid's new norm."""
    dot = sum(w * centroid.get(k, 0.0) for k, w in vector.items())
    for k, w in vector.items():
        centroid[k] = centroid.get(k, 0.0) + w
    squared = norm * norm + 2.0 * dot + sum(w * w for w in vector.values())
    return math.sqrt(max(squared, 0.0))


def unit(weights: dict[str, float]) -> dict[str, float]:
    """L2-normalise a keyed weight map."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a text, by punctuation and blank lines."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _append_span(spans, text, start, match.start())
        start = match.end()
    _append_span(spans, text, start, len(text))
    return spans


def _append_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped[0])
        spans.append((offset, offset + len(stripped)))


def words(text: str) -> list[str]:
    """Lower-cased word tokens (for shingles)."""
    return _WORD.findall(text.lower())


def shingle_hashes(text: str, size: int = 5) -> np.ndarray:
    """Distinct 32-bit hashes of the text's word n-grams (a rolling hash over word CRCs)."""
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint32)
    hashes = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = min(size, len(hashes))
    grams = np.zeros(len(hashes) - width + 1, dtype=np.uint64)
    for offset in range(width):
        grams = grams * np.uint64(1_000_003) + hashes[offset : offset + len(grams)]
    folded = (grams ^ (grams >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded).astype(np.uint32)


def top_terms(vector: Vector, n: int) -> list[int]:
    """The n strongest term indices of a vector."""
    return [k for k, _ in sorted(vector.items(), key=lambda kv: -kv[1])[:n]]


def weighted_keys(items: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Sum weights per key."""
    out: dict[str, float] = {}
    for key, weight in items:
        out[key] = out.get(key, 0.0) + weight
    return out
