"""Rule coding of predicates: CAMEO codes proposed by the verb dictionary and the rules that turn them.

Verb patterns compiled from the PETRARCH2 dictionary (`tables`) propose codes; negation and modality
turn or drop them ("did not condemn" -> nothing, "will meet" -> 036 express intent to meet); governing
verbs turn their complement's act into an intent, appeal, demand, refusal or threat ("urged X to
release" -> 0253); undoing verbs ease or halt what their object names ("lifted the embargo" -> 081).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from eventwire.events.tables import (
    NO_EVENT,
    PREPOSITIONS,
    CodingTables,
    VerbEntry,
    VerbPattern,
    cameo_root,
    conflibert_class,
    normalize_word,
    normalized_words,
)
from eventwire.records import Predicate

#: Verbs whose open complement is the act they announce, appeal for, refuse or threaten.
INTENT_VERBS = frozenset({
    "pledge", "promise", "vow", "plan", "intend", "agree", "offer", "decide", "aim", "commit",
    "undertake", "volunteer", "prepare", "expect", "hope", "seek", "want", "wish", "propose", "resolve",
    "swear"
})  # fmt: skip
APPEAL_VERBS = frozenset({
    "urge", "appeal", "ask", "request", "call", "encourage", "invite", "plead", "implore", "exhort",
    "advise", "recommend", "beg"
})  # fmt: skip
DEMAND_VERBS = frozenset({
    "demand", "insist", "order", "press", "require", "instruct", "command"
})  # fmt: skip
#: Verbs that only ask (not 'call', 'press', 'order', which have other senses): whatever they
#: name is what is asked for.
REQUESTING_VERBS = frozenset({
    "urge", "appeal", "ask", "request", "plead", "implore", "exhort", "beg", "demand", "insist", "require"
})  # fmt: skip
#: CAMEO roots of requests: appeals (02) and demands (10); statements (01) stay what they are.
REQUEST_ROOTS = {"01", "02", "10"}
REJECT_VERBS = frozenset({"refuse", "reject", "decline", "resist", "veto", "balk"})  # fmt: skip
THREAT_VERBS = frozenset({"threaten", "warn"})  # fmt: skip
#: Verbs that cancel their complement: "refrained from condemning", "failed to agree".
NEGATING_VERBS = frozenset({"refrain", "fail", "avoid", "neglect", "cease"})  # fmt: skip
#: Verbs that are never events on their own: no back-off to the classifier for them.
NON_EVENT_VERBS = frozenset({
    "be", "have", "do", "include", "become", "remain", "seem", "know", "think", "get", "need", "like",
    "mean", "contain", "involve", "exist", "believe", "feel", "see", "look", "appear", "happen",
    "occur", "live", "die", "come", "go", "make", "take", "put", "use"
})  # fmt: skip
#: Auxiliaries and negation that can precede the verb in a predicate's text (normalized).
AUXILIARY_WORDS = frozenset({
    "will", "shall", "would", "could", "should", "might", "may", "must", "can", "do", "doe", "did",
    "ha", "have", "had", "be", "been", "being", "wa", "were", "is", "are", "am", "not", "n't", "never",
    "to", "going"
})  # fmt: skip
#: Adjectives that make "be" an intent governor: "is willing/ready to send troops".
ADJECTIVAL_INTENT = frozenset({
    "willing", "ready", "prepared", "committed", "determined", "eager", "keen", "set", "poised"
})  # fmt: skip
#: spaCy's small model lemmatizes "hopes"/"hoped" as "hop".
LEMMA_REPAIRS = {"hop": "hope"}
#: CAMEO prefix of an act -> code of the intent to do it (longest prefix wins); acts of
#: material conflict become threats, as CAMEO codes announced violence.
INTENT_OF = {
    "04": "036", "045": "039", "046": "036", "05": "032", "057": "030",
    "06": "031", "061": "0311", "062": "0312", "063": "0313", "064": "0314",
    "07": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "08": "035", "081": "0351", "082": "0352", "083": "034", "0831": "0341", "0832": "0342",
    "0833": "0343", "0834": "0344", "084": "0353", "085": "0354", "086": "0355", "087": "0356",
}  # fmt: skip
THREAT_OF = {
    "14": "133", "15": "138", "16": "131", "161": "1313", "162": "1311", "163": "1312", "164": "134",
    "165": "135", "166": "136", "17": "132", "1721": "1321", "1722": "1322", "1723": "1323",
    "1724": "1324", "175": "137", "18": "138", "183": "1383", "19": "1384", "190": "138",
    "191": "1381", "192": "1382", "20": "138", "204": "1385",
}  # fmt: skip
APPEAL_OF = {
    "03": "020", "04": "026", "045": "028", "046": "026", "05": "022", "057": "027", "037": "027",
    "06": "021", "061": "0211", "062": "0212", "063": "0213", "064": "0214",
    "07": "023", "071": "0231", "072": "0232", "073": "0233", "074": "0234",
    "08": "025", "081": "0251", "082": "0252", "083": "024", "0831": "0241", "0832": "0242",
    "0833": "0243", "0834": "0244", "084": "0253", "085": "0254", "086": "0255", "087": "0256",
}  # fmt: skip
REJECT_OF = {
    "04": "125", "045": "126", "046": "125", "037": "127", "057": "127",
    "06": "121", "061": "1211", "062": "1212", "063": "1213", "064": "1214",
    "07": "122", "071": "1221", "072": "1222", "073": "1223", "074": "1224",
    "08": "124", "081": "1241", "082": "1242", "083": "123", "0831": "1231", "0832": "1232",
    "0833": "1233", "0834": "1234", "084": "1243", "085": "1244", "086": "1245", "087": "1246",
    # announced acts (03x): refusing what was to be done
    "031": "121", "0311": "1211", "0312": "1212", "0313": "1213", "0314": "1214", "033": "122",
    "0331": "1221", "0332": "1222", "0333": "1223", "0334": "1224", "034": "123", "0341": "1231",
    "0342": "1232", "0343": "1233", "0344": "1234", "035": "124", "0351": "1241", "0352": "1242",
    "0353": "1243", "0354": "1244", "0355": "1245", "0356": "1246", "036": "125", "038": "126",
    "039": "126",
}  # fmt: skip
# Confidence of rule codings before the classifier's opinion is blended in.
DEFAULT_CONFIDENCE = 0.6
NOUN_CONFIDENCE = 0.5
#: Verbs of handing back what was taken: with an object, CAMEO 0842 (return, release property), RETREAT.
RETURNING_VERBS = {"return", "repatriate", "restitute"}
RETURNED_PROPERTY = "0842"
#: Verbs and nouns of letting others act: allowing aid to be delivered is CAMEO 0863 (RETREAT).
PERMITTING_VERBS = {"allow", "permit"}
PERMISSION_NOUNS = {"approval", "permission", "access", "clearance", "authorization", "authorisation", "go-ahead"}
PERMITTED_AID = "0863"
#: Seeking or taking shelter is flight, not an act on another actor ('sought refuge in Bangladesh').
SHELTERING_VERBS = {"seek", "take", "find"}
SHELTER_NOUNS = {"refuge", "shelter", "sanctuary", "cover"}
#: Verbs that undo what their object imposed, and the CAMEO code of undoing each kind of restriction.
EASING_VERBS = {"lift", "ease", "end", "relax", "scrap", "remove", "cancel", "revoke", "rescind", "loosen"}
EASED_RESTRICTIONS = {
    "sanction": "081", "embargo": "081", "restriction": "081", "ban": "081", "boycott": "081", "tariff": "081",
    "curfew": "0813", "lockdown": "0813", "emergency": "0814", "blockade": "0872", "siege": "0872",
}  # fmt: skip
#: Verbs that stop or take back cooperation, and the CAMEO code of stopping each kind (16x).
HALTING_VERBS = {
    "suspend", "halt", "cut", "freeze", "stop", "end", "withdraw", "cancel", "sever", "break", "reduce",
    "downgrade", "expel", "recall", "postpone", "close", "shut",
}  # fmt: skip
HALTED_COOPERATION = {
    "aid": "162", "assistance": "162", "funding": "1621", "loan": "1621", "relation": "161", "tie": "161",
    "talk": "164", "negotiation": "164", "mediation": "165", "visit": "160", "cooperation": "160",
    "peacekeeper": "1661", "inspector": "1662", "observer": "1662", "monitor": "1662", "ambassador": "161",
    "envoy": "161", "diplomat": "161", "embassy": "161", "consulate": "161", "border": "160",
}  # fmt: skip
#: Kinds of aid (AID_NOUNS codes) and the CAMEO code of stopping each (162x): 'suspended food supplies' -> 1623.
STOPPED_AID = {"070": "162", "071": "1621", "072": "1622", "073": "1623", "074": "1661"}
UNDONE_CONFIDENCE = 0.6
STATEMENT_CONFIDENCE = 0.3
REPORTED_FACTOR = 0.75
DERIVED_FACTOR = 0.9


def _transform(code: str, table: dict[str, str], default: str | None) -> str | None:
    """Look a code up by its longest prefix in a transformation table."""
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return default


def intent_code(act: str) -> str:
    """The CAMEO code for announcing an act: 040 meet -> 036, 190 attack -> 138 threaten."""
    return _transform(act, INTENT_OF, None) or _transform(act, THREAT_OF, act) or act


def appeal_code(act: str) -> str:
    """The CAMEO appeal for an act: 084 release -> 0253, 040 meet -> 026."""
    return _transform(act, APPEAL_OF, "020") or "020"


def demand_code(act: str) -> str:
    """The CAMEO demand for an act: the 10x twin of the 02x appeal."""
    appeal = appeal_code(act)
    return "10" + appeal[2:]


def reject_code(act: str) -> str:
    """The CAMEO refusal of an act: 040 meet -> 125, 084 release -> 1243."""
    return _transform(act, REJECT_OF, "120") or "120"


def threat_code(act: str) -> str:
    """The CAMEO threat of an act: 163 sanction -> 1312, 190 attack -> 138."""
    return _transform(act, THREAT_OF, "130") or "130"


GOVERNOR_FAMILIES = (
    (INTENT_VERBS, "intent", intent_code),
    (APPEAL_VERBS, "appeal", appeal_code),
    (DEMAND_VERBS, "demand", demand_code),
    (REJECT_VERBS, "reject", reject_code),
    (THREAT_VERBS, "threat", threat_code),
)


@dataclass
class Candidate:
    """A code proposed by the rules, with its rule confidence and what produced it."""

    code: str
    confidence: float
    rule: str


@dataclass
class RuleCoding:
    """What the rules say about a predicate: candidate codes, "no event", or "verb unknown"."""

    status: str  # "coded", "no_event", "uncoded" (known verb, no code), "unknown" (verb not in dictionary)
    candidates: list[Candidate] = field(default_factory=list)
    lemma: str = ""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _no_event(lemma: str = "") -> RuleCoding:
    return RuleCoding("no_event", lemma=lemma)


def predicate_lemma(predicate: Predicate) -> str:
    """The predicate's lemma, lower-cased, with known lemmatizer slips repaired."""
    lemma = predicate.lemma.lower().strip()
    return LEMMA_REPAIRS.get(lemma, lemma)


