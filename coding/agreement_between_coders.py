"""Agreement between two coders, per code: Cohen's kappa and percentage agreement, computed
character by character (as NVivo does) over the documents both coders have coded, and the
stretches where they disagree, for the team to discuss.

For one code, each character of the shared documents is a unit that each coder either coded
with it (1) or not (0). With N characters, a = coded by coder A, b = by coder B, both = by both:
  observed agreement  po = (both + neither) / N
  chance agreement    pe = (a/N)(b/N) + (1 − a/N)(1 − b/N)
  kappa               κ  = (po − pe) / (1 − pe)        (None when pe = 1: nothing to tell apart)
  % agreement         100 · po
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np


@dataclass(frozen=True)
class CodeAgreement:
    theme_id: int
    code: str
    characters: int          # N
    coded_a: int
    coded_b: int
    coded_both: int
    percent: float
    kappa: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Disagreement:
    theme_id: int
    code: str
    document_id: int
    start: int
    end: int
    coded_by: str            # the coder who applied the code here; the other did not
    text: str


def shared_documents(project: Any, coder_a: str, coder_b: str) -> list[int]:
    return [r[0] for r in project.query(
        "SELECT document_id FROM codings WHERE coder = ? INTERSECT "
        "SELECT document_id FROM codings WHERE coder = ? ORDER BY 1", (coder_a, coder_b))]


def _masks(project: Any, coder: str, theme_id: int, doc_id: int, n: int) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    for s, e in project.query("SELECT start, end FROM codings WHERE coder = ? AND theme_id = ? "
                              "AND document_id = ?", (coder, theme_id, doc_id)):
        m[max(0, s):min(n, e)] = True
    return m


def _themes(project: Any, coder_a: str, coder_b: str, docs: Sequence[int]
            ) -> list[tuple[int, str]]:
    if not docs:
        return []
    marks = ",".join("?" for _ in docs)
    return [(r[0], r[1]) for r in project.query(
        f"SELECT DISTINCT t.id, t.name FROM codings c JOIN themes t ON t.id = c.theme_id "
        f"WHERE c.coder IN (?, ?) AND c.document_id IN ({marks}) ORDER BY t.position, t.id",
        (coder_a, coder_b, *docs))]


def kappa_from_counts(n: int, a: int, b: int, both: int) -> tuple[float, float | None]:
    """(% agreement, kappa) from the four counts above."""
    if n == 0:
        return 100.0, None
    neither = n - a - b + both
    po = (both + neither) / n
    pe = (a / n) * (b / n) + (1 - a / n) * (1 - b / n)
    kappa = None if pe >= 1.0 else (po - pe) / (1 - pe)
    return 100.0 * po, kappa


def compare_coders(project: Any, coder_a: str, coder_b: str,
                   document_ids: Sequence[int] | None = None) -> list[CodeAgreement]:
    docs = list(document_ids) if document_ids is not None else \
        shared_documents(project, coder_a, coder_b)
    lengths = {d: project.scalar("SELECT length(text) FROM documents WHERE id = ?", (d,)) or 0
               for d in docs}
    out = []
    for tid, name in _themes(project, coder_a, coder_b, docs):
        n = a = b = both = 0
        for d in docs:
            ma = _masks(project, coder_a, tid, d, lengths[d])
            mb = _masks(project, coder_b, tid, d, lengths[d])
            n += lengths[d]
            a += int(ma.sum())
            b += int(mb.sum())
            both += int((ma & mb).sum())
        pct, kappa = kappa_from_counts(n, a, b, both)
        out.append(CodeAgreement(tid, name, n, a, b, both, pct, kappa))
    return out


def disagreements(project: Any, coder_a: str, coder_b: str,
                  document_ids: Sequence[int] | None = None) -> list[Disagreement]:
    """Stretches coded with a code by one coder only, by document and position."""
    docs = list(document_ids) if document_ids is not None else \
        shared_documents(project, coder_a, coder_b)
    out = []
    for d in docs:
        text = project.scalar("SELECT text FROM documents WHERE id = ?", (d,)) or ""
        for tid, name in _themes(project, coder_a, coder_b, [d]):
            ma = _masks(project, coder_a, tid, d, len(text))
            mb = _masks(project, coder_b, tid, d, len(text))
            for who, only in ((coder_a, ma & ~mb), (coder_b, mb & ~ma)):
                edges = np.flatnonzero(np.diff(np.concatenate(([0], only.astype(np.int8), [0]))))
                for s, e in zip(edges[::2], edges[1::2]):
                    if text[s:e].strip():         # a stray blank is not a disagreement
                        out.append(Disagreement(tid, name, d, int(s), int(e), who, text[s:e]))
    return sorted(out, key=lambda x: (x.document_id, x.start, x.theme_id))
