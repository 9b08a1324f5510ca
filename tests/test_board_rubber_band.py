"""The board's own rubber band: what it selects is what Qt's band selected (the items whose
shapes it crosses), found from the frames' grids; the panels are told while it is held and at
its release, from what the band counted, never from a read of the whole selection; Escape
after Select all tells once and keeps the frames' far-out colours."""
from __future__ import annotations

import random

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt  # noqa: E402
from PySide6.QtWidgets import QGraphicsItem  # noqa: E402

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import _send, drag, make_project  # noqa: E402


def _nested_study(tmp_path):
    """120 cards, five themes holding 60 % of them, two of them nested in a parent theme that
    holds no card of its own."""
    from synth.board import CreateTheme, NestTheme
    from synth.project import Project
    path = make_project(tmp_path / "band.synth", statements=90, notes=30, themes=5, placed=0.6)
    with Project.open(path) as p:
        parent = p.history.apply(CreateTheme("Parent theme"))
        kids = sorted(r[0] for r in p.query("SELECT id FROM themes WHERE id != ?", (parent,)))
        for kid in kids[:2]:
            p.history.apply(NestTheme(kid, parent))
    return path, parent, kids[:2]


def _open(window, tmp_path):
    path, parent, kids = _nested_study(tmp_path)
    assert window.open_project(path)
    sc = window.scene
    assert sc.themes[kids[0]].parent_id == parent and not sc.members()[parent]
    loose = [r for r, c in sc.cards.items() if c.theme_id is None]
    sc.set_suggestions(kids[1], loose[:3])          # suggestions shown in a sub-theme
    assert len(sc.ghosts[kids[1]]) == 3
    return sc, window.view, parent, kids


def _qt_crossed(sc, rect: QRectF) -> set:
    """What Qt's own band selected over ``rect``: the selectable items whose shapes it
    crosses (Qt's index and shapes, not the board's arithmetic)."""
    return {i for i in sc.items(rect, Qt.IntersectsItemShape)
            if i.flags() & QGraphicsItem.ItemIsSelectable}


def test_the_band_finds_exactly_the_items_qt_finds_under_it(window, tmp_path):
    from ui.board.band import items_crossed
    sc, view, parent, kids = _open(window, tmp_path)
    view.set_zoom(0.5)
    assert not sc.style.overview
    ghosts = [g for lst in sc.ghosts.values() for g in lst]
    area = sc.sceneRect()
    rng = random.Random(3)
    cards_seen, frames_seen = 0, 0
    for k in range(300):
        w = rng.uniform(5, area.width() / (1 if k % 10 == 0 else 6))
        h = rng.uniform(5, area.height() / (1 if k % 10 == 0 else 6))
        rect = QRectF(rng.uniform(area.left(), area.right() - w),
                      rng.uniform(area.top(), area.bottom() - h), w, h)
        mine = items_crossed(sc.frames.values(), ghosts, rect)
        assert mine == _qt_crossed(sc, rect), rect
        cards_seen += sum(1 for i in mine if i.type() == sc.card_items[("note", 1)].type())
        frames_seen += sum(1 for i in mine if i in sc.frames.values())
    assert cards_seen > 300 and frames_seen > 30      # the rects did cross cards and titles
    # far out the frames' card layers are transparent: Qt's band took frames and suggestions
    sc.set_overview(True)
    for k in range(60):
        rect = QRectF(rng.uniform(area.left(), area.center().x()),
                      rng.uniform(area.top(), area.center().y()),
                      area.width() / 2, area.height() / 2)
        mine = items_crossed(sc.frames.values(), ghosts, rect, cards_shown=False)
        assert mine == _qt_crossed(sc, rect), rect
        assert not any(i in sc.card_items.values() for i in mine)


