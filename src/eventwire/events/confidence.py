"""Calibrated event confidence: the probability that an event's triple (source, target, type) is right.

A logistic regression over features every event carries turns the extractor's heuristic score into a
probability: the coder's confidence and its classifier's probability of the event's class, how the code
was found (pattern, verb, noun, classifier), how the actors resolved (known, named, a bare role noun, a
country, an international body), and how extraction found the event (`Event.signals`, recorded by
`clause_signals` and `count_signals`: the clause's kind, voice and modality, how many dependency arcs
separate each actor from the verb, whether the role classifier chose the target, how many participants
the clause, events the sentence and dyads the clause gave). Its inputs are standardised and the
standardisation folded into the weights, so the model is one weight per feature and an intercept.
It is trained by scripts/train_confidence.py on the tune split of the triple-level gold set
(docs/annotation.md) and shipped as events/data/confidence.json with the default threshold chosen
there (docs/evaluation.md); without that file, or with one fitted on other features, events keep the
heuristic.
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
#: How a clause verb hangs in its sentence (its dependency label) -> the clause kind signalled.
CLAUSE_KINDS = {
    "relcl": "relative", "acl": "relative", "ccomp": "complement", "xcomp": "complement", "advcl": "adverbial",
    "pcomp": "adverbial", "conj": "conjunct", "parataxis": "conjunct",
}  # fmt: skip
MAX_HOPS = 8
#: The signals of `Event.signals` the model reads (a missing one reads 0).
SIGNALS = (
    "clause_main",
    "clause_relative",
    "clause_complement",
    "clause_adverbial",
    "clause_conjunct",
    "clause_nominal",
    "passive",
    "modality_intent",
    "modality_reported",
    "source_hops",
    "target_hops",
    "target_by_model",
    "clause_sources",
    "clause_targets",
    "sentence_clauses",
    "sentence_events",
    "clause_dyads",
)
#: The coder's class probability read when no classifier coded the event.
UNKNOWN_CLASS_PROBABILITY = 0.5
FEATURES = (
    "heuristic",
    "code_confidence",
    "class_probability",
    "has_target",
    "is_main",
    "background",
    "future",
    "statement",
    "by_model",
    "by_noun",
    "by_pattern",
    "by_verb",
    "by_intent",
    *(f"quad_{q}" for q in (1, 2, 3, 4)),
    "source_country",
    "target_country",
    "source_resolution",
    *(f"source_is_{kind}" for kind in SOURCE_KINDS),
    "target_is_country",
    "known_source",
    "known_target",
    "same_country",
    "source_sector",
    "target_sector",
    "role_noun_source",
    "role_noun_target",
    "sentence_length",
    "predicate_words",
    "infinitive",
    *SIGNALS,
)


def event_features(event: Event) -> list[float]:
    """The calibration features of one event, in FEATURES order."""
    code, source, target, signals = event.code, event.source, event.target, event.signals
    class_probability = code.class_probability
    return [
        event.confidence,
        code.confidence,
        UNKNOWN_CLASS_PROBABILITY if class_probability is None else class_probability,
        float(target is not None),
        float(event.is_main),
        float(event.date.method == "background"),
        float(event.date.method == "future"),
        float(code.cameo.startswith("01")),
        float(code.rule.startswith("model")),
        float(code.rule.startswith("noun")),
        float(code.rule.startswith("pattern")),
        float(code.rule.startswith("verb")),
        float(code.rule.startswith("intent")),
        *(float(code.quad_class == q) for q in (1, 2, 3, 4)),
        float(source.country is not None),
        float(target is not None and target.country is not None),
        source.confidence,
        *(float(source.kind == kind) for kind in SOURCE_KINDS),
        float(target is not None and target.kind == "country"),
        float(bool(source.actor_id)),
        float(bool(target and target.actor_id)),
        float(bool(target and source.country and target.country == source.country)),
        float(bool(source.sector)),
        float(bool(target and target.sector)),
        float(_role_noun(source)),
        float(target is not None and _role_noun(target)),
        len(event.mentions[0].sentence) / 200 if event.mentions else 0.0,
        float(len(event.predicate.split())),
        float(event.predicate.startswith("to ")),
        *(float(signals.get(name, 0.0)) for name in SIGNALS),
    ]


def _role_noun(actor: ActorRef) -> bool:
    """An actor named only by its role ('police', 'protesters'): no name, no known identity, a sector."""
    return not actor.name and not actor.actor_id and bool(actor.sector)


def clause_signals(
    clause: Clause, sent: Span, source: ActorRef, target: ActorRef | None, by_model: bool, clauses: int
) -> dict[str, float]:
    """What the parse says about how an event was found, for `Event.signals`: the clause's kind (main,
    relative, complement, adverbial, conjunct; an event noun), voice and modality, the dependency arcs
    from each actor to the verb, whether the role classifier chose the target (`by_model`), and how many
    participants the clause and clauses the sentence (`clauses`) have."""
    verb, predicate = clause.verb, clause.predicate
    kind = "nominal" if verb.pos_ in ("NOUN", "PROPN") else CLAUSE_KINDS.get(verb.dep_, "main")
    return {
        f"clause_{kind}": 1.0,
        "passive": float(is_passive(verb)),
        f"modality_{predicate.modality}": 1.0,
        "source_hops": float(_hops_to(verb, sent, source)),
        "target_hops": float(_hops_to(verb, sent, target)) if target is not None else 0.0,
        "target_by_model": float(by_model),
        "clause_sources": float(len(clause.sources)),
        "clause_targets": float(len(clause.targets)),
        "sentence_clauses": float(clauses),
    }


def _hops_to(verb: Token, sent: Span, actor: ActorRef) -> int:
    """Dependency arcs from the head of the actor's phrase to the verb (MAX_HOPS at most, and when the phrase
    is not in the sentence, as for a pronoun's antecedent)."""
    start = sent.text.find(actor.text) if actor.text else -1
    if start < 0:
        return MAX_HOPS
    span = sent.doc.char_span(sent.start_char + start, sent.start_char + start + len(actor.text), "expand")
    if span is None:
        return MAX_HOPS
    return min(len(dependency_path(span.root, verb)[0]), MAX_HOPS)


def count_signals(events: Sequence[Event]) -> None:
    """Add to each event's signals how many events of the list its sentence gave (`sentence_events`) and
    how many its clause gave (`clause_dyads`: a clause coded into many dyads is less likely right in each)."""

    def sentence(event: Event) -> int:
        return event.mentions[0].start if event.mentions else -1

    def clause(event: Event) -> tuple[int, str]:
        return (sentence(event), event.predicate)

    per_sentence = Counter(sentence(event) for event in events)
    per_clause = Counter(clause(event) for event in events)
    for event in events:
        event.signals["sentence_events"] = float(per_sentence[sentence(event)])
        event.signals["clause_dyads"] = float(per_clause[clause(event)])


@dataclass(frozen=True)
class Calibrator:
    """A fitted logistic regression and the default threshold for exports and the web UI."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, event: Event) -> float:
        features = event_features(event)
        z = self.intercept + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def calibrate(self, events: Sequence[Event]) -> None:
        """Replace each event's heuristic confidence by its calibrated probability."""
        probabilities = [self.probability(event) for event in events]
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
