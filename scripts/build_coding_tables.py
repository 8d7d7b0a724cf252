"""Build src/eventwire/events/data/coding_tables.json.gz from the shared reference data.

Reads (under EVENTWIRE_SHARED or --shared, default ../shared/data relative to the repo root):
  cameo/CAMEO.eventcodes.txt, cameo/CAMEO_codefile.txt   CAMEO codes and labels
  cameo/CAMEO.goldsteinscale.txt                         Goldstein score per code
  plover/CAMEO2PLOVER-2021.txt                           CAMEO -> PLOVER event, mode, context
  petrarch/CAMEO.2.0.txt                                 PETRARCH2 verb-pattern dictionary (MIT)

The PETRARCH2 dictionary is compiled to: verb lemma -> default CAMEO code, plus patterns
(words required before / after the verb: particles, prepositions, object nouns) -> code, with
eventwire's corrections of whole classes of codes (`VERB_OVERRIDES`, `GENERIC_BLOCKS`, `recode`), then
eventwire's own verb classes and event nouns (`EXTRA_VERB_CODES`, `EXTRA_PATTERNS`, `EXTRA_EVENT_NOUNS`).
Run: .venv/bin/python scripts/build_coding_tables.py [--shared PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import Doc

from eventwire.events.tables import DATA_FILE, PREPOSITIONS, normalize_word
from eventwire.nlp import get_nlp

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"

#: CAMEO2PLOVER-2021 does not cover CAMEO 01 (statements) and 02 (appeals). eventwire assigns
#: appeals to REQUEST with the mode/context of the matching CAMEO 10 demand, and statements to
#: the nearest PLOVER event where one fits, else to STATEMENT (not a PLOVER event).
STATEMENT_PLOVER = {
    "01": "STATEMENT", "010": "STATEMENT", "011": "STATEMENT", "012": "STATEMENT",
    "013": "STATEMENT", "014": "STATEMENT", "015": "CONCEDE", "016": "REJECT",
    "017": "STATEMENT", "018": "SUPPORT", "019": "SUPPORT",
}  # fmt: skip

#: eventwire's corrections of the dictionary's default code for frequent news verbs: the code
#: when no pattern matches (None: the verb alone is not an event).
VERB_OVERRIDES: dict[str, str | None] = {
    # missing from the dictionary or without a default
    "urge": "020", "sanction": "163", "reject": "120", "refuse": "120", "deny": "016",
    "sign": "057", "negotiate": "046", "consider": "014", "criticise": "111", "criticize": "111",
    "shell": "194", "express": "010", "claim": "010", "rebuff": "120", "agree": "030", "ease": "080",
    "defend": "052", "summon": "114", "explore": "014",
    # generic verbs whose dictionary default codes a rare sense
    "take": None, "lead": None, "face": None, "leave": None, "go": None, "relate": None,
    "accord": None, "affect": None, "serve": None, "link": None, "issue": None, "increase": None,
    "break": None, "hear": None, "base": None, "find": None, "ensure": None, "raise": None,
}  # fmt: skip

#: Blocks of approving verbs (praise, hail, welcome): the dictionary codes welcoming another's offer,
#: invitation or appeal as the welcomer's own intent to cooperate (03x); the welcomer endorses it (051).
ENDORSING_BLOCKS = {"ACCLAIM"}
ENDORSEMENT = "051"
#: Verbs of formal legal accusation (sue, indict, prosecute, charge): CAMEO 173 files them with arrests;
#: they accuse of a crime (1121), as the guideline's ACCUSE ("sue") has it.
LEGAL_ACCUSATION_VERBS = {"sue", "indict", "prosecute", "charge"}
LEGAL_ACTION, ACCUSATION_OF_CRIME = "173", "1121"

#: Extradition: CAMEO files it under judicial cooperation between states (063); the guideline codes the act
#: on the person handed over, like a deportation (174, COERCE).
JUDICIAL_COOPERATION, DEPORTATION = "063", "174"


def recode(lemma: str, block: str, code: str | None, words: list[list[str]] = ()) -> str | None:
    """eventwire's corrections of a class of dictionary codes (`ENDORSING_BLOCKS`, `LEGAL_ACCUSATION_VERBS`,
    extradition); `words`: the pattern's required words."""
    if code and block in ENDORSING_BLOCKS and code.startswith("03"):
        return ENDORSEMENT
    if code == LEGAL_ACTION and lemma in LEGAL_ACCUSATION_VERBS:
        return ACCUSATION_OF_CRIME
    extradition = lemma == "extradite" or any("extradition" in alternatives for alternatives in words)
    if code == JUDICIAL_COOPERATION and extradition:
        return DEPORTATION
    return code


