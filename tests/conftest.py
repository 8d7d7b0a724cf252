"""Shared fixtures: the real resources, loaded once per test session, and paths to reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def resources():
    """spaCy model, actor knowledge base and coder, loaded once."""
    from eventwire.pipeline import load_resources

    return load_resources()


@pytest.fixture(scope="session")
def events_of(resources):
    """The events the real extractor finds in one text (no publication date); a test module may
    define its own `events_of` to extract differently."""

    def run(text: str) -> list:
        doc = next(iter(resources.nlp.pipe([text])))
        return resources.extractor.extract_batch([(doc, "t", None)])[0]

    return run


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"reference seeds not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"reference data not found at {DATA}")
    return DATA
