"""Throughput of the whole per-article pipeline as a ratio to bare spaCy `nlp.pipe`.

Both sides parse the same cleaned texts with the same loaded pipeline on one core; they
run alternately (bare, full, bare, full, ...) in one process so machine drift hits both.
The full side is everything `eventwire run` does per article after reading the file:
cleaning, parsing, actors, dates, event extraction and coding, and saving to SQLite.

    .venv/bin/python benchmarks/throughput.py [--corpus FILE.jsonl | reuters21578:DIR] [--articles 300] [--rounds 3]

Default corpus: ../shared/data/corpora/indiapoliceevents_docs.jsonl (real news, noisy); see
benchmarks/corpora.py for the formats (e.g. Reuters-21578 SGML, 19,043 stories with a body).
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

from corpora import DEFAULT_CORPUS, corpus_name, load_corpus  # same folder: the shared corpus readers

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def bare(nlp, texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - started


def full(resources, raws: list, tally: dict | None = None) -> float:
    """Seconds for clean → process → save of `raws`; `tally` (if given) gets untimed counts of the outcome."""
    from eventwire.clean import clean_article
    from eventwire.pipeline import process_articles
    from eventwire.store import open_repository

    failures: list = []

    def noting_failures(results):  # noqa: ANN001, ANN202 - ArticleResult stream; costs one list append per failure
        for result in results:
            failures.extend(result.failures)
            yield result

    with tempfile.TemporaryDirectory() as tmp:
        repo = open_repository(Path(tmp) / "bench.db")
        started = time.perf_counter()
        articles = (clean_article(raw) for raw in raws)
        repo.save_results(noting_failures(process_articles(articles, resources, batch_size=16)))
        elapsed = time.perf_counter() - started
        if tally is not None:
            tally.update(repo.counts())
            tally["pipeline_failures"] = [failure.line() for failure in failures]
        repo.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="FILE.jsonl, reuters21578:DIR or a DIR")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="Also write the report here.")
    args = parser.parse_args(argv)
    wall = time.perf_counter()

    from eventwire.clean import clean_article
    from eventwire.pipeline import load_resources

    raws = load_corpus(args.corpus, args.articles)  # first: a bad --corpus fails before the model loads
    resources = load_resources()
    texts = [clean_article(raw).text for raw in raws]
    chars = sum(len(t) for t in texts)
    dates = sorted(raw.published for raw in raws if raw.published)
    print(
        f"corpus {corpus_name(args.corpus)}: {len(raws)} articles, {sum(len(r.text) for r in raws):,} characters raw, "
        f"{chars:,} after cleaning" + (f", published {dates[0]} .. {dates[-1]}" if dates else ""),
        flush=True,
    )
    bare(resources.nlp, texts[:20])  # warm-up
    full(resources, raws[:20])
    ratios, bare_times, full_times = [], [], []
    tally: dict = {}
    for number in range(1, args.rounds + 1):
        b = bare(resources.nlp, texts)
        f = full(resources, raws, tally if number == 1 else None)
        bare_times.append(b)
        full_times.append(f)
        ratios.append(b / f)
        print(
            f"round {number}: bare {b:.1f} s ({len(raws) / b:.1f} articles/s), "
            f"full {f:.1f} s ({len(raws) / f:.1f} articles/s), ratio {b / f:.3f}",
            flush=True,
        )
    failures = tally.pop("pipeline_failures", [])
    report = {
        "corpus": corpus_name(args.corpus),
        "articles": len(raws),
        "characters": chars,
        "rounds": args.rounds,
        "bare_nlp_pipe_articles_per_s": round(len(raws) / statistics.median(bare_times), 1),
        "full_pipeline_articles_per_s": round(len(raws) / statistics.median(full_times), 1),
        "bare_seconds": [round(t, 1) for t in bare_times],
        "full_seconds": [round(t, 1) for t in full_times],
        "throughput_ratios": [round(r, 3) for r in ratios],
        "throughput_ratio_median": round(statistics.median(ratios), 3),
        "throughput_ratio_min": round(min(ratios), 3),
        "throughput_ratio_max": round(max(ratios), 3),
        "stored_round_1": tally,
        "pipeline_failures_round_1": len(failures),
        "wall_seconds": round(time.perf_counter() - wall, 1),
    }
    for line in failures[:20]:
        print(f"pipeline failure: {line}")
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps({**report, "pipeline_failure_lines": failures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
