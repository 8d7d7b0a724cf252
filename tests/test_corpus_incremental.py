"""The incremental corpus stage on real articles: any order and batching of runs equals one rebuild.

The seeds and labelled Times of India articles (several multi-article stories, dated and undated)
go through the per-article pipeline once; each example then stores them in a fresh SQLite
database in a hypothesis-chosen order and batches, running the corpus stage after every batch,
and compares stories, canonical events and claims with one full rebuild.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.records import Article, ArticleResult

LABELS = Path(__file__).parent / "data" / "stories_labelled.jsonl"
TOI_ARTICLES = 24


@pytest.fixture(scope="module")
def processed(seeds_dir: Path, data_dir: Path, resources) -> list[ArticleResult]:
    """Seeds plus labelled Times of India articles, through the real per-article pipeline once."""
    from eventwire.ingest import read_inputs
    from eventwire.pipeline import BatchStats, clean_stream, process_articles

    paths = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    articles = [a for a in clean_stream(read_inputs(paths), BatchStats()) if isinstance(a, Article)]
    docs = {}
    with (data_dir / "corpora" / "indiapoliceevents_docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            docs[doc["doc_id"]] = doc
    rows = [json.loads(line) for line in LABELS.open(encoding="utf-8")]
    doc_ids = sorted(r["doc_id"] for r in rows if r.get("source") == "indiapoliceevents")[:TOI_ARTICLES]
    for doc_id in doc_ids:
        text = docs[doc_id]["doc_text"]
        match = re.match(r"This story is from (\w+ \d{1,2}, \d{4})\s*", text)
        published = dt.datetime.strptime(match.group(1), "%B %d, %Y").date() if match else None
        body = text[match.end() :] if match else text
        articles.append(Article(article_id=f"ipe-{doc_id}", text=body, published=published, outlet="toi"))
    return list(process_articles(articles, resources))


def _corpus(db: Path) -> dict[str, list]:
    from eventwire.store import corpus, open_repository

    repo = open_repository(str(db))
    try:
        claims = [
            {k: c[k] for k in ("claim_id", "story_id", "group_id", "status", "period_start")}
            for c in corpus.iter_claims(repo.engine)
        ]
        return {
            "stories": list(corpus.iter_stories(repo.engine)),
            "events": list(corpus.iter_canonical_events(repo.engine)),
            "claims": sorted(claims, key=lambda c: c["claim_id"]),
        }
    finally:
        repo.close()


def _store(db: Path, batches: list[list[ArticleResult]], rebuild: bool = False):
    from eventwire.pipeline import build_corpus
    from eventwire.store import open_repository

    repo = open_repository(str(db))
    try:
        stats = []
        for batch in batches:
            repo.save_results(batch)
            stats.append(build_corpus(repo.engine, rebuild=rebuild))
        return stats
    finally:
        repo.close()


@pytest.fixture(scope="module")
def rebuilt(processed, resources, tmp_path_factory) -> dict[str, list]:
    db = tmp_path_factory.mktemp("rebuild") / "all.db"
    _store(db, [processed], rebuild=True)
    return _corpus(db)


def test_rebuild_groups_the_seeds_and_the_labelled_stories(processed, rebuilt) -> None:
    ids = {Path(r.article.path).name[:3]: r.article.article_id for r in processed if r.article.path}
    members = {a: s["story_id"] for s in rebuilt["stories"] for a in s["article_ids"]}
    assert members[ids["000"]] == members[ids["001"]] == members[ids["004"]]
    assert len({members[ids["000"]], members[ids["002"]], members[ids["003"]]}) == 3
    assert len(members) == len(processed)
    multi = [s for s in rebuilt["stories"] if len(s["article_ids"]) > 1 and s["article_ids"][0].startswith("ipe-")]
    assert multi  # the labelled set holds stories of several reports
    assert any(e["sources"] >= 2 for e in rebuilt["events"])


def test_a_late_article_is_clustered_as_if_it_came_first(processed, rebuilt, resources, tmp_path: Path) -> None:
    """The oldest dated article arriving last, after everything else was clustered and saved: re-played."""
    dated = sorted((r for r in processed if r.article.published), key=lambda r: r.article.published)
    oldest = dated[0]
    rest = [r for r in processed if r is not oldest]
    stats = _store(tmp_path / "late.db", [rest[: len(rest) // 2], rest[len(rest) // 2 :], [oldest]])
    assert stats[-1].rebuilt
    assert _corpus(tmp_path / "late.db") == rebuilt


def test_a_new_day_touches_only_the_reopened_window(processed, rebuilt, resources, tmp_path: Path) -> None:
    """Articles arriving in date order are added without re-playing the store, with the same result."""
    dated = sorted(
        (r for r in processed if r.article.published), key=lambda r: (r.article.published, r.article.article_id)
    )
    undated = [r for r in processed if not r.article.published]
    batches = [dated[:8], dated[8:16], dated[16:] + undated]
    stats = _store(tmp_path / "ordered.db", batches)
    assert [s.rebuilt for s in stats] == [True, False, False]
    assert _corpus(tmp_path / "ordered.db") == rebuilt


def _dated_in_order(processed: list[ArticleResult]) -> list[ArticleResult]:
    return sorted(
        (r for r in processed if r.article.published), key=lambda r: (r.article.published, r.article.article_id)
    )


def test_a_feed_of_newer_days_re_plays_only_its_new_articles(processed, rebuilt, resources, tmp_path: Path) -> None:
    """Each run's articles are dated after everything stored: it resumes from the last run's state."""
    dated = _dated_in_order(processed)
    days = sorted({r.article.published for r in dated})
    assert len(days) >= 3
    cuts = [days[len(days) // 3], days[2 * len(days) // 3]]
    batches = [
        [r for r in dated if r.article.published < cuts[0]],
        [r for r in dated if cuts[0] <= r.article.published < cuts[1]],
        [r for r in dated if r.article.published >= cuts[1]],
    ]
    undated = [r for r in processed if not r.article.published]
    stats = _store(tmp_path / "feed.db", [*batches[:2], batches[2] + undated])
    assert [s.rebuilt for s in stats] == [True, False, False]
    assert [s.replayed for s in stats] == [len(b) for b in batches]
    assert _corpus(tmp_path / "feed.db") == rebuilt


def test_a_late_article_inside_the_window_re_plays_only_the_window(
    processed, rebuilt, resources, tmp_path: Path
) -> None:
    """An article dated before the newest day but inside the clustering window: no full re-play."""
    from eventwire.stories import StoryConfig
    from eventwire.stories.canonical import tail_days

    dated = _dated_in_order(processed)
    latest = dated[-1].article.published
    window_start = latest - dt.timedelta(days=tail_days(StoryConfig()))
    late = [r for r in dated if window_start < r.article.published < latest][-1]
    rest = [r for r in processed if r is not late]
    stats = _store(tmp_path / "window.db", [rest, [late]])
    assert not stats[1].rebuilt
    assert stats[1].replayed == sum(1 for r in dated if r.article.published > window_start)
    assert stats[1].replayed < len(dated)
    assert _corpus(tmp_path / "window.db") == rebuilt


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_and_batching_equals_one_rebuild(processed, rebuilt, resources, tmp_path_factory, data) -> None:
    order = data.draw(st.permutations(range(len(processed))), label="order")
    cuts = data.draw(st.lists(st.integers(1, len(processed) - 1), max_size=4, unique=True), label="cuts")
    bounds = [0, *sorted(cuts), len(processed)]
    batches = [[processed[i] for i in order[a:b]] for a, b in zip(bounds, bounds[1:], strict=False)]
    db = tmp_path_factory.mktemp("order") / "store.db"
    _store(db, batches)
    assert _corpus(db) == rebuilt


def test_an_undated_copy_joins_its_original_story_in_a_later_run(processed, resources, tmp_path: Path) -> None:
    """An undated copy of one report of a three-article story, stored after the story: it matches the
    member's MinHash kept with the stored story, as one run over everything does. The copy carries no
    events and its text is not close enough to the story's centroid for a rewrite (text cosine 0.72), so
    nothing but the copied member's MinHash places it."""
    from dataclasses import replace

    from eventwire.stories import cluster_stories

    original = next(r for r in processed if r.article.path and Path(r.article.path).name.startswith("000"))
    copy = ArticleResult(article=replace(original.article, article_id="copy-000", published=None, path=None))
    in_memory = cluster_stories([*processed, copy])
    evidence = in_memory.join_evidence["copy-000"]
    assert evidence.reason == "duplicate" and evidence.duplicate_of == original.article.article_id
    assert len(in_memory.story(in_memory.story_of["copy-000"]).article_ids) == 4

    stats = _store(tmp_path / "copy.db", [processed, [copy]])
    assert not stats[-1].rebuilt
    members = {a: s["story_id"] for s in _corpus(tmp_path / "copy.db")["stories"] for a in s["article_ids"]}
    assert members["copy-000"] == members[original.article.article_id]
    _store(tmp_path / "copy-rebuilt.db", [[*processed, copy]], rebuild=True)
    assert _corpus(tmp_path / "copy.db") == _corpus(tmp_path / "copy-rebuilt.db")


