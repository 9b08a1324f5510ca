"""The Import dialog suggests the workshop (and a transcript's site) a file names of itself: a
table's title row above its header, a transcript's header lines. The suggestion is in the field,
where the researcher sees and may change it, with where it came from beside it."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from synth.importers import import_path  # noqa: E402
from tests.ui_fixtures import settings  # noqa: E402,F401

TITLE = "Bowling Green workshop, 12 May"


def _stickies(path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append([])
    ws.append(["Note ID", "Sticky note text", "Activity"])
    ws.append(["1", "More buses after 6pm", "add"])
    ws.append(["2", "Keep the farmers' market", "keep"])
    wb.save(path)
    return path


def _dialog(qtbot, settings, path):
    from ui.import_dialog import ImportDialog
    dlg = ImportDialog(settings, None, str(path))
    qtbot.addWidget(dlg)
    return dlg


def test_a_tables_title_row_is_the_workshop_suggested(qtbot, settings, project, tmp_path):  # noqa: F811
    dlg = _dialog(qtbot, settings, _stickies(tmp_path / "stickies.xlsx"))
    assert dlg.kind == "notes"
    assert dlg.workshop_edit.text() == TITLE
    assert dlg.hints["workshop"].text() == ("Suggested from the table's title row (row 1): "
                                            "change it if it is not the workshop.")
    assert dlg.site_edit.text() == "" and dlg.hints["site"].text() == ""
    import_path(project, dlg.path, **dlg.options())
    assert [r[0] for r in project.query("SELECT DISTINCT workshop FROM notes")] == [TITLE]
    assert project.scalar("SELECT workshop FROM sources WHERE kind = 'workshop'") == TITLE


def test_the_researcher_changes_the_suggestion(qtbot, settings, project, tmp_path):  # noqa: F811
    dlg = _dialog(qtbot, settings, _stickies(tmp_path / "stickies.xlsx"))
    dlg.workshop_edit.clear()
    assert f"the import still takes “{TITLE}”" in dlg.hints["workshop"].text()
    qtbot.keyClicks(dlg.workshop_edit, "BG co-design 1")
    assert dlg.hints["workshop"].text() == f"Yours; the table's title row (row 1) says “{TITLE}”."
    import_path(project, dlg.path, **dlg.options())
    assert [r[0] for r in project.query("SELECT DISTINCT workshop FROM notes")] == [
        "BG co-design 1"]
    # a value typed stays when another file is chosen
    dlg.set_path(str(_stickies(tmp_path / "other.xlsx")))
    assert dlg.workshop_edit.text() == "BG co-design 1"


def test_a_transcripts_header_lines_suggest_its_workshop_and_site(qtbot, settings, tmp_path):  # noqa: F811
    f = tmp_path / "bg1.txt"
    f.write_text("Workshop: BG workshop 1. Venue: Public library\nSite: Bowling Green\n\n"
                 "Facilitator: Thanks for coming.\nP1: More buses.\nP2: Yes, after six.\n",
                 encoding="utf-8")
    dlg = _dialog(qtbot, settings, f)
    assert dlg.kind == "document"
    assert dlg.workshop_edit.text() == "BG workshop 1"
    assert dlg.site_edit.text() == "Bowling Green"
    assert "the transcript's header (line 1)" in dlg.hints["workshop"].text()
    assert "the transcript's header (line 2)" in dlg.hints["site"].text()
    # a file naming neither takes its suggestions away, not a value typed
    plain = tmp_path / "plain.txt"
    plain.write_text("P1: Hello.\nP2: Hi.\n", encoding="utf-8")
    dlg.set_path(str(plain))
    assert dlg.workshop_edit.text() == "" and dlg.site_edit.text() == ""
    assert dlg.hints["workshop"].text() == "" and dlg.hints["site"].text() == ""
