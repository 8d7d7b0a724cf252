"""Continuous ingestion: a watched directory, followed RSS/Atom feeds, and the batch they share.

`Session.run_batch` stores one batch of inputs (through an executor) and rebuilds the corpus
stage. `StableFiles` finds files of a directory that are complete (same size and mtime on two
consecutive polls). `FeedFollower` re-reads feeds (files or http(s) URLs) on a schedule; a feed
that fails is retried with capped exponential backoff, on its own clock, so it never delays
the others. Article ids are content hashes, so re-reading a feed only adds its new entries.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.executors import DEFAULT_CHUNK_SIZE, Executor, StreamReport, store_stream
from eventwire.pipeline import BatchStats, CorpusStats, Resources
from eventwire.records import Failure, RawArticle

#: Largest feed document read from a URL or file.
MAX_FEED_BYTES = 20 * 1024 * 1024
#: Seconds before giving up on one feed request.
FEED_TIMEOUT = 15.0
#: Most files stored in one batch (the corpus stage runs after each batch).
MAX_FILES_PER_BATCH = 500


@dataclass
class Totals:
    """Everything a long-running session did, for the final summary line."""

    batches: int = 0
    articles: int = 0
    skipped: int = 0
    events: int = 0
    problems: int = 0
    rejected: int = 0
    feed_errors: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, stats: BatchStats) -> None:
        self.batches += 1
        self.articles += stats.articles
        self.skipped += stats.skipped
        self.events += stats.events
        self.problems += len(stats.failures)
        self.rejected += len(stats.rejected)

    def line(self) -> str:
        """One summary line."""
        minutes = (time.perf_counter() - self.started) / 60
        return (
            f"stopped after {minutes:.1f} min: {self.batches} batches, {self.articles} new articles "
            f"({self.skipped} already stored), {self.events} events, {self.problems} problems"
            f"{f' ({self.rejected} inputs rejected)' if self.rejected else ''}, "
            f"{self.feed_errors} feed errors"
        )


@dataclass
class Session:
    """A repository, an executor and the main process's resources, used batch after batch."""

    repo: Any
    executor: Executor
    resources: Resources
    chunk_size: int = DEFAULT_CHUNK_SIZE
    batch_size: int = 16
    report: StreamReport = field(default_factory=StreamReport)
    totals: Totals = field(default_factory=Totals)

    def run_batch(
        self, items: Iterable[RawArticle | Failure], inputs: list[str], always_corpus: bool = True
    ) -> tuple[BatchStats, CorpusStats | None]:
        """Store one batch and rebuild the corpus stage (only if something new was stored, unless `always_corpus`)."""
        from eventwire.pipeline import build_corpus
        from eventwire.store.repository import store_errors

        stats = BatchStats()
        run_id = self.repo.start_run(inputs)
        store_stream(
            items,
            self.repo,
            run_id,
            self.executor,
            stats,
            chunk_size=self.chunk_size,
            batch_size=self.batch_size,
            report=self.report,
        )
        corpus = None
        if stats.articles or always_corpus:
            with store_errors("building stories"):
                corpus = build_corpus(self.repo.engine)
        self.repo.finish_run(
            run_id,
            {
                "articles": stats.articles,
                "skipped": stats.skipped,
                "events": stats.events,
                "failures": len(stats.failures),
                "rejected": len(stats.rejected),
                "warnings": len(stats.warnings),
            },
        )
        self.totals.add(stats)
        return stats, corpus


# ---------------------------------------------------------------- watched directory