def test_a_state_saved_with_other_settings_is_not_resumed(processed, resources, tmp_path: Path) -> None:
    """Changing StoryConfig (or the clusterer's state format) re-plays everything once, then resumes again."""
    from eventwire.pipeline import build_corpus
    from eventwire.store import open_repository
    from eventwire.store.corpus import checkpoint_days
    from eventwire.stories import StoryConfig

    dated = sorted(
        (r for r in processed if r.article.published), key=lambda r: (r.article.published, r.article.article_id)
    )
    other = StoryConfig(threshold=0.3)
    repo = open_repository(str(tmp_path / "settings.db"))
    try:
        rebuilt = []
        for batch, config in ((dated[:8], None), (dated[8:16], None), (dated[16:20], other), (dated[20:], other)):
            repo.save_results(batch)
            rebuilt.append(build_corpus(repo.engine, config=config).rebuilt)
        with repo.engine.connect() as connection:
            days = checkpoint_days(connection)
    finally:
        repo.close()
    assert rebuilt == [True, False, True, False]
    # saved at the newest day, and a whole gap behind it: a story that can still grow is re-played from there
    newest = dated[-1].article.published
    assert days[-1] == newest
    assert days[0] <= newest - dt.timedelta(days=other.window_days)


def _alone_undated(processed: list[ArticleResult]) -> ArticleResult:
    """A labelled undated Times of India report that joins no other article (the first by id)."""
    from eventwire.stories import cluster_stories

    assignment = cluster_stories(processed)
    alone = [
        r
        for r in processed
        if r.article.published is None
        and r.article.article_id.startswith("ipe-")
        and len(assignment.story(assignment.story_of[r.article.article_id]).article_ids) == 1
    ]
    return min(alone, key=lambda r: r.article.article_id)


