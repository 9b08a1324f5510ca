"""The board scene: mirrors the project's cards and themes, and turns drags into operations.

The scene never changes the project itself: a drop calls ``run_operation`` (the window's undo
stack) with one ``MoveCards``, and the scene then follows the ChangeSet the history reports,
like every other view. Layout is recomputed from the model after each change, so what is on
screen is always what is in the file; but only the frames whose place, width or cards changed
have their cards placed again (a big board has 120,000 cards, an edit touches a few themes).
"""
from __future__ import annotations

import dataclasses
import time
from collections import deque
from dataclasses import dataclass
from contextlib import contextmanager
from itertools import repeat
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QApplication, QGraphicsItem, QGraphicsScene,
                               QGraphicsSceneMouseEvent)

from synth.board import Batch, CardRef, MoveCards
from synth.operations import ChangeSet
from synth.words import plural

from . import data as board_data
from .band import Band, items_crossed
from ..cards_mime import CARDS_MIME, cards_mime, refs_from_mime
from .items import CardItem, ThemeFrame, cards_per_block, cell_rects, prepare_cells
from .labels import FrameLabel
from .layout import Anchor, Rect, card_offset, pack_frames, slot_at
from .style import BoardStyle

FILL_SLICE = 500       # cards placed per turn of the event loop while a big board fills
BIG_RELAYOUT = 10_000  # above this many cards an edit's relayout goes on over several turns
BAND_TELL_MS = 16      # a moving rubber band tells the panels at most once a frame
MANY_CHANGED = 500     # more items than this change their selection: repaint all, once
RELAYOUT_BUDGET = 0.04  # seconds of placing cards per turn of the event loop, then a pause
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
        words = board_data.search_key(self.text).split()
        if words:
            hay = board_data.search_key(c.text)
            return all(w in hay for w in words)
        return True


class Selection(NamedTuple):
    """What is selected on the board, sorted in one pass over the scene's selected items."""
    cards: list[CardItem]         # cards (not suggestions)
    ghosts: list[CardItem]        # suggestions
    theme_ids: list[int]          # frames chosen by their titles (not the unsorted area)


def _order_key(c: board_data.CardData) -> tuple:
    return (c.order, c.kind, c.id)


