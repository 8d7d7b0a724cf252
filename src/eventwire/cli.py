"""The `eventwire` command line: thin wrappers that parse arguments, call the library and print."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from eventwire.api.commands import register as register_serve_commands
from eventwire.cli_base import App
from eventwire.terminal import (
    ExitStatus,
    err,
    fail,
    is_closed_pipe,
    out,
    printable,
    require_existing_db,
    say,
    wide_console,
)

app = App(add_completion=False, no_args_is_help=True, help="News articles → coded, dated, sourced event data.")
export_app = App(no_args_is_help=True, help="Export records from a database.")
show_app = App(no_args_is_help=True, help="Show one record.")
app.add_typer(export_app, name="export")
app.add_typer(show_app, name="show")
register_serve_commands(app)

EXIT_STATUSES = """\b
Exit status:
  0  every input stored (re-runs: nothing new to store)
  1  the run failed: database unreachable or failing, disk full
  2  usage error: unknown option, bad value
  3  some inputs rejected (one line each on stderr), the rest stored"""


if TYPE_CHECKING:  # imported lazily at run time, to keep the command line quick to start
    from types import FrameType

    from eventwire.pipeline import BatchStats, CorpusStats
    from eventwire.records import Failure
    from eventwire.store.repository import Repository
    from eventwire.watch import FeedSource, Session

DbOption = Annotated[str, typer.Option("--db", metavar="DB", help="SQLite path or SQLAlchemy URL (postgresql://...).")]


def _open(db: str, must_exist: bool = False) -> Repository:
    from eventwire.store import open_repository

    if must_exist:
        require_existing_db(db)
    try:
        return open_repository(db)
    except Exception as exc:  # noqa: BLE001 - shown as one line
        fail(f"{db}: cannot open database: {exc}", ExitStatus.FAILED)


def batch_status(rejected: int) -> ExitStatus:
    """The exit status of a run that completed: REJECTED if any input was rejected (not stored), else OK."""
    return ExitStatus.REJECTED if rejected else ExitStatus.OK


ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        "-x",
        metavar="SPEC",
        help="Where the per-article stages run: inline, local:N (processes), dask://HOST:PORT or dask-local:N.",
    ),
]
ChunkOption = Annotated[int, typer.Option(metavar="N", help="Articles per parallel task.")]
BatchOption = Annotated[int, typer.Option(metavar="N", help="Articles per nlp.pipe batch.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


@app.command(epilog=EXIT_STATUSES)
def run(
    inputs: Annotated[
        list[str] | None, typer.Argument(metavar="PATH", help="Files or directories (recursive); '-' reads stdin.")
    ] = None,
    db: DbOption = "eventwire.db",
    batch_size: BatchOption = 16,
    executor: ExecutorOption = "inline",
    chunk_size: ChunkOption = 32,
    follow: Annotated[
        list[str] | None,
        typer.Option(
            "--follow",
            metavar="FEED",
            help="RSS/Atom feed (URL or file) to re-read every --interval seconds; repeatable.",
        ),
    ] = None,
    interval: Annotated[
        float, typer.Option(metavar="SECONDS", help="Seconds between reads of a followed feed.")
    ] = 300.0,
    quiet: QuietOption = False,
) -> None:
    """Ingest, clean, parse and code articles into a database (re-runs add nothing new).

    With --follow, runs until Ctrl-C; the exit status then covers every batch.
    """
    from eventwire.ingest import read_inputs

    inputs = inputs or []
    if not inputs and not follow:
        fail("give files, directories or '-' to read, or --follow FEED")
    with _session(db, executor, chunk_size, batch_size, quiet) as session:
        if inputs or not follow:
            stats, corpus = session.run_batch(read_inputs(inputs, stdin=sys.stdin.buffer), list(inputs))
            _print_batch(stats, db)
            _print_corpus(corpus)
        if follow:
            _follow(session, list(follow), interval)
    raise typer.Exit(batch_status(session.totals.rejected))


@contextmanager
def _session(db: str, executor: str, chunk_size: int, batch_size: int, quiet: bool) -> Iterator[Session]:
    """A storing session with its executor and a progress display (articles/s, problems)."""
    from eventwire.executors import ExecutorError, StreamReport, open_executor, parse_executor
    from eventwire.pipeline import load_resources
    from eventwire.store import StoreError
    from eventwire.watch import Session

    if chunk_size < 1 or batch_size < 1:
        fail("--chunk-size and --batch-size must be at least 1")
    try:
        spec = parse_executor(executor)
    except ExecutorError as exc:
        fail(str(exc))
    repo = _open(db)
    resources = load_resources()
    try:
        pool = open_executor(spec, resources)
    except ExecutorError as exc:
        repo.close()
        fail(str(exc), ExitStatus.FAILED)
    with _progress(quiet) as progress, pool:
        task = progress.add_task("articles", total=None, rate="", problems=0)
        problems = [0]

        def on_failure(failure: Failure, kind: str) -> None:
            colour, label = {"warning": ("yellow", "warning"), "skipped": ("red", "skipped")}.get(
                kind, ("yellow", "problem")
            )
            if kind != "warning":
                problems[0] += 1
            say(failure.line(), label=label, style=colour, console=err)
            progress.update(task, problems=problems[0])

        def on_progress(articles: int, seconds: float) -> None:
            progress.update(task, completed=articles, rate=f"{articles / max(seconds, 1e-6):.1f} articles/s")

        report = StreamReport(on_failure=on_failure, on_progress=on_progress)
        session = Session(repo, pool, resources, chunk_size=chunk_size, batch_size=batch_size, report=report)
        try:
            yield session
        except StoreError as exc:
            fail(f"{db}: {exc}; articles stored so far are kept, run again to continue", ExitStatus.FAILED)
        finally:
            repo.close()


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]coding[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[problems]} problems"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    ) as progress:
        yield progress


def _print_batch(stats: BatchStats, db: str) -> None:
    say(
        f"{stats.articles} new articles ({stats.non_english} not English, {stats.skipped} already stored), "
        f"{stats.events} events, {_problems(stats)} → {db}"
    )


def _problems(stats: BatchStats) -> str:
    """`N problems`, with how many of them are rejected inputs."""
    rejected = f" ({len(stats.rejected)} inputs rejected)" if stats.rejected else ""
    return f"{len(stats.failures)} problems{rejected}"


def _print_corpus(corpus: CorpusStats | None) -> None:
    if corpus is None:
        return
    say(
        f"corpus: {corpus.articles} articles in {corpus.stories} stories; {corpus.events} event mentions merged into "
        f"{corpus.canonical_events} events; {corpus.claims} figures, {corpus.claim_groups} compared across sources; "
        f"{corpus.inferred_dates} dates inferred from stories"
    )


def _follow(session: Session, feeds: list[str], interval: float) -> None:
    from eventwire.watch import FeedFollower, follow_feeds, timestamp

    def on_batch(source: FeedSource, stats: BatchStats) -> None:
        if stats.articles or stats.failures:
            say(
                f"{timestamp()} {source.location}: {stats.articles} new articles, {stats.events} events, "
                f"{_problems(stats)}"
            )

    def on_error(source: FeedSource, message: str, delay: float) -> None:
        say(
            f"{source.location}: {message} (attempt {source.failures}, retry in {delay:.0f} s)",
            label=f"{timestamp()} feed failed",
            style="red",
            console=err,
        )

    say(f"following {len(feeds)} feed(s) every {interval:g} s; Ctrl-C stops")
    with _until_interrupted():
        follow_feeds(session, FeedFollower(feeds, interval), on_batch=on_batch, on_error=on_error)
    say(session.totals.line())


@contextmanager
def _until_interrupted() -> Iterator[None]:
    """Ends the block quietly on Ctrl-C or SIGTERM, so a long-running command can print its summary."""
    import signal

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command(epilog=EXIT_STATUSES.replace("every input stored", "every file stored"))
def watch(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Directory to watch (recursive).")],
    db: DbOption = "eventwire.db",
    interval: Annotated[
        float, typer.Option(metavar="SECONDS", help="Seconds between polls; a file is taken once its size is stable.")
    ] = 2.0,
    executor: ExecutorOption = "inline",
    chunk_size: ChunkOption = 32,
    batch_size: BatchOption = 16,
    quiet: QuietOption = False,
) -> None:
    """Store the files of a directory, then new files as they appear; Ctrl-C stops with a summary.

    The exit status (on Ctrl-C) covers every batch.
    """
    from eventwire.watch import timestamp, watch_directory

    if not directory.is_dir():
        fail(f"{directory}: not a directory")
    with _session(db, executor, chunk_size, batch_size, quiet) as session:

        def on_batch(files: Sequence[Path], stats: BatchStats, corpus: CorpusStats | None) -> None:
            say(
                f"{timestamp()} {len(files)} files: {stats.articles} new articles ({stats.skipped} already stored), "
                f"{stats.events} events, {_problems(stats)}"
            )
            _print_corpus(corpus)

        say(f"watching {directory} every {interval:g} s → {db}; Ctrl-C stops")
        with _until_interrupted():
            watch_directory(session, directory, interval=interval, on_batch=on_batch)
        say(session.totals.line())
    raise typer.Exit(batch_status(session.totals.rejected))


@app.command(epilog=EXIT_STATUSES)
def rebuild(db: DbOption = "eventwire.db") -> None:
    """Recompute stories, canonical events, inferred dates and claim groups over everything stored.

    `run` updates them incrementally; this gives the same result from scratch.
    """
    from eventwire.pipeline import build_corpus
    from eventwire.store.repository import StoreError, store_errors

    repo = _open(db, must_exist=True)
    try:
        with store_errors("rebuilding stories"):
            corpus = build_corpus(repo.engine, rebuild=True)
    except StoreError as exc:
        fail(str(exc), ExitStatus.FAILED)
    finally:
        repo.close()
    _print_corpus(corpus)


@app.command()
def summary(
    db: DbOption = "eventwire.db", limit: Annotated[int, typer.Option(metavar="N", help="Events to list.")] = 15
) -> None:
    """Print counts, stories and the best-corroborated events of a database."""
    repo = _open(db, must_exist=True)
    wide = wide_console(150)
    counts = repo.counts()
    stories = list(_rows(repo, "stories"))
    events = sorted(_rows(repo, "canonical"), key=lambda e: (-e.get("sources", 1), -len(e["mentions"])))
    say(
        f"{counts['articles']} articles ({counts['english']} English), {len(stories)} stories, "
        f"{len(events)} events from {counts['events']} reports, {counts['failures']} problems recorded"
    )
    story_table = Table("story", "first seen", "articles", "title", title="stories")
    for story in sorted(stories, key=lambda s: -len(s["article_ids"]))[:limit]:
        _add_row(story_table, story["story_id"], story["first_seen"] or "?", len(story["article_ids"]), story["title"])
    wide.print(story_table)
    table = Table("date", "source", "event", "target", "cameo", "goldstein", "outlets", title="events")
    for event in events[:limit]:
        _add_row(
            table,
            f"{event['date'] or '?'} ({event['date_precision']})",
            _actor_label(event["source"]),
            event["plover"] + (f"/{event['mode']}" if event.get("mode") else ""),
            _actor_label(event["target"]) if event["target"] else "-",
            event["cameo"],
            f"{event['goldstein']:+.1f}",
            event.get("sources", 1),
        )
    wide.print(table)
    repo.close()


def _add_row(table: Table, *cells: object) -> None:
    """A table row of stored values shown as they are (no Rich markup, control characters escaped)."""
    table.add_row(*(Text(printable("" if cell is None else cell)) for cell in cells))


def _actor_label(actor: dict) -> str:
    name = actor.get("name") or actor.get("text") or "?"
    tags = "/".join(x for x in (actor.get("country"), actor.get("sector")) if x)
    return f"{name} ({tags})" if tags else name


FormatOption = Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="jsonl, csv or parquet.")]
EventFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="jsonl, csv, parquet, or gdelt (GDELT 2.0's 61 tab-separated event columns; docs/schema.md).",
    ),
]
OutputOption = Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="File to write; '-' is stdout.")]


PartitionOption = Annotated[
    str | None,
    typer.Option(
        "--partition-by",
        metavar="date|month",
        help="With --format parquet: write a directory -o DIR partitioned by date (date=YYYY-MM-DD/) or month.",
    ),
]


@export_app.command("events")
def export_events(
    db: DbOption = "eventwire.db",
    fmt: EventFormatOption = "jsonl",
    output: OutputOption = "-",
    all_mentions: Annotated[
        bool, typer.Option("--all-mentions", help="One row per report (per article mention), not per happening.")
    ] = False,
    partition_by: PartitionOption = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            metavar="P",
            min=0.0,
            max=1.0,
            help="Leave out events whose confidence (the calibrated probability that source, target and type "
            "are right) is below P. Default: the documented threshold (docs/evaluation.md) for canonical "
            "events, 0 (every report) with --all-mentions.",
        ),
    ] = None,
) -> None:
    """Export coded events: one canonical record per happening with all its mentions (docs/schema.md)."""
    from eventwire.events.confidence import default_threshold

    if min_confidence is None:
        min_confidence = 0.0 if all_mentions else default_threshold()
    kind = "events" if all_mentions else "canonical"
    if fmt == "gdelt":
        if all_mentions or partition_by is not None:
            fail("--format gdelt writes one row per canonical event: leave out --all-mentions and --partition-by")
        _export_gdelt(db, output, min_confidence)
        return
    _export(db, kind, fmt, output, partition_by, min_confidence=min_confidence)


def _export_gdelt(db: str, output: str, min_confidence: float) -> None:
    """Canonical events as GDELT 2.0 event rows (tab-separated, no header, as GDELT's own files)."""
    from eventwire.store.gdelt import store_lines

    repo = _open(db, must_exist=True)
    rows = _Confident(_rows(repo, "canonical"), min_confidence)

    def write() -> int:
        count = 0
        with repo.engine.connect() as connection, _text_target(output) as stream:
            for line in store_lines(connection, rows):
                stream.write(line)
                count += 1
        return count

    _finish_export(repo, rows, output, "events (GDELT 2.0 rows)", write)


@contextmanager
def _text_target(output: str) -> Iterator[IO[str]]:
    if output == "-":
        yield sys.stdout
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        yield stream


@export_app.command("articles")
def export_articles(
    db: DbOption = "eventwire.db",
    fmt: FormatOption = "jsonl",
    output: OutputOption = "-",
    partition_by: PartitionOption = None,
) -> None:
    """Export cleaned articles with their metadata and removed lines."""
    _export(db, "articles", fmt, output, partition_by)


@export_app.command("stories")
def export_stories(db: DbOption = "eventwire.db", fmt: FormatOption = "jsonl", output: OutputOption = "-") -> None:
    """Export stories: articles about the same happening, with an extractive summary."""
    _export(db, "stories", fmt, output)


@export_app.command("claims")
def export_claims(db: DbOption = "eventwire.db", fmt: FormatOption = "jsonl", output: OutputOption = "-") -> None:
    """Export quantitative claims with their subject, period, speaker and agreement across sources."""
    _export(db, "claims", fmt, output)


@export_app.command("quotes")
def export_quotes(db: DbOption = "eventwire.db", fmt: FormatOption = "jsonl", output: OutputOption = "-") -> None:
    """Export direct quotations with their resolved speaker."""
    _export(db, "quotes", fmt, output)


def _rows(repo: Repository, kind: str) -> Iterator[dict[str, Any]]:
    from eventwire.store import corpus

    if kind == "canonical":
        if corpus.has_canonical_events(repo.engine):
            return corpus.iter_canonical_events(repo.engine)
        return repo.iter_events()
    readers = {
        "events": repo.iter_events,
        "articles": repo.iter_articles,
        "stories": lambda: corpus.iter_stories(repo.engine),
        "claims": lambda: corpus.iter_claims(repo.engine),
        "quotes": lambda: corpus.iter_quotes(repo.engine),
    }
    return readers[kind]()


class _Confident:
    """Rows at or above a confidence threshold (every row when it is 0), counting those left out."""

    def __init__(self, rows: Iterable[dict], min_confidence: float) -> None:
        self.rows, self.min_confidence, self.left_out = rows, min_confidence, 0

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            if self.min_confidence > 0 and (row.get("confidence") or 0.0) < self.min_confidence:
                self.left_out += 1
            else:
                yield row

    def note(self) -> None:
        """Say on stderr what the threshold left out, so that nothing is dropped silently."""
        if self.left_out:
            say(f"{self.left_out} events below confidence {self.min_confidence:.2f} left out "
                "(--min-confidence 0 exports them all)", console=err)  # fmt: skip


def _export(
    db: str, kind: str, fmt: str, output: str, partition_by: str | None = None, min_confidence: float = 0.0
) -> None:
    from eventwire.store.export import write_rows

    if fmt not in ("jsonl", "csv", "parquet"):
        fail(f"--format {fmt!r}: choose jsonl, csv or parquet")
    if partition_by is not None:
        _export_partitioned(db, kind, fmt, output, partition_by, min_confidence)
        return
    if fmt == "parquet" and output == "-" and sys.stdout.isatty():
        fail("parquet is binary: give --output FILE or redirect stdout")
    repo = _open(db, must_exist=True)
    target = sys.stdout.buffer if output == "-" else output
    contract = {"events": "events", "articles": "articles"}.get(kind)
    rows = _Confident(_rows(repo, kind), min_confidence)
    _finish_export(repo, rows, output, kind, lambda: write_rows(iter(rows), fmt, target, kind=contract))


def _finish_export(repo: Repository, rows: _Confident, output: str, label: str, write: Callable[[], int]) -> None:
    """Run an export's writer: a write error is one line (a closed pipe ends quietly), the store is
    closed, what the threshold left out is said, and the count when writing to a file."""
    try:
        count = write()
    except OSError as exc:
        if is_closed_pipe(exc):
            raise
        fail(f"{output}: {exc.strerror or exc}", ExitStatus.FAILED)
    finally:
        repo.close()
    rows.note()
    if output != "-":
        say(f"{count} {label} → {output}", console=err)


def _export_partitioned(db: str, kind: str, fmt: str, output: str, partition_by: str, min_confidence: float) -> None:
    """Date- or month-partitioned Parquet into the directory `output`."""
    from eventwire.store.export import ExportError, write_partitioned

    if fmt != "parquet":
        fail("--partition-by needs --format parquet")
    if output == "-":
        fail("--partition-by writes a directory: give --output DIR")
    repo = _open(db, must_exist=True)
    contract = "articles" if kind == "articles" else "events"
    try:
        rows = _Confident(_rows(repo, kind), min_confidence)
        counts = write_partitioned(iter(rows), output, contract, by=partition_by)
    except ExportError as exc:
        fail(f"{output}: {exc}")
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}", ExitStatus.FAILED)
    finally:
        repo.close()
    rows.note()
    say(f"{sum(counts.values())} {kind} in {len(counts)} partitions → {output}", console=err)


