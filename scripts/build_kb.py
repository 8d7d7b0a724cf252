"""Build the actor knowledge base artifact shipped in `src/eventwire/actors/data/kb.json.gz`.

Sources (read at build time only; the installed product never reads them):
  * PETRARCH2/Phoenix actor and agent dictionaries (`<shared>/petrarch/Phoenix.*`), MIT licence,
    Open Event Data Alliance: actors with date-bounded CAMEO codes, agent nouns -> sector.
  * `data/curated/officials.tsv` and `data/curated/places.tsv` (this repository, MIT).
  * pycountry (ISO 3166 names) and country_converter's country table (names, group membership).
  * tzdata's zone table (city coordinates for the place gazetteer).

Usage: .venv/bin/python scripts/build_kb.py [--shared DIR] [--curated DIR] [--out FILE]
`--shared` defaults to $EVENTWIRE_SHARED or ../shared/data relative to the repository root.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.actors.kb import TITLE_PHRASES, fold, normalise  # noqa: E402

PHOENIX_ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
PRIMARY_SECTORS = {"COP", "GOV", "INS", "JUD", "MIL", "OPP", "PTY", "REB", "SEP", "SPY", "UAF"}
SECONDARY_SECTORS = {"AGR", "BUS", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG",
                     "MED", "REF", "MOD", "RAD", "NGO", "IGO", "PRE"}
RELIGION_CODES = {"ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "HIN", "ITH", "JAN",
                  "JEW", "JHW", "LDS", "MOS", "MRN", "MUS", "NEW", "ORT", "PRO", "SFI", "SHI", "SHN", "SIK",
                  "SUN", "TAO", "UDX", "ZRO", "REL"}
#: Phoenix agent codes that are not CAMEO sectors, mapped to the nearest one.
AGENT_CODE_MAP = {"PPL": "CVL", "IMG": "REB", "MNC": "BUS"}
#: Non-ISO codes used for actors that have no single country.
NON_COUNTRY_LEADS = {"IGO", "NGO", "MNC", "IMG", "INT", "ELI", "UAF", "REB", "OPP", "CVL"}
EXTRA_ISO3 = {"XKX"}
#: Phoenix country codes that are not ISO 3166 alpha-3 -> the ISO3 (or XKX) of today's successor state.
PHOENIX_COUNTRY_CODES = {"KSV": "XKX", "USR": "RUS", "DDR": "DEU", "YUG": "SRB", "SCG": "SRB", "FRY": "SRB",
                         "CSK": "CZE", "SRP": "SRB"}
PERSON_MARKERS = ("CountryInfo", "IGOrulers", "rulers")
INSTITUTION_WORDS = {
    "army", "forces", "force", "ministry", "party", "council", "front", "movement", "organization",
    "organisation", "group", "union", "league", "committee", "agency", "bank", "court", "police",
    "government", "assembly", "parliament", "brigade", "brigades", "battalion", "association", "fund",
    "commission", "office", "service", "services", "department", "guard", "navy", "corps", "command",
    "institute", "university", "company", "corporation", "network", "alliance", "federation", "society",
    "coalition", "congress", "senate", "cabinet", "regime", "authority", "authorities", "fleet",
    "militia", "militias", "rebels", "troops", "church", "news", "radio", "television", "tv", "times",
    "post", "press", "state", "republic", "kingdom", "board", "bureau", "secretariat", "program",
    "programme", "project", "mission", "center", "centre", "foundation", "trust", "watch", "international",
}
#: General news vocabulary for agents missing from the Phoenix agent list (our own table).
SUPPLEMENTARY_AGENTS = {
    "MIL": ["troops", "troop", "soldiers", "armed forces", "military", "army", "navy", "air force",
            "marines", "warship", "warplane", "fighter jet", "fleet", "battalion", "brigade", "regiment",
            "paratrooper", "commando", "special forces", "peacekeeper", "peacekeeping force", "sailor",
            "coast guard", "defence forces", "defense forces", "forces", "general", "commander",
            "military commander", "drone", "missile battery", "artillery", "infantry", "naval forces",
            "security forces", "national guard", "servicemen", "servicemembers", "officer corps"],
    "GOV": ["official", "officials", "authorities", "authority", "government", "administration", "cabinet",
            "ministry", "minister", "regime", "diplomat", "envoy", "ambassador", "embassy", "consulate",
            "spokesperson", "spokesman", "spokeswoman", "mayor", "governor", "presidency", "state media",
            "foreign ministry", "defence ministry", "defense ministry", "interior ministry", "leadership",
            "junta", "negotiator", "delegation", "prosecutor general", "department"],
    "LEG": ["lawmaker", "lawmakers", "legislator", "legislature", "parliament", "parliamentarian", "senate",
            "senator", "congressman", "congresswoman", "member of parliament", "mp", "mps", "deputy speaker"],
    "JUD": ["judge", "court", "judiciary", "tribunal", "high court", "supreme court", "justice",
            "magistrate"],
    "COP": ["police", "policeman", "policemen", "police officer", "police officers", "border guard",
            "border guards", "riot police", "gendarmerie", "security service"],
    "SPY": ["spy", "spies", "intelligence agency", "intelligence service", "intelligence officer",
            "secret service", "secret services", "intelligence services", "spy agency"],
    "REB": ["rebel", "rebels", "insurgent", "insurgents", "militant", "militants", "guerrilla", "guerrillas",
            "jihadist", "jihadists", "terrorist", "terrorists", "armed group", "fighters", "separatist",
            "separatists", "mujahideen", "extremists"],
    "OPP": ["protester", "protesters", "protestor", "protestors", "demonstrator", "demonstrators",
            "activist", "activists", "opposition", "dissident", "dissidents", "opposition leader"],
    "CVL": ["civilian", "civilians", "resident", "residents", "villager", "villagers", "citizen", "citizens",
            "people", "family", "families", "crowd", "youths", "bystanders", "passengers", "voters"],
    "REF": ["refugee", "refugees", "migrant", "migrants", "asylum seeker", "asylum seekers",
            "displaced people"],
    "MED": ["journalist", "journalists", "reporter", "reporters", "media", "newspaper", "broadcaster",
            "news agency", "editor"],
    "HLH": ["doctor", "doctors", "nurse", "nurses", "hospital", "medic", "medics", "paramedic", "paramedics",
            "health workers", "health officials", "health ministry"],
    "EDU": ["student", "students", "university", "teacher", "teachers", "professor", "academic",
            "researcher", "researchers", "scientist", "scientists", "expert", "experts", "analyst",
            "analysts", "school"],
    "BUS": ["company", "companies", "firms", "corporation", "businessman", "businessmen", "business leaders",
            "executive", "executives", "investor", "investors", "bank", "banks", "airline", "airlines",
            "manufacturer", "exporter", "importer", "oil company", "shipping company", "tycoon",
            "billionaire", "chief executive", "ceo", "board", "shareholders", "lender"],
    "LAB": ["worker", "workers", "union", "unions", "trade union", "trade unions", "labour union",
            "labor union", "strikers", "employees"],
    "AGR": ["farmer", "farmers", "agricultural worker", "agricultural workers", "peasant", "peasants",
            "herder", "herders", "fishermen"],
    "REL": ["priest", "priests", "cleric", "clerics", "imam", "imams", "bishop", "church", "mosque", "monk",
            "monks", "rabbi", "religious leader", "religious leaders", "clergy"],
    "CRM": ["criminal", "criminals", "gang", "gangs", "gang member", "gang members", "gangster", "gangsters",
            "cartel", "drug cartel", "smuggler", "smugglers", "trafficker", "traffickers", "drug trafficker",
            "drug traffickers", "kidnapper", "kidnappers", "robber", "robbers", "thief", "thieves",
            "burglar", "pirate", "pirates", "mafia", "murderer", "looters", "vandal", "vandals", "fugitive",
            "hackers", "poachers"],
    "ELI": ["former official", "former president", "former prime minister", "elder", "elders"],
    "NGO": ["charity", "aid group", "aid agency", "aid workers", "humanitarian group", "rights group",
            "human rights group", "non-governmental organisation", "non-governmental organization", "ngo"],
    "HRI": ["human rights activist", "human rights activists", "rights activist", "rights activists"],
}
#: Group columns of country_converter's table usable as `@name` in the members column.
#: IGO codes written by the short GDELT/ICEWS convention rather than Phoenix's regional one
#: (Phoenix writes NATO as IGOWSTNAT and the G7 as IGOGOS; it has no African Union entry).
IGO_CODE_RENAMES = {"WSTNAT": "NAT", "GOS": "G7"}
#: Full IGO codes of curated organisations that Phoenix does not name (or names otherwise).
CURATED_IGO_CODES = {"NATO": "IGONAT", "G7": "IGOG7", "AU": "IGOAFRAU"}
#: Sectors of curated organisations that are international bodies (given an IGO code).
IGO_SECTORS = {"IGO", "JUD"}
COCO_GROUPS = {"EU27", "EURO", "OECD", "UNmember", "APEC", "CIS", "CoE", "G7", "G20", "BRIC"}


@dataclass
class PhoenixEntry:
    """One block of a Phoenix actor dictionary: names, codes and hints about what it is."""

    names: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    comments: str = ""
    source: str = ""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    default_shared = os.environ.get("EVENTWIRE_SHARED") or str(REPO.parent / "shared" / "data")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=default_shared, help="shared reference data directory")
    parser.add_argument("--curated", default=str(REPO / "data" / "curated"), help="curated tables directory")
    parser.add_argument("--out", default=str(REPO / "src" / "eventwire" / "actors" / "data" / "kb.json.gz"))
    return parser.parse_args(argv)


# ---------------------------------------------------------------- Phoenix dictionaries

_CODE_RE = re.compile(r"\[([^\]]*)\]")


def parse_phoenix_date(text: str) -> str | None:
    """Phoenix dates are YYMMDD (two-digit years pivot at 2020) or YYYYMMDD; returns ISO or None."""
    text = text.strip()
    try:
        if len(text) == 6:
            year = int(text[:2])
            year += 2000 if year <= 20 else 1900
            return dt.date(year, int(text[2:4]), int(text[4:6])).isoformat()
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8])).isoformat()
    except ValueError:
        return None
    return None


def parse_phoenix_code(body: str) -> tuple[str, str | None, str | None] | None:
    """`RUSGOV 991231-080507` -> ("RUSGOV", start, end); `>080508` and `<061231` are open intervals."""
    parts = body.strip().split(None, 1)
    if not parts or not re.fullmatch(r"[A-Z~\-]+", parts[0]) or parts[0].startswith("-"):
        return None
    code, start, end = parts[0], None, None
    if code[:3] in PHOENIX_COUNTRY_CODES:
        code = PHOENIX_COUNTRY_CODES[code[:3]] + code[3:]
    if len(parts) == 2:
        span = parts[1].replace(" ", "")
        if span.startswith(">"):
            start = parse_phoenix_date(span[1:])
        elif span.startswith("<"):
            end = parse_phoenix_date(span[1:])
        elif "-" in span:
            first, last = span.split("-", 1)
            start, end = parse_phoenix_date(first), parse_phoenix_date(last)
            if start is None and end is None:
                return None
    return code, start, end


def read_phoenix_actors(path: Path) -> list[PhoenixEntry]:
    """Parse a TABARI/PETRARCH .actors file into entries (names sharing the codes that follow them)."""
    entries: list[PhoenixEntry] = []
    current: PhoenixEntry | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, _, comment = line.partition("#")
        codes = [c for c in (parse_phoenix_code(m) for m in _CODE_RE.findall(text)) if c]
        name = _CODE_RE.sub("", text).strip()
        if name.startswith("+"):
            if current is not None and name[1:].strip():
                current.names.append(name[1:].strip())
        elif name and not line[0].isspace():
            if current is None or current.codes:
                current = PhoenixEntry(source=path.name)
                entries.append(current)
            current.names.append(name)
        if current is not None:
            current.codes.extend(codes)
            current.comments += comment
    return [entry for entry in entries if entry.names and entry.codes]


def phoenix_role(code: str, start: str | None, end: str | None, iso3s: set[str]) -> dict[str, Any] | None:
    """Turn a CAMEO actor code into a role: country (ISO3 or None), sector, international body."""
    tokens = [code[i:i + 3] for i in range(0, len(code), 3)]
    if not tokens:
        return None
    country, org, rest = None, None, tokens
    if tokens[0] in iso3s:
        country, rest = tokens[0], tokens[1:]
    elif tokens[0] == "IGO":
        org = igo_suffix("".join(tokens[1:])) or None
        return {"country": None, "sector": "IGO", "org": org, "start": start, "end": end}
    elif tokens[0] in ("NGO", "MNC", "IMG"):
        return {"country": None, "sector": AGENT_CODE_MAP.get(tokens[0], tokens[0]), "org": None,
                "start": start, "end": end}
    elif tokens[0] in NON_COUNTRY_LEADS or len(tokens[0]) < 3:
        rest = tokens
    else:
        rest = tokens[1:]
    sector = next((t for t in rest if t in PRIMARY_SECTORS or t in SECONDARY_SECTORS), None)
    if sector is None and any(t in RELIGION_CODES for t in rest):
        sector = "REL"
    if country is None and sector is None:
        return None
    return {"country": country, "sector": sector, "org": org, "start": start, "end": end}


def igo_suffix(suffix: str) -> str:
    """The part of an IGO code after `IGO`, in this project's convention (`WSTNAT` -> `NAT`)."""
    for phoenix, short in IGO_CODE_RENAMES.items():
        if suffix.startswith(phoenix):
            return short + suffix[len(phoenix):]
    return suffix


