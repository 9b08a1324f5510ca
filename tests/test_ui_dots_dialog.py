"""Analysis → Dot vote results…: after a dot vote the team sees the themes ranked by dots (ties
broken by how many people gave them, equal themes sharing a rank), each voter counted once
whatever the case of their name; Show on board selects the theme; Copy gives a table without
names; Clear all dots starts a new round as one step that Undo takes back."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.testing import file_rows, make_project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


@pytest.fixture
def voted(window, tmp_path, qtbot):
    """A project of four themes opened in the window, with ten dots cast through it."""
    from synth.board import CastDots
    path = make_project(tmp_path / "s.synth", statements=20, notes=0, themes=4, placed=0.5)
    window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready)
    t1, t2, t3, t4 = sorted(window.scene.themes)
    for theme, voter, n in ((t1, "Asha", 2), (t1, "Ben", 1), (t2, "Asha", 1), (t2, "Cara", 1),
                            (t2, "ben", 1), (t3, "Cara", 2), (t4, "Dan", 2)):
        window.run_operation(CastDots(theme, voter, n))
    return path, (t1, t2, t3, t4)


def _open(window, qtbot):
    window.act_dots.trigger()
    dlg = window.dots_dlg
    qtbot.waitUntil(dlg.isVisible)
    return dlg


def _rows(dlg) -> list[tuple[str, ...]]:
    t = dlg.table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def test_themes_are_ranked_by_dots_then_voters(window, voted, qtbot):
    path, (t1, t2, t3, t4) = voted
    names = {t: window.scene.themes[t].name for t in (t1, t2, t3, t4)}
    dlg = _open(window, qtbot)
    # t1 and t2 have 3 dots each; t2's came from 3 people (Ben and ben are one), t1's from 2;
    # t3 and t4 tie on 2 dots from one person each
    assert _rows(dlg) == [("1", names[t2], "3", "3"), ("2", names[t1], "3", "2"),
                          ("3", names[t3], "2", "1"), ("3", names[t4], "2", "1")]
    assert dlg.summary.text() == "10 dots from 4 people on 4 themes."
    assert dlg.table.item(0, 3).toolTip() == "Asha, Cara, ben"
    dlg.table.selectRow(1)
    dlg.show_button.click()
    assert window.scene.selected_theme_ids() == [t1]


def test_copy_gives_a_table_without_names(window, voted, qtbot):
    dlg = _open(window, qtbot)
    dlg.copy_button.click()
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0] == "Rank\tTheme\tDots\tPeople"
    assert [line.split("\t")[2:] for line in lines[1:]] == [["3", "3"], ["3", "2"], ["2", "1"],
                                                             ["2", "1"]]
    assert not any(n in QApplication.clipboard().text() for n in ("Asha", "Cara", "Dan"))


def test_clear_all_dots_is_one_step_undo_brings_back(window, voted, qtbot, monkeypatch):
    import ui.dots_dialog as dots_dialog
    path, _ = voted
    asked: list[str] = []
    monkeypatch.setattr(dots_dialog, "ask_clear", lambda _parent, text: asked.append(text) or True)
    dlg = _open(window, qtbot)
    dlg.clear_button.click()
    assert asked == ["Take all 10 dots off the 4 themes to start a new round? Copy the table "
                     "first to keep this round's ranking. Edit → Undo (Ctrl+Z) brings the dots "
                     "back."]
    assert file_rows(path, "SELECT count(*) FROM dot_votes") == [(0,)]
    # the dialog closes, so that Ctrl+Z reaches the window (QA: window-modal, it kept it)
    assert not dlg.isVisible()
    assert "Cleared 10 dots from 4 themes for a new round of dot voting. Ctrl+Z brings them " \
           "back." in window.notify.label.text()
    window.act_undo.trigger()
    assert file_rows(path, "SELECT sum(dots), count(DISTINCT lower(voter)) FROM dot_votes") == \
        [(10, 4)]


def test_cancel_keeps_the_dots(window, voted, qtbot, monkeypatch):
    import ui.dots_dialog as dots_dialog
    path, _ = voted
    monkeypatch.setattr(dots_dialog, "ask_clear", lambda _parent, _text: False)
    dlg = _open(window, qtbot)
    dlg.clear_button.click()
    assert file_rows(path, "SELECT sum(dots) FROM dot_votes") == [(10,)]
    assert dlg.table.rowCount() == 4
