"""Story clustering that does not depend on arrival order, and can resume where it stopped.

Dated articles are clustered in one canonical order, (publication date, article id), a day at a
time: before a day's articles are added, the stories that fell `retire_after_days` behind it
are retired. The clusterer is therefore a pure function of the set of dated articles, and its
state after any day can be saved (`DatedStream.snapshot`) and resumed later with the following
days: a resumed stream ends exactly as one run over everything.

The clusterer applies the join rules of `stories.cluster`: a story stays open while its reports
keep arriving (the gap, `StoryConfig.window_days`, counts from its latest report), and a dated
article joins it when similar to the story and to one of its latest reports.

Undated articles are not placed in time at all, so no time window can vouch for them: each is
compared on its own with the dated stories sharing a blocking key with it (`choose_story`) and
joins one only on strong evidence: a near-duplicate of a member (MinHash of the members is kept
with the story's profile), a rewritten copy, or the same happening (`cluster.strong_evidence`);
otherwise it stays alone. Their text vectors use term frequencies only (no stream-dependent
document frequencies), so the decision depends on the article and the dated stories, never on
what arrived before it. Undated articles left alone are then grouped with each other when one
copies another (`group_undated`: near-duplicate or rewritten text, found through MinHash bands),
by connected components named after their smallest article id: a function of the set of
articles, whatever their order.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import pickle
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from eventwire.records import ArticleResult, JoinEvidence, StoryAssignment
from eventwire.stories.cluster import (
    STATE_FORMAT,
    StoryClusterer,
    StoryConfig,
    StoryState,
    similarity,
    story_id_for,
    strong_evidence,
)
from eventwire.stories.dedup import DuplicateIndex
from eventwire.stories.keys import is_country_key
from eventwire.stories.profile import ArticleProfile, KeyFrequencies, build_profile
from eventwire.stories.text import TermWeights, add_into, cosine, top_terms


def tail_days(config: StoryConfig) -> int:
    """Days behind the newest article that a run re-opens: the gap a story stays open after its latest report.

    A story whose latest report is within the gap of the newest article may still take the next
    day's articles, so the clusterer's state is saved only after days at least that far behind.
    """
    return max(1, math.ceil(config.window_days))


def canonical_key(result: ArticleResult) -> tuple[dt.date, str]:
    """The order dated articles are clustered in: publication date, then article id."""
    published = result.article.published
    assert published is not None
    return published, result.article.article_id


@dataclass
class StoryProfile:
    """What undated articles are compared with and summaries centre on: a story's dated centroid."""

    terms: dict[int, float]
    terms_norm: float
    actors: dict[str, float] = field(default_factory=dict)
    actors_norm: float = 0.0
    dyads: dict[str, float] = field(default_factory=dict)
    dyads_norm: float = 0.0
    dates: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)  # members' MinHash: undated copies match them
    headline: dict[int, float] = field(default_factory=dict)  # sum of the members' title vectors
    headline_norm: float = 0.0

    @classmethod
    def of_state(cls, state: StoryState, max_terms: int, signatures: dict[str, bytes] | None = None) -> StoryProfile:
        """The profile of a clustered story, its centroid cut to its `max_terms` strongest terms."""
        kept = dict(sorted(state.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms])
        norm = math.sqrt(sum(w * w for w in kept.values()))
        return cls(kept, norm, dict(state.actors), state.actors_norm, dict(state.dyads), state.dyads_norm,
                   state.dates, dict(sorted((signatures or {}).items())), dict(state.headline),
                   state.headline_norm)  # fmt: skip

    @classmethod
    def of_articles(cls, profiles: Sequence[ArticleProfile]) -> StoryProfile:
        """The profile of a story made of undated articles only: the sums of their vectors."""
        if len(profiles) == 1:
            return cls.of_article(profiles[0])
        story = cls({}, 0.0)
        for profile in profiles:
            story.terms_norm = add_into(story.terms, profile.terms, story.terms_norm)
            story.actors_norm = add_into(story.actors, profile.actors, story.actors_norm)
            story.dyads_norm = add_into(story.dyads, profile.dyads, story.dyads_norm)
            story.headline_norm = add_into(story.headline, profile.headline, story.headline_norm)
            story.dates.extend(profile.dates)
        return story

    @classmethod
    def of_article(cls, profile: ArticleProfile) -> StoryProfile:
        """The profile of a story made of one (undated) article."""
        return cls(dict(profile.terms), 1.0 if profile.terms else 0.0, dict(profile.actors),
                   1.0 if profile.actors else 0.0, dict(profile.dyads), 1.0 if profile.dyads else 0.0,
                   list(profile.dates), {}, dict(profile.headline),
                   1.0 if profile.headline else 0.0)  # fmt: skip

    def state(self, story_id: str) -> StoryState:
        """A clusterer state holding this profile, for `similarity`."""
        return StoryState(
            story_id=story_id,
            terms=self.terms,
            terms_norm=self.terms_norm,
            actors=self.actors,
            actors_norm=self.actors_norm,
            dyads=self.dyads,
            dyads_norm=self.dyads_norm,
            dates=self.dates,
            headline=self.headline,
            headline_norm=self.headline_norm,
        )

    def keys(self, n_terms: int) -> list[str]:
        """Blocking keys: strongest terms, named actors, dyads (as `ArticleProfile.blocking_keys`)."""
        keys = [f"t{t}" for t in top_terms(self.terms, n_terms)]
        keys += [f"a{k}" for k in self.actors if not is_country_key(k)]
        keys += [f"d{k}" for k in self.dyads]
        return sorted(set(keys))

    def to_json(self) -> dict[str, Any]:
        return {
            "terms": [[k, w] for k, w in self.terms.items()],
            "terms_norm": self.terms_norm,
            "actors": self.actors,
            "actors_norm": self.actors_norm,
            "dyads": self.dyads,
            "dyads_norm": self.dyads_norm,
            "dates": [[a.isoformat(), b.isoformat()] for a, b in self.dates],
            "signatures": {a: base64.b64encode(v).decode("ascii") for a, v in self.signatures.items()},
            "headline": [[k, w] for k, w in self.headline.items()],
            "headline_norm": self.headline_norm,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryProfile:
        return cls(
            terms={int(k): float(w) for k, w in data["terms"]},
            terms_norm=data["terms_norm"],
            actors=data["actors"],
            actors_norm=data["actors_norm"],
            dyads=data["dyads"],
            dyads_norm=data["dyads_norm"],
            dates=[(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in data["dates"]],
            signatures={a: base64.b64decode(v) for a, v in data.get("signatures", {}).items()},
            headline={int(k): float(w) for k, w in data.get("headline", [])},
            headline_norm=data.get("headline_norm", 0.0),
        )


@dataclass
class DatedStory:
    """A story of dated articles as the canonical stream formed it."""

    story_id: str
    members: list[str]
    duplicate_group: dict[str, str]
    join_evidence: dict[str, JoinEvidence]
    profile: StoryProfile
    created: int


class DatedStream:
    """The story clusterer fed a day at a time in canonical order; resumable from a snapshot."""

    def __init__(self, config: StoryConfig | None = None, clusterer: StoryClusterer | None = None) -> None:
        self.clusterer = clusterer or StoryClusterer(config)
        self.config = self.clusterer.config

    def add_day(self, day: dt.date, results: Sequence[ArticleResult]) -> list[DatedStory]:
        """Retire the stories that fell behind `day`, then add the day's articles (canonical order).

        Returns the retired stories.
        """
        retired = [self._retire(story_id) for story_id in sorted(self.clusterer.retirable(day))]
        ordered = sorted(results, key=canonical_key)
        self.clusterer.add_many(ordered)
        return retired

    def held(self) -> list[DatedStory]:
        """The stories still held (not retired), without retiring them."""
        clusterer = self.clusterer
        out = []
        for state in clusterer.stories.values():
            groups = {a: clusterer.duplicates.group_of[a] for a in state.members if a in clusterer.duplicates.group_of}
            evidence = {a: clusterer.evidence[a] for a in state.members if a in clusterer.evidence}
            out.append(self._story(state, groups, evidence, clusterer.duplicates.signatures_of(state.members)))
        return out

    def _retire(self, story_id: str) -> DatedStory:
        retired = self.clusterer.retire(story_id)
        return self._story(retired.state, retired.duplicate_group, retired.join_evidence, retired.signatures)

    def _story(
        self, state: StoryState, groups: dict[str, str], evidence: dict[str, JoinEvidence], signatures: dict[str, bytes]
    ) -> DatedStory:
        profile = StoryProfile.of_state(state, self.config.closed_centroid_terms, signatures)
        return DatedStory(state.story_id, list(state.members), dict(groups), dict(evidence), profile, state.created)

    def snapshot(self) -> bytes:
        """The clusterer's whole state, compressed."""
        return zlib.compress(pickle.dumps(self.clusterer, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @classmethod
    def restore(cls, blob: bytes) -> DatedStream:
        """A stream resumed from `snapshot` (only ever read back from this program's own store)."""
        return cls(clusterer=pickle.loads(zlib.decompress(blob)))  # noqa: S301 - our own snapshot

    @classmethod
    def resume(cls, blob: bytes, config: StoryConfig) -> DatedStream | None:
        """The stream saved in `blob` if it was made by this clusterer with this config, else None (re-play all)."""
        try:
            stream = cls.restore(blob)
        except Exception:  # noqa: BLE001 - a state saved by another version of the program
            return None
        same = getattr(stream.clusterer, "format", None) == STATE_FORMAT and stream.config == config
        return stream if same else None


def by_day(results: Iterable[ArticleResult]) -> Iterator[tuple[dt.date, list[ArticleResult]]]:
    """Dated results given in date order, grouped by publication date."""
    day: dt.date | None = None
    group: list[ArticleResult] = []
    for result in results:
        published = result.article.published
        if published is None:
            raise ValueError(f"{result.article.article_id}: an article without a publication date has no day")
        if day is not None and published != day:
            yield day, group
            group = []
        day = published
        group.append(result)
    if day is not None:
        yield day, group


# ---------------------------------------------------------------- undated articles


def undated_profile(result: ArticleResult, config: StoryConfig) -> ArticleProfile:
    """An undated article's profile from its own text and events only (term frequencies, no IDF)."""
    weights = TermWeights(max_terms=config.vector_terms)
    article = result.article
    text = f"{article.title}\n\n{article.text}" if article.title else article.text
    vector = weights.vectors([text])[0]
    headline = weights.vectors([article.title])[0] if article.title else {}
    return build_profile(result, 0, None, vector, KeyFrequencies(), KeyFrequencies(), headline)


def rank_candidates(keys: Iterable[str], postings: dict[str, Sequence[str]], limit: int) -> list[str]:
    """Stories sharing the most keys with an article, ties by story id; at most `limit`."""
    counts: Counter[str] = Counter()
    for key in keys:
        counts.update(set(postings.get(key, ())))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [story_id for story_id, _ in ranked[:limit]]


def choose_story(
    profile: ArticleProfile,
    text: str,
    candidates: Sequence[tuple[str, StoryProfile]],
    config: StoryConfig,
    values: np.ndarray | None = None,
) -> tuple[str, JoinEvidence]:
    """The dated story an undated article joins on strong evidence, else its own story.

    A near-duplicate of a member (MinHash; `values` when the text's are at hand) joins that member's
    story; otherwise the most similar story for which `strong_evidence` holds (a rewritten copy, or
    the same happening).
    """
    ordered = sorted(candidates, key=lambda c: c[0])
    copy = nearest_copy(text, ordered, config, values)
    if copy is not None:
        story_id, member, jaccard = copy
        return story_id, JoinEvidence(profile.article_id, story_id, "duplicate", round(jaccard, 4), duplicate_of=member)
    nearest: tuple[float, str, dict[str, float]] | None = None
    best: tuple[float, str, dict[str, float], str] | None = None
    for story_id, story in ordered:
        score, parts = similarity(profile, story.state(story_id), config)
        if nearest is None or score > nearest[0]:
            nearest = (score, story_id, parts)
        reason = strong_evidence(parts, config)
        if reason and (best is None or score > best[0]):
            best = (score, story_id, parts, reason)
    if best is None:
        own = story_id_for(profile.article_id)
        evidence = JoinEvidence(profile.article_id, own, "new")
        if nearest is not None:
            evidence.score, evidence.parts, evidence.nearest_story = round(nearest[0], 4), nearest[2], nearest[1]
        return own, evidence
    score, story_id, parts, reason = best
    return story_id, JoinEvidence(profile.article_id, story_id, reason, round(score, 4), parts)


def nearest_copy(
    text: str, candidates: Sequence[tuple[str, StoryProfile]], config: StoryConfig, values: np.ndarray | None = None
) -> tuple[str, str, float] | None:
    """(story id, member id, estimated Jaccard) of the member the text copies most closely, if any does.

    `values`: the text's MinHash values when already computed (`undated_article`).
    """
    if values is None:
        values = minhash_values(text, config)
    if values is None:
        return None
    best: tuple[str, str, float] | None = None
    for story_id, story in candidates:
        for member, signature in sorted(story.signatures.items()):
            jaccard = float(np.mean(np.frombuffer(signature, dtype=np.uint32) == values))
            if jaccard >= config.duplicate_threshold and (best is None or jaccard > best[2]):
                best = (story_id, member, jaccard)
    return best


# ---------------------------------------------------------------- undated articles with each other


@dataclass
class UndatedArticle:
    """An undated article that joined no dated story, as other such articles are compared with it."""

    profile: ArticleProfile
    signature: np.ndarray | None  # MinHash values of its text (None when too short)
    keys: list[str]  # `link_keys`

    @property
    def article_id(self) -> str:
        return self.profile.article_id


@lru_cache(maxsize=4)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) of the MinHash LSH index that finds pairs above `threshold` (datasketch's choice)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def minhash_values(text: str, config: StoryConfig) -> np.ndarray | None:
    """The MinHash values of a text's shingles (as stored with stories), None for texts too short."""
    index = DuplicateIndex(threshold=config.duplicate_threshold, shingle_size=config.shingle_size,
                           num_perm=config.num_perm)  # fmt: skip
    minhash = index.signature(text)
    return None if minhash is None else minhash.hashvalues.astype(np.uint32)


def undated_article(result: ArticleResult, config: StoryConfig) -> UndatedArticle:
    """An undated article's profile, MinHash values and link keys."""
    signature = minhash_values(result.article.text, config)
    return UndatedArticle(undated_profile(result, config), signature, link_keys(signature, config))


def link_keys(signature: np.ndarray | None, config: StoryConfig) -> list[str]:
    """What two undated articles must share to be compared: a band of their MinHash values (the
    LSH buckets of near-duplicates: texts above `duplicate_threshold` share one almost surely)."""
    if signature is None:
        return []
    bands, rows = _bands(config.duplicate_threshold, config.num_perm)
    return sorted({f"m{band}:{zlib.crc32(signature[band * rows : (band + 1) * rows].tobytes()):08x}"
                   for band in range(bands)})  # fmt: skip


def undated_link(a: UndatedArticle, b: UndatedArticle, config: StoryConfig) -> tuple[str, float] | None:
    """("duplicate", Jaccard) or ("rewrite", cosine) when one undated article copies the other, else None.

    Copies only: between undated articles nothing else is strong enough. On the 578 undated Times of
    India articles the same-happening rule that lets an undated article join a dated story (shared
    dyads, text cosine 0.2) linked 11 pairs, more than half of them different happenings of one topic.
    """
    if a.signature is not None and b.signature is not None:
        jaccard = float(np.mean(a.signature == b.signature))
        if jaccard >= config.duplicate_threshold:
            return "duplicate", jaccard
    text = cosine(a.profile.terms, b.profile.terms, 1.0)
    return ("rewrite", text) if text >= config.rewrite_text else None


def group_undated(articles: Sequence[UndatedArticle], config: StoryConfig) -> dict[str, tuple[str, JoinEvidence]]:
    """Undated articles that joined no dated story, grouped by strong evidence: article id -> (story id, evidence).

    Two articles sharing a link key and linked by `undated_link` are in one story, and so are
    articles linked through others (connected components). A story is named after its smallest
    article id, so the grouping depends on the set of articles only, never on their order.
    Articles linked to none keep a story of their own (evidence "new").
    """
    by_id = {a.article_id: a for a in articles}
    postings: dict[str, list[str]] = {}
    for article_id in sorted(by_id):
        for key in by_id[article_id].keys:
            postings.setdefault(key, []).append(article_id)
    parent = {article_id: article_id for article_id in by_id}
    best: dict[str, tuple[float, str, str]] = {}  # article -> (score, partner, reason) of its strongest link
    checked: set[tuple[str, str]] = set()
    for key in sorted(postings):
        members = postings[key]
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if (first, second) in checked:
                    continue
                checked.add((first, second))
                link = undated_link(by_id[first], by_id[second], config)
                if link is None:
                    continue
                reason, score = link
                _union(parent, first, second)
                for one, other in ((first, second), (second, first)):
                    if one not in best or (score, other) > best[one][:2]:
                        best[one] = (score, other, reason)
    out: dict[str, tuple[str, JoinEvidence]] = {}
    for article_id in sorted(by_id):
        story_id = story_id_for(_root(parent, article_id))
        if article_id in best:
            score, partner, reason = best[article_id]
            copy = partner if reason == "duplicate" else None
            evidence = JoinEvidence(article_id, story_id, reason, round(score, 4), duplicate_of=copy)
        else:
            evidence = JoinEvidence(article_id, story_id, "new")
        out[article_id] = (story_id, evidence)
    return out


def _root(parent: dict[str, str], item: str) -> str:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _union(parent: dict[str, str], a: str, b: str) -> None:
    """Join two sets under the smaller root id."""
    ra, rb = _root(parent, a), _root(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def undated_groups(
    articles: Sequence[UndatedArticle], config: StoryConfig
) -> tuple[dict[str, tuple[str, JoinEvidence]], dict[str, StoryProfile]]:
    """`group_undated` and the profile of every story it forms (from its members' own vectors)."""
    grouped = group_undated(articles, config)
    members: dict[str, list[ArticleProfile]] = {}
    for article in sorted(articles, key=lambda a: a.article_id):
        members.setdefault(grouped[article.article_id][0], []).append(article.profile)
    return grouped, {story_id: StoryProfile.of_articles(group) for story_id, group in members.items()}


# ---------------------------------------------------------------- in memory (evaluation, tests)


def cluster_canonical(
    results: Iterable[ArticleResult], config: StoryConfig | None = None
) -> tuple[list[DatedStory], dict[str, tuple[str, JoinEvidence]], dict[str, StoryProfile]]:
    """Dated stories of a collection, each undated article's (story id, evidence), every profile."""
    config = config or StoryConfig()
    items = list(results)
    dated = sorted((r for r in items if r.article.published is not None), key=canonical_key)
    stream = DatedStream(config)
    stories: list[DatedStory] = []
    for day, group in by_day(dated):
        stories.extend(stream.add_day(day, group))
    stories.extend(stream.held())
    profiles = {s.story_id: s.profile for s in stories}
    postings: dict[str, list[str]] = {}
    for story in stories:
        for key in story.profile.keys(config.blocking_terms):
            postings.setdefault(key, []).append(story.story_id)
    undated: dict[str, tuple[str, JoinEvidence]] = {}
    alone: list[UndatedArticle] = []
    for result in items:
        if result.article.published is not None:
            continue
        article = undated_article(result, config)
        profile = article.profile
        ids = rank_candidates(profile.blocking_keys(config.blocking_terms), postings, config.max_candidates)
        candidates = [(i, profiles[i]) for i in ids]
        undated[profile.article_id] = choose_story(profile, result.article.text, candidates, config, article.signature)
        if undated[profile.article_id][0] not in profiles:
            alone.append(article)
    grouped, group_profiles = undated_groups(alone, config)
    undated.update((a, joined) for a, joined in grouped.items() if joined[1].reason != "new")  # alone: keep why
    profiles.update(group_profiles)
    return stories, undated, profiles


def memberships(stories: Sequence[DatedStory], undated: dict[str, tuple[str, JoinEvidence]]) -> dict[str, list[str]]:
    """Story id -> member article ids (dated in canonical order, then undated by id)."""
    members = {s.story_id: list(s.members) for s in stories}
    for article_id in sorted(undated):
        members.setdefault(undated[article_id][0], []).append(article_id)
    return members


def story_order(stories: Sequence[DatedStory], members: dict[str, list[str]]) -> list[str]:
    """Story ids in the order they were started (undated-only stories last, by id)."""
    dated = [s.story_id for s in sorted(stories, key=lambda s: s.created)]
    return dated + sorted(set(members) - set(dated))


def empty_assignment() -> StoryAssignment:
    """An assignment with no story."""
    return StoryAssignment(stories=[], story_of={}, duplicate_group={})


def finish_story(
    story_id: str,
    results: Sequence[ArticleResult],
    profile: StoryProfile,
    duplicate_group: dict[str, str],
    join_evidence: dict[str, JoinEvidence],
    config: StoryConfig,
) -> StoryAssignment:
    """One story's assignment from its members: dates inferred from siblings, title and summary.

    Summaries weigh sentences by term frequency against the story's centroid, so they depend on
    the story alone.
    """
    from eventwire.stories.dating import infer_dates
    from eventwire.stories.summary import build_story

    ids = [r.article.article_id for r in results]
    story_of = dict.fromkeys(ids, story_id)
    date_evidence = infer_dates(results, story_of)
    inferred = {article_id: evidence.date for article_id, evidence in date_evidence.items()}
    state = profile.state(story_id)
    state.members = ids
    story = build_story(
        state,
        [r.article for r in results],
        inferred,
        TermWeights(max_terms=config.vector_terms),
        summary_limit=config.summary_sentences,
        with_summary=config.summarize,
    )
    return StoryAssignment(
        stories=[story],
        story_of=story_of,
        duplicate_group={a: duplicate_group.get(a, a) for a in ids},
        inferred_dates=inferred,
        join_evidence={a: join_evidence[a] for a in ids if a in join_evidence},
        date_evidence=date_evidence,
    )