def phoenix_igo_codes(entries: list[PhoenixEntry]) -> dict[str, str]:
    """Normalised name -> full IGO code (`united nations` -> `IGOUNO`) from Phoenix entries coded IGO."""
    codes: dict[str, str] = {}
    for entry in entries:
        igo = next((code for code, _, _ in entry.codes if code.startswith("IGO") and len(code) > 3), None)
        if igo is None:
            continue
        for name in entry.names:
            codes.setdefault(normalise(name), "IGO" + igo_suffix(igo[3:]))
    return codes


def add_igo_codes(curated: list[dict[str, Any]], phoenix_codes: dict[str, str]) -> None:
    """Give each curated international body its full IGO code: a curated one, else the code Phoenix
    gives its name or one of its aliases, else `IGO` + its own code; a body of one (the European
    Parliament) shares its parent's code."""
    for actor in curated:
        if actor["kind"] == "person" or not any(
            r[0] is None and r[1] in IGO_SECTORS for r in actor["roles"]
        ):
            continue
        names = [normalise(actor["name"]), *actor["aliases"]]
        found = next((phoenix_codes[n] for n in names if n in phoenix_codes), None)
        actor["igo"] = CURATED_IGO_CODES.get(actor["code"]) or found or "IGO" + re.sub(
            r"[^A-Z0-9]", "", actor["code"].upper())
    by_code = {actor.get("code"): actor for actor in curated if actor["kind"] != "person"}
    for actor in curated:
        parent = by_code.get(actor.get("parent"))
        if parent is not None and "igo" in parent and "igo" not in actor:
            actor["igo"] = parent["igo"]  # the European Parliament is a body of the EU


