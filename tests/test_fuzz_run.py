"""Whole runs under hostile input: `eventwire run` in-process, from files to a temporary SQLite database.

Where tests/test_fuzz.py stops at ingest and cleaning, these drive the real command end to end
(reading, cleaning, parsing, coding, storing, the corpus stage, the failure lines it prints).
Properties, for every generated batch:

- the run completes: exit code 0 (3 when it rejected an input), no exception escapes, no traceback on stderr;
- every good article in the batch is stored;
- each bad input is recorded as failures naming it, never a crash.

Examples are derandomised (the same every run) and few; the module is marked slow. Bugs these
tests found keep a test of their own holding the generated cases that hit them: non-UTF-8 file
names, wrong-typed JSON Lines fields, articles over the model's length limit, rich markup in file
names and numeric character references out of range in feeds.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.terminal import ExitStatus

pytestmark = pytest.mark.slow

RUN = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
SENTENCE = (
    "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday, and the two "
    "governments agreed to reopen the Moyale border crossing to trade."
)
WARNING_STAGE = "ingest-warning"
runner = CliRunner()


# ---------------------------------------------------------------- running and reading back


def good_text(n: int) -> str:
    """A distinct news paragraph; `marker(n)` finds it in the stored text."""
    return f"{SENTENCE} Officials said the talks would resume in round {n}."


def marker(n: int) -> str:
    return f"resume in round {n}."


@dataclass
class Outcome:
    """What one run printed and stored."""

    result: Result
    texts: list[str]
    published: dict[str, str | None]
    failures: list[tuple[str, str, str]]  # source, stage, message

    def problems(self) -> list[tuple[str, str, str]]:
        return [f for f in self.failures if f[1] != WARNING_STAGE]

    def stored(self, n: int) -> bool:
        return any(marker(n) in text for text in self.texts)


def run(inputs: list[Path], db: Path) -> Outcome:
    """`eventwire run INPUTS --db DB --quiet` in this process; what it stored."""
    result = runner.invoke(app, ["run", *map(str, inputs), "--db", str(db), "--quiet"])
    if not db.exists():
        return Outcome(result, [], {}, [])
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT text, published FROM articles").fetchall()
        failures = connection.execute("SELECT source, stage, message FROM failures").fetchall()
    texts = [text for text, _ in rows]
    return Outcome(result, texts, {text: published for text, published in rows}, failures)


def assert_completed(outcome: Outcome) -> None:
    """The run completed (exit 0, or 3 when it rejected inputs), nothing escaped, no traceback printed."""
    result = outcome.result
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    assert escaped is None, "".join(traceback.format_exception(*result.exc_info))
    rejected = any(line.startswith("skipped ") for line in result.stderr.splitlines())
    assert result.exit_code == (ExitStatus.REJECTED if rejected else ExitStatus.OK), result.output
    assert "Traceback" not in result.stderr, result.stderr


@contextmanager
def batch_folder() -> Iterator[Path]:
    """A fresh folder per example (hypothesis runs many examples in one test call)."""
    with tempfile.TemporaryDirectory(prefix="eventwire-fuzz-run-") as folder:
        (Path(folder) / "in").mkdir()
        yield Path(folder)


@pytest.fixture(scope="module", autouse=True)
def _loaded(resources) -> None:
    """Load the model once; every in-process run then reuses it."""


# ---------------------------------------------------------------- file names

GOOD_CONTENT: dict[str, Callable[[int], bytes]] = {
    ".txt": lambda n: good_text(n).encode(),
    "": lambda n: good_text(n).encode(),
    ".jsonl": lambda n: json.dumps({"text": good_text(n)}).encode() + b"\n",
    ".html": lambda n: f"<html><body><article><p>{good_text(n)}</p></article></body></html>".encode(),
    ".rss": lambda n: (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
        f"<item><title>Talks</title><description>{good_text(n)}</description></item></channel></rss>"
    ).encode(),
}
BAD_CONTENT = (b"", b"\x00\x01\x02 binary \x00", b"   \n\t\n")

_utf8_names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=40
)
_byte_names = (
    st.binary(min_size=1, max_size=40)
    .map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
    .filter(lambda b: not _is_utf8(b))
)
_file_specs = st.tuples(st.sampled_from(sorted(GOOD_CONTENT)), st.booleans())


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _write_named_files(folder: Path, names: list[bytes], specs: list[tuple[str, bool]]) -> tuple[set[int], int]:
    """One file per name (made unique and not hidden by a number prefix); the good ones' numbers and the bad count."""
    good, bad = set(), 0
    for n, (name, (extension, is_good)) in enumerate(zip(names, specs, strict=False)):
        path = os.fsencode(folder) + b"/" + f"{n:02d} ".encode() + name + extension.encode()
        with open(path, "wb") as handle:
            handle.write(GOOD_CONTENT[extension](n) if is_good else BAD_CONTENT[n % len(BAD_CONTENT)])
        if is_good:
            good.add(n)
        else:
            bad += 1
    return good, bad


