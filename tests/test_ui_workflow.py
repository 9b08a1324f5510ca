"""The window's paths from the board to the rest of the work: cards dragged out of the board
into the recommendations panel, File → Export, Analysis → Find themes. Every check reads the
project file (or the exported file), not only the widgets."""
from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.testing import (_send, bring_into_sight, coding_panel, file_places, file_rows,  # noqa: E402
                        make_project)
from tests.ui_fixtures import needs_model, no_thread_left, settings, window  # noqa: E402,F401


def _panel(window, cls_name: str):
    return coding_panel(window, cls_name)


def _wait_done(qtbot, window, task, timeout: int) -> None:
    """Wait until the window has handled the task's end (its on_done ran and the runner let it
    go), not on a signal: a short task may finish before a waitSignal would be connected."""
    qtbot.waitUntil(lambda: task.state in ("done", "failed", "cancelled")
                    and task not in window.runner.tasks, timeout=timeout)


def _deliver_drop(widget, mime) -> bool:
    """What the platform's drag loop does over a widget: enter, move, drop."""
    target = widget.viewport()
    pos = QPoint(12, 12)
    enter = QDragEnterEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, move)
    drop = QDropEvent(QPointF(pos), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def test_cards_dragged_off_the_board_become_evidence_and_undo_removes_them(window, tmp_path,
                                                                           qtbot):
    """A real mouse drag of two selected cards that leaves the board's viewport starts a QDrag
    carrying application/x-synth-cards. The offscreen platform's drag loop returns at once
    without delivering anything (Qt's OffscreenDrag), so the test stands in for it: it hands
    the QDrag's own QMimeData to the evidence list as drag-enter/move/drop events."""
    from coding.recommendations import AddRecommendation
    from ui.coding import CARDS_MIME, refs_from_mime
    path = make_project(tmp_path / "study.synth", statements=10, notes=4, themes=1)
    bring_into_sight(window, "Recommendations")
    assert window.open_project(path)
    sc, view = window.scene, window.view
    tid = min(sc.themes)
    rid = window.project.history.apply(AddRecommendation(tid, "Keep hybrid working"))
    window.refresh_panels()          # what the window's refresh timer does after a change
    recs = _panel(window, "RecommendationsPanel")
    recs.show_theme(tid)
    assert recs.recommendation_id() == rid
    steps_before = window.undo_stack.count()

    a, b = sc.card_items[("statement", 2)], sc.card_items[("note", 3)]
    view.zoom_to_rect(a.sceneBoundingRect().united(b.sceneBoundingRect()))
    a.setSelected(True)
    b.setSelected(True)
    home = {a: a.pos(), b: b.pos()}
    dropped: list = []

    def platform_drag(drag):
        mime = drag.mimeData()
        dropped.append(refs_from_mime(mime))
        return Qt.CopyAction if _deliver_drop(recs.evidence_list, mime) else Qt.IgnoreAction

    view.exec_drag = platform_drag
    start = a.sceneBoundingRect().center()
    outside = view.mapToScene(view.viewport().rect().right() + 60, 300)
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton,
          Qt.ControlModifier)   # Ctrl keeps the two-card selection on press
    for i in range(1, 9):
        t = i / 8
        p = QPointF(start.x() + (outside.x() - start.x()) * t,
                    start.y() + (outside.y() - start.y()) * t)
        _send(view, QEvent.MouseMove, p, Qt.NoButton, Qt.LeftButton)
        QApplication.processEvents()
        if dropped:
            break
    _send(view, QEvent.MouseButtonRelease, outside, Qt.LeftButton, Qt.NoButton)

    assert len(dropped) == 1, "leaving the board did not start one drag"
    assert sorted(dropped[0]) == [("note", 3), ("statement", 2)]
    assert CARDS_MIME == "application/x-synth-cards"
    rows = file_rows(path, "SELECT item_kind, item_id FROM evidence WHERE recommendation_id = ?",
                     (rid,))
    assert sorted(rows) == [("note", 3), ("statement", 2)]
    assert recs.evidence_list.count() == 2
    # the cards stayed where they were on the board: a drop outside moves nothing
    assert file_places(path) == {}
    assert {i: i.pos() for i in home} == home
    assert sc.mouseGrabberItem() is None
    assert window.undo_stack.count() == steps_before + 1

    window.act_undo.trigger()
    assert file_rows(path, "SELECT item_kind, item_id FROM evidence") == []
    window.refresh_panels()
    assert recs.evidence_list.count() == 0
    window.act_redo.trigger()
    assert len(file_rows(path, "SELECT id FROM evidence")) == 2


