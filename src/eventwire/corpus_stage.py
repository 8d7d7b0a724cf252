"""The incremental corpus stage: a run updates only the stories its new articles can touch.

Dated articles are clustered in canonical order (`stories.canonical`). The clusterer's state is
saved in the store after the newest day and after the last day more than the gap behind it
(`window_days`: a story stays open that long after its latest report) as checkpoints; a run resumes
from the newest checkpoint older than its earliest new article and re-plays only the days after it:
a feed of newer articles re-plays only its own, a late one inside the gap the days after the
older checkpoint. A new article dated on or before the oldest checkpoint makes the run re-play every
dated article instead: slower, but the same result; so does a state saved by another version of the
clusterer or with other settings. Stories whose members changed are rewritten with their canonical
events, inferred dates and claims; undated articles sharing a key with a changed story (and new ones)
are matched again; claim groups of rewritten claims are judged again. The result equals one full
rebuild (`rebuild=True`, `eventwire rebuild`) whatever the order and batching of the runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventwire.records import ArticleResult
from eventwire.stories.canonical import (
    DatedStory,
    DatedStream,
    StoryProfile,
    UndatedArticle,
    by_day,
    choose_story,
    finish_story,
    rank_candidates,
    tail_days,
    undated_article,
    undated_groups,
)
from eventwire.stories.cluster import StoryConfig

if TYPE_CHECKING:
    import sqlalchemy as sa


@dataclass
class Plan:
    """What a run changes: each rewritten story's members and duplicate groups, and stories to drop."""

    members: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    profiles: dict[str, StoryProfile] = field(default_factory=dict)


def update_corpus(connection: sa.Connection, config: StoryConfig, rebuild: bool, page_size: int) -> tuple[bool, int]:
    """Bring the corpus tables up to date with the stored articles.

    Returns whether it re-played every dated article, and how many dated articles it re-played.
    """
    from eventwire.store import corpus as store

    new = store.unassigned_articles(connection)
    new_dates = [published for _, published in new if published is not None]
    first_new = min(new_dates, default=None)
    resume, state = store.load_checkpoint(connection, before=first_new)
    stream = DatedStream.resume(state, config) if state is not None else None
    stale = state is not None and stream is None  # saved by another version or with other settings
    full = rebuild or stale or (first_new is not None and resume is None)
    if full:
        store.clear_corpus(connection)
        resume, stream = None, None
        new = [(a, None) for a in store.undated_articles(connection)]
    elif not new:
        return False, 0
    plan = Plan()
    replayed = 0
    if full or new_dates:
        replayed = _dated_phase(connection, config, resume, stream, first_new, page_size, plan)
    new_undated = [article_id for article_id, published in new if published is None]
    _undated_phase(connection, config, new_undated, plan)
    _write(connection, config, plan, page_size)
    return full, replayed


def _load_days(
    connection: sa.Connection, ids: Sequence[str], page_size: int
) -> Iterator[tuple[dt.date, list[ArticleResult]]]:
    from eventwire.store.corpus import load_results

    def results() -> Iterator[ArticleResult]:
        for start in range(0, len(ids), page_size):
            yield from load_results(connection, ids[start : start + page_size])

    return by_day(results())


