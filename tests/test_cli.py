"""The `eventwire` command as a user meets it: exit statuses, one-line messages, pipes and --help.

Runs the real executable (a subprocess, this worktree's sources first on PYTHONPATH) on the real
seed articles; --help is read through Typer's test runner.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.terminal import ExitStatus, printable

try:
    from tests.waiting import CTRL_C_ABLE, HANG_GUARD, file_sizes, sqlite_count, sqlite_files, wait_until
except ImportError:
    from waiting import CTRL_C_ABLE, HANG_GUARD, file_sizes, sqlite_count, sqlite_files, wait_until

REPO = Path(__file__).resolve().parent.parent
_LOCAL = REPO / ".venv" / "bin" / "eventwire"
EVENTWIRE = str(_LOCAL if _LOCAL.exists() else Path(sys.executable).parent / "eventwire")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}

#: Inputs that give nothing to store, under names a terminal would act on.
REJECTED = {
    "[bold]empty.txt": b"",
    "bin\x1b[31mary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "new\nline.txt": b"",
    os.fsdecode(b"caf\xe9.txt"): b"",  # a Latin-1 name on a UTF-8 system
}


def eventwire(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command; stdout and stderr as text."""
    completed = subprocess.run(
        [EVENTWIRE, *args], input=stdin, capture_output=True, env=ENV, timeout=HANG_GUARD, check=False
    )
    return subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode(), completed.stderr.decode()
    )


def _stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seed articles plus three inputs that cannot be stored."""
    folder = tmp_path_factory.mktemp("batch")
    for seed in seeds_dir.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    for name, content in REJECTED.items():
        (folder / name).write_bytes(content)
    return folder


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, batch: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A database built from `batch` by `eventwire run`, and that run."""
    db = tmp_path_factory.mktemp("db") / "seeds.db"
    return db, eventwire("run", str(batch), "--db", str(db), "--quiet")


# ---------------------------------------------------------------- exit statuses


def test_a_batch_with_rejected_inputs_stores_the_rest_and_exits_3(stored, batch: Path) -> None:
    db, result = stored
    assert result.returncode == ExitStatus.REJECTED == 3, result.stderr
    assert "5 new articles" in result.stdout
    assert "4 problems (4 inputs rejected)" in result.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone() == (5,)
        assert connection.execute("SELECT count(*) FROM failures").fetchone() == (4,)
    assert len(_stderr_lines(result)) == 4, result.stderr


def test_seeds_alone_exit_0(stored, seeds_dir: Path) -> None:
    db, _ = stored
    result = eventwire("run", str(seeds_dir), "--db", str(db), "--quiet")
    assert result.returncode == ExitStatus.OK == 0, result.stderr
    assert "0 new articles (0 not English, 5 already stored), 0 events, 0 problems" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("location", ["unreachable", "under a file"])
def test_a_database_that_cannot_be_opened_exits_1_with_one_line(
    location: str, seeds_dir: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not [bold]a\ndirectory"
    blocker.write_text("a file, so nothing can be created under it")
    db = "postgresql://127.0.0.1:1/none" if location == "unreachable" else str(blocker / "x.db")
    result = eventwire("run", str(seeds_dir), "--db", db, "--quiet")
    assert result.returncode == ExitStatus.FAILED == 1
    lines = _stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "cannot open database" in lines[0] and "Traceback" not in result.stderr
    if location == "under a file":
        assert "not [bold]a\\ndirectory/x.db" in lines[0]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    unknown_option = eventwire("run", "--db", db, "--no-such-option", "x.txt")
    assert unknown_option.returncode == ExitStatus.USAGE == 2
    assert "No such option" in unknown_option.stderr
    bad_value = eventwire("run", str(REPO / "examples"), "--db", db, "--chunk-size", "0")
    assert bad_value.returncode == 2
    assert _stderr_lines(bad_value) == ["error: --chunk-size and --batch-size must be at least 1"]
    assert not Path(db).exists()
    missing = CliRunner().invoke(app, ["watch"])
    assert missing.exit_code == 2 and "Missing argument 'DIR'" in missing.output, missing.output
    nowhere = eventwire("eval", "--data", str(REPO / "examples"), "--json", str(tmp_path / "no" / "x.json"))
    assert nowhere.returncode == 2
    assert _stderr_lines(nowhere) == [f"error: {tmp_path / 'no' / 'x.json'}: its folder does not exist"]


def test_watch_exit_status_covers_its_batches(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "watch.db"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "ankara.txt").write_bytes((REPO / "examples" / "2025-11-11_turkey-iran-ankara-talks.txt").read_bytes())
    command = [EVENTWIRE, "watch", str(inbox), "--db", str(db), "--interval", "0.3", "--quiet"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, **CTRL_C_ABLE
    )
    try:
        wait_until(
            lambda: _finished_runs(db) > 0,
            progress=lambda: file_sizes(*sqlite_files(db)),
            process=process,
            what="the watched batch to finish",
        )
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == ExitStatus.REJECTED, stderr
    batch_line = next(line for line in stdout.splitlines() if " 2 files: " in line)
    assert "1 new articles (0 already stored)" in batch_line and "1 problems (1 inputs rejected)" in batch_line
    assert "empty.txt: empty file" in stderr


def _finished_runs(db: Path) -> int:
    return sqlite_count(db, "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL")


def test_code_exits_3_when_a_line_is_not_what_it_claims() -> None:
    good = b'{"id": "a", "text": "Xi Jinping met Vladimir Putin in Moscow on Tuesday.", "date": "2023-03-21"}\n'
    clean = eventwire("code", stdin=good)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["events"][0]["date"] == "2023-03-21"

    bad = b'{"id": broken\n\xff Putin visited Beijing.\n{"text": "x", "date": "soon"}\n'
    result = eventwire("code", stdin=good + bad)
    assert result.returncode == ExitStatus.REJECTED, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "2", "3", "4"]
    warnings = _stderr_lines(result)
    assert len(warnings) == 3, result.stderr
    assert warnings[0].startswith("warning stdin:2: not valid JSON")
    assert warnings[1] == "warning stdin:3: not valid UTF-8; undecodable bytes replaced"
    assert warnings[2] == "warning stdin:4: date 'soon' is not YYYY-MM-DD; coded without a date"


