"""The ``segments`` command's lines: each segment with its size, and where one differs most from
everyone else, printed as the report's Segments section prints it (``exports.segments_section``):
the statements ``segment_figures.most_different`` picks, "% agree of those who voted" in the
segment and among everyone else, each with its n and the small-n mark, the gap in points and
whether it is more than chance.

The report's small-n rule and its words are the report's (``exports.figures``,
``exports.segments_section.gap_words``), which this engine package may not import (STYLE.md):
they are read and written here the same way, and a test holds the lines equal to the report's.
"""
from __future__ import annotations

from typing import Any

from ..importers.common import plural
from .agreement import SMALL_N
from .segment_figures import (Difference, Segment, VoteArrays, differences, most_different)
from .statement_figures import Tally

FLAG = "†"                  # the report's small-n mark (exports.figures.FLAG)
ACTIONS = ("flag", "suppress", "show")
SHOWN = 110                 # characters of a statement on a console line


def report_small_n(project: Any) -> tuple[int, str]:
    """(threshold, action) of the report's small-n rule: the settings
    ``FigureRegistry.for_project`` reads."""
    threshold = project.setting("small_n_threshold", project.setting("report.small_n", SMALL_N))
    action = project.setting("small_n_action", "flag")
    return int(threshold), action if action in ACTIONS else "flag"


def figure_text(tally: Tally, threshold: int, action: str = "flag") -> str:
    """% agree of those who voted as the report prints it: "48%", "48%†" when fewer than the
    threshold voted, "—" when nobody did (or the rule suppresses small n)."""
    small = tally.n < threshold
    if tally.n == 0 or (small and action == "suppress"):
        return "—"
    return f"{tally.whole_pct()}%" + (FLAG if small and action != "show" else "")


def gap_words(d: Difference) -> str:
    """"37 points higher, more than chance (z = 2.66)", the report's words."""
    gap = d.gap
    how = "the same" if gap == 0 else \
        f"{plural(abs(gap), 'point')} {'higher' if gap > 0 else 'lower'}"
    chance = "more than chance" if d.more_than_chance else "within what chance could give"
    return f"{how}, {chance} (z = {d.z:.2f})"


def segment_line(s: Segment, threshold: int, action: str = "flag") -> str:
    """"Women: gender=Woman — 49 participants, 40 of whom voted"."""
    line = f"{s.name}: {s.rule_text} — {plural(s.size, 'participant')}"
    if s.voters != s.size:
        line += f", {s.voters:,} of whom voted" + (": no agreement figures" if not s.voters
                                                    else "")
    if 0 < s.voters < threshold and action != "show":
        line += f" {FLAG} (fewer than {threshold} voted: each of its figures is small-n)"
    return line


def shortened(text: str, limit: int = SHOWN) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    return (head.rsplit(None, 1)[0] if " " in head else head).rstrip() + " …"


def difference_line(d: Difference, segment: str, threshold: int, action: str = "flag") -> str:
    """The report's bullet after the statement: "— Women 48% agree (n = 40); everyone else
    30% (n = 80): 18 points higher, more than chance (z = 2.66)."."""
    return (f"— {segment} {figure_text(d.segment, threshold, action)} agree "
            f"(n = {d.segment.n}); everyone else {figure_text(d.rest, threshold, action)} "
            f"(n = {d.rest.n}): {gap_words(d)}.")


def differs_lines(project: Any, s: Segment, threshold: int, action: str = "flag", *,
                  votes: VoteArrays | None = None, most: int = 5, least: int = 3) -> list[str]:
    """Where segment ``s`` differs most from everyone else, as the report lists it: a heading
    line, then one line per statement (its id in its source, its words, the figures)."""
    need = max(threshold, 1)
    if not s.voters:
        return [f"“{s.name}”: none of its participants voted in the debate, so there are no "
                "agreement figures for it."]
    texts = {int(r[0]): (r[1], r[2] or str(r[0])) for r in project.query(
        "SELECT id, text, external_id FROM statements WHERE moderation >= 0 AND is_meta = 0")}
    chosen = [d for d in most_different(differences(project, s, need, votes=votes), most, least)
              if d.statement_id in texts]
    if not chosen:
        return [f"“{s.name}”: no statement was voted on by at least {need} people in this "
                f"segment and {need} others, so it cannot be compared with everyone else."]
    lines = [f"Where “{s.name}” differs most from everyone else (% agree of those who voted; "
             f"statements at least {need} of its members and {need} others voted on):"]
    for d in chosen:
        text, ref = texts[d.statement_id]
        lines.append(f"  #{ref} “{shortened(text)}” "
                     + difference_line(d, s.name, threshold, action))
    return lines
