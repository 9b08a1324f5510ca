"""Which themes the Word report gives a chapter, and their numbers: one rule for the report
(``exports.content``) and for every panel, picker and export that prints a theme's or a
recommendation's number (``coding.recommendations.theme_numbers``), so that 3.2 on screen is
3.2 in the report."""
from __future__ import annotations

from typing import Any


def chapter_numbers(project: Any) -> dict[int, int]:
    """Each top-level theme the report lists (``theme_contents``) -> the number of its
    chapter, 1, 2 … in board order; 0 for a theme with nothing in it yet, which has none. For
    the panels that print the report's numbers, so theirs and the report's agree."""
    return listed_with_chapters(project)[1]


def listed_with_chapters(project: Any) -> tuple["Listed", dict[int, int]]:
    """``listed_themes`` and their ``chapters``, for the report, which needs both: each
    worked out once (choosing the accepted themes already numbers them)."""
    listed, numbers = _listed(project)
    return listed, numbers if numbers is not None else chapters(project, listed)


Listed = tuple[list[Any], Any, dict[int, tuple[str, str, bool]]]


def listed_themes(project: Any) -> Listed:
    """The top-level themes the report lists, the tree of all themes and each theme's (name,
    status, name_edited); read once: not every theme again for each. It lists the accepted
    themes; while none is accepted, or none of them holds anything yet (a codebook imported
    before any card is sorted into it, QA), the candidate themes too, which the report says
    they are: the board's themes are then the clustering's."""
    return _listed(project)[0]


def _listed(project: Any) -> tuple[Listed, dict[int, int] | None]:
    """``listed_themes``, and their ``chapters`` when choosing them worked those out (the
    accepted themes, some holding something); else None."""
    from synth.board import ThemeTree
    tops = project.query("SELECT * FROM themes WHERE parent_id IS NULL ORDER BY position, id")
    themes = project.query("SELECT id, parent_id, name, status, name_edited FROM themes "
                           "ORDER BY position, id")
    tree = ThemeTree({r[0]: r[1] for r in themes})    # in board order, as ThemeTree.read
    about = {r[0]: (r[2], r[3], bool(r[4])) for r in themes}
    accepted: Listed = ([t for t in tops if t["status"] == "accepted"], tree, about)
    if accepted[0]:
        numbers = chapters(project, accepted)
        if any(numbers.values()):
            return accepted, numbers
    return (tops, tree, about), None


def chapters(project: Any, listed: Listed) -> dict[int, int]:
    """``chapter_numbers`` of themes read (``listed_themes``): a theme has a chapter when its
    reviewed part holds a card or a coded passage (review: a code applied to passages that are
    another code's cards was called empty), or the team linked evidence or wrote a
    recommendation or a summary anywhere under it. Dots alone give none (review: one dot on an
    empty code turned a report of 25 candidate themes into one chapter of that code)."""
    out: dict[int, int] = {}
    n = 0
    for t in listed[0]:
        whole, sub, _left = parts(listed, t["id"])
        held = bool((t["summary_shared"] or "").strip() or (t["summary_want"] or "").strip()
                    or any(any_in(project, table, sub) for table in ("card_places", "codings"))
                    or any(any_in(project, table, whole)
                           for table in ("evidence", "recommendations")))
        n += held
        out[t["id"]] = n if held else 0
    return out


def any_in(project: Any, table: str, theme_ids: list[int]) -> bool:
    marks = ",".join("?" for _ in theme_ids)
    return bool(project.scalar(f"SELECT 1 FROM {table} WHERE theme_id IN ({marks}) LIMIT 1",
                               theme_ids))


def parts(listed: Listed, theme_id: int) -> tuple[list[int], list[int], list[int]]:
    """A listed theme's whole subtree, the part of it the report counts, and the candidate
    sub-themes it leaves out: under an accepted theme, a candidate sub-theme is not reviewed
    (``reviewed``); a candidate theme's parts are all candidates, as the report says."""
    _tops, tree, about = listed
    whole = tree.subtree(theme_id)
    if about[theme_id][1] != "accepted":
        return whole, whole, []
    return (whole, *reviewed(tree, about, theme_id))


def reviewed(tree: Any, about: dict[int, tuple[str, str, bool]], theme_id: int
             ) -> tuple[list[int], list[int]]:
    """The theme and its sub-themes the team has accepted, sorted; and each candidate
    sub-theme left out (with everything under it)."""
    kept, left = [], []
    todo = [theme_id]
    while todo:
        x = todo.pop()
        if x != theme_id and about[x][1] == "candidate":
            left.append(x)
            continue
        kept.append(x)
        todo.extend(tree.children.get(x, ()))
    return sorted(kept), left
