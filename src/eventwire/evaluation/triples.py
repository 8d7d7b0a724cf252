"""Triple-level scores on the gold set: (source actor + country, target actor + country, PLOVER type).

Each gold sentence goes through the article path (one `nlp.pipe` parse, clauses, actors, coder;
no sentence-classifier back-off, which articles never get) and its events are matched one to one
with the sentence's gold events:

- type: the same PLOVER type;
- each actor: the predicted phrase overlaps the gold span in the sentence and, when the gold code
  names a country (or an IGO), the predicted actor has that country (or is an IGO);
- target: both absent, or matching as above.

Only gold events with status `asserted` and a source must be found. A prediction matching a gold
`intent` event (under its type or as CAMEO's intent, AGREE) or an agentless one is neither rewarded nor
counted wrong; one matching a `negated` or `hypothetical` event is a false
positive (an unasserted event asserted). Every miss is put down to one cause (`CAUSES`).
The baseline is learned the same way: a TF-IDF + logistic regression sentence classifier of the
sentence's first gold type, trained on the tune split, with the first two named entities as source
and target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from eventwire.evaluation.gold import GOLD_DIR, SentenceRef, load_labels, load_sentences
from eventwire.evaluation.pipeline_eval import CAMEO_COUNTRY_FIXES

SCORED = "asserted"
#: A gold event with no source named (an agentless passive): no triple can be right or wrong about it.
UNATTRIBUTED = "unattributed"
OPTIONAL = {"intent", UNATTRIBUTED}
CAUSES = (
    "event in a no-event sentence",
    "unasserted event asserted",
    "wrong source",
    "wrong target",
    "wrong type",
    "spurious event",
    "missed event",
)


@dataclass
class Actor:
    """An actor of an event as scored: where it is in the sentence and its country (or IGO)."""

    text: str
    start: int | None
    end: int | None
    country: str | None = None
    is_igo: bool = False


@dataclass
class ScoredEvent:
    plover: str
    source: Actor
    target: Actor | None
    status: str = SCORED
    confidence: float = 1.0
    record: Any = None  # the system's Event, for calibration features


@dataclass
class SentenceScore:
    gold_id: str
    true_positives: int = 0
    false_positives: list[str] = field(default_factory=list)  # causes
    false_negatives: list[str] = field(default_factory=list)
    outcomes: list[tuple[ScoredEvent, bool]] = field(default_factory=list)  # each scored prediction: right?


def gold_events(events: Sequence[dict[str, Any]], text: str) -> list[ScoredEvent]:
    """Adjudicated gold events of one sentence as scored events."""
    return [
        ScoredEvent(
            plover=str(event["plover"]).upper(),
            source=_gold_actor(event.get("source") or {}, text),
            target=_gold_actor(event["target"], text) if event.get("target") else None,
            status=event.get("status", SCORED) if event.get("source") else UNATTRIBUTED,
        )
        for event in events
    ]


def _gold_actor(span: dict[str, Any], text: str) -> Actor:
    start = span.get("start")
    if start is None and span.get("text"):
        found = text.find(span["text"])
        start = found if found >= 0 else None
    end = start + len(span.get("text", "")) if start is not None else None
    code = str(span.get("code") or "").upper()
    return Actor(text=span.get("text", ""), start=start, end=end, country=code_country(code), is_igo=code[:3] == "IGO")


@cache
def code_country(code: str) -> str | None:
    """The ISO3 country a CAMEO-style actor code starts with, if it starts with one."""
    import pycountry

    head = CAMEO_COUNTRY_FIXES.get(code[:3], code[:3])
    return head if len(head) == 3 and pycountry.countries.get(alpha_3=head) else None


def predicted_actor(ref: dict[str, Any] | None, text: str) -> Actor | None:
    """A predicted actor (an event's `to_json` source/target) located in the sentence."""
    if not ref:
        return None
    written = ref.get("text") or ""
    start = _locate(written, text)
    return Actor(
        text=written,
        start=start,
        end=start + len(written) if start is not None else None,
        country=ref.get("country"),
        is_igo=ref.get("sector") == "IGO" or str(ref.get("code") or "").startswith("IGO"),
    )


def _locate(phrase: str, text: str) -> int | None:
    if not phrase:
        return None
    found = text.find(phrase)
    if found < 0:
        found = text.lower().find(phrase.lower())
    return found if found >= 0 else None


def actor_matches(predicted: Actor | None, gold: Actor | None) -> bool:
    """Same phrase (overlapping spans) and a compatible country."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    if None in (predicted.start, predicted.end, gold.start, gold.end):
        return False
    if not (predicted.start < gold.end and gold.start < predicted.end):  # type: ignore[operator]
        return False
    if gold.is_igo:
        return predicted.is_igo
    return gold.country is None or predicted.country == gold.country


def event_matches(predicted: ScoredEvent, gold: ScoredEvent) -> bool:
    """Same type (an announced act may also be coded as CAMEO's intent, AGREE), source and target."""
    same_type = predicted.plover == gold.plover or (gold.status == "intent" and predicted.plover == "AGREE")
    return (
        same_type
        and actor_matches(predicted.source, gold.source)
        and actor_matches(predicted.target, gold.target)
    )


def score_sentence(gold_id: str, predicted: list[ScoredEvent], gold: list[ScoredEvent]) -> SentenceScore:
    """One-to-one matching of a sentence's predicted and gold events, with a cause for every miss."""
    score = SentenceScore(gold_id)
    free_gold = list(gold)
    unmatched: list[ScoredEvent] = []
    for event in sorted(predicted, key=lambda e: -e.confidence):
        match = next((g for g in free_gold if event_matches(event, g)), None)
        if match is None:
            unmatched.append(event)
            score.outcomes.append((event, False))
            continue
        free_gold.remove(match)
        if match.status == SCORED:
            score.true_positives += 1
            score.outcomes.append((event, True))
        elif match.status not in OPTIONAL:
            score.false_positives.append("unasserted event asserted")
            score.outcomes.append((event, False))
    asserted_gold = [g for g in free_gold if g.status == SCORED]
    for event in unmatched:
        score.false_positives.append(_false_positive_cause(event, gold))
    for event in asserted_gold:
        score.false_negatives.append(_false_negative_cause(event, unmatched))
    return score


def _false_positive_cause(event: ScoredEvent, gold: list[ScoredEvent]) -> str:
    if not gold:
        return "event in a no-event sentence"
    return _nearest_cause(event, gold, default="spurious event")


def _false_negative_cause(event: ScoredEvent, predicted: list[ScoredEvent]) -> str:
    return _nearest_cause(event, predicted, default="missed event")


def _nearest_cause(event: ScoredEvent, others: Iterable[ScoredEvent], default: str) -> str:
    """Which single part is wrong in the closest other event (two parts wrong: `default`)."""
    for other in others:
        same_type = other.plover == event.plover
        same_source = actor_matches(other.source, event.source)
        same_target = actor_matches(other.target, event.target)
        if same_type and same_target and not same_source:
            return "wrong source"
        if same_type and same_source and not same_target:
            return "wrong target"
        if same_source and same_target and not same_type:
            return "wrong type"
    return default


def totals(scores: Iterable[SentenceScore]) -> dict[str, Any]:
    """Precision, recall, F1 and the count of each cause."""
    scores = list(scores)
    tp = sum(s.true_positives for s in scores)
    fp = sum(len(s.false_positives) for s in scores)
    fn = sum(len(s.false_negatives) for s in scores)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    causes = Counter(c for s in scores for c in [*s.false_positives, *s.false_negatives])
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "sentences": len(scores),
        "causes": {cause: causes.get(cause, 0) for cause in CAUSES},
    }


def system_events(refs: Sequence[SentenceRef], resources: Any, extractor: Any = None) -> dict[str, list[ScoredEvent]]:
    """Every gold sentence through the article path (or another extractor): sentence id -> its events."""
    docs = resources.nlp.pipe([ref.text for ref in refs], batch_size=64)
    items = [(doc, ref.gold_id, None) for doc, ref in zip(docs, refs, strict=True)]
    predicted = (extractor or resources.extractor).extract_batch(items)
    return {
        ref.gold_id: [_scored(event, ref.text) for event in events]
        for ref, events in zip(refs, predicted, strict=True)
    }


def _scored(record: Any, text: str) -> ScoredEvent:
    event = record.to_json()
    source = predicted_actor(event["source"], text)
    assert source is not None
    return ScoredEvent(
        plover=event["plover"],
        source=source,
        target=predicted_actor(event.get("target"), text),
        confidence=float(record.confidence),
        record=record,
    )


def sentence_scores(
    refs: Sequence[SentenceRef], predicted: dict[str, list[ScoredEvent]], labels: dict[str, list[dict[str, Any]]]
) -> list[SentenceScore]:
    return [
        score_sentence(ref.gold_id, predicted.get(ref.gold_id, []), gold_events(labels[ref.gold_id], ref.text))
        for ref in refs
    ]


def baseline_events(
    train: Sequence[SentenceRef], test: Sequence[SentenceRef], labels: dict[str, list[dict[str, Any]]], resources: Any
) -> dict[str, list[ScoredEvent]]:
    """The learned baseline: sentence type classifier + first two named entities as source and target,
    their countries from the same actor dictionary as eventwire's."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = [ref.text for ref in train]
    types = [_first_type(labels.get(ref.gold_id, [])) for ref in train]
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(max_iter=1000))
    model.fit(texts, types)
    predicted_types = model.predict([ref.text for ref in test])
    events: dict[str, list[ScoredEvent]] = {}
    docs = resources.nlp.pipe([r.text for r in test])
    for ref, doc, plover in zip(test, docs, predicted_types, strict=True):
        names = [ent for ent in doc.ents if ent.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        if plover == "NONE" or not names:
            events[ref.gold_id] = []
            continue
        actors = [_named_actor(ent, resources.resolver) for ent in names[:2]]
        events[ref.gold_id] = [ScoredEvent(str(plover), actors[0], actors[1] if len(actors) > 1 else None)]
    return events


def _named_actor(ent: Any, resolver: Any) -> Actor:
    ref = resolver.resolve_text(ent.text)
    return Actor(ent.text, ent.start_char, ent.end_char, country=ref.country, is_igo=ref.sector == "IGO")


def _first_type(events: list[dict[str, Any]]) -> str:
    asserted = [e for e in events if e.get("status", SCORED) == SCORED]
    return str(asserted[0]["plover"]).upper() if asserted else "NONE"


def at_threshold(events: dict[str, list[ScoredEvent]], threshold: float) -> dict[str, list[ScoredEvent]]:
    return {key: [e for e in value if e.confidence >= threshold] for key, value in events.items()}


def score_all(
    refs: Sequence[SentenceRef], predicted: dict[str, list[ScoredEvent]], labels: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    return totals(sentence_scores(refs, predicted, labels))


def load_gold_set(shared: Path, gold_dir: Path = GOLD_DIR) -> tuple[list[SentenceRef], dict[str, list[dict]]]:
    """Sentences (with texts) and labels of the gold set; only labelled sentences are kept."""
    labels = load_labels(gold_dir / "labels.jsonl")
    refs = [ref for ref in load_sentences(gold_dir / "sentences.jsonl", shared) if ref.gold_id in labels]
    return refs, labels


def calibration(scores: Sequence[SentenceScore], bins: int = 10) -> dict[str, Any]:
    """How well confidence predicts a right triple: Brier score, expected calibration error, reliability bins."""
    pairs = [(event.confidence, float(right)) for score in scores for event, right in score.outcomes]
    if not pairs:
        return {"events": 0, "brier": None, "ece": None, "bins": []}
    brier = sum((p - y) ** 2 for p, y in pairs) / len(pairs)
    table, ece = [], 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in pairs if low <= p < high or (b == bins - 1 and p == 1.0)]
        if inside:
            mean_p = sum(p for p, _ in inside) / len(inside)
            share = sum(y for _, y in inside) / len(inside)
            ece += len(inside) / len(pairs) * abs(mean_p - share)
            table.append({"bin": f"{low:.1f}-{high:.1f}", "events": len(inside), "confidence": mean_p, "right": share})
    return {"events": len(pairs), "brier": brier, "ece": ece, "bins": table}


def evaluate_triples(shared: Path, resources: Any, split: str = "tune", threshold: float | None = None) -> dict:
    """Triple scores of eventwire (all events and above the default threshold), its calibration, and the
    learned baseline, on one split of the gold set."""
    from eventwire.events.confidence import default_threshold

    threshold = default_threshold() if threshold is None else threshold
    refs, labels = load_gold_set(shared)
    part = [ref for ref in refs if ref.split == split]
    train = [ref for ref in refs if ref.split == "tune"]
    predicted = system_events(part, resources)
    if split == "tune":
        baseline = _cross_validated_baseline(train, labels, resources)
    else:
        baseline = baseline_events(train, part, labels, resources)
    return {
        "split": split,
        "n": len(part),
        "threshold": threshold,
        "all": score_all(part, predicted, labels),
        "calibration": calibration(sentence_scores(part, predicted, labels)),
        "thresholded": score_all(part, at_threshold(predicted, threshold), labels),
        "baseline": score_all(part, baseline, labels),
    }


def _cross_validated_baseline(
    refs: Sequence[SentenceRef], labels: dict[str, list[dict]], resources: Any, folds: int = 5
) -> dict[str, list[ScoredEvent]]:
    """Baseline predictions on the tune split, each fold predicted by a model that never saw it."""
    events: dict[str, list[ScoredEvent]] = {}
    for fold in range(folds):
        test = [ref for i, ref in enumerate(refs) if i % folds == fold]
        train = [ref for i, ref in enumerate(refs) if i % folds != fold]
        events.update(baseline_events(train, test, labels, resources))
    return events


