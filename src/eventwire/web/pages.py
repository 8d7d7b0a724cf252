"""The HTML pages: overview, stories, story, articles, article, events, event, actor, dyad, search.

Each page calls the same query as its JSON twin under /api and renders it with a template;
parameters are validated the same way (a bad value gives a 422 page, an unknown id a 404 page).
Event lists take the API's `min_confidence` and say how many events it hid, with a link to show them all.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from eventwire import plots
from eventwire.api.routes import (
    ActorKey,
    Country,
    DateParam,
    Limit,
    MinConfidence,
    Offset,
    PeriodParam,
    RoleParam,
    check_range,
    engine_of,
    found,
)
from eventwire.store import queries
from eventwire.web.render import first_marks, render, segment, text_segments

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

Id = Annotated[str, Path(max_length=200)]


def error_page(request: Request, status_code: int, detail: str) -> HTMLResponse:
    """An HTML error page with the given status; it does not echo the request's path or query."""
    return render(
        request, "error.html", status_code=status_code, status_code_value=status_code, detail=detail, json_url=None
    )


@router.get("/")
def overview_page(request: Request, min_confidence: MinConfidence = None) -> HTMLResponse:
    return render(request, "overview.html", data=queries.overview(engine_of(request), min_confidence=min_confidence))


@router.get("/stories")
def stories_page(request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> HTMLResponse:
    return render(request, "stories.html", page=queries.list_stories(engine_of(request), limit, offset))


@router.get("/story/{story_id}")
def story_page(request: Request, story_id: Id, min_confidence: MinConfidence = None) -> HTMLResponse:
    data = found(queries.story(engine_of(request), story_id, min_confidence), "story", story_id)
    for article in data["articles"]:
        article["segments"] = text_segments(article["text"], article["highlights"])
    return render(request, "story.html", story=data, anchors=first_marks(data["articles"]))


@router.get("/articles")
def articles_page(request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> HTMLResponse:
    return render(request, "articles.html", page=queries.list_articles(engine_of(request), limit, offset))


@router.get("/article/{article_id}")
def article_page(request: Request, article_id: Id, min_confidence: MinConfidence = None) -> HTMLResponse:
    data = found(queries.article(engine_of(request), article_id, min_confidence), "article", article_id)
    data["segments"] = text_segments(data["text"], data["highlights"])
    return render(request, "article.html", article=data, anchors=first_marks([data]))


@router.get("/events")
def events_page(
    request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0, min_confidence: MinConfidence = None
) -> HTMLResponse:
    return render(request, "events.html", page=queries.list_events(engine_of(request), limit, offset, min_confidence))


@router.get("/event/{event_id}")
def event_page(request: Request, event_id: Id) -> HTMLResponse:
    data = found(queries.event(engine_of(request), event_id), "event", event_id)
    return render(request, "event.html", event=data)


@router.get("/actor/{key}")
def actor_page(
    request: Request,
    key: ActorKey,
    role: RoleParam = "any",
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> HTMLResponse:
    data = found(queries.actor(engine_of(request), key, limit, offset, role, min_confidence), "actor", key)
    return render(request, "actor.html", actor=data)


def _actor_link(key: str) -> str:
    return f"/actor/{segment(key)}"


@router.get("/dyad/{a}/{b}")
def dyad_page(
    request: Request,
    a: Country,
    b: Country,
    period: PeriodParam = "month",
    start: DateParam = None,
    end: DateParam = None,
    min_confidence: MinConfidence = None,
) -> HTMLResponse:
    check_range(start, end)
    engine = engine_of(request)
    data = queries.dyad(engine, a, b, period, start, end)
    latest = queries.dyad_events(engine, a, b, start, end, limit=20, min_confidence=min_confidence)
    charts = {
        "timeline": plots.timeline_svg(data, plots.dyad_events_link(data)),
        "network": plots.network_svg(data["network"], data["a"], data["b"], _actor_link),
    }
    return render(request, "dyad.html", dyad=data, charts=charts, latest=latest)


@router.get("/dyad/{a}/{b}/events")
def dyad_events_page(
    request: Request,
    a: Country,
    b: Country,
    start: DateParam = None,
    end: DateParam = None,
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> HTMLResponse:
    check_range(start, end)
    page = queries.dyad_events(engine_of(request), a, b, start, end, limit, offset, min_confidence)
    return render(request, "dyad_events.html", page=page)


@router.get("/search")
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 20,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> HTMLResponse:
    results: dict[str, Any] | None = None
    if q.strip():
        results = queries.search(engine_of(request), q, limit, offset, min_confidence)
    return render(request, "search.html", q=q, results=results)
