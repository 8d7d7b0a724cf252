"""Clauses of a parsed sentence: each clause verb with its sources, targets and the coder's `Predicate`.

Subjects are inherited from the clause a verb continues, objects and prepositional partners ('met
with X', 'sent aid to X') are targets, and governing verbs ('pledged to support', 'is ready to
contribute') absorb their complement. Nouns naming an act with an agent of their own ('rejected a
request by Erdogan') are clauses too (`find_nominal_clauses`). `find_clauses` is the one clause
finder: the extractor codes its clauses as events, and the coder reads a sentence's predicates
through it for its classifiers' cues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from eventwire.actors.vocabulary import ATTACK_NOUNS
from eventwire.events.attribution import according_to, find_attribution
from eventwire.events.modality import (
    INTENT_GOVERNORS,
    SPEECH_LEMMAS,
    STANCE_LEMMAS,
    clause_modality,
    governing_verb,
    is_background,
    is_negated,
    is_obliged,
)
from eventwire.events.phrases import NON_ACTOR_ENT_LABELS, dependents, is_pronoun, with_conjuncts
from eventwire.events.rules import ADJECTIVAL_INTENT, HALTING_VERBS, TRANSFER_VERBS
from eventwire.records import Predicate

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
    "upon",
}
CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "xcomp", "advcl", "parataxis", "pcomp"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
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
    "help",
}
#: What an actor issues that can speak for it: 'a statement calling on X to ...'.
DOCUMENT_NOUNS = {
    "statement", "report", "letter", "resolution", "communique", "declaration", "message", "note", "decree",
    "order", "motion", "petition", "appeal", "warning", "notice", "ruling", "verdict",
}  # fmt: skip
#: Prepositions whose object can name the event of a light verb: 'went on strike', 'took part in protests'.
EVENT_NOUN_PREPS = {"on", "in", "into"}
#: Verbs where the from-phrase names the giver: 'received weapons from the government'.
RECEIVING_LEMMAS = {"receive", "get", "obtain", "accept", "secure", "win", "buy", "import"}
DEMAND_LEMMA = "demand"
#: People whose 'from' phrase says where they come from, not who gave them ('refugees from Myanmar').
PEOPLE_NOUNS = {
    "refugee", "migrant", "immigrant", "people", "person", "civilian", "asylum-seeker", "worker", "student",
    "prisoner", "detainee", "hostage", "delegation", "delegate", "visitor", "tourist", "pilgrim",
}  # fmt: skip
#: Nouns that count what their 'of' phrase names ('scores of protesters').
QUANTIFIERS = {"dozen", "dozens", "hundreds", "thousands", "scores", "score", "millions", "number", "group", "handful"}
#: Verbs whose infinitive complement is done by their subject, not their object ('promised Iran to help').
SUBJECT_CONTROL = {"promise", "vow", "pledge", "threaten", "offer", "swear"}
#: Passives whose subject does what the in-phrase names: 'were engaged in ethnic cleansing'.
ENGAGED_LEMMAS = {"engage", "embroil"}


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
    conditioned: list[Token] = field(default_factory=list)  # whom its condition names ('unless Baghdad ...')


def is_clause_verb(tok: Token) -> bool:
    """A verb that heads a clause worth coding (relative clauses only with a subject of their own)."""
    if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
        return False
    if tok.dep_ == "acl":
        return _document_voice(tok) is not None
    if tok.dep_ == "relcl":
        return any(c.dep_ in ("nsubj", "nsubjpass") and not is_attack_noun(_antecedent(c)) for c in tok.children)
    return tok.dep_ in CLAUSE_DEPS


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
            sources.append(_antecedent(child))
        elif child.dep_ == "nsubjpass":
            passive_targets.append(_antecedent(child))
        elif child.dep_ == "agent":
            sources.extend(dependents(child, {"pobj"}))
    node = verb
    for _ in range(6):  # a clause inherits the subject of the clause it continues, a few levels up at most
        if sources or passive_targets or node.dep_ not in ("conj", "xcomp", "advcl", "pcomp"):
            break
        parent = governing_verb(node) if node.dep_ == "pcomp" else node.head
        if parent is None or parent.i == node.i:
            break
        controller = _object_controller(node, parent)
        node = parent
        if controller:
            sources = controller
            break
        sources = dependents(node, {"nsubj"}) + [
            p for a in dependents(node, {"agent"}) for p in dependents(a, {"pobj"})
        ]
    if not sources and _is_passive(verb) and verb.lemma_.lower() in ENGAGED_LEMMAS:
        sources, passive_targets = passive_targets, []  # 'troops were engaged in fighting': they fought
    if not sources and _is_passive(verb):
        sources = _attack_agents(verb)  # 'were killed in a suicide bombing': the bombing's perpetrators
    if verb.dep_ == "ccomp" and sources and all(is_pronoun(t) for t in sources):
        speaker = dependents(verb.head, {"nsubj"})
        if speaker and verb.head.lemma_.lower() in SPEECH_LEMMAS | STANCE_LEMMAS:
            sources = speaker  # 'Hungary said it will support ...': 'it' is the speaker
    return with_conjuncts(_split_descriptions(sources)), with_conjuncts(passive_targets)


def _split_descriptions(subjects: list[Token]) -> list[Token]:
    """Subjects without a common noun the parser split off the name it describes: 'The rebel Free Syrian
    Army threatened' parsed with two subjects is one actor, the army."""
    names = [s for s in subjects if s.pos_ == "PROPN"]
    return [
        s for s in subjects
        if not (s.pos_ == "NOUN" and any(n.left_edge.i == s.i + 1 for n in names))
    ]  # fmt: skip


