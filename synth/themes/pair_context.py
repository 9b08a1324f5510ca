"""What the near-duplicates list says about each card of a pair besides its text
(``synth.themes.duplicates`` finds the pairs): the theme it lies in, with its parents, and for
a debate statement the comment id Pol.is moderates it by. A moderator removing duplicates
looks at both: a pair split between two themes is two themes to look at."""
from __future__ import annotations

from typing import Any

from ..board import CardRef, by_kind
from ..sql import rows_in
from .tree import line_up


def card_themes(project: Any, refs: set[CardRef]) -> dict[CardRef, str]:
    """The theme each card lies in, with its parents ("Transport › Bypass"); unsorted cards
    are left out."""
    rows = project.query("SELECT id, name, parent_id FROM themes")
    names, parents = {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}
    paths: dict[int, str] = {}          # each theme's, written once for all its cards
    out = {}
    for kind, ids in by_kind(refs).items():
        for cid, tid in rows_in(project.query, "SELECT card_id, theme_id FROM card_places "
                                "WHERE card_kind = ? AND card_id IN", ids, before=(kind,)):
            if tid not in paths:
                paths[tid] = " › ".join(names[t] for t in reversed(line_up(parents, tid))
                                        if t in names)
            out[(kind, cid)] = paths[tid]
    return out


def debate_comments(project: Any, statement_ids: list[int]) -> dict[int, str]:
    """Each debate statement's comment id in its export: what Pol.is moderates by."""
    return {sid: ext for sid, ext in rows_in(
        project.query, "SELECT s.id, s.external_id FROM statements s JOIN sources src "
        "ON src.id = s.source_id WHERE src.kind = 'debate' AND s.id IN", statement_ids)}
