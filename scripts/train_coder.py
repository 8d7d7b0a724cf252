"""Train the event coder's sentence classifiers -> src/eventwire/events/data/coder_model.joblib.

Reads (under EVENTWIRE_SHARED or --shared, default ../shared/data relative to the repo root):
  conflibert/cameo_class_train.tsv   1,349 news sentences, ConfliBERT's five CAMEO classes
                                     (eventdata/ConfliBERT@0b630014, repository GPL-3.0)
  plover/PLOVER_GSR_CAMEO.txt        322 PLOVER gold-standard records (openeventdata/PLOVER, CC BY-SA 4.0)

The sentences of the triple-level gold set (tests/data/gold, docs/annotation.md) are left out of both, so
that `eventwire eval` scores the coder on sentences it never saw.
Both classifiers are `eventwire.events.classifier.train_sentence_model` (the function the evaluation
retrains per fold) over the sentence text and the verb-pattern cues of its spaCy parse.
Run after scripts/build_coding_tables.py: .venv/bin/python scripts/train_coder.py
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

import joblib
import sklearn

from eventwire.evaluation.coding import read_conflibert, read_plover_gold
from eventwire.evaluation.gold import gold_texts
from eventwire.events.classifier import MODEL_FILE, SKLEARN_VERSION, TASK_PARAMS, cue_tokens, train_sentence_model
from eventwire.events.code import EventCoder
from eventwire.events.tables import load_tables

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"


def training_sets(shared: Path) -> dict[str, tuple[list[str], list]]:
    """Task name -> (texts, labels), without the sentences of the triple-level gold set (held out)."""
    held_out = gold_texts(shared)
    sets = {
        "conflibert": read_conflibert(shared / "conflibert" / "cameo_class_train.tsv"),
        "plover": read_plover_gold(shared / "plover" / "PLOVER_GSR_CAMEO.txt"),
    }
    return {name: _without(texts, labels, held_out) for name, (texts, labels) in sets.items()}


def _without(texts: list[str], labels: list, held_out: set[str]) -> tuple[list[str], list]:
    kept = [(text, label) for text, label in zip(texts, labels, strict=True) if text not in held_out]
    return [text for text, _ in kept], [label for _, label in kept]


def train_all(shared: Path) -> dict:
    """Train every classifier; the payload written to the model file."""
    coder = EventCoder(load_tables())
    models, counts = {}, {}
    for name, (texts, labels) in training_sets(shared).items():
        cues = [cue_tokens(reading, coder.tables) for reading in coder.read_sentences(texts)]
        models[name] = train_sentence_model(texts, cues, labels, TASK_PARAMS[name]).to_dict()
        counts[name] = {"sentences": len(texts), "labels": dict(sorted(Counter(map(str, labels)).items()))}
    return {
        "sklearn_version": sklearn.__version__,
        "built_by": "scripts/train_coder.py",
        "sources": {
            "conflibert": "conflibert/cameo_class_train.tsv (eventdata/ConfliBERT@0b630014:data/cameo_class, "
            "repository GPL-3.0; sentences are news text)",
            "plover": "plover/PLOVER_GSR_CAMEO.txt (openeventdata/PLOVER@5e0c24fb, CC BY-SA 4.0)",
            "cues": "verb patterns of events/data/coding_tables.json.gz (PETRARCH2 CAMEO.2.0.txt, MIT)",
        },
        "licence": "model weights derived from the sources above; see their licences",
        "trained_on": counts,
        "params": TASK_PARAMS,
        "models": models,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", help="shared data directory (default: $EVENTWIRE_SHARED or ../shared/data)"
    )
    parser.add_argument("--out", default=str(MODEL_FILE), help="output .joblib")
    args = parser.parse_args()
    if sklearn.__version__ != SKLEARN_VERSION:
        print(f"warning: scikit-learn {sklearn.__version__} (the shipped model pins {SKLEARN_VERSION})")
    shared = Path(args.shared or os.environ.get("EVENTWIRE_SHARED") or DEFAULT_SHARED)
    started = time.perf_counter()
    payload = train_all(shared)
    out = Path(args.out)
    joblib.dump(payload, out, compress=3)
    seconds = time.perf_counter() - started
    print(f"wrote {out} ({out.stat().st_size:,} bytes) in {seconds:.1f}s: {payload['trained_on']}")


if __name__ == "__main__":
    main()
