"""Write tests/data/stories_labelled.jsonl: real articles labelled with the story they belong to.

Sources (read from ../shared, or $EVENTWIRE_SHARED, or --shared):
  * data/corpora/indiapoliceevents_docs.jsonl — Times of India articles, March 2002
    (slanglab/IndiaPoliceEvents, research use; only doc ids and labels are written here,
    never the text);
  * seeds/ — the five seed articles (file names and labels only);
  * Reuters-21578 (David D. Lewis, Reuters Ltd and Carnegie Group; UCI KDD archive, free for
    research use), read with --reuters DIR (the reut2-*.sgm files). These articles are not
    on the test machines, so the labelled ones are written WITH their text (64 newswire
    articles of February-April 1987, parsed by benchmarks/corpora.py). Without --reuters the
    Reuters rows already in the output file are kept as they are.

How the labels were made: for each story below, keyword searches over the corpus
proposed candidate articles; each candidate's lead paragraph was then read and the
article kept only if it reports that same happening (same development, same day or its
immediate coverage). Reactions on other days, background mentions and related but
distinct developments were left out. The singletons are articles drawn at random
(seeded) from the rest of the corpus whose leads were checked to report a happening
of their own. A story is therefore "articles about the same happening", the unit that
`eventwire.stories.cluster_stories` is meant to find.

The Reuters stories are developments reported over several days (a takeover fight, two
strikes, a trade dispute, an earthquake's effect on oil exports): titles over the whole
collection were searched for each topic, each candidate's first paragraphs were read (the
whole text where they left doubt), and an article kept when it reports that development
(not a related one: USAir's takeover of Piedmont is a story of its own beside TWA's bid
for USAir, the Brazilian bank strike beside the seamen's strike, Ecuador's debt moratorium
after the quake is left out). The Reuters singletons are
articles of the same weeks on neighbouring subjects (the same companies, countries or
industry), each read to check it reports something else.

Every row has a `split`: settings are chosen on `tune` and reported on `test`. Stories are
assigned whole, alternately within each source (the multi-article stories, then the
singletons); the seeds are all `tune`, since the story rules were written looking at them.

Usage: python scripts/make_story_set.py [--shared ../shared] [--reuters DIR] [--out tests/data/stories_labelled.jsonl]
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
#: Reuters-21578 story label → (what happened, NEWIDs of the articles reporting it)
REUTERS_STORIES: dict[str, tuple[str, list[int]]] = {
    "reuters-twa-bids-for-usair": (
        "4-11 March 1987: TWA (Icahn) offers 52 dlrs a share for USAir; rejection, suits, DOT filings, court order",
        [1735, 1771, 1996, 2450, 2546, 2799, 2917, 2948, 2950, 2951, 3095, 3711],
    ),
    "reuters-usair-buys-piedmont": (
        "4-9 March 1987: Piedmont's board weighs bids, then agrees to USAir's 69 dlr buyout; rating reviews",
        [1562, 1862, 3013, 3039, 3154, 3298, 3392],
    ),
    "reuters-brazil-seamen-strike": (
        "5-25 March 1987: Brazil's national seamen's strike: pay talks, court ruling, marines, settlements, return",
        [2326, 2542, 2971, 3017, 3028, 4061, 4617, 4740, 7119, 8950, 9314],
    ),
    "reuters-us-japan-chip-dispute": (
        "19 March-2 April 1987: US sanctions on Japanese chips for breaking the semiconductor pact; Japan's response",
        [7011, 8044, 8252, 8602, 9628, 10264, 10530, 10608, 10695, 11555, 12604],
    ),
    "reuters-ecuador-quake-oil-exports": (
        "6-12 March 1987: Ecuador's earthquake cuts its oil pipeline; crude exports suspended, Venezuelan oil loan",
        [2688, 2957, 2973, 3556, 4028, 4609],
    ),
    "reuters-brazil-bank-strike": (
        "24 March-1 April 1987: Brazil's national bank workers' strike, from launch to collapse",
        [8729, 9391, 10132, 10220, 11605, 11890],
    ),
}
REUTERS_SINGLETONS = [1600, 2128, 2115, 2436, 9592, 8525, 9847, 9933, 10193, 12595, 11742]
REUTERS_SOURCE = "reuters21578"
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


def alternate(labels: list[str]) -> dict[str, str]:
    """tune, test, tune, ... in the given order."""
    return {label: ("tune", "test")[i % 2] for i, label in enumerate(labels)}


def corpus_rows(shared: Path) -> list[dict]:
    """Times of India rows, checked against the corpus."""
    known = {json.loads(line)["doc_id"] for line in (shared / CORPUS).open(encoding="utf-8")}
    split = alternate([*STORIES, *(f"single-{d}" for d in SINGLETONS)])
    rows: list[dict] = []
    for story, (_, doc_ids) in STORIES.items():
        rows += [{"source": "indiapoliceevents", "doc_id": d, "story": story, "split": split[story]} for d in doc_ids]
    rows += [
        {"source": "indiapoliceevents", "doc_id": d, "story": f"single-{d}", "split": split[f"single-{d}"]}
        for d in SINGLETONS
    ]
    missing = [r["doc_id"] for r in rows if r["doc_id"] not in known]
    if missing:
        raise SystemExit(f"doc ids not in {CORPUS}: {missing}")
    return rows


def seed_rows(shared: Path) -> list[dict]:
    """The seeds (tune: the story rules were written looking at them)."""
    seeds = {p.name[:3]: p.name for p in (shared / "seeds").glob("*.txt")}
    return [
        {"source": "seeds", "file": seeds[k], "story": story, "split": "tune"}
        for k, story in SEED_STORIES.items()
        if k in seeds
    ]


def reuters_rows(directory: Path) -> list[dict]:
    """Reuters-21578 rows with their text, read from the SGML files in `directory`."""
    sys.path.insert(0, str(REPO))
    from benchmarks.corpora import read_reuters21578

    by_newid = {int(a.path.rsplit("NEWID=", 1)[1]): a for a in read_reuters21578(directory)}
    split = alternate([*REUTERS_STORIES, *(f"reuters-single-{n}" for n in REUTERS_SINGLETONS)])
    labels = [(n, story) for story, (_, ids) in REUTERS_STORIES.items() for n in ids]
    labels += [(n, f"reuters-single-{n}") for n in REUTERS_SINGLETONS]
    missing = [n for n, _ in labels if n not in by_newid]
    if missing:
        raise SystemExit(f"{directory}: NEWIDs without a body: {missing}")
    rows = []
    for newid, story in labels:
        article = by_newid[newid]
        rows.append(
            {
                "source": REUTERS_SOURCE,
                "newid": newid,
                "story": story,
                "split": split[story],
                "published": article.published.isoformat() if article.published else None,
                "title": article.title,
                "text": article.text,
            }
        )
    return rows


def kept_reuters_rows(out: Path) -> list[dict]:
    """The Reuters rows of an existing output file (they cannot be rebuilt without the SGML files)."""
    if not out.is_file():
        return []
    rows = [json.loads(line) for line in out.open(encoding="utf-8")]
    return [r for r in rows if r.get("source") == REUTERS_SOURCE]


def labelled_rows(shared: Path, reuters: Path | None = None, out: Path | None = None) -> list[dict]:
    """Rows for every labelled article: Times of India, Reuters-21578 (with text), seeds."""
    kept = reuters_rows(reuters) if reuters else kept_reuters_rows(out) if out else []
    return corpus_rows(shared) + kept + seed_rows(shared)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", help="shared reference directory (default ../shared)")
    parser.add_argument("--out", default=str(REPO / "tests" / "data" / "stories_labelled.jsonl"))
    parser.add_argument("--reuters", metavar="DIR", help="folder of Reuters-21578 reut2-*.sgm files")
    args = parser.parse_args(argv)
    out = Path(args.out)
    rows = labelled_rows(shared_dir(args.shared), Path(args.reuters) if args.reuters else None, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "about": "story labels for B-cubed evaluation of eventwire.stories; made by scripts/make_story_set.py",
        "sources": {
            "indiapoliceevents": f"{CORPUS} (slanglab/IndiaPoliceEvents@3981fbb4, research use; ids only)",
            "seeds": "seeds/ (five scraped news articles; file names only)",
            REUTERS_SOURCE: "Reuters-21578, Distribution 1.0 (David D. Lewis; Reuters Ltd and Carnegie Group; "
            "UCI KDD archive), free for research use; the labelled articles are included with their text",
        },
        "split": "settings are chosen on rows with split=tune and reported on split=test",
        "stories": {k: v[0] for k, v in (STORIES | REUTERS_STORIES).items()},
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
