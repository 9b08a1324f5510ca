"""The project's small-n rule, read and printed one way for the engine, the views and the report.

A figure on fewer votes than the threshold (project setting ``small_n_threshold``, else the older
``report.small_n``, else 10) is flagged with ``FLAG``, suppressed ("—"), or shown as it is,
as the setting ``small_n_action`` says. The report's ``FigureRegistry`` (exports) applies the
same rule; it lives here because the engine prints figures too (the ``segments`` command) and
may not import exports (STYLE.md: data flows one way).
"""
from __future__ import annotations

from typing import Any

from .agreement import SMALL_N
from .statement_figures import Tally

FLAG = "†"
ACTIONS = ("flag", "suppress", "show")
DEFAULT = SMALL_N


def small_n_rule(project: Any) -> tuple[int, str]:
    """(threshold, action) of the project's small-n rule; an unknown action reads as "flag"."""
    threshold = project.setting("small_n_threshold", project.setting("report.small_n", DEFAULT))
    action = project.setting("small_n_action", "flag")
    return int(threshold), action if action in ACTIONS else "flag"


def few_voted(n: Any, threshold: int) -> Any:
    """A figure too few voted for to read without care: someone voted, fewer than
    ``threshold``. Nobody voting is no figure at all ("—", "no votes"), not a small one. ``n``
    may be a number or a numpy array of them (an array of answers, then)."""
    return (n > 0) & (n < threshold)


def flag_below(project: Any) -> int:
    """The views' rule for marking a figure †: fewer voted than this (0 when the project's rule
    is to show such figures as they are, as the report then marks none)."""
    threshold, action = small_n_rule(project)
    return 0 if action == "show" else threshold


def figure_text(tally: Tally, threshold: int, action: str = "flag", which: str = "agree"
                ) -> str:
    """% ``which`` of those who voted as the report prints it: "48%", "48%†" when fewer than
    the threshold voted, "—" when nobody did (or the rule suppresses small n)."""
    small = few_voted(tally.n, threshold)
    if tally.n == 0 or (small and action == "suppress"):
        return "—"
    return f"{tally.whole_pct(which)}%" + (FLAG if small and action != "show" else "")
