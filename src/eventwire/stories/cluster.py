"""Story clustering of dated articles arriving in date order, with a gap rule in time.

Each article is compared only with the stories that are still open and that share a
blocking key with it: one of its strongest terms, a named actor or an actor dyad
(inverted index key → open stories). A story stays open while its reports keep
arriving: it closes once its latest report is more than `window_days` behind the
stream (a gap threshold, counted from the latest report, not the first), so a summit, a
siege or a trial reported day after day stays one story, and splits when the reporting
stops. The best candidate by a weighted similarity of text, headlines, actors, dyads and event
dates takes the article if it reaches the threshold; otherwise the article starts a story. Near
duplicates join their original's story. A story spans at most `max_span_days`: later
articles start a new one, so a recurring topic (daily market reports, a long war) is cut
into happenings instead of growing one story for ever.

A dated article joining an open story must also resemble one of the story's latest
reports (`recent_threshold`), not only its centroid: a development reported day after day
chains from report to report, while a neighbouring story on the same subject matches the
centroid's common terms without matching any single report.
Cost per article is bounded by the number of candidates, so a stream is near-linear.

An article without a publication date has no place in time, so no time window can
vouch for it and it never enters the clusterer: `stories.canonical.choose_story` lets it
join a story only on strong evidence: as a near-duplicate of a member (MinHash), a
rewritten copy (text almost the story's: `strong_evidence`), or a report of the same
specific happening (the same actors and event type, i.e. its dyads central to the story's,
plus distinctive shared terms). Otherwise it stays alone.

Memory is bounded by time, not by the size of the stream: a story whose latest article is
more than `retire_after_days` behind the stream is retired (`retirable`, `retire`): its
state, postings and near-duplicate signatures leave the clusterer, and nothing can join
it any more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

# JoinEvidence stays importable from here: clusterer states pickled before it moved to records.py name it so
from eventwire.records import ArticleResult, JoinEvidence
from eventwire.stories.dedup import DuplicateIndex
from eventwire.stories.keys import interval_gap
from eventwire.stories.profile import ArticleProfile, KeyFrequencies, build_profile
from eventwire.stories.text import TermWeights, Vector, add_into, cosine

#: Text carries stories; actors, dyads and dates only tip close calls (on the labelled set's tune part, larger
#: weights for them lowered F1: an extracted actor that differs between two reports of one story is common).
#: A headline says what a report is about: between two titled articles the titles' terms count half as much as
#: the whole text (tune part: 0.3 to 1.0 all separate two intertwined takeover stories; 0.5 is the middle).
DEFAULT_WEIGHTS = {"text": 1.0, "title": 0.5, "actors": 0.05, "dyads": 0.05, "dates": 0.05}


@dataclass
class StoryConfig:
    """Tuning of story clustering (defaults chosen on the tune part of the labelled story set)."""

    window_days: float = 7.0  # gap: a story closes when its latest dated report is this far behind the stream
    threshold: float = 0.2  # similarity to the story (centroid) needed to join an open story
    rewrite_text: float = 0.8  # text cosine of a rewritten copy (near-duplicate text MinHash misses)
    recent_threshold: float = 0.25  # a dated join also needs this text cosine with one of the latest reports
    recent_reports: int = 8  # how many of a story's latest reports are kept for that check
    happening_dyads: float = 0.3  # same happening: cosine of the article's dyads with the story's (actors + type)
    happening_text: float = 0.2  # same happening: text cosine with the story (distinctive shared terms)
    duplicate_threshold: float = 0.8  # estimated shingle Jaccard of near-duplicates
    shingle_size: int = 5
    num_perm: int = 128
    vector_terms: int = 200  # strongest terms kept per article vector
    blocking_terms: int = 20  # strongest terms used as blocking keys
    centroid_terms: int = 600  # strongest terms kept per story centroid while open
    closed_centroid_terms: int = 250  # and once closed, and in the profile undated articles are compared with
    max_candidates: int = 25  # stories scored in full per article
    max_posting: int = 400  # keys shared by more stories than this are not used for blocking
    date_tolerance_days: int = 1
    max_span_days: float = 21.0  # a story takes no article dated this long after its first one
    retire_after_days: float = 14.0  # a story this far behind the stream is final (>= window_days)
    batch_size: int = 256
    summarize: bool = True
    summary_sentences: int = 5
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass
class StoryState:
    """A story while clustering: member ids and the sums of their feature vectors."""

    story_id: str
    members: list[str] = field(default_factory=list)
    terms: Vector = field(default_factory=dict)
    terms_norm: float = 0.0
    actors: dict[str, float] = field(default_factory=dict)
    actors_norm: float = 0.0
    dyads: dict[str, float] = field(default_factory=dict)
    dyads_norm: float = 0.0
    dates: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    last_active: dt.date | None = None
    first: dt.date | None = None  # earliest publication date of a member
    latest: dt.date | None = None  # latest publication date of a member: the gap and retirement count from it
    open: bool = True
    created: int = 0  # arrival position of the first member
    recent: list[Vector] = field(default_factory=list)  # text vectors of the latest reports (while open)
    headline: Vector = field(default_factory=dict)  # sum of the members' title vectors
    headline_norm: float = 0.0

    def add(self, profile: ArticleProfile, max_terms: int, recent: int = 0) -> None:
        """Add a dated article's features to the story's sums; it keeps the story open."""
        self.members.append(profile.article_id)
        if recent:
            self.recent = [*self.recent, profile.terms][-recent:]
        when = profile.effective
        if when is not None:
            self.latest = max(self.latest or when, when)
            self.first = min(self.first or when, when)
            self.last_active = max(self.last_active or when, when)
        self.terms_norm = add_into(self.terms, profile.terms, self.terms_norm)
        if len(self.terms) > 2 * max_terms:
            self.prune(max_terms)
        self.actors_norm = add_into(self.actors, profile.actors, self.actors_norm)
        self.dyads_norm = add_into(self.dyads, profile.dyads, self.dyads_norm)
        self.headline_norm = add_into(self.headline, profile.headline, self.headline_norm)
        self.dates.extend(profile.dates)

    def prune(self, max_terms: int) -> None:
        """Keep the centroid's strongest terms only (bounds memory for long-lived stories)."""
        kept = sorted(self.terms.items(), key=lambda kv: -kv[1])[:max_terms]
        self.terms = dict(kept)
        self.terms_norm = math.sqrt(sum(w * w for _, w in kept))


