"""Fit the event-confidence calibrator -> src/eventwire/events/data/confidence.json.

Reads the tune split of the triple-level gold set (tests/data/gold, texts rebuilt from ../shared/data;
docs/annotation.md), runs the article path on it with the heuristic confidence, marks every predicted
event right or wrong by the triple scorer (eventwire.evaluation.triples), and fits a logistic regression
on standardised `eventwire.events.confidence.FEATURES` (the standardisation folded into the stored
weights). Everything is judged on out-of-fold probabilities of 5-fold cross-validation grouped by
sentence (no sentence's events on both sides; stratified, repeated over REPEATS shuffles):

- the regularisation strength is the one of C_GRID with the best average precision;
- the default threshold is the lowest one whose precision, averaged over the repeats, reaches
  TARGET_PRECISION, else the lowest one within 0.01 of the best precision reachable;
- the ranking measures printed and stored: average precision, recall of the gold events at precision
  0.75 and 0.8 (best cut of each run), Brier score and expected calibration error (10 bins).

The locked split is never read here. Run after scripts/train_coder.py and scripts/train_roles.py:
.venv/bin/python scripts/train_confidence.py
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from eventwire.evaluation.triples import load_gold_set, sentence_scores, system_events, totals
from eventwire.events.confidence import CONFIDENCE_FILE, FEATURES, event_features
from eventwire.events.extract import SentenceEvents
from eventwire.pipeline import Resources, load_resources

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"
TARGET_PRECISION = 0.8
MIN_EVENTS_ABOVE = 20  # a threshold must keep at least this many events to be trusted
PRECISION_TOLERANCE = 0.01
REPEATS = 10  # shuffles of the grouped 5-fold cross-validation the measures are averaged over
FOLDS = 5
C_GRID = (0.03, 0.1, 0.3)  # inverse regularisation strengths tried
RECALL_PRECISIONS = (0.75, 0.8)
CALIBRATION_BINS = 10


@dataclass
class Outcomes:
    """Every event predicted on the tune split: its features, right or wrong, its sentence."""

    features: np.ndarray
    right: np.ndarray
    sentences: np.ndarray
    gold_events: int  # gold events to find (true positives + misses), the denominator of recall


def outcomes(shared: Path, resources: Resources) -> Outcomes:
    """Features and right/wrong of every event predicted on the tune split (heuristic confidence)."""
    refs, labels = load_gold_set(shared)
    tune = [ref for ref in refs if ref.split == "tune"]
    heuristic = SentenceEvents(resources.resolver, resources.coder, calibrator=None)
    scores = sentence_scores(tune, system_events(tune, resources, heuristic), labels)
    rows, right, sentences = [], [], []
    for score in scores:
        for event, correct in score.outcomes:
            rows.append(event_features(event.record))
            right.append(int(correct))
            sentences.append(score.gold_id)
    counts = totals(scores)
    return Outcomes(np.array(rows), np.array(right), np.array(sentences), counts["tp"] + counts["fn"])


def model(c: float) -> Pipeline:
    """Standardised features into an L2-regularised logistic regression."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))


def cross_validated_runs(data: Outcomes, c: float) -> list[np.ndarray]:
    """Out-of-fold probabilities of grouped, stratified 5-fold cross-validation, one run per shuffle."""
    runs = []
    for seed in range(REPEATS):
        probabilities = np.zeros(len(data.right))
        folds = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed)
        for train, test in folds.split(data.features, data.right, data.sentences):
            fitted = model(c).fit(data.features[train], data.right[train])
            probabilities[test] = fitted.predict_proba(data.features[test])[:, 1]
        runs.append(probabilities)
    return runs


def recall_at_precision(probabilities: np.ndarray, right: np.ndarray, precision: float, gold_events: int) -> float:
    """The largest share of the gold events kept by a cut of the ranking whose precision reaches `precision`."""
    order = np.argsort(-probabilities, kind="stable")
    ranked, hits = probabilities[order], np.cumsum(right[order])
    cut_here = np.r_[ranked[1:] != ranked[:-1], True]  # never between equal probabilities
    reaching = cut_here & (hits / np.arange(1, len(ranked) + 1) >= precision)
    return float(hits[reaching].max()) / gold_events if reaching.any() else 0.0


def expected_calibration_error(probabilities: np.ndarray, right: np.ndarray) -> float:
    bins = np.minimum((probabilities * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    return float(
        sum(abs(probabilities[bins == b].mean() - right[bins == b].mean()) * (bins == b).sum() for b in set(bins))
        / len(right)
    )


def ranking_measures(runs: list[np.ndarray], data: Outcomes) -> dict[str, float]:
    """Average precision, recall at each of RECALL_PRECISIONS, Brier score and ECE, averaged over the runs."""
    measures = {"average_precision": [average_precision_score(data.right, run) for run in runs]}
    for precision in RECALL_PRECISIONS:
        measures[f"recall_at_precision_{precision}"] = [
            recall_at_precision(run, data.right, precision, data.gold_events) for run in runs
        ]
    measures["brier"] = [float(np.mean((run - data.right) ** 2)) for run in runs]
    measures["ece"] = [expected_calibration_error(run, data.right) for run in runs]
    return {name: round(float(np.mean(values)), 4) for name, values in measures.items()}


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


def folded_weights(data: Outcomes, c: float) -> tuple[list[float], float]:
    """Weights and intercept of the model fitted on all events, applying to the raw (unstandardised) features."""
    fitted = model(c).fit(data.features, data.right)
    scaler, regression = fitted.named_steps["standardscaler"], fitted.named_steps["logisticregression"]
    weights = regression.coef_[0] / scaler.scale_
    intercept = regression.intercept_[0] - float(np.dot(weights, scaler.mean_))
    return [round(float(w), 6) for w in weights], round(float(intercept), 6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=CONFIDENCE_FILE)
    args = parser.parse_args()
    data = outcomes(args.shared, load_resources())
    tried = {c: cross_validated_runs(data, c) for c in C_GRID}
    by_c = {c: ranking_measures(runs, data) for c, runs in tried.items()}
    c = max(C_GRID, key=lambda value: by_c[value]["average_precision"])
    curve = precision_curve(tried[c], data.right)
    threshold = choose_threshold(curve)
    at_threshold = next((n, p) for t, n, p in curve if t == threshold)
    weights, intercept = folded_weights(data, c)
    payload = {
        "built_by": "scripts/train_confidence.py",
        "source": "tests/data/gold (tune split), eventwire's own triple-level gold set (docs/annotation.md)",
        "features": list(FEATURES),
        "weights": weights,
        "intercept": intercept,
        "threshold": threshold,
        "trained_on": {"events": int(len(data.right)), "right": int(data.right.sum()), "gold": data.gold_events},
        "cross_validated": {
            "grouped_by": "sentence",
            "folds": FOLDS,
            "repeats": REPEATS,
            "c": c,
            **by_c[c],
            "precision_at_threshold": round(at_threshold[1], 4),
            "events_at_threshold": round(at_threshold[0], 1),
            "curve": [{"threshold": t, "events": round(n, 1), "precision": round(p, 3)}
                      for t, n, p in curve if round(t * 10, 6) % 1 == 0],
            "other_c": {str(other): by_c[other] for other in C_GRID if other != c},
        },
    }  # fmt: skip
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in payload.items() if k not in ("weights", "features")}, indent=1))


if __name__ == "__main__":
    main()
