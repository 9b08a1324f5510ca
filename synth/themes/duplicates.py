"""Near-duplicate statements: pairs that say nearly the same thing, what Pol.is moderators look
for by hand. Duplicates split a debate's votes between two cards and crowd a theme.

Texts are compared by the cosine of their embeddings. With the bundled model a paraphrase sits
near 0.7–0.8, not above 0.9: on the sample study the pairs written as duplicates ("Slow IT is
wasting hours of my week" / "Slow or unreliable IT wastes a significant part of my week")
score 0.72–0.77, and nothing scores 0.85. Two statements on one subject that take opposite
sides score as high ("The 60 % attendance requirement is applied fairly" / "Office attendance
should be based on what the work needs", 0.75), so the list is for a researcher to judge, most
similar first, and each statement pair carries what only votes can tell: of the participants
who agreed or disagreed with both, how many voted the same way on both. Paraphrases are voted
alike; opposites are not.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .. import board
from ..board import CardRef
from ..sql import rows_in
from ..votes.statement_figures import percent
from .embeddings import Backend
from .project_themes import Cancelled, Progress, card_vectors

THRESHOLD = 0.7     # cosine with the bundled model; its paraphrases measured at 0.72–0.77
LIMIT = 200         # pairs listed, most similar first
BLOCK = 256         # texts compared with all the others at a time (256 × 100,000 floats: 100 MB)


class DuplicatesCancelled(Exception):
    """The comparison was cancelled (``cancelled()`` said so)."""


@dataclass(frozen=True)
class VotedAlike:
    both: int          # participants who agreed or disagreed with both statements (passes aside)
    same: int          # of them, those who voted the same way on both

    @property
    def pct(self) -> int | None:
        return None if not self.both else percent(self.same, self.both)


@dataclass(frozen=True)
class DuplicatePair:
    a: CardRef
    b: CardRef
    similarity: float
    alike: VotedAlike | None = None     # statements of one debate only


def near_duplicates(project: Any, *, threshold: float = THRESHOLD, limit: int = LIMIT,
                    kinds: Sequence[str] = ("statement",), backend: Backend | None = None,
                    cached_only: bool = False, progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> list[DuplicatePair]:
    """Pairs of cards of ``kinds`` whose texts have cosine ≥ ``threshold``, most similar first
    (at most ``limit``), each pair of statements with how alike they were voted.
    ``cached_only``: raise embeddings.NotCached rather than embed (the window never embeds on
    a read). The comparison grows with the square of the cards (100,000 statements: about a
    minute here), so it reports ``progress`` and stops with DuplicatesCancelled when
    ``cancelled()`` says so, block by block."""
    progress = progress or (lambda done, total, message: None)
    cancelled = cancelled or (lambda: False)
    # a text with no letter ("👍", "😡", "+1") reads to the model as every other such text
    # (cosine 1.0 between any two emoji): no pair of them is a finding
    cards = [c for c in board.cards(project) if c.kind in kinds
             and any(ch.isalpha() for ch in c.text)]
    if len(cards) < 2:
        return []
    vectors, _backend = card_vectors(project, cards, backend, cancelled=cancelled,
                                     cached_only=cached_only)
    found: list[tuple[float, int, int]] = []
    n = len(cards)
    for s in range(0, n, BLOCK):
        if cancelled():
            raise DuplicatesCancelled()
        progress(s, n, "Comparing texts")
        block = vectors[s:s + BLOCK] @ vectors[s:].T      # each pair once: j after i
        rows, cols = np.nonzero(block >= threshold)
        keep = cols > rows
        rows, cols = rows[keep], cols[keep]
        sims = block[rows, cols]
        cols = cols + s
        if len(sims) > limit:           # a big board of similar texts: this block's best only
            best = np.argpartition(-sims, limit)[:limit]
            rows, cols, sims = rows[best], cols[best], sims[best]
        found.extend(zip(sims.tolist(), (rows + s).tolist(), cols.tolist()))
        if len(found) > 4 * limit:
            found = _best(found, cards, limit)
    found = _best(found, cards, limit)
    statements = {cards[at].id for _sim, i, j in found for at in (i, j)
                  if cards[at].kind == "statement"}
    votes = _votes_on(project, statements)
    out = []
    for sim, i, j in found:
        a, b = cards[i], cards[j]
        alike = None
        if a.kind == b.kind == "statement" and a.source_id == b.source_id:
            alike = voted_alike(votes.get(a.id, {}), votes.get(b.id, {}))
        out.append(DuplicatePair(a.ref, b.ref, round(sim, 4), alike))
    return out


def _best(found: list[tuple[float, int, int]], cards: Sequence[board.Card],
          limit: int) -> list[tuple[float, int, int]]:
    found.sort(key=lambda f: (-f[0], cards[f[1]].ref, cards[f[2]].ref))
    return found[:limit]


def voted_alike(a: dict[int, int], b: dict[int, int]) -> VotedAlike:
    """Of the participants who agreed or disagreed with both (participant → vote), how many
    voted the same way."""
    both = [p for p, v in a.items() if v != 0 and b.get(p, 0) != 0]
    return VotedAlike(len(both), sum(1 for p in both if a[p] == b[p]))


def _votes_on(project: Any, statement_ids: set[int]) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = {}
    ids = sorted(statement_ids)
    for sid, pid, value in rows_in(
            project.query, "SELECT statement_id, participant_id, value FROM votes "
            "WHERE statement_id IN", ids):
        out.setdefault(sid, {})[pid] = value
    return out
