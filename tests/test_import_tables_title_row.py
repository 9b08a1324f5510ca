"""A title row above a table's header ("Bowling Green workshop, 12 May" over the sticky notes) is
skipped with a word, and names the notes' workshop when none was given (QA: it was passed over
in silence and the notes had no workshop)."""
from __future__ import annotations

import openpyxl

from synth.importers import import_path


def _rows(project, sql):
    return [tuple(r) for r in project.query(sql)]


def _stickies(path, title="Bowling Green workshop, 12 May", workshop_column=False):
    """As QA's stickies.xlsx: a cover sheet, then the notes under a title and a blank row."""
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "Workshop sticky notes, typed up by Sam"
    ws = wb.create_sheet("Stickies")
    ws.append([title])
    ws.append([])
    ws.append(["Table", "Colour", "Keep/Ditch/Add", "Sticky note text", "Site"]
              + (["Workshop"] if workshop_column else []))
    for row in ([1, "pink", "keep", "Farmers market on Saturdays", "Bowling Green"],
                [1, "yellow", "add", "A youth council with a real budget", "Bowling Green"],
                [],
                [2, "pink", "ditch", "Ditch the one-way system downtown", "Bowling Green"],
                [2, "pink", "add", None, "Bowling Green"]):
        ws.append(row + (["BG 2"] if workshop_column and row else []))
    wb.save(path)
    return path


def test_the_title_row_is_said_and_names_the_workshop(project, tmp_path):
    [report] = import_path(project, _stickies(tmp_path / "stickies.xlsx"))
    assert report.counts == {"notes": 3, "sites": 1}
    assert _rows(project, "SELECT DISTINCT workshop FROM notes") == [
        ("Bowling Green workshop, 12 May",)]
    assert project.scalar("SELECT workshop FROM sources") == "Bowling Green workshop, 12 May"
    assert "stickies.xlsx: sheet “Stickies”: a title row above the header (row 3) skipped: " \
           "row 1, “Bowling Green workshop, 12 May”" in report.warnings
    assert "stickies.xlsx: the title “Bowling Green workshop, 12 May” taken as the workshop " \
           "of 3 notes, as none was given (name the workshop when importing to give " \
           "another)" in report.warnings


def test_a_workshop_given_wins_over_the_title(project, tmp_path):
    [report] = import_path(project, _stickies(tmp_path / "stickies.xlsx"), workshop="BG 1")
    assert _rows(project, "SELECT DISTINCT workshop FROM notes") == [("BG 1",)]
    assert any("a title row above the header (row 3) skipped" in w for w in report.warnings)
    assert not any("taken as the workshop" in w for w in report.warnings)


def test_notes_naming_their_own_workshop_keep_it(project, tmp_path):
    [report] = import_path(project, _stickies(tmp_path / "s.xlsx", workshop_column=True))
    assert _rows(project, "SELECT DISTINCT workshop FROM notes") == [("BG 2",)]
    assert project.scalar("SELECT workshop FROM sources") == ""
    assert "s.xlsx: the title “Bowling Green workshop, 12 May” not taken as the workshop: " \
           "every note names its own in column “Workshop”" in report.warnings


def test_a_csv_title_row_is_said_too(project, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Leeds workshop\n\ntext,site\nMore buses,Leeds\nLess traffic,Leeds\n",
                    encoding="utf-8")
    [report] = import_path(project, path)
    assert _rows(project, "SELECT DISTINCT workshop FROM notes") == [("Leeds workshop",)]
    assert report.warnings[0] == ("notes.csv: a title row above the header (row 3) skipped: "
                                  "row 1, “Leeds workshop”")


def test_a_table_without_a_title_says_nothing_of_one(project, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("text,site\nMore buses,Leeds\n", encoding="utf-8")
    [report] = import_path(project, path)
    assert _rows(project, "SELECT DISTINCT workshop FROM notes") == [("",)]
    assert not any("title" in w for w in report.warnings)
