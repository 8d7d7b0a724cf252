"""Story clustering: quality on the labelled story set and cost on long synthetic streams.

  python benchmarks/clustering.py quality [--pipeline] [--sweep]
      B-cubed precision/recall/F1 of `cluster_stories` on tests/data/stories_labelled.jsonl
      (Times of India articles from ../shared/data, Reuters-21578 articles shipped in the file,
      the seeds), per part (tune, test, each source). Without --pipeline the articles carry
      text only; with it they go through clean → nlp → events first. --sweep tries a grid of
      thresholds, gaps and headline weights: choose on `tune`, report `test`.
  python benchmarks/clustering.py cost [--sizes 1000 10000 100000] [--trace]
      Time and peak memory (each size in its own process; max RSS includes the input
      articles, "input RSS" is the process before clustering; --trace adds tracemalloc's
      peak, which slows the run) of `cluster_stories` on synthetic dated streams whose articles
      are shuffled sentence mixtures of the Times of India corpus (one story per
      "source article", re-told a few times over neighbouring days).

Shared data is read from ../shared (or $EVENTWIRE_SHARED / --shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from eventwire.evaluation.stories import corpus_article, evaluate, load_corpus, load_labelled_set
from eventwire.records import Article, ArticleResult
from eventwire.stories import StoryConfig, cluster_stories

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "data" / "stories_labelled.jsonl"


def shared_dir(argument: str | None = None) -> Path:
    return Path(argument or os.environ.get("EVENTWIRE_SHARED") or REPO.parent / "shared")


def run_quality(args: argparse.Namespace) -> None:
    """B-cubed per part of the labelled set; with --sweep, over a grid of threshold, gap (window_days) and the
    weight of the headline channel.

    Settings are chosen on the `tune` part; `test` is the part reported in docs/evaluation.md.
    """
    shared = shared_dir(args.shared)
    labelled = load_labelled_set(shared / "data", LABELS)
    if args.pipeline:
        from eventwire.pipeline import load_resources, process_articles

        results = list(process_articles(labelled.articles, load_resources()))
    else:
        results = [ArticleResult(article=a) for a in labelled.articles]
    default = StoryConfig()
    grid = (
        itertools.product([0.15, 0.2, 0.25, 0.3], [3.0, 5.0, 7.0, 10.0], [0.0, 0.25, 0.5, 1.0])
        if args.sweep
        else [(default.threshold, default.window_days, default.weights["title"])]
    )
    mode = "pipeline (text + events)" if args.pipeline else "text only"
    print(f"labelled set: {len(labelled.articles)} articles, {len(set(labelled.gold.values()))} stories; {mode}")
    for threshold, gap, title in grid:
        weights = {**default.weights, "title": title}
        scores = evaluate(results, labelled, StoryConfig(threshold=threshold, window_days=gap, weights=weights))
        cells = "  ".join(f"{k}: P={p:.3f} R={r:.3f} F1={f:.3f}" for k, (p, r, f) in scores.items())
        print(f"threshold {threshold:.2f} gap {gap:4.1f} days headline {title:.2f}  {cells}")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]


def synthetic_stream(shared: Path, n: int, seed: int = 13) -> Iterator[ArticleResult]:
    """n dated articles: each re-tells one corpus article (a shuffled subset of its sentences
    mixed with a few sentences of other articles), 1–6 retellings over up to 3 days, some of them
    lightly edited copies of another telling, 10% undated, the whole spread over a year."""
    rng = random.Random(seed)
    pool = [_sentences(corpus_article(d).text) for d in load_corpus(shared / "data").values()]
    pool = [p for p in pool if len(p) >= 4]
    start = dt.date(2002, 1, 1)
    per_day = max(n / 365.0, 1.0)
    made = 0
    previous = ""
    while made < n:
        day = start + dt.timedelta(days=int(made / per_day))
        source = rng.choice(pool)
        for copy in range(min(rng.randint(1, 6), n - made)):
            picked = rng.sample(source, k=max(3, int(len(source) * 0.6)))
            noise = [rng.choice(rng.choice(pool)) for _ in range(2)]
            text = " ".join(rng.sample(picked + noise, k=len(picked) + len(noise)))
            if copy and rng.random() < 0.1:  # a syndicated copy of the previous telling, lightly edited
                text = previous.replace(" the ", " a ", 2) + " " + rng.choice(source)
            previous = text
            published = day + dt.timedelta(days=rng.randint(0, 2)) if rng.random() > 0.1 else None
            article = Article(article_id=f"syn-{made}", text=text, published=published, outlet=f"outlet-{copy}")
            yield ArticleResult(article=article)
            made += 1


def measure_once(shared: Path, n: int, summarize: bool, trace: bool) -> dict[str, float]:
    """Cluster one synthetic stream of n articles; seconds, peak memory, stories."""
    results = list(synthetic_stream(shared, n))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    assignment = cluster_stories(results, StoryConfig(summarize=summarize))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else float("nan")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": n, "seconds": elapsed, "ms_per_article": 1000 * elapsed / n, "traced_peak_mb": peak,
        "max_rss_mb": rss, "input_rss_mb": baseline, "stories": len(assignment.stories),
        "duplicates": n - len(set(assignment.duplicate_group.values())),
    }  # fmt: skip


def run_cost(args: argparse.Namespace) -> None:
    """Each size in a fresh process, so peak memory is that run's own."""
    print(
        f"{'articles':>9} {'seconds':>8} {'ms/art':>7} {'traced MB':>10} {'RSS MB':>7} {'input RSS':>10} {'stories':>8}"
    )
    for n in args.sizes:
        command = [sys.executable, __file__, "cost-one", str(n)] + (["--trace"] if args.trace else [])
        command += ["--no-summary"] if args.no_summary else []
        env = dict(os.environ, EVENTWIRE_SHARED=str(shared_dir(args.shared)))
        row = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
        print(
            f"{n:>9} {row['seconds']:>8.1f} {row['ms_per_article']:>7.2f} {row['traced_peak_mb']:>10.1f} "
            f"{row['max_rss_mb']:>7.0f} {row['input_rss_mb']:>10.0f} {row['stories']:>8}"
        )
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="story clustering quality and cost")
    parser.add_argument("--shared", help="shared reference directory (default ../shared)")
    sub = parser.add_subparsers(dest="command", required=True)
    quality = sub.add_parser("quality")
    quality.add_argument("--pipeline", action="store_true", help="run clean/nlp/events first")
    quality.add_argument("--sweep", action="store_true", help="try several thresholds")
    cost = sub.add_parser("cost")
    cost.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    cost.add_argument("--no-summary", action="store_true", help="skip story summaries")
    cost.add_argument("--trace", action="store_true", help="also trace Python allocations (slower)")
    one = sub.add_parser("cost-one", help="one size, JSON result (used by cost)")
    one.add_argument("n", type=int)
    one.add_argument("--no-summary", action="store_true")
    one.add_argument("--trace", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "quality":
        run_quality(args)
    elif args.command == "cost":
        run_cost(args)
    else:
        print(json.dumps(measure_once(shared_dir(args.shared), args.n, not args.no_summary, args.trace)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
