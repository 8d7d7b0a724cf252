"""Events whose sentences used to give nothing: generic actors, parse repairs, attack instruments.

Each mechanism runs through the real parser, resolver and coder, on sentences written for it (none is
from the gold set or the seeds).
"""

from __future__ import annotations

import pytest

from eventwire.actors.resolve import ActorResolver
from eventwire.records import Event


@pytest.fixture(scope="module")
def resolver(resources) -> ActorResolver:
    return resources.resolver


def _triples(events: list[Event]) -> set[tuple[str, str | None, str, str | None]]:
    return {(e.source.text, e.source.country, e.code.plover, e.target.text if e.target else None) for e in events}


@pytest.mark.parametrize(
    ("text", "country", "sector"),
    [
        ("critics", None, "OPP"),
        ("Irish critics", "IRL", "OPP"),
        ("health experts", None, "HLH"),
        ("anti-war groups", None, "NGO"),
        ("the leftists", None, "PTY"),
        ("Republicans", "USA", "PTY"),
        ("Irish Republicans", "IRL", "PTY"),
    ],
)
def test_generic_role_nouns_resolve_to_a_sector(resolver: ActorResolver, text: str, country, sector) -> None:
    ref = resolver.resolve_text(text)
    assert (ref.country, ref.sector, ref.kind) == (country, sector, "group")


def test_adjectives_among_the_role_nouns_do_not_change_a_country(resolver: ActorResolver) -> None:
    ref = resolver.resolve_text("Communist China")
    assert (ref.country, ref.sector) == ("CHN", None)


def test_a_party_nickname_in_lower_case_prose_is_read_only_when_capitalised(resolver: ActorResolver) -> None:
    assert resolver.resolve_text("Democrats and the committee").country == "USA"
    assert resolver.resolve_text("the democrats of the Committee").country is None


def test_critics_named_by_their_role_are_sources(events_of) -> None:
    triples = _triples(events_of("Critics condemned the new mining law on Friday."))
    assert ("Critics", None, "ACCUSE", None) in triples


def test_a_weapon_as_subject_stands_for_unknown_attackers(events_of) -> None:
    events = events_of("A car bomb killed a senior judge in Mogadishu.")
    attacks = [e for e in events if e.code.plover == "ASSAULT"]
    assert [(e.source.text, e.source.sector, e.target.text if e.target else None) for e in attacks] == [
        ("A car bomb", "UAF", "a senior judge")
    ]


def test_an_agentless_passive_takes_the_attack_it_happened_in_as_source(events_of) -> None:
    events = events_of("Two soldiers were killed in a roadside bomb attack near Kandahar on Monday.")
    assert [(e.source.sector, e.code.plover, e.target.text if e.target else None) for e in events] == [
        ("UAF", "ASSAULT", "Two soldiers")
    ]
    assert "roadside bomb attack" in events[0].source.text


def test_a_passive_in_an_accident_or_a_weapon_as_object_gives_no_attacker(events_of) -> None:
    assert events_of("The building was damaged in a fire on Tuesday.") == []
    events = events_of("Police defused a bomb outside the embassy.")
    assert not any("bomb" in e.source.text or (e.target and "bomb" in e.target.text) for e in events)


def test_a_relative_clause_acts_through_its_antecedent(events_of) -> None:
    triples = _triples(events_of("Police arrested dozens of protesters who attacked a bus in Nairobi."))
    assert ("protesters", "KEN", "ASSAULT", None) in triples


def test_an_attack_that_killed_is_one_happening_not_two(events_of) -> None:
    events = events_of("The senator condemned an attack that killed nine pilgrims.")
    assert [(e.source.text, e.code.plover) for e in events] == [("The senator", "ACCUSE")]


def test_the_subject_of_engaged_in_is_the_one_who_acts(events_of) -> None:
    events = events_of("Kurdish fighters were engaged in heavy clashes with Turkish troops near the border.")
    assert [(e.source.text, e.code.plover, e.target.text if e.target else None) for e in events] == [
        ("Kurdish fighters", "ASSAULT", "Turkish troops")
    ]


def test_killed_in_police_firing_names_the_police_as_source(events_of) -> None:
    events = events_of("Relatives mourned two farmers who were killed in police firing in Bihar on Sunday.")
    assert [(e.source.text, e.source.sector, e.code.plover, e.target.text if e.target else None) for e in events] == [
        ("police", "COP", "ASSAULT", "two farmers")
    ]
