"""Cost of one `eventwire run` of 100 new articles as the store grows (empty, 1k, 10k, 100k articles).

The corpus stage is incremental: a run should cost about the same whatever the size of the
store it adds to. This measures it. Real articles (default: the Times of India corpus) go through
the per-article pipeline once (`--base` of them, cached in `--workdir`); SQLite stores of each
size are filled with copies of those results under new ids, `--per-day` articles a day (as
`memory.py` does), then `eventwire rebuild` runs on each once, so the saved clusterer state
exists, as after any earlier run. The `--new` articles are the next real articles of the corpus,
none of them in the base, written as JSON Lines dated the day after the store's last day (as
a live feed would bring them).

Each measurement is one `eventwire run NEW.jsonl --db COPY` in a fresh process, on a fresh copy
of the store (copied before the clock starts). For every size, each round runs the same
articles into an empty store and into the copy, one after the other (which goes first
alternates between rounds), so a change in the machine's load hits both; the reported ratio is
the median of the per-round ratios. Peak memory is the kernel's peak resident set of the child
(`os.wait4`). Inside the child, timers wrapped around the pipeline's functions split the run
into loading the models, the per-article stages (read, clean, parse, code, store; saving is also
timed on its own) and the corpus stage, itself split into its parts (re-play of the dated
articles after the checkpoint it resumes from, with restoring and saving the clusterer state;
undated articles; writing the touched stories; the closing corpus counts). Results:
docs/performance.md.

    .venv/bin/python benchmarks/corpus_growth.py --sizes 1000 10000 100000 [--rounds 3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import DEFAULT_CORPUS, load_corpus  # noqa: E402
from memory import START, build_store, processed_base, run_child  # noqa: E402

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

#: `eventwire run` in a child process, with timers around the stages; prints them as JSON last.
TIMED_RUN = """
import json, sys, time
started = time.perf_counter()
timings = {}

def timed(owner, name, label):
    original = getattr(owner, name)
    def wrapper(*args, **kwargs):
        clock = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[label] = timings.get(label, 0.0) + time.perf_counter() - clock
    setattr(owner, name, wrapper)

import eventwire.corpus_stage as stage
import eventwire.pipeline as pipeline
import eventwire.store.corpus as corpus_store
import eventwire.watch as watch
from eventwire.store.repository import Repository
from eventwire.stories.canonical import DatedStream

timed(pipeline, "load_resources", "load_models")
timed(watch, "store_stream", "per_article")
store_stream = watch.store_stream
def counted(items, repo, run_id, executor, stats, **kwargs):
    try:
        return store_stream(items, repo, run_id, executor, stats, **kwargs)
    finally:
        timings["stored"] = timings.get("stored", 0) + stats.articles
watch.store_stream = counted
timed(Repository, "save_results", "save_articles")
timed(pipeline, "build_corpus", "corpus_stage")
timed(stage, "_dated_phase", "dated_replay")
timed(stage, "_undated_phase", "undated")
timed(stage, "_write", "write_stories")
timed(corpus_store, "corpus_totals", "corpus_counts")
timed(corpus_store, "load_results", "load_stored")
timed(corpus_store, "unassigned_articles", "find_new")
timed(corpus_store, "save_checkpoint", "save_state")
timed(DatedStream, "restore", "restore_state")
timed(DatedStream, "snapshot", "snapshot_state")
from eventwire.cli import app
try:
    app(sys.argv[1:], prog_name="eventwire")
finally:
    timings["process"] = time.perf_counter() - started
    print(json.dumps(timings), flush=True)
