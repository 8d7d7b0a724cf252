"""The JSON API: one endpoint per view, the twin of every HTML page (`/x` ↔ `/api/x`).

Parameters are validated by FastAPI (bad values → 422 with the reason); unknown ids → 404
`{"detail": ...}`. Every list is paginated with `limit` (1 … 200) and `offset`.

Every list of events takes `min_confidence` (0 … 1): events whose calibrated confidence is below it
are left out. Without it the documented default threshold applies (`events.confidence.default_threshold`,
the one exports use); `min_confidence=0` shows every event. Each such answer carries `min_confidence`
(the threshold applied), `default_min_confidence` and `below_min_confidence` (how many it left out).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from eventwire.store import queries

router = APIRouter(prefix="/api", tags=["api"], default_response_class=JSONResponse)

NOT_FOUND = {404: {"description": "Unknown id", "content": {"application/json": {"example": {"detail": "..."}}}}}

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Page size (1 … 200).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Country = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 country code.")]
PeriodParam = Annotated[Literal["day", "week", "month", "year"], Query(description="Bucket size of the timeline.")]
DateParam = Annotated[dt.date | None, Query(description="YYYY-MM-DD, inclusive.")]
ActorKey = Annotated[str, Path(min_length=1, max_length=200, description="Knowledge-base actor id or ISO3 code.")]
RoleParam = Annotated[Literal["any", "source", "target"], Query(description="Events where the actor is …")]
MinConfidence = Annotated[
    float | None,
    Query(
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Leave out events whose confidence (calibrated probability that source, target and type "
        "are right) is below this (0 … 1). Default: the documented threshold, as in exports; 0 shows every event.",
    ),
]


def reply(data: dict[str, Any]) -> JSONResponse:
    """The query result as JSON (it is JSON-ready: no per-request model conversion)."""
    return JSONResponse(data)


def engine_of(request: Request) -> sa.Engine:
    """The database engine of the running app."""
    return request.app.state.engine


def found(value: dict[str, Any] | None, what: str, key: str) -> dict[str, Any]:
    """The value, or a 404 naming what was not found."""
    if value is None:
        raise HTTPException(status_code=404, detail=f"no {what} with id {key!r}")
    return value


def check_range(start: dt.date | None, end: dt.date | None) -> None:
    """422 when a date range ends before it starts."""
    if start and end and end < start:
        raise HTTPException(status_code=422, detail="end must not be before start")


@router.get("/overview", summary="Counts, most active dyads, recent stories, articles and events")
def get_overview(request: Request, min_confidence: MinConfidence = None) -> JSONResponse:
    return reply(queries.overview(engine_of(request), min_confidence=min_confidence))


@router.get("/stories", summary="Stories, most recently active first")
def get_stories(request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> JSONResponse:
    return reply(queries.list_stories(engine_of(request), limit, offset))


@router.get(
    "/story/{story_id}",
    summary="A story: articles with highlighted evidence, summary, events, claims",
    responses=NOT_FOUND,
)
def get_story(
    request: Request, story_id: Annotated[str, Path(max_length=200)], min_confidence: MinConfidence = None
) -> JSONResponse:
    return reply(found(queries.story(engine_of(request), story_id, min_confidence), "story", story_id))


@router.get("/articles", summary="Articles, newest first")
def get_articles(request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> JSONResponse:
    return reply(queries.list_articles(engine_of(request), limit, offset))


@router.get("/article/{article_id}", summary="An article with its evidence sentences and events", responses=NOT_FOUND)
def get_article(
    request: Request, article_id: Annotated[str, Path(max_length=200)], min_confidence: MinConfidence = None
) -> JSONResponse:
    return reply(found(queries.article(engine_of(request), article_id, min_confidence), "article", article_id))


@router.get("/events", summary="Events, newest first (canonical events when stories exist)")
def get_events(
    request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0, min_confidence: MinConfidence = None
) -> JSONResponse:
    return reply(queries.list_events(engine_of(request), limit, offset, min_confidence))


@router.get(
    "/event/{event_id}",
    summary="An event's coded record with every mention (whatever its confidence)",
    responses=NOT_FOUND,
)
def get_event(request: Request, event_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
    return reply(found(queries.event(engine_of(request), event_id), "event", event_id))


@router.get(
    "/actor/{key}",
    summary="An actor: identity, aliases, roles over time, partners, events",
    responses=NOT_FOUND,
)
def get_actor(
    request: Request,
    key: ActorKey,
    role: RoleParam = "any",
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> JSONResponse:
    return reply(found(queries.actor(engine_of(request), key, limit, offset, role, min_confidence), "actor", key))


@router.get(
    "/dyad/{a}/{b}",
    summary="Events between two countries per period and quad class, and their network (every event counted)",
)
def get_dyad(
    request: Request,
    a: Country,
    b: Country,
    period: PeriodParam = "month",
    start: DateParam = None,
    end: DateParam = None,
) -> JSONResponse:
    check_range(start, end)
    return reply(queries.dyad(engine_of(request), a, b, period, start, end))


@router.get("/dyad/{a}/{b}/events", summary="Events between two countries in a date range")
def get_dyad_events(
    request: Request,
    a: Country,
    b: Country,
    start: DateParam = None,
    end: DateParam = None,
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> JSONResponse:
    check_range(start, end)
    return reply(queries.dyad_events(engine_of(request), a, b, start, end, limit, offset, min_confidence))


@router.get("/search", summary="Full-text search over articles and events")
def get_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find (all must match).")],
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 20,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> JSONResponse:
    return reply(queries.search(engine_of(request), q, limit, offset, min_confidence))
