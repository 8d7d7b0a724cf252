"""Watched directories and followed feeds: files taken when complete, feeds re-read and retried."""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from eventwire.executors import InlineExecutor
from eventwire.store import open_repository
from eventwire.watch import FeedFollower, Session, StableFiles, follow_feeds

try:
    from tests.waiting import CTRL_C_ABLE, HANG_GUARD, file_sizes, sqlite_files, wait_until
except ImportError:
    from waiting import CTRL_C_ABLE, HANG_GUARD, file_sizes, sqlite_files, wait_until

REPO = Path(__file__).resolve().parent.parent
EVENTWIRE = Path(sys.executable).parent / "eventwire"

ITEMS = [
    (
        "Kenya and Ethiopia agree to reopen border crossing",
        "Mon, 03 Mar 2025 09:00:00 +0000",
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday, and the two "
        "governments agreed to reopen the Moyale border crossing to trade.",
    ),
    (
        "Poland expels Belarusian diplomat",
        "Tue, 04 Mar 2025 12:30:00 +0000",
        "Poland expelled a Belarusian diplomat on Tuesday after accusing Minsk of organising migrant crossings, "
        "the Polish foreign ministry said in a statement.",
    ),
    (
        "Chile and Argentina sign lithium accord",
        "Wed, 05 Mar 2025 15:45:00 +0000",
        "Chile and Argentina signed an accord on lithium mining in Santiago on Wednesday, pledging to share data "
        "on water use in the salt flats along their border.",
    ),
]


def _feed(count: int) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>https://wire.example/{n}</link><pubDate>{date}</pubDate>"
        f"<description>{text}</description></item>"
        for n, (title, date, text) in enumerate(ITEMS[:count])
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Regional Wire</title>'
        f"<link>https://wire.example</link><description>News</description>{items}</channel></rss>"
    ).encode()


def _finished_batches(db: Path) -> int:
    """Batches whose articles and stories are all stored (the run record is closed last)."""
    return _count(db, "runs where finished_at is not null")


def _count(db: Path, table: str = "articles") -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as connection:
            return connection.execute(f"select count(*) from {table}").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def test_files_are_taken_once_complete_and_again_when_they_grow(tmp_path: Path) -> None:
    files = StableFiles(tmp_path)
    (tmp_path / "a.jsonl").write_text('{"text": "one"}\n')
    (tmp_path / ".partial").write_text("hidden files are ignored")
    assert files.poll() == []
    assert files.poll() == [tmp_path / "a.jsonl"]
    assert files.poll() == []
    with open(tmp_path / "a.jsonl", "a") as stream:
        stream.write('{"text": "two"}\n')
    assert files.poll() == []  # changed since the last poll: maybe still being written
    assert files.poll() == [tmp_path / "a.jsonl"]


@pytest.mark.slow
def test_watch_command_stores_dropped_files_and_stops_with_a_summary(tmp_path: Path, seeds_dir: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "watch.db"
    inbox.mkdir()
    shutil.copy(REPO / "examples" / "2025-06-18_eu-sanctions-kallas-kyiv.txt", inbox)
    process = subprocess.Popen(
        [str(EVENTWIRE), "watch", str(inbox), "--db", str(db), "--interval", "0.3", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        **CTRL_C_ABLE,
    )
    try:
        _wait_for(1, db, process)
        staging = tmp_path / "staging"
        staging.mkdir()
        for seed in sorted(seeds_dir.iterdir())[:2]:
            shutil.copy(seed, staging / seed.name)
        for staged in sorted(staging.iterdir()):  # renames: both files appear at once, fully written
            staged.rename(inbox / staged.name)
        _wait_for(2, db, process)
        assert _count(db) == 3 and _count(db, "stories") > 0
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "1 files: 1 new articles" in stdout
    assert "2 files: 2 new articles" in stdout
    assert "3 new articles (0 already stored)" in stdout.splitlines()[-1]
    assert stdout.splitlines()[-1].startswith("stopped after")


def _wait_for(batches: int, db: Path, process: subprocess.Popen) -> None:
    """Wait until `batches` batches are finished, for as long as the watcher keeps storing things."""
    wait_until(
        lambda: _finished_batches(db) >= batches,
        progress=lambda: (_count(db), _finished_batches(db), file_sizes(*sqlite_files(db))),
        process=process,
        what=f"batch {batches} of the watched files to be stored",
    )


@pytest.fixture
def session(tmp_path: Path, resources):
    repo = open_repository(tmp_path / "feeds.db")
    yield Session(repo, InlineExecutor(resources), resources)
    repo.close()


def test_followed_file_feed_adds_only_new_entries(tmp_path: Path, session: Session) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_bytes(_feed(2))
    batches = []

    def on_batch(source, stats) -> None:
        batches.append((stats.articles, stats.skipped))
        if len(batches) == 1:
            feed.write_bytes(_feed(3))

    totals = follow_feeds(
        session, FeedFollower([str(feed)], interval=0.1), on_batch=on_batch, should_stop=lambda: len(batches) >= 3
    )
    assert batches == [(2, 0), (1, 2), (0, 3)]
    assert totals.articles == 3
    assert session.repo.counts()["articles"] == 3
    assert totals.feed_errors == 0


class _FlakyFeed(http.server.BaseHTTPRequestHandler):
    """Serves garbage on the first request, then a valid feed."""

    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        type(self).requests += 1
        body = b"\x00\x13 not a feed <<<" if type(self).requests == 1 else _feed(2)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_failing_url_feed_is_retried_with_backoff_without_stalling_others(tmp_path: Path, session: Session) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyFeed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.rss"
    dead = "http://127.0.0.1:9/never.rss"  # nothing listens on the discard port
    local = tmp_path / "local.rss"
    local.write_bytes(_feed(1))
    errors: list[tuple[str, str, float]] = []
    stored: dict[str, int] = {}

    def on_batch(source, stats) -> None:
        stored[source.location] = stored.get(source.location, 0) + stats.articles

    follower = FeedFollower([url, dead, str(local)], interval=60, retry_base=0.2)
    try:
        totals = follow_feeds(
            session,
            follower,
            on_batch=on_batch,
            on_error=lambda source, message, delay: errors.append((source.location, message, delay)),
            should_stop=lambda: stored.get(url, 0) > 0,
            timeout=HANG_GUARD,  # a loopback fetch: the timeout only guards against a hang
        )
    finally:
        server.shutdown()
    assert stored == {str(local): 1, url: 1}  # the second entry of the URL feed repeats the local one
    url_errors = [e for e in errors if e[0] == url]
    assert len(url_errors) == 1 and "not a readable RSS/Atom feed" in url_errors[0][1]
    dead_delays = [delay for location, _, delay in errors if location == dead]
    assert dead_delays and dead_delays == sorted(dead_delays)
    assert totals.feed_errors == len(errors)
    assert _FlakyFeed.requests == 2
