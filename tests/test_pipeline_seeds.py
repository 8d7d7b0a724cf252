"""The user's story on the five seed articles: run, export, re-run, inspect."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app

EVENT_KEYS = {
    "event_id",
    "date",
    "date_precision",
    "source",
    "target",
    "plover",
    "mode",
    "cameo",
    "goldstein",
    "quad_class",
    "location",
    "mentions",
    "confidence",
}
BOILERPLATE = [
    "Advertisement",
    "Source link",
    "source site-45",
    "Leave a Reply",
    "Your email address",
    "of this article left to read",
    "for subscribers only",
    "READ  Turkey",
    "To see in video",
]

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seeds_dir: Path, resources) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "5 new articles" in result.output
    return db


def _export(db: Path, kind: str, *options: str) -> list[dict]:
    result = runner.invoke(app, ["export", kind, "--db", str(db), "--format", "jsonl", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _articles_by_seed(db: Path) -> dict[str, dict]:
    return {Path(a["path"]).name[:3]: a for a in _export(db, "articles")}


def test_rerun_adds_nothing(seeds_db: Path, seeds_dir: Path) -> None:
    before = len(_export(seeds_db, "events", "--min-confidence", "0"))
    result = runner.invoke(app, ["run", str(seeds_dir), "--db", str(seeds_db), "--quiet"])
    assert result.exit_code == 0
    assert "0 new articles" in result.output and "5 already stored" in result.output
    assert len(_export(seeds_db, "events", "--min-confidence", "0")) == before


def test_events_follow_the_output_contract(seeds_db: Path) -> None:
    events = _export(seeds_db, "events", "--min-confidence", "0")
    assert events
    for event in events:
        assert set(event) >= EVENT_KEYS
        assert event["date_precision"] in ("day", "month", "year", "unknown")
        assert set(event["source"]) >= {"text", "name", "country", "sector", "code"}
        mention = event["mentions"][0]
        assert {"article_id", "sentence", "start", "end"} <= set(mention)


def test_exported_actors_carry_their_codes(seeds_db: Path) -> None:
    events = _export(seeds_db, "events", "--all-mentions")
    assert all("code" in event["source"] for event in events)
    mishustin = [side for e in events for side in (e["source"], e["target"])
                 if side and side["name"] == "Mikhail Mishustin"]
    assert mishustin and {side["code"] for side in mishustin} == {"RUSGOV"}
    for side in (side for e in events for side in (e["source"], e["target"]) if side and side["country"]):
        assert side["code"] == side["country"] + (side["sector"] or ""), side


def test_mention_offsets_point_into_the_cleaned_text(seeds_db: Path) -> None:
    texts = {a["article_id"]: a["text"] for a in _export(seeds_db, "articles")}
    events = _export(seeds_db, "events", "--min-confidence", "0")
    assert len(texts) == 5 and events
    for event in events:
        assert event["mentions"], event
        for m in event["mentions"]:
            assert texts[m["article_id"]][m["start"] : m["end"]] == m["sentence"]


def test_beijing_meetings_are_consult_events_between_china_and_russia(seeds_db: Path) -> None:
    meetings = [
        e
        for e in _export(seeds_db, "events", "--min-confidence", "0")
        if e["plover"] == "CONSULT"
        and e["target"]
        and {e["source"]["country"], e["target"]["country"]} == {"CHN", "RUS"}
        and e["date"] == "2023-05-24"
    ]
    names = {n for e in meetings for n in (e["source"]["name"], e["target"]["name"])}
    assert "Mikhail Mishustin" in names
    assert names & {"Xi Jinping", "Li Qiang"}


def test_michoustin_is_mishustin(seeds_db: Path) -> None:
    seed_004 = _articles_by_seed(seeds_db)["004"]["article_id"]
    actors = [
        side
        for e in _export(seeds_db, "events", "--all-mentions")
        if e["mentions"][0]["article_id"] == seed_004
        for side in (e["source"], e["target"])
        if side and "Michoustin" in side["text"]
    ]
    assert actors
    assert all((a["name"], a["country"], a["sector"]) == ("Mikhail Mishustin", "RUS", "GOV") for a in actors)


def test_undated_articles_get_no_invented_dates(seeds_db: Path) -> None:
    articles = _articles_by_seed(seeds_db)
    undated = {articles[k]["article_id"] for k in ("002", "003", "004")}
    assert all(articles[k]["published"] is None for k in ("002", "003", "004"))
    events = [e for e in _export(seeds_db, "events", "--all-mentions") if e["mentions"][0]["article_id"] in undated]
    assert {e["mentions"][0]["article_id"] for e in events} == undated, "every undated seed reports events"
    weekdays = [e for e in events if re.search(r"\bon (Monday|Wednesday)\b", e["mentions"][0]["sentence"], re.I)]
    assert weekdays, "seeds 003 and 004 report events 'on Monday' and 'on Wednesday'"
    assert [e["date"] for e in weekdays] == [None] * len(weekdays), "a weekday without a publication date dates nothing"
    # only a sentence that states its year may date an event of an undated article
    invented = [e for e in events if e["date"] and not re.search(r"\b(19|20)\d\d\b", e["mentions"][0]["sentence"])]
    assert invented == []


def test_no_boilerplate_survives_cleaning(seeds_db: Path) -> None:
    articles = _export(seeds_db, "articles")
    assert len(articles) == 5
    for article in articles:
        for phrase in BOILERPLATE:
            assert phrase not in article["text"], (article["path"], phrase)
    removed = [r["text"] for a in _export(seeds_db, "articles") for r in a["removed"]]
    assert any("Source link" in r for r in removed)


def test_show_article_lists_removed_lines(seeds_db: Path) -> None:
    seed_002 = _articles_by_seed(seeds_db)["002"]["article_id"]
    result = runner.invoke(app, ["show", "article", seed_002[:8], "--db", str(seeds_db), "--removed"])
    assert result.exit_code == 0, result.output
    assert "Leave a Reply" in result.output


def test_code_command_puts_the_main_event_first(resources) -> None:
    line = json.dumps(
        {
            "id": "s1",
            "text": "Xi Jinping met Russian Prime Minister Mikhail Mishustin in Beijing on Wednesday.",
            "date": "2023-05-24",
        }
    )
    result = runner.invoke(app, ["code"], input=line + "\nThe army shelled the town.\n")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert first["id"] == "s1" and second["id"] == "2"
    main = first["events"][0]
    assert main["plover"] == "CONSULT" and main["date"] == "2023-05-24"
    assert (main["source"]["country"], main["target"]["name"]) == ("CHN", "Mikhail Mishustin")
    assert main["location"]["country"] == "CHN"


def test_seed_stories_group_the_mishustin_articles(seeds_db: Path) -> None:
    seeds = {k: a["article_id"] for k, a in _articles_by_seed(seeds_db).items()}
    stories = {frozenset(s["article_ids"]) for s in _export(seeds_db, "stories")}
    assert frozenset({seeds["000"], seeds["001"], seeds["004"]}) in stories
    assert frozenset({seeds["002"]}) in stories and frozenset({seeds["003"]}) in stories


def test_canonical_events_merge_reports_across_outlets(seeds_db: Path) -> None:
    canonical = _export(seeds_db, "events", "--min-confidence", "0")
    per_mention = _export(seeds_db, "events", "--all-mentions")
    assert len(canonical) < len(per_mention)
    assert all({"story_id", "sources"} <= set(e) for e in canonical)
    corroborated = [e for e in canonical if len({m["article_id"] for m in e["mentions"]}) > 1]
    assert corroborated and all(e["sources"] >= 2 for e in corroborated)


def test_trade_figures_are_compared_across_sources(seeds_db: Path) -> None:
    claims = [c for c in _export(seeds_db, "claims") if c["kind"] == "money" and not c["converted_from"]]
    trade_2022 = [c for c in claims if c["period_start"] == "2022-01-01" and c["subject"].startswith("trade")]
    assert len(trade_2022) >= 3 and {c["status"] for c in trade_2022} == {"agree"}
    early_2023 = [c for c in claims if c["period_start"] == "2023-01-01" and c["period_end"] == "2023-04-30"]
    assert {c["value"] for c in early_2023} >= {73.15e9, 70e9}
    assert {c["status"] for c in early_2023} == {"disagree"}


def test_code_falls_back_to_the_sentence_classifier(resources) -> None:
    line = json.dumps({"id": "v", "text": "The Fijian rebels vowed to free Prime Minister Mahendra Chaudhry."})
    result = runner.invoke(app, ["code"], input=line + "\n")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    assert events and events[0]["source"]["country"] == "FJI"
    assert events[0]["quad_class"] in (1, 2)


def test_corpus_stage_reads_back_page_by_page_with_the_same_result(seeds_db: Path, tmp_path: Path, resources) -> None:
    from eventwire.pipeline import build_corpus
    from eventwire.store import open_repository

    copy = tmp_path / "copy.db"
    shutil.copy(seeds_db, copy)
    kinds = (("stories",), ("events",), ("claims",))
    before = [_export(copy, *kind) for kind in kinds]
    repo = open_repository(str(copy))
    stats = build_corpus(repo.engine, page_size=1)
    repo.close()
    assert (stats.articles, stats.stories, stats.inferred_dates) == (5, 3, 1)
    assert stats.claim_groups >= 2
    assert [_export(copy, *kind) for kind in kinds] == before
