"""An actor's view: identity, aliases, roles over time, partners, events."""

from __future__ import annotations

from eventwire.store import queries
from eventwire.views.base import ActorKey, Data, Engine, Limit, MinConfidence, Offset, RoleParam, View, found


def actor(
    engine: Engine,
    key: ActorKey,
    role: RoleParam = "any",
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> Data:
    """An actor (knowledge-base id or ISO3 country) and a page of its events."""
    return found(queries.actor(engine, key, limit, offset, role, min_confidence), "actor", key)


ACTOR = View(
    "actor",
    "/actor/{key}",
    actor,
    "An actor: identity, aliases, roles over time, partners, events",
    may_be_missing=True,
)
