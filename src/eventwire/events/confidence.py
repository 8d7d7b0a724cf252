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

from spacy.tokens import Span, Token

from eventwire.events.clauses import Clause
from eventwire.events.roles import dependency_path, is_passive
from eventwire.records import ActorRef, Event

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


#: How a clause verb hangs in its sentence (its dependency label) -> the clause kind signalled.
CLAUSE_KINDS = {
    "relcl": "relative", "acl": "relative", "ccomp": "complement", "xcomp": "complement", "advcl": "adverbial",
    "pcomp": "adverbial", "conj": "conjunct", "parataxis": "conjunct",
}  # fmt: skip
MAX_HOPS = 8


def clause_signals(
    clause: Clause, sent: Span, source: ActorRef, target: ActorRef | None, by_model: bool, clauses: int
) -> dict[str, float]:
    """What the parse says about how an event was found, for `Event.signals`: the clause's kind (main,
    relative, complement, adverbial, conjunct; an event noun), voice and modality, the dependency arcs
    from each actor to the verb, whether the role classifier chose the target (`by_model`), and how many
    participants the clause and clauses the sentence (`clauses`) have."""
    verb, predicate = clause.verb, clause.predicate
    kind = "nominal" if verb.pos_ in ("NOUN", "PROPN") else CLAUSE_KINDS.get(verb.dep_, "main")
    source_hops = _hops_to(verb, sent, source)
    target_hops = _hops_to(verb, sent, target) if target is not None else 0
    return {
        f"clause_{kind}": 1.0,
        "passive": float(is_passive(verb)),
        f"modality_{predicate.modality}": 1.0,
        "negated": float(predicate.negated),
        "source_hops": float(source_hops if source_hops is not None else MAX_HOPS),
        "source_elsewhere": float(source_hops is None),
        "target_hops": float(target_hops if target_hops is not None else MAX_HOPS),
        "target_by_model": float(by_model),
        "clause_sources": float(len(clause.sources)),
        "clause_targets": float(len(clause.targets)),
        "sentence_clauses": float(clauses),
    }


def _hops_to(verb: Token, sent: Span, actor: ActorRef) -> int | None:
    """Dependency arcs from the head of the actor's phrase to the verb (None: the phrase is not in the sentence,
    as for a pronoun's antecedent)."""
    start = sent.text.find(actor.text) if actor.text else -1
    if start < 0:
        return None
    span = sent.doc.char_span(sent.start_char + start, sent.start_char + start + len(actor.text), "expand")
    if span is None:
        return None
    return min(len(dependency_path(span.root, verb)[0]), MAX_HOPS)


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
