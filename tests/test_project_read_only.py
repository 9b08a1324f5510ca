"""A project that cannot be written here (a read-only folder, disk, share or file): refused for
writing with the reason, read as it is by a read-only open and by `info`, nothing made beside it;
committed changes still in a -wal file are read, or refused saying why.

Two ways to make a place read-only. For real, a private read-only bind mount (``unshare -m``,
which needs root and mount rights: run here, skipped where it is not allowed, e.g. in most CI
containers). Otherwise chmod, which binds everyone but root; running as root, ``os.access`` is
also made to answer as the system does for a read-only disk. Only ``os.access`` is replaced:
SQLite and ``os.open`` still could write, so "nothing made beside it" is a real check."""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from synth.project import Project, ProjectError, ProjectReadOnly


@pytest.fixture
def read_only_here(monkeypatch):
    """``make(*paths)``: folders or files that cannot be written from now on (until teardown)."""
    made: dict[Path, int] = {}
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).absolute() in made:
            return False
        return real_access(path, mode, *args, **kwargs)

    def make(*paths: Path) -> None:
        for p in paths:
            made[p.absolute()] = p.stat().st_mode
            p.chmod(p.stat().st_mode & ~0o222)
        if os.geteuid() == 0:
            monkeypatch.setattr(os, "access", access)
    yield make
    for p, mode in made.items():
        p.chmod(mode)


def copy_study(src: Path, folder: Path) -> Path:
    """The study copied alone into ``folder`` (no lock file beside it, as from a USB stick)."""
    folder.mkdir()
    shutil.copy(src, folder / "p.synth")
    return folder / "p.synth"


def with_change_in_wal(src: Path, folder: Path, *, shm: bool) -> Path:
    """The study copied into ``folder`` while open elsewhere: its last change ('Only in the
    wal', a setting) is committed but only in the -wal file, copied beside it (and the -shm)."""
    work = folder.parent / f"{folder.name}-source.synth"
    shutil.copy(src, work)
    folder.mkdir()
    p = Project.open(work)
    try:
        p.db.execute("PRAGMA wal_autocheckpoint = 0")
        p.set_setting("probe", "Only in the wal")
        for suffix in ("", "-wal") + (("-shm",) if shm else ()):
            shutil.copy(str(work) + suffix, str(folder / "p.synth") + suffix)
    finally:
        p.close()
    assert (folder / "p.synth-wal").stat().st_size > 0
    return folder / "p.synth"


def listing(folder: Path) -> dict[str, int]:
    return {f.name: f.stat().st_size for f in sorted(folder.iterdir())}


@pytest.fixture
def expected(sample_project_file) -> dict[str, int]:
    with Project.look(sample_project_file) as p:
        counts = p.summary().as_dict()
    assert counts["statements"] > 0 and counts["notes"] > 0
    return counts


