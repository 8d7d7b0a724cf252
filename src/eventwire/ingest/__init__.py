"""Ingest: files, directories and standard input to RawArticles, with one Failure per bad input.

``read_inputs`` is the entry point. Formats are chosen by extension, else by content:
plain text (with the `` date YYYY-MM-DD [section] title`` header convention), HTML
(trafilatura), JSON Lines / JSON, and RSS/Atom feeds. Whatever goes wrong with one input
(missing, unreadable, empty, binary, undecodable, too large, no main text, a bad JSON line)
becomes a one-line ``Failure`` and the batch goes on; nothing raises out of ``read_inputs``.

A file that is not UTF-8 but reads plausibly as Windows-1252 is accepted; the article is
preceded by a ``Failure`` with stage ``"ingest-warning"`` saying so. A record kept despite a
bad field (a JSON ``published`` that is not a date, a ``title`` that is not a string) is
preceded the same way by a warning naming the record and the field.

Paths leave ``read_inputs`` as text that can always be printed and stored (`path_text`): a
file name that is not valid UTF-8 appears with ``\\xNN`` escapes in articles and failures.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import BinaryIO, TextIO

from eventwire.ingest.common import WARNING_STAGE, article_id_for
from eventwire.ingest.encoding import UnreadableInput, decode_bytes, fix_mojibake
from eventwire.ingest.feeds import parse_feed
from eventwire.ingest.files import (
    DEFAULT_MAX_BYTES,
    expand_path,
    format_for_path,
    path_text,
    read_file_bytes,
    read_stream_bytes,
    sniff_format,
)
from eventwire.ingest.html import parse_html
from eventwire.ingest.jsonl import parse_json, parse_json_lines
from eventwire.ingest.text import parse_plain_text
from eventwire.records import Failure, RawArticle

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN_SOURCE",
    "WARNING_STAGE",
    "article_id_for",
    "fix_mojibake",
    "parse_bytes",
    "path_text",
    "read_inputs",
]

#: How standard input is named in Failures.
STDIN_SOURCE = "<stdin>"

Item = RawArticle | Failure
_TEXT_PARSERS: dict[str, Callable[[str, str, str | None], Iterator[Item]]] = {
    "text": parse_plain_text,
    "html": parse_html,
    "json": parse_json,
    "jsonl": parse_json_lines,
}


def read_inputs(
    paths: Iterable[str],
    stdin: TextIO | BinaryIO | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawArticle | Failure]:
    """Articles and per-input Failures from files, directories (recursive, sorted) and "-" (stdin), in order.

    Files over ``max_bytes`` are refused unread. Never raises for a bad input; see the module docstring.
    """
    for item in _read_all(paths, stdin, max_bytes):
        yield _as_text(item)


def _read_all(
    paths: Iterable[str], stdin: TextIO | BinaryIO | None, max_bytes: int
) -> Iterator[RawArticle | Failure]:
    seen: set[tuple[int, int]] = set()
    for path in [paths] if isinstance(paths, str) else paths:
        if path == "-":
            yield from _guarded(STDIN_SOURCE, lambda: _read_stdin(stdin or sys.stdin, max_bytes))
            continue
        for found in _guarded(path, lambda path=path: expand_path(path, seen)):
            if isinstance(found, Failure):
                yield found
            else:
                yield from _guarded(found, lambda found=found: _read_file(found, max_bytes))


def _as_text(item: Item) -> Item:
    """An item whose paths print and store safely and whose failure message fits on one line."""
    if isinstance(item, Failure):
        message = " ".join(path_text(item.message).split())
        return Failure(path_text(item.source), message, item.stage)
    if item.path is None and item.origin is None:
        return item
    origin = path_text(item.origin) if item.origin is not None else None
    return replace(item, path=path_text(item.path) if item.path is not None else None, origin=origin)


def _guarded(source: str, produce: Callable[[], Iterator[Item | str]]) -> Iterator[Item | str]:
    """Run a reader; turn any unexpected error into a Failure so one input never stops the batch."""
    try:
        yield from produce()
    except Exception as error:  # the batch must survive any single input
        yield Failure(source, f"unexpected error: {type(error).__name__}: {error}")


def _read_file(path: str, max_bytes: int) -> Iterator[Item]:
    try:
        data = read_file_bytes(path, max_bytes)
    except UnreadableInput as problem:
        yield Failure(path, problem.message)
        return
    yield from parse_bytes(data, path, path=path)


def _read_stdin(stream: TextIO | BinaryIO, max_bytes: int) -> Iterator[Item]:
    try:
        data = read_stream_bytes(stream, max_bytes)
    except UnreadableInput as problem:
        yield Failure(STDIN_SOURCE, problem.message)
        return
    yield from parse_bytes(data, STDIN_SOURCE, path=None)


def parse_bytes(data: bytes, source: str, path: str | None = None, fmt: str | None = None) -> Iterator[Item]:
    """Articles (or Failures) from one input's bytes; the format comes from ``fmt``, the path, or sniffing."""
    try:
        decoded = decode_bytes(data)
    except UnreadableInput as problem:
        yield Failure(source, problem.message)
        return
    fmt = fmt or format_for_path(path) or sniff_format(decoded.text)
    if decoded.note:
        yield Failure(source, decoded.note, stage=WARNING_STAGE)
    if fmt == "feed":
        yield from parse_feed(data, source, path)
    else:
        yield from _TEXT_PARSERS[fmt](decoded.text, source, path)
