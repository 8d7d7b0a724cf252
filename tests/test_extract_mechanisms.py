"""General extraction mechanisms, each on sentences written for it (none is from the gold set or the seeds)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwire.events.confidence import FEATURES, event_features, load_calibrator
from eventwire.events.extract import SentenceEvents
from eventwire.records import Event


def _triples(events: list[Event]) -> set[tuple[str, str, str | None]]:
    return {(e.source.text, e.code.plover, e.target.text if e.target else None) for e in events}


def test_groups_named_by_their_role_are_actors(events_of) -> None:
    events = events_of("Protesters clashed with riot police outside the parliament on Tuesday.")
    assert ("Protesters", "ASSAULT", "riot police") in _triples(events)


def test_a_reported_event_replaces_the_bare_statement_of_its_speaker(events_of) -> None:
    events = events_of("Police detained three journalists in the capital, a police spokesman said.")
    assert {e.code.plover for e in events} == {"COERCE"}
    assert not any(e.code.cameo.startswith("01") for e in events)


def test_the_content_of_an_accusation_is_not_asserted(events_of) -> None:
    triples = _triples(events_of("The tribunal convicted the militia leader of burning three villages."))
    assert all(source == "The tribunal" for source, _, _ in triples)


def test_what_is_demanded_is_not_asserted_and_its_subject_is_the_target(events_of) -> None:
    events = events_of("Opposition parties in Kenya demanded that the interior minister step down.")
    assert [(e.code.plover, e.target.text if e.target else None) for e in events] == [
        ("REQUEST", "the interior minister")
    ]


def test_a_clause_under_a_negated_conditional_governor_is_not_asserted(events_of) -> None:
    assert events_of("Poland would not allow Belarus to send troops to help Russia.") == []


def test_receiving_from_makes_the_giver_the_source(events_of) -> None:
    events = events_of("The militia received rifles from the army of Sudan.")
    assert [(e.source.text, e.target.text if e.target else None) for e in events] == [
        ("the army of Sudan", "The militia")
    ]


def test_a_joint_act_gives_both_directions(events_of) -> None:
    triples = _triples(events_of("Armenia and Azerbaijan agreed a truce on Sunday."))
    assert {(s, t) for s, _, t in triples} == {("Armenia", "Azerbaijan"), ("Azerbaijan", "Armenia")}


def test_a_possessor_is_the_target_not_the_partner_of_its_act(events_of) -> None:
    triples = _triples(events_of("Canada condemned Iran's attack on Israel."))
    assert {t for s, _, t in triples if s == "Canada"} == {"Iran's attack"}
    assert ("Iran", "ASSAULT", "Israel") in triples  # the condemned act is Iran's own event


def test_a_document_speaks_for_its_issuer(events_of) -> None:
    text = "Human Rights Watch issued a statement calling on the Egyptian government to free the activists."
    events = events_of(text)
    assert ("Human Rights Watch", "REQUEST", "the Egyptian government") in _triples(events)


def test_a_light_verb_takes_its_event_from_a_prepositional_noun(events_of) -> None:
    events = events_of("Thousands of teachers in Chile went on strike over pay.")
    assert [(e.code.plover, e.source.country) for e in events] == [("PROTEST", "CHL")]


def test_an_unknown_name_takes_the_country_of_its_title(events_of) -> None:
    events = events_of("Tomas Weller, Czech Deputy Foreign Minister, met Slovak diplomats in Bratislava.")
    assert events and events[0].source.country == "CZE"


def test_confidence_is_the_calibrated_probability(resources) -> None:
    calibrator = load_calibrator()
    assert calibrator is not None, "events/data/confidence.json is shipped"
    doc = next(iter(resources.nlp.pipe(["Protesters clashed with riot police outside the parliament on Tuesday."])))
    heuristic = SentenceEvents(resources.resolver, resources.coder, calibrator=None).extract(doc, "t", None)
    calibrated = resources.extractor.extract(doc, "t", None)
    assert heuristic and len(event_features(heuristic[0])) == len(FEATURES)
    expected = [calibrator.probability(e) for e in heuristic]
    assert [e.confidence for e in calibrated] == pytest.approx(expected)
    assert all(0.0 < p < 1.0 for p in expected)


def test_an_answered_act_named_by_a_noun_is_an_event_of_its_agent(events_of) -> None:
    triples = _triples(events_of("Hungary rejected a request by Austria to reopen the border crossing."))
    assert ("Hungary", "REJECT", "Austria") in triples
    assert ("Austria", "REQUEST", "Hungary") in triples


def test_role_named_actors_take_the_country_of_the_place_or_of_the_state_they_face(events_of) -> None:
    detained = events_of("Belarusian police detained several dozen people on Sunday.")
    assert [(e.target.text, e.target.country) for e in detained if e.target] == [("several dozen people", "BLR")]
    clashed = events_of("Protesters clashed with police in Nairobi on Tuesday.")
    assert {(e.source.country, e.target.country if e.target else None) for e in clashed} == {("KEN", "KEN")}
    abroad = events_of("Turkey threatened to attack Kurdish fighters.")  # a country acts abroad: no guess
    assert [e.target.country for e in abroad if e.target] == [None]
    owned = events_of("Armenia accused its border guards of negligence.")
    assert [(e.target.text[:17], e.target.country) for e in owned if e.target] == [("its border guards", "ARM")]


def test_the_partner_of_a_nested_object_noun_is_a_target(events_of) -> None:
    events = events_of("Norway provided $5 million in assistance to Malawi after the floods.")
    assert ("Norway", "AID", "Malawi") in _triples(events)


def test_a_meeting_that_took_place_is_a_consultation_and_a_planned_one_an_intent(events_of) -> None:
    held = events_of("Last week, the Kenyan president met the Ugandan foreign minister in Kampala.")
    assert [(e.code.plover, e.code.cameo) for e in held] == [("CONSULT", "040")]
    planned = events_of("The Kenyan president will meet the Ugandan foreign minister next week.")
    assert [e.code.cameo for e in planned] == ["036"]


def test_being_ready_to_act_is_an_offer(events_of) -> None:
    events = events_of("Ghana is ready to send peacekeepers to Mali.")
    assert [(e.source.text, e.code.plover, e.target.text if e.target else None) for e in events] == [
        ("Ghana", "AGREE", "Mali")
    ]


def test_signing_an_agreement_is_cameo_057_and_a_planned_signing_an_intent(events_of) -> None:
    signed = events_of("Chile and Peru signed a fisheries accord in Lima on Monday.")
    assert {(e.code.cameo, e.code.plover) for e in signed} == {("057", "SUPPORT")}
    planned = events_of("Chile and Peru will sign a fisheries accord next week.")
    assert planned and all(e.code.plover == "AGREE" for e in planned)


def test_what_a_transfer_verb_hands_over_names_the_aid(events_of) -> None:
    food = events_of("Japan sent food and medicine to flood victims in Bangladesh.")
    assert [(e.code.cameo, e.target.country if e.target else None) for e in food] == [("073", "BGD")]
    arms = events_of("Iran supplied weapons to the Houthi rebels in Yemen.")
    assert [e.code.cameo for e in arms] == ["072"]


def test_the_partner_of_a_prepositional_object_noun_is_a_target(events_of) -> None:
    events = events_of("The Lithuanian parliament voted for sanctions against Belarus on Tuesday.")
    assert [e.target.text for e in events if e.target] == ["Belarus"]


def test_a_conjunction_inside_an_organisation_name_does_not_split_it(events_of) -> None:
    events = events_of("The U.S. Drug Enforcement and Border Agency arrested two Mexican pilots.")
    sources = {e.source.text for e in events}
    assert sources and all("Drug Enforcement and Border Agency" in text for text in sources)


def test_the_object_does_what_an_infinitive_complement_says(events_of) -> None:
    events = events_of("French officers trained Malian soldiers to attack jihadist camps.")
    assert {e.source.text for e in events if e.predicate == "to attack"} == {"Malian soldiers"}


def test_coordinated_verbs_share_the_object_of_the_second(events_of) -> None:
    events = events_of("The rebels shelled and captured two Nigerian army posts.")
    # both verbs reach the posts; the pair is coded once, by the more confident verb
    assert [(e.predicate, e.target.text if e.target else None) for e in events] == [
        ("shelled", "two Nigerian army posts")
    ]


def test_a_counted_group_is_the_target_not_the_number(events_of) -> None:
    events = events_of("Security forces in Belarus detained hundreds of opposition supporters on Sunday.")
    assert [e.target.text for e in events if e.target] == ["opposition supporters"]


def test_a_city_is_where_an_act_happens_not_its_target(events_of) -> None:
    events = events_of("Kenyan police imposed a curfew on Mombasa after the riots.")
    assert [(e.code.plover, e.target) for e in events] == [("COERCE", None)]


def test_troops_an_actor_moves_are_not_its_target(events_of) -> None:
    events = events_of("Serbia has reinforced its troops along the border with Kosovo.")
    assert [(e.source.text, e.code.plover, e.target) for e in events] == [("Serbia", "MOBILIZE", None)]


def test_an_apposition_gives_an_unknown_name_its_country_and_role(events_of) -> None:
    events = events_of("Rebel commanders met Pedro Alvarado, a senior US State Department official, on Friday.")
    assert [(e.target.text, e.target.country) for e in events if e.target] == [("Pedro Alvarado", "USA")]


def test_a_place_a_thing_stands_in_is_no_actor(events_of) -> None:
    events = events_of("The envoys met at a hotel in Nairobi on Monday.")
    assert all(e.target is None or "hotel" not in e.target.text for e in events)


def test_role_only_actors_take_the_country_the_sentence_places_them_in(events_of) -> None:
    events = events_of("Armenia threatened to shell militia fighters across the border in western Azerbaijan.")
    assert [(e.target.text, e.target.country) for e in events if e.target] == [("militia fighters", "AZE")]


def test_lifting_a_restriction_eases_it(events_of) -> None:
    events = events_of("The European Union lifted its arms embargo on Libya on Monday.")
    assert [(e.code.cameo, e.code.plover) for e in events] == [("081", "CONCEDE")]


def test_refusing_to_lift_a_restriction_is_a_rejection(events_of) -> None:
    events = events_of("Japan said it will not lift the sanctions on Pyongyang.")
    assert [(e.source.text, e.code.plover) for e in events] == [("Japan", "REJECT")]


def test_cannot_is_a_refusal_not_a_hypothesis(events_of) -> None:
    events = events_of("Kenya said it cannot accept any more refugees from Somalia.")
    assert {(e.source.text, e.code.plover) for e in events} == {("Kenya", "REJECT")}
    assert all(e.source.text != "Somalia" for e in events)


def test_saying_what_another_must_do_is_a_demand_on_it(events_of) -> None:
    events = events_of("The French president said the US must stop its strikes on Syrian towns.")
    assert [(e.code.plover, e.target.text if e.target else None) for e in events] == [("REQUEST", "the US")]


def test_halting_cooperation_reduces_relations(events_of) -> None:
    triples = _triples(events_of("Canada suspended military aid to Niger after the coup."))
    assert triples == {("Canada", "SANCTION", "Niger")}


def test_a_promise_needs_no_partner_but_a_meeting_does(events_of) -> None:
    assert _triples(events_of("The Malian junta has agreed to hold elections in February.")) == {
        ("The Malian junta", "AGREE", None)
    }
    assert events_of("The Malian junta met on Monday.") == []


def test_a_reported_event_keeps_who_reported_it(events_of) -> None:
    said = events_of("Nigerian troops killed twelve insurgents near Maiduguri, a Nigerian army spokesman said.")
    according = events_of("According to Syrian state media, Turkish drones struck a Kurdish convoy.")
    assert [e.mentions[0].attributed_to.text for e in said] == ["a Nigerian army spokesman"]
    assert [e.mentions[0].attributed_to.country for e in according] == ["SYR"]


def test_plain_remarks_of_business_people_are_no_event(events_of) -> None:
    assert events_of("Shares of the carmaker rose sharply, Ford chief executive Jim Farley said.") == []
    assert [e.code.plover for e in events_of("Iran's foreign ministry said the talks in Vienna were useful.")] == [
        "STATEMENT"
    ]


def test_a_capital_qualifying_a_thing_is_no_actor(events_of, resources) -> None:
    """'The Paris accord' is not France's government; 'Moscow's envoy' is a Russian official."""
    assert resources.resolver.resolve_text("the Paris accord").kind == "place"
    assert resources.resolver.resolve_text("the Beijing summit").kind == "place"
    envoy = events_of("Moscow's envoy met the Syrian foreign minister in Damascus.")
    assert [(e.source.country, e.source.sector) for e in envoy] == [("RUS", "GOV")]


def test_a_name_initial_parsed_as_a_conjunction_does_not_stop_the_article(events_of) -> None:
    """Lower-cased wire text ('commissioner n v rao') makes the parser read the initial 'n' as a
    conjunction; the sentence is still coded instead of failing the whole article."""
    events = events_of(
        "police commissioner n v ramana rao himself walked through the old town and spoke to the traders."
    )
    assert [(e.source.text.startswith("police commissioner"), e.target.text if e.target else None) for e in events] == [
        (True, "the traders")
    ]


def test_a_pair_gets_one_event_per_sentence_the_most_confident(events_of) -> None:
    events = events_of("Rebels besieged and bombarded government troops in Kidal for a week.")
    pairs = [(e.source.text, e.target.text if e.target else None) for e in events]
    assert pairs == [("Rebels", "government troops")]
    raw = events_of("Rebels besieged government troops in Kidal. Rebels bombarded government troops in Kidal.")
    assert len(raw) == 2  # one per sentence: the same pair in two sentences keeps both


def test_condolences_are_sympathy_not_a_plain_comment(events_of) -> None:
    triples = _triples(events_of("The mayor of Lviv expressed condolences to the families of the victims."))
    assert triples == {("The mayor of Lviv", "SUPPORT", "the families of the victims")}


def test_welcoming_an_offer_endorses_it(events_of) -> None:
    events = events_of("The Kenyan president welcomed Ethiopia's offer of mediation.")
    assert [(e.code.plover, e.code.cameo) for e in events if e.source.text == "The Kenyan president"] == [
        ("SUPPORT", "051")
    ]


def test_suing_and_indicting_accuse_of_a_crime(events_of) -> None:
    events = events_of("The family of the journalist sued the Saudi government in a Paris court.")
    assert [(e.code.plover, e.code.cameo, e.target.text if e.target else None) for e in events] == [
        ("ACCUSE", "1121", "the Saudi government")
    ]
    events = events_of("Prosecutors in Brazil indicted the former governor of Rio on corruption charges.")
    assert [e.code.plover for e in events] == ["ACCUSE"]


def test_agreeing_to_a_deal_concludes_it_but_agreeing_to_a_ceasefire_is_an_agreement(events_of) -> None:
    assert _triples(events_of("Chile and Peru have agreed upon a border treaty.")) == {
        ("Chile", "SUPPORT", "Peru"), ("Peru", "SUPPORT", "Chile")
    }
    assert {e.code.cameo for e in events_of("Sudan renewed a ceasefire pact with the rebels.")} == {"057"}
    assert {e.code.plover for e in events_of("Serbia and Kosovo agreed to a ceasefire on Sunday.")} == {"AGREE"}


def test_what_is_urged_or_demanded_is_requested_not_done(events_of) -> None:
    assert _triples(events_of("Poland urged sanctions against Belarus.")) == {("Poland", "REQUEST", "Belarus")}
    events = events_of("The opposition in Georgia demanded the arrest of the interior minister.")
    assert [e.code.plover for e in events] == ["REQUEST"]


def test_halting_any_kind_of_aid_reduces_relations(events_of) -> None:
    events = events_of("Norway suspended food supplies to Yemen.")
    assert [(e.code.plover, e.code.cameo, e.target.text if e.target else None) for e in events] == [
        ("SANCTION", "1623", "Yemen")
    ]


def test_a_pattern_of_prepositions_alone_needs_them_on_the_verb(events_of) -> None:
    text = "The president of Nigeria welcomed the decision of the Kano government to build new schools."
    assert {e.code.cameo for e in events_of(text)} == {"051"}  # the infinitive's 'to' hosts no one
    hosted = events_of("The Emir of Qatar welcomed the Iranian president to Doha.")
    assert ("CONSULT", "043", "the Iranian president") in {
        (e.code.plover, e.code.cameo, e.target.text if e.target else None) for e in hosted
    }


def test_extradition_coerces_the_person_handed_over(events_of) -> None:
    events = events_of("A court in Madrid approved the extradition of a Venezuelan general.")
    assert [(e.code.plover, e.code.cameo) for e in events] == [("COERCE", "174")]
    assert {e.code.plover for e in events_of("Peru extradited a Colombian drug lord to the United States.")} == {
        "COERCE"
    }


def test_closing_a_border_or_an_embassy_reduces_relations(events_of) -> None:
    assert _triples(events_of("Kenya closed its border with Somalia.")) == {("Kenya", "SANCTION", "Somalia")}
    assert [e.code.cameo for e in events_of("Hungary shut its embassy in Kabul.")] == ["161"]


def test_verbs_of_degree_and_governance_are_no_cooperation_by_themselves(events_of) -> None:
    assert events_of("The Burmese junta has ruled Myanmar since the coup.") == []
    assert events_of("The Afghan government improved the lives of women in Herat.") == []
    granted = events_of("The European Union granted Ukraine a loan of 5 billion euros.")
    assert [(e.code.plover, e.target.text if e.target else None) for e in granted] == [("AID", "Ukraine")]


def test_a_cleft_sentence_dates_its_clause_by_its_focus(resources) -> None:
    """'It was at X's meeting last year that A met B': the focus, however deep its date, dates the meeting."""
    text = "It was on the sidelines of last October's summit in Astana that Erdogan and Aliyev held talks."
    doc = next(iter(resources.nlp.pipe([text])))
    events = resources.extractor.extract_batch([(doc, "t", dt.date(2024, 3, 12))])[0]
    talks = [e for e in events if e.code.plover == "CONSULT"]
    assert talks and {(e.date.date, e.date.text) for e in talks} == {(dt.date(2023, 10, 1), "last October")}
    plain = "Erdogan and Aliyev held talks on the sidelines of a summit in Astana."
    doc = next(iter(resources.nlp.pipe([plain])))
    undated = resources.extractor.extract_batch([(doc, "t", dt.date(2024, 3, 12))])[0]
    assert {e.date.method for e in undated if e.code.plover == "CONSULT"} == {"publication"}


