"""The export dialog's file name (QA 50): "Report: final/v2" wrote into a new subfolder the
message never named (and ":" is refused on Windows); "report.docx" became report.docx.docx."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui_fixtures import no_thread_left  # noqa: F401


def _dialog(qtbot, project, folder):
    from ui.export_dialog import ExportDialog
    dlg = ExportDialog(project, str(folder))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_a_name_with_a_slash_or_a_colon_is_refused_before_export(qtbot, project, tmp_path):
    dlg = _dialog(qtbot, project, tmp_path / "out")
    dlg.stem_edit.setText("Report: final/v2")
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert dlg.isVisible()
    assert dlg.problem.text() == ("The file name cannot hold “:” or “/”: Windows, macOS or "
                                  "Linux would refuse it or make a folder of it. Choose the "
                                  "folder above.")
    dlg.grab().save(str(tmp_path / "refused.png"))
    dlg.stem_edit.setText("Report final v2")
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert not dlg.isVisible() and dlg.problem.text() == ""
    assert dlg.plan().stem == "Report final v2"


def test_a_typed_extension_is_not_added_again(qtbot, project, tmp_path):
    dlg = _dialog(qtbot, project, tmp_path / "out")
    dlg.stem_edit.setText("  report.docx ")
    dlg.xlsx_box.setChecked(True)
    plan = dlg.plan()
    assert plan.stem == "report"
    assert plan.folder == Path(tmp_path / "out")
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert not dlg.isVisible()
    for typed, stem in (("Final.DOCX", "Final"), ("tables.xlsx", "tables"),
                        ("été – v2", "été – v2"), (".docx", ".docx")):
        dlg.stem_edit.setText(typed)
        assert dlg.plan().stem == stem, typed
