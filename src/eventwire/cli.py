"""The `eventwire` command line: thin wrappers that parse arguments, call the library and print."""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from eventwire.terminal import err, fail, out, require_existing_db
from eventwire.web.commands import register as register_web_commands

app = typer.Typer(add_completion=False, no_args_is_help=True, help="News articles → coded, dated, sourced event data.")
export_app = typer.Typer(no_args_is_help=True, help="Export records from a database.")
show_app = typer.Typer(no_args_is_help=True, help="Show one record.")
app.add_typer(export_app, name="export")
app.add_typer(show_app, name="show")
register_web_commands(app)


DbOption = Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL (postgresql://...).")]


def _open(db: str, must_exist: bool = False):  # noqa: ANN202 - Repository
    from eventwire.store import open_repository

    if must_exist:
        require_existing_db(db)
    try:
        return open_repository(db)
    except Exception as exc:  # noqa: BLE001 - shown as one line
        fail(f"{db}: cannot open database: {exc}")
        raise


ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        "-x",
        help="Where the per-article stages run: inline, local:N (processes), dask://HOST:PORT or dask-local:N.",
    ),
]
ChunkOption = Annotated[int, typer.Option(help="Articles per parallel task.")]


@app.command()
def run(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Files or directories (recursive); '-' reads stdin.")
    ] = None,
    db: DbOption = "eventwire.db",
    batch_size: Annotated[int, typer.Option(help="Articles per nlp.pipe batch.")] = 16,
    executor: ExecutorOption = "inline",
    chunk_size: ChunkOption = 32,
    follow: Annotated[
        list[str] | None,
        typer.Option("--follow", help="RSS/Atom feed (URL or file) to re-read every --interval seconds; repeatable."),
    ] = None,
    interval: Annotated[float, typer.Option(help="Seconds between reads of a followed feed.")] = 300.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest, clean, parse and code articles into a database (re-runs add nothing new)."""
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


@contextmanager
def _session(db: str, executor: str, chunk_size: int, batch_size: int, quiet: bool):  # noqa: ANN202
    """A storing session with its executor and a progress display (articles/s, problems)."""
    from eventwire.executors import ExecutorError, StreamReport, open_executor
    from eventwire.pipeline import load_resources
    from eventwire.store import StoreError
    from eventwire.watch import Session

    if chunk_size < 1 or batch_size < 1:
        fail("--chunk-size and --batch-size must be at least 1")
    repo = _open(db)
    resources = load_resources()
    try:
        pool = open_executor(executor, resources)
    except ExecutorError as exc:
        repo.close()
        fail(str(exc))
        raise
    with _progress(quiet) as progress, pool:
        task = progress.add_task("articles", total=None, rate="", problems=0)
        problems = [0]

        def on_failure(failure, kind: str) -> None:  # noqa: ANN001
            colour, label = {"warning": ("yellow", "warning"), "skipped": ("red", "skipped")}.get(
                kind, ("yellow", "problem")
            )
            if kind != "warning":
                problems[0] += 1
            err.print(f"[{colour}]{label}[/{colour}] {escape(failure.line())}", highlight=False)
            progress.update(task, problems=problems[0])

        def on_progress(articles: int, seconds: float) -> None:
            progress.update(task, completed=articles, rate=f"{articles / max(seconds, 1e-6):.1f} articles/s")

        report = StreamReport(on_failure=on_failure, on_progress=on_progress)
        session = Session(repo, pool, resources, chunk_size=chunk_size, batch_size=batch_size, report=report)
        try:
            yield session
        except StoreError as exc:
            fail(f"{db}: {exc}; articles stored so far are kept, run again to continue")
        finally:
            repo.close()


@contextmanager
def _progress(quiet: bool):  # noqa: ANN202 - Progress
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


def _print_batch(stats, db: str) -> None:  # noqa: ANN001 - BatchStats
    out.print(
        f"{stats.articles} new articles ({stats.non_english} not English, {stats.skipped} already stored), "
        f"{stats.events} events, {len(stats.failures)} problems → {db}",
        highlight=False,
    )


def _print_corpus(corpus) -> None:  # noqa: ANN001 - CorpusStats | None
    if corpus is None:
        return
    out.print(
        f"corpus: {corpus.articles} articles in {corpus.stories} stories; {corpus.events} event mentions merged into "
        f"{corpus.canonical_events} events; {corpus.claims} figures, {corpus.claim_groups} compared across sources; "
        f"{corpus.inferred_dates} dates inferred from stories",
        highlight=False,
    )


def _follow(session, feeds: list[str], interval: float) -> None:  # noqa: ANN001 - Session
    from eventwire.watch import FeedFollower, follow_feeds, timestamp

    def on_batch(source, stats) -> None:  # noqa: ANN001
        if stats.articles or stats.failures:
            out.print(
                f"{timestamp()} {source.location}: {stats.articles} new articles, {stats.events} events, "
                f"{len(stats.failures)} problems",
                highlight=False,
            )

    def on_error(source, message: str, delay: float) -> None:  # noqa: ANN001
        err.print(
            f"{timestamp()} [red]feed failed[/red] {source.location}: {message} "
            f"(attempt {source.failures}, retry in {delay:.0f} s)",
            highlight=False,
        )

    out.print(f"following {len(feeds)} feed(s) every {interval:g} s; Ctrl-C stops", highlight=False)
    with _until_interrupted():
        follow_feeds(session, FeedFollower(feeds, interval), on_batch=on_batch, on_error=on_error)
    out.print(session.totals.line(), highlight=False)


@contextmanager
def _until_interrupted():  # noqa: ANN202
    """Ends the block quietly on Ctrl-C or SIGTERM, so a long-running command can print its summary."""
    import signal

    def interrupt(_signum, _frame) -> None:  # noqa: ANN001
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def watch(
    directory: Annotated[Path, typer.Argument(help="Directory to watch (recursive).")],
    db: DbOption = "eventwire.db",
    interval: Annotated[
        float, typer.Option(help="Seconds between polls; a file is taken once its size is stable.")
    ] = 2.0,
    executor: ExecutorOption = "inline",
    chunk_size: ChunkOption = 32,
    batch_size: Annotated[int, typer.Option(help="Articles per nlp.pipe batch.")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Store the files of a directory, then new files as they appear; Ctrl-C stops with a summary."""
    from eventwire.watch import timestamp, watch_directory

    if not directory.is_dir():
        fail(f"{directory}: not a directory")
    with _session(db, executor, chunk_size, batch_size, quiet) as session:

        def on_batch(files, stats, corpus) -> None:  # noqa: ANN001
            out.print(
                f"{timestamp()} {len(files)} files: {stats.articles} new articles ({stats.skipped} already stored), "
                f"{stats.events} events, {len(stats.failures)} problems",
                highlight=False,
            )
            _print_corpus(corpus)

        out.print(f"watching {directory} every {interval:g} s → {db}; Ctrl-C stops", highlight=False)
        with _until_interrupted():
            watch_directory(session, directory, interval=interval, on_batch=on_batch)
        out.print(session.totals.line(), highlight=False)