@app.command()
def claims(
    db: DbOption = "eventwire.db",
    story: Annotated[str | None, typer.Option("--story", metavar="ID", help="Only this story's claims.")] = None,
) -> None:
    """Show figures grouped by what they measure, with each source and whether sources agree."""
    from eventwire.store import corpus

    repo = _open(db, must_exist=True)
    rows = list(corpus.iter_claims(repo.engine, story_id=story))
    if story and not rows:
        fail(f"no claims for story {story!r} in {db}")
    table = Table("subject", "period", "figure", "status", "outlet / article", "speaker", "note")
    for row in rows:
        if row["converted_from"]:
            continue
        period = row["period_text"] or "-"
        if row["period_start"]:
            period = f"{row['period_start'][:7]}..{row['period_end'][:7]}"
        speaker = (row["speaker"] or {}).get("name") or (row["speaker"] or {}).get("text") or ""
        _add_row(
            table,
            row["subject"] or "?",
            period,
            row["text"],
            row["status"] or "",
            row["outlet"] or row["article_id"][:10],
            speaker,
            row["note"] if row["status"] == "disagree" else "",
        )
    wide_console(160).print(table)
    repo.close()


@show_app.command("article")
def show_article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (a unique prefix is enough).")],
    db: DbOption = "eventwire.db",
    removed: Annotated[bool, typer.Option("--removed", help="Show the lines cleaning removed.")] = False,
) -> None:
    """Show a cleaned article, or what cleaning removed from it."""
    repo = _open(db, must_exist=True)
    matches = repo.find_articles(article_id)
    if not matches:
        fail(f"no article with id {article_id!r} in {db}")
    if len(matches) > 1:
        fail(f"id prefix {article_id!r} is ambiguous: {', '.join(matches[:5])}")
    article = repo.get_article(matches[0])
    assert article is not None
    heading = Text(printable(article["title"] or "(no title)"), style="bold")
    heading.append(
        printable(
            f"  {article['published'] or 'no date'}  {article['outlet'] or ''}  "
            f"[{article['language'] or '?'}]  {article['article_id']}"
        ),
        style="not bold",
    )
    out.print(heading, highlight=False)
    if removed:
        for line in article["removed"]:
            say(line["text"], label=f"{line['rule']:>18} ", style="dim")
    else:
        out.print("\n".join(map(printable, article["text"].split("\n"))), markup=False, highlight=False, emoji=False)
    repo.close()


