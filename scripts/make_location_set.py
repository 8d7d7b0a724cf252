"""Build the event-location labelled set (tests/data/locations_labelled.jsonl).

How it was made (2026-12-01):
1. `sample`: 40 Reuters-21578 articles (random, longer than 400 characters; free for research use,
   shipped with their text) and 40 Times of India articles of ../shared/data/corpora (random doc ids;
   ids only) went through the pipeline; up to two of each article's events were drawn at random
   (seed 20261201): 133 events. The packet shows annotators the article's opening and the text
   around the sentence, the sentence and the coded event, never the system's location.
2. Two annotators labelled every item independently with docs/annotation.md's location section
   (the place the article gives for the happening, its country and level, or none); the
   disagreements were adjudicated by a third reading.
3. `build`: joins the sample with the adjudicated answers; a city-level gold place gets its
   coordinates from the gazetteer, read in its labelled country.

Usage:
  python scripts/make_location_set.py sample --reuters DIR --out sample.json
  python scripts/make_location_set.py build --sample sample.json --answers adjudicated.jsonl \
      [--out tests/data/locations_labelled.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = 20261201
ARTICLES_PER_SOURCE = 40
EVENTS_PER_ARTICLE = 2


def sample(reuters: Path, shared: Path) -> list[dict]:
    """Events drawn from the pipeline's output on random Reuters and Times of India articles."""
    from benchmarks.corpora import read_reuters21578

    from eventwire.clean import clean_article
    from eventwire.evaluation.stories import corpus_article, load_corpus
    from eventwire.pipeline import load_resources, process_articles

    rng = random.Random(SEED)
    raw = list(read_reuters21578(reuters))
    rng.shuffle(raw)
    reuters_articles = [a for a in map(clean_article, raw[:400]) if len(a.text) > 400][:60]
    corpus = load_corpus(shared / "data")
    ids = sorted(corpus)
    rng.shuffle(ids)
    toi_articles = [corpus_article(corpus[i]) for i in ids[:60]]
    resources = load_resources()
    items: list[dict] = []
    for source, articles in (("reuters21578", reuters_articles), ("indiapoliceevents", toi_articles)):
        picked = 0
        for result in process_articles(articles, resources):
            events = list(result.events)
            if not events:
                continue
            rng.shuffle(events)
            items += [_item(source, result, event) for event in events[:EVENTS_PER_ARTICLE]]
            picked += 1
            if picked >= ARTICLES_PER_SOURCE:
                break
    rng.shuffle(items)
    for number, item in enumerate(items):
        item["item"] = number
    return items


def _item(source: str, result: object, event: object) -> dict:
    article, mention = result.article, event.mentions[0]  # type: ignore[attr-defined]
    row = {"source": source, "article_id": article.article_id, "start": mention.start, "end": mention.end,
           "sentence": mention.sentence, "predicate": event.predicate}  # type: ignore[attr-defined]  # fmt: skip
    if source == "indiapoliceevents":
        row["doc_id"] = int(article.article_id.removeprefix("ipe-"))
    else:
        published = article.published.isoformat() if article.published else None
        row.update(text=article.text, title=article.title, published=published)
    return row


def build(sample_rows: list[dict], answers: dict[int, dict]) -> list[dict]:
    """Sample rows with their adjudicated gold place (and coordinates for cities)."""
    from eventwire.actors.resolve import ActorResolver

    resolver = ActorResolver()
    rows = []
    for item in sample_rows:
        answer = answers[item["item"]]
        gold = {"place": answer.get("place"), "country": answer.get("country"), "level": answer.get("level"),
                "names": [], "lat": None, "lon": None}  # fmt: skip
        if gold["place"] and gold["level"] == "city":
            found = resolver.resolve_location(gold["place"], {gold["country"]})
            if found is not None and found.country == gold["country"] and found.lat is not None:
                gold.update(names=[found.text], lat=found.lat, lon=found.lon)
        keep = ("source", "article_id", "doc_id", "text", "title", "published", "start", "end", "sentence", "predicate")
        rows.append({**{k: item[k] for k in keep if k in item}, "gold": gold})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sampling = sub.add_parser("sample")
    sampling.add_argument("--reuters", required=True, type=Path)
    sampling.add_argument("--shared", default=ROOT.parent / "shared", type=Path)
    sampling.add_argument("--out", required=True, type=Path)
    building = sub.add_parser("build")
    building.add_argument("--sample", required=True, type=Path)
    building.add_argument("--answers", required=True, type=Path)
    building.add_argument("--out", default=ROOT / "tests" / "data" / "locations_labelled.jsonl", type=Path)
    args = parser.parse_args()
    if args.command == "sample":
        args.out.write_text(json.dumps(sample(args.reuters, args.shared), indent=1), encoding="utf-8")
        return
    answers = {a["item"]: a for a in map(json.loads, args.answers.read_text(encoding="utf-8").splitlines())}
    rows = build(json.loads(args.sample.read_text(encoding="utf-8")), answers)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} rows, {sum(1 for r in rows if r['gold']['place'])} with a place -> {args.out}")


if __name__ == "__main__":
    main()