def phoenix_display_name(name: str) -> str:
    """`VLADIMIR_PUTIN_` -> `Vladimir Putin`."""
    words = name.replace("_", " ").split()
    return " ".join(w if any(c.isdigit() for c in w) else _capitalise(w) for w in words)


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def looks_like_person(entry: PhoenixEntry, roles: list[dict[str, Any]]) -> bool:
    """Heuristic: leader lists and dated roles mark people; institution words mark organisations."""
    words = set(normalise(entry.names[0]).split())
    if words & INSTITUTION_WORDS or not 2 <= len(words) <= 8:
        return False
    if any(marker in entry.comments for marker in PERSON_MARKERS):
        return True
    return any(r["start"] or r["end"] for r in roles) or any(r["sector"] == "ELI" for r in roles)


def read_phoenix_agents(path: Path) -> dict[str, str]:
    """Agent nouns -> sector, with the plural forms Phoenix lists or implies."""
    substitutions: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        sub = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if sub:
            substitutions[sub.group(1)] = [w.strip() for w in sub.group(2).split(",")]
            continue
        match = re.fullmatch(r"(.+?)\s*(\{[^}]*\})?\s*\[~([A-Z]+)\]", line)
        if not match:
            continue
        phrase, plural, code = match.group(1).strip(), match.group(2), match.group(3)
        sector = agent_sector(code)
        if sector is None:
            continue
        for form in expand_substitutions(phrase, substitutions):
            add_agent(agents, form, sector, plural_forms(form, plural))
    return agents


