"""Ingest and cleaning under hostile input: random bytes, broken markup, odd encodings, huge and deep documents.

Properties: nothing raises out of `read_inputs`, `parse_bytes` or `clean_article`; every problem
is a one-line Failure naming its file (or ``file:line`` / ``file[entry N]`` inside it); a bad file
gives one Failure, never a flood; and good files next to bad ones are still read.
"""

from __future__ import annotations

import codecs
import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.clean import clean_article
from eventwire.ingest import WARNING_STAGE, parse_bytes, read_inputs
from eventwire.ingest.encoding import normalise_text
from eventwire.records import Article, Failure, RawArticle

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGE = EXAMPLES / "odesa-drone-attack.html"
FEED = EXAMPLES / "world-briefs.rss"
SENTENCE = (
    "Turkish Foreign Minister Hakan Fidan met his Iraqi counterpart Fuad Hussein in Baghdad on Tuesday, "
    "and the two pledged to step up cooperation against Kurdish militants near the border."
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTENSIONS = (".txt", ".html", ".json", ".jsonl", ".rss", ".xml", "")


# ---------------------------------------------------------------- helpers


def _read(paths: Iterable[Path]) -> list[RawArticle | Failure]:
    return list(read_inputs([str(p) for p in paths]))


def _problems(items: Iterable[RawArticle | Failure]) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure) and item.stage != WARNING_STAGE]


def _assert_well_formed(items: list[RawArticle | Failure], source: str) -> None:
    """Every item belongs to `source`; failures are one line; articles clean without error."""
    assert items, f"{source}: neither an article nor a failure"
    for item in items:
        if isinstance(item, Failure):
            assert item.source.startswith(source), item
            assert "\n" not in item.line() and "\r" not in item.line(), item
            assert item.message.strip()
        else:
            assert isinstance(item, RawArticle)
            assert item.text.strip() and "\x00" not in item.text
            cleaned = clean_article(item)
            assert isinstance(cleaned, Article) and cleaned.article_id == item.article_id
    whole_file = [f for f in _problems(items) if f.source == source]
    assert len(whole_file) <= 1, whole_file


def _good_articles() -> list[RawArticle]:
    return [item for item in _read([EXAMPLES]) if isinstance(item, RawArticle)]


# ---------------------------------------------------------------- random input


@FUZZ
@given(data=st.binary(max_size=4096), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_raise_and_give_one_line_failures(data: bytes, extension: str) -> None:
    source = f"fuzz{extension}"
    items = list(parse_bytes(data, source, path=source))
    _assert_well_formed(items, source)


@FUZZ
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=2000),
    encoding=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "utf-32"]),
)
def test_text_in_any_encoding_is_read_or_refused_in_one_line(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    items = list(parse_bytes(data, "encoded.txt", path="encoded.txt"))
    _assert_well_formed(items, "encoded.txt")
    assert len(_problems(items)) + sum(isinstance(i, RawArticle) for i in items) == 1


@FUZZ
@given(text=st.text(max_size=3000), title=st.none() | st.text(max_size=200))
def test_clean_article_accepts_any_text(text: str, title: str | None) -> None:
    article = clean_article(RawArticle(article_id="fuzz", text=text, title=title))
    assert article.article_id == "fuzz"
    assert all(line.text.strip() and line.rule for line in article.removed)
    assert article.language is None or article.language.isalpha()


@FUZZ
@given(cut=st.integers(min_value=1, max_value=PAGE.stat().st_size - 1))
def test_truncated_real_page_gives_an_article_or_one_failure(cut: int) -> None:
    data = PAGE.read_bytes()[:cut]
    items = list(parse_bytes(data, "page.html", path="page.html"))
    _assert_well_formed(items, "page.html")
    assert len(items) - len([i for i in items if isinstance(i, Failure) and i.stage == WARNING_STAGE]) == 1


@FUZZ
@given(cut=st.integers(min_value=1, max_value=FEED.stat().st_size - 1), junk=st.binary(max_size=64))
def test_broken_rss_never_raises_and_names_the_file(cut: int, junk: bytes) -> None:
    data = FEED.read_bytes()[:cut] + junk
    items = list(parse_bytes(data, "briefs.rss", path="briefs.rss"))
    _assert_well_formed(items, "briefs.rss")


_BAD_LINES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=80).map(lambda s: "{x" + s),
    st.lists(st.integers(), max_size=5).map(json.dumps),
    st.integers().map(str),
    st.dictionaries(st.sampled_from(["title", "url", "date"]), st.text(max_size=20), max_size=3).map(json.dumps),
    st.just('{"text": "' + "[" * 50 + '"'),
)


