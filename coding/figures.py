"""Per-statement vote figures shown beside evidence: % agree overall and per opinion group, with n.

"% agree" is agrees ÷ (agrees + disagrees + passes) among those who voted (PRODUCT.md). Computed
here from the ``votes`` table because ``synth.votes`` offers no per-statement agreement API yet
(``synth/votes/agreement.py`` does not exist at the time of writing); when it does, this module
should delegate to it and keep its return type.

Opinion groups: the membership of the latest ``analysis_runs`` row of kind ``opinion_groups``
(``group_members``) of each debate source; without one, Pol.is's own
``participants.polis_group``. Groups are labelled
A, B, C … from their 0-based group id, as Pol.is shows them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def n(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def pct_agree(self) -> float | None:
        """Share of those who voted who agreed, 0–100; None when nobody voted."""
        return None if self.n == 0 else 100.0 * self.agree / self.n

    @property
    def pct_disagree(self) -> float | None:
        return None if self.n == 0 else 100.0 * self.disagree / self.n

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.agree + other.agree, self.disagree + other.disagree,
                     self.passed + other.passed)

    def as_dict(self) -> dict[str, Any]:
        pct = self.pct_agree
        return {"agree": self.agree, "disagree": self.disagree, "pass": self.passed,
                "n": self.n, "pct_agree": None if pct is None else round(pct, 1)}


@dataclass(frozen=True)
class StatementFigures:
    statement_id: int
    overall: Tally
    groups: dict[str, Tally] = field(default_factory=dict)   # "A" -> tally
    voters: frozenset[int] = frozenset()                      # participant ids (empty: tallies)
    from_tallies: bool = False                                # only totals known, no votes

    def as_dict(self) -> dict[str, Any]:
        return {"statement_id": self.statement_id, "overall": self.overall.as_dict(),
                "groups": {g: t.as_dict() for g, t in sorted(self.groups.items())},
                "from_tallies": self.from_tallies}


def group_label(group_id: int) -> str:
    return chr(ord("A") + int(group_id)) if 0 <= int(group_id) < 26 else f"G{group_id}"


def group_membership(project: Any) -> tuple[dict[int, str], list[int]]:
    """participant id -> group label, and the analysis runs it came from (empty: Pol.is's own
    groups). ``synth.votes`` stores one run per debate source; the latest of each is used."""
    latest: dict[Any, int] = {}
    for run_id, params in project.query(
            "SELECT r.id, r.params FROM analysis_runs r WHERE r.kind = 'opinion_groups' AND "
            "EXISTS (SELECT 1 FROM group_members g WHERE g.run_id = r.id) "
            "ORDER BY r.created, r.id"):
        try:
            source = json.loads(params or "{}").get("source_id")
        except (ValueError, AttributeError):
            source = None
        latest[source] = run_id
    runs = sorted(latest.values())
    if runs:
        marks = ",".join("?" for _ in runs)
        rows = project.query(f"SELECT participant_id, group_id FROM group_members "
                             f"WHERE run_id IN ({marks})", runs)
        return {r[0]: group_label(r[1]) for r in rows if r[1] is not None and r[1] >= 0}, runs
    rows = project.query("SELECT id, polis_group FROM participants WHERE polis_group IS NOT NULL")
    return {r[0]: group_label(r[1]) for r in rows if r[1] >= 0}, []


def statement_figures(project: Any, statement_ids: Iterable[int],
                      membership: dict[int, str] | None = None) -> dict[int, StatementFigures]:
    """Figures for each statement id (unknown ids are left out)."""
    ids = sorted({int(i) for i in statement_ids})
    if not ids:
        return {}
    if membership is None:
        membership, _ = group_membership(project)
    out: dict[int, StatementFigures] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        marks = ",".join("?" for _ in chunk)
        counts: dict[int, dict[str | None, list[int]]] = {}
        voters: dict[int, set[int]] = {}
        for sid, pid, value in project.query(
                f"SELECT statement_id, participant_id, value FROM votes "
                f"WHERE statement_id IN ({marks})", chunk):
            per = counts.setdefault(sid, {})
            slot = {1: 0, -1: 1, 0: 2}[value]
            per.setdefault(None, [0, 0, 0])[slot] += 1
            g = membership.get(pid)
            if g is not None:
                per.setdefault(g, [0, 0, 0])[slot] += 1
            voters.setdefault(sid, set()).add(pid)
        for row in project.query(f"SELECT id, agree_tally, disagree_tally, pass_tally "
                                 f"FROM statements WHERE id IN ({marks})", chunk):
            sid = row[0]
            per = counts.get(sid)
            if per:
                out[sid] = StatementFigures(
                    sid, Tally(*per[None]),
                    {g: Tally(*c) for g, c in per.items() if g is not None},
                    frozenset(voters.get(sid, ())))
            elif row[1] is not None or row[2] is not None:
                out[sid] = StatementFigures(sid, Tally(row[1] or 0, row[2] or 0, row[3] or 0),
                                            from_tallies=True)
            else:
                out[sid] = StatementFigures(sid, Tally())
    return out

