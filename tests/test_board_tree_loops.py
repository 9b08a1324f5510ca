"""A loop written into the themes' parents (a file written wrong: 2's parent 3, 3's parent 2)
hangs none of the walks up the tree: nesting, merging, the board's paths, depths and counts,
and the recommendations' numbering all end at the loop."""
from __future__ import annotations

from tests.themes_study import fill


def _with_a_loop(project):
    from synth.board import CreateTheme
    cards = fill(project, [f"note {i}" for i in range(6)])
    h = project.history
    ids = [h.apply(CreateTheme(f"T{i}", cards[2 * i:2 * i + 2], status="candidate"))
           for i in range(3)]
    with project.transaction() as db:
        db.execute("UPDATE themes SET parent_id = ? WHERE id = ?", (ids[2], ids[1]))
        db.execute("UPDATE themes SET parent_id = ? WHERE id = ?", (ids[1], ids[2]))
    return ids


def test_nesting_and_merging_end_at_a_loop(project):
    from synth.board import MergeThemes, NestTheme
    top, a, b = _with_a_loop(project)
    project.history.apply(NestTheme(top, a))        # under the loop: no theme in it is top
    assert project.scalar("SELECT parent_id FROM themes WHERE id = ?", (top,)) == a
    project.history.apply(MergeThemes([b], a))
    assert project.scalar("SELECT count(*) FROM themes WHERE id = ?", (b,)) == 0
    assert project.scalar("SELECT parent_id FROM themes WHERE id = ?", (top,)) == a


def test_the_boards_paths_depths_and_counts_end_at_a_loop(project):
    from ui.board.data import load_themes, theme_path, with_subthemes
    top, a, b = _with_a_loop(project)
    themes = load_themes(project)
    assert theme_path(themes, a) == "T2 › T1"
    assert theme_path(themes, top) == "T0"
    assert (themes[top].depth, themes[a].depth, themes[b].depth) == (0, 1, 1)
    assert with_subthemes(themes, {top: 2, a: 2, b: 3}) == {top: 2, a: 5, b: 5}


def test_recommendations_are_numbered_under_a_loop(project):
    from coding.recommendations import AddRecommendation, recommendations
    top, a, b = _with_a_loop(project)
    project.history.apply(AddRecommendation(top, "Meet at the college"))
    project.history.apply(AddRecommendation(a, "Pay the bus fare"))
    project.history.apply(AddRecommendation(a, "Ask someone independent"))
    # the loop's themes have no number (no top theme above them), each counted on its own
    assert [(r.theme_id, r.number) for r in recommendations(project)] == \
        [(top, "1.1"), (a, "–.1"), (a, "–.2")]


def test_moving_a_code_under_a_loop_ends(project):
    """The codebook's Move code walked up the parents by a walk of its own, which went round a
    loop for ever, as NestTheme's did."""
    from coding.codebook import MoveCode
    top, a, b = _with_a_loop(project)
    project.history.apply(MoveCode(top, a))
    assert project.scalar("SELECT parent_id FROM themes WHERE id = ?", (top,)) == a
