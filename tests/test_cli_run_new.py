"""`run --new` keeps the team's work it replaces (QA 23), a reader gone early does not cost the
new project (QA 39), each debate's groups line is printed whole (QA 9), a full disk is one
line (QA 36)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import main as synth_main
from conftest import POLIS, ROOT
from synth.project import Project

LONDON = POLIS / "london.youth.policing"
BG = POLIS / "bg2050-volunteers"


def _run(*args: object, groups: bool = False) -> int:
    return synth_main.main(["run", *map(str, args), "--no-themes"]
                           + ([] if groups else ["--no-groups"]))


def _notes(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("text\nMore youth workers\nBetter lighting\n", encoding="utf-8")
    return path


def _with_team_work(tmp_path):
    path = tmp_path / "study.synth"
    assert _run(LONDON, "--project", path) == 0
    with Project.open(path) as p, p.transaction() as db:
        theme = db.execute("INSERT INTO themes(name, name_edited) VALUES ('Trust', 1)").lastrowid
        db.execute("INSERT INTO recommendations(theme_id, title) VALUES (?, 'Listen first')",
                   (theme,))
    return path


def test_run_new_keeps_the_team_work_beside_the_project(tmp_path, capsys):
    path = _with_team_work(tmp_path)
    capsys.readouterr()
    assert _run(_notes(tmp_path), "--project", path, "--new") == 0
    out = capsys.readouterr().out
    [backup] = tmp_path.glob("study.before-new-*.synth")
    assert f"kept as {backup}" in out
    assert "(1 theme, 1 recommendation)" in out
    assert not (tmp_path / (backup.name + ".lock")).exists()
    with Project.open(backup) as old:
        assert old.scalar("SELECT title FROM recommendations") == "Listen first"
        assert old.summary().statements == 39
    with Project.open(path) as new:
        assert new.summary().statements == 0
        assert new.scalar("SELECT count(*) FROM notes") == 2
        assert new.scalar("SELECT count(*) FROM recommendations") == 0


def test_run_new_over_a_project_without_team_work_keeps_no_copy(tmp_path, capsys):
    path = tmp_path / "study.synth"
    assert _run(LONDON, "--project", path) == 0
    assert _run(_notes(tmp_path), "--project", path, "--new") == 0
    assert "replaced study.synth (it held no themes" in capsys.readouterr().out
    assert not list(tmp_path.glob("*before-new*"))


def test_run_new_that_fails_keeps_no_copy(tmp_path):
    path = _with_team_work(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("text,dots\nok,1\nbad,many\n", encoding="utf-8")
    assert _run(bad, "--project", path, "--new") == 1
    assert not list(tmp_path.glob("*before-new*"))
    with Project.open(path) as p:
        assert p.scalar("SELECT count(*) FROM recommendations") == 1


def test_run_new_piped_into_head_still_makes_the_project(tmp_path):
    # head takes the two import lines and goes; the report is written after them, so the
    # run's next line ("report: …") finds the reader gone (unbuffered: each line is sent)
    path = tmp_path / "hp.synth"
    cmd = (f"{sys.executable} {ROOT / 'main.py'} run {LONDON} {_notes(tmp_path)} "
           f"--project {path} --new --no-themes --no-groups --out {tmp_path / 'hp.docx'} "
           "| head -2")
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=tmp_path,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                               "PYTHONUNBUFFERED": "1"})
    assert len(done.stdout.splitlines()) == 2
    assert (tmp_path / "hp.docx").exists()
    assert "Traceback" not in done.stderr
    with Project.open(path) as p:
        assert p.summary().statements == 39
        assert p.scalar("SELECT count(*) FROM notes") == 2


def test_two_debates_each_get_a_whole_groups_line(tmp_path, capsys):
    assert _run(LONDON, BG, "--project", tmp_path / "two.synth", groups=True) == 0
    lines = [x for x in capsys.readouterr().out.splitlines()
             if x.startswith("opinion groups: ")]
    assert len(lines) == 2
    assert lines[0].startswith("opinion groups: “What is the best way to engage more young")
    assert lines[1].startswith("opinion groups: “Together, we'll build the BG of 2050.”: "
                               "2 groups (polis; 100/8), run ")
    assert all("Pol.is's own groups, as exported (the groups seen on pol.is)" in x
               for x in lines)


def test_a_full_disk_is_one_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "study.synth"
    assert _run(LONDON, "--project", path) == 0
    capsys.readouterr()

    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr("synth.cli.run_pipeline", full)
    assert _run(_notes(tmp_path), "--project", path) == 1
    err = capsys.readouterr().err
    assert err.startswith("synth run: the disk holding study.synth is full (")
    assert "KB free): the step under way was not saved" in err
    assert len(err.strip().splitlines()) == 1
