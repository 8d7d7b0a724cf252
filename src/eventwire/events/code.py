"""The coder: predicates and sentences -> CAMEO code, PLOVER event and mode, Goldstein score, quad class.

`EventCoder` codes predicates by the rules (`rules`: verb dictionary, negation, modality, governing
verbs) and blends in the opinion of the sentence classifiers (`classifier`), which choose among
candidate codes, give the confidence, and back off when the verb is unknown. The same classifiers
label whole sentences (`EventCoder.classify_sentences`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Protocol

from spacy.tokens import Doc

from eventwire.events.classifier import SentenceModel, cue_tokens, load_models
from eventwire.events.clauses import find_clauses
from eventwire.events.rules import NON_EVENT_VERBS, Candidate, RuleCoding, code_by_rules, rule_class
from eventwire.events.tables import CodingTables, conflibert_class, load_tables
from eventwire.records import EventCode, Predicate

#: Representative CAMEO code of each PLOVER event, used when backing off to the classifier.
PLOVER_REPRESENTATIVE = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
    "CONCEDE": "080", "RETREAT": "084", "ACCUSE": "112", "REJECT": "120", "THREATEN": "130",
    "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170", "ASSAULT": "190",
    "REQUEST": "100",
}  # fmt: skip
#: PLOVER labels of older gold records and their current names.
PLOVER_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
BACKOFF_MIN_PROBABILITY = 0.8
BACKOFF_FACTOR = 0.5
#: A whole sentence is coded from the classifiers alone only above this class probability.
SENTENCE_MIN_PROBABILITY = 0.5


#: Noun endings and the verb endings they come from: accusation -> accuse, proposal -> propose.
NOMINAL_SUFFIXES = (("ation", ("e", "", "ate")), ("ition", ("ite", "")), ("al", ("e", "")), ("ment", ("",)))


class EventCoding(Protocol):
    """The coder as the extractor uses it."""

    tables: CodingTables

    def code_many(self, items: Sequence[tuple[Predicate, str]]) -> list[EventCode | None]:
        """Codes of clause predicates, each with its sentence (None: not an event)."""
        ...

    def code_sentences(self, docs: Sequence[Doc]) -> list[EventCode | None]:
        """Codes of whole parsed short texts from the sentence classifiers."""
        ...

    def nominal_lemma(self, noun: str) -> str | None:
        """The coding lemma of a noun naming an event ('talks' -> 'talk'), else None."""
        ...


class EventCoder:
    """Codes predicates (and classifies sentences) with the tables and the trained classifier."""

    def __init__(self, tables: CodingTables, models: dict[str, SentenceModel] | None = None) -> None:
        self.tables = tables
        self.models = models or {}

    @classmethod
    def load(cls) -> EventCoder:
        """The process-wide coder: tables plus the shipped model (loaded once)."""
        return _load_default_coder()

    # -- predicates

    def code(self, predicate: Predicate, sentence: str) -> EventCode | None:
        """Code one predicate of a sentence; None when it is not an event (or negated, hypothetical)."""
        return self.code_many([(predicate, sentence)])[0]

    def nominal_lemma(self, noun: str) -> str | None:
        """The lemma that codes an event named by a noun ('request', 'ultimatum', 'accusation' -> 'accuse'),
        or None when the noun names no event the tables know."""
        noun = noun.lower()
        if self.tables.event_noun(noun) or self.tables.verb(noun):
            return noun
        for suffix, replacements in NOMINAL_SUFFIXES:
            if noun.endswith(suffix) and len(noun) > len(suffix) + 2:
                for ending in replacements:
                    verb = noun[: -len(suffix)] + ending
                    if self.tables.verb(verb):
                        return verb
        return None

    def code_many(self, items: Sequence[tuple[Predicate, str]]) -> list[EventCode | None]:
        """Code many (predicate, sentence) pairs; the classifier runs once over the batch."""
        codings = [code_by_rules(p, self.tables) for p, _ in items]
        needs_model = [
            i for i, c in enumerate(codings)
            if c.status == "coded" or (c.status == "unknown" and c.lemma not in NON_EVENT_VERBS)
        ]  # fmt: skip
        probabilities = self._probabilities(items, codings, needs_model)
        return [self._finish(coding, probabilities.get(i)) for i, coding in enumerate(codings)]

    def _probabilities(
        self, items: Sequence[tuple[Predicate, str]], codings: list[RuleCoding], indices: list[int]
    ) -> dict[int, dict[str, dict[Any, float]]]:
        """Per item index: {"conflibert": {class: p}, "plover": {event: p}} from the models, which
        read the predicate's clause (the sentence when the clause is missing) and its cues."""
        if not indices or not self.models:
            return {}
        texts = [items[i][0].clause or items[i][1] for i in indices]
        cues = [cue_tokens([(items[i][0], codings[i])], self.tables) for i in indices]
        result: dict[int, dict[str, dict[Any, float]]] = {i: {} for i in indices}
        for name, model in self.models.items():
            for i, row in zip(indices, model.predict_proba(texts, cues), strict=True):
                result[i][name] = dict(zip(model.labels, (float(p) for p in row), strict=True))
        return result

    def _finish(self, coding: RuleCoding, probabilities: dict[str, dict[Any, float]] | None) -> EventCode | None:
        if coding.status in ("no_event", "uncoded"):
            return None
        if coding.status == "unknown":
            return self._back_off(coding, probabilities) if probabilities else None
        classes = (probabilities or {}).get("conflibert")
        if not classes:
            best = coding.candidates[0]
            return self.tables.make_code(best.code, best.confidence, best.rule)

        def blended(candidate: Candidate) -> float:
            return candidate.confidence * (0.6 + 0.4 * classes.get(conflibert_class(candidate.code), 0.0))

        best = max(coding.candidates, key=blended)
        code = self.tables.make_code(best.code, blended(best), best.rule)
        code.class_probability = classes.get(conflibert_class(best.code), 0.0)
        return code

    def _back_off(self, coding: RuleCoding, probabilities: dict[str, dict[Any, float]]) -> EventCode | None:
        """Unknown verb: the classifier's class, refined by its PLOVER event, if it is confident."""
        classes = probabilities.get("conflibert", {})
        if not classes:
            return None
        label, probability = max(classes.items(), key=lambda kv: kv[1])
        if probability < BACKOFF_MIN_PROBABILITY:
            return None
        code = self._representative_code(int(label), probabilities.get("plover", {}))
        if code is None:
            return None
        coded = self.tables.make_code(code, probability * BACKOFF_FACTOR, f"model:{coding.lemma}:class{label}")
        coded.class_probability = probability
        return coded

    def _representative_code(self, label: int, plover: dict[Any, float]) -> str | None:
        """The PLOVER event most probable within a ConfliBERT class, as a representative code."""
        if label == 0:
            return "020" if plover and max(plover, key=plover.__getitem__) == "REQUEST" else None
        compatible = {e: p for e, p in plover.items() if e in PLOVER_REPRESENTATIVE
                      and conflibert_class(PLOVER_REPRESENTATIVE[e]) == label}  # fmt: skip
        if compatible:
            return PLOVER_REPRESENTATIVE[max(compatible, key=compatible.__getitem__)]
        return {1: "030", 2: "060", 3: "110", 4: "190"}[label]

    # -- sentences

    def read_sentences(self, sentences: Sequence[str]) -> list[list[tuple[Predicate, RuleCoding]]]:
        """Parse sentences and rule-code their predicates (main verb first)."""
        from eventwire.nlp import parse_many

        return self.read_docs(parse_many(sentences))

    def read_docs(self, docs: Iterable[Doc]) -> list[list[tuple[Predicate, RuleCoding]]]:
        """Rule-coded predicates of parsed texts (main verb first), one reading per Doc."""
        readings = []
        for doc in docs:
            predicates = [clause.predicate for sent in doc.sents for clause in find_clauses(sent)]
            readings.append([(p, code_by_rules(p, self.tables)) for p in predicates])
        return readings

    def code_sentences(self, docs: Sequence[Doc]) -> list[EventCode | None]:
        """Codes of whole parsed texts from the classifiers alone (no clause gave an event).

        The ConfliBERT class refined by the PLOVER classifier gives a representative code;
        statements and unconfident predictions give None.
        """
        if not docs or not self.models:
            return [None] * len(docs)
        readings = self.read_docs(docs)
        sentences = [doc.text for doc in docs]
        cues = [cue_tokens(reading, self.tables) for reading in readings]
        tables = {name: model.predict_proba(list(sentences), cues) for name, model in self.models.items()}
        codes: list[EventCode | None] = []
        for i in range(len(sentences)):
            probabilities = {
                name: dict(zip(self.models[name].labels, (float(p) for p in rows[i]), strict=True))
                for name, rows in tables.items()
            }
            classes = probabilities.get("conflibert", {})
            label, probability = max(classes.items(), key=lambda kv: kv[1]) if classes else (0, 0.0)
            code = None
            if probability >= SENTENCE_MIN_PROBABILITY:
                code = self._representative_code(int(label), probabilities.get("plover", {}))
            rule = f"sentence-model:class{label}"
            codes.append(self.tables.make_code(code, probability * BACKOFF_FACTOR, rule) if code else None)
        return codes

    def classify_sentences(self, sentences: Sequence[str]) -> list[tuple[int, float]]:
        """ConfliBERT class (0 statement/appeal ... 4 material conflict) and its probability per sentence."""
        return [(int(label), p) for label, p in self.classify(sentences, "conflibert")]

    def classify(self, sentences: Sequence[str], model_name: str = "conflibert") -> list[tuple[Any, float]]:
        """(label, probability) per sentence from one of the classifiers ("conflibert", "plover");
        without a trained model, the rules' verdict (ConfliBERT classes only)."""
        if not sentences:
            return []
        readings = self.read_sentences(sentences)
        model = self.models.get(model_name)
        if model is None:
            return [self._rule_verdict(r) for r in readings]
        cues = [cue_tokens(r, self.tables) for r in readings]
        rows = model.predict_proba(list(sentences), cues)
        return [(model.labels[row.argmax()], float(row.max())) for row in rows]

    def _rule_verdict(self, reading: list[tuple[Predicate, RuleCoding]]) -> tuple[int, float]:
        verdict = rule_class([c for _, c in reading])
        if verdict is None:
            return 0, 0.0
        label, _ = verdict
        best = next(c.best for _, c in reading if c.best and conflibert_class(c.best.code) == label)
        return label, best.confidence if best else 0.0


@cache
def _load_default_coder() -> EventCoder:
    return EventCoder(load_tables(), load_models())
