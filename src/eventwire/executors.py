"""Runs the per-article stages (clean → nlp → actors/time/events/claims) on chunks of articles.

An executor maps chunks of `RawArticle`s to their results, in input order, with a bounded
number of chunks in flight so memory stays flat however long the stream:

    inline            in this process, with the resources already loaded
    local:N           N worker processes (concurrent.futures.ProcessPoolExecutor)
    dask://HOST:PORT  the workers of a running Dask scheduler
    dask-local:N      a Dask LocalCluster of N single-threaded worker processes

Workers load the read-only resources (spaCy model, knowledge base, coder) once per process
(`worker_resources`) and keep them; only articles and results cross process boundaries.
`store_stream` drives a stream of ingested items through an executor into a repository,
skipping stored ids before any work is sent.
"""

from __future__ import annotations

import collections
import multiprocessing
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventwire.records import ArticleResult, Failure, RawArticle

if TYPE_CHECKING:
    from eventwire.pipeline import BatchStats, Resources

#: Articles per task: large enough to amortise the transfer, small enough to balance workers.
DEFAULT_CHUNK_SIZE = 32
Chunk = list[RawArticle]
ChunkResult = list[ArticleResult | Failure]

_SPEC = re.compile(r"^(?:(?P<inline>inline)|local:(?P<local>\d+)|dask-local:(?P<dasklocal>\d+)|dask://(?P<addr>\S+))$")
_WORKER_RESOURCES: dict[str, Resources] = {}


class ExecutorError(ValueError):
    """An executor spec that cannot be understood or a cluster that cannot be reached."""


@dataclass(frozen=True)
class ExecutorSpec:
    """Where the per-article stages run: `kind` is inline, local, dask or dask-local."""

    kind: str
    workers: int = 1
    address: str | None = None

    def __str__(self) -> str:
        if self.kind == "inline":
            return "inline"
        if self.kind == "dask":
            return f"dask://{self.address}"
        return f"{self.kind}:{self.workers}"


def parse_executor(text: str) -> ExecutorSpec:
    """`inline`, `local:N`, `dask://HOST:PORT` or `dask-local:N` → an ExecutorSpec."""
    match = _SPEC.match(text.strip())
    if not match:
        raise ExecutorError(f"executor {text!r}: use inline, local:N, dask://HOST:PORT or dask-local:N")
    if match["inline"]:
        return ExecutorSpec("inline")
    if match["addr"]:
        return ExecutorSpec("dask", address=match["addr"])
    kind, count = ("local", match["local"]) if match["local"] else ("dask-local", match["dasklocal"])
    if int(count) < 1:
        raise ExecutorError(f"executor {text!r}: at least one worker")
    return ExecutorSpec(kind, workers=int(count))


# ---------------------------------------------------------------- the task


def worker_resources() -> Resources:
    """The resources of this process, loaded on first use and kept for every later task."""
    if "resources" not in _WORKER_RESOURCES:
        from eventwire.pipeline import load_resources

        _WORKER_RESOURCES["resources"] = load_resources()
    return _WORKER_RESOURCES["resources"]


def process_chunk(chunk: Chunk, batch_size: int = 16, resources: Resources | None = None) -> ChunkResult:
    """Clean, parse and code one chunk of raw articles; a cleaning error becomes a Failure in place."""
    from eventwire.pipeline import BatchStats, clean_stream, process_articles
    from eventwire.records import Article

    resources = resources or worker_resources()
    cleaned = list(clean_stream(chunk, BatchStats()))
    articles = iter(process_articles((a for a in cleaned if isinstance(a, Article)), resources, batch_size))
    return [item if isinstance(item, Failure) else next(articles) for item in cleaned]


def _warm_up() -> None:
    """Load the resources when a worker process starts, before its first task."""
    worker_resources()


# ---------------------------------------------------------------- executors