class StableFiles:
    """Files under a directory whose size and mtime did not change between two polls, each version taken once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.seen: dict[Path, tuple[int, int]] = {}
        self.taken: dict[Path, tuple[int, int]] = {}

    def poll(self) -> list[Path]:
        """Files ready now (complete and not yet taken in this version), oldest first."""
        current = dict(self._listing())
        ready = [
            path
            for path, signature in current.items()
            if self.seen.get(path) == signature and self.taken.get(path) != signature
        ]
        self.seen = current
        ready.sort(key=lambda p: (current[p][1], str(p)))
        ready = ready[:MAX_FILES_PER_BATCH]
        for path in ready:
            self.taken[path] = current[path]
        return ready

    def _listing(self) -> Iterator[tuple[Path, tuple[int, int]]]:
        for path in self.directory.rglob("*"):
            if path.name.startswith(".") or not path.is_file():
                continue
            try:
                status = path.stat()
            except OSError:  # removed meanwhile
                continue
            yield path, (status.st_size, status.st_mtime_ns)


def watch_directory(
    session: Session,
    directory: Path,
    interval: float = 2.0,
    on_batch: Callable[[list[Path], BatchStats, CorpusStats | None], None] = lambda *_: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Totals:
    """Store the files of `directory` (recursive) as they become complete, until `should_stop` or Ctrl-C."""
    from eventwire.ingest import read_inputs

    files = StableFiles(directory)
    files.poll()
    while not should_stop():
        time.sleep(interval)
        ready = files.poll()
        if ready:
            names = [str(p) for p in ready]
            stats, corpus = session.run_batch(read_inputs(names), names, always_corpus=False)
            on_batch(ready, stats, corpus)
    return session.totals


# ---------------------------------------------------------------- followed feeds


class FeedError(Exception):
    """A feed could not be fetched or is not a readable feed."""


@dataclass
class FeedSource:
    """One followed feed and its schedule."""

    location: str
    due: float = 0.0
    failures: int = 0
    reads: int = 0


def fetch_feed(location: str, timeout: float = FEED_TIMEOUT) -> bytes:
    """The bytes of a feed: an http(s) URL (with a timeout) or a local file."""
    try:
        if location.startswith(("http://", "https://")):
            request = urllib.request.Request(location, headers={"User-Agent": "eventwire"})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                data = response.read(MAX_FEED_BYTES + 1)
        else:
            with open(location, "rb") as stream:
                data = stream.read(MAX_FEED_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise FeedError(str(getattr(exc, "reason", None) or exc)) from exc
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"larger than {MAX_FEED_BYTES} bytes")
    return data


def read_feed(location: str, timeout: float = FEED_TIMEOUT) -> list[RawArticle | Failure]:
    """Entries of one feed as raw articles (entry-level failures kept); FeedError if nothing readable."""
    from eventwire.ingest.feeds import parse_feed

    items = list(parse_feed(fetch_feed(location, timeout), location, path=None))
    if not any(isinstance(item, RawArticle) for item in items):
        raise FeedError("; ".join(item.message for item in items if isinstance(item, Failure)) or "no entries")
    return items


class FeedFollower:
    """Schedules feed reads: every `interval` seconds, failures retried after base·2ⁿ seconds (capped)."""

    def __init__(self, locations: list[str], interval: float = 300.0, retry_base: float | None = None) -> None:
        self.sources = [FeedSource(location) for location in locations]
        self.interval = interval
        self.retry_base = retry_base if retry_base is not None else min(5.0, interval)
        self.retry_cap = max(interval, self.retry_base)

    def due(self, now: float) -> list[FeedSource]:
        """Feeds whose next read is due."""
        return [source for source in self.sources if source.due <= now]

    def succeeded(self, source: FeedSource, now: float) -> None:
        source.failures = 0
        source.reads += 1
        source.due = now + self.interval

    def failed(self, source: FeedSource, now: float) -> float:
        """Schedule the retry of a failed feed; return its delay in seconds."""
        source.failures += 1
        delay = min(self.retry_cap, self.retry_base * 2 ** (source.failures - 1))
        source.due = now + delay
        return delay

    def next_due(self) -> float:
        return min(source.due for source in self.sources)


def follow_feeds(
    session: Session,
    follower: FeedFollower,
    on_batch: Callable[[FeedSource, BatchStats], None] = lambda *_: None,
    on_error: Callable[[FeedSource, str, float], None] = lambda *_: None,
    should_stop: Callable[[], bool] = lambda: False,
    timeout: float = FEED_TIMEOUT,
) -> Totals:
    """Read due feeds concurrently, store each feed's new entries as it arrives, until `should_stop` or Ctrl-C."""
    with ThreadPoolExecutor(max_workers=min(8, len(follower.sources)) or 1) as fetchers:
        while not should_stop():
            now = time.monotonic()
            futures = {fetchers.submit(read_feed, s.location, timeout): s for s in follower.due(now)}
            for future in as_completed(futures):
                source = futures[future]
                try:
                    items = future.result()
                except FeedError as exc:
                    session.totals.feed_errors += 1
                    on_error(source, str(exc), follower.failed(source, time.monotonic()))
                    continue
                follower.succeeded(source, time.monotonic())
                stats, _ = session.run_batch(items, [source.location], always_corpus=False)
                on_batch(source, stats)
            _sleep_until(follower.next_due(), should_stop)
    return session.totals


def _sleep_until(deadline: float, should_stop: Callable[[], bool]) -> None:
    """Sleep in short steps so a stop request is seen promptly."""
    while not should_stop() and (remaining := deadline - time.monotonic()) > 0:
        time.sleep(min(remaining, 0.5))


def timestamp() -> str:
    """Local wall-clock time for log lines."""
    return dt.datetime.now().strftime("%H:%M:%S")