def _assert_names_handled(outcome: Outcome, good: set[int], bad: int) -> None:
    assert_completed(outcome)
    assert [n for n in sorted(good) if not outcome.stored(n)] == []
    assert len(outcome.problems()) == bad, outcome.failures


@RUN
@given(names=st.lists(_utf8_names, min_size=1, max_size=6), specs=st.lists(_file_specs, min_size=6, max_size=6))
@example(names=["[bold]red[x]", "line\nbreak", "\u202eevil.exe", "\U0001f4f0 news", " -dash", "*?[]\\:\"'<>|"],
         specs=[(".txt", False), (".txt", True), (".html", True), (".rss", False), ("", True), (".jsonl", False)])
def test_files_with_any_utf8_name_are_stored_or_reported(names: list[str], specs: list[tuple[str, bool]]) -> None:
    with batch_folder() as folder:
        good, bad = _write_named_files(folder / "in", [name.encode() for name in names], specs)
        outcome = run([folder / "in"], folder / "run.db")
    event(f"good and bad files: {bool(good)}, {bool(bad)}")
    _assert_names_handled(outcome, good, bad)


@RUN
@given(names=st.lists(_byte_names, min_size=1, max_size=6), specs=st.lists(_file_specs, min_size=6, max_size=6))
@example(names=[b"caf\xe9 report", b"\xff\xfe"], specs=[(".txt", True), (".txt", False)] + [(".txt", True)] * 4)
def test_files_with_non_utf8_names_are_stored_or_reported(names: list[bytes], specs: list[tuple[str, bool]]) -> None:
    with batch_folder() as folder:
        good, bad = _write_named_files(folder / "in", names, specs)
        outcome = run([folder / "in"], folder / "run.db")
    _assert_names_handled(outcome, good, bad)


def test_a_failure_line_naming_a_path_with_markup_is_printed_verbatim(tmp_path: Path) -> None:
    inbox = tmp_path / "in" / "wire["
    inbox.mkdir(parents=True)
    (inbox / "red] empty.txt").write_bytes(b"")  # its path holds "[/red]"
    (inbox / "good.txt").write_text(good_text(1))
    outcome = run([tmp_path / "in"], tmp_path / "run.db")
    assert_completed(outcome)
    assert outcome.stored(1)
    assert "wire[/red] empty.txt: empty file" in outcome.result.stderr


# ---------------------------------------------------------------- JSON Lines of any shape

