"""Where events happened: the GeoNames gazetteer, datelines, and the clause → sentence → dateline order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.actors.gazetteer import distance_km, load_gazetteer
from eventwire.records import Event

LABELS = Path(__file__).resolve().parent / "data" / "locations_labelled.jsonl"


@pytest.fixture(scope="module")
def events_of(resources):
    def run(text: str) -> list[Event]:
        doc = next(iter(resources.nlp.pipe([text])))
        return resources.extractor.extract_batch([(doc, "t", None)])[0]

    return run


def test_the_gazetteer_reads_other_spellings_and_settles_shared_names_by_context() -> None:
    gazetteer = load_gazetteer()
    assert (gazetteer.lookup("Kiev").name, gazetteer.lookup("Kiev").country) == ("Kyiv", "UKR")
    assert gazetteer.lookup("Artemivsk").name == "Bakhmut"
    assert gazetteer.lookup("Hyderabad").country == "IND"
    assert gazetteer.lookup("Hyderabad", {"PAK"}).country == "PAK"
    assert gazetteer.lookup("Paris", {"USA"}).country == "FRA"  # a far bigger namesake is still meant
    assert gazetteer.lookup("Not A Real Place Name") is None


def test_distance_is_great_circle_kilometres() -> None:
    kyiv, lviv = (50.45466, 30.5238), (49.83826, 24.02324)
    assert 465 < distance_km(*kyiv, *lviv) < 475


def test_a_dateline_places_the_events_and_names_no_actor(events_of) -> None:
    events = events_of("KYIV, May 3 (Reuters) - Russian forces shelled the city overnight.")
    assert [(e.source.text, e.location.text, e.location.country) for e in events] == [("Russian forces", "Kyiv", "UKR")]
    assert all(e.target is None or "Reuters" not in e.target.text for e in events)


def test_a_byline_before_a_lower_case_dateline_is_skipped(events_of) -> None:
    events = events_of("meena rao new delhi: the government accused the opposition of inciting the riots.")
    assert [(e.code.plover, e.target.text if e.target else None, e.location.text) for e in events] == [
        ("ACCUSE", "the opposition of inciting the riots", "New Delhi")
    ]


def test_a_city_the_parser_tags_as_an_organisation_is_read_in_the_actors_country(events_of) -> None:
    events = events_of("Pakistani police arrested two men in Hyderabad on Friday.")
    assert [(e.location.text, e.location.country) for e in events] == [("Hyderabad", "PAK")]


def test_an_event_the_text_does_not_place_has_no_location(events_of) -> None:
    events = events_of("The minister accused the opposition of lying about the budget.")
    assert events and all(e.location is None for e in events)


def test_the_location_set_is_complete() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 133
    assert all(r["gold"]["place"] and r["gold"]["country"] for r in rows)
    assert all(r["text"] for r in rows if r["source"] == "reuters21578")
    assert sum(r["gold"]["lat"] is not None for r in rows) == 124
