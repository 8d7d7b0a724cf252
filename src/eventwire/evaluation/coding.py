"""Evaluation of the event coder against labelled sentences.

Owns two measurements, each comparing four systems under stratified k-fold cross-validation:
  majority   the most frequent training label
  baseline   TF-IDF word 1-2-grams + LogisticRegression (scikit-learn defaults)
  eventwire  `EventCoder.classify_sentences`, retrained per fold with `train_sentence_model`
  rules      the verb-pattern rules alone (no training)
`evaluate_conflibert`: ConfliBERT's five CAMEO classes; `evaluate_plover_sentences`: PLOVER
event types of the PLOVER gold-standard records. Both return plain dicts of numbers.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eventwire.events.classifier import TASK_PARAMS, cue_tokens, single_threaded_blas, train_sentence_model
from eventwire.events.code import PLOVER_RENAMES, EventCoder
from eventwire.events.rules import RuleCoding, rule_class
from eventwire.events.tables import load_tables
from eventwire.records import Predicate

#: Prediction of the rules when no predicate of a sentence codes.
RULES_DEFAULT_CLASS = 0
RULES_DEFAULT_PLOVER = "NONE"

Reading = list[tuple[Predicate, RuleCoding]]


def read_conflibert(path: str | Path) -> tuple[list[str], list[int]]:
    """Sentences and labels (0-4) of a ConfliBERT `cameo_class` TSV (sentence TAB label)."""
    texts, labels = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if text.strip() and label.strip().isdigit():
            texts.append(text.strip())
            labels.append(int(label))
    return texts, labels


def read_plover_gold(path: str | Path) -> tuple[list[str], list[str]]:
    """Texts and PLOVER event types of the gold records (documentation record skipped,
    older labels renamed: DEMAND -> REQUEST, DISAPPROVE/INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT)."""
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    texts, labels = [], []
    for record in records:
        event = str(record.get("event", "")).upper()
        if event and event != "DOCUMENT" and record.get("text"):
            texts.append(record["text"].strip())
            labels.append(PLOVER_RENAMES.get(event, event))
    return texts, labels


def scores(gold: Sequence[Any], predicted: Sequence[Any]) -> dict[str, float]:
    """Accuracy and macro-F1 (over the gold labels)."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold), key=str)
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
    }


def _baseline_predict(train_texts: list[str], train_labels: list[Any], test_texts: list[str]) -> list[Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=2000))
    with single_threaded_blas():
        model.fit(train_texts, train_labels)
        return list(model.predict(test_texts))


class _CachedCoder(EventCoder):
    """An EventCoder whose sentence readings (spaCy parse + rule coding) are shared across folds."""

    def __init__(self, base: EventCoder, readings: dict[str, Reading]) -> None:
        super().__init__(base.tables, dict(base.models))
        self._readings = readings

    def read_sentences(self, sentences: Sequence[str]) -> list[Reading]:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._readings]
        if missing:
            self._readings.update(zip(missing, super().read_sentences(missing), strict=True))
        return [self._readings[s] for s in sentences]


def _cross_validate(
    texts: list[str],
    labels: list[Any],
    rules_predict: Callable[[Reading], Any],
    folds: int,
    seed: int,
    model_name: str,
    held_out: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """The four systems under stratified k-fold CV; eventwire retrained on each training fold.

    With `held_out`, the marked texts are scored once by systems trained on all the others (a split
    that never chose any setting) instead of by cross-validation."""
    from sklearn.model_selection import StratifiedKFold

    started = time.perf_counter()
    coder = _CachedCoder(EventCoder(load_tables()), {})
    readings = coder.read_sentences(texts)
    cues = [cue_tokens(r, coder.tables) for r in readings]
    predictions: dict[str, list[Any]] = {name: [None] * len(texts) for name in ("majority", "baseline", "eventwire")}
    if held_out is None:
        splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(texts, labels))
    else:
        splits = [([i for i, h in enumerate(held_out) if not h], [i for i, h in enumerate(held_out) if h])]
    for train, test in splits:
        train_texts, train_labels = [texts[i] for i in train], [labels[i] for i in train]
        test_texts = [texts[i] for i in test]
        majority = Counter(train_labels).most_common(1)[0][0]
        model = train_sentence_model(train_texts, [cues[i] for i in train], train_labels, TASK_PARAMS[model_name])
        coder.models = {model_name: model}
        classified = (
            coder.classify_sentences(test_texts)
            if model_name == "conflibert"
            else coder.classify(test_texts, model_name)
        )
        fold_predictions = {
            "majority": [majority] * len(test),
            "baseline": _baseline_predict(train_texts, train_labels, test_texts),
            "eventwire": [label for label, _ in classified],
        }
        for name, predicted in fold_predictions.items():
            for i, value in zip(test, predicted, strict=True):
                predictions[name][i] = value
    scored = sorted(i for _, test in splits for i in test)
    predictions["rules"] = [rules_predict(r) for r in readings]
    gold = [labels[i] for i in scored]
    result: dict[str, Any] = {
        name: scores(gold, [predictions[name][i] for i in scored])
        for name in ("majority", "baseline", "eventwire", "rules")
    }
    coverage = sum(1 for i in scored if rule_class([c for _, c in readings[i]]) is not None) / max(1, len(scored))
    result["rules"]["coverage"] = round(coverage, 4)
    result["n"] = len(scored)
    result["folds"] = folds if held_out is None else 1
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def evaluate_conflibert(
    path: str | Path, folds: int = 5, seed: int = 0, held_out: set[str] | None = None
) -> dict[str, Any]:
    """Accuracy and macro-F1 of the four systems on ConfliBERT's five CAMEO classes: cross-validated,
    or, given `held_out` sentence texts, trained on the rest and scored on those only."""
    texts, labels = read_conflibert(path)

    def rules_predict(reading: Reading) -> int:
        verdict = rule_class([c for _, c in reading])
        return verdict[0] if verdict else RULES_DEFAULT_CLASS

    mask = [text in held_out for text in texts] if held_out is not None else None
    result = _cross_validate(texts, labels, rules_predict, folds, seed, "conflibert", held_out=mask)
    result["task"] = "conflibert_cameo_class"
    return result


def evaluate_plover_sentences(path: str | Path, folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """Accuracy and macro-F1 of the four systems on the PLOVER event type of the gold records."""
    texts, labels = read_plover_gold(path)
    tables = load_tables()

    def rules_predict(reading: Reading) -> str:
        verdict = rule_class([c for _, c in reading])
        return tables.plover(verdict[1])[0] if verdict else RULES_DEFAULT_PLOVER

    result = _cross_validate(texts, labels, rules_predict, folds, seed, "plover")
    result["task"] = "plover_event_type"
    return result
