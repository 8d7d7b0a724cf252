"""Stories as a stream: dated articles in date order in, finished stories out, memory bounded by time.

A thin wrapper over the canonical clusterer (`stories.canonical.DatedStream`): articles are
fed a day at a time and, whenever a story falls more than `StoryConfig.retire_after_days`
behind the stream, it is retired and yielded with its member articles, dates inferred from
its members and its summary. Only the articles of stories still within that horizon are held,
so a stream of any length runs in the memory of a few weeks of news. Undated articles have no
place in a stream: match them with the finished stories (`stories.canonical.choose_story`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwire.records import ArticleResult, StoryAssignment
from eventwire.stories.cluster import StoryConfig

if TYPE_CHECKING:
    from eventwire.stories.canonical import DatedStory


@dataclass
class FinishedStory:
    """One retired story: its assignment (this story only), member results and creation rank."""

    assignment: StoryAssignment
    results: list[ArticleResult]
    created: int


def stream_stories(results: Iterable[ArticleResult], config: StoryConfig | None = None) -> Iterator[FinishedStory]:
    """Cluster dated articles given in date order; yield each story once it is final (then the rest)."""
    from eventwire.stories.canonical import DatedStream, by_day

    stream = DatedStream(config)
    held: dict[str, ArticleResult] = {}

    def finish(stories: list[DatedStory]) -> Iterator[FinishedStory]:
        for story in stories:
            yield _finished(story, [held.pop(a) for a in story.members], stream.config)

    previous = None
    for day, group in by_day(results):
        if previous is not None and day < previous:
            raise ValueError(f"{group[0].article.article_id}: dated {day}, after an article of {previous}")
        previous = day
        yield from finish(stream.add_day(day, group))
        held.update((r.article.article_id, r) for r in group)
    yield from finish(sorted(stream.held(), key=lambda s: s.created))


def _finished(story: DatedStory, results: list[ArticleResult], config: StoryConfig) -> FinishedStory:
    from eventwire.stories.canonical import finish_story

    assignment = finish_story(story.story_id, results, story.profile, story.duplicate_group, story.join_evidence,
                              config)  # fmt: skip
    return FinishedStory(assignment=assignment, results=results, created=story.created)
