"""The map (/map, /map.json, /api/map) on the seeds' store, its base map and projection, and the API docs
page (/docs) served from the package's own assets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import eventwire
from eventwire import worldmap
from eventwire.api import create_app
from eventwire.cli import app as cli_app

REPO = Path(__file__).resolve().parent.parent
STATIC = Path(eventwire.__file__).parent / "web" / "static"
BUILD_WORLD_MAP = REPO / "scripts" / "build_world_map.py"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("map") / "seeds.db"
    result = CliRunner().invoke(cli_app, ["run", str(seeds_dir), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(str(db))) as test_client:
        yield test_client


def get_json(client: TestClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return response.json()


def by_place(items: list[dict]) -> dict[str, list[dict]]:
    places: dict[str, list[dict]] = {}
    for item in items:
        places.setdefault(item["location"]["text"], []).append(item)
    return places


# ---------------------------------------------------------------- the map's data


def test_every_located_event_is_a_point_with_its_place_and_corroboration(client: TestClient) -> None:
    everything = get_json(client, "/api/map?min_confidence=0")
    assert everything["layer"] == "canonical"
    assert everything["total"] == len(everything["items"]) == 16
    assert everything["unlocated"] == 41 and everything["below_min_confidence"] == 0
    places = by_place(everything["items"])
    assert set(places) == {"Moscow", "Beijing", "Uzbekistan", "Ukraine", "Washington"}
    moscow = next(item for item in places["Moscow"] if item["source"]["name"] == "Xi Jinping")
    assert moscow["location"] == {"text": "Moscow", "country": "RUS", "lat": 55.76, "lon": 37.62}
    assert (moscow["plover"], moscow["target"]["name"], moscow["quad_class"]) == ("CONSULT", "Vladimir Putin", 1)
    # The Mishustin–Li talks in Beijing, reported by two outlets, lead the list (most corroborated first).
    beijing = everything["items"][0]
    assert (beijing["location"]["text"], beijing["source"]["name"], beijing["target"]["name"]) == (
        "Beijing",
        "Mikhail Mishustin",
        "Li Qiang",
    )
    assert beijing["sources"] == beijing["mentions"] == 2
    assert all(item["sources"] == 1 for item in everything["items"][1:])
    # The meeting at last September's summit is dated and placed there.
    summit = next(item for item in places["Uzbekistan"] if item["plover"] == "CONSULT")
    assert summit["date"] == "2022-09-01" and summit["location"]["country"] == "UZB"
    assert places["Washington"][0]["location"]["country"] == "USA"


def test_the_default_threshold_keeps_the_confident_events_and_counts_the_rest(client: TestClient) -> None:
    everything = get_json(client, "/api/map?min_confidence=0")
    default = get_json(client, "/api/map")
    threshold = default["min_confidence"]
    assert threshold == default["default_min_confidence"] > 0
    confident = [item for item in everything["items"] if item["confidence"] >= threshold]
    assert confident and len(confident) < len(everything["items"])
    assert [item["event_id"] for item in default["items"]] == [item["event_id"] for item in confident]
    assert default["total"] + default["unlocated"] + default["below_min_confidence"] == (
        everything["total"] + everything["unlocated"]
    )


def test_filters_keep_only_matching_events(client: TestClient) -> None:
    russia = get_json(client, "/api/map?min_confidence=0&country=rus")
    assert russia["filters"]["country"] == "RUS" and russia["items"]
    assert all("RUS" in (item["source"]["country"], (item["target"] or {}).get("country")) for item in russia["items"])
    assert {"Moscow", "Uzbekistan"} <= set(by_place(russia["items"]))
    assert russia["total"] < get_json(client, "/api/map?min_confidence=0")["total"]

    consult = get_json(client, "/api/map?min_confidence=0&plover=consult")
    assert consult["items"] and {item["plover"] for item in consult["items"]} == {"CONSULT"}
    cameo = get_json(client, "/api/map?min_confidence=0&cameo=04")
    assert cameo["items"] and all(item["cameo"].startswith("04") for item in cameo["items"])
    later = get_json(client, "/api/map?min_confidence=0&since=2023-05-25")
    assert later["items"] and all(item["date"] >= "2023-05-25" for item in later["items"])
    assert later["total"] < get_json(client, "/api/map?min_confidence=0")["total"]
    assert get_json(client, "/api/map?min_confidence=0&quad_class=4")["total"] == 0

    # A form's blank fields are no filters; the three paths answer the same data.
    blank = get_json(client, "/map.json?min_confidence=0&country=&plover=&cameo=&quad_class=&since=&until=")
    assert blank == get_json(client, "/api/map?min_confidence=0")
    as_json = client.get("/map?min_confidence=0&country=RUS", headers={"accept": "application/json"}).json()
    assert as_json == russia | {"filters": russia["filters"]}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("country=XX", "country"), ("quad_class=5", "quad_class"), ("since=May", "since"), ("cameo=x", "cameo")],
)
def test_bad_filters_are_422_naming_the_parameter(client: TestClient, query: str, parameter: str) -> None:
    """The map takes the events list's filters, so it refuses what the list refuses, the same way."""
    response = client.get(f"/api/map?{query}")
    detail = response.json()["detail"]
    named = detail.startswith(f"{parameter}:") if isinstance(detail, str) else detail[0]["loc"] == ["query", parameter]
    assert response.status_code == 422 and named
    assert response.json() == client.get(f"/api/events?{query}").json()


