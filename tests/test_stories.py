"""Stories on real articles: seed grouping, date inference, event merging, duplicates, windows, B-cubed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from eventwire.evaluation.stories import LabelledSet, load_labelled_set
from eventwire.records import Article, ArticleResult
from eventwire.stories import (
    StoryClusterer,
    StoryConfig,
    apply_inferred_dates,
    bcubed,
    cluster_stories,
    find_duplicates,
    merge_events,
    stream_stories,
)

WEDNESDAY = dt.date(2023, 5, 24)
LABELS = Path(__file__).parent / "data" / "stories_labelled.jsonl"


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path, resources) -> dict[str, ArticleResult]:
    """The seed articles through ingest, cleaning and the event pipeline, by file prefix."""
    from eventwire.ingest import read_inputs
    from eventwire.pipeline import BatchStats, clean_stream, process_articles

    paths = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    articles = [a for a in clean_stream(read_inputs(paths), BatchStats()) if isinstance(a, Article)]
    return {Path(r.article.path).name[:3]: r for r in process_articles(articles, resources)}


@pytest.fixture(scope="module")
def assignment(seeds):
    return cluster_stories(seeds.values())


def _ids(seeds, *keys: str) -> list[str]:
    return [seeds[k].article.article_id for k in keys]


def test_seed_stories(seeds, assignment) -> None:
    story = assignment.story_of
    beijing = {story[a] for a in _ids(seeds, "000", "001", "004")}
    assert len(beijing) == 1
    wang_yi, xi_putin = (story[a] for a in _ids(seeds, "002", "003"))
    assert len({*beijing, wang_yi, xi_putin}) == 3
    assert len(assignment.stories) == 3
    evidence = assignment.join_evidence[seeds["004"].article.article_id]
    assert evidence.reason == "same-happening" and evidence.parts["dyads"] >= StoryConfig().happening_dyads


def test_story_record_has_title_dates_and_summary(seeds, assignment) -> None:
    story = assignment.story(assignment.story_of[seeds["000"].article.article_id])
    members = {a: r.article for a, r in ((r.article.article_id, r) for r in seeds.values())}
    assert set(story.article_ids) == set(_ids(seeds, "000", "001", "004"))
    assert story.title in {members[a].title for a in story.article_ids}
    assert (story.first_seen, story.last_seen) == (WEDNESDAY, dt.date(2023, 5, 25))
    assert 3 <= len(story.summary) <= 5
    for sentence, article_id in story.summary:
        assert sentence in members[article_id].text
    assert len({a for _, a in story.summary}) >= 2  # drawn across the story's articles


def test_undated_article_gets_its_date_from_matching_sibling_events(seeds, assignment) -> None:
    undated = seeds["004"].article.article_id
    inferred = assignment.inferred_dates[undated]
    assert (inferred.date, inferred.precision, inferred.method) == (WEDNESDAY, "day", "inferred")
    evidence = assignment.date_evidence[undated]
    assert evidence.sibling_article_id in _ids(seeds, "000", "001")
    sibling = seeds["000"] if evidence.sibling_article_id == _ids(seeds, "000")[0] else seeds["001"]
    matched = next(e for e in sibling.events if e.event_id == evidence.sibling_event_id)
    assert matched.date.date == WEDNESDAY and matched.date.method in ("explicit", "relative")
    assert not set(_ids(seeds, "002", "003")) & set(assignment.inferred_dates)  # alone in their stories


def test_apply_inferred_dates_redates_relative_expressions(seeds, assignment) -> None:
    results = list(seeds.values())
    updated = {r.article.article_id: r for r in apply_inferred_dates(results, assignment)}
    undated = seeds["004"].article.article_id
    events = updated[undated].events
    wednesday = [e for e in events if re.search(r"\bon Wednesday\b", e.mentions[0].sentence)]
    assert wednesday and all(e.date.date == WEDNESDAY and e.date.method == "inferred" for e in wednesday)
    assert all(e.date.date is None for e in seeds["004"].events if e.date.method != "background")  # copies
    assert updated[undated].article.published is None
    assert updated[seeds["000"].article.article_id] is seeds["000"]


def test_merge_events_across_the_story(seeds, assignment) -> None:
    results = list(seeds.values())
    before = sum(len(r.events) for r in results)
    merged = merge_events(results, assignment)
    assert len(merged) < before
    assert sum(len(c.member_event_ids) for c in merged) == before
    all_mentions = {(m.article_id, m.start, m.end) for r in results for e in r.events for m in e.mentions}
    assert {(m.article_id, m.start, m.end) for c in merged for m in c.event.mentions} == all_mentions

    visit = [
        c
        for c in merged
        if c.event.code.plover == "CONSULT"
        and c.event.source.name == "Mikhail Mishustin"
        and c.event.target is not None
        and c.event.target.country == "CHN"
        and len(c.article_ids) >= 2
    ]
    assert visit, "the visit reported by 001 (dated) and 004 (undated) is one canonical event"
    assert visit[0].event.date.date == WEDNESDAY  # the most specific date wins
    assert visit[0].sources == 2  # no outlets: each article counts once


def test_merge_keeps_stories_apart(seeds, assignment) -> None:
    merged = merge_events(seeds.values(), assignment)
    assert len({c.story_id for c in merged}) == 3  # canonical events in each of the three seed stories
    for canonical in merged:
        stories = {assignment.story_of[a] for a in canonical.article_ids}
        assert stories == {canonical.story_id}


def test_syndicated_copy_with_small_edits_is_a_duplicate(seeds) -> None:
    original = seeds["004"].article
    edited = original.text.replace("Chinese President", "China's President", 1).replace("Wednesday", "Weds", 2)
    sentences = edited.split("\n\n")
    copy = Article(article_id="copy-004", text="\n\n".join(sentences[:-2]) + "\n\n(AFP) Copyright 2023.")
    articles = [seeds["001"].article, original, copy, seeds["000"].article]
    groups = find_duplicates(articles)
    assert groups["copy-004"] == original.article_id
    assert groups[seeds["001"].article.article_id] == seeds["001"].article.article_id
    assert groups[seeds["000"].article.article_id] == seeds["000"].article.article_id

    dated_copy = ArticleResult(article=replace(copy, published=WEDNESDAY))
    assignment = cluster_stories([seeds["003"], dated_copy, _dated(seeds["004"], WEDNESDAY, "004")])
    assert assignment.join_evidence["copy-004"].reason == "duplicate"
    assert assignment.story_of["copy-004"] == assignment.story_of["004"]


def _dated(result: ArticleResult, day: dt.date, article_id: str) -> ArticleResult:
    article = replace(result.article, published=day, article_id=article_id)
    return ArticleResult(article=article, events=result.events)


def test_window_closes_stories_for_dated_articles(seeds) -> None:
    first = _dated(seeds["001"], dt.date(2023, 5, 25), "a")
    near = _dated(seeds["004"], dt.date(2023, 5, 26), "b")
    far = _dated(seeds["004"], dt.date(2023, 6, 10), "c")
    together = cluster_stories([first, near])
    assert together.story_of["a"] == together.story_of["b"]
    apart = cluster_stories([first, far])
    assert apart.story_of["a"] != apart.story_of["c"]


def test_undated_article_joins_a_closed_story(seeds) -> None:
    later = _dated(seeds["003"], dt.date(2023, 9, 1), "later")
    stream = [seeds["000"], seeds["001"], later, seeds["004"]]  # 004 sits next to a September article
    assignment = cluster_stories(stream)
    assert assignment.story_of[seeds["004"].article.article_id] == assignment.story_of[seeds["000"].article.article_id]


def test_streaming_clusterer_matches_batch(seeds, assignment) -> None:
    """The dated seeds fed one at a time to the clusterer form the stories `cluster_stories` gives them."""
    clusterer = StoryClusterer()
    dated = sorted((r for r in seeds.values() if r.article.published), key=lambda r: r.article.published)
    ids = {r.article.article_id: clusterer.add(r) for r in dated}
    assert ids == {a: s for a, s in assignment.story_of.items() if a in ids}
    with pytest.raises(ValueError, match="without a publication date"):
        clusterer.add(seeds["004"])


def test_bcubed() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert bcubed({"a": 1, "b": 1, "c": 2, "d": 2}, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed({"a": 1, "b": 1, "c": 1, "d": 1}, gold)
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    p, r, _ = bcubed({}, gold)
    assert (p, r) == (1.0, 0.5)


@pytest.fixture(scope="module")
def labelled(data_dir: Path) -> LabelledSet:
    return load_labelled_set(data_dir, LABELS)


def test_labelled_story_set_quality_on_the_test_split(labelled: LabelledSet) -> None:
    """Text-only clustering of the labelled set (scripts/make_story_set.py), scored on the part not tuned on."""
    assert len(labelled.articles) == 143 and len(set(labelled.gold.values())) == 65
    assert len(labelled.part(split="test")) == 62 and len(labelled.part(source="reuters21578")) == 64
    predicted = cluster_stories(ArticleResult(article=a) for a in labelled.articles).story_of
    precision, recall, f1 = bcubed(predicted, labelled.gold, items=labelled.part(split="test"))
    assert precision >= 0.94 and recall >= 0.8 and f1 >= 0.87, (precision, recall, f1)


def test_story_evaluation_reports_each_split_beside_the_baseline(data_dir: Path) -> None:
    """What `eventwire eval --only stories` prints, without the pipeline: B-cubed per part."""
    from eventwire.evaluation.stories import evaluate_stories

    result = evaluate_stories(data_dir, LABELS)
    assert result["n_by_part"] == {"all": 143, "tune": 81, "test": 62, "corpus": 74, "reuters": 64, "seeds": 5}
    assert set(result["text_only"]) == {"all", "tune", "test", "corpus", "reuters", "seeds"}
    assert result["singletons"]["test"][0] == 1.0  # every article alone: never wrong, recall low
    precision, recall, f1 = result["text_only"]["test"]
    assert f1 > result["singletons"]["test"][2] + 0.2 and precision >= 0.94, (precision, recall, f1)
    assert "pipeline" not in result  # only with the pipeline's resources


def _reuters(labelled: LabelledSet, story: str) -> list[ArticleResult]:
    return [ArticleResult(article=a) for a in labelled.articles if labelled.gold[a.article_id] == story]


def _reuters_all(labelled: LabelledSet) -> list[ArticleResult]:
    return [ArticleResult(article=a) for a in labelled.articles if labelled.source[a.article_id] == "reuters21578"]


def test_a_dispute_reported_day_after_day_for_two_weeks_stays_one_story(labelled: LabelledSet) -> None:
    """The US-Japan chip dispute: 11 Reuters reports from 19 March to 2 April 1987, among 53 others."""
    assignment = cluster_stories(_reuters_all(labelled))
    chips = [r.article.article_id for r in _reuters(labelled, "reuters-us-japan-chip-dispute")]
    (story_id,) = {assignment.story_of[a] for a in chips}
    story = assignment.story(story_id)
    assert sorted(story.article_ids) == sorted(chips)  # nothing else joined it
    span = (story.last_seen - story.first_seen).days
    assert span == 14 and span > StoryConfig().window_days  # the gap counts from the latest report


def test_a_story_splits_when_its_reports_stop(labelled: LabelledSet) -> None:
    """The same reports with a silence longer than the gap after 26 March: the story ends at the silence."""
    chips = {r.article.article_id for r in _reuters(labelled, "reuters-us-japan-chip-dispute")}
    silence = dt.timedelta(days=StoryConfig().window_days + 3)
    cut = dt.date(1987, 3, 26)
    stream = [
        ArticleResult(replace(r.article, published=r.article.published + silence))
        if r.article.article_id in chips and r.article.published > cut
        else r
        for r in _reuters_all(labelled)
    ]
    assignment = cluster_stories(stream)
    moved = [r for r in stream if r.article.article_id in chips]
    before = {assignment.story_of[r.article.article_id] for r in moved if r.article.published <= cut}
    after = {assignment.story_of[r.article.article_id] for r in moved if r.article.published > cut}
    assert len(before) == 1 and not before & after  # nothing after the silence joins the story before it


def test_undated_report_joins_only_on_strong_evidence(labelled: LabelledSet) -> None:
    """Without a date, text alike enough for a dated join is not enough: a rewritten copy is."""
    stream = [r for r in _reuters_all(labelled) if r.article.article_id != "reu-8252"]
    report = next(r.article for r in stream if r.article.article_id == "reu-10608")
    other = next(a for a in labelled.articles if a.article_id == "reu-8252")  # 23 March: the same dispute
    undated = replace(other, article_id="undated", published=None)
    rewritten = replace(
        report,
        article_id="rewritten",
        published=None,
        text=report.text.replace("reacted angrily", "responded with anger").replace("premature", "hasty"),
    )
    assignment = cluster_stories([*stream, ArticleResult(undated)])
    original = assignment.story_of["reu-10608"]
    loose = assignment.join_evidence["undated"]
    assert assignment.story_of["undated"] != original and loose.reason == "new"
    assert loose.parts["text"] >= StoryConfig().threshold  # a dated report this close would have joined

    stream = [r for r in stream if r.article.article_id != "reu-10608"]
    copies = cluster_stories([*stream, ArticleResult(report), ArticleResult(rewritten)])
    assert copies.story_of["rewritten"] == copies.story_of["reu-10608"]
    assert copies.join_evidence["rewritten"].reason in ("duplicate", "rewrite")


def test_dated_report_joins_an_undated_story_only_on_the_same_happening(seeds) -> None:
    """004 (undated) comes first; 001 reports the same visit and they make one story, 002 (another visit) does not.

    Whatever the order, the join between an undated and a dated report is decided on the same happening.
    """
    for stream in ([seeds["004"], seeds["001"], seeds["002"]], [seeds["002"], seeds["001"], seeds["004"]]):
        assignment = cluster_stories(stream)
        story = assignment.story_of
        assert story[seeds["001"].article.article_id] == story[seeds["004"].article.article_id]
        assert assignment.join_evidence[seeds["004"].article.article_id].reason == "same-happening"
        assert story[seeds["002"].article.article_id] != story[seeds["004"].article.article_id]


@pytest.mark.slow
def test_seeds_mixed_with_unrelated_articles_keep_their_stories(
    tmp_path: Path, seeds_dir: Path, data_dir: Path
) -> None:
    """The seeds stored in one run with 150 Times of India articles: {000, 001, 004}, {002}, {003}.

    003 (the September 2022 Xi-Putin meeting, undated) used to join the May 2023 Mishustin story
    once other articles were around; the run stores the Indian articles first, then the seeds,
    and the same stored articles are clustered again with the seeds first.
    """
    from typer.testing import CliRunner

    from eventwire.cli import app
    from eventwire.store import open_repository
    from eventwire.store.corpus import article_dates, iter_stories, load_results

    corpus = tmp_path / "toi.jsonl"
    with (data_dir / "corpora" / "indiapoliceevents_docs.jsonl").open(encoding="utf-8") as handle:
        corpus.write_text("".join(line for _, line in zip(range(150), handle, strict=False)), encoding="utf-8")
    db = tmp_path / "mixed.db"
    result = CliRunner().invoke(app, ["run", str(corpus), str(seeds_dir), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output

    repo = open_repository(db)
    with repo.engine.connect() as connection:
        stored = load_results(connection, [article_id for article_id, _ in article_dates(connection)])
    seed_ids = {Path(r.article.path).name[:3]: r.article.article_id for r in stored if r.article.path.endswith(".txt")}
    assert len(stored) == 155 and sorted(seed_ids) == ["000", "001", "002", "003", "004"]
    stored_story = {a: s["story_id"] for s in iter_stories(repo.engine) for a in s["article_ids"]}
    seeds_first = sorted(stored, key=lambda r: r.article.article_id not in seed_ids.values())
    for story_of in (stored_story, cluster_stories(seeds_first).story_of):
        groups = {}
        for key, article_id in seed_ids.items():
            groups.setdefault(story_of[article_id], []).append(key)
        assert sorted(groups.values()) == [["000", "001", "004"], ["002"], ["003"]]
        mishustin = story_of[seed_ids["000"]]
        assert [a for a, s in story_of.items() if s == mishustin and a not in seed_ids.values()] == []


def test_stream_yields_each_story_once_it_falls_behind(seeds) -> None:
    """A story is written out as soon as the stream is retire_after_days past it; few articles are held."""
    consumed: list[str] = []
    keys = ("000", "002", "003", "001")

    def weekly():
        for week in range(12):
            day = dt.date(2023, 1, 2) + dt.timedelta(weeks=week)
            consumed.append(f"w{week}")
            yield _dated(seeds[keys[week % 4]], day, f"w{week}")

    held_most = 0
    finished = []
    # a 3-day gap: reports on Russia and China a week apart would otherwise make one story
    for story in stream_stories(weekly(), StoryConfig(batch_size=1, window_days=3)):
        finished.append(story)
        held_most = max(held_most, len(consumed) - sum(len(f.results) for f in finished))
    assert finished[0].assignment.stories[0].article_ids == ["w0"]
    assert [r.article.article_id for f in finished for r in f.results] == [f"w{i}" for i in range(12)]
    assert held_most <= 4  # two weeks of articles, not the whole stream
    assert len(finished) == 12  # a copy weeks later no longer joins its retired original


def test_cluster_stories_does_not_depend_on_input_order(seeds, assignment) -> None:
    backwards = cluster_stories(list(seeds.values())[::-1])
    assert backwards.story_of == assignment.story_of
    assert [s.title for s in backwards.stories] == [s.title for s in assignment.stories]


def test_a_daily_recurring_story_is_cut_at_the_span_cap(seeds) -> None:
    """The same report every day for a month is not one happening: no story spans more than two weeks."""
    start = dt.date(2023, 3, 1)
    daily = [_dated(seeds["001"], start + dt.timedelta(days=d), f"d{d}") for d in range(30)]
    assignment = cluster_stories(daily)
    assert len(assignment.stories) >= 2
    for story in assignment.stories:
        assert (story.last_seen - story.first_seen).days <= StoryConfig().max_span_days


def test_candidate_ties_are_broken_by_story_id_not_by_hash_order() -> None:
    """More open stories share a key than are scored: the kept ones must not depend on the hash seed."""
    clusterer = StoryClusterer()
    limit = clusterer.config.max_candidates
    story_ids = [f"st-{i:03d}" for i in range(limit + 10)]
    clusterer._open_index["tpolice"] = set(story_ids)
    clusterer._open_index["tcourt"] = {story_ids[-1]}
    candidates = clusterer._candidates(["tpolice", "tcourt"])
    assert candidates == [story_ids[-1], *story_ids[: limit - 1]]


def test_headlines_separate_two_intertwined_takeover_stories() -> None:
    """Reuters-21578, March 1987: TWA's bid for USAir and USAir's takeover of Piedmont share their
    companies and words. USAir's "no comment on TWA offer" report (same day as both stories' first
    reports) goes to the TWA story through its headline; without the headline channel its text puts it
    with Piedmont's board meeting."""
    import json

    from eventwire.evaluation.stories import reuters_article
    from eventwire.stories.cluster import DEFAULT_WEIGHTS

    rows = [json.loads(line) for line in (Path(__file__).parent / "data" / "stories_labelled.jsonl").open()]
    stories = {"reuters-twa-bids-for-usair", "reuters-usair-buys-piedmont"}
    results = [ArticleResult(article=reuters_article(r)) for r in rows if r.get("story") in stories]
    assert len(results) == 19
    with_titles = cluster_stories(results)
    assert with_titles.story_of["reu-1771"] == with_titles.story_of["reu-1735"]  # TWA makes merger offer for USAir
    assert with_titles.story_of["reu-1771"] != with_titles.story_of["reu-1562"]  # Piedmont board to meet today
    without = cluster_stories(results, StoryConfig(weights={**DEFAULT_WEIGHTS, "title": 0.0}))
    assert without.story_of["reu-1771"] == without.story_of["reu-1562"]
