"""The Import dialog shows what a transcript will become before it is imported: its passages
with their speakers, every line that makes none with the reason, and whether it is an interview."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from tests.test_import_transcripts_split import make_docx  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import file_rows, pixel_variety  # noqa: E402


def rows(dlg):
    t = dlg.preview
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def open_dialog(qtbot, settings, path, text=None, parent=None):
    """The Import dialog on this file (written first with text, if given), closed by qtbot."""
    from ui.import_dialog import ImportDialog
    if text is not None:
        path.write_text(text, encoding="utf-8")
    dlg = ImportDialog(settings, parent, str(path))
    qtbot.addWidget(dlg)
    return dlg


@pytest.fixture
def interview_docx(tmp_path):
    return make_docx(tmp_path / "leeds_interview.docx", [
        "Date: 3 March 2025",
        "Organiser: DfE",
        "Interviewer: Thanks for joining. How has hybrid working been?",
        "[00:01:10] P4: Honestly, great for my family.",
        "Interviewer: And the downsides?",
        [["P4", "Isolation. Nobody checks in."]],
        "P4 (00:04:12): I also think the office needs quiet rooms."],
        heading="Leeds interview, participant 4")


def test_docx_preview_shows_turns_speakers_and_lines_left_out(qtbot, settings, interview_docx,
                                                              tmp_path):
    dlg = open_dialog(qtbot, settings, interview_docx)
    dlg.resize(900, 640)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.kind == "document"
    assert dlg.preview_summary.text() == (
        "5 passages, one per speaker turn, by 2 speakers (turns: Interviewer 2, P4 3). "
        "3 lines will make no passage (shown below with the reason).")
    assert rows(dlg) == [
        ("paragraph 1", "(no passage)",
         "Leeds interview, participant 4 — before the first speaker turn (a title or note)"),
        ("paragraph 2", "(no passage)", "Date: 3 March 2025 — header line (“Date:”)"),
        ("paragraph 3", "(no passage)", "Organiser: DfE — taken as a header line: “Organiser” "
                                        "speaks once, before the conversation starts"),
        ("paragraph 4", "Interviewer", "Thanks for joining. How has hybrid working been?"),
        ("paragraph 5", "P4", "Honestly, great for my family."),
        ("paragraph 6", "Interviewer", "And the downsides?"),
        ("table 1, row 1", "P4", "Isolation. Nobody checks in."),
        ("paragraph 7", "P4", "I also think the office needs quiet rooms.")]
    # a line that may be someone's words is said in red, above the table and in its row
    assert dlg.problem_label.text().startswith("1 line that may be someone's words will "
                                               "make no passage: leeds_interview.docx, "
                                               "paragraph 3: “Organiser: DfE”")
    assert dlg.preview.item(2, 2).foreground().color() == QColor("#8a1c1c")
    # an Interviewer among the speakers suggests an interview; the researcher can change it
    assert dlg.source_kind_box.isVisibleTo(dlg)
    assert dlg.source_kind_box.currentData() == "interview"
    image = dlg.grab().toImage()
    assert pixel_variety(image) > 20        # not blank
    assert dlg.grab().save(str(tmp_path / "import_preview.png"))
    dlg.source_kind_box.setFocus()
    qtbot.keyClick(dlg.source_kind_box, Qt.Key_Up)
    assert dlg.options()["source_kind"] == "workshop"
    qtbot.keyClick(dlg.source_kind_box, Qt.Key_Down)
    dlg.site_edit.setText("Leeds")
    assert dlg.options() == {"kind": "document", "source_kind": "interview", "site": "Leeds"}
    # other kinds have no transcript choice
    dlg.kind_box.setCurrentIndex(dlg.kind_box.findData("notes"))
    assert not dlg.source_kind_box.isVisibleTo(dlg)
    assert "source_kind" not in dlg.options()


def test_dialog_choice_imports_an_interview_in_the_window(window, settings, interview_docx,
                                                          tmp_path, qtbot):
    window.new_project(tmp_path / "new.synth")
    dlg = open_dialog(qtbot, settings, interview_docx, parent=window)
    task = window.import_path(dlg.path, **dlg.options())
    qtbot.waitUntil(lambda: task.state == "done", timeout=10000)
    path = window.project.path
    assert file_rows(path, "SELECT kind, site FROM sources") == [("interview", "")]
    assert file_rows(path, "SELECT speaker FROM passages ORDER BY start") == [
        ("Interviewer",), ("P4",), ("Interviewer",), ("P4",), ("P4",)]


def test_txt_preview_gives_a_time_stamped_turn_to_its_speaker(qtbot, settings, tmp_path):
    dlg = open_dialog(qtbot, settings, tmp_path / "t.txt",
                      "P4: Isolation is hard.\nP5: Agreed.\n[00:04:12] P4: I changed my mind.\n"
                      "P5: OK.\n")
    assert [r[1:] for r in rows(dlg)] == [("P4", "Isolation is hard."), ("P5", "Agreed."),
                                          ("P4", "I changed my mind."), ("P5", "OK.")]
    assert [r[0] for r in rows(dlg)] == ["line 1", "line 2", "line 3", "line 4"]
    assert dlg.source_kind_box.currentData() == "workshop"
    assert dlg.problem_label.text() == ""


def test_a_table_missing_its_required_column_cannot_be_imported_until_one_is_chosen(
        qtbot, settings, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    # remembered for "Note,site"; the same headers in another case share the memory, but not
    # the column the text was in
    settings.set_column_mapping("notes", ["Note", "site"], {"text": "Note", "site": "site"})
    dlg = open_dialog(qtbot, settings, tmp_path / "leeds_notes.csv",
                      "note,site\nMore quiet rooms,Leeds\n")
    ok = dlg.buttons.button(QDialogButtonBox.Ok)
    assert dlg.kind == "notes"
    assert dlg.mapping() == {"site": "site"}
    assert dlg.problem_label.text() == "Choose a column for: Note text"
    assert not ok.isEnabled()
    box = dlg.mapping_boxes["text"]
    box.setCurrentIndex(box.findData("note"))
    assert dlg.mapping() == {"text": "note", "site": "site"}
    assert dlg.problem_label.text() == ""
    assert ok.isEnabled()
