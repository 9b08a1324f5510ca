"""A CSV row with fewer cells than its header ("2,Planning,South" under five columns) is most often
a broken line. It is imported with its missing cells empty, as pandas and Excel read it, and the
import names the file, the row and the columns it lacks (QA: it was padded without a word)."""
from __future__ import annotations

import openpyxl

from synth.importers import import_path


def _rows(project, sql):
    return [tuple(r) for r in project.query(sql)]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _attributes(project, external_id):
    return dict(project.query(
        "SELECT a.name, a.value FROM participant_attributes a JOIN participants p "
        "ON p.id = a.participant_id WHERE p.external_id = ?", (external_id,)))


def test_a_short_participants_row_is_imported_and_named_with_its_missing_columns(project,
                                                                                tmp_path):
    table = _write(tmp_path / "participants_broken2.csv",
                   "participant,department,region,line_manager,gender\n"
                   "1,Parks,North,yes,Woman\n2,Planning,South\n3,Housing,North,no,Man\n")
    [report] = import_path(project, table)
    assert report.counts == {"participants": 3, "characteristics": 4}
    assert _attributes(project, "2") == {"department": "Planning", "region": "South"}
    assert _attributes(project, "3") == {"department": "Housing", "region": "North",
                                         "line_manager": "no", "gender": "Man"}
    assert report.warnings[0] == (
        "participants_broken2.csv: 1 row with fewer cells than the header's 5 columns: row 3 "
        "(no “line_manager” and “gender”): imported with its missing cells empty. A short row "
        "is most often a broken line (a delimiter missing, a line break inside a cell): check "
        "it in the file")


def test_short_notes_rows_are_listed_by_spreadsheet_row(project, tmp_path):
    # a title and a blank line above the header: rows are numbered as a spreadsheet shows them
    lines = ["Leeds notes", "", "id,text,site,activity"]
    lines += [f"N{i},Note {i},Leeds,keep" for i in range(1, 9)]
    lines[4] = "N2,Note 2"              # row 5: a line break after the text?
    lines[6] = "N4,Note 4,Leeds"        # row 7
    lines[8] = "N6,Note 6"              # row 9
    [report] = import_path(project, _write(tmp_path / "notes.csv", "\n".join(lines) + "\n"))
    assert report.counts["notes"] == 8
    said = [w for w in report.warnings if "fewer cells" in w]
    assert said == [
        "notes.csv: 3 rows with fewer cells than the header's 4 columns: row 5 (no “site” and "
        "“activity”); row 7 (no “activity”); row 9 (no “site” and “activity”): imported with "
        "their missing cells empty. A short row is most often a broken line (a delimiter "
        "missing, a line break inside a cell): check them in the file"]
    assert project.scalar("SELECT count(*) FROM notes WHERE activity = ''") == 3


def test_a_short_tallies_row_is_named_not_counted_as_zero_in_silence(project, tmp_path):
    table = _write(tmp_path / "tallies.csv",
                   "text,agree,disagree,pass\nMore parks,10,2,1\nFewer cars,7\n")
    [report] = import_path(project, table)
    assert _rows(project, "SELECT text, agree_tally, disagree_tally, pass_tally FROM "
                          "statements ORDER BY id") == [("More parks", 10, 2, 1),
                                                        ("Fewer cars", 7, 0, 0)]
    assert any(w.startswith("tallies.csv: 1 row with fewer cells than the header's 4 columns: "
                            "row 3 (no “disagree” and “pass”)") for w in report.warnings)


def test_rows_written_whole_with_empty_cells_and_sheet_rows_are_no_short_rows(project,
                                                                              tmp_path):
    # a spreadsheet saves every cell ("2,Planning,,,"); an unnamed last column is no loss
    table = _write(tmp_path / "people.csv",
                   "participant,department,region,\n1,Parks,North,\n2,Planning,,\n"
                   "3,Housing,South\n")
    [report] = import_path(project, table)
    assert not any("fewer cells" in w for w in report.warnings)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["participant", "department", "region"])
    ws.append([7, "Parks"])
    wb.save(tmp_path / "people.xlsx")
    [report] = import_path(project, tmp_path / "people.xlsx")
    assert report.counts["participants"] == 1
    assert not any("fewer cells" in w for w in report.warnings)