def test_a_drag_inside_the_board_still_moves_cards_as_one_step(window, tmp_path):
    from ui.testing import drag
    path = make_project(tmp_path / "study.synth", statements=8, notes=0, themes=1)
    assert window.open_project(path)
    sc, view = window.scene, window.view
    tid = min(sc.themes)
    started: list = []
    view.exec_drag = lambda d: started.append(d) or Qt.IgnoreAction
    card = sc.card_items[("statement", 1)]
    view.zoom_to_rect(card.sceneBoundingRect().united(sc.frame_rect(tid)))
    drag(view, card.sceneBoundingRect().center(), sc.frame_rect(tid).center())
    assert not started
    assert file_places(path) == {("statement", 1): tid}
    assert window.undo_stack.count() == 1


def test_cards_dragged_out_and_back_onto_a_theme_move_there(window, tmp_path):
    """Leaving the board by mistake is not a lost drag: the same MIME dropped back on a frame
    moves the cards as one step."""
    from ui.coding import cards_mime
    path = make_project(tmp_path / "study.synth", statements=8, notes=2, themes=1)
    assert window.open_project(path)
    sc, view = window.scene, window.view
    tid = min(sc.themes)
    view.zoom_to_rect(sc.frame_rect(tid))
    pos = view.mapFromScene(sc.frame_rect(tid).center())
    mime = cards_mime([("statement", 4), ("note", 2)])
    target = view.viewport()
    enter = QDragEnterEvent(pos, Qt.CopyAction | Qt.MoveAction, mime, Qt.LeftButton,
                            Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(pos, Qt.CopyAction | Qt.MoveAction, mime, Qt.LeftButton,
                          Qt.NoModifier)
    QApplication.sendEvent(target, move)
    assert move.isAccepted()
    drop = QDropEvent(QPointF(pos), Qt.CopyAction | Qt.MoveAction, mime, Qt.LeftButton,
                      Qt.NoModifier)
    QApplication.sendEvent(target, drop)
    assert file_places(path) == {("statement", 4): tid, ("note", 2): tid}
    assert window.undo_stack.count() == 1
    window.act_undo.trigger()
    assert file_places(path) == {}


def _docx_text(path) -> str:
    import docx
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_export_dialog_redacts_then_writes_the_report_with_figures(window, tmp_path, qtbot):
    import docx
    from coding.evidence import LinkEvidence
    from coding.quotes import MarkQuote
    from synth.project import Project
    path = make_project(tmp_path / "study.synth", statements=30, notes=9, themes=2,
                        placed=0.7)
    with Project.open(path) as p:   # a workshop note that names someone and gives a number
        with p.transaction() as db:
            db.execute("UPDATE notes SET text = ? WHERE id = 1",
                       ("Hybrid work helps, ask Sarah Jones on 07700 900123 about the pilot",))
        tid = min(r[0] for r in p.query("SELECT id FROM themes"))
        qid = p.history.apply(MarkQuote("note", 1))
        p.history.apply(LinkEvidence([("quote", qid)], theme_id=tid, role="shared"))
    assert window.open_project(path)
    out = tmp_path / "out"

    window.act_export.trigger()
    dlg = window.export_dlg
    qtbot.waitExposed(dlg)
    found = [dlg.findings.item(i).text() for i in range(dlg.findings.count())]
    assert any("Sarah Jones" in f for f in found) and any("07700" in f for f in found)
    dlg.folder_edit.setText(str(out))
    dlg.stem_edit.setText("hybrid-report")
    dlg.part_boxes["traceability"].setChecked(False)
    dlg.xlsx_box.setChecked(True)
    dlg.board_box.setChecked(True)
    dlg.board_format.setCurrentIndex(dlg.board_format.findData("svg"))
    dlg.small_n_box.setCurrentIndex(dlg.small_n_box.findData("suppress"))
    grab = dlg.grab()
    assert not grab.isNull() and grab.width() > 300
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert not dlg.isVisible()
    task = window.runner.tasks[0]
    assert window.cancel_button.isVisible()      # progress shown in the status bar
    _wait_done(qtbot, window, task, 20000)
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=5000)
    assert task.state == "done", window.notify.messages

    report = out / "hybrid-report.docx"
    assert report.exists() and (out / "hybrid-report-tables.xlsx").exists()
    assert (out / "hybrid-report-board.svg").exists()
    level, message = window.notify.messages[-1]
    assert level == "info" and str(out) in message
    assert window.notify.action_button.isVisible()
    assert window.notify.action_button.text() == "Open folder"

    d = docx.Document(str(report))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Themes at a glance" in headings
    assert not any("where every figure" in h.lower() or "traceability" in h.lower()
                   for h in headings)      # the part left out is out
    assert len(d.inline_shapes) >= 1          # a chart, with its alt text
    assert any(el.get("descr") for el in d.element.body.iter()
               if el.tag.endswith("}docPr"))
    text = _docx_text(report)
    assert "Sarah Jones" not in text and "07700 900123" not in text
    assert "[name]" in text

    # the redactions are in the project, as one undoable step
    import json
    (red,) = file_rows(path, "SELECT redactions FROM quotes WHERE id = ?", (qid,))
    assert len(json.loads(red[0])) == 2
    assert file_rows(path, "SELECT value FROM settings WHERE key = 'small_n_action'") == \
        [('"suppress"',)]
    window.act_undo.trigger()
    (red,) = file_rows(path, "SELECT redactions FROM quotes WHERE id = ?", (qid,))
    assert json.loads(red[0] or "[]") == []


