"""The coding panels with real keys and drops: code a passage by selecting text and pressing a
shortcut; link evidence by dropping board cards; reorder codes; every change undoable."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton  # noqa: E402

from synth.board import CreateTheme  # noqa: E402

from coding.codebook import codebook  # noqa: E402
from coding.passages import codings  # noqa: E402
from coding.recommendations import AddRecommendation  # noqa: E402
from tests.coding_study import build, dump, recommendations_panel, span  # noqa: E402
from ui.coding import (CARDS_MIME, CodebookPanel, DocumentPanel,  # noqa: E402
                       RecommendationsPanel, cards_mime)


def _not_blank(widget) -> None:
    image = widget.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 3, "the panel drew nothing"


def test_code_a_passage_by_selecting_text_and_pressing_a_shortcut(qtbot, project, tmp_path):
    ids = build(project, tmp_path)
    cost = project.history.apply(CreateTheme("Cost", colour="#e15759"))
    place = project.history.apply(CreateTheme("Place", colour="#59a14f"))
    panel = DocumentPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.coder_edit.setText("ana")
    panel.show_document(ids["document"])
    text = project.scalar("SELECT text FROM documents WHERE id = ?", (ids["document"],))
    phrase = "And the cost."
    start, end = span(text, phrase)
    before = dump(project)

    panel.text.setFocus()
    panel.select_span(start, start)
    for _ in phrase:                                  # select by keyboard, as a person would
        qtbot.keyClick(panel.text, Qt.Key_Right, Qt.ShiftModifier)
    assert panel.selection() == (start, end)
    qtbot.keyClick(panel.text, Qt.Key_1, Qt.ControlModifier)
    (c,) = codings(project)
    assert (c.theme_id, c.start, c.end, c.coder, c.text) == (cost, start, end, "ana", phrase)
    assert panel.highlighted_spans() == [(start, end, "#e15759")]

    qtbot.keyClick(panel.text, Qt.Key_2)              # plain number key: a second code
    assert sorted(x.theme_id for x in codings(project)) == [cost, place]
    _not_blank(panel)

    qtbot.keyClick(panel.text, Qt.Key_Delete)         # un-code the selection (my codings)
    assert codings(project) == []
    for _ in range(3):
        project.history.undo()
    assert dump(project) == before
    panel.refresh()
    assert panel.highlighted_spans() == []


def _drop(widget, mime) -> None:
    target = widget.viewport()
    pos = QPoint(10, 10)
    enter = QDragEnterEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, drop)


def test_drop_board_cards_on_a_recommendation(qtbot, project, tmp_path):
    ids = build(project, tmp_path)
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    panel = recommendations_panel(qtbot, project, theme)
    assert panel.recommendation_id() == rec
    assert panel.rec_list.item(0).text().startswith("1.1")
    before = dump(project)

    mime = cards_mime([("statement", ids["statements"][1]), ("note", ids["notes"]["m1"])])
    assert mime.hasFormat(CARDS_MIME) and CARDS_MIME == "application/x-synth-cards"
    _drop(panel.evidence_list, mime)
    rows = project.query("SELECT item_kind, item_id, position FROM evidence "
                         "WHERE recommendation_id = ? ORDER BY position", (rec,))
    assert [tuple(r) for r in rows] == [("statement", ids["statements"][1], 0),
                                        ("note", ids["notes"]["m1"], 1)]
    labels = [panel.evidence_list.item(i).text() for i in range(panel.evidence_list.count())]
    # the groups are marked as few voted (†: fewer than the threshold, 10), as in Votes
    assert "50 % agree of 10 who voted; Group A 67 %† (n 6) · Group B 25 %† (n 4)" in labels[0]
    assert labels[1].startswith("Note (Manchester)")
    assert "all workshop evidence from one city (Manchester)" in panel.rec_strength.text()
    _not_blank(panel)

    # a drop on the theme's "what participants shared" list cites it there
    _drop(panel.shared_evidence, cards_mime([("note", ids["notes"]["g1"])]))
    assert project.scalar("SELECT role FROM evidence WHERE theme_id = ?", (theme,)) == "shared"
    project.history.undo()
    project.history.undo()
    assert dump(project) == before
    panel.refresh()
    assert panel.evidence_list.count() == 0


def test_codebook_panel_reorders_nests_renames(qtbot, project, tmp_path):
    build(project, tmp_path)
    a, b, c = (project.history.apply(CreateTheme(n)) for n in ("Alpha", "Beta", "Gamma"))
    panel = CodebookPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.resize(500, 400)
    panel.show()
    qtbot.waitExposed(panel)
    before = dump(project)
    tree = panel.tree
    # a drop on Alpha nests Gamma in it; a drop above Alpha puts Beta first
    assert tree.drop_target(panel.item_for(a), QAbstractItemView.OnItem) == (a, 0)
    assert tree.drop_target(panel.item_for(a), QAbstractItemView.AboveItem) == (None, 0)
    tree.moved.emit(c, a, 0)
    tree.moved.emit(b, None, 0)
    assert [(x.name, [y.name for y in x.children]) for x in codebook(project)] == \
        [("Beta", []), ("Alpha", ["Gamma"])]
    assert panel.item_for(c).parent() is panel.item_for(a)
    panel.item_for(b).setText(0, "Beta, renamed")
    assert codebook(project)[0].name == "Beta, renamed"
    path = panel.export_to(tmp_path / "codes.qdc")
    assert path is not None and path.exists()
    _not_blank(panel)
    for _ in range(3):
        project.history.undo()
    assert dump(project) == before


def test_quote_from_the_viewer_and_redact_in_the_quotes_panel(qtbot, project, tmp_path):
    from ui.coding import QuotesPanel
    from coding.quotes import quotes
    ids = build(project, tmp_path)
    doc = ids["document"]
    with project.transaction() as db:     # a transcript turn that names someone
        text = project.scalar("SELECT text FROM documents WHERE id = ?", (doc,))
        new = text.replace("Two hundred quid.", "Ask Sarah Jones, 07700 900123.")
        db.execute("UPDATE documents SET text = ? WHERE id = ?", (new, doc))
    viewer = DocumentPanel(lambda: project)
    qtbot.addWidget(viewer)
    viewer.show_document(doc)
    s, e = span(new, "I bought my own chair. Ask Sarah Jones, 07700 900123.")
    viewer.select_span(s, e)
    before = dump(project)
    qid = viewer.quote_selection()
    (q,) = quotes(project)
    assert q.id == qid and q.text == "I bought my own chair. Ask Sarah Jones, 07700 900123."
    assert q.attribution == "Glasgow co-design participant"

    panel = QuotesPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.show()
    assert [panel.findings.item(i).text() for i in range(panel.findings.count())] == \
        ["name: Sarah Jones", "phone: 07700 900123"]
    panel.confirm_current_finding()               # the name: redacted
    panel.skip_current_finding()                  # the phone number: left as it is
    assert panel.findings.count() == 0
    assert panel.preview.text() == "I bought my own chair. Ask [name], 07700 900123."
    panel.consent.setChecked(False)
    assert not quotes(project)[0].consent
    _not_blank(panel)
    for _ in range(3):
        project.history.undo()
    assert dump(project) == before


def test_codebook_drag_of_several_codes_moves_them_together(qtbot, project, tmp_path):
    """Codes selected together and dropped move together, in the order shown, as one step;
    a code inside another selected code travels with its parent."""
    build(project, tmp_path)
    a, b, c, d = (project.history.apply(CreateTheme(n)) for n in ("A", "B", "C", "D"))
    panel = CodebookPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.show()
    tree = panel.tree
    tree.moved.emit(d, c, 0)                      # D inside C
    before = dump(project)
    steps = len(project.history.done)
    tree.clearSelection()
    for code in (c, b, d):                        # selected out of order, D inside C
        panel.item_for(code).setSelected(True)
    assert tree.dragged_ids() == [b, c]
    # dropped on A: both nested in it, B then C (with D still inside C)
    tree.moves.emit(tree.plan_moves(tree.dragged_ids(), a, 0))
    assert [(x.name, [y.name for y in x.children]) for x in codebook(project)] == [("A", ["B", "C"])]
    assert [y.name for y in codebook(project)[0].children[1].children] == ["D"]
    assert len(project.history.done) == steps + 1
    project.history.undo()
    assert dump(project) == before
    panel.refresh()
    # within one level: A, B, C; B and A dropped below C -> C, A, B
    tree.clearSelection()
    for code in (b, a):
        panel.item_for(code).setSelected(True)
    tree.moves.emit(tree.plan_moves(tree.dragged_ids(), None, 3))
    assert [x.name for x in codebook(project)] == ["C", "A", "B"]


def test_codebook_delete_asks_first_naming_the_work_that_goes(qtbot, project, tmp_path,
                                                              monkeypatch):
    """QA2 #1: the Codebook's Delete took a code's recommendation, its evidence and the dots
    without a question. A code that carries work is deleted only once the researcher, told
    what goes, says Delete; a bare one goes at once."""
    from coding.evidence import LinkEvidence
    from synth.board import CastDots
    from ui.board import asking
    build(project, tmp_path)
    kept = project.history.apply(CreateTheme("Home kit"))
    bare = project.history.apply(CreateTheme("Spare"))
    rec = project.history.apply(AddRecommendation(kept, "Fund home kit"))
    sid = project.scalar("SELECT min(id) FROM statements")
    project.history.apply(LinkEvidence([("statement", sid)], recommendation_id=rec))
    project.history.apply(CastDots(kept, "Amira", 2))
    panel = CodebookPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.show()
    asked: list[str] = []
    answer = {"delete": False}
    monkeypatch.setattr(asking, "ask", lambda parent, text: asked.append(text)
                        or answer["delete"])
    delete = next(b for b in panel.findChildren(QPushButton) if b.text() == "Delete")

    panel.tree.setCurrentItem(panel.item_for(kept))
    qtbot.mouseClick(delete, Qt.LeftButton)
    assert asked == ["Delete “Home kit”? 1 recommendation, 1 piece of evidence and 2 dots "
                     "will be deleted with it. Its cards stay on the board (in the parent "
                     "theme, or unsorted). Ctrl+Z brings everything back."]
    assert project.scalar("SELECT count(*) FROM themes WHERE id = ?", (kept,)) == 1
    assert project.scalar("SELECT count(*) FROM recommendations") == 1
    assert project.scalar("SELECT sum(dots) FROM dot_votes") == 2
    assert panel.message.text() == "Nothing deleted."

    answer["delete"] = True
    panel.tree.setCurrentItem(panel.item_for(kept))
    qtbot.mouseClick(delete, Qt.LeftButton)
    assert len(asked) == 2
    assert project.scalar("SELECT count(*) FROM themes WHERE id = ?", (kept,)) == 0
    assert project.scalar("SELECT count(*) FROM recommendations") == 0
    assert project.scalar("SELECT count(*) FROM dot_votes") == 0

    panel.tree.setCurrentItem(panel.item_for(bare))       # nothing on it: no question
    qtbot.mouseClick(delete, Qt.LeftButton)
    assert len(asked) == 2
    assert project.scalar("SELECT count(*) FROM themes WHERE id = ?", (bare,)) == 0
