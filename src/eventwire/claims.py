"""Claims and quotes: figures stated in articles, what they measure, and who said them.

`extract_claims` finds money amounts (with ISO 4217 currency), percentages and
changes, and counts of people or things in a parsed article; for each it finds what
is measured (the clause subject or the noun the figure modifies, e.g. "trade"), the
countries involved (named in the sentence, else the article's main country dyad),
the period ("in 2022", "in the first four months of this year") resolved against the
publication date or a given anchor, and the attributed speaker ("according to X",
"X said"). A bracketed conversion right after an amount ("(991.2 billion reais)") is
linked to it. Direct quotations are returned with their speakers.

`reconcile_claims` groups claims about the same subject, period and kind across
articles and says whether the figures agree within their rounding and wording
("about", "nearly", "more than").
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from spacy.tokens import Doc, Span, Token

from eventwire.nlp import ents_in
from eventwire.records import ActorRef, Article, Claim, ClaimKind, Event, Quote

SpeakerResolver = Callable[[str], ActorRef | None]

# --- vocabulary --------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """A word set from a space-separated list."""
    return frozenset(text.split())


def _table(text: str) -> dict[str, str]:
    """A mapping from 'key=VALUE' items separated by semicolons (keys may contain spaces)."""
    pairs = (item.rsplit("=", 1) for item in text.split(";") if item.strip())
    return {key.strip(): value.strip() for key, value in pairs}


APPROX_WORDS = (
    "about|around|nearly|almost|roughly|approximately|some|over|more than|less than|fewer than|under|below|"
    "above|at least|at most|up to|close to|just over|just under|upwards of|in excess of|"
    "an estimated|estimated"
)
_APPROX = rf"(?:(?P<approx>{APPROX_WORDS})\s+)?"
_NUM = r"\d{1,3}(?:,\d{2})*,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"  # 5,000 / 12,50,000 (lakh grouping) / 73.15
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "trillion": 1e12, "tn": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
}  # fmt: skip
_SCALE = r"trillion|billion|million|thousand|crores?|lakhs?|bn|mn|tn"
CURRENCY_SYMBOLS = _table(
    "us$=USD; u.s.$=USD; $=USD; usd=USD; €=EUR; eur=EUR; £=GBP; gbp=GBP; ¥=JPY; jpy=JPY; ₹=INR; "
    "rs=INR; rs.=INR; inr=INR; ₽=RUB; rub=RUB; r$=BRL; brl=BRL; a$=AUD; c$=CAD; hk$=HKD; s$=SGD; "
    "nz$=NZD; cny=CNY; rmb=CNY; chf=CHF"
)
_SYMBOL = (
    r"US\$|U\.S\.\$|A\$|C\$|HK\$|S\$|NZ\$|R\$|\$|€|£|¥|₹|₽|\bRs\.?"
    r"|\b(?:INR|USD|EUR|GBP|JPY|CNY|RMB|RUB|BRL|CHF)\b"
)
CURRENCY_WORDS = _table(
    "us dollar=USD; u.s. dollar=USD; american dollar=USD; dollar=USD; hong kong dollar=HKD; "
    "australian dollar=AUD; canadian dollar=CAD; singapore dollar=SGD; new zealand dollar=NZD; "
    "taiwan dollar=TWD; euro=EUR; real=BRL; reais=BRL; brazilian real=BRL; yuan=CNY; renminbi=CNY; "
    "ruble=RUB; rouble=RUB; pound=GBP; pound sterling=GBP; sterling=GBP; rupee=INR; yen=JPY; won=KRW; "
    "lira=TRY; rand=ZAR; hryvnia=UAH; swiss franc=CHF; franc=CHF; riyal=SAR; dirham=AED; naira=NGN; "
    "shekel=ILS; zloty=PLN; usd=USD; eur=EUR; gbp=GBP; cny=CNY"
)
_CURRENCY_WORD = (
    r"(?:(?:us|u\.s\.|american|hong kong|australian|canadian|singapore|new zealand|taiwan|swiss"
    r"|brazilian)\s+)?"
    r"(?:dollars?|euros?|reais|real|yuan|renminbi|rubles?|roubles?|pounds?(?:\s+sterling)?|sterling|rupees?|yen|"
    r"won|liras?|rand|hryvnias?|francs?|riyals?|dirhams?|naira|shekels?|zlotys?|USD|EUR|GBP|CNY)\b"
)
MONEY_RE = re.compile(
    rf"{_APPROX}(?:(?P<symbol>{_SYMBOL})\s?(?P<num1>{_NUM})(?:\s?(?P<scale1>{_SCALE})\b)?"
    rf"(?:\s+(?P<word1>{_CURRENCY_WORD}))?|(?P<num2>{_NUM})(?:\s?(?P<scale2>{_SCALE}))?\s+(?P<word2>{_CURRENCY_WORD}))",
    re.I,
)
PERCENT_RE = re.compile(rf"{_APPROX}(?P<num>{_NUM})\s?(?P<unit>%|per\s?cent\b|percentage points?\b|pc\b)", re.I)
_CHANGE_BEFORE = re.compile(
    r"\b(?P<word>up|down|by|increased?|increases|rise|rose|risen|grew|grow|growth|gain(?:ed)?|jump(?:ed)?|surged?|"
    r"climbed?|soared?|drop(?:ped)?|declined?|decrease[sd]?|fell|fall(?:en)?|plunged?|slumped?|shrank|shrunk|"
    r"contracted?|cut|lower|higher)\b(?:\W+\w+){0,4}\W*$",
    re.I,
)
_CHANGE_AFTER = re.compile(
    r"^\W*(?P<word>year[- ]on[- ]year|y-o-y|from a year|increase|rise|growth|jump|gain|drop|decline|decrease|"
    r"fall|higher|lower|more|less)\b",
    re.I,
)
_MONEY_CHANGE_BEFORE = re.compile(
    r"\b(?P<word>up|down|by|increase of|rise of|drop of|decline of|growth of|fall of)\s*$", re.I
)
DECREASE_WORDS = _words(
    "down drop dropped decline declined decrease decreased decreases fell fall fallen plunge plunged "
    "slump slumped shrank shrunk contract contracted cut lower less"
)
COUNT_EXCLUDED_NOUNS = _words(
    "percent per cent point points time times year years month months week weeks day days hour hours "
    "minute minutes second seconds am pm km kg"
)
#: People counted in news (spelled-out small numbers count only for these).
PERSON_NOUNS = _words(
    "people person civilian soldier troop officer policeman policemen member protester demonstrator "
    "worker child woman man men women student refugee migrant prisoner hostage casualty victim fighter "
    "militant passenger resident villager journalist"
)
NUMBER_WORDS = {
    word: value
    for value, words in [
        (1, "one"), (2, "two"), (3, "three"), (4, "four"), (5, "five"), (6, "six"), (7, "seven"),
        (8, "eight"),
        (9, "nine"), (10, "ten"), (11, "eleven"), (12, "twelve dozen"), (13, "thirteen"), (14, "fourteen"),
        (15, "fifteen"), (16, "sixteen"), (17, "seventeen"), (18, "eighteen"), (19, "nineteen"),
        (20, "twenty"),
        (24, "dozens"), (30, "thirty"), (40, "forty"), (50, "fifty"), (60, "sixty"), (70, "seventy"),
        (80, "eighty"), (90, "ninety"), (100, "hundred"), (200, "hundreds"), (2000, "thousands"),
    ]
    for word in words.split()
}  # fmt: skip

#: Nouns that only say "how much" of something else ("the amount of trade", "trade flow").
GENERIC_MEASURES = _words("amount volume value level scale total figure flow number size sum turnover worth")
#: Words of the figure itself, never what is measured.
UNIT_WORDS = _words("percent cent per pc point points")
#: Nouns that describe a change of something else ("the increase in trade").
CHANGE_NOUNS = _words("increase rise growth jump decline drop decrease fall gain surge")
#: Nouns that name the parties of a measure rather than the measure ("trade between the two countries").
PARTICIPANT_NOUNS = _words("country nation side state partner economy neighbour neighbor government")
MEASURE_SYNONYMS = _table("shipment=supply; delivery=supply; supplies=supply; trading=trade; commerce=trade")
#: Measures between two parties: a single named country is completed with the article's dyad.
RELATIONAL_MEASURES = _words("trade export import supply investment sale purchase aid loan deal contract exchange")
SPEECH_LEMMAS = _words(
    "say tell add note stress announce declare state claim report point explain warn insist reply "
    "respond comment write estimate predict underline emphasize emphasise assert acknowledge confirm "
    "reveal argue remark observe disclose tout highlight assume believe suggest recall plead urge call "
    "tweet ask"
)
PRONOUNS = _words("he she they it we i you him her them this that which who")
RELATIVE_PRONOUNS = _words("which that who")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
#: Short names and nationality words that ISO names do not cover (used without an actor resolver).
COMMON_COUNTRY_NAMES = _table(
    "russia=RUS; russian=RUS; china=CHN; chinese=CHN; america=USA; american=USA; us=USA; u.s.=USA; "
    "usa=USA; britain=GBR; british=GBR; uk=GBR; u.k.=GBR; iran=IRN; iranian=IRN; syria=SYR; "
    "syrian=SYR; south korea=KOR; north korea=PRK; korean=KOR; vietnam=VNM; vietnamese=VNM; "
    "taiwan=TWN; taiwanese=TWN; turkey=TUR; turkish=TUR; venezuela=VEN; bolivia=BOL; tanzania=TZA; "
    "moldova=MDA; laos=LAO; czech republic=CZE; ivory coast=CIV; palestine=PSE; palestinian=PSE; "
    "israeli=ISR; french=FRA; german=DEU; japanese=JPN; indian=IND; pakistani=PAK; afghan=AFG; "
    "iraqi=IRQ; ukrainian=UKR; polish=POL; brazilian=BRA; mexican=MEX; saudi=SAU; saudi arabia=SAU; "
    "egyptian=EGY; dutch=NLD; spanish=ESP; italian=ITA; canadian=CAN; australian=AUS; "
    "south african=ZAF; nigerian=NGA; kenyan=KEN; ethiopian=ETH; sudanese=SDN; yemeni=YEM; "
    "lebanese=LBN; swiss=CHE; belarusian=BLR; georgian=GEO; armenian=ARM; azerbaijani=AZE; kazakh=KAZ; "
    "uzbek=UZB; filipino=PHL; indonesian=IDN; thai=THA; malaysian=MYS; burmese=MMR; bangladeshi=BGD; "
    "sri lankan=LKA; nepalese=NPL"
)

# --- periods ------------------------------------------------------------------------------------

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WHICH_YEAR = r"(?P<which>this year|the year|last year|the previous year|(?P<year>(?:19|20)\d\d))"
PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("first_months", re.compile(rf"\bthe first (?P<n>\w+) months of {_WHICH_YEAR}", re.I)),
    ("quarter", re.compile(rf"\bthe (?P<q>first|second|third|fourth) quarter of {_WHICH_YEAR}", re.I)),
    ("half", re.compile(rf"\bthe (?P<h>first|second) half of {_WHICH_YEAR}", re.I)),
    (
        "month_range",
        re.compile(
            rf"\b(?P<m1>{_MONTH})\s*(?:-|–|to|through|and)\s*(?P<m2>{_MONTH})(?:,?\s+(?P<year>(?:19|20)\d\d))?",
            re.I,
        ),
    ),
    (
        "to_date",
        re.compile(
            r"\b(?:so far this year|this year so far|year[- ]to[- ]date"
            r"|since the start of (?:the|this) year)",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(rf"\b(?:in|during|for|of) (?P<m1>{_MONTH})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I),
    ),
    (
        "year",
        re.compile(r"\b(?:in|during|for|of|by|since|until|through)\s+(?P<year>(?:19|20)\d\d)\b(?![-–]\d)", re.I),
    ),
    (
        "relative_year",
        re.compile(r"\b(?P<which>this year|last year|next year|the previous year|the current year)\b", re.I),
    ),
]
#: A period right after these words is the comparison base, not the period measured.
_BASE_BEFORE = re.compile(
    r"(?:same (?:period|time|months?|quarter)(?: of| in)?|compared (?:with|to)|from|than|versus|vs\.?"
    r"|over)\s*$",
    re.I,
)


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
class Figure:
    """A figure found in a sentence, before it becomes a Claim."""

    kind: ClaimKind
    value: float
    unit: str | None
    text: str
    start: int  # character offsets in the document
    end: int
    is_change: bool = False


# --- numbers -----------------------------------------------------------------------------------


def parse_number(text: str) -> float | None:
    """'5,000' → 5000.0, '73.15' → 73.15, 'twelve' → 12.0."""
    cleaned = text.replace(",", "").strip().lower()
    try:
        return float(cleaned)
    except ValueError:
        return float(NUMBER_WORDS[cleaned]) if cleaned in NUMBER_WORDS else None


def currency_code(symbol: str | None, word: str | None) -> str | None:
    """ISO 4217 code from a symbol ('US$') or a currency word ('reais', 'US dollars')."""
    if word:
        normal = re.sub(r"\s+", " ", word.lower())
        for candidate in (normal, normal.rstrip("s"), re.sub(r"s(?= sterling)", "", normal)):
            if candidate in CURRENCY_WORDS:
                return CURRENCY_WORDS[candidate]
    if symbol:
        return CURRENCY_SYMBOLS.get(symbol.lower().replace(" ", ""))
    return None


def _money_figures(sentence: str, offset: int) -> list[Figure]:
    out = []
    for m in MONEY_RE.finditer(sentence):
        number = m.group("num1") or m.group("num2")
        scale = (m.group("scale1") or m.group("scale2") or "").lower()
        value = parse_number(number)
        currency = currency_code(m.group("symbol"), m.group("word1") or m.group("word2"))
        if value is None or currency is None or (scale == "m" and not m.group("symbol")):
            continue
        value *= SCALES.get(scale, 1.0)
        before = sentence[: m.start()]
        change = _MONEY_CHANGE_BEFORE.search(before)
        sign = -1.0 if change and change.group("word").split()[0].lower() in DECREASE_WORDS else 1.0
        text = m.group(0).strip()
        out.append(Figure("money", sign * value, currency, text, offset + m.start(), offset + m.end(), bool(change)))
    return out


def _percent_figures(sentence: str, offset: int) -> list[Figure]:
    out = []
    for m in PERCENT_RE.finditer(sentence):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        unit = "pp" if m.group("unit").lower().startswith("percentage") else "%"
        before = _CHANGE_BEFORE.search(sentence[: m.start()])
        after = _CHANGE_AFTER.search(sentence[m.end() :])
        change_word = (before or after).group("word").lower() if (before or after) else None
        sign = -1.0 if change_word in DECREASE_WORDS else 1.0
        is_change = change_word is not None or unit == "pp"
        out.append(
            Figure(
                "percent",
                sign * value,
                unit,
                m.group(0).strip(),
                offset + m.start(),
                offset + m.end(),
                is_change,
            )
        )
    return out


def _count_figures(sent: Span, taken: list[tuple[int, int]]) -> list[Figure]:
    """Numbers modifying a countable noun: 'killed 12 people', 'about 5,000 troops'."""
    out = []
    for tok in sent:
        if not _is_count_number(tok, taken):
            continue
        noun = tok.head
        numbers = [t for t in noun.children if t.dep_ in ("nummod", "quantmod") or t.i == tok.i]
        tokens = sorted({t for n in numbers for t in n.subtree if t.i < noun.i}, key=lambda t: t.i)
        numbers = [t for t in tokens if t.like_num or t.lower_ in NUMBER_WORDS or t.lower_ in SCALES]
        if sum(1 for t in numbers if t.lower_ not in SCALES) > 1:
            continue  # a range ("10-15 families") or a list, not one figure
        value = _number_value(numbers)
        if value is None:
            continue
        start, end = tokens[0].idx, noun.idx + len(noun.text)
        text = sent.text[start - sent.start_char : end - sent.start_char]  # not doc.text: rebuilt on every access
        out.append(Figure("count", value, noun.lemma_.lower(), text, start, end))
    return out


def _is_count_number(tok: Token, taken: list[tuple[int, int]]) -> bool:
    if not (tok.like_num or tok.lower_ in NUMBER_WORDS) or tok.dep_ != "nummod":
        return False
    noun = tok.head
    if noun.pos_ != "NOUN" or noun.lemma_.lower() in COUNT_EXCLUDED_NOUNS or noun.i < tok.i:
        return False
    if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL") or _hyphenated(tok):
        return False
    if noun.ent_type_ in ("GPE", "LOC", "ORG", "FAC", "PERSON") or _list_marker(tok):
        return False
    if re.fullmatch(r"(19|20)\d\d", tok.text) or any(s <= tok.idx < e for s, e in taken):
        return False
    spelled_small = not any(c.isdigit() for c in tok.text) and NUMBER_WORDS.get(tok.lower_, 0) < 10
    if spelled_small and noun.lemma_.lower() not in PERSON_NOUNS:
        return False  # "two possible forums", "five maps": small spelled-out numbers of things
    return not any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "some") for c in noun.children)


def _list_marker(tok: Token) -> bool:
    """'1) mayawati', '2. the budget': numbering, not a count."""
    doc = tok.doc
    return tok.i + 1 < len(doc) and doc[tok.i + 1].text in (")", ".") and not tok.whitespace_


def _hyphenated(tok: Token) -> bool:
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return "-" in tok.text or (
        nxt is not None and nxt.text in ("-", "–") and not nxt.whitespace_ and not tok.whitespace_
    )


def _number_value(tokens: list[Token]) -> float | None:
    total = None
    for tok in tokens:
        scale = SCALES.get(tok.lower_)
        if scale and total is not None:
            total *= scale
            continue
        value = parse_number(tok.text)
        if value is not None:
            total = value if total is None else total + value
    return total


# --- subject ------------------------------------------------------------------------------------


def _figure_root(doc: Doc, figure: Figure) -> Token | None:
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _governing_verb(tok: Token) -> Token | None:
    node = tok
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
            return node
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
    return None


def _clause_subject(verb: Token) -> Token | None:
    """The subject of a clause verb, inherited through open complements, conjuncts and relative clauses."""
    node = verb
    for _ in range(6):
        subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                return node.head
            return subject
        if node.dep_ in ("acl", "relcl"):
            return node.head
        if node.dep_ in ("xcomp", "conj", "advcl", "pcomp") and node.head.i != node.i:
            node = node.head
            continue
        return None
    return None


def _measure_token(tok: Token | None) -> Token | None:
    """From a subject or modified noun to the noun naming what is measured."""
    for _ in range(4):
        if tok is None or tok.lower_ in PRONOUNS or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = tok.lemma_.lower()
        if lemma in UNIT_WORDS:
            return None
        if tok.ent_type_ in ("PERSON", "GPE", "NORP", "ORG", "LOC", "FAC") or lemma in PARTICIPANT_NOUNS:
            tok = _noun_governor(tok)
        elif lemma in GENERIC_MEASURES or lemma in CHANGE_NOUNS:
            inner = _inner_noun(tok)
            if inner is None:
                return tok if lemma in GENERIC_MEASURES - {"flow"} else None
            tok = inner
        else:
            return tok
    return None


def _noun_governor(tok: Token) -> Token | None:
    """'trade between the two countries': from the participant to the noun it completes."""
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("NOUN", "PROPN"):
        return tok.head.head
    if tok.dep_ == "poss":
        return tok.head
    return None


def _inner_noun(tok: Token) -> Token | None:
    """'the amount of trade' → trade, 'trade flow' → trade, 'increase in trade' → trade."""
    for child in tok.children:
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            return child
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                    return pobj
    return None


def measure_name(tok: Token) -> str:
    """Normalised name of a measure: noun compounds and head lemma, synonyms merged ('energy supply')."""
    parts = [
        c
        for c in tok.children
        if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < tok.i and c.lower_ not in UNIT_WORDS
    ]
    words = [MEASURE_SYNONYMS.get(t.lemma_.lower(), t.lemma_.lower()) for t in [*parts, tok]]
    words = [w for w in words if w not in GENERIC_MEASURES] or words
    return " ".join(dict.fromkeys(words))


def _figure_measure(doc: Doc, figure: Figure) -> tuple[str | None, Token | None]:
    """What a figure measures, and the clause verb it belongs to."""
    root = _figure_root(doc, figure)
    if root is None:
        return None, None
    if figure.kind == "count":
        verb = _governing_verb(root)
        noun = figure.unit or root.lemma_.lower()
        return (f"{verb.lemma_.lower()}:{noun}" if verb is not None else noun), verb
    verb = _governing_verb(root)
    token = _measure_token(_clause_subject(verb)) if verb is not None else None
    if token is None and root.head.pos_ == "NOUN" and root.dep_ in ("nummod", "compound", "appos"):
        token = _measure_token(root.head)
    return (measure_name(token) if token is not None else None), verb


# --- countries ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _country_by_name(text: str) -> str | None:
    import pycountry

    key = re.sub(r"^the\s+", "", text.lower()).strip()
    if key in COMMON_COUNTRY_NAMES:
        return COMMON_COUNTRY_NAMES[key]
    for candidate in (text, re.sub(r"(?<=i)an$", "", text)):
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    return None


def country_of(text: str, resolve: SpeakerResolver | None) -> str | None:
    """ISO3 of a place or nationality mention, by the actor resolver when given."""
    if text.strip().lower() in ("us", "u.s.", "uk", "u.k.") and not text.strip().isupper():
        return None  # the pronoun "us" in lower-cased text
    if resolve is not None:
        ref = resolve(text)
        if ref is not None and ref.country:
            return ref.country
    return _country_by_name(text.strip())


def main_dyad(doc: Doc, events: Sequence[Event] | None, resolve: SpeakerResolver | None) -> tuple[str, ...]:
    """The article's main pair of countries: most frequent in events, else most named in the text."""
    pairs: Counter[tuple[str, ...]] = Counter()
    for event in events or []:
        a, b = event.source.country, event.target.country if event.target else None
        if a and b and a != b:
            pairs[tuple(sorted((a, b)))] += 1
    if pairs:
        return pairs.most_common(1)[0][0]
    named = Counter(c for ent in doc.ents if ent.label_ in ("GPE", "NORP") and (c := country_of(ent.text, resolve)))
    top = [c for c, n in named.most_common(2) if n >= 2]
    return tuple(sorted(top))