@app.command(
    epilog="""\b
Exit status:
  0  every line coded as given
  1  the run failed
  2  usage error
  3  some lines were not valid UTF-8, JSON or dates (one warning each on stderr); they were coded as best as possible"""
)
def code(
    batch_size: Annotated[int, typer.Option(metavar="N", help="Texts per nlp.pipe batch.")] = 64,
) -> None:
    """Code stdin lines, JSON objects ("id", "text", optional "date") or plain text: one JSON line out per line in."""
    from eventwire.pipeline import code_texts, load_resources

    resources = load_resources()
    inputs = CodeInputs(sys.stdin.buffer)
    for item_id, events in code_texts(inputs, resources, batch_size=batch_size):
        sys.stdout.write(
            json.dumps({"id": item_id, "events": [e.to_json() for e in events]}, ensure_ascii=False) + "\n"
        )
    sys.stdout.flush()
    raise typer.Exit(batch_status(inputs.bad_lines))


class CodeInputs:
    """The lines of a byte stream as (id, text, date) for `code`, each bad line warned about and counted."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self.stream = stream
        self.bad_lines = 0

    def __iter__(self) -> Iterator[tuple[str, str, dt.date | None]]:
        for number, raw in enumerate(self.stream, start=1):
            yield self._parse(number, self._decode(number, raw).rstrip("\r\n"))

    def _decode(self, number: int, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self._warn(number, "not valid UTF-8; undecodable bytes replaced")
            return raw.decode("utf-8", errors="replace")

    def _parse(self, number: int, line: str) -> tuple[str, str, dt.date | None]:
        if not line.lstrip().startswith("{"):
            return str(number), line, None
        try:
            obj = json.loads(line)
        except ValueError as exc:
            self._warn(number, f"not valid JSON ({exc}); coded as plain text")
            return str(number), line, None
        if not isinstance(obj, dict):
            self._warn(number, f"a JSON {type(obj).__name__}, not an object; coded as plain text")
            return str(number), line, None
        item_id, text, date = str(obj.get("id", number)), str(obj.get("text") or ""), obj.get("date")
        try:
            return item_id, text, dt.date.fromisoformat(str(date)[:10]) if date else None
        except ValueError:
            self._warn(number, f"date {date!r} is not YYYY-MM-DD; coded without a date")
            return item_id, text, None

    def _warn(self, number: int, problem: str) -> None:
        self.bad_lines += 1
        say(f"stdin:{number}: {problem}", label="warning", style="yellow", console=err)


@app.command("eval")
def evaluate(
    data: Annotated[Path, typer.Option(metavar="DIR", help="Folder of reference data.")] = Path("../shared/data"),
    only: Annotated[list[str] | None, typer.Option(metavar="PART", help="Run only this part; repeatable.")] = None,
    output: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Also write the numbers as JSON here.")
    ] = None,
) -> None:
    """Score the system on the reference data and print a table of results."""
    from eventwire.evaluation import run_evaluation

    if not data.is_dir():
        fail(f"{data}: no such data folder")
    if output and not output.parent.is_dir():
        fail(f"{output}: its folder does not exist")  # said before minutes of scoring, not after
    try:
        results = run_evaluation(data, only=only, console=err)
    except FileNotFoundError as exc:
        fail(str(exc), ExitStatus.FAILED)
    except ValueError as exc:
        fail(str(exc))
    columns = ("task", "metric", "majority", "baseline", "rules only", "eventwire", "n")
    table = Table(*columns, title="eventwire eval")
    for row in results["rows"]:
        table.add_row(*[_fmt(row.get(k)) for k in columns])
    wide_console(150).print(table)
    if output:
        try:
            output.write_text(json.dumps(results, indent=2, default=str))
        except OSError as exc:
            fail(f"{output}: {exc.strerror or exc}", ExitStatus.FAILED)


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def main() -> None:
    """Entry point of the `eventwire` command."""
    app()


if __name__ == "__main__":
    main()