@FUZZ
@given(lines=st.lists(st.tuples(st.booleans(), _BAD_LINES), min_size=1, max_size=25))
def test_jsonl_broken_lines_are_one_failure_each_and_good_lines_are_read(lines: list[tuple[bool, str]]) -> None:
    rendered = [
        json.dumps({"id": n, "text": f"{SENTENCE} Report {n}."}) if good else bad
        for n, (good, bad) in enumerate(lines, start=1)
    ]
    items = list(parse_bytes("\n".join(rendered).encode(), "wire.jsonl", path="wire.jsonl"))
    _assert_well_formed(items, "wire.jsonl")
    good_numbers = {n for n, (good, _) in enumerate(lines, start=1) if good}
    bad_sources = sorted(f.source for f in _problems(items))
    assert bad_sources == sorted(f"wire.jsonl:{n}" for n in range(1, len(lines) + 1) if n not in good_numbers)
    texts = [item.text for item in items if isinstance(item, RawArticle)]
    assert texts == [normalise_text(f"{SENTENCE} Report {n}.") for n in sorted(good_numbers)]


# ---------------------------------------------------------------- pathological files beside good ones

_NESTED = b"<html><body>" + b"<div>" * 10_000 + b"<p>" + SENTENCE.encode() + b"</p>" + b"</div>" * 10_000
_HUGE_LINE = (SENTENCE + " ").encode() * 20_000  # about 3.5 MB on one line

#: name -> (bytes, expected outcome: "article", "warning" (article with a warning) or a failure substring)
PATHOLOGICAL: dict[str, tuple[bytes, str]] = {
    "deep.html": (_NESTED, "no main text"),
    "deep-unclosed.html": (b"<html><body>" + b"<div><span>" * 10_000 + SENTENCE.encode(), "no main text"),
    "deep.json": (b"[" * 100_000, "nested too deeply"),
    "deep-line.jsonl": (b'{"text": ' + b"[" * 100_000 + b"\n", "nested too deeply"),
    "deep.rss": (b"<rss><channel>" + b"<item>" * 10_000, "no feed entry has text (10000 entries)"),
    "huge-line.txt": (_HUGE_LINE, "article"),
    "huge-line.html": (b"<html><body><p>" + _HUGE_LINE + b"</p></body></html>", "article"),
    "utf16-no-bom.txt": ((SENTENCE * 3).encode("utf-16-le"), "warning"),
    "utf16-be-no-bom.html": (f"<html><body><p>{SENTENCE}</p></body></html>".encode("utf-16-be"), "warning"),
    "cp1252.txt": (f"Café owners said: “{SENTENCE}”".encode("cp1252"), "warning"),
    "mixed.txt": (SENTENCE.encode() + " — café".encode("cp1252") + " — café".encode(), "warning"),
    "nul.txt": (SENTENCE.encode() + b"\x00\x00" + SENTENCE.encode(), "NUL bytes"),
    "empty.jsonl": (b"\n\n   \n", "empty file"),
    "binary.html": (bytes(range(256)) * 8, "binary file"),
    "broken.rss": (b"<?xml version='1.0'?><rss><channel><item><title>Cut off", "broken feed"),
    "bom-only.txt": (codecs.BOM_UTF8, "no article text"),
}


@pytest.fixture(scope="module")
def pathological_dir() -> Iterable[Path]:
    root = Path(tempfile.mkdtemp(prefix="eventwire-fuzz-"))
    shutil.copytree(EXAMPLES, root / "good")
    for name, (data, _) in PATHOLOGICAL.items():
        (root / "bad").mkdir(exist_ok=True)
        (root / "bad" / name).write_bytes(data)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pathological_items(pathological_dir: Path) -> list[RawArticle | Failure]:
    return _read([pathological_dir])


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_file_gives_its_expected_outcome(
    name: str, pathological_dir: Path, pathological_items: list[RawArticle | Failure]
) -> None:
    path = str(pathological_dir / "bad" / name)
    mine = [i for i in pathological_items if (i.source if isinstance(i, Failure) else i.path).startswith(path)]
    _assert_well_formed(mine, path)
    expected = PATHOLOGICAL[name][1]
    articles = [i for i in mine if isinstance(i, RawArticle)]
    warnings = [i for i in mine if isinstance(i, Failure) and i.stage == WARNING_STAGE]
    problems = _problems(mine)
    if expected in ("article", "warning"):
        assert len(articles) == 1 and not problems, mine
        assert len(warnings) == (1 if expected == "warning" else 0), mine
        assert "Hakan Fidan" in articles[0].text
    else:
        assert not articles and len(problems) == 1, mine
        assert expected in problems[0].message
        assert problems[0].source in (path, f"{path}:1")


def test_good_files_beside_bad_ones_are_all_read(
    pathological_dir: Path, pathological_items: list[RawArticle | Failure]
) -> None:
    good = {a.article_id for a in _good_articles()}
    read = {i.article_id for i in pathological_items if isinstance(i, RawArticle)}
    assert len(good) >= 5 and good <= read


def test_huge_single_line_article_cleans(pathological_items: list[RawArticle | Failure]) -> None:
    huge = [i for i in pathological_items if isinstance(i, RawArticle) and i.path.endswith("huge-line.txt")]
    article = clean_article(huge[0])
    assert len(article.text) > 3_000_000 and article.language == "en"
