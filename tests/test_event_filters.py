"""Filters, facets and downloads of the events list, over the seeds run through the real pipeline.

Each filter is checked twice: against the whole unfiltered list filtered here in Python (the same
events in the same order), and on rows of the seeds that a reader can check in the articles. The
downloads are compared with the JSON list and with `eventwire export events`; the PostgreSQL test
repeats the filters on a real server and expects the SQLite answers.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwire.api import create_app
from eventwire.cli import app as cli_app
from eventwire.events.confidence import default_threshold

try:
    from tests import pgserver
except ImportError:
    import pgserver

runner = CliRunner()
EVERY = {"min_confidence": 0}
Item = dict[str, Any]


def run_pipeline(db: str, seeds: Path) -> None:
    result = runner.invoke(cli_app, ["run", str(seeds), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("filters") / "seeds.db"
    run_pipeline(str(path), seeds_dir)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db))) as test_client:
        yield test_client


def get_json(client: TestClient, path: str, params: dict[str, Any] | None = None, status: int = 200) -> dict:
    url = f"{path}{'&' if '?' in path else '?'}{urlencode(params)}" if params else path
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def listed(client: TestClient, params: dict[str, Any]) -> list[Item]:
    """Every event of the filtered list, page by page."""
    items: list[Item] = []
    while True:
        page = get_json(client, "/api/events", {**params, "limit": 200, "offset": len(items)})
        items += page["items"]
        if len(items) >= page["total"]:
            assert len(items) == page["total"]
            return items


@pytest.fixture(scope="module")
def everything(client: TestClient) -> list[Item]:
    """Every canonical event of the seeds, newest first."""
    items = listed(client, EVERY)
    assert len(items) > 50 and {item["layer"] for item in items} == {"canonical"}
    return items


def ids(items: list[Item]) -> list[str]:
    return [item["event_id"] for item in items]


def country(item: Item, role: str) -> str | None:
    return (item[role] or {}).get("country")


def actor_id(item: Item, role: str) -> str | None:
    return (item[role] or {}).get("actor_id")


def dyad(item: Item) -> tuple[str | None, str | None]:
    return country(item, "source"), country(item, "target")


def day_and_type(item: Item) -> tuple[str | None, str]:
    return item["date"], item["plover"]


def name(item: Item, role: str) -> str | None:
    return (item[role] or {}).get("name")


# ---------------------------------------------------------------- each filter against the whole list

FILTERS: list[tuple[dict[str, Any], Callable[[Item], bool]]] = [
    ({"country": "CHN"}, lambda e: "CHN" in (country(e, "source"), country(e, "target"))),
    ({"country": "chn,rus"}, lambda e: {"CHN", "RUS"} <= {country(e, "source"), country(e, "target")}),
    ({"source_country": "RUS"}, lambda e: country(e, "source") == "RUS"),
    ({"target_country": "CHN"}, lambda e: country(e, "target") == "CHN"),
    ({"source_country": "CHN", "target_country": "RUS"}, lambda e: dyad(e) == ("CHN", "RUS")),
    ({"actor": "person:xi-jinping"}, lambda e: "person:xi-jinping" in (actor_id(e, "source"), actor_id(e, "target"))),
    ({"plover": "consult"}, lambda e: e["plover"] == "CONSULT"),
    ({"cameo": "04"}, lambda e: e["cameo"].startswith("04")),
    ({"cameo": "0331"}, lambda e: e["cameo"] == "0331"),
    ({"quad_class": 3}, lambda e: e["quad_class"] == 3),
    ({"since": "2023-05-25"}, lambda e: bool(e["date"]) and e["date"] >= "2023-05-25"),
    ({"until": "2023-03-31"}, lambda e: bool(e["date"]) and e["date"] <= "2023-03-31"),
    (
        {"since": "2023-05-24", "until": "2023-05-24", "plover": "SUPPORT"},
        lambda e: day_and_type(e) == ("2023-05-24", "SUPPORT"),
    ),
]


@pytest.mark.parametrize(("params", "keeps"), FILTERS, ids=[urlencode(p) for p, _ in FILTERS])
def test_each_filter_keeps_exactly_the_matching_events_newest_first(
    client: TestClient, everything: list[Item], params: dict[str, Any], keeps: Callable[[Item], bool]
) -> None:
    expected = [item for item in everything if keeps(item)]
    assert expected, "the seeds hold no event for this filter: the test would prove nothing"
    assert ids(listed(client, {**params, **EVERY})) == ids(expected)
    threshold = default_threshold()
    shown = get_json(client, "/api/events", {**params, "limit": 200})
    confident = [item for item in expected if item["confidence"] >= threshold]
    assert ids(shown["items"]) == ids(confident)
    assert shown["below_min_confidence"] == len(expected) - len(confident)
    assert shown["filters"].keys() == params.keys()


def test_the_seeds_rows_each_filter_names(client: TestClient) -> None:
    """Rows a reader finds in the seeds: the agreements signed between China and Russia (CAMEO 057, both
    ways), Xi's call on Russia, Mishustin's meetings."""
    signed = get_json(client, "/api/events", {"cameo": "057", **EVERY})["items"]
    assert {(country(e, "source"), country(e, "target")) for e in signed} == {("CHN", "RUS"), ("RUS", "CHN")}
    assert {e["plover"] for e in signed} == {"SUPPORT"}
    appeal = {"source_country": "CHN", "target_country": "RUS", "cameo": "0231", **EVERY}
    russia = get_json(client, "/api/events", appeal)
    assert {name(e, "source") for e in russia["items"]} == {"Xi Jinping"}

    mishustin = get_json(client, "/api/events", {"actor": "person:mikhail-mishustin", "plover": "CONSULT", **EVERY})
    partners = {name(e, "target") for e in mishustin["items"]}
    assert {"Li Qiang", "Xi Jinping"} <= partners
    assert all(name(e, "source") == "Mikhail Mishustin" for e in mishustin["items"])
    assert {e["date"] for e in mishustin["items"] if name(e, "target") in ("Li Qiang", "Xi Jinping")} == {"2023-05-24"}


def test_a_story_filter_keeps_that_storys_events(client: TestClient, everything: list[Item]) -> None:
    by_story = Counter(item["story_id"] for item in everything)
    assert len(by_story) >= 2
    for story_id, count in by_story.items():
        kept = listed(client, {"story": story_id, **EVERY})
        assert len(kept) == count and {item["story_id"] for item in kept} == {story_id}
        story = get_json(client, f"/api/story/{story_id}", EVERY)
        assert sorted(ids(kept)) == sorted(e["event_id"] for e in story["events"])


def test_words_keep_the_events_the_search_finds(client: TestClient, everything: list[Item]) -> None:
    kept = listed(client, {"q": "Mishustin", **EVERY})
    assert kept and len(kept) < len(everything)
    searched = get_json(client, "/api/search", {"q": "Mishustin", "limit": 200, **EVERY})["events"]
    assert sorted(ids(kept)) == sorted(e["event_id"] for e in searched["items"])
    met = [e for e in kept if name(e, "source") == "Mikhail Mishustin" and name(e, "target") == "Li Qiang"]
    assert met and met[0]["plover"] == "CONSULT"
    both = listed(client, {"q": "Mishustin", "target_country": "CHN", **EVERY})
    assert ids(both) == ids([e for e in kept if country(e, "target") == "CHN"])


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"country": "RUSSIA"}, "country"),
        ({"country": "UK"}, "country"),
        ({"country": "UKR,RUS,CHN"}, "country"),
        ({"source_country": "12X"}, "source_country"),
        ({"plover": "FIGHT"}, "plover"),
        ({"cameo": "04%"}, "cameo"),
        ({"quad_class": 5}, "quad_class"),
        ({"quad_class": "two"}, "quad_class"),
        ({"since": "2023-02-30"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2023-06-01", "until": "2023-05-01"}, "until"),
        ({"q": "!!!"}, "q"),
        ({"min_confidence": 2}, "min_confidence"),
    ],
)
def test_a_bad_value_is_a_422_naming_it(client: TestClient, params: dict[str, Any], names: str) -> None:
    for path in ("/api/events", "/events.json", "/api/events.csv", "/api/events.jsonl"):
        detail = get_json(client, path, params, status=422)["detail"]
        assert names in json.dumps(detail), (path, detail)
    page = client.get(f"/events?{urlencode(params)}")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert names in page.text and "Traceback" not in page.text


def test_blank_parameters_of_the_form_are_no_filter(client: TestClient) -> None:
    blank = get_json(client, "/api/events", {"q": "", "since": "", "until": "", "country": " ", **EVERY})
    assert blank["filters"] == {} and blank["total"] == get_json(client, "/api/events", EVERY)["total"]


# ---------------------------------------------------------------- facets


def test_facets_count_the_listed_events_and_their_links_filter_to_that_count(
    client: TestClient, everything: list[Item]
) -> None:
    facets = get_json(client, "/api/events", EVERY)["facets"]
    assert set(facets) == {"plover", "quad_class", "country", "month"}
    plovers = Counter(item["plover"] for item in everything)
    assert [(v["value"], v["count"]) for v in facets["plover"]["values"]] == sorted(
        plovers.items(), key=lambda pair: (-pair[1], pair[0])
    )[:10]
    assert facets["plover"]["more"] == (len(plovers) > 10)
    quads = Counter(item["quad_class"] for item in everything)
    assert {v["value"]: v["count"] for v in facets["quad_class"]["values"]} == quads
    assert facets["quad_class"]["values"][0]["label"] == "verbal cooperation"
    months = Counter(item["date"][:7] for item in everything if item["date"])
    assert [(v["value"], v["count"]) for v in facets["month"]["values"]] == sorted(months.items(), reverse=True)
    sides = Counter(c for item in everything for c in {country(item, "source"), country(item, "target")} - {None})
    countries = {v["value"]: v["count"] for v in facets["country"]["values"]}
    assert countries == dict(sides.most_common(len(countries)))
    assert countries["RUS"] == sides["RUS"] and facets["country"]["values"][0]["label"] in (
        "China",
        "Russian Federation",
    )

    for facet in facets.values():
        for value in facet["values"]:
            assert not value["selected"]
            narrowed = get_json(client, "/api/events", {**value["params"], **EVERY})
            assert narrowed["total"] == value["count"], value


def test_a_selected_facet_value_is_marked_and_its_link_removes_it(client: TestClient) -> None:
    facets = get_json(
        client, "/api/events", {"plover": "CONSULT", "since": "2023-05-01", "until": "2023-05-31", **EVERY}
    )["facets"]
    assert [(v["value"], v["selected"], v["params"]) for v in facets["plover"]["values"]] == [
        ("CONSULT", True, {"plover": None})
    ]
    assert [(v["value"], v["selected"]) for v in facets["month"]["values"]] == [("2023-05", True)]
    assert facets["month"]["values"][0]["params"] == {"since": None, "until": None}

    china = get_json(client, "/api/events", {"country": "CHN", **EVERY})["facets"]["country"]["values"]
    chosen = {v["value"]: v for v in china}
    assert chosen["CHN"]["selected"] and chosen["CHN"]["params"] == {"country": None}
    assert chosen["RUS"]["params"] == {"country": "CHN,RUS"} and not chosen["RUS"]["selected"]
    pair = get_json(client, "/api/events", {"country": "CHN,RUS", **EVERY})
    assert pair["total"] == chosen["RUS"]["count"]
    assert {v["value"]: v["params"] for v in pair["facets"]["country"]["values"]} == {
        "CHN": {"country": "RUS"},
        "RUS": {"country": "CHN"},
    }


def test_the_page_shows_facets_active_filters_and_download_links(client: TestClient) -> None:
    page = client.get("/events?country=CHN&min_confidence=0")
    assert page.status_code == 200
    html = page.text
    assert '<aside class="facets"' in html and 'data-facet="month"' in html
    assert 'class="filter" data-filter="country" href="/events?min_confidence=0"' in html
    assert 'href="/events?country=CHN%2CRUS&amp;min_confidence=0" data-value="RUS"' in html
    assert 'class="download-csv" href="/api/events.csv?country=CHN&amp;min_confidence=0"' in html
    assert 'class="download-jsonl" href="/api/events.jsonl?country=CHN&amp;min_confidence=0"' in html
    assert '<input type="hidden" name="country" value="CHN">' in html


# ---------------------------------------------------------------- downloads


def download(client: TestClient, fmt: str, params: dict[str, Any]) -> str:
    response = client.get(f"/api/events.{fmt}?{urlencode(params)}")
    assert response.status_code == 200, response.text[:300]
    assert "content-length" not in response.headers  # streamed, not built whole
    assert response.headers["content-disposition"] == f'attachment; filename="events.{fmt}"'
    return response.text


def cli_export(db: Path, fmt: str) -> str:
    result = runner.invoke(cli_app, ["export", "events", "--db", str(db), "--format", fmt, "--min-confidence", "0"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("params", [EVERY, {"country": "CHN", "quad_class": 1, **EVERY}, {"q": "Putin"}, {}])
def test_downloads_hold_the_listed_events_in_the_same_order(client: TestClient, params: dict[str, Any]) -> None:
    expected = listed(client, params)
    assert expected
    lines = download(client, "jsonl", params).splitlines()
    rows = [json.loads(line) for line in lines]
    assert ids(rows) == ids(expected)
    for row, item in zip(rows, expected, strict=True):
        assert (row["date"], row["plover"], row["cameo"], row["confidence"]) == (
            item["date"],
            item["plover"],
            item["cameo"],
            item["confidence"],
        )
        assert row["mentions"] and row["mentions"][0]["sentence"] == item["sentence"]
    table = list(csv.DictReader(io.StringIO(download(client, "csv", params))))
    assert [row["event_id"] for row in table] == ids(expected)
    assert [int(row["mention_count"]) for row in table] == [len(row["mentions"]) for row in rows]
    assert [row["source.name"] or None for row in table] == [name(item, "source") for item in expected]


def test_downloads_have_the_columns_and_rows_of_the_export_command(client: TestClient, db: Path) -> None:
    exported_csv = cli_export(db, "csv")
    downloaded_csv = download(client, "csv", EVERY)
    assert downloaded_csv.splitlines()[0] == exported_csv.splitlines()[0]
    assert sorted(downloaded_csv.splitlines()[1:]) == sorted(exported_csv.splitlines()[1:])
    exported = {row["event_id"]: row for row in map(json.loads, cli_export(db, "jsonl").splitlines())}
    downloaded = [json.loads(line) for line in download(client, "jsonl", EVERY).splitlines()]
    assert len(downloaded) == len(exported)
    assert all(row == exported[row["event_id"]] for row in downloaded)


def test_an_empty_download_is_the_header_alone(client: TestClient) -> None:
    params = {"plover": "SANCTION", **EVERY}
    assert get_json(client, "/api/events", params)["total"] == 0
    header = download(client, "csv", params)
    assert header.startswith("event_id,date,date_precision,source.text") and header.count("\n") == 1
    assert download(client, "jsonl", params) == ""


# ---------------------------------------------------------------- links into the list


def test_dyad_actor_and_story_pages_link_into_the_filtered_list(client: TestClient, everything: list[Item]) -> None:
    def links(path: str) -> list[str]:
        html = client.get(path).text
        found = [part.split('"', 2)[1] for part in html.split('class="filtered-list" href=')[1:]]
        return [link.replace("&amp;", "&") for link in found]

    both, forward, backward = links("/dyad/RUS/CHN?start=2023-05-01")
    assert both == "/events?country=RUS%2CCHN&since=2023-05-01"
    dyad = get_json(client, "/api/dyad/RUS/CHN/events", {"start": "2023-05-01", **EVERY})
    assert get_json(client, both.replace("/events", "/api/events"), EVERY)["total"] == dyad["total"]
    assert forward == "/events?source_country=RUS&target_country=CHN&since=2023-05-01"
    assert backward == "/events?source_country=CHN&target_country=RUS&since=2023-05-01"

    [russia] = links("/actor/RUS")
    assert russia == "/events?country=RUS"
    [xi] = links("/actor/person:xi-jinping")
    assert xi == "/events?actor=person%3Axi-jinping"
    xi_events = get_json(client, "/api/actor/person:xi-jinping", {"limit": 200, **EVERY})["events"]
    assert sorted(ids(listed(client, {"actor": "person:xi-jinping", **EVERY}))) == sorted(ids(xi_events["items"]))

    story_id = everything[0]["story_id"]
    [story] = links(f"/story/{story_id}")
    assert story == f"/events?story={story_id}"


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def pg_client(seeds_dir: Path) -> Iterator[TestClient]:
    reason = pgserver.unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = pgserver.PostgresServer(pgserver.find_bindir())
    try:
        server.start()
        url = server.create_database()
        run_pipeline(url, seeds_dir)
        with TestClient(create_app(url)) as test_client:
            yield test_client
    finally:
        server.stop()


@pytest.mark.slow
def test_filters_facets_and_downloads_answer_alike_on_postgresql(pg_client: TestClient, client: TestClient) -> None:
    cases = [params for params, _ in FILTERS] + [
        {"q": "Mishustin"},
        {"q": "Putin", "country": "CHN"},
        {"story": listed(client, EVERY)[0]["story_id"]},
    ]
    for params in cases:
        for threshold in (EVERY, {}):
            wanted = get_json(client, "/api/events", {**params, **threshold, "limit": 200})
            got = get_json(pg_client, "/api/events", {**params, **threshold, "limit": 200})
            assert ids(got["items"]) == ids(wanted["items"]), params
            assert got["facets"] == wanted["facets"], params
            assert got["below_min_confidence"] == wanted["below_min_confidence"], params
    for fmt in ("csv", "jsonl"):
        assert download(pg_client, fmt, EVERY) == download(client, fmt, EVERY)