def _sentence_countries(sent: Span, exclude: list[tuple[int, int]], resolve: SpeakerResolver | None) -> list[str]:
    out: list[str] = []
    for ent in ents_in(sent):
        if ent.label_ not in ("GPE", "NORP") or any(s <= ent.start_char < e for s, e in exclude):
            continue
        country = country_of(ent.text, resolve)
        if country and country not in out:
            out.append(country)
    return out


def subject_key(measure: str | None, countries: Sequence[str], dyad: Sequence[str]) -> str | None:
    """'trade|CHN-RUS': the measure with the countries involved (completed by the article's dyad)."""
    if measure is None:
        return None
    head = measure.split()[-1]
    chosen = list(countries)
    if not chosen or len(chosen) == 1 and head in RELATIONAL_MEASURES and chosen[0] in dyad:
        chosen = list(dyad)
    return f"{measure}|{'-'.join(sorted(set(chosen)))}" if chosen else measure


# --- speakers -----------------------------------------------------------------------------------


def _noun_phrase(tok: Token) -> Span:
    """A noun with its left modifiers and flat name parts, without clauses."""
    left = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("punct", "cc")]
    right = [t for t in tok.rights if t.dep_ in ("flat", "compound", "prep", "pobj")]
    tokens = left + [t for r in right for t in r.subtree if t.dep_ not in ("relcl", "acl", "appos", "punct")]
    start = min(t.i for t in tokens) if tokens else tok.i
    end = max(t.i for t in tokens) + 1 if tokens else tok.i + 1
    return tok.doc[start:end]