def test_a_reading_task_has_its_own_connection_and_the_board_stays_editable(window, tmp_path,
                                                                            qtbot):
    from ui.tasks import task_connection
    path = make_project(tmp_path / "study.synth", statements=6, notes=0, themes=1)
    assert window.open_project(path)
    tid = min(window.scene.themes)
    started, release = threading.Event(), threading.Event()
    seen: dict = {}

    def work(progress, cancelled):
        with task_connection(window.project) as own:
            seen["separate"] = own.db is not window.project.db and not own.history.listeners
            started.set()
            release.wait(5)
            # WAL: this connection sees what the window committed meanwhile
            return own.scalar("SELECT count(*) FROM card_places")

    task = window.runner.run("Reading", work, blocks_edits=False)
    assert started.wait(5)
    window.scene.move_cards([("statement", 1)], tid)     # the window writes while it reads
    assert file_places(path) == {("statement", 1): tid}
    release.set()
    qtbot.waitUntil(lambda: task.state in ("done", "failed", "cancelled"), timeout=5000)
    assert task.state == "done" and seen["separate"], (task.state, window.notify.messages)
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=2000)
    assert window.undo_stack.count() == 1


TOPICS = [
    ["My laptop takes ten minutes to start", "The VPN drops every afternoon",
     "We need screens and docking stations at home", "IT tickets go unanswered for weeks",
     "Teams crashes during every big call"],
    ["Pay has fallen behind inflation for years", "Our salaries are lower than the private sector",
     "Pay progression within a grade is frozen", "Bonuses are tiny and unfair",
     "I cannot afford rent on this salary"],
    ["My line manager never has time for one-to-ones", "Managers need training to lead people",
     "Promotion depends on who your manager knows", "Career conversations happen once a year",
     "Good managers make all the difference to a team"],
]


