"""A learned role classifier: which actor phrase of a sentence is the target of a clause.

The rules of `extract.find_targets` take targets from fixed positions (objects, to/with/against
phrases, partners of an object noun). Where they find none, or one the classifier finds much less
likely than another phrase, the classifier's best candidate is taken instead. Candidates are the
phrases of the sentence the actor resolver resolves; each is described by cheap features of the
existing parse (the dependency path to the clause verb, the preposition on it, position, voice,
clause boundaries crossed, entity label, the resolved actor's kind) and scored by a logistic
regression stored as a feature → weight table in events/data/roles.json (trained by
scripts/train_roles.py on ConfliBERT's source/target span file, without any gold-set sentence).
Without that file the rules are used alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from eventwire.records import ActorRef

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"
#: Dependents that belong to another word's phrase: their token is never a candidate head of its own.
PHRASE_INTERNAL = {"compound", "flat", "amod", "det", "nummod", "quantmod", "case", "punct", "nmod"}
NON_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "FAC", "LOC"}
#: Clause boundaries a path can cross; crossing one says the candidate belongs to another clause.
CLAUSE_LINKS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "parataxis"}
MAX_PATH = 4
#: Prepositions whose place object is where something happened, not who it happened to ('arrived in Bosnia').
LOCATION_PREPS = {"in", "at", "near", "outside", "inside", "within", "across", "throughout", "around"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
#: Verbs of saying: their addressee is a 'told X' object the rules take; what else the sentence names is
#: the content's, not the speaker's target.
SAYING_LEMMAS = {"say", "state", "add", "declare", "announce", "note", "stress", "report", "claim", "write"}

Resolve = Callable[[Token], ActorRef | None]


@dataclass
class Candidate:
    """A phrase of the sentence that names an actor."""

    head: Token
    span: Span
    ref: ActorRef


def candidate_heads(sent: Span) -> list[Token]:
    """Head nouns and names of the sentence's noun phrases (possessors and appositions count on their own)."""
    return [
        tok
        for tok in sent
        if tok.pos_ in ("NOUN", "PROPN")
        and tok.dep_ not in PHRASE_INTERNAL
        and tok.ent_type_ not in NON_ACTOR_ENTS
        and not _is_location(tok)
    ]


def _is_location(tok: Token) -> bool:
    """A place in a where-phrase ('in Bosnia', 'at the border')."""
    return tok.ent_type_ in PLACE_ENTS and tok.dep_ == "pobj" and tok.head.lower_ in LOCATION_PREPS


def sentence_candidates(sent: Span, resolve: Resolve, span_of: Callable[[Token], Span]) -> list[Candidate]:
    """Every phrase of the sentence that resolves to an actor, once per phrase."""
    seen: set[tuple[int, int]] = set()
    candidates = []
    for head in candidate_heads(sent):
        span = span_of(head)
        if (span.start, span.end) in seen:
            continue
        seen.add((span.start, span.end))
        ref = resolve(head)
        if ref is not None:
            candidates.append(Candidate(head, span, ref))
    return candidates


def dependency_path(start: Token, end: Token) -> tuple[list[str], list[Token]]:
    """Arcs from `start` up to the lowest common ancestor ('dobj<') and down to `end` ('>xcomp'), and the
    tokens passed on the way (the ancestor included)."""
    up_chain = [start, *start.ancestors]
    down_chain = [end, *end.ancestors]
    down_index = {tok.i: n for n, tok in enumerate(down_chain)}
    for n, tok in enumerate(up_chain):
        if tok.i in down_index:
            up, down = up_chain[:n], down_chain[: down_index[tok.i]]
            arcs = [f"{t.dep_}<" for t in up] + [f">{t.dep_}" for t in reversed(down)]
            return arcs, [*up, tok, *reversed(down)]
    return ["none"], [start, end]


@dataclass
class ClauseView:
    """What the features need of a clause: its verb, the rules' sources and target tokens, its voice."""

    verb: Token
    sources: Sequence[Token]
    rule_targets: set[int]  # token indices of the phrases the rules took as targets
    passive: bool


def clause_view(clause: Any, span_of: Callable[[Token], Span]) -> ClauseView:
    """The features' view of an extractor `Clause`."""
    rule_targets = {t.i for target in clause.targets for t in span_of(target)}
    return ClauseView(clause.verb, clause.sources, rule_targets, is_passive(clause.verb))


def nested_in_another(candidate: Candidate, candidates: Sequence[Candidate]) -> bool:
    """A phrase inside another candidate's ('Sri Lanka's' in 'Sri Lanka's police chief')."""
    span = candidate.span
    return any(
        o is not candidate and o.span.start <= span.start and span.end <= o.span.end for o in candidates
    )


