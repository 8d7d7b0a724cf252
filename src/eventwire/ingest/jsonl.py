"""JSON Lines (and JSON) articles: one object per line with id, url, outlet, title, published, text.

Common alternative field names are accepted (``doc_text``/``content``/``body`` for the text,
``date``/``date_publish`` for the date, ``headline`` for the title, ``link`` for the url,
``source``/``sitename`` for the outlet). Article ids are content hashes like every other
format, so two exports with overlapping ``id`` numbering cannot collide. A bad line is one
Failure naming ``file:line``; the rest of the file is still read. A ``.json`` file may also
hold a single object or an array of objects.

A record whose text field is not a string is rejected with a Failure naming the field. A
record with usable text is kept even when a metadata field is unusable (a ``published`` that
is an object or an impossible date such as 2023-13-45, a ``title`` that is a number): the
field is left empty and a warning (stage ``ingest-warning``) names the record and the field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from eventwire.ingest.common import (
    article_id_for,
    clean_field,
    field_warning,
    html_fragment_to_text,
    json_kind,
    looks_like_html,
    read_date,
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
    """Articles from JSON Lines text, one Failure per unusable line (warnings before a kept record)."""
    found_any = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found_any = True
        yield from _items_from_line(line, f"{source}:{number}", path)
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
        for index, record in enumerate(document):
            yield from items_from_record(record, f"{source}[{index}]", path)
    elif isinstance(document, dict):
        yield from items_from_record(document, source, path)
    else:
        yield Failure(source, f"expected a JSON object or array, got {json_kind(document)}")


def _items_from_line(line: str, source: str, path: str | None) -> list[RawArticle | Failure]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return [Failure(source, f"invalid JSON: {error.msg} (column {error.colno})")]
    except RecursionError:
        return [Failure(source, TOO_DEEP)]
    return items_from_record(record, source, path)


def items_from_record(record: Any, source: str, path: str | None = None) -> list[RawArticle | Failure]:
    """One decoded JSON record → [warnings..., RawArticle], or [Failure] saying why it is rejected."""
    if not isinstance(record, dict):
        return [Failure(source, f"expected a JSON object, got {json_kind(record)}")]
    text_field, raw_text = _first_field(record, TEXT_FIELDS)
    if text_field is None:
        return [Failure(source, "no text field (expected one of: " + ", ".join(TEXT_FIELDS[:4]) + ")")]
    if not isinstance(raw_text, str):
        return [Failure(source, f"field {text_field!r}: expected a string, got {json_kind(raw_text)}; record skipped")]
    text = normalise_text(html_fragment_to_text(raw_text) if looks_like_html(raw_text) else raw_text).strip()
    if not text:
        return [Failure(source, f"empty text (field {text_field!r})")]
    warnings: list[Failure] = []
    article = RawArticle(
        article_id=article_id_for(text),
        text=text,
        path=path,
        url=_string_field(record, URL_FIELDS, source, warnings),
        title=_string_field(record, TITLE_FIELDS, source, warnings),
        outlet=_string_field(record, OUTLET_FIELDS, source, warnings),
        published=_date_field(record, source, warnings),
        source_format="jsonl",
        origin=source,
    )
    return [*warnings, article]


def _first_field(record: dict[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    """The first of `names` the record fills (not null, not ""), with its value."""
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return name, value
    return None, None


def _string_field(
    record: dict[str, Any], names: tuple[str, ...], source: str, warnings: list[Failure]
) -> str | None:
    """A metadata string; another JSON type is left out with a warning (an object's "name" is taken)."""
    name, value = _first_field(record, names)
    if isinstance(value, dict) and isinstance(value.get("name"), str):  # {"source": {"id": .., "name": "Reuters"}}
        value = value["name"]
    if name is None or isinstance(value, str):
        return clean_field(value)
    warnings.append(field_warning(source, name, f"expected a string, got {json_kind(value)}", "left empty"))
    return None


def _date_field(record: dict[str, Any], source: str, warnings: list[Failure]) -> dt.date | None:
    """The publication date; a value that is not a usable date is left out with a warning."""
    name, value = _first_field(record, PUBLISHED_FIELDS)
    published, problem = read_date(value)
    if name is not None and problem is not None:
        warnings.append(field_warning(source, name, problem, "stored without a date"))
    return published
