"""Direct quotations in an article and who said them."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from eventwire.claims.speakers import according_to, speech_subject
from eventwire.claims.vocabulary import SPEECH_LEMMAS

_QUOTE_CHARS = re.compile(r"[“”\"«»]")
MIN_QUOTE_WORDS = 5


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of quoted passages, quote marks excluded; curly, straight and guillemet quotes."""
    spans = []
    marks = [(m.start(), m.group(0)) for m in _QUOTE_CHARS.finditer(text)]
    i = 0
    while i < len(marks) - 1:
        pos, mark = marks[i]
        close_pos, close = marks[i + 1]
        opening = mark in "“«" or (mark == '"' and (pos == 0 or not text[pos - 1].isalnum()))
        closes = close in '”»"' or (close == "“" and (close_pos + 1 == len(text) or not text[close_pos + 1].isalnum()))
        if opening and closes and "\n" not in text[pos:close_pos]:
            spans.append((pos + 1, close_pos))
            i += 2
        else:
            i += 1
    return spans


def is_quotation(text: str) -> bool:
    n_words = len(text.split())
    return n_words >= MIN_QUOTE_WORDS or (n_words >= 3 and text.rstrip()[-1:] in ".!?,")


def quote_speaker(doc: Doc, start: int, end: int) -> Span | None:
    """Subject of the nearest speech verb outside the quote, in the sentences around it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sentences = list(dict.fromkeys(t.sent for t in (span[0], span[-1])))
    last = sentences[-1]
    if last.end < len(doc) and last.end_char - end <= 3 and len(doc[last.end].sent) <= 12:
        sentences.append(doc[last.end].sent)  # '“...” \n He said so.'
    verbs = [
        t
        for s in sentences
        for t in s
        if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_LEMMAS and not start <= t.idx < end
    ]
    for verb in sorted(verbs, key=lambda t: min(abs(t.idx - start), abs(t.idx - end))):
        subject = speech_subject(verb)
        if subject is not None and not start <= subject.start_char < end:
            return subject
    for sent in sentences:
        source = according_to(sent)
        if source is not None:
            return source
    return None
