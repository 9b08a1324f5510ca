"""Words typed in the last moment before a crash are offered back when the project is reopened.

A child process (this file run as a script) opens a Synth window on a project, types into a
recommendation's text and is SIGKILLed while the typing waits for its pause — the pause is
stretched to an hour in the child so that the kill surely comes first. The project file holds
the old text; the recovery journal beside it holds the new. A window opening the project offers
the edit; Restore writes it (one undo step), Discard throws it away; a read-only window neither
offers nor deletes.
"""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

if __name__ == "__main__":                               # the child: run as a script
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest.importorskip("PySide6")

from coding.recommendations import AddRecommendation  # noqa: E402
from synth.board import CreateTheme  # noqa: E402
from synth.project import Project  # noqa: E402
from tests.test_ui_coding_autosave import journal_of as journal  # noqa: E402
from tests.test_ui_coding_autosave import rec_text  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401

TYPED = " Typed just before the crash."


def recommendations_panel(window):
    from ui.coding import RecommendationsPanel
    (panel,) = [p for p in window.coding_panels if isinstance(p, RecommendationsPanel)]
    return panel


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """A project whose window was killed while a recommendation's new text waited to be
    written: (folder, theme, recommendation)."""
    folder = tmp_path_factory.mktemp("crashed")
    path = folder / "study.synth"
    with Project.create(path) as p:
        theme = p.history.apply(CreateTheme("Hybrid work"))
        rec = p.history.apply(AddRecommendation(theme, "Keep hybrid working", "Old text"))
    child = subprocess.Popen([sys.executable, __file__, str(path), str(theme),
                              str(folder / "settings.ini")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "typed", f"the child did not type: {line!r} {child.stderr.read()}"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return folder, theme, rec


@pytest.fixture
def study(crashed, tmp_path):
    """A private copy of the crashed project, its journal and its WAL."""
    folder, theme, rec = crashed
    for f in folder.glob("study.synth*"):
        if not f.name.endswith(".lock"):
            shutil.copy(f, tmp_path / f.name)
    return tmp_path / "study.synth", theme, rec


def test_a_crash_in_the_pause_is_offered_back_and_restored(qtbot, window, study):
    from PySide6.QtCore import Qt
    path, theme, rec = study
    assert rec_text(path, rec) == "Old text"             # the crash came before the write
    (entry,) = journal(path)["entries"]
    assert entry["text"] == "Old text" + TYPED and entry["field"] == "recommendation-text"

    assert window.open_project(path)
    level, message = window.notify.messages[-1]
    assert message.startswith("Synth closed before 1 edit you typed was saved: "
                              "recommendation text “Old text Typed just before the …”")
    restore, discard = window.notify.action_buttons[:2]
    assert (restore.text(), discard.text()) == ("Restore", "Discard")
    assert restore.isVisible() and discard.isVisible()
    qtbot.mouseClick(restore, Qt.LeftButton)

    assert rec_text(path, rec) == "Old text" + TYPED
    assert journal(path) is None
    assert window.notify.messages[-1][1].startswith("Restored 1 edit you typed")
    panel = recommendations_panel(window)
    panel.show_theme(theme)
    assert panel.text_edit.toPlainText() == "Old text" + TYPED
    assert window.undo_stack.undoText() == "Edit recommendation"
    window.undo_stack.undo()                             # undo takes it back
    assert rec_text(path, rec) == "Old text"
    window.close()
    assert journal(path) is None


def test_discard_removes_the_journal_and_changes_nothing(qtbot, window, study):
    from PySide6.QtCore import Qt
    path, theme, rec = study
    assert window.open_project(path)
    steps = window.undo_stack.count()
    discard = window.notify.action_buttons[1]
    assert discard.text() == "Discard"
    qtbot.mouseClick(discard, Qt.LeftButton)
    assert journal(path) is None
    assert rec_text(path, rec) == "Old text"
    assert window.undo_stack.count() == steps
    window.close_project()
    assert window.open_project(path)                     # nothing offered again
    assert not window.notify.messages[-1][1].startswith("Synth closed before")


def test_an_unanswered_offer_is_kept_for_the_next_opening(qtbot, window, study):
    path, _, rec = study
    assert window.open_project(path)
    window.notify.close_button.click()                   # dismissed, not answered
    window.close_project()
    assert journal(path)["entries"][0]["text"] == "Old text" + TYPED
    assert window.open_project(path)
    assert window.notify.messages[-1][1].startswith("Synth closed before 1 edit")


def test_a_read_only_window_neither_offers_nor_deletes(qtbot, window, study):
    path, _, rec = study
    before = journal(path)
    with Project.open(path):                             # the project is in use elsewhere
        assert window.open_project(path) and window.project.read_only
        assert not any(m.startswith("Synth closed before") for _, m in window.notify.messages)
        window.close_project()
    assert journal(path) == before and rec_text(path, rec) == "Old text"


def test_an_edit_whose_target_is_gone_is_skipped_with_a_note(qtbot, window, study):
    from coding.recommendations import DeleteRecommendation
    path, _, rec = study
    with Project.open(path) as p:
        p.history.apply(DeleteRecommendation(rec))
    assert window.open_project(path)
    assert window.notify.messages[-1][1].startswith(
        "Synth closed before 1 edit(s) you typed were saved, but what they were for has been "
        "deleted since")
    assert not window.notify.action_button.isVisible()
    assert journal(path) is None


def test_a_journal_of_another_project_is_not_offered(qtbot, window, study):
    path, _, rec = study
    data = journal(path)
    data["project"] = "another project"
    from ui.coding.recovery import journal_path
    journal_path(path).write_text(json.dumps(data), "utf-8")
    assert window.open_project(path)
    assert not any(m.startswith("Synth closed before") for _, m in window.notify.messages)
    window.close_project()
    assert journal(path) is None and rec_text(path, rec) == "Old text"


def test_codebook_fields_are_restored_through_their_own_saves(qtbot, window, tmp_path):
    """A memo typed into a code that had none is added (its key names no memo yet); the
    description is written as the field writes it; both are listed, each one undo step."""
    from coding.codebook import memos
    from ui.coding.recovery import RecoveryJournal
    path = tmp_path / "study.synth"
    with Project.create(path) as p:
        code = p.history.apply(CreateTheme("Equipment"))
        left = RecoveryJournal(p)               # what a killed window left behind
        left.note("memo", (code, None), "Ask P2 about chairs", "")
        left.note("code-description", code, "Desks, chairs and screens", "")
        left.write_now()
    assert window.open_project(path)
    message = window.notify.messages[-1][1]
    assert message.startswith("Synth closed before 2 edits you typed were saved: memo “Ask P2 "
                              "about chairs”; code description “Desks, chairs and screens”")
    window.notify.action_buttons[0].click()
    assert [m["text"] for m in memos(window.project, "theme", code)] == ["Ask P2 about chairs"]
    assert window.project.scalar("SELECT description FROM themes WHERE id = ?",
                                 (code,)) == "Desks, chairs and screens"
    assert window.notify.messages[-1][1].startswith("Restored 2 edits")
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert memos(window.project, "theme", code) == []
    assert not window.project.scalar("SELECT description FROM themes WHERE id = ?", (code,))


def _child(path: str, theme: int, settings_file: str) -> None:
    """Open a window on ``path``, type into the theme's recommendation, wait until the journal
    holds the typing, say "typed" and wait for the kill without running the event loop."""
    import time

    import ui.coding.autosave as autosave
    autosave.PAUSE_MS = 3_600_000                        # the kill comes within the pause
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.settings import Settings
    app = QApplication([])
    w = MainWindow(Settings(QSettings(settings_file, QSettings.IniFormat)))
    w.show()
    assert w.open_project(path)
    panel = recommendations_panel(w)
    panel.show_theme(theme)
    panel.text_edit.setFocus()
    panel.text_edit.moveCursor(panel.text_edit.textCursor().MoveOperation.End)
    QTest.keyClicks(panel.text_edit, TYPED)
    deadline = time.monotonic() + 60
    while journal(Path(path)) is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    assert panel.text_field.dirty and rec_text(Path(path), panel.recommendation_id()) == \
        "Old text"
    sys.stdout.write("typed\n")
    sys.stdout.flush()
    time.sleep(3600)


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), sys.argv[3])