def candidate_features(candidate: Candidate, view: ClauseView, nested: bool) -> list[str]:
    """The names of the binary features that hold for one candidate of one clause."""
    head, verb, sources, passive = candidate.head, view.verb, view.sources, view.passive
    arcs, passed = dependency_path(head, verb)
    path = "".join(arcs) if len(arcs) <= MAX_PATH else "long"
    preps = [t.lower_ for t in passed if t.dep_ in ("prep", "agent", "dative") and t.pos_ == "ADP"]
    prep = preps[0] if preps else "none"
    crossed = sorted({a.strip("<>") for a in arcs} & CLAUSE_LINKS)
    lemma = verb.lemma_.lower()
    ref = candidate.ref
    side = "before" if head.i < verb.i else "after"
    features = [
        f"path={path}",
        f"first={head.dep_}",
        f"prep={prep}",
        f"len={min(len(arcs), 6)}",
        f"side={side}",
        f"side_prep={side}|{prep}",
        f"voice={'passive' if passive else 'active'}|{path}",
        f"ent={head.ent_type_ or 'none'}",
        f"kind={ref.kind or 'none'}",
        f"sector={ref.sector or 'none'}",
        f"country={ref.country is not None}",
        f"shape={head.pos_}|{ref.kind}|{'sector' if ref.sector else 'no sector'}|{'named' if ref.name else 'unnamed'}",
        f"nested={nested}",
        f"lemma_prep={lemma}|{prep}",
        f"verb_pos={verb.pos_}",
        f"rule_target={head.i in view.rule_targets}",
        f"rule_path={head.i in view.rule_targets}|{path}",
    ]
    features += [f"cross={link}" for link in crossed] or ["cross=none"]
    features += [f"subject_of_other={head.dep_ in ('nsubj', 'nsubjpass') and head.head.i != verb.i}"]
    if sources:
        near = min(sources, key=lambda s: abs(s.i - head.i))
        features.append(f"source_side={'before' if head.i < near.i else 'after'}")
        if any(head.i in {c.i for c in s.conjuncts} for s in sources):
            features.append("source_conjunct")
    return features


def clause_candidates(
    clause: Any, candidates: Sequence[Candidate], span_of: Callable[[Token], Span]
) -> list[Candidate]:
    """The sentence's candidates that are not the clause's own sources (nor its verb)."""
    taken = {t.i for s in clause.sources for t in span_of(s)}
    return [c for c in candidates if c.head.i not in taken and c.head.i != clause.verb.i]


@dataclass(frozen=True)
class RoleModel:
    """The fitted classifier: feature weights, and when its choice overrides the rules."""

    weights: dict[str, float]
    intercept: float
    threshold: float  # take the best candidate where the rules found no target, from this probability
    margin: float  # replace a rule target whose probability is this much below the best candidate's

    def probability(self, features: Sequence[str]) -> float:
        z = self.intercept + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-z))


@cache
def load_role_model(path: Path = ROLES_FILE) -> RoleModel | None:
    """The shipped role classifier, or None when there is none."""
    if not path.is_file():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    return RoleModel(
        weights=dict(payload["weights"]),
        intercept=float(payload["intercept"]),
        threshold=float(payload["threshold"]),
        margin=float(payload["margin"]),
    )


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


class TargetChooser:
    """Revises the rules' targets of each clause with the role classifier (candidates resolved once a sentence)."""

    def __init__(self, model: RoleModel, span_of: Callable[[Token], Span]) -> None:
        self.model = model
        self.span_of = span_of
        self._sentence: Span | None = None
        self._candidates: list[Candidate] = []

    def candidates(self, sent: Span, resolve: Resolve) -> list[Candidate]:
        if sent is not self._sentence:  # the same Span object for every clause of one sentence
            self._sentence = sent
            self._candidates = sentence_candidates(sent, resolve, self.span_of)
        return self._candidates

    def scored(self, clause: Any, sent: Span, resolve: Resolve) -> list[tuple[float, Candidate]]:
        """The sentence's candidates that could be the clause's target, with their probability, best first."""
        view = clause_view(clause, self.span_of)
        candidates = self.candidates(sent, resolve)
        out = []
        for candidate in clause_candidates(clause, candidates, self.span_of):
            features = candidate_features(candidate, view, nested_in_another(candidate, candidates))
            out.append((self.model.probability(features), candidate))
        out.sort(key=lambda pair: -pair[0])
        return out

    def targets(
        self, clause: Any, sent: Span, sources: list[ActorRef], targets: list[ActorRef], resolve: Resolve
    ) -> list[ActorRef]:
        """The clause's targets: the rules' unless the classifier is confident they missed the right one."""
        if clause.verb.lemma_.lower() in SAYING_LEMMAS:
            return targets
        scored = [(p, c) for p, c in self.scored(clause, sent, resolve) if not _among(c.ref, sources)]
        if not scored:
            return targets
        best_probability, best = scored[0]
        if not targets:
            return [best.ref] if best_probability >= self.model.threshold else targets
        if _among(best.ref, targets):
            return targets
        rule_probability = max((p for p, c in scored if _among(c.ref, targets)), default=0.0)
        if best_probability >= self.model.threshold and best_probability - rule_probability >= self.model.margin:
            return [best.ref]
        return targets


def _among(ref: ActorRef, refs: Sequence[ActorRef]) -> bool:
    return any(
        (ref.actor_id and ref.actor_id == other.actor_id) or ref.text.lower() == other.text.lower() for other in refs
    )
