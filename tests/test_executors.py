"""Parallel executors give the same records as inline runs; partitioned Parquet reads back whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.executors import Executor, ExecutorError, ExecutorSpec, parse_executor
from eventwire.records import RawArticle

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
runner = CliRunner()


def test_executor_specs_parse_and_bad_ones_are_refused() -> None:
    assert parse_executor("inline") == ExecutorSpec("inline")
    assert parse_executor("local:4") == ExecutorSpec("local", workers=4)
    assert parse_executor("dask-local:2") == ExecutorSpec("dask-local", workers=2)
    assert parse_executor("dask://scheduler:8786") == ExecutorSpec("dask", address="scheduler:8786")
    assert str(parse_executor("dask://10.0.0.5:8786")) == "dask://10.0.0.5:8786"
    for bad in ("local", "local:0", "threads:2", "dask:/x", ""):
        with pytest.raises(ExecutorError):
            parse_executor(bad)


class _Recording(Executor):
    """Completes chunks when asked, recording how many were outstanding at most."""

    in_flight = 3

    def __init__(self) -> None:
        self.outstanding = 0
        self.most = 0

    def _submit(self, chunk, batch_size):
        self.outstanding += 1
        self.most = max(self.most, self.outstanding)
        return chunk

    def _result(self, handle):
        self.outstanding -= 1
        return [article.article_id for article in handle]


def test_results_come_back_in_input_order_with_bounded_chunks_in_flight() -> None:
    chunks = [[RawArticle(article_id=f"{i}-{j}", text="x") for j in range(2)] for i in range(10)]
    executor = _Recording()
    results = list(executor.map_chunks(iter(chunks)))
    assert results == [[f"{i}-0", f"{i}-1"] for i in range(10)]
    assert executor.most == 3


def _run(db: Path, seeds_dir: Path, *options: str) -> str:
    args = ["run", str(seeds_dir), str(EXAMPLES), "--db", str(db), "--quiet", "--chunk-size", "3", *options]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def _export(db: Path, *args: str) -> list[dict]:
    result = runner.invoke(app, ["export", *args, "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _snapshot(db: Path) -> dict[str, list[dict]]:
    keys = {"events": "event_id", "articles": "article_id", "stories": "story_id", "claims": "claim_id"}
    exports = {
        "events": _export(db, "events", "--all-mentions"),
        "articles": _export(db, "articles"),
        "stories": _export(db, "stories"),
        "claims": _export(db, "claims"),
    }
    return {kind: sorted(rows, key=lambda row: json.dumps(row[keys[kind]])) for kind, rows in exports.items()}


@pytest.fixture(scope="module")
def inline_db(tmp_path_factory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("inline") / "inline.db"
    output = _run(db, seeds_dir)
    assert "12 new articles" in output
    return db


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["local:2", "dask-local:2"])
def test_parallel_runs_store_identical_records(executor: str, inline_db: Path, seeds_dir: Path, tmp_path) -> None:
    db = tmp_path / "parallel.db"
    output = _run(db, seeds_dir, "--executor", executor)
    assert "12 new articles" in output
    expected, got = _snapshot(inline_db), _snapshot(db)
    for kind in expected:
        assert len(got[kind]) == len(expected[kind]) > 0, kind
        assert got[kind] == expected[kind], kind


def test_rerun_with_executor_adds_nothing(inline_db: Path, seeds_dir: Path) -> None:
    output = _run(inline_db, seeds_dir, "--executor", "local:1")
    assert "0 new articles" in output
    assert "12 already stored" in output


def test_unknown_executor_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(EXAMPLES), "--db", str(tmp_path / "x.db"), "--executor", "gpu:9"])
    assert result.exit_code == 2
    assert "use inline, local:N" in result.output


def test_events_export_as_date_partitioned_parquet(inline_db: Path, tmp_path: Path) -> None:
    import pyarrow.dataset as ds

    events = _export(inline_db, "events", "--all-mentions")
    assert events
    out = tmp_path / "events"
    result = runner.invoke(
        app,
        ["export", "events", "--db", str(inline_db), "--all-mentions", "-f", "parquet", "--partition-by", "date",
         "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(events)
    dates = {e["date"] or "unknown" for e in events}
    assert {p.name for p in out.iterdir()} == {f"date={d}" for d in dates}
    assert all((out / f"date={d}" / "part-0.parquet").is_file() for d in dates)
    by_id = {row["event_id"]: row for row in table.to_pylist()}
    for event in events:
        assert by_id[event["event_id"]]["date"] == (event["date"] or "unknown")
        assert by_id[event["event_id"]]["cameo"] == event["cameo"]


def test_canonical_events_partitioned_by_month_read_by_duckdb(inline_db: Path, tmp_path: Path) -> None:
    import duckdb

    canonical = _export(inline_db, "events")
    out = tmp_path / "monthly"
    args = ["export", "events", "--db", str(inline_db), "-f", "parquet", "--partition-by", "month", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    months = {(e["date"] or "unknown")[:7] for e in canonical}
    assert {p.name for p in out.iterdir()} == {f"month={m}" for m in months}
    query = f"select count(*), count(distinct month) from read_parquet('{out}/*/*.parquet', hive_partitioning=true)"
    assert duckdb.connect().execute(query).fetchone() == (len(canonical), len(months))
    # Writing again replaces the partitions; a directory holding other files is refused.
    assert runner.invoke(app, args).exit_code == 0
    (out / "notes.txt").write_text("mine")
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "not empty" in refused.output


def test_partitioning_needs_parquet_and_a_directory(inline_db: Path) -> None:
    result = runner.invoke(app, ["export", "events", "--db", str(inline_db), "--partition-by", "date", "-o", "x"])
    assert result.exit_code == 2
    assert "needs --format parquet" in result.output


@pytest.mark.slow
def test_running_dask_scheduler_is_used_by_address(inline_db: Path, seeds_dir: Path, tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None, silence_logs=40) as cluster:
        db = tmp_path / "remote.db"
        output = _run(db, seeds_dir, "--executor", cluster.scheduler_address.replace("tcp://", "dask://"))
    assert "12 new articles" in output
    assert _snapshot(db)["events"] == _snapshot(inline_db)["events"]
