"""Helpers shared by the tests that compare whole databases through the real CLI."""

from __future__ import annotations

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
