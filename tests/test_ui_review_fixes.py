"""Regressions a review of the pin and task work found, each checked in the project file, on the
board or on the window's actions: a task of a project closed since stays out of the one open now;
a parent's summary follows its sub-themes; undo waits for a task that blocks edits; a refused pin
leaves no tick; a failing view does not stop the board following the file."""
from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from synth.board import CreateTheme  # noqa: E402
from ui.testing import file_rows, make_project  # noqa: E402
from tests.ui_fixtures import (HeldTask, hold_naming,  # noqa: E402,F401
                               no_thread_left, settings, window)


# --------------------------------------------------------------------------- another project
def _switch_while_held(window, qtbot, tmp_path, end: str):
    a = make_project(tmp_path / "a.synth", statements=10, notes=0, themes=0)
    b = make_project(tmp_path / "b.synth", statements=10, notes=0, themes=1)
    assert window.open_project(a)
    held = HeldTask(end, name="Written in A", cards=[("statement", 1)])
    task = held.start(window)
    qtbot.waitUntil(held.written.is_set, timeout=10000)
    assert window.open_project(b)          # cancels A's task; B is the window's project now
    said = len(window.notify.messages)
    held.go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    qtbot.wait(20)
    return a, b, task, window.notify.messages[said:]


def test_a_task_done_after_another_project_opened_stays_out_of_it(window, tmp_path, qtbot):
    a, b, task, said = _switch_while_held(window, qtbot, tmp_path, "return")
    assert task.state == "done"
    assert window.undo_stack.count() == 0          # not adopted: Ctrl+Z has nothing of A's
    assert not window.act_undo.isEnabled()
    assert said == []                              # no "Writing a theme: done." over B
    assert file_rows(b, "SELECT name FROM themes") == [("Theme 1",)]
    assert [n for n, in file_rows(a, "SELECT name FROM themes")] == ["Written in A"]
    assert sorted(window.scene.themes) == [1] and window.scene.themes[1].name == "Theme 1"


@pytest.mark.parametrize("end", ["cancelled", "fail"])
def test_a_task_of_a_closed_project_says_nothing_over_the_next(window, tmp_path, qtbot, end):
    a, b, task, said = _switch_while_held(window, qtbot, tmp_path, end)
    assert task.state == ("cancelled" if end == "cancelled" else "failed")
    assert said == []
    assert window.undo_stack.count() == 0
    assert file_rows(b, "SELECT name FROM themes") == [("Theme 1",)]


# --------------------------------------------------------------------------- a parent's summary
def test_a_parent_says_no_more_of_sub_themes_once_they_are_emptied(window, tmp_path, qtbot):
    from synth.board import SplitTheme
    from ui.testing import settle
    path = make_project(tmp_path / "s.synth", statements=12, notes=0, themes=0)
    assert window.open_project(path)
    p = window.run_operation(CreateTheme("Parent", cards=[("statement", i) for i in range(1, 7)]))
    window.run_operation(SplitTheme(p, [("A", [("statement", i) for i in (1, 2, 3)]),
                                        ("B", [("statement", i) for i in (4, 5, 6)])]))
    settle(qtbot, window)
    frame = window.scene.frames[p]
    assert (frame.count, frame.summary) == (6, "6 cards in 2 sub-themes")
    window.scene.move_cards([("statement", i) for i in (4, 5, 6)], None)    # B emptied
    settle(qtbot, window)
    assert (frame.count, frame.summary) == (3, "3 cards in 2 sub-themes")
    window.scene.move_cards([("statement", i) for i in (1, 2, 3)], None)    # A too
    settle(qtbot, window)
    assert (frame.count, frame.summary) == (0, "no cards yet")
    assert window.scene.themes[p].total == 0
    window.act_undo.trigger()                      # A's cards back: the parent says so again
    settle(qtbot, window)
    assert (frame.count, frame.summary) == (3, "3 cards in 2 sub-themes")


# --------------------------------------------------------------------------- undo during a task
def _click_history_row(window, qtbot, row: int) -> None:
    from PySide6.QtCore import Qt
    view = window.history_view
    window.history_dock.show()
    window.history_dock.raise_()
    qtbot.waitUntil(view.isVisible, timeout=5000)
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())


