"""Clauses → who did what to whom: predicates with source/target actors, date and place.

Works on one parsed spaCy `Doc` per article. For every clause verb it finds the
subjects (source), objects and prepositional partners (target), decides whether the
clause asserts something that happened (negation, intent, hypothetical, reported
speech, background clauses), resolves actors, dates and places, and hands the
`Predicate` to the coder. Every event keeps the sentence it came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from eventwire.events.code import ADJECTIVAL_INTENT, HALTING_VERBS, TRANSFER_VERBS
from eventwire.events.confidence import Calibrator, load_calibrator
from eventwire.events.roles import RoleModel, TargetChooser, load_role_model
from eventwire.nlp import ents_in
from eventwire.records import (
    ActorRef,
    DateValue,
    Event,
    EventCode,
    Location,
    Mention,
    Modality,
    Predicate,
    actor_code,
)
from eventwire.timex import publication_date, resolve_expression

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "dative", "attr", "oprd"}
TARGET_PREPS = {
    "with",
    "to",
    "against",
    "on",
    "at",
    "toward",
    "towards",
    "for",
    "from",
    "into",
    "over",
    "upon",
}
CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "xcomp", "advcl", "parataxis", "pcomp"}
#: Subordinate clauses introduced by these describe background, conditions or reasons.
BACKGROUND_MARKS = {
    "since",
    "before",
    "after",
    "until",
    "when",
    "while",
    "as",
    "because",
    "although",
    "though",
    "once",
}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
#: Verbs of stance whose complement's pronoun subject is their own subject ('Syria says it is willing').
STANCE_LEMMAS = {"warn", "insist", "indicate", "confirm", "pledge", "promise", "vow", "signal", "hint", "suggest"}
SPEECH_LEMMAS = {
    "say",
    "tell",
    "state",
    "add",
    "declare",
    "announce",
    "note",
    "stress",
    "report",
    "claim",
    "write",
}
NEGATING_GOVERNORS = {"refrain", "avoid", "fail", "decline", "refuse", "stop", "cease", "deny", "reject"}
#: Governors whose open complement is what the clause is about, as an intention ("plans to visit").
INTENT_GOVERNORS = {
    "plan",
    "intend",
    "want",
    "hope",
    "seek",
    "expect",
    "aim",
    "prepare",
    "try",
    "wish",
    "mean",
}
#: Codable intent verbs that absorb their complement ("pledged to support", "agreed to cooperate").
ABSORBING_GOVERNORS = {
    "pledge",
    "promise",
    "vow",
    "agree",
    "threaten",
    "offer",
    "decide",
    "commit",
    "undertake",
    "call",
}
#: Verbs whose complement clause is what they ask for or allow, not something that happened.
UNREALISED_GOVERNORS = {
    "demand", "urge", "ask", "call", "request", "appeal", "want", "permit", "allow", "order", "encourage",
    "press", "push", "insist", "propose", "suggest", "recommend", "seek",
}  # fmt: skip
#: What an actor issues that can speak for it: 'a statement calling on X to ...'.
DOCUMENT_NOUNS = {
    "statement", "report", "letter", "resolution", "communique", "declaration", "message", "note", "decree",
    "order", "motion", "petition", "appeal", "warning", "notice", "ruling", "verdict",
}  # fmt: skip
#: Prepositions whose object can name the event of a light verb: 'went on strike', 'took part in protests'.
EVENT_NOUN_PREPS = {"on", "in", "into"}
#: Prepositions introducing the content of an act ('accused X of attacking', 'praised X for helping').
CONTENT_PREPS = {"of", "for"}
#: Verbs where the from-phrase names the giver: 'received weapons from the government'.
RECEIVING_LEMMAS = {"receive", "get", "obtain", "accept", "secure", "win", "buy", "import"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
CONDITIONAL_AUX = {"would", "could", "might", "may", "should", "must", "can", "ca"}
NOUN_PHRASE_DEPS = {"compound", "amod", "det", "poss", "nmod", "nummod", "flat", "case", "quantmod"}
ACTOR_ENT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
PLACE_ENT_LABELS = {"GPE", "LOC", "FAC"}
#: A date expression dates a clause when its head is at most this many arcs below the verb ('on Wednesday': 2).
MAX_DATE_HOPS = 3
NON_ACTOR_PLACES = {"FAC", "LOC"}
#: Nouns naming a relation, not a title: 'his counterpart' is someone else in every sentence.
RELATIONAL_NOUNS = {"counterpart", "host", "guest", "friend", "partner", "ally", "boss", "colleague", "rival"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
#: Determiners that make the source the owner of the target: 'Russia strengthened its forces'.
POSSESSIVE_DETERMINERS = ("its ", "their ")
#: Sectors of a state's own organs: who they act on is most likely in their country.
STATE_SECTORS = {"GOV", "COP", "MIL", "JUD", "LEG", "SPY"}
#: CAMEO roots of acts that two parties do together ("A and B met", "... signed an agreement").
SYMMETRIC_ROOTS = {"03", "04", "05", "06"}
#: Acts that need a partner: meeting, cooperating, helping no one named is no event; a promise needs none.
PARTNERED_ROOTS = {"04", "05", "06"}
#: Modals by which a speaker says what others must do; such a statement is coded as the demand it makes.
OBLIGATION_AUX = {"must", "should"}
DEMAND_LEMMA = "demand"
#: People whose 'from' phrase says where they come from, not who gave them ('refugees from Myanmar').
PEOPLE_NOUNS = {
    "refugee", "migrant", "immigrant", "people", "person", "civilian", "asylum-seeker", "worker", "student",
    "prisoner", "detainee", "hostage", "delegation", "delegate", "visitor", "tourist", "pilgrim",
}  # fmt: skip
#: Prepositions placing something somewhere.
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout"}
#: Sectors whose members' plain remarks are not event data (the guideline's non-political speakers).
NON_POLITICAL_SECTORS = {"BUS", "MED", "EDU", "CVL", "HLH"}
#: Event types in which an actor moves its own forces.
FORCE_MOVEMENTS = {"MOBILIZE", "RETREAT"}
#: Nouns that count what their 'of' phrase names ('scores of protesters').
QUANTIFIERS = {"dozen", "dozens", "hundreds", "thousands", "scores", "score", "millions", "number", "group", "handful"}
#: Verbs whose infinitive complement is done by their subject, not their object ('promised Iran to help').
SUBJECT_CONTROL = {"promise", "vow", "pledge", "threaten", "offer", "swear"}
#: Named entities whose names may hold a conjunction ('Immigration and Customs Enforcement').
NAME_ENT_LABELS = {"ORG", "FAC"}
NON_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}
PRONOUNS = {
    "it",
    "they",
    "them",
    "he",
    "she",
    "him",
    "her",
    "we",
    "us",
    "i",
    "you",
    "itself",
    "themselves",
    "each",
    "other",
    "which",
    "who",
    "that",
    "this",
}


@dataclass
class Clause:
    """A clause verb with its participants, before coding."""

    verb: Token
    sources: list[Token]
    targets: list[Token]
    predicate: Predicate
    is_main: bool
    background: bool = False
    absorbed: list[Token] = field(default_factory=list)
    attribution: list[Token] = field(default_factory=list)  # who the sentence says reported it


def is_pronoun(token: Token) -> bool:
    """A pronoun or pronoun-like word ('it', 'they', 'which'); 'US' in capitals is the country."""
    return token.lower_ in PRONOUNS and not (token.text.isupper() and len(token.text) > 1)


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    """Expand 'Xi and Putin' to both heads."""
    out: list[Token] = []
    for tok in tokens:
        out.extend(t for t in coordinated_heads(tok) if t.i < tok.i)
        out.append(tok)
        out.extend(t for t in tok.conjuncts if t.i > tok.i and t.pos_ in ("PROPN", "NOUN", "PRON"))
    return out


def is_clause_verb(tok: Token) -> bool:
    """A verb that heads a clause worth coding (relative clauses only with a subject of their own)."""
    if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
        return False
    if tok.dep_ == "acl":
        return _document_voice(tok) is not None
    if tok.dep_ == "relcl":
        return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE_PRONOUNS for c in tok.children)
    return tok.dep_ in CLAUSE_DEPS


def _governor(tok: Token) -> Token | None:
    """The verb that governs a prepositional or complement clause ('refraining from condemning')."""
    head = tok.head
    while (
        head.pos_ not in ("VERB", "AUX") and head.dep_ in ("prep", "pcomp", "pobj", "agent") and head.head.i != head.i
    ):
        head = head.head
    return head if head.i != tok.i and head.pos_ in ("VERB", "AUX") else None


def _document_voice(verb: Token) -> Token | None:
    """'issued a statement calling on X', 'put out a report accusing X': the document's issuing verb,
    whose subject speaks through the participle."""
    noun = verb.head
    if verb.tag_ != "VBG" or noun.lemma_.lower() not in DOCUMENT_NOUNS or noun.dep_ not in OBJECT_DEPS:
        return None
    return noun.head if noun.head.pos_ == "VERB" else None


def find_subjects(verb: Token) -> tuple[list[Token], list[Token]]:
    """Source and passive-target heads of a clause, inheriting from the governing verb when absent."""
    issuer = _document_voice(verb) if verb.dep_ == "acl" else None
    if issuer is not None:
        return find_subjects(issuer)
    sources: list[Token] = []
    passive_targets: list[Token] = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            sources.append(child)
        elif child.dep_ == "nsubjpass":
            passive_targets.append(child)
        elif child.dep_ == "agent":
            sources.extend(_children(child, {"pobj"}))
    node = verb
    for _ in range(6):  # a clause inherits the subject of the clause it continues, a few levels up at most
        if sources or passive_targets or node.dep_ not in ("conj", "xcomp", "advcl", "pcomp"):
            break
        parent = _governor(node) if node.dep_ == "pcomp" else node.head
        if parent is None or parent.i == node.i:
            break
        controller = _object_controller(node, parent)
        node = parent
        if controller:
            sources = controller
            break
        sources = _children(node, {"nsubj"}) + [p for a in _children(node, {"agent"}) for p in _children(a, {"pobj"})]
    if verb.dep_ == "ccomp" and sources and all(is_pronoun(t) for t in sources):
        speaker = _children(verb.head, {"nsubj"})
        if speaker and verb.head.lemma_.lower() in SPEECH_LEMMAS | STANCE_LEMMAS:
            sources = speaker  # 'Hungary said it will support ...': 'it' is the speaker
    return _with_conjuncts(sources), _with_conjuncts(passive_targets)


def _object_controller(complement: Token, governor: Token) -> list[Token]:
    """The object that does what an infinitive complement says: 'trains Iraqi pilots to fly F-16s' ->
    the pilots fly ('promised Iran to ...' keeps the subject: the promiser acts)."""
    if complement.dep_ != "xcomp" or governor.lemma_.lower() in SUBJECT_CONTROL:
        return []
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in complement.children):
        return []
    return [o for o in _children(governor, {"dobj"}) if o.i < complement.i and o.pos_ in ("NOUN", "PROPN")]


def _shared_objects(verb: Token) -> list[Token]:
    """Objects a verb shares with the conjunct right after it: 'killing and capturing dozens of soldiers'."""
    right = [c for c in verb.children if c.i > verb.i and c.dep_ not in ("punct",)]
    if [c.dep_ for c in right[:2]] != ["cc", "conj"] or len(right) > 2:
        return []
    conjunct = right[1]
    if conjunct.pos_ != "VERB" or _children(conjunct, SUBJECT_DEPS):
        return []
    return find_targets(conjunct)


def find_targets(verb: Token) -> list[Token]:
    """Direct objects, partners introduced by prepositions ('met with X'), then the partners of an
    object noun ('held talks with X', 'sent aid to X', 'launched attacks on X')."""
    datives = [c for c in _children(verb, {"dative"}) if c.pos_ == "ADP"]  # 'sent troops to Mali' parsed as dative
    objects = [c for c in _children(verb, OBJECT_DEPS) if c not in datives]
    preps = [p for p in _children(verb, {"prep"}) + datives if p.lower_ in TARGET_PREPS]
    prep_objects = [o for p in preps for o in _children(p, {"pobj"})]
    noun_partners = [
        o
        for obj in objects
        if obj.pos_ == "NOUN" and not _children(obj, {"poss"})  # 'Russia's attack on Ukraine': Russia's act
        for p in _children(obj, {"prep"})
        if p.lower_ in TARGET_PREPS or p.lower_ == "by"  # 'rejected accusations by the US'
        for o in _children(p, {"pobj"})
    ]
    nested = _partners_through(objects, ("in", "of"), TARGET_PREPS)  # 'provided $2 million in assistance to Fiji'
    nested += _partners_through(prep_objects, None, ("against", "on", "with", "to"))  # 'called for sanctions against X'
    recipients = [o for p in preps if p.lower_ == "to" for o in _children(p, {"pobj"})]
    if recipients and verb.lemma_.lower() in TRANSFER_VERBS | HALTING_VERBS:  # 'sent troops to Mali': Mali
        objects = []
    candidates = _with_conjuncts([_counted(t) for t in objects + prep_objects + noun_partners + nested])
    return [t for t in candidates if t.ent_type_ not in NON_ACTOR_ENTS]


def _counted(token: Token) -> Token:
    """What a number counts: 'killed dozens of soldiers' -> the soldiers."""
    if token.ent_type_ not in NON_ACTOR_ENTS and token.pos_ != "NUM" and token.lemma_.lower() not in QUANTIFIERS:
        return token
    counted = [o for p in _children(token, {"prep"}) if p.lower_ == "of" for o in _children(p, {"pobj"})]
    return counted[0] if counted else token


def _partners_through(
    heads: Sequence[Token], links: Sequence[str] | None, partner_preps: Iterable[str]
) -> list[Token]:
    """Partners of nouns one step below `heads`: through a `links` preposition of each head (or the head
    itself when `links` is None), the objects of the noun's `partner_preps` phrases."""
    if links is None:
        nouns = [head for head in heads if head.pos_ == "NOUN"]
    else:
        nouns = [n for h in heads for p in _children(h, {"prep"}) if p.lower_ in links for n in _children(p, {"pobj"})]
        nouns = [noun for noun in nouns if noun.pos_ == "NOUN"]
    phrases = [q for noun in nouns for q in _children(noun, {"prep"}) if q.lower_ in partner_preps]
    return [o for phrase in phrases for o in _children(phrase, {"pobj"})]


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    governor = _governor(verb) if verb.dep_ in ("pcomp", "xcomp") else None
    return bool(governor is not None and governor.lemma_.lower() in NEGATING_GOVERNORS)


