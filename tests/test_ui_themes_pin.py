"""The researcher's hold on themes from the window: pinning a theme (Board menu, Ctrl+P, the
board's context menu, Details) keeps it and its cards through a rerun of theme discovery and is
one undo step; a merge keeps the theme worked on; suggestions say which theme they would leave;
the Themes list chooses themes by keyboard; a parent split into sub-themes counts their cards.
Every check reads the project file or the board's model, not only the widgets."""
from __future__ import annotations


import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import Qt, QUrl  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from synth.board import CreateTheme, UpdateTheme  # noqa: E402
from tests.test_ui_workflow import _wait_done  # noqa: E402
from tests.ui_fixtures import (build_topic_study, needs_model,  # noqa: E402,F401
                               no_thread_left, settings, window)
from ui.testing import file_places, file_rows, make_project  # noqa: E402



def _row(window, theme_id) -> str:
    """The Themes list's row of a theme ("" while it is not listed)."""
    lst = window.themes_list.list
    return next((lst.item(i).text() for i in range(lst.count())
                 if lst.item(i).data(Qt.UserRole) == theme_id), "")


def _find_themes(window, qtbot):
    before = window.undo_stack.count()
    window.act_themes.trigger()
    task = window.runner.tasks[0]
    _wait_done(qtbot, window, task, 60000)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=5000)
    assert task.state == "done", window.notify.messages
    assert window.undo_stack.count() == before + 1
    return task


@needs_model
def test_a_pinned_theme_keeps_its_cards_through_a_rerun_and_undo_unpins_it(window, tmp_path,
                                                                            qtbot):
    path = build_topic_study(tmp_path)
    assert window.open_project(path)
    _find_themes(window, qtbot)
    sc = window.scene
    assert window.act_pin in window.view.actions()          # the board's context menu
    board_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Board")
    assert window.act_pin in board_menu.actions()
    assert window.act_pin.shortcut().toString() == "Ctrl+P" and window.act_pin.isCheckable()

    small = min(sc.themes, key=lambda t: (len(sc.members()[t]), t))
    cards = sorted(c.ref for c in sc.members()[small])
    sc.select_theme(small)
    assert not window.act_pin.isChecked()
    window.act_pin.trigger()                                   # as Ctrl+P or the menu does
    assert file_rows(path, "SELECT pinned FROM themes WHERE id = ?", (small,)) == [(1,)]
    assert sc.themes[small].pinned and sc.frames[small].pinned
    qtbot.waitUntil(lambda: "· pinned" in _row(window, small), timeout=3000)
    assert window.act_pin.isChecked()
    assert "Pinned" in window.details_panel.browser.toPlainText()
    steps = window.undo_stack.count()

    # the discovery again, with another seed: the pinned theme and its cards stay as they were
    window.project.set_setting("themes.seed", 5)
    _find_themes(window, qtbot)
    assert file_rows(path, "SELECT pinned FROM themes WHERE id = ?", (small,)) == [(1,)]
    assert sorted(r for r, t in file_places(path).items() if t == small) == cards
    assert sorted(c.ref for c in sc.members()[small]) == cards

    window.act_undo.trigger()                                  # the rerun
    window.act_undo.trigger()                                  # the pin
    assert window.undo_stack.index() == steps - 1
    assert file_rows(path, "SELECT pinned FROM themes WHERE id = ?", (small,)) == [(0,)]
    assert not sc.themes[small].pinned
    sc.select_theme(small)
    qtbot.waitUntil(lambda: "pinned" not in _row(window, small), timeout=3000)
    assert not window.act_pin.isChecked()