def clause_context(predicate: Predicate) -> tuple[set[str], set[str]]:
    """Normalized words before and after the verb in its clause (after: plus particles, objects...)."""
    words = normalized_words(predicate.clause or predicate.text)
    head = _verb_word(predicate)
    if head in words:
        position = words.index(head)
        before, after = set(words[:position]), set(words[position + 1 :])
    else:
        before, after = set(words), set(words)
    extras = [*predicate.particles, *predicate.object_lemmas, *predicate.preps, *predicate.xcomp_lemmas]
    after.update(normalize_word(w) for extra in extras for w in extra.split())
    return before, after


def _verb_word(predicate: Predicate) -> str | None:
    """The verb itself in the predicate's text ("will not meet with" -> "meet")."""
    particles = {normalize_word(p) for p in predicate.particles}
    words = [w for w in normalized_words(predicate.text) if w not in AUXILIARY_WORDS]
    while len(words) > 1 and words[-1] in particles:
        words.pop()
    return words[-1] if words else None


def _generic_last(candidates: list[Candidate], modality: str) -> list[Candidate]:
    """Order tied candidates: specific codes before "not specified" ones (x0), and for realised
    acts, acts before announcements of intent (03x)."""

    def key(candidate: Candidate) -> tuple[bool, bool]:
        announced = candidate.code.startswith("03") and modality != "intent"
        generic = len(candidate.code) == 3 and candidate.code.endswith("0")
        return announced, generic

    return sorted(candidates, key=key)