class BoardScene(QGraphicsScene):
    selection_described = Signal(str)
    selection_made = Signal(object)          # a Selection, after each selectionChanged
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
        # each frame's cards in board order, kept between changes: only the lists of themes a
        # change touches are rebuilt (None: rebuild them all on next use)
        self._members: dict[int | None, list[board_data.CardData]] | None = None
        self._stale_members: set[int | None] = set()
        # what each frame's cards were last placed for: (rect, cols, cards list, ghosts)
        self._placed: dict[int | None, tuple] = {}
        self._anchor: Anchor | None = None     # the packing kept (see layout.Anchor)
        self._relayout_rest: Iterator[int] | None = None    # a big relayout's remaining turns
        self._force_pending: set[int | None] = set()
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._relayout_turn)
        self.filter = CardFilter()
        self._press: QPointF | None = None
        self._press_positions: dict[CardItem, QPointF] = {}
        self._selected_before: set[CardItem] = set()
        self._known: Selection | None = None   # see _one_selection_change
        self._applied = False       # the selection said next is counted already (a band's)
        self._band: Band | None = None
        self._band_timer = QTimer(self)
        self._band_timer.setSingleShot(True)
        self._band_timer.setInterval(BAND_TELL_MS)
        self._band_timer.timeout.connect(self._tell_band)
        self._band_untold = False
        self._detached = False      # the dragged cards left their blocks
        # far out (overview) the card items take no mouse: a press on a card's cell is the
        # scene's own, and the scene moves the dragged cards itself (see card_under)
        self._far_drag = False
        self._hay: tuple[list[CardItem], list[str] | None] = ([], None)
        self._hay_of: tuple | None = None    # (cards, number of items) they were made for
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
        return self._take(cards, themes)

    def begin_refresh(self, cards: dict, themes: dict) -> Iterator[int]:
        """Like ``begin_fill`` for data read again from the project on show: the card items
        stay (and keep their selection); each takes its new data as its slice is placed, the
        items of cards that are gone leave, and the suggestions are dropped."""
        self._generation += 1
        self._stop_relayout()
        self.ready = False
        for ref in [r for r in self.card_items if r not in cards]:
            self.removeItem(self.card_items.pop(ref))
        for lst in self.ghosts.values():
            for g in lst:
                self.removeItem(g)
        self.ghosts = {}
        return self._take(cards, themes)

    def _take(self, cards: dict, themes: dict) -> Iterator[int]:
        self.ready = False
        self.cards, self.themes = cards, themes
        self._members, self._placed = None, {}
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
        self._stop_relayout()
        self.ready = True
        self._band, self._band_untold = None, False     # its items are about to go
        self._band_timer.stop()
        self.clearSelection()
        self.clear()
        self._selected_before = self.style.selected = set()
        self.cards, self.themes, self.card_items, self.frames, self.ghosts = {}, {}, {}, {}, {}
        self._members, self._placed = None, {}
        self._anchor = None       # packed anew for the board as opened

    def _sync_frames(self) -> None:
        wanted: set[int | None] = {None, *self.themes}
        for key in list(self.frames):
            if key not in wanted:
                frame = self.frames.pop(key)
                for item in frame.card_items():   # its cards stay, for another frame
                    item.setParentItem(None)
                    item.frame = item.block = None
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
            frame.label.update()        # far out it shows the name, count and dots

    # ------------------------------------------------------------------ following the model
    def apply_changes(self, changes: ChangeSet) -> None:
        if self.project is None or not changes.changes:
            return
        tables = changes.tables()
        if not tables <= _LIGHT_TABLES:
            self.reload()
            return
        if "card_places" in tables:
            self._follow_places(changes)
        if tables & {"themes", "dot_votes"}:
            before = set(self.themes)
            self.themes = board_data.load_themes(self.project)
            gone = before - set(self.themes)
            if gone:      # cards of a deleted theme fall back to unsorted
                for tid in gone:
                    for c in (self._members or {}).get(tid, []):
                        if c.theme_id == tid:
                            c.theme_id = None
                if self._members is None:
                    for c in self.cards.values():
                        if c.theme_id is not None and c.theme_id not in self.themes:
                            c.theme_id = None
                self._stale_members |= gone | {None}
            self._stale_members |= set(self.themes) - before
            self._sync_frames()
        if tables & {"card_places", "themes", "dot_votes"}:
            for tid in list(self.ghosts):
                self._drop_placed_ghosts(tid)
            self.relayout(only_changed=True)

    def _follow_places(self, changes: ChangeSet) -> None:
        """Where the cards a change moved now lie, from the change's own after-images (the
        last one of each card; None: the card went back to the unsorted pile)."""
        last: dict[CardRef, Any] = {}
        for change in changes.changes:
            if change.table == "card_places" and change.key in self.cards:
                last[change.key] = change.after
        for ref, row in last.items():
            c = self.cards[ref]
            self._stale_members.add(c.theme_id if c.theme_id in self.themes else None)
            c.theme_id, c.order = (None, 0.0) if row is None else \
                (row["theme_id"], float(row["y"]) * 10000 + float(row["x"]))
            self._stale_members.add(c.theme_id if c.theme_id in self.themes else None)

    # ------------------------------------------------------------------ layout
    def members(self) -> dict[int | None, list[board_data.CardData]]:
        """Each frame's cards in board order (the unsorted pile under None). Kept between
        changes: only the lists of the themes a change touched are rebuilt. Read it, do not
        change it."""
        key = _order_key
        if self._members is None:
            out: dict[int | None, list[board_data.CardData]] = {None: []}
            for t in self.themes:
                out[t] = []
            for c in self.cards.values():
                out.setdefault(c.theme_id if c.theme_id in self.themes else None, []).append(c)
            for lst in out.values():
                lst.sort(key=key)
            self._members, self._stale_members = out, set()
            return out
        if self._stale_members:
            # every card that changed frame was in a stale frame's list before (the change
            # marked both the frame it left and the one it joined): rebuild only those lists
            old, themes = self._members, self.themes
            stale, self._stale_members = self._stale_members, set()
            fresh: dict[int | None, list] = {k: [] for k in stale if k is None or k in themes}
            for k in stale:
                for c in old.get(k, ()):
                    now = c.theme_id if c.theme_id in themes else None
                    if now in fresh:
                        fresh[now].append(c)
            for k in [k for k in old if k is not None and k not in themes]:
                del old[k]
            for k, lst in fresh.items():
                lst.sort(key=key)
                old[k] = lst
            for t in themes:
                old.setdefault(t, [])
        return self._members

    def relayout(self, only_changed: bool = False, force: Iterable[int | None] = ()) -> None:
        """Put frames and cards where the model says. ``only_changed``: leave the cards of a
        frame that kept its place, width and cards where they are (besides the ``force``d
        frames: those whose cards were dragged). On a big board the frames whose cards changed
        are placed at once and the frames that only moved follow, ``RELAYOUT_BUDGET`` seconds
        per turn of the event loop (a new relayout takes over what is left)."""
        self._relayout_timer.stop()
        self._relayout_rest = None
        if not only_changed:
            self._force_pending = set()
            for _ in self._layout_steps(None, None):
                pass
            return
        self._force_pending |= set(force)
        steps = self._layout_steps(None if len(self.cards) <= BIG_RELAYOUT else 1000,
                                   self._force_pending)
        self._relayout_rest = steps
        self._relayout_turn()

    def _stop_relayout(self) -> None:
        self._relayout_timer.stop()
        self._relayout_rest = None
        self._force_pending = set()

    def relayout_pending(self) -> bool:
        """Frames of a big board are still being moved to their places."""
        return self._relayout_rest is not None

    def _relayout_turn(self, all_at_once: bool = False) -> None:
        steps = self._relayout_rest
        if steps is None:
            return
        end = None if all_at_once else time.perf_counter() + RELAYOUT_BUDGET
        for _ in steps:
            if end is not None and time.perf_counter() > end:
                self._relayout_timer.start()
                return
        if self._relayout_rest is steps:
            self._relayout_rest = None

    def _layout_steps(self, slice_size: int | None, force: set | None = None
                      ) -> Iterator[int]:
        """Frames and cards where the model says, making the card items still missing; yields
        after every ``slice_size`` cards placed (never, if None). ``force``: None places every
        frame's cards; a set places those frames' and the frames that changed."""
        members = self.members()
        order = board_data.ordered_themes(self.themes, accepted_first=False)
        sizes = [(t.id, len(members.get(t.id, [])) + len(self.ghosts.get(t.id, [])))
                 for t in order]
        parents = {t.id: t.parent_id for t in order if t.parent_id in self.themes}
        # the packing of the board as opened is kept: frames stay where the team saw them
        rects, (urect, ucols), self._anchor = pack_frames(
            sizes, unsorted_n=len(members[None]), parents=parents, anchor=self._anchor)
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

        def same_cards(key: Any) -> bool:        # placed before as they are now, maybe moved
            done = self._placed.get(key)
            return force is not None and key not in force and done is not None \
                and done[1] == rects[key][1] and done[2] is members.get(key) \
                and done[3] == tuple(self.ghosts.get(key, []))   # type: ignore[arg-type]
        # the frames whose cards changed first, then those that only moved
        for key in sorted(rects, key=same_cards):
            rect, cols = rects[key]
            frame = self.frames.get(key)
            if frame is None:
                continue
            frame.label_room = room.get(key, 0.0)
            self.frame_cols[key] = cols
            frame.cols = cols
            cards = members.get(key, [])
            ghosts = tuple(self.ghosts.get(key, []))   # type: ignore[arg-type]
            if same_cards(key):
                if self._placed[key][0] != rect:    # the same cells, somewhere else
                    frame.set_rect(QRectF(rect.x, rect.y, rect.w, rect.h))   # cards follow
                    for j, g in enumerate(ghosts):
                        dx, dy = card_offset(len(cards) + j, cols)
                        g.setPos(rect.x + dx, rect.y + dy)
                    self._placed[key] = (rect, cols, cards, ghosts)
                    placed += len(cards)
                    if slice_size:
                        yield placed
                continue
            if force is not None:
                force.discard(key)
            self._placed.pop(key, None)      # until every card of it is placed
            frame.own_summary = frame.summary = board_data.summary_line(cards)
            frame.count = len(cards)
            if slice_size and len(cards) > slice_size:
                yield placed        # a big frame's summary took a turn of its own
            frame.set_rect(QRectF(rect.x, rect.y, rect.w, rect.h))
            cells: list = []
            frame.cells = cells         # filled as the cards are placed
            frame.shape_blocks(len(cards))
            per_block = cards_per_block(cols)
            block = None
            cell_at: list = []
            for i, c in enumerate(cards):
                dx, dy = card_offset(i, cols)
                if i % per_block == 0:
                    block = frame.block_for(i)
                    cell_at = cell_rects(cols, min(len(cards), i + per_block))
                item = self.card_items.get(c.ref)
                if item is None:
                    item = self._new_card_item(c)
                elif item.card is not c:
                    item.set_card(c)
                if item.block is not block:
                    item.setParentItem(block)     # in the frame's coordinates from now on
                    item.block = block
                item.frame = frame
                item.setPos(dx, dy)
                cells.append((item, cell_at[i]))
                placed += 1
                if slice_size and placed % slice_size == 0:
                    if force is None:   # filling: the far-out batches grow with the cells
                        prepare_cells(frame)
                    frame.update()
                    yield placed
            frame.update()              # new cells: its batches are made again when drawn
            for j, g in enumerate(ghosts):
                dx, dy = card_offset(len(cards) + j, cols)
                g.setPos(rect.x + dx, rect.y + dy)
            self._placed[key] = (rect, cols, cards, ghosts)
        self._count_with_subthemes(members)
        self.layout_changed.emit()

    def _count_with_subthemes(self, members: dict) -> None:
        """Each frame's count holds its sub-themes' cards too: a theme split by similarity
        keeps none of its own but is no empty theme. A parent with no cards of its own says
        where they are instead of "no cards yet". Made from the frame's own summary each
        time, never from the one written here before: emptied sub-themes leave no claim."""
        totals = board_data.with_subthemes(self.themes, members)
        for key, frame in self.frames.items():
            own = len(members.get(key, []))
            count = own if key is None else totals.get(key, own)
            if key is not None and key in self.themes:
                self.themes[key].total = count
            summary = frame.own_summary
            if key is not None and own == 0 and count:
                subs = sum(1 for t in self.themes.values() if t.parent_id == key)
                summary = f"{plural(count, 'card')} in {plural(subs, 'sub-theme')}"
            if frame.count != count or frame.summary != summary:
                frame.count, frame.summary = count, summary
                frame.update()
                if frame.label is not None:
                    frame.label.update()

    def _new_card_item(self, c: board_data.CardData) -> CardItem:
        item = CardItem(c, self.style)
        self.card_items[c.ref] = item       # enters the scene with its frame's layer
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
    def selection(self) -> Selection:
        """The selected cards, suggestions and themes: what a bulk selection just made knows
        (Select all: 120,000 cards), else one read of the scene's selected items."""
        known, self._known = self._known, None
        return known if known is not None else self._read_selection()

    def _read_selection(self) -> Selection:
        """One read of the selected items, sorted with no Python call per card: the few
        frames and suggestions are asked whether they are selected, and the cards are the rest
        of the list (with 120,000 selected, an isinstance and a ``ghost`` per item took 90 ms
        on top of the read)."""
        items = self.selectedItems()
        special = {x for x in self._frames_and_ghosts() if x.isSelected()}
        if not special:
            return Selection([i for i in items if isinstance(i, CardItem)], [], [])
        cards: list[CardItem] = []
        ghosts: list[CardItem] = []
        theme_ids: list[int] = []
        for i in items:       # in the read's order, as before
            if i not in special:
                if isinstance(i, CardItem):
                    cards.append(i)
            elif isinstance(i, CardItem):
                ghosts.append(i)
            elif i.theme_id is not None:
                theme_ids.append(i.theme_id)
        return Selection(cards, ghosts, theme_ids)

    def _frames_and_ghosts(self) -> Iterator[ThemeFrame | CardItem]:
        yield from self.frames.values()
        for lst in self.ghosts.values():
            yield from lst

    def _selected_ghosts_and_themes(self) -> tuple[list[CardItem], list[int]]:
        """The selected suggestions and themes, each of the few asked (no read of the
        selection: what is known of the cards is kept elsewhere)."""
        theme_ids = [f.theme_id for f in self.frames.values()
                     if f.theme_id is not None and f.isSelected()]
        return self.selected_ghosts(), theme_ids

    def has_selection(self) -> bool:
        """Whether anything is selected, from what the scene keeps: the selected cards and
        suggestions counted at each change, and the few frames asked (Escape asked
        ``selectedItems()``: 200 ms with 120,000 cards selected)."""
        return bool(self._selected_before) or any(f.isSelected() for f in self.frames.values())

    def selected_cards(self) -> list[CardItem]:
        return self._read_selection().cards

    def selected_refs(self) -> list[CardRef]:
        return [i.ref for i in self._read_selection().cards]

    def selected_ghosts(self) -> list[CardItem]:
        """The selected suggestions, each of the few asked (Enter after Select all read the
        whole selection, 120,000 cards, to find none)."""
        return [g for lst in self.ghosts.values() for g in lst if g.isSelected()]

    def selected_theme_ids(self) -> list[int]:
        return self._read_selection().theme_ids

    @contextmanager
    def _one_selection_change(self, known: Callable[[], Selection] | None = None
                              ) -> Iterator[None]:
        """Items selected one by one say so once: each ``setSelected`` emits selectionChanged,
        and each of its slots reads the whole selection (selecting 20,000 cards one by one
        read it 20,000 times). Said once even if nothing changed: the two reads that would
        tell cost more (50 ms each at 120,000 selected) than the views' one read of nothing.
        ``known``: what is selected afterwards, from what the caller knows; the first read
        of the selection while it is said takes it instead of reading the scene."""
        blocked = self.blockSignals(True)
        try:
            yield
        finally:
            self.blockSignals(blocked)
        if not blocked:
            self._known = known() if known is not None else None
            try:
                self.selectionChanged.emit()
            finally:
                self._known = None

    def select_theme(self, theme_id: int | None) -> None:
        """Select a theme's frame alone, as a click on its title does (None: nothing)."""
        self.select_themes([] if theme_id is None else [theme_id])

    def select_themes(self, theme_ids: Iterable[int]) -> None:
        with self._one_selection_change():
            self.clearSelection()
            for tid in theme_ids:
                frame = self.frames.get(tid)
                if frame is not None:
                    frame.setSelected(True)

    def select_cards(self, refs: Iterable[CardRef], *, add: bool = False) -> None:
        """Select these cards alone (``add``: beside what is selected already)."""
        get = self.card_items.get
        self.select_items((get(r) for r in refs), add=add)

    def select_items(self, items: Iterable[CardItem | None], *, add: bool = False) -> None:
        """``select_cards`` for items already in hand (Select all: 120,000 of them)."""
        with self._one_selection_change():
            if not add:
                self.clearSelection()
            for item in items:
                if item is not None:
                    item.setSelected(True)

    def select_all_cards(self) -> None:
        """Ctrl+A: every card the filter shows, beside what is selected already. Told once,
        with the selection made from what is known here: the cards given, and of the rest the
        dimmed cards, suggestions and frames that were selected before (a read of 120,000
        selected items took 200 ms). Until a big board is filled some cards are not in the
        scene yet: then the scene is read as usual."""
        items = self.card_items.values()
        # a filled board's cards are dimmed by its filter alone: none, when it is empty
        shown = list(items) if self.ready and self.filter.is_empty() else \
            [i for i in items if not i.dimmed]
        known = None
        if self.ready:
            def known() -> Selection:
                cards = shown
                if len(shown) < len(items):
                    cards = shown + [i for i in items if i.dimmed and i.isSelected()]
                return Selection(cards, *self._selected_ghosts_and_themes())
        if len(shown) > MANY_CHANGED:
            self.update()       # see clear_selection
        with self._one_selection_change(known):
            # one call per card through map: no Python loop around 120,000 of them
            deque(map(QGraphicsItem.setSelected, shown, repeat(True)), maxlen=0)

    def clear_selection(self) -> None:
        """Escape: nothing selected, the window told once that nothing is (known: no read).
        Many selected cards (Select all: 120,000) first mark the whole board for one repaint:
        Qt then skips marking each card it deselects, which made the next repaint walk every
        card (45 ms)."""
        if len(self._selected_before) > MANY_CHANGED:
            self.update()
        with self._one_selection_change(lambda: Selection([], [], [])):
            self.clearSelection()

    # ------------------------------------------------------------------ the rubber band
    def begin_band(self, *, add: bool) -> None:
        """A rubber band starts on the empty canvas (whose press cleared the selection,
        unless ``add``: Ctrl held, the band adds to what is selected)."""
        self.end_band()
        self._band = Band(add)

    def band_over(self, rect: QRectF) -> None:
        """The band covers ``rect`` (scene) now: the items entering it are selected and those
        leaving it deselected (unless it adds), found from the frames' grids; the scene's
        count of selected cards follows the difference, and the panels are told at most once
        every ``BAND_TELL_MS`` (each telling lists the whole selection: 20,000 cards)."""
        band = self._band
        if band is None:
            return
        ghosts = (g for lst in self.ghosts.values() for g in lst)
        now = items_crossed(self.frames.values(), ghosts, rect,
                            cards_shown=not self.style.overview)
        blocked = self.blockSignals(True)
        try:
            changed = band.move_to(now)
        finally:
            self.blockSignals(blocked)
        self._band_changed(changed)

    def _band_changed(self, changed: list) -> None:
        """The items a band selected or deselected: the scene's count of selected cards
        follows, their cells are drawn again, and the panels are told soon."""
        if not changed:
            return
        selected = self._selected_before        # the set style.selected is too
        cards = [i for i in changed if isinstance(i, CardItem)]
        for item in cards:
            if item.isSelected():
                selected.add(item)
            else:
                selected.discard(item)
        self._invalidate_cells({i.frame for i in cards if i.frame is not None},
                               selection_only=True)
        self._band_untold = True
        if not self._band_timer.isActive():
            self._band_timer.start()

    def end_band(self) -> None:
        """The band is released: the panels are told now what it selected."""
        self._band = None
        self._band_timer.stop()
        self._tell_band()

    def cancel_band(self) -> bool:
        """Esc while a band is held: what it selected is deselected (the selection as it found
        it), the panels told once; False if no band is held."""
        band = self._band
        if band is None:
            return False
        blocked = self.blockSignals(True)
        try:
            changed = band.undo()
        finally:
            self.blockSignals(blocked)
        self._band_changed(changed)
        self.end_band()
        return True

    def _tell_band(self) -> None:
        """selectionChanged, with the selection the band made known: the cards counted as
        it moved, the few suggestions and frames asked (no read of 20,000 selected items)."""
        if not self._band_untold:
            return
        self._band_untold = False
        ghosts, theme_ids = self._selected_ghosts_and_themes()
        selected = self._selected_before
        cards = list(selected.difference(ghosts) if ghosts else selected)
        self._known, self._applied = Selection(cards, ghosts, theme_ids), True
        try:
            self.selectionChanged.emit()
        finally:
            self._known, self._applied = None, False

    # ------------------------------------------------------------------ moving cards
    def move_cards(self, refs: list[CardRef], theme_id: int | None,
                   also: Iterable[int | None] = ()) -> None:
        """One MoveCards for every card not already there, appended in the order given.
        ``also``: frames laid out again besides those of the cards (a drag's)."""
        dragged = self._frames_of(self.selected_refs()) | set(also)
        refs = [r for r in refs if r in self.cards and self.cards[r].theme_id != theme_id]
        if not refs or self.run_operation is None:
            self.relayout(only_changed=True, force=dragged)
            return
        dragged |= self._frames_of(refs)
        positions = self.append_positions(theme_id, len(refs))
        try:
            self.run_operation(MoveCards(refs, theme_id, positions))
        finally:     # the dragged cards go to their (new or old) places
            self.relayout(only_changed=True, force=dragged)

    def append_positions(self, theme_id: int | None, n: int) -> list | None:
        """Places for ``n`` cards after a theme's last card (None for the unsorted pile)."""
        if theme_id is None:
            return None
        there = self.members().get(theme_id) or []
        start = max((c.order for c in there), default=-10000.0) // 10000 + 1
        return [(0.0, float(start + i)) for i in range(n)]

    def _frames_of(self, refs: Iterable[CardRef]) -> set[int | None]:
        out: set[int | None] = set()
        for r in refs:
            c = self.cards.get(r)
            if c is not None:
                out.add(c.theme_id if c.theme_id in self.themes else None)
        return out

    def card_under(self, pos: QPointF) -> CardItem | None:
        """The card drawn at a point of the board (far out too, where the frames draw their
        cards and the items take no mouse): found from its frame's grid, not the index."""
        frame = self.frame_at(pos)
        if frame is None:
            return None
        r = frame.sceneBoundingRect()
        i = slot_at(pos.x(), pos.y(), Rect(r.x(), r.y(), r.width(), r.height()),
                    max(1, self.frame_cols.get(frame.theme_id, frame.cols)))
        cards = self.members().get(frame.theme_id, [])
        item = self.card_items.get(cards[i].ref) if i < len(cards) else None
        return item if item is not None and item.sceneBoundingRect().contains(pos) else None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self.style.overview and event.button() == Qt.LeftButton \
                and not event.modifiers() & (Qt.ControlModifier | Qt.ShiftModifier) \
                and (item := self.card_under(event.scenePos())) is not None \
                and item.isSelected():
            # far out, a press on a selected card picks up the whole selection (Qt's own
            # press, finding no item there, would clear it first: review, 1 of 5 moved)
            self._press = event.scenePos()
            self._press_positions = {}
            self._far_drag = True
            self._far_click = item          # a click without a drag selects it alone
            event.accept()
            return
        self._far_click = None
        super().mousePressEvent(event)
        grabber = self.mouseGrabberItem()
        self._far_drag = False
        if isinstance(grabber, CardItem) and not grabber.ghost \
                and event.button() == Qt.LeftButton:
            self._press = event.scenePos()
            self._press_positions = {}      # read as the drag starts: a click needs none
        elif self.style.overview and grabber is None and event.button() == Qt.LeftButton \
                and (item := self.card_under(event.scenePos())) is not None:
            # a card too far out to take the mouse itself: clicked, or picked up to drag
            add = bool(event.modifiers() & (Qt.ControlModifier | Qt.ShiftModifier))
            if add and item.isSelected() and event.modifiers() & Qt.ControlModifier:
                item.setSelected(False)
            elif not item.isSelected():
                self.select_items([item], add=add)
            self._press = event.scenePos() if item.isSelected() else None
            self._press_positions = {}
            self._far_drag = self._press is not None
            event.accept()
        else:
            self._press = None
        self._detached = False

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._far_drag and self._press is not None and event.buttons() & Qt.LeftButton:
            if not self._detached:
                if (event.screenPos() - event.buttonDownScreenPos(Qt.LeftButton)
                        ).manhattanLength() < QApplication.startDragDistance():
                    return
                self._detach_dragged()
            d = event.scenePos() - self._press      # the cards follow the mouse themselves
            for item, at in self._press_positions.items():
                item.setPos(at + d)
            return
        if self._press is not None and not self._detached \
                and event.buttons() & Qt.LeftButton and self.mouseGrabberItem() is not None:
            # dragged cards leave their blocks (which hide whatever lies outside them) for
            # the scene; the relayout after the release puts them in blocks again
            self._detach_dragged()
        super().mouseMoveEvent(event)

    def _detach_dragged(self) -> None:
        self._detached = True
        self._press_positions = {i: i.scenePos() for i in self.selected_cards()}
        for item in self._press_positions:
            if item.block is not None:
                at = item.scenePos()
                item.setParentItem(None)
                item.block = None
                item.setPos(at)

    def card_drag_active(self) -> bool:
        """A left-button drag of cards started on the board and has not been released."""
        return self._press is not None and (self._far_drag
                                            or self.mouseGrabberItem() is not None)

    def selection_mime(self) -> QMimeData | None:
        """The selected cards as ``application/x-synth-cards``: what panels outside the board
        (recommendations, evidence lists) accept as a drop."""
        refs = self.selected_refs()
        if not refs:
            return None
        return cards_mime(refs)

    def abandon_card_drag(self) -> None:
        """The drag left the board, or Esc cancelled it: cards go back where they were,
        nothing is moved, and the item that grabbed the mouse lets it go (the release goes to
        the outside drag, or to no item)."""
        held = self._frames_of(i.ref for i in self._press_positions)
        self._press = None
        self._press_positions = {}
        self._detached = self._far_drag = False
        grabber = self.mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()
        self.relayout(only_changed=True, force=held | self._frames_of(self.selected_refs()))

    def cancel_card_drag(self) -> bool:
        """Esc while cards are held: they go back to their places; False if none are held."""
        if not self.card_drag_active():
            return False
        self.abandon_card_drag()
        return True

    _far_click: Any = None

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        press, self._press = self._press, None
        self._far_drag = False
        moved = press is not None and any(i.scenePos() != p
                                          for i, p in self._press_positions.items())
        clicked, self._far_click = self._far_click, None
        if clicked is not None and not self._detached:
            self.select_items([clicked], add=False)
        # the cards the mouse carried, whatever the selection became meanwhile: each goes to
        # its new place or back to its old one, never left where it was let go
        held = self._frames_of(i.ref for i in self._press_positions)
        self._press_positions = {}
        super().mouseReleaseEvent(event)
        if not moved:
            if self._detached:
                self._detached = False
                self.relayout(only_changed=True,
                              force=held | self._frames_of(self.selected_refs()))
            return
        self._detached = False
        frame = self.frame_at(event.scenePos())
        refs = self.selected_refs()
        if frame is None or not refs:      # dropped on empty canvas: everything goes back
            self.relayout(only_changed=True, force=held | self._frames_of(refs))
            return
        tid = frame.theme_id
        if tid is not None and all(self.cards[r].theme_id == tid for r in refs if r in self.cards):
            self.arrange_cards(refs, tid, self._slot_under(frame, event.scenePos()), also=held)
            return
        self.move_cards(refs, tid, also=held)

    def _slot_under(self, frame: ThemeFrame, pos: QPointF) -> int:
        r = frame.sceneBoundingRect()
        return slot_at(pos.x(), pos.y(), Rect(r.x(), r.y(), r.width(), r.height()),
                       max(1, self.frame_cols.get(frame.theme_id, frame.cols)))

    def arrange_cards(self, refs: list[CardRef], theme_id: int, slot: int,
                      also: Iterable[int | None] = ()) -> None:
        """Cards dropped inside their own theme take the slot they were let go on (the others
        close up around them), as on a whiteboard; one undo step. The theme's cards are
        numbered again in their new order, which the file keeps."""
        there = [c.ref for c in self.members().get(theme_id, [])]
        chosen = set(refs)
        moving = [r for r in there if r in chosen]
        stay = [r for r in there if r not in chosen]
        at = min(max(slot, 0), len(stay))
        order = stay[:at] + moving + stay[at:]
        force = {theme_id, *also}
        if order == there or self.run_operation is None:
            self.relayout(only_changed=True, force=force)
            return
        name = self.themes[theme_id].name if theme_id in self.themes else "theme"
        n = len(moving)
        try:
            self.run_operation(Batch([MoveCards(order, theme_id,
                                                [(0.0, float(i)) for i in range(len(order))])],
                                     label=f"Arrange {plural(n, 'card')} in "
                                           f"“{name}”"))
        finally:
            self.relayout(only_changed=True, force=force)

    # ------------------------------------------------------------------ drops from outside
    # Cards dragged off the board and back (or from an evidence list) land in the frame under
    # the cursor as one MoveCards, like a drag inside the board.
    def _drop_target(self, event: Any) -> ThemeFrame | None:
        if not event.mimeData().hasFormat(CARDS_MIME):
            return None
        return self.frame_at(event.scenePos())

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(CARDS_MIME):
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
        refs = [r for r in refs_from_mime(event.mimeData()) if r in self.cards]
        event.accept()
        self.move_cards(refs, frame.theme_id)

    # ------------------------------------------------------------------ suggestions (ghosts)
    def set_suggestions(self, theme_id: int, refs: list[CardRef],
                        scores: Sequence[float] | None = None) -> None:
        """Show ``refs`` as suggestions (ghosts) in a theme; ``scores``: each one's closeness
        to the theme (embeddings), said on its card; None for shared words, which have none
        worth reading."""
        for g in self.ghosts.pop(theme_id, []):
            self.removeItem(g)
        items = []
        for i, r in enumerate(refs):
            c = self.cards.get(r)
            if c is None or c.theme_id == theme_id:
                continue
            g = CardItem(c, self.style, ghost=True)
            if scores is not None:
                g.set_score(scores[i])
            self._label_ghost(g)
            self.addItem(g)
            items.append(g)
        if items:
            self.ghosts[theme_id] = items
        self._sync_frames()
        self.relayout(only_changed=True, force={theme_id})

    def _label_ghost(self, ghost: CardItem) -> None:
        """Say on a suggestion which theme its card lies in now (nothing for unsorted)."""
        tid = ghost.card.theme_id
        ghost.set_origin(board_data.theme_path(self.themes, tid) if tid in self.themes else "")

    def suggestion_origins(self, theme_id: int) -> dict[CardRef, int]:
        """The suggestions for a theme whose cards lie in another theme: card -> that theme."""
        return {g.ref: self.cards[g.ref].theme_id for g in self.ghosts.get(theme_id, [])
                if g.ref in self.cards and self.cards[g.ref].theme_id in self.themes
                and self.cards[g.ref].theme_id != theme_id}

    def _drop_placed_ghosts(self, theme_id: int) -> None:
        keep = []
        for g in self.ghosts.get(theme_id, []):
            if theme_id in self.themes and self.cards.get(g.ref) is not None \
                    and self.cards[g.ref].theme_id != theme_id:
                self._label_ghost(g)      # it may have moved (or its theme been renamed)
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
        """Dim the cards the filter leaves out. Over 120,000 cards one keystroke in the search
        box must not take seconds: the text is matched in one list comprehension over the
        cards' lowered texts (kept until the board is read again), and many changed cards
        mean one repaint instead of one update each."""
        self.filter = flt
        items = self._haystack(lowered=False)[0]
        hits: list[bool] | None = None
        if not flt.is_empty():
            rest = dataclasses.replace(flt, text="")
            if not rest.is_empty():
                hits = [rest.matches(i.card) for i in items]
            words = board_data.search_key(flt.text).split()
            if words:
                texts = self._haystack(lowered=True)[1]
                if len(words) == 1:
                    w = words[0]
                    found = [w in t for t in texts]
                else:
                    found = [all(w in t for w in words) for t in texts]
                hits = found if hits is None else [a and b for a, b in zip(hits, found)]
        changed: list[CardItem] = []
        if hits is None:
            n = len(items)
            changed = [i for i in items if i.dimmed]
            for item in changed:
                item.dimmed = False
        else:
            n = sum(hits)
            for item, hit in zip(items, hits):
                if item.dimmed == hit:
                    item.dimmed = not hit
                    changed.append(item)
        self.filter_counted.emit(n, len(self.card_items))
        if len(changed) > 500:
            self.update()
            self._invalidate_cells()
        else:
            for item in changed:
                item.update()
            self._invalidate_cells({i.frame for i in changed if i.frame is not None})

    def _haystack(self, lowered: bool) -> tuple[list[CardItem], list[str] | None]:
        """The card items and (``lowered``) their texts as the search compares them
        (``data.search_key``), in the same order, for the search box: made again only when the board's data or its items changed."""
        key = (self.cards, len(self.card_items))
        if self._hay_of is None or self._hay_of[0] is not key[0] or self._hay_of[1] != key[1]:
            self._hay = (list(self.card_items.values()), None)
            self._hay_of = key
        if lowered and self._hay[1] is None:
            items = self._hay[0]
            self._hay = (items, [board_data.search_key(i.card.text) for i in items])
        return self._hay

    def set_overview(self, on: bool) -> None:
        """Far out, frames draw their cards in batches and the card items step aside: each
        frame's card layer turns transparent (Qt skips it and all its cards in one step; they
        stay selected and in place)."""
        if on == self.style.overview:
            return
        self.style.overview = on
        for f in self.frames.values():
            f.layer.setOpacity(0.0 if on else 1.0)
            f.update()

    def _on_selection_changed(self) -> None:
        """Far out, the frames show selected cards in the selection colour: only the frames
        holding cards that were or became selected count their colours again (every frame
        when most cards changed: asking 120,000 cards for their frame took 45 ms)."""
        applied, self._applied = self._applied, False     # a band counted its changes
        selection = self.selection()
        if not applied:
            now = set(selection.cards)
            now.update(selection.ghosts)
            before = self._selected_before
            changed = (now ^ before if now else before) if before else now
            self._selected_before = self.style.selected = now
            if len(changed) * 2 > len(self.card_items):
                self._invalidate_cells(selection_only=True)
            else:
                self._invalidate_cells({i.frame for i in changed if i.frame is not None},
                                       selection_only=True)
        self.selection_made.emit(selection)     # the window's panels, from this one read

    def _invalidate_cells(self, frames: Iterable[ThemeFrame] | None = None, *,
                          selection_only: bool = False) -> None:
        """The far-out colours of these frames' cells (None: all) are counted again at their
        next paint; ``selection_only``: from the colours the cards have unselected, which
        stay (Escape after Select all: 120,000 cards' looks asked again took 45 ms)."""
        for f in (self.frames.values() if frames is None else frames):
            f.cell_cache = None
            if not selection_only:
                f.base_colours = None
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


def colour_swatch(colour: str) -> QColor:
    return QColor(colour)
