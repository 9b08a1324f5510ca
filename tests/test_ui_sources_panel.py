"""The Sources panel says what each import brought (QA 43): a Word transcript was labelled
"Workshop notes", and its warnings and counts were cut at 200 pixels with 600 to spare."""
from __future__ import annotations

import json

from PySide6.QtWidgets import QWidget

from tests.ui_fixtures import no_thread_left  # noqa: F401

WARNING = ("1 participant not found in the debate: added as participants without votes, "
           "which the report counts apart")


def test_a_transcript_is_labelled_as_one_and_warnings_and_counts_read_whole(qtbot, tmp_path):
    from synth.importers.documents import import_document
    from synth.project import Project
    from ui.panels.sources import SourcesPanel
    from ui.testing import make_project
    path = make_project(tmp_path / "s.synth", statements=39, notes=1, themes=0)
    transcript = tmp_path / "lambeth_table2.txt"
    transcript.write_text("Facilitator: What would make panels worth your time?\n"
                          "Young person 1: Being paid, and being listened to.\n"
                          "Young person 2: Meeting after school.\n", encoding="utf-8")
    with Project.open(path) as p:
        import_document(p, transcript, site="Lambeth", workshop="Lambeth co-design workshop")
        with p.transaction() as db:      # an import that warned (as characteristics do)
            db.execute("UPDATE sources SET details = ? WHERE id = 1",
                       (json.dumps({"import": {"warnings": [WARNING]}}),))
        panel = SourcesPanel(lambda: p)
        qtbot.addWidget(panel)
        panel.resize(900, 500)
        QWidget.show(panel)
        qtbot.waitExposed(panel)
        panel.show(SourcesPanel.read(p))
    tree = panel.tree
    rows = {tree.topLevelItem(i).text(0): tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())}
    doc = rows["lambeth_table2"]
    assert doc.child(0).text(0) == "Workshop transcript"
    assert doc.text(1) == "1 document, 3 passages"
    assert rows["Workshop notes"].text(1) == "1 note"
    assert rows["Workshop notes"].child(0).text(0) == "Workshop notes"
    debate = rows["Debate statements"]
    assert debate.text(1) == "39 statements"
    warning = debate.child(1)
    assert warning.text(0) == f"⚠ {WARNING}" and warning.isFirstColumnSpanned()
    # the whole warning and the whole count fit the panel's width: nothing cut off
    fm = tree.fontMetrics()
    assert tree.visualItemRect(warning).width() >= fm.horizontalAdvance(warning.text(0))
    assert tree.columnWidth(1) >= fm.horizontalAdvance("1 document, 3 passages")
    panel.grab().save(str(tmp_path / "sources.png"))
