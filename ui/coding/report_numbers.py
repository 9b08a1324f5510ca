"""The numbers the Word report prints for themes and recommendations, for the panels and pickers
that name them. The report (``exports.content.theme_contents``) numbers the top-level accepted
themes 1, 2, 3 … in board order or, while none is accepted, every top-level theme (it then says
they are candidate themes); a theme's recommendations n.1, n.2 … ``coding.recommendations``
leaves candidate themes unnumbered ("–.1"), which no reader understands: here such a
recommendation takes the report's number, or, under a candidate theme beside accepted ones (the
report leaves it out until its theme is accepted), reads "Draft:"."""
from __future__ import annotations

from typing import Any

from coding.recommendations import Recommendation, theme_numbers
from synth.board import ThemeTree

DRAFT = "Draft:"
DRAFT_TIP = ("Not in the report yet: its theme is a candidate. Accept the theme (A on the "
             "board) to number it.")


def report_theme_numbers(project: Any) -> dict[int, str]:
    """Theme id -> the number the report prints for it ("3"; sub-themes their top-level
    theme's), "" for a candidate theme the report leaves out."""
    numbers = theme_numbers(project)
    if any(numbers.values()):
        return numbers
    # no theme accepted: the report prints the candidate themes, numbered in the same order
    rows = project.query("SELECT id, parent_id FROM themes ORDER BY position, id")
    tree = ThemeTree(dict(rows))
    out = {tid: "" for tid, _ in rows}
    for n, top in enumerate((t for t, parent in rows if parent is None), start=1):
        out.update(dict.fromkeys(tree.subtree(top), str(n)))
    return out


def recommendation_numbers(project: Any, recs: list[Recommendation]) -> dict[int, str]:
    """Recommendation id -> its number as the report prints it ("2.1"), or ``DRAFT``."""
    themes: dict[int, str] | None = None
    out: dict[int, str] = {}
    for r in recs:
        head, _, nth = r.number.rpartition(".")
        if head and head.strip("–"):
            out[r.id] = r.number
            continue
        if themes is None:          # read once, and only for an unnumbered one
            themes = report_theme_numbers(project)
        out[r.id] = f"{themes[r.theme_id]}.{nth}" if themes.get(r.theme_id) else DRAFT
    return out

