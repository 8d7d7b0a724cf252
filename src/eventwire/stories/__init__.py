"""Stories: articles about the same happening across outlets, and their merged events.

Owns near-duplicate detection (`find_duplicates`), online time-windowed story
clustering (`cluster_stories`, or `stream_stories` with memory bounded by time),
dates inferred for undated articles from their story (`apply_inferred_dates`),
canonical events merged across a story's articles (`merge_events`)
and the B-cubed measure used to evaluate clustering (`bcubed`).
Works on pipeline records only (`ArticleResult`); nothing is loaded at import time.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventwire.records import ArticleResult
from eventwire.stories.cluster import (
    DateEvidence,
    JoinEvidence,
    StoryAssignment,
    StoryClusterer,
    StoryConfig,
    arrival_order,
    arrival_positions,
)
from eventwire.stories.dating import apply_inferred_dates
from eventwire.stories.dedup import DuplicateIndex, find_duplicates
from eventwire.stories.merge import CanonicalEvent, merge_events
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
    "arrival_positions",
    "bcubed",
    "cluster_stories",
    "combine_assignments",
    "find_duplicates",
    "merge_events",
    "stream_stories",
]


def cluster_stories(results: Iterable[ArticleResult], config: StoryConfig | None = None) -> StoryAssignment:
    """Group articles into stories (date order, windowed), infer dates of undated ones, summarise.

    Articles are taken in publication-date order; undated ones sit at their nearest
    dated neighbour in input order and may join any story still held, open or closed, on strong
    evidence only (a copy of a member, or the same happening: `strong_evidence`).
    Stories come out in the order they were started.
    """
    finished = sorted(stream_stories(arrival_order(list(results)), config), key=lambda f: f.created)
    return combine_assignments(f.assignment for f in finished)


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
