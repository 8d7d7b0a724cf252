"""Each article's text is parsed once: the per-article stage parses it, nothing after does.

The seeds hold an undated article (004) whose date the corpus stage infers from its story; its claims'
periods are then resolved against that date from what the parse left (`Claim.period_text`), and the
events, claims and canonical events are stored, all without a second parse of any text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from eventwire.records import Article

JAN_APR_2023 = (dt.date(2023, 1, 1), dt.date(2023, 4, 30))


class CountingNlp:
    """A spaCy pipeline that counts every text it parses; calling it directly is refused."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.parsed: Counter[str] = Counter()

    def pipe(self, texts: Iterable[Any], **options: Any) -> Iterator[Any]:
        def counted() -> Iterator[Any]:
            for item in texts:
                self.parsed[item[0] if options.get("as_tuples") else item] += 1
                yield item

        return self.nlp.pipe(counted(), **options)

    def __call__(self, text: str) -> Any:
        raise AssertionError(f"unexpected direct parse of {text[:40]!r}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nlp, name)


@pytest.fixture()
def counting(resources, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, CountingNlp]:
    """The session's resources with a counting pipeline, also what `get_nlp` hands any other caller."""
    nlp = CountingNlp(resources.nlp)
    monkeypatch.setattr("eventwire.nlp.get_nlp", lambda *args: nlp)
    return replace(resources, nlp=nlp), nlp


def test_seeds_and_their_undated_articles_are_parsed_once(seeds_dir: Path, counting, tmp_path: Path) -> None:
    from eventwire.ingest import read_inputs
    from eventwire.pipeline import BatchStats, build_corpus, clean_stream, process_articles
    from eventwire.store import corpus, open_repository

    resources, nlp = counting
    paths = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    articles = [a for a in clean_stream(read_inputs(paths), BatchStats()) if isinstance(a, Article)]
    undated = [a for a in articles if a.published is None]
    assert len(articles) == 5 and len(undated) == 3
    repo = open_repository(str(tmp_path / "seeds.db"))
    try:
        repo.save_results(list(process_articles(articles, resources)))
        stats = build_corpus(repo.engine)
        claims = list(corpus.iter_claims(repo.engine))
    finally:
        repo.close()
    assert stats.inferred_dates == 1
    assert sorted(nlp.parsed.values()) == [1] * len(articles)
    assert set(nlp.parsed) == {a.text for a in articles}
    anchored = [c for c in claims if c["text"] == "70 billion dollars"]
    assert anchored and anchored[0]["article_id"] in {a.article_id for a in undated}
    assert (anchored[0]["period_start"], anchored[0]["period_end"]) == tuple(d.isoformat() for d in JAN_APR_2023)


def test_code_parses_each_text_once_also_for_the_sentence_classifier(counting) -> None:
    """A text no clause codes goes on to the sentence classifiers, which read the same parse."""
    from eventwire.pipeline import code_texts

    resources, nlp = counting
    coded = "Russian troops shelled the Ukrainian city of Kharkiv."
    uncoded = "Chinese fighter jets buzzed a US surveillance plane over the South China Sea."
    results = dict(code_texts([("coded", coded, None), ("uncoded", uncoded, None)], resources))
    assert [e.code.cameo for e in results["coded"]] == ["194"] and results["uncoded"] == []
    assert nlp.parsed == Counter({coded: 1, uncoded: 1})
