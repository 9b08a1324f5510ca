"""Per-statement vote figures shown beside evidence: % agree overall and per opinion group, with n.

The figures and the opinion-group rule live in the engine (``synth.votes.statement_figures``) so
the board, the evidence and the report print the same numbers; this module keeps the names
``coding`` has always used.
"""
from __future__ import annotations

from typing import Any, Iterable

from synth.votes.statement_figures import (StatementFigures, Tally, group_label,
                                           group_membership, statement_tallies)

__all__ = ["StatementFigures", "Tally", "group_label", "group_membership", "statement_figures"]


def statement_figures(project: Any, statement_ids: Iterable[int]) -> dict[int, StatementFigures]:
    """Figures for each statement id (unknown ids are left out), with who voted on each."""
    return statement_tallies(project, statement_ids, voters=True)
