"""The export dialog lists the personal data in the notes and passages the report prints as
examples, not only in the quotes (QA 40): each with where it is and what the report prints of
it, which follows the "Strip personal data" box — and the report prints what the dialog said."""
from __future__ import annotations

import docx
import pytest
from PySide6.QtCore import QPoint, Qt

from export_study import build_study
from tests.ui_fixtures import no_thread_left  # noqa: F401

NOTE = "No commute = 2 extra hours, ask Sarah Jones or write to sarah.jones@example.org"


@pytest.fixture
def study(tmp_path):
    """The export study; note 1 (printed under theme 1's "want to see") names someone and
    gives an e-mail address, and passage 3, linked to theme 2 as what participants shared,
    names a doctor."""
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=30)
    with project.transaction() as db:
        db.execute("UPDATE notes SET text = ? WHERE id = 1", (NOTE,))
        doc, start = db.execute("SELECT document_id, start FROM passages WHERE id = 3").fetchone()
        text = db.execute("SELECT text FROM documents WHERE id = ?", (doc,)).fetchone()[0]
        assert text[start:start + 10] == "My manager"      # the same length: places hold
        db.execute("UPDATE documents SET text = ? WHERE id = ?",
                   (text[:start] + "Dr Okonkwo" + text[start + 10:], doc))
        db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                   "(?, 'passage', 3, 'shared')", (ids["themes"]["management"],))
    yield project, tmp_path
    project.close()


def _rows(widget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def _report(project, path, strip: bool) -> str:
    from exports.report import ReportOptions, write_report
    write_report(project, path, ReportOptions(strip_personal_data=strip, charts=False))
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _click_check(qtbot, widget, row: int) -> None:
    rect = widget.visualItemRect(widget.item(row))
    qtbot.mouseClick(widget.viewport(), Qt.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.top() + rect.height() // 2))


def test_the_dialog_lists_the_printed_notes_personal_data(study, qtbot):
    from coding.redaction import ConfirmRedaction
    from ui.export_dialog import ExportDialog
    project, tmp = study
    dlg = ExportDialog(project, str(tmp / "out"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert not dlg.strip_box.isChecked()
    assert dlg.printed.isVisible() and dlg.printed.count() == 3
    rows = _rows(dlg.printed)
    assert rows[0] == ("name “Sarah Jones” → printed as it is: tick “Strip personal data from "
                       "every file” to mask it\n   in note 1 (Manchester co-design participant), "
                       "printed in theme 1 “Hybrid working”: what participants want to see: "
                       "No commute = 2 extra hours, ask [Sarah Jones] or write to "
                       "sarah.jones@example.org")
    assert rows[1].startswith("email “sarah.jones@example.org” → masked ([e-mail address])\n"
                              "   in note 1 ")
    # passage 3 is quoted too: the quote's finding, ticked, redacts it wherever it is printed
    assert dlg.confirmed_redactions() == [(2, 0, 10, "[name]")]
    assert rows[2].startswith("name “Dr Okonkwo” → masked ([name]): ticked in a quote of it "
                              "above\n   in passage 3 of “manchester_table” (Manchester co-design "
                              "participant), printed in theme 2 “Management and trust”: what "
                              "participants shared: [Dr Okonkwo] still counts")
    assert dlg.printed_label.text().endswith("1 would be printed as it is.")
    assert not dlg.printed.item(0).flags() & Qt.ItemIsUserCheckable   # the box masks them
    dlg.grab().save(str(tmp / "printed.png"))

    _click_check(qtbot, dlg.findings, 0)        # Dr Okonkwo is not to be redacted after all
    assert dlg.confirmed_redactions() == []
    assert _rows(dlg.printed)[2].startswith("name “Dr Okonkwo” → printed as it is")
    assert dlg.printed_label.text().endswith("2 would be printed as they are.")
    kept = _report(project, tmp / "kept.docx", strip=False)     # as the dialog says
    assert "Sarah Jones" in kept and "Dr Okonkwo" in kept and "sarah.jones@" not in kept

    qtbot.mouseClick(dlg.strip_box, Qt.LeftButton, pos=QPoint(8, dlg.strip_box.height() // 2))
    assert dlg.strip_box.isChecked()
    rows = _rows(dlg.printed)
    assert rows[0].startswith("name “Sarah Jones” → masked ([name]): personal data is "
                              "stripped\n   in note 1 ")
    assert rows[2].startswith("name “Dr Okonkwo” → masked ([name]): personal data is stripped")
    assert dlg.printed_label.text().endswith("None would be printed.")
    stripped = _report(project, tmp / "stripped.docx", strip=True)
    assert "Sarah Jones" not in stripped and "Dr Okonkwo" not in stripped
    assert "ask [name] or write to [e-mail address]" in stripped

    # not stripping, the quote's redaction alone hides the doctor, as the dialog said
    qtbot.mouseClick(dlg.strip_box, Qt.LeftButton, pos=QPoint(8, dlg.strip_box.height() // 2))
    _click_check(qtbot, dlg.findings, 0)
    assert "ticked in a quote of it above" in _rows(dlg.printed)[2]
    for q, a, b, r in dlg.confirmed_redactions():   # as the window applies them
        project.history.apply(ConfirmRedaction(q, a, b, r))
    redacted = _report(project, tmp / "redacted.docx", strip=False)
    assert "Dr Okonkwo" not in redacted and "Sarah Jones" in redacted


def test_a_name_redacted_in_a_quote_of_the_note_is_listed_as_masked(study, qtbot):
    import json

    from coding.quotes import MarkQuote
    from ui.export_dialog import ExportDialog
    project, tmp = study
    q = project.history.apply(MarkQuote("note", 1))
    at = NOTE.index("Sarah Jones")
    with project.transaction() as db:
        db.execute("UPDATE quotes SET redactions = ? WHERE id = ?",
                   (json.dumps([[at, at + len("Sarah Jones"), "[name]"]]), q))
    dlg = ExportDialog(project, str(tmp / "out"))
    qtbot.addWidget(dlg)
    found = {r.split(" → ")[0]: r.split(" → ")[1].split("\n")[0] for r in _rows(dlg.printed)}
    assert found["name “Sarah Jones”"] == "masked ([name])"
    assert not any(r.startswith("name “Sarah Jones”") for r in _rows(dlg.findings))  # confirmed
    assert dlg.printed_label.text().endswith("None would be printed.")


def test_over_a_big_project_the_printed_items_are_read_on_the_windows_reader(study, qtbot):
    """Review: the dialog read every printed note and passage on the GUI thread as it opened
    (1.8 s on a 120,000-card board); with the window's reader it lists them when they come."""
    from exports.content import printed_item_findings
    from ui.export_dialog import ExportDialog
    project, tmp = study
    asked = []

    def background(read, on_done):          # a reader that answers later, as a worker does
        asked.append((read, on_done))
        return True
    dlg = ExportDialog(project, str(tmp / "out"), background=background)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.printed_label.text().startswith("Reading the notes and passages")
    assert not dlg.printed.isVisible() and [a[0] for a in asked] == [printed_item_findings]
    read, on_done = asked[0]
    on_done(read(project))
    assert dlg.printed.isVisible() and dlg.printed.count() == 3
    assert dlg.printed_label.text().endswith("1 would be printed as it is.")
