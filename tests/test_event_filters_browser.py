"""The events list's facets in a real browser: headless Chromium against the real server over the
seeds (the server, browser and tab fixtures of tests/test_web_browser.py)."""

from __future__ import annotations

import csv
import io
import urllib.request

import pytest

try:
    from tests.test_web_browser import api, browser, db, page, server  # noqa: F401 - fixtures used by name
    from tests.waiting import HANG_GUARD
except ImportError:
    from test_web_browser import api, browser, db, page, server  # noqa: F401
    from waiting import HANG_GUARD

pytestmark = pytest.mark.slow


def test_clicking_facets_filters_the_list_and_the_filter_chip_removes_it(page: object, server: str) -> None:
    every = api(server, "/api/events?min_confidence=0&limit=200")
    page.goto(f"{server}/events?min_confidence=0&limit=200")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == every["total"]

    quad = page.locator('section.facet[data-facet="quad_class"] a[data-value="3"]')
    expected = int(quad.locator("xpath=following-sibling::span[@class='count']").inner_text())
    assert 0 < expected < every["total"]
    quad.click()
    page.wait_for_url("**quad_class=3*")
    assert rows.count() == expected
    assert page.locator("table.events .quad.q3").count() == expected
    assert page.locator(".quad.q1, .quad.q2, .quad.q4").count() == 0

    russia = page.locator('section.facet[data-facet="country"] a[data-value="RUS"]')
    both = int(russia.locator("xpath=following-sibling::span[@class='count']").inner_text())
    russia.click()
    page.wait_for_url("**country=RUS*")
    assert "quad_class=3" in page.url and rows.count() == both
    narrowed = api(server, "/api/events?min_confidence=0&limit=200&quad_class=3&country=RUS")
    shown = page.locator("table.events a.event-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert shown == [f"/event/{item['event_id']}" for item in narrowed["items"]]
    assert page.locator('section.facet[data-facet="country"] a.selected[data-value="RUS"]').is_visible()

    page.locator('p.active-filters a.filter[data-filter="quad_class"]').click()
    page.wait_for_url(lambda url: "quad_class" not in url)
    assert "country=RUS" in page.url
    assert rows.count() == api(server, "/api/events?min_confidence=0&limit=200&country=RUS")["total"]

    href = page.locator("a.download-csv").get_attribute("href")
    with urllib.request.urlopen(server + href, timeout=HANG_GUARD) as response:
        table = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    assert len(table) == rows.count()
    assert all("RUS" in (row["source.country"], row["target.country"]) for row in table)


def test_the_words_form_keeps_the_other_filters(page: object, server: str) -> None:
    page.goto(f"{server}/events?min_confidence=0&country=CHN")
    page.locator("form.event-filters input[name=q]").fill("Mishustin")
    page.locator("form.event-filters button").click()
    page.wait_for_url("**q=Mishustin*")
    assert "country=CHN" in page.url and "min_confidence=0" in page.url
    expected = api(server, "/api/events?min_confidence=0&country=CHN&q=Mishustin&limit=200")
    assert expected["total"] >= 1
    assert page.locator("table.events tbody tr").count() == expected["total"]
    assert page.locator('p.active-filters a.filter[data-filter="q"]').inner_text().startswith("q: Mishustin")
