"""Whether a clause asserts what happened: negation, intent, hypothesis, reported speech, background.

The one reader of a clause verb's modality: auxiliaries ('will', 'would'), marks ('if', 'since'),
governing verbs ('plans to', 'refused to', 'demanded that') and reported speech ('said it would').
"""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.records import Modality

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
#: Verbs whose complement clause is what they ask for or allow, not something that happened.
UNREALISED_GOVERNORS = {
    "demand", "urge", "ask", "call", "request", "appeal", "want", "permit", "allow", "order", "encourage",
    "press", "push", "insist", "propose", "suggest", "recommend", "seek",
}  # fmt: skip
#: Verbs of weighing an act ('is considering sending aid'): the act they weigh is hypothetical.
DELIBERATING_VERBS = {"consider", "explore", "weigh", "mull", "contemplate", "ponder", "study", "examine"}
#: Acts of expression that what is done for them realises: 'went on strike to protest' protests.
EXPRESSIVE_PURPOSES = {"protest", "demonstrate", "condemn", "denounce", "express", "show", "mark", "mourn", "honour"}
#: Prepositions introducing the content of an act ('accused X of attacking', 'praised X for helping').
CONTENT_PREPS = {"of", "for"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
CONDITIONAL_AUX = {"would", "could", "might", "may", "should", "must", "can", "ca"}
#: Modals by which a speaker says what others must do; such a statement is coded as the demand it makes.
OBLIGATION_AUX = {"must", "should"}
#: Verbs that say an obligation through a 'to' complement ('Y needs to / has to / ought to act').
OBLIGATION_VERBS = {"need", "have", "ought"}


def governing_verb(tok: Token) -> Token | None:
    """The verb that governs a prepositional or complement clause ('refraining from condemning')."""
    head = tok.head
    while (
        head.pos_ not in ("VERB", "AUX") and head.dep_ in ("prep", "pcomp", "pobj", "agent") and head.head.i != head.i
    ):
        head = head.head
    return head if head.i != tok.i and head.pos_ in ("VERB", "AUX") else None


def is_negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    governor = governing_verb(verb) if verb.dep_ in ("pcomp", "xcomp") else None
    return bool(governor is not None and governor.lemma_.lower() in NEGATING_GOVERNORS)


def clause_modality(verb: Token, governor_lemma: str | None) -> Modality:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if marks & HYPOTHETICAL_MARKS or _unrealised(verb) or is_purpose(verb) or _shares_condition(verb):
        return "hypothetical"
    if aux & FUTURE_AUX or governor_lemma in INTENT_GOVERNORS or _going_to(verb):
        return "intent"
    if "would" in aux and verb.dep_ == "ccomp" and verb.head.lemma_ in SPEECH_LEMMAS:
        return "intent"
    if aux & {"can", "ca"} and is_negated(verb):
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
            if is_obliged(node):
                return True
        if node.dep_ not in ("xcomp", "ccomp", "advcl", "pcomp") or node.head.i == node.i:
            return False
        if node.dep_ == "pcomp" and node.head.lower_ in CONTENT_PREPS and node.head.dep_ == "prep":
            return True
        governor = governing_verb(node) if node.dep_ == "pcomp" else node.head
        if governor is None:
            return False
        lemma = governor.lemma_.lower()
        if is_obliged(node):
            return True  # 'said the US must mediate': demanded, not done
        if lemma in SPEECH_LEMMAS or lemma in STANCE_LEMMAS:
            return False  # reported speech keeps its own modality
        if node.dep_ in ("ccomp", "xcomp") and lemma in UNREALISED_GOVERNORS | DELIBERATING_VERBS:
            return True
        aux = {c.lower_ for c in governor.children if c.dep_ in ("aux", "auxpass")}
        if any(c.dep_ == "neg" for c in governor.children) or aux & CONDITIONAL_AUX - {"can", "ca"}:
            return True
        node = governor
    return False


def _shares_condition(verb: Token) -> bool:
    """A conjunct of a condition or an unrealised clause, with no mark of its own ('unless X arranged a
    ceasefire and held elections', 'demanded that Y free the prisoners and respect their rights')."""
    if verb.dep_ != "conj" or any(c.dep_ == "mark" for c in verb.children):
        return False
    first = verb.head
    return bool({c.lower_ for c in first.children if c.dep_ == "mark"} & HYPOTHETICAL_MARKS) or _unrealised(first)


def is_purpose(verb: Token) -> bool:
    """A purpose clause ('sent troops to help the army', 'called him to assure him'): what an act was done
    for, not something done, unless the act itself makes it ('went on strike to protest')."""
    if verb.dep_ != "advcl" or verb.lemma_.lower() in EXPRESSIVE_PURPOSES:
        return False
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return infinitive and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def is_obliged(verb: Token) -> bool:
    """A reported clause saying what someone must or should do ('said that the US must mediate')."""
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in SPEECH_LEMMAS | STANCE_LEMMAS:
        return False
    if is_negated(verb):
        return False
    return any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children) or _obligation_verb(verb)


def _obligation_verb(verb: Token) -> bool:
    """'Y needs to act', 'Y has to act': an obligation verb with a 'to' complement."""
    if verb.lemma_.lower() not in OBLIGATION_VERBS:
        return False
    return any(any(a.lower_ == "to" for a in c.children if a.dep_ == "aux") for c in verb.children if c.dep_ == "xcomp")


def _going_to(verb: Token) -> bool:
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.lemma_ == "go"
        and any(c.dep_ == "aux" for c in head.children)
        and head.tag_ == "VBG"
    )


def is_background(verb: Token) -> bool:
    """Temporal or causal subordinate clauses and pluperfect clauses report background, not news."""
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if verb.dep_ == "advcl" and marks & BACKGROUND_MARKS:
        return True
    aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return "had" in aux and verb.tag_ == "VBN"