def _modality(verb: Token, governor_lemma: str | None) -> Modality:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if marks & HYPOTHETICAL_MARKS or _unrealised(verb):
        return "hypothetical"
    if aux & FUTURE_AUX or governor_lemma in INTENT_GOVERNORS or _going_to(verb):
        return "intent"
    if "would" in aux and verb.dep_ == "ccomp" and verb.head.lemma_ in SPEECH_LEMMAS:
        return "intent"
    if aux & {"can", "ca"} and _negated(verb):
        return "intent"  # 'cannot accept more refugees': a refusal, coded as one
    if aux & CONDITIONAL_AUX:
        return "hypothetical"
    if verb.dep_ == "ccomp" and verb.head.lemma_ in SPEECH_LEMMAS:
        return "reported"
    return "asserted"


def _unrealised(verb: Token) -> bool:
    """A clause that does not report a happening of its own: the content of an act ('accused X of
    attacking'), what is asked for or allowed ('demanded that X resign'), or a clause under a negated
    or conditional governor ('would not allow Russia to help Israel')."""
    node = verb
    for _ in range(4):
        if node.dep_ == "xcomp" and node.head.dep_ == "acomp":
            node = node.head.head  # 'must be ready to mediate': the 'be' clause decides
            if _obliged(node):
                return True
        if node.dep_ not in ("xcomp", "ccomp", "advcl", "pcomp") or node.head.i == node.i:
            return False
        if node.dep_ == "pcomp" and node.head.lower_ in CONTENT_PREPS and node.head.dep_ == "prep":
            return True
        governor = _governor(node) if node.dep_ == "pcomp" else node.head
        if governor is None:
            return False
        lemma = governor.lemma_.lower()
        if _obliged(node):
            return True  # 'said the US must mediate': demanded, not done
        if lemma in SPEECH_LEMMAS or lemma in STANCE_LEMMAS:
            return False  # reported speech keeps its own modality
        if node.dep_ in ("ccomp", "xcomp") and lemma in UNREALISED_GOVERNORS:
            return True
        aux = {c.lower_ for c in governor.children if c.dep_ in ("aux", "auxpass")}
        if any(c.dep_ == "neg" for c in governor.children) or aux & CONDITIONAL_AUX - {"can", "ca"}:
            return True
        node = governor
    return False