def test_pin_from_details_and_the_keyboard_in_the_themes_list(window, tmp_path, qtbot):
    path = make_project(tmp_path / "study.synth", statements=12, notes=0, themes=3, placed=1.0)
    assert window.open_project(path)
    sc, lst = window.scene, window.themes_list.list
    window.activateWindow()
    lst.setFocus()
    qtbot.waitUntil(lst.hasFocus, timeout=3000)
    first, second = (lst.item(i).data(Qt.UserRole) for i in (0, 1))
    QTest.keyClick(lst, Qt.Key_Down)
    QTest.keyClick(lst, Qt.Key_Up)
    # the theme chosen in the list is the board's selected theme: Details shows it
    assert sc.selected_theme_ids() == [first]
    assert window.details_panel.browser.toPlainText().startswith(sc.themes[first].name)
    assert window.controller.current_theme() == first
    QTest.keyClick(lst, Qt.Key_P, Qt.ControlModifier)          # Ctrl+P from the list
    assert file_rows(path, "SELECT pinned FROM themes WHERE id = ?", (first,)) == [(1,)]
    # Details unpins with a link
    window.details_panel.browser.anchorClicked.emit(QUrl("pin:off"))
    assert file_rows(path, "SELECT pinned FROM themes WHERE id = ?", (first,)) == [(0,)]
    window.details_panel.browser.anchorClicked.emit(QUrl("pin:on"))
    assert file_rows(path, "SELECT pinned FROM themes WHERE id = ?", (first,)) == [(1,)]

    # Shift+Down chooses two themes; Ctrl+Shift+M merges them into the pinned one
    lst.setFocus()
    QTest.keyClick(lst, Qt.Key_Down, Qt.ShiftModifier)
    assert sorted(sc.selected_theme_ids()) == sorted([first, second])
    n = len(sc.members()[first]) + len(sc.members()[second])
    QTest.keyClick(lst, Qt.Key_M, Qt.ControlModifier | Qt.ShiftModifier)
    assert file_rows(path, "SELECT id FROM themes WHERE id IN (?, ?)", (first, second)) == \
        [(first,)]
    assert len(sc.members()[first]) == n
    assert sc.selected_theme_ids() == [first]                  # the merged theme, in hand

    # Enter goes to the theme on the board, selected, the keys going to the board
    lst.setFocus()
    lst.setCurrentItem(next(lst.item(i) for i in range(lst.count())
                            if lst.item(i).data(Qt.UserRole) == first))
    QTest.keyClick(lst, Qt.Key_Return)
    assert sc.selected_theme_ids() == [first]
    assert window.view.hasFocus()

    # on the board: the arrows reach a card, T selects its theme
    sc.clearSelection()
    QTest.keyClick(window.view, Qt.Key_Right)
    (card,) = sc.selected_refs()
    QTest.keyClick(window.view, Qt.Key_T)
    assert sc.selected_theme_ids() == [sc.cards[card].theme_id]


def test_a_merge_keeps_the_theme_worked_on_and_selects_it(window, tmp_path):
    path = make_project(tmp_path / "study.synth", statements=12, notes=0, themes=0)
    assert window.open_project(path)
    sc, c = window.scene, window.controller
    run = window.run_operation
    big = run(CreateTheme("Pay & benefit", status="candidate",
                          cards=[("statement", i) for i in range(1, 8)]))
    small = run(CreateTheme("Pay & grades", status="candidate",
                            cards=[("statement", i) for i in range(8, 10)]))
    c.rename_theme(small, "Fair pay across grades")
    sc.select_themes([big, small])
    window.act_merge.trigger()
    # the renamed theme keeps its id and its name, though the other was larger
    assert file_rows(path, "SELECT id, name, name_edited FROM themes") == \
        [(small, "Fair pay across grades", 1)]
    assert len(sc.members()[small]) == 9
    assert sc.selected_theme_ids() == [small]
    assert window.details_panel.browser.toPlainText().startswith("Fair pay across grades")
    window.act_undo.trigger()

    # pinned wins over renamed, and over larger, for the id; the name the researcher gave
    # is kept all the same (the pinned "Hours" is the machine's name): neither decision is lost
    third = run(CreateTheme("Hours", status="candidate", cards=[("statement", 10)]))
    run(UpdateTheme(third, {"pinned": 1}))
    c.merge_themes([big, small, third])
    assert file_rows(path, "SELECT id, name, name_edited, pinned FROM themes") == \
        [(third, "Fair pay across grades", 1, 1)]
    assert len(sc.members()[third]) == 10 and sc.selected_theme_ids() == [third]


