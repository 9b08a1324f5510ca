"""`run --out PATH` checks PATH before any work: a folder that does not exist or cannot be
written to, a folder given as the report, or the project file itself fail at once in one line
naming the path; nothing is imported or analysed and the project is left as it was (before,
such a run imported and analysed, then failed with a traceback or created the folder or wrote
the report over the project)."""
from __future__ import annotations

import hashlib
import os

import pytest

import main as synth_main
from conftest import POLIS

DEBATE = POLIS / "london.youth.policing"
OTHER = POLIS / "bg2050-volunteers"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "study.synth"
    assert synth_main.main(["run", str(DEBATE), "--project", str(path), "--no-themes",
                            "--no-groups"]) == 0
    return path


@pytest.fixture
def work(monkeypatch):
    """What the run started: imports and pipelines, recorded instead of done."""
    from synth import cli
    started: list[str] = []
    monkeypatch.setattr(cli, "import_all", lambda *a, **k: started.append("import") or [])
    monkeypatch.setattr(cli, "run_pipeline", lambda *a, **k: started.append("pipeline"))
    return started


def _bad_out(where: str, tmp_path, saved, monkeypatch):
    """The --out path of each case and the message's words after it."""
    if where == "missing":
        return tmp_path / "no" / "such" / "r.docx", f"no folder {tmp_path / 'no' / 'such'} " \
            "to write the report into"
    if where == "folder":
        return tmp_path, "is a folder; give a file name for the report"
    if where == "project":
        return saved, "is the project file; give the report another name"
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access     # tests run as root here, where a chmod does not stop a write

    def access(path, mode, *a, **k):
        return False if os.fspath(path) == os.fspath(locked) else real(path, mode, *a, **k)
    monkeypatch.setattr(os, "access", access)
    return locked / "r.docx", f"the folder {locked} cannot be written to"


@pytest.mark.parametrize("where", ["missing", "folder", "project", "unwritable"])
def test_a_bad_out_path_fails_before_any_work_and_leaves_the_project(
        where, saved, tmp_path, work, monkeypatch, capsys):
    out, words = _bad_out(where, tmp_path, saved, monkeypatch)
    before = _digest(saved)
    listing = sorted(p.name for p in tmp_path.iterdir())
    capsys.readouterr()
    assert synth_main.main(["run", str(OTHER), "--project", str(saved), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"synth run: --out {out}: {words}\n"
    assert work == []                               # nothing imported, nothing analysed
    assert _digest(saved) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing    # no folder, no file made


def test_a_new_project_is_not_made_when_the_out_folder_is_missing(tmp_path, work, capsys):
    out = tmp_path / "reports" / "r.docx"
    assert synth_main.main(["run", "--project", str(tmp_path / "new.synth"), "--new",
                            "--out", str(out)]) == 1
    assert capsys.readouterr().err == (f"synth run: --out {out}: no folder {out.parent} "
                                       "to write the report into\n")
    assert work == [] and list(tmp_path.iterdir()) == []


def test_a_good_out_path_still_gets_the_report(saved, tmp_path, capsys):
    out = tmp_path / "r.docx"
    assert synth_main.main(["run", "--project", str(saved), "--no-themes", "--no-groups",
                            "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"            # a Word file
    assert f"report: {out}" in capsys.readouterr().out
