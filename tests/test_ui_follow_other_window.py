"""A second window on a project another window writes (a colleague's laptop following the
synthesis session) opens it read-only, shows what the writer changes as it is written and takes
the project over, to work on, once the writer has closed it (QA 32: twelve seconds after a
rename the viewer still showed the old name and nothing said it was out of date)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from synth.board import MoveCards, UpdateTheme  # noqa: E402
from synth.project import Project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import make_project  # noqa: E402
from ui.window_projects import FOLLOW_MS  # noqa: E402


def theme_rows(window) -> list[str]:
    items = window.themes_list.list
    return [items.item(i).text() for i in range(items.count())]


def test_a_read_only_window_follows_the_writer_and_takes_over_when_it_closes(
        qtbot, window, tmp_path):
    path = make_project(tmp_path / "study.synth", statements=12, notes=6, themes=2,
                        placed=0.5)
    writer = Project.open(path)                     # the other window
    try:
        assert window.open_project(path) and window.project.read_only
        qtbot.waitUntil(lambda: window.scene.ready, timeout=10_000)
        first = min(window.scene.themes)
        assert window.scene.themes[first].name == "Theme 1"
        assert "that window's changes as they are made" in window.notify.messages[-1][1]
        timer = window._follow_timer
        assert timer.isActive() and timer.interval() == FOLLOW_MS
        assert "read-only: follows the window that has it open" in \
            window.summary_label.text()

        writer.history.apply(UpdateTheme(first, {"name": "Renamed by the writer"}))
        writer.history.apply(MoveCards([("note", 1)], first, [(0.0, 0.0)]))
        timer.timeout.emit()                        # the next check (every FOLLOW_MS)
        qtbot.waitUntil(lambda: window.scene.ready and
                        window.scene.themes[first].name == "Renamed by the writer",
                        timeout=10_000)
        assert window.scene.cards[("note", 1)].theme_id == first
        qtbot.waitUntil(lambda: any(r.startswith("Renamed by the writer")
                                    for r in theme_rows(window)), timeout=5_000)
        assert "(updated " in window.summary_label.text()
        assert window.project.read_only

        reads = []
        real = window.reload_board
        window.reload_board = lambda *a, **k: reads.append(a) or real(*a, **k)
        timer.timeout.emit()                        # nothing new: nothing read again
        assert reads == []
        del window.reload_board
    finally:
        writer.close()

    timer.timeout.emit()                            # the writer has let go of it
    assert not window.project.read_only
    assert window.windowTitle() == "study.synth — Synth"
    assert not window._follow_timer.isActive()
    assert window.notify.messages[-1] == (
        "info", "The other window has closed study.synth: you can change it here now.")
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10_000)
    assert window.scene.themes[first].name == "Renamed by the writer"
    assert window.run_operation(UpdateTheme(first, {"name": "Mine now"})) is None
    with Project.open(path, read_only=True) as p:
        assert p.scalar("SELECT name FROM themes WHERE id = ?", (first,)) == "Mine now"


def test_a_project_written_here_is_not_watched(qtbot, window, tmp_path):
    path = make_project(tmp_path / "study.synth", statements=4, notes=2, themes=1)
    assert window.open_project(path) and not window.project.read_only
    assert not window._follow_timer.isActive()
    assert "follows" not in window.summary_label.text()
