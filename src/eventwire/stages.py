"""What one stage needs of another, as Protocols: the boundaries between the per-article stages.

The extractor, the claims stage and the pipeline depend on these, not on the concrete classes
(`actors.resolve.ActorResolver`, `actors.document.DocumentActors`, `events.code.EventCoder`),
so a stage can be replaced or faked in a test without importing the others' internals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Protocol

from spacy.tokens import Doc, Span

from eventwire.records import ActorRef, EventCode, Location, Predicate

if TYPE_CHECKING:
    from eventwire.events.tables import CodingTables


class ArticleActors(Protocol):
    """One article's actor resolution, remembering the people it has named (`ActorResolver.document`)."""

    def resolve_span(self, span: Span) -> ActorRef:
        """The actor a noun phrase of the article names."""
        ...


class ActorResolving(Protocol):
    """The actors stage as the others use it."""

    def resolve_text(self, text: str, date: dt.date | None = None) -> ActorRef:
        """A standalone phrase ('the Russian prime minister') as of a date."""
        ...

    def resolve_location(self, text: str, countries: Collection[str] = ()) -> Location | None:
        """A place name, read in the given countries when several places share it."""
        ...

    def document(self, date: dt.date | None) -> ArticleActors:
        """Resolution within one article published on `date`."""
        ...


class EventCoding(Protocol):
    """The coder as the extractor uses it."""

    tables: CodingTables

    def code_many(self, items: Sequence[tuple[Predicate, str]]) -> list[EventCode | None]:
        """Codes of clause predicates, each with its sentence (None: not an event)."""
        ...

    def code_sentences(self, docs: Sequence[Doc]) -> list[EventCode | None]:
        """Codes of whole parsed short texts from the sentence classifiers."""
        ...

    def nominal_lemma(self, noun: str) -> str | None:
        """The coding lemma of a noun naming an event ('talks' -> 'talk'), else None."""
        ...