def _obliged(verb: Token) -> bool:
    """A reported clause saying what someone must or should do ('said that the US must mediate')."""
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in SPEECH_LEMMAS | STANCE_LEMMAS:
        return False
    return any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children) and not _negated(verb)


def _demanded_parties(verb: Token) -> list[Token]:
    """Who a speech verb says must act: its content clause is an obligation ('X said Y must ...')."""
    return [s for c in verb.children if _obliged(c) for s in _children(c, {"nsubj"}) if not is_pronoun(s)]


def _going_to(verb: Token) -> bool:
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.lemma_ == "go"
        and any(c.dep_ == "aux" for c in head.children)
        and head.tag_ == "VBG"
    )


def _is_background(verb: Token) -> bool:
    """Temporal or causal subordinate clauses and pluperfect clauses report background, not news."""
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if verb.dep_ == "advcl" and marks & BACKGROUND_MARKS:
        return True
    aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return "had" in aux and verb.tag_ == "VBN"


def build_predicate(verb: Token, absorbed: Token | None) -> Predicate:
    """The coder's view of a clause verb (plus an absorbed complement verb)."""
    governor = verb.head if verb.dep_ == "xcomp" else None
    governor_lemma = governor.lemma_.lower() if governor is not None else None
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    objects = [c.lemma_.lower() for c in verb.children if c.dep_ in OBJECT_DEPS or c.dep_ == "acomp"]
    preps = [c.lower_ for c in verb.children if c.dep_ == "prep"]
    prep_objects = [o.lemma_.lower() for p in _children(verb, {"prep"}) if p.lower_ in EVENT_NOUN_PREPS
                    for o in _children(p, {"pobj"})]  # fmt: skip
    xcomp = [absorbed.lemma_.lower()] if absorbed is not None else []
    if absorbed is not None:
        objects += [c.lemma_.lower() for c in absorbed.children if c.dep_ in OBJECT_DEPS]
        preps += [c.lower_ for c in absorbed.children if c.dep_ == "prep"]
    start = min(verb.i, *(p.i for p in verb.children if p.dep_ in ("prt", "neg", "aux")), verb.i)
    end = max([verb.i] + [p.i for p in verb.children if p.dep_ == "prt"])
    text = verb.doc[start : end + 1].text
    clause_tokens = list(verb.subtree)
    clause = verb.doc[clause_tokens[0].i : clause_tokens[-1].i + 1].text
    modality = _modality(verb, governor_lemma)
    return Predicate(
        lemma=verb.lemma_.lower(),
        text=text,
        clause=clause,
        particles=particles,
        object_lemmas=objects,
        prep_object_lemmas=prep_objects,
        preps=preps,
        xcomp_lemmas=xcomp,
        negated=_negated(verb),
        modality=modality,
    )


