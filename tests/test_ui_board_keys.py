"""Enter and Esc on the board, as a keyboard sends them. Enter accepts the selected suggestions
and reads nothing else (after Select all a read of the selection is 120,000 cards). Esc has one
owner, the window, and does the same in every mode and from wherever the focus is: cancels a
rubber band being dragged, else clears the selection, else leaves presentation mode. Checks
read the project file and the scene's selection."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import _send, file_places, make_project  # noqa: E402


def _open(window, qtbot, tmp_path, *, present: bool = False):
    path = make_project(tmp_path / "s.synth", statements=60, notes=20, themes=3, placed=0.6)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    if present:
        window.set_presentation(True, scale=1.5, full_screen=False)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    window.view.set_zoom(0.5)
    return path


def _spy_reads(sc, monkeypatch) -> list:
    """Every read of the whole selection, the board's or Qt's, noted."""
    reads: list = []
    real, qt_read = sc._read_selection, sc.selectedItems
    monkeypatch.setattr(sc, "_read_selection", lambda: reads.append("board") or real())
    monkeypatch.setattr(sc, "selectedItems", lambda: reads.append("qt") or qt_read())
    return reads


def key(qtbot, k, mods=Qt.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), k, mods)


def test_enter_after_select_all_reads_no_selection_and_accepts_only_chosen_suggestions(
        window, qtbot, tmp_path, monkeypatch):
    path = _open(window, qtbot, tmp_path)
    sc = window.scene
    tid = min(sc.themes)
    loose = [r for r, c in sc.cards.items() if c.theme_id is None]
    sc.set_suggestions(tid, loose[:3])
    assert len(sc.ghosts[tid]) == 3
    key(qtbot, Qt.Key_A, Qt.ControlModifier)
    assert len(sc.selected_refs()) == len(sc.cards)
    places = file_places(path)
    reads = _spy_reads(sc, monkeypatch)
    key(qtbot, Qt.Key_Return)               # no suggestion selected: nothing to accept
    assert reads == [] and file_places(path) == places
    chosen = sc.ghosts[tid][1]
    chosen.setSelected(True)
    key(qtbot, Qt.Key_Enter)
    moved = {r: t for r, t in file_places(path).items() if places.get(r) != t}
    assert moved == {chosen.ref: tid}       # that one, not the two beside it


def test_enter_asks_only_the_suggestions_before_the_move(window, qtbot, tmp_path,
                                                        monkeypatch):
    """What Enter decides on is read from the few suggestions: the move runs with no read of
    the selection before it (what the panels read after a change is their own)."""
    _open(window, qtbot, tmp_path)
    sc = window.scene
    tid = min(sc.themes)
    sc.set_suggestions(tid, [r for r, c in sc.cards.items() if c.theme_id is None][:2])
    key(qtbot, Qt.Key_A, Qt.ControlModifier)
    sc.ghosts[tid][0].setSelected(True)
    reads = _spy_reads(sc, monkeypatch)
    before_move: list = []
    real_run = window.controller.run
    monkeypatch.setattr(window.controller, "run",
                        lambda op: before_move.extend(reads) or real_run(op))
    key(qtbot, Qt.Key_Return)
    assert before_move == [] and len(sc.ghosts.get(tid, [])) == 1


# ------------------------------------------------------------------ Esc
def _band(view, start: QPointF, end: QPointF, modifiers=Qt.NoModifier) -> None:
    """Press on the empty board at ``start`` and drag to ``end`` (scene), not released."""
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton, modifiers)
    for i in range(1, 7):
        _send(view, QEvent.MouseMove, start + (end - start) * (i / 6), Qt.NoButton,
              Qt.LeftButton, modifiers)
        QApplication.processEvents()


def _over_a_theme(sc, tid) -> tuple[QPointF, QPointF]:
    """From the empty board above a theme's frame to the middle of its cards."""
    r = sc.frames[tid].sceneBoundingRect()
    return QPointF(r.left() - 20, r.top() - 20), r.center()


@pytest.mark.parametrize("present", [False, True], ids=["board", "presenting"])
def test_esc_cancels_a_band_then_clears_then_leaves(window, qtbot, tmp_path, present,
                                                   monkeypatch):
    _open(window, qtbot, tmp_path, present=present)
    sc, view = window.scene, window.view
    tid = min(sc.themes)
    start, end = _over_a_theme(sc, tid)
    _band(view, start, end)
    assert not view.band_rect().isNull() and sc.selected_refs()
    told: list = []
    sc.selection_made.connect(told.append)
    key(qtbot, Qt.Key_Escape)               # the band goes, and what it selected
    assert view.band_rect().isNull() and sc.selected_refs() == []
    assert told and told[-1] == ([], [], [])
    assert (window.presentation is not None) == present
    _send(view, QEvent.MouseMove, end + QPointF(30, 30), Qt.NoButton, Qt.LeftButton)
    _send(view, QEvent.MouseButtonRelease, end, Qt.LeftButton, Qt.NoButton)
    assert sc.selected_refs() == [] and view.band_rect().isNull()   # the held mouse: nothing
    # a selection: cleared, nothing read to know there was one
    key(qtbot, Qt.Key_Right)
    key(qtbot, Qt.Key_Right, Qt.ShiftModifier)
    assert len(sc.selected_refs()) == 2
    reads = _spy_reads(sc, monkeypatch)
    key(qtbot, Qt.Key_Escape)
    assert reads == [] and sc.has_selection() is False
    monkeypatch.undo()
    assert sc.selectedItems() == [] and (window.presentation is not None) == present
    # nothing selected: presenting, Esc leaves; on the board it changes nothing
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is None and window.menuBar().isVisible()
    assert QApplication.focusWidget() is view and sc.selectedItems() == []


def test_esc_on_a_ctrl_band_keeps_what_was_selected_before(window, qtbot, tmp_path):
    _open(window, qtbot, tmp_path)
    sc, view = window.scene, window.view
    first, second = sorted(sc.themes)[:2]
    before = [c.ref for c in sc.members()[second][:2]]
    sc.select_cards(before)
    start, end = _over_a_theme(sc, first)
    _band(view, start, end, Qt.ControlModifier)
    assert len(sc.selected_refs()) > 2
    key(qtbot, Qt.Key_Escape)
    assert sorted(sc.selected_refs()) == sorted(before) and view.band_rect().isNull()
    assert window.selection_label.text() == "2 cards selected"
    assert {i.ref for i in sc.style.selected} == set(before)     # the far-out colours' count
    _send(view, QEvent.MouseButtonRelease, end, Qt.LeftButton, Qt.NoButton,
          Qt.ControlModifier)
    assert sorted(sc.selected_refs()) == sorted(before)


@pytest.mark.parametrize("present", [False, True], ids=["board", "presenting"])
def test_esc_off_the_board_does_what_it_does_on_it(window, qtbot, tmp_path, present):
    """The focus in the themes list: Esc clears the board's selection first, in either mode
    (outside presentation it did nothing there), then leaves presentation."""
    _open(window, qtbot, tmp_path, present=present)
    sc = window.scene
    key(qtbot, Qt.Key_Right)
    assert len(sc.selected_refs()) == 1
    window.themes_list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not window.view)
    key(qtbot, Qt.Key_Escape)
    assert sc.selectedItems() == [] and (window.presentation is not None) == present
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is None
