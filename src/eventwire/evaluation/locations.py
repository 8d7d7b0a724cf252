"""Where events happened: the pipeline's event locations against a hand-labelled set.

The labels (tests/data/locations_labelled.jsonl, made by scripts/make_location_set.py) name one
coded event per row by its article and sentence offsets and its predicate, with the place the
article gives for the happening (two independent annotation passes, adjudicated). Times of
India articles are read from ../shared/data by doc id; Reuters-21578 rows carry their text.

Scored on the rows whose gold place is known: exact place (same name and country), within 50 km
(both sides with coordinates), right country, and how many events got a location at all. The
baseline is a naive geocoder: the article's first place entity, read as its most populous city.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eventwire.actors.gazetteer import distance_km
from eventwire.actors.kb import normalise
from eventwire.records import Article, ArticleResult, Location

WITHIN_KM = 50.0


def load_labels(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def label_articles(rows: Iterable[dict[str, Any]], data: Path) -> list[Article]:
    """The labelled rows' articles, once each, in id order."""
    from eventwire.evaluation.stories import corpus_article, load_corpus

    rows = list(rows)
    corpus = load_corpus(data) if any(r["source"] == "indiapoliceevents" for r in rows) else {}
    articles: dict[str, Article] = {}
    for row in rows:
        if row["article_id"] in articles:
            continue
        if row["source"] == "indiapoliceevents":
            articles[row["article_id"]] = corpus_article(corpus[row["doc_id"]])
        else:
            published = dt.date.fromisoformat(row["published"]) if row.get("published") else None
            articles[row["article_id"]] = Article(
                article_id=row["article_id"], text=row["text"], title=row.get("title"), published=published,
                outlet="Reuters", language="en",
            )  # fmt: skip
    return [articles[key] for key in sorted(articles)]


def _event_location(result: ArticleResult, row: dict[str, Any]) -> tuple[bool, Location | None]:
    """(found, location) of the labelled event among the article's events now."""
    for event in result.events:
        mention = event.mentions[0]
        if mention.start == row["start"] and event.predicate == row["predicate"]:
            return True, event.location
    return False, None


def _first_place(doc: Any, read: Any) -> Location | None:
    """The baseline: the article's first place entity (spaCy's NER) that the gazetteer reads, no context."""
    names = (ent.text for ent in doc.ents if ent.label_ in ("GPE", "LOC"))
    return next((loc for loc in map(read, names) if loc is not None and loc.lat is not None), None)


def _score(pairs: list[tuple[dict[str, Any], Location | None]]) -> dict[str, Any]:
    known = [(row, loc) for row, loc in pairs if row["gold"]["place"]]
    exact = sum(1 for row, loc in known if loc is not None and _same_place(row["gold"], loc))
    with_coords = [(row, loc) for row, loc in known if row["gold"].get("lat") is not None]
    near = sum(
        1
        for row, loc in with_coords
        if loc is not None and loc.lat is not None
        and distance_km(row["gold"]["lat"], row["gold"]["lon"], loc.lat, loc.lon) <= WITHIN_KM
    )  # fmt: skip
    country = sum(1 for row, loc in known if loc is not None and loc.country == row["gold"]["country"])
    located = sum(1 for _, loc in known if loc is not None)
    n = len(known)
    return {
        "n": n,
        "n_with_coordinates": len(with_coords),
        "exact": round(exact / n, 3) if n else None,
        "within_50km": round(near / len(with_coords), 3) if with_coords else None,
        "country": round(country / n, 3) if n else None,
        "located": round(located / n, 3) if n else None,
    }


def _same_place(gold: dict[str, Any], loc: Location) -> bool:
    names = {normalise(gold["place"]), *(normalise(n) for n in gold.get("names", ()))}
    return normalise(loc.text) in names and loc.country == gold["country"]


def evaluate_locations(data: Path, labels: Path, resources: Any) -> dict[str, Any]:
    """Exact / within-50-km / country accuracy of event locations, beside the first-place baseline."""
    from eventwire.pipeline import process_articles

    rows = load_labels(labels)
    articles = label_articles(rows, data)
    results = {r.article.article_id: r for r in process_articles(articles, resources)}
    docs = {a.article_id: doc for a, doc in zip(articles, resources.nlp.pipe(a.text for a in articles), strict=True)}
    read = resources.resolver.resolve_location
    system, baseline, found = [], [], 0
    for row in rows:
        hit, location = _event_location(results[row["article_id"]], row)
        found += hit
        system.append((row, location))
        baseline.append((row, _first_place(docs[row["article_id"]], read)))
    return {"rows": len(rows), "events_found": found, "eventwire": _score(system), "baseline": _score(baseline)}
