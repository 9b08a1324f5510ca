"""Deleting or merging a theme on the board never takes the team's work without a word (QA2 1,
14; QA1 49): a theme carrying recommendations, evidence, dots, memos or writing is deleted only
after a question naming what goes; a bare candidate goes without one; the theme's memos go with
it (and come back with undo); a merge keeps the merged theme's memo, description and summaries.
Every check reads the project file."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import Qt  # noqa: E402

from ui.testing import file_rows, make_project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def _counts(path, tid):
    return {t: file_rows(path, sql, (tid,))[0][0] for t, sql in {
        "themes": "SELECT count(*) FROM themes WHERE id = ?",
        "recs": "SELECT count(*) FROM recommendations WHERE theme_id = ?",
        "evidence": "SELECT count(*) FROM evidence WHERE theme_id = ? OR recommendation_id IN "
                    "(SELECT id FROM recommendations WHERE theme_id = ?1)",
        "dots": "SELECT coalesce(sum(dots), 0) FROM dot_votes WHERE theme_id = ?",
        "memos": "SELECT count(*) FROM memos WHERE target_kind = 'theme' AND target_id = ?",
    }.items()}


def _orphan_memos(path):
    return file_rows(path, "SELECT count(*) FROM memos WHERE target_kind = 'theme' AND "
                           "target_id NOT IN (SELECT id FROM themes)")[0][0]


@pytest.fixture
def worked(window, tmp_path, monkeypatch):
    """A study whose first theme has 1 recommendation with 3 linked cards, 1 piece of the
    theme's own evidence, 3 dots and a memo; the questions asked, answered "Cancel"."""
    from coding.codebook import AddMemo
    from coding.evidence import LinkEvidence
    from coding.recommendations import AddRecommendation
    from synth.board import CastDots
    import ui.board.asking as asking
    path = make_project(tmp_path / "study.synth", statements=12, notes=4, themes=2,
                        placed=0.6)
    assert window.open_project(path)
    sc = window.scene
    tid = min(sc.themes)
    cards = [r for r, c in sc.cards.items() if c.theme_id == tid][:3]
    rid = window.run_operation(AddRecommendation(tid, "Publish attendance data"))
    window.run_operation(LinkEvidence(cards, recommendation_id=rid))
    window.run_operation(LinkEvidence(cards[:1], theme_id=tid, role="shared"))
    window.run_operation(CastDots(tid, "Amira", 3))
    window.run_operation(AddMemo("theme", tid, "Ask the Cardiff table"))
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(asking, "ask", lambda parent, text: asked.append(text) or answer[0])
    return path, tid, asked, answer


def test_dissolve_asks_naming_what_goes_and_cancel_keeps_everything(window, worked, qtbot):
    path, tid, asked, answer = worked
    before = _counts(path, tid)
    assert before == {"themes": 1, "recs": 1, "evidence": 4, "dots": 3, "memos": 1}
    steps = window.undo_stack.count()
    window.view.setFocus()
    window.scene.select_theme(tid)
    qtbot.keyClick(window.view, Qt.Key_Delete, Qt.ShiftModifier)        # Dissolve theme
    assert len(asked) == 1
    assert ("1 recommendation, 4 pieces of evidence, 3 dots and 1 memo will be deleted with it"
            in asked[0])
    assert window.scene.themes[tid].name in asked[0]
    assert _counts(path, tid) == before                                  # Cancel: nothing gone
    assert window.undo_stack.count() == steps
    assert tid in window.scene.themes and tid in window.scene.frames


def test_delete_said_yes_takes_the_memo_too_and_undo_brings_all_back(window, worked, qtbot):
    path, tid, asked, answer = worked
    before = _counts(path, tid)
    answer[0] = True
    window.scene.select_theme(tid)
    window.act_delete.trigger()                                          # Ctrl+Delete
    assert len(asked) == 1
    assert _counts(path, tid) == {"themes": 0, "recs": 0, "evidence": 0, "dots": 0, "memos": 0}
    assert _orphan_memos(path) == 0
    assert tid not in window.scene.frames
    window.act_undo.trigger()
    assert _counts(path, tid) == before
    assert tid in window.scene.frames


