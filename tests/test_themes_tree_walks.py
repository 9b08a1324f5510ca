"""The one walk up the theme tree (synth.themes.tree): a theme's line to its top theme, its top
theme, and the themes holding some themes, on a tree with a loop written into it."""
from __future__ import annotations

from synth.themes.tree import holding, line_up, top_theme

# 1 ⊃ 2 ⊃ 3; 4 alone; 5 → 6 → 5 a loop (a file written wrong); 7's parent 99 is gone
PARENTS = {1: None, 2: 1, 3: 2, 4: None, 5: 6, 6: 5, 7: 99}


def test_a_themes_line_runs_from_it_to_its_top_theme():
    assert line_up(PARENTS, 3) == [3, 2, 1]
    assert line_up(PARENTS, 4) == [4]
    assert line_up(PARENTS, None) == []
    assert line_up(PARENTS, 5) == [5, 6]          # the loop ends the walk
    assert line_up(PARENTS, 7) == [7, 99]         # a parent not read is the last


def test_the_top_theme_is_the_last_of_the_line():
    assert [top_theme(PARENTS, t) for t in (1, 2, 3, 4, 5, 7)] == [1, 1, 1, 4, 6, 99]


def test_holding_gives_the_themes_and_every_theme_above_them():
    assert holding(PARENTS, [3, None, 4]) == {1, 2, 3, 4}
    assert holding(PARENTS, [2, 3]) == {1, 2, 3}
    assert holding(PARENTS, [6]) == {5, 6}
    assert holding(PARENTS, []) == set()
