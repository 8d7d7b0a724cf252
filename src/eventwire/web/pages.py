"""The HTML pages: each view's data (`eventwire.views`) rendered with its template, `{name}.html`.

A page shows exactly the data its view answers in JSON, arranged for reading: article text cut
into highlighted runs, the dyad's and the overview's charts drawn. What a page shows besides (the dyad page's latest
events) is the view's declared page extra. Error pages share the templates' frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from eventwire import plots, worldmap
from eventwire.web.render import first_marks, render, segment, text_segments

Data = dict[str, Any]
#: A page's template context from the view's data, the page extra and the request's parameters.
#: The data is None only on a view's blank form (the search page without words).
Presenter = Callable[[Any, Data, Data], Data]


def error_page(request: Request, status_code: int, detail: str) -> HTMLResponse:
    """An HTML error page with the given status; it does not echo the request's path or query."""
    return render(
        request, "error.html", status_code=status_code, status_code_value=status_code, detail=detail, json_url=None
    )


def _named(name: str) -> Presenter:
    """A page whose template reads the view's data under `name`."""
    return lambda data, _extra, _params: {name: data}


def _story(data: Data, _extra: Data, _params: Data) -> Data:
    for article in data["articles"]:
        article["segments"] = text_segments(article["text"], article["highlights"])
    return {"story": data, "anchors": first_marks(data["articles"])}


def _article(data: Data, _extra: Data, _params: Data) -> Data:
    data["segments"] = text_segments(data["text"], data["highlights"])
    return {"article": data, "anchors": first_marks([data])}


def _actor_link(key: str) -> str:
    return f"/actor/{segment(key)}"


def _dyad(data: Data, extra: Data, _params: Data) -> Data:
    charts = {
        "timeline": plots.timeline_svg(data, plots.dyad_events_link(data)),
        "network": plots.network_svg(data["network"], data["a"], data["b"], _actor_link),
    }
    return {"dyad": data, "charts": charts, "latest": extra["latest"]}


def _overview(data: Data, _extra: Data, _params: Data) -> Data:
    return {"data": data, "charts": {"trend": plots.trend_svg(data["trend"])}}


def _map(data: Data, _extra: Data, _params: Data) -> Data:
    chart = worldmap.map_svg(data["items"], lambda item: f"/event/{segment(item['event_id'])}")
    return {"map": data, "chart": chart, "legend": worldmap.legend()}


def _search(data: Data | None, _extra: Data, params: Data) -> Data:
    """The search form with the words asked for, and their results (None for the empty form)."""
    return {"q": params["q"], "results": data}


PRESENTERS: dict[str, Presenter] = {
    "overview": _overview,
    "stories": _named("page"),
    "articles": _named("page"),
    "events": _named("page"),
    "dyad_events": _named("page"),
    "event": _named("event"),
    "actor": _named("actor"),
    "story": _story,
    "article": _article,
    "dyad": _dyad,
    "search": _search,
    "map": _map,
}


def render_view(request: Request, name: str, data: Data | None, extra: Data, params: Data) -> HTMLResponse:
    """The page of view `name` (template `{name}.html`) over its data."""
    return render(request, f"{name}.html", **PRESENTERS[name](data, extra, params))