@pytest.mark.parametrize(("text", "cameo", "target"), [
    ("Germany returned four looted bronze sculptures to Nigeria last week.", "0842", "Nigeria"),
    ("The FBI handed back a stolen 15th-century manuscript to Spain.", "0842", "Spain"),
    ("Iran returned the bodies of two Iraqi pilots to Iraq.", "0841", "Iraq"),
    ("Sudan set free 30 Eritrean prisoners on Monday.", "0841", "30 Eritrean prisoners"),
    ("The junta let free a dozen Thai fishermen.", "0841", "Thai fishermen"),
    ("The junta freed five Thai journalists.", "0841", "five Thai journalists"),
])
def test_returning_property_or_people_and_releases_are_retreats(events_of, text, cameo, target) -> None:
    events = [e for e in events_of(text) if e.target and e.target.text.endswith(target)]
    assert [(e.code.cameo, e.code.plover) for e in events] == [(cameo, "RETREAT")]


def test_returning_home_is_no_event(events_of) -> None:
    assert events_of("The Kenyan president returned to Nairobi on Sunday.") == []


def test_rolling_back_tariffs_eases_sanctions(events_of) -> None:
    events = events_of("Mexico rolled back tariffs on American corn.")
    assert [(e.source.text, e.code.cameo) for e in events] == [("Mexico", "085")]


