"""Claim and Quote records of a parsed article, from its figures, measures, periods and speakers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from eventwire.claims.figures import Figure, is_conversion, sentence_figures
from eventwire.claims.measures import figure_measure, figure_root, main_dyad, sentence_countries, subject_key
from eventwire.claims.periods import find_period, resolve_period
from eventwire.claims.quotes import is_quotation, quote_spans, quote_speaker
from eventwire.claims.speakers import according_to, make_speaker, speaker_span
from eventwire.claims.vocabulary import ActorLookup
from eventwire.records import Article, Claim, Event, Quote


def _record_id(article_id: str, start: int, text: str) -> str:
    """A stable id of something found at `start` in an article (the same text gives the same id on a re-run)."""
    return hashlib.sha1(f"{article_id}:{start}:{text}".encode()).hexdigest()[:16]


class _SentenceContext:
    """What all figures of one sentence share: speaker span, countries, dyad."""

    def __init__(self, sent: Span, dyad: tuple[str, ...], resolve: ActorLookup | None) -> None:
        self.sent = sent
        self.dyad = dyad
        self.resolve = resolve
        source = according_to(sent)
        exclude = [(source.start_char, source.end_char)] if source is not None else []
        self.countries = sentence_countries(sent, exclude, resolve)


def _claim_for(
    figure: Figure,
    context: _SentenceContext,
    article: Article,
    anchor: dt.date | None,
    converts: Claim | None,
) -> Claim:
    sent = context.sent
    doc = sent.doc
    claim_id = _record_id(article.article_id, figure.start, figure.text)
    if converts is not None:
        return replace(
            converts,
            claim_id=claim_id,
            value=figure.value,
            unit=figure.unit,
            text=figure.text,
            converted_from=converts.claim_id,
        )
    measure, verb = figure_measure(doc, figure)
    period = find_period(sent.text, figure.start - sent.start_char)
    bounds = resolve_period(period[0], period[1], anchor) if period else None
    speaker = speaker_span(sent, figure_root(doc, figure) or verb)
    subject = measure if figure.kind == "count" else subject_key(measure, context.countries, context.dyad)
    return Claim(
        claim_id=claim_id,
        article_id=article.article_id,
        kind=figure.kind,
        value=figure.value,
        unit=figure.unit,
        text=figure.text,
        sentence=sent.text,
        start=sent.start_char,
        end=sent.end_char,
        subject=subject,
        period_start=bounds[0] if bounds else None,
        period_end=bounds[1] if bounds else None,
        period_text=period[1] if period else None,
        is_change=figure.is_change,
        speaker=make_speaker(speaker, context.resolve),
    )


def extract_claims(
    doc: Doc,
    article: Article,
    resolve_speaker: ActorLookup | None = None,
    anchor: dt.date | None = None,
    events: Sequence[Event] | None = None,
) -> tuple[list[Claim], list[Quote]]:
    """Claims (money, percent, count) and direct quotes of a parsed article.

    `doc` must be the parse of `article.text`. `resolve_speaker` (e.g. the actor
    resolver's `resolve_text`) resolves speakers and country names; `anchor` dates
    relative periods when the article has no publication date (else `published` is
    used); `events` give the article's main country dyad for subjects.
    """
    anchor = anchor or article.published
    dyad = main_dyad(doc, events, resolve_speaker)
    text = doc.text  # spaCy joins every token on each access: once per article
    claims: list[Claim] = []
    for sent in doc.sents:
        context = _SentenceContext(sent, dyad, resolve_speaker)
        previous: tuple[Figure, Claim] | None = None
        for figure in sentence_figures(sent):
            converts = previous[1] if previous and is_conversion(figure, previous[0], text) else None
            claim = _claim_for(figure, context, article, anchor, converts)
            claims.append(claim)
            previous = (figure, claim)
    return claims, extract_quotes(doc, article, resolve_speaker)


def extract_quotes(doc: Doc, article: Article, resolve_speaker: ActorLookup | None = None) -> list[Quote]:
    """Direct quotations with their speakers (quotes of fewer than five words are taken as scare quotes)."""
    quotes = []
    document = doc.text  # spaCy joins every token on each access: once per article
    for start, end in quote_spans(document):
        if not is_quotation(document[start:end].strip()):
            continue
        speaker = make_speaker(quote_speaker(doc, start, end), resolve_speaker)
        quote_id = _record_id(article.article_id, start, "quote")
        quotes.append(Quote(quote_id, article.article_id, document[start:end], start, end, speaker))
    return quotes
