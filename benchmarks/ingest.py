"""Ingest throughput into SQLite and PostgreSQL: store writes alone, then `eventwire run` end to end.

1. The N articles are written to a JSON Lines file and read back with `eventwire.ingest.read_inputs`,
   so every measurement sees exactly the records `eventwire run` sees. They are processed once
   (clean, parse, code, claims) in chunks of 32 as the CLI's inline executor does, and the results kept.
2. Store writes: the kept results are saved into a fresh database per round, timing only the save path.
   `cli` mode replays them through `executors.store_stream` (what `eventwire run` does: skip stored ids,
   one transaction per chunk of 32 results, failures recorded); `bulk` mode is
   `Repository.save_results` (50 articles per transaction). Backends and modes alternate, order
   reversed every round; medians are reported. Schema creation is outside the timings.
3. End to end: `eventwire run FILE --db URL --quiet` in a subprocess per backend (fresh database each):
   process start, model loading, processing, saving and the corpus (stories) stage, wall time.

PostgreSQL is a throwaway cluster started here (`postgres_server`, initdb + pg_ctl on 127.0.0.1 in a
temporary directory, as the `postgres` OS user when run as root) unless `--postgres URL` names a
server on which the run may create and drop databases.

    PYTHONPATH=src .venv/bin/python benchmarks/ingest.py [--articles 500] [--rounds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from corpora import DEFAULT_CORPUS, load_corpus  # noqa: E402  # same folder: the shared corpus readers
from eventwire.executors import DEFAULT_CHUNK_SIZE, Executor, process_chunk, store_stream  # noqa: E402
from eventwire.records import ArticleResult, Failure, RawArticle  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
#: Settings of the throwaway server. Commits do not wait for the WAL flush (like SQLite's WAL mode with
#: synchronous=NORMAL, which the store uses: a crash may lose the last commits, never corrupts); memory
#: and WAL sizes suit bulk loads on a small machine. Override any with --pg-setting NAME=VALUE.
PG_SETTINGS = {
    "synchronous_commit": "off",
    "shared_buffers": "512MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
}
SERVER_USER = "postgres"


# ---------------------------------------------------------------- a throwaway PostgreSQL server


def _find_pg_bindir() -> Path:
    """The newest `/usr/lib/postgresql/*/bin` holding initdb and pg_ctl, else the directory of `initdb` on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: float(Path(p).parent.name), reverse=True)
    for directory in found:
        if Path(directory, "initdb").exists() and Path(directory, "pg_ctl").exists():
            return Path(directory)
    if initdb := shutil.which("initdb"):
        return Path(initdb).resolve().parent
    raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or pass --postgres URL")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayServer:
    """One PostgreSQL cluster in a temporary directory on 127.0.0.1 (trust auth), removed by `stop`."""

    def __init__(self, settings: dict[str, str]) -> None:
        self.bindir = _find_pg_bindir()
        self.settings = settings
        self.root = Path(tempfile.mkdtemp(prefix="eventwire-bench-pg-"))
        self.datadir = self.root / "data"
        self.logfile = self.root / "server.log"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root and shutil.which("runuser"):
            command = ["runuser", "-u", SERVER_USER, "--", *args]
        elif self.as_root:
            command = ["su", SERVER_USER, "-c", shlex.join(args)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            log = self.logfile.read_text() if self.logfile.exists() else ""
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr or done.stdout}\n{log}")

    def start(self) -> str:
        """initdb + pg_ctl start (waits until it accepts connections); returns the `postgres` database URL."""
        (self.root / "sock").mkdir()
        if self.as_root:
            entry = pwd.getpwnam(SERVER_USER)
            for path in (self.root, self.root / "sock"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", "postgres", "--auth=trust")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root / 'sock'}"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        pg_ctl = str(self.bindir / "pg_ctl")
        self._run(pg_ctl, "-D", str(self.datadir), "-l", str(self.logfile), "-o", options, "-w", "-t", "60", "start")
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory."""
        try:
            if (self.datadir / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class Postgres:
    """A PostgreSQL server reached through `admin_url`, on which databases can be created and dropped."""

    def __init__(self, admin_url: str, version: str = "") -> None:
        self.admin_url = admin_url
        self.version = version

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(re.sub(r"^postgresql\+psycopg://", "postgresql://", self.admin_url), autocommit=True)

    def create_database(self, prefix: str = "ewbench") -> str:
        """A new empty database; returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return re.sub(r"/[^/?]*(\?|$)", rf"/{name}\1", self.admin_url, count=1)

    def drop_database(self, url: str) -> None:
        """Drop the database named by `url` (closing any session still on it)."""
        name = re.search(r"/([^/?]+)(?:\?|$)", url).group(1)  # type: ignore[union-attr]
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_server(url: str | None = None, settings: dict[str, str] | None = None) -> Iterator[Postgres]:
    """The server at `url` (a database URL used for CREATE/DROP DATABASE), or a throwaway one for the block.

    The throwaway cluster (initdb + pg_ctl in a temporary directory, loopback only, trust authentication,
    `PG_SETTINGS` updated by `settings`) runs as the `postgres` OS user when this process is root, and is
    stopped and deleted when the block exits.
    """
    server = None
    previous = signal.getsignal(signal.SIGTERM)
    try:
        if url is None:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so `kill PID` still stops the server below
            server = ThrowawayServer({**PG_SETTINGS, **(settings or {})})
            url = server.start()
        postgres = Postgres(url)
        with postgres._admin() as connection:
            postgres.version = connection.execute("SHOW server_version").fetchone()[0]
        yield postgres
    finally:
        if server is not None:
            server.stop()
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


# ---------------------------------------------------------------- inputs


def load_articles(corpus: str, limit: int) -> list[RawArticle]:
    """Up to `limit` articles of `corpus` (a JSON Lines file or `reuters21578:DIR`, see corpora.py)."""
    return list(load_corpus(corpus, limit))


def write_jsonl(raws: Iterable[RawArticle], path: Path) -> None:
    """The articles as JSON Lines `eventwire run` reads (text, title, published, outlet, url)."""
    with path.open("w", encoding="utf-8") as handle:
        for raw in raws:
            record = {"text": raw.text, "title": raw.title, "outlet": raw.outlet, "url": raw.url}
            record["published"] = raw.published.isoformat() if raw.published else None
            handle.write(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False) + "\n")


