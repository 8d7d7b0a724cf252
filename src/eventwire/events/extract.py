"""Events of parsed articles: the clauses of each sentence with their actors, code, date and place.

Works on one parsed spaCy `Doc` per article. For every clause `clauses.find_clauses` finds (subjects
as sources, objects and prepositional partners as targets, its modality read by `modality` and its
attribution by `attribution`), it resolves the actors against what earlier sentences established,
hands the `Predicate` to the coder, and dates and places the coded events. Every event keeps the
sentence it came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from eventwire.events.clauses import Clause, build_predicate, find_clauses, find_nominal_clauses, is_attack_noun
from eventwire.events.code import EventCoding
from eventwire.events.confidence import Calibrator, clause_signals, count_signals, load_calibrator
from eventwire.events.modality import DELIBERATING_VERBS, SPEECH_LEMMAS
from eventwire.events.phrases import (
    MODIFIER_DEPS,
    actor_span,
    appositions,
    doc_text,
    given_names,
    is_pronoun,
    modifier_span,
    shared_head,
)
from eventwire.events.places import Dateline, find_dateline, sentence_place
from eventwire.events.roles import RoleModel, TargetChooser, load_role_model
from eventwire.events.rules import codes_an_act
from eventwire.nlp import ents_in
from eventwire.records import (
    ActorRef,
    DateValue,
    Event,
    EventCode,
    Location,
    Mention,
    actor_code,
)
from eventwire.stages import ActorResolving, ArticleActors
from eventwire.timex import publication_date, resolve_expression

PLACE_ENT_LABELS = {"GPE", "LOC", "FAC"}
#: A date expression dates a clause when its head is at most this many arcs below the verb ('on Wednesday': 2).
MAX_DATE_HOPS = 3
NON_ACTOR_PLACES = {"FAC", "LOC"}
#: Nouns naming a relation, not a title: 'his counterpart' is someone else in every sentence.
RELATIONAL_NOUNS = {"counterpart", "host", "guest", "friend", "partner", "ally", "boss", "colleague", "rival"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
#: Determiners that make the source the owner of the target: 'Russia strengthened its forces'.
POSSESSIVE_DETERMINERS = ("its ", "their ")
POSSESSIVE_PRONOUNS = {"its", "their"}
#: Entities that 'its' or 'their' can refer to.
ANTECEDENT_ENT_LABELS = {"GPE", "NORP", "ORG"}
#: Sectors of a state's own organs: who they act on is most likely in their country.
STATE_SECTORS = {"GOV", "COP", "MIL", "JUD", "LEG", "SPY"}
#: CAMEO roots of acts that two parties do together ("A and B met", "... signed an agreement").
SYMMETRIC_ROOTS = {"03", "04", "05", "06"}
#: Acts that need a partner: meeting, cooperating, helping no one named is no event; a promise needs none.
PARTNERED_ROOTS = {"04", "05", "06"}
#: Prepositions placing something somewhere.
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout"}
#: Sectors whose members' plain remarks are not event data (the guideline's non-political speakers).
NON_POLITICAL_SECTORS = {"BUS", "MED", "EDU", "CVL", "HLH"}
#: CAMEO's unidentified armed forces: who is behind an attack named only by its weapon.
UNKNOWN_ATTACKERS = "UAF"
#: People a whole country acts on as their state: its opposition, politicians, parties, courts, workers.
RULED_SECTORS = {"OPP", "PTY", "ELI", "LEG", "JUD", "LAB", "EDU"}
#: State organs that face the people of their own country (not the military, which fights abroad).
DOMESTIC_ORGANS = {"GOV", "COP", "JUD", "LEG"}
#: People and bodies that face their own state's organs: opposition, citizens, workers, media, parties.
CITIZEN_SECTORS = {"OPP", "CVL", "LAB", "EDU", "MED", "ELI", "REL", "PTY", "HLH", "BUS", "NGO"}
#: Prepositions whose place qualifies a noun rather than naming a party ('province of Papua', not 'aid for Chad').
QUALIFYING_PREPS = {"of", "in", "at", "as", "near", "across", "throughout", "within", "inside"}
#: Event types in which an actor moves its own forces.
FORCE_MOVEMENTS = {"MOBILIZE", "RETREAT"}
#: Acts that are done to troops, so even an actor's own troops are their targets ('purged its army').
ACTS_ON_FORCES = {"ASSAULT", "COERCE"}
#: Plain statements (comments, optimism, pessimism, weighing options): 'X said S' is one only when S
#: reports no act (not denials, condolences, claims of responsibility, which are acts of their own).
PLAIN_STATEMENTS = {"010", "012", "013", "014"}
#: Dependencies that lead from a verb to what it says or weighs: 'said (that) S', 'is considering
#: sending aid', 'the possibility of transferring', 'is willing to send'.
#: CAMEO roots of violence (18 assault, 19 fight, 20 mass violence): a participle can add one ('killing five').
VIOLENT_ROOTS = {"18", "19", "20"}
#: Verbs that report what their complement clause says ('announced that it would withdraw', 'S, X revealed').
REPORTING_VERBS = SPEECH_LEMMAS | {"reveal", "disclose", "confirm", "explain", "inform"}
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "pcomp", "pobj", "acomp"}


class SentenceEvents:
    """Extracts and codes the events of parsed articles (resources passed in once)."""

    def __init__(
        self,
        resolver: ActorResolving,
        coder: EventCoding,
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
        datelines = [find_dateline(doc, self.resolver) for doc, _, _ in items]
        found = [
            self._participants(doc, published, dateline)
            for (doc, _, published), dateline in zip(items, datelines, strict=True)
        ]
        flat = [(clause.predicate, sent.text) for pending in found for clause, sent, *_ in pending]
        codes = iter(self.coder.code_many(flat) if flat else [])
        results: list[list[Event]] = []
        for (_, article_id, published), pending, dateline in zip(items, found, datelines, strict=True):
            events: list[Event] = []
            sentence_country = cache(self._sentence_country)  # per article: one lookup per sentence
            named_country = cache(self._named_country)
            clauses_in = Counter(sent.start for _, sent, *_ in pending)
            for clause, sent, sources, targets, attribution, chosen in pending:
                code = next(codes)
                if code is None or self._only_frames_an_act(clause, code) or _elaborates(clause, code):
                    continue
                date = self._date(clause, published)
                countries = {actor.country for actor in (*sources, *targets) if actor.country}
                location = self._location(clause, countries)
                place = location.country if location else sentence_country(sent) or named_country(sent)
                location = location or sentence_place(sent, self.resolver, countries) or (dateline and dateline.place)
                for source, target in _dyads(sources, targets, code):
                    by_model = any(target is t for t in chosen)
                    source, target = _placed(source, target, place)
                    event = self._event(article_id, sent, clause, source, target, code, date, location, attribution)
                    event.signals = clause_signals(clause, sent, source, target, by_model, clauses_in[sent.start])
                    events.append(event)
            events = _without_bare_statements(events)
            count_signals(events)
            if self.calibrator is not None:
                self.calibrator.calibrate(events)
            results.append(_one_per_dyad(events))
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
        self, doc: Doc, published: dt.date | None, dateline: Dateline | None = None
    ) -> list[tuple[Clause, Span, list[ActorRef], list[ActorRef], ActorRef | None, list[ActorRef]]]:
        """Clauses of one article with their resolved sources, targets, attribution and the targets the role
        classifier chose instead of the rules', in reading order.

        Words of the dateline ('KYIV, May 3 (Reuters) -', a byline before it) name no actor."""
        actors = self.resolver.document(published)
        context = _DocumentContext(text_starts=dateline.end if dateline else 0)
        chooser = TargetChooser(self.roles, actor_span, self.coder.tables) if self.roles is not None else None
        pending: list[tuple[Clause, Span, list[ActorRef], list[ActorRef], ActorRef | None, list[ActorRef]]] = []
        for sent in doc.sents:
            self._observe_names(actors, sent, context)
            for clause in find_clauses(sent) + find_nominal_clauses(sent, self._nominal_lemma):
                sources = self._resolve_coordinated(actors, clause.sources, context) or _unknown_attackers(
                    clause.sources
                )
                if not sources:
                    continue
                targets = self._resolve_coordinated(actors, clause.targets, context)
                targets += _other_parties(self._resolve_coordinated(actors, clause.conditioned, context), targets)
                rule_targets = list(targets)
                if chooser is not None:
                    targets = chooser.targets(clause, sent, sources, targets, self._token_resolver(actors, context))
                chosen = [t for t in targets if not any(t is r for r in rule_targets)]
                attribution = self._resolve_all(actors, clause.attribution, context)
                pending.append((clause, sent, sources, targets, attribution[0] if attribution else None, chosen))
                context.remember(sources)
        return pending

    def _resolve_coordinated(
        self, actors: ArticleActors, tokens: Sequence[Token], context: _DocumentContext
    ) -> list[ActorRef]:
        """Resolve phrases, role-only conjuncts taking their partners' country ('X and a group of deputies')."""
        refs: list[ActorRef] = []
        for group in _coordinations(tokens):
            for ref in _with_partners_country(self._resolve_all(actors, group, context)):
                if not any(_same_actor(ref, r) for r in refs):
                    refs.append(ref)
        return refs

    def _token_resolver(self, actors: ArticleActors, context: _DocumentContext) -> Callable[[Token], ActorRef | None]:
        """Resolve one token's phrase as a source or target would be (None: not an actor)."""
        return lambda tok: next(iter(self._resolve_all(actors, [tok], context)), None)

    def _nominal_lemma(self, noun: str) -> str | None:
        """The coding lemma of a noun (after its compounds) naming an event; nouns naming actors ('soldiers',
        'army', 'police force') name none."""
        if self.resolver.resolve_text(noun).sector:
            return None
        return self.coder.nominal_lemma(noun.split()[-1])

    def _observe_names(self, actors: ArticleActors, sent: Span, context: _DocumentContext) -> None:
        """Let the document remember names and titles in reading order, for later mentions."""
        for ent in ents_in(sent):
            if ent.label_ == "PERSON":
                span = actor_span(ent.root)
                context.learn_title(span, actors.resolve_span(span))

    def _resolve_all(self, actors: ArticleActors, tokens: Sequence[Token], context: _DocumentContext) -> list[ActorRef]:
        refs: list[ActorRef] = []
        for tok in tokens:
            if tok.ent_type_ in NON_ACTOR_PLACES or tok.idx < context.text_starts:
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

    def _resolve_token(self, actors: ArticleActors, tok: Token, context: _DocumentContext) -> ActorRef | None:
        """Resolve the phrase around a token; a named apposition or an earlier title completes an unnamed one."""
        head = shared_head(tok)
        if head is not None:
            return _modifier_actor(actors.resolve_span(modifier_span(tok)), actors.resolve_span(actor_span(head)))
        span = actor_span(tok)
        ref = actors.resolve_span(span)
        if not ref.name or ref.kind == "person":  # a name in apposition beats a holder found by title
            for apposition in appositions(tok):
                alt = actors.resolve_span(apposition)
                if _is_actor(alt) and alt.name and alt.kind == "person":
                    alt.text = doc_text(span, apposition)
                    ref = alt
                    break
        if not ref.name and ref.kind == "person":
            ref = context.by_title(span, ref) or ref
        for name in given_names(tok) if not ref.name else []:  # 'the group known as X': the mention names X
            ref = replace(ref, text=doc_text(span, name))
        if not ref.country:
            ref = _titled_by_apposition(actors, tok, ref)
        if not ref.country and ref.sector and span[0].lower_ in POSSESSIVE_PRONOUNS:
            ref = _owned_by(ref, _antecedent(actors, span))
        context.learn_title(span, ref)
        return ref if _is_actor(ref) else None

    def _date(self, clause: Clause, published: dt.date | None) -> DateValue:
        tense = "future" if clause.predicate.modality == "intent" else "past"
        for verb in _date_scopes(clause.verb):
            for expression in _date_expressions(verb, whole_focus=_is_cleft(verb, clause.verb)):
                value = resolve_expression(expression, published, tense)
                if value is not None:
                    return value
        if clause.background:
            return DateValue(date=None, precision="unknown", text=None, method="background")
        if clause.predicate.modality == "intent":
            return DateValue(date=None, precision="unknown", text=None, method="future")
        return publication_date(published)

    def _only_frames_an_act(self, clause: Clause, code: EventCode) -> bool:
        """A plain statement or a deliberation whose content is an act ('said Y had conveyed concerns',
        'is considering sending aid'): the guideline codes the act (its own event, or none when it is
        only weighed, negated or agentless), not the saying or weighing of it."""
        tables = self.coder.tables
        if code.cameo in PLAIN_STATEMENTS or clause.predicate.lemma in DELIBERATING_VERBS:
            content = _content_verbs(clause.verb)
        elif clause.predicate.lemma in REPORTING_VERBS:  # 'announced that it would withdraw': an attribution
            content = [v for c in clause.verb.children if c.dep_ == "ccomp" for v in [c, *_content_verbs(c)]]
        else:
            return False
        return any(codes_an_act(build_predicate(verb, None), tables) for verb in content if verb.pos_ == "VERB")

    def _location(self, clause: Clause, countries: Collection[str] = ()) -> Location | None:
        """The place the clause itself locates its event in ('met in Doha'), read in the actors' countries."""
        for ent in _clause_entities(clause.verb, PLACE_ENT_LABELS):
            head = ent.root.head
            if head.dep_ == "prep" and head.lower_ in ("in", "at", "near", "outside") and ent.label_ in ("GPE", "LOC"):
                place = self.resolver.resolve_location(ent.text, countries)
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

    def _named_country(self, sent: Span) -> str | None:
        """The one country of the places the sentence names in phrases of nouns ('the province of Papua',
        'states such as Kerala'), not as actors or destinations: a role-only actor's likely country."""
        countries = set()
        for ent in ents_in(sent):
            if ent.label_ == "GPE" and _qualifies_noun(ent.root):
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

    def __init__(self, text_starts: int = 0) -> None:
        self.text_starts = text_starts  # where the article's own words start, after its dateline
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


