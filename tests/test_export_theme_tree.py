"""Exports that go theme by theme (the report's themes, the board image's panels) read the theme
tree once and walk it in memory: reading every theme again for each theme grew with the square
of the themes. The same cards land under each theme as before, sub-themes' included."""
from __future__ import annotations

import re

from tests.themes_study import fill

TOPS = 12


def _nested(project) -> dict[int, list[tuple[str, int]]]:
    """``TOPS`` accepted themes, each with a sub-theme holding a sub-sub-theme, one note at each
    level: each top-level theme's id to its three notes."""
    from synth.board import CreateTheme
    cards = fill(project, [f"Note {i} of theme {i // 3}" for i in range(3 * TOPS)])
    h = project.history
    out = {}
    for i in range(TOPS):
        a, b, c = cards[3 * i:3 * i + 3]
        top = h.apply(CreateTheme(f"Theme {i}", [a]))
        sub = h.apply(CreateTheme(f"Sub {i}", [b], parent_id=top))
        h.apply(CreateTheme(f"Sub-sub {i}", [c], parent_id=sub))
        out[top] = [a, b, c]
    return out


def _counting(project) -> dict[str, int]:
    seen = {"all": 0, "themes": 0}

    def trace(sql: str) -> None:
        seen["all"] += 1
        seen["themes"] += bool(re.search(r"\bFROM themes\b", sql))
    project.db.set_trace_callback(trace)
    return seen


def test_theme_contents_reads_the_themes_once_and_counts_sub_themes_cards(project):
    from exports.content import theme_contents
    tops = _nested(project)
    seen = _counting(project)
    contents = theme_contents(project)
    project.db.set_trace_callback(None)
    assert [t.id for t in contents] == list(tops)
    assert [t.name for t in contents] == [f"Theme {i}" for i in range(TOPS)]
    # each theme's three notes: its own, its sub-theme's and its sub-sub-theme's
    assert [t.sizes for t in contents] == [{"Workshop notes": 3}] * TOPS
    # the top-level themes, then the tree: not 2 reads more for each of the 12 themes
    assert seen["themes"] == 2


def test_board_image_reads_the_themes_once_and_draws_each_panels_subtree(project, tmp_path):
    from exports.board_image import draw_board
    tops = _nested(project)
    seen = _counting(project)
    svg = draw_board(project, tmp_path / "b.svg").read_text(encoding="utf-8")
    project.db.set_trace_callback(None)
    assert seen["themes"] == 1                      # was 1 + one per top-level theme
    for i in range(TOPS):
        assert f"Theme {i}" in svg and f"Note {3 * i + 2} of theme {i}" in svg
    assert "Sub 0" not in svg                       # sub-themes are drawn inside their parent
    one = draw_board(project, tmp_path / "one.svg", theme_id=list(tops)[4]).read_text("utf-8")
    assert [f"Note {n} of theme 4" in one for n in (12, 13, 14)] == [True] * 3
    assert "Note 15 of theme 5" not in one and "Note 11 of theme 3" not in one


def test_one_theme_subtree_and_cards_in_one_query_each(project):
    from synth import board
    tops = _nested(project)
    tree = board.ThemeTree.read(project)
    first = list(tops)[0]
    sub, subsub = first + 1, first + 2
    assert tree.subtree(first) == [first, sub, subsub]
    assert tree.subtree(sub) == [sub, subsub] and tree.subtree(subsub) == [subsub]
    seen = _counting(project)
    for top, cards in tops.items():
        assert board.subtree(project, top) == tree.subtree(top)
        assert board.theme_cards(project, top, recursive=True) == sorted(cards)
        assert board.theme_cards(project, top, recursive=True, tree=tree) == sorted(cards)
    assert board.theme_cards(project, sub, recursive=True) == sorted(tops[first][1:])
    assert board.theme_cards(project, sub) == [tops[first][1]]
    assert board.subtree(project, 99_999) == [99_999]       # as before: a theme gone is itself
    project.db.set_trace_callback(None)
    # subtree: 1 query; theme_cards: 1 (SQLite walks the subtree); with the tree: 1
    assert seen["all"] == 3 * TOPS + 3


def test_a_runs_summary_reads_the_themes_once_and_counts_sub_themes_cards(project):
    from synth.themes.labels import ThemeLabel
    from synth.themes.project_themes import PlannedTheme, _themes_summary
    tops = _nested(project)
    ids = list(tops)
    planned = [PlannedTheme(f"Theme {i}", tops[t][:1], ["note"]) for i, t in enumerate(ids)]
    labels = [ThemeLabel(["note"], [0], f"Theme {i}") for i in range(TOPS)]
    seen = _counting(project)
    summary = _themes_summary(ids, planned, labels, [tops[ids[0]][0]], project,
                              {t: f"Renamed {i}" for i, t in enumerate(ids)})
    project.db.set_trace_callback(None)
    assert [(s["id"], s["name"], s["size"]) for s in summary] == [
        (t, f"Renamed {i}", 3) for i, t in enumerate(ids)]     # sub-themes' cards counted
    assert seen["themes"] == 1                      # was one read per theme
