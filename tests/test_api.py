"""The analyst's JSON API and pages over a database built by the real pipeline from the seeds.

The story tests (`test_mishustin_story_*`) need the stories stage, which groups seeds
000, 001 and 004 into one story; `test_story_page_shows_claims_and_evidence` builds its
own story rows so the story view is tested whatever that stage produces.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
from collections import deque
from collections.abc import Iterator
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
import sqlalchemy as sa
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwire.api import create_app
from eventwire.api.commands import register
from eventwire.api.security import DOCS_CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from eventwire.cli import app as cli_app
from eventwire.events.confidence import default_threshold
from eventwire.store import open_repository, queries
from eventwire.store.schema import (
    articles,
    canonical_events,
    canonical_mentions,
    claims,
    events,
    mentions,
    stories,
    story_articles,
)

try:
    from tests import pgserver
except ImportError:
    import pgserver

runner = CliRunner()

SCRIPT_ARTICLE = """Fidan visits Baghdad <script>alert("title")</script>

Turkish Foreign Minister Hakan Fidan met his Iraqi counterpart Fuad Hussein in Baghdad on Tuesday. \
The two ministers discussed border security <script>alert("body")</script> and water sharing.
"""
MISHUSTIN_SEEDS = ("000", "001", "004")


def run_pipeline(db: str, *inputs: Path) -> None:
    result = runner.invoke(cli_app, ["run", *map(str, inputs), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[Path, Path]:
    hostile = tmp_path_factory.mktemp("hostile")
    (hostile / "2024-03-12_fidan-baghdad.txt").write_text(SCRIPT_ARTICLE, encoding="utf-8")
    return seeds_dir, hostile


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, inputs: tuple[Path, Path]) -> Path:
    path = tmp_path_factory.mktemp("api") / "seeds.db"
    run_pipeline(str(path), *inputs)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def seed_ids(client: TestClient) -> dict[str, str]:
    """Seed number ("000") → article id, from the stored paths."""
    with open_repository(client.app.state.db_label) as repository, repository.engine.connect() as connection:
        rows = connection.execute(sa.select(articles.c.article_id, articles.c.path)).all()
    return {Path(path).name[:3]: article_id for article_id, path in rows if path}


def get_json(client: TestClient, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


# ---------------------------------------------------------------- overview, lists, twins


def test_overview_counts_the_seeds_and_ranks_russia_china_first(client: TestClient) -> None:
    data = get_json(client, "/api/overview")
    assert data["counts"]["articles"] == 6
    assert data["counts"]["events"] > 20
    top = data["top_dyads"][0]
    assert {top["a"], top["b"]} == {"CHN", "RUS"} and top["events"] >= 5
    assert top["a_name"] == "China"
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'href="/dyad/CHN/RUS"' in page.text
    assert '<form class="search big" action="/search"' in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/stories",
        "/articles",
        "/events",
        "/dyad/RUS/CHN",
        "/actor/RUS",
        "/search?q=Xi",
        "/dyad/RUS/CHN/events?start=2023-05-01&end=2023-05-31",
    ],
)
def test_every_page_has_a_json_twin(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    twin = "/api" + path
    assert f'href="{twin.replace("&", "&amp;")}"' in page.text
    get_json(client, twin)


def test_lists_paginate_with_a_bounded_limit(client: TestClient) -> None:
    first = get_json(client, "/api/events?limit=5&min_confidence=0")
    second = get_json(client, "/api/events?limit=5&offset=5&min_confidence=0")
    assert first["total"] == second["total"] > 10
    assert len(first["items"]) == len(second["items"]) == 5
    assert not {e["event_id"] for e in first["items"]} & {e["event_id"] for e in second["items"]}
    dates = [e["date"] for e in first["items"] + second["items"] if e["date"]]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)
    assert get_json(client, "/api/articles?limit=200")["total"] == 6
    html = client.get("/events?limit=5&offset=5&min_confidence=0").text
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert 'href="/events?limit=5&amp;offset=10&amp;min_confidence=0"' in html


# ---------------------------------------------------------------- event, actor, dyad


def test_event_record_has_coding_dates_actors_and_evidence(client: TestClient, db: Path) -> None:
    listed = get_json(client, "/api/events?limit=200&min_confidence=0")["items"]
    chosen = next(e for e in listed if e["target"] and e["target"]["country"] and e["date"])
    event = get_json(client, f"/api/event/{chosen['event_id']}")
    assert event["plover"] == chosen["plover"] and event["cameo"] == chosen["cameo"]
    assert event["cameo_label"]
    assert event["quad_label"] == queries.QUAD_LABELS[event["quad_class"]]
    assert event["date_method"] in {
        "explicit",
        "relative",
        "publication",
        "inferred",
        "none",
        "background",
        "future",
    }
    assert event["source"]["text"] and event["target"]["country"]
    mention = event["mentions"][0]
    with open_repository(db) as repository:
        text = repository.get_article(mention["article_id"])["text"]
    assert text[mention["start"] : mention["end"]] == mention["sentence"]
    html = client.get(f"/event/{chosen['event_id']}").text
    assert '<mark class="evidence">' in html
    assert event["cameo_label"].split()[0] in html


def test_event_page_says_who_reported_each_mention(client: TestClient) -> None:
    listed = get_json(client, "/api/events?limit=200&min_confidence=0")["items"]
    reported = [
        (e["event_id"], m["attributed_to"])
        for e in listed
        for m in get_json(client, f"/api/event/{e['event_id']}")["mentions"]
        if m["attributed_to"]
    ]
    assert reported, "the seeds report events through speakers ('..., officials said')"
    event_id, speaker = reported[0]
    html = client.get(f"/event/{event_id}").text
    assert "Reported by" in html and html_escape(speaker["text"]) in html


def test_country_actor_profile(client: TestClient) -> None:
    russia = get_json(client, "/api/actor/rus?min_confidence=0")
    assert russia["identity"]["key"] == "RUS" and russia["identity"]["kind"] == "country"
    totals = russia["totals"]
    assert max(totals.values()) <= russia["events"]["total"] <= totals["as_source"] + totals["as_target"]
    assert "CHN" in {p["key"] for p in russia["partners"]} or any(
        p["label"] == "Xi Jinping" for p in russia["partners"]
    )
    assert any("Russia" in alias["text"] for alias in russia["aliases"])
    assert russia["roles"] and all(role["country"] in ("RUS", None) for role in russia["roles"])
    as_target = get_json(client, "/api/actor/RUS?role=target&limit=3&min_confidence=0")
    assert as_target["events"]["total"] == russia["totals"]["as_target"]
    assert as_target["events"]["items"] and all(e["target"]["country"] == "RUS" for e in as_target["events"]["items"])


def test_person_actor_profile_by_knowledge_base_id(client: TestClient) -> None:
    listed = get_json(client, "/api/events?limit=200&min_confidence=0")["items"]
    person = next(e["source"] for e in listed if e["source"]["actor_id"] and e["source"]["kind"] == "person")
    profile = get_json(client, f"/api/actor/{person['actor_id']}")
    assert profile["identity"]["actor_id"] == person["actor_id"]
    assert profile["identity"]["name"] == person["name"]
    assert person["text"] in {alias["text"] for alias in profile["aliases"]}
    assert profile["roles"][0]["country"] == person["country"]


def test_dyad_timeline_counts_both_directions_by_period(client: TestClient) -> None:
    month = get_json(client, "/api/dyad/RUS/CHN?period=month")
    reverse = get_json(client, "/api/dyad/chn/rus?period=month")
    assert month["totals"] == reverse["totals"] and month["totals"]["events"] > 0
    may = next(b for b in month["buckets"] if b["label"] == "2023-05")
    assert may["events"] == may["q1"] + may["q2"] + may["q3"] + may["q4"]
    assert (may["start"], may["end"]) == ("2023-05-01", "2023-05-31")
    week = get_json(client, "/api/dyad/RUS/CHN?period=week")
    assert sum(b["events"] for b in week["buckets"]) == month["totals"]["events"]
    assert all(b["label"].startswith("20") and "-W" in b["label"] for b in week["buckets"])
    events = get_json(client, f"/api/dyad/RUS/CHN/events?start={may['start']}&end={may['end']}&min_confidence=0")
    assert events["total"] == may["events"]
    assert {frozenset((e["source"]["country"], e["target"]["country"])) for e in events["items"]} == {
        frozenset(("RUS", "CHN"))
    }
    nodes = {n["country"] for n in month["network"]["nodes"]}
    assert nodes == {"RUS", "CHN"} and month["network"]["edges"]


def test_dyad_page_draws_linked_bars_and_a_network(client: TestClient) -> None:
    html = client.get("/dyad/RUS/CHN?period=day").text
    assert html.count('<g class="bar"') >= 1
    assert 'href="/dyad/RUS/CHN/events?start=2023-05-' in html
    assert "&amp;min_confidence=0" in html.split('href="/dyad/RUS/CHN/events?start=2023-05-', 1)[1].split('"', 1)[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart network"' in html
    assert 'class="edge"' in html and '<option value="day" selected>' in html
    zoomed = get_json(client, "/api/dyad/RUS/CHN?period=day&start=2023-05-25&end=2023-05-25")
    assert zoomed["buckets"] and all(b["start"] == "2023-05-25" for b in zoomed["buckets"])


# ---------------------------------------------------------------- search


def test_search_finds_articles_and_events_with_marked_snippets(client: TestClient, seed_ids: dict[str, str]) -> None:
    found = get_json(client, "/api/search?q=Mishustin&min_confidence=0")
    article_ids = {a["article_id"] for a in found["articles"]["items"]}
    assert {seed_ids["000"], seed_ids["001"]} <= article_ids
    assert found["events"]["total"] >= 1
    marked = [s["text"] for a in found["articles"]["items"] for s in a["snippet"] if s["match"]]
    assert "Mishustin" in marked
    prefix = get_json(client, "/api/search?q=Mishust")
    assert prefix["articles"]["total"] == found["articles"]["total"]
    both = get_json(client, "/api/search?q=Mishustin+Shanghai")
    assert seed_ids["000"] in {a["article_id"] for a in both["articles"]["items"]}
    assert both["articles"]["total"] <= found["articles"]["total"]
    odd = get_json(client, '/api/search?q="Xi AND (NEAR*')
    assert odd["terms"] == ["Xi", "AND", "NEAR"]
    html = client.get("/search?q=Mishustin").text
    assert "<mark>Mishustin</mark>" in html


def test_search_index_follows_deletes_and_can_be_rebuilt(tmp_path: Path, db: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    engine = open_repository(copy).engine
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM search_events")
        connection.exec_driver_sql("DELETE FROM search_canonical")
        connection.execute(sa.delete(articles).where(articles.c.title.like("Fidan visits%")))
    assert queries.search(engine, "Mishustin", min_confidence=0)["events"]["total"] == 0
    assert queries.search(engine, "Fidan")["articles"]["total"] == 0
    queries.refresh_search(engine)
    assert queries.search(engine, "Mishustin", min_confidence=0)["events"]["total"] >= 1
    assert queries.overview(engine)["counts"]["articles"] == 5
    engine.dispose()


# ---------------------------------------------------------------- errors and safety


@pytest.mark.parametrize(
    "url",
    ["/api/story/nope", "/api/event/nope", "/api/article/nope", "/api/actor/ZZZ", "/api/actor/no-such-actor"],
)
def test_unknown_ids_are_json_404(client: TestClient, url: str) -> None:
    assert "no " in get_json(client, url, status=404)["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/dyad/RU/CHN",
        "/api/dyad/RUS/CHN?period=decade",
        "/api/dyad/RUS/CHN?start=2023-13-01",
        "/api/dyad/RUS/CHN?start=2023-06-01&end=2023-05-01",
        "/api/events?limit=0",
        "/api/events?limit=1000",
        "/api/events?offset=-1",
        "/api/search",
        "/api/actor/RUS?role=owner",
    ],
)
def test_bad_parameters_are_json_422(client: TestClient, url: str) -> None:
    assert get_json(client, url, status=422)["detail"]


def test_page_errors_are_html_with_the_status(client: TestClient) -> None:
    missing = client.get("/event/nope")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "no event with id &#39;nope&#39;" in missing.text
    invalid = client.get("/dyad/RUS/CHN?period=decade")
    assert invalid.status_code == 422 and "period" in invalid.text


@pytest.mark.parametrize(
    "path",
    [
        "/static/../api/__init__.py",
        "/static/..%2f..%2fplots.py",
        "/static/%2e%2e/%2e%2e/plots.py",
        "/static/..%5c..%5cplots.py",
        "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    ],
)
def test_static_files_never_leave_the_static_folder(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "import" not in response.text and "[project]" not in response.text


def test_static_assets_are_served_locally(client: TestClient) -> None:
    assert "system-ui" in client.get("/static/style.css").text
    assert "zoomable" in client.get("/static/app.js").text
    html = client.get("/dyad/RUS/CHN").text
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_script_in_an_article_is_escaped_everywhere(client: TestClient) -> None:
    hostile = next(a for a in get_json(client, "/api/articles")["items"] if "<script>" in (a["title"] or ""))
    pages = [f"/article/{hostile['article_id']}", "/", "/articles", "/search?q=Fidan", "/search?q=script"]
    pages += [f"/article/{hostile['article_id']}?min_confidence=0", "/?min_confidence=0", "/events?min_confidence=0"]
    own_events = get_json(client, f"/api/article/{hostile['article_id']}?min_confidence=0")["events"]
    assert own_events, "the hostile article's meeting is coded, so its event pages are checked too"
    pages += [f"/event/{e['event_id']}" for e in own_events]
    for page in pages:
        html = client.get(page).text
        assert "<script>alert" not in html, page
    article_html = client.get(pages[0]).text
    assert "&lt;script&gt;alert(&#34;body&#34;)&lt;/script&gt;" in article_html
    assert get_json(client, f"/api/article/{hostile['article_id']}")["title"].endswith(
        '<script>alert("title")</script>'
    )


def test_openapi_documents_every_json_view(client: TestClient) -> None:
    schema = get_json(client, "/openapi.json")
    paths = set(schema["paths"])
    assert {
        "/api/overview",
        "/api/stories",
        "/api/story/{story_id}",
        "/api/event/{event_id}",
        "/api/actor/{key}",
        "/api/dyad/{a}/{b}",
        "/api/dyad/{a}/{b}/events",
        "/api/search",
        "/api/article/{article_id}",
    } <= paths
    assert not any(not p.startswith("/api") for p in paths)
    parameters = {p["name"] for p in schema["paths"]["/api/dyad/{a}/{b}"]["get"]["parameters"]}
    assert parameters == {"a", "b", "period", "start", "end"}


# ---------------------------------------------------------------- confidence threshold


def sqlite_scalar(db: Path, sql: str, *params: object) -> object:
    """One value read straight from the database file, independently of the query code."""
    with open_repository(db) as repository, repository.engine.connect() as connection:
        return connection.exec_driver_sql(sql, params).scalar_one()


def shown_layer(db: Path) -> str:
    """The table the views read: canonical events once the stories stage made any."""
    return "canonical_events" if sqlite_scalar(db, "SELECT count(*) FROM canonical_events") else "events"


def event_list_urls(client: TestClient, seed_ids: dict[str, str]) -> dict[str, str]:
    """Every API list of events (JSON path to its page object, `.` when it is the answer itself)."""
    story_id = get_json(client, "/api/stories?limit=1")["items"][0]["story_id"]
    return {
        "/api/events?limit=200": ".",
        "/api/dyad/RUS/CHN/events?limit=200": ".",
        "/api/actor/RUS?limit=200": "events",
        f"/api/story/{story_id}": ".",
        f"/api/article/{seed_ids['001']}": ".",
        "/api/overview": ".",
        "/api/search?q=Xi&limit=200": "events",
    }


def listed_events(answer: dict) -> list[dict]:
    return answer.get("items") or answer.get("events") or answer.get("recent_events") or []


def test_event_lists_hide_events_below_the_default_confidence_and_count_them(
    client: TestClient, db: Path, seed_ids: dict[str, str]
) -> None:
    threshold = default_threshold()
    assert 0 < threshold < 1, "no calibrated default threshold is shipped"
    for url, key in event_list_urls(client, seed_ids).items():
        default = get_json(client, url)
        everything = get_json(client, f"{url}{'&' if '?' in url else '?'}min_confidence=0")
        if key != ".":
            default, everything = default[key], everything[key]
        assert default["min_confidence"] == default["default_min_confidence"] == threshold, url
        assert everything["min_confidence"] == 0 and everything["below_min_confidence"] == 0, url
        shown, every = listed_events(default), listed_events(everything)
        assert all(e["confidence"] >= threshold for e in shown), url
        if "total" in default:
            assert default["total"] + default["below_min_confidence"] == everything["total"], url
        if everything.get("total", 0) == len(every) or "story_id" in everything or "path" in everything:
            # the whole list is in one answer: what is hidden is exactly what falls below the threshold
            hidden = [e for e in every if e["confidence"] < threshold]
            assert [e for e in every if e not in hidden] == shown, url
            assert len(hidden) == default["below_min_confidence"], url
    table = shown_layer(db)
    below = sqlite_scalar(db, f"SELECT count(*) FROM {table} WHERE confidence < ?", threshold)
    listed = get_json(client, "/api/events")
    assert below > 0 and listed["below_min_confidence"] == below
    assert listed["total"] == sqlite_scalar(db, f"SELECT count(*) FROM {table} WHERE confidence >= ?", threshold)
    counts = get_json(client, "/api/overview")["counts"]
    assert counts["confident_events"] == listed["total"] and counts["events"] == listed["total"] + below


def test_min_confidence_sets_the_threshold(client: TestClient, db: Path) -> None:
    table = shown_layer(db)
    half = get_json(client, "/api/events?limit=200&min_confidence=0.3")
    assert half["min_confidence"] == 0.3 and all(e["confidence"] >= 0.3 for e in half["items"])
    assert half["total"] == sqlite_scalar(db, f"SELECT count(*) FROM {table} WHERE confidence >= 0.3")
    assert half["below_min_confidence"] == sqlite_scalar(db, f"SELECT count(*) FROM {table} WHERE confidence < 0.3")
    assert get_json(client, "/api/events?min_confidence=1")["total"] == 0


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high", "nan", "inf", ""])
@pytest.mark.parametrize(
    "path", ["/api/events?", "/api/dyad/RUS/CHN/events?", "/api/actor/RUS?", "/api/overview?", "/api/search?q=Xi&"]
)
def test_a_bad_min_confidence_is_a_422_naming_it(client: TestClient, path: str, value: str) -> None:
    detail = get_json(client, f"{path}min_confidence={value}", status=422)["detail"]
    assert [error["loc"] for error in detail] == [["query", "min_confidence"]]
    assert detail[0]["msg"].startswith("Input should be")
    page = client.get(f"/events?min_confidence={value}")
    assert page.status_code == 422 and "min_confidence: Input should be" in page.text


def test_an_event_below_the_default_confidence_is_shown_by_id_with_a_badge(client: TestClient) -> None:
    every = get_json(client, "/api/events?limit=200&min_confidence=0")["items"]
    low = next(e for e in every if e["confidence"] < default_threshold())
    high = next(e for e in every if e["confidence"] >= default_threshold())
    record = get_json(client, f"/api/event/{low['event_id']}")
    assert record["below_default_confidence"] is True and record["confidence"] == low["confidence"]
    assert get_json(client, f"/api/event/{high['event_id']}")["below_default_confidence"] is False
    page = client.get(f"/event/{low['event_id']}")
    assert page.status_code == 200 and '<span class="badge low-confidence"' in page.text
    assert "below the default confidence" in page.text
    assert "below the default confidence" not in client.get(f"/event/{high['event_id']}").text


def test_event_pages_say_what_the_threshold_hid_and_link_to_everything(client: TestClient) -> None:
    listed = get_json(client, "/api/events?limit=200")
    every = get_json(client, "/api/events?limit=200&min_confidence=0")["items"]
    hidden = next(e for e in every if e["confidence"] < default_threshold())
    html = client.get("/events?limit=200").text
    threshold = f"{default_threshold():.2f}"
    note = f"{listed['below_min_confidence']} events below confidence {threshold} hidden"
    assert note in html and '<a class="show-all" href="/events?limit=200&amp;min_confidence=0">show all</a>' in html
    assert f'href="/event/{hidden["event_id"]}"' not in html
    everything = client.get("/events?limit=200&min_confidence=0").text
    assert f'href="/event/{hidden["event_id"]}"' in everything
    assert '<a class="hide-low" href="/events?limit=200">hide them</a>' in everything
    assert f'<td class="num confidence low">{hidden["confidence"]:.2f}</td>' in everything
    overview = client.get("/").text
    assert f"({listed['total']} at confidence ≥ {threshold})" in overview
    for path in ("/dyad/RUS/CHN", "/dyad/RUS/CHN/events", "/actor/RUS", "/search?q=Xi"):
        assert 'class="show-all"' in client.get(path).text, path


# ---------------------------------------------------------------- stories


def _story_holding(client: TestClient, article_id: str) -> dict | None:
    for story in get_json(client, "/api/stories?limit=200")["items"]:
        detail = get_json(client, f"/api/story/{story['story_id']}?min_confidence=0")
        if article_id in {a["article_id"] for a in detail["articles"]}:
            return detail
    return None


def test_mishustin_story_groups_its_three_articles(client: TestClient, seed_ids: dict[str, str]) -> None:
    story = _story_holding(client, seed_ids["000"])
    assert story is not None, "no story holds seed 000: the stories stage has not grouped the seeds"
    members = {a["article_id"] for a in story["articles"]}
    assert {seed_ids[n] for n in MISHUSTIN_SEEDS} <= members
    assert story["layer"] == "canonical" and story["events"]
    assert any(a["highlights"] for a in story["articles"])
    html = client.get(f"/story/{story['story_id']}?min_confidence=0").text
    assert html.count('<mark id="a-') >= len(story["events"]) // 2
    for number in MISHUSTIN_SEEDS:
        assert f'id="article-{seed_ids[number]}"' in html


def test_mishustin_story_events_link_to_canonical_event_pages(client: TestClient, seed_ids: dict[str, str]) -> None:
    story = _story_holding(client, seed_ids["000"])
    assert story is not None, "no story holds seed 000: the stories stage has not grouped the seeds"
    canonical = get_json(client, f"/api/event/{story['events'][0]['event_id']}")
    assert canonical["layer"] == "canonical" and canonical["members"]
    assert canonical["story_id"] == story["story_id"]
    member = get_json(client, f"/api/event/{canonical['members'][0]['event_id']}")
    assert canonical["event_id"] in {c["event_id"] for c in member["merged_into"]}


@pytest.fixture
def storied_db(tmp_path: Path, db: Path, seed_ids: dict[str, str]) -> Path:
    """A copy of the seeds database with one hand-made story over seeds 000, 001, 004 and two claims."""
    path = tmp_path / "storied.db"
    shutil.copy(db, path)
    ids = [seed_ids[n] for n in MISHUSTIN_SEEDS]
    with open_repository(path) as repository, repository.engine.begin() as connection:
        for table in (claims, story_articles, stories, canonical_mentions, canonical_events):
            connection.execute(sa.delete(table))
        texts = dict(connection.execute(sa.select(articles.c.article_id, articles.c.text)).all())
        connection.execute(
            stories.insert(),
            [
                {
                    "story_id": "st-handmade",
                    "title": "Xi and Mishustin in Beijing",
                    "first_seen": dt.date(2023, 5, 24),
                    "last_seen": dt.date(2023, 5, 25),
                    "article_count": 3,
                    "summary": [{"sentence": texts[ids[1]].split(". ")[0], "article_id": ids[1]}],
                }
            ],
        )
        connection.execute(story_articles.insert(), [{"article_id": i, "story_id": "st-handmade"} for i in ids])
        connection.execute(
            claims.insert(),
            [
                _claim("c-a", ids[1], texts[ids[1]], "70 billion", 7e10, "disagree"),
                _claim("c-b", ids[2], texts[ids[2]], "<b>65 billion</b>", 6.5e10, "disagree"),
            ],
        )
        _merge_same_happenings(connection, ids, "st-handmade")
    return path


def _merge_same_happenings(connection: sa.Connection, article_ids: list[str], story_id: str) -> None:
    """Canonical events: the story's events grouped by (source name, target name, PLOVER type)."""
    rows = (
        connection.execute(sa.select(events).where(events.c.article_id.in_(article_ids)).order_by(events.c.event_id))
        .mappings()
        .all()
    )
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row["source_name"], row["target_name"], row["plover"]), []).append(row)
    shared = set(canonical_events.c.keys()) & set(events.c.keys())
    for number, members in enumerate(groups.values()):
        first = members[0]
        canonical_id = f"ce-{number}"
        connection.execute(
            canonical_events.insert(),
            [
                {
                    **{name: first[name] for name in shared},
                    "event_id": canonical_id,
                    "story_id": story_id,
                    "sources": len({m["article_id"] for m in members}),
                    "member_ids": [m["event_id"] for m in members],
                }
            ],
        )
        evidence = (
            connection.execute(sa.select(mentions).where(mentions.c.event_id.in_([m["event_id"] for m in members])))
            .mappings()
            .all()
        )
        connection.execute(
            canonical_mentions.insert(),
            [
                {
                    **{k: m[k] for k in ("article_id", "sentence", "start", "end")},
                    "event_id": canonical_id,
                    "position": position,
                }
                for position, m in enumerate(evidence)
            ],
        )


