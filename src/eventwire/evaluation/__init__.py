"""`eventwire eval`: every quality number of docs/evaluation.md, reproducible by one command.

Each part reads reference data from a folder laid out like ../shared/data and returns
plain numbers; `run_evaluation` gathers them into table rows (task, metric, majority
baseline, learned baseline, eventwire, n).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

PARTS = ("triples", "conflibert", "plover-sentences", "spans", "plover-pipeline", "actors", "stories", "locations")
#: Parts run only when named: the locked test part of the gold set is measured once, at the end.
ON_REQUEST = ("triples-locked",)
#: Story labels assembled for the clustering evaluation (ids and labels only; texts come from `data`).
STORY_LABELS = Path(__file__).resolve().parents[3] / "tests" / "data" / "stories_labelled.jsonl"
#: Event locations labelled by hand (Reuters rows with their text, Times of India rows by doc id).
LOCATION_LABELS = STORY_LABELS.with_name("locations_labelled.jsonl")


def _coder_rows(result: dict[str, Any], task: str) -> list[dict[str, Any]]:
    rows = []
    for metric in ("accuracy", "macro_f1"):
        rows.append(
            {
                "task": task,
                "metric": metric,
                "majority": result["majority"][metric],
                "baseline": result["baseline"][metric],
                "eventwire": result["eventwire"][metric],
                "rules only": result["rules"][metric],
                "n": result["n"],
            }
        )
    return rows


def _conflibert(data: Path, resources: Any) -> list[dict[str, Any]]:
    from eventwire.evaluation.coding import evaluate_conflibert
    from eventwire.evaluation.gold import gold_texts

    path = data / "conflibert" / "cameo_class_train.tsv"
    held_out = gold_texts(data)
    tuned = evaluate_conflibert(path, held_out=None)
    honest = evaluate_conflibert(path, held_out=held_out)
    return _coder_rows(honest, "ConfliBERT 5-class (held out: gold-set sentences)") + _coder_rows(
        tuned, "ConfliBERT 5-class (5-fold CV, the split settings were chosen on)"
    )


def _plover_sentences(data: Path, resources: Any) -> list[dict[str, Any]]:
    from eventwire.evaluation.coding import evaluate_plover_sentences

    result = evaluate_plover_sentences(data / "plover" / "PLOVER_GSR_CAMEO.txt")
    return _coder_rows(result, "PLOVER type, sentence classifier (5-fold CV)")


def _spans(data: Path, resources: Any) -> list[dict[str, Any]]:
    from eventwire.evaluation.pipeline_eval import evaluate_spans

    result = evaluate_spans(data / "conflibert" / "cameo_ner_train.txt", resources)
    return [
        {
            "task": "source/target spans (cameo_ner_train)",
            "metric": key,
            "eventwire": result[key],
            "n": result["n"],
        }
        for key in ("source_exact_f1", "target_exact_f1", "source_overlap_f1", "target_overlap_f1")
    ]


def _plover_pipeline(data: Path, resources: Any) -> list[dict[str, Any]]:
    from eventwire.evaluation.pipeline_eval import evaluate_plover

    path = data / "plover" / "PLOVER_GSR_CAMEO.txt"
    rows = _plover_rows(evaluate_plover(path, resources), "PLOVER gold records, whole pipeline")
    # The shipped PLOVER classifier was trained on these very sentences: measure without it too.
    models = resources.coder.models
    resources.coder.models = {k: v for k, v in models.items() if k != "plover"}
    try:
        unseen = evaluate_plover(path, resources)
    finally:
        resources.coder.models = models
    return rows + _plover_rows(unseen, "PLOVER gold records, whole pipeline, without the PLOVER classifier")


def _plover_rows(r: dict[str, Any], task: str) -> list[dict[str, Any]]:
    return [
        {
            "task": task,
            "metric": "event accuracy",
            "majority": r["event_majority"],
            "eventwire": r["event_accuracy"],
            "n": r["n"],
        },
        {"task": task, "metric": "coded (has an event)", "eventwire": r["coverage"], "n": r["n"]},
        {
            "task": task,
            "metric": "source country accuracy",
            "majority": r["source_country_majority"],
            "eventwire": r["source_country_accuracy"],
            "n": r["n_source"],
        },
        {
            "task": task,
            "metric": "target country accuracy",
            "majority": r["target_country_majority"],
            "eventwire": r["target_country_accuracy"],
            "n": r["n_target"],
        },
    ]


def _actors(data: Path, resources: Any) -> list[dict[str, Any]]:
    from eventwire.evaluation.actors import evaluate_actor_resolution

    r = evaluate_actor_resolution(data / "ngec" / "actor_resolution_dev.tsv")
    rows = []
    for key in ("country", "sector", "overall"):
        part = r.get(key)
        if isinstance(part, dict):
            rows.append(
                {
                    "task": "actor resolution (ngec dev)",
                    "metric": f"{key} accuracy",
                    "majority": part.get("baseline"),
                    "eventwire": part.get("accuracy"),
                    "n": part.get("n"),
                }
            )
    return rows


def _stories(data: Path, resources: Any) -> list[dict[str, Any]]:
    """B-cubed of the stories stage per split (settings chosen on tune, test reported) beside the baseline."""
    from eventwire.evaluation.stories import evaluate_stories

    if not STORY_LABELS.is_file():
        raise FileNotFoundError(f"{STORY_LABELS}: story labels not found (run from a source checkout)")
    r = evaluate_stories(data, STORY_LABELS, resources)
    rows = []
    for setting in ("pipeline", "text_only"):
        for part in ("test", "tune", "all"):
            task = f"story clustering B-cubed ({setting.replace('_', ' ')}, {part} part)"
            baseline = dict(zip(("precision", "recall", "F1"), r["singletons"][part], strict=True))
            scores = dict(zip(("precision", "recall", "F1"), r[setting][part], strict=True))
            for metric, value in scores.items():
                rows.append(
                    {"task": task, "metric": metric, "baseline": baseline[metric], "eventwire": value,
                     "n": r["n_by_part"][part]}
                )
    return rows


def _locations(data: Path, resources: Any) -> list[dict[str, Any]]:
    """Event locations against the hand-labelled set, beside the first-place-in-the-article baseline."""
    from eventwire.evaluation.locations import evaluate_locations

    if not LOCATION_LABELS.is_file():
        raise FileNotFoundError(f"{LOCATION_LABELS}: location labels not found (run from a source checkout)")
    r = evaluate_locations(data, LOCATION_LABELS, resources)
    task = "event location, labelled set"
    rows = [{"task": task, "metric": "labelled events found again", "eventwire": r["events_found"], "n": r["rows"]}]
    for metric, n_key in (("exact", "n"), ("within_50km", "n_with_coordinates"), ("country", "n"), ("located", "n")):
        rows.append({"task": task, "metric": metric.replace("_", " "), "baseline": r["baseline"][metric],
                     "eventwire": r["eventwire"][metric], "n": r["eventwire"][n_key]})
    return rows


def _triples_rows(data: Path, resources: Any, split: str) -> list[dict[str, Any]]:
    """Precision/recall/F1 of triples beside the baseline, above the default threshold, calibration, causes."""
    from eventwire.evaluation.triples import evaluate_triples

    r = evaluate_triples(data, resources, split=split)
    task = f"event triples, gold set ({split} split)"
    rows = []
    for metric in ("precision", "recall", "f1"):
        rows.append(
            {
                "task": task,
                "metric": metric,
                "baseline": r["baseline"][metric],
                "eventwire": r["all"][metric],
                "n": r["n"],
            }
        )
    for metric in ("precision", "recall", "f1"):
        rows.append({"task": task, "metric": f"{metric} at confidence >= {r['threshold']:.2f}",
                     "eventwire": r["thresholded"][metric], "n": r["n"]})
    calibration = r["calibration"]
    for metric in ("brier", "ece"):
        rows.append({"task": task, "metric": f"confidence {metric}", "eventwire": calibration[metric],
                     "n": calibration["events"]})
    for cause, count in r["all"]["causes"].items():
        rows.append({"task": task, "metric": f"errors: {cause}", "baseline": r["baseline"]["causes"][cause],
                     "eventwire": count, "n": r["n"]})
    return rows


def _triples(data: Path, resources: Any) -> list[dict[str, Any]]:
    return _triples_rows(data, resources, "tune")


def _triples_locked(data: Path, resources: Any) -> list[dict[str, Any]]:
    return _triples_rows(data, resources, "locked")


RUNNERS: dict[str, Callable[[Path, Any], list[dict[str, Any]]]] = {
    "triples": _triples,
    "triples-locked": _triples_locked,
    "conflibert": _conflibert,
    "plover-sentences": _plover_sentences,
    "spans": _spans,
    "plover-pipeline": _plover_pipeline,
    "actors": _actors,
    "stories": _stories,
    "locations": _locations,
}


def run_evaluation(data: Path, only: list[str] | None = None, console: Console | None = None) -> dict[str, Any]:
    """Run the selected evaluation parts (all by default) and return their table rows."""
    from eventwire.pipeline import load_resources

    unknown = set(only or []) - set(PARTS) - set(ON_REQUEST)
    if unknown:
        choices = ", ".join((*PARTS, *ON_REQUEST))
        raise ValueError(f"unknown evaluation part(s): {', '.join(sorted(unknown))}; choose from {choices}")
    resources = load_resources()
    rows: list[dict[str, Any]] = []
    timings: dict[str, float] = {}
    for name in only or PARTS:
        started = time.perf_counter()
        if console:
            console.print(f"[dim]evaluating {name}…[/dim]")
        rows.extend(RUNNERS[name](data, resources))
        timings[name] = round(time.perf_counter() - started, 1)
    return {"rows": rows, "seconds": timings}
