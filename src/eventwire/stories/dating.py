"""Dates for undated articles, taken from their story: matching events of dated siblings.

An article without a publication date whose event (same two actors, compatible PLOVER
type) is reported with a stated date by a dated article of the same story takes that
date as its anchor (`DateValue(method="inferred")`, with the sibling event as evidence).
`apply_inferred_dates` then re-dates the article's relative expressions ("on
Wednesday") against that anchor and fills its claims' periods ("this year").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from eventwire.records import ArticleResult, DateEvidence, DateValue, Event, StoryAssignment
from eventwire.stories.keys import UNDATEABLE_METHODS, is_country_key, same_actors, unordered_pair
from eventwire.timex import PATTERNS, resolve_expression

#: How much a sibling's date counts, by how the sibling got it.
SIBLING_METHOD_WEIGHT = {"explicit": 1.0, "relative": 1.0, "publication": 0.4}
#: Expressions that need an anchor date to resolve (absolute ones resolved already).
_ANCHORED = [pattern for pattern, _ in PATTERNS[1:-1]]


def event_match(own: Event, other: Event) -> float:
    """How surely two events are the same happening: same actors and PLOVER type, or same quad class."""
    pair = unordered_pair(own)
    if pair is None or pair != unordered_pair(other) or all(is_country_key(k) for k in pair):
        return 0.0
    if own.code.plover == other.code.plover:
        return 1.0 if same_actors(own, other) else 0.8
    return 0.5 if own.code.quad_class == other.code.quad_class else 0.0


def _undated(event: Event) -> bool:
    return event.date.date is None and event.date.method not in UNDATEABLE_METHODS


def _dated_sibling_events(siblings: Iterable[ArticleResult]) -> list[tuple[str, Event, float]]:
    out = []
    for result in siblings:
        if result.article.published is None:
            continue
        for event in result.events:
            weight = SIBLING_METHOD_WEIGHT.get(event.date.method, 0.0)
            if event.date.date is not None and event.date.precision == "day" and weight:
                out.append((result.article.article_id, event, weight))
    return out


def infer_article_date(result: ArticleResult, siblings: Sequence[ArticleResult]) -> DateEvidence | None:
    """The best-supported date for an undated article from its siblings' matching dated events."""
    dated = _dated_sibling_events(siblings)
    votes: dict[dt.date, float] = defaultdict(float)
    best: dict[dt.date, tuple[float, Event, str, Event]] = {}
    for own in filter(_undated, result.events):
        for sibling_id, other, weight in dated:
            score = event_match(own, other) * weight
            if score <= 0:
                continue
            day = other.date.date
            assert day is not None
            votes[day] += score
            if day not in best or score > best[day][0]:
                best[day] = (score, own, sibling_id, other)
    if not votes:
        return None
    day = max(votes, key=lambda d: (votes[d], d))
    _, own, sibling_id, other = best[day]
    value = DateValue(date=day, precision="day", text=f"{other.predicate} ({sibling_id})", method="inferred")
    return DateEvidence(
        result.article.article_id, own.event_id, sibling_id, other.event_id, value, round(votes[day], 3)
    )


def infer_dates(results: Sequence[ArticleResult], story_of: dict[str, str]) -> dict[str, DateEvidence]:
    """Date evidence for every undated article that matches a dated sibling in its story."""
    members: dict[str, list[ArticleResult]] = defaultdict(list)
    for result in results:
        members[story_of.get(result.article.article_id, "")].append(result)
    out: dict[str, DateEvidence] = {}
    for result in results:
        article = result.article
        if article.published is not None or not result.events:
            continue
        siblings = [r for r in members[story_of.get(article.article_id, "")] if r is not result]
        evidence = infer_article_date(result, siblings)
        if evidence is not None:
            out[article.article_id] = evidence
    return out


def anchored_expression(sentence: str, predicate: str) -> str | None:
    """The relative date expression of a sentence closest to the predicate, same clause first."""
    found = [
        (m.start(), m.group(0))
        for pattern in _ANCHORED
        for m in pattern.finditer(sentence)
        if resolve_expression(m.group(0), None) is None  # expressions stating their year dated the event already
    ]
    if not found:
        return None
    position = max(sentence.find(predicate), 0)

    def distance(item: tuple[int, str]) -> tuple[bool, int]:
        start, text = item
        between = sentence[min(start, position) : max(start + len(text), position)]
        return "," in between or ";" in between, abs(start - position)

    return min(found, key=distance)[1]


def redate_event(event: Event, anchor: dt.date) -> Event:
    """A copy of an undated event dated against the inferred anchor of its article."""
    if not _undated(event):
        return event
    sentence = event.mentions[0].sentence if event.mentions else ""
    expression = event.date.text or anchored_expression(sentence, event.predicate)
    value = resolve_expression(expression, anchor) if expression else None
    if value is None:
        value = DateValue(date=anchor, precision="day", text=None, method="inferred")
    else:
        value = DateValue(date=value.date, precision=value.precision, text=expression, method="inferred")
    return replace(event, date=value)


def apply_inferred_dates(results: Iterable[ArticleResult], assignment: StoryAssignment) -> list[ArticleResult]:
    """Results with inferred anchors applied (updated copies; others returned unchanged).

    Events without a date are re-dated against the anchor (their relative expression,
    else the anchor day, `method="inferred"`); claims get their periods resolved. The
    article's `published` stays None: the inferred date lives in the events and claims.
    """
    from eventwire.claims import resolve_claim_period

    out = []
    for result in results:
        inferred = assignment.inferred_dates.get(result.article.article_id)
        if inferred is None or inferred.date is None:
            out.append(result)
            continue
        anchor = inferred.date
        out.append(
            replace(
                result,
                events=[redate_event(e, anchor) for e in result.events],
                claims=[resolve_claim_period(c, anchor) for c in result.claims],
            )
        )
    return out
