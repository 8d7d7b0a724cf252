"""Corpus readers for the benchmarks: real news articles as eventwire `RawArticle` records.

    load_corpus("../shared/data/corpora/indiapoliceevents_docs.jsonl", 300)   # JSON Lines
    load_corpus("reuters21578:/work/corpora/reuters21578", 10_000)            # Reuters-21578 SGML

Reuters-21578 (David D. Lewis; UCI KDD archive, free for research use) is 21,578 Reuters
newswire stories from 1987 in 22 SGML files ``reut2-000.sgm`` .. ``reut2-021.sgm``; 19,043
of them have a ``<BODY>``. Only those are read: title from ``<TITLE>``, publication date from
``<DATE>``, outlet "Reuters", and as text the dateline followed by the body, with the wire's
hard line wraps rejoined into paragraphs (separated by blank lines) and the closing "Reuter"
sign-off removed. Tables keep one line per row.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # eventwire is imported lazily, so scripts can set thread limits before numpy loads
    from eventwire.records import RawArticle

#: The default corpus of every benchmark: the Times of India articles beside the repository
#: (`../shared`, or where EVENTWIRE_SHARED points).
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
DEFAULT_CORPUS = SHARED / "data" / "corpora" / "indiapoliceevents_docs.jsonl"

REUTERS_PREFIX = "reuters21578:"
REUTERS_GLOB = "reut2-*.sgm"
REUTERS_OUTLET = "Reuters"

_DOCUMENT = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'\bNEWID="(\d+)"')
_DATE = re.compile(r"<DATE>\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_SIGN_OFF = re.compile(r"(?:\s*\bReuters?\b\.*)+\s*$", re.I)  # "Reuter", "REUTER...", sometimes twice


def _field(tag: str, document: str) -> str | None:
    """The decoded text of the first ``<tag>`` element in ``document``, or None if absent."""
    match = re.search(rf"<{tag}>(.*?)</{tag}>", document, re.S)
    return _decode(match.group(1)) if match else None


def _decode(sgml: str) -> str:
    """SGML text with entities (``&lt;``, ``&#3;``) resolved and control characters other than newline removed."""
    text = html.unescape(sgml).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or ch == "\t" or unicodedata.category(ch) != "Cc")


def _published(document: str) -> dt.date | None:
    """The story's date from ``<DATE>13-MAR-1987 15:05:02.92</DATE>``; None if missing or malformed."""
    from eventwire.timex import MONTHS

    match = _DATE.search(document)
    if not match or match.group(2).lower() not in MONTHS:
        return None
    day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _paragraphs(body: str) -> list[str]:
    """Wire copy as paragraphs: an indented line or one after a blank line starts a new one; others continue it."""
    paragraphs: list[list[str]] = []
    after_blank = True
    for line in body.split("\n"):
        if not line.strip():
            after_blank = True
            continue
        if after_blank or line[:1].isspace() or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
        after_blank = False
    return [" ".join(lines) for lines in paragraphs]


def _reuters_article(document: str, attributes: str, path: Path) -> RawArticle | None:
    """One RawArticle from a ``<REUTERS>`` element, or None when it has no (non-empty) ``<BODY>``."""
    from eventwire.ingest import article_id_for
    from eventwire.records import RawArticle

    body = _field("BODY", document)
    if body is None:
        return None
    paragraphs = _paragraphs(_SIGN_OFF.sub("", body))
    if not paragraphs:
        return None
    dateline = " ".join((_field("DATELINE", document) or "").split())
    if dateline:
        paragraphs[0] = f"{dateline} {paragraphs[0]}"
    title = " ".join((_field("TITLE", document) or "").split()) or None
    text = "\n\n".join(paragraphs)
    newid = _NEWID.search(attributes)
    return RawArticle(
        article_id=article_id_for(text),
        text=text,
        path=f"{path}#NEWID={newid.group(1)}" if newid else str(path),
        title=title,
        outlet=REUTERS_OUTLET,
        published=_published(document),
        source_format="reuters21578",
    )


def iter_reuters21578(directory: Path) -> Iterator[RawArticle]:
    """Every Reuters-21578 story with a body, in file order (``reut2-000.sgm`` first)."""
    files = sorted(directory.glob(REUTERS_GLOB))
    if not files:
        raise SystemExit(f"{directory}: no {REUTERS_GLOB} files (not a Reuters-21578 directory)")
    for path in files:
        sgml = path.read_text(encoding="latin-1")
        for match in _DOCUMENT.finditer(sgml):
            article = _reuters_article(match.group(2), match.group(1), path)
            if article is not None:
                yield article


def read_reuters21578(directory: Path, limit: int | None = None) -> list[RawArticle]:
    """Up to ``limit`` (all if None) Reuters-21578 stories with a body, as RawArticles."""
    return list(islice(iter_reuters21578(Path(directory)), limit))


def read_jsonl(path: Path, limit: int | None = None) -> list[RawArticle]:
    """Up to ``limit`` non-empty articles from a JSON Lines corpus (``{"text"}`` or ``{"doc_text"}`` per line)."""
    from eventwire.ingest import article_id_for
    from eventwire.records import RawArticle

    articles: list[RawArticle] = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(articles) >= limit:
                break
            obj = json.loads(line)
            text = obj.get("text") or obj.get("doc_text") or ""
            if text.strip():
                articles.append(RawArticle(article_id=article_id_for(text), text=text, path=str(path)))
    return articles


def load_corpus(spec: str | Path, limit: int | None = None) -> list[RawArticle]:
    """Articles from ``spec``: a ``.jsonl`` file, ``reuters21578:DIR``, or a directory holding ``reut2-*.sgm``.

    Exits with a one-line message (SystemExit) when the path does not exist or is not a known corpus.
    """
    spec = str(spec)
    reuters = spec.startswith(REUTERS_PREFIX)
    path = Path(spec.removeprefix(REUTERS_PREFIX)).expanduser()
    if not path.exists():
        raise SystemExit(f"{path}: corpus not found")
    if reuters or path.is_dir():
        return read_reuters21578(path, limit)
    if path.is_file():
        return read_jsonl(path, limit)
    raise SystemExit(f"{path}: not a corpus (expected a .jsonl file or a Reuters-21578 directory)")


def corpus_name(spec: str | Path) -> str:
    """A short name for reports: ``reuters21578`` or the JSON Lines file's name."""
    spec = str(spec)
    path = Path(spec.removeprefix(REUTERS_PREFIX))
    return "reuters21578" if spec.startswith(REUTERS_PREFIX) or path.is_dir() else path.name