def _give_topics(path) -> None:
    """Texts with real topics (IT, pay, management): word salad has no themes to find, and
    theme discovery rightly says so."""
    import sqlite3
    db = sqlite3.connect(path)
    for table in ("statements", "notes"):
        ids = [r[0] for r in db.execute(f"SELECT id FROM {table} ORDER BY id")]
        for i, row_id in enumerate(ids):
            topic = TOPICS[i % 3]
            text = f"{topic[i % 5]} ({table[:-1]} {i})"
            db.execute(f"UPDATE {table} SET text = ? WHERE id = ?", (text, row_id))
    db.commit()
    db.close()


@needs_model
def test_find_themes_in_the_background_then_accept_rename_dissolve_and_undo(window, tmp_path,
                                                                           qtbot):
    path = make_project(tmp_path / "study.synth", statements=40, notes=20, themes=0)
    _give_topics(path)
    assert window.open_project(path)
    window.act_themes.trigger()
    task = window.runner.tasks[0]
    assert window.cancel_button.isVisible()
    _wait_done(qtbot, window, task, 30000)
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=5000)
    assert task.state == "done", window.notify.messages
    rows = file_rows(path, "SELECT id, name, status FROM themes ORDER BY id")
    assert len(rows) >= 2 and {r[2] for r in rows} == {"candidate"}
    assert len(file_places(path)) > 0
    sc, c = window.scene, window.controller
    assert set(sc.themes) == {r[0] for r in rows}
    assert all(sc.frames[r[0]].is_candidate for r in rows)
    # the discovery is one step on the window's undo stack
    assert window.undo_stack.count() == 1

    a, b = rows[0][0], rows[1][0]
    c.accept_candidates([a])
    assert window.undo_stack.undoText() == "Accept 1 candidate theme"     # not "theme(s)"
    c.rename_theme(a, "Commuting and pay")
    c.dissolve_theme(b)
    assert file_rows(path, "SELECT name, status FROM themes WHERE id = ?", (a,)) == \
        [("Commuting and pay", "accepted")]
    assert not file_rows(path, "SELECT 1 FROM themes WHERE id = ?", (b,))

    # more like this now comes from the embeddings the discovery computed; the name the
    # researcher gave the theme reads for it too, embedded first on a worker
    assert c.more_like_this(a) == 0
    assert window.notify.messages[-1][1] == "Reading the theme's name with the embedding model…"
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=30000)
    assert c.suggestion_source == "embeddings"
    assert sc.ghosts.get(a)
    assert all(g.score is not None and 0.3 <= g.score <= 1 for g in sc.ghosts[a])

    # split a theme by similarity: sub-themes inside it, one more undo step
    big = max((r[0] for r in rows if r[0] != b), key=lambda t: len(sc.members()[t]))
    split = window.split_theme_by_similarity(big)
    _wait_done(qtbot, window, split, 30000)
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=5000)
    assert split.state == "done", window.notify.messages
    subs = file_rows(path, "SELECT id FROM themes WHERE parent_id = ?", (big,))
    assert len(subs) >= 2
    assert all(sc.frame_rect(big).contains(sc.frame_rect(s)) for (s,) in subs)

    for _ in range(window.undo_stack.count()):
        window.act_undo.trigger()
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]
    assert file_places(path) == {}


@needs_model
def test_find_themes_can_be_cancelled(window, tmp_path, qtbot):
    path = make_project(tmp_path / "study.synth", statements=400, notes=0, themes=0)
    assert window.open_project(path)
    window.act_themes.trigger()
    task = window.runner.tasks[0]
    with qtbot.waitSignal(task.finished, timeout=30000):
        window.cancel_button.click()
    assert task.state == "cancelled", window.notify.messages
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]
    assert any("cancelled" in m for _, m in window.notify.messages)
