"""The report on an organisation's Word template, read back from the .docx: a .dotx template
is used as a .docx one is (QA2: "ValueError … is not a Word file" and a traceback), and a file
that is not Word is refused in one line naming it."""
from __future__ import annotations

import argparse
import zipfile

import docx
import pytest

from exports.report import ReportOptions, write_report
from synth.errors import UserError
from test_report_privacy import study  # noqa: F401 - the fixture

HEADER = "OFFICIAL — Policy Lab"


def _template(folder) -> tuple:
    """org.docx and org.dotx: the same template (a header, Georgia headings, boilerplate),
    the second with Word's template content type, as Word saves one."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = HEADER
    d.styles["Heading 1"].font.name = "Georgia"
    d.add_paragraph("Template boilerplate: delete this text before use.")
    d.save(str(folder / "org.docx"))
    with zipfile.ZipFile(folder / "org.docx") as src, \
            zipfile.ZipFile(folder / "org.dotx", "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml",
                                    b"wordprocessingml.template.main+xml")
            out.writestr(item, data)
    return folder / "org.docx", folder / "org.dotx"


@pytest.fixture
def project(study):
    """The export study (test_report_privacy's)."""
    return study[0]


def test_a_dotx_template_is_used_like_a_docx_one(project, tmp_path):
    as_docx, as_dotx = _template(tmp_path)
    for template in (as_docx, as_dotx):
        out = tmp_path / f"r-{template.suffix[1:]}.docx"
        write_report(project, out, ReportOptions(template=str(template)))
        d = docx.Document(str(out))      # a document, not a template: Word opens it as one
        assert d.sections[0].header.paragraphs[0].text == HEADER
        assert d.styles["Heading 1"].font.name == "Georgia"
        text = [p.text for p in d.paragraphs]
        assert "Introduction" in text
        assert not any("Template boilerplate" in t for t in text)
    with zipfile.ZipFile(tmp_path / "r-dotx.docx") as z:
        assert b"wordprocessingml.document.main+xml" in z.read("[Content_Types].xml")
    assert b"template.main+xml" in zipfile.ZipFile(as_dotx).read("[Content_Types].xml")


@pytest.mark.parametrize("what", ["text", "spreadsheet"])
def test_a_template_that_is_not_word_is_one_line_naming_it(project, tmp_path, what, capsys):
    bad = tmp_path / "org.docx"
    if what == "text":
        bad.write_text("not a document", encoding="utf-8")
    else:
        from openpyxl import Workbook
        Workbook().save(str(tmp_path / "t.xlsx"))
        bad.write_bytes((tmp_path / "t.xlsx").read_bytes())
    with pytest.raises(UserError) as e:
        write_report(project, tmp_path / "r.docx", ReportOptions(template=str(bad)))
    assert str(e.value) == f"{bad}: not a Word document or template (.docx or .dotx); " \
        "choose another template"
    assert not (tmp_path / "r.docx").exists()
    # the report command says it in that one line (main.py prints a UserError, no traceback)
    project.close()
    from exports import cli
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    with pytest.raises(UserError, match="not a Word document or template"):
        cli.main(parser.parse_args([str(tmp_path / "s.synth"), "--template", str(bad),
                                    "--out", str(tmp_path / "r.docx")]))


def test_export_dialog_takes_a_dotx_and_refuses_what_is_not_word(project, tmp_path, qtbot):
    from PySide6.QtCore import Qt
    from ui.export_dialog import ExportDialog
    _as_docx, as_dotx = _template(tmp_path)
    bad = tmp_path / "notes.docx"
    bad.write_text("not a document", encoding="utf-8")
    dlg = ExportDialog(project, str(tmp_path / "out"))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.template_edit.setText(str(bad))
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert dlg.isVisible()
    assert dlg.problem.text() == f"{bad}: not a Word document or template (.docx or .dotx); " \
        "choose another template"
    dlg.template_edit.setText(str(as_dotx))
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert not dlg.isVisible() and dlg.problem.text() == ""
    assert dlg.plan().report.template == str(as_dotx)
