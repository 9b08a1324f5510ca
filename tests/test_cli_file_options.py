"""`run --site/--workshop/--sheet` (QA 14): what the window's Import dialog asks of a notes table,
a transcript or a workbook, the command line gives every file of a kind that takes it. An option
that none of the files takes is refused, naming what it is for, and nothing is imported."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from conftest import POLIS, ROOT


def synth(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True)


def _rows(project, sql):
    db = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_site_and_workshop_go_to_a_notes_table_without_those_columns(tmp_path):
    notes = tmp_path / "leeds.csv"
    notes.write_text("text\n" + "".join(f"note {i} about desks and team days\n"
                                        for i in range(6)), encoding="utf-8")
    project = tmp_path / "p.synth"
    out = synth("run", notes, POLIS / "london.youth.policing", "--project", project,
                "--site", "Leeds", "--workshop", "Leeds follow-up", "--no-themes",
                "--no-groups")
    assert out.returncode == 0, out.stderr
    assert _rows(project, "SELECT site, workshop, count(*) FROM notes GROUP BY 1, 2") == \
        [("Leeds", "Leeds follow-up", 6)]
    # the debate given beside it took none of them, and came in whole
    assert _rows(project, "SELECT count(*) FROM statements") == [(39,)]


def test_sheet_chooses_a_workbooks_sheet(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    first = wb.active
    first.title = "Glasgow"
    first.append(["text"])
    for i in range(3):
        first.append([f"Glasgow note {i} on pay"])
    second = wb.create_sheet("Cardiff")
    second.append(["text"])
    for i in range(5):
        second.append([f"Cardiff note {i} on laptops"])
    book = tmp_path / "notes.xlsx"
    wb.save(book)
    project = tmp_path / "p.synth"
    out = synth("run", book, "--project", project, "--sheet", "Cardiff", "--site", "Cardiff",
                "--no-themes", "--no-groups")
    assert out.returncode == 0, out.stderr
    assert _rows(project, "SELECT site, count(*), min(text) FROM notes GROUP BY 1") == \
        [("Cardiff", 5, "Cardiff note 0 on laptops")]


def test_an_option_no_file_takes_is_refused_and_nothing_imported(tmp_path):
    project = tmp_path / "p.synth"
    out = synth("run", POLIS / "london.youth.policing", "--project", project, "--site", "Leeds",
                "--no-themes", "--no-groups")
    assert out.returncode != 0
    assert out.stderr.strip().splitlines() == [
        "synth run: --site gives the site of a notes table or a transcript, and none of the files "
        "given is one. Nothing was imported"]
    assert not project.exists()


def test_a_site_given_that_every_note_names_its_own_is_not_used(tmp_path):
    """Review: a file of Leeds and Manchester notes imported with --site Bristol made the
    report count three workshops (Bristol, Leeds, Manchester)."""
    notes = tmp_path / "sited.csv"
    notes.write_text("text,site\nMore desks,Leeds\nQuiet rooms,Manchester\n", encoding="utf-8")
    project = tmp_path / "p.synth"
    out = synth("run", notes, "--project", project, "--site", "Bristol", "--no-themes",
                "--no-groups")
    assert out.returncode == 0, out.stderr
    assert "every note names its own site in column “site”, so the site given, “Bristol”, " \
           "was not used" in out.stdout
    assert _rows(project, "SELECT site FROM sources") == [("",)]
    assert _rows(project, "SELECT DISTINCT site FROM notes ORDER BY 1") == [("Leeds",),
                                                                           ("Manchester",)]
