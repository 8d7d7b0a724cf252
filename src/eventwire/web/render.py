"""Turning query results into HTML: the Jinja2 environment (autoescaped), filters, and the
segmentation of article text around highlighted evidence sentences.

Stored URLs become links only through the `safe_url` filter (http and https only); every other
href in the templates is built from the application's own paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from eventwire.events.confidence import default_threshold
from eventwire.plots import QUAD_COLOURS, QUAD_NAMES
from eventwire.store.queries.rows import country_name


@dataclass
class Segment:
    """A run of article text, highlighted when it is evidence for events."""

    text: str
    start: int
    event_ids: list[str] = field(default_factory=list)

    @property
    def mark_id(self) -> str:
        return f"m{self.start}"


def text_segments(text: str, highlights: list[dict[str, Any]]) -> list[Segment]:
    """Split `text` into plain and highlighted runs; overlapping evidence spans are merged."""
    merged: list[dict[str, Any]] = []
    for span in sorted(highlights, key=lambda s: (s["start"], s["end"])):
        if merged and span["start"] < merged[-1]["end"]:
            last = merged[-1]
            last["end"] = max(last["end"], span["end"])
            last["event_ids"] += [e for e in span["event_ids"] if e not in last["event_ids"]]
        else:
            merged.append({"start": span["start"], "end": span["end"], "event_ids": list(span["event_ids"])})
    segments, cursor = [], 0
    for span in merged:
        if span["start"] > cursor:
            segments.append(Segment(text[cursor : span["start"]], cursor))
        segments.append(Segment(text[span["start"] : span["end"]], span["start"], span["event_ids"]))
        cursor = span["end"]
    if cursor < len(text):
        segments.append(Segment(text[cursor:], cursor))
    return segments


def first_marks(articles: list[dict[str, Any]]) -> dict[str, str]:
    """Event id → anchor of its first highlighted run among the articles shown (after `text_segments`)."""
    anchors: dict[str, str] = {}
    for article in articles:
        for run in article.get("segments", []):
            for event_id in run.event_ids:
                anchors.setdefault(event_id, f"a-{article['article_id']}-{run.mark_id}")
    return anchors


def segment(value: Any) -> str:
    """A value quoted for use as one URL path segment."""
    return quote(str(value), safe="")


#: The only URL schemes a stored URL may have to be rendered as a link.
LINK_SCHEMES = frozenset({"http", "https"})
#: What browsers ignore around (C0 controls and space) and inside (tab, CR, LF) a URL.
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_INSIDE = str.maketrans("", "", "\t\r\n")


def safe_url(value: Any) -> str | None:
    """`value` as an absolute http(s) URL fit for an href, or None for any other value or scheme
    (javascript:, data:, vbscript:, relative, …), judged as a browser would read it."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip(_URL_EDGES).translate(_URL_INSIDE))
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return None
    return urlunsplit(parts._replace(scheme=parts.scheme.lower()))


def actor_label(actor: dict[str, Any] | None) -> str:
    """`Name (RUS/GOV)` or the text as written."""
    if not actor:
        return "—"
    name = actor.get("name") or actor.get("text") or "?"
    tags = "/".join(t for t in (actor.get("country"), actor.get("sector")) if t)
    return f"{name} ({tags})" if tags else name


def article_title(article: dict[str, Any]) -> str:
    """An article's title, else the first words of its text (`lead`), else its id."""
    return article.get("title") or article.get("lead") or article["article_id"]