def _dated_phase(
    connection: sa.Connection,
    config: StoryConfig,
    position: dt.date | None,
    stream: DatedStream | None,
    first_new: dt.date | None,
    page_size: int,
    plan: Plan,
) -> int:
    """Re-play the dated articles after the checkpoint; plan the stories whose members changed.

    Saves the state at the clustering window's start (if the re-play passes it) and at the newest
    day; drops checkpoints the new articles made stale and those older than the window needs.
    Returns how many dated articles were re-played.
    """
    from eventwire.store import corpus as store

    full = position is None
    stream = stream or DatedStream(config)
    if first_new is not None:
        store.drop_checkpoints(connection, since=first_new)
    ids = store.dated_articles_after(connection, position)
    latest = store.latest_publication(connection)
    if latest is None:  # nothing dated stored
        return 0
    replayed = set(ids)
    window_start = latest - dt.timedelta(days=tail_days(config))
    saved = position is not None and window_start <= position
    formed: dict[str, DatedStory] = {}

    def keep(stories: list[DatedStory]) -> None:
        if full:  # every story is new: plan it and store its profile now, so memory stays bounded
            for story in stories:
                _plan_story(plan, story, with_profile=False)
            store.save_profiles(connection, {s.story_id: _profile_row(s, config) for s in stories})
            return
        for story in stories:
            if replayed.intersection(story.members):
                formed[story.story_id] = story

    for day, results in _load_days(connection, ids, page_size):
        if not saved and day > window_start:
            store.save_checkpoint(connection, window_start, stream.snapshot())
            saved = True
        keep(stream.add_day(day, results))
    keep(stream.held())
    store.save_checkpoint(connection, latest, stream.snapshot())
    days = store.checkpoint_days(connection)
    store.drop_checkpoints(connection, before=max((d for d in days if d <= window_start), default=None))
    if full:
        return len(ids)
    before = store.stories_of(connection, ids)
    old = store.story_members(connection, sorted(set(before.values())))
    changed = [s for s in formed.values() if _dated_members(old.get(s.story_id, [])) != s.members]
    plan.dropped.update(story_id for story_id in old if story_id not in formed)
    plan.dropped.update(s.story_id for s in changed)
    for story in changed:
        _plan_story(plan, story, with_profile=True)
    store.delete_profiles(connection, sorted(plan.dropped))
    store.save_profiles(connection, {s.story_id: _profile_row(s, config) for s in changed})
    return len(ids)


def _plan_story(plan: Plan, story: DatedStory, with_profile: bool) -> None:
    """Plan to write this story with its members (and keep its profile in memory if asked)."""
    plan.members[story.story_id] = list(story.members)
    plan.groups.update(story.duplicate_group)
    if with_profile:
        plan.profiles[story.story_id] = story.profile


def _profile_row(story: DatedStory, config: StoryConfig) -> tuple[dict[str, Any], list[str]]:
    return story.profile.to_json(), story.profile.keys(config.blocking_terms)


def _dated_members(members: list[tuple[str, bool, str | None]]) -> list[str]:
    return [article_id for article_id, dated, _ in members if dated]


def _undated_phase(connection: sa.Connection, config: StoryConfig, new_undated: list[str], plan: Plan) -> None:
    """Match new undated articles, and those a changed story may attract or lose, with the dated stories."""
    from eventwire.store import corpus as store

    touched = sorted(plan.dropped | set(plan.members))
    old_members = store.story_members(connection, touched)
    recheck = set(new_undated)
    recheck.update(a for members in old_members.values() for a, dated, _ in members if not dated)
    recheck.update(store.undated_with_keys(connection, sorted(store.keys_of_stories(connection, touched))))
    recheck.update(store.undated_with_keys(connection, sorted(_keys(plan, config))))
    if not recheck:
        return
    ids = sorted(recheck)
    before = store.stories_of(connection, ids)
    decided: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    alone: dict[str, UndatedArticle] = {}
    for result in store.load_results(connection, ids):
        article_id = result.article.article_id
        article = undated_article(result, config)
        blocking = sorted(set(article.profile.blocking_keys(config.blocking_terms)))
        keys[article_id] = sorted(set(blocking) | set(article.keys))
        postings = store.stories_with_keys(connection, blocking)
        candidates = rank_candidates(blocking, postings, config.max_candidates)
        stored = store.load_profiles(connection, candidates)
        stories = [(s, StoryProfile.from_json(stored[s])) for s in candidates]
        story_id, _ = choose_story(article.profile, result.article.text, stories, config, article.signature)
        decided[article_id] = story_id
        if story_id not in stored:  # no dated story: grouped with the undated articles it copies, if any
            alone[article_id] = article
    store.save_undated_keys(connection, {a: keys[a] for a in new_undated if a in keys})
    _group_alone(connection, config, alone, decided, before, plan)
    moved = {a for a in decided if before.get(a) != decided[a]}
    affected = {before[a] for a in moved if a in before} | {decided[a] for a in moved}
    affected -= set(plan.members) | plan.dropped  # rewritten, or deleted (their members moved)
    if not affected:
        _place_undated(plan, decided)
        return
    stored_members = store.story_members(connection, sorted(affected))
    for story_id in sorted(affected):
        plan.dropped.add(story_id)
        members = stored_members.get(story_id, [])
        plan.members[story_id] = [a for a, dated, _ in members if dated or a not in decided]
        plan.groups.update((a, g) for a, _, g in members if g is not None)
    _place_undated(plan, decided)


