"""The event coder: what a reporter's verb means in CAMEO and PLOVER, with the real tables and model."""

from __future__ import annotations

import pytest

from eventwire.events.code import EventCoder
from eventwire.events.tables import (
    cameo_label,
    conflibert_class,
    goldstein,
    load_tables,
    make_code,
    plover_for,
    quad_class,
)
from eventwire.records import Predicate


@pytest.fixture(scope="module")
def coder() -> EventCoder:
    return EventCoder.load()


def clause(lemma: str, text: str, words: str, **fields) -> Predicate:
    """A predicate as the extractor hands it over: verb lemma, verb text, clause text."""
    return Predicate(lemma=lemma, text=text, clause=words, **fields)


def test_a_meeting_is_a_consultation_of_verbal_cooperation(coder):
    code = coder.code(clause("meet", "met", "Putin met Xi in Beijing on Monday", object_lemmas=["xi"]), "")
    assert code.cameo.startswith("04") and code.plover == "CONSULT"
    assert code.quad_class == 1
    assert code.goldstein == goldstein(code.cameo) == 1.0
    assert 0 < code.confidence <= 1


def test_a_condemnation_is_verbal_conflict_with_a_negative_goldstein_score(coder):
    sentence = "The EU condemned the attack on civilians in Gaza."
    code = coder.code(clause("condemn", "condemned", sentence, object_lemmas=["attack"]), sentence)
    assert code.cameo == "111"  # CAMEO: Criticize or denounce
    assert code.plover == "ACCUSE" and code.mode == "disapprove"
    assert code.quad_class == 3 and code.goldstein < 0


def test_not_condemning_is_not_a_condemnation(coder):
    negated = clause("condemn", "did not condemn", "France did not condemn the strike", negated=True)
    refrained = clause(
        "refrain", "refrained", "Germany refrained from condemning the raid", xcomp_lemmas=["condemn"]
    )
    assert coder.code_many([(negated, ""), (refrained, "")]) == [None, None]


def test_will_meet_is_an_intent_to_meet_not_a_meeting(coder):
    code = coder.code(
        clause("meet", "will meet", "Biden will meet Zelensky next week", modality="intent"), ""
    )
    assert code.cameo == "036" and code.plover == "AGREE"


def test_will_not_lift_sanctions_is_a_refusal(coder):
    predicate = clause(
        "lift", "will not lift", "Russia will not lift the sanctions", negated=True, modality="intent"
    )
    code = coder.code(predicate, "")
    assert code.cameo == "1244" and code.plover == "REJECT"  # decline to ease economic sanctions


def test_hypothetical_acts_are_not_events(coder):
    assert (
        coder.code(clause("attack", "could attack", "Iran could attack tankers", modality="hypothetical"), "")
        is None
    )


def test_an_attack_is_material_conflict(coder):
    code = coder.code(clause("attack", "attacked", "Russian forces attacked the city of Kharkiv"), "")
    assert code.cameo.startswith("19") and code.plover == "ASSAULT"
    assert code.quad_class == 4 and code.goldstein == -10.0


@pytest.mark.parametrize(
    ("lemma", "text", "words", "fields", "expected"),
    [
        ("hold", "held", "The government held talks with the rebels", {"object_lemmas": ["talk"]}, "046"),
        (
            "sign",
            "signed",
            "The two countries signed a peace agreement",
            {"object_lemmas": ["agreement"]},
            "057",
        ),
        ("impose", "imposed", "The US imposed sanctions on Russia", {"object_lemmas": ["sanction"]}, "163"),
        ("call", "called for", "The UN called for a ceasefire in Gaza", {"preps": ["for"]}, "0256"),
        ("visit", "visited", "Modi visited Moscow", {}, "042"),
        ("accuse", "accused", "Israel accused Iran of arming Hezbollah", {}, "112"),
        ("praise", "praised", "Macron praised the deal", {}, "051"),
        ("arrest", "arrested", "Police arrested the opposition leader", {"object_lemmas": ["leader"]}, "173"),
        ("shell", "shelled", "Troops shelled the village", {}, "194"),
        (
            "renew",
            "renewed",
            "Israel and Lebanon renewed negotiations",
            {"object_lemmas": ["negotiation"]},
            "046",
        ),
    ],
)
def test_dictionary_patterns_give_the_specific_code(coder, lemma, text, words, fields, expected):
    assert coder.code(clause(lemma, text, words, **fields), words).cameo == expected


