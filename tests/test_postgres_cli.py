"""The real `eventwire` command on PostgreSQL: same exports as on SQLite, and clear stops when the database fails.

A throwaway PostgreSQL server (tests/pgserver.py) runs on loopback; the tests that need it are
skipped, with the reason, only when the server binaries are not installed. An unreachable
database needs no server and is always tested.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from tests import pgserver
    from tests.exports import EVENTWIRE, assert_same_exports, corpus_sample
    from tests.waiting import HANG_GUARD, wait_until
except ImportError:
    import pgserver
    from exports import EVENTWIRE, assert_same_exports, corpus_sample
    from waiting import HANG_GUARD, wait_until

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
#: Articles of the corpus used for the server-stopped-mid-run test.
CORPUS_ARTICLES = 40


# ---------------------------------------------------------------- helpers


def start_run(inputs: str, db: str) -> subprocess.Popen[str]:
    command = [*EVENTWIRE, "run", inputs, "--db", db, "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait for a run to end (the timeout only guards against a hang) and return its code and output."""
    out, err = process.communicate(timeout=HANG_GUARD)
    return process.returncode, out, err


def assert_one_clear_line(stderr: str, *fragments: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def stored_articles(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except (psycopg.errors.UndefinedTable, psycopg.OperationalError):
        return 0


def _as_server_user(*args: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", pgserver.SERVER_USER, "--", *args]
    return list(args)


def stop_server(server: pgserver.PostgresServer) -> None:
    """Stop the server under the run (its connections are cut at once), keeping its data.

    Fast rather than immediate shutdown: the test cluster runs with synchronous_commit=off for
    speed, so a simulated crash could lose commits a real server (synchronous_commit=on) keeps.
    """
    pg_ctl = str(server.bindir / "pg_ctl")
    command = _as_server_user(pg_ctl, "-D", str(server.datadir), "-m", "fast", "-w", "stop")
    subprocess.run(command, check=True, capture_output=True, timeout=HANG_GUARD)


def restart_server(server: pgserver.PostgresServer) -> None:
    """Start a stopped server again on the same port and data directory."""
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -k {server.socketdir}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    pg_ctl = str(server.bindir / "pg_ctl")
    command = _as_server_user(
        pg_ctl, "-D", str(server.datadir), "-l", str(server.logfile), "-o", options, "-w", "-t", "300", "start"
    )
    subprocess.run(command, check=True, capture_output=True, timeout=HANG_GUARD)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def postgres() -> Iterator[pgserver.PostgresServer]:
    reason = pgserver.unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = pgserver.PostgresServer(pgserver.find_bindir())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"reference seeds not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_sample(tmp_path_factory, CORPUS_ARTICLES)


# ---------------------------------------------------------------- tests


def test_unreachable_database_is_one_clear_line_and_a_failed_exit(seeds: Path) -> None:
    code, out, err = finish(start_run(str(seeds), "postgresql://127.0.0.1:1/none"))
    assert code != 0
    assert_one_clear_line(err, "cannot open", "127.0.0.1", "Connection refused")
    assert "Traceback" not in out and "new articles" not in out  # stopped before processing anything


@pytest.mark.slow
def test_seeds_on_postgresql_export_exactly_as_on_sqlite(
    seeds: Path, postgres: pgserver.PostgresServer, tmp_path: Path
) -> None:
    sqlite_db, pg_db = str(tmp_path / "seeds.db"), postgres.create_database()
    runs = [start_run(str(seeds), sqlite_db), start_run(str(seeds), pg_db)]
    outputs = [finish(process) for process in runs]
    for code, out, err in outputs:
        assert code == 0, err
        assert "problems" in out
    assert outputs[0][1].replace(sqlite_db, "DB") == outputs[1][1].replace(pg_db, "DB")
    assert_same_exports(sqlite_db, pg_db)


@pytest.mark.slow
def test_server_lost_mid_run_stops_clearly_and_a_rerun_completes(
    corpus: Path, postgres: pgserver.PostgresServer, tmp_path: Path
) -> None:
    sqlite_db, pg_db = str(tmp_path / "reference.db"), postgres.create_database()
    reference = start_run(str(corpus), sqlite_db)
    interrupted = start_run(str(corpus), pg_db)
    wait_until(
        lambda: stored_articles(pg_db) >= 10,
        progress=lambda: stored_articles(pg_db),
        process=interrupted,
        what="10 articles stored on PostgreSQL before stopping the server",
    )
    stop_server(postgres)
    try:
        code, _, err = finish(interrupted)
    finally:
        if interrupted.poll() is None:
            interrupted.send_signal(signal.SIGKILL)
        restart_server(postgres)
    assert code != 0
    assert_one_clear_line(err, "database unavailable", "127.0.0.1")

    stored = stored_articles(pg_db)
    assert 10 <= stored < CORPUS_ARTICLES
    code, out, err = finish(start_run(str(corpus), pg_db))
    assert code == 0, err
    assert f"{CORPUS_ARTICLES - stored} new articles" in out and f"{stored} already stored" in out

    code, _, err = finish(reference)
    assert code == 0, err
    assert_same_exports(sqlite_db, pg_db)