@dataclass
class RetiredStory:
    """A story taken out of the clusterer: its state and how its members joined it."""

    state: StoryState
    join_evidence: dict[str, JoinEvidence]
    duplicate_group: dict[str, str]
    signatures: dict[str, bytes] = field(default_factory=dict)  # MinHash of members (undated copies match them)


def story_id_for(article_id: str) -> str:
    """Stable story id derived from the story's first article."""
    return "st-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def similarity(profile: ArticleProfile, story: StoryState, config: StoryConfig) -> tuple[float, dict[str, float]]:
    """Weighted similarity over the channels both sides have; parts per channel."""
    parts = {"text": cosine(profile.terms, story.terms, story.terms_norm)}
    if profile.actors and story.actors:
        parts["actors"] = cosine(profile.actors, story.actors, story.actors_norm)
    if profile.dyads and story.dyads:
        parts["dyads"] = cosine(profile.dyads, story.dyads, story.dyads_norm)
    if profile.headline and story.headline:
        parts["title"] = cosine(profile.headline, story.headline, story.headline_norm)
    if profile.dates and story.dates:
        parts["dates"] = date_agreement(profile.dates, story.dates, config.date_tolerance_days)
    weights = config.weights
    total = sum(weights.get(k, 0.0) for k in parts) or 1.0
    return sum(weights.get(k, 0.0) * v for k, v in parts.items()) / total, parts


def strong_evidence(parts: dict[str, float], config: StoryConfig) -> str:
    """Whether an article surely reports a story's happening, and why ("" if not): near-duplicate
    text (a rewritten copy: text cosine at least `rewrite_text`), or the same happening: the same
    actors and event type (its dyads central to the story's) and distinctive shared terms."""
    text = parts.get("text", 0.0)
    if text >= config.rewrite_text:
        return "rewrite"
    if parts.get("dyads", 0.0) >= config.happening_dyads and text >= config.happening_text:
        return "same-happening"
    return ""


