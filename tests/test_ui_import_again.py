"""Importing in the window a file whose data the project holds already: refused with the earlier
import named and nothing written, and a button imports it a second time when the researcher
means it. Checked in the project file and on the board."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import file_rows  # noqa: E402


def _import(window, qtbot, csv):
    task = window.import_path(str(csv), kind="notes", mapping={"text": "text"})
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    return task


def test_a_second_import_is_refused_then_done_on_request(window, tmp_path, qtbot):
    window.new_project(tmp_path / "study.synth")
    csv = tmp_path / "stickies.csv"
    csv.write_text("text\nMore quiet rooms\nHot desks\nKeep Fridays at home\n", encoding="utf-8")
    assert _import(window, qtbot, csv).state == "done"
    path = window.project.path
    assert file_rows(path, "SELECT count(*) FROM notes") == [(3,)]

    task = _import(window, qtbot, csv)
    assert task.state == "failed"
    level, said = window.notify.messages[-1]
    assert level == "warning"
    assert "stickies.csv: already imported into this project (“stickies”, imported " in said
    assert said.endswith("Nothing was imported.")
    assert file_rows(path, "SELECT count(*) FROM notes") == [(3,)]
    assert file_rows(path, "SELECT count(*) FROM sources") == [(1,)]
    assert len(window.scene.card_items) == 3

    window.notify._on_action(0)                     # "Import it again"
    task = window.runner.tasks[0]
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=10000)
    assert task.state == "done", window.notify.messages
    assert file_rows(path, "SELECT count(*) FROM notes") == [(6,)]
    assert file_rows(path, "SELECT count(*) FROM sources") == [(2,)]
    qtbot.waitUntil(lambda: len(window.scene.card_items) == 6, timeout=5000)


def test_import_it_again_does_nothing_once_another_project_is_open(window, tmp_path, qtbot):
    csv = tmp_path / "stickies.csv"
    csv.write_text("text\nMore quiet rooms\nHot desks\nKeep Fridays at home\n", encoding="utf-8")
    window.new_project(tmp_path / "b.synth")
    assert _import(window, qtbot, csv).state == "done"          # B holds it too
    b = window.project.path
    window.new_project(tmp_path / "a.synth")
    _import(window, qtbot, csv)
    assert _import(window, qtbot, csv).state == "failed"       # refused in A, button shown
    assert window.open_project(b)
    window.notify._on_action(0)                                 # pressed over B
    assert window.runner.tasks == []
    assert window.notify.messages[-1] == (
        "info", "That button was about a.synth, which is no longer open: nothing was done.")
    assert file_rows(b, "SELECT count(*) FROM notes") == [(3,)]
