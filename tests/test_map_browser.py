"""The map and the API docs in a real browser: headless Chromium driven by Playwright against the real
server over the seeds' store (the server, browser and page fixtures of test_web_browser.py; each page
fails its test if it requested anything from another origin or broke the Content-Security-Policy)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

try:
    from tests.test_web_browser import api, browser, db, page, server  # noqa: F401 (fixtures)
except ImportError:
    from test_web_browser import api, browser, db, page, server  # noqa: F401 (fixtures)

from eventwire.plots import QUAD_COLOURS
from eventwire.views import VIEWS

pytestmark = pytest.mark.slow


def _pixels_of(png: bytes, colour: str, tolerance: int = 12) -> int:
    """How many pixels of a screenshot are within `tolerance` of `colour` (#rrggbb) on each channel."""
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is needed to read the screenshot")
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    image = image_module.open(io.BytesIO(png)).convert("RGB")
    return sum(
        count
        for count, rgb in image.getcolors(maxcolors=1 << 20)
        if all(abs(channel - wanted) <= tolerance for channel, wanted in zip(rgb, target, strict=True))
    )


def test_map_draws_the_points_and_a_click_opens_the_event(page: object, server: str, tmp_path: Path) -> None:
    data = api(server, "/api/map?min_confidence=0")
    page.goto(f"{server}/map?min_confidence=0")
    circles = page.locator("svg.worldmap circle.event")
    assert circles.count() == data["total"] == 16
    box = circles.first.bounding_box()
    assert box and box["width"] > 4 and box["height"] > 4

    shot = page.locator("figure#map svg.worldmap").screenshot(path=str(tmp_path / "map.png"))
    land, ocean = "#dde2d6", "#eaf1f6"
    assert _pixels_of(shot, land, 3) > 20_000, "the base map's countries are drawn"
    assert _pixels_of(shot, ocean, 3) > 20_000, "the base map's sea is drawn"
    assert _pixels_of(shot, QUAD_COLOURS[1], 20) > 100, "verbal cooperation points are drawn"
    assert _pixels_of(shot, QUAD_COLOURS[4], 20) == 0, "no material conflict on the seeds' map"

    # The Mishustin–Li talks in Beijing (two outlets) are drawn bigger than a single-outlet event; click them.
    leader = data["items"][0]
    assert leader["location"]["text"] == "Beijing" and leader["sources"] == 2
    point = page.locator(f'circle.event[data-event-id="{leader["event_id"]}"]')
    single = page.locator(f'circle.event[data-event-id="{data["items"][-1]["event_id"]}"]')
    assert point.bounding_box()["width"] > single.bounding_box()["width"]
    point.click()
    page.wait_for_url(f"{server}/event/{leader['event_id']}")
    assert page.locator("dl.record").first.is_visible()
    assert "Beijing" in page.locator("main").inner_text()


def test_map_filters_from_its_form(page: object, server: str) -> None:
    page.goto(f"{server}/map?min_confidence=0")
    page.locator("input[name=country]").fill("RUS")
    page.locator("#map-controls button[type=submit]").click()
    page.wait_for_url("**country=RUS*")
    expected = api(server, "/api/map?min_confidence=0&country=RUS")["total"]
    assert 0 < page.locator("svg.worldmap circle.event").count() == expected < 16
    assert page.locator("input[name=min_confidence]").input_value() == "0"


def test_docs_load_offline_and_answer_a_request(page: object, server: str) -> None:
    page.goto(f"{server}/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    downloads = 2 * sum(1 for view in VIEWS if view.rows is not None)  # CSV and JSON Lines of a list
    assert operations.count() == len(VIEWS) + downloads
    operation = operations.filter(has=page.locator('.opblock-summary-path[data-path="/api/map"]'))
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert f"{server}/openapi.json" in page.requested
    assert any(url.startswith(f"{server}/api/map") for url in page.requested)
    assert all(url.startswith(server) for url in page.requested), page.requested