def test_undo_and_the_history_wait_for_a_task_that_blocks_edits(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=6, notes=0, themes=0)
    assert window.open_project(path)
    first = window.run_operation(CreateTheme("First", cards=[("statement", 1)]))
    second = window.run_operation(CreateTheme("Second", cards=[("statement", 2)]))
    window.undo_stack.undo()                            # something to redo as well
    assert window.act_undo.isEnabled() and window.act_redo.isEnabled()
    assert window.act_undo.text() == "&Undo Create theme “First”"
    go = threading.Event()
    task = window.runner.run("Busy", lambda p, c: go.wait(10))
    assert not window.act_undo.isEnabled() and not window.act_redo.isEnabled()
    assert not window.history_view.isEnabled()
    window.act_undo.trigger()                           # Ctrl+Z: nothing happens
    window.act_redo.trigger()
    _click_history_row(window, qtbot, 0)                # "Project opened": nothing either
    assert window.undo_stack.index() == 1
    assert file_rows(path, "SELECT id FROM themes") == [(first,)]
    go.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=5000)
    assert window.act_undo.isEnabled() and window.act_redo.isEnabled()
    assert window.history_view.isEnabled()
    window.act_redo.trigger()
    assert sorted(r for r, in file_rows(path, "SELECT id FROM themes")) == [first, second]
    _click_history_row(window, qtbot, 0)                # back to the start, by the History
    assert window.undo_stack.index() == 0
    assert file_rows(path, "SELECT id FROM themes") == []
    assert not window.act_undo.isEnabled() and window.act_redo.isEnabled()


def test_an_unpin_cannot_be_undone_under_a_run_that_decided_without_the_pin(
        window, tmp_path, qtbot, monkeypatch):
    """Undo while Find candidate themes runs would pin a theme the run read as unpinned: its
    cards would be sorted anyway. Undo waits for the run; then it undoes the run first."""
    from synth.board import UpdateTheme
    from tests.ui_fixtures import add_three_themes, build_topic_study
    from ui.testing import file_places
    path = build_topic_study(tmp_path)
    it = add_three_themes(path)["IT"]
    assert window.open_project(path)
    window.run_operation(UpdateTheme(it, {"pinned": 1}))
    window.run_operation(UpdateTheme(it, {"pinned": 0}))        # the researcher unpins
    cards_before = sorted(r for r, t in file_places(path).items() if t == it)
    naming, go_on = hold_naming(monkeypatch)
    window.act_themes.trigger()
    task = window.runner.tasks[0]
    qtbot.waitUntil(naming.is_set, timeout=60000)
    assert not window.act_undo.isEnabled()
    window.act_undo.trigger()                                   # refused: still unpinned
    assert file_rows(path, "SELECT pinned FROM themes WHERE id=?", (it,)) == [(0,)]
    go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=60000)
    assert task.state == "done"
    assert window.act_undo.isEnabled()
    assert window.undo_stack.undoText().startswith("Find")
    window.act_undo.trigger()                                   # the run goes first
    assert sorted(r for r, t in file_places(path).items() if t == it) == cards_before
    window.act_undo.trigger()                                   # then the unpin
    assert file_rows(path, "SELECT pinned FROM themes WHERE id=?", (it,)) == [(1,)]


# --------------------------------------------------------------------------- Pin theme's tick
def test_a_refused_pin_leaves_pin_theme_unticked(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=6, notes=0, themes=1)
    assert window.open_project(path)
    tid = next(iter(window.scene.themes))
    window.scene.select_theme(tid)
    assert window.act_pin.isEnabled() and not window.act_pin.isChecked()
    go = threading.Event()
    task = window.runner.run("Busy", lambda p, c: go.wait(10))
    window.act_pin.trigger()                           # Ctrl+P while a task writes: refused
    assert file_rows(path, "SELECT pinned FROM themes") == [(0,)]
    assert window.notify.messages[-1][1].startswith("Wait for the background task")
    assert not window.act_pin.isChecked()
    go.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=5000)
    assert not window.act_pin.isChecked()
    window.act_pin.trigger()                           # now it pins, and is ticked
    assert file_rows(path, "SELECT pinned FROM themes") == [(1,)]
    assert window.act_pin.isChecked()


def test_pin_theme_is_unticked_when_nothing_to_pin_is_in_hand(window, tmp_path):
    path = make_project(tmp_path / "s.synth", statements=6, notes=0, themes=2, placed=1.0)
    assert window.open_project(path)
    sc = window.scene
    a, b = sorted(sc.themes)
    sc.select_theme(a)
    window.act_pin.trigger()
    assert window.act_pin.isChecked()
    sc.select_themes([b])
    assert not window.act_pin.isChecked()
    sc.select_cards([r for r, c in sc.cards.items() if c.theme_id in (a, b)])   # two themes
    assert not window.act_pin.isEnabled() and not window.act_pin.isChecked()
    sc.select_cards([r for r, c in sc.cards.items() if c.theme_id == a])        # a's cards
    assert window.act_pin.isEnabled() and window.act_pin.isChecked()


