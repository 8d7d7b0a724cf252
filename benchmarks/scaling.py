"""Throughput of `eventwire run` per executor: inline vs local:2 vs dask-local:2, in one run.

Each executor stores the same N real articles into a fresh SQLite database through
`store_stream` (cleaning, parsing, actors, dates, events, claims in the workers; saving in
the main process). Workers are started and warmed up (resources loaded) before the clock
starts; start-up time is reported separately. All executors are opened first, then each
round runs them one after the other (--rounds, medians reported), so drift in machine load
hits all of them; CPU time (this process and its workers) is measured too. The corpus stage (stories, canonical events)
runs once per batch in the main process and is not part of these figures.

From the measured rates it reports the 1 → 2 worker speed-up and the CPU-hours needed per
million articles at the measured per-core rate (and a cost at --price-per-cpu-hour).

    .venv/bin/python benchmarks/scaling.py [--corpus FILE.jsonl | reuters21578:DIR] [--articles 300]
        [--executors inline local:2 dask-local:2]

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

from corpora import DEFAULT_CORPUS, load_corpus  # same folder: the shared corpus readers

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

WARM_UP_TEXT = "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday."


def warm_up(executor, workers: int) -> None:  # noqa: ANN001 - Executor
    """Send one tiny chunk per in-flight slot so every worker has loaded its resources."""
    from eventwire.records import RawArticle

    chunks = [[RawArticle(article_id=f"warm-{i}", text=WARM_UP_TEXT)] for i in range(max(2 * workers, 1))]
    for _ in executor.map_chunks(chunks):
        pass


def worker_memory_mb() -> float:
    """Largest resident memory among the child processes (the workers), in MB."""
    import psutil

    sizes = [child.memory_info().rss for child in psutil.Process().children(recursive=True) if child.is_running()]
    return max(sizes, default=0) / 2**20


def cpu_seconds() -> float:
    """CPU time used so far by this process and its live children (the workers)."""
    import psutil

    total = time.process_time()
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def open_warm(spec: str, resources):  # noqa: ANN001, ANN201 - Resources, Executor
    """An executor with every worker's resources loaded, and its start-up seconds."""
    from eventwire.executors import open_executor, parse_executor

    parsed = parse_executor(spec)
    started = time.perf_counter()
    executor = open_executor(parsed, resources)
    warm_up(executor, parsed.workers)
    return executor, time.perf_counter() - started


def measure(executor, raws: list, chunk_size: int) -> dict:  # noqa: ANN001 - Executor
    """Seconds, articles/s and CPU-seconds per article of one pass of `raws` through `executor`."""
    from eventwire.executors import store_stream
    from eventwire.pipeline import BatchStats
    from eventwire.store import open_repository

    with tempfile.TemporaryDirectory() as tmp:
        repo = open_repository(Path(tmp) / "bench.db")
        stats = BatchStats()
        cpu, clock = cpu_seconds(), time.perf_counter()
        store_stream(raws, repo, repo.start_run(["bench"]), executor, stats, chunk_size=chunk_size)
        elapsed, cpu = time.perf_counter() - clock, cpu_seconds() - cpu
        repo.close()
    return {"seconds": elapsed, "articles": stats.articles, "cpu_per_article": cpu / max(stats.articles, 1)}


def run_all(specs: list[str], raws: list, resources, chunk_size: int, rounds: int) -> list[dict]:  # noqa: ANN001
    """All executors opened and warmed, then `rounds` passes alternating between them; medians reported."""
    opened = {spec: open_warm(spec, resources) for spec in specs}
    passes: dict[str, list[dict]] = {spec: [] for spec in specs}
    try:
        for _ in range(rounds):
            for spec in specs:
                passes[spec].append(measure(opened[spec][0], raws, chunk_size))
    finally:
        memory = worker_memory_mb()
        for executor, _ in opened.values():
            executor.close()
    rows = []
    for spec in specs:
        runs = passes[spec]
        rates = [r["articles"] / r["seconds"] for r in runs]
        rows.append(
            {
                "executor": spec,
                "workers": opened[spec][0].spec.workers,
                "articles": runs[0]["articles"],
                "articles_per_s": round(statistics.median(rates), 2),
                "best_articles_per_s": round(max(rates), 2),
                "cpu_s_per_article": round(statistics.median(r["cpu_per_article"] for r in runs), 4),
                "start_up_s": round(opened[spec][1], 1),
                "worker_rss_mb": round(memory),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="FILE.jsonl, reuters21578:DIR or a DIR")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--executors", nargs="+", default=["inline", "local:2", "dask-local:2"])
    parser.add_argument("--chunk-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="Passes per executor, alternating; medians reported.")
    parser.add_argument("--price-per-cpu-hour", type=float, default=0.04, help="USD per vCPU-hour, for the estimate.")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args(argv)

    from eventwire.pipeline import load_resources

    raws = load_corpus(args.corpus, args.articles)
    resources = load_resources()
    rows = run_all(args.executors, raws, resources, args.chunk_size, args.rounds)
    print(
        f"{len(raws)} articles, {sum(len(r.text) for r in raws):,} characters, chunk size {args.chunk_size}, "
        f"{os.cpu_count()} CPUs"
    )
    header = ("executor", "workers", "articles/s", "best", "CPU s/article", "start-up s", "worker MB")
    print(f"{header[0]:<14}" + "".join(f"{h:>14}" for h in header[1:]))
    for row in rows:
        values = (
            row["workers"],
            row["articles_per_s"],
            row["best_articles_per_s"],
            row["cpu_s_per_article"],
            row["start_up_s"],
            row["worker_rss_mb"],
        )
        print(f"{row['executor']:<14}" + "".join(f"{v:>14}" for v in values))
    summary = summarise(rows, args.price_per_cpu_hour)
    for line in summary["lines"]:
        print(line)
    if args.json:
        args.json.write_text(json.dumps({"runs": rows, **summary}, indent=2))
    return 0


def summarise(rows: list[dict], price: float) -> dict:
    """Speed-ups over inline and the cost of a million articles at the inline (one-core) rate."""
    base = next((r for r in rows if r["executor"] == "inline"), rows[0])
    per_core = base["articles_per_s"] / base["workers"]
    cpu_hours = 1_000_000 / per_core / 3600
    lines = []
    speedups = {}
    for row in rows:
        if row is base:
            continue
        speedup = row["articles_per_s"] / base["articles_per_s"]
        speedups[row["executor"]] = round(speedup, 2)
        lines.append(
            f"speed-up {base['executor']} → {row['executor']}: {speedup:.2f}× "
            f"(parallel efficiency {speedup / row['workers']:.0%})"
        )
    cpu_measured = base["cpu_s_per_article"] * 1_000_000 / 3600
    lines.append(
        f"per-core rate {per_core:.1f} articles/s → {cpu_hours:.1f} CPU-hours per million articles "
        f"(≈ ${cpu_hours * price:.2f} at ${price}/vCPU-hour); CPU time measured: "
        f"{base['cpu_s_per_article'] * 1000:.0f} ms/article → {cpu_measured:.1f} CPU-hours per million"
    )
    return {
        "speedups": speedups,
        "per_core_articles_per_s": round(per_core, 2),
        "cpu_hours_per_million": round(cpu_hours, 1),
        "cpu_hours_per_million_measured_cpu": round(cpu_measured, 1),
        "lines": lines,
    }


if __name__ == "__main__":
    sys.exit(main())
