"""Peak memory of the corpus stage and of a whole `eventwire run` as the store grows (1k → 100k articles).

Real articles go through the real per-article pipeline once (`--base` of them, cached in
`--workdir`); stores of each size are then filled with copies of those results under new
ids, published at a constant `--per-day` volume, so a bigger store covers a longer span of
days, as a growing archive does. For each size, in fresh processes:

* *corpus stage*: `build_corpus` over the whole store (stories, dates, canonical events,
  claims), which is what every `eventwire run` does after storing its batch; resident memory is
  sampled every 20 ms while it runs (the process peak also includes loading the models);
* *whole run*: `eventwire run` of `--new` further real articles into a copy of the store.

Peak resident memory is read from the kernel for each child (`os.wait4`).

    .venv/bin/python benchmarks/memory.py --sizes 1000 10000 100000 [--corpus SPEC] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import DEFAULT_CORPUS, load_corpus  # noqa: E402

START = dt.date(2020, 1, 1)

CORPUS_STAGE = """
import json, os, sys, threading, time
from eventwire.pipeline import build_corpus
from eventwire.store import open_repository

def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

peak = [0.0]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_mb())
        time.sleep(0.02)

repo = open_repository(sys.argv[1])
before = rss_mb()
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
started = time.perf_counter()
stats = build_corpus(repo.engine)
seconds = time.perf_counter() - started
done.set()
sampler.join()
print(json.dumps({"seconds": seconds, "articles": stats.articles, "stories": stats.stories,
                  "rss_before_mb": before, "rss_peak_mb": max(peak[0], rss_mb())}))
"""


def processed_base(spec: str, count: int, workdir: Path) -> list:
    """`count` real articles through the per-article pipeline (cached in workdir)."""
    cache = workdir / f"base-{count}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from eventwire.pipeline import BatchStats, clean_stream, load_resources, process_articles
    from eventwire.records import Article

    raws = load_corpus(spec, count)
    articles = [a for a in clean_stream(raws, BatchStats()) if isinstance(a, Article)]
    results = list(process_articles(articles, load_resources()))
    cache.write_bytes(pickle.dumps(results))
    return results


def _renamed(result, copy: int, day: dt.date):  # noqa: ANN001, ANN202 - ArticleResult
    """A copy of a result under a new article id (and derived ids), published on `day`."""
    old = result.article.article_id
    new = f"{old}-c{copy}" if copy else old

    def rid(value: str) -> str:
        return value.replace(old, new) if old in value else f"{value}-c{copy}"

    events = [
        replace(e, event_id=rid(e.event_id), mentions=[replace(m, article_id=new) for m in e.mentions])
        for e in result.events
    ]
    return replace(
        result,
        article=replace(result.article, article_id=new, published=day),
        events=events,
        claims=[replace(c, claim_id=rid(c.claim_id), article_id=new) for c in result.claims],
        quotes=[replace(q, quote_id=rid(q.quote_id), article_id=new) for q in result.quotes],
        failures=[],
    )


def stream_copies(base: list, size: int, per_day: int) -> Iterator:
    """`size` results: the base cycled under new ids, `per_day` articles a day from START."""
    for i in range(size):
        yield _renamed(base[i % len(base)], i // len(base), START + dt.timedelta(days=i // per_day))


def build_store(db: Path, base: list, size: int, per_day: int) -> float:
    """Fill a fresh SQLite store with `size` articles; seconds taken."""
    from eventwire.store import open_repository

    started = time.perf_counter()
    repo = open_repository(str(db))
    repo.save_results(stream_copies(base, size, per_day), batch_size=500)
    repo.close()
    return time.perf_counter() - started


def run_child(command: list[str]) -> tuple[dict | None, float, float]:
    """Run a child process; (its JSON output if any, wall seconds, peak RSS in MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"child failed ({process.returncode}): {' '.join(command[:4])}…\n{err[-2000:]}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else None), seconds, usage.ru_maxrss / 1024


def new_articles_file(spec: str, skip: int, count: int, path: Path) -> None:
    """Write `count` real articles not in the base (the next ones of the corpus) as JSON Lines."""
    raws = load_corpus(spec, skip + count)[skip:]
    with path.open("w", encoding="utf-8") as handle:
        for raw in raws:
            record = {"text": raw.text, "title": getattr(raw, "title", None)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--base", type=int, default=1000, help="real articles processed once and copied")
    parser.add_argument("--new", type=int, default=200, help="real articles added by the whole-run measurement")
    parser.add_argument("--per-day", type=int, default=300, help="articles published per day in the stores")
    parser.add_argument("--workdir", type=Path, help="keep caches and stores here (default: a temporary dir)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="eventwire-memory-"))
    workdir.mkdir(parents=True, exist_ok=True)
    base = processed_base(args.corpus, args.base, workdir)
    fresh = workdir / "new.jsonl"
    new_articles_file(args.corpus, args.base, args.new, fresh)
    print(f"base: {len(base)} processed articles from {args.corpus}; {args.per_day} articles/day; work in {workdir}")
    rows = []
    for size in args.sizes:
        db = workdir / f"store-{size}.db"
        if not db.exists():
            build_store(db, base, size, args.per_day)
        stage, stage_seconds, stage_mb = run_child([sys.executable, "-c", CORPUS_STAGE, str(db)])
        copy = workdir / f"run-{size}.db"
        shutil.copy(db, copy)
        run_command = [sys.executable, "-m", "eventwire.cli", "run", str(fresh), "--db", str(copy), "--quiet"]
        _, run_seconds, run_mb = run_child(run_command)
        copy.unlink()
        row = {
            "articles": size,
            "days": -(-size // args.per_day),
            "stories": (stage or {}).get("stories"),
            "corpus_stage_seconds": round((stage or {}).get("seconds", stage_seconds), 1),
            "corpus_stage_rss_before_mb": round((stage or {}).get("rss_before_mb", 0)),
            "corpus_stage_rss_peak_mb": round((stage or {}).get("rss_peak_mb", 0)),
            "process_peak_mb": round(stage_mb),
            "run_seconds": round(run_seconds, 1),
            "run_peak_mb": round(run_mb),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    header = ("articles", "stories", "stage s", "RSS before", "RSS peak", "process peak", "run s", "run peak")
    print(" ".join(f"{h:>12}" for h in header))
    keys = (
        "articles",
        "stories",
        "corpus_stage_seconds",
        "corpus_stage_rss_before_mb",
        "corpus_stage_rss_peak_mb",
        "process_peak_mb",
        "run_seconds",
        "run_peak_mb",
    )
    for r in rows:
        print(" ".join(f"{r[k] if r[k] is not None else '-':>12}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
