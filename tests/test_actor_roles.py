"""Who the events' actors are: coordinated actors, their countries and the targets of clauses, each
mechanism on sentences written for it (none is from the gold set or the seeds)."""

from __future__ import annotations

from eventwire.records import Event


def _pairs(events: list[Event]) -> set[tuple[str | None, str | None]]:
    return {(e.source.code, e.target.code if e.target else None) for e in events}


def test_coordinated_nationalities_of_one_subject_are_two_sources(events_of) -> None:
    events = events_of("Russian and Syrian warplanes struck rebel positions near Idlib on Monday.")
    assert {(e.source.text, e.source.code) for e in events} == {("Russian", "RUSMIL"), ("Syrian warplanes", "SYRMIL")}


def test_a_list_of_nationalities_gives_one_source_each(events_of) -> None:
    events = events_of("Russian, Syrian and Iranian warplanes bombed the town.")
    assert {e.source.code for e in events} == {"RUSMIL", "SYRMIL", "IRNMIL"}


def test_coordinated_nationalities_of_a_partner_are_two_targets(events_of) -> None:
    events = events_of("The Kenyan foreign minister held talks with French and German officials in Nairobi.")
    assert {e.target.code for e in events if e.target} == {"FRAGOV", "DEUGOV"}


def test_a_joint_act_of_coordinated_nationalities_gives_both_directions(events_of) -> None:
    events = events_of("Senior Hungarian and Romanian officials agreed on Wednesday to reopen the border crossing.")
    assert _pairs(events) == {("HUNGOV", "ROUGOV"), ("ROUGOV", "HUNGOV")}


def test_coordinated_words_of_a_title_are_not_split(events_of) -> None:
    events = events_of("The Trade and Industry Minister met Chinese officials.")
    assert {e.source.text for e in events} == {"The Trade and Industry Minister"}


def test_a_thing_in_or_of_a_country_is_not_an_actor(resources) -> None:
    resolver = resources.resolver
    for thing in ("a ceasefire agreement in Libya", "northern parts of South Sudan", "this jail in northern Israel"):
        assert resolver.resolve_text(thing).kind in (None, "place"), thing  # a place at most, never an actor
    assert resolver.resolve_text("workers in Mexico").code == "MEXLAB"
    assert resolver.resolve_text("the government of Sudan").code == "SDNGOV"


def test_a_thing_located_in_a_country_is_not_the_target(events_of) -> None:
    events = events_of("President Deby lifted a state of emergency in northern parts of Chad on Friday.")
    assert [e.target for e in events] == [None]


def test_a_country_name_is_the_country_not_a_town_of_that_name(resources) -> None:
    for name, iso3 in (("Mexico", "MEX"), ("Sudan", "SDN"), ("Mali", "MLI"), ("Lebanon", "LBN")):
        assert resources.resolver.resolve_location(name).country == iso3


def test_a_capitalised_new_starts_a_known_name_and_is_a_filler_elsewhere(resources) -> None:
    resolver = resources.resolver
    assert resolver.resolve_text("the New York police").code == "USACOP"
    assert resolver.resolve_text("New South Wales").country == "AUS"
    assert resolver.resolve_location("New Orleans").country == "USA"
    assert resolver.resolve_text("the new government").code == "GOV"
    assert resolver.resolve_text("New Sanctions").name is None


def test_role_only_actors_take_the_country_of_the_place_they_act_in(events_of) -> None:
    events = events_of("The authorities imposed a curfew in New York City on Sunday.")
    assert [e.source.code for e in events] == ["USAGOV"]


def test_its_refers_to_the_nearest_country_named_before_it(events_of) -> None:
    events = events_of("Canada criticised the government of Peru and its president on Monday.")
    assert {e.target.code for e in events if e.target} == {"PERGOV"}
    events = events_of("Chile summoned a senior Bolivian diplomat to its Foreign Ministry on Thursday.")
    assert {(e.target.text, e.target.code) for e in events if e.target} == {
        ("a senior Bolivian diplomat", "BOLGOV"),
        ("its Foreign Ministry", "CHLGOV"),  # not Bolivia: a nationality adjective is no antecedent
    }


def test_a_role_only_conjunct_takes_the_country_of_its_partner(events_of) -> None:
    events = events_of("The Chilean foreign minister and a group of senators met Argentine officials in Geneva.")
    assert {(e.source.text, e.source.code) for e in events} == {
        ("The Chilean foreign minister", "CHLGOV"),
        ("a group of senators", "CHLLEG"),
    }


def test_an_agent_noun_that_only_modifies_a_thing_names_no_actor(resources) -> None:
    resolver = resources.resolver
    for thing in ("joint military exercises", "a new round of joint naval exercises", "an executive order"):
        assert resolver.resolve_text(thing).sector is None, thing
    assert resolver.resolve_text("the bases of government forces").sector == "MIL"
    # Installations stand for the force holding them: shelling them acts on that force.
    assert resolver.resolve_text("rebel positions").sector == "REB"
    assert resolver.resolve_text("a police checkpoint").sector == "COP"
    assert resolver.resolve_text("prison guards").sector == "COP"


