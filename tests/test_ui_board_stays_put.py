"""A whiteboard never moves what the team did not touch (QA2 7): accepting a theme, making one
from cards (Ctrl+G) or emptying one leaves every other frame where it was, the theme in hand
stays on screen, and a new theme is brought into sight."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import Qt  # noqa: E402

from ui.testing import file_rows, make_project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def _candidates(tmp_path):
    from synth.board import UpdateTheme
    from synth.project import Project
    path = make_project(tmp_path / "study.synth", statements=60, notes=20, themes=8,
                        placed=0.8)
    with Project.open(path) as p:
        for (tid,) in p.query("SELECT id FROM themes"):
            p.history.apply(UpdateTheme(tid, {"status": "candidate"}))
    return path


def _corners(sc):
    return {t: sc.frame_rect(t).topLeft().toTuple() for t in sc.themes}


def _on_screen(view, rect):
    return view.mapToScene(view.viewport().rect()).boundingRect().intersects(rect)


def test_accepting_a_theme_moves_no_frame(window, tmp_path, qtbot):
    path = _candidates(tmp_path)
    assert window.open_project(path)
    sc, view = window.scene, window.view
    tid = sorted(sc.themes)[5]
    view.setFocus()
    sc.select_theme(tid)
    qtbot.keyClick(view, Qt.Key_Z)                  # zoomed on it
    before = _corners(sc)
    qtbot.keyClick(view, Qt.Key_A)                  # accept
    assert file_rows(path, "SELECT status FROM themes WHERE id = ?", (tid,)) == [("accepted",)]
    assert _corners(sc) == before
    assert _on_screen(view, sc.frame_rect(tid))


def test_a_new_theme_from_cards_moves_no_other_frame_and_is_in_sight(window, tmp_path, qtbot):
    path = _candidates(tmp_path)
    assert window.open_project(path)
    sc, view = window.scene, window.view
    source = sorted(sc.themes)[1]
    view.zoom_to_theme(source)
    before = _corners(sc)
    cards = [r for r, c in sc.cards.items() if c.theme_id == source][:4]
    sc.select_cards(cards)
    new = window.controller.create_theme_from_selection("Four-day week")
    assert file_rows(path, "SELECT name, status FROM themes WHERE id = ?", (new,)) == [
        ("Four-day week", "accepted")]
    assert sorted(t for (t,) in file_rows(
        path, "SELECT card_id FROM card_places WHERE theme_id = ?", (new,))) == sorted(
        i for _, i in cards)
    after = _corners(sc)
    assert {t: after[t] for t in before} == before   # the source lost 4 cards: none moved
    assert _on_screen(view, sc.frame_rect(new))
    assert sc.selected_theme_ids() == [new]
    window.act_undo.trigger()
    assert _corners(sc) == before
