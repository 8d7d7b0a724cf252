"""The API docs page: Swagger UI at /docs over /openapi.json, from assets shipped in the package
(`web/static/docs/`, copied from npm's swagger-ui-dist by `scripts/build_docs_assets.py`); /redoc
leads there too. Nothing is loaded from elsewhere: the page's policy is the application's strict one
plus `data:` images, which Swagger UI's style sheet uses for its icons."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from eventwire.api.security import DOCS_CONTENT_SECURITY_POLICY
from eventwire.web.render import environment

DOCS_PATH = "/docs"


async def docs_page(_request: Request) -> HTMLResponse:
    """Swagger UI over the application's OpenAPI schema."""
    response = HTMLResponse(environment().get_template("api_docs.html").render())
    response.headers["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    return response


async def redoc_redirect(_request: Request) -> RedirectResponse:
    return RedirectResponse(DOCS_PATH, status_code=307)


def add_docs_routes(router: APIRouter) -> None:
    """/docs and /redoc (a redirect to /docs), outside the OpenAPI schema."""
    router.add_route(DOCS_PATH, docs_page, methods=["GET"], include_in_schema=False)
    router.add_route("/redoc", redoc_redirect, methods=["GET"], include_in_schema=False)
