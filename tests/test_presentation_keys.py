"""Presenting, keys go where the room expects (QA2 16, 18, 5, 3, 4, 6): a voter's name typed on
the board goes to the Voter box instead of running board commands; Ctrl+Z in the Voter box
takes the last dot back as the note says; Ctrl+F shows the search box it types into; the "used
all dots" note goes when the next voter is named; what the facilitator types into is at the
room's size; a frame's header lines and a card's figures stay inside their frame and card."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.testing import file_rows, make_project  # noqa: E402
from tests.test_presentation_room import key, present  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def _candidates(tmp_path):
    from synth.board import UpdateTheme
    from synth.project import Project
    path = make_project(tmp_path / "s.synth", statements=20, notes=4, themes=3, placed=0.7)
    with Project.open(path) as p:
        for (tid,) in p.query("SELECT id FROM themes"):
            p.history.apply(UpdateTheme(tid, {"status": "candidate"}))
    return path


def test_a_name_typed_on_the_board_goes_to_the_voter_box(window, tmp_path, qtbot):
    path = _candidates(tmp_path)
    present(window, qtbot, path)
    theme = min(window.scene.themes)
    window.scene.select_themes([theme])
    steps = window.undo_stack.count()
    for ch in "Alex":                                # to wherever the keys are
        qtbot.keyClicks(QApplication.focusWidget(), ch)
    box = window.presentation.voter_edit
    assert box.text() == "Alex" and QApplication.focusWidget() is box
    assert file_rows(path, "SELECT status FROM themes WHERE id = ?", (theme,)) == [
        ("candidate",)]                              # A did not accept it
    assert window.undo_stack.count() == steps
    assert not window.scene.ghosts                   # l did not ask for suggestions
    qtbot.keyClick(box, Qt.Key_Return)               # the keys back to the board
    key(qtbot, Qt.Key_D)
    assert file_rows(path, "SELECT theme_id, voter, dots FROM dot_votes") == [
        (theme, "Alex", 1)]
    key(qtbot, Qt.Key_A)                             # lower case: still the board's key
    assert file_rows(path, "SELECT status FROM themes WHERE id = ?", (theme,)) == [
        ("accepted",)]


def test_ctrl_z_in_the_voter_box_takes_the_last_dot_back_and_the_note_goes(window, tmp_path,
                                                                          qtbot):
    path = _candidates(tmp_path)
    present(window, qtbot, path)
    window.presentation.dots_each.setValue(2)
    theme = min(window.scene.themes)
    window.scene.select_themes([theme])
    box = window.presentation.voter_edit
    box.setText("Amira")
    window.view.setFocus()
    key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_D)                             # refused: the keys go to the Voter box
    assert QApplication.focusWidget() is box
    assert "has used all 2 dots. Ctrl+Z takes the last dot back" in \
        window.notify.messages[-1][1]
    assert window.notify.isVisible()
    key(qtbot, Qt.Key_Z, Qt.ControlModifier)         # as the note says
    assert file_rows(path, "SELECT sum(dots) FROM dot_votes") == [(1,)]
    assert box.text() == "Amira"                     # the name stays
    assert "1 of 2 dots left" in window.presentation.dots_left.text()
    box.selectAll()
    qtbot.keyClicks(box, "Ben")                      # the next voter: the note is not his
    assert not window.notify.isVisible()
    assert window.presentation.dots_left.text() == "Ben: 2 of 2 dots left"


def test_ctrl_f_while_presenting_shows_the_search_box_it_types_into(window, tmp_path, qtbot):
    path = _candidates(tmp_path)
    present(window, qtbot, path)
    assert not window.filter_bar.isVisible()
    key(qtbot, Qt.Key_F, Qt.ControlModifier)
    assert QApplication.focusWidget() is window.search_edit
    assert window.filter_bar.isVisible() and window.search_edit.isVisible()
    assert window.search_edit.font().pointSizeF() >= 14 * 1.5 - 0.1   # read from the room
    window.set_presentation(False)
    assert window.filter_bar.isVisible()             # as before presenting (shown)
    assert window.search_edit.font().pointSizeF() < 14


def test_pickers_and_the_name_box_are_at_the_rooms_size(window, tmp_path, qtbot):
    from PySide6.QtWidgets import QInputDialog
    from ui.picker import ThemePicker
    path = _candidates(tmp_path)
    present(window, qtbot, path)
    picker = ThemePicker(window.controller.theme_choices(), window)
    picker.show()
    qtbot.waitExposed(picker)
    assert picker.filter_edit.font().pointSizeF() >= 20
    assert picker.width() >= 900
    picker.grab().save(str(tmp_path / "picker.png"))
    picker.close()
    box = QInputDialog(window)
    box.setLabelText("New name:")
    box.show()
    assert box.font().pointSizeF() >= 20
    box.grab().save(str(tmp_path / "name_box.png"))
    box.close()


def test_a_cards_figures_stay_on_the_card_at_presentation_size(window, tmp_path, qtbot):
    """QA2 6: "n=467" was drawn below the card's edge (wrapped to a second line)."""
    from PySide6.QtGui import QFontMetricsF
    from ui.board.layout import CARD_H, CARD_W
    path = _candidates(tmp_path)
    present(window, qtbot, path)
    sc = window.scene
    item = next(i for i in sc.card_items.values() if i.card.kind == "statement"
                and i.card.votes)
    item._prepare()
    label = item._agree_label
    one_line = QFontMetricsF(sc.style.font("small")).height()
    assert label.size().height() < 1.5 * one_line                       # one line
    assert item._agree_at.y() + label.size().height() <= CARD_H         # on the card
    assert item._agree_at.x() + label.size().width() <= CARD_W
    assert f"n={item.card.votes}" in label.text()