def _claim(claim_id: str, article_id: str, text: str, figure: str, value: float, status: str) -> dict:
    sentence = text.split(". ")[0]
    return {
        "claim_id": claim_id,
        "article_id": article_id,
        "kind": "money",
        "value": value,
        "unit": "USD",
        "text": figure,
        "sentence": sentence,
        "start": 0,
        "end": len(sentence),
        "is_change": False,
        "subject": "trade CHN-RUS",
        "group_id": "g-trade",
        "status": status,
        "note": "figures differ",
    }


def test_story_page_shows_claims_and_evidence(storied_db: Path, seed_ids: dict[str, str]) -> None:
    with TestClient(create_app(str(storied_db))) as client:
        story = get_json(client, "/api/story/st-handmade")
        assert [a["article_id"] for a in story["articles"]] == [seed_ids[n] for n in ("000", "001", "004")]
        assert story["summary"][0]["article_id"] == seed_ids["001"]
        group = story["claims"][0]
        assert group["status"] == "disagree" and {c["text"] for c in group["claims"]} == {
            "70 billion",
            "<b>65 billion</b>",
        }
        html = client.get("/story/st-handmade").text
        assert "sources disagree" in html and "&lt;b&gt;65 billion&lt;/b&gt;" in html
        highlighted = [h for a in story["articles"] for h in a["highlights"]]
        assert highlighted and all(len(h["event_ids"]) >= 1 for h in highlighted)
        first = highlighted[0]
        assert f'data-events="{" ".join(first["event_ids"])}"' in html
        assert f'<a href="/event/{first["event_ids"][0]}">' in html
        overview = client.get("/").text
        assert 'href="/story/st-handmade"' in overview


