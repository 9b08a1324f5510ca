"""Cancel pressed while a background task runs: a task that stopped (raised its cancelled error)
changed nothing; a task whose work ended before it looked at the flag again is done, its result
shown on the board and one undo step, and the window says that Cancel came too late. Checked in
the project file, on the board and on the undo stack."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from synth.board import CreateTheme  # noqa: E402
from ui.testing import file_places, file_rows, make_project  # noqa: E402
from tests.ui_fixtures import (HeldTask, hold_naming, needs_model,  # noqa: E402,F401
                               no_thread_left, settings, window)


def _cancel_while_held(qtbot, window, gate: HeldTask, task) -> None:
    qtbot.waitUntil(gate.written.is_set, timeout=10000)
    assert window.cancel_button.isVisible()
    window.cancel_button.click()             # the researcher's Cancel, after the write
    assert task.is_cancelled()
    gate.go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)


def _cancelled_after_writing(window, tmp_path, qtbot, raise_when_cancelled: bool):
    """A study open in the window, a task that writes a theme, Cancel pressed after the write;
    (the study's path, the task) once the task has ended."""
    path = make_project(tmp_path / "study.synth", statements=10, notes=0, themes=0)
    assert window.open_project(path)
    gate = HeldTask("if asked" if raise_when_cancelled else "return")
    task = gate.start(window)
    _cancel_while_held(qtbot, window, gate, task)
    return path, task


def test_a_task_that_finished_after_cancel_is_shown_and_undoable(window, tmp_path, qtbot):
    path, task = _cancelled_after_writing(window, tmp_path, qtbot, raise_when_cancelled=False)

    assert task.state == "done" and task.finished_late
    (tid, name), = file_rows(path, "SELECT id, name FROM themes")
    assert name == "Written by the task"
    # the board shows what the file holds, and the write is one step of the undo stack
    assert set(window.scene.themes) == {tid}
    assert {r for r, c in window.scene.cards.items() if c.theme_id == tid} == \
        {("statement", 1), ("statement", 2)}
    assert window.undo_stack.count() == 1
    level, said = window.notify.messages[-1]
    assert "cancelled; nothing was changed" not in said
    assert "Cancel came after the work was written" in said and "Ctrl+Z" in said
    assert window.notify.label.text().endswith(said)

    window.act_undo.trigger()                # takes back exactly the task's write
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]
    assert file_places(path) == {}
    assert window.scene.themes == {}
    assert all(c.theme_id is None for c in window.scene.cards.values())


def test_a_task_that_stopped_on_cancel_leaves_the_file_as_it_was(window, tmp_path, qtbot):
    path, task = _cancelled_after_writing(window, tmp_path, qtbot, raise_when_cancelled=True)

    assert task.state == "cancelled"
    # it had written a theme before it stopped: taken back on its own connection
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]
    assert file_places(path) == {}
    assert window.scene.themes == {} and window.undo_stack.count() == 0
    assert window.notify.messages[-1] == ("info", "Writing a theme: cancelled; nothing was "
                                                  "changed.")


def test_the_last_task_message_goes_when_another_project_opens(window, tmp_path, qtbot):
    first = make_project(tmp_path / "first.synth", statements=10, notes=0, themes=0)
    second = make_project(tmp_path / "second.synth", statements=5, notes=0, themes=0)
    assert window.open_project(first)
    gate = HeldTask()
    gate.go_on.set()
    task = gate.start(window)
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    assert window.notify.isVisible() and "Writing a theme: done." in window.notify.label.text()
    window.close_project()
    assert not window.notify.isVisible()
    assert window.open_project(second)
    assert "Writing a theme" not in window.notify.label.text() or not window.notify.isVisible()


@needs_model
def test_split_by_similarity_stops_on_cancel_with_nothing_written(window, tmp_path, qtbot,
                                                                  monkeypatch):
    """The split is told of Cancel (split_task passes ``cancelled`` on): pressed while the
    parts are named, the engine's last check before the write stops it."""
    from tests.test_ui_workflow import _give_topics
    path = make_project(tmp_path / "study.synth", statements=30, notes=0, themes=0)
    _give_topics(path)
    assert window.open_project(path)
    theme = window.run_operation(CreateTheme("Everything", cards=[
        ("statement", i) for i in range(1, 31)]))
    naming, go_on = hold_naming(monkeypatch, 10)
    steps = window.undo_stack.count()
    task = window.split_theme_by_similarity(theme)
    qtbot.waitUntil(naming.is_set, timeout=30000)
    window.cancel_button.click()
    go_on.set()
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=30000)
    assert task.state == "cancelled", window.notify.messages
    assert file_rows(path, "SELECT count(*) FROM themes") == [(1,)]
    assert set(window.scene.themes) == {theme} and window.undo_stack.count() == steps
    assert window.notify.messages[-1] == ("info", "Splitting the theme: cancelled; nothing "
                                                  "was changed.")
