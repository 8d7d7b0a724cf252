"""Words the actor resolver reads mentions with: titles and their fallbacks and sectors, fillers,
pronouns, stop keys, and the limits of phrase scanning and fuzzy matching.
"""

from __future__ import annotations

import datetime as dt

#: Titles tried in turn when a title has no holder (a UK "foreign secretary" is its foreign minister).
TITLE_FALLBACKS: dict[str, tuple[str, ...]] = {
    "foreign secretary": ("foreign minister",),
    "foreign minister": ("high representative",),
    "chancellor": ("finance minister",),
    "army chief": ("chief of the general staff", "commander-in-chief"),
    "chief of the general staff": ("chief of the defence staff", "commander-in-chief", "army chief"),
    "chief of the defence staff": ("chief of the general staff", "commander-in-chief"),
    "commander-in-chief": ("chief of the general staff", "army chief"),
    "vice premier": ("first vice premier", "deputy prime minister"),
    "deputy prime minister": ("first deputy prime minister", "first vice premier", "vice premier"),
    "central bank governor": ("president",),
    "president": ("acting president",),
    "king": ("emir", "emperor", "queen"),
    "queen": ("king",),
}
#: Sector of a title when its holder is unknown.
TITLE_SECTORS: dict[str, str] = {
    "chief of the general staff": "MIL", "chief of the defence staff": "MIL", "army chief": "MIL",
    "commander-in-chief": "MIL", "intelligence chief": "SPY", "speaker": "LEG", "opposition leader": "OPP",
    "pope": "REL",
}
#: Titles naming the head of an international organisation ("UN chief", "NATO head").
ORG_HEAD_TITLES = ("secretary-general", "president", "director-general", "managing director", "chairperson",
                   "executive director", "high commissioner for refugees",
                   "high commissioner for human rights", "humanitarian chief", "commissioner-general",
                   "prosecutor", "high representative")
#: Titles that say nothing about the sector unless a country or organisation comes with them.
GENERIC_TITLES = {"leader", "chairperson", "president", "director-general", "managing director",
                  "executive director", "secretary-general", "spokesperson", "general secretary", "speaker"}
#: Abbreviated titles before a name.
TITLE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gen": "general", "lt": "lieutenant",
                       "col": "colonel", "maj": "major", "adm": "admiral", "gov": "governor",
                       "pres": "president", "amb": "ambassador", "capt": "captain", "sgt": "sergeant",
                       "brig": "brigadier", "cmdr": "commander"}
ABBREVIATION_SECTORS = {"senator": "LEG", "representative": "LEG", "general": "MIL", "lieutenant": "MIL",
                        "colonel": "MIL", "major": "MIL", "admiral": "MIL", "captain": "MIL",
                        "sergeant": "MIL", "brigadier": "MIL", "commander": "MIL", "governor": "GOV",
                        "ambassador": "GOV"}
FORMER_WORDS = {"former", "ex", "retired", "late", "erstwhile", "onetime", "ousted", "deposed"}
LEADING_FILLERS = {"the", "a", "an", "some", "several", "many", "few", "numerous", "various", "both", "all",
                   "each", "any", "other", "another", "this", "that", "these", "those", "its", "his", "her",
                   "their", "our", "your", "my", "of", "dozens", "hundreds", "thousands", "scores", "more",
                   "than", "about", "around", "nearly", "over", "at", "least", "one", "two", "three", "four",
                   "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "fifty",
                   "hundred", "thousand", "million", "current", "new", "top", "senior", "largest", "biggest",
                   "main", "leading", "prominent", "ordinary", "local", "unnamed", "unidentified", "heavily",
                   "armed", "team", "group", "number", "members", "member", "majority", "handful", "pair"}
#: Fillers that also start names when capitalised before another capitalised word ('New York', 'New Delhi').
NAME_STARTS = {"new"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "who", "which", "this",
            "that", "these", "those", "one", "someone", "anyone", "everyone", "nobody", "yesterday", "today"}
PREPOSITIONS = {"of", "in", "from", "at", "for", "with", "on", "to", "by", "near", "across", "against"}
STOP_KEYS = {"us", "it", "who", "is", "am", "an", "as", "at", "be", "do", "he", "if", "in", "me", "my", "no",
             "of", "on", "or", "so", "to", "up", "we", "all", "and", "are", "but", "can", "for", "had",
             "has", "her", "him", "his", "how", "its", "may", "new", "not", "now", "one", "our", "out",
             "see", "she", "the", "too", "two", "was", "way", "why", "you", "man", "men", "war", "sun",
             "guard", "ice"}
