"""What the command line prints: the two consoles and the one-line errors every command uses."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

#: Never wrapped: one message is one line, however narrow the terminal or pipe.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> None:
    """Print one clear error line and exit with status 2."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(2)


def require_existing_db(db: str) -> str:
    """The database argument, refusing a SQLite path that does not exist (a URL is taken as given)."""
    if "://" not in db and db != ":memory:" and not Path(db).expanduser().exists():
        fail(f"{db}: no such database (create it with `eventwire run ... --db {db}`)")
    return db
