"""The overview and the paginated lists: stories, articles, events."""

from __future__ import annotations

from eventwire.store import queries
from eventwire.views.base import Data, Engine, Limit, MinConfidence, Offset, View


def overview(engine: Engine, min_confidence: MinConfidence = None) -> Data:
    """Counts, most active dyads, recent stories, articles and events."""
    return queries.overview(engine, min_confidence=min_confidence)


def stories(engine: Engine, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Data:
    """Stories, most recently active first."""
    return queries.list_stories(engine, limit, offset)


def articles(engine: Engine, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Data:
    """Articles, newest first."""
    return queries.list_articles(engine, limit, offset)


def events(
    engine: Engine, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0, min_confidence: MinConfidence = None
) -> Data:
    """Events at or above the confidence threshold, newest first."""
    return queries.list_events(engine, limit, offset, min_confidence)


OVERVIEW = View(
    "overview",
    "/",
    overview,
    "Counts, most active dyads, recent stories, articles and events",
    api_path="/api/overview",
)
STORIES = View("stories", "/stories", stories, "Stories, most recently active first")
ARTICLES = View("articles", "/articles", articles, "Articles, newest first")
EVENTS = View("events", "/events", events, "Events, newest first (canonical events when stories exist)")
