"""Story records: title and a short extractive summary across the story's articles.

Sentences are scored by closeness to the story's TF-IDF centroid (with a small bonus
for leads) and picked by maximal marginal relevance, so the summary covers the story
without repeating itself. The title is the member title closest to the centroid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from eventwire.records import Article, DateValue, Story
from eventwire.stories.cluster import StoryState
from eventwire.stories.text import TermWeights, Vector, cosine, split_sentences

#: Sentences considered per article (news puts the essentials first).
SENTENCES_PER_ARTICLE = 15
MIN_WORDS, MAX_WORDS = 6, 60
LEAD_BONUS = 0.1
MMR_LAMBDA = 0.7


def candidate_sentences(article: Article) -> list[tuple[str, int]]:
    """(sentence, position) pairs worth quoting in a summary."""
    out = []
    for position, (start, end) in enumerate(split_sentences(article.text)[:SENTENCES_PER_ARTICLE]):
        sentence = article.text[start:end]
        n_words = len(sentence.split())
        if MIN_WORDS <= n_words <= MAX_WORDS and not sentence.endswith(":"):
            out.append((sentence, position))
    return out


def _dot(a: Vector, b: Vector) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def summarize(
    articles: Sequence[Article], centroid: Vector, centroid_norm: float, weights: TermWeights, n: int
) -> list[tuple[str, str]]:
    """Up to n (sentence, article_id) pairs, central and not redundant, in selection order."""
    pool = [(s, p, a.article_id) for a in articles for s, p in candidate_sentences(a)]
    if not pool:
        return []
    vectors = weights.vectors([s for s, _, _ in pool], max_terms=40)
    relevance = [
        cosine(v, centroid, centroid_norm) + (LEAD_BONUS if p < 3 else 0.0)
        for v, (_, p, _) in zip(vectors, pool, strict=True)
    ]
    chosen: list[int] = []
    seen_text: set[str] = set()
    while len(chosen) < n:
        best, best_score = -1, float("-inf")
        for i, rel in enumerate(relevance):
            if i in chosen or pool[i][0] in seen_text:
                continue
            redundancy = max((_dot(vectors[i], vectors[j]) for j in chosen), default=0.0)
            score = MMR_LAMBDA * rel - (1 - MMR_LAMBDA) * redundancy
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        seen_text.add(pool[best][0])
    return [(pool[i][0], pool[i][2]) for i in chosen]


def best_title(articles: Sequence[Article], centroid: Vector, centroid_norm: float, weights: TermWeights) -> str | None:
    """The member title closest to the story centroid, or None when no article has a title."""
    titled = [a for a in articles if a.title and a.title.strip()]
    if not titled:
        return None
    vectors = weights.vectors([a.title or "" for a in titled], max_terms=40)
    scores = [cosine(v, centroid, centroid_norm) for v in vectors]
    best = max(range(len(titled)), key=lambda i: (scores[i], -i))
    return (titled[best].title or "").strip()


def shorten(text: str, limit: int = 120) -> str:
    """Cut a sentence at a word boundary to serve as a title."""
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."


def summary_length(n_articles: int, limit: int) -> int:
    """3 sentences for one article, one more per extra article, at most `limit` (≥ 3)."""
    return max(3, min(limit, 2 + n_articles))


def build_story(
    state: StoryState,
    articles: Sequence[Article],
    inferred: dict[str, DateValue],
    weights: TermWeights,
    summary_limit: int = 5,
    with_summary: bool = True,
) -> Story:
    """The Story record of one clustered story."""
    dates: list[dt.date] = [a.published for a in articles if a.published]
    dates += [v.date for a in articles if (v := inferred.get(a.article_id)) and v.date]
    summary = (
        summarize(articles, state.terms, state.terms_norm, weights, summary_length(len(articles), summary_limit))
        if with_summary
        else []
    )
    title = best_title(articles, state.terms, state.terms_norm, weights)
    if title is None:
        first = summary[0][0] if summary else next(iter(candidate_sentences(articles[0])), ("", 0))[0]
        title = shorten(first)
    return Story(
        story_id=state.story_id,
        title=title,
        article_ids=list(state.members),
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        summary=summary,
    )