def _named_body(actor: ActorRef) -> bool:
    """A group named by a proper name the knowledge base does not know ('the Eurasian Economic Union')."""
    words = actor.text.split()
    return actor.kind == "group" and bool(words) and words[-1][:1].isupper()


def _other_parties(parties: list[ActorRef], targets: list[ActorRef]) -> list[ActorRef]:
    """The parties a condition names that no target already stands for (by name, or country and role): 'an
    ultimatum to Damascus ... if the Syrian government does not withdraw' has one target."""
    taken = {(t.country, t.sector) for t in targets if t.country}
    return [p for p in parties if (p.country, p.sector) not in taken and not any(_same_actor(p, t) for t in targets)]


def _qualifies_noun(tok: Token) -> bool:
    """A name in a prepositional phrase of a noun ('the province of Papua'; not 'US diplomats', an actor)."""
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ in QUALIFYING_PREPS and prep.head.pos_ == "NOUN"


def _coordinations(tokens: Sequence[Token]) -> list[list[Token]]:
    """Tokens grouped by coordination ('Fabius and a group of deputies' together), in order."""
    groups: list[list[Token]] = []
    for tok in tokens:
        partners = {c.i for c in tok.conjuncts}
        group = next((g for g in groups if any(t.i in partners for t in g)), None)
        if group is None:
            groups.append([tok])
        else:
            group.append(tok)
    return groups


