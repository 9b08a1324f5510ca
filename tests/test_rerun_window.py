"""Find candidate themes in the window after the team's work: the Candidate themes dialog says,
before anything runs, what a run keeps (the accepted themes by name, the cards placed by hand)
and what it may move; the quick action says it as it starts; the rerun keeps the cards the team
dragged on the board, and its finishing message says what it kept."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from tests.test_ui_workflow import _wait_done  # noqa: E402
from tests.ui_fixtures import (build_topic_study, needs_model,  # noqa: E402,F401
                               no_thread_left, settings, window)
from ui.testing import file_places  # noqa: E402


def _find_themes(window, qtbot):
    window.act_themes.trigger()
    task = window.runner.tasks[0]
    _wait_done(qtbot, window, task, 60_000)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=5000)
    assert task.state == "done", window.notify.messages


@needs_model
def test_the_dialog_says_what_a_rerun_keeps_and_the_rerun_keeps_the_teams_drags(
        window, tmp_path, qtbot):
    from synth.board import UpdateTheme
    from synth.themes.placements import describe_outlook, rerun_outlook
    path = build_topic_study(tmp_path)
    assert window.open_project(path)
    _find_themes(window, qtbot)
    sc = window.scene
    themes = sorted(sc.themes)
    for t in themes:                                   # the team accepts them all
        window.run_operation(UpdateTheme(t, {"status": "accepted"}))
    window.run_operation(UpdateTheme(themes[0], {"name": "Renamed by the team"}))
    dragged = sorted(c.ref for c in sc.members()[themes[1]])[:3]
    sc.move_cards(dragged, themes[0])                  # the board's drop: one MoveCards
    placed = file_places(path)
    assert {c: placed[c] for c in dragged} == {c: themes[0] for c in dragged}

    window.act_themes_dialog.trigger()
    dlg = window.themes_dlg
    said = dlg.keep_label.text()
    assert said == describe_outlook(rerun_outlook(window.project))
    n = len(themes)
    assert said.startswith(f"A rerun keeps {n} themes as they are (“Renamed by the team”, ")
    assert f"leaves {len(placed)} cards where they lie, 3 of them placed by hand." in said
    assert "New cards can join accepted and renamed themes; pinned themes take none." in said
    assert dlg.keep_label.isVisible() and dlg.keep_label.accessibleName()
    shot = dlg.grab()
    assert not shot.isNull() and shot.width() > 300
    shot.save(str(tmp_path / "dialog.png"))
    dlg.buttons.button(QDialogButtonBox.Ok).click()    # Find themes
    task = window.runner.tasks[0]
    _wait_done(qtbot, window, task, 60_000)
    assert task.state == "done", window.notify.messages
    qtbot.waitUntil(lambda: sc.ready, timeout=5000)

    assert file_places(path) == placed                 # every card where the team left it
    assert {c: sc.cards[c].theme_id for c in dragged} == {c: themes[0] for c in dragged}
    messages = [m for _, m in window.notify.messages]
    started = next(m for m in messages if m.startswith("Finding candidate themes. "))
    assert started == "Finding candidate themes. " + said + " Ctrl+Z undoes the run."
    assert messages.index(started) < len(messages) - 1          # said before the run ended
    done = messages[-1]
    assert done.startswith(f"Kept {n} themes as the team left them (“Renamed by the team”, ")
    assert f"; {len(placed)} cards kept as placed (3 placed by hand); 0 new cards sorted; " \
        in done

    # the quick action says it too, before it runs
    shown = len(window.notify.messages)
    _find_themes(window, qtbot)
    assert window.notify.messages[shown][1] == started
    assert file_places(path) == placed


def test_a_refused_run_is_not_followed_by_what_it_would_keep(window, tmp_path, qtbot,
                                                              monkeypatch):
    """Review: on a big project the outlook, read on a worker, arrived after the refusal and
    replaced its message with 'Finding candidate themes…'."""
    import ui.analysis as analysis
    from synth.errors import UserError
    from ui.testing import make_project
    path = make_project(tmp_path / "t.synth", statements=30, notes=10, themes=2, placed=0.5)
    assert window.open_project(path)
    window._read_in_background.big = lambda: True       # the outlook read on a worker

    def refuse(*a, **k):
        raise UserError("the embedding model folder is not a model")
    monkeypatch.setattr(analysis, "themes_task", refuse)
    assert window.run_themes() is None
    qtbot.waitUntil(lambda: not window.reads.waiting("rerun outlook"), timeout=30_000)
    qtbot.wait(50)
    assert "not a model" in window.notify.label.text()
    assert "Finding candidate themes" not in window.notify.label.text()
