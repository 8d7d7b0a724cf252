"""A batch with broken inputs: one clear line per problem, the rest processed and stored."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.terminal import ExitStatus

GOOD = (
    " date 2024-03-05 World Ministers meet in Ankara\n\n"
    "Turkish Foreign Minister Hakan Fidan met his Iranian counterpart in Ankara on Tuesday to discuss trade.\n"
)


def _bad_batch(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "good": folder / "good.txt",
        "empty": folder / "empty.txt",
        "binary": folder / "image.txt",
        "invalid": folder / "latin.txt",
        "broken_html": folder / "broken.html",
        "huge": folder / "huge.txt",
    }
    files["good"].write_text(GOOD, encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    files["invalid"].write_bytes(b"\xff\xfe\xfa broken \x00\x81 bytes \xc3\x28" * 10)
    files["broken_html"].write_text("<html><body><div><p>", encoding="utf-8")
    with files["huge"].open("wb") as handle:  # sparse: 50 MB without writing them
        handle.truncate(50 * 1024 * 1024)
    return files


def test_bad_files_are_reported_one_line_each_and_the_good_one_is_coded(tmp_path: Path, resources) -> None:
    files = _bad_batch(tmp_path / "batch")
    db = tmp_path / "bad.db"
    result = CliRunner().invoke(app, ["run", str(tmp_path / "batch"), "--db", str(db), "--quiet"])
    assert result.exit_code == ExitStatus.REJECTED, result.output
    assert "1 new articles" in result.stdout
    problems = [line for line in result.stderr.splitlines() if "skipped" in line]
    for name in ("empty", "binary", "invalid", "broken_html", "huge"):
        lines = [line for line in problems if files[name].name in line]
        assert len(lines) == 1, (name, problems)
    assert "Traceback" not in result.output
    assert any("too large" in line for line in problems)

    events = CliRunner().invoke(app, ["export", "events", "--db", str(db), "--min-confidence", "0"])
    coded = [json.loads(line) for line in events.stdout.splitlines()]
    assert any(e["plover"] == "CONSULT" and e["source"]["country"] == "TUR" for e in coded)


def test_a_missing_database_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "events", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == ExitStatus.USAGE
    assert "no such database" in result.stderr
    assert "Traceback" not in result.output
