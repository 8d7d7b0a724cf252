"""The analyst in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright against the real server over the seeds database.

`test_story_page_*` needs the stories stage (the Mishustin story holds seeds 000, 001 and
004); the other tests work on per-article events alone.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import re
import shutil
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app as cli_app

try:
    from tests.waiting import HANG_GUARD, wait_until
except ImportError:
    from waiting import HANG_GUARD, wait_until

#: The module's server and browser take about half a minute to start and stop: all of it is slow.
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: install it with apt-get install -y chromium", allow_module_level=True)
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright==1.65.2)"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("browser") / "seeds.db"
    result = CliRunner().invoke(cli_app, ["run", str(seeds_dir), "--db", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port; yields its base URL."""
    import uvicorn

    from eventwire.api import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    wait_until(lambda: uvicorn_server.started, alive=thread.is_alive, what="the web server to start", poll=0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Chromium with a fresh profile directory."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


#: Reports each Content-Security-Policy violation to the test (runs before any page script).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.documentURI} line ${event.lineNumber}`;
  window.reportCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
}, true);
"""


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A new tab that records every URL it requests and every Content-Security-Policy violation."""
    tab = browser.new_page()
    tab.requested = []
    tab.csp_violations = []
    tab.on("request", lambda request: tab.requested.append(request.url))

    def note_console(message: object) -> None:
        if "Content Security Policy" in message.text:
            tab.csp_violations.append(message.text)

    tab.on("console", note_console)
    tab.expose_function("reportCspViolation", lambda text: tab.csp_violations.append(text))
    tab.add_init_script(REPORT_CSP_VIOLATIONS)
    tab.set_default_timeout(120_000)  # waits end as soon as the page is ready; this only guards a hang
    yield tab
    assert all(url.startswith(server) for url in tab.requested), "the page fetched something from elsewhere"
    assert not tab.csp_violations, tab.csp_violations
    tab.close()


def api(server: str, path: str) -> dict:
    with urllib.request.urlopen(server + path, timeout=HANG_GUARD) as response:
        return json.loads(response.read())


def seed_article_ids(server: str) -> dict[str, str]:
    found = {}
    for item in api(server, "/api/articles?limit=200")["items"]:
        path = api(server, f"/api/article/{item['article_id']}")["path"] or ""
        found[Path(path).name[:3]] = item["article_id"]
    return found


def test_article_evidence_links_to_the_event_and_its_highlighted_sentence(page: object, server: str) -> None:
    article_id = seed_article_ids(server)["001"]
    page.goto(f"{server}/article/{article_id}")
    marks = page.locator(".article-text mark")
    assert marks.count() >= 3
    sentence = marks.first.locator("a").first.inner_text()
    marks.first.locator("a").first.click()
    page.wait_for_url(f"{server}/event/**")
    evidence = page.locator("mark.evidence")
    assert evidence.first.is_visible()
    assert " ".join(sentence.split()) in " ".join(t for t in evidence.all_inner_texts())
    assert page.locator("dl.record").first.is_visible()


def _mishustin_story(server: str, article_id: str) -> str | None:
    for story in api(server, "/api/stories?limit=200")["items"]:
        members = {a["article_id"] for a in api(server, f"/api/story/{story['story_id']}")["articles"]}
        if article_id in members:
            return story["story_id"]
    return None


def test_story_page_shows_three_articles_and_event_evidence(page: object, server: str) -> None:
    ids = seed_article_ids(server)
    story_id = _mishustin_story(server, ids["000"])
    assert story_id, "no story holds seed 000: the stories stage has not grouped the seeds"
    page.goto(f"{server}/story/{story_id}?min_confidence=0")
    for number in ("000", "001", "004"):
        assert page.locator(f"#article-{ids[number]}").is_visible()
    assert page.locator("table.story-articles tbody tr").count() >= 3
    assert page.locator(".article-text mark[id]").count() >= 1
    page.locator("table.events a.event-link").first.click()
    page.wait_for_url(f"{server}/event/**")
    assert page.locator("mark.evidence").first.is_visible()
    assert page.locator("mark.evidence").first.inner_text().strip()


def _pixel_spread(png: bytes) -> float:
    """Standard deviation of grey levels: a blank area is ~0, a drawn chart is not."""
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is needed to read the screenshot")
    counts = image_module.open(io.BytesIO(png)).convert("L").histogram()
    pixels = sum(counts)
    mean = sum(level * count for level, count in enumerate(counts)) / pixels
    return math.sqrt(sum(count * (level - mean) ** 2 for level, count in enumerate(counts)) / pixels)


