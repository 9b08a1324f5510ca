"""A project's lock is held by one writer at a time even when a look (info, report, evidence)
removes the lock file it made while a window is between opening that file and locking it: the
window would otherwise hold a lock on a file no longer there, and a second writer get in."""
from __future__ import annotations

import fcntl
import types
from pathlib import Path

import pytest

import synth.project as project_module
from synth.project import Project, ProjectInUse


def _between_open_and_lock(monkeypatch, act):
    """``act()`` runs once, at the first lock taken after this: after its file was opened, before
    it is locked (another process's steps falling in between)."""
    pending = [act]

    def flock(fd, op):
        if pending:
            pending.pop()()
        return fcntl.flock(fd, op)
    monkeypatch.setattr(project_module, "fcntl",
                        types.SimpleNamespace(**{**vars(fcntl), "flock": flock}))


def test_a_window_locking_as_a_look_removes_the_lock_file_holds_the_project_alone(
        tmp_path, monkeypatch):
    path = tmp_path / "p.synth"
    Project.create(path).close()
    lock_path = Path(str(path) + ".lock")
    lock_path.unlink()                               # as a look that made it and removed it
    look = Project.look(path)
    look.__enter__()                                 # a `synth info`: makes the lock file
    assert lock_path.exists()
    _between_open_and_lock(monkeypatch, lambda: look.__exit__(None, None, None))
    window = Project.open(path)                      # the look ends between its open and lock
    try:
        assert not window.read_only
        assert lock_path.exists()                    # its own lock file, locked
        assert lock_path.read_text() == f"{__import__('os').getpid()}\n"
        with pytest.raises(ProjectInUse):
            Project.open(path)                       # a second window: refused
        with pytest.raises(ProjectInUse):
            Project.create(path, overwrite=True)     # run --new: refused, nothing replaced
    finally:
        window.close()
    Project.open(path).close()                       # free again once the window closed


def test_a_look_sharing_as_another_look_removes_the_lock_file_keeps_writers_out(
        tmp_path, monkeypatch):
    """The same between two looks: the second must hold the lock file that is there, or a
    writer would change the file it reads as unchanging."""
    path = tmp_path / "p.synth"
    Project.create(path).close()
    lock_path = Path(str(path) + ".lock")
    lock_path.unlink()
    first = Project.look(path)
    first.__enter__()
    _between_open_and_lock(monkeypatch, lambda: first.__exit__(None, None, None))
    with Project.look(path) as second:
        assert second.scalar("SELECT count(*) FROM sources") == 0
        assert lock_path.exists()
        with pytest.raises(ProjectInUse):
            Project.open(path)
    assert not lock_path.exists()                    # the second look made it: removed too


def test_a_project_held_by_a_command_looking_at_it_is_not_said_open_in_a_window(tmp_path):
    path = tmp_path / "p.synth"
    Project.create(path).close()
    with Project.look(path):                         # `synth info` / report / evidence
        with pytest.raises(ProjectInUse) as refused:
            Project.open(path)
    assert str(refused.value) == (
        f"{path}: the project is in use by a Synth command reading it (info, report, "
        "evidence); try again when it has finished, or open it read-only")
    with Project.open(path):                         # a window's: exclusive
        with pytest.raises(ProjectInUse) as refused:
            Project.open(path)
    assert str(refused.value) == (
        f"{path}: the project is open in another Synth window or command; open it read-only "
        "or close it there first")
