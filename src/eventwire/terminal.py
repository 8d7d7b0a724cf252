"""What the command line prints: the two consoles, one-line messages, and the exit statuses every command uses."""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text


class _Console(Console):
    """A Rich console that leaves a closed pipe to `quiet_on_closed_stdout` (Rich alone would exit with status 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


#: Never wrapped: one message is one line, however narrow the terminal or pipe.
out = _Console(soft_wrap=True)
err = _Console(stderr=True, soft_wrap=True)


def wide_console(min_width: int) -> Console:
    """A stdout console at least `min_width` columns wide, for tables that must not be squeezed."""
    return _Console(width=max(out.width, min_width))


class ExitStatus(IntEnum):
    """Exit statuses of every `eventwire` command (the table is in README.md and `eventwire run --help`)."""

    OK = 0  #: everything asked was done: every input stored, every row written
    FAILED = 1  #: the command could not complete: database unreachable or failing, disk full, write error
    USAGE = 2  #: the command line is wrong: unknown option, bad value, no such database or record
    REJECTED = 3  #: some inputs were rejected (not stored) and the rest stored; `code`: a line was not valid JSON
    CLOSED_PIPE = 141  #: stdout closed by its reader (`| head`): silent, as for a process ended by SIGPIPE


# C0 and C1 controls (newline, ANSI escapes), line/paragraph separators, bidirectional overrides, and the
# lone surrogates that stand for the undecodable bytes of a file name.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: object) -> str:
    """`text` as one line a terminal shows as is: control characters become escapes (`\\n`, `\\x1b`, `\\u202e`).

    An undecodable byte of a file name (a lone surrogate from `os.fsdecode`) is shown as the byte (`\\xff`).
    """
    return _UNPRINTABLE.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that could not be decoded
        return f"\\x{code - 0xDC00:02x}"
    return match[0].encode("unicode_escape").decode("ascii")


def say(message: str, *, label: str = "", style: str = "", console: Console = out) -> None:
    """Print `message` as one plain line (no Rich markup, control characters escaped) after an optional styled label."""
    line = Text()
    if label:
        line.append(label, style=style)
        line.append(" ")
    line.append(printable(message))
    console.print(line, highlight=False)


def fail(message: str, status: ExitStatus = ExitStatus.USAGE) -> NoReturn:
    """Print one clear error line and exit: USAGE (2) for a wrong command line, FAILED (1) for work not done."""
    say(message, label="error:", style="red", console=err)
    raise typer.Exit(status)


def require_existing_db(db: str) -> str:
    """The database argument, refusing a SQLite path that does not exist (a URL is taken as given)."""
    if "://" not in db and db != ":memory:" and not Path(db).expanduser().exists():
        fail(f"{db}: no such database (create it with `eventwire run ... --db {db}`)")
    return db


def is_closed_pipe(error: BaseException) -> bool:
    """Whether `error` is a write to a pipe whose reader has gone (EPIPE)."""
    return isinstance(error, BrokenPipeError) or getattr(error, "errno", None) == errno.EPIPE


@contextmanager
def quiet_on_closed_stdout() -> Iterator[None]:
    """End the command silently with CLOSED_PIPE when stdout's reader goes away (`eventwire export ... | head`).

    As the Python documentation recommends, stdout is then pointed at /dev/null so that the
    interpreter's last flush does not fail a second time.
    """
    try:
        yield
        sys.stdout.flush()
    except OSError as error:
        if not is_closed_pipe(error):
            raise
        _discard_stdout()
        raise typer.Exit(ExitStatus.CLOSED_PIPE) from None


def _discard_stdout() -> None:
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's buffer)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
