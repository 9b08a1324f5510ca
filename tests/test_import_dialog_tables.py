"""The Import dialog with a researcher's own tables: pasted paths, a workbook's sheets, a table
it does not recognise, a table saved as text (QA 3, 4, 8, 35)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from synth.importers import import_path  # noqa: E402
from tests.test_import_tables_sheets import _book, _city  # noqa: E402
from tests.ui_fixtures import settings  # noqa: E402,F401

LIKERT = "Statement,Agree,Disagree\nPay panel members,3,1\n"


def _dialog(qtbot, settings, path):
    from ui.import_dialog import ImportDialog
    dlg = ImportDialog(settings, None, str(path))
    qtbot.addWidget(dlg)
    return dlg


def _ok(dlg):
    from PySide6.QtWidgets import QDialogButtonBox
    return dlg.buttons.button(QDialogButtonBox.Ok).isEnabled()


@pytest.mark.parametrize("pasted", ['"{}"', "'{}'", "  {}  ", "file://{}", "file://localhost{}"])
def test_a_pasted_path_in_quotes_as_a_url_or_with_spaces_is_read(qtbot, settings, tmp_path,
                                                                 pasted):
    folder = tmp_path / "my data"
    folder.mkdir()
    f = folder / "tallies.csv"
    f.write_text(LIKERT, encoding="utf-8")
    text = pasted.format(str(f).replace(" ", "%20") if "file:" in pasted else str(f))
    dlg = _dialog(qtbot, settings, "")
    dlg.path_edit.setText(text)
    dlg.path_edit.editingFinished.emit()
    assert dlg.path == str(f)
    assert dlg.kind == "tallies" and _ok(dlg) and dlg.problem_label.text() == ""


def test_a_workbooks_sheet_is_chosen_and_imported(qtbot, settings, project, tmp_path):
    f = _book(tmp_path / "by_city.xlsx", {"README": [["Notes by city"]],
                                          "Lambeth": _city("Lambeth", 3),
                                          "Croydon": _city("Croydon", 2)})
    dlg = _dialog(qtbot, settings, f)
    assert dlg.form.isRowVisible(dlg.sheet_box)
    assert [dlg.sheet_box.itemText(i) for i in range(dlg.sheet_box.count())] == [
        "README", "Lambeth", "Croydon"]
    assert dlg.sheet == "Lambeth" and dlg.kind == "notes" and dlg.preview.rowCount() == 3
    dlg.sheet_box.setCurrentIndex(dlg.sheet_box.findData("Croydon"))
    assert dlg.preview.rowCount() == 2
    assert dlg.preview.item(0, 3).text() == "Croydon note 1"
    opts = dlg.options()
    assert opts["sheet"] == "Croydon"
    import_path(project, dlg.path, **opts)
    assert [r[0] for r in project.query("SELECT text FROM notes ORDER BY id")] == [
        "Croydon note 1", "Croydon note 2"]


def test_a_table_not_recognised_opens_as_notes_with_its_columns_to_choose(qtbot, settings,
                                                                          tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("Ref;Scribble\n1;hello\n", encoding="utf-8")
    dlg = _dialog(qtbot, settings, f)
    assert dlg.kind == "notes"              # not "Pol.is export", the first in the list
    assert not dlg.form.isRowVisible(dlg.source_kind_box)   # "Transcript of:" is a transcript's
    assert "its headers: “Ref”, “Scribble”" in dlg.problem_label.text()
    assert "Choose a column for: Note text" in dlg.problem_label.text()
    assert not _ok(dlg)
    dlg.mapping_boxes["text"].setCurrentIndex(dlg.mapping_boxes["text"].findData("Scribble"))
    assert _ok(dlg) and dlg.options()["mapping"] == {"text": "Scribble"}


def test_excels_unicode_text_is_a_table_and_a_transcript_stays_one(qtbot, settings, project,
                                                                    tmp_path):
    f = tmp_path / "sticky_notes_unicode.txt"
    f.write_bytes(("Note ID\tCity\tSticky note text\tDot votes\r\n"
                   "L-01\tLambeth\tYouth panels\t3\r\nL-02\tLambeth\tNo quotas\t2\r\n"
                   "C-01\tCroydon\tCafé drop-ins\t1\r\n").encode("utf-16"))
    dlg = _dialog(qtbot, settings, f)
    assert dlg.kind == "notes" and dlg.preview.rowCount() == 3
    assert dlg.preview.horizontalHeaderItem(2).text() == "Sticky note text"
    report = import_path(project, f, **dlg.options())[0]
    assert report.counts == {"notes": 3, "sites": 2}
    assert project.scalar("SELECT text FROM notes WHERE external_id = 'C-01'") == "Café drop-ins"
    # a transcript typed "Name<tab>words" is no table
    t = tmp_path / "talk.txt"
    t.write_text("Sam\tWelcome all\nAisha\tThanks\nJordan\tHello\n", encoding="utf-8")
    from synth.importers import detect
    assert detect(t) == "document"
