"""Agreement figures per statement: agree, disagree and pass counts and percentages "of those
who voted" (agrees ÷ (agrees + disagrees + passes)), overall and for any split of the
participants — opinion groups, a characteristic (department, region …), a source, a segment.
Every figure carries its n; figures resting on fewer than ``small_n`` votes are flagged and,
when the report asks, suppressed (percentages None, counts kept)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .matrix import VoteMatrix
from .repness import Counts, count_votes

SMALL_N = 10


@dataclass
class Figure:
    agree: int
    disagree: int
    passes: int
    n: int                          # those who voted on it (agree + disagree + pass)
    pct_agree: float | None
    pct_disagree: float | None
    pct_pass: float | None
    small_n: bool

    def as_dict(self) -> dict:
        return {"agree": self.agree, "disagree": self.disagree, "pass": self.passes,
                "n": self.n, "pct_agree": self.pct_agree, "pct_disagree": self.pct_disagree,
                "pct_pass": self.pct_pass, "small_n": self.small_n}


@dataclass
class AgreementTable:
    """Counts per label (rows) and statement (columns); ``labels[i]`` names row i."""
    labels: list
    statements: np.ndarray
    counts: Counts
    small_n: int = SMALL_N
    suppress_small: bool = False

    def figure(self, label, statement) -> Figure:
        i = self.labels.index(label)
        j = int(np.flatnonzero(self.statements == statement)[0])
        return self._figure(i, j)

    def _figure(self, i: int, j: int) -> Figure:
        a = int(self.counts.agree[i, j])
        d = int(self.counts.disagree[i, j])
        n = int(self.counts.seen[i, j])
        p = n - a - d
        small = n < self.small_n
        if n == 0 or (small and self.suppress_small):
            return Figure(a, d, p, n, None, None, None, small)
        return Figure(a, d, p, n, 100 * a / n, 100 * d / n, 100 * p / n, small)

    def percent_agree(self) -> np.ndarray:
        """(labels, statements) % agree; NaN where nobody (or, suppressed, too few) voted."""
        seen = self.counts.seen
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(seen > 0, 100.0 * self.counts.agree / np.maximum(seen, 1), np.nan)
        if self.suppress_small:
            out[seen < self.small_n] = np.nan
        return out

    def rows(self, statement) -> dict:
        j = int(np.flatnonzero(self.statements == statement)[0])
        return {str(lab): self._figure(i, j).as_dict() for i, lab in enumerate(self.labels)}


def agreement(vm: VoteMatrix, labels: np.ndarray | None = None, names: Sequence | None = None,
              *, small_n: int = SMALL_N, suppress_small: bool = False) -> AgreementTable:
    """Counts for each label value ≥ 0 (participants labelled −1 left out); without labels one
    row, everyone."""
    if labels is None:
        labels = np.zeros(vm.shape[0], dtype=np.int64)
        names = ["all"]
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    # named rows are all there, voters or not: a segment whose people cast no votes is a row
    # of n = 0, not a table without its row (QA 17: an IndexError)
    names = list(range(k)) if names is None else list(names)
    k = max(k, len(names))
    return AgreementTable(names, vm.statements, count_votes(vm, labels, k), small_n,
                          suppress_small)


def by_value(vm: VoteMatrix, values: Mapping, *, small_n: int = SMALL_N,
             suppress_small: bool = False) -> AgreementTable:
    """Split by a characteristic: ``values`` maps participant id → value (e.g. department);
    participants without a value are left out. Rows sorted by value."""
    names = sorted({str(v) for v in values.values() if v is not None and str(v) != ""})
    pos = {v: i for i, v in enumerate(names)}
    labels = np.array([pos.get(str(values.get(p)), -1) if values.get(p) is not None else -1
                       for p in vm.participants.tolist()], dtype=np.int64)
    return agreement(vm, labels, names, small_n=small_n, suppress_small=suppress_small)


def by_subset(vm: VoteMatrix, members: set, name: str = "segment", *, small_n: int = SMALL_N,
              suppress_small: bool = False) -> AgreementTable:
    """One row: the participants in ``members`` (a segment such as "line managers")."""
    labels = np.array([0 if p in members else -1 for p in vm.participants.tolist()])
    return agreement(vm, labels, [name], small_n=small_n, suppress_small=suppress_small)
