"""Evaluation of actor resolution against a table of actor strings with expected country and sector.

The table (e.g. `ngec/actor_resolution_dev.tsv` in the shared reference data) has columns
test, method, actor_text, context, date, exp_country, exp_code1, exp_wiki, other. Expected countries
may be pseudo-codes for international bodies (IGO, EUR for the EU, UNO for the UN system); those are
matched against the resolved organisation. Expected sectors UNK/JNK mean "no sector". Run as
`python -m eventwire.evaluation.actors [path]` to print the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.actors.resolve import ActorResolver
from eventwire.records import ActorRef

#: Expected-country pseudo-codes for international bodies -> organisation codes that satisfy them.
ORG_FAMILIES = {
    "EUR": {"EU", "EC", "EUCO", "EP", "ECB", "FRONTEX", "EUROPOL"},
    "UNO": {"UN"},
    "NAT": {"NATO"},
}
NO_SECTOR = {"UNK", "JNK"}
UNKNOWN_EXPECTATION = "????"
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y")
DEV_FILE = Path("ngec") / "actor_resolution_dev.tsv"


def evaluate_actor_resolution(path: str | Path, resolver: ActorResolver | None = None) -> dict[str, Any]:
    """Resolve every row of the table and report country, sector and overall accuracy with baselines."""
    resolver = resolver or ActorResolver()
    rows = read_rows(path)
    results = [score_row(row, resolve_row(row, resolver), resolver) for row in rows]
    return summarise(rows, results)


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """The evaluation table as a list of dicts (tab-separated, header row)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh, delimiter="\t")]


def parse_row_date(text: str) -> dt.date | None:
    """Dates as written in the table; empty or "today" means the current date (None)."""
    if not text or text.lower() == "today":
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def resolve_row(row: dict[str, str], resolver: ActorResolver) -> ActorRef:
    """Resolve the actor text; a context string may supply the country the text leaves open."""
    date = parse_row_date(row.get("date", ""))
    ref = resolver.resolve_text(row["actor_text"], date)
    if ref.country is None and row.get("context"):
        hint = resolver.resolve_text(row["context"], date)
        if hint.country:
            ref.country = hint.country
    return ref


def score_row(row: dict[str, str], ref: ActorRef, resolver: ActorResolver) -> dict[str, Any]:
    """Per-row verdicts: None where the row expects nothing of that kind."""
    country_ok = country_correct(row["exp_country"], ref, resolver) if row["exp_country"] else None
    sector_expected = row["exp_code1"] and row["exp_code1"] != UNKNOWN_EXPECTATION
    sector_ok = sector_correct(row["exp_code1"], ref) if sector_expected else None
    constraint_ok = constraints_correct(row.get("other", ""), ref)
    return {
        "test": row["test"],
        "text": row["actor_text"],
        "country": ref.country,
        "sector": ref.sector,
        "name": ref.name,
        "country_ok": country_ok,
        "sector_ok": sector_ok,
        "constraint_ok": constraint_ok,
    }


def country_correct(expected: str, ref: ActorRef, resolver: ActorResolver) -> bool:
    if expected == "IGO":
        return ref.sector == "IGO" or _org_code(ref, resolver) is not None and ref.country is None
    if expected in ORG_FAMILIES:
        return _org_family(ref, resolver) == expected
    return ref.country == expected


def sector_correct(expected: str, ref: ActorRef) -> bool:
    if expected in NO_SECTOR:
        return ref.sector is None
    return ref.sector == expected


def constraints_correct(other: str, ref: ActorRef) -> bool | None:
    """The `other` column's JSON constraints (e.g. {"country_NotEq": "GBR"})."""
    try:
        constraints = json.loads(other) if other else {}
    except json.JSONDecodeError:
        return None
    if "country_NotEq" in constraints:
        return ref.country != constraints["country_NotEq"]
    return None


def _org_code(ref: ActorRef, resolver: ActorResolver) -> str | None:
    actor = resolver.kb.actor(ref.actor_id) if ref.actor_id else None
    return actor.code if actor is not None and actor.kind != "country" else None


def _org_family(ref: ActorRef, resolver: ActorResolver) -> str | None:
    actor = resolver.kb.actor(ref.actor_id) if ref.actor_id else None
    if actor is None:
        return None
    codes = {actor.code, actor.parent}
    codes |= {r.org for r in actor.roles if r.org}
    return next((family for family, members in ORG_FAMILIES.items() if codes & members), None)


def summarise(rows: list[dict[str, str]], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracies, majority-class baselines and the list of misses."""
    country_rows = [r for r in results if r["country_ok"] is not None]
    sector_rows = [r for r in results if r["sector_ok"] is not None]
    scored = [r for r in results if _verdicts(r)]
    countries = Counter(row["exp_country"] for row in rows if row["exp_country"])
    sectors = Counter(row["exp_code1"] for row in rows if row["exp_code1"] and row["exp_code1"] != "????")
    top_country = countries.most_common(1)[0] if countries else ("", 0)
    top_sector = sectors.most_common(1)[0] if sectors else ("", 0)
    return {
        "n": len(results),
        "country": {
            "n": len(country_rows),
            "accuracy": _share(country_rows, "country_ok"),
            "baseline": _ratio(top_country[1], len(country_rows)),
            "baseline_label": top_country[0],
        },
        "sector": {
            "n": len(sector_rows),
            "accuracy": _share(sector_rows, "sector_ok"),
            "baseline": _ratio(top_sector[1], len(sector_rows)),
            "baseline_label": top_sector[0],
        },
        "overall": {
            "n": len(scored),
            "accuracy": _ratio(sum(all(_verdicts(r)) for r in scored), len(scored)),
            "baseline": _ratio(_baseline_overall(rows, top_country[0], top_sector[0]), len(scored)),
        },
        "errors": [r for r in scored if not all(_verdicts(r))],
    }


def _verdicts(result: dict[str, Any]) -> list[bool]:
    return [v for v in (result["country_ok"], result["sector_ok"], result["constraint_ok"]) if v is not None]


def _baseline_overall(rows: list[dict[str, str]], country: str, sector: str) -> int:
    """Rows fully right when always answering the majority country and the majority sector."""
    hits = 0
    for row in rows:
        verdicts = []
        if row["exp_country"]:
            verdicts.append(row["exp_country"] == country)
        if row["exp_code1"] and row["exp_code1"] != UNKNOWN_EXPECTATION:
            verdicts.append(row["exp_code1"] == sector)
        if row.get("other") and "country_NotEq" in row["other"]:
            verdicts.append(country not in row["other"])
        hits += bool(verdicts) and all(verdicts)
    return hits


def _share(results: list[dict[str, Any]], key: str) -> float:
    return _ratio(sum(bool(r[key]) for r in results), len(results))


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def default_dev_path() -> Path:
    """The dev table in the shared reference data ($EVENTWIRE_SHARED or ../shared/data)."""
    root = Path(os.environ.get("EVENTWIRE_SHARED") or Path(__file__).resolve().parents[3].parent / "shared" / "data")
    return root / DEV_FILE


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    report = evaluate_actor_resolution(args[0] if args else default_dev_path())
    errors = report.pop("errors")
    print(json.dumps(report, indent=2))
    for err in errors:
        print(f"  miss {err['test']:28} {err['text']!r:45} -> {err['country']} {err['sector']} ({err['name']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
