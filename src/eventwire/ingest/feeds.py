"""RSS and Atom feeds read from files: each entry is an article.

The entry's full content (or else its summary) becomes the text, with HTML stripped; the
feed's title is the outlet. feedparser is handed the bytes as a stream, so it never opens a
URL or a path. An entry with no text is a Failure naming ``file[entry N]``; a feed none of whose
entries has text, when it is broken XML or has several entries, is a single Failure naming the file.
An entry whose date cannot be read is kept without a date, after a warning naming the entry.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

from eventwire.ingest.common import article_id_for, clean_field, field_warning, html_fragment_to_text, read_date
from eventwire.ingest.encoding import normalise_text
from eventwire.records import Failure, RawArticle


def parse_feed(data: bytes, source: str, path: str | None = None) -> Iterator[RawArticle | Failure]:
    """Articles from the entries of an RSS/Atom document."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(_without_impossible_references(data)))
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable RSS/Atom feed ({problem})" if problem else "feed has no entries"
        yield Failure(source, reason)
        return
    outlet = clean_field(parsed.feed.get("title"))
    items = [
        _items_from_entry(entry, outlet, f"{source}[entry {number}]", path)
        for number, entry in enumerate(parsed.entries, start=1)
    ]
    problem = parsed.get("bozo_exception")
    if (len(items) > 1 or problem) and all(isinstance(item[-1], Failure) for item in items):
        yield Failure(source, _no_text_reason(len(items), problem))
        return
    for entry_items in items:
        yield from entry_items


_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _without_impossible_references(data: bytes) -> bytes:
    """Numeric character references to no character (&#x110000;, a surrogate, NUL) as U+FFFD: the feed
    parser raises on them, which would lose every entry of the feed."""

    def repair(match: re.Match[bytes]) -> bytes:
        hex_digits, digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        return b"&#xFFFD;" if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else match.group(0)

    return _CHARACTER_REFERENCE.sub(repair, data)


def _no_text_reason(entries: int, problem: object) -> str:
    """One line for a feed none of whose entries has text (often broken XML), instead of one per entry."""
    reason = f"no feed entry has text ({entries} {'entry' if entries == 1 else 'entries'})"
    return f"{reason} (broken feed: {problem})" if problem else reason


def _items_from_entry(entry: Any, outlet: str | None, source: str, path: str | None) -> list[RawArticle | Failure]:
    """[warnings..., the entry's article], or [Failure] when it has no text."""
    text = normalise_text(html_fragment_to_text(_entry_markup(entry))).strip()
    if not text:
        return [Failure(source, "feed entry has no text (no content or summary)")]
    published, problem = _entry_date(entry)
    warnings = [field_warning(source, "published", problem, "stored without a date")] if problem else []
    article = RawArticle(
        article_id=article_id_for(text),
        text=text,
        path=path,
        url=clean_field(entry.get("link")),
        title=clean_field(html_fragment_to_text(entry.get("title", ""))),
        outlet=outlet,
        published=published,
        source_format="feed",
        origin=source,
    )
    return [*warnings, article]


def _entry_markup(entry: Any) -> str:
    contents = [part.get("value", "") for part in entry.get("content", []) if part.get("value")]
    if contents:
        return "\n".join(contents)
    return entry.get("summary", "") or ""


def _entry_date(entry: Any) -> tuple[dt.date | None, str | None]:
    """The entry's date (feedparser's parse first) and, when it has one that cannot be read, why."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday), None
    return read_date(entry.get("published") or entry.get("updated"))
