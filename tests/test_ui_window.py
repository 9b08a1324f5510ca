"""The window: keyboard reach, accessible names, background tasks, presentation mode,
screenshots, import, projects. Checks read the project file, not only the widgets."""
from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox,  # noqa: E402
                               QApplication, QComboBox, QHeaderView, QLineEdit, QWidget)

from ui.tasks import TaskCancelled  # noqa: E402
from ui.testing import (bring_into_sight, file_places, file_rows, make_project,  # noqa: E402
                        pixel_variety)
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def test_arrows_move_between_cards_and_picker_moves_them(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=12, notes=0, themes=2)
    window.open_project(path)
    view, sc = window.view, window.scene
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Right)           # first key: focus a card
    first = view.current_card()
    assert first is not None and first.isSelected()
    qtbot.keyClick(view, Qt.Key_Right)
    second = view.current_card()
    assert second is not first and second.pos().x() > first.pos().x()
    assert "statement" in view.accessibleDescription()
    # a screen reader hears where the card lies (QA2: the theme was not said)
    where = sc.cards[second.ref].theme_id
    assert view.accessibleDescription().endswith(
        f"; in theme {sc.themes[where].name}" if where is not None else "; unsorted")
    qtbot.keyClick(view, Qt.Key_Down, Qt.ShiftModifier)   # extend the selection
    assert len(sc.selected_refs()) == 2
    chosen = set(sc.selected_refs())
    qtbot.keyClick(view, Qt.Key_M)
    picker = window.picker
    assert picker.isVisible()
    target = sorted(sc.themes)[1]
    qtbot.keyClicks(picker.filter_edit, sc.themes[target].name)
    qtbot.keyClick(picker.filter_edit, Qt.Key_Return)
    assert {r: t for r, t in file_places(path).items()} == {r: target for r in chosen}
    # a new theme straight from the picker
    sc.select_cards([("statement", 9)])
    qtbot.keyClick(view, Qt.Key_M)
    qtbot.keyClicks(window.picker.filter_edit, "Brand new")
    qtbot.keyClick(window.picker.filter_edit, Qt.Key_Down)
    qtbot.keyClick(window.picker.filter_edit, Qt.Key_Return)
    new = file_rows(path, "SELECT id FROM themes WHERE name = 'Brand new'")
    assert new and file_places(path)[("statement", 9)] == new[0][0]


def test_every_interactive_widget_has_an_accessible_name(window, tmp_path):
    window.open_project(make_project(tmp_path / "s.synth", statements=3, notes=0, themes=1))
    missing = []
    for w in window.findChildren(QWidget):
        if isinstance(w, (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox,
                          QAbstractItemView)) and w.isVisibleTo(window):
            if isinstance(w.parent(), (QComboBox, QAbstractSpinBox, QAbstractItemView)) or \
                    isinstance(w, QHeaderView):
                continue      # parts of a named widget, not widgets of their own
            name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
            if not name and type(w).__name__ not in ("QDockWidgetTitleButton", "QToolButton",
                                                      "QComboBoxListView"):
                missing.append(f"{type(w).__name__} in {type(w.parent()).__name__}")
    assert not missing, missing
    assert window.view.accessibleName() == "Board"
    # every menu action is reachable by keyboard: it has a shortcut or a menu mnemonic
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text()


def test_long_task_can_be_cancelled_while_the_gui_keeps_working(window, qtbot):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    started = threading.Event()

    def long_analysis(progress, cancelled):
        started.set()
        for i in range(10_000):
            if cancelled():          # a task that stops says so: it changed nothing
                raise TaskCancelled()
            progress(i, 10_000, f"step {i}")
            time.sleep(0.002)
        return "finished"

    task = window.runner.run("Long analysis", long_analysis)
    assert started.wait(5)
    qtbot.waitUntil(lambda: window.progress.value() > 5, timeout=3000)
    assert window.cancel_button.isVisible()
    n = len(ticks)
    # The GUI thread keeps serving its timer while the task runs (a liveness check, no budget).
    qtbot.waitUntil(lambda: len(ticks) > n + 3, timeout=10_000)
    assert task.state == "running"
    with qtbot.waitSignal(task.finished, timeout=3000):
        qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    assert task.state == "cancelled"
    qtbot.waitUntil(lambda: not window.cancel_button.isVisible(), timeout=2000)
    assert any("cancelled" in m for _, m in window.notify.messages)
    timer.stop()


