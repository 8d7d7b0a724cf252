"""The vocabulary of eventwire: typed records passed between stages, nothing else.

Data flows one way: ingest → RawArticle → clean → Article → nlp/actors/time/events →
Event records (with Mentions as evidence) → store → stories (StoryAssignment, CanonicalEvent,
ClaimGroup). Each stage takes and returns these records and never reaches into another stage's internals.

Each stored record is declared here once: the store's columns (`eventwire.store.schema`), the
record ↔ row conversion (`eventwire.store.rows`) and the export shapes (`eventwire.store.export`,
`eventwire.store.contracts`) are derived from these fields, their types and their `spec(...)`
metadata (`eventwire.record_fields`). Adding a stored field is one edit here plus a migration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from eventwire.record_fields import contract, flat_values, spec

DatePrecision = Literal["day", "month", "year", "unknown"]


@dataclass
class Failure:
    """A problem with one input (a file, a line, an article) that did not stop the batch."""

    EXPORT_ORDER: ClassVar[tuple[str, ...]] = ("id", "run_id", "source", "stage", "message", "created_at")

    source: str = field(metadata=spec(long=True))
    message: str = field(metadata=spec(long=True))
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

    text: str = field(metadata=spec(long=True))
    rule: str


@dataclass
class Article:
    """A cleaned article: main text only, boilerplate removed but kept inspectable."""

    EXPORT_ORDER: ClassVar[tuple[str, ...]] = (
        "article_id", "path", "title", "outlet", "published", "language", "text", "removed",
    )  # fmt: skip

    article_id: str = field(metadata=spec(key=True))
    text: str = field(metadata=spec(long=True))
    path: str | None = field(default=None, metadata=spec(long=True))
    url: str | None = field(default=None, metadata=spec(long=True, exported=False))
    title: str | None = field(default=None, metadata=spec(long=True))
    outlet: str | None = field(default=None, metadata=spec(long=True))
    published: dt.date | None = None
    language: str | None = None
    removed: list[RemovedLine] = field(default_factory=list, metadata=spec(stored=False))  # table removed_lines
    source_format: str = field(default="text", metadata=spec(exported=False))

    @property
    def is_english(self) -> bool:
        return self.language in (None, "en")


@dataclass
class ActorRef:
    """An actor mention resolved (as far as possible) to a canonical identity."""

    text: str = field(metadata=spec(long=True))
    name: str | None = field(default=None, metadata=spec(long=True))
    country: str | None = None  # ISO3
    sector: str | None = None  # GOV, MIL, MED, BUS, IGO, ...
    # knowledge-base id, when resolved to a known actor
    actor_id: str | None = field(default=None, metadata=spec(exported=False))
    # person, country, organisation, group, place (a city: never an event actor)
    kind: str | None = field(default=None, metadata=spec(exported=False))
    confidence: float = field(default=0.0, metadata=spec(stored=False, exported=False))
    code: str | None = None  # CAMEO-style actor code: USAGOV, RUSMIL, IGOUNO, REB

    def to_json(self) -> dict[str, Any]:
        """The actor object of every output: text, name, country, sector, code."""
        return contract(flat_values(self), ActorRef, "core")


def actor_code(country: str | None, sector: str | None) -> str | None:
    """CAMEO-style code of a non-international actor: country + sector (USAGOV), the country alone
    (USA), the sector alone (REB), or None. International bodies' codes (IGOUNO) come from the
    knowledge base instead (`ActorResolver.coded`)."""
    return (country or "") + (sector or "") or None


@dataclass
class DateValue:
    """A date resolved from text, with how precise it is and how it was derived."""

    date: dt.date | None = field(metadata=spec(column=""))  # stored and exported as the parent's prefix: `date`
    precision: DatePrecision = "unknown"
    text: str | None = field(default=None, metadata=spec(long=True, exported=False))  # the expression it came from
    method: str = field(default="none", metadata=spec(exported="stored"))  # explicit, relative, publication, ...

    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


@dataclass
class Location:
    text: str = field(metadata=spec(long=True))
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_json(self) -> dict[str, Any]:
        return contract(flat_values(self), Location, "core")


@dataclass
class Mention:
    """Evidence for an event: where in which article it is stated (offsets into Article.text)."""

    article_id: str
    sentence: str = field(metadata=spec(long=True))
    start: int = field(metadata=spec(arrow="int32"))
    end: int = field(metadata=spec(arrow="int32"))
    # who the sentence says reported it ('..., police said'); columns attributed_*
    attributed_to: ActorRef | None = field(default=None, metadata=spec(column="attributed"))

    def to_json(self) -> dict[str, Any]:
        return contract(flat_values(self), Mention, "core")


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
    quad_class: int = field(metadata=spec(arrow="int8"))
    confidence: float = field(default=0.0, metadata=spec(stored=False, exported=False))
    # what produced the code (pattern id, model); column code_rule, NULL when empty
    rule: str = field(default="", metadata=spec(column="code_rule", long=True, empty_as_null=True, exported=False))
    # the coder's classifier probability of the code's ConfliBERT class (None: no classifier read it); unstored,
    # and not compared: a stored event read back equals the extracted one
    class_probability: float | None = field(
        default=None, compare=False, repr=False, metadata=spec(stored=False, exported=False)
    )


@dataclass
class Event:
    """One coded event: who did what to whom, when and where, with its evidence."""

    #: Key order of the event exports (docs/schema.md): `to_json`'s keys, then those of stored and canonical events.
    EXPORT_ORDER: ClassVar[tuple[str, ...]] = (
        "event_id", "date", "date_precision", "source", "target", "plover", "mode", "cameo", "goldstein",
        "quad_class", "location", "mentions", "confidence",
        "article_id", "story_id", "sources", "predicate", "date_method", "member_event_ids",
    )  # fmt: skip

    event_id: str = field(metadata=spec(key=True))
    source: ActorRef
    target: ActorRef | None
    code: EventCode = field(metadata=spec(column="", flat=True))  # columns plover, cameo, ...
    date: DateValue = field(metadata=spec(flat=True))  # columns date, date_precision, ...
    predicate: str = field(metadata=spec(long=True, exported="stored"))
    mentions: list[Mention] = field(metadata=spec(stored=False))  # table mentions
    location: Location | None = None
    confidence: float = field(default=0.0, metadata=spec(decimals=3))
    # reported by the main clause of its sentence/text
    is_main: bool = field(default=False, metadata=spec(exported=False))
    # how extraction found it (clause kind, voice, how far its actors are from the verb...), read by the
    # confidence calibrator (eventwire.events.confidence); neither stored, exported nor compared
    signals: dict[str, float] = field(
        default_factory=dict, compare=False, repr=False, metadata=spec(stored=False, exported=False)
    )

    def to_json(self) -> dict[str, Any]:
        """The documented output contract (docs/schema.md)."""
        return contract(flat_values(self), Event, "core", lists={"mentions": [m.to_json() for m in self.mentions]})


ClaimKind = Literal["money", "percent", "count"]


@dataclass
class Claim:
    """A quantitative statement: a figure with what it measures, its period and who said it."""

    EXPORT_ORDER: ClassVar[tuple[str, ...]] = (
        "claim_id", "article_id", "outlet", "story_id", "kind", "value", "unit", "text", "is_change", "subject",
        "period_start", "period_end", "period_text", "speaker", "converted_from", "group_id", "status", "note",
        "sentence", "start", "end",
    )  # fmt: skip

    claim_id: str = field(metadata=spec(key=True))
    article_id: str
    kind: ClaimKind
    value: float  # normalised: money in units of `unit` (190 billion → 1.9e11), percent as 41.3
    unit: str | None  # ISO 4217 currency for money, "%" for percent, counted noun for counts
    text: str = field(metadata=spec(long=True))  # the figure as written: "$73.15 billion"
    sentence: str = field(metadata=spec(long=True))
    start: int  # offsets of the sentence in Article.text
    end: int
    subject: str | None = field(default=None, metadata=spec(long=True))  # what is measured: "trade CHN-RUS"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_text: str | None = field(default=None, metadata=spec(long=True))
    is_change: bool = False  # "up 41.3 percent": a change, not a level
    # quoted source or attributed body; only its text, name and country are stored
    speaker: ActorRef | None = field(default=None, metadata=spec(only=("text", "name", "country")))
    converted_from: str | None = None  # claim_id of the amount this one converts ("(991.2 billion reais)")


@dataclass
class Quote:
    """A direct quotation with its speaker."""

    quote_id: str = field(metadata=spec(key=True))
    article_id: str
    text: str = field(metadata=spec(long=True))
    start: int  # offsets of the quotation in Article.text
    end: int
    speaker: ActorRef | None = None


@dataclass
class Story:
    """Articles about the same happening, across outlets."""

    story_id: str = field(metadata=spec(key=True))
    title: str = field(metadata=spec(long=True, nullable=True))
    article_ids: list[str] = field(metadata=spec(stored=False))  # table story_articles
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    # (sentence, article_id); stored as JSON objects (eventwire.store.corpus)
    summary: list[tuple[str, str]] = field(default_factory=list, metadata=spec(stored=False))


@dataclass
class CanonicalEvent:
    """One happening across the articles of a story."""

    EXPORT_ORDER: ClassVar[tuple[str, ...]] = Event.EXPORT_ORDER

    # representative event: all mentions, most specific date and location; its event_id column holds the
    # canonical id (eventwire.store.rows.canonical_id). Date text, code rule and main-clause flag are not kept.
    event: Event = field(metadata=spec(column="", flat=True, exclude=("date_text", "code_rule", "is_main")))
    story_id: str = field(metadata=spec(nullable=True))
    sources: int  # distinct outlets (articles without an outlet count one each)
    member_event_ids: list[str] = field(default_factory=list, metadata=spec(column="member_ids"))
    article_ids: list[str] = field(default_factory=list, metadata=spec(stored=False, exported=False))

    def to_json(self) -> dict[str, Any]:
        """The event's output contract plus story, sources and members."""
        mentions = [m.to_json() for m in self.event.mentions]
        return contract(flat_values(self), CanonicalEvent, "core", lists={"mentions": mentions})


