"""Stories: articles about the same happening across outlets, and their merged events.

Owns near-duplicate detection (`find_duplicates`), story clustering that does not depend on
arrival order (`cluster_stories`, or `stream_stories` with memory bounded by time, both over
`stories.canonical`),
dates inferred for undated articles from their story (`apply_inferred_dates`),
canonical events merged across a story's articles (`merge_events`)
and the B-cubed measure used to evaluate clustering (`bcubed`).
Works on pipeline records only (`ArticleResult`); nothing is loaded at import time.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventwire.records import ArticleResult, CanonicalEvent, DateEvidence, JoinEvidence, StoryAssignment
from eventwire.stories.cluster import StoryClusterer, StoryConfig
from eventwire.stories.dating import apply_inferred_dates
from eventwire.stories.dedup import DuplicateIndex, find_duplicates
from eventwire.stories.merge import merge_events
from eventwire.stories.metrics import bcubed
from eventwire.stories.stream import FinishedStory, stream_stories

__all__ = [
    "CanonicalEvent",
    "DateEvidence",
    "DuplicateIndex",
    "JoinEvidence",
    "StoryAssignment",
    "StoryClusterer",
    "StoryConfig",
    "FinishedStory",
    "apply_inferred_dates",
    "bcubed",
    "cluster_stories",
    "combine_assignments",
    "find_duplicates",
    "merge_events",
    "stream_stories",
]


def cluster_stories(results: Iterable[ArticleResult], config: StoryConfig | None = None) -> StoryAssignment:
    """Group articles into stories (date order, windowed), infer dates of undated ones, summarise.

    Dated articles are taken in (publication date, article id) order, whatever the input order;
    each undated article is compared on its own with the dated stories (`stories.canonical`).
    Stories come out in the order they were started.
    """
    from eventwire.stories.canonical import cluster_canonical, finish_story, memberships, story_order

    config = config or StoryConfig()
    by_id = {r.article.article_id: r for r in results}
    dated, undated, profiles = cluster_canonical(by_id.values(), config)
    members = memberships(dated, undated)
    groups = {a: g for s in dated for a, g in s.duplicate_group.items()}
    evidence = {a: e for s in dated for a, e in s.join_evidence.items()}
    evidence.update({a: e for a, (_, e) in undated.items()})
    return combine_assignments(
        finish_story(story_id, [by_id[a] for a in members[story_id]], profiles[story_id], groups, evidence, config)
        for story_id in story_order(dated, members)
    )


def combine_assignments(parts: Iterable[StoryAssignment]) -> StoryAssignment:
    """One assignment holding the stories of several (e.g. stories finished one at a time)."""
    combined = StoryAssignment(stories=[], story_of={}, duplicate_group={})
    for part in parts:
        combined.stories.extend(part.stories)
        combined.story_of.update(part.story_of)
        combined.duplicate_group.update(part.duplicate_group)
        combined.inferred_dates.update(part.inferred_dates)
        combined.join_evidence.update(part.join_evidence)
        combined.date_evidence.update(part.date_evidence)
    return combined