def test_canonical_events_are_preferred_once_they_exist(storied_db: Path) -> None:
    with TestClient(create_app(str(storied_db))) as client:
        overview = get_json(client, "/api/overview")
        assert overview["layer"] == "canonical"
        assert overview["counts"]["events"] < overview["counts"]["article_events"]
        story = get_json(client, "/api/story/st-handmade?min_confidence=0")
        assert story["layer"] == "canonical" and all(e["event_id"].startswith("ce-") for e in story["events"])
        merged = max(story["events"], key=lambda e: e["sources"])
        canonical = get_json(client, f"/api/event/{merged['event_id']}")
        assert canonical["layer"] == "canonical" and len(canonical["members"]) >= 1
        assert len(canonical["mentions"]) >= len(canonical["members"])
        member = get_json(client, f"/api/event/{canonical['members'][0]['event_id']}")
        assert member["layer"] == "raw" and merged["event_id"] in {c["event_id"] for c in member["merged_into"]}
        assert member["story_id"] == "st-handmade"
        found = get_json(client, "/api/search?q=Mishustin&min_confidence=0")
        assert found["layer"] == "canonical" and found["events"]["total"] >= 1
        assert all(e["event_id"].startswith("ce-") for e in found["events"]["items"])
        dyad = get_json(client, "/api/dyad/RUS/CHN")
        assert dyad["layer"] == "canonical" and dyad["totals"]["events"] > 0
        html = client.get(f"/event/{merged['event_id']}").text
        assert "Merged reports" in html


