"""Word lists and tables that claims are read with, and the actor lookup they are resolved with."""

from __future__ import annotations

from collections.abc import Callable

from eventwire.records import ActorRef

#: Looks a speaker or place phrase up as an actor (e.g. the actor resolver's `resolve_text`): speakers and countries.
ActorLookup = Callable[[str], ActorRef | None]


def word_set(text: str) -> frozenset[str]:
    """A word set from a space-separated list."""
    return frozenset(text.split())


def word_table(text: str) -> dict[str, str]:
    """A mapping from 'key=VALUE' items separated by semicolons (keys may contain spaces)."""
    pairs = (item.rsplit("=", 1) for item in text.split(";") if item.strip())
    return {key.strip(): value.strip() for key, value in pairs}


#: Nouns that only say "how much" of something else ("the amount of trade", "trade flow").
GENERIC_MEASURES = word_set("amount volume value level scale total figure flow number size sum turnover worth")
#: Words of the figure itself, never what is measured.
UNIT_WORDS = word_set("percent cent per pc point points")
#: Nouns that describe a change of something else ("the increase in trade").
CHANGE_NOUNS = word_set("increase rise growth jump decline drop decrease fall gain surge")
#: Nouns that name the parties of a measure rather than the measure ("trade between the two countries").
PARTICIPANT_NOUNS = word_set("country nation side state partner economy neighbour neighbor government")
MEASURE_SYNONYMS = word_table("shipment=supply; delivery=supply; supplies=supply; trading=trade; commerce=trade")
#: Measures between two parties: a single named country is completed with the article's dyad.
RELATIONAL_MEASURES = word_set("trade export import supply investment sale purchase aid loan deal contract exchange")
SPEECH_LEMMAS = word_set(
    "say tell add note stress announce declare state claim report point explain warn insist reply "
    "respond comment write estimate predict underline emphasize emphasise assert acknowledge confirm "
    "reveal argue remark observe disclose tout highlight assume believe suggest recall plead urge call "
    "tweet ask"
)
PRONOUNS = word_set("he she they it we i you him her them this that which who")
RELATIVE_PRONOUNS = word_set("which that who")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
#: Short names and nationality words that ISO names do not cover (used without an actor resolver).
COMMON_COUNTRY_NAMES = word_table(
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
