"""Views of one record with its evidence in the text: a story, an article, an event."""

from __future__ import annotations

from eventwire.store import queries
from eventwire.views.base import Data, Engine, Id, MinConfidence, View, found


def story(engine: Engine, story_id: Id, min_confidence: MinConfidence = None) -> Data:
    """A story: its articles with highlighted evidence, summary, events and claims."""
    return found(queries.story(engine, story_id, min_confidence), "story", story_id)


def article(engine: Engine, article_id: Id, min_confidence: MinConfidence = None) -> Data:
    """An article with its evidence sentences highlighted and its events."""
    return found(queries.article(engine, article_id, min_confidence), "article", article_id)


def event(engine: Engine, event_id: Id) -> Data:
    """An event's coded record with every mention in context, whatever its confidence."""
    return found(queries.event(engine, event_id), "event", event_id)


STORY = View(
    "story",
    "/story/{story_id}",
    story,
    "A story: articles with highlighted evidence, summary, events, claims",
    may_be_missing=True,
)
ARTICLE = View(
    "article",
    "/article/{article_id}",
    article,
    "An article with its evidence sentences and events",
    may_be_missing=True,
)
EVENT = View(
    "event",
    "/event/{event_id}",
    event,
    "An event's coded record with every mention (whatever its confidence)",
    may_be_missing=True,
)