def test_empty_database_shows_empty_states(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "empty.db"))) as client:
        data = get_json(client, "/api/overview")
        assert data["counts"] == {"articles": 0, "stories": 0, "events": 0, "confident_events": 0, "article_events": 0}
        assert "No stories yet" in client.get("/").text
        assert "No dated events" in client.get("/dyad/RUS/CHN").text
        assert get_json(client, "/api/search?q=anything")["articles"]["total"] == 0
        assert get_json(client, "/api/dyad/RUS/CHN")["buckets"] == []


# ---------------------------------------------------------------- links, headers, echoed input

HOSTILE_URLS = {
    "000": "javascript:alert(1)",
    "001": " JaVaScRiPt:alert(document.domain)",
    "002": "java\tscript:alert(1)",
    "003": "vbscript:msgbox(1)",
    "004": "data:text/html,<script>alert(1)</script>",
}
GOOD_URL = "https://news.example.org/fidan?day=12&lang=en"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class LinkCollector(HTMLParser):
    """Every URL-valued attribute of a page (entities decoded, as the browser reads them)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in URL_ATTRIBUTES and value is not None]


def page_urls(html: str) -> list[str]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.urls


def browser_scheme(url: str) -> str:
    """The scheme a browser sees: C0 controls and spaces around, tabs and newlines inside, ignored."""
    cleaned = url.strip("".join(map(chr, range(0x21)))).replace("\t", "").replace("\n", "").replace("\r", "")
    return urlsplit(cleaned).scheme.lower()


def crawl_key(path: str) -> str:
    """What makes a page new to the crawl: its path and query, but for the events list (whose facet links
    reach every combination of filter values) the names of the filters it applies, or "more than two"."""
    parts = urlsplit(path)
    if parts.path != "/events" or not parts.query:
        return path
    names = {pair.split("=")[0] for pair in parts.query.split("&")} - {"limit", "offset", "min_confidence"}
    return "/events?" + ("&".join(sorted(names)) if len(names) <= 2 else "...")


def crawl(client: TestClient, start: str = "/") -> dict[str, str]:
    """Every HTML page reachable from `start` by links within the application: path → HTML."""
    seen: dict[str, str] = {}
    visited: set[str] = set()
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if path in seen or crawl_key(path) in visited:
            continue
        visited.add(crawl_key(path))
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_security_headers(response)
        seen[path] = response.text
        for url in page_urls(response.text):
            target = urldefrag(url).url
            if target.startswith("/") and not target.startswith(("//", "/api/", "/static/", "/openapi.json")):
                queue.append(target)
    return seen


def assert_security_headers(response: object) -> None:
    """The strict headers; the API docs page's policy adds only data: images to the strict one."""
    expected = dict(SECURITY_HEADERS)
    if response.url.path == "/docs":
        expected["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    for name, value in expected.items():
        assert response.headers.get(name) == value, (response.url, name)


@pytest.fixture
def hostile_url_db(storied_db: Path, seed_ids: dict[str, str]) -> Path:
    """The hand-made story database with hostile `url`s on the seeds and an https one on the Fidan article."""
    with open_repository(storied_db) as repository, repository.engine.begin() as connection:
        for number, url in HOSTILE_URLS.items():
            connection.execute(sa.update(articles).where(articles.c.article_id == seed_ids[number]).values(url=url))
        connection.execute(sa.update(articles).where(articles.c.title.like("Fidan visits%")).values(url=GOOD_URL))
    return storied_db


def test_only_http_urls_become_links_on_any_page(hostile_url_db: Path, seed_ids: dict[str, str]) -> None:
    with TestClient(create_app(str(hostile_url_db))) as client:
        pages = crawl(client)
        assert "/story/st-handmade" in pages and "/dyad/CHN/RUS" in pages
        assert {f"/article/{seed_ids[n]}" for n in HOSTILE_URLS} <= set(pages)
        assert any(path.startswith("/event/") for path in pages) and any(p.startswith("/actor/") for p in pages)
        for path, html in pages.items():
            for url in page_urls(html):
                assert browser_scheme(url) in {"", "http", "https"}, (path, url)
                assert not url.startswith("//"), (path, url)
                if browser_scheme(url):
                    assert url == GOOD_URL, (path, url)
        fidan = next(a for a in get_json(client, "/api/articles")["items"] if (a["title"] or "").startswith("Fidan"))
        assert GOOD_URL in page_urls(pages[f"/article/{fidan['article_id']}"])
        first = pages[f"/article/{seed_ids['000']}"]
        assert "original: <code>javascript:alert(1)</code>" in first
        story = pages["/story/st-handmade"]
        assert "original: <code>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</code>" in story
        assert get_json(client, f"/api/article/{seed_ids['001']}")["url"] == HOSTILE_URLS["001"]


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [
        ("/", 200, "text/html"),
        ("/api/overview", 200, "application/json"),
        ("/openapi.json", 200, "application/json"),
        ("/static/style.css", 200, "text/css"),
        ("/event/nope", 404, "text/html"),
        ("/no/such/page", 404, "text/html"),
        ("/api/event/nope", 404, "application/json"),
        ("/api/no/such/view", 404, "application/json"),
        ("/events?limit=0", 422, "text/html"),
        ("/api/events?limit=0", 422, "application/json"),
    ],
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str, status: int, kind: str) -> None:
    response = client.get(path)
    assert response.status_code == status and response.headers["content-type"].startswith(kind)
    assert_security_headers(response)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