# --------------------------------------------------------------------------- chmod (and os.access)
def test_a_project_in_a_read_only_folder_opens_read_only_and_makes_no_file(
        sample_project_file, expected, read_only_here, tmp_path, capsys):
    path = copy_study(sample_project_file, tmp_path / "stick")
    before = listing(path.parent)
    read_only_here(path.parent)
    with pytest.raises(ProjectReadOnly) as refused:
        Project.open(path)
    assert str(refused.value) == f"{path}: its folder {path.parent} cannot be written"
    with Project.open(path, read_only=True) as p:
        assert p.read_only and p.summary().as_dict() == expected
        with pytest.raises(ProjectError) as change:
            p.set_setting("x", 1)
        assert str(change.value) == (f"{path}: opened read-only (its folder {path.parent} "
                                     "cannot be written)")
        with p.worker_connection() as other:     # a background task's reading connection
            assert other.summary().as_dict() == expected
    import main
    assert main.main(["info", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {k: shown[k] for k in expected} == expected
    assert listing(path.parent) == before == {"p.synth": path.stat().st_size}


def test_a_read_only_file_in_a_writable_folder_opens_read_only_and_makes_no_file(
        sample_project_file, expected, read_only_here, tmp_path):
    path = copy_study(sample_project_file, tmp_path / "cd")
    read_only_here(path)
    with pytest.raises(ProjectReadOnly, match="p.synth: the file is read-only$"):
        Project.open(path)
    with Project.open(path, read_only=True) as p:
        assert p.read_only and p.read_only_because == "the file is read-only"
        assert p.summary().as_dict() == expected
    with Project.look(path) as p:
        assert p.summary().as_dict() == expected
    assert listing(path.parent) == {"p.synth": path.stat().st_size}


def test_changes_only_in_the_wal_of_a_read_only_folder_are_refused_saying_so(
        sample_project_file, read_only_here, tmp_path):
    path = with_change_in_wal(sample_project_file, tmp_path / "copied", shm=False)
    before = listing(path.parent)
    read_only_here(path.parent)
    for read in (lambda: Project.open(path, read_only=True), lambda: Project.look(path)
                 .__enter__()):
        with pytest.raises(ProjectReadOnly) as refused:
            read()
        assert str(refused.value) == (
            f"{path}: its latest changes are in p.synth-wal, which cannot be read in a folder "
            "that cannot be written (reading them needs a p.synth-shm file made beside it). "
            "Copy p.synth together with p.synth-wal to a folder you can write and open it "
            "there.")
    assert listing(path.parent) == before


def test_changes_only_in_the_wal_are_read_when_their_shm_is_there_or_can_be_made(
        sample_project_file, read_only_here, tmp_path):
    with_shm = with_change_in_wal(sample_project_file, tmp_path / "with-shm", shm=True)
    before = listing(with_shm.parent)
    ro_file = with_change_in_wal(sample_project_file, tmp_path / "file", shm=False)
    read_only_here(with_shm.parent, ro_file)
    for path in (with_shm, ro_file):
        with Project.open(path, read_only=True) as p:
            assert p.read_only and p.setting("probe") == "Only in the wal"
        with Project.look(path) as p:
            assert p.setting("probe") == "Only in the wal"
    assert listing(with_shm.parent) == before
    # the folder is writable: SQLite made the -shm it needs to read the -wal, nothing else
    assert sorted(listing(ro_file.parent)) == ["p.synth", "p.synth-shm", "p.synth-wal"]


def test_a_lock_file_the_system_refuses_means_read_only_not_damaged(
        sample_project_file, monkeypatch, tmp_path):
    """The folder and the file say they can be written, the lock file cannot be made (a share
    whose rights os.access does not see, a lock file another user owns): root can make any
    file, so here os.open refuses it as the system would."""
    path = copy_study(sample_project_file, tmp_path / "share")
    real_open = os.open

    def refusing_open(p, flags, *args, **kwargs):
        if str(p).endswith(".lock"):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(p))
        return real_open(p, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(ProjectReadOnly) as refused:
        Project.open(path)
    assert str(refused.value) == (f"{path}: its lock file p.synth.lock cannot be written "
                                  "(Permission denied)")


# --------------------------------------------------------------------------- a real read-only disk
def _mount_allowed() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind /tmp /tmp"],
                           capture_output=True)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _mount_allowed(),
                                 reason="no private read-only bind mount (unshare -m) here")


def in_read_only_mount(target: Path, script: str) -> dict:
    """``script`` run by this Python with ``target`` (a folder or a file) read-only for it, as
    on a read-only disk; its last line of output, JSON."""
    code = f"import json, sys; sys.path.insert(0, {str(ROOT)!r})\n" + textwrap.dedent(script)
    t = str(target)
    out = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount --bind "{t}" "{t}" && '
         f'mount -o remount,ro,bind "{t}" && exec "$0" -c "$1"', sys.executable, code],
        capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


