"""Every number the report prints goes through a ``FigureRegistry``.

The registry gives each figure an id (F1, F2 …), formats it the one way the report prints it,
applies the project's small-n rule, and remembers where it came from: the statement, the counts,
the group or segment, and the section of the report. The traceability annex is the registry
printed as a table, so a number cannot reach the page without a line in the annex.

Agreement is "% of those who voted": agrees ÷ (agrees + disagrees + passes), rounded half up to
a whole per cent (never banker's rounding: 84.5 prints as 85, as a reader rounding by hand would).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# one definition of a tally and of the half-up rounding for the whole project (the board and the
# evidence panels print the same numbers); re-exported here for the report's modules
from synth.votes.small_n import ACTIONS as SMALL_N_ACTIONS
from synth.votes.small_n import DEFAULT as SMALL_N_DEFAULT
from synth.votes.small_n import FLAG, small_n_rule
from synth.votes.statement_figures import Tally, percent

__all__ = ["FLAG", "Figure", "FigureRegistry", "SMALL_N_ACTIONS", "SMALL_N_DEFAULT", "Tally",
           "percent"]


@dataclass
class Figure:
    id: str
    kind: str                 # agreement / count / share
    label: str                # what is counted, in words
    text: str                 # as printed ("84%", "653", "—")
    value: float | None       # the number itself (None when suppressed)
    section: str
    population: str = "all participants"
    statement_id: int | None = None
    statement_ref: str = ""   # the statement's id in its source (Pol.is comment id)
    numerator: int | None = None
    denominator: int | None = None
    counts: str = ""          # "agree 263, disagree 31, pass 18"
    small_n: bool = False
    suppressed: bool = False
    origin: str = ""          # how it was computed, for the annex


@dataclass
class FigureRegistry:
    small_n: int = SMALL_N_DEFAULT
    small_n_action: str = "flag"
    figures: list[Figure] = field(default_factory=list)
    section: str = ""
    _agreements: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_project(cls, project: Any) -> "FigureRegistry":
        """The small-n rule is a project setting (``small_n_threshold``, ``small_n_action``),
        read where the engine reads it (``synth.votes.small_n``)."""
        threshold, action = small_n_rule(project)
        return cls(small_n=threshold, small_n_action=action)

    @property
    def flag_below(self) -> int:
        """The views' rule for marking a figure †: fewer voted than this (0 when the project's
        rule is to show such figures as they are, as the report then marks none)."""
        return 0 if self.small_n_action == "show" else self.small_n

    def _add(self, **kw: Any) -> Figure:
        kw.setdefault("section", self.section)
        f = Figure(id=f"F{len(self.figures) + 1}", **kw)
        self.figures.append(f)
        return f

    # ------------------------------------------------------------------ kinds of figure
    def agreement(self, tally: Tally, *, statement_id: int, statement_ref: str = "",
                  population: str = "all participants", which: str = "agree",
                  origin: str = "votes") -> Figure:
        """"% agree" (or disagree) of those who voted on a statement, with its n. The same
        figure printed twice (a statement under its theme and again as a recommendation's
        evidence) keeps one reference, with both sections listed."""
        key = (statement_id, population, which, tally)
        known = self._agreements.get(key)
        if known is not None:
            if self.section and self.section not in known.section.split("; "):
                known.section += f"; {self.section}"
            return known
        n = tally.n
        small = n < self.small_n
        suppressed = n == 0 or (small and self.small_n_action == "suppress")
        value = None if suppressed else tally.whole_pct(which)
        num = tally.count(which)
        self._agreements[key] = f = self._add(
            kind="agreement", label=f"% {which} of those who voted", population=population,
            text="—" if suppressed else f"{value}%", value=value, statement_id=statement_id,
            statement_ref=statement_ref, numerator=num, denominator=n,
            counts=f"agree {tally.agree}, disagree {tally.disagree}, pass {tally.passed}",
            small_n=small and self.small_n_action != "show", suppressed=suppressed,
            origin=origin)
        return f

    def count(self, label: str, value: int, *, origin: str = "",
              population: str = "all participants") -> Figure:
        return self._add(kind="count", label=label, text=f"{value:,}", value=value,
                         numerator=value, population=population, origin=origin,
                         counts=str(value))

    def share(self, label: str, numerator: int, denominator: int, *, population: str,
              origin: str = "") -> Figure:
        small = denominator < self.small_n
        suppressed = denominator == 0 or (small and self.small_n_action == "suppress")
        value = None if suppressed else percent(numerator, denominator)
        return self._add(kind="share", label=label, text="—" if suppressed else f"{value}%",
                         value=value, numerator=numerator, denominator=denominator,
                         population=population, origin=origin,
                         counts=f"{numerator} of {denominator}",
                         small_n=small and self.small_n_action != "show", suppressed=suppressed)

    # ------------------------------------------------------------------ reading back
    def by_id(self, fid: str) -> Figure:
        return self.figures[int(fid[1:]) - 1]

    def __len__(self) -> int:
        return len(self.figures)
