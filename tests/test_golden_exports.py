"""Every export of the seeds and of a third of the Times of India corpus matches the reference digests.

The digests in tests/data/golden/exports.json pin the product's output, so a refactoring that should
change nothing is checked against the real pipeline end to end: articles, event mentions, canonical
events (below the default threshold too), stories, claims and quotes. When a change of output is
intended, regenerate them with `python tests/exports.py --update-golden` in the same commit and say why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

try:
    from tests.exports import GOLDEN, GOLDEN_INPUTS, SHARED, build_golden_db, export_digests
except ImportError:
    from exports import GOLDEN, GOLDEN_INPUTS, SHARED, build_golden_db, export_digests


def _check(name: str, tmp_path: Path) -> None:
    if not (SHARED / GOLDEN_INPUTS[name]).exists():
        pytest.skip(f"reference input not found at {SHARED / GOLDEN_INPUTS[name]}")
    db = tmp_path / f"{name}.db"
    completed = build_golden_db(name, db)
    assert completed.returncode == 0, completed.stderr
    assert "problem" not in completed.stderr, completed.stderr
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    actual = export_digests(str(db))
    differing = {kind: (expected[kind], actual.get(kind)) for kind in expected if actual.get(kind) != expected[kind]}
    assert not differing, f"{name} exports differ from {GOLDEN.name} (expected, actual): {differing}"
    assert all(value["rows"] > 0 for value in actual.values()), actual


@pytest.mark.slow
def test_seed_exports_are_unchanged(tmp_path: Path) -> None:
    _check("seeds", tmp_path)


@pytest.mark.slow
def test_times_of_india_exports_are_unchanged(tmp_path: Path) -> None:
    _check("times_of_india", tmp_path)