def _antecedent(subject: Token) -> Token:
    """What a relative pronoun subject stands for: 'rioters who torched shops' -> the rioters."""
    verb = subject.head
    if subject.lower_ in ("who", "which", "that") and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return subject


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _attack_agents(verb: Token) -> list[Token]:
    """The attacks an agentless passive happened in ('killed in police firing', 'wounded in an air
    strike'): their phrases name the perpetrators, or stand for them when unknown."""
    return [
        o
        for p in dependents(verb, {"prep"})
        if p.lower_ == "in"
        for o in dependents(p, {"pobj"})
        if is_attack_noun(o) or any(c.dep_ == "acl" and c.lower_ in ATTACK_NOUNS for c in o.children)
    ]  # 'in police firing' is often parsed as 'police' with a participle 'firing'


def is_attack_noun(token: Token) -> bool:
    """A noun naming an attack or its weapon ('car bomb', 'firing', 'air strikes')."""
    if token.pos_ != "NOUN":
        return False
    compound = [c.lower_ for c in token.lefts if c.dep_ == "compound"][-1:]
    return token.lower_ in ATTACK_NOUNS or " ".join([*compound, token.lower_]) in ATTACK_NOUNS


def _object_controller(complement: Token, governor: Token) -> list[Token]:
    """The object that does what an infinitive complement says: 'trains Iraqi pilots to fly F-16s' ->
    the pilots fly ('promised Iran to ...' keeps the subject: the promiser acts)."""
    if complement.dep_ != "xcomp" or governor.lemma_.lower() in SUBJECT_CONTROL:
        return []
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in complement.children):
        return []
    return [o for o in dependents(governor, {"dobj"}) if o.i < complement.i and o.pos_ in ("NOUN", "PROPN")]


def _shared_objects(verb: Token) -> list[Token]:
    """Objects a verb shares with the conjunct right after it: 'killing and capturing dozens of soldiers'."""
    right = [c for c in verb.children if c.i > verb.i and c.dep_ not in ("punct",)]
    if [c.dep_ for c in right[:2]] != ["cc", "conj"] or len(right) > 2:
        return []
    conjunct = right[1]
    if conjunct.pos_ != "VERB" or dependents(conjunct, SUBJECT_DEPS):
        return []
    return find_targets(conjunct)


