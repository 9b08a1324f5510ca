"""The window on a project that cannot be written here: it opens read-only, says why and how to
work on it (Save as…), keeps it in Recent projects, changes nothing and makes no file beside it.
How the read-only place is made (chmod; ``os.access`` too when root): test_project_read_only.py,
which also runs the window on a real read-only disk where a private mount is allowed."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from synth.board import CreateTheme  # noqa: E402
from ui.testing import make_project, settle  # noqa: E402
from tests.test_project_read_only import (copy_study, listing, read_only_here,  # noqa: E402,F401
                                          with_change_in_wal)
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401

SAVE_AS = ("opened read-only: you can look but not change it; to work on it, open a copy with "
           "Save as… in a folder you can write.")


@pytest.fixture
def study(tmp_path):
    return make_project(tmp_path / "study.synth", statements=12, notes=4, themes=2)


def themes_in(path):
    """The themes in the file, read as it is (a plain read-only connection, as root, would
    make the -wal and -shm files this checks are never made)."""
    import sqlite3
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return db.execute("SELECT name FROM themes ORDER BY id").fetchall()
    finally:
        db.close()


def test_a_project_in_a_read_only_folder_opens_read_only_saying_why(
        window, study, read_only_here, tmp_path, qtbot):
    path = copy_study(study, tmp_path / "stick")
    before, themes = listing(path.parent), themes_in(path)
    read_only_here(path.parent)
    assert window.open_project(path)
    settle(qtbot, window)
    assert window.windowTitle() == "p.synth (read-only) — Synth"
    assert window.project.read_only and len(window.scene.cards) == 16
    assert window.notify.messages == [
        ("warning", f"{path}: its folder {path.parent} cannot be written — {SAVE_AS}")]
    assert window.settings.recent_projects[0] == str(path.resolve())
    assert window.run_operation(CreateTheme("Not written")) is None
    assert window.notify.messages[-1] == (
        "warning", "This project is open read-only; changes are not possible.")
    window.close_project()
    assert themes_in(path) == themes and len(themes) == 2
    assert listing(path.parent) == before == {"p.synth": path.stat().st_size}


def test_a_read_only_file_opens_read_only_saying_why(window, study, read_only_here, tmp_path,
                                                      qtbot):
    path = copy_study(study, tmp_path / "cd")
    read_only_here(path)
    assert window.open_project(path)
    settle(qtbot, window)
    assert window.windowTitle() == "p.synth (read-only) — Synth" and window.project.read_only
    assert window.notify.messages == [("warning", f"{path}: the file is read-only — {SAVE_AS}")]
    window.close_project()
    assert listing(path.parent) == {"p.synth": path.stat().st_size}


def test_save_as_from_a_read_only_folder_gives_a_copy_to_work_on(window, study, read_only_here,
                                                                  tmp_path, qtbot):
    path = copy_study(study, tmp_path / "stick")
    read_only_here(path.parent)
    assert window.open_project(path)
    settle(qtbot, window)
    copy = tmp_path / "mine" / "copy.synth"
    assert window.save_as(copy)
    settle(qtbot, window)
    assert window.windowTitle() == "copy.synth — Synth" and not window.project.read_only
    assert window.run_operation(CreateTheme("Written in the copy")) is not None
    assert window.project.path == copy
    assert window.project.scalar("SELECT name FROM themes ORDER BY id DESC") == \
        "Written in the copy"
    assert len(themes_in(path)) == 2
    assert window.settings.recent_projects[:2] == [str(copy.resolve()), str(path.resolve())]


def test_changes_it_cannot_read_are_refused_and_the_project_stays_in_recent(
        window, study, read_only_here, tmp_path):
    path = with_change_in_wal(study, tmp_path / "copied", shm=False)
    window.settings.add_recent(str(path.resolve()))
    read_only_here(path.parent)
    assert not window.open_project(path)
    assert window.project is None and window.windowTitle() == "Synth"
    level, text = window.notify.messages[-1]
    assert level == "error" and text.startswith(
        f"{path}: its latest changes are in p.synth-wal, which cannot be read")
    assert window.settings.recent_projects == [str(path.resolve())]
