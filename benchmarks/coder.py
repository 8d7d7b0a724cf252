"""Speed of the event coder: predicates coded per second in one batch, and the gain over one at a time.

The items are those of tests/test_code.py (a meeting, an attack and an unknown verb, repeated): the
first two are coded by the verb tables, the third goes to the trained classifier. `code_many` runs the
classifier once over the batch; `code` runs it once per item. Rounds alternate the two; medians.

    PYTHONPATH=src .venv/bin/python benchmarks/coder.py [--items 1200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from eventwire.events.code import EventCoder  # noqa: E402
from eventwire.records import Predicate  # noqa: E402

DISTINCT = [
    (Predicate(lemma="meet", text="met", clause="Putin met Xi in Beijing"), "Putin met Xi in Beijing."),
    (Predicate(lemma="attack", text="attacked", clause="Rebels attacked a convoy"), "Rebels attacked a convoy."),
    (Predicate(lemma="zorbify", text="zorbified", clause="They zorbified it"), "They zorbified it."),
]


def batched_rate(coder: EventCoder, items: list) -> float:
    """Items per second through one `code_many` call."""
    started = time.perf_counter()
    codes = coder.code_many(items)
    elapsed = time.perf_counter() - started
    assert len(codes) == len(items)
    return len(items) / elapsed


def one_by_one_rate(coder: EventCoder, items: list) -> float:
    """Items per second through one `code` call each."""
    started = time.perf_counter()
    for predicate, sentence in items:
        coder.code(predicate, sentence)
    return len(items) / (time.perf_counter() - started)


def _spread(rates: list[float]) -> str:
    return f"{statistics.median(rates):,.0f} codes/s ({min(rates):,.0f}..{max(rates):,.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1200, help="Predicates per batch (default 1200).")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    coder = EventCoder.load()
    items = (DISTINCT * (args.items // len(DISTINCT) + 1))[: args.items]
    coder.code_many(items[:30])  # warm-up
    batched, single = [], []
    for _ in range(args.rounds):
        batched.append(batched_rate(coder, items))
        single.append(one_by_one_rate(coder, items))
    print(f"{len(items)} predicates, {args.rounds} rounds (medians; min..max):")
    print(f"  code_many (one batch): {_spread(batched)}")
    print(f"  code (one at a time):  {_spread(single)}")
    print(f"  batch / one-by-one:    {statistics.median(batched) / statistics.median(single):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