"""

#: Parts of the child's timings, in report order, with their column names.
PARTS = (
    ("load_models", "models"),
    ("per_article", "per-article"),
    ("save_articles", "of which save"),
    ("corpus_stage", "corpus stage"),
    ("dated_replay", "re-play"),
    ("undated", "undated"),
    ("write_stories", "write"),
    ("corpus_counts", "counts"),
)


def new_articles(spec: str, skip: int, count: int) -> list[str]:
    """Texts of the `count` real articles that follow the first `skip` (the base) in the corpus."""
    texts = [raw.text for raw in load_corpus(spec, skip + count)[skip:]]
    if len(texts) < count:
        raise SystemExit(f"{spec}: only {len(texts)} articles after the first {skip}; need {count} new ones")
    return texts[:count]


def write_feed(texts: list[str], day: dt.date, path: Path) -> None:
    """The new articles as JSON Lines, all published on `day`."""
    with path.open("w", encoding="utf-8") as handle:
        for text in texts:
            handle.write(json.dumps({"text": text, "published": day.isoformat()}, ensure_ascii=False) + "\n")


def last_day(size: int, per_day: int) -> dt.date:
    """Publication date of the newest article of a store of `size` (as `memory.stream_copies` dates them)."""
    return START + dt.timedelta(days=(size - 1) // per_day)


def prepared_store(workdir: Path, base: list, size: int, per_day: int) -> tuple[Path, dict]:
    """A store of `size` copies after `eventwire rebuild` (built once, kept in workdir); its build figures."""
    db = workdir / f"growth-{size}-{per_day}.db"
    info_path = db.with_suffix(".json")
    if db.exists() and info_path.exists():
        return db, json.loads(info_path.read_text())
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    fill_seconds = build_store(partial, base, size, per_day)
    _, rebuild_seconds, rebuild_mb = run_child([sys.executable, "-m", "eventwire.cli", "rebuild", "--db", str(partial)])
    partial.rename(db)
    info = {
        "fill_s": round(fill_seconds, 1),
        "rebuild_s": round(rebuild_seconds, 1),
        "rebuild_peak_mb": round(rebuild_mb),
    }
    info_path.write_text(json.dumps(info))
    return db, info


def timed_run(feed: Path, db: Path) -> dict:
    """One `eventwire run` of `feed` into `db` in a fresh process: wall seconds, peak MB, stage timings."""
    command = [sys.executable, "-c", TIMED_RUN, "run", str(feed), "--db", str(db), "--quiet"]
    timings, seconds, peak_mb = run_child(command)
    return {"seconds": seconds, "peak_mb": peak_mb, **(timings or {})}


def measure_pair(feed: Path, store: Path, scratch: Path, store_first: bool, expected: int) -> dict[str, dict]:
    """The same run (storing `expected` articles) into an empty store and into a copy of `store`, in the order asked."""
    results: dict[str, dict] = {}
    order = ["store", "empty"] if store_first else ["empty", "store"]
    for side in order:
        target = scratch / f"{side}.db"
        target.unlink(missing_ok=True)
        if side == "store":
            shutil.copy(store, target)
        results[side] = timed_run(feed, target)
        if results[side].get("stored") != expected:
            raise SystemExit(f"{side} run stored {results[side].get('stored')} articles, not {expected}")
        target.unlink()
    return results


def summarise(size: int, info: dict, pairs: list[dict[str, dict]]) -> dict:
    """Medians over the rounds for one store size."""

    def median(side: str, key: str) -> float:
        return statistics.median(p[side].get(key, 0.0) for p in pairs)

    ratios = [p["store"]["seconds"] / p["empty"]["seconds"] for p in pairs]
    row = {
        "articles": size,
        "ratio": round(statistics.median(ratios), 3),
        "ratios": [round(r, 3) for r in ratios],
        "empty_s": round(median("empty", "seconds"), 1),
        "store_s": round(median("store", "seconds"), 1),
        "empty_peak_mb": round(max(p["empty"]["peak_mb"] for p in pairs)),
        "store_peak_mb": round(max(p["store"]["peak_mb"] for p in pairs)),
        **info,
    }
    for side in ("empty", "store"):
        row[f"{side}_parts"] = {
            key: round(median(side, key), 2)
            for key in sorted({k for p in pairs for k in p[side]} - {"seconds", "peak_mb", "stored"})
        }
    return row


def print_table(rows: list[dict]) -> None:
    print(f"{'articles':>9} {'ratio':>6} {'empty s':>8} {'store s':>8} {'empty MB':>9} {'store MB':>9}")
    for r in rows:
        print(
            f"{r['articles']:>9} {r['ratio']:>6} {r['empty_s']:>8} {r['store_s']:>8} "
            f"{r['empty_peak_mb']:>9} {r['store_peak_mb']:>9}   rounds: {r['ratios']}"
        )
    print("median seconds per part, empty store → this store:")
    print(f"{'articles':>9} " + " ".join(f"{name:>15}" for _, name in PARTS))
    for r in rows:
        cells = [f"{r['empty_parts'].get(k, 0):.1f}→{r['store_parts'].get(k, 0):.1f}" for k, _ in PARTS]
        print(f"{r['articles']:>9} " + " ".join(f"{c:>15}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--new", type=int, default=100, help="real articles added by each measured run")
    parser.add_argument("--base", type=int, default=1000, help="real articles processed once and copied")
    parser.add_argument("--per-day", type=int, default=300, help="articles published per day in the stores")
    parser.add_argument("--rounds", type=int, default=3, help="runs per side and size, alternating (0: build only)")
    parser.add_argument("--workdir", type=Path, help="keep caches and stores here (default: a temporary dir)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="eventwire-growth-"))
    workdir.mkdir(parents=True, exist_ok=True)
    base = processed_base(args.corpus, args.base, workdir)
    texts = new_articles(args.corpus, args.base, args.new)
    print(f"base: {len(base)} processed articles of {args.corpus}; {args.new} new; {args.per_day}/day; in {workdir}")
    rows = []
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        for size in args.sizes:
            started = time.perf_counter()
            store, info = prepared_store(workdir, base, size, args.per_day)
            if args.rounds < 1:  # only build the stores
                print(json.dumps({"articles": size, **info}), flush=True)
                continue
            feed = Path(scratch) / f"new-{size}.jsonl"
            write_feed(texts, last_day(size, args.per_day) + dt.timedelta(days=1), feed)
            pairs = [
                measure_pair(feed, store, Path(scratch), round_ % 2 == 1, len(texts)) for round_ in range(args.rounds)
            ]
            row = summarise(size, info, pairs)
            row["bench_s"] = round(time.perf_counter() - started)
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if rows:
        print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
