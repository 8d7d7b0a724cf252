"""Where an event happened: a place its own clause locates it in, else the one place its sentence
locates things in, else the article's dateline ('KYIV, May 3 (Reuters) -', 'lucknow:').

Place names are read by the actor resolver (curated places, countries, then the GeoNames cities),
with the event's actors' countries to settle names several cities share.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc, Span

from eventwire.nlp import ents_in
from eventwire.records import Location

#: Prepositions that place what their clause reports ('in Kyiv', 'outside the parliament').
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout"})
#: Entities a place may be tagged as ('in Hyderabad' is often an ORG to the parser); only names the
#: gazetteer can read with coordinates count.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})
#: A dateline: up to four words before ':', ' -', ' —', a '(Reuters)'-style credit or ', Month day'.
_DATELINE = re.compile(
    r"^\s*(?P<words>[A-Za-z][A-Za-z.'’\- ]{1,60}?)\s*"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?|[a-z]{3,9})\s+\d{1,2}\s*)?"
    r"(?:\((?:[A-Za-z]{2,10})\)\s*)?"
    r"(?::|\s[-–—]\s)"
)
_MAX_DATELINE_WORDS = 4


class PlaceReader(Protocol):
    """What reads a place name: the actor resolver."""

    def resolve_location(self, text: str, countries: Collection[str] = ()) -> Location | None: ...


def located(ents: Sequence[Span], read: PlaceReader, countries: Collection[str]) -> Location | None:
    """The first named place of `ents` that a locative preposition governs and that can be read."""
    for ent in ents:
        if ent.label_ in PLACE_LABELS and ent.root.dep_ == "pobj" and ent.root.head.lower_ in LOCATIVE_PREPS:
            place = read.resolve_location(ent.text, countries)
            if place is not None and place.lat is not None:
                return place
    return None


def sentence_place(sent: Span, read: PlaceReader, countries: Collection[str]) -> Location | None:
    """The place a sentence locates its happenings in, when it names exactly one."""
    places = {}
    for ent in ents_in(sent):
        place = located([ent], read, countries)
        if place is not None:
            places[(place.text, place.country)] = place
    return next(iter(places.values())) if len(places) == 1 else None


@dataclass(frozen=True)
class Dateline:
    """An article's opening dateline: the place it names and where it ends in the text."""

    place: Location
    end: int  # character offset just after the mark ('KYIV, May 3 (Reuters) -')


def find_dateline(doc: Doc, read: PlaceReader) -> Dateline | None:
    """The dateline an article's text opens with, if it names a known place.

    Bylines glued before it ('nilanjana bhaduri jha new delhi:') are skipped: the longest run of the
    last words before the mark that names a place is taken."""
    match = _DATELINE.match(doc.text[:120])
    if match is None:
        return None
    words = match.group("words").split()
    for size in range(min(_MAX_DATELINE_WORDS, len(words)), 0, -1):
        place = read.resolve_location(" ".join(words[-size:]))
        if place is not None and place.lat is not None:
            return Dateline(place, match.end())
    return None