def match_verb(
    entry: VerbEntry,
    before: set[str],
    after: set[str],
    modality: str = "asserted",
    own_preps: set[str] | None = None,
) -> RuleCoding:
    """The most specific dictionary patterns of a verb that match its clause, else its default.

    `own_preps`: the verb's own prepositions and particles, which patterns of prepositions alone need.
    Status "no_event": a pattern says the phrase is not an event; "uncoded": the verb alone
    carries no code and no pattern matched."""
    matches = [p for p in entry.patterns if p.matches(before, after) and _prepositions_fit(p, own_preps)]
    if matches:
        top = max(p.specificity for p in matches)
        best = [p for p in matches if p.specificity == top]
        if best[0].code == NO_EVENT:
            return _no_event(entry.lemma)
        confidence = min(0.9, 0.65 + 0.08 * top)
        candidates: list[Candidate] = []
        for pattern in best:
            if pattern.code != NO_EVENT and all(c.code != pattern.code for c in candidates):
                candidates.append(Candidate(pattern.code, confidence, f"pattern:{pattern.rule}"))
        return RuleCoding("coded", _generic_last(candidates, modality), entry.lemma)
    if entry.code:
        return RuleCoding("coded", [Candidate(entry.code, DEFAULT_CONFIDENCE, f"verb:{entry.lemma}")], entry.lemma)
    return RuleCoding("uncoded", lemma=entry.lemma)


