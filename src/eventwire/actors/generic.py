"""Generic actors named only by their role or group ("critics", "health experts", "Republicans").

The agent dictionaries (Phoenix's agents plus the KB's own table) cover most role nouns; this module
reads the ones they lack from `vocabulary.GENERIC_ROLE_NOUNS` and the party
nicknames that stand for one country's party (`vocabulary.PARTY_NICKNAMES`). The resolver consults it
after the knowledge base, so a nationality before the noun still gives the country ("Irish critics").
"""

from __future__ import annotations

from functools import cache

from eventwire.actors.kb import normalise
from eventwire.actors.vocabulary import GENERIC_ROLE_NOUNS, PARTY_NICKNAMES


@cache
def _role_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for sector, phrases in GENERIC_ROLE_NOUNS.items():
        for phrase in phrases:
            index.setdefault(normalise(phrase), sector)
    return index


def role_sector(key: str) -> str | None:
    """The sector of a generic role noun or group (a normalised lookup key), or None."""
    return _role_index().get(key)


def party_country(key: str) -> str | None:
    """The country whose party a capitalised nickname names ('republicans' -> USA), or None."""
    return PARTY_NICKNAMES.get(key)