#: Blocks of verbs of degree, change, governance and joining, whose header code (060, cooperation) does
#: not code a member verb without a code of its own: 'intensified its bombardment', 'improved the lives',
#: 'ruled the country', 'established a government' need a pattern. (Transfers, AID and GRANT, keep it.)
GENERIC_BLOCKS = {"BOOST", "FACILITATE", "OVERSEE_MANAGE", "LINK", "MERGE", "ENACT", "ENLIST"}

#: Verbs whose object noun names the event ("held talks", "launched an offensive"): their
#: single-noun patterns are compiled into a noun -> code table for verbs the dictionary lacks.
LIGHT_VERBS = {
    "hold", "conduct", "launch", "stage", "carry", "make", "begin", "start", "resume", "open",
    "undertake", "mount", "continue", "pay", "give", "issue", "reach", "renew",
}  # fmt: skip

#: Words that carry no constraint in a pattern.
PATTERN_STOPWORDS = {"a", "an", "the", "and", "or", "of_", "its", "his", "her", "their"}
PARTICLES = {"up", "out", "off", "down", "back", "away", "over", "forward", "ahead", "around"}
#: Weight of a preposition constraint relative to a content word when ranking patterns.
PREPOSITION_WEIGHT = 0.5

CODE_RE = re.compile(r"\[([^\]]*)\]")


def shared_dir(arg: str | None) -> Path:
    """The shared data directory: --shared, else $EVENTWIRE_SHARED, else ../shared/data."""
    return Path(arg or os.environ.get("EVENTWIRE_SHARED") or DEFAULT_SHARED)


# --------------------------------------------------------------------------- CAMEO tables


