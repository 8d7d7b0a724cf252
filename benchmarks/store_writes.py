"""Speed of the store's basic operations on SQLite: create, reopen an up-to-date database, bulk save.

The records are the realistic ones of tests/test_store.py (a Reuters-style article with three events,
copied under new ids with `--events` events each). Each round uses a fresh database; medians.

    PYTHONPATH=src .venv/bin/python benchmarks/store_writes.py [--articles 300] [--events 10] [--rounds 5]

Pass `--db postgresql://USER@HOST/DB` to measure a PostgreSQL server instead (the database must be empty;
its tables are dropped between rounds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the record builders of the store tests

from tests.test_store import _synthetic_results  # noqa: E402

from eventwire.store import open_repository  # noqa: E402


def _drop_everything(url: str) -> None:
    import sqlalchemy as sa

    from eventwire.store import database_url

    engine = sa.create_engine(database_url(url))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def one_round(db: str, results: list) -> dict[str, float]:
    """Seconds to create the schema, reopen it (median of 5 reopens) and save `results` in one call."""
    started = time.perf_counter()
    open_repository(db).close()
    created = time.perf_counter() - started
    reopens = []
    for _ in range(5):
        started = time.perf_counter()
        open_repository(db).close()
        reopens.append(time.perf_counter() - started)
    with open_repository(db) as repository:
        started = time.perf_counter()
        saved = repository.save_results(results)
        save = time.perf_counter() - started
        started = time.perf_counter()
        again = repository.save_results(results)
        resave = time.perf_counter() - started
    assert saved == len(results) and again == 0
    return {"create": created, "reopen": statistics.median(reopens), "save": save, "resave": resave}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--events", type=int, default=10, help="Events per article.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", help="A PostgreSQL URL (default: a fresh SQLite file per round).")
    args = parser.parse_args(argv)

    results = _synthetic_results(args.articles, args.events)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="eventwire-store-bench-") as folder:
        for number in range(args.rounds):
            db = args.db or str(Path(folder) / f"round{number}.db")
            if args.db:
                _drop_everything(args.db)
            rounds.append(one_round(db, results))
    events = args.articles * args.events
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(f"{'PostgreSQL' if args.db else 'SQLite'}: {args.articles} articles x {args.events} events, "
          f"{args.rounds} rounds (medians):")
    print(f"  create the schema:          {median['create'] * 1000:.0f} ms")
    print(f"  reopen an up-to-date store: {median['reopen'] * 1000:.1f} ms")
    print(f"  save {args.articles} articles / {events} events: {median['save']:.3f} s "
          f"({args.articles / median['save']:,.0f} articles/s, {events / median['save']:,.0f} events/s)")
    print(f"  save them again (skipped):  {median['resave'] * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
