"""Read-only queries behind the analyst's views (web pages, JSON API, plots), and the search index.

Owns every SQL statement of the user interface, one module per view or query family:

| module | what it answers |
|---|---|
| `layers` | which event table the views read, the confidence filter every event list applies |
| `rows` | rows to JSON: dates, pages, actors, events as list rows, pages of events newest first |
| `lists` | the overview, and the lists of stories, articles and events |
| `documents` | a story and an article, with their evidence sentences located in the text |
| `event_detail` | one event's full record, every mention in context |
| `actor_profile` | an actor: identity, aliases, roles, partners, events |
| `periods` | period arithmetic of timelines (day, ISO week, month, year) |
| `dyads` | two countries: timeline, network, events |
| `fulltext` | full-text search over articles and events |
| `geo` | the map: located events, filtered, most corroborated first |
| `filters` | the events list's filters and facets, and the filtered events streamed for downloads |
| `derived` | the derived objects that keep those views fast (below) |

The derived objects are created by migration 0003 and rebuilt by `refresh_search`:

* SQLite: FTS5 tables `search_articles` (external content over `articles`),
  `search_events` and `search_canonical` (actor names, predicate, evidence sentences),
  the dyad aggregates `agg_dyad_days` and `agg_dyad_totals`, all kept in sync by triggers.
* PostgreSQL: GIN expression indexes over `to_tsvector('english', ...)`; dyad views
  aggregate the base tables directly.
* Both: `ix_ui_*` indexes for dyad, actor and date ordered lookups.

Their names start with `search_`, `agg_` or `ix_ui_` (`is_derived_name`), so schema
comparisons against `schema.py` can leave them out.

Views read canonical events (one per real-world happening, from the stories stage) when
that table has rows, else the per-article events. Every view query takes an `sa.Engine`
(e.g. `open_repository(db).engine`) and returns JSON-ready dicts; this package exports them.

Event lists show only events whose calibrated `confidence` reaches a threshold: `min_confidence`
(None means the documented default, `events.confidence.default_threshold()`; 0 shows every event).
`confident` is the one filter they all use, and each list reports the threshold it applied and how
many events it left out (`confidence_report`). A single event asked for by id is always shown.
"""

from __future__ import annotations

from eventwire.store.queries.actor_profile import actor
from eventwire.store.queries.derived import (
    derived_schema_is_complete,
    derived_schema_statements,
    drop_derived_schema,
    install_derived_schema,
    is_derived_name,
    rebuild_derived,
    refresh_search,
)
from eventwire.store.queries.documents import article, story
from eventwire.store.queries.dyads import dyad, dyad_events, unknown_countries
from eventwire.store.queries.event_detail import QUAD_LABELS, event
from eventwire.store.queries.filters import (
    FILTER_NAMES,
    PLOVER_TYPES,
    EventFilter,
    FilterError,
    event_facets,
    iter_filtered_events,
    list_filtered_events,
)
from eventwire.store.queries.fulltext import search
from eventwire.store.queries.layers import event_layer
from eventwire.store.queries.lists import counts, list_articles, list_events, list_stories, overview, top_dyads
from eventwire.store.queries.periods import PERIODS
from eventwire.store.queries.rows import DEFAULT_LIMIT, MAX_LIMIT, country_name

__all__ = [
    "DEFAULT_LIMIT",
    "FILTER_NAMES",
    "MAX_LIMIT",
    "PERIODS",
    "PLOVER_TYPES",
    "QUAD_LABELS",
    "EventFilter",
    "FilterError",
    "actor",
    "article",
    "country_name",
    "counts",
    "derived_schema_is_complete",
    "derived_schema_statements",
    "drop_derived_schema",
    "dyad",
    "dyad_events",
    "event",
    "event_facets",
    "event_layer",
    "install_derived_schema",
    "is_derived_name",
    "iter_filtered_events",
    "list_articles",
    "list_events",
    "list_filtered_events",
    "list_stories",
    "overview",
    "rebuild_derived",
    "refresh_search",
    "search",
    "story",
    "top_dyads",
    "unknown_countries",
]
