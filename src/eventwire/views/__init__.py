"""The analyst's views, each declared once (`View`): the function that computes its data and the
path it answers at. The application (`eventwire.api.create_app`) builds every route from these
declarations: the page (HTML, or JSON when Accept prefers it), the page path with `.json`, and the
documented `/api` twin. Views read the store through `eventwire.store.queries`; they import neither
the application nor the web package.

| module | views |
|---|---|
| `lists` | overview (`/`), stories, articles, events |
| `documents` | story, article, event |
| `actors` | actor |
| `dyads` | dyad, dyad events |
| `fulltext` | search |
| `geo` | map |
"""

from __future__ import annotations

from eventwire.views import actors, documents, dyads, fulltext, geo, lists
from eventwire.views.base import BlankForm, View

#: Every view, in the order the API documentation lists them.
VIEWS: tuple[View, ...] = (
    lists.OVERVIEW,
    lists.STORIES,
    documents.STORY,
    lists.ARTICLES,
    documents.ARTICLE,
    lists.EVENTS,
    documents.EVENT,
    actors.ACTOR,
    dyads.DYAD,
    dyads.DYAD_EVENTS,
    fulltext.SEARCH,
    geo.MAP,
)

__all__ = ["VIEWS", "BlankForm", "View"]
