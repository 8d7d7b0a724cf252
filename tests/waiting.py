"""Waiting on work done elsewhere (a subprocess, a server thread) by its observable progress.

A test never gives a subprocess a wall-clock budget: on a loaded machine a run may be ten times
slower than on an idle one and still be correct. `wait_until` waits for a condition while the
work visibly moves on (rows stored, a file growing, lines written), and fails only when nothing
has moved for a long stall period, when the process died, or after a very generous hang guard.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

#: Seconds without any observable progress after which a wait fails (model loading included).
STALL_TIMEOUT = 300.0
#: Ceiling for anything that only guards against a hang (subprocess.run, communicate, joins).
HANG_GUARD = 600.0


def wait_until(
    condition: Callable[[], bool],
    *,
    progress: Callable[[], object] | None = None,
    process: subprocess.Popen | None = None,
    alive: Callable[[], bool] | None = None,
    stall_timeout: float = STALL_TIMEOUT,
    hang_guard: float = 3600.0,
    what: str = "the condition",
    poll: float = 0.1,
) -> None:
    """Return once `condition()` holds; fail (pytest.fail) when the work stalls, dies or hangs.

    `progress()` returns any value that changes while the work moves on (a row count, a file
    size); every change restarts the `stall_timeout` clock. Without it, the stall clock never
    restarts. `process` (or `alive()`) is checked on every poll: a process that exits before the
    condition holds fails the wait at once, with its stderr when it was piped. `hang_guard` is
    an absolute ceiling for work that keeps "progressing" forever.
    """
    started = last_change = time.monotonic()
    last_seen = progress() if progress else None
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"process exited with {process.returncode} before {what}: {_stderr_of(process)}")
        if alive is not None and not alive():
            pytest.fail(f"the work stopped before {what}")
        now = time.monotonic()
        if progress is not None:
            seen = progress()
            if seen != last_seen:
                last_seen, last_change = seen, now
        if now - last_change > stall_timeout:
            pytest.fail(f"no progress for {stall_timeout:.0f} s while waiting for {what} (last seen: {last_seen!r})")
        if now - started > hang_guard:
            pytest.fail(f"still waiting for {what} after {hang_guard:.0f} s although progress was made")
        time.sleep(poll)


def file_sizes(*paths: Path) -> tuple[int, ...]:
    """Sizes of files that grow while a process works (missing files count 0): a progress signal."""
    return tuple(path.stat().st_size if path.exists() else 0 for path in paths)


def sqlite_files(db: Path) -> tuple[Path, Path, Path]:
    """A SQLite database with its write-ahead log and shared-memory files, whose sizes show writes."""
    return db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")


def sqlite_count(db: Path, query: str) -> int:
    """`SELECT count(*) ...` on a SQLite database another process is writing, read-only; 0 while the
    file or its schema does not exist yet."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute(query).fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _stderr_of(process: subprocess.Popen) -> str:
    if process.stderr is None or process.stderr.closed:
        return "(stderr not captured)"
    data = process.stderr.read()
    return data.decode(errors="replace") if isinstance(data, bytes) else data


def _answer_ctrl_c() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


#: Popen arguments for a child that the test stops with SIGINT (Ctrl-C): a shell that runs the suite in
#: the background (`make test &`) passes SIGINT on as ignored, and Python then never raises
#: KeyboardInterrupt; the child starts with the default disposition instead, as from a terminal.
CTRL_C_ABLE = {"preexec_fn": _answer_ctrl_c}
