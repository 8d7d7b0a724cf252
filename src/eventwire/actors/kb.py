"""The actor knowledge base: the compiled artifact, its indexes and the text keys used to look it up.

The artifact (`data/kb.json.gz`, built by `scripts/build_kb.py`) holds actors (people, organisations,
armed groups, countries) with their alias keys and date-bounded roles, the title index (country or
organisation + title -> holders), countries with their names and demonyms, places with coordinates,
metonyms ("the Kremlin"), and agent nouns ("soldiers" -> MIL). This module owns loading it (once per
process, lazily) and the normalisation that turns any text into the lookup keys the artifact was
indexed with, so the build script and the resolver always agree.

Convention for international bodies: a role's `country` is an ISO3 code or None; organisations such
as NATO or the UN have country None, sector IGO (JUD for international courts) and their code in the
actor id (`org:NATO`) and their full CAMEO code in `igo` (`IGONAT`, `IGOUNO`, `IGOEUREEC`); an
official of one (the UN Secretary-General) has a role with `org` set, either that organisation's code
(`UN`) or, for Phoenix entries, the CAMEO code after `IGO` (`UNOREFHCR`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: Package-relative location of the compiled artifact.
ARTIFACT_NAME = "kb.json.gz"

#: Canonical title -> the phrasings that name it (normalised keys).
TITLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "prime minister": ("prime minister", "premier", "pm", "prime minster", "taoiseach", "head of government"),
    "president": ("president", "head of state"),
    "vice president": ("vice president", "vp"),
    "acting president": ("acting president", "interim president"),
    "deputy prime minister": ("deputy prime minister", "deputy pm", "deputy premier"),
    "first deputy prime minister": ("first deputy prime minister",),
    "vice premier": ("vice premier",),
    "first vice premier": ("first vice premier", "executive vice premier"),
    "chancellor": ("chancellor", "federal chancellor"),
    "foreign minister": ("foreign minister", "minister of foreign affairs", "foreign affairs minister",
                         "minister for foreign affairs", "secretary of state", "external affairs minister",
                         "minister of external affairs", "top diplomat", "chief diplomat",
                         "minister for europe and foreign affairs"),
    "foreign secretary": ("foreign secretary",),
    "defence minister": ("defence minister", "defense minister", "minister of defence",
                         "minister of defense", "defence secretary", "defense secretary",
                         "secretary of defense", "secretary of defence", "minister of national defense",
                         "minister of national defence", "armed forces minister",
                         "minister of the armed forces", "secretary of war", "war secretary", "war minister"),
    "finance minister": ("finance minister", "minister of finance", "treasury secretary",
                         "secretary of the treasury", "chancellor of the exchequer", "finance secretary"),
    "interior minister": ("interior minister", "minister of the interior", "minister of interior",
                          "home secretary", "home minister", "home affairs minister",
                          "minister of home affairs", "minister of internal affairs", "interior secretary"),
    "justice minister": ("justice minister", "minister of justice", "attorney general", "justice secretary"),
    "economy minister": ("economy minister", "economic minister", "minister of economy",
                         "economics minister"),
    "commerce minister": ("commerce minister", "commerce secretary", "secretary of commerce",
                          "trade minister", "minister of commerce"),
    "trade representative": ("trade representative",),
    "energy minister": ("energy minister", "minister of energy"),
    "security minister": ("security minister", "minister of security"),
    "national security adviser": ("national security adviser", "national security advisor"),
    "homeland security secretary": ("homeland security secretary", "secretary of homeland security"),
    "central bank governor": ("central bank governor", "central bank chief", "central bank head",
                              "fed chair", "fed chairman", "federal reserve chair",
                              "federal reserve chairman"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman", "press secretary"),
    "foreign ministry spokesperson": ("foreign ministry spokesperson", "foreign ministry spokesman",
                                      "foreign ministry spokeswoman"),
    "king": ("king", "monarch"),
    "queen": ("queen",),
    "emperor": ("emperor",),
    "emir": ("emir", "amir"),
    "crown prince": ("crown prince",),
    "supreme leader": ("supreme leader",),
    "general secretary": ("general secretary", "party chief"),
    "speaker": ("speaker", "speaker of parliament", "parliament speaker", "house speaker",
                "speaker of the house"),
    "ambassador to the united nations": ("ambassador to the united nations", "ambassador to the un",
                                         "un ambassador", "envoy to the un", "envoy to the united nations",
                                         "permanent representative to the united nations",
                                         "permanent representative to the un"),
    "secretary-general": ("secretary general",),
    "high representative": ("high representative", "foreign policy chief"),
    "director-general": ("director general",),
    "managing director": ("managing director",),
    "chairperson": ("chairperson", "chairman", "chairwoman"),
    "executive director": ("executive director",),
    "chief of the general staff": ("chief of the general staff", "chief of general staff",
                                   "chairman of the joint chiefs of staff", "joint chiefs chairman",
                                   "chief of staff of the armed forces", "military chief"),
    "chief of the defence staff": ("chief of the defence staff", "chief of defence staff",
                                   "chief of the defense staff", "chief of defense staff"),
    "army chief": ("army chief", "army chief of staff", "chief of army staff"),
    "commander-in-chief": ("commander in chief",),
    "intelligence chief": ("intelligence chief", "spy chief", "spymaster"),
    "opposition leader": ("opposition leader", "leader of the opposition"),
    "pope": ("pope", "pontiff"),
    "leader": ("leader", "chief", "head", "boss", "strongman", "ruler"),
}
#: Every phrasing of a title (normalised) -> canonical title.
TITLE_PHRASES: dict[str, str] = {syn: title for title, syns in TITLE_SYNONYMS.items() for syn in syns}

_SPECIAL_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
     "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ð": "d", "þ": "th", "’": "'", "‘": "'", "ʼ": "'", "`": "'",
     "–": "-", "—": "-", "‐": "-", "‑": "-"}
)
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:'[A-Za-z]+)*|&")
_LEADING_ARTICLES = {"the"}


def fold(text: str) -> str:
    """ASCII-fold text while keeping case: accents dropped, special letters spelled out."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _token_key(token: str) -> str:
    """Lower-case a raw token, dropping dots of acronyms, possessive 's and apostrophes."""
    token = token.lower().replace(".", "")
    if token.endswith("'s"):
        token = token[:-2]
    return token.replace("'", "")