def test_task_errors_go_to_the_notification_bar(window, qtbot):
    from synth.errors import UserError

    def broken(progress, cancelled):
        raise UserError("the model folder is missing")

    task = window.runner.run("Broken", broken,
                             on_error=lambda e: window.notify.exception(e))
    qtbot.waitUntil(lambda: task.state == "failed" and window.notify.isVisible(), timeout=3000)
    assert window.notify.isVisible()
    assert window.notify.messages[-1] == ("error", "the model folder is missing")


def test_screenshots_normal_and_presentation_are_not_blank(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=80, notes=30, themes=4, placed=0.6)
    window.open_project(path)
    window.view.fit_all()
    qtbot.wait(20)
    normal = window.grab().toImage()
    assert pixel_variety(normal) > 40
    window.set_presentation(True, scale=1.5, full_screen=False)
    qtbot.wait(20)
    assert not window.menuBar().isVisible() and not window.details_dock.isVisible()
    assert window.themes_dock.isVisible() and window.presentation.hints.isVisible()
    assert window.scene.style.high_contrast and window.scene.style.text_scale == 1.5
    shown = window.grab().toImage()
    assert pixel_variety(shown) > 20
    corner = shown.pixelColor(window.view.geometry().center())
    assert corner.lightness() < 128 or pixel_variety(shown) > 20
    # dot voting from the keyboard, stored as data
    theme = min(window.scene.themes)
    window.scene.clearSelection()
    window.scene.frames[theme].setSelected(True)
    window.presentation.voter_edit.setText("Asha")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_D)
    qtbot.keyClick(window.view, Qt.Key_D)
    assert file_rows(path, "SELECT theme_id, voter, dots FROM dot_votes") == \
        [(theme, "Asha", 1), (theme, "Asha", 1)]
    assert window.scene.frames[theme].theme.dots == 2
    # Esc where the key goes, the board: the theme's selection first, then presentation
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Escape)
    assert window.presentation is not None and not window.scene.selectedItems()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Escape)
    assert window.presentation is None and window.menuBar().isVisible()
    assert not window.scene.style.high_contrast


def test_screenshot_command_writes_a_png(tmp_path):
    from PySide6.QtGui import QImage
    from ui.cli import screenshot
    path = make_project(tmp_path / "s.synth", statements=30, notes=10, themes=3, placed=0.5)
    for presentation in (False, True):
        out = tmp_path / f"shot-{presentation}.png"
        assert screenshot(path, out, presentation=presentation, size=(1200, 800)) == 0
        img = QImage(str(out))
        assert img.width() == 1200 and pixel_variety(img) > 20


def test_import_dialog_suggests_and_remembers_the_mapping(window, tmp_path, qtbot, settings):
    from ui.import_dialog import ImportDialog
    bring_into_sight(window, "Sources")
    window.new_project(tmp_path / "new.synth")
    csv = tmp_path / "stickies.csv"
    csv.write_text("City,Sticky note,Type\nLeeds,More quiet rooms,add\nLeeds,Hot desks,ditch\n"
                   "York,Keep Fridays at home,keep\n", encoding="utf-8")
    dlg = ImportDialog(settings, window, str(csv))
    qtbot.addWidget(dlg)
    assert dlg.kind == "notes"
    assert dlg.mapping_boxes["text"].currentData() == "Sticky note"
    assert dlg.mapping_boxes["site"].currentData() == "City"
    assert dlg.preview.rowCount() == 3
    dlg.mapping_boxes["activity"].setCurrentIndex(dlg.mapping_boxes["activity"].findData("Type"))
    options = dlg.options()
    assert settings.column_mapping("notes", ["City", "Sticky note", "Type"])["activity"] == "Type"
    task = window.import_path(str(csv), **options)
    qtbot.waitUntil(lambda: task.state == "done" and len(window.scene.card_items) == 3,
                    timeout=5000)
    path = window.project.path
    assert file_rows(path, "SELECT site, activity, text FROM notes ORDER BY id")[0] == \
        ("Leeds", "add", "More quiet rooms")
    assert len(window.scene.card_items) == 3
    assert window.sources_panel.tree.topLevelItemCount() == 1
    # a file it cannot read: a message in the dialog, no traceback, no import
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    dlg2 = ImportDialog(settings, window, str(bad))
    qtbot.addWidget(dlg2)
    assert dlg2.problem_label.text()


