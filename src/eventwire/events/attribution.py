"""Who a sentence says reported a clause: the speaker of 'X said', or whom it is 'according to'."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from eventwire.events.modality import SPEECH_LEMMAS
from eventwire.events.phrases import dependents, with_conjuncts


def find_attribution(verb: Token, according: Sequence[Token] = ()) -> list[Token]:
    """Who the sentence says reported a clause: the subject of the speech verb whose content it is
    ('police said the army fired', 'the army fired, police said'), or else `according` (`according_to`)."""
    node = verb
    for _ in range(4):
        head = node.head
        if node.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in SPEECH_LEMMAS:
            return with_conjuncts(dependents(head, {"nsubj"}))
        if node.dep_ not in ("conj", "xcomp", "advcl") or head.i == node.i:
            break
        node = head
    for child in node.children:  # 'the army fired, police said': the speech verb hangs below the clause
        if child.dep_ in ("parataxis", "ccomp") and child.i > node.i and child.lemma_.lower() in SPEECH_LEMMAS:
            return with_conjuncts(dependents(child, {"nsubj"}))
    return list(according)


def according_to(sent: Span) -> list[Token]:
    """Who a sentence is 'according to' (read once per sentence)."""
    if "ccording" not in sent.text:
        return []
    return [
        source
        for word in sent
        if word.lower_ == "according"
        for to in dependents(word, {"prep"})
        for source in dependents(to, {"pobj"})
    ]
