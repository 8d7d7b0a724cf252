"""Train the role classifier (which phrase is a clause's target) -> src/eventwire/events/data/roles.json.

Reads (under EVENTWIRE_SHARED or --shared, default ../shared/data relative to the repo root):
  conflibert/cameo_ner_train.txt   1,153 news sentences, one token per line, BIO tags S (source),
                                   T (target), R (both) (eventdata/ConfliBERT@0b630014:data/cameo_ner,
                                   repository GPL-3.0; the sentences are news text)
Every sentence of the triple-level gold set (tests/data/gold, both splits: its `conflibert_ner` ids and
any sentence with a gold text) is left out; no gold label is read for training.

Each sentence is detokenised, parsed by eventwire's spaCy pipeline and cut into clauses by the extractor's
rules. A clause whose rule source overlaps the sentence's S (or R) span is about the labelled event:
every other phrase the actor resolver resolves is a candidate, positive when it overlaps a T (or other R)
span. A logistic regression over `eventwire.events.roles.candidate_features` is fitted; its
candidate-level accuracy is measured on a held-out fifth of the sentences before the final fit on all.
The two decision settings (threshold where the rules found no target, margin over a rule target) are
then chosen on the tune split of the gold set by the triple scorer, never on the locked split.
Run: .venv/bin/python scripts/train_roles.py   (--limit N --no-tune: a quick run on N sentences)
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from eventwire.evaluation.gold import GOLD_DIR, detokenize, gold_texts, load_sentences
from eventwire.evaluation.triples import load_gold_set, score_all
from eventwire.events.clauses import find_clauses
from eventwire.events.extract import SentenceEvents, _DocumentContext
from eventwire.events.phrases import actor_span
from eventwire.events.roles import ROLES_FILE, RoleModel, TargetChooser, clause_view
from eventwire.pipeline import Resources, load_resources

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = Path(os.environ.get("EVENTWIRE_SHARED", REPO_ROOT.parent / "shared" / "data"))
NER_FILE = Path("conflibert") / "cameo_ner_train.txt"
HELD_OUT_EVERY = 5  # every fifth training sentence is held out for the accuracy figure
C_VALUES = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
MARGINS = (0.2, 0.4, 0.6, 1.01)
DEFAULT_THRESHOLD, DEFAULT_MARGIN = 0.5, 0.4
MAX_PRECISION_LOSS = 0.01
F1_TOLERANCE = 0.005


@dataclass
class Labelled:
    """One ConfliBERT sentence: its number, text and character spans per role."""

    number: int
    text: str
    spans: dict[str, list[tuple[int, int]]]  # "S", "T", "R" -> (start, end)


@dataclass
class Group:
    """The candidates of one clause: feature lists, labels, and which one the rules took."""

    number: int
    features: list[list[str]]
    labels: list[int]
    rule: list[bool]


def read_ner(path: Path) -> Iterator[Labelled]:
    """The span file's sentences in order, numbered as the gold set numbers them (cn0001 = 1)."""
    tokens: list[tuple[str, str]] = []
    number = 0
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            word, _, tag = line.rpartition(" ")
            tokens.append((word, tag))
            continue
        if tokens:
            number += 1
            yield labelled(number, tokens)
            tokens = []


def labelled(number: int, tokens: list[tuple[str, str]]) -> Labelled:
    """Detokenise like the gold set does and turn BIO tags into character spans of that text."""
    text = detokenize([word for word, _ in tokens])
    spans: dict[str, list[tuple[int, int]]] = {"S": [], "T": [], "R": []}
    position = 0
    current: list[int] | None = None
    role = ""
    for word, tag in tokens:
        start = text.find(word, position)
        if start < 0:  # the detokeniser changed the token: keep going from where we are
            start = position
        end = start + len(word)
        position = end
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            if current is not None:
                spans[role].append((current[0], current[1]))
            role, current = tag[2:], [start, end]
        elif tag.startswith("I-") and current is not None:
            current[1] = end
        else:
            if current is not None:
                spans[role].append((current[0], current[1]))
            current = None
    if current is not None:
        spans[role].append((current[0], current[1]))
    return Labelled(number, text, spans)


