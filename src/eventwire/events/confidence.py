"""Calibrated event confidence: the probability that an event's triple (source, target, type) is right.

A logistic regression over features every event carries (the coder's confidence, whether a target was
found, main or subordinate clause, how the code was found, how well the actors resolved, how many dyads
its clause gave, the sentence's length) turns the
extractor's heuristic score into a probability. It is trained by scripts/train_confidence.py on the tune
split of the triple-level gold set (docs/annotation.md) and shipped as events/data/confidence.json with
the default threshold chosen there (docs/evaluation.md); without that file events keep the heuristic.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eventwire.records import Event

CONFIDENCE_FILE = Path(__file__).resolve().parent / "data" / "confidence.json"
SOURCE_KINDS = ("person", "country", "organisation", "group")
FEATURES = (
    "heuristic",
    "code_confidence",
    "has_target",
    "is_main",
    "background",
    "future",
    "statement",
    "by_model",
    "by_noun",
    "source_country",
    "target_country",
    "source_resolution",
    *(f"source_{kind}" for kind in SOURCE_KINDS),
    *(f"quad_{q}" for q in (1, 2, 3, 4)),
    "known_source",
    "known_target",
    "same_country",
    "by_pattern",
    "by_verb",
    "by_intent",
    "sentence_length",
    "clause_dyads",
    "source_sector",
    "target_sector",
    "source_is_country",
    "target_is_country",
    "infinitive",
)


def event_features(event: Event, clause_dyads: int = 1) -> list[float]:
    """The calibration features of one event, in FEATURES order; `clause_dyads`: how many events its
    clause gave (see `clause_dyad_counts`)."""
    code, source, target = event.code, event.source, event.target
    return [
        event.confidence,
        code.confidence,
        float(target is not None),
        float(event.is_main),
        float(event.date.method == "background"),
        float(event.date.method == "future"),
        float(code.cameo.startswith("01")),
        float(code.rule.startswith("model")),
        float(code.rule.startswith("noun")),
        float(source.country is not None),
        float(target is not None and target.country is not None),
        source.confidence,
        *(float(source.kind == kind) for kind in SOURCE_KINDS),
        *(float(code.quad_class == q) for q in (1, 2, 3, 4)),
        float(bool(source.actor_id)),
        float(bool(target and target.actor_id)),
        float(bool(target and source.country and target.country == source.country)),
        float(code.rule.startswith("pattern")),
        float(code.rule.startswith("verb")),
        float(code.rule.startswith("intent")),
        len(event.mentions[0].sentence) / 200 if event.mentions else 0.0,
        float(clause_dyads),
        float(bool(source.sector)),
        float(bool(target and target.sector)),
        float(source.kind == "country"),
        float(target is not None and target.kind == "country"),
        float(event.predicate.startswith("to ")),
    ]


def clause_dyad_counts(events: Sequence[Event]) -> list[int]:
    """For each event, how many events of the list come from the same clause of the same sentence (a
    clause coded into many dyads is less likely right in each)."""
    def clause(event: Event) -> tuple[int, str]:
        return (event.mentions[0].start if event.mentions else -1, event.predicate)

    counts = Counter(clause(event) for event in events)
    return [counts[clause(event)] for event in events]


@dataclass(frozen=True)
class Calibrator:
    """A fitted logistic regression and the default threshold for exports and the web UI."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, event: Event, clause_dyads: int = 1) -> float:
        features = event_features(event, clause_dyads)
        z = self.intercept + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def calibrate(self, events: Sequence[Event]) -> None:
        """Replace each event's heuristic confidence by its calibrated probability."""
        probabilities = [self.probability(e, n) for e, n in zip(events, clause_dyad_counts(events), strict=True)]
        for event, probability in zip(events, probabilities, strict=True):
            event.confidence = probability


@cache
def load_calibrator(path: Path = CONFIDENCE_FILE) -> Calibrator | None:
    """The shipped calibrator, or None when there is none (or it was fitted on other features)."""
    if not path.is_file():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    if tuple(payload.get("features", ())) != FEATURES:
        return None
    return Calibrator(tuple(payload["weights"]), float(payload["intercept"]), float(payload["threshold"]))


def default_threshold() -> float:
    """The documented default --min-confidence (0 when no calibrator is shipped)."""
    calibrator = load_calibrator()
    return calibrator.threshold if calibrator else 0.0
