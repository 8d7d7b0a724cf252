"""One declaration per view: the same path answers HTML or JSON (by `.json` or by Accept), every route
comes from `eventwire.views.VIEWS`, and the view, page and application packages import in one direction."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import eventwire
from eventwire.api import create_app
from eventwire.api.routes import prefers_json
from eventwire.cli import app as cli_app
from eventwire.views import VIEWS
from eventwire.web.pages import PRESENTERS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
JSON = {"accept": "application/json"}
PACKAGE = Path(eventwire.__file__).parent


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("views") / "seeds.db"
    result = CliRunner().invoke(cli_app, ["run", str(seeds_dir), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(str(db))) as test_client:
        yield test_client


def json_of(client: TestClient, url: str, **headers: str) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.text[:300])
    assert response.headers["content-type"] == "application/json", url
    return response.json()


def page_paths(client: TestClient) -> list[str]:
    """A path with parameters for every view, the ids taken from the seeds' store."""
    story = json_of(client, "/api/stories?limit=1")["items"][0]["story_id"]
    article = json_of(client, "/api/articles?limit=1")["items"][0]["article_id"]
    event = json_of(client, "/api/events?limit=1")["items"][0]["event_id"]
    return [
        "/?min_confidence=0",
        "/stories?limit=2",
        f"/story/{story}",
        "/articles?offset=1",
        f"/article/{article}?min_confidence=0",
        "/events?limit=5",
        f"/event/{event}",
        "/actor/RUS?role=source",
        "/dyad/RUS/CHN?period=year",
        "/dyad/RUS/CHN/events?start=2023-05-01",
        "/search?q=Xi",
        "/map?min_confidence=0&country=RUS",
    ]


def test_one_path_answers_html_or_json_and_the_api_twin_is_the_same_data(client: TestClient) -> None:
    paths = page_paths(client)
    assert len(paths) == len(VIEWS)
    for path in paths:
        route, _, query = path.partition("?")
        suffix = f"?{query}" if query else ""
        twin = json_of(client, ("/api/overview" if route == "/" else f"/api{route}") + suffix)
        page = client.get(path, headers={"accept": BROWSER})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path
        assert page.headers["vary"] == "Accept" and "<html" in page.text, path
        by_accept = client.get(path, headers=JSON)
        assert by_accept.headers["vary"] == "Accept", path
        assert by_accept.json() == twin, path
        assert json_of(client, f"{route.rstrip('/') or ''}.json{suffix}") == twin, path


def test_the_overview_json_is_at_dot_json_and_a_plain_request_gets_html(client: TestClient) -> None:
    overview = json_of(client, "/.json")
    assert overview["counts"]["articles"] == 5 and overview == json_of(client, "/api/overview")
    assert client.get("/").headers["content-type"].startswith("text/html")
    assert client.get("/events", headers={"accept": "*/*"}).headers["content-type"].startswith("text/html")


def test_json_answers_give_json_errors_and_pages_html_ones(client: TestClient) -> None:
    missing = client.get("/story/nope.json")
    assert missing.status_code == 404 and missing.json() == {"detail": "no story with id 'nope'"}
    assert client.get("/story/nope", headers=JSON).json() == {"detail": "no story with id 'nope'"}
    page = client.get("/story/nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    bad_limit = client.get("/events.json?limit=0")
    assert bad_limit.status_code == 422 and bad_limit.json()["detail"][0]["loc"] == ["query", "limit"]
    no_words = client.get("/search", headers=JSON)
    assert no_words.status_code == 422 and no_words.json()["detail"][0]["loc"] == ["query", "q"]
    form = client.get("/search")
    assert form.status_code == 200 and '<form class="search' in form.text


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        ("application/json", True),
        ("application/*", True),
        ("application/json;q=0.5, text/html;q=0.4", True),
        (BROWSER, False),
        ("*/*", False),
        ("", False),
        ("application/json, text/html", False),
        ("text/html;q=0.1, application/json;q=oops", False),
        ("application/json;q=0, */*", False),
    ],
)
def test_accept_header_prefers_json_only_when_json_ranks_above_html(accept: str, json: bool) -> None:
    assert prefers_json(accept) is json


def test_every_route_is_generated_from_a_view_declaration(client: TestClient) -> None:
    routes = {route.path for route in client.app.routes if isinstance(route, APIRoute)}
    declared = {path for view in VIEWS for path in (view.api_route, view.json_path, view.path)}
    declared |= {f"{view.api_route}.{fmt}" for view in VIEWS if view.rows for fmt in ("csv", "jsonl")}
    assert routes == declared
    documented = set(json_of(client, "/openapi.json")["paths"])
    assert documented == {path for path in declared if path.startswith("/api/")}
    for view in VIEWS:
        assert (PACKAGE / "web" / "templates" / f"{view.name}.html").is_file(), view.name
        assert view.name in PRESENTERS, view.name


def imported_parts() -> dict[str, set[str]]:
    """Part of the package (top-level module or subpackage) → the other parts it imports, at any depth
    of its code (imports inside functions included)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts == ("__init__",):
            continue
        importer = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if bits[0] == "eventwire" and len(bits) > 1 and bits[1] != importer:
                    graph[importer].add(bits[1])
    return graph


def test_views_pages_and_application_import_in_one_direction() -> None:
    graph = imported_parts()
    assert {"views", "web"} <= graph["api"], "the application is assembled from the views and the pages"
    assert not graph["views"] & {"api", "web"}, "views compute data; they import neither the app nor the pages"
    assert not graph["web"] & {"api", "views"}, "pages render data; they import neither the app nor the views"
    assert not graph["store"] & {"api", "web", "views"}
    for part in ("api", "web", "views", "store"):
        two_way = {other for other in graph[part] if part in graph[other]}
        assert not two_way, f"{part} and {two_way} import each other"


def test_no_two_parts_of_the_package_import_each_other() -> None:
    graph = dict(imported_parts())
    two_way = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())})
    assert two_way == [], f"parts importing each other: {two_way}"
