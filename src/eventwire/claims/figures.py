"""Figures in a sentence: money amounts (ISO 4217 currency), percentages and changes, counts of things."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from eventwire.claims.vocabulary import word_set, word_table
from eventwire.records import ClaimKind

APPROX_WORDS = (
    "about|around|nearly|almost|roughly|approximately|some|over|more than|less than|fewer than|under|below|"
    "above|at least|at most|up to|close to|just over|just under|upwards of|in excess of|"
    "an estimated|estimated"
)
_APPROX = rf"(?:(?P<approx>{APPROX_WORDS})\s+)?"
NUMBER_PATTERN = r"\d{1,3}(?:,\d{2})*,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"  # 5,000 / 12,50,000 (lakh grouping) / 73.15
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "trillion": 1e12, "tn": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
}  # fmt: skip
_SCALE = r"trillion|billion|million|thousand|crores?|lakhs?|bn|mn|tn"
CURRENCY_SYMBOLS = word_table(
    "us$=USD; u.s.$=USD; $=USD; usd=USD; €=EUR; eur=EUR; £=GBP; gbp=GBP; ¥=JPY; jpy=JPY; ₹=INR; "
    "rs=INR; rs.=INR; inr=INR; ₽=RUB; rub=RUB; r$=BRL; brl=BRL; a$=AUD; c$=CAD; hk$=HKD; s$=SGD; "
    "nz$=NZD; cny=CNY; rmb=CNY; chf=CHF"
)
_SYMBOL = (
    r"US\$|U\.S\.\$|A\$|C\$|HK\$|S\$|NZ\$|R\$|\$|€|£|¥|₹|₽|\bRs\.?"
    r"|\b(?:INR|USD|EUR|GBP|JPY|CNY|RMB|RUB|BRL|CHF)\b"
)
CURRENCY_WORDS = word_table(
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
    rf"{_APPROX}(?:(?P<symbol>{_SYMBOL})\s?(?P<num1>{NUMBER_PATTERN})(?:\s?(?P<scale1>{_SCALE})\b)?"
    rf"(?:\s+(?P<word1>{_CURRENCY_WORD}))?|(?P<num2>{NUMBER_PATTERN})(?:\s?(?P<scale2>{_SCALE}))?\s+(?P<word2>{_CURRENCY_WORD}))",
    re.I,
)
PERCENT_RE = re.compile(
    rf"{_APPROX}(?P<num>{NUMBER_PATTERN})\s?(?P<unit>%|per\s?cent\b|percentage points?\b|pc\b)", re.I
)
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
DECREASE_WORDS = word_set(
    "down drop dropped decline declined decrease decreased decreases fell fall fallen plunge plunged "
    "slump slumped shrank shrunk contract contracted cut lower less"
)
COUNT_EXCLUDED_NOUNS = word_set(
    "percent per cent point points time times year years month months week weeks day days hour hours "
    "minute minutes second seconds am pm km kg"
)
#: People counted in news (spelled-out small numbers count only for these).
PERSON_NOUNS = word_set(
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


def sentence_figures(sent: Span) -> list[Figure]:
    money = _money_figures(sent.text, sent.start_char)
    taken = [(f.start, f.end) for f in money]
    percents = [p for p in _percent_figures(sent.text, sent.start_char) if not _overlaps(p, taken)]
    taken += [(f.start, f.end) for f in percents]
    counts = _count_figures(sent, taken)
    return sorted(money + percents + counts, key=lambda f: f.start)


def _overlaps(figure: Figure, spans: list[tuple[int, int]]) -> bool:
    return any(figure.start < e and s < figure.end for s, e in spans)


def is_conversion(figure: Figure, previous: Figure | None, text: str) -> bool:
    """'$190 billion in 2022 (991.2 billion reais)': a bracketed amount right after another one."""
    if previous is None or figure.kind != "money" or previous.kind != "money":
        return False
    gap = re.sub(r"\b(?:19|20)\d\d\b", "", text[previous.end : figure.start])
    return bool(re.fullmatch(r"[^()\d;.]{0,25}\(\s*", gap))
