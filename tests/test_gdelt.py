"""`eventwire export events --format gdelt`: GDELT 2.0's event table, read back with GDELT's header by DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.store.gdelt import GDELT_COLUMNS, event_number, gdelt_row

runner = CliRunner()
#: GDELT's own types for the columns a script would compute with (the rest are read as text).
NUMERIC = {
    "GLOBALEVENTID": "BIGINT", "SQLDATE": "INTEGER", "MonthYear": "INTEGER", "Year": "INTEGER",
    "FractionDate": "DOUBLE", "IsRootEvent": "INTEGER", "QuadClass": "INTEGER", "GoldsteinScale": "DOUBLE",
    "NumMentions": "INTEGER", "NumSources": "INTEGER", "NumArticles": "INTEGER", "AvgTone": "DOUBLE",
    "ActionGeo_Type": "INTEGER", "ActionGeo_Lat": "DOUBLE", "ActionGeo_Long": "DOUBLE", "DATEADDED": "BIGINT",
}  # fmt: skip


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("gdelt") / "seeds.db"
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_the_table_has_gdelt_s_61_columns_in_order() -> None:
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    )  # fmt: skip
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_an_igo_actor_gets_its_known_group_code_and_a_city_its_fips_country() -> None:
    event = {"event_id": "ce-1", "date": "2024-02-29", "cameo": "0431", "quad_class": 1, "goldstein": 2.8,
             "source": {"text": "the UN", "name": "United Nations", "country": None, "sector": "IGO", "code": "IGOUNO"},
             "target": None, "sources": 1, "mentions": [{"article_id": "a1"}],
             "location": {"text": "Kyiv", "country": "UKR", "lat": 50.45466, "lon": 30.5238}}  # fmt: skip
    row = dict(zip(GDELT_COLUMNS, gdelt_row(event, {"url": "https://example.org/a1"}), strict=True))
    assert (row["Actor1Code"], row["Actor1KnownGroupCode"], row["Actor1Type1Code"]) == ("IGOUNO", "UNO", "IGO")
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("0431", "043", "04")
    assert (row["SQLDATE"], row["MonthYear"], row["FractionDate"]) == ("20240229", "202402", "2024.1616")
    assert (row["ActionGeo_Type"], row["ActionGeo_CountryCode"], row["ActionGeo_FullName"]) == ("4", "UP", "Kyiv")
    assert row["Actor2Code"] == "" and row["AvgTone"] == "" and row["SOURCEURL"] == "https://example.org/a1"
    assert row["GLOBALEVENTID"] == str(event_number("ce-1"))


def test_the_seed_export_loads_into_duckdb_with_gdelt_s_header(seeds_db: Path, tmp_path: Path) -> None:
    import duckdb

    out = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "events", "--db", str(seeds_db), "--format", "gdelt",
                                 "--min-confidence", "0", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    canonical = runner.invoke(app, ["export", "events", "--db", str(seeds_db), "--min-confidence", "0"])
    expected = [json.loads(line) for line in canonical.stdout.splitlines() if line.startswith("{")]
    columns = ", ".join(f"'{name}': '{NUMERIC.get(name, 'VARCHAR')}'" for name in GDELT_COLUMNS)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE g AS SELECT * FROM read_csv('{out}', delim='\\t', header=false, quote='', "
                f"escape='', columns={{{columns}}})")  # fmt: skip
    assert con.execute("SELECT count(*) FROM g").fetchone()[0] == len(expected) > 0
    meeting = con.execute(
        "SELECT * FROM g WHERE Actor1Code = 'RUSGOV' AND Actor2Code = 'CHNGOV' AND EventCode = '040' "
        "AND SQLDATE = 20230524 ORDER BY NumArticles DESC"
    )
    row = dict(zip(GDELT_COLUMNS, meeting.fetchone(), strict=True))
    assert (row["MonthYear"], row["Year"], row["QuadClass"], row["NumArticles"]) == (202305, 2023, 1, 2)
    assert row["Actor1Name"] == "MIKHAIL MISHUSTIN" and row["SOURCEURL"].endswith(".txt")
    assert con.execute("SELECT count(*) FROM g WHERE NOT regexp_full_match(EventCode, '[0-9]{3,4}')").fetchone() == (0,)

def test_gdelt_refuses_per_mention_rows(seeds_db: Path) -> None:
    result = runner.invoke(app, ["export", "events", "--db", str(seeds_db), "--format", "gdelt", "--all-mentions"])
    assert result.exit_code != 0 and "one row per canonical event" in result.output