# ---------------------------------------------------------------- messages


def test_file_names_are_printed_escaped_on_one_line_each(stored, batch: Path) -> None:
    _, result = stored
    lines = _stderr_lines(result)
    assert "\x1b" not in result.stderr
    assert len(lines) == len(REJECTED)
    for name in REJECTED:
        shown = f"skipped {batch}/{printable(name)}: "
        assert sum(line.startswith(shown) for line in lines) == 1, (shown, lines)
    assert f"skipped {batch}/[bold]empty.txt: empty file" in lines
    assert f"skipped {batch}/new\\nline.txt: empty file" in lines
    assert f"skipped {batch}/caf\\xe9.txt: empty file" in lines


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    assert printable("a\nb\r\tc") == r"a\nb\r\tc"
    assert printable("\x1b[31mred\x1b[0m") == r"\x1b[31mred\x1b[0m"
    assert printable("evil\u202etxt.exe\u2028") == r"evil\u202etxt.exe\u2028"
    assert printable(os.fsdecode(b"caf\xe9.txt")) == r"caf\xe9.txt"
    assert printable("[bold]Ankara – İstanbul ☂") == "[bold]Ankara – İstanbul ☂"


# ---------------------------------------------------------------- a closed stdout


@pytest.mark.parametrize(("kind", "fmt"), [("claims", "jsonl"), ("articles", "csv"), ("events", "parquet")])
def test_export_into_a_closed_pipe_ends_quietly(stored, kind: str, fmt: str) -> None:
    db, _ = stored
    process = subprocess.Popen(
        [EVENTWIRE, "export", kind, "--db", str(db), "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    process.stdout.close()  # the reader is gone before the first row
    _, stderr = process.communicate(timeout=HANG_GUARD)
    assert stderr == b""
    assert process.returncode == ExitStatus.CLOSED_PIPE == 141


def test_export_piped_into_head_is_quiet(stored) -> None:
    db, _ = stored
    pipeline = f"'{EVENTWIRE}' export articles --db '{db}' | head -2"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True, env=ENV, timeout=HANG_GUARD
    )
    assert result.stderr == ""
    assert [json.loads(line)["language"] for line in result.stdout.splitlines()] == ["en", "en"]
    assert result.returncode in (0, ExitStatus.CLOSED_PIPE)


# ---------------------------------------------------------------- --help


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


def _help(*path: str) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="eventwire", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_help_shows_click_style_metavars() -> None:
    paths = list(_command_paths(typer.main.get_command(app)))
    assert ("run",) in paths and ("export", "claims") in paths and ("plot", "dyad") in paths
    for path in paths:
        text = _help(*path)
        for python_type in ("<bool>", "{", "<list[", "<str>", "<int>", "<path>", "<float>"):
            assert python_type not in text, (path, python_type, text)


def test_run_help_shows_flags_bare_paths_as_path_and_the_exit_statuses() -> None:
    text = _help("run")
    assert "Usage: eventwire run [OPTIONS] [PATH]..." in text
    assert re.search(r"inputs +PATH\.\.\. +Files or directories", text)
    assert re.search(r"--quiet +-q +No progress bar", text)
    assert re.search(r"--interval +SECONDS +Seconds between reads", text)
    for status in (
        "0  every input stored",
        "1  the run failed",
        "2  usage error",
        "3  some inputs rejected",
    ):
        assert status in text
    assert "Usage: eventwire watch [OPTIONS] DIR" in _help("watch")
    assert re.search(r"--json +FILE +Also write", _help("eval"))


# ---------------------------------------------------------------- the confidence threshold of exports


def test_canonical_exports_keep_events_at_the_default_confidence_and_say_what_they_left_out(stored) -> None:
    from eventwire.events.confidence import default_threshold

    db, _ = stored
    threshold = default_threshold()
    assert 0 < threshold < 1, "a calibrator with its threshold is shipped"
    default = eventwire("export", "events", "--db", str(db))
    everything = eventwire("export", "events", "--db", str(db), "--min-confidence", "0")
    kept = [json.loads(line) for line in default.stdout.splitlines()]
    every = [json.loads(line) for line in everything.stdout.splitlines()]
    assert kept and len(kept) < len(every)
    assert all(e["confidence"] >= threshold for e in kept)
    assert {e["event_id"] for e in every if e["confidence"] >= threshold} == {e["event_id"] for e in kept}
    assert _stderr_lines(default) == [
        f"{len(every) - len(kept)} events below confidence {threshold:.2f} left out "
        "(--min-confidence 0 exports them all)"
    ]
    assert everything.stderr == ""
    reports = eventwire("export", "events", "--db", str(db), "--all-mentions")
    assert reports.stderr == "" and len(reports.stdout.splitlines()) >= len(every)
    assert eventwire("export", "events", "--db", str(db), "--min-confidence", "1.5").returncode == 2
