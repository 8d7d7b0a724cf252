"""Full-text search over articles and events."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from eventwire.store import queries
from eventwire.views.base import BlankForm, Data, Engine, MinConfidence, Offset, View

SearchText = Annotated[str, Query(min_length=1, max_length=200, description="Words to find (all must match).")]
#: On the search page the words may be missing or blank: the page is then the empty search form.
FormText = Annotated[str, Query(max_length=200)]


def search(
    engine: Engine,
    q: SearchText,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 20,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> Data:
    """Articles and events matching every word, events at or above the confidence threshold."""
    return queries.search(engine, q, limit, offset, min_confidence)


SEARCH = View(
    "search",
    "/search",
    search,
    "Full-text search over articles and events",
    blank_form=BlankForm("q", FormText),
)