#: Words saying a country backs a group rather than owns it ("Iran-backed Houthi rebels").
SPONSOR_WORDS = {"backed", "supported", "sponsored", "funded", "armed", "allied", "aligned", "linked", "pro"}
#: Titles that belong to one place whatever the mention says ("the Pope").
TITLE_SCOPES = {"pope": "VAT"}
#: Capitalised words that continue a place name rather than a person's ("Kano State", "Gaza City").
PLACE_WORDS = {"state", "province", "region", "city", "county", "district", "governorate", "oblast",
               "republic", "island", "islands", "mountains", "river", "valley", "airport", "port", "square",
               "strip", "bay", "coast", "north", "south", "east", "west", "central", "northern", "southern",
               "eastern", "western", "metropolitan", "municipal", "regional", "provincial", "greater"}
#: Countries whose personal names put the family name first (surname memory uses the first token).
FAMILY_NAME_FIRST = {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "KHM", "SGP"}
#: Dictionary entries older than this are less trustworthy for later dates.
PHOENIX_HORIZON = dt.date(2016, 12, 31)
MAX_PHRASE_TOKENS = 9
FUZZY_FULL_CUTOFF = 86.0
FUZZY_SURNAME_CUTOFF = 88.0
#: Role nouns and groups the agent dictionaries lack, by CAMEO sector; words that are also adjectives
#: ("liberal", "local", "communist") only in the plural, so that "Communist China" stays China.
#: A nationality before them gives the country ("Irish critics"), else the actor has none.
GENERIC_ROLE_NOUNS: dict[str, tuple[str, ...]] = {
    "OPP": ("critic", "critics", "opponent", "opponents", "detractors", "anti-war activists",
            "anti-war protesters", "pro-democracy activists", "anti-government protesters", "marchers"),
    "PTY": ("leftists", "rightists", "left parties", "conservatives", "liberals", "socialists", "communists",
            "party worker", "party workers", "party cadres", "opposition politician", "opposition politicians"),
    "CVL": ("individuals", "locals", "spectators", "fans", "supporters", "volunteers", "tribesman", "tribesmen",
            "pedestrians", "motorists", "homeowners", "consumers", "parents", "pensioners", "householders",
            "community leaders", "village elders"),
    "CRM": ("hooligan", "hooligans", "goons", "attacker", "attackers", "stone-pelters"),
    "LAB": ("staff", "staffers", "workforce", "miners", "dockworkers", "labourers", "truckers", "taxi drivers",
            "bus drivers", "railway workers", "trade unionist", "trade unionists", "teachers union",
            "teachers' union"),
    "MIL": ("armyman", "armymen", "jawan", "jawans", "trooper"),
    "GOV": ("heads of state", "heads of government", "world leaders", "county commission", "city council",
            "municipal council", "local authority", "local authorities", "district administration",
            "district magistrate"),
    "HLH": ("health expert", "health experts", "health authorities", "public health experts",
            "public health officials", "epidemiologist", "epidemiologists", "virologist", "virologists",
            "health care workers", "healthcare workers"),
    "EDU": ("educationist", "educationists", "vice-chancellor", "think tank", "think-tank"),
    "NGO": ("anti-war group", "anti-war groups", "peace group", "peace groups", "advocacy group",
            "advocacy groups", "campaign group", "campaign groups", "pressure group", "pressure groups",
            "environmental group", "environmental groups", "civil rights group", "civil rights groups",
            "watchdog", "watchdogs", "activist group", "activist groups", "relief agency", "relief agencies"),
    "REF": ("evacuees",),
    "MED": ("newsmen", "news channel", "news channels"),
}
#: Party nicknames standing for one country's party members ("Republicans", "Tories"), capitalised only.
PARTY_NICKNAMES: dict[str, str] = {
    "republicans": "USA", "democrats": "USA", "gop": "USA", "tories": "GBR", "tory": "GBR",
}
#: Nouns naming an attack or its weapon. As the agent of a harm ("a car bomb killed ...", "killed in a
#: suicide bombing", "hit by gunfire") they stand for its unknown perpetrators; a modifier naming an actor
#: ("police firing", "an Israeli air strike") names the perpetrator.
ATTACK_NOUNS = frozenset({
    "bomb", "bombs", "car bomb", "roadside bomb", "suicide bomb", "bombing", "bombings", "car bombing",
    "suicide bombing", "explosion", "explosions", "blast", "blasts", "explosive device", "ied", "ieds",
    "landmine", "landmines", "grenade", "grenades", "rocket", "rockets", "missile", "missiles", "mortar",
    "mortars", "shell", "shells", "shelling", "gunfire", "firing", "shooting", "shootout", "crossfire",
    "sniper fire", "artillery fire", "air strike", "air strikes", "airstrike", "airstrikes", "air raid",
    "air raids", "drone strike", "drone strikes", "attack", "attacks", "ambush", "raid", "raids", "stabbing",
})