def find_clauses(sent: Span) -> list[Clause]:
    """Every codable clause of a sentence, the main clause first."""
    verbs = [t for t in sent if is_clause_verb(t)]
    absorbed_by: dict[int, Token] = {}
    skipped: set[int] = set()
    for verb in verbs:
        complement = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        readiness = _readiness(verb)
        if readiness is not None:  # 'is willing to provide': the complement is what is offered
            absorbed_by[verb.i] = readiness
            skipped.add(readiness.i)
            continue
        if complement is None:
            continue
        lemma = verb.lemma_.lower()
        if lemma in ABSORBING_GOVERNORS:
            absorbed_by[verb.i] = complement
            skipped.add(complement.i)
        elif lemma in INTENT_GOVERNORS:
            skipped.add(verb.i)
    clauses: list[Clause] = []
    according = according_to(sent)
    main = _main_verb(sent)
    for verb in verbs:
        if verb.i in skipped:
            continue
        absorbed = absorbed_by.get(verb.i)
        sources, passive_targets = find_subjects(verb)
        targets = passive_targets + find_targets(verb)
        if absorbed is not None:
            targets += find_targets(absorbed)
        givers = _givers(verb)
        demanded = _demanded_parties(verb)
        predicate = build_predicate(verb, absorbed)
        if givers:
            sources, targets = givers, sources
        elif demanded:
            targets, predicate = _with_conjuncts(demanded), replace(predicate, lemma=DEMAND_LEMMA)
        elif not targets:
            targets = _complement_subjects(verb) or _shared_objects(verb)
        clauses.append(
            Clause(
                verb=verb,
                sources=sources,
                targets=targets,
                predicate=predicate,
                is_main=verb.i == main.i,
                background=_is_background(verb),
                absorbed=[absorbed] if absorbed is not None else [],
                attribution=find_attribution(verb, according),
            )
        )
    clauses.sort(key=lambda c: (not c.is_main, c.verb.i))
    return clauses


def find_attribution(verb: Token, according: Sequence[Token] = ()) -> list[Token]:
    """Who the sentence says reported a clause: the subject of the speech verb whose content it is
    ('police said the army fired', 'the army fired, police said'), or else `according` (`according_to`)."""
    node = verb
    for _ in range(4):
        head = node.head
        if node.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in SPEECH_LEMMAS:
            return _with_conjuncts(_children(head, {"nsubj"}))
        if node.dep_ not in ("conj", "xcomp", "advcl") or head.i == node.i:
            break
        node = head
    for child in node.children:  # 'the army fired, police said': the speech verb hangs below the clause
        if child.dep_ in ("parataxis", "ccomp") and child.i > node.i and child.lemma_.lower() in SPEECH_LEMMAS:
            return _with_conjuncts(_children(child, {"nsubj"}))
    return list(according)


def according_to(sent: Span) -> list[Token]:
    """Who a sentence is 'according to' (read once per sentence)."""
    if "ccording" not in sent.text:
        return []
    return [
        source
        for word in sent
        if word.lower_ == "according"
        for to in _children(word, {"prep"})
        for source in _children(to, {"pobj"})
    ]


def _givers(verb: Token) -> list[Token]:
    """Who gave, when the subject received ('received weapons from the government')."""
    if verb.lemma_.lower() not in RECEIVING_LEMMAS:
        return []
    things = [o for o in _children(verb, OBJECT_DEPS) if o.lemma_.lower() not in PEOPLE_NOUNS]
    holders = [verb, *things]  # 'received rifles from the army'; 'refugees from Myanmar' come from there
    froms = [p for holder in holders for p in _children(holder, {"prep"}) if p.lower_ == "from"]
    return _with_conjuncts([o for p in froms for o in _children(p, {"pobj"})])


def _complement_subjects(verb: Token) -> list[Token]:
    """The party a demand or warning is about: 'demanded that Mugabe step down' -> Mugabe."""
    if verb.lemma_.lower() in SPEECH_LEMMAS:
        return []
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    return _with_conjuncts([s for c in clauses for s in _children(c, {"nsubj"}) if not is_pronoun(s)])


