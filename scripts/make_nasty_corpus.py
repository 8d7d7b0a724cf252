"""Write the standing corpus of nasty inputs to tests/data/nasty/ (the files are committed).

Each file is a kind of input real batches contain and readers get wrong: wrong-typed and impossible
JSON fields, non-objects, truncated and CRLF JSON Lines, HTML with unclosed tags, stray CDATA and
odd entities, RSS with nested CDATA and empty items, text in odd encodings, control characters and
invisible characters only. tests/test_nasty_corpus.py replays them with the seed articles through
`eventwire run`; inputs that cannot be committed portably (file names with odd bytes, symbolic
links, FIFOs) are created by the test itself.

    .venv/bin/python scripts/make_nasty_corpus.py [--out tests/data/nasty]
"""

from __future__ import annotations

import argparse
import codecs
import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SENTENCE = (
    "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on {day}, and the two "
    "governments agreed to reopen the Moyale border crossing to trade."
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _news(n: int) -> str:
    """A distinct real-looking news paragraph (distinct texts are distinct articles)."""
    return SENTENCE.format(day=DAYS[n % 7]) + f" Officials said talks would resume in round {n}."


def _json_lines() -> str:
    good = _news(0)
    records: list[object] = [
        {"text": _news(1), "date": 20230524, "title": ["a", "list"], "url": {"href": "x"}, "outlet": True},
        {"text": _news(2), "date": "2023-02-30", "title": None},
        {"text": _news(3), "date": "9999-99-99T99:99:99Z", "published": "yesterday-ish"},
        {"text": _news(4), "date": -1, "title": 3.5, "outlet": ["Reuters", "AP"]},
        {"text": _news(5), "date": "0000-00-00", "title": "x" * 5000},
        {"text": ["not", "a", "string"]},
        {"text": None, "body": 42},
        {"text": 12345},
        {"text": ""},
        {"text": "   \t  "},
        {"content": {"nested": {"text": good}}},
        {},
        [good],
        good,
        42,
        None,
        True,
        {"text": good, "date": "2023-05-24"},
        {"text": good, "date": "2023-05-24"},  # the same article again: stored once
    ]
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    lines += ['{"text": "unterminated', "{'text': 'single quotes'}", "NaN", '{"text": "' + "[" * 200 + '"}']
    return "\n".join(lines) + '\n{"text": "' + _news(6)[:40]  # the last line is cut off mid-record


NASTY: dict[str, bytes] = {
    "wrong-types.jsonl": _json_lines().encode(),
    "crlf-blank-lines.jsonl": ("\r\n\r\n".join(json.dumps({"text": _news(n)}) for n in (7, 8)) + "\r\n\r\n").encode(),
    "mixed-array.json": json.dumps([{"text": _news(9)}, "text", 7, None, [], {"title": "no text"}]).encode(),
    "scalar.json": b'"just a string"',
    "unclosed-tags.html": (
        "<html><head><title>Border &amp; trade &bogus; &#x110000; &#0;</title><style>p {color: red"
        "</head><body><div><p>" + _news(10) + " <b>bold <i>italic <a href='x'>link"
        "<p>" + _news(11) + "<!-- a comment that never closes <p>hidden"
    ).encode(),
    "cdata-in-html.html": (
        "<!DOCTYPE html><html><body><article><h1>CDATA &nbsp;&#8203;&zwnj;</h1><p><![CDATA[ raw <b> ]]></p>"
        "<p>" + _news(12) + "</p><script><![CDATA[ alert('x') ]]></script><p>&lt;script&gt;"
        "&#x1F4F0; &eacute;&Eacute; &amp;amp;</p></article></body></html>"
    ).encode(),
    "truncated.html": ("<html><body><p>" + _news(13) + "</p><p>Second paragraph cut off mid-ta").encode()[:-3],
    "nested-cdata.rss": (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Odd &amp; Wire</title>"
        "<item><title>Nested <![CDATA[ outer <![CDATA[ inner ]]> rest ]]></title>"
        "<description><![CDATA[<p>" + _news(14) + " <b>unclosed]]></description></item>"
        "<item></item><item><title></title><description>   </description></item>"
        "<item><title>&bogus; &eacute;</title><description>" + _news(15) + " &amp; more &#8217;</description></item>"
        "</channel></rss>"
    ).encode(),
    "charref-out-of-range.rss": (  # feedparser raises on these: the feed is one failure (its entries are lost)
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Refs</title>"
        "<item><description>" + _news(22) + " &#x110000; &#xD800;</description></item></channel></rss>"
    ).encode(),
    "empty-items.rss": (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Empty</title>"
        b"<item/><item></item><item><description><![CDATA[]]></description></item></channel></rss>"
    ),
    "atom-no-content.atom": (
        b"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>"
        b"<entry><title>Only a title</title><updated>2023-13-45T99:00:00Z</updated></entry></feed>"
    ),
    "utf16-bom.txt": codecs.BOM_UTF16_LE + _news(16).encode("utf-16-le"),
    "cp1252.txt": ("Caf\u00e9 owners said: \u201c" + _news(17) + "\u201d").encode("cp1252"),
    "control-chars.txt": ("\x01\x02\x1b[31m" + _news(18) + "\x07\x08\x0b\x0c\x7f").encode(),
    "invisible-only.txt": "\u200b\u200c\u200d\u2060\ufeff\u202e\u00a0\n\u3000\n".encode(),
    "punctuation-only.txt": b"... --- *** ??? !!! ,,, ;;;\n\n---\n",
    "emoji-rtl.txt": ("\U0001f4f0 \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 " + _news(19)).encode(),
    "long-line.txt": (" ".join(_news(20 + n % 7) for n in range(100))).encode(),
    "empty.txt": b"",
    "whitespace.txt": b" \n\t\r\n  \n",
    "binary.jsonl": bytes(range(256)) * 4,
    "no-extension": json.dumps({"text": _news(21), "date": "2024-02-29"}).encode(),
}


def write_corpus(out: Path) -> list[Path]:
    """Write every nasty file into `out` (replacing what is there); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in NASTY.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "nasty")
    args = parser.parse_args(argv)
    written = write_corpus(args.out)
    print(f"{len(written)} files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
