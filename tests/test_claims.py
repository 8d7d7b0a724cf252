"""Claims and quotes on the seed articles (real pipeline, real model) and on real news sentences."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from eventwire.claims import (
    claim_group_id,
    extract_claims,
    figure_range,
    judge_group,
    period_of_text,
)
from eventwire.records import Article, Claim

MISHUSTIN_VISIT_DAY = dt.date(2023, 5, 24)  # 004 is undated; its story dates it (see test_stories)
JAN_APR_2023 = (dt.date(2023, 1, 1), dt.date(2023, 4, 30))
YEAR_2022 = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


@pytest.fixture(scope="module")
def seed_results(seeds_dir: Path, resources):
    from eventwire.ingest import read_inputs
    from eventwire.pipeline import BatchStats, clean_stream, process_articles

    paths = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    articles = [a for a in clean_stream(read_inputs(paths), BatchStats()) if isinstance(a, Article)]
    return {Path(r.article.path).name[:3]: r for r in process_articles(articles, resources)}


@pytest.fixture(scope="module")
def seed_claims(seed_results, resources):
    """Claims and quotes per seed; 004 gets the date its story infers for it."""
    out = {}
    for key, result in seed_results.items():
        doc = resources.nlp(result.article.text)
        anchor = MISHUSTIN_VISIT_DAY if key == "004" else None
        out[key] = extract_claims(doc, result.article, resources.resolver.resolve_text, anchor, result.events)
    return out


def _by_text(claims: list[Claim], text: str) -> Claim:
    matches = [c for c in claims if c.text == text]
    assert matches, (text, [c.text for c in claims])
    return matches[0]


def test_money_amounts_are_normalised_to_units_and_iso_currency(seed_claims) -> None:
    expected = {
        ("000", "$73.15 billion"): (73.15e9, "USD"),
        ("001", "190 billion US dollars"): (190e9, "USD"),
        ("001", "991.2 billion reais"): (991.2e9, "BRL"),
        ("002", "$190.27 billion"): (190.27e9, "USD"),
        ("002", "nearly 180 billion euros"): (180e9, "EUR"),
        ("004", "US$190 billion"): (190e9, "USD"),
        ("004", "70 billion dollars"): (70e9, "USD"),
    }
    for (key, text), (value, currency) in expected.items():
        claim = _by_text(seed_claims[key][0], text)
        assert claim.kind == "money"
        assert claim.value == pytest.approx(value)
        assert claim.unit == currency


def test_bracketed_conversions_are_linked_to_their_amount(seed_claims) -> None:
    claims = seed_claims["001"][0]
    reais = _by_text(claims, "991.2 billion reais")
    dollars = _by_text(claims, "190 billion US dollars")
    assert reais.converted_from == dollars.claim_id
    assert (reais.subject, reais.period_start) == (dollars.subject, dollars.period_start)
    euros = _by_text(seed_claims["002"][0], "nearly 180 billion euros")
    assert euros.converted_from == _by_text(seed_claims["002"][0], "$190.27 billion").claim_id
    assert dollars.converted_from is None


def test_percent_changes(seed_claims) -> None:
    up = _by_text(seed_claims["000"][0], "41.3 percent")
    assert (up.kind, up.value, up.unit, up.is_change) == ("percent", 41.3, "%", True)
    increase = _by_text(seed_claims["002"][0], "29.3%")
    assert increase.is_change and increase.value == 29.3
    annual = _by_text(seed_claims["004"][0], "more than 40%")
    assert annual.is_change and annual.value == 40


def test_subject_is_the_measure_and_the_countries_involved(seed_claims) -> None:
    assert _by_text(seed_claims["000"][0], "$73.15 billion").subject == "trade|CHN-RUS"
    assert _by_text(seed_claims["002"][0], "$190.27 billion").subject == "trade|CHN-RUS"
    assert _by_text(seed_claims["004"][0], "US$190 billion").subject == "trade|CHN-RUS"
    energy = [c for claims, _ in seed_claims.values() for c in claims if c.subject == "energy supply|CHN-RUS"]
    assert {c.article_id for c in energy} >= {seed_claims[k][0][0].article_id for k in ("000", "001", "004")}


def test_periods_resolve_against_publication_or_anchor_date(seed_claims, seed_results, resources) -> None:
    first_months = _by_text(seed_claims["000"][0], "$73.15 billion")
    assert (first_months.period_start, first_months.period_end) == JAN_APR_2023
    assert first_months.period_text == "the first four months of this year"
    level_2022 = _by_text(seed_claims["001"][0], "190 billion US dollars")
    assert (level_2022.period_start, level_2022.period_end) == YEAR_2022
    anchored = _by_text(seed_claims["004"][0], "70 billion dollars")
    assert (anchored.period_start, anchored.period_end) == JAN_APR_2023

    undated = seed_results["004"].article
    claims, _ = extract_claims(resources.nlp(undated.text), undated, resources.resolver.resolve_text)
    no_anchor = _by_text(claims, "70 billion dollars")
    assert no_anchor.period_text == "the first four months of the year" and no_anchor.period_start is None
    assert _by_text(claims, "US$190 billion").period_start == YEAR_2022[0]  # states its year


def test_speakers_are_attributed_sources(seed_claims) -> None:
    customs = _by_text(seed_claims["000"][0], "$73.15 billion").speaker
    assert customs is not None and "General Administration of Customs" in customs.text
    li = _by_text(seed_claims["004"][0], "70 billion dollars").speaker
    assert li is not None and li.name == "Li Qiang"
    surname_only = _by_text(seed_claims["001"][0], "70 billion US dollars").speaker
    assert surname_only is not None and surname_only.text == "Li" and surname_only.name == "Li Qiang"
    assert _by_text(seed_claims["004"][0], "US$190 billion").speaker.text == "China Customs"


def _groups(claims: list[Claim], story_of: dict[str, str]) -> dict[str, list[Claim]]:
    """Claims by the group id the corpus stage stores for them (conversions and subjectless claims left out)."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        group_id = claim_group_id(claim, story_of)
        if group_id is not None:
            groups[group_id].append(claim)
    return groups


