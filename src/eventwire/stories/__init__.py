"""Stories: articles about the same happening across outlets, and their merged events.

Owns near-duplicate detection (`find_duplicates`), online time-windowed story
clustering (`cluster_stories`), dates inferred for undated articles from their story
(`apply_inferred_dates`), canonical events merged across a story's articles
(`merge_events`) and the B-cubed measure used to evaluate clustering (`bcubed`).
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
)
from eventwire.stories.dating import apply_inferred_dates, infer_dates
from eventwire.stories.dedup import DuplicateIndex, find_duplicates
from eventwire.stories.merge import CanonicalEvent, merge_events
from eventwire.stories.metrics import bcubed
from eventwire.stories.summary import build_story

__all__ = [
    "CanonicalEvent",
    "DateEvidence",
    "DuplicateIndex",
    "JoinEvidence",
    "StoryAssignment",
    "StoryClusterer",
    "StoryConfig",
    "apply_inferred_dates",
    "bcubed",
    "cluster_stories",
    "find_duplicates",
    "merge_events",
]


def cluster_stories(results: Iterable[ArticleResult], config: StoryConfig | None = None) -> StoryAssignment:
    """Group articles into stories (date order, windowed), infer dates of undated ones, summarise.

    Articles are taken in publication-date order; undated ones sit at their nearest
    dated neighbour in input order and may join any story, open or closed.
    """
    config = config or StoryConfig()
    results = list(results)
    clusterer = StoryClusterer(config)
    clusterer.add_many(arrival_order(results))
    date_evidence = infer_dates(results, clusterer.story_of)
    inferred = {article_id: evidence.date for article_id, evidence in date_evidence.items()}
    articles = {r.article.article_id: r.article for r in results}
    stories = [
        build_story(
            state,
            [articles[a] for a in state.members],
            inferred,
            clusterer.terms,
            summary_limit=config.summary_sentences,
            with_summary=config.summarize,
        )
        for state in clusterer.stories.values()
    ]
    return StoryAssignment(
        stories=stories,
        story_of=dict(clusterer.story_of),
        duplicate_group=dict(clusterer.duplicates.group_of),
        inferred_dates=inferred,
        join_evidence=dict(clusterer.evidence),
        date_evidence=date_evidence,
    )
