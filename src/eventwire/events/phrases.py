"""Noun phrases of the parse that name actors: the span around a token, its conjuncts and appositions.

A misparse that runs a phrase across a coordination ('Minister A and Minister B') is cut at the
conjunction, except inside one organisation's name ('Fish and Wildlife Service').
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

NOUN_PHRASE_DEPS = {"compound", "amod", "det", "poss", "nmod", "nummod", "flat", "case", "quantmod"}
ACTOR_ENT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
#: Named entities whose names may hold a conjunction ('Immigration and Customs Enforcement').
NAME_ENT_LABELS = {"ORG", "FAC"}
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


def is_pronoun(token: Token) -> bool:
    """A pronoun or pronoun-like word ('it', 'they', 'which'); 'US' in capitals is the country."""
    return token.lower_ in PRONOUNS and not (token.text.isupper() and len(token.text) > 1)


def dependents(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    """Expand 'Xi and Putin' to both heads, and 'Russian and Syrian warplanes' to both modifiers' actors."""
    out: list[Token] = []
    for tok in tokens:
        out.extend(t for t in coordinated_heads(tok) if t.i < tok.i)
        out.extend(modifier_conjuncts(tok))
        out.append(tok)
        for conjunct in tok.conjuncts:
            if conjunct.i > tok.i and conjunct.pos_ in ("PROPN", "NOUN", "PRON"):
                out.extend(modifier_conjuncts(conjunct))
                out.append(conjunct)
    return out


#: Dependencies of a modifier that can name the country or body of its head's actor ('Russian warplanes').
MODIFIER_DEPS = {"amod", "compound", "nmod"}
#: Entity labels of modifiers that name an actor of their own when coordinated ('French and German').
MODIFIER_ENT_LABELS = {"NORP", "GPE", "ORG"}


def modifier_conjuncts(token: Token) -> list[Token]:
    """Coordinated modifiers of a head that its phrase leaves out, each naming another actor of the head's
    kind: 'Russian and Syrian warplanes' -> Russian (the phrase is 'Syrian warplanes')."""
    found = []
    for child in token.children:
        if child.dep_ in MODIFIER_DEPS and child.conjuncts:
            group = [*_listed_before(child), child, *child.conjuncts]
            found += [m for m in group if _names_actor(m) and _is_same(shared_head(m), token)]
    return sorted(set(found), key=lambda m: m.i)


def _listed_before(modifier: Token) -> list[Token]:
    """Sibling modifiers listed before a coordinated one with commas ('Russian' in 'Russian, Syrian and
    Iranian warplanes', where the parse coordinates only the last two)."""
    doc, listed = modifier.doc, []
    first = modifier
    while first.i >= 2 and doc[first.i - 1].text == ",":
        before = doc[first.i - 2]
        if before.head.i != modifier.head.i or before.dep_ not in MODIFIER_DEPS or not _names_actor(before):
            break
        listed.append(before)
        first = before
    return listed


def shared_head(token: Token) -> Token | None:
    """The head noun a coordinated modifier shares with its conjuncts, when the head's phrase leaves the
    modifier out: 'Russian' in 'Russian and Syrian warplanes' -> warplanes; None for any other token."""
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    if node.dep_ not in MODIFIER_DEPS or head.pos_ not in ("NOUN", "PROPN") or not _names_actor(token):
        return None
    if not (node.conjuncts or _listed_after(node)):
        return None
    span = actor_span(head)
    return None if span.start <= token.i < span.end else head


def _listed_after(modifier: Token) -> bool:
    """Whether a comma joins the modifier to a coordinated sibling after it ('Russian, Syrian and ...')."""
    doc = modifier.doc
    if modifier.i + 2 >= len(doc) or doc[modifier.i + 1].text != ",":
        return False
    after = doc[modifier.i + 2]
    return after.head.i == modifier.head.i and after.dep_ in MODIFIER_DEPS and (
        bool(after.conjuncts) or _listed_after(after)
    )


def modifier_span(token: Token) -> Span:
    """The words of one coordinated modifier, without its conjuncts ('Hungarian' in 'Hungarian and Romanian
    officials', 'South Korean' in 'US and South Korean troops')."""
    own = [t for c in token.children if c.dep_ not in ("conj", "cc", "punct") for t in c.subtree]
    start = min([token.i, *(t.i for t in own)])
    end = max([token.i, *(t.i for t in own)]) + 1
    return token.doc[start:end]


def _names_actor(token: Token) -> bool:
    return token.ent_type_ in MODIFIER_ENT_LABELS or token.pos_ == "PROPN"


def _is_same(a: Token | None, b: Token) -> bool:
    return a is not None and a.i == b.i


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
            root = doc[ent.start : ent.end].root
            left = ent.start
            for child in root.lefts:
                if child.dep_ in NOUN_PHRASE_DEPS and child.i < left and child.ent_type_ not in NON_ACTOR_ENT_LABELS:
                    left = min(left, child.left_edge.i)
            right = max([ent.end, *(c.right_edge.i + 1 for c in root.rights if _country_of_phrase(c))])
            return doc[left : max(right, _dangling_end(doc[ent.start : ent.end]))]
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


def _dangling_end(ent: Span) -> int:
    """Where a name the entity tagger cut inside its 'of' phrase ends ('the Council of the | Polish branch'):
    the end of the phrase its last word belongs to (0 when the entity is whole)."""
    last = ent[-1]
    if last.pos_ == "ADP":
        return last.right_edge.i + 1
    if any(t.pos_ == "ADP" for t in ent[1:-1]) and last.head.i >= ent.end:
        return last.head.right_edge.i + 1
    return 0


#: Entities that never name an actor, nor belong to an actor's phrase ('17 July 2017 Russia's Supreme Court').
NON_ACTOR_ENT_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}


def _country_of_phrase(child: Token) -> bool:
    """An 'of' phrase naming the country or body of the name before it: 'the Supreme Court of Kenya',
    'the Administrative Centre of the Russian branch of X'."""
    if child.dep_ != "prep" or child.lower_ != "of":
        return False
    return any(o.ent_type_ == "GPE" or _nationality_of(o) for o in dependents(child, {"pobj"}))


def _nationality_of(noun: Token) -> bool:
    return any(c.dep_ == "amod" and c.ent_type_ == "NORP" for c in noun.children)


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
        and any(o.ent_type_ == "GPE" for o in dependents(child, {"pobj"}))
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


def appositions(token: Token) -> list[Span]:
    return [actor_span(c) for c in token.children if c.dep_ == "appos"]


#: Participles that give a described actor its name ('the group known as X', 'a militia called X').
NAMING_PARTICIPLES = {"know", "call", "name", "dub"}


def given_names(token: Token) -> list[Span]:
    """Names a described actor is given by a participle after it ('the charity known as the Green Hands')."""
    names: list[Span] = []
    for participle in token.children:
        if participle.dep_ != "acl" or participle.lemma_.lower() not in NAMING_PARTICIPLES:
            continue
        as_objects = [o for p in participle.children if p.dep_ == "prep" and p.lower_ == "as" for o in p.children]
        named = [c for c in participle.children if c.dep_ in ("oprd", "attr", "dobj")] + as_objects
        names += [actor_span(n) for n in named if n.pos_ == "PROPN"]
    return names