def _according_to(sent: Span) -> Span | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            objects = [c for t in (tok, tok.doc[tok.i + 1]) for c in t.children if c.dep_ == "pobj"]
            if objects:
                obj = objects[0]
                return tok.doc[min(t.i for t in obj.subtree) : max(t.i for t in obj.subtree) + 1]
    return None


def _speech_subject(verb: Token) -> Span | None:
    """Who speaks: the verb's subject, inherited from the governing clause ('..., saying that')."""
    subject = _clause_subject(verb)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN", "PRON") or not subject.text[:1].isalpha():
        return None
    if any(c.dep_ == "nummod" for c in subject.children):
        return None  # "seven lakh bales ... estimated": a quantity, not a speaker
    return _noun_phrase(subject)


def _speech_verb_above(tok: Token) -> Token | None:
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" and node.lemma_.lower() in SPEECH_LEMMAS:
            return node
    return None


def _speech_verb_beside(sent: Span) -> Token | None:
    """A speech verb hanging off the main clause ('..., he added')."""
    root = sent.root
    for child in root.children:
        if child.dep_ in ("parataxis", "advcl", "conj") and child.lemma_.lower() in SPEECH_LEMMAS:
            return child
    return root if root.lemma_.lower() in SPEECH_LEMMAS else None


def _previous_person(doc: Doc, before: int) -> Span | None:
    """The person a pronoun most likely refers to: the last person named as a subject, else the last named."""
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end_char <= before]
    subjects = [
        e for e in people if e.root.dep_ in ("nsubj", "nsubjpass") and e.sent.start_char >= _window(doc, before)
    ]
    return subjects[-1] if subjects else (people[-1] if people else None)