def test_new_open_recent_and_save_as(window, tmp_path, settings):
    a = make_project(tmp_path / "a.synth", statements=5, notes=0, themes=1)
    assert window.open_project(a)
    window.scene.select_cards([("statement", 1)])
    window.controller.create_theme_from_selection("Kept")
    b = tmp_path / "b.synth"
    assert window.save_as(b)
    assert window.project.path == b
    assert file_rows(b, "SELECT name FROM themes ORDER BY id")[-1] == ("Kept",)
    assert settings.recent_projects[0] == str(b.resolve())
    assert str(a.resolve()) in settings.recent_projects
    assert not window.open_project(tmp_path / "missing.synth")
    assert window.notify.messages[-1][0] == "error"
    assert str((tmp_path / "missing.synth").resolve()) not in settings.recent_projects
    window.recent_menu.aboutToShow.emit()
    assert len(window.recent_menu.actions()) == 2


def test_operations_from_other_panels_are_undoable_from_the_window(window, tmp_path):
    from synth.board import CreateTheme
    path = make_project(tmp_path / "s.synth", statements=4, notes=0, themes=0)
    window.open_project(path)
    window.project.history.apply(CreateTheme("From a panel", [("statement", 1)]))
    assert "From a panel" in [t.name for t in window.scene.themes.values()]
    assert window.undo_stack.count() == 1
    window.act_undo.trigger()
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]
    assert not window.scene.themes


def test_votes_view_sorts_statements_and_shows_a_statement(window, tmp_path, qtbot):
    from ui.panels.votes import SORT_ROLE
    path = make_project(tmp_path / "s.synth", statements=15, notes=0, themes=0)
    bring_into_sight(window, "Votes")
    window.open_project(path)
    panel = window.votes_panel
    assert window.votes_dock.widget() is panel or panel in window.votes_dock.findChildren(
        type(panel))
    model = panel.table.model()
    assert model.rowCount() == 15
    assert panel.table.accessibleName()
    panel.table.sortByColumn(2, Qt.DescendingOrder)       # by % agree
    values = [model.index(r, 2).data(SORT_ROLE) for r in range(15)]
    assert values == sorted(values, reverse=True)
    panel._on_row_activated(model.index(0, 0))
    sid = int(model.index(0, 0).data(Qt.UserRole))
    assert window.scene.selected_refs() == [("statement", sid)]
    assert panel.bars.rows and panel.bars.rows[0][0] == "Everyone"


def test_a_qdpx_imported_through_the_window_is_one_step_edit_undo_takes_back(window, tmp_path,
                                                                            qtbot):
    from tests.qdpx_files import qualcoder_qdpx
    path = make_project(tmp_path / "q.synth", statements=4, notes=2, themes=1)
    assert window.open_project(path)
    tables = ("documents", "passages", "themes", "codings", "sources")
    before = {t: file_rows(path, f"SELECT * FROM {t} ORDER BY 1") for t in tables}
    cards_before = set(window.scene.card_items)
    task = window.import_path(str(qualcoder_qdpx(tmp_path / "study.qdpx")))
    qtbot.waitUntil(lambda: task.state == "done" and not window.runner.busy(), timeout=20_000)
    assert file_rows(path, "SELECT count(*) FROM documents")[0][0] == 2
    assert file_rows(path, "SELECT count(*) FROM codings")[0][0] == 5
    assert window.undo_stack.count() == 1 and window.act_undo.isEnabled()
    assert window.undo_stack.undoText() == "Import study.qdpx"
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10_000)
    placed = {tuple(r) for r in file_rows(path, "SELECT card_kind, card_id FROM card_places "
                                                "WHERE card_kind = 'passage'")}
    assert placed and set(window.scene.card_items) - cards_before == placed   # its coded passages
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10_000)
    assert {t: file_rows(path, f"SELECT * FROM {t} ORDER BY 1") for t in tables} == before
    assert set(window.scene.card_items) == cards_before
    window.act_redo.trigger()
    assert file_rows(path, "SELECT count(*) FROM documents")[0][0] == 2
