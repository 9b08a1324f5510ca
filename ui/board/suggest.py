""""More like this": cards that read like a theme's cards (no Qt, no model download).

A TF-IDF cosine over words: instant for a few thousand cards, on the GUI thread, with no
model to load; good enough to propose, since the researcher accepts each suggestion by hand.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

from synth.board import CardRef

_WORD = re.compile(r"[a-z][a-z'’-]{2,}")
_STOP = set("""the and for that this with are was were have has had not but you your our they
them their from what when where which who will would could should can about there been more
some than then into just also very much many being work working""".split())


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def similar_cards(texts: dict[CardRef, str], members: Iterable[CardRef],
                  candidates: Iterable[CardRef], k: int = 6) -> list[CardRef]:
    members = list(members)
    candidates = [c for c in candidates if c not in set(members)]
    if not members or not candidates:
        return []
    docs = {r: Counter(_tokens(texts.get(r, ""))) for r in (*members, *candidates)}
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


