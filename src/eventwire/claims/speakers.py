"""Who a statement is attributed to: "according to X", the subject of a speech verb, pronouns to people."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from eventwire.claims.measures import clause_subject
from eventwire.claims.vocabulary import PRONOUNS, SPEECH_LEMMAS, ActorLookup
from eventwire.records import ActorRef


def _noun_phrase(tok: Token) -> Span:
    """A noun with its left modifiers and flat name parts, without clauses."""
    left = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("punct", "cc")]
    right = [t for t in tok.rights if t.dep_ in ("flat", "compound", "prep", "pobj")]
    tokens = left + [t for r in right for t in r.subtree if t.dep_ not in ("relcl", "acl", "appos", "punct")]
    start = min(t.i for t in tokens) if tokens else tok.i
    end = max(t.i for t in tokens) + 1 if tokens else tok.i + 1
    return tok.doc[start:end]


def according_to(sent: Span) -> Span | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            objects = [c for t in (tok, tok.doc[tok.i + 1]) for c in t.children if c.dep_ == "pobj"]
            if objects:
                obj = objects[0]
                return tok.doc[min(t.i for t in obj.subtree) : max(t.i for t in obj.subtree) + 1]
    return None


def speech_subject(verb: Token) -> Span | None:
    """Who speaks: the verb's subject, inherited from the governing clause ('..., saying that')."""
    subject = clause_subject(verb)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN", "PRON") or not subject.text[:1].isalpha():
        return None
    if any(c.dep_ == "nummod" for c in subject.children):
        return None  # "seven lakh bales ... estimated": a quantity, not a speaker
    return _noun_phrase(subject)


def _speech_verb_above(tok: Token) -> Token | None:
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" and node.lemma_.lower() in SPEECH_LEMMAS:
            return node
    return None


def _speech_verb_beside(sent: Span) -> Token | None:
    """A speech verb hanging off the main clause ('..., he added')."""
    root = sent.root
    for child in root.children:
        if child.dep_ in ("parataxis", "advcl", "conj") and child.lemma_.lower() in SPEECH_LEMMAS:
            return child
    return root if root.lemma_.lower() in SPEECH_LEMMAS else None


def _previous_person(doc: Doc, before: int) -> Span | None:
    """The person a pronoun most likely refers to: the last person named as a subject, else the last named."""
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end_char <= before]
    subjects = [
        e for e in people if e.root.dep_ in ("nsubj", "nsubjpass") and e.sent.start_char >= _window(doc, before)
    ]
    return subjects[-1] if subjects else (people[-1] if people else None)


def _window(doc: Doc, before: int, sentences: int = 2) -> int:
    """Start offset of the sentences just before `before` (pronouns look back this far for subjects)."""
    starts = [s.start_char for s in doc.sents if s.start_char < before]
    return starts[-sentences - 1] if len(starts) > sentences else 0


def _full_name(span: Span) -> Span | None:
    """'Li' → the last full name ending in 'Li ...'/'... Li' named before it ('Li Qiang')."""
    if len(span) != 1 or span[0].pos_ != "PROPN":
        return None
    surname = span.text
    earlier = [
        e
        for e in span.doc.ents
        if e.label_ == "PERSON" and e.end_char <= span.start_char and len(e) > 1 and surname in (e[0].text, e[-1].text)
    ]
    return earlier[-1] if earlier else None


def speaker_span(sent: Span, statement: Token | None) -> Span | None:
    """Who a statement in this sentence is attributed to: 'according to X', else the speech verb's subject.

    `statement` is a token of what is said (a figure's root or its clause verb): a speech verb above it wins.
    """
    verb = _speech_verb_above(statement) if statement is not None else None
    speaker = speech_subject(verb) if verb is not None else None
    if speaker is None:
        speaker = according_to(sent)
    if speaker is None:
        beside = _speech_verb_beside(sent)
        speaker = speech_subject(beside) if beside is not None else None
    return speaker


def make_speaker(span: Span | None, resolve: ActorLookup | None) -> ActorRef | None:
    """An ActorRef for a speaker span: pronouns become the last person named before them."""
    if span is None:
        return None
    if span.root.lower_ in PRONOUNS:
        person = _previous_person(span.doc, span.start_char)
        if person is None:
            return None
        span = person
    text = span.text
    full = _full_name(span)
    ref = resolve(full.text) if resolve is not None and full is not None else None
    if ref is not None and (ref.actor_id or ref.name):
        return replace(ref, text=text)
    ref = resolve(text) if resolve is not None else None
    if ref is not None and (ref.actor_id or ref.name or ref.country):
        return replace(ref, text=text)
    return ActorRef(text=text)
