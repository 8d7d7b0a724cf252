"""Canonical events: the same happening reported by several articles of a story, merged into one.

Events merge when they are in the same story, have the same actors (either order for
symmetric PLOVER types), the same PLOVER type, and dates within a tolerance (an
undated report joins the dated ones). The canonical event keeps every mention, the
most specific date and location, and counts distinct outlets as sources.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from eventwire.records import ArticleResult, CanonicalEvent, Event, Location, Mention, StoryAssignment
from eventwire.stories.cluster import story_id_for
from eventwire.stories.keys import (
    UNDATEABLE_METHODS,
    actor_pair,
    date_interval,
    date_specificity,
    dates_compatible,
)


def _merge_key(event: Event) -> tuple[str, str, str] | None:
    pair = actor_pair(event)
    if pair is None:
        source = event.source.actor_id or event.source.name or event.source.text
        pair = (f"solo:{source}", "")
    return pair[0], pair[1], event.code.plover


def _date_groups(events: list[Event], tolerance: int) -> list[list[Event]]:
    """Split same-actor events into groups of compatible dates; undated ones join the largest group
    (background and future events, dated elsewhen on purpose, stay apart)."""
    dated = sorted((e for e in events if e.date.date is not None), key=lambda e: date_interval(e.date) or ())
    groups: list[list[Event]] = []
    for event in dated:
        home = next((g for g in groups if all(dates_compatible(event.date, m.date, tolerance) for m in g)), None)
        if home is None:
            groups.append([event])
        else:
            home.append(event)
    undated = [e for e in events if e.date.date is None and e.date.method not in UNDATEABLE_METHODS]
    if undated:
        if groups:
            max(groups, key=len).extend(undated)
        else:
            groups.append(undated)
    for method in sorted(UNDATEABLE_METHODS):  # background and future events are other happenings
        elsewhen = [e for e in events if e.date.date is None and e.date.method == method]
        if elsewhen:
            groups.append(elsewhen)
    return groups


def _most_specific_location(events: list[Event]) -> Location | None:
    located = [e.location for e in events if e.location is not None]
    if not located:
        return None
    return max(located, key=lambda loc: (loc.lat is not None, loc.country is not None, len(loc.text)))


def _unique_mentions(events: list[Event]) -> list[Mention]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for event in events:
        for mention in event.mentions:
            key = (mention.article_id, mention.start, mention.end)
            if key not in seen:
                seen.add(key)
                out.append(mention)
    return out


def _source_count(article_ids: Iterable[str], outlets: dict[str, str | None]) -> int:
    return len({outlets.get(a) or f"article:{a}" for a in article_ids})


def canonical_event(story_id: str, events: list[Event], outlets: dict[str, str | None]) -> CanonicalEvent:
    """Merge one group of events into its canonical event."""
    representative = max(events, key=lambda e: (e.is_main, e.confidence, -len(e.event_id)))
    best_date = max((e.date for e in events), key=date_specificity)
    member_ids = [e.event_id for e in events]
    mentions = _unique_mentions(events)
    article_ids = list(dict.fromkeys(m.article_id for m in mentions))
    digest = hashlib.sha1("|".join([story_id, *sorted(member_ids)]).encode("utf-8")).hexdigest()[:16]
    merged = replace(
        representative,
        event_id=digest if len(events) > 1 else representative.event_id,
        date=best_date,
        location=_most_specific_location(events),
        mentions=mentions,
        confidence=max(e.confidence for e in events),
        is_main=any(e.is_main for e in events),
    )
    return CanonicalEvent(merged, story_id, _source_count(article_ids, outlets), member_ids, article_ids)


def merge_events(
    results: Iterable[ArticleResult], assignment: StoryAssignment, date_tolerance_days: int = 1
) -> list[CanonicalEvent]:
    """Canonical events of every story, in story order then by first mention."""
    outlets: dict[str, str | None] = {}
    buckets: dict[tuple[str, tuple[str, str, str]], list[Event]] = defaultdict(list)
    for result in results:
        article_id = result.article.article_id
        outlets[article_id] = result.article.outlet
        story_id = assignment.story_of.get(article_id) or story_id_for(article_id)
        for event in result.events:
            key = _merge_key(event)
            if key is not None:
                buckets[(story_id, key)].append(event)
    merged = [
        canonical_event(story_id, group, outlets)
        for (story_id, _), events in buckets.items()
        for group in _date_groups(events, date_tolerance_days)
    ]
    story_rank = {s.story_id: i for i, s in enumerate(assignment.stories)}
    article_rank = {a: i for i, a in enumerate(outlets)}

    def reading_order(item: CanonicalEvent) -> tuple[int, int, int]:
        first = item.event.mentions[0] if item.event.mentions else None
        article = article_rank.get(first.article_id, 0) if first else 0
        return story_rank.get(item.story_id, len(story_rank)), article, first.start if first else 0

    return sorted(merged, key=reading_order)