class Executor:
    """Maps chunks to results in input order; subclasses say how one chunk is submitted."""

    spec: ExecutorSpec = ExecutorSpec("inline")
    in_flight: int = 1

    def map_chunks(self, chunks: Iterable[Chunk], batch_size: int = 16) -> Iterator[ChunkResult]:
        """Results of each chunk, in order, with at most `in_flight` chunks submitted and not yet returned."""
        pending: collections.deque[Any] = collections.deque()
        for chunk in chunks:
            pending.append(self._submit(chunk, batch_size))
            while len(pending) >= self.in_flight:
                yield self._result(pending.popleft())
        while pending:
            yield self._result(pending.popleft())

    def _submit(self, chunk: Chunk, batch_size: int) -> Any:
        raise NotImplementedError

    def _result(self, handle: Any) -> ChunkResult:
        raise NotImplementedError

    def close(self) -> None:
        """Stop the workers this executor started."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class InlineExecutor(Executor):
    """Runs each chunk in this process when its result is asked for."""

    def __init__(self, resources: Resources | None = None) -> None:
        self.resources = resources

    def _submit(self, chunk: Chunk, batch_size: int) -> Any:
        return chunk, batch_size

    def _result(self, handle: Any) -> ChunkResult:
        chunk, batch_size = handle
        return process_chunk(chunk, batch_size, self.resources)


class ProcessPoolChunkExecutor(Executor):
    """N local worker processes (spawned, so nothing of this process is inherited)."""

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.spec = ExecutorSpec("local", workers=workers)
        self.in_flight = 2 * workers
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_up)

    def _submit(self, chunk: Chunk, batch_size: int) -> Any:
        return self.pool.submit(process_chunk, chunk, batch_size)

    def _result(self, handle: Any) -> ChunkResult:
        return handle.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """The workers of a Dask scheduler, or of a LocalCluster started (and stopped) here."""

    def __init__(self, spec: ExecutorSpec) -> None:
        self.spec = spec
        self.cluster: Any = None
        self.client = self._connect(spec)
        workers = max(len(self.client.scheduler_info(n_workers=-1).get("workers", {})), spec.workers, 1)
        self.in_flight = 2 * workers

    def _connect(self, spec: ExecutorSpec) -> Any:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise ExecutorError(f"{spec}: dask.distributed is not installed") from exc
        if spec.kind == "dask":
            try:
                return Client(spec.address, timeout="20s")
            except OSError as exc:
                raise ExecutorError(f"{spec}: cannot reach the Dask scheduler: {exc}") from exc
        self.cluster = LocalCluster(
            n_workers=spec.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        return Client(self.cluster)

    def _submit(self, chunk: Chunk, batch_size: int) -> Any:
        return self.client.submit(process_chunk, chunk, batch_size, pure=False)

    def _result(self, handle: Any) -> ChunkResult:
        result = handle.result()
        handle.release()
        return result

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def open_executor(spec: ExecutorSpec | str, resources: Resources | None = None) -> Executor:
    """An executor for `spec`; `resources` are used by the inline one (loaded lazily otherwise)."""
    spec = parse_executor(spec) if isinstance(spec, str) else spec
    if spec.kind == "inline":
        return InlineExecutor(resources)
    if spec.kind == "local":
        return ProcessPoolChunkExecutor(spec.workers)
    return DaskExecutor(spec)


# ---------------------------------------------------------------- driving a stream into a store


@dataclass
class StreamReport:
    """Callbacks for what happens while a stream is stored (all optional)."""

    on_failure: Callable[[Failure, str], None] = lambda failure, kind: None
    on_progress: Callable[[int, float], None] = lambda articles, seconds: None
    started: float = field(default_factory=time.perf_counter)


def store_stream(
    items: Iterable[RawArticle | Failure],
    repo: Any,
    run_id: str,
    executor: Executor,
    stats: BatchStats,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    batch_size: int = 16,
    report: StreamReport | None = None,
) -> None:
    """Ingested items → executor → repository: skip stored ids, record failures, save results in order.

    Each chunk of results is saved in one transaction: a crash loses at most the chunk in flight,
    which the next run processes again.

    `kind` passed to `report.on_failure` is "skipped" (an input that gave nothing: counted in
    `stats.rejected`), "warning" (kept with a note: `stats.warnings`) or "problem" (a stage failed
    for a stored article: `stats.problems`).
    """
    report = report or StreamReport()
    chunks = _fresh_chunks(items, repo, run_id, stats, chunk_size, report)
    for results in executor.map_chunks(chunks, batch_size):
        articles = [item for item in results if not isinstance(item, Failure)]
        repo.save_results(articles, run_id, batch_size=max(len(articles), 1))  # one transaction per chunk
        for item in results:
            if isinstance(item, Failure):
                _record(item, repo, run_id, stats, report)
            else:
                _count_saved(item, repo, run_id, stats, report)
        report.on_progress(stats.articles, time.perf_counter() - report.started)


def _fresh_chunks(
    items: Iterable[RawArticle | Failure],
    repo: Any,
    run_id: str,
    stats: BatchStats,
    chunk_size: int,
    report: StreamReport,
) -> Iterator[Chunk]:
    """Chunks of raw articles not stored yet (nor already sent in this stream); failures recorded on the way."""
    sent: set[str] = set()
    chunk: Chunk = []
    for item in items:
        if isinstance(item, Failure):
            _record(item, repo, run_id, stats, report)
            continue
        if item.article_id in sent or repo.has_article(item.article_id):
            stats.skipped += 1
            continue
        sent.add(item.article_id)
        chunk.append(item)
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def failure_kind(failure: Failure, article_stored: bool) -> str:
    """How a problem counts; decided here only (the CLI's exit status follows it).

    "warning": the input was stored with a note (an ingest warning, marked by its stage);
    "problem": its article was stored but a later stage failed on it;
    "skipped": the input was rejected, nothing of it stored.
    """
    from eventwire.ingest import WARNING_STAGE

    if failure.stage == WARNING_STAGE:
        return "warning"
    return "problem" if article_stored else "skipped"


def _record(failure: Failure, repo: Any, run_id: str, stats: BatchStats, report: StreamReport) -> None:
    """A failure that came instead of an article (from ingest or cleaning)."""
    _count_failure(failure, failure_kind(failure, article_stored=False), repo, run_id, stats, report)


def _count_saved(result: ArticleResult, repo: Any, run_id: str, stats: BatchStats, report: StreamReport) -> None:
    stats.articles += 1
    stats.events += len(result.events)
    if not result.article.is_english:
        stats.non_english += 1
    for failure in result.failures:
        _count_failure(failure, failure_kind(failure, article_stored=True), repo, run_id, stats, report)


def _count_failure(
    failure: Failure, kind: str, repo: Any, run_id: str, stats: BatchStats, report: StreamReport
) -> None:
    repo.record_failure(failure, run_id)
    if kind == "warning":
        stats.warnings.append(failure)
    else:
        stats.failures.append(failure)
    if kind == "skipped":
        stats.rejected.append(failure)
    report.on_failure(failure, kind)
