"""Whole-pipeline scores: source/target spans (ConfliBERT NER file) and PLOVER gold records.

These run the real extractor (spaCy parse → clauses → actors → coder) on each
sentence, exactly as `eventwire code` does, and compare with the gold annotations.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from eventwire.events.clauses import find_clauses
from eventwire.events.phrases import actor_span
from eventwire.pipeline import Resources, code_texts

#: Older PLOVER labels used by the gold file, mapped to the current codebook.
PLOVER_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
#: CAMEO country codes that differ from ISO 3166 alpha-3.
CAMEO_COUNTRY_FIXES = {"JAP": "JPN", "GMW": "DEU", "DDR": "DEU", "ROM": "ROU", "UKG": "GBR", "TAW": "TWN"}


def read_bio(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL-style file: (tokens, tags)."""
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield words, tags
            words, tags = [], []
            continue
        word, _, tag = line.rpartition(" ")
        words.append(word)
        tags.append(tag)
    if words:
        yield words, tags


def gold_spans(tags: list[str]) -> set[tuple[str, int, int]]:
    """(role, start, end) spans from BIO tags; R (both) counts as a source and a target."""
    spans: set[tuple[str, int, int]] = set()
    start, role = None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != role):
            if start is not None and role is not None:
                for r in ("S", "T") if role == "R" else (role,):
                    spans.add((r, start, i))
            start, role = (i, tag[2:]) if tag.startswith(("B-", "I-")) else (None, None)
    return spans


def _full_span(token: Token) -> tuple[int, int]:
    """The noun phrase of a token with its prepositional modifiers and appositions (no clauses, no conjuncts)."""
    start = min(actor_span(token).start, token.left_edge.i)
    end = token.i + 1
    for child in token.rights:
        if child.dep_ in ("cc", "conj", "relcl", "acl"):
            break
        if child.dep_ in ("prep", "appos", "compound", "nummod", "poss", "punct"):
            end = child.right_edge.i + 1
    while end > token.i + 1 and token.doc[end - 1].is_punct:
        end -= 1
    return start, end


def predicted_spans(doc: Doc, resolver: Any = None) -> set[tuple[str, int, int]]:
    """Source spans and the one target of the main clause with participants, as the extractor sees them.

    The target is the first participant that resolves to an actor, else the first object.
    """
    for sent in doc.sents:
        for clause in find_clauses(sent):
            if not clause.sources:
                continue
            spans = {("S", *_full_span(t)) for t in clause.sources}
            targets = [t for t in clause.targets if not t.is_punct]
            if resolver is not None:
                actors = [t for t in targets if _resolves(resolver, t)]
                targets = actors or targets
            if targets:
                spans.add(("T", *_full_span(targets[0])))
            return spans
    return set()


def _resolves(resolver: Any, token: Token) -> bool:
    ref = resolver.resolve_text(actor_span(token).text)
    return bool(ref.country or ref.actor_id or (ref.sector and ref.kind))


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def evaluate_spans(path: Path, resources: Resources) -> dict[str, float]:
    """Exact and overlap span F1 for sources and targets on pre-tokenised sentences."""
    sentences = list(read_bio(path))
    docs = (Doc(resources.nlp.vocab, words=words) for words, _ in sentences)
    exact: Counter[str] = Counter()
    loose: Counter[str] = Counter()
    for doc, (_, tags) in zip(resources.nlp.pipe(docs, batch_size=64), sentences, strict=True):
        gold = gold_spans(tags)
        pred = predicted_spans(doc, resources.resolver)
        for role in ("S", "T"):
            g = {s for s in gold if s[0] == role}
            p = {s for s in pred if s[0] == role}
            exact[role + "tp"] += len(g & p)
            exact[role + "fp"] += len(p - g)
            exact[role + "fn"] += len(g - p)
            loose[role + "tp"] += sum(any(_overlaps(x, y) for y in g) for x in p)
            loose[role + "fp"] += sum(not any(_overlaps(x, y) for y in g) for x in p)
            loose[role + "fn"] += sum(not any(_overlaps(y, x) for x in p) for y in g)
    result: dict[str, float] = {"n": len(sentences)}
    for role, name in (("S", "source"), ("T", "target")):
        result[f"{name}_exact_f1"] = _f1(exact[role + "tp"], exact[role + "fp"], exact[role + "fn"])[2]
        result[f"{name}_overlap_f1"] = _f1(loose[role + "tp"], loose[role + "fp"], loose[role + "fn"])[2]
    return result


def read_plover_gold(path: Path) -> list[dict]:
    """Gold PLOVER records with text and an event label (the documentation record dropped)."""
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r for r in records if r.get("text") and r.get("event") and r["event"] != "DOCUMENT"]


def _gold_country(actors: object) -> str | None:
    if not isinstance(actors, list) or not actors:
        return None
    code = str(actors[0].get("code") or "")[:3].upper()
    return CAMEO_COUNTRY_FIXES.get(code, code) or None


def _country_matches(gold: str, actor: dict | None) -> bool:
    if actor is None:
        return False
    if gold == "IGO":
        return actor.get("sector") == "IGO" or actor.get("country") == "IGO"
    return actor.get("country") == gold


def evaluate_plover(path: Path, resources: Resources) -> dict[str, float]:
    """PLOVER event accuracy and source/target country accuracy of the main coded event."""
    gold = read_plover_gold(path)
    items = [(str(i), r["text"], _date(r.get("date"))) for i, r in enumerate(gold)]
    predictions = dict(code_texts(items, resources))
    labels = [PLOVER_RENAMES.get(r["event"], r["event"]) for r in gold]
    majority_label = Counter(labels).most_common(1)[0][0]
    hits = coded = 0
    src_hits = src_n = tgt_hits = tgt_n = 0
    src_gold, tgt_gold = [], []
    for i, (record, label) in enumerate(zip(gold, labels, strict=True)):
        events = predictions.get(str(i), [])
        main = events[0].to_json() if events else None
        coded += main is not None
        hits += bool(main and main["plover"] == label)
        g_src, g_tgt = _gold_country(record.get("source")), _gold_country(record.get("target"))
        if g_src:
            src_n += 1
            src_gold.append(g_src)
            src_hits += _country_matches(g_src, main["source"] if main else None)
        if g_tgt:
            tgt_n += 1
            tgt_gold.append(g_tgt)
            tgt_hits += _country_matches(g_tgt, main["target"] if main else None)
    n = len(gold)
    return {
        "n": n,
        "event_accuracy": hits / n,
        "event_majority": sum(label == majority_label for label in labels) / n,
        "coverage": coded / n,
        "source_country_accuracy": src_hits / max(src_n, 1),
        "source_country_majority": Counter(src_gold).most_common(1)[0][1] / max(src_n, 1),
        "target_country_accuracy": tgt_hits / max(tgt_n, 1),
        "target_country_majority": Counter(tgt_gold).most_common(1)[0][1] / max(tgt_n, 1),
        "n_source": src_n,
        "n_target": tgt_n,
    }


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