def find_nominal_clauses(sent: Span, nominal_lemma: Callable[[str], str | None]) -> list[Clause]:
    """Events named by a clause verb's object, with an agent of their own: 'rejected a request by Erdogan',
    'welcomed Trump's invitation to Putin', 'rejected an Australian ultimatum'. The partner is the noun's
    to/on/against phrase, else the subject of the verb that answers it."""
    clauses = []
    for noun in sent:
        if noun.pos_ != "NOUN" or noun.dep_ not in OBJECT_DEPS or noun.head.pos_ != "VERB":
            continue
        agents = _nominal_agents(noun)
        lemma = nominal_lemma(noun.lemma_) if agents else None  # the lookup resolves the noun: only with an agent
        if lemma is None:
            continue
        partners = [o for p in _children(noun, {"prep"}) if p.lower_ in TARGET_PREPS for o in _children(p, {"pobj"})]
        targets = _with_conjuncts(partners) or _children(noun.head, {"nsubj"})
        predicate = Predicate(lemma=lemma, text=noun.text, clause=sent.text, object_lemmas=[noun.lemma_.lower()])
        clauses.append(Clause(noun, _with_conjuncts(agents), targets, predicate, is_main=False))
    return clauses


def _nominal_agents(noun: Token) -> list[Token]:
    """Whose act a noun names: its possessor, its by-phrase, or a nationality before it."""
    by = [o for p in _children(noun, {"prep"}) if p.lower_ == "by" for o in _children(p, {"pobj"})]
    nationality = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")]
    return _children(noun, {"poss"}) + by + nationality


def _readiness(verb: Token) -> Token | None:
    """The act a 'be willing/ready to' clause offers ('Italy is ready to contribute' -> contribute)."""
    if verb.lemma_.lower() != "be":
        return None
    for adjective in _children(verb, {"acomp"}):
        if adjective.lemma_.lower() in ADJECTIVAL_INTENT:
            return next((c for c in _children(adjective, {"xcomp"}) if c.pos_ == "VERB"), None)
    return None


def _main_verb(sent: Span) -> Token:
    """The verb reporting the sentence's news: the root, or what a speech root reports."""
    root = sent.root
    if root.lemma_.lower() in SPEECH_LEMMAS:
        reported = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
        if reported is not None and any(c.dep_ in SUBJECT_DEPS for c in reported.children) and not _obliged(reported):
            return reported
    return root


def actor_span(token: Token) -> Span:
    """The noun phrase naming an actor: the named entity around the token, with its modifiers.

    A phrase that a misparse runs across a coordination ('Minister A and Minister B') is cut
    to the conjunct holding the token.
    """
    segments = _conjunct_segments(_noun_phrase(token))
    return next((seg for seg in segments if seg.start <= token.i < seg.end), token.doc[token.i : token.i + 1])


def _noun_phrase(token: Token) -> Span:
    doc = token.doc
    if token.ent_type_ in ACTOR_ENT_LABELS and token.ent_iob_ in ("B", "I"):  # not 'Thousands' (of teachers)
        ent = entity_around(token)
        if ent is not None:
            left = ent.start
            for child in doc[ent.start : ent.end].root.lefts:
                if child.dep_ in NOUN_PHRASE_DEPS and child.i < left:
                    left = min(left, child.left_edge.i)
            return doc[left : ent.end]
    keep = {token.i}
    stack = [token]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in NOUN_PHRASE_DEPS or (node.i == token.i and _qualifying_prep(child)):
                for t in child.subtree:
                    if t.i not in keep and t.dep_ not in ("relcl", "acl", "punct"):
                        keep.add(t.i)
                stack.append(child)
    return doc[min(keep) : max(keep) + 1]


def entity_around(token: Token) -> Span | None:
    """The named entity a token is part of (read from the token's own IOB tags, not the whole sentence's)."""
    if token.ent_iob_ not in ("B", "I"):
        return None
    doc = token.doc
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type)


def _qualifying_prep(child: Token) -> bool:
    """'of' phrases, and 'in'/'from' + a country or city on a common noun ('workers in Mexico')."""
    if child.dep_ != "prep":
        return False
    if child.lower_ == "of":
        return True
    return (
        child.lower_ in ("in", "from")
        and child.head.pos_ == "NOUN"
        and any(o.ent_type_ == "GPE" for o in _children(child, {"pobj"}))
    )


def _conjunct_segments(span: Span) -> list[Span]:
    """The parts of a span between coordinating conjunctions ('and', 'or')."""
    cuts = [t.i for t in span if _is_conjunction(t) and not _inside_name(t)]
    if not cuts:
        return [span]
    doc = span.doc
    bounds = [span.start, *cuts, span.end]
    segments = []
    for i, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        start = start + 1 if i > 0 else start
        if start < end:
            segments.append(doc[start:end])
    return segments or [span]


#: Words that coordinate two actors; a parser's 'cc' on anything else (a lower-cased name initial
#: 'n') is a misparse.
COORDINATORS = frozenset({"and", "or", "nor", "&"})


def _is_conjunction(token: Token) -> bool:
    return token.lower_ in COORDINATORS and (token.dep_ == "cc" or token.pos_ == "CCONJ")


def _inside_name(token: Token) -> bool:
    """A conjunction within one organisation's name ('Fish and Wildlife Service') joins no two actors."""
    return token.ent_iob_ == "I" and token.ent_type_ in NAME_ENT_LABELS


def coordinated_heads(token: Token) -> list[Token]:
    """Heads of the other conjuncts a misparsed phrase hides ('Minister A and Minister B' → A's head)."""
    segments = _conjunct_segments(_noun_phrase(token))
    heads = [_segment_head(seg) for seg in segments if not (seg.start <= token.i < seg.end)]
    return [head for head in heads if head.pos_ in ("PROPN", "NOUN")]


def _segment_head(segment: Span) -> Token:
    """The head of one conjunct of a misparsed phrase: its name when it holds one ('President Uhuru
    Kenyatta' -> Kenyatta, not the title a broken parse hangs elsewhere)."""
    names = [t for t in segment if t.ent_type_ in ACTOR_ENT_LABELS and t.ent_iob_ in ("B", "I")]
    if not names or any(t.i == segment.root.i for t in names):
        return segment.root
    first = names[0]
    entity = entity_around(first)
    return entity.root if entity is not None else segment.root


