"""The near-duplicates dialog says which theme each card of a pair lies in and which Pol.is
comment each statement is (what a moderator removing duplicates looks for), on the sample study
whose debate has duplicates written on purpose."""
from __future__ import annotations

from synth.board import CreateTheme, MoveCards
from tests.test_ui_duplicates_dialog import _row_of, dialog, embedded_sample  # noqa: F401
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


def _refresh(dlg, qtbot):
    dlg.refresh()
    qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"), timeout=30000)


def test_the_themes_column_names_each_cards_theme(window, dialog, qtbot, tmp_path):
    dlg = dialog
    assert dlg.table.horizontalHeaderItem(3).text() == "Themes"
    row = _row_of(dlg, "Slow IT is wasting hours of my week.")
    pair = dlg.pairs[row]
    assert dlg.table.item(row, 3).text() == "Both: Unsorted"
    it = window.run_operation(CreateTheme("IT and kit", cards=[pair.a]))
    slow = window.run_operation(CreateTheme("Slow systems", cards=[pair.b], parent_id=it))
    _refresh(dlg, qtbot)
    row = _row_of(dlg, "Slow IT is wasting hours of my week.")
    assert dlg.pairs[row] == pair
    assert dlg.table.item(row, 3).text() == "1: IT and kit\n2: IT and kit › Slow systems"
    window.run_operation(MoveCards([pair.b], it))
    assert slow in window.scene.themes
    _refresh(dlg, qtbot)
    row = _row_of(dlg, "Slow IT is wasting hours of my week.")
    assert dlg.table.item(row, 3).text() == "Both: IT and kit"
    dlg.grab().save(str(tmp_path / "duplicates.png"))



def test_each_statement_says_its_comment_id_in_the_debate(window, dialog):
    dlg, project = dialog, window.project
    row = _row_of(dlg, "Slow IT is wasting hours of my week.")
    for col, ref in ((1, dlg.pairs[row].a), (2, dlg.pairs[row].b)):
        ext = project.scalar("SELECT external_id FROM statements WHERE id = ?", (ref[1],))
        assert ext and f"(S{ref[1]} · comment {ext}:" in dlg.table.item(row, col).text()


def test_the_themes_column_follows_a_move_and_its_undo_without_comparing_again(
        window, dialog, qtbot):
    """Review: after a card of a pair moved, the column kept saying "Both: Unsorted"."""
    dlg = dialog
    row = _row_of(dlg, "Slow IT is wasting hours of my week.")
    pair = dlg.pairs[row]
    assert dlg.table.item(row, 3).text() == "Both: Unsorted"
    it = window.run_operation(CreateTheme("IT and kit", cards=[pair.a]))
    qtbot.waitUntil(lambda: dlg.table.item(row, 3).text() == "1: IT and kit\n2: Unsorted",
                    timeout=5000)
    assert dlg.pairs[row] == pair                    # the same pairs, not compared again
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: dlg.table.item(row, 3).text() == "Both: Unsorted", timeout=5000)
    assert it not in window.scene.themes
