"""The `eventwire` command line: thin wrappers that parse arguments, call the library and print."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from eventwire.web.commands import register as register_web_commands

app = typer.Typer(add_completion=False, no_args_is_help=True, help="News articles → coded, dated, sourced event data.")
export_app = typer.Typer(no_args_is_help=True, help="Export records from a database.")
show_app = typer.Typer(no_args_is_help=True, help="Show one record.")
app.add_typer(export_app, name="export")
app.add_typer(show_app, name="show")
register_web_commands(app)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL (postgresql://...).")]


def fail(message: str) -> None:
    """Print one clear error line and exit with status 2."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(2)


def _open(db: str, must_exist: bool = False):  # noqa: ANN202 - Repository
    from eventwire.store import open_repository

    if must_exist and "://" not in db and not Path(db).exists():
        fail(f"{db}: no such database (create it with `eventwire run ... --db {db}`)")
    try:
        return open_repository(db)
    except Exception as exc:  # noqa: BLE001 - shown as one line
        fail(f"{db}: cannot open database: {exc}")
        raise


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files or directories (recursive); '-' reads stdin.")],
    db: DbOption = "eventwire.db",
    batch_size: Annotated[int, typer.Option(help="Articles per nlp.pipe batch.")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest, clean, parse and code articles into a database (re-runs add nothing new)."""
    from eventwire.ingest import WARNING_STAGE, read_inputs
    from eventwire.pipeline import BatchStats, clean_stream, load_resources, process_articles
    from eventwire.records import Article, Failure

    repo = _open(db)
    run_id = repo.start_run(list(inputs))
    stats = BatchStats()
    resources = load_resources()

    def fresh_articles():  # noqa: ANN202
        for item in clean_stream(read_inputs(inputs, stdin=sys.stdin.buffer), stats):
            if isinstance(item, Failure):
                repo.record_failure(item, run_id)
                if item.stage == WARNING_STAGE:
                    err.print(f"[yellow]warning[/yellow] {item.line()}", highlight=False)
                else:
                    stats.failures.append(item)
                    err.print(f"[red]skipped[/red] {item.line()}", highlight=False)
                continue
            assert isinstance(item, Article)
            if repo.has_article(item.article_id):
                stats.skipped += 1
                continue
            yield item

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]coding[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task("articles", total=None, rate="")
        started = dt.datetime.now()
        for result in process_articles(fresh_articles(), resources, batch_size=batch_size):
            repo.save_result(result, run_id)
            stats.articles += 1
            stats.events += len(result.events)
            if not result.article.is_english:
                stats.non_english += 1
            for failure in result.failures:
                stats.failures.append(failure)
                repo.record_failure(failure, run_id)
                err.print(f"[yellow]problem[/yellow] {failure.line()}", highlight=False)
            seconds = max((dt.datetime.now() - started).total_seconds(), 1e-6)
            progress.update(task, advance=1, rate=f"{stats.articles / seconds:.1f} articles/s")
    from eventwire.pipeline import build_corpus

    corpus = build_corpus(repo.engine, resources)
    repo.finish_run(
        run_id,
        {
            "articles": stats.articles,
            "skipped": stats.skipped,
            "events": stats.events,
            "failures": len(stats.failures),
        },
    )
    out.print(
        f"{stats.articles} new articles ({stats.non_english} not English, {stats.skipped} already stored), "
        f"{stats.events} events, {len(stats.failures)} problems → {db}",
        highlight=False,
    )
    out.print(
        f"corpus: {corpus.articles} articles in {corpus.stories} stories; {corpus.events} event mentions merged into "
        f"{corpus.canonical_events} events; {corpus.claims} figures, {corpus.claim_groups} compared across sources; "
        f"{corpus.inferred_dates} dates inferred from stories",
        highlight=False,
    )
    repo.close()


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


@export_app.command("events")
def export_events(
    db: DbOption = "eventwire.db",
    fmt: FormatOption = "jsonl",
    output: OutputOption = "-",
    all_mentions: Annotated[
        bool, typer.Option("--all-mentions", help="One row per report (per article mention), not per happening.")
    ] = False,
) -> None:
    """Export coded events: one canonical record per happening with all its mentions (docs/schema.md)."""
    _export(db, "events" if all_mentions else "canonical", fmt, output)


@export_app.command("articles")
def export_articles(db: DbOption = "eventwire.db", fmt: FormatOption = "jsonl", output: OutputOption = "-") -> None:
    """Export cleaned articles with their metadata and removed lines."""
    _export(db, "articles", fmt, output)


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


def _export(db: str, kind: str, fmt: str, output: str) -> None:
    from eventwire.store.export import write_rows

    if fmt not in ("jsonl", "csv", "parquet"):
        fail(f"--format {fmt!r}: choose jsonl, csv or parquet")
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
