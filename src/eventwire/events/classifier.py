"""The sentence classifiers: TF-IDF of a text plus the rules' cues about its predicates -> class.

Trained by `scripts/train_coder.py` (ConfliBERT's five CAMEO classes, and PLOVER event types) and
shipped in `events/data/coder_model.joblib`; the coder blends their opinion into rule codings and
backs off to them when a verb is unknown.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.events.rules import Candidate, RuleCoding, predicate_lemma
from eventwire.events.tables import (
    CodingTables,
    conflibert_class,
    normalize_word,
)
from eventwire.records import Predicate

MODEL_FILE = Path(__file__).with_name("data") / "coder_model.joblib"
#: scikit-learn version the shipped model was trained with.
SKLEARN_VERSION = "1.9.1"


def cue_tokens(codings: Sequence[tuple[Predicate, RuleCoding]], tables: CodingTables) -> list[str]:
    """Symbolic features of a sentence's predicates for the classifier: lemma, rule code class,
    PLOVER event, modality, negation, objects; the first predicate is the main one."""
    tokens: list[str] = []
    best: Candidate | None = None
    for index, (predicate, coding) in enumerate(codings):
        prefix = "m" if index == 0 else "s"
        tokens.append(f"{prefix}lem={predicate_lemma(predicate)}")
        tokens.append(f"{prefix}mod={predicate.modality}")
        if predicate.negated:
            tokens.append(f"{prefix}neg")
        tokens.extend(f"{prefix}obj={normalize_word(o)}" for o in predicate.object_lemmas[:3])
        tokens.extend(f"{prefix}x={x.lower()}" for x in predicate.xcomp_lemmas[:2])
        if coding.status != "coded":
            tokens.append(f"{prefix}{coding.status}")
            continue
        for candidate in coding.candidates[:3]:
            code = candidate.code
            event, _ = tables.plover(code)
            tokens += [
                f"{prefix}root={code[:2]}",
                f"{prefix}cls={conflibert_class(code)}",
                f"{prefix}plv={event}",
            ]
        top = coding.candidates[0]
        if best is None or (best.code.startswith("01") and not top.code.startswith("01")):
            best = top
    if best is not None:
        tokens += [f"best_cls={conflibert_class(best.code)}", f"best_plv={tables.plover(best.code)[0]}"]
    return tokens


@lru_cache(maxsize=1)
def _threadpools() -> Any:
    """The process's native thread pools, scanned once (the scan reads every loaded library)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def single_threaded_blas() -> Any:
    """A context limiting BLAS to one thread: these small sparse problems run many times faster
    without BLAS worker threads (which spin-wait badly on a busy machine)."""
    return _threadpools().limit(limits=1, user_api="blas")


@dataclass
class SentenceModel:
    """A trained classifier over sentence text and predicate cues (see `train_sentence_model`)."""

    word: Any
    char: Any
    cues: Any
    classifier: Any
    cue_weight: float
    labels: list[Any]

    def features(self, texts: Sequence[str], cues: Sequence[Sequence[str]]) -> Any:
        from scipy.sparse import hstack

        cue_docs = [" ".join(c) for c in cues]
        parts = [
            self.word.transform(texts),
            self.char.transform(texts),
            self.cues.transform(cue_docs) * self.cue_weight,
        ]
        return hstack(parts).tocsr()

    def predict_proba(self, texts: Sequence[str], cues: Sequence[Sequence[str]]) -> Any:
        """Class probabilities, columns in the order of `labels`."""
        with single_threaded_blas():
            return self.classifier.predict_proba(self.features(texts, cues))

    def to_dict(self) -> dict[str, Any]:
        """The parts to store; vectorizers lose `stop_words_` (only kept for introspection)."""
        for vectorizer in (self.word, self.char, self.cues):
            if hasattr(vectorizer, "stop_words_"):
                delattr(vectorizer, "stop_words_")
        return {k: getattr(self, k) for k in ("word", "char", "cues", "classifier", "cue_weight", "labels")}


#: Hyper-parameters of the sentence classifiers (chosen by cross-validation on their training data).
MODEL_PARAMS: dict[str, Any] = {"C": 10.0, "cue_weight": 0.5, "char_max_features": 5000}
TASK_PARAMS: dict[str, dict[str, Any]] = {"conflibert": {}, "plover": {"cue_weight": 2.0}}


def train_sentence_model(
    texts: Sequence[str],
    cues: Sequence[Sequence[str]],
    labels: Sequence[Any],
    params: dict[str, Any] | None = None,
) -> SentenceModel:
    """Fit TF-IDF word 1-2-grams + char 2-5-grams + predicate cues -> LogisticRegression."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    params = {**MODEL_PARAMS, **(params or {})}
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        max_features=params["char_max_features"],
    )
    cue_vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)
    cue_docs = [" ".join(c) for c in cues]
    matrix = hstack(
        [
            word.fit_transform(texts),
            char.fit_transform(texts),
            cue_vectorizer.fit_transform(cue_docs) * params["cue_weight"],
        ]
    ).tocsr()
    classifier = LogisticRegression(C=params["C"], max_iter=5000, class_weight="balanced")
    with single_threaded_blas():
        classifier.fit(matrix, list(labels))
    return SentenceModel(word, char, cue_vectorizer, classifier, params["cue_weight"], list(classifier.classes_))


def load_models(path: Path = MODEL_FILE) -> dict[str, SentenceModel]:
    """The shipped classifiers ({"conflibert": ..., "plover": ...}); {} if the file is missing."""
    if not path.exists():
        return {}
    import joblib
    import sklearn

    payload = joblib.load(path)
    if payload.get("sklearn_version") != sklearn.__version__:
        warnings.warn(
            f"coder model trained with scikit-learn {payload.get('sklearn_version')}, running {sklearn.__version__}",
            stacklevel=2,
        )
    return {name: SentenceModel(**parts) for name, parts in payload["models"].items()}