@app.command()
def summary(db: DbOption = "eventwire.db", limit: Annotated[int, typer.Option(help="Events to list.")] = 15) -> None:
    """Print counts, stories and the best-corroborated events of a database."""
    repo = _open(db, must_exist=True)
    wide = Console(width=max(out.width, 150), soft_wrap=False)
    counts = repo.counts()
    stories = list(_rows(repo, "stories"))
    events = sorted(_rows(repo, "canonical"), key=lambda e: (-e.get("sources", 1), -len(e["mentions"])))
    out.print(
        f"{counts['articles']} articles ({counts['english']} English), {len(stories)} stories, "
        f"{len(events)} events from {counts['events']} reports, {counts['failures']} problems recorded",
        highlight=False,
    )
    story_table = Table("story", "first seen", "articles", "title", title="stories")
    for story in sorted(stories, key=lambda s: -len(s["article_ids"]))[:limit]:
        story_table.add_row(
            story["story_id"], story["first_seen"] or "?", str(len(story["article_ids"])), story["title"]
        )
    wide.print(story_table)
    table = Table("date", "source", "event", "target", "cameo", "goldstein", "outlets", title="events")
    for event in events[:limit]:
        table.add_row(
            f"{event['date'] or '?'} ({event['date_precision']})",
            _actor_label(event["source"]),
            event["plover"] + (f"/{event['mode']}" if event.get("mode") else ""),
            _actor_label(event["target"]) if event["target"] else "-",
            event["cameo"],
            f"{event['goldstein']:+.1f}",
            str(event.get("sources", 1)),
        )
    wide.print(table)
    repo.close()


def _actor_label(actor: dict) -> str:
    name = actor.get("name") or actor.get("text") or "?"
    tags = "/".join(x for x in (actor.get("country"), actor.get("sector")) if x)
    return f"{name} ({tags})" if tags else name


FormatOption = Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")]
OutputOption = Annotated[str, typer.Option("--output", "-o", help="File to write; '-' is stdout.")]


PartitionOption = Annotated[
    str | None,
    typer.Option(
        "--partition-by",
        help="With --format parquet: write a directory -o DIR partitioned by date (date=YYYY-MM-DD/) or month.",
    ),
]


@export_app.command("events")
def export_events(
    db: DbOption = "eventwire.db",
    fmt: FormatOption = "jsonl",
    output: OutputOption = "-",
    all_mentions: Annotated[
        bool, typer.Option("--all-mentions", help="One row per report (per article mention), not per happening.")
    ] = False,
    partition_by: PartitionOption = None,
) -> None:
    """Export coded events: one canonical record per happening with all its mentions (docs/schema.md)."""
    _export(db, "events" if all_mentions else "canonical", fmt, output, partition_by)


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


