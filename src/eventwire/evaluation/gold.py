"""The triple-level gold set: sentence references, their texts and their adjudicated events.

The set lives in tests/data/gold/ (built by scripts/build_gold_set.py, guideline in docs/annotation.md):
  sentences.jsonl  one line per sentence: id, source, ref (where it comes from), split (tune | locked),
                   and text only where the source's licence allows shipping it
  labels.jsonl     one line per sentence: id and the events it reports (empty list: no event)
Texts that are not shipped are rebuilt here from the reference data (../shared/data).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "gold"
#: Sources whose licence allows shipping the sentence text with the labels.
SHIPPED_TEXT = {"plover"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=\S)")
_NO_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|n't\b|'re\b|'ll\b|'ve\b|'d\b|'m\b|’s\b)")
_NO_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")


@dataclass
class SentenceRef:
    """One gold sentence and where it comes from."""

    gold_id: str
    source: str
    ref: dict[str, Any]
    text: str
    split: str = "tune"

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"id": self.gold_id, "source": self.source, "ref": self.ref, "split": self.split}
        if self.source in SHIPPED_TEXT:
            record["text"] = self.text
        return record


def read_source_texts(source: str, shared: Path) -> list[SentenceRef]:
    """Every candidate sentence of one source, in file order."""
    readers = {
        "conflibert_class": _conflibert_class,
        "conflibert_ner": _conflibert_ner,
        "plover": _plover,
        "toi": _times_of_india,
    }
    return list(readers[source](shared))


def _conflibert_class(shared: Path) -> Iterator[SentenceRef]:
    path = shared / "conflibert" / "cameo_class_train.tsv"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.rpartition("\t")[0].strip()
        if text:
            yield SentenceRef(f"cc{number:04d}", "conflibert_class", {"line": number}, text)


def _conflibert_ner(shared: Path) -> Iterator[SentenceRef]:
    path = shared / "conflibert" / "cameo_ner_train.txt"
    tokens: list[str] = []
    number = 0
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            tokens.append(line.rsplit(" ", 1)[0])
            continue
        if tokens:
            number += 1
            yield SentenceRef(f"cn{number:04d}", "conflibert_ner", {"sentence": number}, detokenize(tokens))
            tokens = []


def detokenize(tokens: list[str]) -> str:
    """Join pre-split tokens into readable text (no space before punctuation and clitics)."""
    text = _NO_SPACE_BEFORE.sub("", " ".join(tokens))
    return _NO_SPACE_AFTER.sub("", text)


def _plover(shared: Path) -> Iterator[SentenceRef]:
    records = json.loads((shared / "plover" / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8"))
    for record in records:
        if record.get("text") and record.get("id"):
            number = record["id"].rsplit("-", 2)
            gold_id = f"pl-{number[-2].lower()}-{number[-1]}"
            yield SentenceRef(gold_id, "plover", {"record": record["id"]}, record["text"].strip())


def _times_of_india(shared: Path) -> Iterator[SentenceRef]:
    path = shared / "corpora" / "indiapoliceevents_docs.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        for start, end in split_sentences_of_document(doc["doc_text"]):
            yield SentenceRef(
                f"toi{doc['doc_id']}-{start}", "toi", {"doc_id": doc["doc_id"], "start": start, "end": end},
                doc["doc_text"][start:end],
            )


def split_sentences_of_document(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of a document's paragraphs; the dateline header is skipped."""
    offset = 0
    for paragraph in text.split("\n"):
        if paragraph.strip() and not paragraph.startswith("This story is from"):
            start = 0
            for match in _SENTENCE_END.finditer(paragraph):
                yield _trimmed(paragraph, offset, start, match.start())
                start = match.end()
            yield _trimmed(paragraph, offset, start, len(paragraph))
        offset += len(paragraph) + 1


def _trimmed(paragraph: str, offset: int, start: int, end: int) -> tuple[int, int]:
    piece = paragraph[start:end]
    lead = len(piece) - len(piece.lstrip())
    return offset + start + lead, offset + start + len(piece.rstrip())


def load_sentences(path: Path, shared: Path) -> list[SentenceRef]:
    """The gold sentences with their texts (rebuilt from `shared` where not shipped)."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, dict[str, str]] = {}
    refs = []
    for record in records:
        text = record.get("text")
        if text is None:
            if record["source"] not in texts:
                texts[record["source"]] = {r.gold_id: r.text for r in read_source_texts(record["source"], shared)}
            text = texts[record["source"]][record["id"]]
        refs.append(SentenceRef(record["id"], record["source"], record["ref"], text, record["split"]))
    return refs


def gold_texts(shared: Path, gold_dir: Path = GOLD_DIR) -> set[str]:
    """Every gold sentence's text: held out from every trained model and from its settings."""
    return {ref.text for ref in load_sentences(gold_dir / "sentences.jsonl", shared)}


def load_labels(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Sentence id -> its gold events (an empty list when the sentence reports none)."""
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            labels[record["id"]] = record.get("events", [])
    return labels