def test_suggestions_from_other_themes_say_so_and_are_accepted_in_one_step(window, tmp_path):
    path = make_project(tmp_path / "study.synth", statements=12, notes=0, themes=0)
    assert window.open_project(path)
    sc, c = window.scene, window.controller
    run = window.run_operation
    home = run(CreateTheme("Home & VPN", cards=[("statement", 1), ("statement", 2)]))
    pay = run(CreateTheme("Pay & grades", cards=[("statement", 3), ("statement", 4),
                                                 ("statement", 5)]))
    steps = window.undo_stack.count()
    sc.set_suggestions(home, [("statement", 3), ("statement", 4), ("statement", 9)])
    ghosts = {g.ref: g for g in sc.ghosts[home]}
    assert ghosts[("statement", 3)].origin == "Pay & grades"
    assert ghosts[("statement", 9)].origin == ""
    assert ghosts[("statement", 3)].accessible_text().startswith(
        "Suggested, now in theme Pay & grades")
    assert "Now in “Pay & grades”" in ghosts[("statement", 4)].toolTip()
    assert sc.suggestion_origins(home) == {("statement", 3): pay, ("statement", 4): pay}

    sc.select_theme(home)
    window.act_accept_ghosts.trigger()                   # Shift+A on the board
    assert {r for r, t in file_places(path).items() if t == home} == \
        {("statement", i) for i in (1, 2, 3, 4, 9)}
    assert window.undo_stack.count() == steps + 1        # one step, all three cards
    level, said = window.notify.messages[-1]
    assert level == "info"
    assert said.startswith("Moved 3 suggested cards into “Home & VPN”; 2 of them out of "
                           "other themes: “Pay & grades” (2)")
    window.act_undo.trigger()
    places = file_places(path)
    assert places[("statement", 3)] == pay and places[("statement", 4)] == pay
    assert ("statement", 9) not in places


def test_a_parent_counts_the_cards_of_its_sub_themes(window, tmp_path, qtbot):
    path = make_project(tmp_path / "study.synth", statements=12, notes=0, themes=0)
    assert window.open_project(path)
    sc = window.scene
    run = window.run_operation
    parent = run(CreateTheme("Systems & admin"))
    run(CreateTheme("Laptops", parent_id=parent, cards=[("statement", i) for i in (1, 2, 3)]))
    run(CreateTheme("VPN", parent_id=parent, cards=[("statement", i) for i in (4, 5)]))
    assert sc.members()[parent] == []
    assert sc.frames[parent].count == 5
    assert sc.frames[parent].summary == "5 cards in 2 sub-themes"
    assert sc.frames[parent].label._fit(0.1)[3] == "Systems & admin (5)"
    qtbot.waitUntil(lambda: _row(window, parent) == "Systems & admin  (5)",
                    timeout=3000)
    sc.select_theme(parent)
    assert "5 cards with its 2 sub-themes" in window.details_panel.browser.toPlainText()
    window.act_undo.trigger()                            # VPN goes: 3 left
    assert sc.frames[parent].count == 3
    qtbot.waitUntil(lambda: _row(window, parent) == "Systems & admin  (3)",
                    timeout=3000)


def test_the_themes_dialog_asks_for_no_more_themes_than_cards(window, tmp_path):
    from ui.window_analysis import finished_message
    path = make_project(tmp_path / "study.synth", statements=5, notes=0, themes=0)
    assert window.open_project(path)
    window.act_themes_dialog.trigger()
    assert window.themes_dlg.k_spin.maximum() == 5
    window.themes_dlg.reject()
    result = {"themes": [{"id": 1}, {"id": 2}], "unsorted": 0}
    assert finished_message("Finding 4 candidate themes", result,
                            facts={"k_asked": 4, "cards": 5}) == \
        "2 candidate themes found, not the 4 asked for: 5 cards to sort make no more."
    assert finished_message("Finding candidate themes", result) == "2 candidate themes found."
    rerun = {"themes": [{"id": 1}] * 10, "unsorted": 3, "kept_empty": [7]}
    assert finished_message("Finding candidate themes", rerun,
                            facts={"names": {7: "Four-day week and hours"}}) == \
        "10 candidate themes found; 3 cards left unsorted; “Four-day week and hours” kept " \
        "though now empty (your name, acceptance or coding is on it)."