def test_unhandled_errors_carry_the_security_headers_too(tmp_path: Path) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    app = create_app(str(tmp_path / "empty.db"))
    app.add_api_route("/api/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/broken")
    assert response.status_code == 500
    assert_security_headers(response)


def asgi_get(app: object, path: str, query: str = "") -> tuple[int, dict[str, str], str]:
    """GET straight through the ASGI interface (HTTP clients refuse URLs this long): status, headers, body."""
    messages: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], headers, body.decode()


def test_a_100_kb_parameter_is_not_echoed_in_error_bodies(client: TestClient) -> None:
    huge = "x" * 100_000
    status, headers, body = asgi_get(client.app, "/api/search", f"q={huge}")
    assert status == 422 and len(body) < 1_000 and headers["x-frame-options"] == "DENY"
    (problem,) = json.loads(body)["detail"]
    assert problem["loc"] == ["query", "q"] and problem["input"] == "x" * 200 + "…"
    for path, query in (("/search", f"q={huge}"), (f"/article/{huge}", ""), (f"/api/article/{huge}", "")):
        status, _, body = asgi_get(client.app, path, query)
        assert status == 422 and "x" * 201 not in body and len(body) < 5_000, path
    assert client.get("/search?q=" + "y" * 300).text.count("y" * 200) == 0