def _prepositions_fit(pattern: VerbPattern, own_preps: set[str] | None) -> bool:
    """A pattern of prepositions alone ('welcome * (TO)', hosting) needs them on the verb itself, not
    in an infinitive ('welcomed the decision to build') or deep in a phrase."""
    if own_preps is None or pattern.before or not pattern.after:
        return True
    if not all(alternatives <= PREPOSITIONS for alternatives in pattern.after):
        return True
    return all(alternatives & own_preps for alternatives in pattern.after)


def own_prepositions(predicate: Predicate) -> set[str]:
    """The prepositions and particles of a clause verb (and of the complement it absorbed)."""
    return {normalize_word(word) for word in [*predicate.preps, *predicate.particles]}


def _with_code(candidates: list[Candidate], transform: Any, label: str) -> list[Candidate]:
    """Candidates mapped through a code transformation, deduplicated, confidence discounted."""
    out: list[Candidate] = []
    for candidate in candidates:
        code = transform(candidate.code)
        if all(c.code != code for c in out):
            out.append(Candidate(code, candidate.confidence * DERIVED_FACTOR, f"{label}({candidate.rule})"))
    return out


def _is_statement(coding: RuleCoding) -> bool:
    return coding.status == "coded" and all(c.code.startswith("01") for c in coding.candidates)


def _statement_confidence(candidates: list[Candidate]) -> list[Candidate]:
    return [replace(c, confidence=min(c.confidence, STATEMENT_CONFIDENCE)) if c.code.startswith("01") else c
            for c in candidates]  # fmt: skip


def code_by_rules(predicate: Predicate, tables: CodingTables) -> RuleCoding:
    """Rule coding of one predicate: dictionary patterns, governing verbs, negation, modality."""
    if predicate.modality == "hypothetical":
        return _no_event()
    lemma = predicate_lemma(predicate)
    before, after = clause_context(predicate)
    coding = _code_governed_act(lemma, predicate, tables, before, after)
    governed = coding is not None
    if coding is None:
        coding = _code_own_verb(lemma, predicate, tables, before, after)
    if predicate.negated:
        return _code_negated(coding, predicate)
    if coding.status != "coded":
        return coding
    if predicate.modality == "intent" and not governed and lemma not in INTENT_VERBS:
        coding.candidates = _with_code(coding.candidates, intent_code, "intent")
    if predicate.modality != "intent":
        coding.candidates = _as_realised(lemma, predicate, after, coding.candidates)
    coding.candidates = _statement_confidence(coding.candidates)
    if predicate.modality == "reported":
        coding.candidates = [replace(c, confidence=c.confidence * REPORTED_FACTOR) for c in coding.candidates]
    return coding