def agent_sector(code: str) -> str | None:
    """First three letters of a Phoenix agent code, mapped onto CAMEO sectors."""
    head = code[:3]
    if head in RELIGION_CODES:
        return "REL"
    head = AGENT_CODE_MAP.get(head, head)
    return head if head in PRIMARY_SECTORS or head in SECONDARY_SECTORS else None


def expand_substitutions(phrase: str, substitutions: dict[str, list[str]]) -> list[str]:
    """Expand `!MINIST!`-style placeholders into each of their words."""
    forms = [phrase]
    for placeholder, words in substitutions.items():
        if any(placeholder in form for form in forms):
            forms = [form.replace(placeholder, f" {word} ") for form in forms for word in words]
    return [re.sub(r"\s+", " ", form.replace("_", " ")).strip() for form in forms]


def plural_forms(phrase: str, plural_spec: str | None) -> list[str]:
    """Explicit `{PLURAL}` forms, none for `{}`, else a regular English plural of the last word."""
    if plural_spec is not None:
        inner = plural_spec.strip("{}").strip()
        return [inner.replace("_", " ")] if inner else []
    return [pluralise(phrase)]


def pluralise(phrase: str) -> str:
    """Regular English plural of a phrase's last word (man -> men, party -> parties, chief -> chiefs)."""
    words = phrase.split()
    if not words:
        return phrase
    last = words[-1]
    low = last.lower()
    if low.endswith("man"):
        last = last[:-3] + ("MEN" if last.isupper() else "men")
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        last += "ES" if last.isupper() else "es"
    elif low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        last = last[:-1] + ("IES" if last.isupper() else "ies")
    elif low.endswith(("f", "fe")) and not low.endswith(("chief", "roof", "staff")):
        last = last[: -1 if low.endswith("f") else -2] + ("VES" if last.isupper() else "ves")
    else:
        last += "S" if last.isupper() else "s"
    return " ".join(words[:-1] + [last])


