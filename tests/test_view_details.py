"""What the analyst's pages say about articles, events and dyads, over a database built by the real
pipeline from the seeds plus two JSON Lines articles:

* a repost of seed 001 (untitled, like the seed) with a URL but no outlet, and one sentence more:
  the stories stage puts it in seed 001's near-duplicate group;
* an unrelated article whose outlet is stored.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwire.api import create_app
from eventwire.cli import app as cli_app
from eventwire.store import open_repository, queries
from eventwire.store.queries.rows import host_of, lead_of
from eventwire.store.schema import articles
from eventwire.web.render import actor_headline

REPOST_URL = "https://www.mirror-news.example/world/xi-core-interests.html"
SEED_001_LEAD = "Chinese President Xi Jinping said on Wednesday he would support Russia’s “core…"
FIDAN = (
    "Turkish Foreign Minister Hakan Fidan met his Iraqi counterpart Fuad Hussein in Baghdad on Tuesday. "
    "The two ministers discussed border security and water sharing."
)


def _records(seeds_dir: Path) -> list[dict[str, str]]:
    seed = next(seeds_dir.glob("001_*.txt")).read_text(encoding="utf-8")
    body = seed.split("\n", 1)[1].strip()
    repost = {"url": REPOST_URL, "published": "2023-05-25", "text": f"{body}\n\nThe talks ended late on Wednesday."}
    stored_outlet = {
        "url": "https://planet.example/fidan-baghdad",
        "outlet": "Daily Planet",
        "title": "Fidan visits Baghdad",
        "published": "2024-03-12",
        "text": FIDAN,
    }
    return [repost, stored_outlet]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[TestClient]:
    extra = tmp_path_factory.mktemp("reposts")
    lines = "".join(json.dumps(record) + "\n" for record in _records(seeds_dir))
    (extra / "reposts.jsonl").write_text(lines, encoding="utf-8")
    db = tmp_path_factory.mktemp("details") / "details.db"
    result = CliRunner().invoke(cli_app, ["run", str(seeds_dir), str(extra), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(str(db))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def ids(client: TestClient) -> dict[str, str]:
    """Seed number ("001"), "repost" or "planet" → article id."""
    with open_repository(client.app.state.db_label) as repository, repository.engine.connect() as connection:
        rows = connection.execute(sa.select(articles.c.article_id, articles.c.path, articles.c.url)).all()
    found = {}
    for article_id, path, url in rows:
        key = "repost" if url == REPOST_URL else "planet" if url else Path(path).name[:3]
        found[key] = article_id
    return found


def get(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    return response.text


def mishustin_story(client: TestClient, ids: dict[str, str]) -> dict:
    story_id = client.get(f"/api/article/{ids['001']}").json()["story_id"]
    assert story_id, "seed 001 is in a story"
    return client.get(f"/api/story/{story_id}").json()


# ---------------------------------------------------------------- outlets


def test_host_of_reads_the_host_without_www() -> None:
    assert host_of("https://www.reuters.com/world/x?y=1") == "reuters.com"
    assert host_of("http://News.BBC.co.uk:8080/a") == "news.bbc.co.uk"
    assert host_of("not a url") is None
    assert host_of("http://[::1") is None
    assert host_of(None) is None


def test_an_article_without_outlet_shows_its_url_host_and_a_stored_outlet_stays(
    client: TestClient, ids: dict[str, str]
) -> None:
    repost = client.get(f"/api/article/{ids['repost']}").json()
    assert repost["outlet"] == "mirror-news.example"
    assert client.get(f"/api/article/{ids['planet']}").json()["outlet"] == "Daily Planet"
    listed = {item["article_id"]: item["outlet"] for item in client.get("/api/articles").json()["items"]}
    assert listed[ids["repost"]] == "mirror-news.example" and listed[ids["planet"]] == "Daily Planet"
    assert listed[ids["001"]] is None, "a text file has neither outlet nor URL"

    page = get(client, f"/article/{ids['repost']}")
    assert '<p class="muted">mirror-news.example · 2023-05-25' in page
    story = mishustin_story(client, ids)
    assert "mirror-news.example" in get(client, f"/story/{story['story_id']}")
    stories = client.get("/api/stories").json()["items"]
    assert "mirror-news.example" in next(s["outlets"] for s in stories if s["story_id"] == story["story_id"])


# ---------------------------------------------------------------- untitled articles


def test_lead_of_keeps_the_first_words() -> None:
    assert lead_of("One two  three\nfour", words=3) == "One two three…"
    assert lead_of("One two", words=3) == "One two"
    assert lead_of("   ") is None


def test_untitled_articles_show_their_first_words_not_their_id(client: TestClient, ids: dict[str, str]) -> None:
    article_id = ids["001"]
    assert client.get(f"/api/article/{article_id}").json()["lead"] == SEED_001_LEAD
    listing = unescape(get(client, "/articles"))
    assert f'<a href="/article/{article_id}">{SEED_001_LEAD}</a>' in listing
    assert f">{article_id}</a>" not in listing
    page = unescape(get(client, f"/article/{article_id}"))
    assert f"<h1>{SEED_001_LEAD}</h1>" in page
    story = unescape(get(client, f"/story/{mishustin_story(client, ids)['story_id']}"))
    assert f'<a href="#article-{article_id}">{SEED_001_LEAD}</a>' in story
    assert f"<h3>{SEED_001_LEAD}</h3>" in story


# ---------------------------------------------------------------- near-duplicates


def _badged_rows(page: str) -> dict[str, bool]:
    """Article id → whether its row of the story's article table carries the duplicate badge."""
    table = page.split('<table class="story-articles">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return {re.search(r'href="#article-([^"]+)"', row).group(1): "duplicate</span>" in row for row in rows}