def _window(doc: Doc, before: int, sentences: int = 2) -> int:
    """Start offset of the sentences just before `before` (pronouns look back this far for subjects)."""
    starts = [s.start_char for s in doc.sents if s.start_char < before]
    return starts[-sentences - 1] if len(starts) > sentences else 0


def _full_name(span: Span) -> Span | None:
    """'Li' → the last full name ending in 'Li ...'/'... Li' named before it ('Li Qiang')."""
    if len(span) != 1 or span[0].pos_ != "PROPN":
        return None
    surname = span.text
    earlier = [
        e
        for e in span.doc.ents
        if e.label_ == "PERSON" and e.end_char <= span.start_char and len(e) > 1 and surname in (e[0].text, e[-1].text)
    ]
    return earlier[-1] if earlier else None


def speaker_span(sent: Span, anchor: Token | None) -> Span | None:
    """Who a statement in this sentence is attributed to: 'according to X', else the speech verb's subject."""
    verb = _speech_verb_above(anchor) if anchor is not None else None
    speaker = _speech_subject(verb) if verb is not None else None
    if speaker is None:
        speaker = _according_to(sent)
    if speaker is None:
        beside = _speech_verb_beside(sent)
        speaker = _speech_subject(beside) if beside is not None else None
    return speaker


def make_speaker(span: Span | None, resolve: SpeakerResolver | None) -> ActorRef | None:
    """An ActorRef for a speaker span: pronouns become the last person named before them."""
    if span is None:
        return None
    if span.root.lower_ in PRONOUNS:
        person = _previous_person(span.doc, span.start_char)
        if person is None:
            return None
        span = person
    text = span.text
    full = _full_name(span)
    ref = resolve(full.text) if resolve is not None and full is not None else None
    if ref is not None and (ref.actor_id or ref.name):
        return replace(ref, text=text)
    ref = resolve(text) if resolve is not None else None
    if ref is not None and (ref.actor_id or ref.name or ref.country):
        return replace(ref, text=text)
    return ActorRef(text=text)