def test_two_countries_holding_exercises_are_each_others_partners(events_of) -> None:
    events = events_of("Egypt and Greece began a new round of joint naval exercises on Monday.")
    assert {(e.source.code, e.target.code if e.target else None) for e in events} == {("EGY", "GRC"), ("GRC", "EGY")}


def test_a_place_in_the_sources_own_phrase_is_not_its_target(events_of) -> None:
    events = events_of("Kenya's Ambassador to the United States denied the charges on Monday.")
    assert [(e.source.code, e.target) for e in events] == [("KENGOV", None)]


def test_whoever_made_a_rejected_or_accepted_proposal_is_the_target(events_of) -> None:
    events = events_of("Nigeria's government accepted the proposal submitted by the World Bank and the African Union.")
    assert {e.target.text for e in events if e.target} == {"the World Bank", "the African Union"}


def test_a_named_body_keeps_its_country_phrase_and_loses_a_date_before_it(events_of) -> None:
    events = events_of("The Supreme Court of Kenya rejected an appeal lodged by the Catholic Church.")
    assert [(e.source.text, e.source.code) for e in events] == [("The Supreme Court of Kenya", "KENJUD")]
    events = events_of("On 3 March 2019 Peru's Supreme Court rejected an appeal lodged by the ruling party.")
    assert [e.source.text for e in events] == ["Peru's Supreme Court"]


def test_role_only_actors_take_the_country_of_a_place_qualifying_a_noun(events_of) -> None:
    events = events_of("Hundreds of teachers stopped work over unpaid wages at schools in the province of Balochistan.")
    assert {e.source.code for e in events} == {"PAKEDU"}
    events = events_of("The minister sent aid to Balochistan.")  # a destination is a party, not the minister's country
    assert all(e.source.country is None for e in events)


def test_the_party_a_condition_names_is_the_target_of_a_threat_or_refusal(events_of) -> None:
    events = events_of("Iran threatened to launch a new offensive unless Baghdad accepted its conditions.")
    assert [(e.code.plover, e.target.code if e.target else None) for e in events] == [("THREATEN", "IRQGOV")]
    events = events_of("The senator said Washington would not lift the embargo until Cuba frees its prisoners.")
    assert ("USAGOV", "CUB") in _pairs(events)
    events = events_of("Ghana threatened to recall its ambassador if Togo refuses to hand over the suspects.")
    assert ("GHA", "TGO") in _pairs(events)


def test_a_thing_of_a_named_person_is_not_that_person(resources) -> None:
    resolver = resources.resolver
    for thing in ("the eve of a visit by Chairman Yasser Arafat", "a report by Amnesty International"):
        assert not resolver.resolve_text(thing).name, thing
    assert resolver.resolve_text("leaders of Romania").country == "ROU"
    assert resolver.resolve_text("a ceasefire agreement in Libya").kind in (None, "place")


def test_whom_a_helped_act_is_done_for_is_the_target_of_the_help(events_of) -> None:
    events = events_of("Japan helped rebuild the Iraqi police force after the war.")
    assert [(e.source.code, e.code.plover, e.target.code if e.target else None) for e in events] == [
        ("JPN", "AID", "IRQCOP")  # and no act of 'Iraqi' named by 'police force'
    ]


def test_the_authorities_citizens_act_on_are_their_own_countrys(events_of) -> None:
    events = events_of("Kenyan teachers accused the authorities of ignoring their demands.")
    assert _pairs(events) == {("KENEDU", "KENGOV")}


def test_a_country_in_a_where_phrase_is_no_target_whatever_its_entity_label(events_of) -> None:
    text = "A first group of Nepalese peacekeeping troops arrived in Sierra Leone Tuesday, joining 40 observers."
    events = events_of(text)
    assert [(e.code.plover, e.target) for e in events if e.code.plover == "AID"] == [("AID", None)]


def test_the_opposition_a_country_acts_on_is_its_own(events_of) -> None:
    events = events_of("Belarus has banned a prominent opposition leader from holding public office for five years.")
    assert ("BLR", "BLROPP") in _pairs(events)


def test_a_description_split_off_a_name_by_the_parser_is_no_actor_of_its_own(events_of) -> None:
    events = events_of("The rebel Free Syrian Army on Wednesday threatened to shell positions of Hezbollah.")
    assert {e.source.text for e in events} == {"Free Syrian Army"}


def test_what_an_act_is_over_is_its_issue_not_its_target(events_of) -> None:
    events = events_of("Pakistan threatened to cut ties with Chad over its relations with Israel.")
    assert _pairs(events) == {("PAK", "TCD")}
