"""Near-duplicate articles (syndicated copies, light edits) by MinHash LSH over word shingles.

Articles are added one at a time: each is queried against the copies seen so far and
then indexed, so the cost per article is constant. A duplicate group is named after
its first article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from eventwire.records import Article
from eventwire.stories.text import shingle_hashes

#: Articles shorter than this many words are never called duplicates (headlines, stubs).
MIN_WORDS = 25


def _as_is(value: int) -> int:
    """Shingles arrive already hashed to 32 bits."""
    return value


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    """The MinHash permutations, generated once (they are the same for every article)."""
    return MinHash(num_perm=num_perm, scheme="affine32").permutations


@dataclass
class DuplicateIndex:
    """Streaming near-duplicate detection; `add` returns the group an article belongs to."""

    threshold: float = 0.8
    shingle_size: int = 5
    num_perm: int = 128
    group_of: dict[str, str] = field(default_factory=dict)
    _lsh: MinHashLSH | None = None
    _signatures: dict[str, np.ndarray] = field(default_factory=dict)

    def signature(self, text: str) -> MinHash | None:
        """MinHash of the text's shingles, or None for texts too short to compare."""
        grams = shingle_hashes(text, self.shingle_size)
        if len(grams) + self.shingle_size - 1 < MIN_WORDS:
            return None
        minhash = MinHash(
            num_perm=self.num_perm, permutations=_permutations(self.num_perm), scheme="affine32", hashfunc=_as_is
        )
        minhash.update_batch(grams.tolist())
        return minhash

    def add(self, article_id: str, text: str) -> str:
        """Index one article; return its group id (its own id when it copies nothing seen)."""
        if article_id in self.group_of:
            return self.group_of[article_id]
        minhash = self.signature(text)
        group = article_id
        if minhash is not None:
            lsh = self._index()
            match = self._best_match(lsh.query(minhash), minhash)
            if match is not None:
                group = self.group_of[match]
            lsh.insert(article_id, minhash)
            self._signatures[article_id] = minhash.hashvalues.astype(np.uint32)
        self.group_of[article_id] = group
        return group

    def signatures_of(self, article_ids: Iterable[str]) -> dict[str, bytes]:
        """The stored MinHash values of these articles (those long enough to have one), as bytes."""
        return {a: self._signatures[a].tobytes() for a in article_ids if a in self._signatures}

    def matches(self, minhash: MinHash, signature: bytes) -> float:
        """Estimated shingle Jaccard of a text's MinHash with a stored signature (`signatures_of`)."""
        return float(np.mean(np.frombuffer(signature, dtype=np.uint32) == minhash.hashvalues.astype(np.uint32)))

    def forget(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Drop articles from the index (later texts can no longer match them); return their groups."""
        groups = {}
        for article_id in article_ids:
            group = self.group_of.pop(article_id, None)
            if group is None:
                continue
            groups[article_id] = group
            if self._signatures.pop(article_id, None) is not None and self._lsh is not None:
                self._lsh.remove(article_id)
        return groups

    def _best_match(self, candidates: list[str], minhash: MinHash) -> str | None:
        values = minhash.hashvalues.astype(np.uint32)
        scored = [(float(np.mean(self._signatures[c] == values)), c) for c in candidates]
        scored = [(s, c) for s, c in scored if s >= self.threshold]
        return max(scored)[1] if scored else None

    def _index(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        return self._lsh


def find_duplicates(
    articles: Iterable[Article], threshold: float = 0.8, shingle_size: int = 5, num_perm: int = 128
) -> dict[str, str]:
    """Map every article id to its near-duplicate group id (the first article of the group)."""
    index = DuplicateIndex(threshold=threshold, shingle_size=shingle_size, num_perm=num_perm)
    for article in articles:
        index.add(article.article_id, article.text)
    return dict(index.group_of)