# --------------------------------------------------------------------------- the selection
def test_one_read_of_the_selection_per_change_and_one_change_for_select_all(window, tmp_path,
                                                                              monkeypatch):
    from PySide6.QtCore import Qt
    path = make_project(tmp_path / "s.synth", statements=300, notes=0, themes=3, placed=0.5)
    assert window.open_project(path)
    sc = window.scene
    reads, changes = [], []
    real = sc.selection
    monkeypatch.setattr(sc, "selection", lambda: reads.append(1) or real())
    sc.selectionChanged.connect(lambda: changes.append(1))
    window.act_select_all.trigger()
    assert len(changes) == 1 and len(reads) == 1       # 300 cards: one change, one read
    assert len(sc.selected_refs()) == 300
    assert window.selection_label.text() == "300 cards selected"
    assert window.details_panel.browser.toPlainText().startswith("300 cards selected.")
    tid = sorted(sc.themes)[0]
    del reads[:], changes[:]
    sc.select_theme(tid)                               # the label, Details, list and Pin
    assert len(changes) == 1 and len(reads) == 1
    assert window.selection_label.text() == " · 1 theme"
    assert window.themes_list.selected_ids() == [tid]
    assert window.act_pin.isEnabled()
    rows = [window.themes_list.list.item(i) for i in range(window.themes_list.list.count())]
    assert [r.data(Qt.UserRole) for r in rows if r.isSelected()] == [tid]
    sc.select_cards([("statement", 1)], add=True)
    assert window.details_panel.browser.toPlainText().startswith(
        "1 card and 1 theme selected.")
    sc.select_cards([])                                # nothing selected
    assert window.selection_label.text() == ""
    assert window.themes_list.selected_ids() == [] and not window.act_pin.isEnabled()


# --------------------------------------------------------------------------- a failing view
def test_a_view_that_fails_on_a_change_does_not_stop_the_board_following(window, tmp_path,
                                                                          qtbot):
    from synth.board import MoveCards
    from ui.testing import settle

    class Broken:
        told = 0

        def note_changes(self, changes):
            Broken.told += 1
            raise RuntimeError("this panel broke")

        def catch_up(self, everything=False):
            return False

    path = make_project(tmp_path / "s.synth", statements=6, notes=0, themes=0)
    assert window.open_project(path)
    assert window._views[0] is not None and window.sources_panel in window._views
    window._views.insert(0, Broken())                  # told before the others
    tid = window.run_operation(CreateTheme("Followed", cards=[("statement", 1)]))
    assert Broken.told == 1
    level, said = window.notify.messages[-1]
    assert level == "error" and "this panel broke" in said
    sc = window.scene
    assert tid in sc.themes and sc.cards[("statement", 1)].theme_id == tid      # the board
    settle(qtbot, window)
    rows = [window.themes_list.list.item(i).text()
            for i in range(window.themes_list.list.count())]
    assert rows[0].startswith("Followed") and "(1)" in rows[0]                   # the list
    window.run_operation(MoveCards([("statement", 2)], tid))
    assert Broken.told == 2 and len(sc.members()[tid]) == 2
    window.act_undo.trigger()                          # undo is followed as well
    assert len(sc.members()[tid]) == 1


# --------------------------------------------------------------------------- cards to sort
def test_the_themes_dialog_bounds_k_by_the_cards_outside_pinned_subtrees(window, tmp_path):
    from synth.board import SplitTheme, UpdateTheme
    path = make_project(tmp_path / "s.synth", statements=12, notes=0, themes=0)
    assert window.open_project(path)
    run = window.run_operation
    p = run(CreateTheme("Held", cards=[("statement", i) for i in range(1, 8)]))
    run(SplitTheme(p, [("Held part", [("statement", i) for i in (5, 6, 7)])]))
    window.act_themes_dialog.trigger()
    assert window.themes_dlg.sortable == 12 and window.themes_dlg.k_spin.maximum() == 12
    window.themes_dlg.reject()
    run(UpdateTheme(p, {"pinned": 1}))             # the parent pinned: its sub-theme too
    window.act_themes_dialog.trigger()
    assert window.themes_dlg.sortable == 5 and window.themes_dlg.k_spin.maximum() == 5
    window.themes_dlg.reject()


