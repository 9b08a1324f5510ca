"""Walks up the theme tree, from each theme's parent (``parents``: theme id → parent id or
None, as ``SELECT id, parent_id FROM themes`` reads it): a theme's line up to its top theme,
its top theme, and the themes that hold some of the given themes. Each walk ends at a loop in
the parents (a file written wrong must not hang the window). The walk down a tree (a theme's
sub-themes) is ``synth.board.subtrees``."""
from __future__ import annotations

from typing import Iterable, Mapping

Parents = Mapping[int, "int | None"]


def line_up(parents: Parents, theme_id: int | None) -> list[int]:
    """The theme, its parent, its parent's parent … up to its top theme ([] for None). A
    parent missing from ``parents`` is the last of the line."""
    out: list[int] = []
    seen: set[int] = set()
    while theme_id is not None and theme_id not in seen:
        seen.add(theme_id)
        out.append(theme_id)
        theme_id = parents.get(theme_id)
    return out


def top_theme(parents: Parents, theme_id: int) -> int:
    """The top-level theme holding the theme (itself when it has no parent)."""
    return line_up(parents, theme_id)[-1]


def holding(parents: Parents, theme_ids: Iterable[int | None]) -> set[int]:
    """The themes and every theme above them: those that hold them, in them or in a
    sub-theme (None, the unsorted pile, is left out)."""
    out: set[int] = set()
    for tid in theme_ids:
        while tid is not None and tid not in out:     # a line already walked ends here
            out.add(tid)
            tid = parents.get(tid)
    return out
