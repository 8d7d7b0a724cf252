"""Throughput of the whole per-article pipeline as a ratio to bare spaCy `nlp.pipe`.

Both sides parse the same cleaned texts with the same loaded pipeline on one core; they
run alternately (bare, full, bare, full, ...) in one process so machine drift hits both.
The full side is everything `eventwire run` does per article after reading the file:
cleaning, parsing, actors, dates, event extraction and coding, and saving to SQLite.

    .venv/bin/python benchmarks/throughput.py [--corpus FILE.jsonl] [--articles 300] [--rounds 3]

Default corpus: ../shared/data/corpora/indiapoliceevents_docs.jsonl (real news, noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpora" / "indiapoliceevents_docs.jsonl"


def load_raw_articles(path: Path, limit: int) -> list:
    """Raw articles from a JSON Lines corpus ({"doc_text"} or {"text"} per line)."""
    from eventwire.ingest import article_id_for
    from eventwire.records import RawArticle

    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            obj = json.loads(line)
            text = obj.get("text") or obj.get("doc_text") or ""
            if text.strip():
                articles.append(RawArticle(article_id=article_id_for(text), text=text, path=str(path)))
            if len(articles) >= limit:
                break
    return articles


def bare(nlp, texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - started


def full(resources, raws: list) -> float:
    from eventwire.clean import clean_article
    from eventwire.pipeline import process_articles
    from eventwire.store import open_repository

    with tempfile.TemporaryDirectory() as tmp:
        repo = open_repository(Path(tmp) / "bench.db")
        started = time.perf_counter()
        articles = (clean_article(raw) for raw in raws)
        repo.save_results(process_articles(articles, resources, batch_size=16))
        elapsed = time.perf_counter() - started
        repo.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"{args.corpus}: corpus not found", file=sys.stderr)
        return 2

    from eventwire.clean import clean_article
    from eventwire.pipeline import load_resources

    resources = load_resources()
    raws = load_raw_articles(args.corpus, args.articles)
    texts = [clean_article(raw).text for raw in raws]
    chars = sum(len(t) for t in texts)
    bare(resources.nlp, texts[:20])  # warm-up
    full(resources, raws[:20])
    ratios, bare_times, full_times = [], [], []
    for _ in range(args.rounds):
        b = bare(resources.nlp, texts)
        f = full(resources, raws)
        bare_times.append(b)
        full_times.append(f)
        ratios.append(b / f)
    report = {
        "articles": len(raws),
        "characters": chars,
        "rounds": args.rounds,
        "bare_nlp_pipe_articles_per_s": round(len(raws) / statistics.median(bare_times), 1),
        "full_pipeline_articles_per_s": round(len(raws) / statistics.median(full_times), 1),
        "throughput_ratio_median": round(statistics.median(ratios), 3),
        "throughput_ratio_min": round(min(ratios), 3),
        "throughput_ratio_max": round(max(ratios), 3),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