# --- periods ------------------------------------------------------------------------------------


def _year_of(match: re.Match[str], anchor: dt.date | None) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    which = (groups.get("which") or "").lower()
    if anchor is None:
        return None
    if which in ("last year", "the previous year"):
        return anchor.year - 1
    if which == "next year":
        return anchor.year + 1
    return anchor.year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _bounds(kind: str, match: re.Match[str], anchor: dt.date | None) -> tuple[dt.date, dt.date] | None:
    year = _year_of(match, anchor)
    if kind == "month_range" and year is None and anchor is not None:
        year = anchor.year
    if year is None:
        return None
    g = match.groupdict()
    if kind == "first_months":
        n = int(parse_number(g["n"]) or 0)
        return (dt.date(year, 1, 1), _month_end(year, n)) if 1 <= n <= 12 else None
    if kind == "quarter":
        q = ["first", "second", "third", "fourth"].index(g["q"].lower())
        return dt.date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3)
    if kind == "half":
        h = ["first", "second"].index(g["h"].lower())
        return dt.date(year, 6 * h + 1, 1), _month_end(year, 6 * h + 6)
    if kind in ("month_range", "month"):
        m1 = MONTHS[g["m1"].lower().rstrip(".")]
        m2 = MONTHS[g["m2"].lower().rstrip(".")] if g.get("m2") else m1
        return dt.date(year, m1, 1), _month_end(year, m2)
    if kind == "to_date":
        return (dt.date(anchor.year, 1, 1), anchor) if anchor else None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def find_period(sentence: str, figure_at: int) -> tuple[str, str] | None:
    """(kind, text) of the period a figure refers to: the nearest period expression that is not a base."""
    found: list[tuple[int, int, str, str]] = []
    for kind, pattern in PERIOD_PATTERNS:
        for m in pattern.finditer(sentence):
            if _BASE_BEFORE.search(sentence[: m.start()]):
                continue
            if any(m.start() < end and start < m.end() for start, end, _, _ in found):
                continue  # inside a more specific expression already found
            found.append((m.start(), m.end(), kind, m.group(0).strip()))
    if not found:
        return None
    _, _, kind, text = min(found, key=lambda f: min(abs(f[0] - figure_at), abs(f[1] - figure_at)))
    return kind, text


