"""The coding panels by keyboard alone: Tab walks out of every multi-line field (it used to be
typed into the text and saved), blanks alone are stored as nothing, and "Remove selected
evidence" removes only what is selected in the list it sits under."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton  # noqa: E402

from synth.board import CreateTheme  # noqa: E402

from coding.codebook import memos  # noqa: E402
from coding.evidence import LinkEvidence, evidence  # noqa: E402
from coding.recommendations import AddRecommendation  # noqa: E402
from tests.coding_study import build  # noqa: E402
from ui.coding import CodebookPanel, RecommendationsPanel  # noqa: E402


def _shown(qtbot, panel):
    qtbot.addWidget(panel)
    panel.resize(700, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    QApplication.processEvents()
    return panel


def _type_then_tab(qtbot, edit, text: str):
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Tab)
    QApplication.processEvents()


def test_tab_leaves_the_codes_description_and_memo(qtbot, project, tmp_path):
    build(project, tmp_path)
    tid = project.history.apply(CreateTheme("Commute", colour="#e15759"))
    panel = _shown(qtbot, CodebookPanel(lambda: project))
    panel.tree.setCurrentItem(panel.item_for(tid))

    _type_then_tab(qtbot, panel.description_edit, "Time and money")
    assert not panel.description_edit.hasFocus()
    assert panel.memo_edit.hasFocus()                  # the next field, not a tab character
    assert project.scalar("SELECT description FROM themes WHERE id = ?",
                          (tid,)) == "Time and money"

    for _ in range(3):
        qtbot.keyClick(panel.memo_edit, Qt.Key_Tab)    # walked through: nothing typed
    QApplication.processEvents()
    assert "\t" not in panel.memo_edit.toPlainText()
    assert memos(project, "theme", tid) == []          # no memo made of tabs


def test_blanks_alone_are_stored_as_nothing(qtbot, project, tmp_path):
    build(project, tmp_path)
    tid = project.history.apply(CreateTheme("Commute", description="Old words"))
    panel = _shown(qtbot, CodebookPanel(lambda: project))
    panel.tree.setCurrentItem(panel.item_for(tid))
    panel.description_edit.selectAll()
    _type_then_tab(qtbot, panel.description_edit, "   ")
    assert project.scalar("SELECT description FROM themes WHERE id = ?", (tid,)) == ""
    panel.description_field.load(tid, "")              # a reload shows it empty
    assert panel.description_edit.toPlainText() == ""


def test_tab_walks_through_the_recommendations_panel(qtbot, project, tmp_path):
    build(project, tmp_path)
    tid = project.history.apply(CreateTheme("Commute"))
    rid = project.history.apply(AddRecommendation(tid, "Pay for travel"))
    panel = _shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(tid)
    assert panel.recommendation_id() == rid

    _type_then_tab(qtbot, panel.shared_edit, "Long journeys")
    assert panel.shared_evidence.hasFocus()            # its evidence list comes next
    _type_then_tab(qtbot, panel.want_edit, "\t")       # a tab alone: focus moves, no text
    assert not panel.want_edit.hasFocus()
    _type_then_tab(qtbot, panel.text_edit, "Fund season tickets")
    assert not panel.text_edit.hasFocus()
    row = project.query("SELECT summary_shared, summary_want FROM themes WHERE id = ?",
                        (tid,))[0]
    assert (row[0], row[1]) == ("Long journeys", "")
    assert project.scalar("SELECT text FROM recommendations WHERE id = ?",
                          (rid,)) == "Fund season tickets"
    for e in (panel.shared_edit, panel.want_edit, panel.text_edit):
        assert e.tabChangesFocus()


def test_remove_selected_evidence_removes_only_the_recommendations(qtbot, project, tmp_path):
    """QA: an item selected earlier in "what participants shared" was unlinked too, in the
    same undo step, by the button under the recommendation's evidence."""
    ids = build(project, tmp_path)
    s1, s2, s3 = (("statement", ids["statements"][k]) for k in (1, 2, 3))
    tid = project.history.apply(CreateTheme("Commute"))
    rid = project.history.apply(AddRecommendation(tid, "Pay for travel"))
    project.history.apply(LinkEvidence([s1, s2], theme_id=tid, role="shared"))
    project.history.apply(LinkEvidence([s2, s3], recommendation_id=rid))
    panel = _shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(tid)
    assert (panel.shared_evidence.count(), panel.evidence_list.count()) == (2, 2)

    panel.shared_evidence.item(0).setSelected(True)        # looked at earlier
    panel.evidence_list.item(0).setSelected(True)
    button = next(b for b in panel.findChildren(QPushButton)
                  if b.text() == "Remove selected evidence")
    qtbot.mouseClick(button, Qt.LeftButton)

    def linked(**which):
        return [(e.item_kind, e.item_id) for e in evidence(project, **which)]
    assert linked(theme_id=tid) == [s1, s2]                # the summary's evidence stays
    assert linked(recommendation_id=rid) == [s3]
    assert project.history.done[-1].name == "Remove evidence"
    project.history.undo()                                 # one step puts it back
    assert linked(recommendation_id=rid) == [s2, s3]
    assert linked(theme_id=tid) == [s1, s2]

    # Delete in a summary's list removes that list's selection, by keyboard
    panel.refresh()                                        # no window here to pass the undo on
    panel.evidence_list.item(1).setSelected(True)          # selected, but not where Delete is
    panel.shared_evidence.setFocus()
    panel.shared_evidence.clearSelection()
    panel.shared_evidence.item(1).setSelected(True)
    qtbot.keyClick(panel.shared_evidence, Qt.Key_Delete)
    assert linked(theme_id=tid) == [s1]
    assert linked(recommendation_id=rid) == [s2, s3]


def test_codes_reorder_and_nest_with_alt_arrows(qtbot, project, tmp_path):
    """Moving codes was drag-only: Alt+arrows make the same MoveCode steps."""
    from coding.codebook import codebook
    a, b, c = (project.history.apply(CreateTheme(n)) for n in ("Alpha", "Beta", "Gamma"))
    panel = _shown(qtbot, CodebookPanel(lambda: project))

    def outline():
        return [(x.name, [y.name for y in x.children]) for x in codebook(project)]
    panel.tree.setCurrentItem(panel.item_for(c))
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key_Up, Qt.AltModifier)
    assert outline() == [("Alpha", []), ("Gamma", []), ("Beta", [])]
    qtbot.keyClick(panel.tree, Qt.Key_Right, Qt.AltModifier)     # under the one above
    assert outline() == [("Alpha", ["Gamma"]), ("Beta", [])]
    assert panel.current_id() == c and panel.item_for(c).parent().isExpanded()
    qtbot.keyClick(panel.tree, Qt.Key_Up, Qt.AltModifier)        # first already: stays
    assert outline() == [("Alpha", ["Gamma"]), ("Beta", [])]
    qtbot.keyClick(panel.tree, Qt.Key_Left, Qt.AltModifier)      # out, after its parent
    assert outline() == [("Alpha", []), ("Gamma", []), ("Beta", [])]
    qtbot.keyClick(panel.tree, Qt.Key_Down, Qt.AltModifier)
    assert outline() == [("Alpha", []), ("Beta", []), ("Gamma", [])]
    assert [d.name for d in project.history.done[-4:]] == ["Move code"] * 4
    project.history.undo()
    assert outline() == [("Alpha", []), ("Gamma", []), ("Beta", [])]
    qtbot.keyClick(panel.tree, Qt.Key_Down)                      # plain arrows still walk
    assert panel.current_id() in (a, b, c)