@dataclass
class JoinEvidence:
    """Why an article is in its story."""

    article_id: str
    story_id: str
    reason: str  # "new", "similar", "duplicate"; an undated article also "rewrite" or "same-happening"
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)  # similarity per channel
    duplicate_of: str | None = None
    nearest_story: str | None = None  # for new stories: the closest existing story (score = its similarity)


@dataclass
class DateEvidence:
    """An undated article's date taken from a matching dated event of a sibling article."""

    article_id: str
    event_id: str
    sibling_article_id: str
    sibling_event_id: str
    date: DateValue
    score: float


@dataclass
class StoryAssignment:
    """The stories of a collection and how each article got its story (and date)."""

    stories: list[Story]
    story_of: dict[str, str]
    duplicate_group: dict[str, str]
    inferred_dates: dict[str, DateValue] = field(default_factory=dict)
    join_evidence: dict[str, JoinEvidence] = field(default_factory=dict)
    date_evidence: dict[str, DateEvidence] = field(default_factory=dict)

    def story(self, story_id: str) -> Story | None:
        """The story with this id."""
        return next((s for s in self.stories if s.story_id == story_id), None)


@dataclass
class ClaimGroup:
    """Claims about the same subject, period and kind, with whether their figures agree."""

    subject: str
    period: str | None
    kind: ClaimKind
    is_change: bool
    unit: str | None
    members: list[Claim]
    status: Literal["agree", "disagree"]
    note: str
    sources: int = 0  # distinct outlets (articles without an outlet count one each)
    story_ids: list[str] = field(default_factory=list)


@dataclass
class ArticleResult:
    """Everything the per-article pipeline produced for one article."""

    article: Article
    events: list[Event] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