def doc_text(first: Span, second: Span) -> str:
    """The text covering two spans of one document ('his Chinese counterpart, Li Qiang')."""
    return first.doc[min(first.start, second.start) : max(first.end, second.end)].text


def _appositions(token: Token) -> list[Span]:
    return [actor_span(c) for c in token.children if c.dep_ == "appos"]


class SentenceEvents:
    """Extracts and codes the events of parsed articles (resources passed in once)."""

    def __init__(
        self,
        resolver: Any,
        coder: Any,
        calibrator: Calibrator | None | bool = True,
        roles: RoleModel | None | bool = True,
    ) -> None:
        """`calibrator`: True for the shipped one, None or False for the heuristic confidence; `roles`: True
        for the shipped role classifier (events/roles.py), None or False for the target rules alone."""
        self.resolver = resolver
        self.coder = coder
        self.calibrator = load_calibrator() if calibrator is True else calibrator or None
        self.roles = load_role_model() if roles is True else roles or None

    def extract(self, doc: Doc, article_id: str, published: dt.date | None) -> list[Event]:
        """All coded events of one parsed article, in reading order (each sentence's main event first)."""
        return self.extract_batch([(doc, article_id, published)])[0]

    def extract_batch(self, items: Sequence[tuple[Doc, str, dt.date | None]]) -> list[list[Event]]:
        """Events of several parsed articles, coded in one batch (the coder is much faster batched)."""
        found = [self._participants(doc, published) for doc, _, published in items]
        flat = [(clause.predicate, sent.text) for pending in found for clause, sent, *_ in pending]
        codes = iter(self.coder.code_many(flat) if flat else [])
        results: list[list[Event]] = []
        for (_, article_id, published), pending in zip(items, found, strict=True):
            events: list[Event] = []
            sentence_country = cache(self._sentence_country)  # per article: one lookup per sentence
            for clause, sent, sources, targets, attribution in pending:
                code = next(codes)
                if code is None:
                    continue
                date = self._date(clause, published)
                location = self._location(clause)
                place = location.country if location else sentence_country(sent)
                for source, target in _dyads(sources, targets, code):
                    source, target = _placed(source, target, place)
                    events.append(
                        self._event(article_id, sent, clause, source, target, code, date, location, attribution)
                    )
            events = _without_bare_statements(events)
            if self.calibrator is not None:
                self.calibrator.calibrate(events)
            results.append(events)
        return results

    def sentence_events(self, items: Sequence[tuple[Doc, str, dt.date | None]]) -> list[Event | None]:
        """One event per short text from the sentence classifiers, for texts no clause could code.

        Source and target are the first two distinct actors named in the text; the date is the
        text's own date expression or the given date. Used by `eventwire code`, where every input
        line is expected to report one event; never for articles, where it would add noise.
        """
        codes = self.coder.code_sentences([doc for doc, _, _ in items])
        events: list[Event | None] = []
        for (doc, item_id, published), code in zip(items, codes, strict=True):
            actors = self._named_actors(doc, published)
            if code is None or not actors:
                events.append(None)
                continue
            sent = next(iter(doc.sents))
            root = sent.root
            clause = Clause(root, [], [], build_predicate(root, None), is_main=True)
            target = actors[1] if len(actors) > 1 else None
            event = self._event(item_id, sent, clause, actors[0], target, code, self._date(clause, published), None)
            event.mentions[0] = Mention(item_id, doc.text, 0, len(doc.text))
            events.append(event)
        return events

    def _named_actors(self, doc: Doc, published: dt.date | None) -> list[ActorRef]:
        actors = self.resolver.document(published)
        context = _DocumentContext()
        heads: list[Token] = []
        covered: set[int] = set()
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP") or covered & set(range(ent.start, ent.end)):
                continue
            head = ent.root.head if ent.label_ == "NORP" and ent.root.dep_ in ("amod", "compound") else ent.root
            span = actor_span(head)
            covered |= set(range(span.start, span.end))
            heads.append(head)
        return self._resolve_all(actors, heads, context)

    def _participants(
        self, doc: Doc, published: dt.date | None
    ) -> list[tuple[Clause, Span, list[ActorRef], list[ActorRef], ActorRef | None]]:
        """Clauses of one article with their resolved sources, targets and attribution, in reading order."""
        actors = self.resolver.document(published)
        context = _DocumentContext()
        chooser = TargetChooser(self.roles, actor_span, self.coder.tables) if self.roles is not None else None
        pending: list[tuple[Clause, Span, list[ActorRef], list[ActorRef], ActorRef | None]] = []
        for sent in doc.sents:
            self._observe_names(actors, sent, context)
            for clause in find_clauses(sent) + find_nominal_clauses(sent, self._nominal_lemma):
                sources = self._resolve_all(actors, clause.sources, context)
                if not sources:
                    continue
                targets = self._resolve_all(actors, clause.targets, context)
                if chooser is not None:
                    targets = chooser.targets(clause, sent, sources, targets, self._token_resolver(actors, context))
                attribution = self._resolve_all(actors, clause.attribution, context)
                pending.append((clause, sent, sources, targets, attribution[0] if attribution else None))
                context.remember(sources)
        return pending

    def _token_resolver(self, actors: Any, context: _DocumentContext) -> Callable[[Token], ActorRef | None]:
        """Resolve one token's phrase as a source or target would be (None: not an actor)."""
        return lambda tok: next(iter(self._resolve_all(actors, [tok], context)), None)

    def _nominal_lemma(self, noun: str) -> str | None:
        """The coding lemma of a noun naming an event; nouns naming actors ('soldiers', 'army') name none."""
        if self.resolver.resolve_text(noun).sector:
            return None
        return self.coder.nominal_lemma(noun)

    def _observe_names(self, actors: Any, sent: Span, context: _DocumentContext) -> None:
        """Let the document remember names and titles in reading order, for later mentions."""
        for ent in ents_in(sent):
            if ent.label_ == "PERSON":
                span = actor_span(ent.root)
                context.learn_title(span, actors.resolve_span(span))

    def _resolve_all(self, actors: Any, tokens: Sequence[Token], context: _DocumentContext) -> list[ActorRef]:
        refs: list[ActorRef] = []
        for tok in tokens:
            if tok.ent_type_ in NON_ACTOR_PLACES:
                continue
            if tok.lower_ in PERSONAL_PRONOUNS:
                ref = context.last_person
            elif is_pronoun(tok) or tok.pos_ == "PRON":
                continue
            else:
                ref = self._resolve_token(actors, tok, context)
            if ref is not None and ref.kind != "place" and not any(_same_actor(ref, r) for r in refs):
                refs.append(ref)
        return refs

    def _resolve_token(self, actors: Any, tok: Token, context: _DocumentContext) -> ActorRef | None:
        """Resolve the phrase around a token; a named apposition or an earlier title completes an unnamed one."""
        span = actor_span(tok)
        ref = actors.resolve_span(span)
        if not ref.name or ref.kind == "person":  # a name in apposition beats a holder found by title
            for apposition in _appositions(tok):
                alt = actors.resolve_span(apposition)
                if _is_actor(alt) and alt.name and alt.kind == "person":
                    alt.text = doc_text(span, apposition)
                    ref = alt
                    break
        if not ref.name and ref.kind == "person":
            ref = context.by_title(span, ref) or ref
        if not ref.country:
            ref = _titled_by_apposition(actors, tok, ref)
        context.learn_title(span, ref)
        return ref if _is_actor(ref) else None

    def _date(self, clause: Clause, published: dt.date | None) -> DateValue:
        tense = "future" if clause.predicate.modality == "intent" else "past"
        for verb in _date_scopes(clause.verb):
            for expression in _date_expressions(verb):
                value = resolve_expression(expression, published, tense)
                if value is not None:
                    return value
        if clause.background:
            return DateValue(date=None, precision="unknown", text=None, method="background")
        if clause.predicate.modality == "intent":
            return DateValue(date=None, precision="unknown", text=None, method="future")
        return publication_date(published)

    def _location(self, clause: Clause) -> Location | None:
        for ent in _clause_entities(clause.verb, PLACE_ENT_LABELS):
            head = ent.root.head
            if head.dep_ == "prep" and head.lower_ in ("in", "at", "near", "outside") and ent.label_ in ("GPE", "LOC"):
                place = self.resolver.resolve_location(ent.text)
                return place or Location(text=ent.text)
        return None

    def _sentence_country(self, sent: Span) -> str | None:
        """The one country all the sentence's located places ('in north-eastern Syria') lie in, if any."""
        countries = set()
        for ent in ents_in(sent):
            if ent.label_ in ("GPE", "LOC") and ent.root.head.lower_ in LOCATIVE_PREPS:
                place = self.resolver.resolve_location(ent.text)
                if place is not None and place.country:
                    countries.add(place.country)
        return countries.pop() if len(countries) == 1 else None

    def _event(
        self,
        article_id: str,
        sent: Span,
        clause: Clause,
        source: ActorRef,
        target: ActorRef | None,
        code: EventCode,
        date: DateValue,
        location: Location | None,
        attribution: ActorRef | None = None,
    ) -> Event:
        key = f"{article_id}:{sent.start_char}:{clause.verb.i}:{source.text}:{target.text if target else ''}"
        event_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        confidence = code.confidence * (0.9 if target is not None else 0.6)
        if clause.predicate.modality == "reported":
            confidence *= 0.8
        if clause.background:
            confidence *= 0.5
        return Event(
            event_id=event_id,
            source=source,
            target=target,
            code=code,
            date=date,
            predicate=clause.predicate.text,
            mentions=[Mention(article_id, sent.text, sent.start_char, sent.end_char, attributed_to=attribution)],
            location=location,
            confidence=confidence,
            is_main=clause.is_main,
        )


