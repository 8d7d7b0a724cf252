"""Plain-text articles: the ` date YYYY-MM-DD [section] title` header convention, or a bare text.

With a header line, it gives the publication date and the title (an optional leading section
name such as "World" or "Middle East" is dropped; an empty title stays None). Without one,
the first non-empty line is the title when it reads like a headline (short, no final full
stop) and is then left out of the body; otherwise there is no title and the line stays in the
body. Publication date is unknown (None) without a header.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from eventwire.ingest.common import article_id_for
from eventwire.records import Failure, RawArticle

_HEADER = re.compile(r"^[ \t]?date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+(.*?))?[ \t]*$")
#: Names news sites use for their sections; only dropped when a capitalised title follows.
SECTION_NAMES = frozenset(
    {
        "world", "world news", "international", "asia", "asia-pacific", "asia pacific", "europe",
        "africa", "americas", "latin america", "north america", "middle east", "mideast", "oceania",
        "pacific", "politics", "business", "economy", "markets", "finance", "opinion", "analysis",
        "sport", "sports", "culture", "science", "tech", "technology", "health", "environment",
        "climate", "defence", "defense", "diplomacy", "security", "national", "regional", "news",
        "breaking news", "latest", "top stories", "international news", "world politics",
    }
)
#: A section-like word followed by one of these starts a name ("World Bank ..."), not a title.
_NAME_CONTINUATIONS = frozenset(
    {
        "bank", "cup", "health", "trade", "food", "war", "economic", "court", "union", "council", "series",
        "championship", "championships", "league", "day", "summit", "forum", "games", "corps", "command",
        "times", "post", "news", "journal",
    }
)
_MAX_SECTION_WORDS = 3
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30


def parse_plain_text(text: str, source: str, path: str | None = None) -> Iterator[RawArticle | Failure]:
    """One article from a plain-text document (header convention or bare text)."""
    lines = text.split("\n")
    header = _HEADER.match(lines[0]) if lines else None
    if header:
        published = _parse_header_date(header.group(1))
        title = title_without_section(header.group(2) or "")
        body_lines = lines[1:]
    else:
        published = None
        title, body_lines = _title_from_first_line(lines)
    body = "\n".join(body_lines).strip()
    if not body:
        yield Failure(source, "no article text (only a header or title)")
        return
    yield RawArticle(
        article_id=article_id_for(body),
        text=body,
        path=path,
        title=title,
        published=published,
        source_format="text",
    )


def _parse_header_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def title_without_section(rest: str) -> str | None:
    """The title part of a header's remainder, after dropping a leading section name if there is one."""
    words = rest.split()
    if not words:
        return None
    for size in range(min(_MAX_SECTION_WORDS, len(words) - 1), 0, -1):
        candidate = " ".join(words[:size]).lower()
        following = words[size]
        if candidate in SECTION_NAMES and _starts_title(following):
            return " ".join(words[size:])
    joined = " ".join(words)
    return None if joined.lower() in SECTION_NAMES else joined


def _starts_title(word: str) -> bool:
    first = word.lstrip("“\"‘'«(")
    capitalised = bool(first) and (first[0].isupper() or first[0].isdigit())
    return capitalised and first.lower() not in _NAME_CONTINUATIONS


def _title_from_first_line(lines: list[str]) -> tuple[str | None, list[str]]:
    for index, line in enumerate(lines):
        if line.strip():
            if is_headline_like(line):
                return " ".join(line.split()), lines[index + 1 :]
            return None, lines[index:]
    return None, []


def is_headline_like(line: str) -> bool:
    """Short, one line, and not ending with a full stop: how titles look."""
    stripped = line.strip()
    return (
        len(stripped) <= _HEADLINE_MAX_CHARS
        and len(stripped.split()) <= _HEADLINE_MAX_WORDS
        and not stripped.endswith((".", ":", ";", ","))
    )
