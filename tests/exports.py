"""Helpers shared by the tests that compare whole databases through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    from tests.waiting import HANG_GUARD
except ImportError:
    from waiting import HANG_GUARD

SHARED = Path(os.environ.get("EVENTWIRE_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
CORPUS = SHARED / "data" / "corpora" / "indiapoliceevents_docs.jsonl"
EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]
#: Fields that differ between runs by design.
RUN_FIELDS = frozenset({"run_id", "created_at", "started_at", "finished_at"})
#: Every export compared, whole: articles, per-report and canonical events (those below the default
#: confidence too), stories, claims, quotes.
EXPORTS = (
    ("articles",),
    ("events", "--all-mentions"),
    ("events", "--min-confidence", "0"),
    ("stories",),
    ("claims",),
    ("quotes",),
)


def _without_run_fields(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_run_fields(v) for k, v in value.items() if k not in RUN_FIELDS}
    if isinstance(value, list):
        return [_without_run_fields(v) for v in value]
    return value


def export_rows(db: str, kind: str, *options: str) -> list[str]:
    """A database's export as canonical JSON lines (run fields dropped), sorted."""
    command = [*EVENTWIRE, "export", kind, "--db", db, "--format", "jsonl", *options]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=HANG_GUARD, check=True)
    rows = (_without_run_fields(json.loads(line)) for line in completed.stdout.splitlines() if line.strip())
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)


def assert_same_exports(expected_db: str, actual_db: str) -> None:
    """Every export of the two databases is identical (and not empty)."""
    for kind, *options in EXPORTS:
        expected = export_rows(expected_db, kind, *options)
        assert expected, f"empty {kind} export"
        assert export_rows(actual_db, kind, *options) == expected, f"{kind} {options} differ"


def corpus_sample(tmp_path_factory: pytest.TempPathFactory, articles: int) -> Path:
    """The first `articles` lines of the Times of India corpus as a JSONL file (skip if absent)."""
    if not CORPUS.exists():
        pytest.skip(f"reference corpus not found at {CORPUS}")
    path = tmp_path_factory.mktemp("corpus") / "police.jsonl"
    with CORPUS.open(encoding="utf-8") as source:
        path.write_text("".join(line for _, line in zip(range(articles), source, strict=False)), encoding="utf-8")
    return path


#: Reference digests of every export of the seeds and of a third of the Times of India corpus.
GOLDEN = Path(__file__).resolve().parent / "data" / "golden" / "exports.json"
#: What each golden database is built from, relative to ../shared (run from there, so stored paths are stable).
GOLDEN_INPUTS = {"seeds": "seeds", "times_of_india": "data/corpora/indiapoliceevents_docs.jsonl"}
#: The Times of India golden run takes every third article (419 of 1,257, spread over the whole period):
#: enough articles for stories, claims and per-article failures to show, a third of the time.
TIMES_OF_INDIA_STEP = 3
SAMPLE_NAME = "indiapoliceevents_every_third.jsonl"


def _every_third_article(folder: Path) -> Path:
    """Every third line of the Times of India corpus, written under a fixed name in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (SHARED / GOLDEN_INPUTS["times_of_india"]).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / SAMPLE_NAME).write_text("".join(lines[::TIMES_OF_INDIA_STEP]), encoding="utf-8")
    return folder


def build_golden_db(name: str, db: Path) -> subprocess.CompletedProcess[str]:
    """Run the pipeline on one golden input into `db` from a fixed folder, so stored paths read the same everywhere."""
    if name == "times_of_india":
        # Two worker processes (the output is the same whatever the executor).
        folder, target, executor = _every_third_article(db.parent / "golden-input"), SAMPLE_NAME, ["-x", "local:2"]
    else:
        folder, target, executor = SHARED, GOLDEN_INPUTS[name], []
    command = [*EVENTWIRE, "run", target, "--db", str(db.resolve()), "--quiet", *executor]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=HANG_GUARD * 4, check=False)


def export_digests(db: str) -> dict[str, dict[str, object]]:
    """Row count and SHA-256 of each export of a database, in canonical form (sorted rows, run fields dropped)."""
    digests: dict[str, dict[str, object]] = {}
    for kind, *options in EXPORTS:
        rows = export_rows(db, kind, *options)
        digest = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
        digests[" ".join([kind, *options])] = {"rows": len(rows), "sha256": digest}
    return digests


def _update_golden() -> None:
    """Rebuild tests/data/golden/exports.json from the current code (only when a change of output is intended)."""
    import tempfile

    golden = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in GOLDEN_INPUTS:
            db = Path(tmp) / f"{name}.db"
            completed = build_golden_db(name, db)
            if completed.returncode != 0:
                raise SystemExit(f"{name}: eventwire run failed ({completed.returncode}): {completed.stderr.strip()}")
            golden[name] = export_digests(str(db))
            print(f"{name}: " + ", ".join(f"{k} {v['rows']}" for k, v in golden[name].items()))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    # `python tests/exports.py --update-golden`: regenerate the golden digests after an intended change of output.
    if sys.argv[1:] != ["--update-golden"]:
        raise SystemExit("usage: python tests/exports.py --update-golden")
    _update_golden()
