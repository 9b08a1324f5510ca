"""Board operations keep the researcher's decisions: a merge carries the pin, the acceptance and
the kept name's "edited" flag; undo restores both themes exactly; the machine's split parts are
candidates."""
from __future__ import annotations

from tests.themes_study import dump, fill


def _notes(project, n: int) -> list[tuple[str, int]]:
    return fill(project, [f"note {i}" for i in range(n)])


def _row(project, tid):
    r = project.query("SELECT name, name_edited, pinned, status FROM themes WHERE id = ?", (tid,))
    return tuple(r[0]) if r else None


def test_merge_keeps_the_sources_pin_and_undo_restores_both(project):
    from synth.board import CreateTheme, MergeThemes, UpdateTheme, theme_cards
    cards = _notes(project, 6)
    h = project.history
    target = h.apply(CreateTheme("Pay & benefit", cards[:3], status="candidate"))
    source = h.apply(CreateTheme("Pay & grades", cards[3:], status="candidate"))
    h.apply(UpdateTheme(source, {"name": "Fair pay across grades"}))
    h.apply(UpdateTheme(source, {"pinned": 1}))
    before = dump(project)
    h.apply(MergeThemes([source], target))
    # the target's own name is kept (with its own flag: not edited); the source's pin is not lost
    assert _row(project, target) == ("Pay & benefit", 0, 1, "candidate")
    assert _row(project, source) is None
    assert theme_cards(project, target) == sorted(cards)
    h.undo()
    assert dump(project) == before
    assert _row(project, source) == ("Fair pay across grades", 1, 1, "candidate")
    assert _row(project, target) == ("Pay & benefit", 0, 0, "candidate")


def test_merge_keeps_the_named_themes_name_as_edited_and_any_acceptance(project):
    from synth.board import CreateTheme, MergeThemes, UpdateTheme, theme_cards
    cards = _notes(project, 9)
    h = project.history
    big = h.apply(CreateTheme("Pay & benefit", cards[:5], status="candidate"))
    named = h.apply(CreateTheme("Pay & grades", cards[5:7], status="candidate"))
    third = h.apply(CreateTheme("Salary", cards[7:], status="accepted"))
    h.apply(UpdateTheme(named, {"name": "Fair pay across grades"}))
    before = dump(project)
    # the window keeps the big theme's id and the researcher's name
    h.apply(MergeThemes([big, named, third], big, keep_name_of=named))
    assert _row(project, big) == ("Fair pay across grades", 1, 0, "accepted")
    assert [r[0] for r in project.query("SELECT id FROM themes")] == [big]
    assert theme_cards(project, big) == sorted(cards)
    h.undo()
    assert dump(project) == before
    h.redo()
    assert _row(project, big) == ("Fair pay across grades", 1, 0, "accepted")


def test_machine_split_parts_are_candidates_a_researchers_part_is_accepted(project):
    from synth.board import CreateTheme, SplitTheme
    cards = _notes(project, 6)
    h = project.history
    tid = h.apply(CreateTheme("Systems", cards, status="candidate"))
    parts = h.apply(SplitTheme(tid, [("Laptops", cards[:3]), ("VPN", cards[3:])],
                               status="candidate"))
    assert [_row(project, p)[3] for p in parts] == ["candidate", "candidate"]
    assert [r[0] for r in project.query("SELECT parent_id FROM themes WHERE id IN (?, ?)",
                                        parts)] == [tid, tid]
    h.undo()
    mine = h.apply(SplitTheme(tid, [("My part", cards[:2])]))
    assert _row(project, mine[0]) == ("My part", 0, 0, "accepted")


def test_a_split_by_similarity_keeps_each_parts_keywords_and_run_and_refuses_a_deleted_theme(
        project):
    import json

    import pytest

    from synth.board import CreateTheme, DeleteTheme, SplitTheme, subtree
    from synth.errors import UserError
    cards = _notes(project, 6)
    h = project.history
    tid = h.apply(CreateTheme("Systems", cards))
    with project.transaction() as db:
        run_id = db.execute("INSERT INTO analysis_runs(kind, created, params, result) "
                            "VALUES ('theme_split', '', '{}', '{}')").lastrowid
    parts = h.apply(SplitTheme(tid, [("Laptops", cards[:3]), ("VPN", cards[3:])],
                               status="candidate", keywords=[["laptop"], ["vpn", "remote"]],
                               run_id=run_id))
    rows = [tuple(r) for r in project.query(
        "SELECT keywords, run_id FROM themes WHERE id IN (?, ?) ORDER BY id", parts)]
    assert [(json.loads(k), r) for k, r in rows] == [(["laptop"], run_id),
                                                      (["vpn", "remote"], run_id)]
    assert subtree(project, tid) == sorted([tid, *parts])
    h.apply(DeleteTheme(tid))
    count = project.scalar("SELECT count(*) FROM themes")
    with pytest.raises(UserError, match="The theme was deleted while it was being split"):
        h.apply(SplitTheme(tid, [("Lost", cards[:2])]))
    assert project.scalar("SELECT count(*) FROM themes") == count