_json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
_json_values = st.recursive(
    _json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
TEXT_FIELDS = ("text", "doc_text", "content", "body", "maintext", "article", "full_text")
METADATA_FIELDS = ("title", "headline", "url", "link", "outlet", "source", "published", "date", "publish_date")
IMPOSSIBLE_DATES = ("2023-02-30", "2023-13-01", "0000-00-00", "2023-00-10", "9999-99-99T99:99:99Z", "yesterday")
_unknown_keys = st.text(min_size=1, max_size=12).filter(lambda k: k not in TEXT_FIELDS + METADATA_FIELDS)
_huge_strings = st.text(min_size=1, max_size=3).map(lambda s: s * 20_000)

#: Lines that are not an article: invalid JSON, non-objects, objects without usable text.
_bad_lines = st.one_of(
    # (a lone CR or form feed is a line break in JSON Lines, as in any text eventwire reads)
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\f"), max_size=40).map(
        lambda s: "{x" + s
    ),
    (_json_scalars | st.lists(_json_values, max_size=4)).map(json.dumps),
    st.dictionaries(_unknown_keys, _json_values, max_size=4).map(json.dumps),
    st.tuples(
        st.sampled_from(TEXT_FIELDS),
        st.one_of(
            st.integers(),
            st.booleans(),
            st.lists(st.text(max_size=10), max_size=3),
            st.dictionaries(st.text(max_size=5), st.text(max_size=10), max_size=2),
            st.text(" \t\r\u00a0\u3000", max_size=5),
        ),
    ).map(lambda kv: json.dumps({kv[0]: kv[1]})),
)
#: Extra content for a good record: unknown fields of any JSON type, huge strings, impossible dates.
_good_extras = st.fixed_dictionaries(
    {},
    optional={
        "extra": st.dictionaries(_unknown_keys, _json_values | _huge_strings, max_size=3),
        "title": st.text(max_size=50) | _huge_strings,
        "date": st.sampled_from(IMPOSSIBLE_DATES),
    },
)


def _good_line(n: int, extras: dict) -> str:
    record = {**extras.get("extra", {}), "text": good_text(n)}
    record.update({key: value for key, value in extras.items() if key != "extra"})
    return json.dumps(record)


_json_line_kinds = _good_extras.map(lambda e: ("good", e)) | _bad_lines.map(lambda b: ("bad", b))


@RUN
@given(lines=st.lists(_json_line_kinds, min_size=1, max_size=10))
def test_json_lines_of_any_shape_store_good_records_and_report_each_bad_line(lines: list[tuple[str, object]]) -> None:
    with batch_folder() as folder:
        path = folder / "in" / "wire.jsonl"
        rendered = [_good_line(n, item) if kind == "good" else item for n, (kind, item) in enumerate(lines, 1)]
        path.write_text("\n".join(rendered) + "\n", encoding="utf-8")
        outcome = run([path], folder / "run.db")
    assert_completed(outcome)
    good = [n for n, (kind, _) in enumerate(lines, 1) if kind == "good"]
    bad = [n for n, (kind, _) in enumerate(lines, 1) if kind == "bad"]
    event(f"good and bad lines: {bool(good)}, {bool(bad)}")
    assert [n for n in good if not outcome.stored(n)] == []
    assert sorted(source for source, _, _ in outcome.problems()) == sorted(f"{path}:{n}" for n in bad)
    impossible = [n for n, (kind, item) in enumerate(lines, 1) if kind == "good" and "date" in item]
    for n in impossible:  # an impossible date is no date, never an invented one
        (text,) = [t for t in outcome.texts if marker(n) in t]
        assert outcome.published[text] is None


_wrong_types = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.lists(st.text(max_size=8), min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=8), min_size=1, max_size=2),
)


@RUN
@given(fields=st.lists(st.tuples(st.sampled_from(METADATA_FIELDS), _wrong_types), min_size=1, max_size=4))
@example(fields=[("date", 20230524)])
@example(fields=[("title", ["a", "list"]), ("url", {"href": "x"})])
def test_wrong_typed_json_lines_fields_are_reported(fields: list[tuple[str, object]]) -> None:
    with batch_folder() as folder:
        path = folder / "in" / "wire.jsonl"
        lines = [json.dumps({"text": good_text(1)}), json.dumps({"text": good_text(2), **dict(fields)})]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        outcome = run([path], folder / "run.db")
    assert_completed(outcome)
    assert outcome.stored(1)
    assert [f for f in outcome.failures if f[0] == f"{path}:2"], outcome.failures


# ---------------------------------------------------------------- HTML and RSS oddities