def read_cameo_labels(cameo_dir: Path) -> dict[str, str]:
    """Code -> label: the GDELT lookup first, CAMEO 0.7b5 codefile labels for codes it lacks."""
    labels: dict[str, str] = {}
    for line in (cameo_dir / "CAMEO.eventcodes.txt").read_text(encoding="utf-8").splitlines()[1:]:
        code, _, label = line.partition("\t")
        if code.strip():
            labels[code.strip()] = label.strip()
    for line in (cameo_dir / "CAMEO_codefile.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"LABEL:\s*(\d+)=\s*(.+)", line)
        if match and match.group(1) not in labels:
            labels[match.group(1)] = match.group(2).strip()
    return labels


def read_goldstein(cameo_dir: Path) -> dict[str, float]:
    """Code -> Goldstein score."""
    scores: dict[str, float] = {}
    for line in (cameo_dir / "CAMEO.goldsteinscale.txt").read_text(encoding="utf-8").splitlines()[1:]:
        code, _, value = line.partition("\t")
        if code.strip() and value.strip():
            scores[code.strip()] = float(value)
    return scores


def read_cameo2plover(path: Path) -> dict[str, list[str | None]]:
    """Code -> [PLOVER event, mode or None, context or None] from `code: EVENT, mode, context # note`."""
    table: dict[str, list[str | None]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        match = re.match(r"(\d{2,4}):\s*(.*)$", line)
        if not match:
            continue
        code, rest = match.groups()
        fields = [f.strip() for f in rest.split(",")] + ["", ""]
        event, mode, context = fields[0].upper(), fields[1] or None, fields[2] or None
        if len(code) == 2:
            table.setdefault(code, [event, None, None])  # root header: first one wins
        else:
            table[code] = [event, mode, context]
    return table


def add_statement_and_appeal_plover(plover: dict[str, list[str | None]], codes: list[str]) -> None:
    """Fill CAMEO 01x with STATEMENT_PLOVER and 02x with REQUEST (mode/context of the 10x demand)."""
    for code in codes:
        if code.startswith("01"):
            plover[code] = [STATEMENT_PLOVER.get(code, "STATEMENT"), None, None]
        elif code.startswith("02"):
            demand = plover.get("10" + code[2:]) or plover.get("10" + code[2:3]) or ["REQUEST", None, None]
            plover[code] = ["REQUEST", demand[1], demand[2]]


def fill_goldstein_gaps(goldstein: dict[str, float], codes: list[str]) -> None:
    """Codes without a Goldstein score take their nearest ancestor's (0861 -> 086 -> 08)."""
    for code in codes:
        parent = code
        while code not in goldstein and len(parent) > 2:
            parent = parent[:-1]
            if parent in goldstein:
                goldstein[code] = goldstein[parent]


# --------------------------------------------------------------------------- PETRARCH2 dictionary


class Lemmatizer:
    """Verb lemmas: dictionary base forms as they are, other forms via spaCy's rule lemmatizer."""

    def __init__(self, base_forms: set[str]) -> None:
        self.base_forms = base_forms
        self.nlp = get_nlp()
        self.pipe = self.nlp.get_pipe("lemmatizer")
        self.cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        word = word.lower()
        if word in self.base_forms:
            return word
        if word not in self.cache:
            doc = self.pipe(Doc(self.nlp.vocab, words=[word], pos=["VERB"]))
            self.cache[word] = doc[0].lemma_.lower()
        return self.cache[word]


def base_verb_forms(lines: list[str]) -> set[str]:
    """Single-word verb lines of the dictionary (`ARREST [173]`): already base forms."""
    forms = set()
    for raw in lines:
        match = re.match(r"([A-Z][A-Z-]+)(\s|$|\{|\[|#)", raw.strip())
        if match and not raw.startswith(("-", "+", "&", "#")):
            forms.add(match.group(1).lower())
    return forms


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """`&NAME` followed by `+WORD` lines -> {"&NAME": ["word", "prime minister", ...]}."""
    synsets: dict[str, list[str]] = {}
    current: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = line.split()[0]
            synsets[current] = []
        elif line.startswith("+") and current:
            synsets[current].append(line[1:].strip().strip("_").replace("_", " ").lower())
        elif not line:
            current = None
    return synsets


def parse_code(text: str) -> str | None:
    """`[042:043]` -> "042"; `[---]` -> "---"; `[:110]` (event with subject as target) -> "---"."""
    text = text.strip()
    if text.startswith("---"):
        return "---"
    first, colon, _ = text.partition(":")
    first = first.strip()
    if not first:
        return "---" if colon else None
    return first if first.isdigit() else None


def expand_word(word: str, synsets: dict[str, list[str]]) -> list[str]:
    """A pattern word -> normalized alternatives (synset members, `BY/WITH`); [] if no constraint."""
    word = word.strip("+$^%!.").strip()
    if not word or word == "*":
        return []
    if word.startswith("&"):
        members = synsets.get(word, synsets.get(word.rstrip("_"), []))
        return sorted({normalize_word(m.split()[-1]) for m in members if m})
    alternatives = []
    for alt in word.split("/"):
        alt = alt.strip("_").lower().replace("_", " ")
        if alt and alt not in PATTERN_STOPWORDS:
            alternatives.append(normalize_word(alt.split()[-1]))
    return sorted(set(alternatives))


def pattern_constraints(text: str, synsets: dict[str, list[str]]) -> tuple[list, list, float] | None:
    """Pattern body (without code) -> (before, after, specificity); None when there is no `*`."""
    tokens = re.findall(r"[^\s(){}]+", text)
    if "*" not in tokens:
        return None
    star = tokens.index("*")
    constraints: tuple[list, list] = ([], [])
    weight = 0.0
    for side, words in ((0, tokens[:star]), (1, tokens[star + 1 :])):
        for word in words:
            for part in word.replace("_", " ").split() if not word.startswith("&") else [word]:
                alternatives = expand_word(part, synsets)
                if alternatives and alternatives not in constraints[side]:
                    constraints[side].append(alternatives)
                    weight += PREPOSITION_WEIGHT if set(alternatives) <= PREPOSITIONS else 1.0
    return constraints[0], constraints[1], weight


def comment_verbs(comment: str, lemmatize: Lemmatizer) -> list[tuple[str, list[str]]]:
    """`# STEP_UP , STEPPED_UP` -> [("step", ["up"])]: the verb(s) a pattern was written for."""
    found: list[tuple[str, list[str]]] = []
    for part in comment.split(","):
        words = part.strip().split()
        if not words or not re.fullmatch(r"[A-Z][A-Z_-]{2,}", words[0]):
            continue
        pieces = words[0].lower().split("_")
        entry = (lemmatize(pieces[0]), [p for p in pieces[1:] if p and p not in PATTERN_STOPWORDS])
        if entry not in found:
            found.append(entry)
    return found


def read_verb_line(line: str, lemmatize: Lemmatizer) -> tuple[str, list[str] | None, str | None] | None:
    """`+MEET_WITH {...} [040]` -> ("meet", ["with"], "040"); `ACCUSE [112]` -> ("accuse", [], "112").

    A multi-word form whose extra words carry no constraint (`+KILLED_AND`) gives extra=None.
    """
    body = line.split("#", 1)[0]
    codes = CODE_RE.findall(body)
    code = parse_code(codes[-1]) if codes else None
    body = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", body).strip()
    if not body:
        return None
    pieces = body.split()[0].lstrip("+").lower().split("_")
    extra = [normalize_word(p) for p in pieces[1:] if p and p not in PATTERN_STOPWORDS]
    if len(pieces) > 1 and not extra:
        return lemmatize(pieces[0]), None, code
    return lemmatize(pieces[0]), extra, code


class VerbDictionary:
    """Accumulates compiled verbs and patterns while reading the dictionary's verb blocks."""

    def __init__(self, synsets: dict[str, list[str]], lemmatize: Lemmatizer) -> None:
        self.synsets = synsets
        self.lemmatize = lemmatize
        self.verbs: dict[str, dict] = {}
        self.patterns: dict[str, list] = defaultdict(list)
        self.skipped = 0

    def verb(self, lemma: str, block: str) -> dict:
        return self.verbs.setdefault(lemma, {"code": None, "synset": block})

    def add_block(self, block: str, block_code: str | None, lines: list[tuple[int, str]]) -> None:
        """One `--- NAME [code] ---` block: its verb lines, then its pattern lines."""
        members: list[str] = []
        for _, line in lines:
            if line.startswith("-"):
                continue
            parsed = read_verb_line(line, self.lemmatize)
            if not parsed:
                continue
            lemma, extra, code = parsed
            if extra is None:
                continue
            code = code or (block_code if extra or block not in GENERIC_BLOCKS else None)
            if extra:  # phrasal form: a pattern with the particle/preposition/noun after the verb
                if code:
                    self.add_pattern(
                        lemma, [], [[w] for w in extra], float(len(extra)), code, f"{block}:form"
                    )
                continue
            members.append(lemma)
            entry = self.verb(lemma, block)
            if entry["code"] is None and code:
                entry["code"] = code
        for number, line in lines:
            if line.startswith("-"):
                self.add_pattern_line(block, members, number, line[1:])

    def add_pattern_line(self, block: str, members: list[str], number: int, line: str) -> None:
        """`- * (FOR TALKS) [046] # MEET`: compiled for the commented verb, else the block's verbs."""
        body, _, comment = line.partition("#")
        codes = CODE_RE.findall(body)
        code = parse_code(codes[-1]) if codes else None
        constraints = pattern_constraints(CODE_RE.sub(" ", body), self.synsets)
        if code is None or constraints is None:
            self.skipped += 1
            return
        before, after, weight = constraints
        owners = comment_verbs(comment, self.lemmatize) or [(m, []) for m in members]
        for lemma, extra in owners:
            words = after + [[normalize_word(w)] for w in extra]
            self.add_pattern(lemma, before, words, weight + len(extra), code, f"{block}:{number}")

    def add_pattern(self, lemma: str, before: list, after: list, weight: float, code: str, rule: str) -> None:
        if not before and not after:
            entry = self.verb(lemma, rule.split(":")[0])
            if entry["code"] is None:
                entry["code"] = code
            return
        record = [code, before, after, round(weight, 2), rule]
        if all(p[:3] != record[:3] for p in self.patterns[lemma]):
            self.patterns[lemma].append(record)


def compile_event_nouns(verbs: dict[str, dict]) -> dict[str, str]:
    """noun -> the CAMEO code light verbs most often give it in single-noun patterns."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for lemma in sorted(LIGHT_VERBS & set(verbs)):
        for code, before, after, _, _ in verbs[lemma]["patterns"]:
            nouns = [alts for alts in after if not set(alts) <= PREPOSITIONS]
            if code != "---" and not before and len(nouns) == 1 and len(after) == 1:
                for noun in nouns[0]:
                    if len(noun) > 2 and noun not in PARTICLES:
                        votes[noun][code] += 1
    return {noun: counts.most_common(1)[0][0] for noun, counts in sorted(votes.items())}


def compile_petrarch(path: Path) -> tuple[dict, dict]:
    """The PETRARCH2 verb dictionary -> ({lemma: {code, synset, patterns}}, stats)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    end = next(i for i, line in enumerate(lines) if "TRANSFORMATIONS" in line)
    lemmatize = Lemmatizer(base_verb_forms(lines[start:end]))
    dictionary = VerbDictionary(read_synsets(lines[:start]), lemmatize)
    block, block_code, body = None, None, []
    for number, raw in enumerate(lines[start + 1 : end], start=start + 2):
        line = raw.strip()
        header = re.match(r"---\s+(\S+)\s+\[([^\]]*)\]", line)
        if header:
            if block:
                dictionary.add_block(block, block_code, body)
            block, block_code, body = header.group(1), parse_code(header.group(2)), []
        elif line and not line.startswith("#") and block:
            body.append((number, line))
    if block:
        dictionary.add_block(block, block_code, body)
    verbs = {}
    for lemma in sorted(set(dictionary.verbs) | set(dictionary.patterns) | set(VERB_OVERRIDES)):
        entry = dictionary.verbs.get(lemma, {"code": None, "synset": ""})
        code = VERB_OVERRIDES[lemma] if lemma in VERB_OVERRIDES else recode(lemma, entry["synset"], entry["code"])
        code = code if code != "---" else None
        patterns = [[recode(lemma, p[4].split(":")[0], p[0], p[2]), *p[1:]] for p in dictionary.patterns.get(lemma, [])]
        verbs[lemma] = {"code": code, "synset": entry["synset"], "patterns": patterns}
    stats = {
        "verbs": len(verbs),
        "verbs_with_default_code": sum(1 for v in verbs.values() if v["code"]),
        "patterns": sum(len(v["patterns"]) for v in verbs.values()),
        "pattern_lines_skipped": dictionary.skipped,
        "overridden_defaults": len(VERB_OVERRIDES),
    }
    return verbs, stats


# --------------------------------------------------------------------------- eventwire's own entries
# Classes of news verbs the PETRARCH2 dictionary lacks or codes against the guideline (docs/annotation.md §4
# and ruling 1): returning property or people and releases are RETREAT (084x); lynching, maiming, molesting,
# burning buildings, downing aircraft and violating a ceasefire are ASSAULT (18x, 1712, 190); strengthening
# forces is MOBILIZE (15x); lifting restrictions and tariffs eases them (081, 085); ending mediation halts it
# (165); sharing intelligence is COOPERATE (064); declaring a state of emergency or siege is COERCE (1724);
# allowing aid in eases (0863); training another's forces is COOPERATE (062); opposing demands rejects them
# (120); surrendering is RETREAT (0874), but a suspect surrendering to the authorities yields (080).
# Organising protests is PROTEST (141, 143); mobilising funds is AID (071); pressing someone is a demand (100).
# Kept apart from the compiled dictionary and its corrections.

#: What is handed back as property (CAMEO 0842, return property): works of art, heritage, seized goods.
RETURNED_PROPERTY = [
    "artifact", "artefact", "antiquity", "relic", "painting", "portrait", "artwork", "sculpture", "statue",
    "manuscript", "bible", "book", "document", "archive", "skull", "fossil", "treasure", "heritage", "idol",
    "icon", "mummy", "coin", "jewel", "jewellery", "jewelry", "property", "asset", "land", "territory",
    "island", "vessel", "ship", "boat", "tanker", "aircraft", "plane", "cargo", "object", "item",
]  # fmt: skip
#: People handed back or set free (CAMEO 0841, return or release persons).
RETURNED_PEOPLE = [
    "prisoner", "hostage", "detainee", "captive", "abductee", "body", "remains", "fishermen",
    "fisherman", "sailor", "crew", "crewmen", "pow", "convict", "inmate",
]  # fmt: skip
#: Buildings and vehicles whose wrecking is property destruction (CAMEO 1712).
WRECKED_PROPERTY = [
    "shop", "store", "house", "home", "building", "office", "eatery", "restaurant", "hotel", "vehicle",
    "car", "bus", "truck", "temple", "church", "mosque", "school", "market", "factory", "station",
]  # fmt: skip
#: Economic sanctions that are eased (CAMEO 085) and restrictions that are lifted (CAMEO 081).
ECONOMIC_SANCTIONS = ["tariff", "sanction", "duty", "embargo", "levy"]
RESTRICTIONS = ["restriction", "ban", "curb", "regulation"]
#: Armed forces whose strengthening is a mobilisation (CAMEO 154), and police (151, raised police alert).
ARMED_FORCES = ["troop", "force", "soldier", "presence", "garrison", "deployment", "contingent", "reinforcement"]
POLICE_FORCES = ["police", "policemen", "patrol"]
#: Aircraft whose downing is an attack.
AIRCRAFT = ["plane", "aircraft", "jet", "helicopter", "chopper", "drone", "warplane", "airliner", "fighter", "uav"]
#: What is shared as intelligence or information (CAMEO 064).
SHARED_KNOWLEDGE = ["intelligence", "information", "expertise", "data", "know-how", "technology", "evidence"]
PASSED_KNOWLEDGE = ["intelligence", "information", "expertise", "data", "know-how"]
#: Forces whose training by another is military cooperation (CAMEO 062).
TRAINED_FORCES = ["pilot", "soldier", "troop", "force", "army", "police", "policemen", "officer", "recruit",
                  "fighter", "military", "commando", "personnel", "guard", "cadet"]
#: Protests that are organised (CAMEO 141) and money that is mobilised (CAMEO 071, economic aid).
PROTESTS = ["rally", "protest", "demonstration", "march", "sit-in", "dharna", "gherao", "vigil"]
FUNDS = ["fund", "money", "resource", "financing", "funding", "million", "billion", "aid", "assistance"]
#: Humanitarian aid whose delivery is allowed (CAMEO 0863).
HUMANITARIAN_AID = ["aid", "relief", "humanitarian", "convoy"]

#: Default codes (when no pattern matches) of verbs the dictionary lacks or files otherwise.
EXTRA_VERB_CODES: dict[str, str | None] = {
    "lynch": "1823", "maim": "182", "molest": "1821", "thrash": "182", "manhandle": "182",
    "free": "0841",  # the dictionary's 080 (yield) files releases with concessions; ruling 1: RETREAT
    "reinforce": None,  # the dictionary's 170 (coerce) codes 'reinforced its commitment'; forces: a pattern
    "surrender": "0874", "capitulate": "0874",  # the dictionary's 080 (yield); ruling 1: surrender is RETREAT
    "train": None,  # the dictionary's 030 (intent to cooperate); training forces is military cooperation
    "pressure": "100",  # the dictionary's 170 (coerce): pressing someone to act demands it of them
}  # fmt: skip
#: Event nouns of protest in South Asian English news, as objects of light verbs ('called a bandh').
EXTRA_EVENT_NOUNS: dict[str, str] = {
    "bandh": "143", "hartal": "143", "dharna": "141", "gherao": "141", "agitation": "140", "boycott": "143",
}  # fmt: skip
#: (verb, code, required words after the verb, each a list of alternatives): patterns added to the verb.
EXTRA_PATTERNS: list[tuple[str, str, list[list[str]]]] = [
    ("return", "0842", [RETURNED_PROPERTY]),
    ("return", "0841", [RETURNED_PEOPLE]),
    ("hand", "084", [["back"]]),
    ("hand", "0842", [["back"], RETURNED_PROPERTY]),
    ("hand", "0841", [["back"], RETURNED_PEOPLE]),
    ("hand", "0842", [["over"], RETURNED_PROPERTY]),
    ("hand", "0841", [["over"], RETURNED_PEOPLE]),
    ("give", "0842", [["back"], RETURNED_PROPERTY]),
    ("give", "0841", [["back"], RETURNED_PEOPLE]),
    ("repatriate", "0842", [RETURNED_PROPERTY]),
    ("let", "0841", [["free"]]),
    ("set", "0841", [["free"]]),
    ("roll", "085", [["back"], ECONOMIC_SANCTIONS]),
    ("roll", "081", [["back"], RESTRICTIONS]),
    ("lift", "085", [ECONOMIC_SANCTIONS]),
    ("remove", "085", [ECONOMIC_SANCTIONS]),
    ("scrap", "085", [ECONOMIC_SANCTIONS]),
    ("hold", "181", [["human"], ["shield"]]),
    ("use", "181", [["human"], ["shield"]]),
    ("gut", "1712", [WRECKED_PROPERTY]),
    ("burn", "1712", [WRECKED_PROPERTY]),
    ("torch", "1712", [WRECKED_PROPERTY]),
    ("set", "1712", [["fire", "ablaze", "alight"]]),
    ("down", "190", [AIRCRAFT]),
    ("violate", "190", [["ceasefire", "cease-fire", "truce", "armistice"]]),
    ("strengthen", "154", [ARMED_FORCES]),
    ("bolster", "154", [ARMED_FORCES]),
    ("boost", "154", [ARMED_FORCES]),
    ("ramp", "154", [["up"], ARMED_FORCES]),
    ("beef", "154", [["up"], ARMED_FORCES]),
    ("build", "154", [["up"], ARMED_FORCES]),
    ("strengthen", "151", [POLICE_FORCES]),
    ("ramp", "151", [["up"], POLICE_FORCES]),
    ("beef", "151", [["up"], POLICE_FORCES]),
    ("share", "064", [SHARED_KNOWLEDGE]),
    ("provide", "064", [PASSED_KNOWLEDGE]),
    ("supply", "064", [PASSED_KNOWLEDGE]),
    ("pass", "064", [PASSED_KNOWLEDGE]),
    ("reinforce", "154", [ARMED_FORCES]),
    ("accept", "083", [["demand"]]),
    ("lift", "081", [RESTRICTIONS]),
    ("end", "165", [["mediation"]]),
    ("upgrade", "050", [["tie", "relation"]]),
    ("declare", "1724", [["emergency"]]),  # the dictionary's 012 reads it as a pessimistic comment
    ("declare", "1724", [["siege"]]),
    ("declare", "1724", [["martial"], ["law"]]),
    ("impose", "1724", [["siege"]]),
    ("allow", "0863", [HUMANITARIAN_AID]),
    ("train", "062", [TRAINED_FORCES]),
    ("surrender", "080", [["to"], ["authority", "police", "court", "tribunal", "prosecutor", "icc"]]),
    ("oppose", "120", [["demand", "call", "request", "plan", "bid"]]),
    ("organise", "141", [PROTESTS]),
    ("organize", "141", [PROTESTS]),
    ("organise", "143", [["strike", "bandh", "hartal"]]),
    ("organize", "143", [["strike", "bandh", "hartal"]]),
    ("mobilise", "071", [FUNDS]),
    ("mobilize", "071", [FUNDS]),
    ("permit", "0863", [HUMANITARIAN_AID]),
]


def add_own_entries(verbs: dict[str, dict]) -> None:
    """Merge `EXTRA_VERB_CODES` and `EXTRA_PATTERNS` into the compiled verbs (a pattern on the same words
    replaces the dictionary's)."""
    for lemma, code in EXTRA_VERB_CODES.items():
        entry = verbs.setdefault(lemma, {"code": None, "synset": "EVENTWIRE", "patterns": []})
        entry["code"] = code
    for lemma, code, after in EXTRA_PATTERNS:
        entry = verbs.setdefault(lemma, {"code": None, "synset": "EVENTWIRE", "patterns": []})
        words = [sorted({normalize_word(w) for w in alternatives}) for alternatives in after]
        weight = sum(PREPOSITION_WEIGHT if set(w) <= PREPOSITIONS else 1.0 for w in words)
        entry["patterns"] = [p for p in entry["patterns"] if p[1] or p[2] != words]
        entry["patterns"].append([code, [], words, weight, "EVENTWIRE:own"])


def add_own_event_nouns(nouns: dict[str, str]) -> None:
    """Merge `EXTRA_EVENT_NOUNS` into the compiled event nouns."""
    nouns.update({normalize_word(noun): code for noun, code in EXTRA_EVENT_NOUNS.items()})


# --------------------------------------------------------------------------- assembly


def build(shared: Path) -> dict:
    """All coding tables as one JSON-able dict with provenance metadata."""
    labels = read_cameo_labels(shared / "cameo")
    goldstein = read_goldstein(shared / "cameo")
    plover = read_cameo2plover(shared / "plover" / "CAMEO2PLOVER-2021.txt")
    codes = sorted(set(labels) | set(goldstein) | set(plover))
    add_statement_and_appeal_plover(plover, codes)
    fill_goldstein_gaps(goldstein, codes)
    verbs, stats = compile_petrarch(shared / "petrarch" / "CAMEO.2.0.txt")
    add_own_entries(verbs)
    stats["own_patterns"] = len(EXTRA_PATTERNS)
    nouns = compile_event_nouns(verbs)
    add_own_event_nouns(nouns)
    stats["event_nouns"] = len(nouns)
    cameo = {c: {"label": labels.get(c, ""), "goldstein": goldstein.get(c)} for c in codes}
    return {
        "meta": {
            "built_by": "scripts/build_coding_tables.py",
            "sources": {
                "cameo": "CAMEO.eventcodes.txt, CAMEO.goldsteinscale.txt (GDELT lookup tables, public); "
                "CAMEO_codefile.txt (openeventdata/text_to_CAMEO, MIT)",
                "plover": "CAMEO2PLOVER-2021.txt (openeventdata/PLOVER@5e0c24fb, CC BY-SA 4.0); "
                "CAMEO 01x/02x PLOVER assignments are eventwire's own",
                "verbs": "CAMEO.2.0.txt (openeventdata/petrarch2@676801cd, MIT License, "
                "Copyright (c) 2015 Open Event Data Alliance)",
            },
            "licence": "MIT (verb dictionary, codefile); CC BY-SA 4.0 (PLOVER mapping)",
            "pattern_format": "[code, before, after, specificity, rule]; before/after are lists of "
            "alternative normalized words that must all occur in the clause; code '---' = no event",
            "stats": stats,
            "verb_overrides": VERB_OVERRIDES,
        },
        "cameo": cameo,
        "plover": {c: plover[c] for c in sorted(plover)},
        "verbs": verbs,
        "event_nouns": nouns,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", help="shared data directory (default: $EVENTWIRE_SHARED or ../shared/data)"
    )
    parser.add_argument("--out", default=str(DATA_FILE), help="output .json.gz")
    args = parser.parse_args()
    tables = build(shared_dir(args.shared))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(tables, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with gzip.GzipFile(out, "wb", mtime=0) as handle:
        handle.write(payload.encode("utf-8"))
    print(f"wrote {out} ({out.stat().st_size:,} bytes): {tables['meta']['stats']}")


if __name__ == "__main__":
    main()