def _with_partners_country(actors: list[ActorRef]) -> list[ActorRef]:
    """Role-only actors coordinated with people or groups of one country take that country: 'French National
    Assembly president Laurent Fabius and a group of deputies' -> French deputies (not 'China and the
    Eurasian Union': a whole country's partner is another party)."""
    countries = {a.country for a in actors if a.country and a.sector != "IGO" and a.kind != "country"}
    if len(countries) != 1:
        return actors
    country = countries.pop()
    return [_with_country(a, country, None) if not a.country else a for a in actors]


def _antecedent(actors: ArticleActors, span: Span) -> ActorRef | None:
    """What 'its' or 'their' at the start of a phrase most likely refers to: the nearest country, people or
    organisation with a country named before it in the sentence ('Iraq, after its parliament ...')."""
    sentence = span.doc[span.sent.start : span.start]
    for ent in reversed(ents_in(sentence)):
        if _accuser_of(ent.root, span.root):
            continue
        if ent.label_ in ANTECEDENT_ENT_LABELS and ent.root.dep_ not in MODIFIER_DEPS:  # not 'an Indian diplomat'

            ref = actors.resolve_span(ent)
            if ref.country:
                return ref
    return None


def _accuser_of(agent: Token, owned: Token) -> bool:
    """An act's by-agent is not who 'its' means in what the act says ('accusations by X that its army ...')."""
    by = agent.head
    return agent.dep_ == "pobj" and by.lower_ == "by" and by.head in owned.ancestors


