"""Agreement between the two independent annotation passes of the gold set (docs/annotation.md §7).

Both passes are normalised the same way (`normalise_event`), then compared sentence by sentence:
Cohen's kappa on each sentence's main type (its first asserted event, or NONE), span agreement of
sources and targets on events paired by type, and event-level F1 of one pass against the other.
Sentences whose events do not agree completely are the ones adjudicated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from eventwire.events.tables import load_tables

#: CAMEO roots the guideline's table gives each type; a code outside them is taken as a slip and ignored.
TYPE_ROOTS = {
    "STATEMENT": {"01"},
    "REQUEST": {"02"},
    "AGREE": {"03", "05"},  # 057 'sign formal agreement': SUPPORT in PLOVER's codebook ("ratify, sign, or finalize")
    "CONSULT": {"04"},
    "SUPPORT": {"05"},
    "COOPERATE": {"06"},
    "AID": {"07"},
    "CONCEDE": {"08"},
    "RETREAT": {"08", "16"},
    "ACCUSE": {"09", "11"},
    "REJECT": {"12"},
    "THREATEN": {"13"},
    "PROTEST": {"14"},
    "MOBILIZE": {"15"},
    "SANCTION": {"16"},
    "COERCE": {"17", "19"},
    "ASSAULT": {"17", "18", "19", "20"},
}


def normalise_event(event: dict[str, Any]) -> dict[str, Any]:
    """Type upper-cased; where the CAMEO code agrees with the type's roots, the type is the PLOVER 2021
    conversion of that code (release -> RETREAT, sanctions -> COERCE), as the coder's tables make it."""
    plover = str(event.get("plover") or "").upper()
    cameo = str(event.get("cameo") or "").strip()
    tables = load_tables()
    if cameo.isdigit() and cameo[:2] in TYPE_ROOTS.get(plover, set()) and tables.is_known(cameo):
        plover = tables.plover(cameo)[0]
    return {**event, "plover": plover, "status": event.get("status") or "asserted"}


def _overlap(a: dict[str, Any] | None, b: dict[str, Any] | None, text: str) -> bool:
    if not a or not b:
        return not a and not b
    sa, sb = text.find(a.get("text") or "\0"), text.find(b.get("text") or "\0")
    if sa < 0 or sb < 0:
        return False
    return sa < sb + len(b["text"]) and sb < sa + len(a["text"])


def same_event(a: dict[str, Any], b: dict[str, Any], text: str) -> bool:
    return (
        a["plover"] == b["plover"]
        and _overlap(a.get("source"), b.get("source"), text)
        and _overlap(a.get("target"), b.get("target"), text)
    )


def pair_events(
    first: Sequence[dict[str, Any]],
    second: Sequence[dict[str, Any]],
    text: str,
    same: Callable[[dict[str, Any], dict[str, Any], str], bool] = same_event,
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one pairs of events that are the `same` (by default: identical), and what each pass has alone."""
    free = list(second)
    pairs, alone = [], []
    for event in first:
        match = next((other for other in free if same(event, other, text)), None)
        if match is None:
            alone.append(event)
        else:
            free.remove(match)
            pairs.append((event, match))
    return pairs, alone, free


def _same_type(a: dict[str, Any], b: dict[str, Any], text: str) -> bool:
    return a["plover"] == b["plover"]


def main_type(events: Sequence[dict[str, Any]]) -> str:
    asserted = [e for e in events if e.get("status", "asserted") == "asserted"]
    return asserted[0]["plover"] if asserted else "NONE"


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    ca, cb = Counter(first), Counter(second)
    expected = sum(ca[label] * cb[label] for label in ca) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(texts: dict[str, str], first: dict[str, list[dict]], second: dict[str, list[dict]]) -> dict[str, Any]:
    """Agreement figures of two passes over the same sentences (events already normalised)."""
    ids = [i for i in texts if i in first and i in second]
    kappa = cohen_kappa([main_type(first[i]) for i in ids], [main_type(second[i]) for i in ids])
    paired = only_first = only_second = 0
    typed = source_same = target_same = 0
    full = 0
    for i in ids:
        pairs, alone_a, alone_b = pair_events(first[i], second[i], texts[i])
        statuses_agree = all(a.get("status") == b.get("status") for a, b in pairs)
        full += not alone_a and not alone_b and statuses_agree
        paired, only_first, only_second = paired + len(pairs), only_first + len(alone_a), only_second + len(alone_b)
        for event, match in pair_events(first[i], second[i], texts[i], same=_same_type)[0]:
            typed += 1
            source_same += _overlap(event.get("source"), match.get("source"), texts[i])
            target_same += _overlap(event.get("target"), match.get("target"), texts[i])
    precision = paired / (paired + only_first) if paired + only_first else 0.0
    recall = paired / (paired + only_second) if paired + only_second else 0.0
    return {
        "sentences": len(ids),
        "main_type_kappa": kappa,
        "sentences_in_full_agreement": full / len(ids) if ids else 0.0,
        "event_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "events_first": paired + only_first,
        "events_second": paired + only_second,
        "source_span_agreement": source_same / typed if typed else 0.0,
        "target_span_agreement": target_same / typed if typed else 0.0,
        "type_paired_events": typed,
    }