#: What a CAMEO actor sector names, as a noun after a country's name ("Russia's government").
SECTOR_NOUNS = {
    "GOV": "government",
    "MIL": "military",
    "REB": "rebels",
    "OPP": "opposition",
    "PTY": "political party",
    "ELI": "elite",
    "MED": "media",
    "COP": "police",
    "JUD": "judiciary",
    "LEG": "legislature",
    "BUS": "business",
    "CVL": "civilians",
    "IGO": "international organisation",
    "NGO": "non-governmental organisation",
    "SPY": "intelligence services",
    "EDU": "education",
    "LAB": "labour",
    "REF": "refugees",
    "HLH": "health",
    "AGR": "agriculture",
    "CRM": "criminals",
    "UAF": "armed group",
    "INS": "insurgents",
    "REL": "religious group",
    "HRI": "human-rights group",
    "SEP": "separatists",
    "RAD": "radicals",
    "ENV": "environmental group",
    "MNC": "multinational company",
}
#: Names a headline uses where ISO's (`country_name`) reads as a form ("Russian Federation").
SHORT_COUNTRY_NAMES = {"RUS": "Russia", "COD": "DR Congo", "PSE": "Palestine", "FSM": "Micronesia", "VAT": "Vatican"}
#: Words that CAMEO's labels add for coders, not readers.
_CAMEO_CODER_NOTES = (", not specified below",)


def actor_headline(actor: dict[str, Any] | None) -> str | None:
    """Who an actor is, for a headline: its resolved name ("Xi Jinping", "Russia"), else its country and
    sector ("Russia's government", "China"), else its sector ("Rebels"), else the text as written."""
    if not actor:
        return None
    if actor.get("name"):
        return actor["name"]
    code = actor.get("country")
    country = SHORT_COUNTRY_NAMES.get(code or "") or country_name(code) or code
    sector = SECTOR_NOUNS.get(actor.get("sector") or "", actor.get("sector"))
    if country and sector:
        return f"{country}'s {sector}"
    if country or sector:
        return country or sector.capitalize()
    return actor.get("text")


def event_type(event: dict[str, Any]) -> str:
    """An event's type in words: its CAMEO label without coder notes ("Consult"), else its PLOVER category."""
    label = event.get("cameo_label") or ""
    for note in _CAMEO_CODER_NOTES:
        label = label.removesuffix(note)
    return label or event["plover"].capitalize()


def event_headline(event: dict[str, Any]) -> list[str]:
    """The parts of an event's headline: who, what (the event type), to whom (left out when none)."""
    parts = [actor_headline(event.get("source")) or "Unknown actor", event_type(event)]
    target = actor_headline(event.get("target"))
    return parts + [target] if target else parts


def number(value: Any) -> str:
    """Integers with thousands separators."""
    return f"{value:,}" if isinstance(value, int) else str(value)


def signed(value: Any) -> str:
    """A Goldstein score: +3.4, −2.0."""
    return f"{value:+.1f}" if isinstance(value, int | float) else "—"


def probability(value: Any) -> str:
    """A confidence with two decimals: 0.68."""
    return f"{value:.2f}" if isinstance(value, int | float) else "—"


def url_with(path: str, params: dict[str, Any], **changes: Any) -> str:
    """`path` with the current query parameters updated (None removes one)."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


@cache
def environment() -> jinja2.Environment:
    """The template environment (created once per process; autoescaping on for every template)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("eventwire.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        seg=segment,
        safe_url=safe_url,
        actor=actor_label,
        article_title=article_title,
        headline=event_headline,
        number=number,
        signed=signed,
        country=country_name,
        probability=probability,
    )
    env.globals.update(
        quad_names=QUAD_NAMES, quad_colours=QUAD_COLOURS, url_with=url_with, default_min_confidence=default_threshold
    )
    return env


def json_twin(request: Request) -> str:
    """The /api URL answering the same question as this page."""
    path = request.url.path
    api_path = "/api/overview" if path == "/" else f"/api{path}"
    return f"{api_path}?{request.url.query}" if request.url.query else api_path


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page template with the common context (request, JSON twin, database name);
    `context` may override the common names (an error page passes `json_url=None`)."""
    common = {
        "request": request,
        "json_url": json_twin(request),
        "params": dict(request.query_params),
        "database": getattr(request.app.state, "db_label", ""),
    }
    html = environment().get_template(template).render({**common, **context})
    return HTMLResponse(html, status_code=status_code)