def codes_an_act(predicate: Predicate, tables: CodingTables) -> bool:
    """Whether the rules code a predicate as an act of any kind, whatever its modality or negation: 'said
    it would consider sending aid' weighs an act ('send'), as 'said the talks were useful' does not."""
    plain = replace(predicate, modality="asserted", negated=False)
    coding = code_by_rules(plain, tables)
    return coding.status == "coded" or (coding.status == "uncoded" and coding.lemma not in NON_EVENT_VERBS)


def _as_realised(lemma: str, predicate: Predicate, after: set[str], candidates: list[Candidate]) -> list[Candidate]:
    """The codes of an act that took place, where the verb patterns gave an intent or a neighbour: a held
    meeting is a consultation (040, not CAMEO's intent to meet, 036); a transfer takes the code of the aid
    it hands over ('provided $2 million in assistance'); a signed agreement is 057."""
    if lemma in MEETING_CODES:
        return [replace(c, code=MEETING_CODES[lemma]) if c.code == "036" else c for c in candidates]
    handed = _handed_over(lemma, after)
    if handed is not None and not candidates[0].rule.startswith("permitted"):
        return [replace(c, code=handed) for c in candidates[:1]]
    if _concludes_agreement(lemma, predicate, after):
        return [replace(c, code=SIGNED_AGREEMENT) for c in candidates[:1]]
    return candidates


def _concludes_agreement(lemma: str, predicate: Predicate, after: set[str]) -> bool:
    """Whether a clause concludes a formal agreement: 'signed/sealed/renewed a pact', 'agreed to a trade
    deal' (not 'agreed to a ceasefire', nor 'agreed to cooperate under the accord')."""
    if lemma in CONCLUDING_VERBS:
        return bool(AGREEMENT_NOUNS & {normalize_word(o) for o in predicate.object_lemmas})
    return lemma == "agree" and not predicate.xcomp_lemmas and bool(AGREEMENT_NOUNS & after)


def _permits_aid(lemma: str, predicate: Predicate, after: set[str]) -> bool:
    """Whether a clause lets others deliver aid: 'allowed humanitarian relief to the region', 'gave approval
    for the UN to deliver aid' (not 'authorized $1bn in assistance', which makes its own aid available)."""
    permits = lemma in PERMITTING_VERBS or (
        lemma in ("give", "grant") and bool(PERMISSION_NOUNS & {normalize_word(o) for o in predicate.object_lemmas})
    )
    return permits and any(word in AID_NOUNS or word == "humanitarian" for word in after)


def _handed_over(lemma: str, after: set[str]) -> str | None:
    """The aid code of what a transfer verb hands over ('sent food', 'provided loans'), if it is aid; verbs
    that only make aid available, of money or relief ('mobilised funds', not 'mobilised troops against weapons')."""
    if lemma in TRANSFER_VERBS:
        kinds = AID_NOUNS
    elif lemma in FUNDING_VERBS:
        kinds = {word: code for word, code in AID_NOUNS.items() if code in FUNDED_AID}
    else:
        return None
    codes = sorted((kinds[word] for word in after if word in kinds), key=lambda c: (c == "070", c))
    return codes[0] if codes else None  # the most specific kind of aid named


def dictionary_entry(tables: CodingTables, lemma: str) -> VerbEntry | None:
    """The dictionary entry of a verb; a verb it lacks that repeats a known one ("reunite",
    "reimpose", "re-open") takes that verb's entry."""
    entry = tables.verb(lemma)
    if entry is None and lemma.startswith("re") and len(lemma) > 5:
        entry = tables.verb(lemma[2:].lstrip("-"))
    return entry


