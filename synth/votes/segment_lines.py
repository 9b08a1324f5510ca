"""The ``segments`` command's lines: each segment with its size, and where one differs most from
everyone else, printed as the report's Segments section prints it (``exports.segments_section``):
the statements ``segment_figures.most_different`` picks, "% agree of those who voted" in the
segment and among everyone else, each with its n and the small-n mark, the gap in points and
whether it is more than chance.

The small-n rule and the gap's words are the report's, from their one home in this package
(``small_n``, ``segment_figures.gap_words``), so the lines and the report cannot drift apart.
"""
from __future__ import annotations

from typing import Any

from ..words import plural, shortened
from .segment_figures import (Difference, Segment, VoteArrays, differences, gap_words,
                              most_different)
from .small_n import FLAG, few_voted, figure_text

SHOWN = 110                 # characters of a statement on a console line
# A segment none of whose members voted, said as the report's Segments section says it, by the
# command line and the Segments panel alike
NONE_VOTED = ("None of them voted in the debate, so there are no agreement figures for this "
              "segment.")


def none_compared(need: int) -> str:
    """A segment no statement of which has ``need`` votes from its members and ``need`` from
    everyone else, said one way by the report, the command line and the panel."""
    return (f"No statement was voted on by at least {need} people in this segment and {need} "
            "others, so it cannot be compared with everyone else here.")


def segment_line(s: Segment, threshold: int, action: str = "flag") -> str:
    """"Women: gender=Woman — 49 participants, 40 of whom voted"; "Outside London:
    region!=London (those who gave no region are not in it) — 512 participants"."""
    note = f" ({s.rule_note})" if s.rule_note else ""
    line = f"{s.name}: {s.rule_text}{note} — {plural(s.size, 'participant')}"
    if not s.voters:
        return f"{line}. {NONE_VOTED}"
    if s.voters != s.size:
        line += f", {s.voters:,} of whom voted"
    if few_voted(s.voters, threshold) and action != "show":
        line += f" {FLAG} (fewer than {threshold} voted: each of its figures is small-n)"
    return line


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
        return [f"“{s.name}”: {plural(s.size, 'participant')}. {NONE_VOTED}"]
    texts = {int(r[0]): (r[1], r[2] or str(r[0])) for r in project.query(
        "SELECT id, text, external_id FROM statements WHERE moderation >= 0 AND is_meta = 0")}
    chosen = [d for d in most_different(differences(project, s, need, votes=votes), most, least)
              if d.statement_id in texts]
    if not chosen:
        return [f"“{s.name}”: {none_compared(need)}"]
    lines = [f"Where “{s.name}” differs most from everyone else (% agree of those who voted; "
             f"statements at least {need} of its members and {need} others voted on):"]
    for d in chosen:
        text, ref = texts[d.statement_id]
        lines.append(f"  #{ref} “{shortened(text, SHOWN)}” "
                     + difference_line(d, s.name, threshold, action))
    return lines
