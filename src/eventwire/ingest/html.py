"""HTML pages: main text, title, date and outlet through trafilatura, from the page's own bytes only.

trafilatura is given the markup (never a URL), so nothing is fetched. The page's canonical
URL, when it declares one, is kept as metadata. Broken markup is recovered as far as lxml and
trafilatura can; a page with no recoverable main text is a Failure.

What trafilatura leaves out is not lost: the page's visible text lines (one per block
element) that are not in the main text are handed on as ``RawArticle.removed``, named after
the part of the page they came from ("html-navigation", "html-cookie-banner", "html-related",
"html-comments", "html-footer", ... or "html-boilerplate"), so cleaning records them with its own removals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from eventwire.ingest.common import article_id_for, clean_field, join_paragraphs, parse_published
from eventwire.records import Failure, RawArticle, RemovedLine


def parse_html(text: str, source: str, path: str | None = None) -> Iterator[RawArticle | Failure]:
    """One article from an HTML page, or a Failure when no main text can be found."""
    document = extract_document(text)
    body = join_paragraphs((document.get("text") or "").split("\n")) if document else ""
    if not body:
        yield Failure(source, "no main text found in HTML")
        return
    yield RawArticle(
        article_id=article_id_for(body),
        text=body,
        path=path,
        url=clean_field(document.get("url")),
        title=clean_field(document.get("title")),
        outlet=clean_field(document.get("sitename") or document.get("hostname")),
        published=parse_published(document.get("date")),
        source_format="html",
        removed=dropped_lines(text, body, document.get("title")),
    )


def extract_document(markup: str) -> dict[str, Any] | None:
    """trafilatura's main-text extraction with metadata, as a dict (None when nothing is found)."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except (ValueError, TypeError, AttributeError):  # hopeless markup
        return None
    return document.as_dict() if document is not None else None


# --- what the extraction left out -------------------------------------------------------------

#: Elements whose text is never shown as page text.
_INVISIBLE_TAGS = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object"})
#: Elements that start and end a line of visible text.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "label", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre",
        "section", "select", "summary", "table", "td", "textarea", "th", "tr", "ul",
    }
)
#: Page regions by element name, and by words in an element's class, id, role or aria-label.
_REGION_BY_TAG = {"nav": "html-navigation", "header": "html-header", "footer": "html-footer", "aside": "html-aside"}
_REGION_BY_NAME = (
    ("html-byline", re.compile(r"byline|author|dateline|timestamp|published")),
    ("html-cookie-banner", re.compile(r"cookie|consent|gdpr|privacy-banner")),
    ("html-related", re.compile(r"related|recommend|more-?stories|read-?more|also-?read|trending|most-?read")),
    ("html-comments", re.compile(r"comment|reply|respond|disqus")),
    ("html-share", re.compile(r"share|social|follow")),
    ("html-ad", re.compile(r"\b(ad|ads|advert\w*|sponsor\w*|promo\w*)\b")),
    ("html-newsletter", re.compile(r"newsletter|subscribe|signup|paywall")),
    ("html-navigation", re.compile(r"\bnav\w*|menu|breadcrumb|navigation")),
    ("html-header", re.compile(r"masthead|\bheader\b|topbar")),
    ("html-footer", re.compile(r"\bfooter\b|colophon|copyright")),
)
_NON_WORD = re.compile(r"\W+")
#: A visible line this many words long is in the main text when it appears anywhere in it.
_MIN_WORDS_FOR_PARTIAL_MATCH = 4


def dropped_lines(markup: str, main_text: str, title: str | None = None) -> list[RemovedLine]:
    """The page's visible text lines that are not in ``main_text`` (nor the title), in page order."""
    paragraphs = {_key(line) for line in main_text.split("\n")}
    whole = f" {_key(main_text)} "
    skip = {_key(title or "")}
    dropped = []
    for text, rule in visible_lines(markup):
        key = _key(text)
        if not key or key in paragraphs or key in skip:
            continue
        if len(key.split()) >= _MIN_WORDS_FOR_PARTIAL_MATCH and f" {key} " in whole:
            continue
        dropped.append(RemovedLine(text, rule))
    return dropped


def visible_lines(markup: str) -> list[tuple[str, str]]:
    """The page's visible text, one line per block element, each with the region rule of where it is."""
    from lxml import etree
    from trafilatura.utils import load_html

    try:
        tree = load_html(markup)
    except (ValueError, TypeError):
        return []
    if tree is None:
        return []
    lines: list[tuple[str, str]] = []
    pending: list[str] = []
    rules = ["html-boilerplate"]

    def flush() -> None:
        text = " ".join(" ".join(pending).split())
        pending.clear()
        if text:
            lines.append((text, rules[-1]))

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        visible = bool(tag) and tag not in _INVISIBLE_TAGS
        if event == "start":
            if not visible:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            rules.append(_region_rule(element, tag) or rules[-1])
            pending.append(element.text or "")
            continue
        if visible:
            if tag in _BLOCK_TAGS:
                flush()
            rules.pop()
        pending.append(element.tail or "")
    flush()
    return lines


def _region_rule(element: Any, tag: str) -> str | None:
    names = " ".join(str(element.get(attribute) or "") for attribute in ("class", "id", "role", "aria-label"))
    names = names.lower().replace("_", "-")
    for rule, pattern in _REGION_BY_NAME:
        if pattern.search(names):
            return rule
    return _REGION_BY_TAG.get(tag)


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().casefold()