def resolve_period(kind: str, text: str, anchor: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Dates of a period expression found by `find_period`, against the anchor date."""
    pattern = dict(PERIOD_PATTERNS)[kind]
    match = pattern.search(text)
    return _bounds(kind, match, anchor) if match else None


def period_of_text(text: str, anchor: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Dates of a period text such as 'the first four months of this year' (None if unknown)."""
    found = find_period(text, 0)
    return resolve_period(found[0], found[1], anchor) if found else None


def period_kind(text: str) -> str | None:
    """The kind of a period text `find_period` returned: the pattern matching most of it from its start."""
    matches = [(m.end(), -i, kind) for i, (kind, pattern) in enumerate(PERIOD_PATTERNS) if (m := pattern.match(text))]
    return max(matches)[2] if matches else None


def resolve_claim_period(claim: Claim, anchor: dt.date | None) -> Claim:
    """A copy of a claim with its period dates resolved from its period text against `anchor`.

    The dates are those extraction with that anchor gives (`resolve_period` of the same kind and
    text), so an undated article's claims take its inferred date, or lose an earlier one, without
    the article being parsed again.
    """
    kind = period_kind(claim.period_text) if claim.period_text else None
    if kind is None or claim.period_text is None:
        return claim
    bounds = resolve_period(kind, claim.period_text, anchor)
    return replace(claim, period_start=bounds[0] if bounds else None, period_end=bounds[1] if bounds else None)


# --- extraction ---------------------------------------------------------------------------------


def _claim_id(article_id: str, start: int, text: str) -> str:
    return hashlib.sha1(f"{article_id}:{start}:{text}".encode()).hexdigest()[:16]


def _sentence_figures(sent: Span) -> list[Figure]:
    money = _money_figures(sent.text, sent.start_char)
    taken = [(f.start, f.end) for f in money]
    percents = [p for p in _percent_figures(sent.text, sent.start_char) if not _overlaps(p, taken)]
    taken += [(f.start, f.end) for f in percents]
    counts = _count_figures(sent, taken)
    return sorted(money + percents + counts, key=lambda f: f.start)


def _overlaps(figure: Figure, spans: list[tuple[int, int]]) -> bool:
    return any(figure.start < e and s < figure.end for s, e in spans)


def _conversion_of(figure: Figure, previous: Figure | None, text: str) -> bool:
    """'$190 billion in 2022 (991.2 billion reais)': a bracketed amount right after another one."""
    if previous is None or figure.kind != "money" or previous.kind != "money":
        return False
    gap = re.sub(r"\b(?:19|20)\d\d\b", "", text[previous.end : figure.start])
    return bool(re.fullmatch(r"[^()\d;.]{0,25}\(\s*", gap))


class _SentenceContext:
    """What all figures of one sentence share: speaker span, countries, dyad."""

    def __init__(self, sent: Span, dyad: tuple[str, ...], resolve: SpeakerResolver | None) -> None:
        self.sent = sent
        self.dyad = dyad
        self.resolve = resolve
        source = _according_to(sent)
        exclude = [(source.start_char, source.end_char)] if source is not None else []
        self.countries = _sentence_countries(sent, exclude, resolve)


def _claim_for(
    figure: Figure,
    context: _SentenceContext,
    article: Article,
    anchor: dt.date | None,
    converts: Claim | None,
) -> Claim:
    sent = context.sent
    doc = sent.doc
    claim_id = _claim_id(article.article_id, figure.start, figure.text)
    if converts is not None:
        return replace(
            converts,
            claim_id=claim_id,
            value=figure.value,
            unit=figure.unit,
            text=figure.text,
            converted_from=converts.claim_id,
        )
    measure, verb = _figure_measure(doc, figure)
    period = find_period(sent.text, figure.start - sent.start_char)
    bounds = resolve_period(period[0], period[1], anchor) if period else None
    speaker = speaker_span(sent, _figure_root(doc, figure) or verb)
    subject = measure if figure.kind == "count" else subject_key(measure, context.countries, context.dyad)
    return Claim(
        claim_id=claim_id,
        article_id=article.article_id,
        kind=figure.kind,
        value=figure.value,
        unit=figure.unit,
        text=figure.text,
        sentence=sent.text,
        start=sent.start_char,
        end=sent.end_char,
        subject=subject,
        period_start=bounds[0] if bounds else None,
        period_end=bounds[1] if bounds else None,
        period_text=period[1] if period else None,
        is_change=figure.is_change,
        speaker=make_speaker(speaker, context.resolve),
    )


def extract_claims(
    doc: Doc,
    article: Article,
    resolve_speaker: SpeakerResolver | None = None,
    anchor: dt.date | None = None,
    events: Sequence[Event] | None = None,
) -> tuple[list[Claim], list[Quote]]:
    """Claims (money, percent, count) and direct quotes of a parsed article.

    `doc` must be the parse of `article.text`. `resolve_speaker` (e.g. the actor
    resolver's `resolve_text`) resolves speakers and country names; `anchor` dates
    relative periods when the article has no publication date (else `published` is
    used); `events` give the article's main country dyad for subjects.
    """
    anchor = anchor or article.published
    dyad = main_dyad(doc, events, resolve_speaker)
    text = doc.text  # spaCy joins every token on each access: once per article
    claims: list[Claim] = []
    for sent in doc.sents:
        context = _SentenceContext(sent, dyad, resolve_speaker)
        previous: tuple[Figure, Claim] | None = None
        for figure in _sentence_figures(sent):
            converts = previous[1] if previous and _conversion_of(figure, previous[0], text) else None
            claim = _claim_for(figure, context, article, anchor, converts)
            claims.append(claim)
            previous = (figure, claim)
    return claims, extract_quotes(doc, article, resolve_speaker)


# --- quotes -------------------------------------------------------------------------------------

_QUOTE_CHARS = re.compile(r"[“”\"«»]")
MIN_QUOTE_WORDS = 5


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of quoted passages, quote marks excluded; curly, straight and guillemet quotes."""
    spans = []
    marks = [(m.start(), m.group(0)) for m in _QUOTE_CHARS.finditer(text)]
    i = 0
    while i < len(marks) - 1:
        pos, mark = marks[i]
        close_pos, close = marks[i + 1]
        opening = mark in "“«" or (mark == '"' and (pos == 0 or not text[pos - 1].isalnum()))
        closes = close in '”»"' or (close == "“" and (close_pos + 1 == len(text) or not text[close_pos + 1].isalnum()))
        if opening and closes and "\n" not in text[pos:close_pos]:
            spans.append((pos + 1, close_pos))
            i += 2
        else:
            i += 1
    return spans


def _is_quotation(text: str) -> bool:
    n_words = len(text.split())
    return n_words >= MIN_QUOTE_WORDS or (n_words >= 3 and text.rstrip()[-1:] in ".!?,")


def _quote_speaker(doc: Doc, start: int, end: int) -> Span | None:
    """Subject of the nearest speech verb outside the quote, in the sentences around it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sentences = list(dict.fromkeys(t.sent for t in (span[0], span[-1])))
    last = sentences[-1]
    if last.end < len(doc) and last.end_char - end <= 3 and len(doc[last.end].sent) <= 12:
        sentences.append(doc[last.end].sent)  # '“...” \n He said so.'
    verbs = [
        t
        for s in sentences
        for t in s
        if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_LEMMAS and not start <= t.idx < end
    ]
    for verb in sorted(verbs, key=lambda t: min(abs(t.idx - start), abs(t.idx - end))):
        subject = _speech_subject(verb)
        if subject is not None and not start <= subject.start_char < end:
            return subject
    for sent in sentences:
        source = _according_to(sent)
        if source is not None:
            return source
    return None


def extract_quotes(doc: Doc, article: Article, resolve_speaker: SpeakerResolver | None = None) -> list[Quote]:
    """Direct quotations with their speakers (quotes of fewer than five words are taken as scare quotes)."""
    quotes = []
    document = doc.text  # spaCy joins every token on each access: once per article
    for start, end in quote_spans(document):
        if not _is_quotation(document[start:end].strip()):
            continue
        speaker = make_speaker(_quote_speaker(doc, start, end), resolve_speaker)
        quote_id = _claim_id(article.article_id, start, "quote")
        quotes.append(Quote(quote_id, article.article_id, document[start:end], start, end, speaker))
    return quotes


# --- reconciliation -----------------------------------------------------------------------------

_QUALIFIER = re.compile(rf"^\s*(?P<q>{APPROX_WORDS})\s+", re.I)
_DIGITS = re.compile(_NUM)
QUALIFIER_KIND = {
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "nearly": "below",
    "almost": "below",
    "close to": "below",
    "just under": "below",
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "above",
    "just over": "above",
    "upwards of": "above",
    "in excess of": "above",
    "less than": "under",
    "fewer than": "under",
    "under": "under",
    "below": "under",
    "at most": "under",
    "up to": "under",
}


@dataclass
class _Reading:
    """A claim's figure as a range of values it is consistent with."""

    claim: Claim
    low: float
    high: float
    number: str
    qualifier: str | None

    @property
    def width(self) -> float:
        return self.high - self.low


def _rounding(number: str, scale: float) -> tuple[float, float]:
    """Half a unit of the last written digit, and of the last non-zero digit (for 'about 70')."""
    digits = number.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    exact = 0.5 * 10 ** (-decimals) * scale
    if decimals:
        return exact, exact
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped) if stripped else 0
    return exact, 0.5 * 10**zeros * scale


