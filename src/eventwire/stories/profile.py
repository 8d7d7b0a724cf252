"""What an article contributes to story similarity: text terms, actors, dyads, places and event dates.

A profile is computed once per article from its `ArticleResult`. Actor and dyad
weights count how often (and how centrally) an actor or a who-did-what-to-whom pair
appears among the article's events, then are scaled by how rare that key is in the
stream so far (like IDF for words), so "China" or "Putin" matters less than a
participant only this story has.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from eventwire.records import ArticleResult, Event
from eventwire.stories.keys import (
    STATED_DATE_METHODS,
    actor_key,
    date_interval,
    dyad_key,
    is_country_key,
    normalise_name,
)
from eventwire.stories.text import Vector, top_terms, unit, weighted_keys

Interval = tuple[dt.date, dt.date]


@dataclass
class ArticleProfile:
    """Similarity features of one article."""

    article_id: str
    order: int
    published: dt.date | None
    effective: dt.date | None  # publication date, or the neighbours' when undated
    outlet: str | None
    title: str | None
    terms: Vector
    actors: dict[str, float] = field(default_factory=dict)
    dyads: dict[str, float] = field(default_factory=dict)
    dates: list[Interval] = field(default_factory=list)
    headline: Vector = field(default_factory=dict)  # the title's terms (empty without a title)

    @property
    def dated(self) -> bool:
        return self.published is not None

    def blocking_keys(self, n_terms: int) -> list[str]:
        """Keys used to find candidate stories: strongest terms, named actors, dyads."""
        keys = [f"t{t}" for t in top_terms(self.terms, n_terms)]
        keys += [f"a{k}" for k in self.actors if not is_country_key(k)]
        keys += [f"d{k}" for k in self.dyads]
        return keys


class KeyFrequencies:
    """How many articles so far mention each actor, place or dyad key."""

    def __init__(self) -> None:
        self.documents = 0
        self._df: Counter[str] = Counter()

    def weigh(self, counts: dict[str, float]) -> dict[str, float]:
        """Count the keys as seen in one more article; return IDF-scaled, unit-normalised weights."""
        self.documents += 1
        self._df.update(counts.keys())
        n = self.documents
        return unit({k: c * (math.log((1.0 + n) / (1.0 + self._df[k])) + 1.0) for k, c in counts.items()})


def event_weight(event: Event) -> float:
    """Main-clause events describe the article's subject more than background ones."""
    weight = 1.0 + (0.5 if event.is_main else 0.0)
    return weight * (0.5 if event.date.method == "background" else 1.0)


def actor_counts(events: list[Event]) -> dict[str, float]:
    """Weighted mentions of named actors and of places (whole countries say little about a story)."""
    items: list[tuple[str, float]] = []
    for event in events:
        weight = event_weight(event)
        for ref in (event.source, event.target):
            key = actor_key(ref)
            if key and not is_country_key(key):
                items.append((key, weight))
        if event.location is not None:
            place = event.location.country or normalise_name(event.location.text)
            items.append((f"place:{place}", 0.5 * weight))
    return weighted_keys(items)


def dyad_counts(events: list[Event]) -> dict[str, float]:
    """Weighted who-did-what-to-whom keys with at least one named actor (country pairs are too common)."""
    return weighted_keys((key, event_weight(e)) for e in events if (key := dyad_key(e)) and _named_dyad(key))


def _named_dyad(key: str) -> bool:
    source, target, _ = key.split("|")
    return not (is_country_key(source) and is_country_key(target))


def stated_dates(events: list[Event]) -> list[Interval]:
    """Day-precise dates stated in the text for non-background events."""
    out = []
    for event in events:
        if event.date.method in STATED_DATE_METHODS and event.date.precision == "day":
            interval = date_interval(event.date)
            if interval:
                out.append(interval)
    return out


def _weigh(frequencies: KeyFrequencies, counts: dict[str, float]) -> dict[str, float]:
    return frequencies.weigh(counts) if counts else {}


def build_profile(
    result: ArticleResult,
    order: int,
    effective: dt.date | None,
    terms: Vector,
    actor_df: KeyFrequencies,
    dyad_df: KeyFrequencies,
    headline: Vector | None = None,
) -> ArticleProfile:
    """The profile of one article, updating the stream's key frequencies."""
    article = result.article
    events = result.events
    return ArticleProfile(
        article_id=article.article_id,
        order=order,
        published=article.published,
        effective=effective,
        outlet=article.outlet,
        title=article.title,
        terms=terms,
        actors=_weigh(actor_df, actor_counts(events)),
        dyads=_weigh(dyad_df, dyad_counts(events)),
        dates=stated_dates(events),
        headline=headline or {},
    )
