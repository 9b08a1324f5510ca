"""The numbers the Word report prints for themes and recommendations, for the panels and pickers
that name them: its chapters (``coding.recommendations.theme_numbers``, the report's own rule)
and a theme's recommendations n.1, n.2 … A recommendation under a theme the report gives no
chapter (a candidate beside accepted themes) reads "Draft:", not "–.1", which no reader
understands."""
from __future__ import annotations

from coding.recommendations import Recommendation

DRAFT = "Draft:"
DRAFT_TIP = ("Not in the report yet: its theme is a candidate. Accept the theme (A on the "
             "board) to number it.")


def recommendation_numbers(recs: list[Recommendation]) -> dict[int, str]:
    """Recommendation id -> its number as the report prints it ("2.1"), or ``DRAFT``."""
    return {r.id: r.number if r.number.rpartition(".")[0].strip("–") else DRAFT for r in recs}
