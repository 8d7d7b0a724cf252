"""Wires the per-article stages: clean → nlp → actors/time/events, for one article or a stream.

Resources (spaCy model, actor knowledge base, coder) are loaded once per process in
`Resources` and passed in. Each article is processed independently; a failure in one
article becomes a `Failure` record on its result and never stops the stream.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.clean import clean_article, unusable_text_reason
from eventwire.events.code import EventCoding
from eventwire.events.extract import SentenceEvents
from eventwire.nlp import get_nlp, parse_stream
from eventwire.records import Article, ArticleResult, Event, Failure, RawArticle
from eventwire.stages import ActorResolving

if TYPE_CHECKING:
    import sqlalchemy as sa

    from eventwire.stories import StoryConfig


@dataclass
class Resources:
    """Read-only resources shared by every article of a process."""

    nlp: Language
    resolver: ActorResolving
    coder: EventCoding

    @property
    def extractor(self) -> SentenceEvents:
        return SentenceEvents(self.resolver, self.coder)


def load_resources() -> Resources:
    """Load the spaCy pipeline, the actor knowledge base and the event coder (once per process)."""
    from eventwire.actors.resolve import ActorResolver
    from eventwire.events.code import EventCoder

    return Resources(nlp=get_nlp(), resolver=ActorResolver(), coder=EventCoder.load())


@dataclass
class BatchStats:
    """What a run did, for the summary line and the exit status.

    `failures` holds every problem that is not a warning. It splits into `rejected` (inputs that
    gave no stored article: a file, a JSON line, a feed entry, an article with no usable text)
    and `problems` (a stage that failed for an article that was stored). `warnings` are notes on
    articles that were stored in full (a fallback encoding, a bad field left empty).
    """

    articles: int = 0
    skipped: int = 0
    non_english: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)
    rejected: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)

    @property
    def problems(self) -> list[Failure]:
        """Stage failures of stored articles: `failures` that are not rejections."""
        rejected = {id(failure) for failure in self.rejected}
        return [failure for failure in self.failures if id(failure) not in rejected]


def clean_stream(items: Iterable[RawArticle | Failure], stats: BatchStats) -> Iterator[Article | Failure]:
    """Clean each raw article; failures pass through; a cleaning error, or an article left with no
    usable text (only navigation, labels or boilerplate), becomes a failure naming its input."""
    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        source = item.origin or item.path or item.article_id
        try:
            article = clean_article(item)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            yield Failure(source=source, message=f"cleaning failed: {exc}", stage="clean")
            continue
        unusable = unusable_text_reason(article)
        yield article if unusable is None else Failure(source=source, message=unusable, stage="clean")


def _chunks(pairs: Iterable[tuple[Any, Any]], size: int) -> Iterator[list[tuple[Any, Any]]]:
    chunk: list[tuple[Any, Any]] = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def process_articles(
    articles: Iterable[Article], resources: Resources, batch_size: int = 16
) -> Iterator[ArticleResult]:
    """Parse English articles with one `nlp.pipe` stream and extract their events, in input order."""
    extractor = resources.extractor

    def texts() -> Iterator[tuple[str, Article]]:
        for article in articles:
            text = article.text if article.is_english else ""
            yield text, article

    parsed = parse_stream(resources.nlp, texts(), batch_size=batch_size)
    for chunk in _chunks(parsed, batch_size):
        codable = [(doc, a.article_id, a.published) for doc, a in chunk if a.is_english and a.text]
        try:
            batch_events = iter(extractor.extract_batch(codable))
        except Exception:  # noqa: BLE001 - retry one by one so only the faulty article fails
            batch_events = None
        for doc, article in chunk:
            result = ArticleResult(article=article)
            if article.is_english and article.text:
                if batch_events is not None:
                    result.events = next(batch_events)
                else:
                    _extract_alone(extractor, doc, article, result)
                _add_claims(doc, result, resources)
            yield result


def _add_claims(doc: Doc, result: ArticleResult, resources: Resources) -> None:
    """Figures and direct quotes of one parsed article (a failure here is recorded, events are kept)."""
    from eventwire.claims import extract_claims

    try:
        result.claims, result.quotes = extract_claims(
            doc, result.article, resources.resolver.resolve_text, events=result.events
        )
    except Exception as exc:  # noqa: BLE001 - recorded, the batch goes on
        source = result.article.path or result.article.article_id
        result.failures.append(
            Failure(source=source, message=f"claim extraction failed: {_reason(exc)}", stage="claims")
        )


def _reason(exc: Exception) -> str:
    """An exception as one line for a failure record, named by its type when it carries no message."""
    return str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__


def _extract_alone(extractor: SentenceEvents, doc: Doc, article: Article, result: ArticleResult) -> None:
    try:
        result.events = extractor.extract(doc, article.article_id, article.published)
    except Exception as exc:  # noqa: BLE001 - recorded, the batch goes on
        source = article.path or article.article_id
        result.failures.append(
            Failure(source=source, message=f"event extraction failed: {_reason(exc)}", stage="events")
        )


def code_texts(
    items: Iterable[tuple[str, str, dt.date | None]], resources: Resources, batch_size: int = 64
) -> Iterator[tuple[str, list[Event]]]:
    """Code short texts (id, text, date) without cleaning: the `eventwire code` path. Main event first."""
    extractor = resources.extractor
    stream = ((text, (item_id, date)) for item_id, text, date in items)
    parsed = parse_stream(resources.nlp, stream, batch_size=batch_size)
    for chunk in _chunks(parsed, batch_size):
        items = [(doc, item_id, date) for doc, (item_id, date) in chunk]
        batch = extractor.extract_batch(items)
        uncoded = [i for i, events in enumerate(batch) if not events]
        for i, event in zip(uncoded, extractor.sentence_events([items[i] for i in uncoded]), strict=True):
            if event is not None:
                batch[i] = [event]
        for (_, (item_id, _date)), events in zip(chunk, batch, strict=True):
            events.sort(key=lambda e: (not e.is_main, e.mentions[0].start if e.mentions else 0))
            yield item_id, events


@dataclass
class CorpusStats:
    """What the corpus-level stage produced."""

    articles: int = 0
    stories: int = 0
    events: int = 0
    canonical_events: int = 0
    claims: int = 0
    claim_groups: int = 0
    inferred_dates: int = 0
    rebuilt: bool = False  # every dated article was re-played (a rebuild, a first run or a late article)
    replayed: int = 0  # dated articles the stage re-played (new ones and those after the checkpoint it resumed)


def build_corpus(
    engine: sa.Engine, config: StoryConfig | None = None, page_size: int = 256, rebuild: bool = False
) -> CorpusStats:
    """Stories, inferred dates, canonical events and reconciled claims, brought up to date.

    Incremental (`corpus_stage`): only the stories the new articles can touch are re-clustered
    and rewritten; `rebuild=True` recomputes everything. Either way the result is the same, and
    does not depend on the order or batches in which articles arrived. Memory depends on how many
    articles a few weeks of news hold, not on the size of the store. All of it happens in one
    transaction: a failure leaves the previous corpus in place. Counts are over the whole corpus.
    """
    from eventwire.corpus_stage import update_corpus
    from eventwire.store import corpus as store
    from eventwire.stories import StoryConfig

    with engine.begin() as connection:
        full, replayed = update_corpus(connection, config or StoryConfig(), rebuild, page_size)
        totals = store.corpus_totals(connection)
    return CorpusStats(**totals, rebuilt=full, replayed=replayed)
