"""CAMEO and PLOVER reference tables and the compiled PETRARCH2 verb dictionary.

Owns what a CAMEO code means: its label, Goldstein score, quad class, ConfliBERT class, PLOVER
event and mode, and which verb lemmas (with particles, prepositions, object nouns) express it.
The data is `data/coding_tables.json.gz`, built by `scripts/build_coding_tables.py` and loaded
lazily, once per process.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eventwire.records import EventCode

DATA_FILE = Path(__file__).with_name("data") / "coding_tables.json.gz"

#: PLOVER event used for CAMEO 01x statements that PLOVER does not code as events.
STATEMENT = "STATEMENT"
#: Code returned by a dictionary pattern that recognises a phrase as "no event".
NO_EVENT = "---"

#: English prepositions, as pattern words (a pattern made of them alone constrains the verb's own phrase).
PREPOSITIONS = frozenset({
    "about", "above", "across", "after", "against", "along", "amid", "among", "around", "as", "at",
    "before", "behind", "between", "by", "during", "for", "from", "in", "into", "near", "of", "off",
    "on", "onto", "over", "since", "through", "to", "toward", "towards", "under", "until", "upon",
    "with", "within", "without",
})  # fmt: skip

_WORD_RE = re.compile(r"[a-z][a-z'-]*")


def cameo_root(code: str) -> int:
    """The two-digit CAMEO root as an int: "0431" -> 4, "190" -> 19."""
    return int(code[:2])


def quad_class(code: str) -> int:
    """CAMEO quad class: 1 verbal coop (01-05), 2 material coop (06-08), 3 verbal conflict (09-13),
    4 material conflict (14-20)."""
    root = cameo_root(code)
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def conflibert_class(code: str) -> int:
    """ConfliBERT's five classes (the Phoenix "pentaclass"): 0 statement/appeal (01-02),
    1 verbal cooperation (03-05), 2 material cooperation (06-08), 3 verbal conflict (09-13 and 16,
    reduce relations/sanction), 4 material conflict (14-15, 17-20)."""
    root = cameo_root(code)
    if root <= 2:
        return 0
    return 3 if root == 16 else quad_class(code)


def normalize_word(word: str) -> str:
    """Lower-case a word and strip English plural/possessive endings ("talks" -> "talk")."""
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")) and len(word) > 4:
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalized_words(text: str) -> list[str]:
    """The words of a text, normalized with `normalize_word`."""
    return [normalize_word(w) for w in _WORD_RE.findall(text.lower())]


@dataclass(frozen=True)
class VerbPattern:
    """A dictionary pattern: words required before/after the verb (each a set of alternatives)."""

    code: str
    before: tuple[frozenset[str], ...]
    after: tuple[frozenset[str], ...]
    specificity: float
    rule: str

    def matches(self, before: set[str], after: set[str]) -> bool:
        """Whether every required word occurs on its side of the verb."""
        return all(alts & before for alts in self.before) and all(alts & after for alts in self.after)


@dataclass(frozen=True)
class VerbEntry:
    """A verb lemma in the dictionary: its default code (None: needs a pattern) and patterns."""

    lemma: str
    code: str | None
    synset: str
    patterns: tuple[VerbPattern, ...]


class CodingTables:
    """Lookups over the compiled tables (one instance per process via `load_tables`)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.meta: dict[str, Any] = raw["meta"]
        self._cameo: dict[str, dict[str, Any]] = raw["cameo"]
        self._plover: dict[str, list[str | None]] = raw["plover"]
        self._raw_verbs: dict[str, dict[str, Any]] = raw["verbs"]
        self._event_nouns: dict[str, str] = raw.get("event_nouns", {})
        self._verbs: dict[str, VerbEntry | None] = {}

    def codes(self) -> list[str]:
        """All CAMEO codes with a label or Goldstein score."""
        return sorted(self._cameo)

    def label(self, code: str) -> str:
        """The CAMEO label, e.g. "Criticize or denounce" ("" if unknown)."""
        return (self._cameo.get(code) or {}).get("label") or ""

    def goldstein(self, code: str) -> float:
        """Goldstein score of a code, from the nearest ancestor when the code has none."""
        for key in _ancestors(code):
            value = (self._cameo.get(key) or {}).get("goldstein")
            if value is not None:
                return float(value)
        return 0.0

    def plover(self, code: str) -> tuple[str, str | None]:
        """(PLOVER event, mode or None) for a CAMEO code, falling back to its ancestors."""
        for key in _ancestors(code):
            if key in self._plover:
                event, mode, _ = self._plover[key]
                return str(event), mode
        return STATEMENT, None

    def plover_context(self, code: str) -> str | None:
        """PLOVER context for a code (e.g. "military"), if the mapping gives one."""
        for key in _ancestors(code):
            if key in self._plover:
                return self._plover[key][2]
        return None

    def is_known(self, code: str) -> bool:
        return code in self._cameo or code in self._plover

    def verb(self, lemma: str) -> VerbEntry | None:
        """The dictionary entry for a verb lemma, or None if the dictionary does not know it."""
        if lemma not in self._verbs:
            raw = self._raw_verbs.get(lemma)
            self._verbs[lemma] = _verb_entry(lemma, raw) if raw else None
        return self._verbs[lemma]

    def event_noun(self, noun: str) -> str | None:
        """The code an event noun carries as the object of a light verb ("talks" -> 046)."""
        return self._event_nouns.get(normalize_word(noun))

    def verb_lemmas(self) -> list[str]:
        return sorted(self._raw_verbs)

    def make_code(self, cameo: str, confidence: float = 0.0, rule: str = "") -> EventCode:
        """A full EventCode for a CAMEO code."""
        plover, mode = self.plover(cameo)
        return EventCode(
            cameo=cameo,
            plover=plover,
            mode=mode,
            goldstein=self.goldstein(cameo),
            quad_class=quad_class(cameo),
            confidence=round(confidence, 3),
            rule=rule,
        )


def _ancestors(code: str) -> list[str]:
    """The code and its parents: "0861" -> ["0861", "086", "08"]."""
    return [code[:n] for n in range(len(code), 1, -1)]


def _verb_entry(lemma: str, raw: dict[str, Any]) -> VerbEntry:
    patterns = tuple(
        VerbPattern(
            code=code,
            before=tuple(frozenset(alts) for alts in before),
            after=tuple(frozenset(alts) for alts in after),
            specificity=float(weight),
            rule=rule,
        )
        for code, before, after, weight, rule in raw.get("patterns", [])
    )
    return VerbEntry(lemma=lemma, code=raw.get("code"), synset=raw.get("synset", ""), patterns=patterns)


@cache
def load_tables(path: str | None = None) -> CodingTables:
    """Read the compiled tables once per process."""
    with gzip.open(Path(path) if path else DATA_FILE, "rt", encoding="utf-8") as handle:
        return CodingTables(json.load(handle))


def cameo_label(code: str) -> str:
    """Label of a CAMEO code."""
    return load_tables().label(code)


def goldstein(code: str) -> float:
    """Goldstein score of a CAMEO code."""
    return load_tables().goldstein(code)


def plover_for(code: str) -> tuple[str, str | None]:
    """(PLOVER event, mode) of a CAMEO code."""
    return load_tables().plover(code)


def make_code(cameo: str, confidence: float = 0.0, rule: str = "") -> EventCode:
    """An EventCode (PLOVER, mode, Goldstein, quad class) for a CAMEO code."""
    return load_tables().make_code(cameo, confidence, rule)
