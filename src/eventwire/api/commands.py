"""The `serve` and `plot` commands of the `eventwire` CLI (added by `register`): serve the web application,
or draw the dyad page's timeline to a file."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from eventwire.cli_base import App
from eventwire.terminal import ExitStatus, err, fail, require_existing_db, say

DbOption = Annotated[str, typer.Option("--db", metavar="DB", help="SQLite path or SQLAlchemy URL (postgresql://...).")]
PERIODS = ("day", "week", "month", "year")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: DbOption = "eventwire.db",
    host: Annotated[
        str, typer.Option(metavar="HOST", help="Interface to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, metavar="PORT", help="TCP port.")] = 8765,
) -> None:
    """Browse a database: web pages and a JSON API (under /api) at http://HOST:PORT/."""
    import uvicorn

    from eventwire.api import create_app

    require_existing_db(db)
    try:
        app = create_app(db)
    except Exception as exc:  # noqa: BLE001 - shown as one line
        fail(f"{db}: cannot open database: {exc}", ExitStatus.FAILED)
    shown_host = f"[{host}]" if ":" in host else host
    say(f"eventwire serving {db} at http://{shown_host}:{port}/  (Ctrl+C to stop)")
    if not _is_loopback(host):
        say(f"listening on {host}: reachable from other machines", label="warning:", style="yellow", console=err)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def plot_dyad(
    a: Annotated[str, typer.Argument(metavar="ISO3", help="First country (ISO3, e.g. RUS).")],
    b: Annotated[str, typer.Argument(metavar="ISO3", help="Second country (ISO3, e.g. CHN).")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="File to write: .png, .svg or .html.")],
    db: DbOption = "eventwire.db",
    by: Annotated[str, typer.Option("--by", metavar="PERIOD", help="Period: day, week, month or year.")] = "month",
    start: Annotated[str | None, typer.Option(metavar="DATE", help="First day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last day (YYYY-MM-DD).")] = None,
) -> None:
    """Draw the timeline of events between two countries (both directions) by quad class."""
    from eventwire.plots import FORMATS, PlotError, write_dyad_plot

    codes = [code.upper() for code in (a, b)]
    for code in codes:
        if len(code) != 3 or not code.isalpha():
            fail(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    if by not in PERIODS:
        fail(f"--by {by!r}: choose {', '.join(PERIODS)}")
    if output.suffix.lower() not in FORMATS:
        fail(f"{output}: choose a .png, .svg or .html file name")
    first, last = _date_option("start", start), _date_option("end", end)
    try:
        path = write_dyad_plot(require_existing_db(db), codes[0], codes[1], output, by, first, last)
    except PlotError as exc:
        fail(str(exc), ExitStatus.FAILED)
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}", ExitStatus.FAILED)
    say(f"{codes[0]}–{codes[1]} by {by} → {path}", console=err)


def _date_option(name: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--{name} {value!r}: expected YYYY-MM-DD")


def register(app: typer.Typer) -> None:
    """Add `serve` and `plot dyad` to the CLI."""
    app.command("serve")(serve)
    plot_app = App(no_args_is_help=True, help="Draw charts to files (PNG, SVG, HTML).")
    plot_app.command("dyad")(plot_dyad)
    app.add_typer(plot_app, name="plot")
