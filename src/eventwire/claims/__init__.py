"""Claims and quotes: figures stated in articles, what they measure, and who said them.

`extract_claims` finds money amounts (with ISO 4217 currency), percentages and
changes, and counts of people or things in a parsed article; for each it finds what
is measured (the clause subject or the noun the figure modifies, e.g. "trade"), the
countries involved (named in the sentence, else the article's main country dyad),
the period ("in 2022", "in the first four months of this year") resolved against the
publication date or a given anchor, and the attributed speaker ("according to X",
"X said"). A bracketed conversion right after an amount ("(991.2 billion reais)") is
linked to it. Direct quotations are returned with their speakers.

`claim_group_id` names the group a claim is compared in (same subject, period and
kind, across articles) and `judge_group` says whether a group's figures agree within
their rounding and wording ("about", "nearly", "more than"); the corpus stage stores both.

Modules: `figures` (numbers in a sentence), `measures` (what is measured, countries),
`periods`, `speakers`, `quotes`, `extract` (the Claim and Quote records), `grouping`
(comparison across articles) and `vocabulary` (word lists).
"""

from eventwire.claims.extract import extract_claims, extract_quotes
from eventwire.claims.figures import Figure, currency_code, parse_number
from eventwire.claims.grouping import FigureRange, GroupStatus, claim_group_id, figure_range, judge_group
from eventwire.claims.periods import find_period, period_of_text, resolve_claim_period, resolve_period
from eventwire.claims.quotes import quote_spans
from eventwire.claims.vocabulary import ActorLookup

__all__ = [
    "Figure",
    "FigureRange",
    "GroupStatus",
    "ActorLookup",
    "claim_group_id",
    "currency_code",
    "extract_claims",
    "extract_quotes",
    "figure_range",
    "find_period",
    "judge_group",
    "parse_number",
    "period_of_text",
    "quote_spans",
    "resolve_claim_period",
    "resolve_period",
]
