"""The board view: zoom, pan, fit, zoom to a theme, and moving between cards with the arrows."""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (QColor, QDrag, QFontInfo, QFontMetrics, QKeyEvent, QMouseEvent,
                           QPainter, QPen, QPixmap, QTransform, QWheelEvent)
from PySide6.QtWidgets import (QApplication, QGraphicsView, QRubberBand, QStyle,
                               QStyleOptionRubberBand, QWidget)

from synth.words import plural

from .data import theme_path
from .items import OVERVIEW_ZOOM, CardItem, ThemeFrame
from .scene import BoardScene

MIN_ZOOM, MAX_ZOOM = 0.01, 4.0
RING_MIN = QSize(36, 24)    # the ring round the keyboard's card, in pixels at least
RING_GAP = 6                # between the card and the ring
RING_PEN = 8                # the ring's width: a selection-coloured band edged in black
EDGE_PX = 36                # a card held this near the view's edge scrolls the board
EDGE_STEP_PX = 28           # at most this far per turn of the edge timer
ROOM_TEXT_PX = 16.0         # card text this high reads from the back of a room (presenting)


class BoardView(QGraphicsView):
    focus_described = Signal(str)
    zoom_changed = Signal(float)
    accept_ghost_requested = Signal()
    drag_started = Signal(int)          # cards dragged out of the board

    def __init__(self, scene: BoardScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.board = scene
        self.setAccessibleName("Board")
        self.setAccessibleDescription("Cards and themes. Arrow keys move between cards; "
                                      "M moves the selected cards to a theme, E links them "
                                      "to a recommendation, Q quotes them.")
        self.setRenderHint(QPainter.Antialiasing, False)
        self.setRenderHint(QPainter.TextAntialiasing, True)
        # the rubber band is the view's own (see ``ui.board.band``): Qt's selected through
        # the scene's index and made the board read the whole selection on every move
        self.setDragMode(QGraphicsView.NoDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.DontAdjustForAntialiasing, True)
        self.setFocusPolicy(Qt.StrongFocus)
        self._pan_from: QPointF | None = None
        # where a rubber band was pressed, on the board (a zoom or scroll while it is held
        # keeps its start on the same cards, as Qt's band did), and where the mouse is now
        self._band_from: QPointF | None = None     # scene
        self._band_at = QPointF()                  # viewport pixels
        self._band_rect = QRect()                  # the band drawn, in viewport pixels
        self._fit_on_resize = False     # see fit_all_through_resizes
        self.for_room = False       # presenting: zooms keep card text readable (reading_zoom)
        self._keyboard_card: CardItem | None = None    # the card the arrows are on
        self._ring_at = QRectF()                   # that card's scene rect when ringed
        self.zoom_changed.connect(lambda z: self.board.set_overview(z < OVERVIEW_ZOOM))
        scene.focusItemChanged.connect(self._on_focus_item_changed)
        scene.selection_made.connect(lambda _s: self._update_ring())
        scene.layout_changed.connect(self._update_ring)     # the card may have moved
        self.zoom_changed.connect(self._follow_band)        # after the overview is set
        # cards held near an edge scroll the board under them, as whiteboards do: a drag
        # between themes far apart needs no zooming out and in again
        self._edge = (0.0, 0.0)                     # pixels a turn, x and y
        self._edge_at = QPointF()                   # where the mouse is held
        self._edge_timer = QTimer(self)
        self._edge_timer.setInterval(30)
        self._edge_timer.timeout.connect(self._scroll_at_edge)

    # ------------------------------------------------------------------ zoom
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, z: float) -> None:
        self._fit_on_resize = False
        z = max(MIN_ZOOM, min(MAX_ZOOM, z))
        f = z / self.zoom()
        self.scale(f, f)
        self.zoom_changed.emit(self.zoom())

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom() * factor)

    def fit_all(self) -> None:
        # every card lies inside a frame: their union is the board (itemsBoundingRect would
        # visit 120,000 cards on a big study)
        r = QRectF()
        for f in self.board.frames.values():
            r = r.united(f.sceneBoundingRect())
        if r.isEmpty():
            r = self.board.sceneRect()
        self.fitInView(r.adjusted(-40, -40, 40, 40), Qt.KeepAspectRatio)
        self.zoom_changed.emit(self.zoom())

    def fit_all_through_resizes(self) -> None:
        """Fit all now and again at each resize until the board is zoomed, or the researcher
        clicks or types on it: going in or out of full screen, the window reaches its new
        size when the window system says so, after the call that asked for it."""
        self._fit_on_resize = True
        self.fit_all()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._fit_on_resize:
            self.fit_all()

    def zoom_to_rect(self, r: QRectF, around: QPointF | None = None) -> None:
        """``r`` fitted in the view, but never so far out that the cards cannot be read
        from the room while presenting: then as much of ``r`` as fits at that zoom, around
        ``around`` (None: from its top left, where a theme's name is)."""
        if r.isEmpty():
            return
        self._fit_on_resize = False
        self.fitInView(r.adjusted(-30, -30, 30, 30), Qt.KeepAspectRatio)
        if self.zoom() > 1.2:
            self.set_zoom(1.2)
            self.centerOn(r.center())
        least = self.reading_zoom()
        if self.zoom() < least:
            self.set_zoom(least)
            if around is None:
                seen = self.viewport().rect()
                around = QPointF(r.left() - 30 + seen.width() / 2 / least,
                                 r.top() - 30 + seen.height() / 2 / least)
            self.centerOn(around)
        self.zoom_changed.emit(self.zoom())

    def reading_zoom(self) -> float:
        """The zoom at which card text is ``ROOM_TEXT_PX`` high, while ``for_room`` (the
        presentation); else 0: any zoom will do."""
        if not self.for_room:
            return 0.0
        text_px = QFontInfo(self.board.style.font("card")).pixelSize()
        return min(MAX_ZOOM, ROOM_TEXT_PX / max(1, text_px))

    def bring_into_sight(self, r: QRectF) -> None:
        """Scroll, at the same zoom, until ``r`` (or its top left, where a theme's name is, if
        it is bigger than the view) is on screen; nothing moves if it is already."""
        seen = self.mapToScene(self.viewport().rect()).boundingRect()
        if r.isEmpty() or seen.contains(r):
            return
        self._fit_on_resize = False
        self.ensureVisible(QRectF(r.left(), r.top(), min(r.width(), seen.width() * 0.8),
                                  min(r.height(), seen.height() * 0.8)), 20, 20)

    def zoom_to_theme(self, theme_id: int | None) -> None:
        self.zoom_to_rect(self.board.frame_rect(theme_id))

    def zoom_to_selection(self) -> None:
        items = self.board.selectedItems()
        if not items:
            return
        r = QRectF()
        for i in items:
            r = r.united(i.sceneBoundingRect())
        around = None
        if len(items) == 1 and isinstance(items[0], CardItem):
            around = items[0].sceneBoundingRect().center()
            frame = self.board.frame_at(around)
            if frame is not None:
                r = frame.sceneBoundingRect()
        self.zoom_to_rect(r, around)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        self._fit_on_resize = False
        if event.modifiers() & (Qt.ShiftModifier | Qt.AltModifier):
            super().wheelEvent(event)       # pan
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(math.pow(1.15, steps))
        event.accept()

    # ------------------------------------------------------------------ pan with middle button
    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._fit_on_resize = False
        if event.button() == Qt.MiddleButton:
            self._pan_from = event.position()
            event.accept()
            return
        if event.button() == Qt.LeftButton:
            self._end_band()        # one whose release never came (the window lost the mouse)
        super().mousePressEvent(event)
        if event.button() == Qt.LeftButton and not event.isAccepted() \
                and self.board.mouseGrabberItem() is None:
            # the press went to no item (the scene cleared the selection unless Ctrl is held)
            self._band_from = self.mapToScene(event.position().toPoint())
            self._band_at = event.position()
            self._band_rect = QRect()
            self.board.begin_band(add=bool(event.modifiers() & Qt.ControlModifier))
            event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(d.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(d.y()))
            return
        if self._band_from is not None:
            if event.buttons() & Qt.LeftButton:
                self._move_band(event.position())
            else:           # released where the view did not hear it
                self._end_band()
            return
        if (event.buttons() & Qt.LeftButton) and self.board.card_drag_active():
            if not self.viewport().rect().contains(event.position().toPoint()):
                self._stop_edge_scroll()
                self.start_external_drag()
                return
            self._edge_scroll(event.position())
        else:
            self._stop_edge_scroll()
        super().mouseMoveEvent(event)

    # ------------------------------------------------------------------ scrolling at the edge
    def edge_speed(self, at: QPointF) -> tuple[float, float]:
        """How far the board scrolls a turn with the mouse held at ``at`` (viewport pixels):
        nothing in the middle, more the nearer the edge."""
        r = self.viewport().rect()

        def along(v: float, size: int) -> float:
            if v < EDGE_PX:
                return -EDGE_STEP_PX * (EDGE_PX - max(v, 0)) / EDGE_PX
            if v > size - EDGE_PX:
                return EDGE_STEP_PX * (v - (size - EDGE_PX)) / EDGE_PX
            return 0.0
        return along(at.x(), r.width()), along(at.y(), r.height())

    def _edge_scroll(self, at: QPointF) -> None:
        self._edge_at = QPointF(at)
        self._edge = self.edge_speed(at)
        if self._edge != (0.0, 0.0):
            if not self._edge_timer.isActive():
                self._edge_timer.start()
        else:
            self._edge_timer.stop()

    def _stop_edge_scroll(self) -> None:
        self._edge = (0.0, 0.0)
        self._edge_timer.stop()

    def _scroll_at_edge(self) -> None:
        if not self.board.card_drag_active():      # released (or cancelled with Esc)
            self._stop_edge_scroll()
            return
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        before = (h.value(), v.value())
        h.setValue(h.value() + round(self._edge[0]))
        v.setValue(v.value() + round(self._edge[1]))
        if (h.value(), v.value()) == before:
            return                              # at the end of the board
        # the held cards follow the mouse, which has not moved on the screen
        r = self.viewport().rect()      # (a scroll bar that came may have narrowed it)
        at = self._edge_at = QPointF(min(max(self._edge_at.x(), 0), r.width() - 1),
                                     min(max(self._edge_at.y(), 0), r.height() - 1))
        QApplication.sendEvent(self.viewport(), QMouseEvent(
            QEvent.MouseMove, at, self.viewport().mapToGlobal(at), Qt.NoButton,
            Qt.LeftButton, QApplication.keyboardModifiers()))

    # ------------------------------------------------------------------ dragging cards out
    def start_external_drag(self) -> Qt.DropAction:
        """A card drag that leaves the board becomes a real drag carrying the selected cards
        (``application/x-synth-cards``), so a panel beside the board can take them as
        evidence. The cards themselves stay where they were: a drop outside moves nothing."""
        mime = self.board.selection_mime()
        n = len(self.board.selected_refs())
        self.board.abandon_card_drag()
        if mime is None:
            return Qt.IgnoreAction
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.setPixmap(self._drag_badge(n))
        self.drag_started.emit(n)
        return self.exec_drag(drag)

    def exec_drag(self, drag: QDrag) -> Qt.DropAction:
        """Runs the platform's drag loop (a seam for tests: the offscreen platform's drag
        returns at once without delivering anything)."""
        return drag.exec(Qt.CopyAction | Qt.MoveAction, Qt.CopyAction)

    def _drag_badge(self, n: int) -> QPixmap:
        text = plural(n, "card")
        font = self.font()
        font.setBold(True)
        fm = QFontMetrics(font)
        w, h = fm.horizontalAdvance(text) + 20, fm.height() + 10
        pm = QPixmap(w, h)
        pm.fill(Qt.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.Antialiasing)
        p.setBrush(QColor("#1f4e79"))
        p.setPen(Qt.NoPen)
        p.drawRoundedRect(0, 0, w, h, 6, 6)
        p.setPen(QColor("white"))
        p.setFont(font)
        p.drawText(pm.rect(), Qt.AlignCenter, text)
        p.end()
        return pm

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._stop_edge_scroll()
        if event.button() == Qt.MiddleButton:
            self._pan_from = None
            return
        if event.button() == Qt.LeftButton:
            self._end_band()
        super().mouseReleaseEvent(event)

    # ------------------------------------------------------------------ the rubber band
    def _move_band(self, at: QPointF) -> None:
        """The band from the press to ``at``, as Qt drew its own: nothing until the mouse
        has moved the platform's drag distance; the scene selects what it crosses."""
        self._band_at = at
        start = QPointF(self.mapFromScene(self._band_from))
        if self._band_rect.isNull() and \
                (at - start).manhattanLength() < QApplication.startDragDistance():
            return
        rect = QRect(start.toPoint(), at.toPoint()).normalized()
        self.viewport().update(rect.united(self._band_rect).adjusted(-2, -2, 2, 2))
        self._band_rect = rect
        self.board.band_over(self.mapToScene(rect).boundingRect())

    def _follow_band(self) -> None:
        """The board moved under a held band (zoomed or scrolled): the band runs again from
        its start on the board to the mouse, which has not moved (a band not drawn yet waits
        for the mouse to move)."""
        if self._band_from is not None and not self._band_rect.isNull():
            self._move_band(self._band_at)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        super().scrollContentsBy(dx, dy)
        if not self._band_rect.isNull():
            # the band's pixels were scrolled with the board: where they went is repainted
            self.viewport().update(self._band_rect.translated(dx, dy).adjusted(-2, -2, 2, 2))
        self._follow_band()

    def _end_band(self, *, cancel: bool = False) -> bool:
        """The band released (``cancel``: Esc, what it selected deselected again); False if
        no band is held."""
        if self._band_from is None:
            return False
        self._band_from = None
        self.viewport().update(self._band_rect.adjusted(-2, -2, 2, 2))
        self._band_rect = QRect()
        if cancel:
            self.board.cancel_band()
        else:
            self.board.end_band()
        return True

    def cancel_band(self) -> bool:
        """Esc while a rubber band is held: it goes, with what it selected (the mouse still
        held then selects nothing); False if no band is held."""
        return self._end_band(cancel=True)

    def band_rect(self) -> QRect:
        """The rubber band on screen now, in viewport pixels (null: none)."""
        return QRect(self._band_rect)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802
        super().drawForeground(painter, rect)
        self._draw_ring(painter)
        if self._band_rect.isNull():
            return
        painter.save()
        painter.setWorldTransform(QTransform())      # viewport pixels
        option = QStyleOptionRubberBand()
        option.initFrom(self.viewport())
        option.rect = self._band_rect
        option.shape = QRubberBand.Rectangle
        self.viewport().style().drawControl(QStyle.CE_RubberBand, option, painter,
                                            self.viewport())
        painter.restore()

    # ------------------------------------------------------------------ the card the keys are on
    def ringed_card(self) -> CardItem | None:
        """The card the arrow keys are on, while it is selected and drawn too small to show
        its own focus border (far out, a card is a few pixels, under its theme's label)."""
        item = self._keyboard_card
        try:
            if item is None or item.scene() is not self.board or not item.isSelected():
                return None
        except RuntimeError:        # the board was read again: the item is gone
            self._keyboard_card = None
            return None
        return item if self.zoom() < self.board.style.readable_lod() else None

    def ring_rect(self) -> QRect:
        """Where the ring around the keyboard's card is drawn, in viewport pixels (null:
        none): around the card, never smaller than a thumb, so it is seen from the room."""
        item = self.ringed_card()
        return QRect() if item is None else self._ring_around(item.sceneBoundingRect())

    def _ring_around(self, scene_rect: QRectF) -> QRect:
        r = self.mapFromScene(scene_rect).boundingRect()
        c = r.center()
        w, h = max(r.width(), RING_MIN.width()), max(r.height(), RING_MIN.height())
        return QRect(c.x() - w // 2, c.y() - h // 2, w, h).adjusted(
            -RING_GAP, -RING_GAP, RING_GAP, RING_GAP)

    def _update_ring(self) -> None:
        """Repaint where the ring was and where it is now (the view paints only what
        changed). Where it was is kept in the scene's coordinates: scrolled since, it is
        still found; zoomed since, the whole view was painted again."""
        item = self.ringed_card()
        old, self._ring_at = self._ring_at, \
            (QRectF() if item is None else item.sceneBoundingRect())
        for r in (old, self._ring_at):
            if not r.isNull():
                self.viewport().update(self._ring_around(r).adjusted(-RING_PEN, -RING_PEN,
                                                                     RING_PEN, RING_PEN))

    def _on_focus_item_changed(self, new, _old, _reason) -> None:
        if isinstance(new, CardItem):
            self._keyboard_card = new
        self._update_ring()

    def _draw_ring(self, painter: QPainter) -> None:
        ring = self.ring_rect()
        if ring.isNull():
            return
        selection = self.board.style.colour("selection")
        painter.save()
        # the card itself in the selection colour too: far out its theme's label covers it
        painter.fillRect(self._keyboard_card.sceneBoundingRect(), selection)
        painter.setWorldTransform(QTransform())      # viewport pixels
        painter.setBrush(Qt.NoBrush)
        # a black edge each side of the selection colour: seen on black, on white and on
        # a yellow card alike
        painter.setPen(QPen(QColor("#000000"), RING_PEN))
        painter.drawRect(ring)
        painter.setPen(QPen(selection, RING_PEN - 4))
        painter.drawRect(ring)
        painter.restore()

    # ------------------------------------------------------------------ keyboard
    def current_card(self) -> CardItem | None:
        f = self.board.focusItem()
        if isinstance(f, CardItem):
            return f
        sel = [i for i in self.board.selectedItems() if isinstance(i, CardItem)]
        return sel[0] if sel else None

    def focus_card(self, item: CardItem, *, extend: bool = False) -> None:
        self._fit_on_resize = False     # a card brought into view stays there
        self._keyboard_card = item
        self.board.select_items([item], add=extend)     # the window told once, not twice
        self.board.setFocusItem(item)
        self._update_ring()
        self.ensureVisible(item, 60, 60)
        text = item.accessible_text()
        if not item.ghost:      # a suggestion says where it lies already
            tid = item.card.theme_id
            text += (f"; in theme {theme_path(self.board.themes, tid)}"
                     if tid in self.board.themes else "; unsorted")
        self.setAccessibleDescription(text)
        self.focus_described.emit(text)

    def neighbour(self, item: CardItem, dx: int, dy: int) -> CardItem | None:
        c = item.sceneBoundingRect().center()
        best, best_score = None, math.inf
        candidates = list(self.board.card_items.values())
        for g in self.board.ghosts.values():
            candidates += g
        for other in candidates:
            if other is item:
                continue
            o = other.sceneBoundingRect().center()
            vx, vy = o.x() - c.x(), o.y() - c.y()
            along = vx * dx + vy * dy
            if along <= 1:
                continue
            across = abs(vx * dy) + abs(vy * dx)
            score = along + 3 * across
            if score < best_score:
                best, best_score = other, score
        return best

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self._fit_on_resize = False
        key, mods = event.key(), event.modifiers()
        arrows = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1),
                  Qt.Key_Down: (0, 1)}
        if key in arrows and not (mods & Qt.ControlModifier):
            cur = self.current_card()
            if cur is None:
                first = self._first_card()
                if first is not None:
                    self.focus_card(first)
                return
            nxt = self.neighbour(cur, *arrows[key])
            if nxt is not None:
                self.focus_card(nxt, extend=bool(mods & Qt.ShiftModifier))
            return
        if key in arrows:   # Ctrl+arrows pan
            dx, dy = arrows[key]
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx * 200)
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy * 200)
            return
        if key in (Qt.Key_Return, Qt.Key_Enter):
            if self.board.selected_ghosts():    # the few suggestions asked, not the cards
                self.accept_ghost_requested.emit()
                return
        if key == Qt.Key_Escape:
            event.ignore()      # the window's, wherever the focus is (MainWindow.escape)
            return
        super().keyPressEvent(event)

    def _first_card(self) -> CardItem | None:
        items = sorted(self.board.card_items.values(),
                       key=lambda i: (i.scenePos().y(), i.scenePos().x()))
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        for i in items:
            if visible.contains(i.sceneBoundingRect().center()):
                return i
        return items[0] if items else None

    def frame_under_selection(self) -> ThemeFrame | None:
        cur = self.current_card()
        if cur is None:
            return None
        return self.board.frame_at(cur.sceneBoundingRect().center())
