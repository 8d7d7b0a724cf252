"""Targets of events and the countries of their actors, each mechanism on sentences written for it
(none is from the gold set or the seeds)."""

from __future__ import annotations

import pytest

from eventwire.records import Event


@pytest.fixture(scope="module")
def events_of(resources):
    def run(text: str) -> list[Event]:
        doc = next(iter(resources.nlp.pipe([text])))
        return resources.extractor.extract_batch([(doc, "t", None)])[0]

    return run


def _triples(events: list[Event]) -> set[tuple[str, str, str | None]]:
    return {(e.source.text, e.code.plover, e.target.text if e.target else None) for e in events}


def test_saying_another_party_needs_to_act_demands_it_of_that_party(events_of) -> None:
    events = events_of("The Kenyan foreign minister defended the decision, saying Uganda needs to withdraw its troops.")
    assert _triples(events) == {("The Kenyan foreign minister", "REQUEST", "Uganda")}
    events = events_of("The Chilean envoy said Peru has to return the disputed islands.")
    assert _triples(events) == {("The Chilean envoy", "REQUEST", "Peru")}
