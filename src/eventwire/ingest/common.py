"""Pieces shared by the ingest readers: article ids, publication dates, field warnings, HTML fragments to text."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from html import unescape

from eventwire.ingest.encoding import normalise_text
from eventwire.records import Failure

#: Stage of a Failure that accompanies a kept article (a fallback encoding, a bad field): not a rejection.
WARNING_STAGE = "ingest-warning"

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section")
_HTML_TAG = re.compile(r"<(?:p|div|br|span|a|b|i|em|strong|li|ul|h\d|img|blockquote)\b[^>]*>", re.I)


def article_id_for(text: str) -> str:
    """A stable id for an article: sha256 of its whitespace-normalised main text, 16 hex digits."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def parse_published(value: object) -> dt.date | None:
    """A publication date from an ISO date/datetime string, an RFC 2822 date, or a date object."""
    return read_date(value)[0]


def read_date(value: object) -> tuple[dt.date | None, str | None]:
    """`parse_published` with, for a value that is present but gives no date, why not (for a warning)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if not isinstance(value, str):
        return None, f"expected a date string, got {json_kind(value)}"
    match = _ISO_DATE.match(value)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups())), None
        except ValueError:
            return None, f"impossible date {shorten(value)!r}"
    try:
        return email.utils.parsedate_to_datetime(value.strip()).date(), None
    except (TypeError, ValueError, IndexError):
        return None, f"unrecognised date {shorten(value)!r}"


def field_warning(source: str, field: str, problem: str, outcome: str) -> Failure:
    """The warning for a record kept despite one bad field: ``a.jsonl:3: field 'published': ...; stored without it``."""
    return Failure(source, f"field {field!r}: {problem}; {outcome}", stage=WARNING_STAGE)


def json_kind(value: object) -> str:
    """How a decoded JSON value is described in messages: "a number", "an object", ..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


def shorten(text: str, limit: int = 40) -> str:
    """One line of at most `limit` characters (with an ellipsis when cut), for quoting values in messages."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def looks_like_html(text: str) -> bool:
    """True when a string carries HTML markup (as feed summaries and some JSON exports do)."""
    return bool(_HTML_TAG.search(text))


def html_fragment_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element, blank-line separated."""
    if not looks_like_html(fragment):
        return unescape(fragment).strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on hopeless markup
        return join_paragraphs(re.sub(r"<[^>]+>", " ", unescape(fragment)).split("\n"))
    for element in root.iter("script", "style", "noscript", "iframe"):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    return join_paragraphs(root.text_content().split("\n"))


def join_paragraphs(lines: list[str]) -> str:
    """Whitespace-normalised non-empty lines joined as blank-line separated paragraphs."""
    paragraphs = (" ".join(line.split()) for line in lines)
    return "\n\n".join(p for p in paragraphs if p)


def clean_field(value: object) -> str | None:
    """A metadata string (title, outlet, url) normalised (`normalise_text`) to one line."""
    if value is None:
        return None
    text = " ".join(normalise_text(str(value)).split())
    return text or None
