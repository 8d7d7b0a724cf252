"""The gold set's references and the triple scorer (eventwire eval --only triples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.evaluation.gold import GOLD_DIR, detokenize, load_sentences, split_sentences_of_document
from eventwire.evaluation.triples import ScoredEvent as Scored
from eventwire.evaluation.triples import gold_events, predicted_actor, score_sentence, totals

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TEXT = "Turkish police detained Amnesty International's director in Istanbul, media said."


def _gold(**overrides: object) -> dict:
    event = {
        "source": {"text": "Turkish police", "code": "TURCOP"},
        "target": {"text": "Amnesty International", "code": "NGO"},
        "plover": "COERCE",
        "status": "asserted",
    }
    event.update(overrides)
    return event


def _predicted(plover: str, source: dict, target: dict | None, confidence: float = 0.5) -> Scored:
    actor = predicted_actor(source, TEXT)
    assert actor is not None
    return Scored(plover, actor, predicted_actor(target, TEXT), confidence=confidence)


POLICE = {"text": "Turkish police", "country": "TUR", "sector": "COP"}
AMNESTY = {"text": "Amnesty International", "country": None, "sector": "NGO"}
MEDIA = {"text": "media", "country": None, "sector": "MED"}


def test_a_right_triple_is_a_true_positive() -> None:
    score = score_sentence("s", [_predicted("COERCE", POLICE, AMNESTY)], gold_events([_gold()], TEXT))
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, [], [])


def test_each_wrong_part_is_named() -> None:
    gold = gold_events([_gold()], TEXT)
    wrong_target = score_sentence("s", [_predicted("COERCE", POLICE, None)], gold)
    assert wrong_target.false_positives == ["wrong target"] and wrong_target.false_negatives == ["wrong target"]
    wrong_type = score_sentence("s", [_predicted("ASSAULT", POLICE, AMNESTY)], gold)
    assert wrong_type.false_positives == ["wrong type"]
    wrong_source = score_sentence("s", [_predicted("COERCE", MEDIA, AMNESTY)], gold)
    assert wrong_source.false_positives == ["wrong source"]
    assert score_sentence("s", [], gold).false_negatives == ["missed event"]


def test_country_must_agree_when_the_gold_code_names_one() -> None:
    gold = gold_events([_gold()], TEXT)
    greek_police = {**POLICE, "country": "GRC"}
    assert score_sentence("s", [_predicted("COERCE", greek_police, AMNESTY)], gold).true_positives == 0


def test_no_event_sentences_and_unasserted_events_are_counted_as_errors() -> None:
    assert score_sentence("s", [_predicted("COERCE", POLICE, AMNESTY)], []).false_positives == [
        "event in a no-event sentence"
    ]
    negated = gold_events([_gold(status="negated")], TEXT)
    assert score_sentence("s", [_predicted("COERCE", POLICE, AMNESTY)], negated).false_positives == [
        "unasserted event asserted"
    ]
    intent = gold_events([_gold(status="intent")], TEXT)
    optional = score_sentence("s", [_predicted("COERCE", POLICE, AMNESTY)], intent)
    assert (optional.true_positives, optional.false_positives, optional.false_negatives) == (0, [], [])


def test_totals() -> None:
    gold = gold_events([_gold()], TEXT)
    scores = [score_sentence("a", [_predicted("COERCE", POLICE, AMNESTY)], gold), score_sentence("b", [], gold)]
    result = totals(scores)
    assert (result["precision"], result["recall"]) == (1.0, 0.5)
    assert result["causes"]["missed event"] == 1


def test_detokenize_and_document_sentences() -> None:
    assert detokenize(["In", "Kiev", ",", "a", "bomb", "(", "big", ")", "killed", "him", "'s", "."]) == (
        "In Kiev, a bomb (big) killed him's."
    )
    text = "This story is from March 1, 2002\n\nlucknow: police arrested two men. they were freed!  later."
    spans = list(split_sentences_of_document(text))
    assert [text[a:b] for a, b in spans] == ["lucknow: police arrested two men.", "they were freed!", "later."]


@pytest.mark.skipif(not SHARED.is_dir(), reason="reference data ../shared/data not present")
def test_every_gold_sentence_is_rebuilt_from_its_reference() -> None:
    refs = load_sentences(GOLD_DIR / "sentences.jsonl", SHARED)
    assert len(refs) >= 600
    assert sum(ref.split == "locked" for ref in refs) >= 200
    assert len({ref.gold_id for ref in refs}) == len(refs)
    assert all(30 <= len(ref.text) <= 400 for ref in refs)
