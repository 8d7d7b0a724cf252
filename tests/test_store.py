"""The event store on SQLite and PostgreSQL: saving, idempotence, reads, migrations and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from eventwire.records import (
    ActorRef,
    Article,
    ArticleResult,
    DateValue,
    Event,
    EventCode,
    Failure,
    Location,
    Mention,
    RemovedLine,
)
from eventwire.store import (
    ExportError,
    Repository,
    StoreError,
    database_url,
    migrate,
    open_repository,
    write_rows,
)
from eventwire.store.queries import is_derived_name
from eventwire.store.schema import metadata

try:
    from tests import pgserver
except ImportError:
    import pgserver

# ---------------------------------------------------------------- realistic records

BAGHDAD_TEXT = (
    "Turkish Foreign Minister Hakan Fidan met his Iraqi counterpart Fuad Hussein in Baghdad on Tuesday. "
    "Fidan pledged to support Iraq's efforts to secure its border with Syria. "
    "Hussein accused Kurdish militants of attacking villages near Duhok."
)
BOGOTA_TEXT = (
    "Colombian President Gustavo Petro said on Friday that his government would resume peace talks "
    "with the ELN rebels in Bogotá next month. "
    "The army arrested three suspected rebels in Cauca, officials said."
)
PARIS_TEXT = "Le président Emmanuel Macron a rencontré le chancelier Olaf Scholz à Paris."


OFFICIALS = ActorRef("officials", None, "COL", "GOV", None, "group", 0.5, code="COLGOV")


def mention(article_id: str, text: str, sentence: str) -> Mention:
    start = text.index(sentence)
    return Mention(article_id, sentence, start, start + len(sentence))


def sentence_of(text: str, number: int) -> str:
    return text.split(". ")[number].rstrip(".") + "."


def event(
    event_id: str,
    article_id: str,
    text: str,
    sentence_no: int,
    source: ActorRef,
    target: ActorRef | None,
    code: EventCode,
    date: DateValue,
    predicate: str,
    location: Location | None = None,
    confidence: float = 0.8,
) -> Event:
    return Event(
        event_id=event_id,
        source=source,
        target=target,
        code=code,
        date=date,
        predicate=predicate,
        mentions=[mention(article_id, text, sentence_of(text, sentence_no))],
        location=location,
        confidence=confidence,
        is_main=True,
    )


def baghdad_result() -> ArticleResult:
    article_id = "a1b2c3d4e5f6"
    article = Article(
        article_id=article_id,
        text=BAGHDAD_TEXT,
        path="feeds/reuters/2024-03-12-turkey-iraq.html",
        url="https://example.com/world/turkey-iraq-talks",
        title="Turkey, Iraq discuss border security",
        outlet="Reuters",
        published=dt.date(2024, 3, 12),
        language="en",
        removed=[
            RemovedLine("Subscribe to our daily newsletter", "boilerplate"),
            RemovedLine("Share on Facebook | Share on X", "share-buttons"),
        ],
        source_format="html",
    )
    fidan = ActorRef(
        "Turkish Foreign Minister Hakan Fidan", "Hakan Fidan", "TUR", "GOV", "Q12345", "person", 0.9, code="TURGOV"
    )
    hussein = ActorRef(
        "his Iraqi counterpart Fuad Hussein", "Fuad Hussein", "IRQ", "GOV", "Q67890", "person", 0.85, code="IRQGOV"
    )
    iraq = ActorRef("Iraq", "Iraq", "IRQ", None, None, "country", 0.95, code="IRQ")
    militants = ActorRef("Kurdish militants", None, None, "REB", None, "group", 0.6, code="REB")
    tuesday = DateValue(dt.date(2024, 3, 12), "day", "on Tuesday", "relative")
    events = [
        event(
            f"{article_id}-0",
            article_id,
            BAGHDAD_TEXT,
            0,
            fidan,
            hussein,
            EventCode("040", "CONSULT", "visit", 1.0, 1, 0.9, "meet-with"),
            tuesday,
            "met",
            Location("Baghdad", "IRQ", 33.3152, 44.3661),
            confidence=0.8766,
        ),
        event(
            f"{article_id}-1",
            article_id,
            BAGHDAD_TEXT,
            1,
            fidan,
            iraq,
            EventCode("051", "SUPPORT", None, 3.4, 1, 0.7, "pledge-support"),
            DateValue(dt.date(2024, 3, 12), "day", None, "publication"),
            "pledged to support",
        ),
        event(
            f"{article_id}-2",
            article_id,
            BAGHDAD_TEXT,
            2,
            hussein,
            militants,
            EventCode("112", "ACCUSE", None, -2.0, 3, 0.6, "accuse"),
            DateValue(None, "unknown", None, "none"),
            "accused",
        ),
    ]
    return ArticleResult(article, events, [Failure(article_id, "no date for sentence 3", "time")])


def bogota_result() -> ArticleResult:
    article_id = "f0e1d2c3b4a5"
    article = Article(
        article_id=article_id,
        text=BOGOTA_TEXT,
        path="feeds/eltiempo/petro-eln.txt",
        title="Petro anuncia reanudación de diálogos con el ELN",
        outlet="El Tiempo",
        published=dt.date(2023, 11, 3),
        language="en",
    )
    petro = ActorRef(
        "Colombian President Gustavo Petro", "Gustavo Petro", "COL", "GOV", "Q2356", "person", 0.9, code="COLGOV"
    )
    eln = ActorRef("the ELN rebels", "National Liberation Army", "COL", "REB", "Q214012", "group", 0.8, code="COLREB")
    army = ActorRef("The army", None, "COL", "MIL", None, "organisation", 0.7, code="COLMIL")
    events = [
        event(
            f"{article_id}-0",
            article_id,
            BOGOTA_TEXT,
            0,
            petro,
            eln,
            EventCode("036", "CONSULT", None, 4.0, 1, 0.7, "intent-talks"),
            DateValue(dt.date(2023, 12, 1), "month", "next month", "relative"),
            "would resume peace talks",
            Location("Bogotá", "COL", 4.711, -74.0721),
        ),
        event(
            f"{article_id}-1",
            article_id,
            BOGOTA_TEXT,
            1,
            army,
            ActorRef("three suspected rebels", None, None, "REB", None, "group", 0.5, code="REB"),
            EventCode("173", "COERCE", "arrest", -5.0, 4, 0.8, "arrest"),
            DateValue(dt.date(2023, 11, 3), "day", None, "publication"),
            "arrested",
            Location("Cauca", "COL", 2.5, -76.8),
        ),
    ]
    events[1].mentions[0].attributed_to = OFFICIALS  # '..., officials said'
    return ArticleResult(article, events)


def paris_result() -> ArticleResult:
    article = Article("9a8b7c6d5e4f", PARIS_TEXT, path="feeds/lemonde/macron.txt", language="fr")
    return ArticleResult(article)


def all_results() -> list[ArticleResult]:
    return [baghdad_result(), bogota_result(), paris_result()]


# ---------------------------------------------------------------- backends


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgserver.PostgresServer]:
    reason = pgserver.unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = pgserver.PostgresServer(pgserver.find_bindir())
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A location for a new store: a SQLite file path, or a fresh PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "events.db")
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def repo(db: str) -> Iterator[Repository]:
    repository = open_repository(db)
    yield repository
    repository.close()


@pytest.fixture
def filled(repo: Repository) -> Repository:
    run_id = repo.start_run(["feeds/reuters", "feeds/eltiempo", "feeds/lemonde"])
    results = all_results()
    assert repo.save_results(results, run_id=run_id) == 3
    for failure in (f for result in results for f in result.failures):
        repo.record_failure(failure, run_id=run_id)
    repo.finish_run(run_id, {"articles": 3, "events": 5, "elapsed": 1.25})
    return repo


# ---------------------------------------------------------------- opening and migrations


def test_database_url_accepts_paths_and_urls(tmp_path: Path) -> None:
    assert database_url(tmp_path / "x.db").render_as_string() == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://ew@db:5432/events").drivername == "postgresql+psycopg"
    assert database_url("postgres://ew@db/events").drivername == "postgresql+psycopg"
    assert database_url("sqlite:///events.db").database == "events.db"
    assert database_url(":memory:").database == ":memory:"


def test_open_creates_schema_at_head_and_reopens(db: str) -> None:
    """Opening twice: the second open finds the schema at head (its speed: benchmarks/store_writes.py)."""
    open_repository(db).close()
    repository = open_repository(db)
    assert repository.counts() == {"articles": 0, "english": 0, "events": 0, "mentions": 0, "failures": 0}
    with repository.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        tables = set(sa.inspect(connection).get_table_names())
    repository.close()
    assert {"articles", "removed_lines", "events", "mentions", "failures", "runs"} <= tables


def test_migrations_produce_exactly_the_declared_schema(repo: Repository) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with repo.engine.connect() as connection:
        opts = {"compare_type": True, "include_name": lambda name, type_, parents: not is_derived_name(name)}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, metadata) == []
        indexes = {ix["name"] for ix in sa.inspect(connection).get_indexes("events")}
    assert {"ix_events_date", "ix_events_dyad"} <= indexes


def test_alembic_head_matches_file_names() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == migrate.head_revision()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    with open_repository(tmp_path / "events.db") as repository, repository.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    with open_repository(path) as repository, repository.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer than this eventwire"):
        open_repository(path)


def test_database_from_before_actor_codes_upgrades_with_null_codes(filled: Repository, db: str) -> None:
    """A store at revision 0003 (no `*_code` columns) opens, upgrades, and exports its old events
    with `code` null while keeping every other actor field."""
    from alembic import command

    with filled.engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0003")
        assert migrate.current_revision(connection) == "0003"
        assert "source_code" not in {c["name"] for c in sa.inspect(connection).get_columns("events")}
    filled.close()
    with open_repository(db) as upgraded:
        with upgraded.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
        rows = list(upgraded.iter_events())
    assert len(rows) == 5
    assert {row["source"]["code"] for row in rows} == {None}
    fidan = next(row["source"] for row in rows if row["source"]["name"] == "Hakan Fidan")
    assert fidan == {"text": "Turkish Foreign Minister Hakan Fidan", "name": "Hakan Fidan", "country": "TUR",
                     "sector": "GOV", "code": None}


# ---------------------------------------------------------------- saving


def test_save_is_idempotent(filled: Repository) -> None:
    expected = {"articles": 3, "english": 2, "events": 5, "mentions": 5, "failures": 1}
    assert filled.counts() == expected
    assert filled.save_result(baghdad_result()) is False
    assert filled.save_results(all_results() + all_results()) == 0
    assert filled.counts() == expected
    assert filled.has_article("a1b2c3d4e5f6")
    assert not filled.has_article("a1b2c3d4e5f7")


def test_duplicates_within_one_batch_are_saved_once(repo: Repository) -> None:
    assert repo.save_results([bogota_result(), bogota_result(), paris_result()]) == 2
    assert repo.counts()["events"] == 2


def test_event_id_clash_is_recorded_and_batch_continues(repo: Repository) -> None:
    assert repo.save_result(baghdad_result())
    clash = bogota_result()
    clash.events[0].event_id = "a1b2c3d4e5f6-0"  # already used by the Baghdad article
    assert repo.save_results([clash, paris_result()]) == 1
    assert not repo.has_article("f0e1d2c3b4a5")
    assert repo.has_article("9a8b7c6d5e4f")
    failure = list(repo.iter_failures())[-1]
    assert failure["source"] == "f0e1d2c3b4a5"
    assert failure["stage"] == "store"
    assert failure["message"].startswith("not stored:")


def test_nul_characters_are_stored_on_every_backend(repo: Repository) -> None:
    result = paris_result()
    result.article.text = PARIS_TEXT.replace(" à ", " \x00 ")
    assert repo.save_results(r for r in [result]) == 1
    stored = repo.get_article("9a8b7c6d5e4f")["text"]
    assert len(stored) == len(PARIS_TEXT)
    assert "Olaf Scholz \ufffd Paris" in stored


def test_undecodable_file_name_bytes_are_stored_on_every_backend(repo: Repository) -> None:
    path = os.fsdecode(b"inbox/caf\xe9.txt")  # a Latin-1 file name read on a UTF-8 system
    result = paris_result()
    result.article.path = path
    assert repo.save_results([result]) == 1
    assert repo.get_article("9a8b7c6d5e4f")["path"] == "inbox/caf\ufffd.txt"
    repo.record_failure(Failure(path, "empty file"))
    assert list(repo.iter_failures())[-1]["source"] == "inbox/caf\ufffd.txt"


def test_get_article_with_removed_lines(filled: Repository) -> None:
    article = filled.get_article("a1b2c3d4e5f6")
    assert article is not None
    assert article["title"] == "Turkey, Iraq discuss border security"
    assert article["published"] == "2024-03-12"
    assert article["text"] == BAGHDAD_TEXT
    assert article["url"] == "https://example.com/world/turkey-iraq-talks"
    assert article["source_format"] == "html"
    assert article["removed"] == [
        {"text": "Subscribe to our daily newsletter", "rule": "boilerplate"},
        {"text": "Share on Facebook | Share on X", "rule": "share-buttons"},
    ]
    assert filled.get_article("9a8b7c6d5e4f")["removed"] == []
    assert filled.get_article("nope") is None


def test_find_articles_by_prefix(filled: Repository) -> None:
    assert filled.find_articles("a1b") == ["a1b2c3d4e5f6"]
    assert filled.find_articles("") == ["9a8b7c6d5e4f", "a1b2c3d4e5f6", "f0e1d2c3b4a5"]
    assert filled.find_articles("a%") == []
    assert filled.find_articles("_1b") == []


def test_events_read_back_in_the_event_contract(filled: Repository) -> None:
    rows = list(filled.iter_events())
    expected = {e.event_id: e.to_json() for r in all_results() for e in r.events}
    assert [r["event_id"] for r in rows] == [
        "f0e1d2c3b4a5-1",  # 2023-11-03
        "f0e1d2c3b4a5-0",  # 2023-12 (month)
        "a1b2c3d4e5f6-0",  # 2024-03-12
        "a1b2c3d4e5f6-1",  # 2024-03-12
        "a1b2c3d4e5f6-2",  # no date: last
    ]
    for row in rows:
        contract = {k: v for k, v in row.items() if k not in ("article_id", "predicate", "date_method")}
        assert contract == expected[row["event_id"]]
        assert list(contract) == list(expected[row["event_id"]])
    first = rows[2]
    assert first["confidence"] == 0.877
    assert first["location"] == {"text": "Baghdad", "country": "IRQ", "lat": 33.3152, "lon": 44.3661}
    evidence = first["mentions"][0]
    assert evidence["sentence"] == BAGHDAD_TEXT[evidence["start"] : evidence["end"]]
    assert (first["article_id"], first["predicate"], first["date_method"]) == (
        "a1b2c3d4e5f6",
        "met",
        "relative",
    )
    assert [e["event_id"] for e in filled.iter_events(article_id="f0e1d2c3b4a5")] == [
        "f0e1d2c3b4a5-1",
        "f0e1d2c3b4a5-0",
    ]


def test_a_mention_keeps_who_reported_it(filled: Repository, tmp_path: Path) -> None:
    arrest = next(row for row in filled.iter_events() if row["event_id"] == "f0e1d2c3b4a5-1")
    reported_by = {"text": "officials", "name": None, "country": "COL", "sector": "GOV", "code": "COLGOV"}
    assert arrest["mentions"][0]["attributed_to"] == reported_by
    out = tmp_path / "events.csv"
    write_rows(filled.iter_events(), "csv", out)
    row = next(r for r in csv.DictReader(out.open(encoding="utf-8")) if r["event_id"] == "f0e1d2c3b4a5-1")
    assert json.loads(row["mentions"])[0]["attributed_to"] == reported_by


def test_events_are_stored_relationally(filled: Repository) -> None:
    query = sa.text(
        "SELECT source_name, source_actor_id, target_country, target_sector, cameo, quad_class, date_text "
        "FROM events WHERE source_country = 'TUR' AND target_country = 'IRQ' ORDER BY event_id"
    )
    with filled.engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(query)]
    assert rows == [
        ("Hakan Fidan", "Q12345", "IRQ", "GOV", "040", 1, "on Tuesday"),
        ("Hakan Fidan", "Q12345", "IRQ", None, "051", 1, None),
    ]


def test_failures_and_runs_are_recorded(filled: Repository) -> None:
    run_id = filled.start_run(["feeds/broken"])
    filled.record_failure(Failure("feeds/broken/x.html", "could not decode bytes as UTF-8"), run_id=run_id)
    failures = list(filled.iter_failures())
    assert [(f["source"], f["stage"], f["message"]) for f in failures] == [
        ("a1b2c3d4e5f6", "time", "no date for sentence 3"),
        ("feeds/broken/x.html", "ingest", "could not decode bytes as UTF-8"),
    ]
    assert failures[1]["run_id"] == run_id
    assert dt.datetime.fromisoformat(failures[1]["created_at"]).tzinfo is not None
    first_run = filled.get_article("a1b2c3d4e5f6")["run_id"]
    run = filled.get_run(first_run)
    assert run["inputs"] == ["feeds/reuters", "feeds/eltiempo", "feeds/lemonde"]
    assert run["stats"] == {"articles": 3, "events": 5, "elapsed": 1.25}
    assert run["finished_at"] >= run["started_at"]
    with pytest.raises(StoreError):
        filled.finish_run("no-such-run", {})


# ---------------------------------------------------------------- exports


def test_export_events_jsonl(filled: Repository, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert write_rows(filled.iter_events(), "jsonl", out) == 5
    raw = out.read_text(encoding="utf-8")
    assert "Bogotá" in raw  # not \u-escaped
    rows = [json.loads(line) for line in raw.splitlines()]
    assert rows[1]["location"]["text"] == "Bogotá"
    assert rows[1]["date"] == "2023-12-01"
    assert rows[1]["date_precision"] == "month"
    assert rows[4]["date"] is None
    assert rows[4]["target"] == {
        "text": "Kurdish militants", "name": None, "country": None, "sector": "REB", "code": "REB"
    }


def test_export_events_csv(filled: Repository) -> None:
    buffer = io.StringIO()
    assert write_rows(filled.iter_events(), "csv", buffer) == 5
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    header = buffer.getvalue().splitlines()[0].split(",")
    assert header[:9] == [
        "event_id",
        "date",
        "date_precision",
        "source.text",
        "source.name",
        "source.country",
        "source.sector",
        "source.code",
        "target.text",
    ]
    assert {"mentions", "mention_count", "location.lat", "article_id", "predicate"} <= set(header)
    arrest = rows[0]
    assert arrest["source.sector"] == "MIL"
    assert arrest["source.code"] == "COLMIL"
    assert arrest["target.name"] == ""
    assert arrest["goldstein"] == "-5.0"
    assert arrest["mention_count"] == "1"
    arrested = "The army arrested three suspected rebels in Cauca, officials said."
    assert json.loads(arrest["mentions"])[0]["sentence"] == arrested
    assert rows[4]["location.text"] == ""


def test_export_events_parquet(filled: Repository, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert write_rows(filled.iter_events(), "parquet", out) == 5
    table = pq.read_table(out)
    assert table.num_rows == 5
    assert table.schema.field("date").type == "date32[day]"
    rows = table.to_pylist()
    assert rows[2]["source"] == {
        "text": "Turkish Foreign Minister Hakan Fidan",
        "name": "Hakan Fidan",
        "country": "TUR",
        "sector": "GOV",
        "code": "TURGOV",
    }
    assert rows[2]["date"] == dt.date(2024, 3, 12)
    assert rows[2]["mentions"][0]["start"] == 0
    assert rows[4]["date"] is None and rows[4]["location"] is None
    assert rows[1]["location"]["lon"] == pytest.approx(-74.0721)


def test_export_articles_all_formats(filled: Repository, tmp_path: Path) -> None:
    articles = list(filled.iter_articles())
    assert [a["article_id"] for a in articles] == ["f0e1d2c3b4a5", "a1b2c3d4e5f6", "9a8b7c6d5e4f"]
    assert list(articles[0]) == [
        "article_id",
        "path",
        "title",
        "outlet",
        "published",
        "language",
        "text",
        "removed",
    ]
    write_rows(articles, "jsonl", tmp_path / "a.jsonl")
    write_rows(articles, "csv", tmp_path / "a.csv")
    write_rows(articles, "parquet", tmp_path / "a.parquet")
    from_jsonl = [
        json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert from_jsonl[0]["title"] == "Petro anuncia reanudación de diálogos con el ELN"
    assert from_jsonl[1]["removed"][1] == {"text": "Share on Facebook | Share on X", "rule": "share-buttons"}
    with open(tmp_path / "a.csv", encoding="utf-8", newline="") as stream:
        from_csv = list(csv.DictReader(stream))
    assert from_csv[1]["removed_count"] == "2"
    assert from_csv[2]["language"] == "fr" and from_csv[2]["published"] == ""
    from_parquet = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert from_parquet[1]["published"] == dt.date(2024, 3, 12)
    assert from_parquet[1]["removed"][0]["rule"] == "boilerplate"


def test_export_failures_and_empty_exports(filled: Repository, tmp_path: Path) -> None:
    write_rows(filled.iter_failures(), "parquet", tmp_path / "f.parquet")
    assert pq.read_table(tmp_path / "f.parquet").column("stage").to_pylist() == ["time"]
    assert write_rows(iter([]), "parquet", tmp_path / "none.parquet", kind="events") == 0
    assert pq.read_table(tmp_path / "none.parquet").schema.names[:2] == ["event_id", "date"]
    buffer = io.StringIO()
    assert write_rows([], "csv", buffer, kind="events") == 0
    assert buffer.getvalue().startswith("event_id,date,date_precision,source.text")


def test_export_streams_and_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    rows = [e.to_json() for e in bogota_result().events]
    binary = io.BytesIO()
    assert write_rows(rows, "jsonl", binary) == 2
    assert json.loads(binary.getvalue().decode("utf-8").splitlines()[0])["location"]["text"] == "Bogotá"
    assert write_rows(rows, "parquet", "-") == 2
    assert pq.read_table(io.BytesIO(capsysbinary.readouterr().out)).column("cameo").to_pylist() == [
        "036",
        "173",
    ]


class _Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_parquet_to_terminal_is_refused() -> None:
    with pytest.raises(ExportError, match="terminal"):
        write_rows([{"event_id": "x", "mentions": []}], "parquet", _Terminal())
    with pytest.raises(ExportError, match="unknown format"):
        write_rows([], "xml", io.StringIO())  # type: ignore[arg-type]


# ---------------------------------------------------------------- volume


def _synthetic_results(count: int, events_per_article: int) -> list[ArticleResult]:
    """`count` copies of the Baghdad article under new ids, each with `events_per_article` events."""
    template = baghdad_result()
    results = []
    for n in range(count):
        article_id = f"bulk{n:06d}"
        article = replace(template.article, article_id=article_id, published=dt.date(2024, 1, 1 + n % 28))
        events = [
            replace(
                template.events[k % 3],
                event_id=f"{article_id}-{k}",
                mentions=[replace(m, article_id=article_id) for m in template.events[k % 3].mentions],
            )
            for k in range(events_per_article)
        ]
        results.append(ArticleResult(article, events))
    return results


def test_bulk_save_stores_every_article_and_event_once(db: str) -> None:
    """300 articles × 10 events in one call (their speed: benchmarks/store_writes.py)."""
    results = _synthetic_results(300, 10)
    with open_repository(db) as repository:
        assert repository.save_results(results) == 300
        assert repository.counts()["events"] == 3000
        assert sum(1 for _ in repository.iter_events()) == 3000
        assert repository.save_results(results) == 0  # the same articles again: all skipped
        assert repository.counts()["articles"] == 300
