"""Pieces shared by the ingest readers: article ids, publication dates, HTML fragments to text."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from html import unescape

from eventwire.ingest.encoding import fix_mojibake

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section")
_HTML_TAG = re.compile(r"<(?:p|div|br|span|a|b|i|em|strong|li|ul|h\d|img|blockquote)\b[^>]*>", re.I)


def article_id_for(text: str) -> str:
    """A stable id for an article: sha256 of its whitespace-normalised main text, 16 hex digits."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def parse_published(value: object) -> dt.date | None:
    """A publication date from an ISO date/datetime string, an RFC 2822 date, or a date object."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO_DATE.match(value)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


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
    """A metadata string (title, outlet, url) with whitespace normalised and mojibake repaired."""
    if value is None:
        return None
    text = " ".join(fix_mojibake(str(value)).split())
    return text or None