def _code_own_verb(
    lemma: str, predicate: Predicate, tables: CodingTables, before: set[str], after: set[str]
) -> RuleCoding:
    """The verb's own coding; a verb without one may still name its event by its object ("renewed talks")."""
    if _permits_aid(lemma, predicate, after):  # 'allowed humanitarian relief', 'gave approval to deliver aid'
        return RuleCoding("coded", [Candidate(PERMITTED_AID, DEFAULT_CONFIDENCE, "permitted:aid")], lemma)
    if lemma in SHELTERING_VERBS and SHELTER_NOUNS & set(predicate.object_lemmas):
        return _no_event(lemma)  # 'sought refuge in Bangladesh': people fleeing, not a request to anyone
    undone = _undone_act(lemma, predicate)
    if undone is not None:
        return undone
    entry = dictionary_entry(tables, lemma)
    own = own_prepositions(predicate)
    coding = match_verb(entry, before, after, predicate.modality, own) if entry else RuleCoding("unknown", lemma=lemma)
    coding = _as_request(lemma, coding)
    light = coding.status in ("unknown", "uncoded")
    if light or _is_statement(coding):  # 'announced the deployment of troops', 'went on strike'
        for noun in [*predicate.object_lemmas, *(predicate.prep_object_lemmas if light else [])]:
            code = tables.event_noun(noun)
            if code and (light or not code.startswith("01")):  # 'expressed condolences' keeps the verb's 018
                return RuleCoding("coded", [Candidate(code, NOUN_CONFIDENCE, f"noun:{normalize_word(noun)}")], lemma)
    if light and lemma in RETURNING_VERBS and predicate.object_lemmas:  # 'returned the artifacts to Peru'
        return RuleCoding("coded", [Candidate(RETURNED_PROPERTY, DEFAULT_CONFIDENCE, f"returned:{lemma}")], lemma)
    return coding


def _as_request(lemma: str, coding: RuleCoding) -> RuleCoding:
    """A verb of asking codes what it asks for as the appeal or demand of it: the dictionary's 'urged
    sanctions' (1312, a threat) and 'demanded the arrest' (173) are requests (02x, 10x)."""
    family = next(((label, transform) for verbs, label, transform in GOVERNOR_FAMILIES[1:3] if lemma in verbs), None)
    if family is None or lemma not in REQUESTING_VERBS or coding.status != "coded":
        return coding
    label, transform = family
    candidates = [c if c.code[:2] in REQUEST_ROOTS else replace(c, code=transform(c.code), rule=f"{label}({c.rule})")
                  for c in coding.candidates]  # fmt: skip
    unique = [c for i, c in enumerate(candidates) if all(c.code != d.code for d in candidates[:i])]
    return RuleCoding("coded", unique, coding.lemma)


def halted_code(noun: str) -> str | None:
    """The CAMEO code of halting what a noun names (cooperation, relations, aid of any kind), else None."""
    if noun in HALTED_COOPERATION:
        return HALTED_COOPERATION[noun]
    return STOPPED_AID.get(AID_NOUNS.get(noun, ""))


def _undone_act(lemma: str, predicate: Predicate) -> RuleCoding | None:
    """An act that undoes what its object names: lifting a restriction eases it (CAMEO 081, 0813, 0814,
    0872: 'lifted the embargo', never imposing it); halting cooperation reduces relations (16x: 'suspended
    aid', 'broke off talks', 'expelled the inspectors')."""
    tables = ((EASING_VERBS, EASED_RESTRICTIONS.get, "eased"), (HALTING_VERBS, halted_code, "halted"))
    for verbs, undone, rule in tables:
        if lemma in verbs:
            codes = [code for code in (undone(noun) for noun in predicate.object_lemmas) if code]
            if codes:
                return RuleCoding("coded", [Candidate(codes[0], UNDONE_CONFIDENCE, f"{rule}:{codes[0]}")], lemma)
    return None


def _code_negated(coding: RuleCoding, predicate: Predicate) -> RuleCoding:
    """A negated act is no event, except CAMEO's refusals: "will not meet/lift/release" -> 12x."""
    if coding.status == "coded" and predicate.modality == "intent":
        cooperative = [c for c in coding.candidates if 3 <= cameo_root(c.code) <= 8]
        cooperative.sort(key=lambda c: c.code.startswith("03"))
        if cooperative:
            return RuleCoding("coded", _with_code(cooperative, reject_code, "not"), coding.lemma)
    return _no_event(coding.lemma)


