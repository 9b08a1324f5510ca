"""What the researcher types in the coding panels is written to the project file by itself:
on switching theme, after a pause in typing, on leaving the field and on closing the window.
Each check reads the file on its own sqlite3 connection, as a crash would leave it."""
from __future__ import annotations

import json
import sqlite3

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402

from coding.recommendations import (AddRecommendation,  # noqa: E402
                                    DeleteRecommendation)
from synth.board import CreateTheme  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.coding import CodebookPanel, RecommendationsPanel  # noqa: E402
from ui.testing import bring_into_sight  # noqa: E402


def on_disk(path, sql: str, params=()):
    con = sqlite3.connect(str(path))
    try:
        row = con.execute(sql, params).fetchone()
        return None if row is None else row[0]
    finally:
        con.close()


def rec_text(path, rid: int) -> str:
    return on_disk(path, "SELECT text FROM recommendations WHERE id = ?", (rid,))


@pytest.fixture
def study(project):
    first = project.history.apply(CreateTheme("Hybrid work"))
    second = project.history.apply(CreateTheme("Equipment"))
    rec = project.history.apply(AddRecommendation(first, "Keep hybrid working", "Old text"))
    return first, second, rec


def shown(qtbot, panel):
    qtbot.addWidget(panel)
    panel.resize(700, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def type_at_end(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key_End, Qt.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_switching_theme_writes_what_was_typed(qtbot, project, study):
    first, second, rec = study
    panel = shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(first)
    assert not [b for b in panel.findChildren(QPushButton) if b.text().startswith("Save")]
    type_at_end(qtbot, panel.text_edit, " and more")
    type_at_end(qtbot, panel.shared_edit, "They liked the train")
    assert rec_text(project.path, rec) == "Old text"          # still typing: not yet written
    panel.theme_box.setCurrentIndex(panel.theme_box.findData(second))
    assert rec_text(project.path, rec) == "Old text and more"
    assert on_disk(project.path, "SELECT summary_shared FROM themes WHERE id = ?",
                   (first,)) == "They liked the train"
    assert panel.text_edit.toPlainText() == "" and not panel.text_edit.isEnabled()
    panel.show_theme(first)
    assert panel.text_edit.toPlainText() == "Old text and more"


def test_a_pause_in_typing_writes_it_as_one_undo_step(qtbot, project, study):
    first, _, rec = study
    panel = shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(first)
    steps = len(project.history.done)
    type_at_end(qtbot, panel.text_edit, ", with desks")
    assert panel.text_field.timer.isActive()
    qtbot.waitUntil(lambda: rec_text(project.path, rec) == "Old text, with desks",
                    timeout=5000)
    assert len(project.history.done) == steps + 1             # the burst is one step
    assert project.history.names()[-1] == "Edit recommendation"

    project.history.undo()
    assert rec_text(project.path, rec) == "Old text"
    panel.refresh()
    assert panel.text_edit.toPlainText() == "Old text"


def test_a_title_pause_after_a_space_keeps_the_space_and_renames_the_list(qtbot, project,
                                                                          study):
    first, _, rec = study
    panel = shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(first)
    panel.title_edit.setFocus()
    panel.title_edit.selectAll()
    qtbot.keyClicks(panel.title_edit, "Pay for chairs ")
    qtbot.waitUntil(lambda: on_disk(project.path, "SELECT title FROM recommendations "
                                    "WHERE id = ?", (rec,)) == "Pay for chairs", timeout=5000)
    panel.refresh()
    assert panel.title_edit.text() == "Pay for chairs "       # the researcher's space stays
    assert panel.rec_list.item(0).text() == "1.1  Pay for chairs"
    qtbot.keyClicks(panel.title_edit, "now")
    qtbot.keyClick(panel.title_edit, Qt.Key_Return)           # editingFinished writes at once
    assert on_disk(project.path, "SELECT title FROM recommendations WHERE id = ?",
                   (rec,)) == "Pay for chairs now"


def test_another_change_writes_the_typing_first_as_its_own_step(qtbot, project, study):
    first, _, rec = study
    panel = shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(first)
    type_at_end(qtbot, panel.text_edit, "!")
    panel.delete_current()                 # a button that did not take the focus
    assert on_disk(project.path, "SELECT COUNT(*) FROM recommendations") == 0
    project.history.undo()
    assert rec_text(project.path, rec) == "Old text!"
    assert project.history.names()[-1] == "Edit recommendation"


def window_with_recommendation(window, path):
    """A window on a new project with one theme and its recommendation, shown in the panel
    (in sight: a panel behind another tab reads nothing until seen)."""
    bring_into_sight(window, "Recommendations")
    assert window.new_project(path)
    theme = window.run_operation(CreateTheme("Hybrid work"))
    rec = window.run_operation(AddRecommendation(theme, "Keep hybrid working", "Old text"))
    window.refresh_panels()
    (panel,) = [p for p in window.coding_panels if isinstance(p, RecommendationsPanel)]
    panel.show_theme(theme)
    assert panel.recommendation_id() == rec
    return panel, rec


def test_closing_the_window_writes_a_pending_edit(qtbot, window, tmp_path):
    path = tmp_path / "study.synth"
    panel, rec = window_with_recommendation(window, path)
    qtbot.keyClicks(panel.text_edit, "Typed just before closing. ")
    assert panel.text_field.dirty
    window.close()
    assert rec_text(path, rec).startswith("Typed just before closing. ")


def test_the_window_undoes_an_autosaved_edit(qtbot, window, tmp_path):
    path = tmp_path / "study.synth"
    panel, rec = window_with_recommendation(window, path)
    type_at_end(qtbot, panel.text_edit, " (edited)")
    panel.text_field.flush()
    assert rec_text(path, rec) == "Old text (edited)"
    assert window.undo_stack.undoText() == "Edit recommendation"
    window.undo_stack.undo()
    assert rec_text(path, rec) == "Old text"
    qtbot.waitUntil(lambda: panel.text_edit.toPlainText() == "Old text", timeout=2000)


def test_edit_undo_while_a_new_title_is_typed_takes_back_the_typing_not_the_recommendation(
        qtbot, window, tmp_path):
    """QA2 #8: Edit → Undo within the autosave pause (the focus still in the title: a native
    menu bar, a script) removed the new recommendation with the typed words, and the field
    then showed "Not done: 'recommendations (1,) does not exist'"."""
    path = tmp_path / "study.synth"
    panel, _ = window_with_recommendation(window, path)
    new = panel.add_recommendation()
    assert window.undo_stack.undoText() == "Add recommendation"
    qtbot.keyClicks(panel.title_edit, "Fund home kit")
    assert panel.title_field.dirty and panel.title_edit.hasFocus()
    window.act_undo.trigger()
    # the typing was written as its own step, and that step is what was undone
    assert on_disk(path, "SELECT title FROM recommendations WHERE id = ?",
                   (new,)) == "New recommendation"
    assert window.undo_stack.redoText() == "Edit recommendation"
    assert panel.message.text() == ""
    qtbot.waitUntil(lambda: panel.title_edit.text() == "New recommendation", timeout=2000)
    window.act_redo.trigger()
    assert on_disk(path, "SELECT title FROM recommendations WHERE id = ?",
                   (new,)) == "Fund home kit"
    qtbot.waitUntil(lambda: panel.title_edit.text() == "Fund home kit", timeout=2000)
    window.act_undo.trigger()
    window.act_undo.trigger()                       # then the recommendation itself
    assert on_disk(path, "SELECT count(*) FROM recommendations WHERE id = ?", (new,)) == 0
    assert panel.message.text() == ""


def test_words_typed_for_a_recommendation_deleted_meanwhile_are_refused_in_words(
        qtbot, project, study):
    first, _, rec = study
    panel = shown(qtbot, RecommendationsPanel(lambda: project))
    panel.show_theme(first)
    type_at_end(qtbot, panel.title_edit, " everywhere")
    project.history.apply(DeleteRecommendation(rec))          # elsewhere, without the panel
    panel.title_field.flush()
    assert panel.message.text() == ("Not done: the recommendation no longer exists (undone "
                                    "or deleted meanwhile).")


def test_codebook_description_and_memo_write_themselves(qtbot, project):
    a = project.history.apply(CreateTheme("Alpha"))
    b = project.history.apply(CreateTheme("Beta"))
    panel = shown(qtbot, CodebookPanel(lambda: project))
    panel.tree.setCurrentItem(panel.item_for(a))
    type_at_end(qtbot, panel.description_edit, "Working from home")
    type_at_end(qtbot, panel.memo_edit, "Ask P2 about chairs")
    panel.tree.setCurrentItem(panel.item_for(b))              # no button: moving on writes
    assert on_disk(project.path, "SELECT description FROM themes WHERE id = ?",
                   (a,)) == "Working from home"
    assert on_disk(project.path, "SELECT text FROM memos WHERE target_kind = 'theme' AND "
                   "target_id = ?", (a,)) == "Ask P2 about chairs"
    panel.tree.setCurrentItem(panel.item_for(a))
    assert panel.memo_edit.toPlainText() == "Ask P2 about chairs"
    type_at_end(qtbot, panel.memo_edit, " and screens")       # the same memo, not a new one
    qtbot.waitUntil(lambda: on_disk(project.path, "SELECT group_concat(text) FROM memos")
                    == "Ask P2 about chairs and screens", timeout=5000)
    panel.refresh()                                           # a rebuild keeps the current code
    assert panel.current_id() == a and panel.description_edit.isEnabled()


def test_quote_attribution_writes_itself_and_renames_the_list(qtbot, project, tmp_path):
    """The attribution field autosaves like the others: after a pause, and when another quote is
    chosen; the list shows the new attribution; one burst of typing is one undo step."""
    from coding.quotes import MarkQuote, quote
    from tests.coding_study import build
    from ui.coding import QuotesPanel
    ids = build(project, tmp_path)
    first_note, second_note = list(ids["notes"].values())[:2]
    q1 = project.history.apply(MarkQuote("note", first_note, attribution="Participant"))
    q2 = project.history.apply(MarkQuote("note", second_note, attribution="Other"))
    panel = shown(qtbot, QuotesPanel(lambda: project))
    panel.list.setCurrentRow(0)
    assert panel.quote_id() == q1 and panel.attribution.text() == "Participant"
    steps = len(project.history.done)
    type_at_end(qtbot, panel.attribution, ", Manchester")
    assert panel.attribution_field.timer.isActive()
    qtbot.waitUntil(lambda: on_disk(project.path, "SELECT attribution FROM quotes WHERE id = ?",
                                    (q1,)) == "Participant, Manchester", timeout=5000)
    assert len(project.history.done) == steps + 1
    assert panel.list.item(0).text().endswith("— Participant, Manchester")

    type_at_end(qtbot, panel.attribution, " table 3")
    panel.list.setCurrentRow(1)                      # choosing another quote writes at once
    assert quote(project, q1).attribution == "Participant, Manchester table 3"
    assert panel.quote_id() == q2 and panel.attribution.text() == "Other"
    project.history.undo()
    assert quote(project, q1).attribution == "Participant, Manchester"


# ------------------------------------------------------------------ the recovery journal
def journal_of(path):
    from ui.coding.recovery import journal_path
    p = journal_path(path)
    return None if not p.exists() else json.loads(p.read_text("utf-8"))


def test_typing_is_journalled_before_the_pause_and_dropped_once_written(qtbot, window,
                                                                        tmp_path):
    path = tmp_path / "study.synth"
    panel, rec = window_with_recommendation(window, path)
    panel.text_field.timer.setInterval(3_600_000)     # the pause is not over while we look
    type_at_end(qtbot, panel.text_edit, " and desks")
    qtbot.waitUntil(lambda: journal_of(path) is not None, timeout=5000)
    (entry,) = journal_of(path)["entries"]
    assert entry == {"field": "recommendation-text", "key": rec,
                     "text": "Old text and desks", "saved": "Old text"}
    assert panel.text_field.dirty and rec_text(path, rec) == "Old text"   # not yet written
    assert not (tmp_path / "study.synth.recovery.json.tmp").exists()
    panel.text_field.timer.timeout.emit()             # the pause ends: written, entry gone
    assert rec_text(path, rec) == "Old text and desks"
    assert journal_of(path) is None
    assert window.journal.writes <= 3                 # typing ten keys wrote it once or so


def test_a_clean_close_leaves_no_journal(qtbot, window, tmp_path):
    path = tmp_path / "study.synth"
    panel, rec = window_with_recommendation(window, path)
    panel.text_field.timer.setInterval(3_600_000)
    type_at_end(qtbot, panel.text_edit, " (closing)")
    window.journal.write_now()
    assert journal_of(path)["entries"][0]["text"] == "Old text (closing)"
    window.close()
    assert rec_text(path, rec) == "Old text (closing)"
    assert journal_of(path) is None
    assert not list(tmp_path.glob("*.recovery.json*"))


def test_a_read_only_window_keeps_no_journal(qtbot, window, tmp_path):
    from synth.project import Project
    path = tmp_path / "study.synth"
    with Project.create(path) as p:
        theme = p.history.apply(CreateTheme("Hybrid work"))
        p.history.apply(AddRecommendation(theme, "Keep hybrid working", "Old text"))
    with Project.open(path):                          # another window has it open
        assert window.open_project(path) and window.project.read_only
        assert window.journal is None
        (panel,) = [p for p in window.coding_panels if isinstance(p, RecommendationsPanel)]
        panel.show_theme(theme)
        type_at_end(qtbot, panel.text_edit, " typed")
        panel.flush()
        assert journal_of(path) is None
        window.close_project()
