"""Write tests/data/stories_labelled.jsonl: real articles labelled with the story they belong to.

Sources (read from ../shared, or $EVENTWIRE_SHARED, or --shared):
  * data/corpora/indiapoliceevents_docs.jsonl — Times of India articles, March 2002
    (slanglab/IndiaPoliceEvents, research use; only doc ids and labels are written here,
    never the text);
  * seeds/ — the five seed articles (file names and labels only).

How the labels were made: for each story below, keyword searches over the corpus
proposed candidate articles; each candidate's lead paragraph was then read and the
article kept only if it reports that same happening (same development, same day or its
immediate coverage). Reactions on other days, background mentions and related but
distinct developments were left out. The singletons are articles drawn at random
(seeded) from the rest of the corpus whose leads were checked to report a happening
of their own. A story is therefore "articles about the same happening", the unit that
`eventwire.stories.cluster_stories` is meant to find.

Usage: python scripts/make_story_set.py [--shared ../shared] [--out tests/data/stories_labelled.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = "data/corpora/indiapoliceevents_docs.jsonl"

#: story label → (what happened, doc ids of the Times of India articles reporting it)
STORIES: dict[str, tuple[str, list[int]]] = {
    "ayodhya-shila-handover": (
        "15 March 2002: Paramhans hands the shilas to PMO official Shatrughan Singh; coverage and reactions",
        [719, 828, 866, 857, 1066, 1195, 1178, 1010, 1002, 877, 1207, 932],
    ),
    "ayodhya-shilas-custody": (
        "Faizabad administration's dilemma over where to keep the two donated shilas, then their shifting",
        [744, 1124, 1176, 1134],
    ),
    "rjn-hierarchy-cracks": ("RJN chief trustee Dharam Das to file a case against Paramhans", [1098, 806]),
    "paramhans-rejects-undertaking": ("Paramhans refuses to follow Singhal's undertaking to the Centre", [374, 399]),
    "vhp-commitment-court-verdict": (
        "VHP's written commitment to abide by the court verdict; PM's meeting",
        [218, 483],
    ),
    "aimplb-rejects-formula": (
        "Muslim Personal Law Board rejects the Kanchi Shankaracharya's formula; same-day reactions",
        [212, 582, 174],
    ),
    "cpm-third-front": ("CPI(M) decides to revive the third front", [991, 1127]),
    "tripartite-talks-proposal": ("Two Muslim groups propose tripartite talks on Ayodhya", [133, 208]),
    "centre-explores-bhoomi-puja": (
        "Centre explores permitting a symbolic bhoomi puja after the seer's assurance",
        [12, 436],
    ),
    "sonia-delegation-gujarat": (
        "All-party delegation led by Sonia Gandhi visits riot-hit Gujarat",
        [255, 225, 450, 629],
    ),
    "up-presidents-rule": (
        "Union cabinet recommends President's rule in Uttar Pradesh; Mayawati, Lok Sabha",
        [496, 388, 687],
    ),
    "gujarat-assembly-suspended": ("Gujarat assembly budget session suspended till 12 March", [248, 322]),
    "godhra-inquiry-terms": ("Gujarat government will not widen the Godhra inquiry's terms of reference", [132, 631]),
}
SINGLETONS = [
    692, 79, 836, 286, 499, 1004, 676, 861, 381, 443, 211, 611, 987, 935, 477, 672,
    657, 1171, 1067, 390, 870, 160, 245, 407, 1179, 1201, 848, 302, 519, 277, 1212, 21,
]  # fmt: skip
#: seed file prefix → story label
SEED_STORIES = {
    "000": "seed-mishustin-beijing-2023-05",
    "001": "seed-mishustin-beijing-2023-05",
    "004": "seed-mishustin-beijing-2023-05",
    "002": "seed-wang-yi-moscow-2023-02",
    "003": "seed-xi-putin-2022-09",
}


def shared_dir(argument: str | None) -> Path:
    """The shared reference directory: --shared, $EVENTWIRE_SHARED, or ../shared beside the repo."""
    return Path(argument or os.environ.get("EVENTWIRE_SHARED") or REPO.parent / "shared")


def labelled_rows(shared: Path) -> list[dict]:
    """Rows for every labelled article, checked against the corpus and the seeds directory."""
    known = {json.loads(line)["doc_id"] for line in (shared / CORPUS).open(encoding="utf-8")}
    rows: list[dict] = []
    for story, (_, doc_ids) in STORIES.items():
        rows += [{"source": "indiapoliceevents", "doc_id": d, "story": story} for d in doc_ids]
    rows += [{"source": "indiapoliceevents", "doc_id": d, "story": f"single-{d}"} for d in SINGLETONS]
    missing = [r["doc_id"] for r in rows if r["doc_id"] not in known]
    if missing:
        raise SystemExit(f"doc ids not in {CORPUS}: {missing}")
    seeds = {p.name[:3]: p.name for p in (shared / "seeds").glob("*.txt")}
    rows += [{"source": "seeds", "file": seeds[k], "story": story} for k, story in SEED_STORIES.items() if k in seeds]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", help="shared reference directory (default ../shared)")
    parser.add_argument("--out", default=str(REPO / "tests" / "data" / "stories_labelled.jsonl"))
    args = parser.parse_args(argv)
    rows = labelled_rows(shared_dir(args.shared))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "about": "story labels for B-cubed evaluation of eventwire.stories; made by scripts/make_story_set.py",
        "sources": {
            "indiapoliceevents": f"{CORPUS} (slanglab/IndiaPoliceEvents@3981fbb4, research use; ids only)",
            "seeds": "seeds/ (five scraped news articles; file names only)",
        },
        "stories": {k: v[0] for k, v in STORIES.items()},
    }
    with out.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"header": header}) + "\n")
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    stories = {r["story"] for r in rows}
    print(f"wrote {len(rows)} articles in {len(stories)} stories to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
