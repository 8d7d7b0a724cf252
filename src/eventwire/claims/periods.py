"""The period a figure refers to ("in 2022", "the first four months of this year"), as dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace

from eventwire.claims.figures import parse_number
from eventwire.records import Claim
from eventwire.timex import MONTH_RE, MONTHS

_MONTH = rf"(?:{MONTH_RE})\.?"  # the month table is shared with timex
_WHICH_YEAR = r"(?P<which>this year|the year|last year|the previous year|(?P<year>(?:19|20)\d\d))"
PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("first_months", re.compile(rf"\bthe first (?P<n>\w+) months of {_WHICH_YEAR}", re.I)),
    ("quarter", re.compile(rf"\bthe (?P<q>first|second|third|fourth) quarter of {_WHICH_YEAR}", re.I)),
    ("half", re.compile(rf"\bthe (?P<h>first|second) half of {_WHICH_YEAR}", re.I)),
    (
        "month_range",
        re.compile(
            rf"\b(?P<m1>{_MONTH})\s*(?:-|–|to|through|and)\s*(?P<m2>{_MONTH})(?:,?\s+(?P<year>(?:19|20)\d\d))?",
            re.I,
        ),
    ),
    (
        "to_date",
        re.compile(
            r"\b(?:so far this year|this year so far|year[- ]to[- ]date"
            r"|since the start of (?:the|this) year)",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(rf"\b(?:in|during|for|of) (?P<m1>{_MONTH})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I),
    ),
    (
        "year",
        re.compile(r"\b(?:in|during|for|of|by|since|until|through)\s+(?P<year>(?:19|20)\d\d)\b(?![-–]\d)", re.I),
    ),
    (
        "relative_year",
        re.compile(r"\b(?P<which>this year|last year|next year|the previous year|the current year)\b", re.I),
    ),
]
#: A period right after these words is the comparison base, not the period measured.
_BASE_BEFORE = re.compile(
    r"(?:same (?:period|time|months?|quarter)(?: of| in)?|compared (?:with|to)|from|than|versus|vs\.?"
    r"|over)\s*$",
    re.I,
)


def _year_of(match: re.Match[str], anchor: dt.date | None) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    which = (groups.get("which") or "").lower()
    if anchor is None:
        return None
    if which in ("last year", "the previous year"):
        return anchor.year - 1
    if which == "next year":
        return anchor.year + 1
    return anchor.year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _bounds(kind: str, match: re.Match[str], anchor: dt.date | None) -> tuple[dt.date, dt.date] | None:
    year = _year_of(match, anchor)
    if kind == "month_range" and year is None and anchor is not None:
        year = anchor.year
    if year is None:
        return None
    g = match.groupdict()
    if kind == "first_months":
        n = int(parse_number(g["n"]) or 0)
        return (dt.date(year, 1, 1), _month_end(year, n)) if 1 <= n <= 12 else None
    if kind == "quarter":
        q = ["first", "second", "third", "fourth"].index(g["q"].lower())
        return dt.date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3)
    if kind == "half":
        h = ["first", "second"].index(g["h"].lower())
        return dt.date(year, 6 * h + 1, 1), _month_end(year, 6 * h + 6)
    if kind in ("month_range", "month"):
        m1 = MONTHS[g["m1"].lower().rstrip(".")]
        m2 = MONTHS[g["m2"].lower().rstrip(".")] if g.get("m2") else m1
        return dt.date(year, m1, 1), _month_end(year, m2)
    if kind == "to_date":
        return (dt.date(anchor.year, 1, 1), anchor) if anchor else None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def find_period(sentence: str, figure_at: int) -> tuple[str, str] | None:
    """(kind, text) of the period a figure refers to: the nearest period expression that is not a base."""
    found: list[tuple[int, int, str, str]] = []
    for kind, pattern in PERIOD_PATTERNS:
        for m in pattern.finditer(sentence):
            if _BASE_BEFORE.search(sentence[: m.start()]):
                continue
            if any(m.start() < end and start < m.end() for start, end, _, _ in found):
                continue  # inside a more specific expression already found
            found.append((m.start(), m.end(), kind, m.group(0).strip()))
    if not found:
        return None
    _, _, kind, text = min(found, key=lambda f: min(abs(f[0] - figure_at), abs(f[1] - figure_at)))
    return kind, text


def resolve_period(kind: str, text: str, anchor: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Dates of a period expression found by `find_period`, against the anchor date."""
    pattern = dict(PERIOD_PATTERNS)[kind]
    match = pattern.search(text)
    return _bounds(kind, match, anchor) if match else None


def period_of_text(text: str, anchor: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Dates of a period text such as 'the first four months of this year' (None if unknown)."""
    found = find_period(text, 0)
    return resolve_period(found[0], found[1], anchor) if found else None


def period_kind(text: str) -> str | None:
    """The kind of a period text `find_period` returned: the pattern matching most of it from its start."""
    matches = [(m.end(), -i, kind) for i, (kind, pattern) in enumerate(PERIOD_PATTERNS) if (m := pattern.match(text))]
    return max(matches)[2] if matches else None


def resolve_claim_period(claim: Claim, anchor: dt.date | None) -> Claim:
    """A copy of a claim with its period dates resolved from its period text against `anchor`.

    The dates are those extraction with that anchor gives (`resolve_period` of the same kind and
    text), so an undated article's claims take its inferred date, or lose an earlier one, without
    the article being parsed again.
    """
    kind = period_kind(claim.period_text) if claim.period_text else None
    if kind is None or claim.period_text is None:
        return claim
    bounds = resolve_period(kind, claim.period_text, anchor)
    return replace(claim, period_start=bounds[0] if bounds else None, period_end=bounds[1] if bounds else None)