def test_dyad_chart_draws_zooms_and_clicks_through(page: object, server: str, tmp_path: Path) -> None:
    page.goto(f"{server}/dyad/RUS/CHN?period=day")
    bars = page.locator("svg.timeline g.bar")
    assert bars.count() >= 1
    box = bars.first.locator("rect").first.bounding_box()
    assert box and box["height"] > 5 and box["width"] > 1
    assert page.locator("svg.network path.edge").count() >= 1
    shot = page.locator("figure#timeline").screenshot(path=str(tmp_path / "dyad.png"))
    assert _pixel_spread(shot) > 10

    chart = page.locator("svg.timeline").bounding_box()
    y = chart["y"] + chart["height"] * 0.5
    page.mouse.move(chart["x"] + chart["width"] * 0.02, y)
    page.mouse.down()
    page.mouse.move(chart["x"] + chart["width"] * 0.5, y, steps=5)
    page.mouse.move(chart["x"] + chart["width"] * 0.98, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**start=*")
    assert "end=" in page.url and "period=day" in page.url
    assert page.locator("svg.timeline g.bar").count() >= 1

    page.locator("select[name=period]").select_option("week")
    page.wait_for_url("**period=week*")
    assert page.locator("select[name=period]").input_value() == "week"

    page.goto(f"{server}/dyad/RUS/CHN?period=month")
    page.locator("svg.timeline g.bar a").first.click()
    page.wait_for_url(f"{server}/dyad/RUS/CHN/events?**")
    assert page.locator("table.events tbody tr").count() >= 1


def test_monthly_dyad_chart_ticks_months_under_their_bars(page: object, server: str) -> None:
    page.goto(f"{server}/dyad/RUS/CHN?period=month")
    labels = page.locator("svg.timeline text.x-tick").all_text_contents()
    assert labels and all(re.fullmatch(r"\d{4}-\d{2}", label) for label in labels), labels
    months = [int(label[:4]) * 12 + int(label[5:]) for label in labels]
    steps = {later - earlier for earlier, later in itertools.pairwise(months)}
    assert len(steps) <= 1 and min(steps, default=1) >= 1, labels  # every month, or every n-th on a long span
    xs = page.locator("svg.timeline text.x-tick").evaluate_all("ticks => ticks.map(t => t.getAttribute('x'))")
    tick_x = dict(zip(labels, map(float, xs), strict=True))
    for bar in page.locator("svg.timeline g.bar").all():
        month = bar.get_attribute("data-start")[:7]
        left = float(bar.locator("rect").first.get_attribute("x"))
        assert month in tick_x and tick_x[month] <= left, (month, tick_x)


def test_overview_draws_the_weekly_trend_by_quad_class(page: object, server: str, tmp_path: Path) -> None:
    events = api(server, "/api/events?limit=200&min_confidence=0")
    assert events["total"] <= 200, "every event of the seeds fits one page"
    weeks: dict[str, int] = {}
    for event in events["items"]:
        if event["date"]:
            day = dt.date.fromisoformat(event["date"])
            monday = (day - dt.timedelta(days=day.weekday())).isoformat()
            weeks[monday] = weeks.get(monday, 0) + 1
    assert weeks, "the seeds have dated events"
    first_week = (dt.date.fromisoformat(max(weeks)) - dt.timedelta(weeks=51)).isoformat()
    in_window = {week: count for week, count in weeks.items() if week >= first_week}

    page.goto(f"{server}/")
    bars = page.locator("figure#trend svg g.bar")
    drawn = {bar.get_attribute("data-start"): int(bar.get_attribute("data-events")) for bar in bars.all()}
    assert drawn == in_window
    colours = set(
        page.locator("figure#trend svg g.bar rect").evaluate_all("rects => rects.map(r => r.getAttribute('fill'))")
    )
    assert len(colours) >= 2, "bars are stacked by quad class"
    box = bars.first.locator("rect").first.bounding_box()
    assert box and box["height"] > 1 and box["width"] > 1
    shot = page.locator("figure#trend").screenshot(path=str(tmp_path / "trend.png"))
    assert _pixel_spread(shot) > 10


def test_main_pages_work_under_the_content_security_policy(page: object, server: str) -> None:
    ids = seed_article_ids(server)
    event_id = api(server, "/api/events?limit=1&min_confidence=0")["items"][0]["event_id"]
    story_id = _mishustin_story(server, ids["000"])
    paths = [
        "/",
        "/stories",
        "/articles",
        "/events",
        f"/article/{ids['001']}",
        f"/event/{event_id}",
        "/actor/RUS",
        "/dyad/RUS/CHN?period=day",
        "/dyad/RUS/CHN/events",
        "/search?q=Mishustin",
        "/event/no-such-event",
    ] + ([f"/story/{story_id}"] if story_id else [])
    for path in paths:
        response = page.goto(server + path)
        page.wait_for_load_state("load")
        assert response.status == (404 if "no-such" in path else 200), path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        assert page.locator("link[rel=stylesheet]").count() == 1
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui"), path
    assert page.csp_violations == [], page.csp_violations

    # The policy is enforced and the listener hears it: an injected inline script is refused and reported.
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "document.body.dataset.injected = 'ran'";
        document.body.append(script);
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.dataset.injected") is None
    assert any("script-src" in violation for violation in page.csp_violations), page.csp_violations
    page.csp_violations.clear()


def test_show_all_reveals_the_events_below_the_default_confidence(page: object, server: str) -> None:
    listed = api(server, "/api/events?limit=200")
    every = api(server, "/api/events?limit=200&min_confidence=0")["items"]
    hidden = [e for e in every if e["confidence"] < listed["min_confidence"]]
    assert hidden and listed["below_min_confidence"] == len(hidden)
    rows = page.locator("table.events tbody tr")
    page.goto(f"{server}/events?limit=200")
    note = page.locator("p.confidence-note")
    assert note.is_visible()
    assert f"{len(hidden)} events below confidence {listed['min_confidence']:.2f} hidden" in note.inner_text()
    assert rows.count() == listed["total"]
    assert page.locator(f'a.event-link[href="/event/{hidden[0]["event_id"]}"]').count() == 0

    note.locator("a.show-all").click()
    page.wait_for_url("**min_confidence=0*")
    assert rows.count() == listed["total"] + len(hidden) == len(every)
    revealed = page.locator(f'a.event-link[href="/event/{hidden[0]["event_id"]}"]')
    assert revealed.is_visible()
    low_cells = page.locator("td.confidence.low")
    assert low_cells.count() == len(hidden) and low_cells.first.is_visible()

    revealed.click()
    page.wait_for_url(f"{server}/event/**")
    assert page.locator("span.badge.low-confidence").is_visible()

    page.goto(f"{server}/events?limit=200&min_confidence=0")
    page.locator("p.confidence-note a.hide-low").click()
    page.wait_for_url(f"{server}/events?limit=200")
    assert rows.count() == listed["total"]
