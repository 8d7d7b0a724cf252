"""Draw, package and assemble eventwire's triple-level gold set (docs/annotation.md).

Four steps, each deterministic:

  sample    draw the sentences from the reference data and write tests/data/gold/sentences.jsonl
            (ids, source references, split; text only where its licence allows shipping it)
  packets   write one annotation packet per pass and part (id + text) to a directory outside the repo,
            so that each annotator sees only sentences and the guideline, never another pass
  compare   read the two passes' outputs, normalise them (docs/annotation.md), keep them in tests/data/gold/passes/,
            print their agreement and write the sentences they disagree on as an adjudication packet
  assemble  merge agreed and adjudicated labels (JSON Lines, one line per sentence) into tests/data/gold/labels.jsonl,
            turning every span into character offsets in its sentence

Sources (under ../shared/data or --shared; never the five seed articles):
  conflibert/cameo_class_train.tsv  news sentences (eventdata/ConfliBERT, repository GPL-3.0): line numbers only
  conflibert/cameo_ner_train.txt    news sentences, tokenised (same repository): sentence numbers only
  plover/PLOVER_GSR_CAMEO.txt       CAMEO-manual example sentences (openeventdata/PLOVER, CC BY-SA 4.0): text shipped
  corpora/indiapoliceevents_docs.jsonl  Times of India articles (slanglab/IndiaPoliceEvents, research use):
                                    document id and character offsets only

`eventwire.evaluation.gold.load_gold` rebuilds every sentence's text from these references.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from eventwire.evaluation.agreement import agreement, normalise_event, pair_events  # noqa: E402
from eventwire.evaluation.gold import GOLD_DIR, SentenceRef, load_sentences, read_source_texts  # noqa: E402

DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"
#: How many sentences each source gives; the locked test part takes LOCKED_SHARE of each.
QUOTAS = {"conflibert_class": 260, "conflibert_ner": 120, "plover": 100, "toi": 140}
LOCKED_SHARE = 0.36
SEED = 20261130


def sample(shared: Path) -> list[SentenceRef]:
    """Draw the sentences of every source, deduplicated across sources, with their split."""
    rng = random.Random(SEED)
    seen: set[str] = set()
    refs: list[SentenceRef] = []
    for source, quota in QUOTAS.items():
        candidates = [ref for ref in read_source_texts(source, shared) if _usable(ref.text)]
        rng.shuffle(candidates)
        taken = []
        for ref in candidates:
            key = _normal(ref.text)
            if key in seen:
                continue
            seen.add(key)
            taken.append(ref)
            if len(taken) == quota:
                break
        locked = round(quota * LOCKED_SHARE)
        for index, ref in enumerate(taken):
            ref.split = "locked" if index < locked else "tune"
        refs.extend(taken)
    return refs


def _usable(text: str) -> bool:
    return 30 <= len(text) <= 400 and len(text.split()) >= 6


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def write_sentences(refs: list[SentenceRef], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for ref in refs:
            out.write(json.dumps(ref.to_json(), ensure_ascii=False) + "\n")


def write_packets(refs: list[SentenceRef], directory: Path, parts: int) -> None:
    """Per pass (A, B) and part: the sentences to annotate, shuffled differently for each pass."""
    directory.mkdir(parents=True, exist_ok=True)
    for pass_name in ("A", "B"):
        order = list(refs)
        random.Random(f"{SEED}-{pass_name}").shuffle(order)
        for part in range(parts):
            chunk = sorted(order[part::parts], key=lambda ref: ref.gold_id)
            with (directory / f"pass{pass_name}_part{part + 1}.jsonl").open("w", encoding="utf-8") as out:
                for ref in chunk:
                    out.write(json.dumps({"id": ref.gold_id, "text": ref.text}, ensure_ascii=False) + "\n")


def read_pass(directory: Path, name: str) -> dict[str, list[dict]]:
    """One pass's labels (all its part files), events normalised."""
    labels: dict[str, list[dict]] = {}
    for path in sorted(directory.glob(f"out_pass{name}_part*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                labels[record["id"]] = [normalise_event(e) for e in record.get("events", [])]
    return labels


def compare(refs: list[SentenceRef], passes: Path) -> None:
    """Keep both passes, print their agreement, write the agreed labels and the adjudication packet."""
    texts = {ref.gold_id: ref.text for ref in refs}
    first, second = read_pass(passes / "A", "A"), read_pass(passes / "B", "B")
    out = GOLD_DIR / "passes"
    out.mkdir(parents=True, exist_ok=True)
    for name, labels in (("A", first), ("B", second)):
        _write_labels(out / f"{name}.jsonl", [(i, labels[i]) for i in texts if i in labels])
    print(json.dumps(agreement(texts, first, second), indent=2))
    rng = random.Random(SEED)
    agreed, disputed = [], []
    for gold_id, text in texts.items():
        if gold_id not in first or gold_id not in second:
            continue
        pairs, alone_a, alone_b = pair_events(first[gold_id], second[gold_id], text)
        if not alone_a and not alone_b and all(a["status"] == b["status"] for a, b in pairs):
            agreed.append((gold_id, first[gold_id]))
            continue
        versions = [first[gold_id], second[gold_id]]
        rng.shuffle(versions)
        disputed.append({"id": gold_id, "text": text, "version_1": versions[0], "version_2": versions[1]})
    _write_labels(passes / "agreed.jsonl", agreed)
    with (passes / "disputes.jsonl").open("w", encoding="utf-8") as handle:
        for record in disputed:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(agreed)} sentences agreed, {len(disputed)} to adjudicate -> {passes / 'disputes.jsonl'}")


def _write_labels(path: Path, labels: list[tuple[str, list[dict]]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for gold_id, events in labels:
            handle.write(json.dumps({"id": gold_id, "events": events}, ensure_ascii=False) + "\n")


def assemble(refs: list[SentenceRef], passes: Path, path: Path) -> int:
    """Agreed plus adjudicated labels, spans with offsets; returns the number of spans not located."""
    texts = {ref.gold_id: ref.text for ref in refs}
    labels: dict[str, list[dict]] = {}
    for name in ("agreed.jsonl", "adjudicated.jsonl"):
        for line in (passes / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                labels[record["id"]] = [normalise_event(e) for e in record.get("events", [])]
    missing = 0
    records = []
    for gold_id, text in texts.items():
        if gold_id not in labels:
            continue
        for event in labels[gold_id]:
            for role in ("source", "target"):
                span = event.get(role)
                if span and span.get("text"):
                    start = text.find(span["text"])
                    missing += start < 0
                    span["start"], span["end"] = (start, start + len(span["text"])) if start >= 0 else (None, None)
        records.append((gold_id, labels[gold_id]))
    _write_labels(path, records)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["sample", "packets", "compare", "assemble"])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, help="packets: directory to write; compare/assemble: the passes' directory")
    parser.add_argument("--parts", type=int, default=2)
    args = parser.parse_args(argv)
    sentences = GOLD_DIR / "sentences.jsonl"
    if args.step == "sample":
        refs = sample(args.shared)
        write_sentences(refs, sentences)
        print(f"{len(refs)} sentences -> {sentences}")
        return 0
    refs = load_sentences(sentences, args.shared)
    if args.step == "packets":
        write_packets(refs, args.out, args.parts)
        print(f"packets for {len(refs)} sentences -> {args.out}")
        return 0
    if args.step == "compare":
        compare(refs, args.out)
        return 0
    missing = assemble(refs, args.out, GOLD_DIR / "labels.jsonl")
    print(f"labels -> {GOLD_DIR / 'labels.jsonl'} ({missing} spans not found in their sentence)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