def _undated_copy(result: ArticleResult, article_id: str) -> ArticleResult:
    """A lightly edited copy of a report (two words changed), as another outlet reprints it, undated."""
    from dataclasses import replace

    text = result.article.text.replace(" the ", " a ", 2)
    return ArticleResult(article=replace(result.article, article_id=article_id, text=text, published=None))


def test_undated_copies_of_one_report_are_one_story_whatever_the_runs(processed, resources, tmp_path: Path) -> None:
    """Two undated copies of one report (no dated story takes them) form one story, named after the
    smaller id, in memory and in the store whichever arrives first, as one full rebuild does."""
    from eventwire.stories import cluster_stories
    from eventwire.stories.cluster import story_id_for

    original = _alone_undated(processed)
    copy = _undated_copy(original, "copy-" + original.article.article_id)
    in_memory = cluster_stories([*processed, copy])
    story_id = in_memory.story_of[copy.article.article_id]
    assert story_id == in_memory.story_of[original.article.article_id] == story_id_for(copy.article.article_id)
    assert sorted(in_memory.story(story_id).article_ids) == sorted(
        [original.article.article_id, "copy-" + original.article.article_id]
    )
    evidence = in_memory.join_evidence[original.article.article_id]
    assert evidence.reason == "duplicate" and evidence.duplicate_of == copy.article.article_id

    rest = [r for r in processed if r is not original]
    _store(tmp_path / "rebuilt.db", [[*processed, copy]], rebuild=True)
    expected = _corpus(tmp_path / "rebuilt.db")
    members = {a: s["story_id"] for s in expected["stories"] for a in s["article_ids"]}
    assert members[original.article.article_id] == members[copy.article.article_id] == story_id
    for name, batches in {
        "copy-last": [processed, [copy]],
        "original-last": [[*rest, copy], [original]],
        "copy-first": [[copy], processed],  # the dated articles after it make the second run a full one
    }.items():
        stats = _store(tmp_path / f"{name}.db", batches)
        assert stats[-1].rebuilt == (name == "copy-first")
        assert _corpus(tmp_path / f"{name}.db") == expected, name


def test_undated_grouping_does_not_depend_on_input_order(processed) -> None:
    """`group_undated` over the same undated articles in reversed order: the same stories and evidence."""
    from eventwire.stories import StoryConfig
    from eventwire.stories.canonical import group_undated, undated_article

    config = StoryConfig()
    original = _alone_undated(processed)
    undated = [r for r in processed if r.article.published is None]
    undated += [_undated_copy(original, "copy-a"), _undated_copy(original, "copy-b")]
    articles = [undated_article(r, config) for r in undated]
    forward = group_undated(articles, config)
    assert forward == group_undated(articles[::-1], config)
    trio = {forward[a][0] for a in ("copy-a", "copy-b", original.article.article_id)}
    assert len(trio) == 1
    others = [a for a in forward if a not in {"copy-a", "copy-b", original.article.article_id}]
    assert all(forward[a][1].reason == "new" for a in others)  # labelled undated reports copy nothing
