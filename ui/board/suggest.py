""""More like this" by shared words, until the cards are embedded (no Qt, no model download).

A TF-IDF cosine over words: instant for a few thousand cards, on the GUI thread, with no
model to load; good enough to propose, since the researcher accepts each suggestion by hand.
It offers what the embedded suggestions offer (``synth.themes.suggestions.offer_rule``):
unsorted cards and other themes' cards (the board says which theme each lies in), never the
theme's own or its sub-themes' (they are what it reads like) nor a pinned theme's. A theme the
team named that holds few cards reads also by its name's and description's words, as the
embedded suggestions read it (``reads_by_name``): a codebook's code with no card is offered
cards too.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Any, Iterable, Mapping

from synth.board import CardRef


def word_suggestions(cards: Mapping[CardRef, Any], themes: Mapping[int, Any], theme_id: int,
                     k: int = 6) -> list[CardRef]:
    """The ``k`` cards (``.text``, ``.theme_id``) that share most words with a theme's,
    by ``offer_rule`` on the board's ``themes`` (``.parent_id``, ``.pinned``); a card whose
    theme is not among them lies in the unsorted pile."""
    from synth.themes.suggestions import NAME_WEIGHT, offer_rule, reads_by_name
    own, fixed = offer_rule({t: th.parent_id for t, th in themes.items()},
                            [t for t, th in themes.items() if th.pinned], theme_id)
    members = [r for r, c in cards.items() if c.theme_id in own]
    candidates = [r for r, c in cards.items() if c.theme_id not in fixed]
    texts = {r: cards[r].text for r in (*members, *candidates)}
    theme = themes.get(theme_id)
    if theme is not None:
        named = reads_by_name(theme.name, theme.description, theme.status, theme.name_edited,
                              len(members))
        if named:               # the name counts as NAME_WEIGHT cards, as the embeddings count it
            names = [("name", i) for i in range(NAME_WEIGHT)]
            texts.update((r, named) for r in names)
            members += names
    return similar_cards(texts, members, candidates, k)


def similar_cards(texts: dict[Any, str], members: Iterable[Any],
                  candidates: Iterable[CardRef], k: int = 6) -> list[CardRef]:
    """The ``k`` ``candidates`` whose words (``labels.tokens``: content words, no transcriber's
    annotation) are closest to the ``members``' by TF-IDF cosine, best first."""
    from synth.themes.labels import tokens
    members = list(members)
    own = set(members)
    candidates = [c for c in candidates if c not in own]
    if not members or not candidates:
        return []
    docs = {r: Counter(tokens(texts.get(r, ""))) for r in (*members, *candidates)}
    df: Counter = Counter()
    for cnt in docs.values():
        df.update(cnt.keys())
    n = len(docs)

    def vec(cnt: Counter) -> dict[str, float]:
        return {w: (1 + math.log(c)) * math.log(1 + n / df[w]) for w, c in cnt.items()}

    centroid: Counter = Counter()
    for r in members:
        for w, v in vec(docs[r]).items():
            centroid[w] += v / len(members)
    cnorm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    scored = []
    for r in candidates:
        v = vec(docs[r])
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        s = sum(x * centroid.get(w, 0.0) for w, x in v.items()) / (norm * cnorm)
        if s > 0.05:
            scored.append((s, r))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [r for _, r in scored[:k]]