# ---------------------------------------------------------------- plot command


@pytest.mark.parametrize("suffix", [".svg", ".png", ".html"])
def test_plot_dyad_writes_each_format(tmp_path: Path, db: Path, suffix: str) -> None:
    cli = typer.Typer()
    cli.command("noop")(lambda: None)
    register(cli)
    output = tmp_path / f"rus_chn{suffix}"
    result = runner.invoke(cli, ["plot", "dyad", "RUS", "CHN", "--by", "month", "-o", str(output), "--db", str(db)])
    assert result.exit_code == 0, result.output
    content = output.read_bytes()
    if suffix == ".png":
        assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 5000
    else:
        assert b'<g class="bar"' in content and b"2023-05" in content and b"<script" not in content


def test_plot_and_serve_refuse_bad_arguments(tmp_path: Path, db: Path) -> None:
    cli = typer.Typer()
    register(cli)
    bad_format = runner.invoke(cli, ["plot", "dyad", "RUS", "CHN", "-o", str(tmp_path / "x.pdf"), "--db", str(db)])
    assert bad_format.exit_code == 2 and ".png, .svg or .html" in bad_format.output
    bad_code = runner.invoke(cli, ["plot", "dyad", "RUSSIA", "CHN", "-o", str(tmp_path / "x.svg"), "--db", str(db)])
    assert bad_code.exit_code == 2
    missing = runner.invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert missing.exit_code == 2 and "no such database" in missing.output


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def pg_url(inputs: tuple[Path, Path]) -> Iterator[str]:
    reason = pgserver.unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = pgserver.PostgresServer(pgserver.find_bindir())
    try:
        server.start()
        url = server.create_database()
        run_pipeline(url, *inputs)
        yield url
    finally:
        server.stop()