def test_a_held_band_tells_the_panels_then_shrinks_and_is_released(window, tmp_path, qtbot):
    sc, view, parent, kids = _open(window, tmp_path)
    told: list = []
    sc.selection_made.connect(told.append)
    sub = sc.frame_rect(kids[0])
    cols = sc.frame_cols[kids[0]]
    third = sc.card_items[sc.members()[kids[0]][cols + 1].ref].sceneBoundingRect()
    start = QPointF(sub.left() - 8, sub.top() + 30)   # in the parent's body, by its sub-theme
    end = third.center()                              # second row, second column
    view.set_zoom(0.5)
    view.centerOn((start + end) / 2)
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    for i in range(1, 7):
        _send(view, QEvent.MouseMove, start + (end - start) * (i / 6), Qt.NoButton,
              Qt.LeftButton)
    band = QRectF(start, end)
    crossed = {r for r, i in sc.card_items.items() if band.intersects(i.sceneBoundingRect())}
    assert len(crossed) == 4                          # two rows of two
    assert set(sc.selected_refs()) == crossed and sc.selected_theme_ids() == [kids[0]]
    assert not view.band_rect().isNull()
    # held still, the panels hear of it within a frame, from what the band counted
    qtbot.waitUntil(lambda: window.selection_label.text() == "4 cards selected · 1 theme",
                    timeout=2000)
    assert {i.ref for i in told[-1].cards} == crossed and told[-1].theme_ids == [kids[0]]
    during = view.viewport().grab().toImage()
    # back over the first card only: the others leave the band and are deselected
    first = sc.card_items[sc.members()[kids[0]][0].ref].sceneBoundingRect().center()
    _send(view, QEvent.MouseMove, first, Qt.NoButton, Qt.LeftButton)
    assert sc.selected_refs() == [sc.members()[kids[0]][0].ref]
    n_told = len(told)
    _send(view, QEvent.MouseButtonRelease, first, Qt.LeftButton, Qt.NoButton)
    assert len(told) == n_told + 1                   # told at the release, at once
    assert [i.ref for i in told[-1].cards] == [sc.members()[kids[0]][0].ref]
    assert window.selection_label.text() == "1 card selected · 1 theme"
    assert window.details_panel.browser.toPlainText().startswith("1 card and 1 theme")
    assert view.band_rect().isNull()
    # the band was drawn over the board while held, and is gone once released
    qtbot.wait(20)
    after = view.viewport().grab().toImage()
    r = view.mapFromScene(QRectF(start, end)).boundingRect().adjusted(3, 3, -3, -3)
    differ = sum(1 for x in range(r.left(), r.right(), 5) for y in range(r.top(), r.bottom(), 5)
                 if during.pixel(x, y) != after.pixel(x, y))
    assert differ > 50


def test_a_ctrl_band_over_many_selected_cards_never_reads_the_selection(window, tmp_path,
                                                                         monkeypatch):
    sc, view, parent, kids = _open(window, tmp_path)
    tid = next(t for t in sorted(sc.themes) if t != parent and t not in kids)   # top level
    before = [r for r, c in sc.cards.items() if c.theme_id != tid]
    sc.select_cards(before)
    reads: list = []
    real = sc._read_selection
    monkeypatch.setattr(sc, "_read_selection", lambda: reads.append(1) or real())
    told: list = []
    sc.selection_made.connect(told.append)
    frame = sc.frame_rect(tid)
    start = QPointF(frame.left() - 20, frame.top() + 100)      # below its title: no theme
    end = QPointF(frame.right() + 20, frame.bottom() + 20)
    view.set_zoom(0.35)
    view.centerOn(frame.center())
    drag(view, start, end, steps=8, modifiers=Qt.ControlModifier)
    assert not reads                                # counted, not read back
    mine = {r for r, c in sc.cards.items() if c.theme_id == tid}
    assert len(mine) >= 10 and set(sc.selected_refs()) == set(before) | mine
    assert told and sorted(i.ref for i in told[-1].cards) == sorted(set(before) | mine)
    assert not told[-1].theme_ids and not told[-1].ghosts
    n = len(before) + len(mine)
    assert window.selection_label.text() == f"{n:,} cards selected"
    # the scene's own count (far-out colours read it) is the selection
    assert {i.ref for i in sc.style.selected} == set(before) | mine