def _rows(repo, kind: str):  # noqa: ANN001, ANN202 - Repository, Iterator[dict]
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


def _export(db: str, kind: str, fmt: str, output: str, partition_by: str | None = None) -> None:
    from eventwire.store.export import write_rows

    if fmt not in ("jsonl", "csv", "parquet"):
        fail(f"--format {fmt!r}: choose jsonl, csv or parquet")
    if partition_by is not None:
        _export_partitioned(db, kind, fmt, output, partition_by)
        return
    if fmt == "parquet" and output == "-" and sys.stdout.isatty():
        fail("parquet is binary: give --output FILE or redirect stdout")
    repo = _open(db, must_exist=True)
    target = sys.stdout.buffer if output == "-" else output
    contract = {"events": "events", "articles": "articles"}.get(kind)
    try:
        count = write_rows(_rows(repo, kind), fmt, target, kind=contract)  # type: ignore[arg-type]
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}")
        raise
    if output != "-":
        err.print(f"{count} {kind} → {output}", highlight=False)
    repo.close()


def _export_partitioned(db: str, kind: str, fmt: str, output: str, partition_by: str) -> None:
    """Date- or month-partitioned Parquet into the directory `output`."""
    from eventwire.store.export import ExportError, write_partitioned

    if fmt != "parquet":
        fail("--partition-by needs --format parquet")
    if output == "-":
        fail("--partition-by writes a directory: give --output DIR")
    repo = _open(db, must_exist=True)
    contract = "articles" if kind == "articles" else "events"
    try:
        counts = write_partitioned(_rows(repo, kind), output, contract, by=partition_by)
    except (ExportError, OSError) as exc:
        fail(f"{output}: {getattr(exc, 'strerror', None) or exc}")
        raise
    finally:
        repo.close()
    err.print(f"{sum(counts.values())} {kind} in {len(counts)} partitions → {output}", highlight=False)


@app.command()
def claims(
    db: DbOption = "eventwire.db",
    story: Annotated[str | None, typer.Option("--story", help="Only this story's claims.")] = None,
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
        table.add_row(
            row["subject"] or "?",
            period,
            row["text"],
            row["status"] or "",
            row["outlet"] or row["article_id"][:10],
            speaker,
            row["note"] if row["status"] == "disagree" else "",
        )
    Console(width=max(out.width, 160)).print(table)
    repo.close()


@show_app.command("article")
def show_article(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
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
    out.print(
        f"[bold]{article['title'] or '(no title)'}[/bold]  {article['published'] or 'no date'}  "
        f"{article['outlet'] or ''}  [{article['language'] or '?'}]  {article['article_id']}"
    )
    if removed:
        for line in article["removed"]:
            out.print(f"[dim]{line['rule']:>18}[/dim]  {line['text']}", highlight=False)
    else:
        out.print(article["text"], highlight=False)
    repo.close()


@app.command()
def code(
    batch_size: Annotated[int, typer.Option(help="Texts per nlp.pipe batch.")] = 64,
) -> None:
    """Code JSON lines {"id","text","date"?} (or plain text) from stdin: one JSON line out per line in."""
    from eventwire.pipeline import code_texts, load_resources

    resources = load_resources()
    for item_id, events in code_texts(_code_inputs(sys.stdin), resources, batch_size=batch_size):
        sys.stdout.write(
            json.dumps({"id": item_id, "events": [e.to_json() for e in events]}, ensure_ascii=False) + "\n"
        )
    sys.stdout.flush()


def _code_inputs(lines):  # noqa: ANN001, ANN202
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\n")
        item_id, text, date = str(number), line, None
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
                item_id = str(obj.get("id", number))
                text = str(obj.get("text") or "")
                date = dt.date.fromisoformat(str(obj["date"])[:10]) if obj.get("date") else None
            except (ValueError, TypeError, AttributeError) as exc:
                err.print(
                    f"stdin:{number}: not a valid JSON object with text ({exc}); coded as plain text",
                    highlight=False,
                )
                text = line
        yield item_id, text, date


@app.command("eval")
def evaluate(
    data: Annotated[Path, typer.Option(help="Folder of reference data.")] = Path("../shared/data"),
    only: Annotated[list[str] | None, typer.Option(help="Run only these parts.")] = None,
    output: Annotated[Path | None, typer.Option("--json", help="Also write the numbers as JSON here.")] = None,
) -> None:
    """Score the system on the reference data and print a table of results."""
    from eventwire.evaluation import run_evaluation

    if not data.is_dir():
        fail(f"{data}: no such data folder")
    try:
        results = run_evaluation(data, only=only, console=err)
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
        raise
    columns = ("task", "metric", "majority", "baseline", "rules only", "eventwire", "n")
    table = Table(*columns, title="eventwire eval")
    for row in results["rows"]:
        table.add_row(*[_fmt(row.get(k)) for k in columns])
    Console(width=max(out.width, 150)).print(table)
    if output:
        output.write_text(json.dumps(results, indent=2, default=str))


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
