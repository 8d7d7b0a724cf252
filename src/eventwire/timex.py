"""Date expressions → dates with precision, normalised against the publication date.

Handles absolute dates ("May 24, 2023", "24 February 2022", "2022"), partial dates
resolved against the anchor ("February 21-22", "in February", "last September"),
and relative expressions ("on Wednesday", "since Monday", "yesterday", "last week",
"last year", "earlier this month"). Without an anchor (no publication date) only
expressions that state their year give a date: nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from eventwire.records import DatePrecision, DateValue

#: Weekday names (Monday first, as `date.weekday()`) and month names with their numbers: the one table of each.
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
#: Regex alternation of every month name, longest first.
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_YEAR = r"(1[89]\d\d|20\d\d)"

#: Turns one date pattern's match into a date, given the anchor date and the tense ("past" or "future").
DateFromMatch = Callable[[re.Match[str], dt.date | None, str], DateValue | None]


def _value(date: dt.date, precision: DatePrecision, text: str, method: str) -> DateValue:
    return DateValue(date=date, precision=precision, text=text, method=method)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_for_month(month: int, anchor: dt.date, tense: str) -> int:
    """The year of a month named without a year: the nearest one in the tense's direction."""
    if tense == "future":
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _year_for_day(month: int, day: int, anchor: dt.date, tense: str) -> int:
    year = _year_for_month(month, anchor, tense)
    candidate = _safe_date(year, month, day)
    if candidate and tense != "future" and candidate > anchor + dt.timedelta(days=7):
        year -= 1
    if candidate and tense == "future" and candidate < anchor - dt.timedelta(days=7):
        year += 1
    return year


