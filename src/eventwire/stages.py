"""What the other stages need of the actors stage, as Protocols (the coder's is `events.code.EventCoding`).

The extractor, the claims stage and the pipeline depend on these, not on the concrete classes
(`actors.resolve.ActorResolver`, `actors.document.DocumentActors`), so a stage can be replaced or
faked in a test without importing the others' internals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Protocol

from spacy.tokens import Span

from eventwire.records import ActorRef, Location


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