def raw_tokens(text: str) -> list[tuple[str, str]]:
    """Tokens of `text` as (key, original) pairs; runs of single initials ("J. D.") are merged."""
    pairs: list[tuple[str, str]] = []
    for match in _TOKEN_RE.finditer(fold(text).replace("_", " ")):
        original = match.group(0)
        key = _token_key(original)
        if not key:
            continue
        if len(key) == 1 and key.isalpha() and pairs and pairs[-1][0].isalpha() and _is_initials(pairs[-1]):
            prev_key, prev_orig = pairs[-1]
            pairs[-1] = (prev_key + key, prev_orig + original)
            continue
        pairs.append((key, original))
    return pairs


def _is_initials(pair: tuple[str, str]) -> bool:
    """A token made only of initials, e.g. "J." or "J.D." (a candidate for merging with the next)."""
    key, original = pair
    return len(key) <= 3 and (len(key) == 1 or original.count(".") >= len(key) - 1) and original[0].isupper()


def normalise(text: str) -> str:
    """The lookup key of a name or phrase: folded, lower-case tokens, leading "the" removed."""
    keys = [key for key, _ in raw_tokens(text)]
    while keys and keys[0] in _LEADING_ARTICLES:
        keys = keys[1:]
    return " ".join(keys)


_TRANSLIT_RULES = (
    ("tsch", "c"), ("sch", "s"), ("tch", "c"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"),
    ("ck", "k"), ("ou", "u"), ("w", "v"), ("x", "ks"), ("q", "k"), ("ch", "s"), ("sh", "s"),
    ("c", "s"), ("y", "i"),
)


def translit_key(text: str) -> str:
    """A spelling-insensitive key for transliterated names (Michoustine ~ Mishustin, Zelenskyy ~ Zelensky)."""
    words = []
    for word in normalise(text).split():
        for old, new in _TRANSLIT_RULES:
            word = word.replace(old, new)
        word = re.sub(r"(.)\1+", r"\1", word)
        if len(word) > 4 and word.endswith("e") and word[-2] not in "aeiou":
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def parse_date(value: str | None) -> dt.date | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD (a partial date stands for its first day)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Role:
    """What an actor was, and when: country + sector (+ title, + the international body it serves)."""

    country: str | None
    sector: str | None
    title: str | None
    start: dt.date | None
    end: dt.date | None  # exclusive; None = still holds it
    org: str | None = None
    leader: bool = False
    curated: bool = False

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def active(self, day: dt.date) -> bool:
        """Whether the role is held on `day` (undated roles are never "active", they are defaults)."""
        if not self.dated:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Actor:
    """A canonical actor with its aliases (lookup keys) and roles."""

    id: str
    name: str
    kind: str  # person, organisation, group, country
    aliases: list[str]
    roles: list[Role]
    code: str | None = None  # organisation code (NATO, UN, ...) or ISO3 for countries
    members: list[str] = field(default_factory=list)
    parent: str | None = None
    curated: bool = False
    igo: str | None = None  # full CAMEO code of an international body (IGOUNO, IGOEUREEC, IGONAT)


@dataclass(frozen=True)
class Place:
    """A named place with coordinates; `kind` is country, capital, city or metonym."""

    name: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    sector: str | None = None
    org: str | None = None


class KnowledgeBase:
    """Actors, countries, places, metonyms and agent nouns, indexed by normalised key.

    Actors are kept as compact rows and built into `Actor` objects on first use, so loading stays fast.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.meta: dict[str, Any] = data.get("meta", {})
        self.rows: list[dict[str, Any]] = data["actors"]
        self._built: dict[int, Actor] = {}
        self._dates: dict[str | None, dt.date | None] = {None: None}
        self._by_id = {row["id"]: i for i, row in enumerate(self.rows)}
        self._by_code = {
            row["code"]: i for i, row in enumerate(self.rows) if row.get("code") and row["kind"] != "country"
        }
        self.alias_index: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows):
            for alias in row.get("aliases", ()):
                self.alias_index[alias].append(i)
        self.country_names: dict[str, str] = {}
        self.country_index: dict[str, str] = {}
        self.demonym_index: dict[str, str] = {}
        self.country_places: dict[str, Place] = {}
        for iso3, row in data["countries"].items():
            self._add_country(iso3, row)
        self.mention_index: dict[str, str] = dict(data.get("mentions", {}))
        self.place_index: dict[str, Place] = {}
        self.capital_index: dict[str, Place] = {}
        self.metonym_index: dict[str, Place] = {}
        for place_row in data["places"]:
            self._add_place(place_row)
        self.agent_index: dict[str, str] = dict(data["agents"])
        self.title_index: dict[tuple[str, str], list[tuple[Actor, Role]]] = {
            tuple(key.split("|", 1)): self._role_refs(refs) for key, refs in data.get("titles", {}).items()
        }
        self.leader_index: dict[str, list[tuple[Actor, Role]]] = {
            iso3: self._role_refs(refs) for iso3, refs in data.get("leaders", {}).items()
        }

    def _add_country(self, iso3: str, row: dict[str, Any]) -> None:
        self.country_names[iso3] = row["name"]
        for key in row["aliases"]:
            self.country_index.setdefault(key, iso3)
        for key in row["demonyms"]:
            self.demonym_index.setdefault(key, iso3)
        self.country_places[iso3] = Place(row["name"], "country", iso3, row.get("lat"), row.get("lon"))

    def _add_place(self, row: list[Any]) -> None:
        name, kind, iso3, lat, lon, keys, sector, org = row
        place = Place(name, kind, iso3, lat, lon, sector, org)
        index = {"capital": self.capital_index, "metonym": self.metonym_index}.get(kind, self.place_index)
        for key in keys:
            index.setdefault(key, place)
            if kind == "capital":
                self.place_index.setdefault(key, place)

    def _role_refs(self, refs: list[list[int]]) -> list[tuple[Actor, Role]]:
        """[[actor row, role row], ...] -> [(actor, role), ...]."""
        return [(self.actor_at(i), self.actor_at(i).roles[j]) for i, j in refs]

    def actor_at(self, index: int) -> Actor:
        """The actor stored at row `index` (built once, then cached)."""
        actor = self._built.get(index)
        if actor is None:
            actor = self._built[index] = _actor_from_json(self.rows[index], self._dates)
        return actor

    def actors_for(self, key: str) -> list[Actor]:
        """Actors having `key` among their aliases."""
        return [self.actor_at(i) for i in self.alias_index.get(key, ())]

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id, if any."""
        index = self._by_id.get(actor_id)
        return self.actor_at(index) if index is not None else None

    def org(self, code: str) -> Actor | None:
        """The organisation or group with this code (NATO, UN, PSE-HAMAS, ...), if any."""
        index = self._by_code.get(code)
        return self.actor_at(index) if index is not None else None

    def country_name(self, iso3: str | None) -> str | None:
        """Short English name of a country code."""
        return self.country_names.get(iso3) if iso3 else None


def _actor_from_json(row: dict[str, Any], dates: dict[str | None, dt.date | None]) -> Actor:
    roles = []
    for r in row.get("roles", []):
        start, end = (
            dates.get(r[3]) or _cached_date(dates, r[3]),
            dates.get(r[4]) or _cached_date(dates, r[4]),
        )
        roles.append(Role(r[0], r[1], r[2], start, end, r[5], bool(r[6]), bool(r[7])))
    return Actor(
        id=row["id"], name=row["name"], kind=row["kind"], aliases=row.get("aliases", []), roles=roles,
        code=row.get("code"), members=row.get("members", []), parent=row.get("parent"),
        curated=bool(row.get("curated")), igo=row.get("igo"),
    )


def _cached_date(cache: dict[str | None, dt.date | None], value: str | None) -> dt.date | None:
    if value not in cache:
        cache[value] = parse_date(value)
    return cache[value]


def default_artifact_path() -> Path:
    """Where the shipped artifact lives inside the installed package."""
    return Path(str(resources.files("eventwire.actors").joinpath("data", ARTIFACT_NAME)))


def read_artifact(path: str | Path) -> dict[str, Any]:
    """Read a compiled artifact (gzip-compressed JSON)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=4)
def load_kb(path: str | None = None) -> KnowledgeBase:
    """Load the knowledge base once per process (the shipped artifact unless `path` is given)."""
    return KnowledgeBase(read_artifact(path or default_artifact_path()))
