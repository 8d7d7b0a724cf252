"""Which claims are compared (same subject, period, kind, change-or-level, unit and scope) and whether
their figures agree within their rounding and wording ("about", "nearly", "more than")."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from eventwire.claims.figures import APPROX_WORDS, NUMBER_PATTERN, parse_number
from eventwire.records import Claim

#: What a stored claim group is judged to be.
GroupStatus = Literal["single", "agree", "disagree"]

_QUALIFIER = re.compile(rf"^\s*(?P<q>{APPROX_WORDS})\s+", re.I)
_DIGITS = re.compile(NUMBER_PATTERN)
QUALIFIER_KIND = {
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "nearly": "below",
    "almost": "below",
    "close to": "below",
    "just under": "below",
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "above",
    "just over": "above",
    "upwards of": "above",
    "in excess of": "above",
    "less than": "under",
    "fewer than": "under",
    "under": "under",
    "below": "under",
    "at most": "under",
    "up to": "under",
}


@dataclass
class FigureRange:
    """A claim's figure as a range of values it is consistent with."""

    claim: Claim
    low: float
    high: float
    number: str
    qualifier: str | None

    @property
    def width(self) -> float:
        return self.high - self.low


def _rounding(number: str, scale: float) -> tuple[float, float]:
    """Half a unit of the last written digit, and of the last non-zero digit (for 'about 70')."""
    digits = number.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    exact = 0.5 * 10 ** (-decimals) * scale
    if decimals:
        return exact, exact
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped) if stripped else 0
    return exact, 0.5 * 10**zeros * scale


def figure_range(claim: Claim) -> FigureRange:
    """The range of true values a figure's wording allows."""
    q = _QUALIFIER.match(claim.text)
    qualifier = QUALIFIER_KIND.get(q.group("q").lower()) if q else None
    number_match = _DIGITS.search(claim.text)
    number = number_match.group(0) if number_match else str(abs(claim.value))
    written = parse_number(number) or abs(claim.value) or 1.0
    scale = abs(claim.value) / written if written else 1.0
    exact, loose = _rounding(number, scale)
    value = abs(claim.value)
    low, high = value - exact, value + exact
    if qualifier == "about":
        spread = max(exact, min(loose, 0.05 * value))
        low, high = value - spread, value + spread
    elif qualifier == "below":
        low = value - max(exact, 0.05 * value)
    elif qualifier == "above":
        high = value + max(exact, min(2 * loose, 0.25 * value))
    elif qualifier == "under":
        low = value - max(exact, 0.25 * value)
    if claim.value < 0:
        low, high = -high, -low
    return FigureRange(claim, low, high, number, qualifier)


def _describe(a: FigureRange, b: FigureRange) -> str:
    base = min(abs(a.claim.value), abs(b.claim.value)) or 1.0
    diff = abs(a.claim.value - b.claim.value) / base * 100
    return f"{a.number} vs {b.number}: differ by {diff:.1f}%"


def _judge(ranges: list[FigureRange]) -> tuple[Literal["agree", "disagree"], str]:
    """Agree when one value fits every figure's range; else name the most precise figure's conflict."""
    if max(r.low for r in ranges) <= min(r.high for r in ranges):
        if len({r.claim.value for r in ranges}) == 1:
            wordings = ", ".join(sorted({f"'{r.claim.text}'" for r in ranges}))
            return "agree", f"all {len(ranges)} report {ranges[0].number} ({wordings})"
        spread = sorted(ranges, key=lambda r: r.width)
        return "agree", f"{_describe(spread[0], spread[-1])}, within rounding of '{spread[-1].claim.text}'"
    reference = min(ranges, key=lambda r: r.width)
    conflicts = [r for r in ranges if r.low > reference.high or r.high < reference.low]
    if not conflicts:
        conflicts = [max(ranges, key=lambda r: abs(r.claim.value - reference.claim.value))]
    other = max(conflicts, key=lambda r: abs(r.claim.value - reference.claim.value))
    return "disagree", f"{_describe(reference, other)}, beyond rounding of '{other.claim.text}'"


def judge_group(members: Sequence[Claim]) -> tuple[GroupStatus, str]:
    """Status and note of one claim group: 'single' for a lone figure, else whether the figures agree."""
    if len(members) < 2:
        return "single", "single report"
    return _judge([figure_range(claim) for claim in members])


def claim_group_id(claim: Claim, story_of: dict[str, str]) -> str | None:
    """Stable id of the group a claim is compared in (None: not compared, e.g. no subject, or a conversion).

    Claims with the same subject, period, kind, change-or-level and unit share a group. Counts, and
    measures without countries, are only compared within a story (`story_of`: article id to story id;
    an article in no story is a scope of its own); measures between countries across the corpus.
    """
    key = _group_key(claim, story_of)
    if key is None:
        return None
    return hashlib.sha1("|".join(str(part) for part in key).encode("utf-8")).hexdigest()[:12]


def _group_key(claim: Claim, story_of: dict[str, str]) -> tuple[object, ...] | None:
    if claim.subject is None or claim.converted_from is not None:
        return None
    story_bound = claim.kind == "count" or "|" not in claim.subject
    scope = story_of.get(claim.article_id, claim.article_id) if story_bound else None
    return claim.subject, _period_key(claim), claim.kind, claim.is_change, claim.unit, scope


def _period_key(claim: Claim) -> str | None:
    if claim.period_start and claim.period_end:
        return f"{claim.period_start.isoformat()}..{claim.period_end.isoformat()}"
    return f"text:{claim.period_text.lower()}" if claim.period_text else None
