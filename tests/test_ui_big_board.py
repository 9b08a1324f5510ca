"""A big project opens without freezing the window: the cards are read on the task runner and
the board fills in slices, while the GUI thread goes on processing events; changes wait until
every card is on the board."""
from __future__ import annotations

from PySide6.QtCore import QTimer

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.board.loading import BIG_BOARD
from ui.testing import file_rows, make_project

N_NOTES = 15_000


def test_a_big_project_fills_the_board_in_the_background(window, tmp_path, qtbot):
    assert N_NOTES > BIG_BOARD
    path = make_project(tmp_path / "big.synth", statements=0, notes=N_NOTES, themes=0)
    ticks, progress = [], []
    timer = QTimer()
    timer.setInterval(10)
    # counted only while the board is not ready: proof the event loop turned during the open
    timer.timeout.connect(lambda: ticks.append(1) if not window.scene.ready else None)
    window.loader.progressed.connect(lambda placed, total, _m: progress.append((placed, total)))
    timer.start()

    assert window.open_project(path)
    assert not window.scene.ready                   # the big path: filled in the background
    from synth.board import CreateTheme
    assert window.run_operation(CreateTheme("Too early")) is None
    assert window.notify.messages[-1][0] == "warning"
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]

    qtbot.waitUntil(lambda: window.scene.ready and not window.runner.busy(), timeout=120_000)
    timer.stop()
    assert len(ticks) >= 2, "the GUI thread did not process events while the board filled"
    assert len({p for p, _t in progress}) >= 3      # several slices, each its own turn
    assert progress[-1] == (N_NOTES, N_NOTES) or progress[-1][1] == N_NOTES
    refs = {("note", i) for (i,) in file_rows(path, "SELECT id FROM notes")}
    assert set(window.scene.card_items) == refs and len(refs) == N_NOTES
    assert len(window.scene.frames[None].cells) == N_NOTES     # all in the unsorted frame
    assert not window.progress.isVisible()
    assert f"{N_NOTES:,} notes" in window.summary_label.text()

    tid = window.run_operation(CreateTheme("Now it can", cards=[("note", 1), ("note", 2)]))
    assert file_rows(path, "SELECT id, name FROM themes") == [(tid, "Now it can")]
    assert file_rows(path, "SELECT card_kind, card_id FROM card_places WHERE theme_id = ? "
                           "ORDER BY card_id", (tid,)) == [("note", 1), ("note", 2)]
    assert window.scene.cards[("note", 1)].theme_id == tid


def test_opening_another_project_while_a_big_board_fills_shows_the_new_one(window, tmp_path,
                                                                           qtbot):
    big = make_project(tmp_path / "big.synth", statements=0, notes=N_NOTES, themes=0)
    small = make_project(tmp_path / "small.synth", statements=10, notes=5, themes=1)
    assert window.open_project(big)
    assert not window.scene.ready
    assert window.open_project(small)             # small: complete at once
    assert window.scene.ready and len(window.scene.card_items) == 15
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    qtbot.wait(50)                                # the stale read's result is ignored
    assert len(window.scene.card_items) == 15 and window.scene.ready