def test_escape_after_select_all_tells_once_and_keeps_the_far_out_colours(window, tmp_path,
                                                                         qtbot, monkeypatch):
    from ui.board.items import base_colours, mosaic
    sc, view, parent, kids = _open(window, tmp_path)
    view.fit_all()
    view.set_zoom(0.015)                             # far out: a pixel per card
    assert sc.style.overview
    qtbot.wait(20)
    unselected = {key: list(base_colours(f).rgbas) for key, f in sc.frames.items()}
    kept = {key: f.base_colours for key, f in sc.frames.items()}
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_A, Qt.ControlModifier)
    sel = sc.style.colour("selection").rgba()
    for f in sc.frames.values():
        image = mosaic(f)
        assert all(image.pixel(i % f.cols, i // f.cols) == sel for i in range(len(f.cells)))
    reads: list = []
    real = sc._read_selection
    monkeypatch.setattr(sc, "_read_selection", lambda: reads.append(1) or real())
    # nor asks Qt for the selected items (whether any are: 200 ms at 120,000 selected)
    listed: list = []
    qt_read = sc.selectedItems
    monkeypatch.setattr(sc, "selectedItems", lambda: listed.append(1) or qt_read())
    told: list = []
    sc.selection_made.connect(told.append)
    qtbot.keyClick(view, Qt.Key_Escape)
    assert len(told) == 1 and told[0] == ([], [], []) and not reads and not listed
    assert window.selection_label.text() == "" and not sc.selected_refs()
    for key, f in sc.frames.items():
        assert f.base_colours is kept[key]           # not asked of every card again
        image = mosaic(f)
        assert [image.pixel(i % f.cols, i // f.cols) for i in range(len(f.cells))] \
            == unselected[key], key
    assert any(len(set(v)) > 1 for v in unselected.values())    # cards of several colours


def test_a_band_whose_release_was_lost_ends_and_the_next_press_drags_cards(window, tmp_path):
    """The window can lose the mouse mid-band (another window took it): the band ends at the
    next move without the button, or at the next press, and a press on a card then drags it
    as a card, not as a band."""
    from ui.testing import file_places
    sc, view, parent, kids = _open(window, tmp_path)
    first = sc.card_items[sc.members()[None][0].ref]
    start = first.sceneBoundingRect().topLeft() - QPointF(20, 20)
    view.set_zoom(0.5)
    view.centerOn(first)
    told: list = []
    sc.selection_made.connect(told.append)
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    _send(view, QEvent.MouseMove, first.sceneBoundingRect().center(), Qt.NoButton, Qt.LeftButton)
    assert sc.selected_refs() == [first.ref] and not view.band_rect().isNull()
    _send(view, QEvent.MouseMove, start, Qt.NoButton, Qt.NoButton)      # no release came
    assert view.band_rect().isNull() and [i.ref for i in told[-1].cards] == [first.ref]
    # the same with the next press landing on a card: it drags the card into a theme
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    _send(view, QEvent.MouseMove, first.sceneBoundingRect().center(), Qt.NoButton, Qt.LeftButton)
    tid = sorted(t for t in sc.themes if t != parent and t not in kids)[0]
    view.zoom_to_rect(first.sceneBoundingRect().united(sc.frame_rect(tid)))
    drag(view, first.sceneBoundingRect().center(), sc.frame_rect(tid).center())
    assert view.band_rect().isNull()
    assert file_places(window.project.path)[first.ref] == tid


def test_a_held_band_keeps_its_start_on_the_board_through_a_zoom_and_a_scroll(window, tmp_path):
    """Zoomed or scrolled with the button held, the band still starts where it was pressed on
    the board and ends under the mouse, as Qt's band did: drawn there at once, without a move,
    and selecting what Qt's band over those board points would."""
    sc, view, parent, kids = _open(window, tmp_path)
    tid = next(t for t in sorted(sc.themes) if t != parent and t not in kids)
    frame = sc.frame_rect(tid)
    start = QPointF(frame.left() - 20, frame.top() + 100)      # below its title: no theme
    end = QPointF(frame.right() + 20, frame.bottom() + 20)
    view.set_zoom(0.35)
    view.centerOn(frame.center())
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    _send(view, QEvent.MouseMove, (start + end) / 2, Qt.NoButton, Qt.LeftButton)
    _send(view, QEvent.MouseMove, end, Qt.NoButton, Qt.LeftButton)
    mouse = view.mapFromScene(end)

    def qt_band() -> tuple[QRect, set]:
        """The band Qt drew, from the press's board point to the mouse, and what it took."""
        drawn = QRect(view.mapFromScene(start), mouse).normalized()
        over = view.mapToScene(drawn).boundingRect()
        return drawn, {i.ref for i in _qt_crossed(sc, over) if i in sc.card_items.values()}

    drawn, crossed = qt_band()
    assert view.band_rect() == drawn and set(sc.selected_refs()) == crossed
    assert len(crossed) >= 10
    # scrolled (the middle button, Ctrl+arrows): the start moves on screen with the board
    before = view.band_rect()
    bar = view.horizontalScrollBar()
    bar.setValue(bar.value() - 80)
    drawn, crossed = qt_band()
    assert view.band_rect() == drawn and set(sc.selected_refs()) == crossed
    assert view.band_rect().left() == before.left() + 80
    # zoomed out around the mouse (the wheel's way): more of the board under the same pixels
    n = len(crossed)
    view.set_zoom(0.2)
    drawn, crossed = qt_band()
    assert view.band_rect() == drawn and set(sc.selected_refs()) == crossed
    assert len(crossed) > n
    # back to the first zoom, the mouse where it ended: what the band first selected
    view.set_zoom(0.35)
    view.centerOn(frame.center())
    mouse = view.mapFromScene(end)
    _send(view, QEvent.MouseMove, end, Qt.NoButton, Qt.LeftButton)
    _send(view, QEvent.MouseButtonRelease, end, Qt.LeftButton, Qt.NoButton)
    band = QRectF(start, end)
    assert set(sc.selected_refs()) == {r for r, i in sc.card_items.items()
                                       if band.intersects(i.sceneBoundingRect())}
    assert view.band_rect().isNull()