class _DocumentContext:
    """What earlier sentences of the article established, for later references.

    Remembers the last person named as a source ('he'/'she' most likely refers to them)
    and the titles people were introduced with ('Russian Prime Minister Mikhail Mishustin'
    makes a later 'the prime minister' that person).
    """

    def __init__(self) -> None:
        self.last_person: ActorRef | None = None
        self.titled: list[tuple[set[str], ActorRef]] = []

    def remember(self, sources: list[ActorRef]) -> None:
        people = [s for s in sources if s.kind == "person" and s.name]
        if len(people) == 1:
            self.last_person = people[0]

    def learn_title(self, span: Span, ref: ActorRef) -> None:
        """Keep the title words a named person was introduced with."""
        if ref.kind != "person" or not ref.name:
            return
        name_words = {w.lower() for w in ref.name.split()} | {w.lower() for w in ref.text.split()[-2:]}
        words = {
            t.lemma_.lower()
            for t in span
            if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.lower_ not in name_words and t.lower_ not in RELATIONAL_NOUNS
        }
        if words:
            self.titled.append((words, ref))

    def by_title(self, span: Span, ref: ActorRef) -> ActorRef | None:
        """The person last introduced with the title this unnamed mention uses."""
        head = span.root.lemma_.lower()
        if span.root.pos_ != "NOUN" or head in RELATIONAL_NOUNS:
            return None
        for words, known in reversed(self.titled):
            if head in words and (ref.country is None or known.country == ref.country):
                return replace(known, text=span.text, confidence=min(known.confidence, 0.7))
        return None


def _titled_by_apposition(actors: Any, tok: Token, ref: ActorRef) -> ActorRef:
    """A name whose apposition gives its post takes that post's country and role: 'Alice Wells, a senior
    US State Department official' -> USA GOV."""
    for apposition in _appositions(tok):
        post = actors.resolve_span(apposition)
        if post.country and post.kind in ("person", "group"):
            sector = ref.sector or post.sector
            return replace(ref, country=post.country, sector=sector, code=actor_code(post.country, sector))
    return ref