def process_once(items: list[RawArticle | Failure], resources: Any) -> dict[str, ArticleResult | Failure]:
    """Results of every distinct raw article, by id, processed in CLI-sized chunks as the inline executor does."""
    raws = list({item.article_id: item for item in items if isinstance(item, RawArticle)}.values())
    processed: dict[str, ArticleResult | Failure] = {}
    for start in range(0, len(raws), DEFAULT_CHUNK_SIZE):
        chunk = raws[start : start + DEFAULT_CHUNK_SIZE]
        for raw, result in zip(chunk, process_chunk(chunk, 16, resources), strict=True):
            processed[raw.article_id] = result
    return processed


class ReplayExecutor(Executor):
    """An executor handing back results computed beforehand, so `store_stream` times only the store."""

    def __init__(self, processed: dict[str, ArticleResult | Failure]) -> None:
        self.processed = processed

    def _submit(self, chunk: list[RawArticle], batch_size: int) -> Any:
        return [self.processed[raw.article_id] for raw in chunk]

    def _result(self, handle: Any) -> list[ArticleResult | Failure]:
        return handle


# ---------------------------------------------------------------- measurements


@dataclass
class Sample:
    """One timed write: `articles` stored with `events` per-article events in `seconds`."""

    backend: str
    mode: str
    round: int
    articles: int
    events: int
    seconds: float


def time_writes(
    db: str, mode: str, items: list[RawArticle | Failure], replay: ReplayExecutor
) -> tuple[int, int, float]:
    """Save the replayed results into the fresh store `db`; returns (articles, events, seconds) of the save only."""
    from eventwire.pipeline import BatchStats
    from eventwire.store import open_repository

    repo = open_repository(db)  # creates the schema: not timed
    try:
        run_id = repo.start_run(["bench"])
        if mode == "cli":
            stats = BatchStats()
            started = time.perf_counter()
            store_stream(items, repo, run_id, replay, stats)
            seconds = time.perf_counter() - started
        else:
            results = [r for r in replay.processed.values() if isinstance(r, ArticleResult)]
            started = time.perf_counter()
            repo.save_results(results, run_id)
            seconds = time.perf_counter() - started
        counts = repo.counts()
    finally:
        repo.close()
    return counts["articles"], counts["events"], seconds


def time_cli_run(jsonl: Path, db: str) -> tuple[int, int, float, str]:
    """`eventwire run JSONL --db DB --quiet` in a subprocess; returns (articles, events, wall seconds, summary)."""
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(REPO / "src"))}
    command = [str(Path(sys.executable).parent / "eventwire"), "run", str(jsonl), "--db", db, "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=6 * 3600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"eventwire run failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""
    match = re.search(r"(\d+) new articles .*?(\d+) events", summary)
    articles, events = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    return articles, events, seconds, summary


def summarise(samples: list[Sample]) -> list[dict[str, Any]]:
    """Per backend and mode: articles, events, median seconds, articles/s and events/s (median), min–max articles/s."""
    rows = []
    for key in dict.fromkeys((s.mode, s.backend) for s in samples):
        group = [s for s in samples if (s.mode, s.backend) == key]
        median = statistics.median(s.seconds for s in group)
        rates = [s.articles / s.seconds for s in group]
        rows.append(
            {
                "mode": key[0],
                "backend": key[1],
                "rounds": len(group),
                "articles": group[0].articles,
                "events": group[0].events,
                "median_s": round(median, 3),
                "articles_per_s": round(group[0].articles / median, 1),
                "events_per_s": round(group[0].events / median, 1),
                "articles_per_s_min": round(min(rates), 1),
                "articles_per_s_max": round(max(rates), 1),
            }
        )
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'measurement':13} {'backend':10} {'rounds':>6} {'articles':>8} {'events':>7} {'median s':>9} "
        f"{'articles/s':>10} {'events/s':>9} {'articles/s min-max':>19}"
    )
    for row in rows:
        spread = f"{row['articles_per_s_min']:.1f}-{row['articles_per_s_max']:.1f}"
        print(
            f"{row['mode']:13} {row['backend']:10} {row['rounds']:6d} {row['articles']:8d} {row['events']:7d} "
            f"{row['median_s']:9.2f} {row['articles_per_s']:10.1f} {row['events_per_s']:9.1f} {spread:>19}"
        )