def _owned_by(ref: ActorRef, owner: ActorRef | None) -> ActorRef:
    """A role-only actor of an owner's ('its parliament'): the owner's country in that role."""
    if owner is None or not owner.country:
        return ref
    return replace(ref, country=owner.country, code=actor_code(owner.country, ref.sector))


def _titled_by_apposition(actors: ArticleActors, tok: Token, ref: ActorRef) -> ActorRef:
    """A name whose apposition gives its post takes that post's country and role: 'Alice Wells, a senior
    US State Department official' -> USA GOV."""
    for apposition in appositions(tok):
        post = actors.resolve_span(apposition)
        if post.country and post.kind in ("person", "group"):
            sector = ref.sector or post.sector
            return replace(ref, country=post.country, sector=sector, code=actor_code(post.country, sector))
    return ref


def _modifier_actor(own: ActorRef, role: ActorRef) -> ActorRef | None:
    """The actor a coordinated modifier names with its shared head: its country (or body) in the head's
    role ('Russian' of 'Russian and Syrian warplanes' -> RUS MIL)."""
    if own.sector or not own.country:
        return own if _is_actor(own) and own.kind != "place" else None
    sector = role.sector if role.sector != "IGO" else None
    kind = role.kind if role.kind in ("group", "person") else "group"
    return replace(own, sector=sector, kind=kind, name=None, code=actor_code(own.country, sector))


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
    """Troops an actor moves ('mobilised troops', 'strengthened its forces', 'pulled out its soldiers',
    'agreed to withdraw its troops') are its own means, not the target of its act."""
    if target.sector != "MIL" or code.plover in ACTS_ON_FORCES:
        return False
    owned = target.text.lower().startswith(POSSESSIVE_DETERMINERS)
    if code.plover in FORCE_MOVEMENTS:
        return owned or target.country in (None, source.country)
    return owned and target.country == source.country