def test_views_and_search_work_on_postgresql(pg_url: str, client: TestClient) -> None:
    with TestClient(create_app(pg_url)) as pg:
        overview = get_json(pg, "/api/overview")
        assert overview["counts"] == get_json(client, "/api/overview")["counts"]
        assert overview["top_dyads"][:1] == get_json(client, "/api/overview")["top_dyads"][:1]
        assert get_json(pg, "/api/dyad/RUS/CHN")["totals"] == get_json(client, "/api/dyad/RUS/CHN")["totals"]
        found = get_json(pg, "/api/search?q=Mishustin")
        assert found["articles"]["total"] == get_json(client, "/api/search?q=Mishustin")["articles"]["total"]
        shown, every = found["events"], get_json(pg, "/api/search?q=Mishustin&min_confidence=0")["events"]
        assert every["total"] >= 1 and every["total"] == shown["total"] + shown["below_min_confidence"]
        assert all(e["confidence"] >= shown["min_confidence"] > 0 for e in shown["items"])
        hidden = get_json(pg, "/api/events")["below_min_confidence"]
        assert hidden > 0 and hidden == get_json(client, "/api/events")["below_min_confidence"]
        assert any(s["match"] for a in found["articles"]["items"] for s in a["snippet"])
        event_id = get_json(pg, "/api/overview?min_confidence=0")["recent_events"][0]["event_id"]
        assert get_json(pg, f"/api/event/{event_id}")["mentions"]
        assert pg.get("/dyad/RUS/CHN").status_code == 200


def test_a_claim_s_speaker_is_the_same_actor_object_in_the_api_as_in_exports(client: TestClient, db: Path) -> None:
    """One claim contract: the story API gives each claim's speaker as `eventwire export claims` does."""
    exported = runner.invoke(cli_app, ["export", "claims", "--db", str(db)])
    by_id = {row["claim_id"]: row for row in map(json.loads, exported.stdout.splitlines()) if row.get("speaker")}
    assert by_id, "some seed claims name their speaker"
    served = []
    for story in client.get("/api/stories", params={"limit": 100}).json()["items"]:
        for group in client.get(f"/api/story/{story['story_id']}").json()["claims"]:
            served += [c for c in group["claims"] if c["claim_id"] in by_id]
    assert served and all(c["speaker"] == by_id[c["claim_id"]]["speaker"] for c in served)
    assert all(isinstance(c["speaker"], dict) and c["speaker"]["text"] for c in served)
