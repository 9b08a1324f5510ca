"""The Segments panel sits in the window beside
Votes, follows the statement chosen in the Votes table, defines a segment as one undo step
(Ctrl+Z in the window takes it back), and the report has a Segments chapter."""
from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


def _rows(panel):
    t = panel.figures
    return {t.item(r, 0).text(): t.item(r, 4).text() for r in range(t.rowCount())}


def test_segments_panel_in_the_window(qtbot, window, sample_project_file, tmp_path):
    from ui.testing import bring_into_sight
    path = tmp_path / "s.synth"
    shutil.copy(sample_project_file, path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready)
    bring_into_sight(window, "Segments")
    panel = window.segments_panel
    panel.sections.setCurrentIndex(1)
    panel.form.how.setCurrentIndex(1)
    qtbot.keyClicks(panel.form.rule_edit, "disability=Yes")
    panel.form.name_edit.setText("Disabled")
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert window.undo_stack.undoText() == "Define segment “Disabled”"
    assert window.project.scalar("SELECT count(*) FROM segments") == 1
    bring_into_sight(window, "Votes")
    votes = window.votes_panel
    qtbot.waitUntil(lambda: votes.model.rowCount() > 200)
    row = next(r for r in range(votes.model.rowCount()) if votes.model.statement_id(r) == 240)
    index = votes.model.index(row, 0)
    votes.table.scrollTo(index)
    qtbot.mouseClick(votes.table.viewport(), Qt.LeftButton,
                     pos=votes.table.visualRect(index).center())
    bring_into_sight(window, "Segments")
    qtbot.waitUntil(lambda: panel.figures.rowCount() == 2)
    assert _rows(panel) == {"Everyone": "88", "Disabled": "14"}
    # a statement picked from where the segment differs: the Votes panel follows
    panel.list.selectRow(0)
    qtbot.waitUntil(lambda: panel.differs.count() >= 3)
    item = panel.differs.item(1)
    qtbot.mouseClick(panel.differs.viewport(), Qt.LeftButton,
                     pos=panel.differs.visualItemRect(item).center())
    assert votes._chosen == item.data(Qt.UserRole) != 240
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.list.rowCount() == 0)
    assert window.project.scalar("SELECT count(*) FROM segments") == 0


def test_the_report_has_a_segments_chapter(sample_project, tmp_path):
    from docx import Document

    from exports.report import write_report
    from synth.votes.segments import DefineSegment, parse_rule
    sample_project.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    result = write_report(sample_project, tmp_path / "r.docx")
    assert (1, "Segments") in result.headings and (2, "Disabled") in result.headings
    i = result.headings.index((1, "Segments"))
    assert result.headings[i - 1][1].startswith("Where the groups")   # after the groups
    text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "— Disabled 86%" in text and "everyone else 49%" in text