_ENTITIES = ("&amp;", "&lt;b&gt;", "&#8217;", "&#x2019;", "&quot;", "&#160;", "&amp;amp;")
_HTML_ENTITIES = (*_ENTITIES, "&eacute;", "&nbsp;", "&bogus;", "&#0;", "&#xD800;", "&#x110000;")
_HTML_NOISE = (
    "<b>unclosed bold", "<i><b>misnested</i></b>", "<![CDATA[ raw <p> ]]>", "<!-- comment -->",
    "<p>", "</div></div>", "<script>var x = '<p>';</script>", "<br/><br>", "<img src=x onerror=alert(1)>",
)
_odd_items = st.sampled_from(
    (
        "<item/>",
        "<item></item>",
        "<item><title></title><description>  </description></item>",
        "<item><description><![CDATA[]]></description></item>",
        "<item><title>Only a title</title></item>",
    )
)


@st.composite
def _feed_item(draw: st.DrawFn, n: int) -> str:
    text = good_text(n) + " " + " ".join(draw(st.lists(st.sampled_from(_ENTITIES), max_size=3)))
    if draw(st.booleans()):  # HTML with unclosed or nested tags inside CDATA
        inner = draw(st.sampled_from(("<p>{}", "<p><b>{}</p>", "<div><p>{}</div></span>", "{}<br>", "<p>{}</p>")))
        body = "<![CDATA[" + inner.format(text) + "]]>"
    else:
        body = text
    title = draw(st.sampled_from(("Talks", "", "<![CDATA[ a <![CDATA[ nested ]]> b ]]>", "Ruto &amp; Abiy")))
    return f"<item><title>{title}</title><description>{body}</description></item>"


@st.composite
def _feed(draw: st.DrawFn) -> tuple[bytes, list[int], int]:
    """A well-formed RSS document of good and odd items: (bytes, numbers of the good items, odd items)."""
    kinds = draw(st.lists(st.booleans(), min_size=1, max_size=6))
    items, good, odd = [], [], 0
    for n, is_good in enumerate(kinds, start=100):
        if is_good:
            items.append(draw(_feed_item(n)))
            good.append(n)
        else:
            items.append(draw(_odd_items))
            odd += 1
    channel = "<title>Odd &amp; Wire</title>" + "".join(items)
    document = f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>{channel}</channel></rss>"
    return document.encode(), good, odd


@st.composite
def _page(draw: st.DrawFn, n: int) -> bytes:
    """An HTML page around good paragraphs, with entities, unclosed tags and stray CDATA between them."""
    noise = draw(st.lists(st.sampled_from(_HTML_NOISE + _HTML_ENTITIES), max_size=6))
    paragraphs = [f"<p>{good_text(n)}</p>", *(f"<p>{piece}</p>" for piece in noise), f"<p>{good_text(n + 1)}"]
    head = draw(st.sampled_from(("<html><head><title>T &amp; T</title></head>", "<html>", "<!DOCTYPE html>", "")))
    tail = draw(st.sampled_from(("</body></html>", "", "</article>", "<p>cut off mid-ta")))
    return (head + "<body><article>" + "".join(paragraphs) + tail).encode()


@RUN
@given(feeds=st.lists(_feed(), min_size=1, max_size=3), pages=st.integers(min_value=0, max_value=3), data=st.data())
def test_feeds_and_pages_with_odd_markup_store_their_articles_and_report_empty_items(feeds, pages, data) -> None:
    with batch_folder() as folder:
        inbox = folder / "in"
        (inbox / "neighbour.txt").write_text(good_text(1))
        for number, (document, _, _) in enumerate(feeds):
            (inbox / f"feed{number}.rss").write_bytes(document)
        for number in range(pages):
            (inbox / f"page{number}.html").write_bytes(data.draw(_page(10 + 2 * number)))
        outcome = run([inbox], folder / "run.db")
    assert_completed(outcome)
    assert outcome.stored(1)
    event(f"feeds with odd items: {sum(1 for _, _, odd in feeds if odd)} of {len(feeds)}; pages: {pages}")
    for number, (_, good, odd) in enumerate(feeds):
        assert [n for n in good if not outcome.stored(n)] == [], number
        reported = [f for f in outcome.problems() if f[0].startswith(str(inbox / f"feed{number}.rss"))]
        assert reported if odd else not reported, (number, odd, reported)
    for number in range(pages):  # each page is stored with its text, or refused in one failure
        page = str(inbox / f"page{number}.html")
        stored = outcome.stored(10 + 2 * number) or outcome.stored(11 + 2 * number)
        refused = [f for f in outcome.problems() if f[0] == page]
        assert stored != bool(refused), (page, refused)