def test_a_range_ending_before_it_starts_is_refused(client: TestClient) -> None:
    response = client.get("/api/map?since=2023-06-01&until=2023-05-01")
    detail = "until (2023-05-01) is before since (2023-06-01)"
    assert response.status_code == 422 and response.json() == {"detail": detail}


# ---------------------------------------------------------------- the page


def test_the_page_draws_one_linked_circle_per_event_where_it_happened(client: TestClient) -> None:
    data = get_json(client, "/api/map?min_confidence=0")
    page = client.get("/map?min_confidence=0")
    assert page.status_code == 200 and f'<image href="{worldmap.BASE_MAP_URL}"' in page.text
    circles = re.findall(r'<a href="/event/([^"]+)"><circle class="event q(\d)" cx="([\d.]+)" cy="([\d.]+)"', page.text)
    assert sorted(event_id for event_id, *_ in circles) == sorted(item["event_id"] for item in data["items"])
    # The most corroborated event of a place sits on it; the others are spread around it.
    beijing = by_place(data["items"])["Beijing"]
    assert beijing[0]["sources"] == 2 and all(item["sources"] == 1 for item in beijing[1:])
    x, y = worldmap.project(116.41, 39.9)
    drawn = {event_id: (float(cx), float(cy)) for event_id, _, cx, cy in circles}
    assert drawn[beijing[0]["event_id"]] == (round(x, 1), round(y, 1))
    assert len({drawn[item["event_id"]] for item in beijing}) == len(beijing)
    assert all(abs(drawn[item["event_id"]][0] - x) < 25 for item in beijing)
    assert 'href="/map"' in client.get("/events").text, "the map is in the navigation"


# ---------------------------------------------------------------- projection and base map


def test_projection_spans_the_map_and_keeps_places_in_order() -> None:
    assert worldmap.project(-180, 0)[0] == pytest.approx(0)
    assert worldmap.project(180, 0)[0] == pytest.approx(worldmap.WIDTH)
    assert worldmap.project(0, worldmap.NORTH)[1] == pytest.approx(0)
    assert worldmap.project(0, worldmap.SOUTH)[1] == pytest.approx(worldmap.HEIGHT, abs=0.1)
    moscow, beijing, washington = (
        worldmap.project(37.62, 55.76),
        worldmap.project(116.41, 39.9),
        worldmap.project(-77, 39),
    )
    assert washington[0] < moscow[0] < beijing[0] and moscow[1] < beijing[1]
    assert worldmap.radius(1) < worldmap.radius(3) < worldmap.radius(10) <= 18