def _group_alone(
    connection: sa.Connection,
    config: StoryConfig,
    alone: dict[str, UndatedArticle],
    decided: dict[str, str],
    before: dict[str, str],
    plan: Plan,
) -> None:
    """Group the undated articles that joined no dated story with the stored ones they copy.

    Regrouped with them: the stored undated articles sharing a MinHash band with them, and every
    member of the undated-only stories involved (theirs before this run too, which may split), so
    the groups formed are the connected components a full rebuild forms. Updates `decided` and
    `before` for every article regrouped, and plans the groups' profiles.
    """
    from eventwire.store import corpus as store

    candidates = store.undated_with_keys(connection, sorted({k for a in alone.values() for k in a.keys}))
    before.update(store.stories_of(connection, sorted(candidates - set(before))))
    stories = {before[a] for a in decided if a in before} | {before[a] for a in candidates if a in before}
    extra: set[str] = set()
    for members in store.story_members(connection, sorted(stories)).values():
        if not any(dated for _, dated, _ in members):  # an undated-only story: its grouping may change
            extra.update(a for a, _, _ in members)
    extra -= set(decided)  # rechecked here: alone, or in a dated story now
    before.update(store.stories_of(connection, sorted(extra - set(before))))
    pool = dict(alone)
    for result in store.load_results(connection, sorted(extra)):
        pool[result.article.article_id] = undated_article(result, config)
    grouped, profiles = undated_groups(list(pool.values()), config)
    decided.update((article_id, story_id) for article_id, (story_id, _) in grouped.items())
    plan.profiles.update(profiles)


def _place_undated(plan: Plan, decided: dict[str, str]) -> None:
    """Add each decided undated article to its story in the plan (stories not rewritten keep theirs)."""
    for article_id in sorted(decided):
        story_id = decided[article_id]
        members = plan.members.get(story_id)
        if members is None:
            continue
        if article_id not in members:
            members.append(article_id)


def _keys(plan: Plan, config: StoryConfig) -> set[str]:
    return {k for s in plan.members if s in plan.profiles for k in plan.profiles[s].keys(config.blocking_terms)}


def _write(connection: sa.Connection, config: StoryConfig, plan: Plan, page_size: int) -> None:
    """Delete the dropped stories, write the planned ones (a page at a time), judge their claim groups again."""
    from eventwire.claims import claim_group_id, judge_group
    from eventwire.store import corpus as store
    from eventwire.stories import apply_inferred_dates, merge_events

    story_ids = sorted(s for s in plan.members if plan.members[s])
    all_members = [a for s in story_ids for a in plan.members[s]]
    groups_to_judge = store.claim_groups_of(connection, all_members)
    store.delete_stories(connection, sorted(plan.dropped | set(story_ids)))
    page: list[str] = []
    for story_id in story_ids:
        page.append(story_id)
        if sum(len(plan.members[s]) for s in page) >= page_size or story_id == story_ids[-1]:
            results = {
                r.article.article_id: r
                for r in store.load_results(connection, [a for s in page for a in plan.members[s]])
            }
            stored = store.load_profiles(connection, [s for s in page if s not in plan.profiles])
            for sid in page:
                members = [results[a] for a in plan.members[sid] if a in results]
                if not members:
                    continue
                profile = plan.profiles[sid] if sid in plan.profiles else StoryProfile.from_json(stored[sid])
                assignment = finish_story(sid, members, profile, plan.groups, {}, config)
                dated = apply_inferred_dates(members, assignment)
                canonical = merge_events(dated, assignment)
                story_claims = [claim for result in dated for claim in result.claims]
                group_ids = {c.claim_id: claim_group_id(c, assignment.story_of) for c in story_claims}
                groups_to_judge.update(g for g in group_ids.values() if g is not None)
                store.write_stories(connection, assignment, canonical, story_claims, group_ids)
            page = []
    statuses = [
        (group_id, *judge_group(members))
        for group_id, members in store.claim_groups(connection, sorted(groups_to_judge))
    ]
    store.set_claim_status(connection, statuses)