def test_a_bare_theme_goes_without_a_question(window, worked, qtbot):
    path, tid, asked, answer = worked
    other = max(window.scene.themes)
    n_cards = len([c for c in window.scene.cards.values() if c.theme_id == other])
    assert n_cards > 0
    window.controller.dissolve_theme(other)
    assert asked == []
    assert file_rows(path, "SELECT count(*) FROM themes WHERE id = ?", (other,))[0][0] == 0
    assert all(c.theme_id != other for c in window.scene.cards.values())


def test_a_description_alone_is_work_worth_a_question(window, worked):
    from synth.board import UpdateTheme
    path, tid, asked, answer = worked
    other = max(window.scene.themes)
    window.run_operation(UpdateTheme(other, {"summary_want": "Anchor days agreed by teams."}))
    window.controller.delete_theme(other)
    assert len(asked) == 1 and "Its summaries will be deleted with it" in asked[0]
    assert file_rows(path, "SELECT count(*) FROM themes WHERE id = ?", (other,))[0][0] == 1


def test_board_merge_keeps_memo_description_and_summaries(window, worked, qtbot):
    from synth.board import UpdateTheme
    path, tid, asked, answer = worked
    sc = window.scene
    other = max(sc.themes)
    window.run_operation(UpdateTheme(tid, {"description": "Where people meet.",
                                           "summary_shared": "Most say the office is for "
                                                             "meetings."}))
    window.run_operation(UpdateTheme(other, {"description": "Hubs by department.",
                                             "summary_want": "Anchor days agreed by teams."}))
    window.controller.merge_themes([tid, other])
    kept = next(iter(sc.themes))
    gone = tid if kept == other else other
    assert set(sc.themes) == {kept}
    row = file_rows(path, "SELECT description, summary_shared, summary_want FROM themes "
                          "WHERE id = ?", (kept,))[0]
    assert "Where people meet." in row[0] and "Hubs by department." in row[0]
    assert row[1] == "Most say the office is for meetings."
    assert row[2] == "Anchor days agreed by teams."
    assert file_rows(path, "SELECT target_id, text FROM memos") == [
        (kept, "Ask the Cardiff table")]
    assert _orphan_memos(path) == 0
    assert _counts(path, kept)["recs"] == 1 and _counts(path, kept)["dots"] == 3
    window.act_undo.trigger()
    assert file_rows(path, "SELECT target_id FROM memos") == [(tid,)]
    assert file_rows(path, "SELECT description FROM themes WHERE id = ?", (gone,))[0][0] in (
        "Where people meet.", "Hubs by department.")


def test_esc_while_dragging_puts_the_card_back_and_moves_nothing(window, tmp_path, qtbot):
    """QA2 11: Esc while a card is held over the wrong theme, then the release: the card is
    back in its own frame, in the file and on screen, and no step was recorded."""
    from PySide6.QtCore import QEvent, QPointF
    from ui.testing import _send, file_places
    path = make_project(tmp_path / "s.synth", statements=12, notes=4, themes=2, placed=0.6)
    assert window.open_project(path)
    sc, view = window.scene, window.view
    a_id, b_id = sorted(sc.themes)
    ref = next(r for r, c in sc.cards.items() if c.theme_id == a_id)
    item = sc.card_items[ref]
    view.zoom_to_rect(sc.frame_rect(a_id).united(sc.frame_rect(b_id)))
    view.set_zoom(max(view.zoom(), 0.3))
    home = item.sceneBoundingRect().center()
    target = sc.frame_rect(b_id).center()
    view.setFocus()
    steps = window.undo_stack.count()
    _send(view, QEvent.MouseButtonPress, home, Qt.LeftButton, Qt.LeftButton)
    for i in range(1, 7):
        t = i / 6
        _send(view, QEvent.MouseMove, QPointF(home.x() + (target.x() - home.x()) * t,
                                              home.y() + (target.y() - home.y()) * t),
              Qt.NoButton, Qt.LeftButton)
    assert sc.frame_at(item.sceneBoundingRect().center()).theme_id == b_id    # held over B
    qtbot.keyClick(view, Qt.Key_Escape)
    assert item.sceneBoundingRect().center() == home          # flew back at once
    _send(view, QEvent.MouseButtonRelease, target, Qt.LeftButton, Qt.NoButton)
    qtbot.wait(20)
    assert file_places(path)[ref] == a_id
    assert sc.cards[ref].theme_id == a_id
    assert window.undo_stack.count() == steps
    assert item.sceneBoundingRect().center() == home
    assert sc.frame_at(item.sceneBoundingRect().center()).theme_id == a_id