def _rings(path_data: str) -> list[list[tuple[float, float]]]:
    """The rings of a path written as `M x y l dx dy … z` (the base map's form)."""
    rings = []
    for move, steps in re.findall(r"M([-\d. ]+)l([-\d. ]*)z", path_data.replace("-", " -")):
        x, y = map(float, move.split())
        ring = [(x, y)]
        numbers = [float(n) for n in steps.split()]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    (px, py), inside = point, False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_the_shipped_base_map_is_small_and_puts_places_in_their_country() -> None:
    svg = (STATIC / "world.svg").read_text(encoding="utf-8")
    assert len(svg.encode()) < 300_000 and "Natural Earth" in svg
    paths = dict(re.findall(r'<path id="([A-Z]{3})" d="([^"]+)"', svg))
    assert len(paths) > 150
    for code, lon, lat in [("RUS", 37.62, 55.76), ("CHN", 116.41, 39.9), ("USA", -77.04, 38.9), ("UKR", 31.17, 48.38),
                           ("UZB", 64.59, 41.38), ("BRA", -47.9, -15.8), ("AUS", 149.1, -35.3)]:  # fmt: skip
        point = worldmap.project(lon, lat)
        assert any(_inside(point, ring) for ring in _rings(paths[code])), code


def test_the_build_script_cuts_a_country_crossing_the_antimeridian(tmp_path: Path) -> None:
    # One square from 170°E to 170°W (across 180°), quantized with a unit transform.
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[170, -20], [20, 0], [0, 10], [-20, 0], [0, -10]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "242", "arcs": [[0]], "properties": {"name": "Fiji"}}]}},
    }  # fmt: skip
    source, out = tmp_path / "countries.json", tmp_path / "world.svg"
    source.write_text(json.dumps(topology), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, str(BUILD_WORLD_MAP), "--topojson", str(source), "--out", str(out)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rings = _rings(re.search(r'<path id="FJI" d="([^"]+)"', out.read_text(encoding="utf-8")).group(1))
    assert len(rings) == 2
    spans = sorted((min(x for x, _ in ring), max(x for x, _ in ring)) for ring in rings)
    # The part east of 180° is at the map's left edge, the rest at its right edge, both cut on the meridian.
    assert spans[0][0] == pytest.approx(worldmap.project(-180, -10)[0], abs=0.1) and spans[0][1] < 40
    assert spans[1][1] == pytest.approx(worldmap.project(180, -10)[0], abs=0.1) and spans[1][0] > 900

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    failed = subprocess.run(
        [sys.executable, str(BUILD_WORLD_MAP), "--topojson", str(bad), "--out", str(out)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert failed.returncode != 0 and "bad.json: cannot read TopoJSON" in failed.stderr
    assert "Traceback" not in failed.stderr


# ---------------------------------------------------------------- API docs


def test_docs_page_loads_swagger_ui_from_the_package_only(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy and "frame-ancestors 'none'" in policy
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert {"/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css", "/static/docs/init.js"} <= set(assets)
    assert all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "validatorUrl: null" in (STATIC / "docs" / "init.js").read_text(encoding="utf-8")
    redoc = client.get("/redoc", follow_redirects=False)
    assert redoc.status_code == 307 and redoc.headers["location"] == "/docs"
    schema_paths = get_json(client, "/openapi.json")["paths"]
    assert "/docs" not in schema_paths and "/api/map" in schema_paths
    # Every other page keeps the strict policy.
    assert "img-src" not in client.get("/map").headers["content-security-policy"]


@pytest.mark.parametrize(
    "query", ["source_country=RUS", "target_country=CHN", "country=RUS,CHN", "q=trade", "cameo=0&plover=CONSULT"]
)
def test_the_map_takes_every_filter_of_the_events_list(client: TestClient, query: str) -> None:
    """One filter for the list and the map: the map's points are the list's located events."""
    listed = get_json(client, f"/api/events?min_confidence=0&limit=200&{query}")
    mapped = get_json(client, f"/api/map?min_confidence=0&{query}")
    assert mapped["total"] + mapped["unlocated"] == listed["total"]
    assert {item["event_id"] for item in mapped["items"]} <= {item["event_id"] for item in listed["items"]}
