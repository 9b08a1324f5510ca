"""The board driven through real widgets and mouse events; every check reads the project file."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import QPointF, Qt  # noqa: E402

from ui.testing import drag, file_places, file_rows, make_project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def open_small(window, tmp_path, **kw):
    path = make_project(tmp_path / "study.synth", **kw)
    assert window.open_project(path)
    return path


def test_drag_one_card_into_a_theme_then_undo_and_redo(window, tmp_path, qtbot):
    path = open_small(window, tmp_path, statements=12, notes=6, themes=2)
    sc, view = window.scene, window.view
    theme_id = min(sc.themes)
    card = sc.card_items[("statement", 3)]
    view.zoom_to_rect(card.sceneBoundingRect().united(sc.frame_rect(theme_id)))
    start = card.sceneBoundingRect().center()
    end = sc.frame_rect(theme_id).center()
    drag(view, start, end)
    assert file_places(path) == {("statement", 3): theme_id}
    assert sc.cards[("statement", 3)].theme_id == theme_id
    assert sc.frame_rect(theme_id).contains(card.sceneBoundingRect().center())
    assert window.undo_stack.count() == 1
    window.act_undo.trigger()
    assert file_places(path) == {}
    assert sc.frames[None].sceneBoundingRect().contains(card.sceneBoundingRect().center())
    window.act_redo.trigger()
    assert file_places(path) == {("statement", 3): theme_id}


def test_drop_on_empty_canvas_changes_nothing(window, tmp_path):
    path = open_small(window, tmp_path, statements=6, notes=0, themes=1)
    sc = window.scene
    card = sc.card_items[("statement", 1)]
    home = card.pos()
    window.view.fit_all()
    drag(window.view, card.sceneBoundingRect().center(), QPointF(-150, -150))
    assert file_places(path) == {}
    assert card.pos() == home
    assert window.undo_stack.count() == 0


def test_rubber_band_twenty_cards_and_drag_them_as_one_step(window, tmp_path):
    path = open_small(window, tmp_path, statements=60, notes=0, themes=1)
    sc, view = window.scene, window.view
    theme_id = min(sc.themes)
    ucols = sc.frame_cols[None]
    # a box from the canvas above-left of the unsorted area across the first rows of cards
    items = sorted(sc.card_items.values(), key=lambda i: (i.scenePos().y(), i.scenePos().x()))
    rows_needed = -(-20 // ucols)
    top = items[(rows_needed - 1) * ucols].scenePos().y()
    chosen = [i for i in items if i.scenePos().y() <= top]
    # cover whole rows, then trim to 20 by cutting columns of the last row
    last_row_y = chosen[-1].scenePos().y()
    keep = [i for i in chosen if i.scenePos().y() < last_row_y]
    rest = [i for i in chosen if i.scenePos().y() == last_row_y][:20 - len(keep)]
    right = max(i.sceneBoundingRect().right() for i in rest) - 5
    if len(keep) + len(rest) == 20 and keep:
        # the band covers full rows above; its right edge cuts the last row after `rest`
        right = max(right, max(i.sceneBoundingRect().right() for i in keep) - 5)
    view.fit_all()
    view.set_zoom(0.3)
    top_left = QPointF(-60, -60)
    bottom_right = QPointF(rest[-1].sceneBoundingRect().right() - 5,
                           rest[-1].sceneBoundingRect().bottom() - 5)
    view.centerOn(bottom_right)
    if len(keep) // max(ucols, 1) >= 1 and len(rest) < ucols:
        # select the full rows with one band, the rest of the last row with a Ctrl band
        drag(view, top_left, QPointF(keep[-1].sceneBoundingRect().right() - 5,
                                     keep[-1].sceneBoundingRect().bottom() - 5))
        drag(view, QPointF(-60, rest[0].sceneBoundingRect().top() - 4), bottom_right,
             modifiers=Qt.ControlModifier)
    else:
        drag(view, top_left, bottom_right)
    selected = sc.selected_refs()
    assert len(selected) == 20
    grab = sc.card_items[selected[0]]
    # both ends on screen: a drag that leaves the board becomes a drag to the other panels
    view.zoom_to_rect(grab.sceneBoundingRect().united(sc.frame_rect(theme_id)))
    drag(view, grab.sceneBoundingRect().center(), sc.frame_rect(theme_id).center())
    places = file_places(path)
    assert set(places) == set(selected) and set(places.values()) == {theme_id}
    assert window.undo_stack.count() == 1
    window.act_undo.trigger()
    assert file_places(path) == {}
    window.act_redo.trigger()
    assert len(file_places(path)) == 20


def test_create_and_merge_themes_with_undo(window, tmp_path):
    path = open_small(window, tmp_path, statements=10, notes=4, themes=0)
    sc, c = window.scene, window.controller
    sc.select_cards([("statement", 1), ("statement", 2), ("note", 1)])
    a = c.create_theme_from_selection("Flexible working")
    sc.select_cards([("statement", 5), ("statement", 6)])
    b = c.create_theme_from_selection("Career paths")
    assert {r[0] for r in file_rows(path, "SELECT name FROM themes")} == \
        {"Flexible working", "Career paths"}
    assert set(file_places(path).values()) == {a, b}
    sc.clearSelection()
    sc.frames[a].setSelected(True)
    sc.frames[b].setSelected(True)
    window.act_merge.trigger()
    assert file_rows(path, "SELECT id, name FROM themes") == [(a, "Flexible working")]
    assert set(file_places(path).values()) == {a} and len(file_places(path)) == 5
    assert sc.frames[a].count == 5 and b not in sc.frames
    window.act_undo.trigger()            # unmerge
    assert len(file_rows(path, "SELECT id FROM themes")) == 2
    assert file_places(path)[("statement", 5)] == b
    window.act_undo.trigger()            # uncreate the second
    window.act_undo.trigger()            # uncreate the first
    assert file_rows(path, "SELECT id FROM themes") == [] and file_places(path) == {}
    for _ in range(3):
        window.act_redo.trigger()
    assert file_rows(path, "SELECT id, name FROM themes") == [(a, "Flexible working")]


def test_rename_recolour_split_nest_delete(window, tmp_path):
    path = open_small(window, tmp_path, statements=10, notes=0, themes=2, placed=1.0)
    sc, c = window.scene, window.controller
    t1, t2 = sorted(sc.themes)
    c.rename_theme(t1, "Managers")
    c.recolour_theme(t1, "#123456")
    assert file_rows(path, "SELECT name, colour FROM themes WHERE id = ?", (t1,)) == \
        [("Managers", "#123456")]
    assert sc.frames[t1].title == "Managers"
    members = [r for r, tid in file_places(path).items() if tid == t1][:2]
    sc.select_cards(members)
    c.split_selection("Feedback")
    sub = file_rows(path, "SELECT id, parent_id FROM themes WHERE name = 'Feedback'")
    assert sub and sub[0][1] == t1
    assert {file_places(path)[r] for r in members} == {sub[0][0]}
    # the sub-theme is drawn inside its parent's frame, under its own name
    assert sc.frames[sub[0][0]].title == "Feedback"
    assert sc.frames[sub[0][0]].path == "Managers › Feedback"
    assert sc.frame_rect(t1).contains(sc.frame_rect(sub[0][0]))
    assert sc.frame_at(sc.frame_rect(sub[0][0]).center()) is sc.frames[sub[0][0]]
    for r in members:
        assert sc.frame_rect(sub[0][0]).contains(sc.card_items[r].sceneBoundingRect())
    c.nest_theme(t2, t1)
    assert file_rows(path, "SELECT parent_id FROM themes WHERE id = ?", (t2,)) == [(t1,)]
    c.delete_theme(t2)
    assert not file_rows(path, "SELECT 1 FROM themes WHERE id = ?", (t2,))
    n = window.undo_stack.count()
    for _ in range(n):
        window.act_undo.trigger()
    assert file_rows(path, "SELECT name, parent_id FROM themes ORDER BY id") == \
        [("Theme 1", None), ("Theme 2", None)]


def test_candidate_themes_accept_and_dissolve_and_ghost_suggestions(window, tmp_path, qtbot):
    from synth.board import CreateTheme
    path = open_small(window, tmp_path, statements=30, notes=0, themes=0)
    sc, c = window.scene, window.controller
    cand = window.run_operation(CreateTheme("Candidate A", [("statement", 1), ("statement", 2)],
                                            status="candidate"))
    other = window.run_operation(CreateTheme("Candidate B", [("statement", 3)],
                                             status="candidate"))
    assert "candidate" in sc.frames[cand].hint.lower()
    sc.clearSelection()
    sc.frames[cand].setSelected(True)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_A)
    assert file_rows(path, "SELECT status FROM themes WHERE id = ?", (cand,)) == [("accepted",)]
    sc.clearSelection()
    sc.frames[other].setSelected(True)
    qtbot.keyClick(window.view, Qt.Key_Delete, Qt.ShiftModifier)
    assert not file_rows(path, "SELECT 1 FROM themes WHERE id = ?", (other,))
    assert ("statement", 3) not in file_places(path)
    # "more like this": ghosts appear in the theme; Enter on one accepts it
    sc.clearSelection()
    sc.frames[cand].setSelected(True)
    qtbot.keyClick(window.view, Qt.Key_L)
    ghosts = sc.ghosts.get(cand, [])
    assert ghosts, "no suggestions shown"
    g = ghosts[0]
    assert sc.frame_rect(cand).contains(g.sceneBoundingRect().center())
    sc.clearSelection()
    g.setSelected(True)
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert file_places(path)[g.ref] == cand
    before = len(file_places(path))
    n_ghosts = len(sc.ghosts.get(cand, []))
    qtbot.keyClick(window.view, Qt.Key_A, Qt.ShiftModifier)
    assert len(file_places(path)) == before + n_ghosts


def test_auto_arrange_orders_statements_by_agreement(window, tmp_path):
    path = open_small(window, tmp_path, statements=12, notes=3, themes=1, placed=1.0)
    c, sc = window.controller, window.scene
    t = min(sc.themes)
    c.auto_arrange(t)
    rows = file_rows(path, "SELECT card_kind, card_id FROM card_places WHERE theme_id = ? "
                           "ORDER BY y", (t,))
    shares = [sc.cards[r].agree_share for r in rows if r[0] == "statement"]
    assert shares == sorted(shares, reverse=True)
    assert rows[-1][0] == "note"


def test_search_and_filters_dim_the_rest(window, tmp_path):
    open_small(window, tmp_path, statements=20, notes=9, themes=0)
    sc = window.scene
    window.kind_box.setCurrentIndex(2)            # workshop notes
    assert sum(not i.dimmed for i in sc.card_items.values()) == 9
    window.site_box.setCurrentIndex(window.site_box.findData("Glasgow"))
    assert sum(not i.dimmed for i in sc.card_items.values()) == 3
    window.kind_box.setCurrentIndex(0)
    window.site_box.setCurrentIndex(0)
    window.agree_min.setValue(101 - 1)            # 100 %: almost nothing agrees that much
    lit = [i for i in sc.card_items.values() if not i.dimmed]
    assert all(i.card.agree_share == 1.0 for i in lit)
    window.agree_min.setValue(0)
    word = sc.cards[("statement", 1)].text.split()[1]
    window.search_edit.setText(word)
    lit = [i for i in sc.card_items.values() if not i.dimmed]
    assert lit and all(word in i.card.text for i in lit)


def test_colour_by_modes_are_remembered(window, tmp_path):
    open_small(window, tmp_path, statements=4, notes=3, themes=0)
    window.colour_box.setCurrentIndex(window.colour_box.findData("city"))
    assert window.scene.style.colour_by == "city"
    assert window.settings.colour_by == "city"
    a = window.scene.style.accent(window.scene.cards[("note", 1)])
    b = window.scene.style.accent(window.scene.cards[("note", 2)])
    assert a != b     # two cities, two colours


def test_a_dragged_card_leaves_its_block_while_it_moves_and_goes_back_after(window, tmp_path):
    """Cards lie in blocks that hide what strays outside them: a card being dragged is lifted
    out for the drag (drawn and found wherever the mouse takes it), and a drag that ends
    where it began puts it back in its block, where it was."""
    from PySide6.QtCore import QEvent
    from ui.testing import _send
    path = open_small(window, tmp_path, statements=12, notes=0, themes=1)
    sc, view = window.scene, window.view
    card = sc.card_items[("statement", 2)]
    block, home = card.block, card.scenePos()
    assert card.parentItem() is block and block is not None
    view.fit_all()
    start = card.sceneBoundingRect().center()
    away = QPointF(start.x(), sc.frame_rect(None).top() - 30)     # above it: outside any frame
    assert view.viewport().rect().contains(view.mapFromScene(away)) and not sc.style.overview
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton, None)
    for t in (0.25, 0.5, 1.0):
        _send(view, QEvent.MouseMove, QPointF(start.x() + (away.x() - start.x()) * t,
                                             start.y() + (away.y() - start.y()) * t),
              Qt.NoButton, Qt.LeftButton, None)
    assert card.parentItem() is None and card.block is None
    assert card in sc.items(away)                 # drawn and found where the mouse is
    assert not block.sceneBoundingRect().contains(card.sceneBoundingRect())
    _send(view, QEvent.MouseMove, start, Qt.NoButton, Qt.LeftButton, None)
    _send(view, QEvent.MouseButtonRelease, start, Qt.LeftButton, Qt.NoButton, None)
    assert card.parentItem() is block and card.scenePos() == home
    assert file_places(path) == {} and window.undo_stack.count() == 0


# --------------------------------------------------------------------------- the selection
def _what_the_window_shows(window) -> tuple:
    return (window.selection_label.text(), window.details_panel.browser.toPlainText(),
            window.themes_list.selected_ids(), window.act_pin.isEnabled(),
            window.act_pin.isChecked())


def _refs(items) -> list:
    return sorted(i.ref for i in items)


def _same_selection(a, b) -> bool:
    return _refs(a.cards) == _refs(b.cards) and _refs(a.ghosts) == _refs(b.ghosts) \
        and sorted(a.theme_ids) == sorted(b.theme_ids)


def test_ctrl_a_selects_every_shown_card_beside_what_was_selected_and_tells_it_once(
        window, tmp_path, qtbot):
    open_small(window, tmp_path, statements=30, notes=10, themes=2, placed=0.5)
    sc, view = window.scene, window.view
    tid = min(sc.themes)
    loose = [r for r, c in sc.cards.items() if c.theme_id is None]
    sc.set_suggestions(tid, loose[:2])
    window.kind_box.setCurrentIndex(2)                 # workshop notes: statements dimmed
    dimmed = [r for r, i in sc.card_items.items() if i.dimmed]
    shown = {r for r, i in sc.card_items.items() if not i.dimmed}
    assert len(shown) == 10 and len(dimmed) == 30
    # selected before: a dimmed card, a suggestion and a theme; Ctrl+A keeps them
    ghost = sc.ghosts[tid][0]
    sc.select_items([sc.card_items[dimmed[0]], ghost])
    sc.frames[tid].setSelected(True)
    told: list = []
    sc.selection_made.connect(told.append)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_A, Qt.ControlModifier)
    assert set(sc.selected_refs()) == shown | {dimmed[0]}
    assert sc.selected_ghosts() == [ghost] and sc.selected_theme_ids() == [tid]
    assert len(told) == 1 and _same_selection(told[0], sc.selection())
    assert window.selection_label.text() == "12 cards selected · 1 theme"
    assert window.details_panel.browser.toPlainText().startswith(
        "12 cards and 1 theme selected.")
    assert window.act_pin.isEnabled() and not window.act_pin.isChecked()   # the theme in hand
    # what select-all told the window is what a read of the scene tells it
    after = _what_the_window_shows(window)
    window._on_selection_changed()
    assert _what_the_window_shows(window) == after
    # nothing filtered, nothing selected: every card and nothing else
    window.kind_box.setCurrentIndex(0)
    sc.clearSelection()
    del told[:]
    qtbot.keyClick(view, Qt.Key_A, Qt.ControlModifier)
    assert set(sc.selected_refs()) == set(sc.cards) and len(sc.selected_refs()) == 40
    assert not sc.selected_ghosts() and not sc.selected_theme_ids()
    assert len(told) == 1 and _refs(told[0].cards) == sorted(sc.cards)
    assert window.selection_label.text() == "40 cards selected"
    assert not window.act_pin.isEnabled()       # cards of several themes: no theme in hand
    after = _what_the_window_shows(window)
    window._on_selection_changed()
    assert _what_the_window_shows(window) == after


def test_a_rubber_band_selects_the_cards_it_crosses_reading_the_selection_once_a_change(
        window, tmp_path, monkeypatch):
    from PySide6.QtCore import QRectF
    open_small(window, tmp_path, statements=60, notes=0, themes=1)
    sc, view = window.scene, window.view
    reads, changes, told = [], [], []
    real = sc.selection
    monkeypatch.setattr(sc, "selection", lambda: reads.append(1) or real())
    sc.selectionChanged.connect(lambda: changes.append(1))
    sc.selection_made.connect(told.append)
    rows = sorted(sc.card_items.values(), key=lambda i: (i.scenePos().y(), i.scenePos().x()))
    ucols = sc.frame_cols[None]
    assert ucols >= 3 and len(rows) >= 3 * ucols
    start = QPointF(-60, -60)
    end = rows[ucols + 2].sceneBoundingRect().center()      # second row, third column
    view.set_zoom(0.3)
    view.centerOn((start + end) / 2)

    def crossed(a, b) -> tuple[set, list]:
        band = QRectF(a, b).normalized()
        cards = {r for r, i in sc.card_items.items() if band.intersects(i.sceneBoundingRect())}
        themes = [f.theme_id for f in sc.frames.values() if f.theme_id is not None
                  and band.intersects(f.mapToScene(f.shape()).boundingRect())]
        return cards, themes
    drag(view, start, end)
    cards, themes = crossed(start, end)
    assert len(cards) == 6                                   # two rows of three
    assert set(sc.selected_refs()) == cards and sc.selected_theme_ids() == themes
    # told at most once a frame as the band moved, and at its release; one read each
    assert len(changes) >= 1 and len(reads) == len(changes)
    assert _same_selection(told[-1], real())
    assert window.selection_label.text() == "6 cards selected" + \
        (f" · {len(themes)} theme{'s' if len(themes) != 1 else ''}" if themes else "")
    # a Ctrl band adds the cards it crosses to those selected
    start2 = QPointF(rows[-1].sceneBoundingRect().right() + 30,
                     rows[-1].sceneBoundingRect().bottom() + 30)
    end2 = rows[-2].sceneBoundingRect().center()
    view.centerOn((start2 + end2) / 2)
    del reads[:], changes[:]
    drag(view, start2, end2, modifiers=Qt.ControlModifier)
    more, _ = crossed(start2, end2)
    assert more and not more & cards
    assert set(sc.selected_refs()) == cards | more
    assert len(reads) == len(changes) >= 1
    assert window.selection_label.text().startswith(f"{len(cards | more)} cards selected")
