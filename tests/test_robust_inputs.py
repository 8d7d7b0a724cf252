"""Inputs that used to stop a batch or vanish silently: articles over spaCy's length limit, file
names that are not UTF-8, wrong-typed or impossible JSON fields, feed entries and pages with no
usable text. Each is stored whole or reported in one line, and the run counts rejections apart
from warnings."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.executors import InlineExecutor, store_stream
from eventwire.ingest import WARNING_STAGE, path_text, read_inputs
from eventwire.nlp import MAX_CHARS, ents_in, parse_stream, split_for_parsing
from eventwire.pipeline import BatchStats, clean_stream
from eventwire.records import Article, Failure, RawArticle
from eventwire.store import corpus, open_repository
from eventwire.terminal import ExitStatus

FIDAN = "Turkish Foreign Minister Hakan Fidan met his Iranian counterpart in Ankara on Tuesday to discuss trade."
FIDAN_QUOTE = "“We intend to double our trade within three years,” Fidan told reporters after the meeting."
CITIES = ["Ankara", "Cairo", "Nairobi", "Jakarta", "Lima", "Hanoi", "Warsaw", "Accra", "Manila", "Quito"]
TOPICS = ["grain exports", "port fees", "rail links", "fishing quotas", "water rights", "customs rules"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
#: A file name that is not valid UTF-8 (Latin-1 "é"), as a Linux file system may hold it.
LATIN1_NAME = b"caf\xe9-report.txt"


def forum_paragraph(n: int) -> str:
    """One of many distinct, ordinary news paragraphs (cleaning drops repeated ones)."""
    return (
        f"Delegates from {n % 40 + 3} provinces gathered in {CITIES[n % 10]} on {DAYS[n % 5]} for round {n} of "
        f"the regional forum on {TOPICS[n % 6]}. Organisers said the sessions would continue until late in the "
        f"evening, with a report due within {n % 12 + 2} weeks."
    )


def long_article(chars: int, ending: list[str]) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraphs.append(forum_paragraph(len(paragraphs) + 1))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs + ending)


# --- articles longer than the model's limit ---------------------------------------------------


def test_long_text_is_cut_at_paragraph_breaks_and_joins_back_exactly() -> None:
    text = long_article(5_000, [FIDAN])
    pieces = split_for_parsing(text, 1_000)
    assert "".join(pieces) == text
    assert len(pieces) >= 5 and all(len(piece) <= 1_000 for piece in pieces)
    assert all(piece.endswith(".\n\n") for piece in pieces[:-1])  # whole paragraphs, never mid-sentence


def test_text_without_paragraphs_is_cut_after_a_sentence_then_at_whitespace_then_anywhere() -> None:
    sentences = " ".join(forum_paragraph(n) for n in range(1, 40))
    pieces = split_for_parsing(sentences, 1_000)
    assert "".join(pieces) == sentences and all(p.endswith(". ") for p in pieces[:-1])
    words = " ".join(["word"] * 1_000)
    pieces = split_for_parsing(words, 1_000)
    assert "".join(pieces) == words and all(p.endswith(" ") for p in pieces[:-1])
    unbroken = "x" * 2_500
    assert split_for_parsing(unbroken, 1_000) == ["x" * 1_000, "x" * 1_000, "x" * 500]


def test_pieces_are_parsed_into_one_doc_with_whole_text_offsets(resources) -> None:
    text = long_article(6_000, [FIDAN])
    short = "Egypt and Qatar hosted talks in Cairo on Sunday."
    docs = list(parse_stream(resources.nlp, [(text, "long"), (short, "short")], max_chars=1_000))
    assert [context for _, context in docs] == ["long", "short"]
    doc = docs[0][0]
    assert doc.text == text
    last = list(doc.sents)[-1]
    assert last.text == FIDAN and text[last.start_char : last.end_char] == FIDAN
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert people[-1].text == "Hakan Fidan" and people[-1].start_char == len(text) - len(FIDAN) + FIDAN.index("Hakan")
    assert docs[1][0].text == short


def test_entities_of_a_span_match_spacy(resources, seeds_dir: Path) -> None:
    doc = resources.nlp((seeds_dir / "000_eed3e802cfa8421e.txt").read_text(encoding="utf-8"))
    spans = list(doc.sents) + [doc[i : i + 6] for i in range(0, len(doc) - 6, 5)]
    found = 0
    for span in spans:
        mine = [(e.start, e.end, e.label_) for e in ents_in(span)]
        assert mine == [(e.start, e.end, e.label_) for e in span.ents]
        found += len(mine)
    assert found > 50


def test_a_json_record_over_a_million_characters_is_read_whole(tmp_path: Path) -> None:
    text = long_article(1_300_000, [FIDAN])
    path = tmp_path / "big.jsonl"
    record = {"text": text, "date": "2024-03-05", "title": "Regional forum ends"}
    path.write_text(json.dumps(record) + "\n" + json.dumps({"text": FIDAN}) + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert [type(item) for item in items] == [RawArticle, RawArticle]
    assert items[0].text == text and len(items[0].text) > 1_300_000
    assert items[0].origin == f"{path}:1"


@pytest.fixture(scope="module")
def long_batch(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict:
    """The five seeds plus a 1.05M-character article, run through the command line once."""
    folder = tmp_path_factory.mktemp("long") / "batch"
    shutil.copytree(seeds_dir, folder)
    ending = [FIDAN, FIDAN_QUOTE]
    (folder / "long.txt").write_text(
        " date 2024-03-05 World Regional forum ends\n\n" + long_article(1_050_000, ending) + "\n", encoding="utf-8"
    )
    db = folder.parent / "long.db"
    result = CliRunner().invoke(app, ["run", str(folder), "--db", str(db), "--quiet"])
    return {"result": result, "db": db}


@pytest.mark.slow
def test_batch_with_an_article_over_the_model_limit_stores_everything(long_batch: dict) -> None:
    result = long_batch["result"]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "E088" not in result.output
    assert result.stdout.startswith("6 new articles") and "0 problems" in result.stdout
    with open_repository(long_batch["db"]) as repo:
        stored = {row["article_id"]: row for row in repo.iter_articles()}
        assert len(stored) == 6
        (long,) = [row for row in stored.values() if row["path"].endswith("long.txt")]
        assert len(long["text"]) > 1_000_000 and long["text"].endswith(FIDAN_QUOTE)  # nothing cut off
        by_fidan = [e for e in repo.iter_events(long["article_id"]) if e["source"]["name"] == "Hakan Fidan"]
        quotes = [q for q in corpus.iter_quotes(repo.engine) if q["article_id"] == long["article_id"]]
        claims = [c for c in corpus.iter_claims(repo.engine) if c["article_id"] == long["article_id"]]
    (meeting,) = [e for e in by_fidan if e["plover"] == "CONSULT" and e["predicate"] == "met"]
    assert meeting["target"]["country"] == "IRN"
    (mention,) = meeting["mentions"]
    assert mention["start"] > 1_000_000
    assert long["text"][mention["start"] : mention["end"]] == mention["sentence"]
    assert mention["sentence"].strip() == FIDAN  # a sentence keeps the blank line that ends its paragraph
    (quote,) = quotes
    assert quote["start"] > 1_000_000 and long["text"][quote["start"] : quote["end"]] == quote["text"]
    assert "double our trade" in quote["text"]
    last = max(claims, key=lambda c: c["start"])
    assert last["start"] > 1_000_000 and long["text"][last["start"] : last["end"]] == last["sentence"]


def test_long_texts_are_split_below_the_model_limit(resources) -> None:
    assert resources.nlp.max_length > MAX_CHARS


# --- file names that are not UTF-8 -------------------------------------------------------------


def test_path_text_escapes_undecodable_bytes_and_keeps_other_names() -> None:
    assert path_text(os.fsdecode(b"/data/" + LATIN1_NAME)) == "/data/caf\\xe9-report.txt"
    assert path_text(b"/data/" + LATIN1_NAME) == "/data/caf\\xe9-report.txt"
    assert path_text("/data/café-report.txt") == "/data/café-report.txt"
    assert path_text("a.jsonl:3") == "a.jsonl:3"


def test_batch_with_a_file_name_that_is_not_utf8_is_stored(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "batch"
    shutil.copytree(seeds_dir, folder)
    body = " date 2024-03-05 World Ministers meet in Ankara\n\n" + FIDAN + "\n"
    with open(os.fsencode(folder) + b"/" + LATIN1_NAME, "wb") as handle:
        handle.write(body.encode("utf-8"))
    with open(os.fsencode(folder) + b"/vide\xe9.txt", "wb"):
        pass  # empty: its failure must name it too
    db = tmp_path / "names.db"
    result = CliRunner().invoke(app, ["run", str(folder), "--db", str(db), "--quiet"])
    assert result.exit_code == ExitStatus.REJECTED, result.output  # the empty file
    assert "Traceback" not in result.output
    assert result.stdout.startswith("6 new articles")
    assert f"{folder}/vide\\xe9.txt: empty file" in result.stderr
    with open_repository(db) as repo:
        paths = sorted(row["path"] for row in repo.iter_articles())
        failures = [(row["source"], row["message"]) for row in repo.iter_failures()]
    assert f"{folder}/caf\\xe9-report.txt" in paths and len(paths) == 6
    assert failures == [(f"{folder}/vide\\xe9.txt", "empty file")]


# --- wrong-typed and impossible fields, entries and pages without text -----------------------


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_wrong_typed_text_is_rejected_naming_line_and_field(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [{"text": 42, "title": "Numbers"}, {"text": FIDAN}])
    items = list(read_inputs([str(path)]))
    assert items[0] == Failure(f"{path}:1", "field 'text': expected a string, got a number; record skipped")
    assert isinstance(items[1], RawArticle) and items[1].text == FIDAN


@pytest.mark.parametrize(
    ("published", "problem"),
    [
        ({"a": 1}, "expected a date string, got an object"),
        ("2023-13-45", "impossible date '2023-13-45'"),
        ("next Tuesday-ish", "unrecognised date 'next Tuesday-ish'"),
        ([2024, 3, 5], "expected a date string, got an array"),
    ],
)
def test_unusable_date_keeps_the_article_with_a_warning(tmp_path: Path, published: object, problem: str) -> None:
    records = [{"text": FIDAN, "date": "2024-03-05"}, {"text": FIDAN + " Again.", "published": published}]
    path = _jsonl(tmp_path / "a.jsonl", records)
    first, warning, second = read_inputs([str(path)])
    assert isinstance(first, RawArticle) and first.published is not None
    assert warning == Failure(f"{path}:2", f"field 'published': {problem}; stored without a date", WARNING_STAGE)
    assert isinstance(second, RawArticle) and second.published is None and second.text.startswith(FIDAN)


def test_wrong_typed_metadata_is_left_empty_with_a_warning(tmp_path: Path) -> None:
    record = {"text": FIDAN, "title": 2024, "url": ["https://a.example/1"], "source": {"id": None, "name": "Wire"}}
    path = _jsonl(tmp_path / "a.jsonl", [record])
    *warnings, article = read_inputs([str(path)])
    assert [w.message for w in warnings] == [
        "field 'url': expected a string, got an array; left empty",
        "field 'title': expected a string, got a number; left empty",
    ]
    assert all(w.source == f"{path}:1" and w.stage == WARNING_STAGE for w in warnings)
    assert (article.title, article.url, article.outlet) == (None, None, "Wire")


def test_lone_surrogate_in_json_text_becomes_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    broken = '{"text": "Fidan met officials in Ankara \\ud83d on Tuesday."}'  # half of an emoji's escape
    path.write_text(broken + "\n" + json.dumps({"text": FIDAN}) + "\n")
    first, second = read_inputs([str(path)])
    assert first.text == "Fidan met officials in Ankara \ufffd on Tuesday." and second.text == FIDAN


FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    f"<item><title>Ministers meet</title><description>{FIDAN}</description>"
    "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>"
    "<item><title>More</title><description>Read more</description></item>"
    f"<item><title>Dated oddly</title><description>Egypt and Qatar hosted talks in Cairo.</description>"
    "<pubDate>sometime in spring</pubDate></item>"
    "</channel></rss>"
)
NAV_PAGE = (
    "<!doctype html><html><head><title>Example News</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in ("home", "world", "politics", "business"))
    + '<li><a href="/contact">Contact us</a></li></ul></nav>'
    '<div class="menu"><a href="/login">Sign in</a> | <a href="/subscribe">Subscribe</a></div></body></html>'
)


def _problem_batch(folder: Path) -> Path:
    folder.mkdir()
    _jsonl(
        folder / "records.jsonl",
        [
            {"text": FIDAN, "date": "2024-03-05"},
            {"text": 42},
            {"text": "Egypt and Qatar hosted talks in Cairo on Sunday.", "published": {"a": 1}},
            {"text": "Kenya and Ethiopia agreed to reopen the border on Monday.", "published": "2023-13-45"},
        ],
    )
    (folder / "wire.rss").write_text(FEED, encoding="utf-8")
    (folder / "menu.html").write_text(NAV_PAGE, encoding="utf-8")
    return folder


def test_entry_and_page_without_usable_text_are_rejected_by_name(tmp_path: Path) -> None:
    folder = _problem_batch(tmp_path / "batch")
    cleaned = list(clean_stream(read_inputs([str(folder / "wire.rss"), str(folder / "menu.html")]), BatchStats()))
    rejected = [item for item in cleaned if isinstance(item, Failure) and item.stage != WARNING_STAGE]
    assert [f.source for f in rejected] == [f"{folder}/wire.rss[entry 2]", f"{folder}/menu.html"]
    assert rejected[0].message == "no text left after cleaning: 1 line(s) removed as boilerplate (read-more)"
    assert rejected[1].message.startswith("no usable text: only ") and "'Home'" in rejected[1].message
    warning = next(item for item in cleaned if isinstance(item, Failure) and item.stage == WARNING_STAGE)
    assert warning.source == f"{folder}/wire.rss[entry 3]" and "'sometime in spring'" in warning.message
    assert sum(isinstance(item, Article) for item in cleaned) == 2


def test_run_counts_rejected_inputs_apart_from_warnings(tmp_path: Path, resources) -> None:
    folder = _problem_batch(tmp_path / "batch")
    stats = BatchStats()
    with open_repository(tmp_path / "stats.db") as repo:
        run_id = repo.start_run([str(folder)])
        store_stream(read_inputs([str(folder)]), repo, run_id, InlineExecutor(resources), stats)
        recorded = [(row["source"], row["stage"]) for row in repo.iter_failures()]
        stored = repo.counts()["articles"]
    assert stats.articles == stored == 4  # three JSON records and one feed entry, each with usable text
    assert sorted(Path(f.source).name for f in stats.rejected) == ["menu.html", "records.jsonl:2", "wire.rss[entry 2]"]
    assert sorted(Path(f.source).name for f in stats.warnings) == [
        "records.jsonl:3",
        "records.jsonl:4",
        "wire.rss[entry 3]",
    ]
    assert stats.problems == [] and stats.failures == stats.rejected
    assert sorted(recorded) == sorted([(f.source, f.stage) for f in stats.rejected + stats.warnings])


def test_cli_prints_one_line_per_rejected_input_and_warning(tmp_path: Path) -> None:
    folder = _problem_batch(tmp_path / "batch")
    result = CliRunner().invoke(app, ["run", str(folder), "--db", str(tmp_path / "cli.db"), "--quiet"])
    assert result.exit_code == ExitStatus.REJECTED, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    expected = {
        "skipped": ["records.jsonl:2: field 'text'", "wire.rss[entry 2]: no text left", "menu.html: no usable text"],
        "warning": [
            "records.jsonl:3: field 'published': expected a date string",
            "records.jsonl:4: field 'published': impossible date '2023-13-45'",
            "wire.rss[entry 3]: field 'published'",
        ],
    }
    for label, fragments in expected.items():
        for fragment in fragments:
            assert len([line for line in lines if line.startswith(label) and fragment in line]) == 1, (fragment, lines)
    assert len(lines) == 6
    assert result.stdout.startswith("4 new articles")
