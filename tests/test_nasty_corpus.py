"""The standing corpus of nasty inputs (tests/data/nasty/) replayed with the five seed articles on every run.

The committed files (written by scripts/make_nasty_corpus.py) are copied next to inputs that git
cannot hold portably: files with odd names (line breaks, bidirectional controls, emoji, glob and quote
characters, a leading dash, 240-character names), a symbolic-link loop, a dangling link, a FIFO and a
directory named like a file. One `eventwire run` over all of it and the seeds must complete without a
traceback, store the five seeds and every oddly named article, and account for every committed input
(an article or a failure naming it). Articles over the model's length limit are left to
tests/test_robust_inputs.py (a real one, marked slow) and tests/test_fuzz_run.py (a lowered limit).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.terminal import ExitStatus

NASTY = Path(__file__).resolve().parent / "data" / "nasty"
SENTENCE = (
    "Chilean President Gabriel Boric met Argentine President Javier Milei in Santiago on Tuesday, and the two "
    "governments signed an accord on lithium mining in the salt flats along their border."
)
#: File names a directory may hold on Linux (any character but "/" and NUL), each holding a good article.
ODD_NAMES = (
    "line\nbreak.txt",
    "tab\tand\rcarriage return.txt",
    " leading and trailing spaces .txt",
    "-starts-with-a-dash.txt",
    "\u202eevil\u202c.txt",
    "emoji \U0001f4f0 news.txt",
    "glob *?[x] chars.txt",
    "quote ' \" and back\\slash.txt",
    "e\u0301 decomposed.txt",
    "a" * 236 + ".txt",
    "no extension at all",
    "dots.in.the.name.html.txt",
)


def _odd_text(n: int) -> str:
    return f"{SENTENCE} The accord takes effect in stage {n}."


def _build_inbox(root: Path) -> Path:
    """The committed corpus plus the inputs created here; returns the directory to run on."""
    inbox = root / "nasty"
    shutil.copytree(NASTY, inbox)
    odd = inbox / "odd names"
    odd.mkdir()
    for n, name in enumerate(ODD_NAMES):
        (odd / name).write_text(_odd_text(n), encoding="utf-8")
    (odd / "folder.txt").mkdir()  # a directory named like a file
    (odd / "folder.txt" / "inside.txt").write_text(_odd_text(len(ODD_NAMES)), encoding="utf-8")
    (odd / ".hidden.txt").write_text(_odd_text(99), encoding="utf-8")  # skipped: hidden
    with open(os.fsencode(odd) + b"/caf\xe9-report.txt", "wb") as handle:  # a name that is not UTF-8
        handle.write(_odd_text(len(ODD_NAMES) + 1).encode("utf-8"))
    os.symlink(".", odd / "loop")  # a directory that contains itself
    os.symlink("missing.txt", odd / "dangling.txt")
    os.mkfifo(odd / "pipe.txt")  # would block a reader that opened it
    return inbox


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, resources) -> dict:
    """One in-process `eventwire run` over the nasty inputs and the seeds; what it printed and stored."""
    root = tmp_path_factory.mktemp("nasty")
    inbox, db = _build_inbox(root), root / "nasty.db"
    result = CliRunner().invoke(app, ["run", str(inbox), str(seeds_dir), "--db", str(db), "--quiet"])
    with sqlite3.connect(db) as connection:
        paths = [path for (path,) in connection.execute("SELECT path FROM articles")]
        texts = [text for (text,) in connection.execute("SELECT text FROM articles")]
        sources = [source for (source,) in connection.execute("SELECT source FROM failures")]
    return {"result": result, "inbox": inbox, "paths": paths, "texts": texts, "sources": sources}


def test_replay_completes_without_a_traceback(replay: dict) -> None:
    result = replay["result"]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == ExitStatus.REJECTED, result.output  # the corpus holds inputs that are rejected
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "new articles" in result.stdout


def test_the_five_seeds_are_stored_beside_the_nasty_inputs(replay: dict, seeds_dir: Path) -> None:
    seeds = sorted(Path(path).name[:3] for path in replay["paths"] if Path(path).parent == seeds_dir)
    assert seeds == ["000", "001", "002", "003", "004"]


def test_every_oddly_named_article_is_stored(replay: dict) -> None:
    odd = replay["inbox"] / "odd names"
    stored = set(replay["paths"])
    missing = [name for name in ODD_NAMES if str(odd / name) not in stored]
    assert missing == []
    assert f"{odd}/caf\\xe9-report.txt" in stored  # stored with its undecodable byte escaped
    assert str(odd / "folder.txt" / "inside.txt") in stored
    assert not any("stage 99." in text for text in replay["texts"]), "hidden files are skipped"
    problems = {Path(source).name: source for source in replay["sources"] if source.startswith(str(odd))}
    assert set(problems) == {"dangling.txt", "pipe.txt"}, problems


def test_every_committed_input_gives_an_article_or_a_failure_naming_it(replay: dict) -> None:
    inbox = replay["inbox"]
    committed = sorted(p.name for p in NASTY.iterdir() if p.is_file() and not p.name.startswith((".", "README")))
    assert len(committed) >= 20
    accounted = set(replay["paths"]) | {source.split(":")[0].split("[")[0] for source in replay["sources"]}
    assert [name for name in committed if str(inbox / name) not in accounted] == []