@pytest.mark.parametrize("reference", ["&#x110000;", "&#xD800;"])
def test_a_feed_with_an_out_of_range_character_reference_keeps_its_good_entries(tmp_path: Path, reference) -> None:
    feed = tmp_path / "wire.rss"
    items = f"<item><description>{good_text(1)} {reference}</description></item>" + (
        f"<item><description>{good_text(2)}</description></item>"
    )
    feed.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>W</title>{items}</channel></rss>")
    outcome = run([feed], tmp_path / "run.db")
    assert_completed(outcome)
    assert outcome.stored(2)


# ---------------------------------------------------------------- sizes across the model's length limit

#: A small stand-in for spaCy's 1,000,000-character limit, so the sizes around it stay cheap.
SMALL_LIMIT = 3_000


@contextmanager
def small_model_limit(resources) -> Iterator[int]:
    """The loaded model refuses texts over SMALL_LIMIT characters, as it refuses texts over 1,000,000."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resources.nlp, "max_length", SMALL_LIMIT)
        patch.setattr("eventwire.nlp.MAX_CHARS", SMALL_LIMIT - 10)  # where eventwire keeps its own limit
        yield SMALL_LIMIT


def _article_of_length(n: int, length: int) -> str:
    """Distinct paragraphs of news ending with the article's marker, `length` characters in all."""
    end = f" {marker(n)}"
    paragraphs = (f"{SENTENCE} Officials said the talks would resume in round {n}-{i}." for i in range(length))
    body = ""
    while len(body) < length:
        body += next(paragraphs) + "\n\n"
    return body[: length - len(end)].rstrip() + end


def _run_sizes(sizes: list[int]) -> Outcome:
    with batch_folder() as folder:
        for n, size in enumerate(sizes):
            (folder / "in" / f"{n:02d}.txt").write_text(_article_of_length(n, size), encoding="utf-8")
        return run([folder / "in"], folder / "run.db")


@settings(RUN, max_examples=8)
@given(sizes=st.lists(st.integers(min_value=200, max_value=SMALL_LIMIT - 100), min_size=1, max_size=4))
def test_articles_up_to_the_model_limit_are_all_stored(resources, sizes: list[int]) -> None:
    with small_model_limit(resources):
        outcome = _run_sizes(sizes)
    assert_completed(outcome)
    assert [n for n in range(len(sizes)) if not outcome.stored(n)] == []


@RUN
@given(
    sizes=st.lists(
        st.integers(min_value=200, max_value=SMALL_LIMIT - 100) | st.integers(SMALL_LIMIT + 50, 3 * SMALL_LIMIT),
        min_size=2,
        max_size=5,
    ).filter(lambda sizes: any(size > SMALL_LIMIT for size in sizes))
)
@example(sizes=[500, SMALL_LIMIT + 50, 800])
def test_an_article_over_the_model_limit_does_not_sink_the_batch(resources, sizes: list[int]) -> None:
    with small_model_limit(resources):
        outcome = _run_sizes(sizes)
    assert_completed(outcome)
    assert [n for n, size in enumerate(sizes) if size <= SMALL_LIMIT - 100 and not outcome.stored(n)] == []
    over = [n for n, size in enumerate(sizes) if size > SMALL_LIMIT]
    reported = {Path(source).name for source, _, _ in outcome.problems()}
    assert [n for n in over if not outcome.stored(n) and f"{n:02d}.txt" not in reported] == []
