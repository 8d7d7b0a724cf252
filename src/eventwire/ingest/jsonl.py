"""JSON Lines (and JSON) articles: one object per line with id, url, outlet, title, published, text.

Common alternative field names are accepted (``doc_text``/``content``/``body`` for the text,
``date``/``date_publish`` for the date, ``headline`` for the title, ``link`` for the url,
``source``/``sitename`` for the outlet). Article ids are content hashes like every other
format, so two exports with overlapping ``id`` numbering cannot collide. A bad line is one
Failure naming ``file:line``; the rest of the file is still read. A ``.json`` file may also
hold a single object or an array of objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from eventwire.ingest.common import (
    article_id_for,
    clean_field,
    html_fragment_to_text,
    looks_like_html,
    parse_published,
)
from eventwire.ingest.encoding import normalise_text
from eventwire.records import Failure, RawArticle

TEXT_FIELDS = ("text", "doc_text", "content", "body", "maintext", "article", "full_text")
TITLE_FIELDS = ("title", "headline")
PUBLISHED_FIELDS = ("published", "date", "date_publish", "publish_date", "published_at", "pubdate")
URL_FIELDS = ("url", "link")
OUTLET_FIELDS = ("outlet", "source", "sitename", "source_domain", "publisher")
TOO_DEEP = "invalid JSON: nested too deeply"


def parse_json_lines(text: str, source: str, path: str | None = None) -> Iterator[RawArticle | Failure]:
    """Articles from JSON Lines text, one Failure per unusable line."""
    found_any = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found_any = True
        yield _article_from_line(line, f"{source}:{number}", path)
    if not found_any:
        yield Failure(source, "empty file (no JSON lines)")


def parse_json(text: str, source: str, path: str | None = None) -> Iterator[RawArticle | Failure]:
    """Articles from a ``.json`` file: an object, an array of objects, or JSON Lines."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        yield from parse_json_lines(text, source, path)
        return
    except RecursionError:
        yield Failure(source, TOO_DEEP)
        return
    if isinstance(document, list):
        yield from _articles_from_records(document, source, path)
    elif isinstance(document, dict):
        yield article_from_record(document, source, path)
    else:
        yield Failure(source, f"expected a JSON object or array, got {type(document).__name__}")


def _articles_from_records(
    records: Iterable[Any], source: str, path: str | None
) -> Iterator[RawArticle | Failure]:
    for index, record in enumerate(records):
        yield article_from_record(record, f"{source}[{index}]", path)


def _article_from_line(line: str, source: str, path: str | None) -> RawArticle | Failure:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Failure(source, f"invalid JSON: {error.msg} (column {error.colno})")
    except RecursionError:
        return Failure(source, TOO_DEEP)
    return article_from_record(record, source, path)


def article_from_record(record: Any, source: str, path: str | None = None) -> RawArticle | Failure:
    """A RawArticle from one decoded JSON object, or a Failure saying what is missing."""
    if not isinstance(record, dict):
        return Failure(source, f"expected a JSON object, got {type(record).__name__}")
    raw_text = _first_field(record, TEXT_FIELDS)
    if not isinstance(raw_text, str):
        return Failure(source, "no text field (expected one of: " + ", ".join(TEXT_FIELDS[:4]) + ")")
    text = normalise_text(html_fragment_to_text(raw_text) if looks_like_html(raw_text) else raw_text).strip()
    if not text:
        return Failure(source, "empty text")
    return RawArticle(
        article_id=article_id_for(text),
        text=text,
        path=path,
        url=clean_field(_first_field(record, URL_FIELDS)),
        title=clean_field(_first_field(record, TITLE_FIELDS)),
        outlet=clean_field(_first_field(record, OUTLET_FIELDS)),
        published=parse_published(_first_field(record, PUBLISHED_FIELDS)),
        source_format="jsonl",
    )


def _first_field(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None