def training_sentences(shared: Path, limit: int | None) -> list[Labelled]:
    """The span file without any gold-set sentence (by id and by text)."""
    gold = load_sentences(GOLD_DIR / "sentences.jsonl", shared)
    gold_numbers = {int(ref.ref["sentence"]) for ref in gold if ref.source == "conflibert_ner"}
    held = gold_texts(shared)
    kept = [s for s in read_ner(shared / NER_FILE) if s.number not in gold_numbers and s.text not in held]
    return kept[:limit] if limit else kept


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def groups_of(sentences: list[Labelled], resources: Resources) -> list[Group]:
    """Candidate groups of the clauses that carry each sentence's labelled event."""
    extractor = SentenceEvents(resources.resolver, resources.coder, calibrator=None, roles=None)
    chooser = TargetChooser(RoleModel({}, 0.0, 1.0, 1.0), actor_span)
    groups = []
    docs = resources.nlp.pipe([s.text for s in sentences], batch_size=64)
    for item, doc in zip(sentences, docs, strict=True):
        actors = resources.resolver.document(None)
        resolve = extractor._token_resolver(actors, _DocumentContext())  # the extractor's own resolution
        sources_spans = item.spans["S"] + item.spans["R"]
        for sent in doc.sents:
            for clause in find_clauses(sent):
                source_spans = [actor_span(s) for s in clause.sources if resolve(s) is not None]
                chars = [(s.start_char, s.end_char) for s in source_spans]
                if not chars or not any(_overlaps(c, sources_spans) for c in chars):
                    continue
                targets = item.spans["T"] + [r for r in item.spans["R"] if not _overlaps(r, chars)]
                groups.append(_group(item.number, clause, sent, resolve, chooser, targets))
    return [g for g in groups if g.labels]


def _group(number: int, clause, sent, resolve, chooser: TargetChooser, targets) -> Group:  # noqa: ANN001
    rule_targets = clause_view(clause, actor_span).rule_targets
    group = Group(number, [], [], [])
    for candidate, features in chooser.rows(clause, sent, resolve):
        span = (candidate.span.start_char, candidate.span.end_char)
        group.features.append(features)
        group.labels.append(int(_overlaps(span, targets)))
        group.rule.append(candidate.head.i in rule_targets)
    return group


def fit(groups: list[Group], c_value: float) -> tuple[CountVectorizer, LogisticRegression]:
    vectorizer = CountVectorizer(analyzer=lambda features: features, binary=True)
    matrix = vectorizer.fit_transform([f for g in groups for f in g.features])
    labels = np.array([y for g in groups for y in g.labels])
    model = LogisticRegression(C=c_value, max_iter=5000, class_weight=None)
    model.fit(matrix, labels)
    return vectorizer, model


def accuracy(groups: list[Group], vectorizer: CountVectorizer, model: LogisticRegression) -> dict[str, float]:
    """Candidate-level accuracy, and per clause: is the top candidate a target (clauses that have one),
    against the rules' first target."""
    right_candidates = total = top_right = rules_right = with_target = 0
    for group in groups:
        probabilities = model.predict_proba(vectorizer.transform(group.features))[:, 1]
        right_candidates += int(((probabilities >= 0.5) == np.array(group.labels, dtype=bool)).sum())
        total += len(group.labels)
        if any(group.labels):
            with_target += 1
            top_right += group.labels[int(np.argmax(probabilities))]
            rules_right += next((y for y, r in zip(group.labels, group.rule, strict=True) if r), 0)
    return {
        "candidates": total,
        "candidate_accuracy": round(right_candidates / total, 4) if total else 0.0,
        "clauses_with_target": with_target,
        "top_candidate_right": round(top_right / with_target, 4) if with_target else 0.0,
        "rules_first_target_right": round(rules_right / with_target, 4) if with_target else 0.0,
    }


def weights_of(vectorizer: CountVectorizer, model: LogisticRegression) -> dict[str, float]:
    names = vectorizer.get_feature_names_out()
    return {str(n): round(float(w), 5) for n, w in sorted(zip(names, model.coef_[0], strict=True)) if abs(w) >= 1e-4}


