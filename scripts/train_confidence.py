"""Fit the event-confidence calibrator -> src/eventwire/events/data/confidence.json.

Reads the tune split of the triple-level gold set (tests/data/gold, texts rebuilt from ../shared/data;
docs/annotation.md), runs the article path on it with the heuristic confidence, marks every predicted
event right or wrong by the triple scorer (eventwire.evaluation.triples), and fits a logistic regression
on `eventwire.events.confidence.FEATURES`. The default threshold is the lowest one whose precision,
measured on 5-fold cross-validated probabilities of the same split (averaged over 10 shuffles), reaches
TARGET_PRECISION, else the lowest one within 0.01 of the best precision reachable; the locked split is
never read here.
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
PRECISION_TOLERANCE = 0.01
REPEATS = 10  # shuffles of the 5-fold cross-validation the precision curve is averaged over


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


def repeated_cv_probabilities(features: np.ndarray, right: np.ndarray) -> list[np.ndarray]:
    """Out-of-fold probabilities of 5-fold cross-validation, repeated over REPEATS shuffles."""
    model = LogisticRegression(C=1.0, max_iter=5000)
    return [
        cross_val_predict(model, features, right, cv=StratifiedKFold(5, shuffle=True, random_state=seed),
                          method="predict_proba")[:, 1]
        for seed in range(REPEATS)
    ]  # fmt: skip


def precision_curve(runs: list[np.ndarray], right: np.ndarray) -> list[tuple[float, float, float]]:
    """(threshold, mean events above it, mean precision above it) over the repeated cross-validation runs."""
    curve = []
    for threshold in np.round(np.arange(0.05, 0.96, 0.01), 2):
        kept = [run >= threshold for run in runs]
        if min(k.sum() for k in kept) == 0:
            break
        curve.append((float(threshold), float(np.mean([k.sum() for k in kept])),
                      float(np.mean([right[k].mean() for k in kept]))))  # fmt: skip
    return curve


def choose_threshold(curve: list[tuple[float, float, float]]) -> float:
    """The lowest threshold reaching TARGET_PRECISION with at least MIN_EVENTS_ABOVE events; when none does,
    the lowest one within PRECISION_TOLERANCE of the best precision reachable with that many events."""
    trusted = [(t, n, p) for t, n, p in curve if n >= MIN_EVENTS_ABOVE]
    reaching = [t for t, _, p in trusted if p >= TARGET_PRECISION]
    if reaching:
        return reaching[0]
    best = max(p for _, _, p in trusted)
    return next(t for t, _, p in trusted if p >= best - PRECISION_TOLERANCE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=CONFIDENCE_FILE)
    args = parser.parse_args()
    features, right = outcomes(args.shared, load_resources())
    runs = repeated_cv_probabilities(features, right)
    curve = precision_curve(runs, right)
    threshold = choose_threshold(curve)
    at_threshold = next((n, p) for t, n, p in curve if t == threshold)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(features, right)
    payload = {
        "built_by": "scripts/train_confidence.py",
        "source": "tests/data/gold (tune split), eventwire's own triple-level gold set (docs/annotation.md)",
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "trained_on": {"events": int(len(right)), "right": int(right.sum())},
        "cross_validated": {
            "repeats": REPEATS,
            "brier": round(float(np.mean([np.mean((run - right) ** 2) for run in runs])), 4),
            "precision_at_threshold": round(at_threshold[1], 4),
            "events_at_threshold": round(at_threshold[0], 1),
            "curve": [{"threshold": t, "events": round(n, 1), "precision": round(p, 3)}
                      for t, n, p in curve if round(t * 10, 6) % 1 == 0],
        },
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in payload.items() if k not in ("weights", "features")}, indent=1))


if __name__ == "__main__":
    main()
