"""Actor resolution within one article: `DocumentActors` remembers who was named, so that a later
surname ("Xi", "Li") resolves to the person named in full earlier, and reads names and appositions
from the parse ("the president, Joe Biden").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from eventwire.actors.kb import normalise
from eventwire.actors.resolve import ActorPhrase, Match
from eventwire.actors.vocabulary import FAMILY_NAME_FIRST, STOP_KEYS
from eventwire.nlp import ents_in
from eventwire.records import ActorRef

if TYPE_CHECKING:
    from spacy.tokens import Span

    from eventwire.actors.resolve import ActorResolver


def _titled_by(ref: ActorRef, title: ActorRef) -> bool:
    """A named person the knowledge base does not place, beside a title (no name) that has a country."""
    return bool(ref.kind == "person" and ref.name and not ref.country and title.country and not title.name)


class DocumentActors:
    """Resolution within one article: remembers who was named so that later short forms resolve."""

    def __init__(self, resolver: ActorResolver, date: dt.date | None) -> None:
        self.resolver = resolver
        self.date = date
        self.memory: dict[str, ActorRef] = {}
        self._lowercase: dict[int, bool] = {}

    def resolve_span(self, span: Span) -> ActorRef:
        """Resolve a noun phrase from the parse (title + name + apposition allowed)."""
        doc_key = id(span.doc)
        if doc_key not in self._lowercase:
            self._lowercase[doc_key] = _lowercase_document(span)
        lowercase = self._lowercase[doc_key]
        ref = self.resolve_text(span.text, person_names=_person_entities(span), lowercase=lowercase)
        for appos in _appositions(span):
            other = self.resolve_text(appos.text, person_names=_person_entities(appos), lowercase=lowercase)
            if _titled_by(ref, other):
                # "Alexander Novak, Russian Deputy Prime Minister": an unknown name takes its title's country
                merged = replace(ref, country=other.country, sector=ref.sector or other.sector)
                return self.resolver.coded(merged, self.date)
            if other.kind != "person" or not other.name or (ref.kind == "person" and ref.name):
                continue
            if other.actor_id is None:
                # "Deputy Prime Minister, Alexander Novak": the title says what, the name says who
                confidence = max(ref.confidence, other.confidence)
                merged = self.resolver.coded(ActorRef(span.text, other.name, ref.country or other.country,
                                                      ref.sector or other.sector, None, "person", confidence),
                                             self.date)
                self._remember(merged, ActorPhrase(appos.text, [], []), [other.name])
                return merged
            other.text = span.text
            return other
        return ref

    def resolve_text(self, text: str, person_names: list[str] | None = None,
                     lowercase: bool | None = None) -> ActorRef:
        """Resolve a mention of this article, using and updating the article's memory.

        `person_names` are the parser's PERSON entities in the mention; when given, they replace the
        capitalisation guess of which words name an unknown person. `lowercase` says the whole
        source is lower case (names are then matched regardless of case)."""
        mention = self.resolver.scan(text, self.memory, lowercase)
        if mention is None:
            return ActorRef(text=text, confidence=0.0)
        if person_names is not None:
            mention.matches = _drop_memory_inside_names(mention.matches, person_names, self.memory)
            mention.names = _parser_names(person_names, mention)
        ref = self.resolver.combine(mention, self.date)
        self._remember(ref, mention, person_names)
        return ref

    def _remember(self, ref: ActorRef, mention: ActorPhrase, person_names: list[str] | None) -> None:
        """Remember known people, and unknown ones only when the parser says they are people."""
        if ref.kind != "person" or not ref.name:
            return
        if ref.actor_id is None and (person_names is None or ref.name not in person_names):
            return
        for key in _memory_keys(ref, mention):
            self.memory.setdefault(key, ActorRef(ref.name, ref.name, ref.country, ref.sector, ref.actor_id,
                                                 ref.kind, ref.confidence))


def _drop_memory_inside_names(matches: list[Match], person_names: list[str],
                              memory: dict[str, ActorRef]) -> list[Match]:
    """A remembered surname inside a longer, different name ("Singh" in "Mulayam Singh Yadav" after
    "Rajnath Singh") is not that person."""
    names = [normalise(n).split() for n in person_names]

    def inside_other_name(match: Match) -> bool:
        return any(match.key in words and len(words) > 1 and " ".join(words) not in memory for words in names)

    return [m for m in matches if not (m.kind == "memory" and inside_other_name(m))]


def _parser_names(person_names: list[str], mention: ActorPhrase) -> list[str]:
    """The parser's PERSON entities not already explained by a known phrase of the mention."""
    covered = " ".join(m.key for m in mention.matches)
    return [n for n in person_names if normalise(n) and normalise(n) not in covered]


def _memory_keys(ref: ActorRef, mention: ActorPhrase) -> list[str]:
    """Keys under which a person is remembered: full name, surname, and family name for East Asian names."""
    keys = []
    for name in {ref.name, *mention.names}:
        words = normalise(name).split() if name else []
        if len(words) < 2:
            continue
        keys.append(" ".join(words))
        keys.append(words[0] if ref.country in FAMILY_NAME_FIRST else words[-1])
    return [k for k in keys if k and k not in STOP_KEYS]


def _lowercase_document(span: Span) -> bool:
    """Whether the article is written in lower case (then casing says nothing about names)."""
    doc = span.doc
    sample = doc[: min(len(doc), 1000)].text[:3000]  # not doc.text: that joins every token of the article
    letters = sum(ch.isalpha() for ch in sample)
    return letters > 0 and sum(ch.isupper() for ch in sample) < letters * 0.005


def _person_entities(span: Span) -> list[str]:
    return [ent.text for ent in ents_in(span) if ent.label_ == "PERSON"]


def _appositions(span: Span) -> list[Span]:
    """Appositive phrases attached to the span's head but outside the span ("the president, Joe Biden")."""
    doc = span.doc
    out = []
    for child in span.root.children:
        if child.dep_ == "appos" and not (span.start <= child.i < span.end):
            subtree = list(child.subtree)
            out.append(doc[subtree[0].i: subtree[-1].i + 1])
    return out