def test_only_near_duplicates_carry_the_duplicate_badge(client: TestClient, ids: dict[str, str]) -> None:
    story = mishustin_story(client, ids)
    copies = {article["article_id"]: article["duplicates"] for article in story["articles"]}
    assert copies[ids["001"]] == [ids["repost"]] and copies[ids["repost"]] == [ids["001"]]
    assert copies[ids["000"]] == [] and copies[ids["004"]] == []
    badged = _badged_rows(get(client, f"/story/{story['story_id']}"))
    assert badged == {article_id: bool(others) for article_id, others in copies.items()}
    assert sum(badged.values()) == 2


# ---------------------------------------------------------------- dyads of unknown countries


@pytest.mark.parametrize("path", ["/dyad/XXX/YYY", "/dyad/XXX/YYY/events"])
def test_a_dyad_of_unknown_countries_is_404_in_html_and_json(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    for url in (f"{path}.json", f"/api{path}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "no country with code 'XXX' or 'YYY'"}


def test_a_dyad_names_only_its_unknown_country_and_known_countries_without_events_answer(client: TestClient) -> None:
    assert client.get("/api/dyad/rus/QQQ").json() == {"detail": "no country with code 'QQQ'"}
    empty = client.get("/api/dyad/FRA/DEU").json()
    assert empty["buckets"] == [] and empty["network"]["nodes"] == []
    assert client.get("/api/dyad/FRA/DEU/events").json()["total"] == 0
    assert client.get("/api/dyad/RUS/CHN").json()["totals"]["events"] > 5


# ---------------------------------------------------------------- event headlines


def _headline(page: str) -> str:
    heading = re.search(r'<h1 class="headline">(.*?)</h1>', page, flags=re.S)
    assert heading, "the event page has a headline"
    return " ".join(unescape(re.sub(r"<[^>]+>", "", heading.group(1))).split())


@pytest.mark.parametrize(
    ("source_text", "predicate", "headline"),
    [
        ("the Chinese", "are", "China — Engage in diplomatic cooperation — Russia"),
        ("Mishustin", "said", "Mikhail Mishustin — Make statement"),
        ("the Kremlin chief", "noted", "Russia's government — Make statement"),
        ("Beijing", "considers", "China — Consider policy option — Taiwan"),
    ],
)
def test_an_event_headline_reads_who_did_what_to_whom(
    client: TestClient, source_text: str, predicate: str, headline: str
) -> None:
    events = client.get("/api/events?limit=200&min_confidence=0").json()["items"]
    matching = [e for e in events if (e["source"] or {}).get("text") == source_text and e["predicate"] == predicate]
    assert matching, f"the seeds give an event '{source_text} {predicate}'"
    page = get(client, f"/event/{matching[0]['event_id']}")
    assert _headline(page) == headline
    assert f"<title>{unescape(headline)} · eventwire</title>" in unescape(page)


def test_an_actor_without_name_or_country_is_named_by_its_sector_else_as_written() -> None:
    assert actor_headline({"name": None, "country": None, "sector": "REB", "text": "the rebels"}) == "Rebels"
    assert actor_headline({"name": None, "country": None, "sector": None, "text": "a spokesman"}) == "a spokesman"
    assert actor_headline({"name": None, "country": "RUS", "sector": "MIL", "text": "troops"}) == "Russia's military"
    assert actor_headline(None) is None


# ---------------------------------------------------------------- places in the actor network

#: Source fields of a city standing as an actor: of kind 'place', and as stores written before places had
#: their own kind hold it (a 'group' with the city's name, no sector, no knowledge-base id).
PLACE_SOURCES = {
    "place": {"source_text": "Shanghai", "source_name": "Shanghai", "source_kind": "place"},
    "legacy": {"source_text": "Vladivostok", "source_name": "Vladivostok", "source_kind": "group"},
}


@pytest.fixture(scope="module")
def client_with_places(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The same database plus copies of a China → Russia event whose source is a city."""
    copy = tmp_path_factory.mktemp("places") / "places.db"
    with sqlite3.connect(client.app.state.db_label) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with open_repository(str(copy)) as repository, repository.engine.begin() as connection:
        table = queries.event_layer(connection).events
        row = (
            connection.execute(
                sa.select(table).where(table.c.source_country == "CHN", table.c.target_country == "RUS").limit(1)
            )
            .mappings()
            .one()
        )
        for name, fields in PLACE_SOURCES.items():
            values = {**row, **fields, "event_id": f"place-{name}", "source_sector": None, "source_actor_id": None}
            connection.execute(sa.insert(table).values(values))
    with TestClient(create_app(str(copy))) as test_client:
        yield test_client


def test_places_are_not_nodes_of_the_actor_network(client_with_places: TestClient) -> None:
    stored = client_with_places.get("/api/event/place-place").json()
    assert stored["source"]["text"] == "Shanghai", "the place event is stored and shown on its own page"
    network = client_with_places.get("/api/dyad/CHN/RUS").json()["network"]
    labels = {node["label"] for node in network["nodes"]}
    assert labels and not labels & {"Shanghai", "Vladivostok"}
    assert {"Xi Jinping", "Vladimir Putin"} <= labels
    assert all(edge["source"] in {n["id"] for n in network["nodes"]} for edge in network["edges"])
    chart = get(client_with_places, "/dyad/CHN/RUS").split('class="chart network"', 1)[1].split("</svg>", 1)[0]
    assert "Xi Jinping" in chart and "Shanghai" not in chart and "Vladivostok" not in chart
