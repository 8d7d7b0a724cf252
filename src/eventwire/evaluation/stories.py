"""Story clustering quality: B-cubed on a labelled set of real-article stories.

The labels (tests/data/stories_labelled.jsonl, made by scripts/make_story_set.py) name
Times of India articles of ../shared/data/corpora by doc id and seed articles by file
name; the texts are read from the reference data, never copied.
"""

from __future__ import annotations

import datetime as dt
import json
import re
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


def labelled_articles(data: Path, labels: Path) -> tuple[list[Article], dict[str, str]]:
    """The labelled set as Articles (corpus order by doc id, seeds last) and gold story per article id."""
    rows = [json.loads(line) for line in labels.open(encoding="utf-8")]
    rows = [r for r in rows if "story" in r]
    corpus = load_corpus(data)
    seeds = seed_articles(data, [r["file"] for r in rows if r["source"] == "seeds"])
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for row in sorted((r for r in rows if r["source"] != "seeds"), key=lambda r: r["doc_id"]):
        article = corpus_article(corpus[row["doc_id"]])
        articles.append(article)
        gold[article.article_id] = row["story"]
    for row in (r for r in rows if r["source"] == "seeds"):
        article = seeds[row["file"]]
        articles.append(article)
        gold[article.article_id] = row["story"]
    return articles, gold


def with_events(articles: list[Article]) -> list[ArticleResult]:
    from eventwire.pipeline import load_resources, process_articles

    return list(process_articles(articles, load_resources()))


def evaluate(results: list[ArticleResult], gold: dict[str, str], config: StoryConfig) -> dict[str, tuple]:
    """B-cubed on the whole set, on the corpus part and on the seeds."""
    assignment = cluster_stories(results, config)
    predicted = assignment.story_of
    parts = {
        "all": gold,
        "corpus": {k: v for k, v in gold.items() if k.startswith("ipe-")},
        "seeds": {k: v for k, v in gold.items() if not k.startswith("ipe-")},
    }
    return {name: bcubed(predicted, subset) for name, subset in parts.items() if subset}


def evaluate_stories(data: Path, labels: Path, resources: Any = None) -> dict[str, Any]:
    """B-cubed P/R/F1 of the stories stage, text only and with the pipeline's events, on the labelled set."""
    articles, gold = labelled_articles(data, labels)
    config = StoryConfig()
    text_only = evaluate([ArticleResult(article=a) for a in articles], gold, config)
    singletons = {"all": bcubed({a: a for a in gold}, gold)}  # every article its own story
    result: dict[str, Any] = {
        "n": len(articles),
        "stories": len(set(gold.values())),
        "text_only": text_only,
        "singletons": singletons,
    }
    if resources is not None:
        from eventwire.pipeline import process_articles

        result["pipeline"] = evaluate(list(process_articles(articles, resources)), gold, config)
    return result
