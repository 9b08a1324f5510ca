"""The report's "Segments" section: for each segment the team defined ("line managers outside
London"), its rule and size, and the statements on which it differs most from everyone else —
"% agree of those who voted" in the segment and among the rest, each with its n, both on at
least the project's small-n threshold of votes, and whether the gap is more than chance
(``synth.votes.segment_figures``). Every number goes through the report's ``FigureRegistry``,
so each has its line in the traceability annex. A project without segments gets no section.

``add_segments_section`` writes into any python-docx ``Document``. Inside the report the writer
passes its own ``heading``, ``fig`` and ``words`` (chapter headings, the figure with its
reference and small-n mark, participants' words as the report prints them); alone, it writes
plain headings and references, and masks statements as every export does
(``exports.content.item_words``).
"""
from __future__ import annotations

from typing import Any, Callable

from docx.shared import Pt

from synth.votes.segment_figures import (Z_CHANCE, Difference, Segment, VoteArrays,
                                         defined_segments, differences, gap_words,
                                         most_different)
from synth.votes.segment_lines import NONE_VOTED, none_compared

from . import content as C
from .docx_util import MUTED
from .figures import FLAG, Figure, FigureRegistry

Heading = Callable[[str, int], None]
WriteFigure = Callable[[Any, Figure], None]
Words = Callable[[str, str, int], str]

TITLE = "Segments"


def add_segments_section(doc: Any, project: Any, reg: FigureRegistry, *,
                         heading: Heading | None = None, fig: WriteFigure | None = None,
                         words: Words | None = None, level: int = 1, most: int = 5,
                         least: int = 3) -> list[Figure]:
    """Write the section into ``doc``; returns the figures it registered (none, and nothing
    written, when the project has no segment)."""
    segments = defined_segments(project)
    if not segments:
        return []
    first = len(reg.figures)
    heading = heading or _plain_heading(doc, reg)
    fig = fig or _plain_figure
    words = words or _masked_words(project)
    statements = C.statements(project)
    need = max(reg.small_n, 1)
    heading(TITLE, level)
    doc.add_paragraph(
        "Segments are groups of participants the research team defined from their "
        "characteristics. For each one, the statements on which its agreement differs most "
        "from everyone else's: % agree of those who voted, in the segment and among all the "
        f"other participants who voted on the statement, counting only statements that at "
        f"least {need} people in the segment and {need} others voted on. A gap is called more "
        f"than chance when a two-proportion z-test (the one Pol.is uses) gives |z| of "
        f"{Z_CHANCE} or more; with many statements compared, a few gaps that large arise by "
        "chance too.")
    votes = VoteArrays(project)
    for s in segments:
        _segment(doc, reg, s, differences(project, s, need, votes=votes), statements, need,
                 heading=heading, fig=fig, words=words, level=level + 1, most=most,
                 least=least)
    return reg.figures[first:]


def _segment(doc: Any, reg: FigureRegistry, s: Segment, diffs: list[Difference],
             statements: dict[int, C.Statement], need: int, *, heading: Heading,
             fig: WriteFigure, words: Words, level: int, most: int, least: int) -> None:
    heading(s.name, level)
    origin = f"segment rule {s.rule_text}"
    note = f" ({s.rule_note})" if s.rule_note else ""
    p = doc.add_paragraph(f"Defined as {s.rule_text}{note}: ")
    fig(p, reg.count(f"participants in the segment “{s.name}”", s.size, population=s.name,
                     origin=origin))
    p.add_run(" participant" if s.size == 1 else " participants")
    if 0 < s.voters < s.size:
        p.add_run(", of whom ")
        fig(p, reg.count(f"participants in the segment “{s.name}” who voted", s.voters,
                         population=s.name, origin=f"{origin}, with at least one vote"))
        p.add_run(" voted")
    p.add_run(".")
    if not s.voters:
        doc.add_paragraph(NONE_VOTED)       # as the window and the command line say it
        return
    chosen = [d for d in most_different(diffs, most, least) if d.statement_id in statements]
    if not chosen:
        doc.add_paragraph(none_compared(need))
        return
    doc.add_paragraph("Where it differs most from everyone else:")
    rest_name = f"everyone but “{s.name}”"
    for d in chosen:
        st = statements[d.statement_id]
        text, _cut = C.shortened(words(st.text, "statement", st.id))
        b = doc.add_paragraph(style="List Bullet")
        b.add_run(f"“{text}” — {s.name} ")
        mine = reg.agreement(d.segment, statement_id=st.id, statement_ref=st.ref,
                             population=s.name,
                             origin=f"votes of the segment “{s.name}” ({s.rule_text})")
        fig(b, mine)
        b.add_run(f" agree (n = {mine.denominator}); everyone else ")
        rest = reg.agreement(d.rest, statement_id=st.id, statement_ref=st.ref,
                             population=rest_name,
                             origin=f"votes of everyone who voted on it, less the segment "
                                    f"“{s.name}”")
        fig(b, rest)
        b.add_run(f" (n = {rest.denominator}): {gap_words(d)}.")


# --------------------------------------------------------------------------- alone
def _plain_heading(doc: Any, reg: FigureRegistry) -> Heading:
    def heading(text: str, level: int) -> None:
        reg.section = text
        doc.add_heading(text, level)
    return heading


def _plain_figure(p: Any, f: Figure) -> None:
    """As the report prints a figure: bold, its small-n mark, then its reference."""
    p.add_run(f.text).bold = True
    if f.small_n and not f.suppressed:
        p.add_run(FLAG).bold = True
    m = p.add_run(f.id)
    m.font.superscript = True
    m.font.size = Pt(7)
    m.font.color.rgb = MUTED


def _masked_words(project: Any) -> Words:
    strip = C.strip_requested(project)
    redacted = C.confirmed_redactions(project)
    known = C.names_to_strip(project, strip)

    def words(text: str, kind: str, item: int) -> str:
        return C.item_words(project, kind, item, text, strip, redacted, known)
    return words