READ_ALL = """
    from pathlib import Path
    from synth.project import Project, ProjectError
    path = Path(sys.argv[1] if len(sys.argv) > 1 else {path!r})
    seen = {{}}
    try:
        Project.open(path)
    except ProjectError as e:
        seen["open"] = str(e)
    for how in ("open", "look"):
        try:
            with (Project.open(path, read_only=True) if how == "open" else
                  Project.look(path)) as p:
                seen[how + " read"] = [p.read_only, p.summary().as_dict()["statements"],
                                       p.setting("probe")]
        except ProjectError as e:
            seen[how + " read"] = str(e)
    try:
        Project.create(path.with_name("new.synth"))
    except ProjectError as e:
        seen["create"] = str(e)
    print(json.dumps(seen))
"""


@needs_mount
def test_on_a_read_only_disk_a_project_and_its_wal_are_read_and_nothing_is_made(
        sample_project_file, expected, tmp_path):
    n = expected["statements"]
    plain = copy_study(sample_project_file, tmp_path / "disk")
    (tmp_path / "disk" / "p.synth.lock").touch()       # left by the Synth it was copied from
    before = listing(plain.parent)
    seen = in_read_only_mount(plain.parent, READ_ALL.format(path=str(plain)))
    assert seen == {
        "open": f"{plain}: its folder {plain.parent} cannot be written",
        "open read": [True, n, None], "look read": [True, n, None],
        "create": f"{plain.parent}/new.synth: its folder {plain.parent} cannot be written "
                  "(Read-only file system)"}
    assert listing(plain.parent) == before

    with_shm = with_change_in_wal(sample_project_file, tmp_path / "shm", shm=True)
    before = listing(with_shm.parent)
    seen = in_read_only_mount(with_shm.parent, READ_ALL.format(path=str(with_shm)))
    assert seen["open read"] == seen["look read"] == [True, n, "Only in the wal"]
    assert listing(with_shm.parent) == before

    no_shm = with_change_in_wal(sample_project_file, tmp_path / "wal", shm=False)
    seen = in_read_only_mount(no_shm.parent, READ_ALL.format(path=str(no_shm)))
    assert seen["open read"] == seen["look read"]
    assert seen["look read"].startswith(f"{no_shm}: its latest changes are in p.synth-wal")

    ro_file = copy_study(sample_project_file, tmp_path / "file")
    seen = in_read_only_mount(ro_file, READ_ALL.format(path=str(ro_file)))
    assert seen["open"] == f"{ro_file}: the file is read-only"
    assert seen["open read"] == seen["look read"] == [True, n, None]
    assert sorted(listing(ro_file.parent)) == ["new.synth", "new.synth.lock", "p.synth"]


@needs_mount
def test_the_window_on_a_read_only_disk_opens_the_project_read_only(sample_project_file,
                                                                     tmp_path):
    path = copy_study(sample_project_file, tmp_path / "disk")
    before = listing(path.parent)
    seen = in_read_only_mount(path.parent, f"""
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from ui.main_window import MainWindow
        from ui.settings import Settings
        w = MainWindow(Settings(QSettings({str(tmp_path / "s.ini")!r}, QSettings.IniFormat)))
        opened = w.open_project({str(path)!r})
        while not w.scene.ready:
            app.processEvents()
        seen = [opened, w.windowTitle(), w.project.read_only, len(w.scene.cards),
                w.notify.messages, w.settings.recent_projects]
        w.close()
        print(json.dumps(seen))
    """)
    assert seen[:3] == [True, "p.synth (read-only) — Synth", True] and seen[3] > 0
    assert seen[4] == [["warning", f"{path}: its folder {path.parent} cannot be written — "
                        "opened read-only: you can look but not change it; to work on it, "
                        "open a copy with Save as… in a folder you can write."]]
    assert seen[5] == [str(path)]
    assert listing(path.parent) == before
