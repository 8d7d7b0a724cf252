"""What every view is made of: its declaration (`View`), the parameters views share, and the
helpers that turn a missing answer or a bad range into an HTTP error.

A view's data function declares its parameters FastAPI's way (`Annotated[..., Query(...)]`), so
the routes built from it validate them (bad values → 422 naming them) and document them; called
from Python it is a plain function of an engine and values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Path, Query, Request

from eventwire.store.queries import MAX_LIMIT


async def engine_of(request: Request) -> sa.Engine:
    """The database engine of the running application."""
    return request.app.state.engine


Engine = Annotated[sa.Engine, Depends(engine_of)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1 … 200).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Id = Annotated[str, Path(max_length=200)]
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

Data = dict[str, Any]


def found(value: Data | None, what: str, key: str) -> Data:
    """The value, or a 404 naming what was not found."""
    if value is None:
        raise HTTPException(status_code=404, detail=f"no {what} with id {key!r}")
    return value


def check_range(start: dt.date | None, end: dt.date | None) -> None:
    """422 when a date range ends before it starts."""
    if start and end and end < start:
        raise HTTPException(status_code=422, detail="end must not be before start")


@dataclass(frozen=True)
class BlankForm:
    """A page that, without a value for `parameter` (missing or blank), shows its empty form instead of
    data; on the page the parameter is declared as `annotation` with an empty default."""

    parameter: str
    annotation: Any


@dataclass(frozen=True)
class View:
    """One view, declared once: the function computing its data and where it answers.

    The page at `path` is HTML (template `web/templates/{name}.html`), or JSON when the request's
    Accept header prefers application/json; `path` + `.json` is always JSON, and so is `api_path`
    (default `/api` + `path`), the documented twin listed in /openapi.json.
    """

    name: str
    path: str
    data: Callable[..., Data]
    summary: str
    api_path: str = ""
    #: Whether the view answers 404 for an unknown id (documented in the OpenAPI schema).
    may_be_missing: bool = False
    #: What the HTML page shows besides the view's data (its parameters join the page's).
    page_extra: Callable[..., Data] | None = None
    blank_form: BlankForm | None = None
    #: Every row of the view's list, streamed: downloads at `api_route` + `.csv` and `.jsonl`.
    rows: Callable[..., Iterator[Data]] | None = None

    @property
    def api_route(self) -> str:
        """The documented JSON path."""
        return self.api_path or f"/api{self.path}"

    @property
    def json_path(self) -> str:
        """The page path with the `.json` suffix (`/.json` for the root page)."""
        return f"{self.path}.json" if self.path != "/" else "/.json"
