"""Actor resolution: from a mention ("the Russian prime minister", "Michoustin", "Kyiv police") to an
`ActorRef` (canonical name, ISO3 country, CAMEO sector, knowledge-base id), as of a date.

A mention is scanned left to right for the longest known phrases (people, organisations, titles,
countries and demonyms, capitals and metonyms, places, agent nouns); the pieces are then combined:
a known person wins, then a title (resolved to its holder at the date), then an organisation, then a
country with the sector of its agent noun, then the agent noun alone. Unknown names fall back to
spelling-insensitive fuzzy matching against known people (`fuzzy`). `DocumentActors` (`document`)
keeps per-article memory so that a surname ("Xi", "Li") resolves to the person named in full earlier
in the same article. The words mentions are read with are in `vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventwire.actors.fuzzy import FuzzyPeople
from eventwire.actors.gazetteer import load_gazetteer
from eventwire.actors.generic import party_country, role_sector
from eventwire.actors.kb import (
    TITLE_PHRASES,
    Actor,
    KnowledgeBase,
    Place,
    Role,
    fold,
    load_kb,
    normalise,
    raw_tokens,
)
from eventwire.actors.vocabulary import (
    ABBREVIATION_SECTORS,
    FORMER_WORDS,
    GENERIC_TITLES,
    LEADING_FILLERS,
    MAX_PHRASE_TOKENS,
    NAME_STARTS,
    ORG_HEAD_TITLES,
    PHOENIX_HORIZON,
    PLACE_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    SPONSOR_WORDS,
    STOP_KEYS,
    TITLE_ABBREVIATIONS,
    TITLE_FALLBACKS,
    TITLE_SCOPES,
    TITLE_SECTORS,
)
from eventwire.records import ActorRef, Location, actor_code

if TYPE_CHECKING:
    from eventwire.actors.document import DocumentActors


@dataclass
class Match:
    """A known phrase found in a mention: what it is, where, and what it points to."""

    kind: str  # person, org, title, country, capital, metonym, place, agent, memory
    start: int
    end: int
    key: str
    actor: Actor | None = None
    country: str | None = None
    place: Place | None = None
    title: str | None = None
    sector: str | None = None
    memory: ActorRef | None = None
    actor_candidates: list[Actor] = field(default_factory=list)


@dataclass
class ActorPhrase:
    """A mention scanned into pieces, ready to be combined into an `ActorRef`."""

    text: str
    tokens: list[tuple[str, str]]
    matches: list[Match]
    former: bool = False
    abbreviation_sector: str | None = None
    names: list[str] = field(default_factory=list)  # proper-name runs not matched by anything
    lowercase_source: bool = False  # read from a text written all in lower case

    def of_kind(self, *kinds: str) -> list[Match]:
        return [m for m in self.matches if m.kind in kinds]

    @property
    def countries(self) -> list[Match]:
        return [m for m in self.matches if m.country and m.kind in ("country", "capital", "metonym", "place")]


#: Words placing what comes before them in the place after them ('a hotel in Doha').
LOCATIVE_WORDS = {"in", "at", "near", "outside", "inside"}


def _located_in(mention: ActorPhrase, match: Match) -> bool:
    """Whether the place `match` only locates the thing the mention names ('a hotel in Doha')."""
    return any(key in LOCATIVE_WORDS for key, _ in mention.tokens[: match.start])


def _qualifies_thing(mention: ActorPhrase, match: Match) -> bool:
    """Whether a place only says where or whose a thing is: it follows a preposition whose head is a common
    word nothing known covers ('a ceasefire agreement in Libya', 'northern parts of South Sudan')."""
    preps = [i for i, (key, _) in enumerate(mention.tokens[: match.start]) if key in PREPOSITIONS]
    if not preps:
        return False
    covered = {i for m in mention.matches for i in range(m.start, m.end)}
    words = [i for i in range(preps[0]) if mention.tokens[i][0] not in LEADING_FILLERS]
    if not words or words[-1] in covered:
        return False
    key, original = mention.tokens[words[-1]]
    return not original[:1].isupper() and not _may_name_people(key)  # not 'leaders of Romania'


#: Endings of nouns naming people ('followers', 'guards', 'residents'), whatever the agent nouns miss.
PERSON_ENDINGS = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ant", "ants", "ent", "ents", "man", "men",
                  "ee", "ees", "guard", "guards", "ary", "aries", "ives")


#: Common nouns of things that end like nouns of people ('an executive order', 'the border').
THINGS_ENDING_LIKE_PEOPLE = {
    "order", "border", "number", "power", "letter", "matter", "water", "center", "paper", "shelter", "charter",
    "quarter", "murder", "offer", "transfer", "answer", "barrier", "sector", "corridor", "factor", "error", "floor",
    "door", "monitor", "motor", "reactor", "tractor", "vector", "event", "agent", "content", "percent",
    "incident", "accident", "statement", "element", "segment", "comment", "moment", "talent", "intent", "extent",
    "plant", "grant", "warrant", "covenant", "restaurant", "account", "discount", "amount", "count", "front",
}  # fmt: skip


#: Installations and units that stand for the force holding them ('rebel positions', 'a police headquarters'):
#: shelling or storming them is acting on that force, as CAMEO codes it.
HELD_BY_FORCES = {
    "position", "base", "camp", "hideout", "stronghold", "headquarters", "outpost", "post", "checkpoint",
    "station", "barracks", "convoy", "compound", "garrison", "patrol", "unit", "bunker", "trench",
}  # fmt: skip


def _may_name_people(word: str) -> bool:
    """Whether a noun the agent list does not know may still name people, by its ending ('followers',
    'guards', 'residents'; not 'agreement')."""
    return (
        word.endswith(PERSON_ENDINGS)
        and not word.endswith(("ment", "ments"))
        and word.removesuffix("s") not in THINGS_ENDING_LIKE_PEOPLE
    )


def _names_thing(mention: ActorPhrase) -> bool:
    """Whether the agent noun that gives a mention its sector only modifies a common word nothing known
    covers, the head of its part of the mention: 'joint military exercises', 'a new round of joint military
    exercises' names a thing, not the military; 'the bases of government forces' names the forces' (their
    phrase is headed by 'forces'), and so do 'rebel positions' and 'a police checkpoint' (HELD_BY_FORCES)."""
    agents = mention.of_kind("agent")
    if not agents or mention.lowercase_source:  # in a lower-case text any word may be a name
        return False
    tokens = mention.tokens
    first_prep = next((i for i, (k, _) in enumerate(tokens) if k in PREPOSITIONS), len(tokens))
    agent = ([a for a in agents if a.end <= first_prep] or agents)[-1]
    end = next((i for i in range(agent.end, len(tokens)) if tokens[i][0] in PREPOSITIONS), len(tokens))
    if end == agent.end:
        return False  # the agent noun heads its part
    covered = {i for m in mention.matches for i in range(m.start, m.end)}
    key, original = tokens[end - 1]
    held = key.removesuffix("s") in HELD_BY_FORCES or key in HELD_BY_FORCES
    return end - 1 not in covered and original[:1].islower() and not _may_name_people(key) and not held


def _thing_of_named(mention: ActorPhrase) -> bool:
    """Whether a mention names a thing of a person or body named after it, with no agent noun saying whom
    it means: 'the eve of a visit by Chairman Yasser Arafat', 'the wife of President X' are not Arafat or
    X ('the bases of government forces' still names the forces)."""
    known = [m for m in mention.matches if m.kind != "agent"]
    if not known or mention.of_kind("agent") or mention.lowercase_source:
        return False
    preps = [i for i, (key, _) in enumerate(mention.tokens) if key in PREPOSITIONS]
    if not preps or any(m.start < preps[0] for m in mention.matches):
        return False
    return _qualifies_thing(mention, min(known, key=lambda m: m.start))


def _stands_alone(mention: ActorPhrase, match: Match) -> bool:
    """Whether a place names the actor itself ('Beijing', 'the Kremlin'), not a thing it locates ('a hotel in
    Doha') or qualifies ('the Paris accord', 'a Beijing summit'); an agent noun after it is a group of it."""
    if _located_in(mention, match):
        return False
    return match.end == len(mention.tokens) or bool(mention.of_kind("agent"))


class ActorResolver:
    """Resolves actor mentions against the knowledge base, as of a date."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or load_kb()
        self.fuzzy_people = FuzzyPeople(self.kb)

    # ------------------------------------------------------------------ public API

    def resolve_text(self, text: str, date: dt.date | None = None) -> ActorRef:
        """Resolve a standalone mention such as "the Russian prime minister" or "four Saudi men"."""
        return self._resolve(text, date, memory=None)

    def document(self, date: dt.date | None) -> DocumentActors:
        """Per-article state: later surnames resolve to people named earlier in the same article."""
        from eventwire.actors.document import DocumentActors

        return DocumentActors(self, date)

    def resolve_location(self, text: str, countries: Collection[str] = ()) -> Location | None:
        """A place name -> `Location` with country and coordinates ("Beijing" -> CHN, 39.9, 116.41).

        The curated places and the countries come first, then the world's cities (`gazetteer`), where a
        name several cities share is read in the given countries if one of them has it, else as the
        most populous."""
        key = _strip_fillers(normalise(text))
        if not key:
            return None
        place = self.kb.place_index.get(key) or self.kb.metonym_index.get(key)
        if place is None and key in self.kb.country_index:  # 'Mexico', 'Sudan': the country, not a town so named
            return self._country_location(self.kb.country_index[key], text)
        city = load_gazetteer().lookup(key, countries) if place is None or place.country not in countries else None
        if city is not None and (place is None or city.country in countries):
            return Location(city.name, city.country, city.lat, city.lon)
        if place is not None:
            return Location(place.name, place.country, place.lat, place.lon)
        iso3 = self.kb.country_index.get(key)
        if iso3:
            return self._country_location(iso3, text)
        iso3 = self.kb.mention_index.get(key)
        if iso3:
            return Location(text.strip(), iso3, None, None)
        return None

    def _country_location(self, iso3: str, text: str) -> Location:
        centre = self.kb.country_places.get(iso3)
        return Location(self.kb.country_name(iso3) or text, iso3, centre and centre.lat, centre and centre.lon)

    # ------------------------------------------------------------------ resolution

    def _resolve(self, text: str, date: dt.date | None, memory: dict[str, ActorRef] | None) -> ActorRef:
        mention = self.scan(text, memory)
        if mention is None:
            return ActorRef(text=text, confidence=0.0)
        return self.combine(mention, date)

    def scan(self, text: str, memory: dict[str, ActorRef] | None = None,
             lowercase: bool | None = None) -> ActorPhrase | None:
        """Find the known phrases in a mention (longest first, left to right).

        Names must be capitalised unless the source is lower case (`lowercase`; by default, whether
        `text` itself has no capital letter)."""
        tokens = raw_tokens(text)
        former, abbreviation = False, None
        while tokens and not self._starts_name(tokens, memory) and (
                tokens[0][0] in LEADING_FILLERS or tokens[0][0] in FORMER_WORDS
                or tokens[0][0] in TITLE_ABBREVIATIONS or tokens[0][0].isdigit()):
            key = tokens[0][0]
            former = former or key in FORMER_WORDS
            if key in TITLE_ABBREVIATIONS and _is_abbreviation(text, tokens[0][1]):
                abbreviation = ABBREVIATION_SECTORS.get(TITLE_ABBREVIATIONS[key], abbreviation)
            elif key in TITLE_ABBREVIATIONS:
                break
            tokens = tokens[1:]
        if not tokens or (len(tokens) == 1 and tokens[0][0] in PRONOUNS and not _is_acronym(tokens[0][1])):
            return None
        former = former or any(k in FORMER_WORDS for k, _ in tokens)
        lowercase_text = not any(ch.isupper() for ch in text) if lowercase is None else lowercase
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            match = self._longest_match(tokens, i, memory, lowercase_text)
            if match is None:
                i += 1
                continue
            matches.append(match)
            i = match.end
        matches = _drop_places_inside_names(tokens, matches)
        mention = ActorPhrase(
            text=text, tokens=tokens, matches=matches, former=former, abbreviation_sector=abbreviation,
            lowercase_source=bool(lowercase),
        )
        mention.names = _unmatched_name_runs(tokens, matches, fold(text))
        return mention

    def _starts_name(self, tokens: list[tuple[str, str]], memory: dict[str, ActorRef] | None) -> bool:
        """Whether a capitalised word that is usually a filler starts a known name here ('New York', 'New
        Delhi'; not 'New Sanctions')."""
        if len(tokens) < 2 or tokens[0][0] not in NAME_STARTS or not tokens[0][1][:1].isupper():
            return False
        return tokens[1][1][:1].isupper() and self._longest_match(tokens, 0, memory, False) is not None

    def _longest_match(self, tokens: list[tuple[str, str]], start: int, memory: dict[str, ActorRef] | None,
                       lowercase_text: bool) -> Match | None:
        for end in range(min(len(tokens), start + MAX_PHRASE_TOKENS), start, -1):
            key = " ".join(k for k, _ in tokens[start:end])
            originals = [o for _, o in tokens[start:end]]
            match = self._lookup(key, start, end, memory, _casing_ok(key, originals, lowercase_text))
            if match is not None:
                return match
        return None

    def _lookup(self, key: str, start: int, end: int, memory: dict[str, ActorRef] | None,
                proper: bool) -> Match | None:
        """The best reading of one phrase, in priority order; proper names need proper casing."""
        kb = self.kb
        if proper and memory and key in memory:
            return Match("memory", start, end, key, memory=memory[key])
        if proper and key in kb.metonym_index:
            place = kb.metonym_index[key]
            return Match("metonym", start, end, key, place=place, country=place.country, sector=place.sector)
        actors = kb.actors_for(key) if proper else []
        curated = [a for a in actors if a.curated and a.kind != "country"]
        if curated:
            return _actor_match(curated, start, end, key)
        if key in TITLE_PHRASES:
            return Match("title", start, end, key, title=TITLE_PHRASES[key])
        if proper and (key in kb.country_index or key in kb.demonym_index):
            return Match(
                "country", start, end, key, country=kb.country_index.get(key) or kb.demonym_index[key]
            )
        if proper and key in kb.capital_index:
            place = kb.capital_index[key]
            return Match("capital", start, end, key, place=place, country=place.country)
        if proper and key in kb.place_index:
            place = kb.place_index[key]
            return Match("place", start, end, key, place=place, country=place.country)
        if actors:
            return _actor_match(actors, start, end, key)
        if proper and key in kb.mention_index:
            return Match("place", start, end, key, country=kb.mention_index[key])
        sector = kb.agent_index.get(key) or role_sector(key)
        if sector:
            return Match("agent", start, end, key, sector=sector)
        if proper and party_country(key):
            return Match("agent", start, end, key, sector="PTY", country=party_country(key))
        return None

    def combine(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef:
        """Combine the pieces of a mention: person > title > organisation > country > agent noun."""
        if _thing_of_named(mention):
            return ActorRef(text=mention.text)
        for combine in (self._as_person, self._as_fuzzy_person, self._as_metonym, self._as_title,
                        self._as_organisation, self._as_country, self._as_agent, self._as_unknown):
            ref = combine(mention, date)
            if ref is not None:
                return self.coded(ref, date, mention)
        return ActorRef(text=mention.text)

    def coded(self, ref: ActorRef, date: dt.date | None, mention: ActorPhrase | None = None) -> ActorRef:
        """`ref` with its CAMEO-style code: an international body's IGO code (IGOUNO, IGONAT), else
        country + sector (RUSMIL, or USA alone), else the sector alone (REB), else None."""
        ref.code = self._igo_code(ref, date, mention) or actor_code(ref.country, ref.sector)
        return ref

    def _igo_code(self, ref: ActorRef, date: dt.date | None, mention: ActorPhrase | None) -> str | None:
        """The IGO code of an international body, its members ("UN peacekeepers": IGOUNOMIL) or an
        official of one (the UN Secretary-General: IGOUNO); None for anyone else."""
        actor = self.kb.actor(ref.actor_id) if ref.actor_id else None
        if actor is not None and actor.igo and ref.country is None:
            role = self.role_for(actor, date)
            own = role.sector if role else None
            return actor.igo + (ref.sector if ref.sector not in (None, "IGO", own) else "")
        if ref.sector != "IGO":
            return None
        if actor is not None and actor.kind == "person":
            role = self.role_for(actor, date)
            org = self.kb.org(role.org) if role and role.org else None
            if org is not None and org.igo:
                return org.igo
            return "IGO" + role.org if role and role.org and org is None else "IGO"
        named = [m.actor_candidates[0].igo for m in (mention.of_kind("org") if mention else [])]
        return next((igo for igo in named if igo), "IGO")

    def _as_person(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """A known person (or one named earlier in the article), with their role at the date."""
        remembered = mention.of_kind("memory")
        if remembered:
            ref = remembered[0].memory
            ref = ActorRef(
                mention.text, ref.name, ref.country, ref.sector, ref.actor_id, ref.kind, ref.confidence
            )
            return _with_former(_possessed(ref, mention, remembered[0]), mention.former)
        people = mention.of_kind("person")
        if not people:
            return None
        match = max(people, key=lambda m: (m.end - m.start, -m.start))
        actor = self._pick_actor(match.actor_candidates, date)
        ref = self.person_ref(mention.text, actor, date)
        return _with_former(_possessed(ref, mention, match), mention.former)

    def _as_metonym(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """A capital or seat of power standing alone for its government ("Beijing", "the Kremlin")."""
        places = mention.of_kind("metonym", "capital")
        if len(mention.matches) != 1 or not places or mention.names or not _stands_alone(mention, places[0]):
            return None
        place = places[0].place
        if place.org:
            org = self.kb.org(place.org)
            if org is not None:
                return self.org_ref(mention.text, org, date, confidence=0.8)
        sector = place.sector or "GOV"
        name = place.name if places[0].kind == "metonym" else self.kb.country_name(place.country)
        return ActorRef(
            mention.text, name, place.country, sector, f"country:{place.country}", "country", 0.85
        )

    def _as_title(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """A title: its holder at the date when known, else the country (or body) and sector."""
        titles = mention.of_kind("title")
        if not titles:
            return None
        title = titles[-1]
        scope, scope_is_org = self._title_scope(mention, title)
        if (
            scope is None
            and title.title in GENERIC_TITLES
            and (title.title == "leader" or mention.of_kind("agent"))
        ):
            return None  # "chairman of the company's board": the agent nouns say more
        holder = self.title_holder(scope, title.title, date) if scope and date else None
        if holder is not None and not mention.former:
            actor, role = holder
            return ActorRef(mention.text, actor.name, role.country, role.sector, actor.id, "person", 0.85)
        sector = "ELI" if mention.former else self._title_sector(scope, title.title)
        country = None if scope_is_org else scope
        return ActorRef(mention.text, None, country, sector, None, "person", 0.6 if scope else 0.45)

    def _as_organisation(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """An organisation or armed group, or its members ("Hamas gunmen")."""
        orgs = mention.of_kind("org")
        if not orgs:
            return None
        match = orgs[0]
        org = self._pick_actor(match.actor_candidates, date)
        role = self.role_for(org, date)
        countries = [c for c in mention.countries if c.start < match.start]
        org_country = role.country if role else None
        if countries and countries[0].country != org_country:
            if org_country is None and mention.of_kind("agent"):
                return None  # "a Canadian UN envoy": a country's official, not the organisation
            if org_country is None and countries[-1].end == match.start and len(match.key.split()) > 1:
                # "the Russian Security Council": a national body sharing an international body's name
                return ActorRef(mention.text, None, countries[-1].country, "GOV", None, "organisation", 0.5)
            sponsored = any(key in SPONSOR_WORDS for key, _ in mention.tokens)  # "Iran-backed Houthis"
            if org_country is not None and countries[-1].end == match.start and not sponsored:
                # "Chile's Defense Department": the same kind of body, of another country
                sector = _head_agent(mention) or (role.sector if role else None)
                return ActorRef(mention.text, None, countries[-1].country, sector, None, "organisation", 0.6)
        ref = self.org_ref(mention.text, org, date)
        agent_sector = _head_agent(mention)
        if agent_sector is None:
            return ref
        ref.kind = "group"  # members of the organisation ("Hamas gunmen", "a CIA official")
        if agent_sector in ("LEG", "MIL", "JUD", "COP") and ref.sector == "IGO":
            ref.sector = agent_sector
        return _with_former(ref, mention.former)

    def _as_country(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """A country, or a group of it named by its agent noun ("Russian troops" -> RUS MIL)."""
        countries = mention.countries
        if not countries:
            return None
        iso3 = countries[0].country
        sector = _head_agent(mention) or mention.abbreviation_sector
        if not (sector or mention.names or mention.former) and all(_qualifies_thing(mention, c) for c in countries):
            return ActorRef(mention.text, None, iso3, None, None, "place", 0.3)  # a thing there, not an actor
        only_country = (
            len(mention.matches) == 1 and not mention.names and mention.matches[0].kind == "country"
        )
        if only_country and sector is None and not mention.former:
            name = self.kb.country_name(iso3)
            demonym = mention.matches[0].key in self.kb.demonym_index and mention.matches[0].key not in (
                self.kb.country_index)
            kind = "group" if demonym else "country"
            return ActorRef(
                mention.text, None if demonym else name, iso3, None, f"country:{iso3}", kind, 0.85
            )
        if mention.former:
            sector = "ELI"
        kind = "person" if mention.names else "group"
        name = " ".join(mention.names) if mention.names and len(mention.names[0].split()) > 1 else None
        lone_place = countries[0].kind == "place" or not _stands_alone(mention, countries[0])
        if len(mention.matches) == 1 and lone_place and not mention.names and not sector:
            kind = "place"  # a city: where events happen, not who acts
            name = countries[0].place.name if countries[0].place is not None else None
        confidence = 0.75 if sector else 0.6
        return ActorRef(mention.text, name, iso3, sector, None, kind, confidence)

    def _as_agent(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """Only an agent noun: a sector without a country ("soldiers", "police")."""
        sector = _head_agent(mention) or mention.abbreviation_sector
        if sector is None or _names_thing(mention):
            return None
        if mention.former:
            sector = "ELI"
        name = " ".join(mention.names) if mention.names and len(mention.names[0].split()) > 1 else None
        country = next((m.country for m in mention.of_kind("agent") if m.country), None)  # "Republicans": USA
        return ActorRef(mention.text, name, country, sector, None, "person" if name else "group", 0.5)

    def _as_fuzzy_person(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """An unknown name spelled like a known person's ("Mikhail Michoustin").

        A single word is only tried when it is the whole mention (with titles at most): in "Rakhine
        rebels" the capitalised word is a modifier, not a person. Acronyms are never tried."""
        for name in mention.names:
            words = name.split()
            if any(_is_acronym(w) for w in words) and not mention.text.isupper():
                continue
            if len(words) == 1 and mention.of_kind("agent", "country", "org", "place", "capital"):
                continue
            actor = self.fuzzy_people.find(name, date)
            if actor is not None:
                ref = self.person_ref(mention.text, actor, date)
                ref.confidence = min(ref.confidence, 0.7)
                return _with_former(ref, mention.former)
        return None

    def _as_unknown(self, mention: ActorPhrase, date: dt.date | None) -> ActorRef | None:
        """An unknown multi-word name: kept as the name of an unresolved person."""
        if mention.names and len(mention.names[0].split()) > 1:
            return ActorRef(mention.text, mention.names[0], None, None, None, "person", 0.2)
        return None

    # ------------------------------------------------------------------ people and roles

    def person_ref(self, text: str, actor: Actor, date: dt.date | None) -> ActorRef:
        """The `ActorRef` of a known person as of `date` (their role then, or their nearest one)."""
        role, status = self.role_and_status(actor, date)
        country = role.country if role else None
        sector = role.sector if role else None
        if status == "former":
            sector = "ELI"
        if country is None and sector != "IGO":
            country = _any_country(actor.roles)
        confidence = 0.95 if actor.curated else 0.8
        if status != "active":
            confidence -= 0.15
        if role is not None and not role.curated and (date or dt.date.today()) > PHOENIX_HORIZON:
            confidence -= 0.15
        kind = actor.kind if actor.kind != "country" else "country"
        return ActorRef(text, actor.name, country, sector, actor.id, kind, round(confidence, 2))

    def org_ref(self, text: str, org: Actor, date: dt.date | None, confidence: float = 0.9) -> ActorRef:
        """The `ActorRef` of an organisation or armed group as of `date`."""
        role = self.role_for(org, date)
        country = role.country if role else None
        sector = role.sector if role else None
        return ActorRef(text, org.name, country, sector, org.id, org.kind, confidence)

    def role_for(self, actor: Actor, date: dt.date | None) -> Role | None:
        """The role an actor held on `date` (today if None), or the best stand-in."""
        return self.role_and_status(actor, date)[0]

    def role_and_status(self, actor: Actor, date: dt.date | None) -> tuple[Role | None, str]:
        """(role, status): status is active, former (all roles ended), default, or nearest."""
        day = date or dt.date.today()
        dated = [r for r in actor.roles if r.dated]
        active = [r for r in dated if r.active(day)]
        if active:
            return max(active, key=lambda r: (r.curated, r.start or dt.date.min, r.sector != "ELI")), "active"
        defaults = sorted(
            (r for r in actor.roles if not r.dated), key=lambda r: (not r.curated, r.country is None)
        )
        ended = [r for r in dated if r.end is not None and r.end <= day]
        if actor.kind == "person" and ended:
            last = max(ended, key=lambda r: r.end)
            return last, "former"
        if defaults:
            return defaults[0], "default"
        if not dated:
            return None, "none"
        return min(dated, key=lambda r: _distance(r, day)), "nearest"

    def title_holder(self, scope: str, title: str, date: dt.date) -> tuple[Actor, Role] | None:
        """Who held `title` for `scope` (ISO3 or organisation code) on `date`; None if unknown/ambiguous."""
        candidates = (title, *TITLE_FALLBACKS.get(title, ()))
        if title == "leader":
            holders = self._active(self.kb.leader_index.get(scope, []), date)
            holders = holders or self._org_heads(scope, date)
            return holders[0] if len(holders) == 1 else None
        for candidate in candidates:
            holders = self._active(self.kb.title_index.get((scope, candidate), []), date)
            if len(holders) == 1:
                return holders[0]
            if len(holders) > 1:
                leaders = [h for h in holders if h[1].leader]
                return leaders[0] if len(leaders) == 1 else None
        return None

    def _org_heads(self, code: str, date: dt.date) -> list[tuple[Actor, Role]]:
        for title in ORG_HEAD_TITLES:
            holders = self._active(self.kb.title_index.get((code, title), []), date)
            if holders:
                return holders
        return []

    @staticmethod
    def _active(pairs: Iterable[tuple[Actor, Role]], date: dt.date) -> list[tuple[Actor, Role]]:
        seen: dict[str, tuple[Actor, Role]] = {}
        for actor, role in pairs:
            if role.active(date):
                seen.setdefault(actor.id, (actor, role))
        return list(seen.values())

    def _title_scope(self, mention: ActorPhrase, title: Match) -> tuple[str | None, bool]:
        """The country or organisation a title belongs to: the nearest one mentioned."""
        scopes: list[tuple[int, str, bool]] = []
        for match in mention.matches:
            if match.kind == "org" and match.actor_candidates[0].code:
                actor = match.actor_candidates[0]
                scopes.append((_gap(match, title), actor.code, True))
            elif match.country and match.kind in ("country", "capital", "metonym", "place"):
                scopes.append((_gap(match, title), match.country, False))
            elif match.kind == "metonym" and match.place and match.place.org:
                scopes.append((_gap(match, title), match.place.org, True))
        if not scopes:
            default = TITLE_SCOPES.get(title.title)
            return default, False
        _, scope, is_org = min(scopes, key=lambda s: s[0])
        return scope, is_org

    def _title_sector(self, scope: str | None, title: str) -> str:
        """Sector of a title whose holder is unknown: IGO for international bodies, else by title."""
        if scope and self.kb.org(scope) is not None:
            return "IGO"
        return TITLE_SECTORS.get(title, "GOV")

    def _pick_actor(self, actors: list[Actor], date: dt.date | None) -> Actor:
        """Among actors sharing an alias: curated first, then one active at the date, then the richest."""
        if len(actors) == 1:
            return actors[0]
        day = date or dt.date.today()
        return max(actors, key=lambda a: (a.curated, any(r.active(day) for r in a.roles), len(a.roles)))


def _actor_match(actors: list[Actor], start: int, end: int, key: str) -> Match:
    kinds = {a.kind for a in actors}
    kind = "person" if kinds == {"person"} or (
        "person" in kinds and not any(a.curated and a.kind != "person" for a in actors)) else "org"
    chosen = [a for a in actors if (a.kind == "person") == (kind == "person")] or actors
    return Match(kind, start, end, key, actor=chosen[0], actor_candidates=chosen)


def _casing_ok(key: str, originals: list[str], lowercase_text: bool) -> bool:
    """Proper-name readings need capitals (unless the whole mention is lower case); stopword-like
    short names ("US", "WHO", "IS") need full upper case."""
    if len(originals) == 1 and key in STOP_KEYS:
        return _is_acronym(originals[0])
    if lowercase_text:
        return True
    return any(o[:1].isupper() or o[:1].isdigit() for o in originals)


def _is_acronym(original: str) -> bool:
    letters = original.replace(".", "")
    return len(letters) > 1 and letters.isupper()


def _is_abbreviation(text: str, original: str) -> bool:
    return bool(re.search(rf"\b{re.escape(original)}\.", text))


def _strip_fillers(key: str) -> str:
    words = key.split()
    while words and words[0] in LEADING_FILLERS and not (words[0] in NAME_STARTS and len(words) > 1):
        words = words[1:]
    return " ".join(words)




def _unmatched_name_runs(tokens: list[tuple[str, str]], matches: list[Match], text: str = "") -> list[str]:
    """Runs of capitalised tokens that no known phrase covers (candidate names of unknown people)."""
    covered = {i for m in matches for i in range(m.start, m.end)}
    runs, current = [], []
    for i in range(len(tokens)):
        if _is_name_token(tokens, i, covered, text):
            current.append(tokens[i][1])
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs


def _is_name_token(tokens: list[tuple[str, str]], i: int, covered: set[int], text: str) -> bool:
    """Capitalised and unmatched; a pronoun-like word counts when a name follows ("He Zhihua"); a
    lower-case part of a hyphenated name continues it ("Ho-jen")."""
    if i in covered:
        return False
    key, original = tokens[i]
    if key in PREPOSITIONS:
        return False
    if not original[:1].isupper():
        return (
            i > 0
            and f"{tokens[i - 1][1]}-{original}" in text
            and _is_name_token(tokens, i - 1, covered, text)
        )
    if key in PRONOUNS:
        return i + 1 < len(tokens) and i + 1 not in covered and tokens[i + 1][1][:1].isupper()
    return True


def _drop_places_inside_names(tokens: list[tuple[str, str]], matches: list[Match]) -> list[Match]:
    """A city (or a remembered surname) next to an unknown capitalised word is part of a name:
    "Feliciano Valencia" is a person, "Mulayam Singh Yadav" is not the Singh named before."""
    covered = {i for m in matches for i in range(m.start, m.end)}

    def unknown_capital(i: int) -> bool:
        return 0 <= i < len(tokens) and i not in covered and tokens[i][1][:1].isupper() and (
            tokens[i][0] not in PREPOSITIONS and tokens[i][0] not in PLACE_WORDS)

    def nameable(m: Match) -> bool:
        return m.kind in ("place", "capital") or (m.kind == "memory" and m.end - m.start == 1)

    return [
        m for m in matches if not (nameable(m) and (unknown_capital(m.start - 1) or unknown_capital(m.end)))
    ]


def _head_agent(mention: ActorPhrase) -> str | None:
    """Sector of the head agent noun: the last agent before a preposition, else the last agent."""
    agents = mention.of_kind("agent")
    if not agents:
        return None
    first_prep = next(
        (i for i, (k, _) in enumerate(mention.tokens) if k in PREPOSITIONS), len(mention.tokens)
    )
    before = [a for a in agents if a.end <= first_prep]
    return (before or agents)[-1].sector


def _possessed(ref: ActorRef, mention: ActorPhrase, owner: Match) -> ActorRef:
    """"Putin's troops" are Russian troops: a person's possession named by an agent noun is a group."""
    if not mention.tokens[owner.end - 1][1].endswith("'s"):
        return ref
    agents = [m for m in mention.of_kind("agent") if m.start >= owner.end]
    if not agents:
        return ref
    return ActorRef(mention.text, None, ref.country, agents[-1].sector, None, "group", 0.7)


def _with_former(ref: ActorRef, former: bool) -> ActorRef:
    if former and ref.sector not in (None, "IGO") and ref.kind in ("person", "group"):
        ref.sector = "ELI"
    return ref


def _any_country(roles: list[Role]) -> str | None:
    dated = sorted(
        (r for r in roles if r.country), key=lambda r: (r.curated, r.start or dt.date.min), reverse=True
    )
    return dated[0].country if dated else None


def _distance(role: Role, day: dt.date) -> int:
    if role.start and day < role.start:
        return (role.start - day).days
    if role.end and day >= role.end:
        return (day - role.end).days
    return 0


def _gap(a: Match, b: Match) -> int:
    return b.start - a.end if a.end <= b.start else a.start - b.end + 1
