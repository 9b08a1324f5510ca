"""The board scene: mirrors the project's cards and themes, and turns drags into operations.

The scene never changes the project itself: a drop calls ``run_operation`` (the window's undo
stack) with one ``MoveCards``, and the scene then follows the ChangeSet the history reports,
like every other view. Layout is recomputed from the model after each change, so what is on
screen is always what is in the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from synth.board import CardRef, MoveCards
from synth.operations import ChangeSet

from . import data as board_data
from .items import CardItem, FrameLabel, ThemeFrame
from .layout import CARD_H, CARD_W, Rect, card_offset, pack_frames
from .style import BoardStyle

FILL_SLICE = 2000      # cards placed per turn of the event loop while a big board fills
_LIGHT_TABLES = {"card_places", "themes", "dot_votes", "settings", "memos", "quotes",
                 "recommendations", "evidence", "codings"}


@dataclass
class CardFilter:
    text: str = ""
    kinds: frozenset[str] = frozenset()
    site: str = ""
    group: int | None = None
    agree_min: float = 0.0
    agree_max: float = 1.0

    def is_empty(self) -> bool:
        return (not self.text.strip() and not self.kinds and not self.site
                and self.group is None and self.agree_min <= 0.0 and self.agree_max >= 1.0)

    def matches(self, c: board_data.CardData) -> bool:
        if self.kinds and c.kind not in self.kinds:
            return False
        if self.site and c.site != self.site:
            return False
        if self.group is not None and c.opinion_group != self.group:
            return False
        if self.agree_min > 0.0 or self.agree_max < 1.0:
            share = c.agree_share
            if share is None or not (self.agree_min <= share <= self.agree_max):
                return False
        words = self.text.lower().split()
        if words:
            hay = c.text.lower()
            return all(w in hay for w in words)
        return True


class BoardScene(QGraphicsScene):
    selection_described = Signal(str)
    layout_changed = Signal()
    filter_counted = Signal(int, int)        # matching, total

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.style = BoardStyle()
        self.project: Any = None
        self.run_operation: Callable[[Any], Any] | None = None
        # set by the window: how a full reload happens (in the background for a big project)
        self.reloader: Callable[[], Any] | None = None
        self.ready = True           # False while a big board is being filled
        self._generation = 0        # bumped by every clear: stale fill steps stop
        self.cards: dict[CardRef, board_data.CardData] = {}
        self.themes: dict[int, board_data.ThemeData] = {}
        self.card_items: dict[CardRef, CardItem] = {}
        self.frames: dict[int | None, ThemeFrame] = {}
        self.ghosts: dict[int, list[CardItem]] = {}
        self.frame_cols: dict[int | None, int] = {}
        self.filter = CardFilter()
        self._press: QPointF | None = None
        self._press_positions: dict[CardItem, QPointF] = {}
        self.setBackgroundBrush(self.style.background)
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        self.selectionChanged.connect(self._on_selection_changed)

    # ------------------------------------------------------------------ loading
    def set_project(self, project: Any | None) -> None:
        self.project = project
        self.reload()

    def reload(self) -> None:
        """Read the board from the project and build it, all at once (a small project; the
        window fills a big one through ``begin_fill`` instead, see ``loading``)."""
        if self.reloader is not None:
            self.reloader()
            return
        if self.project is None:
            self.show_data({}, {})
        else:
            self.show_data(*self.read_board())

    def read_board(self, project: Any = None) -> tuple[dict, dict]:
        """The board's data: plain Python objects, no Qt (a worker may call this)."""
        project = project if project is not None else self.project
        return board_data.load_cards(project), board_data.load_themes(project)

    def show_data(self, cards: dict, themes: dict) -> None:
        for _ in self.begin_fill(cards, themes):
            pass

    def begin_fill(self, cards: dict, themes: dict) -> Iterator[int]:
        """Clear the board, take the data, and return the steps that build it: each step places
        up to ``FILL_SLICE`` cards and yields how many are placed, so a caller can give the event
        loop a turn between slices. The board is ``ready`` once the last step has run; clearing
        it again (another project) makes the remaining steps do nothing."""
        self.clear_board()
        if self.project is None:
            self.setSceneRect(QRectF(0, 0, 800, 600))
            return iter(())
        self.ready = False
        self.cards, self.themes = cards, themes
        for c in self.cards.values():
            if c.site:
                self.style.sites.setdefault(c.site, len(self.style.sites))
        self._sync_frames()
        return self._fill_steps(self._generation)

    def _fill_steps(self, generation: int) -> Iterator[int]:
        for n in self._layout_steps(FILL_SLICE):
            if generation != self._generation:
                return
            yield n
            if generation != self._generation:   # cleared while the event loop ran
                return
        self.ready = True
        self.apply_filter(self.filter)
        yield len(self.cards)

    def clear_board(self) -> None:
        self._generation += 1
        self.ready = True
        self.clearSelection()
        self.clear()
        self.cards, self.themes, self.card_items, self.frames, self.ghosts = {}, {}, {}, {}, {}

    def _sync_frames(self) -> None:
        wanted: set[int | None] = {None, *self.themes}
        for key in list(self.frames):
            if key not in wanted:
                frame = self.frames.pop(key)
                if frame.label is not None:
                    self.removeItem(frame.label)
                self.removeItem(frame)
                for g in self.ghosts.pop(key, []):   # type: ignore[arg-type]
                    self.removeItem(g)
        for key in wanted:
            frame = self.frames.get(key)
            theme = self.themes.get(key) if key is not None else None
            if frame is None:
                frame = ThemeFrame(theme, self.style)
                self.frames[key] = frame
                self.addItem(frame)
                frame.label = FrameLabel(frame)
                self.addItem(frame.label)
            frame.theme = theme
            # a sub-theme is drawn inside its parent, so its own name is enough
            frame.title = "Unsorted" if theme is None else theme.name
            frame.path = "Unsorted" if theme is None else board_data.theme_path(self.themes, key)
            frame.setZValue(0.0 if theme is None else min(1.0, 0.1 * theme.depth))
            if theme is not None and theme.status == "candidate":
                frame.hint = "Candidate theme · A accept · Shift+Del dissolve"
            elif self.ghosts.get(key):   # type: ignore[arg-type]
                frame.hint = "Suggestions shown dashed · Enter on one accepts it · Shift+A all"
            else:
                frame.hint = ""
            frame.update()

    # ------------------------------------------------------------------ following the model
    def apply_changes(self, changes: ChangeSet) -> None:
        if self.project is None or not changes.changes:
            return
        tables = changes.tables()
        if not tables <= _LIGHT_TABLES:
            self.reload()
            return
        if "card_places" in tables:
            keys = changes.keys("card_places")
            for kind, cid in keys:
                c = self.cards.get((kind, cid))
                if c is None:
                    continue
                row = self.project.query("SELECT theme_id, y, x FROM card_places "
                                         "WHERE card_kind = ? AND card_id = ?", (kind, cid))
                if row:
                    c.theme_id, c.order = row[0][0], float(row[0][1]) * 10000 + float(row[0][2])
                else:
                    c.theme_id, c.order = None, 0.0
        if tables & {"themes", "dot_votes"}:
            self.themes = board_data.load_themes(self.project)
            for c in self.cards.values():   # cards of a deleted theme fall back to unsorted
                if c.theme_id is not None and c.theme_id not in self.themes:
                    c.theme_id = None
            self._sync_frames()
        if tables & {"card_places", "themes", "dot_votes"}:
            for tid in list(self.ghosts):
                self._drop_placed_ghosts(tid)
            self.relayout()

    # ------------------------------------------------------------------ layout
    def members(self) -> dict[int | None, list[board_data.CardData]]:
        out: dict[int | None, list[board_data.CardData]] = {None: []}
        for t in self.themes:
            out[t] = []
        for c in self.cards.values():
            out.setdefault(c.theme_id if c.theme_id in self.themes else None, []).append(c)
        for lst in out.values():
            lst.sort(key=lambda c: (c.order, c.kind, c.id))
        return out

    def relayout(self) -> None:
        for _ in self._layout_steps(None):
            pass

    def _layout_steps(self, slice_size: int | None) -> Iterator[int]:
        """Frames and cards where the model says, making the card items still missing; yields
        after every ``slice_size`` cards placed (never, if None)."""
        members = self.members()
        order = board_data.ordered_themes(self.themes)
        sizes = [(t.id, len(members.get(t.id, [])) + len(self.ghosts.get(t.id, [])))
                 for t in order]
        parents = {t.id: t.parent_id for t in order if t.parent_id in self.themes}
        rects, (urect, ucols) = pack_frames(sizes, unsorted_n=len(members[None]),
                                            parents=parents)
        rects[None] = (urect, ucols)
        room: dict[Any, float] = {}
        for child, parent in parents.items():   # a parent's label stays above its sub-themes
            if child in rects and parent in rects:
                gap = rects[child][0].y - rects[parent][0].y
                room[parent] = min(room.get(parent, gap), gap)
        right = max((r.x + r.w for r, _ in rects.values()), default=800)
        bottom = max((r.y + r.h for r, _ in rects.values()), default=600)
        # the whole rect first: items added in slices do not make the index grow step by step
        self.setSceneRect(QRectF(-200, -200, right + 400, bottom + 400))
        placed = 0
        for key, (rect, cols) in rects.items():
            frame = self.frames.get(key)
            if frame is None:
                continue
            frame.label_room = room.get(key, 0.0)
            self.frame_cols[key] = cols
            frame.cols = cols
            cards = members.get(key, [])
            frame.count = len(cards)
            frame.summary = board_data.summary_line(cards)
            frame.set_rect(QRectF(rect.x, rect.y, rect.w, rect.h))
            cells: list = []
            frame.cells = cells         # filled as the cards are placed
            for i, c in enumerate(cards):
                dx, dy = card_offset(i, cols)
                item = self.card_items.get(c.ref)
                if item is None:
                    item = self._new_card_item(c)
                item.setPos(rect.x + dx, rect.y + dy)
                cells.append((item, QRectF(dx, dy, CARD_W, CARD_H)))
                placed += 1
                if slice_size and placed % slice_size == 0:
                    frame.cell_cache = None
                    frame.update()
                    yield placed
            frame.cell_cache = None
            frame.update()
            for j, g in enumerate(self.ghosts.get(key, [])):   # type: ignore[arg-type]
                dx, dy = card_offset(len(cards) + j, cols)
                g.setPos(rect.x + dx, rect.y + dy)
        self.layout_changed.emit()

    def _new_card_item(self, c: board_data.CardData) -> CardItem:
        item = CardItem(c, self.style)
        if self.style.overview:
            item.setOpacity(0.0)
        self.card_items[c.ref] = item
        self.addItem(item)
        return item

    def frame_rect(self, theme_id: int | None) -> QRectF:
        f = self.frames.get(theme_id)
        return f.sceneBoundingRect() if f is not None else QRectF()

    def frame_at(self, pos: QPointF) -> ThemeFrame | None:
        """The innermost frame under a point (sub-themes lie inside their parent's frame)."""
        best, best_area = None, float("inf")
        for f in self.frames.values():
            r = f.sceneBoundingRect()
            if Rect(r.x(), r.y(), r.width(), r.height()).contains(pos.x(), pos.y()) \
                    and r.width() * r.height() < best_area:
                best, best_area = f, r.width() * r.height()
        return best

    # ------------------------------------------------------------------ selection
    def selected_cards(self) -> list[CardItem]:
        return [i for i in self.selectedItems() if isinstance(i, CardItem) and not i.ghost]

    def selected_refs(self) -> list[CardRef]:
        return [i.ref for i in self.selected_cards()]

    def selected_ghosts(self) -> list[CardItem]:
        return [i for i in self.selectedItems() if isinstance(i, CardItem) and i.ghost]

    def selected_theme_ids(self) -> list[int]:
        return [i.theme_id for i in self.selectedItems()
                if isinstance(i, ThemeFrame) and i.theme_id is not None]

    def select_cards(self, refs: Iterable[CardRef]) -> None:
        self.clearSelection()
        for r in refs:
            item = self.card_items.get(r)
            if item is not None:
                item.setSelected(True)

    # ------------------------------------------------------------------ moving cards
    def move_cards(self, refs: list[CardRef], theme_id: int | None) -> None:
        """One MoveCards for every card not already there, appended in the order given."""
        refs = [r for r in refs if r in self.cards and self.cards[r].theme_id != theme_id]
        if not refs or self.run_operation is None:
            self.relayout()
            return
        positions = None
        if theme_id is not None:
            start = max((c.order for c in self.cards.values() if c.theme_id == theme_id),
                        default=-10000.0) // 10000 + 1
            positions = [(0.0, float(start + i)) for i in range(len(refs))]
        try:
            self.run_operation(MoveCards(refs, theme_id, positions))
        finally:
            self.relayout()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        super().mousePressEvent(event)
        grabber = self.mouseGrabberItem()
        if isinstance(grabber, CardItem) and not grabber.ghost \
                and event.button() == Qt.LeftButton:
            self._press = event.scenePos()
            self._press_positions = {i: i.pos() for i in self.selected_cards()}
        else:
            self._press = None

    def card_drag_active(self) -> bool:
        """A left-button drag of cards started on the board and has not been released."""
        return self._press is not None and self.mouseGrabberItem() is not None

    def selection_mime(self) -> QMimeData | None:
        """The selected cards as ``application/x-synth-cards``: what panels outside the board
        (recommendations, evidence lists) accept as a drop."""
        refs = self.selected_refs()
        if not refs:
            return None
        from ..coding.common import cards_mime
        return cards_mime(refs)

    def abandon_card_drag(self) -> None:
        """The drag left the board: cards go back where they were, nothing is moved, and the
        item that grabbed the mouse lets it go (the release goes to the outside drag)."""
        self._press = None
        self._press_positions = {}
        grabber = self.mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()
        self.relayout()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        press, self._press = self._press, None
        moved = press is not None and any(i.pos() != p for i, p in self._press_positions.items())
        self._press_positions = {}
        super().mouseReleaseEvent(event)
        if not moved:
            return
        frame = self.frame_at(event.scenePos())
        refs = self.selected_refs()
        if frame is None:
            self.relayout()        # dropped on empty canvas: everything goes back
            return
        self.move_cards(refs, frame.theme_id)

    # ------------------------------------------------------------------ drops from outside
    # Cards dragged off the board and back (or from an evidence list) land in the frame under
    # the cursor as one MoveCards, like a drag inside the board.
    def _drop_target(self, event: Any) -> ThemeFrame | None:
        if not event.mimeData().hasFormat("application/x-synth-cards"):
            return None
        return self.frame_at(event.scenePos())

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat("application/x-synth-cards"):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self._drop_target(event) is not None:
            event.setDropAction(Qt.MoveAction if event.possibleActions() & Qt.MoveAction
                                else event.proposedAction())
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        frame = self._drop_target(event)
        if frame is None:
            event.ignore()
            return
        from ..coding.common import refs_from_mime
        refs = [r for r in refs_from_mime(event.mimeData()) if r in self.cards]
        event.accept()
        self.move_cards(refs, frame.theme_id)

    # ------------------------------------------------------------------ suggestions (ghosts)
    def set_suggestions(self, theme_id: int, refs: list[CardRef]) -> None:
        for g in self.ghosts.pop(theme_id, []):
            self.removeItem(g)
        items = []
        for r in refs:
            c = self.cards.get(r)
            if c is None or c.theme_id == theme_id:
                continue
            g = CardItem(c, self.style, ghost=True)
            self.addItem(g)
            items.append(g)
        if items:
            self.ghosts[theme_id] = items
        self._sync_frames()
        self.relayout()

    def _drop_placed_ghosts(self, theme_id: int) -> None:
        keep = []
        for g in self.ghosts.get(theme_id, []):
            if theme_id in self.themes and self.cards.get(g.ref) is not None \
                    and self.cards[g.ref].theme_id != theme_id:
                keep.append(g)
            else:
                self.removeItem(g)
        if keep:
            self.ghosts[theme_id] = keep
        else:
            self.ghosts.pop(theme_id, None)
            self._sync_frames()

    def ghost_theme(self, ghost: CardItem) -> int | None:
        for tid, lst in self.ghosts.items():
            if ghost in lst:
                return tid
        return None

    # ------------------------------------------------------------------ look
    def apply_filter(self, flt: CardFilter) -> None:
        self.filter = flt
        empty = flt.is_empty()
        n = 0
        for item in self.card_items.values():
            hit = empty or flt.matches(item.card)
            n += hit
            if item.dimmed == hit:
                item.dimmed = not hit
                item.update()
        self.filter_counted.emit(n, len(self.card_items))
        self._on_selection_changed()

    def set_overview(self, on: bool) -> None:
        """Far out, frames draw their cards in batches and the card items step aside
        (transparent items are skipped by Qt's renderer but stay selected and in place)."""
        if on == self.style.overview:
            return
        self.style.overview = on
        for item in self.card_items.values():
            item.setOpacity(0.0 if on else 1.0)
        for f in self.frames.values():
            f.update()

    def _on_selection_changed(self) -> None:
        for f in self.frames.values():
            f.cell_cache = None
            if self.style.overview:
                f.update()

    def set_colour_by(self, mode: str) -> None:
        self.style.colour_by = mode
        self.refresh_look()

    def set_presentation_look(self, *, text_scale: float, high_contrast: bool) -> None:
        self.style.text_scale = text_scale
        self.style.high_contrast = high_contrast
        self.refresh_look()

    def refresh_look(self) -> None:
        self.style.bump()
        self.setBackgroundBrush(self.style.background)
        self.update()

    def sites(self) -> list[str]:
        return sorted({c.site for c in self.cards.values() if c.site})

    def groups(self) -> list[int]:
        return sorted({c.opinion_group for c in self.cards.values()
                       if c.opinion_group is not None})


def colour_swatch(colour: str) -> QColor:
    return QColor(colour)
