"""The learned role classifier (events/roles.py): sentences written for these tests (none is from the gold set
or the seeds), the shipped artifact, and its training script on a small subset."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.events.clauses import find_clauses
from eventwire.events.extract import SentenceEvents, _DocumentContext
from eventwire.events.phrases import actor_span
from eventwire.events.roles import ROLES_FILE, Candidate, TargetChooser, load_role_model
from eventwire.records import Event

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "train_roles.py"


@pytest.fixture(scope="module")
def extractors(resources):
    rules = SentenceEvents(resources.resolver, resources.coder, roles=False)
    learned = SentenceEvents(resources.resolver, resources.coder)

    def run(text: str) -> tuple[list[Event], list[Event]]:
        doc = next(iter(resources.nlp.pipe([text])))
        return rules.extract(doc, "t", None), learned.extract(doc, "t", None)

    return run


def _pairs(events: list[Event]) -> set[tuple[str, str | None]]:
    return {(e.source.text, e.target.text if e.target else None) for e in events}


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("Canada lifted its sanctions on Venezuelan oil officials on Monday.", "Canada", "Venezuelan oil officials"),
        ("Egypt refused to lift the blockade on Palestinian fishermen.", "Egypt", "Palestinian fishermen"),
        ("India refuses to remove the duties on Chinese solar panels.", "India", "Chinese solar panels"),
    ],
)
def test_the_classifier_finds_the_target_the_rules_miss(extractors, text, source, target) -> None:
    rules, learned = extractors(text)
    assert _pairs(rules) == {(source, None)}
    assert _pairs(learned) == {(source, target)}


def test_a_target_the_rules_find_is_kept(extractors) -> None:
    rules, learned = extractors("Vietnam threatened to suspend rice exports to the Philippines.")
    assert _pairs(rules) == _pairs(learned) == {("Vietnam", "the Philippines")}


def _resolver(resources):
    extractor = SentenceEvents(resources.resolver, resources.coder)
    return extractor._token_resolver(resources.resolver.document(None), _DocumentContext())


def _clause(resources, text: str, lemma: str):
    sent = next(iter(next(iter(resources.nlp.pipe([text]))).sents))
    return next(c for c in find_clauses(sent) if c.verb.lemma_ == lemma), sent


def test_a_place_where_something_happened_is_never_a_candidate(resources) -> None:
    clause, sent = _clause(resources, "Dutch peacekeepers arrived in Mali on Tuesday.", "arrive")
    resolve = _resolver(resources)
    mali = next(t for t in sent if t.text == "Mali")
    assert resolve(mali) is not None  # Mali is an actor elsewhere ('Mali expelled the envoy')
    assert TargetChooser(load_role_model(), actor_span).rows(clause, sent, resolve) == []


def test_the_shipped_artifact_loads_and_ranks_candidates(resources) -> None:
    model = load_role_model()
    assert model is not None
    payload = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    assert payload["held_out"]["top_candidate_right"] > payload["held_out"]["rules_first_target_right"]
    assert 0 < model.threshold <= 1
    clause, sent = _clause(resources, "Canada lifted its sanctions on Venezuelan oil officials on Monday.", "lift")
    scored = TargetChooser(model, actor_span).scored(clause, sent, _resolver(resources))
    best_probability, best = scored[0]
    assert best.span.text == "Venezuelan oil officials"
    assert model.threshold <= best_probability < 1
    assert all(p < best_probability for p, _ in scored[1:])


@pytest.mark.parametrize(
    "text",
    [
        "Canada lifted its sanctions on Venezuelan oil officials on Monday.",
        "Ghana's army freed twelve hostages held by the rebels near the border with Togo.",
        "The Dutch prime minister called the Turkish president on Friday to discuss the crisis in Syria.",
    ],
)
def test_resolving_only_what_could_win_chooses_as_scoring_everything(resources, text) -> None:
    model = load_role_model()
    sent = next(iter(next(iter(resources.nlp.pipe([text]))).sents))
    chosen = []
    for clause in find_clauses(sent):
        full = TargetChooser(model, actor_span).scored(clause, sent, _resolver(resources))
        expected = full[0] if full and full[0][0] >= model.threshold else None
        lazy = TargetChooser(model, actor_span).best(clause, sent, _resolver(resources), [])
        assert _chosen(lazy) == _chosen(expected)
        chosen.append(_chosen(lazy))
    assert any(chosen)


def _chosen(pair: tuple[float, Candidate] | None) -> tuple[str, float] | None:
    return (pair[1].span.text, round(pair[0], 6)) if pair else None


def _training_module():
    spec = importlib.util.spec_from_file_location("train_roles", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_no_gold_sentence_is_trained_on(data_dir) -> None:
    from eventwire.evaluation.gold import GOLD_DIR, gold_texts, load_sentences

    module = _training_module()
    kept = module.training_sentences(data_dir, None)
    gold = load_sentences(GOLD_DIR / "sentences.jsonl", data_dir)
    gold_numbers = {r.ref["sentence"] for r in gold if r.source == "conflibert_ner"}
    assert len(gold_numbers) == 120
    assert not {s.number for s in kept} & gold_numbers
    assert not {s.text for s in kept} & gold_texts(data_dir)
    # the gold set's own sentences of the file, and those it drew from ConfliBERT's other file, are left out
    assert 800 < len(kept) < 1153 - len(gold_numbers)


def test_spans_are_read_from_the_bio_tags() -> None:
    module = _training_module()
    tokens = [("Iraqi", "B-S"), ("troops", "I-S"), ("attacked", "O"), ("the", "B-T"), ("militants", "I-T"), (".", "O")]
    item = module.labelled(7, tokens)
    assert item.text == "Iraqi troops attacked the militants."
    assert [item.text[a:b] for a, b in item.spans["S"]] == ["Iraqi troops"]
    assert [item.text[a:b] for a, b in item.spans["T"]] == ["the militants"]


def test_the_training_script_runs_on_a_small_subset(data_dir, tmp_path) -> None:
    out = tmp_path / "roles.json"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--shared", str(data_dir), "--out", str(out), "--limit", "80", "--no-tune"],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["trained_on"]["sentences"] == 80
    assert payload["trained_on"]["candidates"] > 100
    assert payload["weights"] and "held_out" in payload
    model = load_role_model(out)
    assert model is not None and model.probability(["path=dobj<"]) != model.probability(["path=nsubj<"])