def _pg_settings(pairs: list[str]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if not name or not value:
            raise SystemExit(f"--pg-setting {pair!r}: use NAME=VALUE")
        settings[name] = value
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="JSON Lines file (or a corpora.py spec)")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the store-write measurement")
    parser.add_argument("--e2e-rounds", type=int, default=1, help="`eventwire run` rounds per backend (0: skip)")
    parser.add_argument("--postgres", metavar="URL", help="server to create databases on (default: a throwaway one)")
    parser.add_argument("--pg-setting", action="append", default=[], metavar="NAME=VALUE", help="throwaway server")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from eventwire.ingest import read_inputs
    from eventwire.pipeline import load_resources

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp_name,
        postgres_server(args.postgres, _pg_settings(args.pg_setting)) as postgres,
    ):
        tmp = Path(tmp_name)
        jsonl = tmp / "articles.jsonl"
        write_jsonl(load_articles(args.corpus, args.articles), jsonl)
        items = list(read_inputs([str(jsonl)]))
        print(f"processing {len(items)} articles once ...", file=sys.stderr)
        processing_started = time.perf_counter()
        replay = ReplayExecutor(process_once(items, load_resources()))
        processing_s = time.perf_counter() - processing_started

        def fresh(backend: str, label: str) -> str:
            return str(tmp / f"{label}.db") if backend == "sqlite" else postgres.create_database()

        def discard(backend: str, db: str) -> None:
            if backend == "postgresql":
                postgres.drop_database(db)
            else:
                for path in tmp.glob(Path(db).name + "*"):
                    path.unlink()

        samples: list[Sample] = []
        backends = ["sqlite", "postgresql"]
        time_writes(fresh("sqlite", "warm"), "cli", items, replay)  # warm-up: imports, caches
        for number in range(args.rounds):
            for backend in backends if number % 2 == 0 else backends[::-1]:
                for mode in ("cli", "bulk") if number % 2 == 0 else ("bulk", "cli"):
                    db = fresh(backend, f"{backend}-{mode}-{number}")
                    articles, events, seconds = time_writes(db, mode, items, replay)
                    discard(backend, db)
                    samples.append(Sample(backend, f"write-{mode}", number, articles, events, seconds))
                    print(
                        f"  round {number} {backend:10} write-{mode:4} {articles / seconds:8.1f} articles/s",
                        file=sys.stderr,
                    )
        summaries: list[str] = []
        startup_s = None
        if args.e2e_rounds:
            one = tmp / "one.jsonl"
            one.write_text(jsonl.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
            startup_s = time_cli_run(one, fresh("sqlite", "one"))[2]
        for number in range(args.e2e_rounds):
            for backend in backends if number % 2 == 0 else backends[::-1]:
                db = fresh(backend, f"{backend}-e2e-{number}")
                articles, events, seconds, summary = time_cli_run(jsonl, db)
                discard(backend, db)
                samples.append(Sample(backend, "eventwire-run", number, articles, events, seconds))
                summaries.append(f"{backend}: {summary}")
                print(
                    f"  round {number} {backend:10} eventwire run {articles / seconds:8.1f} articles/s", file=sys.stderr
                )

    rows = summarise(samples)
    print(
        f"corpus {args.corpus}: {len(items)} inputs, {len(replay.processed)} distinct articles, processed once "
        f"in {processing_s:.0f} s ({len(replay.processed) / processing_s:.1f} articles/s)"
    )
    print(
        f"PostgreSQL {postgres.version} ({'given server' if args.postgres else 'throwaway server'}), "
        f"SQLite file in {tempfile.gettempdir()}; wall {time.perf_counter() - started:.0f} s"
    )
    print_table(rows)
    if startup_s is not None:
        print(
            f"eventwire run on 1 article (start, model load, schema, stories stage): {startup_s:.1f} s, "
            "included in the eventwire-run wall times"
        )
    for summary in summaries:
        print(f"  {summary}")
    if args.json:
        report = {
            "corpus": args.corpus,
            "inputs": len(items),
            "processing_s": round(processing_s, 1),
            "eventwire_run_one_article_s": startup_s and round(startup_s, 2),
            "postgres_version": postgres.version,
            "pg_settings": None if args.postgres else {**PG_SETTINGS, **_pg_settings(args.pg_setting)},
            "summary": rows,
            "samples": [asdict(s) for s in samples],
            "eventwire_run_output": summaries,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