@pytest.mark.parametrize(("text", "cameo"), [
    ("A mob lynched two Pakistani traders near the border.", "1823"),
    ("Militants held dozens of Afghan villagers as human shields.", "181"),
    ("Rebels torched the homes of Congolese soldiers.", "1712"),
])
def test_lynching_human_shields_and_arson_are_assaults(events_of, text, cameo) -> None:
    assert [(e.code.cameo, e.code.plover) for e in events_of(text)] == [(cameo, "ASSAULT")]


@pytest.mark.parametrize(("text", "cameo", "plover"), [
    ("Kenya strengthened its forces along the Somali border.", "154", "MOBILIZE"),
    ("Turkey reinforced its troops near Idlib.", "154", "MOBILIZE"),
    ("Britain provided intelligence to Ukraine.", "064", "COOPERATE"),
    ("The Bolivian government declared a state of emergency in La Paz.", "1724", "COERCE"),
    ("The junta declared a 30-day state of siege in the capital.", "1724", "COERCE"),
    ("Myanmar allowed humanitarian aid into Rakhine state.", "0863", "RETREAT"),
    ("French instructors trained Malian soldiers.", "062", "COOPERATE"),
    ("Hundreds of Boko Haram fighters surrendered to the Nigerian army.", "0874", "RETREAT"),
    ("A Congolese militia leader surrendered to the authorities in Bunia.", "080", "CONCEDE"),
    ("The Bangladeshi opposition opposed demands for early elections.", "120", "REJECT"),
    ("Opposition parties in Bangladesh organised a rally against the government.", "141", "PROTEST"),
    ("The World Bank mobilised funds for Haitian farmers.", "071", "AID"),
    ("Washington pressured Israel to halt the offensive.", "100", "REQUEST"),
    ("Trade unions in Kerala held a bandh against the state government.", "143", "PROTEST"),
    ("Jordan shared intelligence with Egypt.", "064", "COOPERATE"),
    ("The Chadian government accepted the demands of the striking teachers.", "083", "CONCEDE"),
    ("Eritrean troops violated the ceasefire with Ethiopia.", "190", "ASSAULT"),
    ("Syrian air defences downed an Israeli drone.", "190", "ASSAULT"),
])
def test_own_verb_classes_code_what_the_dictionary_leaves_uncoded(events_of, text, cameo, plover) -> None:
    assert (cameo, plover) in {(e.code.cameo, e.code.plover) for e in events_of(text)}


def test_reinforcing_a_commitment_coerces_nobody(events_of) -> None:
    events = events_of("Germany reinforced its commitment to Sudanese refugees.")
    assert not any(e.code.plover == "COERCE" for e in events)
