"""Online, time-windowed story clustering of articles arriving in date order.

Each article is compared only with the stories that are still open (last article
within `window_days`) and that share a blocking key with it: one of its strongest
terms, a named actor or an actor dyad (inverted index key → open stories). The best
candidate by a weighted similarity of text, actors, dyads and event dates takes the
article if it reaches the threshold; otherwise the article starts a story. Near
duplicates join their original's story. A story spans at most `max_span_days`: later
articles start a new one, so a recurring topic (daily market reports, a long war) is
cut into happenings instead of growing one story for ever. An undated article is compared with
story, open or closed, still held, and joins the best one above the threshold.
Cost per article is bounded by the number of candidates, so a stream is near-linear.

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

from eventwire.records import ArticleResult, DateValue, Story
from eventwire.stories.dedup import DuplicateIndex
from eventwire.stories.keys import interval_gap
from eventwire.stories.profile import ArticleProfile, KeyFrequencies, build_profile
from eventwire.stories.text import TermWeights, Vector, add_into, cosine

DEFAULT_WEIGHTS = {"text": 0.5, "actors": 0.25, "dyads": 0.25, "dates": 0.15}


@dataclass
class StoryConfig:
    """Tuning of story clustering (defaults measured on the labelled story set)."""

    window_days: float = 3.0
    threshold: float = 0.3  # similarity needed to join an open story
    undated_threshold: float = 0.42  # stricter: an undated article is compared with every story, open or not
    duplicate_threshold: float = 0.8  # estimated shingle Jaccard of near-duplicates
    shingle_size: int = 5
    num_perm: int = 128
    vector_terms: int = 200  # strongest terms kept per article vector
    blocking_terms: int = 20  # strongest terms used as blocking keys
    centroid_terms: int = 600  # strongest terms kept per story centroid while open
    closed_centroid_terms: int = 250  # and once closed (closed stories only serve undated articles)
    max_candidates: int = 25  # stories scored in full per article
    max_posting: int = 400  # keys shared by more stories than this are not used for blocking
    date_tolerance_days: int = 1
    max_span_days: float = 14.0  # a story takes no article dated this long after its first one
    retire_after_days: float = 14.0  # a story this far behind the stream is final (>= window_days)
    batch_size: int = 256
    summarize: bool = True
    summary_sentences: int = 5
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass
class JoinEvidence:
    """Why an article is in its story."""

    article_id: str
    story_id: str
    reason: str  # "new", "similar", "duplicate"
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)  # similarity per channel
    duplicate_of: str | None = None
    nearest_story: str | None = None  # for new stories: the closest existing story (score = its similarity)


@dataclass
class DateEvidence:
    """An undated article's date taken from a matching dated event of a sibling article."""

    article_id: str
    event_id: str
    sibling_article_id: str
    sibling_event_id: str
    date: DateValue
    score: float


@dataclass
class StoryAssignment:
    """The stories of a collection and how each article got its story (and date)."""

    stories: list[Story]
    story_of: dict[str, str]
    duplicate_group: dict[str, str]
    inferred_dates: dict[str, DateValue] = field(default_factory=dict)
    join_evidence: dict[str, JoinEvidence] = field(default_factory=dict)
    date_evidence: dict[str, DateEvidence] = field(default_factory=dict)

    def story(self, story_id: str) -> Story | None:
        """The story with this id."""
        return next((s for s in self.stories if s.story_id == story_id), None)


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
    first: dt.date | None = None  # earliest date of a dated member (of the first member if none is dated)
    latest: dt.date | None = None  # latest date of a dated member (likewise): retirement counts from it
    open: bool = True
    created: int = 0  # arrival position of the first member

    def add(self, profile: ArticleProfile, max_terms: int) -> None:
        """Add an article's features to the story's sums; dated articles keep the story open."""
        self.members.append(profile.article_id)
        when = profile.effective
        if when and (profile.dated or self.latest is None):  # undated members do not keep a story alive
            self.latest = max(self.latest or when, when)
            self.first = min(self.first or when, when)
        self.terms_norm = add_into(self.terms, profile.terms, self.terms_norm)
        if len(self.terms) > 2 * max_terms:
            self.prune(max_terms)
        self.actors_norm = add_into(self.actors, profile.actors, self.actors_norm)
        self.dyads_norm = add_into(self.dyads, profile.dyads, self.dyads_norm)
        self.dates.extend(profile.dates)
        if profile.dated and profile.effective and (self.last_active is None or profile.effective > self.last_active):
            self.last_active = profile.effective

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
    if profile.dates and story.dates:
        parts["dates"] = date_agreement(profile.dates, story.dates, config.date_tolerance_days)
    weights = config.weights
    total = sum(weights.get(k, 0.0) for k in parts) or 1.0
    return sum(weights.get(k, 0.0) * v for k, v in parts.items()) / total, parts


