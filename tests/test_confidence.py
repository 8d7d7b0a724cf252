"""Event confidence (events/confidence.py): the signals extraction records on real events, the shipped
calibrator, and the training script's measures. The sentences are written for these tests."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from eventwire.events.confidence import (
    CONFIDENCE_FILE,
    FEATURES,
    SIGNALS,
    Calibrator,
    event_features,
    load_calibrator,
)
from eventwire.events.extract import SentenceEvents
from eventwire.records import Event

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "train_confidence.py"


@pytest.fixture(scope="module")
def events_of(resources):
    """Events of one text with the heuristic confidence and with the shipped calibrator."""
    heuristic = SentenceEvents(resources.resolver, resources.coder, calibrator=None)

    def run(text: str, calibrated: bool = True) -> list[Event]:
        doc = next(iter(resources.nlp.pipe([text])))
        extractor = resources.extractor if calibrated else heuristic
        return extractor.extract(doc, "t", None)

    return run


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("train_confidence", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_confidence"] = module
    spec.loader.exec_module(module)
    return module


def _by_target(events: list[Event]) -> dict[str | None, Event]:
    return {e.target.text if e.target else None: e for e in events}


def test_a_main_clause_with_its_object_is_recorded_as_such(events_of) -> None:
    (event,) = events_of("The army shelled rebel positions near the border on Monday.")
    signals = event.signals
    assert (event.source.text, event.target.text if event.target else None) == ("The army", "rebel positions")
    assert signals["clause_main"] == 1.0 and signals["passive"] == 0.0 and signals["modality_asserted"] == 1.0
    assert (signals["source_hops"], signals["target_hops"]) == (1.0, 1.0)  # subject and object of the verb
    assert (signals["sentence_clauses"], signals["sentence_events"], signals["clause_dyads"]) == (1.0, 1.0, 1.0)
    assert signals["target_by_model"] == 0.0


def test_a_passive_clause_reaches_its_agent_through_by(events_of) -> None:
    (event,) = events_of("Two journalists were arrested by the Egyptian police in Cairo on Sunday.")
    assert event.source.text == "the Egyptian police"
    assert event.signals["passive"] == 1.0
    assert event.signals["source_hops"] == 2.0  # police <- by <- arrested


def test_a_conjunct_clause_and_a_target_the_role_classifier_chose_are_recorded(events_of) -> None:
    text = "Police arrested dozens of protesters in Lima and the Peruvian government condemned the demonstrations."
    events = _by_target(events_of(text))
    arrest, condemn = events["protesters"], events["the Peruvian government"]
    assert arrest.signals["clause_main"] == 1.0 and arrest.signals["target_by_model"] == 0.0
    assert condemn.signals["clause_conjunct"] == 1.0 and condemn.signals["target_by_model"] == 1.0
    assert arrest.signals["sentence_events"] == condemn.signals["sentence_events"] == 2.0


def test_the_coder_records_its_class_probability(events_of) -> None:
    (event,) = events_of("Ukraine accused Russia of shelling a hospital in Kharkiv.")
    assert event.code.plover == "ACCUSE"
    assert event.code.class_probability is not None and 0.5 < event.code.class_probability <= 1.0


def test_features_of_real_events_follow_the_feature_list(events_of) -> None:
    text = "The foreign minister of Norway visited Kenya and signed a water agreement with the Kenyan government."
    events = events_of(text, calibrated=False)
    assert len(events) == 2
    for event in events:
        features = dict(zip(FEATURES, event_features(event), strict=True))
        assert features["heuristic"] == event.confidence
        assert features["class_probability"] == event.code.class_probability
        assert all(features[name] == event.signals.get(name, 0.0) for name in SIGNALS)
        assert features["has_target"] == 1.0 and features["target_is_country"] == float(event.target.kind == "country")
    visit = _by_target(events)["Kenya"]
    assert dict(zip(FEATURES, event_features(visit), strict=True))["known_target"] == 1.0


def test_the_shipped_calibrator_is_json_over_these_features(events_of) -> None:
    payload = json.loads(CONFIDENCE_FILE.read_text(encoding="utf-8"))
    assert payload["features"] == list(FEATURES) and len(payload["weights"]) == len(FEATURES)
    calibrator = load_calibrator()
    assert calibrator is not None and 0.0 < calibrator.threshold < 1.0
    assert payload["cross_validated"]["grouped_by"] == "sentence"
    heuristic = events_of("Ukraine accused Russia of shelling a hospital in Kharkiv.", calibrated=False)
    calibrated = events_of("Ukraine accused Russia of shelling a hospital in Kharkiv.")
    assert [e.confidence for e in calibrated] == pytest.approx([calibrator.probability(e) for e in heuristic])
    assert all(0.0 < e.confidence < 1.0 for e in calibrated)


def test_a_main_clause_event_outranks_one_whose_target_came_from_another_clause(events_of) -> None:
    (accused,) = events_of("Ukraine accused Russia of shelling a hospital in Kharkiv.")
    text = "Police arrested dozens of protesters in Lima and the Peruvian government condemned the demonstrations."
    condemned = _by_target(events_of(text))["the Peruvian government"]  # the police did not condemn the government
    assert accused.confidence > condemned.confidence + 0.2


def test_a_calibrator_fitted_on_other_features_is_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "confidence.json"
    path.write_text(json.dumps({"features": ["heuristic"], "weights": [1.0], "intercept": 0.0, "threshold": 0.5}))
    assert load_calibrator(path) is None


def test_recall_at_precision_takes_the_best_cut_of_the_ranking(script) -> None:
    probabilities = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    right = np.array([1, 1, 0, 1, 1, 0])
    assert script.recall_at_precision(probabilities, right, 0.75, gold_events=10) == pytest.approx(0.4)  # 4 of 5
    assert script.recall_at_precision(probabilities, right, 1.0, gold_events=10) == pytest.approx(0.2)
    tied = np.array([0.9, 0.5, 0.5, 0.5])  # no cut between equal probabilities
    assert script.recall_at_precision(tied, np.array([1, 1, 0, 0]), 0.6, gold_events=4) == pytest.approx(0.25)


def test_folded_weights_give_the_fitted_pipeline_probabilities(script) -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(loc=[5.0, -2.0, 0.3], scale=[2.0, 0.5, 0.1], size=(200, 3))
    right = (features[:, 0] + rng.normal(size=200) > 5.0).astype(int)
    data = script.Outcomes(features, right, np.arange(200).astype(str), gold_events=int(right.sum()))
    weights, intercept = script.folded_weights(data, 0.1)
    expected = script.model(0.1).fit(features, right).predict_proba(features)[:, 1]
    z = intercept + features @ np.array(weights)
    assert 1 / (1 + np.exp(-z)) == pytest.approx(expected, abs=1e-4)
    assert Calibrator(tuple(weights), intercept, 0.5).weights[0] > 0  # the informative feature raises it