def test_seed_claims_are_grouped_and_judged_across_articles(seed_claims, seed_results) -> None:
    ids = {key: seed_results[key].article.article_id for key in seed_results}
    story_of = {ids[k]: "mishustin-visit" for k in ("000", "001", "004")} | {ids[k]: k for k in ("002", "003")}
    claims = [c for claims, _ in seed_claims.values() for c in claims]
    groups = list(_groups(claims, story_of).values())

    def group_of(key: str, text: str) -> list[Claim]:
        return next(g for g in groups if _by_text(seed_claims[key][0], text) in g)

    trade_2022 = group_of("001", "190 billion US dollars")
    assert {c.article_id for c in trade_2022} == {ids["001"], ids["002"], ids["004"]}  # across stories
    assert all(c.unit == "USD" for c in trade_2022)  # conversions stay out
    assert claim_group_id(_by_text(seed_claims["001"][0], "991.2 billion reais"), story_of) is None
    assert judge_group(trade_2022)[0] == "agree"

    trade_jan_apr = group_of("000", "$73.15 billion")
    assert {c.article_id for c in trade_jan_apr} == {ids["000"], ids["001"], ids["004"]}
    status, note = judge_group(trade_jan_apr)
    assert status == "disagree" and "73.15 vs 70" in note and "4.5%" in note

    growth = group_of("000", "41.3 percent")
    assert {c.text for c in growth} == {"41.3 percent", "40 percent", "more than 40%"}
    assert judge_group(growth[:1]) == ("single", "single report")


def test_counts_are_compared_only_within_a_story() -> None:
    def count(claim_id: str, article_id: str) -> Claim:
        return Claim(claim_id, article_id, "count", 12, "people", "12 people", "", 0, 0, subject="kill:people")

    story_of = {"a1": "s1", "a2": "s1", "a3": "s2"}
    same_story, other_story = count("c1", "a1"), count("c2", "a2")
    assert claim_group_id(same_story, story_of) == claim_group_id(other_story, story_of) is not None
    assert claim_group_id(count("c3", "a3"), story_of) != claim_group_id(same_story, story_of)
    alone = claim_group_id(count("c4", "a4"), story_of)  # an article in no story is its own scope
    assert alone is not None and alone != claim_group_id(count("c5", "a5"), story_of)
    trade = [
        replace(count(f"t{i}", a), kind="money", subject="trade|CHN-RUS", unit="USD")
        for i, a in enumerate(("a1", "a3"))
    ]
    assert claim_group_id(trade[0], story_of) == claim_group_id(trade[1], story_of)  # between countries: corpus-wide


def test_quotes_with_resolved_speakers(seed_claims) -> None:
    quotes = seed_claims["000"][1]
    resisting = next(q for q in quotes if q.text.startswith("Our countries are together resisting"))
    assert resisting.speaker is not None and resisting.speaker.actor_id == "person:mikhail-mishustin"
    assert not any(q.text == "synchronize your clocks" for q in quotes)  # scare quotes are not quotations
    firm = next(q for q in seed_claims["004"][1] if q.text.startswith("China is willing to continue"))
    assert firm.speaker is not None and firm.speaker.name == "Xi Jinping"


def test_quote_offsets_point_into_the_article(seed_claims, seed_results) -> None:
    assert sum(len(quotes) for _, quotes in seed_claims.values()) >= 2
    for key, (_, quotes) in seed_claims.items():
        text = seed_results[key].article.text
        assert all(text[q.start : q.end] == q.text for q in quotes)


def test_counts_of_people_and_things(resources) -> None:
    # Times of India, March 2002 (IndiaPoliceEvents corpus), and Reuters-style wording.
    text = (
        "earlier, over 50 persons were arrested following vigorous combing operation, carried out on "
        "tuesday during the curfew relaxation period. Gunmen killed 12 people in the village on Sunday. "
        "The ministry said 5,000 troops would be deployed. China presented its 12-point peace plan."
    )
    article = Article(article_id="counts", text=text, published=dt.date(2002, 3, 6))
    claims, _ = extract_claims(resources.nlp(text), article)
    counts = {c.text: c for c in claims if c.kind == "count"}
    assert counts["over 50 persons"].value == 50 and counts["over 50 persons"].subject == "arrest:person"
    assert counts["12 people"].subject == "kill:people"
    assert counts["5,000 troops"].value == 5000
    assert not any("point" in t for t in counts)


def test_rounding_and_wording_ranges() -> None:
    def claim(text: str, value: float) -> Claim:
        return Claim("c", "a", "money", value, "USD", text, "", 0, 0)

    exact = figure_range(claim("$73.15 billion", 73.15e9))
    assert exact.low == pytest.approx(73.145e9) and exact.high == pytest.approx(73.155e9)
    about = figure_range(claim("about $70 billion", 70e9))
    assert about.low < 68e9 and about.high > 72e9
    nearly = figure_range(claim("nearly 180 billion euros", 180e9))
    assert nearly.high == pytest.approx(180.5e9) and nearly.low < 175e9


def test_period_expressions() -> None:
    anchor = dt.date(2023, 5, 24)
    assert period_of_text("so far this year", anchor) == (dt.date(2023, 1, 1), anchor)
    assert period_of_text("last year", anchor) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert period_of_text("the first quarter of 2022", None) == (dt.date(2022, 1, 1), dt.date(2022, 3, 31))
    assert period_of_text("the first four months of the year", None) is None
