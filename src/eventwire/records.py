"""The vocabulary of eventwire: typed records passed between stages, nothing else.

Data flows one way: ingest → RawArticle → clean → Article → nlp/actors/time/events →
Event records (with Mentions as evidence) → store. Each stage takes and returns
these records and never reaches into another stage's internals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DatePrecision = Literal["day", "month", "year", "unknown"]


@dataclass
class Failure:
    """A problem with one input (a file, a line, an article) that did not stop the batch."""

    source: str
    message: str
    stage: str = "ingest"

    def line(self) -> str:
        """One human-readable line: `source: problem`."""
        return f"{self.source}: {self.message}"


@dataclass
class RawArticle:
    """An article as read from its source, before cleaning."""

    article_id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    source_format: str = "text"
    origin: str | None = None  # where in its input, when the path alone does not say: "a.jsonl:12", "f.rss[entry 3]"
    removed: list[RemovedLine] = field(default_factory=list)  # text the reader already left out (HTML boilerplate)


@dataclass
class RemovedLine:
    """A piece of text removed by cleaning, with the rule that removed it."""

    text: str
    rule: str


@dataclass
class Article:
    """A cleaned article: main text only, boilerplate removed but kept inspectable."""

    article_id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    language: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    source_format: str = "text"

    @property
    def is_english(self) -> bool:
        return self.language in (None, "en")


@dataclass
class ActorRef:
    """An actor mention resolved (as far as possible) to a canonical identity."""

    text: str
    name: str | None = None
    country: str | None = None  # ISO3
    sector: str | None = None  # GOV, MIL, MED, BUS, IGO, ...
    actor_id: str | None = None  # knowledge-base id, when resolved to a known actor
    kind: str | None = None  # person, country, organisation, group, place (a city: never an event actor)
    confidence: float = 0.0
    code: str | None = None  # CAMEO-style actor code: USAGOV, RUSMIL, IGOUNO, REB

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "country": self.country, "sector": self.sector,
                "code": self.code}


def actor_code(country: str | None, sector: str | None) -> str | None:
    """CAMEO-style code of a non-international actor: country + sector (USAGOV), the country alone
    (USA), the sector alone (REB), or None. International bodies' codes (IGOUNO) come from the
    knowledge base instead (`ActorResolver.coded`)."""
    return (country or "") + (sector or "") or None


@dataclass
class DateValue:
    """A date resolved from text, with how precise it is and how it was derived."""

    date: dt.date | None
    precision: DatePrecision = "unknown"
    text: str | None = None  # the expression it came from
    method: str = "none"  # explicit, relative, publication, inferred, none

    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


@dataclass
class Location:
    text: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mention:
    """Evidence for an event: where in which article it is stated (offsets into Article.text)."""

    article_id: str
    sentence: str
    start: int
    end: int
    attributed_to: ActorRef | None = None  # who the sentence says reported it ('..., police said')

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "attributed_to": self.attributed_to.to_json() if self.attributed_to else None,
        }


Modality = Literal["asserted", "intent", "reported", "hypothetical"]


@dataclass
class Predicate:
    """What a clause says was done, as extraction hands it to the coder."""

    lemma: str  # main verb lemma, e.g. "meet"; for light verbs the noun carries meaning ("hold talks")
    text: str  # verb phrase as written, e.g. "met with"
    clause: str  # text of the clause the verb heads
    particles: list[str] = field(default_factory=list)  # phrasal particles: "up", "off"
    object_lemmas: list[str] = field(default_factory=list)  # lemmas of direct objects/attributes
    prep_object_lemmas: list[str] = field(default_factory=list)  # 'went on strike', 'took part in protests'
    preps: list[str] = field(default_factory=list)  # prepositions attached to the verb: "with", "against"
    xcomp_lemmas: list[str] = field(default_factory=list)  # open complements: "pledged to SUPPORT"
    negated: bool = False
    modality: Modality = "asserted"


@dataclass
class EventCode:
    """The coding of a predicate: CAMEO code with Goldstein and quad class, PLOVER type and mode."""

    cameo: str
    plover: str
    mode: str | None
    goldstein: float
    quad_class: int
    confidence: float = 0.0
    rule: str = ""  # what produced the code (pattern id, model)


@dataclass
class Event:
    """One coded event: who did what to whom, when and where, with its evidence."""

    event_id: str
    source: ActorRef
    target: ActorRef | None
    code: EventCode
    date: DateValue
    predicate: str
    mentions: list[Mention]
    location: Location | None = None
    confidence: float = 0.0
    is_main: bool = False  # reported by the main clause of its sentence/text

    def to_json(self) -> dict[str, Any]:
        """The documented output contract (docs/schema.md)."""
        return {
            "event_id": self.event_id,
            "date": self.date.iso(),
            "date_precision": self.date.precision,
            "source": self.source.to_json(),
            "target": self.target.to_json() if self.target else None,
            "plover": self.code.plover,
            "mode": self.code.mode,
            "cameo": self.code.cameo,
            "goldstein": self.code.goldstein,
            "quad_class": self.code.quad_class,
            "location": self.location.to_json() if self.location else None,
            "mentions": [m.to_json() for m in self.mentions],
            "confidence": round(self.confidence, 3),
        }


ClaimKind = Literal["money", "percent", "count"]


@dataclass
class Claim:
    """A quantitative statement: a figure with what it measures, its period and who said it."""

    claim_id: str
    article_id: str
    kind: ClaimKind
    value: float  # normalised: money in units of `unit` (190 billion → 1.9e11), percent as 41.3
    unit: str | None  # ISO 4217 currency for money, "%" for percent, counted noun for counts
    text: str  # the figure as written: "$73.15 billion"
    sentence: str
    start: int  # offsets of the sentence in Article.text
    end: int
    subject: str | None = None  # what is measured, normalised: "trade CHN-RUS"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_text: str | None = None
    is_change: bool = False  # "up 41.3 percent": a change, not a level
    speaker: ActorRef | None = None  # quoted source or attributed body
    converted_from: str | None = None  # claim_id of the amount this one converts ("(991.2 billion reais)")


@dataclass
class Quote:
    """A direct quotation with its speaker."""

    quote_id: str
    article_id: str
    text: str
    start: int  # offsets of the quotation in Article.text
    end: int
    speaker: ActorRef | None = None


@dataclass
class Story:
    """Articles about the same happening, across outlets."""

    story_id: str
    title: str
    article_ids: list[str]
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    summary: list[tuple[str, str]] = field(default_factory=list)  # (sentence, article_id)


@dataclass
class ArticleResult:
    """Everything the per-article pipeline produced for one article."""

    article: Article
    events: list[Event] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
