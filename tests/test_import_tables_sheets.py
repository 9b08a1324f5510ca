"""Workbooks as researchers lay them out: several sheets, a hidden one, a title above the
header, cells merged down a column (QA 3, 4, 26, 42)."""
from __future__ import annotations

import json

import pytest

from synth.errors import ImportProblem
from synth.importers import detect, import_path
from synth.importers.common import read_table

HEADER = ["Note ID", "City", "Keep / Ditch / Add", "Sticky note text", "Dot votes"]


def _book(path, sheets, hidden=(), active=0, merges=None):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if name in hidden:
            ws.sheet_state = "hidden"
        for ref in (merges or {}).get(name, ()):
            ws.merge_cells(ref)
    wb.active = active
    wb.save(path)
    return path


def _city(city, n, title=True):
    rows = [[f"{city} workshop, 14 May 2025"], []] if title else []
    rows.append(HEADER)
    rows += [[f"{city[0]}-{i:02d}", city, "keep", f"{city} note {i}", i] for i in range(1, n + 1)]
    return rows


def test_cells_merged_down_a_column_give_every_row_their_value(project, tmp_path):
    rows = [["City", "Note", "Dots"]]
    rows += [["Lambeth" if i == 0 else None, f"L note {i}", 1] for i in range(15)]
    rows += [["Croydon" if i == 0 else None, f"C note {i}", 2] for i in range(12)]
    f = _book(tmp_path / "merged.xlsx", {"Notes": rows},
              merges={"Notes": ["A2:A16", "A17:A28"]})
    report = import_path(project, f)[0]
    assert report.counts == {"notes": 27, "sites": 2}
    assert [tuple(r) for r in project.query(
        "SELECT site, count(*) FROM notes GROUP BY 1 ORDER BY 1")] == [("Croydon", 12),
                                                                      ("Lambeth", 15)]
    assert ("merged.xlsx: cells merged down a column give their value to every row they span "
            "(“City” A2:A16, A17:A28)") in report.warnings


def test_a_hidden_first_sheet_is_passed_over_and_the_sheet_read_is_said(project, tmp_path):
    f = _book(tmp_path / "hidden.xlsx",
              {"Lists": [["Activity"], ["Keep"], ["Ditch"], ["Add"]],
               "Notes": [["Note", "City"], ["Pay young people", "Lambeth"],
                         ["Independent chair", "Croydon"]]}, hidden=("Lists",), active=1)
    assert detect(f) == "notes"
    report = import_path(project, f)[0]
    assert [r[0] for r in project.query("SELECT text FROM notes ORDER BY id")] == [
        "Pay young people", "Independent chair"]
    assert "hidden.xlsx: read sheet “Notes” (the workbook's sheets: “Lists” (hidden), " \
           "“Notes”)" in report.warnings


def test_the_sheet_holding_notes_is_found_below_its_title_and_others_are_named(project,
                                                                               tmp_path):
    f = _book(tmp_path / "by_city.xlsx",
              {"README": [["Sticky notes"], ["One sheet per city."]],
               "Lambeth": _city("Lambeth", 3), "Croydon": _city("Croydon", 2),
               "Summary": [["City", "Notes", "Participants"], ["Lambeth", 3, 14]]},
              merges={"Lambeth": ["A1:E1"], "Croydon": ["A1:E1"]})
    table = read_table(f, want=lambda h: "Sticky note text" in h)
    assert (table.sheet, table.header_row, table.row_numbers[0], table.also) == (
        "Lambeth", 3, 4, ["Croydon"])
    report = import_path(project, f)[0]
    assert report.counts == {"notes": 3, "sites": 1}
    assert any(w.startswith("by_city.xlsx: sheet “Croydon” holds notes too, not imported")
               for w in report.warnings)
    # the other sheet, asked for by name, is other data: not refused as imported already
    report = import_path(project, f, sheet="Croydon")[0]
    assert report.counts == {"notes": 2, "sites": 1}
    assert [tuple(r) for r in project.query(
        "SELECT site, count(*) FROM notes GROUP BY 1 ORDER BY 1")] == [("Croydon", 2),
                                                                      ("Lambeth", 3)]
    # the same sheet again (or none: the same one would be read) is refused
    from synth.importers.fingerprints import AlreadyImported
    for sheet in ("Croydon", None):
        with pytest.raises(AlreadyImported):
            import_path(project, f, **({"sheet": sheet} if sheet else {}))
    assert project.scalar("SELECT count(*) FROM notes") == 5


def test_a_study_can_name_each_sheet(project, tmp_path):
    _book(tmp_path / "by_city.xlsx", {"Lambeth": _city("Lambeth", 3),
                                      "Croydon": _city("Croydon", 2)})
    (tmp_path / "study.json").write_text(json.dumps({"files": [
        {"path": "by_city.xlsx", "kind": "notes", "sheet": "Lambeth"},
        {"path": "by_city.xlsx", "kind": "notes", "sheet": "Croydon"}]}), encoding="utf-8")
    reports = import_path(project, tmp_path)
    assert [r.counts["notes"] for r in reports] == [3, 2]


def test_a_sheet_not_there_is_refused_naming_the_sheets(project, tmp_path):
    f = _book(tmp_path / "b.xlsx", {"Lambeth": _city("Lambeth", 1)})
    with pytest.raises(ImportProblem) as e:
        import_path(project, f, kind="notes", sheet="Leeds")
    assert "no sheet named “Leeds” (the sheets: “Lambeth”)" in str(e.value)
    assert project.scalar("SELECT count(*) FROM sources") == 0


def test_a_title_line_above_a_csv_header_is_passed_over(project, tmp_path):
    f = tmp_path / "semi.csv"
    f.write_bytes(("Workshop sticky notes – typed up by Sam (DRAFT);;;;\n;;;;\n"
                   + ";".join(HEADER) + "\nL-01;Lambeth;keep;“Youth panels”;3\n"
                   "L-02;Lambeth;add;Pay us;2\n").encode("cp1252"))
    report = import_path(project, f)[0]
    assert report.counts == {"notes": 2, "sites": 1}
    assert project.query("SELECT text, row_number FROM notes ORDER BY id")[0][:] == (
        "“Youth panels”", 4)


def test_a_one_column_table_keeps_its_first_row_as_header():
    import pathlib
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        f = pathlib.Path(d) / "one.csv"
        f.write_text("text\nfirst\n\nsecond\nthird\nfourth\nfifth\nsixth\n", encoding="utf-8")
        t = read_table(f, keep_blank_rows=True)
        assert t.headers == ["text"] and t.header_row == 1
        assert t.rows == [["first"], [""], ["second"], ["third"], ["fourth"], ["fifth"],
                          ["sixth"]]


def test_an_unrecognised_table_says_its_headers_and_the_way_out(tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("Ref;Scribble\n1;hello\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        detect(f)
    msg = str(e.value)
    assert "its headers: “Ref”, “Scribble”" in msg and "“Note text”" in msg \
        and '"mapping": {"text": "<its text column>"}' in msg
