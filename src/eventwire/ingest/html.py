"""HTML pages: main text, title, date and outlet through trafilatura, from the page's own bytes only.

trafilatura is given the markup (never a URL), so nothing is fetched. The page's canonical
URL, when it declares one, is kept as metadata. Broken markup is recovered as far as lxml and
trafilatura can; a page with no recoverable main text is a Failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventwire.ingest.common import article_id_for, clean_field, join_paragraphs, parse_published
from eventwire.records import Failure, RawArticle


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