def _governor_family(lemma: str, predicate: Predicate) -> tuple[str, Any] | None:
    """(label, transform) when the lemma governs its complement's act ("be" with "willing", "ready")."""
    if lemma == "be" and ADJECTIVAL_INTENT & set(predicate.object_lemmas):
        return "intent", intent_code
    return next(((label, transform) for verbs, label, transform in GOVERNOR_FAMILIES if lemma in verbs), None)


def _code_governed_act(
    lemma: str, predicate: Predicate, tables: CodingTables, before: set[str], after: set[str]
) -> RuleCoding | None:
    """ "pledged to support", "urged X to release", "refused to meet": code the complement's act
    and turn it into intent, appeal, demand, refusal or threat. None: not such a construction."""
    if not predicate.xcomp_lemmas:
        return None
    if lemma in NEGATING_VERBS:
        return _no_event(lemma)
    family = _governor_family(lemma, predicate)
    if family is None:
        return None
    label, transform = family
    for act_lemma in predicate.xcomp_lemmas:
        entry = dictionary_entry(tables, LEMMA_REPAIRS.get(act_lemma.lower(), act_lemma.lower()))
        act = match_verb(entry, before, after, own_preps=own_prepositions(predicate)) if entry else None
        if act is None or act.status != "coded":
            continue
        if _is_statement(act):
            if label == "reject":  # "declined to comment"
                return RuleCoding("coded", [Candidate("011", DEFAULT_CONFIDENCE, f"reject({act_lemma})")], lemma)
            continue
        candidates = [c for c in act.candidates if not c.code.startswith("01")]
        return RuleCoding("coded", _with_code(candidates, transform, label), lemma)
    return None


def rule_class(codings: Sequence[RuleCoding]) -> tuple[int, str] | None:
    """The rules' verdict on a sentence: (ConfliBERT class, CAMEO code) of its most telling
    predicate (the first non-statement coding, else a statement), None if nothing codes."""
    coded = [c.best for c in codings if c.status == "coded" and c.best]
    if not coded:
        return None
    event = next((c for c in coded if not c.code.startswith("01")), coded[0])
    return conflibert_class(event.code), event.code


#: Verbs that name a meeting, and the code of one that took place ('met' is 040, never 036).
MEETING_CODES = {"meet": "040", "talk": "040", "confer": "040", "visit": "042", "host": "043", "receive": "043"}
#: Verbs that hand something over: their to-phrase names who receives it (extraction), and what they hand
#: over names the act when it is aid (coding).
TRANSFER_VERBS = frozenset({
    "send", "deploy", "deliver", "provide", "give", "supply", "ship", "dispatch", "offer", "grant", "extend",
    "transfer", "donate", "sell", "lend", "hand", "return", "extradite", "contribute", "pledge", "airlift",
})  # fmt: skip
#: Verbs that make aid available without handing it over themselves: 'mobilised funds', 'authorized the
#: release of military assistance', 'approved a loan' are aid when what they make available is aid.
FUNDING_VERBS = frozenset({
    "mobilize", "mobilise", "allocate", "earmark", "disburse", "approve", "authorize", "authorise", "release",
    "channel", "unlock", "set",
})  # fmt: skip
#: Kinds of aid those verbs make available: aid of any kind, economic, humanitarian.
FUNDED_AID = {"070", "071", "073"}
#: Aid that can be handed over (normalised words), and its CAMEO code (071 economic, 072 military, 073 humanitarian).
AID_NOUNS = {
    "aid": "070", "assistance": "070", "fund": "071", "funding": "071", "loan": "071", "grant": "071",
    "oda": "071", "relief": "073", "food": "073", "medicine": "073", "vaccine": "073", "supply": "073",
    "weapon": "072", "arm": "072", "ammunition": "072", "peacekeeper": "074",
}  # fmt: skip
#: Signing one of these is CAMEO 057, 'sign formal agreement', whatever the pact is about.
AGREEMENT_NOUNS = {"agreement", "deal", "accord", "treaty", "pact", "memorandum", "mou", "protocol", "convention"}
SIGNED_AGREEMENT = "057"
#: Verbs that conclude what their object names: with an agreement noun, CAMEO 057 ('sealed a pact').
CONCLUDING_VERBS = frozenset({"sign", "seal", "ink", "conclude", "strike", "renew", "finalize", "finalise", "clinch"})
