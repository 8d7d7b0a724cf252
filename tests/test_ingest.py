"""Ingest: every format, the seeds' header convention, stable ids, and bad inputs that never stop a batch."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest

import eventwire.ingest as ingest
from eventwire.clean import clean_article
from eventwire.ingest import article_id_for, fix_mojibake, read_inputs
from eventwire.ingest.text import title_without_section
from eventwire.records import Failure, RawArticle

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
GOOD_TEXT = (
    " date 2025-02-24 World Ukraine marks anniversary\n\n"
    "Ukrainian President Volodymyr Zelensky hosted European leaders in Kyiv on Monday.\n"
)

def articles(items: list[RawArticle | Failure]) -> list[RawArticle]:
    return [item for item in items if isinstance(item, RawArticle)]


def failures(items: list[RawArticle | Failure]) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure) and item.stage == "ingest"]


def read_one(path: Path) -> RawArticle:
    items = list(read_inputs([str(path)]))
    assert failures(items) == []
    (article,) = articles(items)
    return article


# --- plain text and the seed header convention ---------------------------------------------


def test_seed_header_gives_date_and_title_without_section(seeds_dir: Path) -> None:
    article = read_one(seeds_dir / "000_eed3e802cfa8421e.txt")
    assert article.published == dt.date(2023, 5, 24)
    assert article.title == "Zelensky closes G7 summit: “Bakhmut is not occupied by Russia”"
    assert article.text.startswith("The geopolitical divisions exacerbated after the Russian invasion")
    assert article.source_format == "text"


def test_seed_header_with_empty_title_leaves_title_unknown(seeds_dir: Path) -> None:
    article = read_one(seeds_dir / "001_cbfe35416636920c.txt")
    assert article.published == dt.date(2023, 5, 25)
    assert article.title is None
    assert article.text.startswith("Chinese President Xi Jinping said on Wednesday")


def test_seed_without_header_takes_title_from_first_line(seeds_dir: Path) -> None:
    article = read_one(seeds_dir / "002_f21ae2525bea576d.txt")
    assert article.published is None
    assert article.title == "Russia and China are further strengthening their relations"


def test_section_name_is_dropped_only_before_a_capitalised_title() -> None:
    assert title_without_section("Middle East Iran and Turkey sign deal") == "Iran and Turkey sign deal"
    assert title_without_section("World Bank approves loan to Kenya") == "World Bank approves loan to Kenya"
    assert title_without_section("Asia braces for typhoon") == "Asia braces for typhoon"
    assert title_without_section("Europe") is None
    assert title_without_section("") is None


def test_bare_text_whose_first_line_is_a_sentence_keeps_it_in_the_body(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Egypt and Qatar hosted talks in Cairo on Sunday.\n\nThe talks ended without a deal.\n")
    article = read_one(path)
    assert article.title is None and article.published is None
    assert article.text.startswith("Egypt and Qatar hosted talks in Cairo on Sunday.")


# --- ids -------------------------------------------------------------------------------------


def test_ids_are_content_hashes_stable_across_runs_and_whitespace() -> None:
    first = [a.article_id for a in articles(list(read_inputs([str(EXAMPLES)])))]
    second = [a.article_id for a in articles(list(read_inputs([str(EXAMPLES)])))]
    assert first == second and len(set(first)) == len(first) == 7
    flat = "Kenya and Ethiopia signed a power deal. It runs for 25 years."
    expected = hashlib.sha256(flat.encode()).hexdigest()[:16]
    assert article_id_for(flat.replace(". ", ".\n\n")) == expected == article_id_for("  " + flat)


# --- the shipped examples cover every format ---------------------------------------------------


def test_examples_directory_reads_in_sorted_order_without_failures() -> None:
    items = list(read_inputs([str(EXAMPLES)]))
    assert [i for i in items if isinstance(i, Failure)] == []
    formats = [a.source_format for a in articles(items)]
    assert formats == ["text", "text", "html", "jsonl", "jsonl", "feed", "feed"]
    paths = [a.path for a in articles(items)]
    assert paths == sorted(paths)


def test_html_page_gives_main_text_and_metadata() -> None:
    article = read_one(EXAMPLES / "odesa-drone-attack.html")
    assert article.title == "Russian drones hit Odesa port as Romania scrambles jets"
    assert article.outlet == "Black Sea Monitor"
    assert article.published == dt.date(2025, 9, 7)
    assert article.url == "https://blacksea-monitor.example/news/2025/09/07/odesa-drone-attack"
    assert "Ukraine's foreign ministry accused Moscow of deliberately targeting civilian" in article.text
    for boilerplate in ("Home | Ukraine", "Post Comment", "We use cookies", "Moldova expels"):
        assert boilerplate not in article.text
    assert "\n\n" in article.text


HARBOUR_PAGE = """<!DOCTYPE html>
<html><head><title>Dockers strike in Piraeus</title><script>var tracking = "hidden";</script></head>
<body>
<div id="gdpr-consent"><p>This site uses cookies to personalise content.</p><button>I agree</button></div>
<nav class="main-menu"><ul><li><a href="/">Front page</a></li><li><a href="/greece">Greece</a></li>
<li><a href="/shipping">Shipping</a></li></ul></nav>
<article>
<h1>Dockers strike in Piraeus</h1>
<p>Dock workers in the Greek port of Piraeus walked off the job on Wednesday to protest against a new
shift system, halting container traffic at the country's largest harbour for the second time this month.</p>
<p>The union said the strike would last 48 hours unless the port operator withdrew the plan. The shipping
ministry called on both sides to return to talks and said it would mediate if asked.</p>
<section class="related-articles"><h2>More on this</h2><ul>
<li><a href="/a">Ferry crews vote to extend walkout</a></li>
<li><a href="/b">Port operator posts record quarterly profit</a></li></ul></section>
</article>
<footer><p>Harbour News Agency, Athens</p><p>Terms of use</p></footer>
</body></html>
"""


def test_html_boilerplate_left_out_by_extraction_is_recorded_as_removed(tmp_path: Path) -> None:
    page = tmp_path / "piraeus.html"
    page.write_text(HARBOUR_PAGE, encoding="utf-8")
    raw = read_one(page)
    article = clean_article(raw)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Dock workers in the Greek port of Piraeus walked off the job on Wednesday")
    assert paragraphs[-1].endswith("said it would mediate if asked.")
    removed = [(line.rule, line.text) for line in article.removed]
    assert removed[: len(raw.removed)] == [(line.rule, line.text) for line in raw.removed]
    for dropped in [
        ("html-cookie-banner", "This site uses cookies to personalise content."),
        ("html-cookie-banner", "I agree"),
        ("html-navigation", "Front page"),
        ("html-navigation", "Greece"),
        ("html-navigation", "Shipping"),
        ("html-related", "More on this"),
        ("html-related", "Ferry crews vote to extend walkout"),
        ("html-related", "Port operator posts record quarterly profit"),
        ("html-footer", "Harbour News Agency, Athens"),
        ("html-footer", "Terms of use"),
    ]:
        assert dropped in removed
        assert dropped[1] not in article.text
    assert not any("tracking" in text or "Dock workers" in text for _, text in removed)


def test_json_lines_give_one_article_per_line_with_metadata() -> None:
    items = list(read_inputs([str(EXAMPLES / "wire-feed.jsonl")]))
    first, second = articles(items)
    assert first.title == "Fidan, Araqchi pledge to boost Turkey-Iran trade to $30bn"
    assert first.outlet == "Gulf News Desk"
    assert first.published == dt.date(2025, 11, 10)
    assert first.url == "https://gulfnewsdesk.example/2025/11/10/turkey-iran-trade"
    assert second.published == dt.date(2025, 4, 3)
    assert second.text.startswith("China's coast guard on Thursday accused the Philippines")


def test_rss_entries_are_articles_with_html_stripped() -> None:
    items = list(read_inputs([str(EXAMPLES / "world-briefs.rss")]))
    lula, sanctions = articles(items)
    assert lula.outlet == sanctions.outlet == "World Briefs"
    assert lula.published == dt.date(2025, 3, 26) and sanctions.published == dt.date(2026, 1, 15)
    assert lula.url == "https://worldbriefs.example/2025/03/26/japan-brazil-minerals"
    assert lula.text.startswith("Brazilian President Luiz Inácio Lula da Silva met Japanese Prime Minister")
    assert "<p>" not in lula.text and "\n\n" in lula.text
    assert sanctions.title == "US sanctions two RSF commanders over El Fasher attacks"


def test_atom_feed_in_an_xml_file_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Nile Desk</title><entry><title>Egypt hosts Gaza talks</title>"
        "<link href='https://nile.example/1'/><updated>2025-10-05T10:00:00Z</updated>"
        "<summary>Egypt hosted Israeli and Hamas delegations in Sharm el-Sheikh on Sunday.</summary>"
        "</entry></feed>"
    )
    article = read_one(path)
    assert (article.outlet, article.title) == ("Nile Desk", "Egypt hosts Gaza talks")
    assert article.published == dt.date(2025, 10, 5)
    assert article.source_format == "feed"


def test_bad_json_line_is_one_failure_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"title": "One", "text": "Kenya sent police to Haiti on Tuesday.", "published": "2024-06-25"}\n'
        "{not json\n"
        "\n"
        '{"title": "no text here"}\n'
        '{"text": "Haiti\'s prime minister welcomed the officers.", "published": "2024-06-26T09:00:00Z"}\n'
    )
    items = list(read_inputs([str(path)]))
    assert [f.source for f in failures(items)] == [f"{path}:2", f"{path}:4"]
    assert failures(items)[0].message.startswith("invalid JSON")
    assert [a.published for a in articles(items)] == [dt.date(2024, 6, 25), dt.date(2024, 6, 26)]


def test_stdin_is_read_and_sniffed() -> None:
    jsonl = io.StringIO('{"text": "Qatar and Egypt mediated talks in Doha on Friday."}\n')
    (article,) = list(read_inputs(["-"], stdin=jsonl))
    assert isinstance(article, RawArticle) and article.source_format == "jsonl" and article.path is None
    raw = io.BytesIO(GOOD_TEXT.encode())
    (article,) = list(read_inputs(["-"], stdin=raw))
    assert article.published == dt.date(2025, 2, 24) and article.title == "Ukraine marks anniversary"


# --- encodings and mojibake -------------------------------------------------------------------


def test_mojibake_is_repaired_and_correct_text_left_alone() -> None:
    assert fix_mojibake("Russiaâ€™s â€œcore interestsâ€\ufffd") == "Russia’s “core interests”"
    assert fix_mojibake("the cafÃ© in SÃ£o Paulo â€” closed") == "the café in São Paulo — closed"
    correct = "Café, naïve, Zürich, São Paulo — “quoted” ‘text’ »"
    assert fix_mojibake(correct) == correct


def test_mojibake_inside_an_article_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "noisy.jsonl"
    path.write_text('{"doc_text": "the minister\\u00e2\\u20ac\\u2122s visit to lucknow was cancelled."}\n')
    assert read_one(path).text == "the minister’s visit to lucknow was cancelled."


def test_windows_1252_text_is_accepted_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Café talks: France’s minister met the envoy in Paris on Monday.".encode("cp1252"))
    items = list(read_inputs([str(path)]))
    (warning,) = [i for i in items if isinstance(i, Failure)]
    assert warning.stage == "ingest-warning" and "read as Windows-1252" in warning.message
    assert articles(items)[0].text.startswith("Café talks: France’s minister")


# --- bad inputs: exactly one clear failure each, and the batch goes on ---------------------------


def test_directory_with_bad_files_gives_one_failure_each_and_keeps_good_articles(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(GOOD_TEXT)
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02GIF\xff\xfe" * 200)
    (tmp_path / "d_undecodable.txt").write_bytes(bytes(range(1, 256)) * 8)
    (tmp_path / "e_broken.html").write_text("<html><head><title>Gone</title></head><body><div><p></div>")
    (tmp_path / "f_unclosed.html").write_text(
        "<html><body><div><p>Prime Minister Keir Starmer met French President Emmanuel Macron in London "
        "on Thursday and the two leaders agreed to deepen defence cooperation, officials said."
        "<p>They also discussed migration across the Channel, which has risen sharply this year according "
        "to figures released by the Home Office on Tuesday, and agreed to meet again in Paris in the spring"
    )
    (tmp_path / "g_photo.pdf").write_bytes(b"%PDF-1.7\n" + b"stream" * 50)
    (tmp_path / "h_empty.rss").write_text("<rss><channel><title>Empty</title></channel></rss>")
    (tmp_path / "i_big.txt").write_bytes(b"")
    with open(tmp_path / "i_big.txt", "r+b") as handle:
        handle.truncate(50 * 2**20)  # sparse: instant to create, 52.4 MB by size
    (tmp_path / "j_dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "k_pipe")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z_good.jsonl").write_text('{"text": "Ministers met in Cairo on Sunday."}\n')
    (tmp_path / ".hidden.txt").write_text(GOOD_TEXT)

    items = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))

    problems = {Path(f.source).name: f.message for f in failures(items)}
    assert problems == {
        "b_empty.txt": "empty file",
        "c_binary.txt": "binary file (contains NUL bytes), not text",
        "d_undecodable.txt": (
            "not valid UTF-8 text (byte 0x80 at offset 127) and not readable as Windows-1252 text"
        ),
        "e_broken.html": "no main text found in HTML",
        "g_photo.pdf": "binary file (PDF document), not text",
        "h_empty.rss": "feed has no entries",
        "i_big.txt": "file too large (52.4 MB > 20 MB limit)",
        "j_dangling.txt": "broken symbolic link (its target does not exist)",
        "k_pipe": "not a regular file (FIFO); skipped",
        "missing.txt": "no such file or directory",
    }
    assert all("\n" not in f.line() for f in failures(items))
    good = [Path(a.path or "").name for a in articles(items)]
    assert good == ["a_good.txt", "f_unclosed.html", "z_good.jsonl"]


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD_TEXT * 40)
    (failure,) = list(read_inputs([str(path)], max_bytes=1_000))
    assert isinstance(failure, Failure) and failure.message == "file too large (0.0 MB > 0.001 MB limit)"
    assert articles(list(read_inputs([str(path)], max_bytes=100_000)))


def test_unreadable_file_is_a_failure(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: permission bits do not stop root (FIFO/symlink cases cover this)")
    path = tmp_path / "secret.txt"
    path.write_text(GOOD_TEXT)
    path.chmod(0)
    try:
        (failure,) = list(read_inputs([str(path)]))
    finally:
        path.chmod(0o644)
    assert isinstance(failure, Failure) and failure.message == "cannot read: permission denied"


def test_an_unexpected_reader_error_becomes_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(text: str, source: str, path: str | None = None):
        raise RuntimeError("parser crashed")

    monkeypatch.setitem(ingest._TEXT_PARSERS, "html", explode)
    (tmp_path / "a.html").write_text("<html><body><p>Text</p></body></html>")
    (tmp_path / "b.txt").write_text(GOOD_TEXT)
    items = list(read_inputs([str(tmp_path)]))
    assert failures(items)[0].message == "unexpected error: RuntimeError: parser crashed"
    assert len(articles(items)) == 1


def test_permission_errors_are_failures_whoever_runs_the_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventwire.ingest import files

    locked_dir, locked_file = tmp_path / "locked", tmp_path / "locked.txt"
    locked_dir.mkdir()
    locked_file.write_text(GOOD_TEXT)
    (tmp_path / "open.txt").write_text(GOOD_TEXT)
    real_listdir, real_open = os.listdir, open

    def listdir(path: str) -> list[str]:
        if Path(path) == locked_dir:
            raise PermissionError(13, "Permission denied")
        return real_listdir(path)

    def opener(path: str, *args: object, **kwargs: object):
        if Path(path) == locked_file:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "listdir", listdir)
    monkeypatch.setattr(files, "open", opener, raising=False)
    items = list(read_inputs([str(tmp_path)]))
    assert {(Path(f.source).name, f.message) for f in failures(items)} == {
        ("locked", "cannot list directory: permission denied"),
        ("locked.txt", "cannot read: permission denied"),
    }
    assert [Path(a.path or "").name for a in articles(items)] == ["open.txt"]


def test_utf8_with_a_cut_character_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    text = "Beijing talks\n\nXi’s “firm support” for Moscow was repeated on Wednesday. Li Qiang said"
    path.write_bytes(text.encode() + b" \xe2\x80")
    items = list(read_inputs([str(path)]))
    (warning,) = [i for i in items if isinstance(i, Failure)]
    assert warning.stage == "ingest-warning" and "invalid UTF-8" in warning.message
    assert articles(items)[0].text.startswith("Xi’s “firm support” for Moscow")