def date_agreement(
    dates: Sequence[tuple[dt.date, dt.date]], story_dates: Sequence[tuple[dt.date, dt.date]], tolerance: int
) -> float:
    """Share of an article's stated event dates that some event of the story shares."""
    hits = sum(1 for d in dates if any(interval_gap(d, s) <= tolerance for s in story_dates))
    return hits / len(dates)


#: Bumped whenever the clusterer's pickled state changes shape: a saved state of another format is not resumed.
STATE_FORMAT = 3


class StoryClusterer:
    """Adds dated articles one at a time (in date order) to open stories or new ones.

    Articles without a publication date never enter it: they are matched with its stories on
    their own (`stories.canonical.choose_story`), so that no time window decides for them.
    """

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
        self.format = STATE_FORMAT
        self.terms = TermWeights(max_terms=self.config.vector_terms)
        self.actor_df = KeyFrequencies()
        self.dyad_df = KeyFrequencies()
        self.duplicates = DuplicateIndex(
            threshold=self.config.duplicate_threshold,
            shingle_size=self.config.shingle_size,
            num_perm=self.config.num_perm,
        )
        self.stories: dict[str, StoryState] = {}
        self.story_of: dict[str, str] = {}
        self.evidence: dict[str, JoinEvidence] = {}
        self._open_index: dict[str, set[str]] = {}
        self._story_keys: dict[str, set[str]] = {}
        self._expiry: list[tuple[dt.date, str]] = []
        self._retire_heap: list[tuple[dt.date, str]] = []
        self._order = 0

    def add_many(self, results: Sequence[ArticleResult]) -> list[str]:
        """Add dated articles in date order; return their story ids."""
        undated = next((r.article.article_id for r in results if r.article.published is None), None)
        if undated is not None:
            raise ValueError(f"{undated}: an article without a publication date cannot be clustered in time")
        out: list[str] = []
        size = self.config.batch_size
        for start in range(0, len(results), size):
            batch = results[start : start + size]
            vectors = self.terms.add_documents([document_text(r) for r in batch])
            headlines = self.terms.vectors([r.article.title or "" for r in batch])
            for result, vector, headline in zip(batch, vectors, headlines, strict=True):
                out.append(self._add(result, vector, headline))
        return out

    def add(self, result: ArticleResult) -> str:
        """Add one dated article."""
        return self.add_many([result])[0]

    def _add(self, result: ArticleResult, vector: Vector, headline: Vector) -> str:
        article = result.article
        when = article.published
        assert when is not None
        profile = build_profile(result, self._order, when, vector, self.actor_df, self.dyad_df, headline)
        self._order += 1
        self._close_before(when)
        group = self.duplicates.add(article.article_id, article.text)
        if group != article.article_id and group in self.story_of and self._accepts(self.story_of[group], when):
            story_id = self.story_of[group]
            evidence = JoinEvidence(article.article_id, story_id, "duplicate", 1.0, duplicate_of=group)
        else:
            story_id, evidence = self._best_story(profile)
        self._join(profile, story_id)
        self.evidence[article.article_id] = evidence
        return story_id

    def _best_story(self, profile: ArticleProfile) -> tuple[str, JoinEvidence]:
        """The open story the article joins ("similar": above the threshold and like a latest report), else its own."""
        config = self.config
        nearest: tuple[float, str, dict[str, float]] | None = None
        best: tuple[float, str, dict[str, float]] | None = None
        for story_id in self._candidates(profile.blocking_keys(config.blocking_terms)):
            if not self._accepts(story_id, profile.effective):
                continue
            story = self.stories[story_id]
            score, parts = similarity(profile, story, config)
            if nearest is None or score > nearest[0]:
                nearest = (score, story_id, parts)
            joins = score >= config.threshold and self._like_a_recent_report(profile, story)
            if joins and (best is None or score > best[0]):
                best = (score, story_id, parts)
        if best is None:
            story_id = story_id_for(profile.article_id)
            evidence = JoinEvidence(profile.article_id, story_id, "new")
            if nearest is not None:
                evidence.score, evidence.parts, evidence.nearest_story = round(nearest[0], 4), nearest[2], nearest[1]
            return story_id, evidence
        score, story_id, parts = best
        return story_id, JoinEvidence(profile.article_id, story_id, "similar", round(score, 4), parts)

    def _accepts(self, story_id: str, when: dt.date | None) -> bool:
        """Whether the story may still take an article of this date: its span is capped."""
        first = self.stories[story_id].first
        return when is None or first is None or (when - first).days <= self.config.max_span_days

    def _candidates(self, keys: list[str]) -> list[str]:
        """Open stories sharing the most blocking keys with the article (keys too common are skipped)."""
        counts: Counter[str] = Counter()
        limit = self.config.max_posting
        for key in keys:
            open_posting = self._open_index.get(key)
            if open_posting is None or len(open_posting) > limit:
                continue
            counts.update(open_posting)
        # ties by story id: the open postings are sets, whose order changes with the process's hash seed
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [story_id for story_id, _ in ranked[: self.config.max_candidates]]

    def _join(self, profile: ArticleProfile, story_id: str) -> None:
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = StoryState(
                story_id=story_id, last_active=profile.effective, created=profile.order
            )
            self._story_keys[story_id] = set()
        latest = story.latest
        story.add(profile, self.config.centroid_terms, self.config.recent_reports)
        if story.latest is not None and story.latest != latest:
            heapq.heappush(self._retire_heap, (story.latest, story_id))
        self.story_of[profile.article_id] = story_id
        self._index(profile, story)

    def _like_a_recent_report(self, profile: ArticleProfile, story: StoryState) -> bool:
        """Whether the article's text is close to one of the story's latest reports (`recent_threshold`)."""
        limit = self.config.recent_threshold
        return not limit or any(cosine(profile.terms, vector, 1.0) >= limit for vector in story.recent)

    def retirable(self, now: dt.date) -> list[str]:
        """Stories whose latest article is more than `retire_after_days` before `now`, oldest first."""
        horizon = now - dt.timedelta(days=max(self.config.retire_after_days, self.config.window_days))
        out = []
        while self._retire_heap and self._retire_heap[0][0] < horizon:
            latest, story_id = heapq.heappop(self._retire_heap)
            story = self.stories.get(story_id)
            if story is not None and story.latest == latest:
                out.append(story_id)
        return out

    def retire(self, story_id: str) -> RetiredStory:
        """Remove a finished story and everything indexed for it; return what it held."""
        story = self.stories.pop(story_id)
        for key in self._story_keys.pop(story_id):
            open_posting = self._open_index.get(key)
            if open_posting is not None:
                open_posting.discard(story_id)
                if not open_posting:
                    del self._open_index[key]
        evidence = {a: self.evidence.pop(a) for a in story.members if a in self.evidence}
        for article_id in story.members:
            self.story_of.pop(article_id, None)
        signatures = self.duplicates.signatures_of(story.members)
        groups = self.duplicates.forget(story.members)
        return RetiredStory(state=story, join_evidence=evidence, duplicate_group=groups, signatures=signatures)

    def _index(self, profile: ArticleProfile, story: StoryState) -> None:
        known = self._story_keys[story.story_id]
        for key in profile.blocking_keys(self.config.blocking_terms):
            if key in known:
                continue
            known.add(key)
            if story.open:
                self._open_index.setdefault(key, set()).add(story.story_id)
        if story.open and story.last_active is not None:
            heapq.heappush(self._expiry, (story.last_active, story.story_id))

    def _close_before(self, now: dt.date) -> None:
        """Close stories whose latest report is more than the gap (`window_days`) before `now`."""
        horizon = now - dt.timedelta(days=self.config.window_days)
        while self._expiry and self._expiry[0][0] < horizon:
            last_active, story_id = heapq.heappop(self._expiry)
            story = self.stories.get(story_id)
            if story is None or not story.open or (story.last_active and story.last_active > last_active):
                continue
            story.open = False
            story.recent = []  # only open stories take dated articles, the one use of the latest reports
            story.prune(self.config.closed_centroid_terms)
            for key in self._story_keys[story_id]:
                posting = self._open_index.get(key)
                if posting is not None:
                    posting.discard(story_id)
                    if not posting:
                        del self._open_index[key]


def document_text(result: ArticleResult) -> str:
    """The text an article's term vector is made of: title and body."""
    article = result.article
    return f"{article.title}\n\n{article.text}" if article.title else article.text