def _placed(source: ActorRef, target: ActorRef | None, place: str | None) -> tuple[ActorRef, ActorRef | None]:
    """Actors named only by their role take the country where the event happened (`place`), else that of
    the state actor they face: 'Russian police detained dozens of people' -> the people are in Russia."""
    placed_target = _with_country(target, place, source, owner=source) if target is not None else None
    return _with_country(source, place, target), placed_target


def _with_country(
    actor: ActorRef, place: str | None, other: ActorRef | None, owner: ActorRef | None = None
) -> ActorRef:
    """`actor` with the country its role-only name implies: its owner's ('Russia ... its forces'), else
    the event's place, else that of the state organ it faces (not of a whole country, which acts abroad),
    or of the citizens a state organ faces, or of the country acting on its own opposition or politicians."""
    if actor.country or actor.sector == "IGO" or actor.kind not in ("group", "person") or not actor.sector:
        return actor
    owned = owner is not None and actor.text.lower().startswith(POSSESSIVE_DETERMINERS)
    facing_state = other is not None and other.kind != "country" and other.sector in STATE_SECTORS
    facing_citizens = other is not None and actor.sector in DOMESTIC_ORGANS and other.sector in CITIZEN_SECTORS
    facing_state = facing_state or facing_citizens  # 'Navalny protested the authorities' failure': Russia's
    ruled = other is not None and other.kind == "country" and actor.sector in RULED_SECTORS and not _named_body(actor)
    facing_state = facing_state or ruled  # 'Venezuela banned an opposition member': a Venezuelan
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


