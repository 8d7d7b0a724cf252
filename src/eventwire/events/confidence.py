"""Calibrated event confidence: the probability that an event's triple (source, target, type) is right.

A logistic regression over features every event carries (the coder's confidence, whether a target was
found, main or subordinate clause, how the code was found, how well the actors resolved) turns the
extractor's heuristic score into a probability. It is trained by scripts/train_confidence.py on the tune
split of the triple-level gold set (docs/annotation.md) and shipped as events/data/confidence.json with
the default threshold chosen there (docs/evaluation.md); without that file events keep the heuristic.
"""

from __future__ import annotations

import json
import math
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
)


def event_features(event: Event) -> list[float]:
    """The calibration features of one event, in FEATURES order."""
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
    ]


@dataclass(frozen=True)
class Calibrator:
    """A fitted logistic regression and the default threshold for exports and the web UI."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, event: Event) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.weights, event_features(event), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def calibrate(self, events: Sequence[Event]) -> None:
        """Replace each event's heuristic confidence by its calibrated probability."""
        for event in events:
            event.confidence = self.probability(event)


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
