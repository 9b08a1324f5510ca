"""The codebook's columns say what they count, and fit: QA read "Coded 0" beside a code holding
six cards on the board as "used nowhere", and the Cards column was cut off at the dock's width."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

from synth.board import CreateTheme
from synth.project import Project
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.testing import bring_into_sight, coding_panel, make_project, settle


def test_the_columns_name_what_they_count_and_are_not_cut_off(window, qtbot, tmp_path):
    path = make_project(tmp_path / "c.synth", statements=12, notes=0, themes=0)
    with Project.open(path) as p:
        tid = p.history.apply(CreateTheme("Opioid treatment and drug court",
                                          cards=[("statement", i) for i in range(1, 7)]))
    assert window.open_project(path)
    settle(qtbot, window)
    panel = coding_panel(window, "CodebookPanel")
    bring_into_sight(window, "Codebook")
    panel.refresh()
    QApplication.processEvents()
    tree = panel.tree
    head = tree.headerItem()
    names = [head.text(c) for c in range(tree.columnCount())]
    # on two lines: the codes' names keep room beside the counts in a narrow dock
    assert names == ["Code", "Passages\ncoded", "Cards on\nboard", "Evidence"]
    assert "coded with it" in head.toolTip(1) and "on the board" in head.toolTip(2)
    item = panel.item_for(tid)
    assert [item.text(c) for c in range(4)] == ["Opioid treatment and drug court", "0", "6", "0"]
    # every count column is at least as wide as its header's words: none cut off
    header = tree.header()
    metrics = header.fontMetrics()
    for col in (1, 2, 3):
        widest = max(metrics.horizontalAdvance(line) for line in names[col].split("\n"))
        assert header.sectionSize(col) >= widest, names[col]
    assert header.height() >= 2 * metrics.height()      # both lines of the header in sight
    right = sum(header.sectionSize(c) for c in range(4))
    assert right <= tree.viewport().width() + 1      # the last column is inside the view
    assert tree.grab().save(str(tmp_path / "codebook.png"))
