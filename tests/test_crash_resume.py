"""A real `eventwire run` killed with SIGKILL mid-run, then run again, ends exactly like an uninterrupted run.

The corpus is 60 real articles (India police events, JSON Lines). The interrupted run is
killed once the database holds some but not all of them; the re-run must complete it with the
same articles, event mentions, canonical events, stories, claims and quotes, with nothing lost
and nothing duplicated.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from tests.exports import EVENTWIRE, assert_same_exports, corpus_sample, export_rows
    from tests.waiting import HANG_GUARD, file_sizes, sqlite_count, sqlite_files, wait_until
except ImportError:
    from exports import EVENTWIRE, assert_same_exports, corpus_sample, export_rows
    from waiting import HANG_GUARD, file_sizes, sqlite_count, sqlite_files, wait_until

ARTICLES = 60


def _run_command(corpus: Path, db: Path) -> list[str]:
    return [*EVENTWIRE, "run", str(corpus), "--db", str(db), "--quiet"]


def _stored_articles(db: Path) -> int:
    return sqlite_count(db, "SELECT count(*) FROM articles")


def _kill_midway(corpus: Path, db: Path, at_least: int) -> int:
    """Start a run, SIGKILL it once `at_least` articles are stored; the count just after the kill.

    The wait follows the run's progress (articles stored, database files growing), so a slow
    machine only makes it longer; it fails if the run ends first or stops making progress.
    """
    process = subprocess.Popen(_run_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(
            lambda: _stored_articles(db) >= at_least,
            progress=lambda: (_stored_articles(db), file_sizes(*sqlite_files(db))),
            process=process,
            poll=0.05,
            what=f"{at_least} stored articles to interrupt the run",
        )
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=HANG_GUARD) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    return _stored_articles(db)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_sample(tmp_path_factory, ARTICLES)


@pytest.mark.slow
def test_killed_run_resumed_equals_uninterrupted_run(corpus: Path, tmp_path: Path) -> None:
    uninterrupted, resumed = tmp_path / "uninterrupted.db", tmp_path / "resumed.db"
    reference = subprocess.Popen(_run_command(corpus, uninterrupted), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    stored_at_kill = _kill_midway(corpus, resumed, at_least=20)
    assert 0 < stored_at_kill < ARTICLES

    rerun = subprocess.run(_run_command(corpus, resumed), capture_output=True, text=True, timeout=HANG_GUARD)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{ARTICLES - stored_at_kill} new articles" in rerun.stdout
    assert f"{stored_at_kill} already stored" in rerun.stdout

    out, errors = reference.communicate(timeout=HANG_GUARD)
    assert reference.returncode == 0, errors.decode()
    assert f"{ARTICLES} new articles" in out.decode()

    assert_same_exports(str(uninterrupted), str(resumed))


# ---------------------------------------------------------------- a full disk

DISK_FULL_ARTICLES = 60


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (needs root); skipped where it cannot be mounted."""
    mountpoint = tmp_path / "tiny"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1M", "tmpfs", str(mountpoint)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip() or 'not root'}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def _ingested_ids(corpus: Path) -> set[str]:
    from eventwire.ingest import read_inputs
    from eventwire.records import RawArticle

    return {item.article_id for item in read_inputs([str(corpus)]) if isinstance(item, RawArticle)}


@pytest.mark.slow
def test_disk_full_stops_the_run_and_a_rerun_with_space_completes(corpus: Path, tiny_disk: Path) -> None:
    small = tiny_disk.parent / "small.jsonl"
    small.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:DISK_FULL_ARTICLES]))
    db = tiny_disk / "events.db"

    full = subprocess.run(_run_command(small, db), capture_output=True, text=True, timeout=HANG_GUARD)
    assert full.returncode != 0
    problems = [line for line in full.stderr.splitlines() if line.strip()]
    assert "Traceback" not in full.stderr and len(problems) == 1, full.stderr
    assert "database or disk is full" in problems[0]
    stored = _stored_articles(db)
    assert stored < DISK_FULL_ARTICLES

    subprocess.run(["mount", "-o", "remount,size=64M", str(tiny_disk)], check=True)
    rerun = subprocess.run(_run_command(small, db), capture_output=True, text=True, timeout=HANG_GUARD)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{DISK_FULL_ARTICLES - stored} new articles" in rerun.stdout

    articles = [json.loads(row)["article_id"] for row in export_rows(str(db), "articles")]
    assert len(articles) == len(set(articles)) and set(articles) == _ingested_ids(small)
    events = [json.loads(row)["event_id"] for row in export_rows(str(db), "events", "--all-mentions")]
    assert events and len(events) == len(set(events))
