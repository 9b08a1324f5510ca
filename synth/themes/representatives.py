"""The cards a run chose to represent a theme, read back from the run's record: a discovery
run's or a split's result (``synth.themes.project_themes`` writes them, best first, in
``analysis_runs.result``). The Details panel shows those still in the theme."""
from __future__ import annotations

import json
from typing import Any

from ..board import CardRef


def run_representatives(project: Any, theme_id: int) -> list[CardRef] | None:
    """The cards the run that made the theme chose to represent it, best first; None for a
    theme made by hand or a run that recorded none."""
    row = project.query("SELECT r.result FROM themes t JOIN analysis_runs r ON r.id = t.run_id "
                        "WHERE t.id = ?", (theme_id,))
    if not row:
        return None
    try:
        result = json.loads(row[0][0] or "{}")
    except ValueError:
        return None
    for entry in result.get("themes", ()):
        if entry.get("id") == theme_id and entry.get("representatives"):
            return [(str(k), int(i)) for k, i in entry["representatives"]]
    return None