def test_an_import_done_after_another_project_opened_says_nothing_over_it(window, tmp_path,
                                                                           qtbot, monkeypatch):
    """An import into A that finishes once B is open: no "Imported …" over B, nothing of it in
    B's history, B's board not read again for it."""
    import synth.importers as importers
    a = make_project(tmp_path / "a.synth", statements=10, notes=0, themes=0)
    b = make_project(tmp_path / "b.synth", statements=10, notes=0, themes=1)
    written, go_on = threading.Event(), threading.Event()

    def slow_import(project, path, **options):
        project.history.apply(CreateTheme("Imported into A", cards=[("statement", 2)]))
        written.set()
        assert go_on.wait(10)
        return [importers.ImportReport(str(path), "notes", counts={"notes": 0})]
    monkeypatch.setattr(importers, "import_path", slow_import)
    assert window.open_project(a)
    task = window.import_path(str(tmp_path / "notes.csv"))
    qtbot.waitUntil(written.is_set, timeout=10000)
    assert window.open_project(b)
    said = len(window.notify.messages)
    loads = []
    monkeypatch.setattr(window, "reload_board", lambda fit=False: loads.append(fit))
    go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    qtbot.wait(20)
    assert [m for m in window.notify.messages[said:] if "Imported" in m[1]] == []
    assert loads == [] and window.undo_stack.count() == 0
    assert file_rows(b, "SELECT name FROM themes") == [("Theme 1",)]
    assert [n for n, in file_rows(a, "SELECT name FROM themes")] == ["Imported into A"]


def test_a_task_whose_file_was_opened_again_lands_in_it(window, tmp_path, qtbot):
    """Close the study and open it again while its task runs: a new project object of the
    same file, which gets the task's result on the board and its undo step. (Open on the study
    already open keeps it: it used to open a read-only copy, its own lock being held.)"""
    from ui.testing import settle
    a = make_project(tmp_path / "a.synth", statements=10, notes=0, themes=0)
    assert window.open_project(a)
    gate = HeldTask(write_first=False, cards=[("statement", 1)])
    task, go_on = gate.start(window), gate.go_on
    qtbot.waitUntil(gate.waiting.is_set, timeout=10000)
    held = window.project
    assert window.open_project(a) and window.project is held and not held.read_only
    window.close_project()
    assert window.open_project(a) and window.project is not held
    assert not window.project.read_only
    go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    settle(qtbot, window)
    assert file_rows(a, "SELECT name FROM themes") == [("Written by the task",)]
    assert [t.name for t in window.scene.themes.values()] == ["Written by the task"]
    assert window.undo_stack.count() == 1
    window.act_undo.trigger()
    settle(qtbot, window)
    assert file_rows(a, "SELECT count(*) FROM themes") == [(0,)]
    assert window.scene.themes == {}


def test_a_task_whose_file_was_replaced_by_a_new_project_stays_out_of_it(window, tmp_path,
                                                                         qtbot):
    """New project over the study while its task runs: the new file is another project."""
    from ui.testing import settle
    a = make_project(tmp_path / "a.synth", statements=10, notes=0, themes=0)
    assert window.open_project(a)
    gate = HeldTask(write_first=False, cards=[("statement", 1)])
    task, go_on = gate.start(window), gate.go_on
    qtbot.waitUntil(gate.waiting.is_set, timeout=10000)
    assert window.new_project(a)
    go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    settle(qtbot, window)
    assert file_rows(a, "SELECT count(*) FROM themes") == [(0,)]
    assert window.scene.themes == {} and window.undo_stack.count() == 0


def test_an_export_done_after_another_project_opened_says_whose_it_was(window, tmp_path, qtbot,
                                                                        monkeypatch):
    """The files were written, so the news is kept, but over B it names A: "a.synth: Exported
    1 file to …", not an export B never made."""
    from types import SimpleNamespace
    import ui.exporting as exporting
    a = make_project(tmp_path / "a.synth", statements=4, notes=0, themes=0)
    b = make_project(tmp_path / "b.synth", statements=4, notes=0, themes=1)
    writing, go_on = threading.Event(), threading.Event()

    def slow_export(project, plan, progress, cancelled):
        writing.set()
        assert go_on.wait(10)
        out = tmp_path / "out" / "report.docx"
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(b"written")
        return [out]
    monkeypatch.setattr(exporting, "run_export", slow_export)
    plan = SimpleNamespace(folder=str(tmp_path / "out"), warnings=[])
    for switch, whose in ((False, ""), (True, "a.synth: ")):
        assert window.open_project(a)
        writing.clear(), go_on.clear()
        task = window.export(plan)
        qtbot.waitUntil(writing.is_set, timeout=10000)
        if switch:
            assert window.open_project(b)
        said = len(window.notify.messages)
        go_on.set()
        # the task leaves the runner after its done() ran (signals in order): no wait needed
        qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
        news = [m[1] for m in window.notify.messages[said:]]
        assert news == [f"{whose}Exported 1 file to {tmp_path / 'out'}"]
