"""The eventwire web application, assembled here from the view declarations (`eventwire.views`),
the page templates (`eventwire.web`) and the security headers.

    app = create_app("seeds.db")        # a SQLite path or a PostgreSQL URL
    uvicorn.run(app, host="127.0.0.1", port=8765)

Every view answers at its page path (HTML, or JSON when Accept prefers application/json), at that
path with `.json`, and at its JSON twin under /api (documented at /openapi.json, browsable at /docs);
see `eventwire.api.routes` and `eventwire.api.docs`. Errors on JSON answers are JSON
`{"detail": ...}`; on pages they are HTML with the same status.
Static files are served only from the package's own static folder. Every response, errors
included, carries the security headers of `eventwire.api.security` (a strict Content-Security-Policy
among them), and error bodies echo at most 200 characters of any input value.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from eventwire.api.docs import add_docs_routes
from eventwire.api.routes import add_view_routes, wants_json
from eventwire.api.security import SecurityHeaders, clipped
from eventwire.store import database_url, open_repository, queries
from eventwire.views import VIEWS
from eventwire.web.pages import error_page

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if wants_json(request):
        return await http_exception_handler(request, exc)
    return error_page(request, exc.status_code, str(exc.detail))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422 naming each bad parameter; echoed inputs are cut to a few hundred characters."""
    errors = clipped(jsonable_encoder(exc.errors()))
    if wants_json(request):
        return JSONResponse({"detail": errors}, status_code=422)
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors)
    return error_page(request, 422, problems or "invalid parameters")


class _App(FastAPI):
    """FastAPI with `SecurityHeaders` outermost, so that even unhandled-error responses carry them."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _label(db: str) -> str:
    """How the database is named on pages: the path, or the URL without its password."""
    text = str(db)
    return database_url(text).render_as_string(hide_password=True) if "://" in text else text


def create_app(db: str) -> FastAPI:
    """The application over the store at `db` (created/migrated on open, then only read)."""
    repository = open_repository(db)
    if not queries.derived_schema_is_complete(repository.engine):
        queries.refresh_search(repository.engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        repository.close()

    app = _App(
        title="eventwire",
        summary="Coded, dated, sourced event data from news: stories, events, actors, dyads.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.engine = repository.engine
    app.state.db_label = _label(db)
    add_view_routes(app.router, VIEWS)
    add_docs_routes(app.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    return app


__all__ = ["create_app"]
