"""What a figure measures: the clause subject or modified noun ("trade"), and the countries involved."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from eventwire.claims.figures import Figure
from eventwire.claims.vocabulary import (
    CHANGE_NOUNS,
    COMMON_COUNTRY_NAMES,
    GENERIC_MEASURES,
    MEASURE_SYNONYMS,
    PARTICIPANT_NOUNS,
    PRONOUNS,
    RELATIONAL_MEASURES,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    UNIT_WORDS,
    ActorLookup,
)
from eventwire.nlp import ents_in
from eventwire.records import Event


def figure_root(doc: Doc, figure: Figure) -> Token | None:
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _governing_verb(tok: Token) -> Token | None:
    node = tok
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
            return node
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
    return None


def clause_subject(verb: Token) -> Token | None:
    """The subject of a clause verb, inherited through open complements, conjuncts and relative clauses."""
    node = verb
    for _ in range(6):
        subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                return node.head
            return subject
        if node.dep_ in ("acl", "relcl"):
            return node.head
        if node.dep_ in ("xcomp", "conj", "advcl", "pcomp") and node.head.i != node.i:
            node = node.head
            continue
        return None
    return None


def _measure_token(tok: Token | None) -> Token | None:
    """From a subject or modified noun to the noun naming what is measured."""
    for _ in range(4):
        if tok is None or tok.lower_ in PRONOUNS or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = tok.lemma_.lower()
        if lemma in UNIT_WORDS:
            return None
        if tok.ent_type_ in ("PERSON", "GPE", "NORP", "ORG", "LOC", "FAC") or lemma in PARTICIPANT_NOUNS:
            tok = _noun_governor(tok)
        elif lemma in GENERIC_MEASURES or lemma in CHANGE_NOUNS:
            inner = _inner_noun(tok)
            if inner is None:
                return tok if lemma in GENERIC_MEASURES - {"flow"} else None
            tok = inner
        else:
            return tok
    return None


def _noun_governor(tok: Token) -> Token | None:
    """'trade between the two countries': from the participant to the noun it completes."""
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("NOUN", "PROPN"):
        return tok.head.head
    if tok.dep_ == "poss":
        return tok.head
    return None


def _inner_noun(tok: Token) -> Token | None:
    """'the amount of trade' → trade, 'trade flow' → trade, 'increase in trade' → trade."""
    for child in tok.children:
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            return child
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                    return pobj
    return None


def measure_name(tok: Token) -> str:
    """Normalised name of a measure: noun compounds and head lemma, synonyms merged ('energy supply')."""
    parts = [
        c
        for c in tok.children
        if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < tok.i and c.lower_ not in UNIT_WORDS
    ]
    words = [MEASURE_SYNONYMS.get(t.lemma_.lower(), t.lemma_.lower()) for t in [*parts, tok]]
    words = [w for w in words if w not in GENERIC_MEASURES] or words
    return " ".join(dict.fromkeys(words))


def figure_measure(doc: Doc, figure: Figure) -> tuple[str | None, Token | None]:
    """What a figure measures, and the clause verb it belongs to."""
    root = figure_root(doc, figure)
    if root is None:
        return None, None
    if figure.kind == "count":
        verb = _governing_verb(root)
        noun = figure.unit or root.lemma_.lower()
        return (f"{verb.lemma_.lower()}:{noun}" if verb is not None else noun), verb
    verb = _governing_verb(root)
    token = _measure_token(clause_subject(verb)) if verb is not None else None
    if token is None and root.head.pos_ == "NOUN" and root.dep_ in ("nummod", "compound", "appos"):
        token = _measure_token(root.head)
    return (measure_name(token) if token is not None else None), verb


# --- countries ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _country_by_name(text: str) -> str | None:
    import pycountry

    key = re.sub(r"^the\s+", "", text.lower()).strip()
    if key in COMMON_COUNTRY_NAMES:
        return COMMON_COUNTRY_NAMES[key]
    for candidate in (text, re.sub(r"(?<=i)an$", "", text)):
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    return None


def country_of(text: str, resolve: ActorLookup | None) -> str | None:
    """ISO3 of a place or nationality mention, by the actor resolver when given."""
    if text.strip().lower() in ("us", "u.s.", "uk", "u.k.") and not text.strip().isupper():
        return None  # the pronoun "us" in lower-cased text
    if resolve is not None:
        ref = resolve(text)
        if ref is not None and ref.country:
            return ref.country
    return _country_by_name(text.strip())


def main_dyad(doc: Doc, events: Sequence[Event] | None, resolve: ActorLookup | None) -> tuple[str, ...]:
    """The article's main pair of countries: most frequent in events, else most named in the text."""
    pairs: Counter[tuple[str, ...]] = Counter()
    for event in events or []:
        a, b = event.source.country, event.target.country if event.target else None
        if a and b and a != b:
            pairs[tuple(sorted((a, b)))] += 1
    if pairs:
        return pairs.most_common(1)[0][0]
    named = Counter(c for ent in doc.ents if ent.label_ in ("GPE", "NORP") and (c := country_of(ent.text, resolve)))
    top = [c for c, n in named.most_common(2) if n >= 2]
    return tuple(sorted(top))


def sentence_countries(sent: Span, exclude: list[tuple[int, int]], resolve: ActorLookup | None) -> list[str]:
    out: list[str] = []
    for ent in ents_in(sent):
        if ent.label_ not in ("GPE", "NORP") or any(s <= ent.start_char < e for s, e in exclude):
            continue
        country = country_of(ent.text, resolve)
        if country and country not in out:
            out.append(country)
    return out


def subject_key(measure: str | None, countries: Sequence[str], dyad: Sequence[str]) -> str | None:
    """'trade|CHN-RUS': the measure with the countries involved (completed by the article's dyad)."""
    if measure is None:
        return None
    head = measure.split()[-1]
    chosen = list(countries)
    if not chosen or len(chosen) == 1 and head in RELATIONAL_MEASURES and chosen[0] in dyad:
        chosen = list(dyad)
    return f"{measure}|{'-'.join(sorted(set(chosen)))}" if chosen else measure
