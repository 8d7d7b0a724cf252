"""Each record is declared once (records.py): its columns, rows and export shapes follow from that declaration."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventwire.record_fields import contract, leaves, shape, spec
from eventwire.records import ActorRef, ArticleResult, CanonicalEvent, Claim, Event, Quote
from eventwire.store import corpus, export, schema
from eventwire.store.repository import Repository, open_repository
from eventwire.store.rows import columns, from_row, to_row

try:
    from tests.test_store import BAGHDAD_TEXT, baghdad_result
except ImportError:
    from test_store import BAGHDAD_TEXT, baghdad_result

#: The event fields the exports leave out on purpose (kept in the store, shown by the API).
UNEXPORTED_EVENT_COLUMNS = {
    "date_text",
    "code_rule",
    "is_main",
    "source_actor_id",
    "source_kind",
    "target_actor_id",
    "target_kind",
}


def _claim_and_quote(article_id: str) -> tuple[Claim, Quote]:
    sentence = "Trade between the two countries rose 12 percent in 2023, the minister said."
    start = BAGHDAD_TEXT.index(".") + 2
    minister = ActorRef("the minister", "Hakan Fidan", "TUR", "GOV", "Q12345", "person", 0.9, code="TURGOV")
    claim = Claim(
        claim_id="c-1",
        article_id=article_id,
        kind="percent",
        value=12.0,
        unit="%",
        text="12 percent",
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        subject="trade|IRQ-TUR",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        period_text="in 2023",
        is_change=True,
        speaker=minister,
    )
    quote = Quote("q-1", article_id, "We will not allow attacks", start, start + 25, speaker=minister)
    return claim, quote


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    result = baghdad_result()
    claim, quote = _claim_and_quote(result.article.article_id)
    result.claims, result.quotes = [claim], [quote]
    repository = open_repository(tmp_path / "store.db")
    assert repository.save_result(result)
    yield repository
    repository.close()


def test_every_event_field_has_a_column_and_every_exported_one_a_jsonl_key(repo: Repository) -> None:
    out = io.StringIO()
    export.write_rows(repo.iter_events(), "jsonl", out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    meeting = next(row for row in rows if row["event_id"].endswith("-0"))
    stored = {leaf.name for leaf in leaves(Event)}
    assert stored <= set(schema.events.c.keys())
    flat_keys = {key for key, value in meeting.items() if not isinstance(value, dict)}
    object_keys = {f"{key}_{sub}" for key, value in meeting.items() if isinstance(value, dict) for sub in value}
    object_keys |= {f"location_{sub}" for sub in ("text", "country", "lat", "lon")}  # the location may be None
    object_keys |= {f"target_{sub}" for sub in ("text", "name", "country", "sector", "code")}
    assert stored - flat_keys - object_keys == UNEXPORTED_EVENT_COLUMNS
    assert meeting["source"] == {
        "text": "Turkish Foreign Minister Hakan Fidan",
        "name": "Hakan Fidan",
        "country": "TUR",
        "sector": "GOV",
        "code": "TURGOV",
    }
    assert (meeting["date"], meeting["date_precision"], meeting["date_method"]) == ("2024-03-12", "day", "relative")
    assert list(meeting) == [key for key in Event.EXPORT_ORDER if key in meeting]


def test_event_csv_columns_follow_the_record(repo: Repository) -> None:
    out = io.StringIO()
    export.write_rows(repo.iter_events(), "csv", out)
    header = next(csv.reader(io.StringIO(out.getvalue())))
    actor = ("text", "name", "country", "sector", "code")
    assert header == [
        "event_id", "date", "date_precision",
        *(f"source.{name}" for name in actor), *(f"target.{name}" for name in actor),
        "plover", "mode", "cameo", "goldstein", "quad_class",
        "location.text", "location.country", "location.lat", "location.lon",
        "mentions", "mention_count", "confidence", "article_id", "predicate", "date_method",
    ]  # fmt: skip
    assert export.CONTRACTS["events"] == shape(Event, extras=("article_id",))


def test_canonical_events_keep_the_event_columns_but_three(repo: Repository) -> None:
    event_columns = set(schema.events.c.keys()) - {"article_id"}
    canonical = set(schema.canonical_events.c.keys())
    assert canonical == event_columns - {"date_text", "code_rule", "is_main"} | {"story_id", "sources", "member_ids"}
    assert {leaf.name for leaf in leaves(CanonicalEvent)} == canonical


def test_stored_records_read_back_equal(repo: Repository) -> None:
    original = baghdad_result()
    with repo.engine.connect() as connection:
        (loaded,) = corpus.load_results(connection, [original.article.article_id])
    assert to_row(loaded.article) == to_row(original.article)
    expected = sorted(original.events, key=lambda e: e.event_id)
    assert [to_row(e) for e in loaded.events] == [to_row(e) for e in expected]
    assert [e.mentions for e in loaded.events] == [e.mentions for e in expected]
    (claim,) = loaded.claims
    assert claim.speaker == ActorRef("the minister", "Hakan Fidan", "TUR")  # a claim keeps text, name and country
    assert (claim.period_start, claim.is_change, claim.value) == (dt.date(2023, 1, 1), True, 12.0)


def test_claims_and_quotes_export_their_speaker_as_an_actor_object(repo: Repository) -> None:
    (claim,) = corpus.iter_claims(repo.engine)
    assert claim["speaker"] == {"text": "the minister", "name": "Hakan Fidan", "country": "TUR"}
    assert list(claim) == list(Claim.EXPORT_ORDER)
    (quote,) = corpus.iter_quotes(repo.engine)
    assert quote["speaker"] == {
        "text": "the minister",
        "name": "Hakan Fidan",
        "country": "TUR",
        "sector": "GOV",
        "code": "TURGOV",
    }
    assert list(quote) == ["quote_id", "article_id", "text", "start", "end", "speaker"]


def test_a_field_added_to_event_is_stored_and_exported_with_no_other_edit(tmp_path: Path) -> None:
    """What adding `Event.source_url` takes: the field in records.py (here a subclass) and a migration."""
    url_field = dataclasses.field(default=None, metadata=spec(long=True))
    event_with_url = dataclasses.make_dataclass("EventWithUrl", [("source_url", str | None, url_field)], bases=(Event,))
    base = baghdad_result().events[0]
    record = event_with_url(
        **{f.name: getattr(base, f.name) for f in dataclasses.fields(Event)}, source_url="https://x"
    )

    metadata = sa.MetaData()
    table = sa.Table("events", metadata, *columns(event_with_url), sa.Column("article_id", sa.String))
    assert isinstance(table.c.source_url.type, sa.Text) and table.c.source_url.nullable
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'grown.db'}")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert(), [{**to_row(record), "article_id": "a1"}])
        row = connection.execute(sa.select(table)).mappings().one()
    read_back = from_row(row, event_with_url, mentions=base.mentions)
    assert read_back.source_url == "https://x" and to_row(read_back) == to_row(record)

    exported = contract(row, event_with_url, lists={"mentions": []}, extras={"article_id": row["article_id"]})
    assert exported["source_url"] == "https://x"
    keys = list(shape(event_with_url, extras=("article_id",)))
    assert keys[-1] == "source_url" and keys[:-1] == list(export.CONTRACTS["events"])


def test_article_results_without_claims_store_no_claim_rows(tmp_path: Path) -> None:
    with open_repository(tmp_path / "plain.db") as repository:
        result = baghdad_result()
        assert repository.save_result(ArticleResult(article=result.article, events=result.events))
        with repository.engine.connect() as connection:
            assert connection.execute(sa.select(sa.func.count()).select_from(schema.claims)).scalar_one() == 0
            stored = connection.execute(sa.select(schema.events.c.code_rule, schema.events.c.is_main)).all()
        assert sorted(stored) == sorted((e.code.rule or None, e.is_main) for e in result.events)
