"""Targets of events and the countries of their actors, each mechanism on sentences written for it
(none is from the gold set or the seeds)."""

from __future__ import annotations

from eventwire.records import Event


def _triples(events: list[Event]) -> set[tuple[str, str, str | None]]:
    return {(e.source.text, e.code.plover, e.target.text if e.target else None) for e in events}


def test_saying_another_party_needs_to_act_demands_it_of_that_party(events_of) -> None:
    events = events_of("The Kenyan foreign minister said Uganda needs to withdraw its troops.")
    assert _triples(events) == {("The Kenyan foreign minister", "REQUEST", "Uganda")}
    events = events_of("The Chilean envoy said Peru has to return the disputed islands.")
    assert _triples(events) == {("The Chilean envoy", "REQUEST", "Peru")}


def test_an_actors_own_troops_in_an_offer_or_threat_are_no_target(events_of) -> None:
    offered = events_of("Mongolia agreed to withdraw its troops from the border area if Kazakhstan reopened the road.")
    assert ("Mongolia", "AGREE", "its troops") not in _triples(offered)
    threatened = events_of("Ghana threatened to send troops to Togo.")
    assert {target for _, _, target in _triples(threatened)} <= {"Togo", None}
    assert all(e.target is None or e.target.sector != "MIL" for e in offered + threatened)


def test_troops_of_no_named_owner_remain_the_target_of_a_threat(events_of) -> None:
    events = events_of("Rebels threatened to attack government forces in the north.")
    assert _triples(events) == {("Rebels", "THREATEN", "government forces")}


def test_an_actors_own_troops_remain_the_target_of_an_attack(events_of) -> None:
    events = events_of("The Malian junta arrested its own soldiers after the mutiny.")
    assert [(e.code.plover, e.target.sector if e.target else None) for e in events] == [("COERCE", "MIL")]


def test_a_described_actor_mention_runs_to_the_name_it_is_known_by(events_of) -> None:
    events = events_of("The U.S. suspended aid to the Kenyan charity known as the Green Hands.")
    assert [(e.target.text, e.target.code) for e in events if e.target] == [
        ("the Kenyan charity known as the Green Hands", "KENNGO")
    ]


def test_an_accusation_by_someone_targets_whom_its_that_clause_is_about(events_of) -> None:
    events = events_of("Kenya's government rejected accusations by Somalia that its army had shelled a village.")
    assert [(e.source.code, e.code.plover, e.target.text, e.target.code) for e in events if e.target] == [
        ("SOM", "ACCUSE", "its army", "KENMIL")
    ]
    events = events_of("The government rejected accusations by Amnesty that the Nigerian police tortured detainees.")
    assert ("Amnesty", "ACCUSE", "the Nigerian police") in _triples(events)


def test_the_other_conjunct_of_an_agreed_act_gives_the_agreement_its_target(events_of) -> None:
    events = events_of("Chad agreed to reopen its embassy and grant visas to students from Sudan.")
    assert ("Chad", "AGREE", "students from Sudan") in _triples(events)
    assert {e.code.plover for e in events} == {"AGREE"}


def test_a_name_cut_after_a_function_word_runs_to_the_end_of_its_phrase(events_of) -> None:
    events = events_of(
        "The court rejected an appeal lodged by the Administrative Council of the Polish branch of the Red Cross."
    )
    assert [e.target.text for e in events if e.target] == [
        "the Administrative Council of the Polish branch of the Red Cross"
    ]


def test_a_bodys_name_takes_the_national_branch_it_is_of(events_of) -> None:
    events = events_of(
        "The court rejected an appeal lodged by the Regional Office of the Kazakh branch of the Lantern Society."
    )
    assert [(e.target.text, e.target.country) for e in events if e.target] == [
        ("the Regional Office of the Kazakh branch of the Lantern Society", "KAZ")
    ]