@pytest.mark.parametrize(
    ("lemma", "complement", "words", "expected", "plover"),
    [
        ("urge", "release", "The UN urged Iran to release the detained journalists", "0253", "REQUEST"),
        ("refuse", "meet", "Iran refused to meet US negotiators", "125", "REJECT"),
        ("threaten", "attack", "Israel threatened to attack Hezbollah positions", "138", "THREATEN"),
        ("pledge", "support", "Japan pledged to support the reforms", "032", "AGREE"),
        ("decline", "comment", "The ministry declined to comment", "011", "STATEMENT"),
    ],
)
def test_governing_verbs_turn_the_act_into_appeal_refusal_threat_or_intent(
    coder, lemma, complement, words, expected, plover
):
    code = coder.code(clause(lemma, words.split()[2], words, xcomp_lemmas=[complement]), words)
    assert (code.cameo, code.plover) == (expected, plover)


def test_saying_is_a_low_confidence_statement_and_reporting_lowers_confidence(coder):
    said = coder.code(clause("say", "said", "The minister said the talks were useful"), "")
    assert said.cameo == "010" and said.confidence <= 0.3
    asserted = coder.code(clause("meet", "met", "Putin met Xi in Beijing"), "")
    reported = coder.code(clause("meet", "met", "Putin met Xi in Beijing", modality="reported"), "")
    assert reported.cameo == asserted.cameo and reported.confidence < asserted.confidence


def test_plover_event_and_mode_follow_the_2021_mapping():
    assert plover_for("042") == ("CONSULT", "visit")
    assert plover_for("173") == ("COERCE", "arrest")
    assert plover_for("0841") == ("RETREAT", "release")
    assert plover_for("195") == ("ASSAULT", "heavy-weapons")
    assert plover_for("1823") == ("ASSAULT", None)
    assert plover_for("0253")[0] == "REQUEST"  # appeals map to REQUEST like CAMEO 10 demands


def test_tables_know_labels_quad_classes_and_their_provenance():
    assert "Criticize" in cameo_label("111")
    assert [quad_class(c) for c in ("010", "057", "073", "120", "163", "190")] == [1, 1, 2, 3, 4, 4]
    assert conflibert_class("163") == 3 and conflibert_class("020") == 0  # sanctions count as verbal conflict
    code = make_code("0874")
    assert (code.plover, code.mode, code.quad_class) == ("RETREAT", "disarm", 2)
    meta = load_tables().meta
    assert "MIT" in meta["sources"]["verbs"] and "CC BY-SA" in meta["licence"]
    assert meta["stats"]["patterns"] > 4000


def test_code_many_codes_a_large_batch_in_order_like_one_by_one(coder):
    """A batch of 1,200 predicates gives one answer per item, in order, equal to coding each alone.

    Its speed is measured by benchmarks/coder.py (docs/performance.md), not asserted here.
    """
    distinct = [
        (clause("meet", "met", "Putin met Xi in Beijing"), "Putin met Xi in Beijing."),
        (clause("attack", "attacked", "Rebels attacked a convoy"), "Rebels attacked a convoy."),
        (clause("zorbify", "zorbified", "They zorbified it"), "They zorbified it."),
    ]
    codes = coder.code_many(distinct * 400)
    assert len(codes) == 1200
    assert [c.cameo[:2] if c else None for c in codes[:3]] == ["04", "19", None]
    assert codes[:3] == [coder.code(predicate, sentence) for predicate, sentence in distinct]
    assert codes == codes[:3] * 400


def test_sentences_are_classified_into_conflibert_classes(coder):
    sentences = [
        "Government troops shelled the rebel-held town, killing twelve civilians.",
        "The foreign minister strongly condemned the decision and accused Washington of hypocrisy.",
        "The two presidents held talks in Geneva and praised their growing partnership.",
    ]
    results = coder.classify_sentences(sentences)
    assert [label for label, _ in results] == [4, 3, 1]
    assert all(0.2 < probability <= 1.0 for _, probability in results)


def test_empty_batches_give_empty_answers(coder):
    assert coder.code_many([]) == [] and coder.classify_sentences([]) == []


def test_evaluation_beats_the_baseline_on_plover_gold_sentences(data_dir):
    from eventwire.evaluation.coding import evaluate_plover_sentences

    result = evaluate_plover_sentences(data_dir / "plover" / "PLOVER_GSR_CAMEO.txt", folds=3)
    assert result["n"] == 322
    assert result["eventwire"]["accuracy"] > result["baseline"]["accuracy"] > result["majority"]["accuracy"]
    assert result["rules"]["accuracy"] > 0.5