def date_agreement(
    dates: Sequence[tuple[dt.date, dt.date]], story_dates: Sequence[tuple[dt.date, dt.date]], tolerance: int
) -> float:
    """Share of an article's stated event dates that some event of the story shares."""
    hits = sum(1 for d in dates if any(interval_gap(d, s) <= tolerance for s in story_dates))
    return hits / len(dates)


class StoryClusterer:
    """Adds articles one at a time (in date order) to open stories or new ones."""

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
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
        self._all_index: dict[str, list[str]] = {}
        self._story_keys: dict[str, set[str]] = {}
        self._expiry: list[tuple[dt.date, str]] = []
        self._retire_heap: list[tuple[dt.date, str]] = []
        self._order = 0

    def add_many(self, items: Sequence[tuple[ArticleResult, dt.date | None]]) -> list[str]:
        """Add (result, effective date) pairs in order; return their story ids."""
        out: list[str] = []
        size = self.config.batch_size
        for start in range(0, len(items), size):
            batch = items[start : start + size]
            vectors = self.terms.add_documents([_document_text(r) for r, _ in batch])
            for (result, effective), vector in zip(batch, vectors, strict=True):
                out.append(self._add(result, effective, vector))
        return out

    def add(self, result: ArticleResult, effective: dt.date | None = None) -> str:
        """Add one article (its publication date, else `effective`, places it in time)."""
        return self.add_many([(result, effective)])[0]

    def _add(self, result: ArticleResult, effective: dt.date | None, vector: Vector) -> str:
        article = result.article
        when = article.published or effective
        profile = build_profile(result, self._order, when, vector, self.actor_df, self.dyad_df)
        self._order += 1
        if when is not None:
            self._close_before(when)
        group = self.duplicates.add(article.article_id, article.text)
        dated = article.published is not None
        if group != article.article_id and group in self.story_of and self._accepts(self.story_of[group], when, dated):
            story_id = self.story_of[group]
            evidence = JoinEvidence(article.article_id, story_id, "duplicate", 1.0, duplicate_of=group)
        else:
            story_id, evidence = self._best_story(profile)
        self._join(profile, story_id)
        self.evidence[article.article_id] = evidence
        return story_id

    def _best_story(self, profile: ArticleProfile) -> tuple[str, JoinEvidence]:
        config = self.config
        keys = profile.blocking_keys(config.blocking_terms)
        candidates = self._candidates(keys, dated=profile.dated)
        threshold = config.threshold if profile.dated else config.undated_threshold
        best: tuple[float, str, dict[str, float]] | None = None
        for story_id in candidates:
            if not self._accepts(story_id, profile.effective, profile.dated):
                continue
            score, parts = similarity(profile, self.stories[story_id], config)
            if best is None or score > best[0]:
                best = (score, story_id, parts)
        if best is None or best[0] < threshold:
            story_id = story_id_for(profile.article_id)
            evidence = JoinEvidence(profile.article_id, story_id, "new")
            if best is not None:
                evidence.score, evidence.parts, evidence.nearest_story = round(best[0], 4), best[2], best[1]
            return story_id, evidence
        return best[1], JoinEvidence(profile.article_id, best[1], "similar", round(best[0], 4), best[2])

    def _accepts(self, story_id: str, when: dt.date | None, dated: bool) -> bool:
        """Whether the story may still take this article: its span is capped for dated articles."""
        first = self.stories[story_id].first
        return not dated or when is None or first is None or (when - first).days <= self.config.max_span_days

    def _candidates(self, keys: list[str], dated: bool) -> list[str]:
        counts: Counter[str] = Counter()
        limit = self.config.max_posting
        for key in keys:
            if dated:
                open_posting = self._open_index.get(key)
                if open_posting is None or len(open_posting) > limit:
                    continue
                counts.update(open_posting)
            else:
                counts.update(self._all_index.get(key, [])[-limit:])
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
        story.add(profile, self.config.centroid_terms)
        if story.latest is not None and story.latest != latest:
            heapq.heappush(self._retire_heap, (story.latest, story_id))
        self.story_of[profile.article_id] = story_id
        self._index(profile, story)

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
            posting = self._all_index.get(key)
            if posting is not None:
                posting.remove(story_id)
                if not posting:
                    del self._all_index[key]
            open_posting = self._open_index.get(key)
            if open_posting is not None:
                open_posting.discard(story_id)
                if not open_posting:
                    del self._open_index[key]
        evidence = {a: self.evidence.pop(a) for a in story.members if a in self.evidence}
        for article_id in story.members:
            self.story_of.pop(article_id, None)
        groups = self.duplicates.forget(story.members)
        return RetiredStory(state=story, join_evidence=evidence, duplicate_group=groups)

    def _index(self, profile: ArticleProfile, story: StoryState) -> None:
        known = self._story_keys[story.story_id]
        for key in profile.blocking_keys(self.config.blocking_terms):
            if key in known:
                continue
            known.add(key)
            self._all_index.setdefault(key, []).append(story.story_id)
            if story.open:
                self._open_index.setdefault(key, set()).add(story.story_id)
        if story.open and story.last_active is not None:
            heapq.heappush(self._expiry, (story.last_active, story.story_id))

    def _close_before(self, now: dt.date) -> None:
        """Close stories whose last article is more than the window before `now`."""
        horizon = now - dt.timedelta(days=self.config.window_days)
        while self._expiry and self._expiry[0][0] < horizon:
            last_active, story_id = heapq.heappop(self._expiry)
            story = self.stories.get(story_id)
            if story is None or not story.open or (story.last_active and story.last_active > last_active):
                continue
            story.open = False
            story.prune(self.config.closed_centroid_terms)
            for key in self._story_keys[story_id]:
                posting = self._open_index.get(key)
                if posting is not None:
                    posting.discard(story_id)
                    if not posting:
                        del self._open_index[key]