def find_targets(verb: Token) -> list[Token]:
    """Direct objects, partners introduced by prepositions ('met with X'), then the partners of an
    object noun ('held talks with X', 'sent aid to X', 'launched attacks on X')."""
    datives = [c for c in dependents(verb, {"dative"}) if c.pos_ == "ADP"]  # 'sent troops to Mali' parsed as dative
    objects = [c for c in dependents(verb, OBJECT_DEPS) if c not in datives]
    preps = [p for p in dependents(verb, {"prep"}) + datives if p.lower_ in TARGET_PREPS]
    prep_objects = [o for p in preps for o in dependents(p, {"pobj"})]
    noun_partners = [
        o
        for obj in objects
        if obj.pos_ == "NOUN" and not dependents(obj, {"poss"})  # 'Russia's attack on Ukraine': Russia's act
        for p in dependents(obj, {"prep"})
        if p.lower_ in TARGET_PREPS or p.lower_ == "by"  # 'rejected accusations by the US'
        for o in dependents(p, {"pobj"})
    ]
    noun_partners += _participle_agents(objects)  # 'rejected an appeal lodged by the church'
    nested = _partners_through(objects, ("in", "of"), TARGET_PREPS)  # 'provided $2 million in assistance to Fiji'
    nested += _partners_through(prep_objects, None, ("against", "on", "with", "to"))  # 'called for sanctions against X'
    if verb.lemma_.lower() in ENGAGED_LEMMAS:  # 'were engaged in clashes with X'
        nested += _partners_through([verb], ("in",), ("against", "on", "with"))
    recipients = [o for p in preps if p.lower_ == "to" for o in dependents(p, {"pobj"})]
    if recipients and verb.lemma_.lower() in TRANSFER_VERBS | HALTING_VERBS:  # 'sent troops to Mali': Mali
        objects = []
    candidates = with_conjuncts([_counted(t) for t in objects + prep_objects + noun_partners + nested])
    return [t for t in candidates if t.ent_type_ not in NON_ACTOR_ENT_LABELS]


def _participle_agents(objects: Sequence[Token]) -> list[Token]:
    """Whose act an object noun is, by the agent of its participle: 'rejected an appeal lodged by the
    church', 'accepted the proposal submitted by X and Y' (those who made it are the target)."""
    participles = [
        acl for obj in objects if obj.pos_ == "NOUN" for acl in dependents(obj, {"acl"}) if acl.tag_ == "VBN"
    ]
    return [o for acl in participles for agent in dependents(acl, {"agent"}) for o in dependents(agent, {"pobj"})]


def _counted(token: Token) -> Token:
    """What a number counts: 'killed dozens of soldiers' -> the soldiers."""
    if token.ent_type_ not in NON_ACTOR_ENT_LABELS and token.pos_ != "NUM" and token.lemma_.lower() not in QUANTIFIERS:
        return token
    counted = [o for p in dependents(token, {"prep"}) if p.lower_ == "of" for o in dependents(p, {"pobj"})]
    return counted[0] if counted else token


def _partners_through(heads: Sequence[Token], links: Sequence[str] | None, partner_preps: Iterable[str]) -> list[Token]:
    """Partners of nouns one step below `heads`: through a `links` preposition of each head (or the head
    itself when `links` is None), the objects of the noun's `partner_preps` phrases."""
    if links is None:
        nouns = [head for head in heads if head.pos_ == "NOUN"]
    else:
        nouns = [
            n for h in heads for p in dependents(h, {"prep"}) if p.lower_ in links for n in dependents(p, {"pobj"})
        ]
        nouns = [noun for noun in nouns if noun.pos_ == "NOUN"]
    phrases = [q for noun in nouns for q in dependents(noun, {"prep"}) if q.lower_ in partner_preps]
    return [o for phrase in phrases for o in dependents(phrase, {"pobj"})]


def _demanded_parties(verb: Token) -> list[Token]:
    """Who a speech verb says must act: its content clause is an obligation ('X said Y must ...')."""
    return [s for c in verb.children if is_obliged(c) for s in dependents(c, {"nsubj"}) if not is_pronoun(s)]


