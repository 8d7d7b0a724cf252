"""Story clustering quality: B-cubed on a labelled set of real-article stories.

The labels (tests/data/stories_labelled.jsonl, made by scripts/make_story_set.py) name
Times of India articles of ../shared/data/corpora by doc id and seed articles by file
name (their texts are read from the reference data, never copied), and carry the
Reuters-21578 articles they label with their text. Every row has a split: settings are
chosen on `tune`, and `test` is the part reported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventwire.records import Article, ArticleResult
from eventwire.stories import StoryConfig, bcubed, cluster_stories

CORPUS = "corpora/indiapoliceevents_docs.jsonl"
_HEADER = re.compile(r"^This story is from (\w+ \d{1,2}, \d{4})\s*")


def corpus_article(doc: dict) -> Article:
    """A Times of India record as an Article: header date → published, text without the header."""
    text = doc["doc_text"]
    match = _HEADER.match(text)
    published = dt.datetime.strptime(match.group(1), "%B %d, %Y").date() if match else None
    body = text[match.end() :] if match else text
    return Article(
        article_id=f"ipe-{doc['doc_id']}", text=body, published=published, outlet="Times of India", language="en"
    )


def load_corpus(data: Path) -> dict[int, dict]:
    with (data / CORPUS).open(encoding="utf-8") as handle:
        return {(d := json.loads(line))["doc_id"]: d for line in handle}


def seed_articles(data: Path, files: list[str]) -> dict[str, Article]:
    """The seeds through the product's own ingest and cleaning, by file name."""
    from eventwire.ingest import read_inputs
    from eventwire.pipeline import BatchStats, clean_stream

    paths = [str(data.parent / "seeds" / f) for f in files]
    cleaned = clean_stream(read_inputs(paths), BatchStats())
    return {Path(a.path).name: a for a in cleaned if isinstance(a, Article)}


@dataclass
class LabelledSet:
    """The labelled articles with their gold story, split and source, by article id."""

    articles: list[Article]
    gold: dict[str, str]
    split: dict[str, str]
    source: dict[str, str]

    def part(self, **wanted: str) -> dict[str, str]:
        """Gold labels of the articles whose split/source match, e.g. part(split="test")."""
        tables = {"split": self.split, "source": self.source}
        return {a: s for a, s in self.gold.items() if all(tables[k][a] == v for k, v in wanted.items())}


def reuters_article(row: dict) -> Article:
    """A labelled Reuters-21578 row (text included) as an Article."""
    published = dt.date.fromisoformat(row["published"]) if row.get("published") else None
    return Article(
        article_id=f"reu-{row['newid']}",
        text=row["text"],
        title=row.get("title"),
        published=published,
        outlet="Reuters",
        language="en",
    )


def load_labelled_set(data: Path, labels: Path) -> LabelledSet:
    """The labelled set: corpus articles by doc id, then Reuters by NEWID, seeds last."""
    rows = [json.loads(line) for line in labels.open(encoding="utf-8")]
    rows = [r for r in rows if "story" in r]
    by_source = {
        name: [r for r in rows if r["source"] == name] for name in ("indiapoliceevents", "reuters21578", "seeds")
    }
    corpus = load_corpus(data) if by_source["indiapoliceevents"] else {}
    seeds = seed_articles(data, [r["file"] for r in by_source["seeds"]]) if by_source["seeds"] else {}
    labelled = LabelledSet(articles=[], gold={}, split={}, source={})
    pairs = [
        (corpus_article(corpus[r["doc_id"]]), r)
        for r in sorted(by_source["indiapoliceevents"], key=lambda r: r["doc_id"])
    ]
    pairs += [(reuters_article(r), r) for r in sorted(by_source["reuters21578"], key=lambda r: r["newid"])]
    pairs += [(seeds[r["file"]], r) for r in by_source["seeds"]]
    for article, row in pairs:
        labelled.articles.append(article)
        labelled.gold[article.article_id] = row["story"]
        labelled.split[article.article_id] = row.get("split", "test")
        labelled.source[article.article_id] = row["source"]
    return labelled


def labelled_articles(data: Path, labels: Path) -> tuple[list[Article], dict[str, str]]:
    """The labelled set as Articles and gold story per article id."""
    labelled = load_labelled_set(data, labels)
    return labelled.articles, labelled.gold


def with_events(articles: list[Article]) -> list[ArticleResult]:
    from eventwire.pipeline import load_resources, process_articles

    return list(process_articles(articles, load_resources()))


#: The parts scored: the whole set, each split, each source.
PARTS: dict[str, dict[str, str]] = {
    "all": {},
    "tune": {"split": "tune"},
    "test": {"split": "test"},
    "corpus": {"source": "indiapoliceevents"},
    "reuters": {"source": "reuters21578"},
    "seeds": {"source": "seeds"},
}


def score_parts(predicted: dict[str, str], labelled: LabelledSet) -> dict[str, tuple[float, float, float]]:
    """B-cubed (precision, recall, F1) of a clustering on each part of the labelled set."""
    parts = {name: labelled.part(**wanted) for name, wanted in PARTS.items()}
    return {name: bcubed(predicted, labelled.gold, items=gold) for name, gold in parts.items() if gold}


def evaluate(results: list[ArticleResult], labelled: LabelledSet, config: StoryConfig) -> dict[str, tuple]:
    """B-cubed of the stories of all labelled articles (clustered together), on each part."""
    return score_parts(cluster_stories(results, config).story_of, labelled)


def evaluate_stories(
    data: Path, labels: Path, resources: Any = None, config: StoryConfig | None = None
) -> dict[str, Any]:
    """B-cubed P/R/F1 of the stories stage per part, text only and with the pipeline's events.

    Beside it the baseline: every article its own story.
    """
    labelled = load_labelled_set(data, labels)
    config = config or StoryConfig()
    result: dict[str, Any] = {
        "n": len(labelled.articles),
        "stories": len(set(labelled.gold.values())),
        "n_by_part": {name: len(labelled.part(**wanted)) for name, wanted in PARTS.items()},
        "text_only": evaluate([ArticleResult(article=a) for a in labelled.articles], labelled, config),
        "singletons": score_parts({a: a for a in labelled.gold}, labelled),
    }
    if resources is not None:
        from eventwire.pipeline import process_articles

        result["pipeline"] = evaluate(list(process_articles(labelled.articles, resources)), labelled, config)
    return result
