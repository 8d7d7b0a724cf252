"""Routes built from the view declarations (`eventwire.views`): one view, three ways to ask for it.

* `/api/x` — JSON, documented in /openapi.json (the JSON twin of the page, as before);
* `/x.json` — JSON (`/.json` for the overview at `/`);
* `/x` — the HTML page, or JSON when the request's Accept header ranks application/json above
  text/html (a browser's `text/html,…,*/*;q=0.8` gets HTML, `Accept: application/json` gets JSON).

The JSON answers are the view function's data as it is; the page renders the same data
(`eventwire.web.pages.render_view`). Parameters are validated by FastAPI from the view function's
signature (bad values → 422 with the reason); unknown ids → 404 `{"detail": ...}`. Every list is
paginated with `limit` (1 … 200) and `offset`.

A view declaring `rows` also downloads them, streamed, at its /api path + `.csv` and `.jsonl`
(`/api/events.csv`), with the same parameters as its list but no paging.

Every list of events takes `min_confidence` (0 … 1): events whose calibrated confidence is below it
are left out. Without it the documented default threshold applies (`events.confidence.default_threshold`,
the one exports use); `min_confidence=0` shows every event. Each such answer carries `min_confidence`
(the threshold applied), `default_min_confidence` and `below_min_confidence` (how many it left out).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.routing import Match
from starlette.types import Scope

from eventwire.api.downloads import MEDIA_TYPES, DownloadFormat, download
from eventwire.views import View
from eventwire.web.pages import render_view

NOT_FOUND = {404: {"description": "Unknown id", "content": {"application/json": {"example": {"detail": "..."}}}}}
JSON_TYPE, HTML_TYPE = "application/json", "text/html"
#: Paths always answered in JSON, errors included.
JSON_PREFIXES = ("/api", "/openapi.json")


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """An Accept header as (media range, quality) pairs; an unreadable quality counts as 0."""
    ranges = []
    for item in accept.split(","):
        media, *options = (part.strip() for part in item.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _quality(ranges: Sequence[tuple[str, float]], media: str) -> float:
    """The quality the most specific matching range gives `media` (0 when none matches)."""
    for candidate in (media, f"{media.split('/')[0]}/*", "*/*"):
        qualities = [quality for media_range, quality in ranges if media_range == candidate]
        if qualities:
            return max(qualities)
    return 0.0


def prefers_json(accept: str | None) -> bool:
    """Whether an Accept header ranks application/json above text/html (a tie or no header: HTML)."""
    ranges = _media_ranges(accept or "")
    return _quality(ranges, JSON_TYPE) > _quality(ranges, HTML_TYPE)


def wants_json(request: Request) -> bool:
    """Whether a request is answered in JSON: /api paths, `.json` paths, or an Accept preferring JSON."""
    path = request.url.path
    return path.startswith(JSON_PREFIXES) or path.endswith(".json") or prefers_json(request.headers.get("accept"))


class JsonByAccept(APIRoute):
    """A route at a page's path that matches only requests whose Accept header prefers JSON."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE and not prefers_json(Headers(scope=scope).get("accept")):
            return Match.NONE, {}
        return match, child_scope


def _parameters(functions: Iterable[Callable[..., Any]]) -> dict[str, inspect.Parameter]:
    """The parameters of `functions` by name (first declaration wins), keyword-only so that their order is free."""
    parameters: dict[str, inspect.Parameter] = {}
    for function in functions:
        for parameter in inspect.signature(function, eval_str=True).parameters.values():
            parameters.setdefault(parameter.name, parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))
    return parameters


@cache
def _parameter_names(function: Callable[..., Any]) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def _call(function: Callable[..., Any], values: dict[str, Any]) -> Any:
    """`function` called with the values of its own parameters."""
    return function(**{name: values[name] for name in _parameter_names(function)})


def _json_endpoint(view: View, vary: bool = False) -> Callable[..., JSONResponse]:
    """An endpoint answering the view's data as JSON, with the view function's parameters."""

    def endpoint(**values: Any) -> JSONResponse:
        response = JSONResponse(view.data(**values))
        if vary:
            response.headers["Vary"] = "Accept"
        return response

    endpoint.__signature__ = inspect.Signature(list(_parameters([view.data]).values()))  # type: ignore[attr-defined]
    return endpoint


def _page_endpoint(view: View) -> Callable[..., HTMLResponse]:
    """An endpoint rendering the view's page: its data and its page extra, from their joint parameters."""
    parameters = _parameters([view.data, *([view.page_extra] if view.page_extra else [])])
    blank = view.blank_form
    if blank:
        parameters[blank.parameter] = parameters[blank.parameter].replace(annotation=blank.annotation, default="")

    def endpoint(request: Request, **values: Any) -> HTMLResponse:
        if blank and not str(values[blank.parameter]).strip():
            data, extra = None, {}
        else:
            data = _call(view.data, values)
            extra = _call(view.page_extra, values) if view.page_extra else {}
        response = render_view(request, view.name, data, extra, values)
        response.headers["Vary"] = "Accept"
        return response

    request_parameter = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
    endpoint.__signature__ = inspect.Signature([request_parameter, *parameters.values()])  # type: ignore[attr-defined]
    return endpoint


def _download_endpoint(view: View, fmt: DownloadFormat) -> Callable[..., StreamingResponse]:
    """An endpoint streaming the view's rows as `fmt`, with the rows function's parameters."""
    rows = view.rows
    assert rows is not None

    def endpoint(**values: Any) -> StreamingResponse:
        return download(rows(**values), fmt, view.name)

    endpoint.__signature__ = inspect.Signature(list(_parameters([rows]).values()))  # type: ignore[attr-defined]
    return endpoint


def _add_download_routes(router: APIRouter, view: View) -> None:
    """`{api path}.csv` and `.jsonl`: every row of the view's list, streamed."""
    for fmt in ("csv", "jsonl"):
        router.add_api_route(
            f"{view.api_route}.{fmt}",
            _download_endpoint(view, fmt),  # type: ignore[arg-type]
            methods=["GET"],
            name=f"download_{view.name}_{fmt}",
            summary=f"{view.summary}: every row as {'CSV' if fmt == 'csv' else 'JSON Lines'}, streamed",
            tags=["api"],
            response_class=StreamingResponse,
            responses={200: {"content": {MEDIA_TYPES[fmt].split(";")[0]: {}}}},
        )


def add_view_routes(router: APIRouter, views: Sequence[View]) -> None:
    """Add every route of `views` to `router` (an application's `app.router`): the documented /api twins,
    then `.json` paths, then the pages (JSON by Accept before HTML), so that `/story/x.json` is not read
    as the page of a story `x.json`. Downloads (`/api/events.csv`) come first of all."""
    for view in views:
        if view.rows:
            _add_download_routes(router, view)
    for view in views:
        router.add_api_route(
            view.api_route,
            _json_endpoint(view),
            methods=["GET"],
            name=f"get_{view.name}",
            summary=view.summary,
            tags=["api"],
            responses=NOT_FOUND if view.may_be_missing else None,
            response_class=JSONResponse,
        )
    for view in views:
        router.add_api_route(
            view.json_path, _json_endpoint(view), methods=["GET"], include_in_schema=False, response_class=JSONResponse
        )
    for view in views:
        router.add_api_route(
            view.path,
            _json_endpoint(view, vary=True),
            methods=["GET"],
            include_in_schema=False,
            response_class=JSONResponse,
            route_class_override=JsonByAccept,
        )
        router.add_api_route(
            view.path, _page_endpoint(view), methods=["GET"], include_in_schema=False, response_class=HTMLResponse
        )
