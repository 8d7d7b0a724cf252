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

Resolving a phrase is the costly step, so phrases are resolved lazily, best parse-only score first,
and only while the actor features could still lift one above the best so far and the threshold: the
choice is the same as scoring every candidate.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from eventwire.events.phrases import NON_ACTOR_ENT_LABELS
from eventwire.events.rules import NON_EVENT_VERBS, code_by_rules
from eventwire.events.tables import CodingTables
from eventwire.records import ActorRef, Predicate

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"
#: Dependents that belong to another word's phrase: their token is never a candidate head of its own.
PHRASE_INTERNAL = {"compound", "flat", "amod", "det", "nummod", "quantmod", "case", "punct", "nmod"}
NON_ACTOR_ENTS = NON_ACTOR_ENT_LABELS | {"FAC", "LOC"}  # a facility or region is where, not who
#: Clause boundaries a path can cross; crossing one says the candidate belongs to another clause.
CLAUSE_LINKS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "parataxis"}
MAX_PATH = 4
#: Prepositions whose place object is where something happened, not who it happened to ('arrived in Bosnia').
LOCATION_PREPS = {"in", "at", "near", "outside", "inside", "within", "across", "throughout", "around"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
#: Where-prepositions that can also name whom something is aimed at ('anger at the government').
TARGET_LOCATION_PREPS = {"at"}
WHERE_PREPS = LOCATION_PREPS - TARGET_LOCATION_PREPS
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


@dataclass
class ClauseView:
    """What the features need of a clause: its verb, the rules' sources and target tokens, its voice."""

    verb: Token
    sources: Sequence[Token]
    rule_targets: set[int]  # token indices of the phrases the rules took as targets
    passive: bool


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
    """A place in a where-phrase ('in Bosnia', 'at the border', 'in northern parts of Chad'), or whatever
    a where-phrase of a noun names ('a refugee centre in Kerry')."""
    node = tok
    while node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
        node = node.head.head  # 'parts of Chad' is where 'parts' is
    if node.dep_ != "pobj" or node.head.lower_ not in LOCATION_PREPS:
        return False
    on_noun = node.head.head.pos_ in ("NOUN", "PROPN") and node.head.lower_ not in TARGET_LOCATION_PREPS
    return tok.ent_type_ in PLACE_ENTS or (node is tok and on_noun)


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


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def clause_view(clause: Any, span_of: Callable[[Token], Span]) -> ClauseView:
    """The features' view of an extractor `Clause`."""
    rule_targets = {t.i for target in clause.targets for t in span_of(target)}
    return ClauseView(clause.verb, clause.sources, rule_targets, is_passive(clause.verb))


def parse_features(head: Token, view: ClauseView, nested: bool) -> list[str]:
    """The features of a candidate phrase that need only the parse (`nested`: inside another phrase)."""
    verb, sources = view.verb, view.sources
    arcs, passed = dependency_path(head, verb)
    path = "".join(arcs) if len(arcs) <= MAX_PATH else "long"
    preps = [t.lower_ for t in passed if t.dep_ in ("prep", "agent", "dative") and t.pos_ == "ADP"]
    prep = preps[0] if preps else "none"
    crossed = sorted({a.strip("<>") for a in arcs} & CLAUSE_LINKS)
    side = "before" if head.i < verb.i else "after"
    rule = head.i in view.rule_targets
    features = [
        f"path={path}",
        f"first={head.dep_}",
        f"prep={prep}",
        f"len={min(len(arcs), 6)}",
        f"side={side}",
        f"side_prep={side}|{prep}",
        f"voice={'passive' if view.passive else 'active'}|{path}",
        f"ent={head.ent_type_ or 'none'}",
        f"nested={nested}",
        f"lemma_prep={verb.lemma_.lower()}|{prep}",
        f"verb_pos={verb.pos_}",
        f"rule_target={rule}",
        f"rule_path={rule}|{path}",
        f"subject_of_other={head.dep_ in ('nsubj', 'nsubjpass') and head.head.i != verb.i}",
    ]
    features += [f"cross={link}" for link in crossed] or ["cross=none"]
    if sources:
        near = min(sources, key=lambda s: abs(s.i - head.i))
        features.append(f"source_side={'before' if head.i < near.i else 'after'}")
        if any(head.i in {c.i for c in s.conjuncts} for s in sources):
            features.append("source_conjunct")
    return features


#: Feature families that need the resolved actor: exactly one feature of each holds for a candidate.
ACTOR_FAMILIES = ("kind", "sector", "country", "shape")


def actor_features(head: Token, ref: ActorRef) -> list[str]:
    """The features of a candidate that come from its resolved actor."""
    sector = "sector" if ref.sector else "no sector"
    named = "named" if ref.name else "unnamed"
    return [
        f"kind={ref.kind or 'none'}",
        f"sector={ref.sector or 'none'}",
        f"country={ref.country is not None}",
        f"shape={head.pos_}|{ref.kind}|{sector}|{named}",
    ]


@dataclass(frozen=True)
class RoleModel:
    """The fitted classifier: feature weights, and when its choice overrides the rules."""

    weights: dict[str, float]
    intercept: float
    threshold: float  # take the best candidate where the rules found no target, from this probability
    margin: float  # replace a rule target whose probability is this much below the best candidate's (>1: never)

    def score(self, features: Sequence[str]) -> float:
        """The log-odds the features add (without the intercept)."""
        return sum(self.weights.get(name, 0.0) for name in features)

    def probability(self, features: Sequence[str]) -> float:
        return _sigmoid(self.intercept + self.score(features))

    @cached_property
    def actor_bound(self) -> float:
        """The most the actor features can add to a candidate's log-odds."""
        return sum(
            max([0.0, *(w for name, w in self.weights.items() if name.startswith(f"{family}="))])
            for family in ACTOR_FAMILIES
        )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _logit(p: float) -> float:
    return math.inf if p >= 1 else -math.inf if p <= 0 else math.log(p / (1 - p))


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


class TargetChooser:
    """Revises the rules' targets of each clause with the role classifier.

    One chooser serves one document: each sentence's phrases are found once, and each phrase is resolved
    at most once, when first needed.
    """

    def __init__(self, model: RoleModel, span_of: Callable[[Token], Span], tables: CodingTables | None = None) -> None:
        """`tables`: the coder's coding tables, to leave alone the clauses the coder will not code."""
        self.model = model
        self.span_of = span_of
        self.tables = tables
        self._bound = model.actor_bound
        self._sentence: Span | None = None
        self._phrases: list[tuple[Token, Span, bool]] = []  # head, phrase, inside another phrase
        self._refs: dict[int, ActorRef | None] = {}

    def _sentence_phrases(self, sent: Span) -> list[tuple[Token, Span, bool]]:
        if sent is not self._sentence:  # the same Span object for every clause of one sentence
            self._sentence, self._refs = sent, {}
            phrases: dict[tuple[int, int], tuple[Token, Span]] = {}
            for head in candidate_heads(sent):
                span = self.span_of(head)
                phrases.setdefault((span.start, span.end), (head, span))
            self._phrases = [
                (head, span, any(a <= span.start and span.end <= b and (a, b) != key for a, b in phrases))
                for key, (head, span) in phrases.items()
            ]
        return self._phrases

    def _ref(self, head: Token, resolve: Resolve) -> ActorRef | None:
        if head.i not in self._refs:
            ref = resolve(head)
            self._refs[head.i] = None if ref is not None and _is_located_country(head, ref) else ref
        return self._refs[head.i]

    def _open(self, clause: Any, sent: Span) -> list[tuple[float, Candidate, list[str]]]:
        """The clause's possible targets (not its sources, not its verb), unresolved, with their parse
        features and the log-odds those give, best first."""
        view = clause_view(clause, self.span_of)
        taken = {t.i for s in clause.sources for t in self.span_of(s)}
        taken |= {t.i for s in clause.sources for t in _own_phrase(s)}
        rows = []
        for head, span, nested in self._sentence_phrases(sent):
            if head.i in taken or head.i == clause.verb.i:
                continue
            features = parse_features(head, view, nested)
            partial = self.model.intercept + self.model.score(features)
            rows.append((partial, Candidate(head, span, ActorRef(text="")), features))
        rows.sort(key=lambda row: -row[0])
        return rows

    def rows(self, clause: Any, sent: Span, resolve: Resolve) -> list[tuple[Candidate, list[str]]]:
        """Every resolved candidate of the clause with all its features (for training and inspection)."""
        out = []
        for _, candidate, features in self._open(clause, sent):
            ref = self._ref(candidate.head, resolve)
            if ref is not None:
                candidate.ref = ref
                out.append((candidate, features + actor_features(candidate.head, ref)))
        return out

    def scored(self, clause: Any, sent: Span, resolve: Resolve) -> list[tuple[float, Candidate]]:
        """Every resolved candidate of the clause with its probability, best first."""
        scored = [(self.model.probability(f), c) for c, f in self.rows(clause, sent, resolve)]
        return sorted(scored, key=lambda pair: -pair[0])

    def best(
        self, clause: Any, sent: Span, resolve: Resolve, exclude: Sequence[ActorRef]
    ) -> tuple[float, Candidate] | None:
        """The most likely target at or above the threshold (resolving only phrases that could be it)."""
        floor = _logit(self.model.threshold)
        best: tuple[float, Candidate] | None = None
        for partial, candidate, _ in self._open(clause, sent):
            if partial + self._bound < max(floor, best[0] if best else -math.inf):
                break  # no phrase left could win
            ref = self._ref(candidate.head, resolve)
            if ref is None or _among(ref, exclude):
                continue
            candidate.ref = ref
            z = partial + self.model.score(actor_features(candidate.head, ref))
            if z >= floor and (best is None or z > best[0]):
                best = (z, candidate)
        return (_sigmoid(best[0]), best[1]) if best else None

    def targets(
        self, clause: Any, sent: Span, sources: list[ActorRef], targets: list[ActorRef], resolve: Resolve
    ) -> list[ActorRef]:
        """The clause's targets: the rules' unless the classifier is confident they missed the right one."""
        if clause.verb.lemma_.lower() in SAYING_LEMMAS or (targets and self.model.margin > 1):
            return targets  # nothing to decide (a margin above 1 never overrides a rule target)
        if not targets:
            if self.tables is not None and not may_be_coded(clause.predicate, self.tables):
                return targets
            found = self.best(clause, sent, resolve, sources)
            return [found[1].ref] if found else targets
        scored = [(p, c) for p, c in self.scored(clause, sent, resolve) if not _among(c.ref, sources)]
        if not scored or _among(scored[0][1].ref, targets):
            return targets
        best_probability, best = scored[0]
        rule_probability = max((p for p, c in scored if _among(c.ref, targets)), default=0.0)
        if best_probability >= self.model.threshold and best_probability - rule_probability >= self.model.margin:
            return [best.ref]
        return targets


def _is_located_country(head: Token, ref: ActorRef) -> bool:
    """A country in a where-phrase, whatever the parser's entity label ('arrived in Sierra Leone')."""
    prep = head.head
    return ref.kind in ("country", "place") and head.dep_ == "pobj" and prep.lower_ in WHERE_PREPS


def _own_phrase(source: Token) -> list[Token]:
    """The words of a source's own phrase, clauses inside it left out: 'Ambassador to the United States'
    (the United States is part of who acts, not whom the act is aimed at); not the rebels of 'the coalition
    fighting Houthi rebels'."""
    own = []
    for tok in source.subtree:
        node = tok
        while node.i != source.i and node.dep_ not in CLAUSE_LINKS:
            node = node.head
        if node.i == source.i:
            own.append(tok)
    return own


def may_be_coded(predicate: Predicate, tables: CodingTables) -> bool:
    """Whether the coder can code the predicate (its rules, or its classifier where they know no pattern),
    as `EventCoder.code_many` decides which predicates to code."""
    coding = code_by_rules(predicate, tables)
    return coding.status == "coded" or (coding.status == "unknown" and coding.lemma not in NON_EVENT_VERBS)


def _among(ref: ActorRef, refs: Sequence[ActorRef]) -> bool:
    return any(
        (ref.actor_id and ref.actor_id == other.actor_id) or ref.text.lower() == other.text.lower() for other in refs
    )