def reading(claim: Claim) -> _Reading:
    """The range of true values a figure's wording allows."""
    q = _QUALIFIER.match(claim.text)
    qualifier = QUALIFIER_KIND.get(q.group("q").lower()) if q else None
    number_match = _DIGITS.search(claim.text)
    number = number_match.group(0) if number_match else str(abs(claim.value))
    written = parse_number(number) or abs(claim.value) or 1.0
    scale = abs(claim.value) / written if written else 1.0
    exact, loose = _rounding(number, scale)
    value = abs(claim.value)
    low, high = value - exact, value + exact
    if qualifier == "about":
        spread = max(exact, min(loose, 0.05 * value))
        low, high = value - spread, value + spread
    elif qualifier == "below":
        low = value - max(exact, 0.05 * value)
    elif qualifier == "above":
        high = value + max(exact, min(2 * loose, 0.25 * value))
    elif qualifier == "under":
        low = value - max(exact, 0.25 * value)
    if claim.value < 0:
        low, high = -high, -low
    return _Reading(claim, low, high, number, qualifier)


def _describe(a: _Reading, b: _Reading) -> str:
    base = min(abs(a.claim.value), abs(b.claim.value)) or 1.0
    diff = abs(a.claim.value - b.claim.value) / base * 100
    return f"{a.number} vs {b.number}: differ by {diff:.1f}%"


