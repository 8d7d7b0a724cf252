"""Stories as a stream: articles in arrival order in, finished stories out, memory bounded by time.

`stream_stories` feeds the online clusterer and, whenever a story falls more than
`StoryConfig.retire_after_days` behind the stream, retires it and yields it with its
member articles, dates inferred from its dated members and its summary. Only the
articles of stories still within that horizon are held, so a stream of any length runs
in the memory of a few weeks of news.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from eventwire.records import ArticleResult
from eventwire.stories.cluster import StoryAssignment, StoryClusterer, StoryConfig
from eventwire.stories.dating import infer_dates
from eventwire.stories.summary import build_story


@dataclass
class FinishedStory:
    """One retired story: its assignment (this story only), member results and creation rank."""

    assignment: StoryAssignment
    results: list[ArticleResult]
    created: int


def stream_stories(
    items: Iterable[tuple[ArticleResult, dt.date | None]], config: StoryConfig | None = None
) -> Iterator[FinishedStory]:
    """Cluster (result, effective date) pairs given in arrival order; yield each story once it is final."""
    config = config or StoryConfig()
    clusterer = StoryClusterer(config)
    held: dict[str, ArticleResult] = {}
    batch: list[tuple[ArticleResult, dt.date | None]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= config.batch_size:
            yield from _add_batch(clusterer, batch, held)
            batch = []
    if batch:
        yield from _add_batch(clusterer, batch, held)
    for story_id in list(clusterer.stories):
        yield _finish(clusterer, story_id, held)


def _add_batch(
    clusterer: StoryClusterer, batch: list[tuple[ArticleResult, dt.date | None]], held: dict[str, ArticleResult]
) -> Iterator[FinishedStory]:
    clusterer.add_many(batch)
    for result, _ in batch:
        held[result.article.article_id] = result
    dates = [effective for _, effective in batch if effective is not None]
    if dates:
        for story_id in clusterer.retirable(max(dates)):
            yield _finish(clusterer, story_id, held)


def _finish(clusterer: StoryClusterer, story_id: str, held: dict[str, ArticleResult]) -> FinishedStory:
    retired = clusterer.retire(story_id)
    state = retired.state
    results = [held.pop(article_id) for article_id in state.members]
    story_of = dict.fromkeys(state.members, story_id)
    date_evidence = infer_dates(results, story_of)
    inferred = {article_id: evidence.date for article_id, evidence in date_evidence.items()}
    config = clusterer.config
    story = build_story(
        state,
        [r.article for r in results],
        inferred,
        clusterer.terms,
        summary_limit=config.summary_sentences,
        with_summary=config.summarize,
    )
    assignment = StoryAssignment(
        stories=[story],
        story_of=story_of,
        duplicate_group=retired.duplicate_group,
        inferred_dates=inferred,
        join_evidence=retired.join_evidence,
        date_evidence=date_evidence,
    )
    return FinishedStory(assignment=assignment, results=results, created=state.created)