def choose_settings(shared: Path, resources: Resources, weights: dict[str, float], intercept: float) -> dict:
    """Threshold and margin with the best triple F1 on the tune split, precision dropping at most
    MAX_PRECISION_LOSS; settings closer to the best than F1_TOLERANCE count as ties, won by the one that
    changes fewest of the rules' decisions (highest threshold, then margin)."""
    refs, labels = load_gold_set(shared)
    tune = [ref for ref in refs if ref.split == "tune"]
    docs = list(resources.nlp.pipe([ref.text for ref in tune], batch_size=64))
    rules = _tune_scores(tune, docs, labels, resources, None)
    trials = []
    for threshold in THRESHOLDS:
        for margin in MARGINS:
            model = RoleModel(weights, intercept, threshold, margin)
            scores = _tune_scores(tune, docs, labels, resources, model)
            trials.append({"threshold": threshold, "margin": margin, **scores})
    allowed = [t for t in trials if t["precision"] >= rules["precision"] - MAX_PRECISION_LOSS]
    top = max(t["f1"] for t in allowed)
    # within F1_TOLERANCE (about two triples) of the best, the setting that overrides the rules least
    best = max((t for t in allowed if t["f1"] >= top - F1_TOLERANCE), key=lambda t: (t["threshold"], t["margin"]))
    return {"rules_alone": rules, "chosen": best, "trials": trials}


def _tune_scores(tune, docs, labels, resources: Resources, model: RoleModel | None) -> dict:  # noqa: ANN001
    from eventwire.evaluation.triples import _scored

    extractor = SentenceEvents(resources.resolver, resources.coder, calibrator=None, roles=model or False)
    events = extractor.extract_batch([(doc, ref.gold_id, None) for doc, ref in zip(docs, tune, strict=True)])
    predicted = {ref.gold_id: [_scored(e, ref.text) for e in found] for ref, found in zip(tune, events, strict=True)}
    scores = score_all(tune, predicted, labels)
    keep = ("precision", "recall", "f1", "tp", "fp", "fn")
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items() if k in keep} | {
        "wrong_target": scores["causes"]["wrong target"], "missed": scores["causes"]["missed event"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=ROLES_FILE)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N sentences only")
    parser.add_argument("--no-tune", action="store_true", help="keep the default threshold and margin")
    args = parser.parse_args()
    resources = load_resources()
    sentences = training_sentences(args.shared, args.limit)
    groups = groups_of(sentences, resources)
    train = [g for g in groups if g.number % HELD_OUT_EVERY]
    held = [g for g in groups if not g.number % HELD_OUT_EVERY]
    by_c = {c: accuracy(held, *fit(train, c)) for c in C_VALUES} if held and train else {}
    c_value = max(by_c, key=lambda c: by_c[c]["top_candidate_right"]) if by_c else 1.0
    vectorizer, model = fit(groups, c_value)
    weights, intercept = weights_of(vectorizer, model), round(float(model.intercept_[0]), 5)
    if args.no_tune:
        settings = {"chosen": {"threshold": DEFAULT_THRESHOLD, "margin": DEFAULT_MARGIN}}
    else:
        settings = choose_settings(args.shared, resources, weights, intercept)
    payload = {
        "built_by": "scripts/train_roles.py",
        "source": "conflibert/cameo_ner_train.txt (eventdata/ConfliBERT@0b630014:data/cameo_ner, repository "
        "GPL-3.0), without the gold-set sentences; threshold and margin chosen on the gold set's tune split",
        "trained_on": {"sentences": len(sentences), "clauses": len(groups),
                       "candidates": sum(len(g.labels) for g in groups), "C": c_value},
        "held_out": by_c.get(c_value, {}),
        "tune": {k: v for k, v in settings.items() if k != "trials"},
        "threshold": settings["chosen"]["threshold"],
        "margin": settings["chosen"]["margin"],
        "intercept": intercept,
        "weights": weights,
    }
    args.out.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in payload.items() if k != "weights"} | {"by_C": by_c}, indent=1))
    if "trials" in settings:
        for trial in settings["trials"]:
            print(json.dumps(trial))


if __name__ == "__main__":
    main()
