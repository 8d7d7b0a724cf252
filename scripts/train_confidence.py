"""Fit the event-confidence calibrator -> src/eventwire/events/data/confidence.json.

Reads the tune split of the triple-level gold set (tests/data/gold, texts rebuilt from ../shared/data;
docs/annotation.md), runs the article path on it with the heuristic confidence, marks every predicted
event right or wrong by the triple scorer (eventwire.evaluation.triples), and fits a logistic regression
on `eventwire.events.confidence.FEATURES`. The default threshold is the lowest one whose precision,
measured on 5-fold cross-validated probabilities of the same split, reaches TARGET_PRECISION; the locked
split is never read here.
Run after scripts/train_coder.py: .venv/bin/python scripts/train_confidence.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from eventwire.evaluation.triples import load_gold_set, sentence_scores, system_events
from eventwire.events.confidence import CONFIDENCE_FILE, FEATURES, clause_dyad_counts, event_features
from eventwire.events.extract import SentenceEvents
from eventwire.pipeline import Resources, load_resources

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"
TARGET_PRECISION = 0.8
MIN_EVENTS_ABOVE = 20  # a threshold must keep at least this many events to be trusted


def outcomes(shared: Path, resources: Resources) -> tuple[np.ndarray, np.ndarray]:
    """Features and right/wrong of every event predicted on the tune split (heuristic confidence)."""
    refs, labels = load_gold_set(shared)
    tune = [ref for ref in refs if ref.split == "tune"]
    heuristic = SentenceEvents(resources.resolver, resources.coder, calibrator=None)
    predicted = system_events(tune, resources, heuristic)
    dyads = {
        id(event.record): count
        for events in predicted.values()
        for event, count in zip(events, clause_dyad_counts([e.record for e in events]), strict=True)
    }
    rows, right = [], []
    for score in sentence_scores(tune, predicted, labels):
        for event, correct in score.outcomes:
            rows.append(event_features(event.record, dyads[id(event.record)]))
            right.append(int(correct))
    return np.array(rows), np.array(right)


def choose_threshold(probabilities: np.ndarray, right: np.ndarray) -> float:
    """The lowest threshold reaching TARGET_PRECISION with enough events above it (else the best precision)."""
    best, best_precision = 0.5, 0.0
    for threshold in np.arange(0.05, 0.96, 0.01):
        above = probabilities >= threshold
        if above.sum() < MIN_EVENTS_ABOVE:
            break
        precision = right[above].mean()
        if precision >= TARGET_PRECISION:
            return round(float(threshold), 2)
        if precision > best_precision:
            best, best_precision = round(float(threshold), 2), precision
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=CONFIDENCE_FILE)
    args = parser.parse_args()
    features, right = outcomes(args.shared, load_resources())
    model = LogisticRegression(C=1.0, max_iter=5000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    cv_probabilities = cross_val_predict(model, features, right, cv=folds, method="predict_proba")[:, 1]
    threshold = choose_threshold(cv_probabilities, right)
    model.fit(features, right)
    above = cv_probabilities >= threshold
    payload = {
        "built_by": "scripts/train_confidence.py",
        "source": "tests/data/gold (tune split), eventwire's own triple-level gold set (docs/annotation.md)",
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "trained_on": {"events": int(len(right)), "right": int(right.sum())},
        "cross_validated": {
            "brier": round(float(np.mean((cv_probabilities - right) ** 2)), 4),
            "precision_at_threshold": round(float(right[above].mean()), 4) if above.any() else None,
            "events_at_threshold": int(above.sum()),
            "curve": [
                {"threshold": t, "events": int((cv_probabilities >= t).sum()),
                 "precision": round(float(right[cv_probabilities >= t].mean()), 3)}
                for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6) if (cv_probabilities >= t).any()
            ],
        },
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in payload.items() if k not in ("weights", "features")}, indent=1))


if __name__ == "__main__":
    main()