def judge(readings: list[_Reading]) -> tuple[Literal["agree", "disagree"], str]:
    """Agree when one value fits every figure's range; else name the most precise figure's conflict."""
    if len(readings) < 2:
        return "agree", "single report"
    if max(r.low for r in readings) <= min(r.high for r in readings):
        if len({r.claim.value for r in readings}) == 1:
            wordings = ", ".join(sorted({f"'{r.claim.text}'" for r in readings}))
            return "agree", f"all {len(readings)} report {readings[0].number} ({wordings})"
        spread = sorted(readings, key=lambda r: r.width)
        return "agree", f"{_describe(spread[0], spread[-1])}, within rounding of '{spread[-1].claim.text}'"
    reference = min(readings, key=lambda r: r.width)
    conflicts = [r for r in readings if r.low > reference.high or r.high < reference.low]
    if not conflicts:
        conflicts = [max(readings, key=lambda r: abs(r.claim.value - reference.claim.value))]
    other = max(conflicts, key=lambda r: abs(r.claim.value - reference.claim.value))
    return "disagree", f"{_describe(reference, other)}, beyond rounding of '{other.claim.text}'"


def _period_key(claim: Claim) -> str | None:
    if claim.period_start and claim.period_end:
        return f"{claim.period_start.isoformat()}..{claim.period_end.isoformat()}"
    return f"text:{claim.period_text.lower()}" if claim.period_text else None


def claim_group_id(claim: Claim, story_of: dict[str, str] | None) -> str | None:
    """Stable id of the group a claim is compared in (None: not compared, e.g. no subject)."""
    key = _group_key(claim, story_of)
    if key is None:
        return None
    return hashlib.sha1("|".join(str(part) for part in key).encode("utf-8")).hexdigest()[:12]


def _group_key(claim: Claim, story_of: dict[str, str] | None) -> tuple | None:
    if claim.subject is None or claim.converted_from is not None:
        return None
    story_bound = claim.kind == "count" or "|" not in claim.subject
    scope = story_of.get(claim.article_id, claim.article_id) if story_bound and story_of else None
    if story_bound and story_of is None:
        scope = claim.article_id if claim.kind == "count" else None
    return claim.subject, _period_key(claim), claim.kind, claim.is_change, claim.unit, scope


def reconcile_claims(
    claims: Iterable[Claim],
    story_of: dict[str, str] | None = None,
    outlets: dict[str, str | None] | None = None,
) -> list[ClaimGroup]:
    """Group claims by subject, period, kind, change-or-level and unit; judge agreement.

    Counts (and measures without countries) are only compared within a story
    (`story_of`; within an article when no stories are given). Conversions are left out.
    Largest groups first.
    """
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        key = _group_key(claim, story_of)
        if key is not None:
            groups[key].append(claim)
    out = []
    for (subject, period, kind, is_change, unit, _), members in groups.items():
        status, note = judge([reading(c) for c in members])
        article_ids = list(dict.fromkeys(c.article_id for c in members))
        out.append(
            ClaimGroup(
                subject=subject,
                period=period,
                kind=kind,
                is_change=is_change,
                unit=unit,
                members=members,
                status=status,
                note=note,
                sources=len({(outlets or {}).get(a) or f"article:{a}" for a in article_ids}),
                story_ids=sorted({story_of[a] for a in article_ids if a in story_of}) if story_of else [],
            )
        )
    return sorted(out, key=lambda g: (-len(g.members), g.subject, g.period or ""))
