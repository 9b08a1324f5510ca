"""Files the researcher named are written whole or not at all, by one helper (synth/files.py):
the JSON of `themes`, `evidence` and `polis`, the recovery journal, and the project file."""
from __future__ import annotations

import json
import os

import pytest

import main as synth_main
from conftest import POLIS
from synth import files


def _disk_full(monkeypatch):
    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", disk_full)


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
    _disk_full(monkeypatch)
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
    _disk_full(monkeypatch)
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


def _write_report(project, out):
    from exports.report import write_report
    write_report(project, out)


def _write_xlsx(project, out):
    from exports.tables import write_xlsx
    write_xlsx(project, out)


def _write_csv(project, out):
    from exports.tables import write_csv
    write_csv(project, out.parent, which=("statements",))


def _write_qdc(project, out):
    from coding.codebook import export_qdc
    from synth.board import CreateTheme
    project.history.apply(CreateTheme("Hybrid work"))
    export_qdc(project, out)


@pytest.mark.parametrize("name,write", [("report.docx", _write_report),
                                        ("tables.xlsx", _write_xlsx),
                                        ("statements.csv", _write_csv),
                                        ("codebook.qdc", _write_qdc)])
def test_exports_are_written_whole_or_the_old_file_stays(name, write, sample_project, tmp_path,
                                                         monkeypatch):
    """The report and the .qdc went through a fixed '.writing' name, left behind by a failed
    write; the tables were written straight into the researcher's file. None kept the old
    file's permissions, none was flushed to disk."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / name
    out.write_bytes(b"old")
    out.chmod(0o640)
    _disk_full(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        write(sample_project, out)
    assert out.read_bytes() == b"old" and _names(folder) == [name]
    monkeypatch.undo()
    write(sample_project, out)
    assert _names(folder) == [name] and out.stat().st_mode & 0o777 == 0o640
    data = out.read_bytes()
    if name == "statements.csv":
        assert data.decode("utf-8-sig").splitlines()[0].startswith("statement,id in source,")
    elif name == "codebook.qdc":
        assert b'name="Hybrid work"' in data
    else:
        assert data[:2] == b"PK" and len(data) > 5000


def test_a_failed_csv_export_leaves_every_table_as_it_was(sample_project, tmp_path, monkeypatch):
    """The tables are written first and put in place together: a full disk at the third
    leaves the folder's four old tables, not two new ones beside two old."""
    from exports.tables import SHEETS, write_csv
    folder = tmp_path / "csv"
    folder.mkdir()
    names = [f"{n}.csv" for n in SHEETS]
    for n in names:
        (folder / n).write_bytes(b"old")
    real, calls = files.os.fsync, []

    def third_fails(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(fd)
    monkeypatch.setattr(files.os, "fsync", third_fails)
    with pytest.raises(OSError, match="No space left"):
        write_csv(sample_project, folder)
    assert _names(folder) == sorted(names)
    assert all((folder / n).read_bytes() == b"old" for n in names)
    monkeypatch.undo()
    assert sorted(p.name for p in write_csv(sample_project, folder)) == sorted(names)
    assert all((folder / n).read_bytes() != b"old" for n in names) and \
        _names(folder) == sorted(names)


def test_segments_json_is_checked_first_and_written_whole(sample_project, tmp_path, monkeypatch,
                                                          capsys):
    path = sample_project.path
    sample_project.close()
    define = ["segments", str(path), "--define", "Managers", "line_manager=yes"]
    assert synth_main.main([*define, "--json", str(tmp_path / "no" / "s.json")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"synth segments: --json {tmp_path / 'no' / 's.json'}: no folder {tmp_path / 'no'} to "
        "write the segments' agreement into")
    from synth.project import Project
    with Project.look(path) as p:       # refused before the segment was defined
        assert p.scalar("SELECT count(*) FROM segments") == 0
    out = tmp_path / "s.json"
    out.write_text("old", encoding="utf-8")
    _disk_full(monkeypatch)
    assert synth_main.main([*define, "--json", str(out)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"synth segments: --json {out}: cannot write the segments' agreement (No space left "
        "on device); nothing was written to s.json; the project's segments were changed all "
        "the same (“Managers” defined)")
    assert out.read_text(encoding="utf-8") == "old"
    monkeypatch.undo()
    assert synth_main.main(["segments", str(path), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["Managers"] and data["Managers"]["participants"] > 0


def test_the_report_command_leaves_no_wal_or_shm_beside_the_project(sample_project_file,
                                                                    tmp_path):
    import shutil
    folder = tmp_path / "study"
    folder.mkdir()
    project = folder / "sample.synth"
    shutil.copy(sample_project_file, project)
    out = tmp_path / "report.docx"
    assert synth_main.main(["report", str(project), "--out", str(out)]) == 0
    assert _names(folder) == ["sample.synth"] and out.stat().st_size > 5000