def _dyads(sources: list[ActorRef], targets: list[ActorRef], code: EventCode) -> list[tuple[ActorRef, ActorRef | None]]:
    """Source/target pairs of a clause; 'A and B met' pairs A with B for symmetric (cooperative) acts."""
    if not targets and code.cameo[:2] in SYMMETRIC_ROOTS:
        if len(sources) < 2:
            return [] if code.cameo[:2] in PARTNERED_ROOTS else [(sources[0], None)]
        return [(a, b) for a in sources for b in sources if not _same_actor(a, b)]  # 'A and B agreed': both ways
    pairs: list[tuple[ActorRef, ActorRef | None]] = []
    for source in sources:
        for target in [t for t in targets if not _own_forces(source, t, code)] or [None]:
            if target is None or not _same_actor(source, target):
                pairs.append((source, target))
    return pairs


def _own_forces(source: ActorRef, target: ActorRef, code: EventCode) -> bool:
    """Troops an actor moves ('mobilised troops', 'strengthened its forces', 'pulled out its soldiers')
    are its own means, not the target of its act."""
    if code.plover not in FORCE_MOVEMENTS or target.sector != "MIL":
        return False
    owned = target.text.lower().startswith(POSSESSIVE_DETERMINERS)
    return owned or target.country in (None, source.country)


def _placed(source: ActorRef, target: ActorRef | None, place: str | None) -> tuple[ActorRef, ActorRef | None]:
    """Actors named only by their role take the country where the event happened (`place`), else that of
    the state actor they face: 'Russian police detained dozens of people' -> the people are in Russia."""
    placed_target = _with_country(target, place, source, owner=source) if target is not None else None
    return _with_country(source, place, target), placed_target


def _with_country(
    actor: ActorRef, place: str | None, other: ActorRef | None, owner: ActorRef | None = None
) -> ActorRef:
    """`actor` with the country its role-only name implies: its owner's ('Russia ... its forces'), else
    the event's place, else that of the state organ it faces (not of a whole country, which acts abroad)."""
    if actor.country or actor.sector == "IGO" or actor.kind not in ("group", "person") or not actor.sector:
        return actor
    owned = owner is not None and actor.text.lower().startswith(POSSESSIVE_DETERMINERS)
    facing_state = other is not None and other.kind != "country" and other.sector in STATE_SECTORS
    country = (owner.country if owned and owner is not None else None) or place
    country = country or (other.country if facing_state and other is not None else None)
    if not country:
        return actor
    code = actor.code if actor.code and actor.code.startswith("IGO") else actor_code(country, actor.sector)
    return replace(actor, country=country, code=code)


def _without_bare_statements(events: list[Event]) -> list[Event]:
    """A plain statement (CAMEO 01) only by a political actor and where its sentence holds nothing more
    specific: 'X said S' codes S, and 'X said' is its attribution, not an event of its own."""
    specific = {e.mentions[0].start for e in events if not e.code.cameo.startswith("01")}
    return [
        e
        for e in events
        if not (e.code.cameo.startswith("01") and (e.mentions[0].start in specific or not _political(e.source)))
    ]


def _political(actor: ActorRef) -> bool:
    """Whether an actor's plain remarks are event data: states, their organs and officials, parties, armed
    groups, international bodies; not business people, analysts or unknown names ('Lutz said sales rose')."""
    if actor.sector in NON_POLITICAL_SECTORS:
        return False
    return bool(actor.sector or actor.kind == "country" or (actor.country and actor.actor_id))


def _is_actor(ref: ActorRef | None) -> bool:
    """A resolved actor: a known one, a named one, or one named by its role ('police', 'the interior minister')."""
    return ref is not None and bool(
        ref.country or ref.actor_id or ref.name or (ref.kind in ("group", "person") and ref.sector)
    )


def _same_actor(a: ActorRef, b: ActorRef) -> bool:
    if a.actor_id and b.actor_id:
        return a.actor_id == b.actor_id
    return a.text.lower() == b.text.lower()


def _nearest_clause_verb(tok: Token) -> Token | None:
    """The closest verb governing a token (any verb: relative clauses keep their own dates and places)."""
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" or (node.pos_ == "AUX" and node.dep_ not in ("aux", "auxpass")):
            return node
    return node if node.dep_ == "ROOT" else None


def _is_same(a: Token | None, b: Token) -> bool:
    return a is not None and a.i == b.i


def _clause_entities(verb: Token, labels: set[str]) -> list[Span]:
    sent = verb.sent
    return [e for e in ents_in(sent) if e.label_ in labels and _is_same(_nearest_clause_verb(e.root), verb)]


def _date_scopes(verb: Token) -> list[Token]:
    """The clause itself, then the clauses it continues ('and then met', 'where he met'), whose dates it shares."""
    scopes = [verb]
    node = verb
    while node.dep_ in ("conj", "relcl", "xcomp", "advcl", "pcomp") and node.head.i != node.i and len(scopes) < 4:
        node = node.head
        while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
        scopes.append(node)
    return scopes


def _hops(token: Token, ancestor: Token) -> int:
    """Dependency arcs from a token up to one of its ancestors."""
    hops = 0
    while token.i != ancestor.i and token.head.i != token.i:
        token = token.head
        hops += 1
    return hops


def _date_expressions(verb: Token) -> list[str]:
    """Date phrases attached to this clause, with the word that scopes them ('on', 'last', 'since')."""
    expressions = []
    for ent in _clause_entities(verb, {"DATE"}):
        if _hops(ent.root, verb) > MAX_DATE_HOPS:
            continue  # deep inside a noun phrase: it dates something else ('a peak of $20bn in 2012')
        start = ent.start
        before = ent.doc[start - 1] if start > ent.sent.start else None
        if before is not None and before.lower_ in (
            "on",
            "since",
            "last",
            "next",
            "this",
            "in",
            "early",
            "late",
        ):
            start -= 1
        expressions.append(ent.doc[start : ent.end].text)
    return expressions