def _day_month_year(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    g = m.groupdict()
    month = MONTHS[g["month"].lower()]
    day = int(g["day"])
    if g.get("year"):
        year = int(g["year"])
        method = "explicit"
    elif anchor:
        year = _year_for_day(month, day, anchor, tense)
        method = "relative"
    else:
        return None
    date = _safe_date(year, month, day)
    return _value(date, "day", m.group(0), method) if date else None


def _month_year(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    month = MONTHS[m.group("month").lower()]
    if m.group("year"):
        return _value(dt.date(int(m.group("year")), month, 1), "month", m.group(0), "explicit")
    if not anchor:
        return None
    lead = (m.group("lead") or "").lower()
    if lead == "last":
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif lead == "next":
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif lead == "this":
        year = anchor.year
    else:
        year = _year_for_month(month, anchor, tense)
    return _value(dt.date(year, month, 1), "month", m.group(0), "relative")


def _year_only(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    return _value(dt.date(int(m.group("year")), 1, 1), "year", m.group(0), "explicit")


def _weekday(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    if not anchor:
        return None
    target = WEEKDAYS.index(m.group("weekday").lower())
    lead = (m.group("lead") or "").lower()
    if lead == "next" or (tense == "future" and lead != "last"):
        delta = (target - anchor.weekday()) % 7 or (7 if lead == "next" else 0)
        return _value(anchor + dt.timedelta(days=delta), "day", m.group(0), "relative")
    delta = (anchor.weekday() - target) % 7
    if lead == "last" and delta == 0:
        delta = 7
    return _value(anchor - dt.timedelta(days=delta), "day", m.group(0), "relative")


def _relative_day(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    if not anchor:
        return None
    word = m.group("word").lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    return _value(anchor + dt.timedelta(days=offset), "day", m.group(0), "relative")


def _relative_period(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    """'last week', 'this month', 'earlier this year', 'last year', 'next month'."""
    if not anchor:
        return None
    lead = m.group("lead").lower()
    unit = m.group("unit").lower()
    step = -1 if lead in ("last", "past", "previous") else (1 if lead == "next" else 0)
    text = m.group(0)
    if unit == "week":
        # A week is reported with month precision: the date is the middle of that week.
        return _value(anchor + dt.timedelta(days=7 * step), "month", text, "relative")
    if unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 + step
        return _value(dt.date(month_index // 12, month_index % 12 + 1, 1), "month", text, "relative")
    return _value(dt.date(anchor.year + step, 1, 1), "year", text, "relative")


def _days_ago(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    if not anchor:
        return None
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "an": 1}
    raw = m.group("n").lower()
    n = int(raw) if raw.isdigit() else words.get(raw, 0)
    if not n:
        return None
    unit = m.group("unit").lower().rstrip("s")
    if unit == "day":
        return _value(anchor - dt.timedelta(days=n), "day", m.group(0), "relative")
    if unit == "week":
        return _value(anchor - dt.timedelta(days=7 * n), "month", m.group(0), "relative")
    month_index = anchor.year * 12 + anchor.month - 1 - n
    if unit == "month":
        return _value(dt.date(month_index // 12, month_index % 12 + 1, 1), "month", m.group(0), "relative")
    return _value(dt.date(anchor.year - n, 1, 1), "year", m.group(0), "relative")


def _iso(m: re.Match[str], anchor: dt.date | None, tense: str) -> DateValue | None:
    date = _safe_date(int(m.group("year")), int(m.group("m")), int(m.group("d")))
    return _value(date, "day", m.group(0), "explicit") if date else None


_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
PATTERNS: list[tuple[re.Pattern[str], DateFromMatch]] = [
    (re.compile(r"\b(?P<year>20\d\d|19\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _iso),
    (
        re.compile(
            rf"\b(?P<month>{MONTH_RE})\.? {_DAY}(?:\s*[-–]\s*[0-3]?\d)?(?:,? (?P<year>{_YEAR}))?\b", re.I
        ),
        _day_month_year,
    ),
    (
        re.compile(
            rf"\b{_DAY}(?:\s*[-–]\s*[0-3]?\d)? (?:of )?(?P<month>{MONTH_RE})\.?(?:,? (?P<year>{_YEAR}))?\b",
            re.I,
        ),
        _day_month_year,
    ),
    (re.compile(r"\b(?P<word>today|tonight|yesterday|tomorrow)\b", re.I), _relative_day),
    (
        re.compile(rf"\b(?:(?P<lead>last|next|this|on|since|past)\s+)?(?P<weekday>{_WEEKDAY_RE})\b", re.I),
        _weekday,
    ),
    (
        re.compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|a|an) (?P<unit>days?|weeks?|months?|years?) ago\b", re.I
        ),
        _days_ago,
    ),
    (
        re.compile(
            r"\b(?:earlier |later )?(?P<lead>last|this|next|past|previous) (?P<unit>week|month|year)\b", re.I
        ),
        _relative_period,
    ),
    (
        re.compile(
            rf"\b(?:(?P<lead>last|next|this|early|late|mid|in|since)[\s-]+)?"
            rf"(?P<month>{MONTH_RE})(?:,? (?P<year>{_YEAR}))?\b",
            re.I,
        ),
        _month_year,
    ),
    (re.compile(rf"\b(?:in |since |of )?(?P<year>{_YEAR})\b"), _year_only),
]


def resolve_expression(text: str, anchor: dt.date | None, tense: str = "past") -> DateValue | None:
    """Resolve one date expression against `anchor` (the publication date), or None.

    `tense` is "past" (default: news reports what happened) or "future" (intentions),
    which decides e.g. whether "on Friday" is the last or the next Friday.
    """
    for pattern, to_date in PATTERNS:
        match = pattern.search(text)
        if match:
            if (
                pattern is PATTERNS[-2][0]
                and match.group("month").lower() == "may"
                and not _looks_like_month(text, match)
            ):
                continue
            value = to_date(match, anchor, tense)
            if value is not None:
                return value
    return None


def _looks_like_month(text: str, match: re.Match[str]) -> bool:
    """'May' is a month only with a lead word, a year or a preposition before it (not the modal verb)."""
    if match.group("lead") or match.group("year"):
        return True
    before = text[: match.start()].rstrip().lower()
    return before.endswith(("in", "since", "of", "until", "by", "from", "early", "late", "mid"))


def publication_date(anchor: dt.date | None) -> DateValue:
    """The fallback date of an event stated without a date expression."""
    if anchor is None:
        return DateValue(date=None, precision="unknown", text=None, method="none")
    return DateValue(date=anchor, precision="day", text=None, method="publication")


PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def most_specific(values: list[DateValue]) -> DateValue | None:
    """The most precise of several resolved dates (first wins on ties)."""
    dated = [v for v in values if v.date is not None]
    if not dated:
        return None
    return max(dated, key=lambda v: PRECISION_RANK[v.precision])
