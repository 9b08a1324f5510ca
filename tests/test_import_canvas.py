"""A workshop canvas typed up one note per cell (QA 48): columns "Keep | Ditch | Add" (or
Start / Stop / Continue, Hopes / Fears, SWOT …) and no note text column. Each filled cell is a
note, its column's heading its activity, its cell ("C5") its id and row number, with its row's
other columns (scenario, table); said in a warning. The window's Import dialog says so and lets
the import go without a text column; choosing one reads one note per row as before."""
from __future__ import annotations

import pytest

from synth.importers import detect, import_path
from tests.ui_fixtures import settings  # noqa: F401

CANVAS = ("Scenario,Keep,Ditch,Add\n"
          "A: Fully remote,No commute,Isolation,Team days\n"
          "A: Fully remote,Flexible hours,,Better laptops\n"
          ",,,\n"
          "B: Office first,,Hot desking,Quiet rooms\n")


@pytest.fixture
def canvas(tmp_path):
    f = tmp_path / "kda canvas.csv"
    f.write_text(CANVAS, encoding="utf-8")
    return f


def _notes(project):
    return project.query("SELECT external_id, text, activity, scenario, row_number FROM notes "
                         "ORDER BY id")


def test_each_filled_cell_is_a_note_with_its_column_as_activity(project, canvas):
    assert detect(canvas) == "notes"
    (report,) = import_path(project, canvas, site="Leeds")
    assert [tuple(r) for r in _notes(project)] == [
        ("B2", "No commute", "keep", "A: Fully remote", 2),
        ("C2", "Isolation", "ditch", "A: Fully remote", 2),
        ("D2", "Team days", "add", "A: Fully remote", 2),
        ("B3", "Flexible hours", "keep", "A: Fully remote", 3),
        ("D3", "Better laptops", "add", "A: Fully remote", 3),
        ("C5", "Hot desking", "ditch", "B: Office first", 5),
        ("D5", "Quiet rooms", "add", "B: Office first", 5)]
    assert report.counts["notes"] == 7
    assert any("read as a canvas: each filled cell of “Keep”, “Ditch”, “Add” is a note (7 notes)"
               in w for w in report.warnings)
    assert project.query("SELECT DISTINCT site FROM notes")[0][0] == "Leeds"


def test_a_row_id_is_kept_before_the_cell(project, tmp_path):
    f = tmp_path / "ssc.csv"
    f.write_text("ID,Table,Start,Stop,Continue\nT1,1,Coaching,Long meetings,\n"
                 "T2,2,,Email after 6,Hybrid days\n", encoding="utf-8")
    import_path(project, f)
    assert [tuple(r) for r in project.query(
        "SELECT external_id, table_group, activity, text FROM notes ORDER BY id")] == [
        ("T1 C2", "1", "start", "Coaching"), ("T1 D2", "1", "stop", "Long meetings"),
        ("T2 D3", "2", "stop", "Email after 6"), ("T2 E3", "2", "continue", "Hybrid days")]


def test_a_table_with_a_note_text_column_is_one_note_per_row_as_before(project, tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text("Note,Keep,Ditch\nMore coaching,yes,\n", encoding="utf-8")
    (report,) = import_path(project, f)
    assert [tuple(r) for r in project.query("SELECT text FROM notes")] == [("More coaching",)]
    assert not any("canvas" in w for w in report.warnings)


def test_one_canvas_heading_is_not_a_canvas(tmp_path):
    from synth.importers.tables import canvas_columns
    assert canvas_columns(["Table", "Ideas"]) == []
    assert canvas_columns(["Rose", "Thorn", "Bud"]) == [0, 1, 2]
    assert canvas_columns(["What went well?", "Even better if…"]) == [0, 1]


def test_the_import_dialog_says_so_and_imports_the_canvas(qtbot, settings, project, canvas):
    from PySide6.QtWidgets import QDialogButtonBox
    from ui.import_dialog import ImportDialog
    dlg = ImportDialog(settings, None, str(canvas))
    qtbot.addWidget(dlg)
    assert dlg.kind == "notes"
    assert dlg.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert dlg.preview_summary.text().startswith(
        "A canvas, one note per cell: each filled cell of “Keep”, “Ditch”, “Add” will be a note")
    assert dlg.mapping_boxes["scenario"].currentData() == "Scenario"
    opts = dlg.options()
    import_path(project, dlg.path, **opts)
    assert len(_notes(project)) == 7
    assert {r[0] for r in project.query("SELECT scenario FROM notes")} == {
        "A: Fully remote", "B: Office first"}
    # choosing a text column instead reads one note per row, and the canvas line goes
    box = dlg.mapping_boxes["text"]
    box.setCurrentIndex(box.findData("Keep"))
    assert dlg.preview_summary.text() == ""


def test_a_note_merged_over_rows_counts_once(project, tmp_path):
    """Review: a note typed into cells merged down a canvas column was imported once per row
    the merge spans; the merge of the Table column still fills every row."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["Table", "Keep", "Ditch"])
    ws.append(["T1", "Flexible hours", "Hot desks"])
    ws.append([None, None, "Weekly reports"])
    ws.append(["T2", "Team lunches", None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    f = tmp_path / "merged.xlsx"
    wb.save(f)
    (report,) = import_path(project, f)
    assert [tuple(r) for r in project.query(
        "SELECT external_id, text, table_group FROM notes ORDER BY id")] == [
        ("B2", "Flexible hours", "T1"), ("C2", "Hot desks", "T1"),
        ("C3", "Weekly reports", "T1"), ("B4", "Team lunches", "T2")]
    assert any("a note merged over several rows counts once" in w for w in report.warnings)
    assert any("“Table” A2:A3" in w for w in report.warnings)
    assert not any("“Keep” B2:B3" in w for w in report.warnings)


def test_a_side_comment_column_leaves_a_canvas_a_canvas(project, tmp_path):
    """Review: a "Comment" column (a looser name for note text) turned the canvas off, and its
    five notes were dropped as columns not imported."""
    f = tmp_path / "with comment.csv"
    f.write_text("Keep,Ditch,Add,Comment\nNo commute,Isolation,Team days,facilitator: lively\n"
                 "Flexible hours,,Better laptops,\n", encoding="utf-8")
    (report,) = import_path(project, f)
    assert [r[0] for r in project.query("SELECT text FROM notes ORDER BY id")] == [
        "No commute", "Isolation", "Team days", "Flexible hours", "Better laptops"]
    assert any("“Comment”" in w and "not imported" in w for w in report.warnings)


def test_the_dialog_reads_a_canvas_with_a_comment_column_as_a_canvas(qtbot, settings, project,
                                                                      tmp_path):
    from ui.import_dialog import ImportDialog
    f = tmp_path / "with comment.csv"
    f.write_text("Keep,Ditch,Add,Comment\nNo commute,Isolation,Team days,lively\n",
                 encoding="utf-8")
    dlg = ImportDialog(settings, None, str(f))
    qtbot.addWidget(dlg)
    assert dlg.mapping_boxes["text"].currentData() == ""
    assert dlg.preview_summary.text().startswith("A canvas, one note per cell")
    import_path(project, dlg.path, **dlg.options())
    assert len(_notes(project)) == 3