def _document_text(result: ArticleResult) -> str:
    article = result.article
    return f"{article.title}\n\n{article.text}" if article.title else article.text


def effective_dates(results: Sequence[ArticleResult]) -> list[dt.date | None]:
    """Publication dates, with undated articles placed at their nearest dated neighbour in input order."""
    return fill_dates([r.article.published for r in results])


def fill_dates(dates: Sequence[dt.date | None]) -> list[dt.date | None]:
    """Each missing date replaced by the previous known one in order (else the next one)."""
    out: list[dt.date | None] = list(dates)
    previous: dt.date | None = None
    for i, date in enumerate(dates):
        previous = date or previous
        out[i] = previous
    following: dt.date | None = None
    for i in range(len(dates) - 1, -1, -1):
        following = dates[i] or following
        if out[i] is None:
            out[i] = following
    return out


def arrival_order(results: Sequence[ArticleResult]) -> list[tuple[ArticleResult, dt.date | None]]:
    """Articles in date order (stable: same-day and undated articles keep input order)."""
    return [(results[i], effective) for i, effective in arrival_positions([r.article.published for r in results])]


def arrival_positions(dates: Sequence[dt.date | None]) -> list[tuple[int, dt.date | None]]:
    """(input position, effective date) in arrival order, from publication dates in input order."""
    effective = fill_dates(dates)
    indexed = sorted(range(len(dates)), key=lambda i: (effective[i] or dt.date.min, i))
    return [(i, effective[i]) for i in indexed]
