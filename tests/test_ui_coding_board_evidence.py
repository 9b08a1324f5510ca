"""Evidence and quotes from the board by keyboard alone: E links the selected cards to a
recommendation (or a theme's summary) picked by typing, Q marks them as quotes; each one undo
step, both in the Board menu with shortcuts no other action has."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton  # noqa: E402

from ui.testing import coding_panel, file_rows, make_project, settle  # noqa: E402

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def _study(tmp_path):
    from coding.recommendations import AddRecommendation
    from synth.project import Project
    path = make_project(tmp_path / "s.synth", statements=10, notes=6, themes=1, placed=0.5)
    with Project.open(path) as p:
        tid = p.scalar("SELECT id FROM themes")
        recs = [p.history.apply(AddRecommendation(tid, title))
                for title in ("Pay for travel", "Fund home kit")]
    return path, tid, recs


def _select_two_cards(qtbot, window):
    view = window.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Right)              # first key: a card
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    refs = window.scene.selected_refs()
    assert len(refs) == 2
    return refs


def _linked(path, rid):
    return sorted(file_rows(path, "SELECT item_kind, item_id FROM evidence WHERE "
                                  "recommendation_id = ?", (rid,)))


def test_e_links_the_selected_cards_to_a_recommendation_picked_by_typing(window, tmp_path,
                                                                          qtbot):
    path, tid, (pay, kit) = _study(tmp_path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    panel = coding_panel(window, "RecommendationsPanel")
    panel.show_theme(tid)
    assert panel.recommendation_id() == pay
    refs = _select_two_cards(qtbot, window)
    steps = window.undo_stack.count()

    qtbot.keyClick(window.view, Qt.Key_E)
    picker = window.picker
    assert picker.isVisible()
    first = picker.list.item(0).text()
    assert "Pay for travel" in first and "shown in Recommendations" in first
    qtbot.keyClicks(picker.filter_edit, "home kit")
    assert picker.list.count() == 1
    qtbot.keyClick(picker.filter_edit, Qt.Key_Return)
    assert _linked(path, kit) == sorted(refs)
    assert _linked(path, pay) == []
    assert window.undo_stack.count() == steps + 1
    assert "Linked 2 cards as evidence to 1.2 Fund home kit" in window.notify.messages[-1][1]
    settle(qtbot, window)
    assert panel.recommendation_id() == kit           # the panel shows where they went
    assert panel.evidence_list.count() == 2

    panel.show_target(("recommendation", pay))        # Enter alone: the one shown
    qtbot.keyClick(window.view, Qt.Key_E)             # keys back on the board after a pick
    qtbot.keyClick(window.picker.filter_edit, Qt.Key_Return)
    assert _linked(path, pay) == sorted(refs)
    assert window.notify.messages[-1][1] == "Linked 2 cards as evidence to 1.1 Pay for travel."
    steps = window.undo_stack.count()
    qtbot.keyClick(window.view, Qt.Key_E)             # again: nothing doubled, and said so
    qtbot.keyClick(window.picker.filter_edit, Qt.Key_Return)
    assert _linked(path, pay) == sorted(refs)
    assert window.undo_stack.count() == steps
    assert window.notify.messages[-1][1] == ("The 2 selected cards were linked to 1.1 Pay for "
                                             "travel already.")

    window.act_undo.trigger()
    assert _linked(path, pay) == []
    window.act_undo.trigger()
    assert _linked(path, kit) == []


def test_e_links_to_a_themes_summary(window, tmp_path, qtbot):
    path, tid, _ = _study(tmp_path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    refs = _select_two_cards(qtbot, window)
    window.act_link_evidence.trigger()                # the menu's way: the same picker
    qtbot.keyClicks(window.picker.filter_edit, "want to see")
    qtbot.keyClick(window.picker.filter_edit, Qt.Key_Return)
    assert sorted(file_rows(path, "SELECT item_kind, item_id FROM evidence WHERE theme_id = ? "
                                  "AND role = 'want'", (tid,))) == sorted(refs)


def test_q_quotes_the_selected_cards_once_in_one_step(window, tmp_path, qtbot):
    path, _, _ = _study(tmp_path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    window.scene.select_cards([("statement", 3), ("note", 2)])
    window.view.setFocus()
    steps = window.undo_stack.count()
    qtbot.keyClick(window.view, Qt.Key_Q)
    rows = file_rows(path, "SELECT item_kind, item_id, start, end, consent, attribution "
                           "FROM quotes ORDER BY item_kind")
    site = file_rows(path, "SELECT site FROM notes WHERE id = 2")[0][0]
    assert rows == [("note", 2, None, None, 1, f"{site} co-design participant"),
                    ("statement", 3, None, None, 1, "Online debate participant")]
    assert window.undo_stack.count() == steps + 1
    assert "Quoted 2 cards" in window.notify.messages[-1][1]

    qtbot.keyClick(window.view, Qt.Key_Q)             # quoted already: not twice
    assert len(file_rows(path, "SELECT id FROM quotes")) == 2
    assert "quoted already" in window.notify.messages[-1][1]
    settle(qtbot, window)
    quotes_panel = coding_panel(window, "QuotesPanel")
    quotes_panel.up_to_date()
    assert quotes_panel.list.count() == 2             # where consent and redactions are
    window.act_undo.trigger()
    assert file_rows(path, "SELECT id FROM quotes") == []


def test_the_new_actions_are_in_the_board_menu_with_their_own_shortcuts(window):
    board = next(m for m in (a.menu() for a in window.menuBar().actions()) if m is not None
                 and m.title() == "&Board")
    assert window.act_link_evidence in board.actions()
    assert window.act_quote_cards in board.actions()
    assert window.act_link_evidence in window.view.actions()   # the board's context menu
    seen: dict[str, str] = {}
    # a panel's own shortcut (Del removes a source, or a segment, where it has focus) may be
    # another panel's too, never a window-wide one's: Qt would find it ambiguous
    panel_keys: dict[str, set[str]] = {}
    panel_wide = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)
    for a in window.findChildren(type(window.act_undo)):
        for k in a.shortcuts():
            key = k.toString(QKeySequence.PortableText)
            if a.shortcutContext() in panel_wide:
                panel_keys.setdefault(key, set()).add(a.text())
                continue
            assert key not in seen or seen[key] == a.text(), (key, seen.get(key), a.text())
            seen[key] = a.text()
    assert not set(panel_keys) & set(seen), {k: (panel_keys[k], seen[k])
                                             for k in set(panel_keys) & set(seen)}
    assert panel_keys["Del"] == {"Remove source…", "Remove segment"}
    keys = {**{k: {t} for k, t in seen.items()}, **panel_keys}
    assert keys["E"] == {window.act_link_evidence.text()}
    assert keys["Q"] == {window.act_quote_cards.text()}
    QApplication.processEvents()


def test_a_quote_is_linked_from_the_quotes_panel_by_keyboard(window, tmp_path, qtbot):
    path, tid, (pay, kit) = _study(tmp_path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    window.scene.select_cards([("note", 2)])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_Q)
    (qid,) = file_rows(path, "SELECT id FROM quotes")[0]
    settle(qtbot, window)
    panel = coding_panel(window, "QuotesPanel")
    panel.up_to_date()
    assert panel.quote_id() == qid
    button = next(b for b in panel.findChildren(QPushButton) if b.text() == "Link as evidence…")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key_Space)              # a button pressed from the keyboard
    qtbot.keyClicks(panel.picker.filter_edit, "travel")
    qtbot.keyClick(panel.picker.filter_edit, Qt.Key_Return)
    assert _linked(path, pay) == [("quote", qid)]
    assert panel.message.text() == "Linked the quote as evidence to 1.1 Pay for travel."
    window.act_undo.trigger()
    assert _linked(path, pay) == []


def test_q_over_a_whole_board_quotes_nothing_and_says_why(window, tmp_path, qtbot,
                                                           monkeypatch):
    """Review: Ctrl+A then Q on a big board ran a query per card on the GUI thread and would
    have made a quote of every card in one step."""
    from ui.coding import card_evidence
    path, _, _ = _study(tmp_path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    monkeypatch.setattr(card_evidence, "QUOTE_AT_MOST", 5)     # the 16 cards stand for many
    window.act_select_all.trigger()
    window.view.setFocus()
    n = len(window.scene.selected_refs())
    assert n == 16
    qtbot.keyClick(window.view, Qt.Key_Q)
    assert file_rows(path, "SELECT id FROM quotes") == []
    assert window.notify.messages[-1][1].startswith(
        "16 cards are selected: quote at most 5 at a time")


def test_the_picker_numbers_recommendations_as_the_report_does(window, tmp_path, qtbot):
    """No "–.1": while no theme is accepted the report numbers the candidate themes, and the
    picker and the Recommendations panel give their recommendations those numbers; once one
    is accepted the report leaves the other candidates out, and theirs read "Draft:"."""
    from coding.recommendations import AddRecommendation
    from exports.content import theme_contents
    from synth.project import Project
    from ui.coding.card_evidence import SHOWN
    path = make_project(tmp_path / "s.synth", statements=10, notes=6, themes=2, placed=0.5)
    with Project.open(path) as p:
        with p.transaction() as db:
            db.execute("UPDATE themes SET status = 'candidate'")
        first, second = (r[0] for r in p.query("SELECT id FROM themes ORDER BY position, id"))
        travel = p.history.apply(AddRecommendation(first, "Pay for travel"))
        kit = p.history.apply(AddRecommendation(second, "Fund home kit"))
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)

    def picked() -> dict[str, str]:
        _select_two_cards(qtbot, window)
        qtbot.keyClick(window.view, Qt.Key_E)
        picker = window.picker
        shown = [picker.list.item(i).text().removesuffix(SHOWN)
                 for i in range(picker.list.count())]
        picker.reject()
        return {t: next(s for s in shown if s.endswith(t)) for t in ("Pay for travel",
                                                                     "Fund home kit")}

    def printed() -> dict[int, str]:
        return {r.id: r.number for t in theme_contents(window.project)
                for r in t.recommendations}
    assert printed() == {travel: "1.1", kit: "2.1"}
    assert picked() == {"Pay for travel": "1.1 Pay for travel",
                        "Fund home kit": "2.1 Fund home kit"}
    panel = coding_panel(window, "RecommendationsPanel")
    panel.show_theme(second)
    assert panel.rec_list.item(0).text() == "2.1  Fund home kit"

    window.scene.select_themes([first])           # the first accepted: A on the board
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_A)
    assert file_rows(path, "SELECT status FROM themes WHERE id = ?", (first,)) == [("accepted",)]
    assert printed() == {travel: "1.1"}            # the candidate's is left out of the report
    assert picked() == {"Pay for travel": "1.1 Pay for travel",
                        "Fund home kit": "Draft: Fund home kit"}
    settle(qtbot, window)
    panel.show_theme(second)
    item = panel.rec_list.item(0)
    assert item.text() == "Draft:  Fund home kit" and "candidate" in item.toolTip()
    assert panel.grab().save(str(tmp_path / "recommendations_draft.png"))