def add_agent(agents: dict[str, str], phrase: str, sector: str, plurals: list[str]) -> None:
    for form in [phrase, *plurals]:
        key = normalise(form)
        if key:
            agents.setdefault(key, sector)


# ---------------------------------------------------------------- countries and places


def coco_rows() -> list[dict[str, str]]:
    """country_converter's country table, read directly (no pandas needed)."""
    path = resources.files("country_converter").joinpath("country_data.tsv")
    with open(str(path), encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_tsv(path: Path) -> list[dict[str, str]]:
    """A tab-separated table with `#` comment lines."""
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def split_names(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def build_countries(places: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """ISO3 -> names (pycountry, country_converter, curated), demonyms and centroid."""
    countries: dict[str, dict[str, Any]] = {}
    for country in pycountry.countries:
        names = [country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        countries[country.alpha_3] = {"name": getattr(country, "common_name", country.name), "names": names,
                                      "demonyms": [], "lat": None, "lon": None}
    for row in coco_rows():
        entry = countries.get(row["ISO3"])
        if entry is not None:
            entry["name"] = row["name_short"]
            entry["names"] += [row["name_short"], row["name_official"]]
    for row in places:
        if row["kind"] != "country":
            continue
        entry = countries.setdefault(row["iso3"], {"name": (split_names(row["aliases"]) or [row["iso3"]])[0],
                                                   "names": [], "demonyms": []})
        entry["names"] += split_names(row["aliases"])
        entry["demonyms"] += split_names(row["demonyms"])
        entry["lat"], entry["lon"] = float(row["lat"]), float(row["lon"])
    for entry in countries.values():
        entry["demonyms"] = demonym_forms(entry["demonyms"])
    return countries


def demonym_forms(demonyms: list[str]) -> list[str]:
    """Demonyms with their regular plurals ("Russian" -> "Russians"; "Chinese" stays)."""
    forms = []
    for word in demonyms:
        forms.append(word)
        if not word.lower().endswith(("s", "sh", "ch", "ese", "i", "x")) and " " not in word:
            forms.append(word + "s")
    return list(dict.fromkeys(forms))


def country_json(countries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for iso3, entry in sorted(countries.items()):
        aliases = sorted({normalise(n) for n in entry["names"] if n} - {""})
        demonyms = sorted({normalise(d) for d in entry["demonyms"]} - {""})
        out[iso3] = {"name": entry["name"], "aliases": aliases, "demonyms": demonyms,
                     "lat": entry.get("lat"), "lon": entry.get("lon")}
    return out


def tz_cities() -> list[tuple[str, str, float, float]]:
    """(city, ISO3, lat, lon) from tzdata's zone table: a packaged list of major cities."""
    path = resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab")
    iso2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    cities = []
    for line in Path(str(path)).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        codes, coords, zone = line.split("\t")[:3]
        parts = zone.split("/")
        match = re.fullmatch(r"([+-]\d{4,6})([+-]\d{5,7})", coords)
        if not match or "," in codes or len(parts) != 2:
            continue
        city = parts[1].replace("_", " ")
        cities.append((city, iso2.get(codes, ""), _dms(match.group(1), 2), _dms(match.group(2), 3)))
    return cities


def _dms(text: str, degree_digits: int) -> float:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:]
    degrees = int(digits[:degree_digits])
    minutes = int(digits[degree_digits:degree_digits + 2])
    seconds = int(digits[degree_digits + 2:] or 0)
    return round(sign * (degrees + minutes / 60 + seconds / 3600), 3)


def build_places(places: list[dict[str, str]]) -> list[list[Any]]:
    """[name, kind, iso3, lat, lon, keys, sector, org] rows: curated places then tzdata cities."""
    out, seen = [], set()
    for row in places:
        if row["kind"] == "country":
            continue
        names = [row["name"], *split_names(row["aliases"])]
        keys = sorted({normalise(n) for n in names} - {""})
        seen.update(keys)
        out.append([row["name"], row["kind"], row["iso3"] or None, float(row["lat"]), float(row["lon"]), keys,
                    row["sector"] or None, row["org"] or None])
    for city, iso3, lat, lon in tz_cities():
        key = normalise(city)
        if key and key not in seen and iso3:
            seen.add(key)
            out.append([city, "city", iso3, lat, lon, [key], None, None])
    return out


# ---------------------------------------------------------------- actors


def curated_actors(rows: list[dict[str, str]], coco: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Group officials.tsv rows by (kind, name/org code) into actors with roles."""
    actors: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["kind"], row["org"] if row["kind"] != "person" else row["name"])
        actor = actors.get(key)
        if actor is None:
            actor = actors[key] = new_curated_actor(row, coco)
        actor["aliases"].update(normalise(a) for a in split_names(row["aliases"]))
        actor["roles"].append([row["country"] or None, row["sector"] or None, row["title"] or None,
                               row["start"] or None, row["end"] or None,
                               (row["org"] or None) if row["kind"] == "person" else None,
                               1 if row["leader"] == "y" else 0, 1])
    for actor in actors.values():
        actor["aliases"] = sorted(actor["aliases"] - {""})
    return list(actors.values())


def new_curated_actor(row: dict[str, str], coco: list[dict[str, str]]) -> dict[str, Any]:
    kind = row["kind"]
    actor_id = ("org:" + row["org"]) if kind != "person" else "person:" + slug(row["name"])
    actor: dict[str, Any] = {
        "id": actor_id,
        "name": row["name"],
        "kind": kind,
        "aliases": {normalise(row["name"])},
        "roles": [],
        "curated": 1,
    }
    if kind != "person":
        actor["code"] = row["org"]
        actor["members"] = expand_members(row["members"], coco)
        if row["parent"]:
            actor["parent"] = row["parent"]
    return actor


def expand_members(value: str, coco: list[dict[str, str]]) -> list[str]:
    """`ALB|BEL|...`, `@EU27` (a country_converter group) or `@continent:Africa`."""
    if not value:
        return []
    if value.startswith("@continent:"):
        continent = value.split(":", 1)[1]
        return sorted(r["ISO3"] for r in coco if r["continent"] == continent and r.get("UNmember"))
    if value.startswith("@"):
        group = value[1:]
        if group not in COCO_GROUPS:
            raise ValueError(f"unknown member group {value}")
        return sorted(r["ISO3"] for r in coco if r.get(group))
    return split_names(value)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def phoenix_actors(entries: list[PhoenixEntry], iso3s: set[str],
                   stopwords: set[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Phoenix entries -> actors (people, organisations) and country mentions (name -> ISO3)."""
    actors, mentions = [], {}
    for entry in entries:
        roles = [r for r in (phoenix_role(c, s, e, iso3s) for c, s, e in entry.codes) if r]
        if not roles:
            continue
        if is_country_block(entry, iso3s):
            iso3 = entry.codes[0][0][-3:]
            for name in entry.names:
                key = normalise(name)
                if key and key not in stopwords:
                    mentions.setdefault(key, iso3)
            continue
        person = looks_like_person(entry, roles)
        kind = "person" if person else ("group" if "MilNonState" in entry.source else "organisation")
        aliases = sorted({normalise(n) for n in entry.names} - {""} - stopwords - INSTITUTION_WORDS)
        if not person:
            aliases = [a for a in aliases if not names_an_office(a)]
        if not aliases:
            continue
        actors.append(
            {
                "id": "",
                "name": phoenix_display_name(entry.names[0]),
                "kind": kind,
                "aliases": aliases,
                "roles": [
                    [r["country"], r["sector"], None, r["start"], r["end"], r["org"], 0, 0] for r in roles
                ],
                "curated": 0,
            }
        )
    return actors, mentions


def names_an_office(alias: str) -> bool:
    """`un secretary general`, `white house spokesman`: an office holder, not the organisation itself."""
    words = alias.split()
    return any(" ".join(words[-n:]) in TITLE_PHRASES for n in range(1, min(4, len(words) - 1) + 1))


def is_country_block(entry: PhoenixEntry, iso3s: set[str]) -> bool:
    """A country's own entry: a bare country code (`[AFG]`, `[USAASM]`) without a sector."""
    code = entry.codes[0][0]
    return len(entry.codes) == 1 and len(code) in (3, 6) and code[:3] in iso3s and all(
        code[i:i + 3] in iso3s for i in range(0, len(code), 3))


def merge_phoenix_into_curated(
    curated: list[dict[str, Any]], phoenix: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Fold Phoenix entries that name a curated actor (same alias, compatible country) into it."""
    by_alias: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for actor in curated:
        for alias in actor["aliases"]:
            by_alias[alias].append(actor)
    remaining = []
    for entry in phoenix:
        target = find_curated_match(entry, by_alias)
        if target is None:
            remaining.append(entry)
            continue
        target["aliases"] = sorted(set(target["aliases"]) | set(entry["aliases"]))
        target["roles"].extend(historical_roles(entry["roles"], target["roles"]))
    return remaining


def find_curated_match(
    entry: dict[str, Any], by_alias: dict[str, list[dict[str, Any]]]
) -> dict[str, Any] | None:
    countries = {r[0] for r in entry["roles"] if r[0]}
    for alias in entry["aliases"]:
        for candidate in by_alias.get(alias, []):
            if candidate["kind"] != entry["kind"] and not (
                candidate["kind"] == "group" and entry["kind"] != "person"
            ):
                continue
            cand_countries = {r[0] for r in candidate["roles"] if r[0]}
            if not countries or not cand_countries or countries & cand_countries:
                return candidate
    return None


def historical_roles(roles: list[list[Any]], curated_roles: list[list[Any]]) -> list[list[Any]]:
    """Phoenix roles kept for a curated actor: undated defaults and what precedes the curated record."""
    starts = [r[3] for r in curated_roles if r[3]]
    first = min(starts) if starts else None
    kept = []
    for role in roles:
        role = list(role)
        if first and role[3] and role[3] >= first:
            continue
        if first and role[3] and (role[4] is None or role[4] > first):
            role[4] = first
        kept.append(role)
    return kept


def assign_ids(actors: list[dict[str, Any]]) -> None:
    used: set[str] = set()
    for actor in actors:
        base = actor["id"] or ("px:" if actor["kind"] == "person" else "ox:") + slug(actor["name"])
        actor_id, n = base, 2
        while actor_id in used:
            actor_id, n = f"{base}-{n}", n + 1
        actor["id"] = actor_id
        used.add(actor_id)


def title_index(
    actors: list[dict[str, Any]],
) -> tuple[dict[str, list[list[int]]], dict[str, list[list[int]]]]:
    """`scope|title` -> [[actor row, role row], ...] (scope: ISO3 or organisation code), and the
    country -> top-leader roles index."""
    titles: dict[str, list[list[int]]] = defaultdict(list)
    leaders: dict[str, list[list[int]]] = defaultdict(list)
    for i, actor in enumerate(actors):
        for j, role in enumerate(actor["roles"]):
            country, _, title, _, _, org, leader, _ = role
            if title and (org or country):
                titles[f"{org or country}|{title}"].append([i, j])
            if title and leader and country:
                leaders[country].append([i, j])
    return dict(titles), dict(leaders)


def country_actors(countries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"country:{iso3}", "name": entry["name"], "kind": "country", "aliases": [], "code": iso3,
             "roles": [[iso3, None, None, None, None, None, 0, 1]], "curated": 1}
            for iso3, entry in sorted(countries.items())]


def english_stopwords() -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w.lower() for w in STOP_WORDS}


# ---------------------------------------------------------------- main


def build(shared: Path, curated_dir: Path) -> dict[str, Any]:
    coco = coco_rows()
    places_rows = read_tsv(curated_dir / "places.tsv")
    countries = build_countries(places_rows)
    iso3s = set(countries) | EXTRA_ISO3
    stopwords = english_stopwords()
    agents: dict[str, str] = {}
    for sector, phrases in SUPPLEMENTARY_AGENTS.items():
        for phrase in phrases:
            add_agent(agents, phrase, sector, [pluralise(phrase)] if not phrase.endswith("s") else [])
    for key, sector in read_phoenix_agents(shared / "petrarch" / "Phoenix.agents.txt").items():
        agents.setdefault(key, sector)
    entries = [e for name in PHOENIX_ACTOR_FILES for e in read_phoenix_actors(shared / "petrarch" / name)]
    px_actors, mentions = phoenix_actors(entries, iso3s, stopwords | set(agents))
    curated = curated_actors(read_tsv(curated_dir / "officials.tsv"), coco)
    add_igo_codes(curated, phoenix_igo_codes(entries))
    px_actors = merge_phoenix_into_curated(curated, px_actors)
    actors = curated + country_actors(countries) + px_actors
    assign_ids(actors)
    titles, leaders = title_index(actors)
    return {
        "meta": {
            "description": "eventwire actor knowledge base (see eventwire.actors.kb for the layout)",
            "sources": [
                {
                    "name": "PETRARCH2/Phoenix actor and agent dictionaries",
                    "licence": "MIT",
                    "origin": "openeventdata/petrarch2@676801cd",
                    "files": [*PHOENIX_ACTOR_FILES, "Phoenix.agents.txt"],
                },
                {
                    "name": "eventwire curated officials, organisations and places",
                    "licence": "MIT",
                    "origin": "data/curated/officials.tsv, data/curated/places.tsv",
                },
                {"name": "pycountry (ISO 3166)", "licence": "LGPL-2.1", "version": pycountry_version()},
                {"name": "country_converter country table", "licence": "GPL-3.0"},
                {"name": "tzdata zone1970.tab city coordinates", "licence": "public domain"},
            ],
        },
        "actors": actors,
        "titles": titles,
        "leaders": leaders,
        "countries": country_json(countries),
        "mentions": mentions,
        "places": build_places(places_rows),
        "agents": dict(sorted(agents.items())),
    }


def pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "petrarch").is_dir():
        print(f"shared data not found at {shared} (use --shared or EVENTWIRE_SHARED)", file=sys.stderr)
        return 2
    artifact = build(shared, Path(args.curated))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(artifact, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with out.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as fh:
        fh.write(payload)  # mtime 0: the same inputs give the same bytes
    kinds: dict[str, int] = defaultdict(int)
    for actor in artifact["actors"]:
        kinds[actor["kind"]] += 1
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB): actors {dict(kinds)}, "
          f"agents {len(artifact['agents'])}, places {len(artifact['places'])}, "
          f"country mentions {len(artifact['mentions'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
