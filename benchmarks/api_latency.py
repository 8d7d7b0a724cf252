"""API latency on a large synthetic store: p50/p95 of the overview, story and dyad calls.

Builds a SQLite database of N per-article events (default 1,000,000) with realistic
shapes: ~200 countries with a Zipf skew (so a few dyads are very busy), dates over ten
years, stories of 1–8 articles (~4) with 6–30 happenings each, every happening reported
by 1–4 of the story's articles (~9 events per article), canonical events merging the
reports of each happening, one mention per report. Rows go in with SQLAlchemy bulk
inserts while the search triggers are off, then `refresh_search` builds the full-text
index and dyad aggregates in one pass. The calls go through the real FastAPI app in process (TestClient).

On PostgreSQL (`--postgres`) the same rows go in while the derived indexes (GIN full-text and `ix_ui_*`
lookup indexes) are dropped; `refresh_search` recreates them and refreshes the planner statistics.
PostgreSQL has no dyad aggregate tables or triggers: its dyad views aggregate the event tables directly.
Before measuring, the dyad totals the API reports are checked against direct counts on both backends.

    python benchmarks/api_latency.py                 # 1M events (a few minutes to build)
    python benchmarks/api_latency.py --events 100000 --calls 100
    python benchmarks/api_latency.py --db big.db --reuse   # measure an existing build again
    python benchmarks/api_latency.py --postgres      # into a throwaway PostgreSQL server (see ingest.py)
    python benchmarks/api_latency.py --postgres postgresql://user@127.0.0.1:5432/big [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from eventwire.store import open_repository, queries
from eventwire.store.schema import (
    articles,
    canonical_events,
    canonical_mentions,
    events,
    mentions,
    stories,
    story_articles,
)

START = dt.date(2015, 1, 1)
DAYS = 3652
CHUNK = 20_000
SECTORS = ("GOV", "MIL", "GOV", "BUS", "MED", "REB", "OPP", "CVL")
CODES = [  # (CAMEO, PLOVER, mode, Goldstein, quad class, verb)
    ("040", "CONSULT", None, 1.0, 1, "met"),
    ("042", "CONSULT", "visit", 1.9, 1, "visited"),
    ("051", "SUPPORT", None, 3.4, 1, "pledged support to"),
    ("036", "REQUEST", None, 4.0, 1, "offered talks to"),
    ("061", "COOPERATE", None, 6.4, 2, "signed a trade deal with"),
    ("071", "AID", "economic", 7.4, 2, "sent aid to"),
    ("112", "ACCUSE", None, -2.0, 3, "accused"),
    ("130", "THREATEN", None, -4.4, 3, "threatened"),
    ("111", "REJECT", None, -2.0, 3, "criticised"),
    ("163", "SANCTION", None, -8.0, 3, "imposed sanctions on"),
    ("190", "ASSAULT", None, -10.0, 4, "attacked"),
    ("173", "SEIZE", "arrest", -5.0, 4, "detained"),
]
OUTLETS = ("Reuters", "AP", "AFP", "BBC", "Al Jazeera", "Xinhua", "TASS", "DW", "France 24", "NHK")


# ---------------------------------------------------------------- synthetic data


class World:
    """Countries with Zipf weights and a few named actors each."""

    def __init__(self, rng: random.Random, n_countries: int = 200, skew: float = 1.1) -> None:
        import pycountry

        codes = sorted(c.alpha_3 for c in pycountry.countries)
        rng.shuffle(codes)
        self.countries = codes[:n_countries]
        self.weights = [1 / (rank + 1) ** skew for rank in range(n_countries)]
        self.rng = rng
        self.actors = {
            code: [(f"{code}-{k}", f"Official {k} of {code}", SECTORS[k % len(SECTORS)]) for k in range(6)]
            for code in self.countries
        }

    def dyad(self) -> tuple[str, str]:
        a, b = self.rng.choices(self.countries, self.weights, k=2)
        return a, b

    def actor(self, country: str) -> tuple[str, str, str]:
        return self.rng.choice(self.actors[country])


def _actor_row(role: str, country: str, actor: tuple[str, str, str] | None) -> dict[str, Any]:
    if actor is None:
        return {
            f"{role}_text": country,
            f"{role}_name": country,
            f"{role}_country": country,
            f"{role}_sector": None,
            f"{role}_actor_id": None,
            f"{role}_kind": "country",
        }
    actor_id, name, sector = actor
    return {
        f"{role}_text": name,
        f"{role}_name": name,
        f"{role}_country": country,
        f"{role}_sector": sector,
        f"{role}_actor_id": actor_id,
        f"{role}_kind": "person",
    }


def _happening(world: World, day: dt.date) -> dict[str, Any]:
    """The coded part of one happening: actors, code, date."""
    rng = world.rng
    a, b = world.dyad()
    cameo, plover, mode, goldstein, quad, verb = rng.choice(CODES)
    source = world.actor(a) if rng.random() < 0.6 else None
    target = world.actor(b) if rng.random() < 0.5 else None
    undated = rng.random() < 0.03
    return {
        "date": None if undated else day,
        "date_precision": "unknown" if undated else "day",
        "date_method": "none" if undated else "relative",
        "plover": plover,
        "mode": mode,
        "cameo": cameo,
        "goldstein": goldstein,
        "quad_class": quad,
        "confidence": round(rng.uniform(0.4, 0.95), 3),
        "predicate": verb,
        **_actor_row("source", a, source),
        **_actor_row("target", b, target),
        "location_text": None,
        "location_country": None,
        "location_lat": None,
        "location_lon": None,
    }


def _sentence(happening: dict[str, Any], n: int) -> str:
    day = happening["date"].strftime("%d %B %Y") if happening["date"] else "recently"
    return (
        f"{happening['source_name']} {happening['predicate']} {happening['target_name']} on {day}, "
        f"officials said in statement number {n}."
    )


class Builder:
    """Generates stories → articles → happenings → per-article events, in insertable rows."""

    def __init__(self, world: World, target_events: int) -> None:
        self.world = world
        self.target = target_events
        self.rows: dict[sa.Table, list[dict[str, Any]]] = {
            t: []
            for t in (
                articles,
                events,
                mentions,
                stories,
                story_articles,
                canonical_events,
                canonical_mentions,
            )
        }
        self.made = 0
        self.created = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def stories(self) -> Iterator[dict[sa.Table, list[dict[str, Any]]]]:
        """Rows in batches of about CHUNK events."""
        number = 0
        while self.made < self.target:
            self._story(number)
            number += 1
            if len(self.rows[events]) >= CHUNK:
                yield self._flush()
        yield self._flush()

    def _flush(self) -> dict[sa.Table, list[dict[str, Any]]]:
        batch, self.rows = self.rows, {t: [] for t in self.rows}
        return batch

    def _story(self, number: int) -> None:
        rng = self.world.rng
        story_id = f"st-{number:07d}"
        day = START + dt.timedelta(days=int(rng.triangular(0, DAYS, DAYS)))
        article_ids = [f"a{number:07d}-{k}" for k in range(rng.choice((1, 2, 3, 4, 4, 5, 6, 8)))]
        happenings = [_happening(self.world, day) for _ in range(rng.randint(6, 30))]
        texts: dict[str, list[str]] = {a: [] for a in article_ids}
        for h_number, happening in enumerate(happenings):
            reporters = rng.sample(article_ids, k=min(len(article_ids), rng.choice((1, 2, 2, 3, 4))))
            canonical_id = f"c{number:07d}-{h_number}"
            members = []
            for position, article_id in enumerate(reporters):
                event_id = f"{article_id}-{h_number}"
                sentence = _sentence(happening, self.made)
                start = sum(len(s) + 1 for s in texts[article_id])
                texts[article_id].append(sentence)
                span = {
                    "article_id": article_id,
                    "sentence": sentence,
                    "start": start,
                    "end": start + len(sentence),
                }
                self.rows[events].append(
                    {
                        **happening,
                        "event_id": event_id,
                        "article_id": article_id,
                        "date_text": None,
                        "code_rule": "synthetic",
                        "is_main": position == 0,
                    }
                )
                self.rows[mentions].append({"event_id": event_id, "position": 0, **span})
                self.rows[canonical_mentions].append({"event_id": canonical_id, "position": position, **span})
                members.append(event_id)
                self.made += 1
            self.rows[canonical_events].append(
                {
                    **happening,
                    "event_id": canonical_id,
                    "story_id": story_id,
                    "sources": len(reporters),
                    "member_ids": members,
                }
            )
        self._articles(story_id, day, article_ids, texts, happenings[0])

    def _articles(
        self,
        story_id: str,
        day: dt.date,
        article_ids: list[str],
        texts: dict[str, list[str]],
        lead: dict[str, Any],
    ) -> None:
        rng = self.world.rng
        title = f"{lead['source_name']} {lead['predicate']} {lead['target_name']}"
        for article_id in article_ids:
            published = day + dt.timedelta(days=rng.randint(0, 2))
            self.rows[articles].append(
                {
                    "article_id": article_id,
                    "path": None,
                    "url": None,
                    "title": title,
                    "outlet": rng.choice(OUTLETS),
                    "published": published,
                    "language": "en",
                    "text": " ".join(texts[article_id]) or title,
                    "source_format": "synthetic",
                    "created_at": self.created,
                    "run_id": None,
                }
            )
            self.rows[story_articles].append(
                {
                    "article_id": article_id,
                    "story_id": story_id,
                    "duplicate_group": None,
                    "inferred_date": None,
                    "inferred_precision": None,
                    "inferred_evidence": None,
                }
            )
        self.rows[stories].append(
            {
                "story_id": story_id,
                "title": title,
                "first_seen": day,
                "last_seen": day + dt.timedelta(days=2),
                "article_count": len(article_ids),
                "summary": [{"sentence": texts[a][0], "article_id": a} for a in article_ids[:2] if texts[a]],
            }
        )


def _drop_triggers(engine: sa.Engine) -> None:
    """Before the bulk load: SQLite's derived triggers go (tables stay); PostgreSQL's derived indexes go."""
    with engine.begin() as connection:
        if connection.dialect.name != "sqlite":
            queries.drop_derived_schema(connection)
            return
        names = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars().all()
        for name in names:
            if queries.is_derived_name(name):
                connection.exec_driver_sql(f"DROP TRIGGER {name}")


def build(db: Path | str, n_events: int, seed: int) -> float:
    """Create the synthetic store (a SQLite path or a database URL); returns seconds taken."""
    started = time.perf_counter()
    repository = open_repository(db)
    engine = repository.engine
    _drop_triggers(engine)
    order = (articles, story_articles, stories, events, mentions, canonical_events, canonical_mentions)
    builder = Builder(World(random.Random(seed)), n_events)
    for batch in builder.stories():
        with engine.begin() as connection:
            for table in order:
                if batch[table]:
                    connection.execute(table.insert(), batch[table])
        print(f"\r  {builder.made:,} events", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    queries.refresh_search(engine)  # on PostgreSQL: recreates the indexes, then ANALYZE
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    repository.close()
    return time.perf_counter() - started


def check_store(db: Path | str, n_dyads: int = 5) -> str:
    """Fail unless every derived object exists and the API's dyad totals match direct counts; returns a summary.

    On SQLite the dyad timeline reads the `agg_dyad_*` tables rebuilt by `refresh_search`; on PostgreSQL it
    aggregates the event table. Either way its totals must equal a count over the events shown.
    """
    with open_repository(db) as repository:
        engine = repository.engine
        if engine.dialect.name == "sqlite":
            assert queries.derived_schema_is_complete(engine), "derived triggers/tables/indexes missing"
        else:
            expected = {
                re.search(r"IF NOT EXISTS (\w+)", statement).group(1)  # type: ignore[union-attr]
                for statement in queries.derived_schema_statements("postgresql")
            }
            with engine.connect() as connection:
                present = set(connection.exec_driver_sql("SELECT indexname FROM pg_indexes").scalars())
            assert expected <= present, f"derived indexes missing: {sorted(expected - present)}"
        with engine.connect() as connection:
            layer = queries.event_layer(connection)
            top = queries.top_dyads(connection, layer, n_dyads)
            table = layer.events
            for a, b, listed in ((d["a"], d["b"], d["events"]) for d in top):
                either_way = sa.or_(
                    sa.and_(table.c.source_country == a, table.c.target_country == b),
                    sa.and_(table.c.source_country == b, table.c.target_country == a),
                )
                direct = connection.execute(
                    sa.select(sa.func.count()).select_from(table).where(either_way)
                ).scalar_one()
                timeline = queries.dyad(engine, a, b, period="year", network=False)
                shown = timeline["totals"]["events"] + timeline["undated"]
                assert shown == direct == listed, f"dyad {a}-{b}: timeline {shown}, top list {listed}, table {direct}"
    return f"checked: derived objects present, {len(top)} busiest dyads' totals (top list, timeline) = direct counts"


# ---------------------------------------------------------------- measuring


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(call: Callable[[], Any], calls: int) -> dict[str, float]:
    call()  # warm up caches and the connection pool
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95), "max": max(samples)}


def _sample_ids(engine: sa.Engine, rng: random.Random) -> tuple[list[str], list[tuple[str, str]]]:
    with engine.connect() as connection:
        story_ids = connection.execute(sa.select(stories.c.story_id).order_by(sa.func.random()).limit(500)).scalars()
        top = queries.top_dyads(connection, queries.event_layer(connection), 20)
        if connection.dialect.name == "sqlite":
            pairs = connection.exec_driver_sql(
                "SELECT a, b FROM agg_dyad_totals WHERE a <> b ORDER BY random() LIMIT 200"
            ).all()
        else:  # no aggregate table: distinct country pairs of the events shown
            table = queries.event_layer(connection).events.name
            pairs = connection.exec_driver_sql(
                "SELECT a, b FROM (SELECT DISTINCT least(source_country, target_country) AS a, "
                f"greatest(source_country, target_country) AS b FROM {table} "
                "WHERE source_country <> target_country) AS pairs ORDER BY random() LIMIT 200"
            ).all()
    dyads = [(d["a"], d["b"]) for d in top] + [tuple(p) for p in pairs]
    return list(story_ids), dyads


def run_calls(db: Path | str, calls: int, seed: int) -> dict[str, dict[str, float]]:
    with warnings.catch_warnings():  # the test client's notice about its HTTP library
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from eventwire.api import create_app

    rng = random.Random(seed)
    app = create_app(str(db))
    story_ids, dyads = _sample_ids(app.state.engine, rng)
    periods = ("month", "month", "week", "year", "day")
    results = {}
    with TestClient(app) as client:

        def get(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.text[:200])

        results["overview  /api/overview"] = measure(lambda: get("/api/overview"), calls)
        results["story     /api/story/{id}"] = measure(lambda: get(f"/api/story/{rng.choice(story_ids)}"), calls)
        results["dyad      /api/dyad/{a}/{b}"] = measure(
            lambda: get("/api/dyad/{}/{}?period={}".format(*rng.choice(dyads), rng.choice(periods))), calls
        )
        top_a, top_b = dyads[0]
        results["top dyad  /api/dyad/{a}/{b} (busiest pair)"] = measure(
            lambda: get(f"/api/dyad/{top_a}/{top_b}?period={rng.choice(periods)}"), calls
        )
        words = [code[5].split()[-1] for code in CODES] + [a for a, _ in dyads[:50]]
        results["search    /api/search?q= (two words)"] = measure(
            lambda: get(f"/api/search?q={rng.choice(words)}+{rng.choice(words)}"), max(20, calls // 4)
        )
    return results


def _postgres_has_articles(url: str) -> bool:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("articles"):
                return False
            return connection.execute(sa.select(articles.c.article_id).limit(1)).first() is not None
    finally:
        engine.dispose()


@contextmanager
def _postgres_database(url: str, settings: list[str]) -> Iterator[tuple[str, str]]:
    """(database URL, server description): `url` itself, or a new database on a throwaway server (ingest.py)."""
    if url:
        yield url, "given server"
        return
    from ingest import _pg_settings, postgres_server

    with postgres_server(None, _pg_settings(settings)) as server:
        yield server.create_database("latency"), f"throwaway PostgreSQL {server.version}"


def _size_gb(db: Path | str) -> float:
    if isinstance(db, Path):
        return db.stat().st_size / 1e9
    with open_repository(db) as repository, repository.engine.connect() as connection:
        return connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one() / 1e9


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="per-article events to generate")
    parser.add_argument("--calls", type=int, default=200, help="calls per endpoint")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary file)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="URL",
        help="use PostgreSQL: the database at URL, or (no URL) a new one on a throwaway server",
    )
    parser.add_argument("--pg-setting", action="append", default=[], metavar="NAME=VALUE", help="throwaway server")
    parser.add_argument("--reuse", action="store_true", help="measure an existing --db without rebuilding")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.postgres is not None:
        if args.db:
            parser.error("give --db or --postgres, not both")
        if args.reuse and not args.postgres:
            parser.error("--reuse needs --postgres URL (a throwaway server starts empty)")
        with _postgres_database(args.postgres, args.pg_setting) as (url, server):
            print(f"PostgreSQL: {server}", file=sys.stderr)
            if not args.reuse and _postgres_has_articles(url):
                parser.error(f"{url} already holds articles; use an empty database or pass --reuse")
            _measure(url, args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "latency.db"
        if not args.reuse and db.exists():
            parser.error(f"{db} exists; remove it or pass --reuse")
        _measure(db, args)


def _measure(db: Path | str, args: argparse.Namespace) -> None:
    """Build (unless --reuse), check, then time the calls and print the table."""
    if not args.reuse:
        print(f"building {args.events:,} events into {db} …", file=sys.stderr)
        print(f"built in {build(db, args.events, args.seed):.0f} s", file=sys.stderr)
    print(check_store(db), file=sys.stderr)
    with open_repository(db) as repository:
        overview = queries.overview(repository.engine, limit=1)
        backend = repository.backend
    counts = overview["counts"]
    size = _size_gb(db)
    print(
        f"store: {counts['article_events']:,} events, {counts['events']:,} canonical events, "
        f"{counts['articles']:,} articles, {counts['stories']:,} stories, {size:.2f} GB ({backend})"
    )
    print(f"{'call':46} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, numbers in run_calls(db, args.calls, args.seed).items():
        print(f"{name:46} {numbers['p50']:8.1f} {numbers['p95']:8.1f} {numbers['max']:8.1f}")


if __name__ == "__main__":
    main()