def build_predicate(verb: Token, absorbed: Token | None) -> Predicate:
    """The coder's view of a clause verb (plus an absorbed complement verb)."""
    governor = verb.head if verb.dep_ == "xcomp" else None
    governor_lemma = governor.lemma_.lower() if governor is not None else None
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    objects = [c.lemma_.lower() for c in verb.children if c.dep_ in OBJECT_DEPS or c.dep_ == "acomp"]
    preps = [c.lower_ for c in verb.children if c.dep_ == "prep"]
    prep_objects = [o.lemma_.lower() for p in dependents(verb, {"prep"}) if p.lower_ in EVENT_NOUN_PREPS
                    for o in dependents(p, {"pobj"})]  # fmt: skip
    xcomp = [absorbed.lemma_.lower()] if absorbed is not None else []
    if absorbed is not None:
        objects += [c.lemma_.lower() for c in absorbed.children if c.dep_ in OBJECT_DEPS]
        preps += [c.lower_ for c in absorbed.children if c.dep_ == "prep"]
    start = min(verb.i, *(p.i for p in verb.children if p.dep_ in ("prt", "neg", "aux")), verb.i)
    end = max([verb.i] + [p.i for p in verb.children if p.dep_ == "prt"])
    text = verb.doc[start : end + 1].text
    clause_tokens = list(verb.subtree)
    clause = verb.doc[clause_tokens[0].i : clause_tokens[-1].i + 1].text
    modality = clause_modality(verb, governor_lemma)
    return Predicate(
        lemma=verb.lemma_.lower(),
        text=text,
        clause=clause,
        particles=particles,
        object_lemmas=objects,
        prep_object_lemmas=prep_objects,
        preps=preps,
        xcomp_lemmas=xcomp,
        negated=is_negated(verb),
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
            targets += [t for act in [absorbed, *_conjoined_acts(absorbed)] for t in find_targets(act)]
        givers = _givers(verb)
        demanded = _demanded_parties(verb)
        predicate = build_predicate(verb, absorbed)
        if givers:
            sources, targets = givers, sources
        elif demanded:
            targets, predicate = with_conjuncts(demanded), replace(predicate, lemma=DEMAND_LEMMA)
        elif not targets:
            targets = _complement_subjects(verb) or _shared_objects(verb)
        clauses.append(
            Clause(
                verb=verb,
                sources=sources,
                targets=targets,
                predicate=predicate,
                is_main=verb.i == main.i,
                background=is_background(verb),
                absorbed=[absorbed] if absorbed is not None else [],
                attribution=find_attribution(verb, according),
                conditioned=condition_parties(verb, absorbed),
            )
        )
    clauses.sort(key=lambda c: (not c.is_main, c.verb.i))
    return clauses


#: Conjunctions of a condition that a threat, refusal or offer puts to another party.
CONDITION_MARKS = {"if", "unless", "until"}


def condition_parties(verb: Token, absorbed: Token | None = None) -> list[Token]:
    """Who a conditional act is aimed at, the subject of its condition: 'threatened to launch an offensive
    unless Baghdad accepted', 'will not lift the embargo until Cuba releases', 'is willing to withdraw if the
    PA assumes control'."""
    heads = [verb] + ([absorbed] if absorbed is not None else [])
    conditions = [
        c for head in heads for c in dependents(head, {"advcl"})
        if any(m.lower_ in CONDITION_MARKS for m in dependents(c, {"mark"}))
    ]  # fmt: skip
    return with_conjuncts([s for c in conditions for s in dependents(c, {"nsubj"}) if not is_pronoun(s)])


def _givers(verb: Token) -> list[Token]:
    """Who gave, when the subject received ('received weapons from the government')."""
    if verb.lemma_.lower() not in RECEIVING_LEMMAS:
        return []
    things = [o for o in dependents(verb, OBJECT_DEPS) if o.lemma_.lower() not in PEOPLE_NOUNS]
    holders = [verb, *things]  # 'received rifles from the army'; 'refugees from Myanmar' come from there
    froms = [p for holder in holders for p in dependents(holder, {"prep"}) if p.lower_ == "from"]
    return with_conjuncts([o for p in froms for o in dependents(p, {"pobj"})])


def _complement_subjects(verb: Token) -> list[Token]:
    """The party a demand or warning is about: 'demanded that Mugabe step down' -> Mugabe."""
    if verb.lemma_.lower() in SPEECH_LEMMAS:
        return []
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    return with_conjuncts([s for c in clauses for s in dependents(c, {"nsubj"}) if not is_pronoun(s)])


def find_nominal_clauses(sent: Span, nominal_lemma: Callable[[str], str | None]) -> list[Clause]:
    """Events named by a clause verb's object, with an agent of their own: 'rejected a request by Erdogan',
    'welcomed Trump's invitation to Putin', 'rejected an Australian ultimatum'. The partner is the noun's
    to/on/against phrase, else the subject of the verb that answers it."""
    clauses = []
    for noun in sent:
        if noun.pos_ != "NOUN" or noun.dep_ not in OBJECT_DEPS or noun.head.pos_ != "VERB":
            continue
        agents = _nominal_agents(noun)
        # the lookup resolves the noun (with its compounds: 'police force' names no act): only with an agent
        lemma = nominal_lemma(_with_compounds(noun)) if agents else None
        if lemma is None:
            continue
        partners = [o for p in dependents(noun, {"prep"}) if p.lower_ in TARGET_PREPS for o in dependents(p, {"pobj"})]
        targets = with_conjuncts(partners) or _content_subjects(noun) or dependents(noun.head, {"nsubj"})
        predicate = Predicate(lemma=lemma, text=noun.text, clause=sent.text, object_lemmas=[noun.lemma_.lower()])
        clauses.append(Clause(noun, with_conjuncts(agents), targets, predicate, is_main=False))
    return clauses


def _conjoined_acts(verb: Token) -> list[Token]:
    """Verbs sharing a complement's governor ('agreed to open its borders and grant asylum to refugees')."""
    return [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and not dependents(c, SUBJECT_DEPS)]


def _content_subjects(noun: Token) -> list[Token]:
    """Whom a noun's 'that' clause is about: its subject ('accusations by X that Y's army shelled ...' -> army)."""
    clauses = dependents(noun, {"acl", "ccomp"})
    contents = [c for c in clauses if any(m.lower_ == "that" for m in dependents(c, {"mark"}))]
    return with_conjuncts([s for c in contents for s in dependents(c, {"nsubj", "nsubjpass"}) if not is_pronoun(s)])


def _with_compounds(noun: Token) -> str:
    """A noun's lemma after its compound nouns ('police force')."""
    compounds = [t.text for t in noun.lefts if t.dep_ == "compound" and t.pos_ == "NOUN"]
    return " ".join([*compounds, noun.lemma_])


def _nominal_agents(noun: Token) -> list[Token]:
    """Whose act a noun names: its possessor, its by-phrase, or a nationality before it."""
    by = [o for p in dependents(noun, {"prep"}) if p.lower_ == "by" for o in dependents(p, {"pobj"})]
    nationality = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")]
    return dependents(noun, {"poss"}) + by + nationality


def _readiness(verb: Token) -> Token | None:
    """The act a 'be willing/ready to' clause offers ('Italy is ready to contribute' -> contribute)."""
    if verb.lemma_.lower() != "be":
        return None
    for adjective in dependents(verb, {"acomp"}):
        if adjective.lemma_.lower() in ADJECTIVAL_INTENT:
            return next((c for c in dependents(adjective, {"xcomp"}) if c.pos_ == "VERB"), None)
    return None


def _main_verb(sent: Span) -> Token:
    """The verb reporting the sentence's news: the root, or what a speech root reports."""
    root = sent.root
    if root.lemma_.lower() in SPEECH_LEMMAS:
        reported = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
        if reported is not None and any(c.dep_ in SUBJECT_DEPS for c in reported.children) and not is_obliged(reported):
            return reported
    return root
