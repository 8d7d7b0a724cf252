"""Spelling-insensitive lookup of known people: an unknown name spelled like a known person's
("Mikhail Michoustin", a family name as written) resolves to that person when the match is clear.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz, process

from eventwire.actors.kb import (
    Actor,
    KnowledgeBase,
    normalise,
    translit_key,
)
from eventwire.actors.vocabulary import FAMILY_NAME_FIRST, FUZZY_FULL_CUTOFF, FUZZY_SURNAME_CUTOFF, STOP_KEYS


def _family_name_keys(row: dict[str, Any]) -> list[str]:
    """Family names of a person row: the last word, or the first for family-name-first names, and
    any one-word alias ("Putin")."""
    words = normalise(row["name"]).split()
    if len(words) < 2:
        return words
    family_first = any(role[0] in FAMILY_NAME_FIRST for role in row.get("roles", ()))
    keys = [words[0] if family_first else words[-1]]
    keys += [alias for alias in row.get("aliases", ()) if " " not in alias]
    return [k for k in dict.fromkeys(keys) if len(k) >= 3 and k not in STOP_KEYS]


def _most_prominent(actors: list[Actor]) -> Actor | None:
    """The clearly better-documented of same-named people (more names and roles on record), if any."""
    ranked = sorted(actors, key=lambda a: len(a.aliases) + len(a.roles), reverse=True)
    first, second = (len(a.aliases) + len(a.roles) for a in ranked[:2])
    return ranked[0] if first >= second + 2 else None


def _plausible_full_match(query: list[str], candidate: list[str]) -> bool:
    """Same initial and a similar last word: guards against matching unrelated names."""
    if query[-1][0] != candidate[-1][0] or query[0][0] != candidate[0][0]:
        return False
    return fuzz.ratio(query[-1], candidate[-1]) >= 80


class FuzzyPeople:
    """Known people found by names spelled differently: transliteration variants of full names and
    family names ("Michoustin" -> Mikhail Mishustin), with a cache per name and date."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._fuzzy_cache: dict[tuple[str, dt.date | None], str | None] = {}

    def find(self, name: str, date: dt.date | None) -> Actor | None:
        """A known person whose name is spelled like `name` (transliteration variants); None if unsure."""
        key = translit_key(name)
        if not key or any(len(w) < 2 for w in key.split()):
            return None
        cache_key = (normalise(name), date)
        if cache_key not in self._fuzzy_cache:
            actor = self._fuzzy_lookup(name, key, date)
            self._fuzzy_cache[cache_key] = actor.id if actor else None
        actor_id = self._fuzzy_cache[cache_key]
        return self.kb.actor(actor_id) if actor_id else None

    @cached_property
    def _full_names(self) -> dict[str, tuple[list[str], list[int]]]:
        """Spelling-insensitive keys of every multi-word name of a known person, with the row owning
        each, by initial: a match needs the same initial, so each lookup compares only those."""
        index: dict[str, tuple[list[str], list[int]]] = {}
        for i, row in enumerate(self.kb.rows):
            if row["kind"] != "person":
                continue
            for alias in {row["name"], *row.get("aliases", ())}:
                key = translit_key(alias)
                if len(key.split()) >= 2:
                    keys, owners = index.setdefault(key[0], ([], []))
                    keys.append(key)
                    owners.append(i)
        return index

    @cached_property
    def _family_names(self) -> dict[str, list[int]]:
        """Family name (normalised, as written) -> rows of the known people bearing it."""
        index: dict[str, list[int]] = {}
        for i, row in enumerate(self.kb.rows):
            if row["kind"] == "person":
                for key in _family_name_keys(row):
                    index.setdefault(key, []).append(i)
        return index

    @cached_property
    def _surnames(self) -> dict[str, tuple[list[str], list[int]]]:
        """Spelling-insensitive family-name keys of known people, with the row owning each, by initial."""
        index: dict[str, tuple[list[str], list[int]]] = {}
        for name, rows in self._family_names.items():
            key = translit_key(name)
            if len(key) >= 4:
                keys, owners = index.setdefault(key[0], ([], []))
                keys.extend([key] * len(rows))
                owners.extend(rows)
        return index

    def _fuzzy_lookup(self, name: str, key: str, date: dt.date | None) -> Actor | None:
        words = key.split()
        if len(words) >= 2:
            keys, owners = self._full_names.get(key[0], ([], []))
            hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_FULL_CUTOFF, limit=12)
            hits = [(s, self.kb.actor_at(owners[i])) for _, s, i in hits
                    if _plausible_full_match(words, keys[i].split())]
        else:
            hits = self._surname_hits(name, key)
        return self._best_fuzzy(hits, date)

    def _surname_hits(self, name: str, key: str) -> list[tuple[float, Actor]]:
        """People with this family name as written, else (for longer names) spelled alike."""
        exact = self._family_names.get(normalise(name), []) if len(normalise(name)) >= 3 else []
        if exact:
            return [(100.0, self.kb.actor_at(i)) for i in exact]
        if len(key) < 5:
            return []
        keys, owners = self._surnames.get(key[0], ([], []))
        hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_SURNAME_CUTOFF, limit=12)
        return [(s, self.kb.actor_at(owners[i])) for _, s, i in hits
                if s == 100 or self.kb.rows[owners[i]].get("curated")]

    def _best_fuzzy(self, hits: list[tuple[float, Actor]], date: dt.date | None) -> Actor | None:
        if not hits:
            return None
        day = date or dt.date.today()
        best: dict[str, tuple[float, Actor]] = {}
        for score, actor in hits:
            if actor.id not in best or score > best[actor.id][0]:
                best[actor.id] = (score, actor)
        ranked = sorted(best.values(), key=lambda h: h[0], reverse=True)
        tied = [actor for score, actor in ranked if ranked[0][0] - score < 2]
        if len(tied) == 1:
            return tied[0]
        for prefer in (lambda a: a.curated, lambda a: any(r.active(day) for r in a.roles)):
            preferred = [a for a in tied if prefer(a)]
            if len(preferred) == 1:
                return preferred[0]
            tied = preferred or tied
        return _most_prominent(tied)
