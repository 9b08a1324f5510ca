"""Files the researcher named are written whole or not at all, by one helper (synth/files.py):
the JSON of `themes`, `evidence` and `polis`, the recovery journal, and the project file."""
from __future__ import annotations

import json
import os

import pytest

import main as synth_main
from conftest import POLIS
from synth import files


def _names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_umasks(tmp_path):
    old = tmp_path / "old.json"
    old.write_text("old", encoding="utf-8")
    old.chmod(0o640)
    files.write_atomically(old, "new ✓")
    assert old.read_text(encoding="utf-8") == "new ✓" and old.stat().st_mode & 0o777 == 0o640
    umask = os.umask(0o027)
    try:
        files.write_atomically(tmp_path / "fresh.json", b"{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "fresh.json").stat().st_mode & 0o777 == 0o640
    files.write_atomically(tmp_path / "journal", b"typed", private=True)
    assert (tmp_path / "journal").stat().st_mode & 0o777 == 0o600
    assert _names(tmp_path) == ["fresh.json", "journal", "old.json"]   # no temporary file


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    old = tmp_path / "x.json"
    old.write_text("old", encoding="utf-8")

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomically(old, "new")
    assert old.read_text(encoding="utf-8") == "old" and _names(tmp_path) == ["x.json"]


def test_a_named_temporary_file_left_as_a_link_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    target = tmp_path / "p.synth"
    temp = tmp_path / "p.synth.building"
    temp.symlink_to(victim)
    with files.replacing(target, temp=temp) as t:
        t.write_bytes(b"made")
    assert target.read_bytes() == b"made" and victim.read_text(encoding="utf-8") == "keep"
    assert not temp.exists() and not temp.is_symlink()


@pytest.mark.parametrize("command", ["polis", "evidence"])
def test_a_commands_json_is_written_whole_or_the_old_one_stays(command, project, tmp_path,
                                                               monkeypatch, capsys):
    """A full disk is a one-line error that leaves the old file; a replaced file keeps its
    permissions. Both commands wrote through a fixed temporary name with the default ones, and
    a full disk was a traceback; evidence also left -wal and -shm beside the project."""
    from synth.board import CreateTheme
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    if command == "polis":
        if not POLIS.exists():
            pytest.skip("shared Pol.is fixtures not present")
        argv, what = ["polis", str(POLIS / "london.youth.policing")], "the JSON"
    else:
        project.history.apply(CreateTheme("Hybrid work"))
        argv, what = ["evidence", str(project.path)], "the evidence"
    project.close()
    argv += ["--json", str(out)]
    before = _names(tmp_path)

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", disk_full)
    assert synth_main.main(argv) == 1
    assert capsys.readouterr().err.strip() == (
        f"synth {command}: --json {out}: cannot write {what} (No space left on device); "
        "nothing was written")
    assert out.read_text(encoding="utf-8") == "old" and _names(tmp_path) == before
    monkeypatch.undo()
    assert synth_main.main(argv) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    if command == "polis":
        assert data["k"] == len(data["groups"]) >= 2
    else:
        assert [t["name"] for t in data["themes"]] == ["Hybrid work"]
    assert out.stat().st_mode & 0o777 == 0o600 and _names(tmp_path) == before