def _one_per_dyad(events: list[Event]) -> list[Event]:
    """One event per (source, target) in a sentence, the most confident: the guideline codes one happening
    once, and two clauses coding one pair differently ('stormed the headquarters, killing five') report
    one happening, not two. Reading order is kept."""
    best: dict[tuple[int, str, str | None], Event] = {}
    for event in events:
        key = (event.mentions[0].start, _actor_key(event.source), _actor_key(event.target) if event.target else None)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    kept = {id(event) for event in best.values()}
    return [event for event in events if id(event) in kept]


def _actor_key(actor: ActorRef) -> str:
    return actor.actor_id or actor.text.lower()


def _political(actor: ActorRef) -> bool:
    """Whether an actor's plain remarks are event data: states, their organs and officials, parties, armed
    groups, international bodies; not business people, analysts or unknown names ('Lutz said sales rose')."""
    if actor.sector in NON_POLITICAL_SECTORS:
        return False
    return bool(actor.sector or actor.kind == "country" or (actor.country and actor.actor_id))


def _elaborates(clause: Clause, code: EventCode) -> bool:
    """A participial adjunct of its clause ('banned him, meaning he cannot run', 'rejected the call, saying S',
    'criticising the parties, the minister said'): it tells more of the same happening, which is coded once
    (guideline §2), unless it is a violent act of its own ('attacked the base, killing five soldiers')."""
    verb = clause.verb
    if verb.dep_ != "advcl" or verb.tag_ != "VBG" or code.cameo[:2] in VIOLENT_ROOTS:
        return False
    return not any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in verb.children)


def _content_verbs(verb: Token) -> list[Token]:
    """The verbs of what a clause verb says or weighs, reached through its complements and objects."""
    found: list[Token] = []
    frontier = [c for c in verb.children if c.dep_ in CONTENT_DEPS]
    while frontier:
        tok = frontier.pop()
        if tok.pos_ == "VERB":
            found.append(tok)
        frontier.extend(c for c in tok.children if c.dep_ in CONTENT_DEPS)
    return found


def _is_actor(ref: ActorRef | None) -> bool:
    """A resolved actor: a known one, a named one, or one named by its role ('police', 'the interior minister')."""
    return ref is not None and bool(
        ref.country or ref.actor_id or ref.name or (ref.kind in ("group", "person") and ref.sector)
    )


def _unknown_attackers(sources: Sequence[Token]) -> list[ActorRef]:
    """Attacks and weapons as agents ('a car bomb killed', 'killed in a suicide bombing') stand for their
    unknown perpetrators: CAMEO's unidentified armed forces (UAF)."""
    return [
        ActorRef(actor_span(tok).text, sector=UNKNOWN_ATTACKERS, kind="group", confidence=0.4, code=UNKNOWN_ATTACKERS)
        for tok in sources
        if is_attack_noun(tok)
    ][:1]


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
    if _is_cleft(verb.head, verb):
        return [verb, verb.head]  # 'It was last week in Geneva that they signed': the focus dates the clause
    while node.dep_ in ("conj", "relcl", "xcomp", "advcl", "pcomp") and node.head.i != node.i and len(scopes) < 4:
        node = node.head
        while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
        scopes.append(node)
    return scopes


def _is_cleft(head: Token, verb: Token) -> bool:
    """Whether `head` is the 'It was X' of a cleft sentence whose 'that' clause is `verb` ('It was in May
    that they met')."""
    return (
        head.i != verb.i
        and verb.dep_ == "ccomp"
        and verb.head.i == head.i
        and head.lemma_ == "be"
        and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in head.children)
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
    )


def _hops(token: Token, ancestor: Token) -> int:
    """Dependency arcs from a token up to one of its ancestors."""
    hops = 0
    while token.i != ancestor.i and token.head.i != token.i:
        token = token.head
        hops += 1
    return hops


def _date_expressions(verb: Token, whole_focus: bool = False) -> list[str]:
    """Date phrases attached to this clause, with the word that scopes them ('on', 'last', 'since'); a cleft's
    focus (`whole_focus`) dates its clause however deep the date sits in it ('on the sidelines of last
    September's meeting')."""
    expressions = []
    for ent in _clause_entities(verb, {"DATE"}):
        if not whole_focus and _hops(ent.root, verb) > MAX_DATE_HOPS:
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
