"""Card and theme-frame items, drawn by hand (Qt's "40000 Chips" technique).

A card has a fixed bounding rect and lays its text out once (QStaticText, prepared lazily on
its first readable paint). Level of detail: below a readable scale a card is a plain rectangle,
further out a dot-sized fill; no text layout ever runs for cards one cannot read.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen,
                           QStaticText, QTransform)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem

from exports.figures import FLAG
from synth.votes.statement_figures import percent

from .data import CardData, ThemeData
from .layout import CARD_H, CARD_W, GAP, HEADER_H, PAD, card_offset
from .style import GROUP_COLOURS, BoardStyle

DOT_LOD = 0.12           # below this, a plain fill without border
OVERVIEW_ZOOM = 0.2      # below this the frames draw their cards in a few batched calls
MOSAIC_LOD = 0.02        # below this a card is under 3 pixels high: one pixel of an image each
SELECTED_FRAME_PX = 5.0  # a selected theme's band on screen, far out (its 6-unit pen: 2 px)

_NO_PEN = QPen(Qt.NoPen)
# flags made once: or-ing PySide's enums costs microseconds, times 120,000 cards
_CARD_FLAGS = QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsFocusable
_MOVABLE_CARD_FLAGS = _CARD_FLAGS | QGraphicsItem.ItemIsMovable


class CardItem(QGraphicsRectItem):
    """A card. Its bounding rect is Qt's own (a rect item without a pen): Qt asks every card
    of a frame it draws for it, and a Python override would be called 80,000 times a frame
    on the big board's unsorted pile."""

    Type = QGraphicsItem.UserType + 1

    def __init__(self, card: CardData, style: BoardStyle, *, ghost: bool = False) -> None:
        super().__init__(0, 0, CARD_W, CARD_H)
        self.setPen(_NO_PEN)
        self.card = card
        self.style = style
        self.ghost = ghost
        self.origin = ""        # a suggestion's: the theme the card lies in now ("": unsorted)
        self.score: float | None = None     # a suggestion's closeness to its theme (embeddings)
        self.dimmed = False
        self.frame: ThemeFrame | None = None    # the frame whose cards it is among
        self.block: CardBlock | None = None     # its parent item (None: top-level)
        self._static: QStaticText | None = None
        self._static_version = -1
        self._look_version = -1
        self.accent = QColor()
        self._rect = QRectF(0, 0, CARD_W, CARD_H)
        self.setFlags(_CARD_FLAGS if ghost else _MOVABLE_CARD_FLAGS)
        self.setAcceptHoverEvents(False)
        self.setZValue(2 if not ghost else 1.5)
        self.setToolTip(card.text[:400])

    def type(self) -> int:  # noqa: A003 - Qt override
        return self.Type

    def set_card(self, card: CardData) -> None:
        """New data for the same card (read again): laid out afresh on its next paint."""
        changed = card.text != self.card.text
        self.card = card
        if changed:
            self._tip()
        self._static_version = self._look_version = -1
        self.update()

    @property
    def ref(self):
        return self.card.ref

    def accessible_text(self) -> str:
        c = self.card
        share = f", {round(100 * c.agree_share)} % agree of {c.votes} who voted" \
            if c.agree_share is not None else ""
        if 0 < c.votes < self.style.small_n:
            share += " (few voted: read with care)"
        said = f"{c.kind} from {c.badge}{share}: {c.text}"
        if self.ghost:
            close = f", closeness {self.score:.2f}" if self.score is not None else ""
            return ("Suggested, now in theme " + self.origin if self.origin else
                    "Suggested, from the unsorted pile") + f"{close}: {said}"
        return said

    def set_score(self, score: float | None) -> None:
        """A suggestion's closeness to its theme, said on the card ("Suggested 0.62"): a
        cosine-based closeness of meaning (``synth.themes.suggestions.closeness``), not a
        probability; none for a suggestion by shared words."""
        self._say("score", score)

    def _tip(self) -> None:
        origin = f"Now in “{self.origin}”: accepting moves it here.\n" if self.origin else ""
        close = (f"Closeness {self.score:.2f} to the theme: half the cosine to its centre, half "
                 "the mean cosine to its 5 closest cards (or its name). 1 is the same meaning; "
                 "suggestions start at 0.30. Not a probability.\n"
                 if self.score is not None else "")
        self.setToolTip(origin + close + self.card.text[:400])

    def set_origin(self, origin: str) -> None:
        """A suggestion's present theme, said on the card ("Suggested · from Pay & grades"):
        accepting it takes the card out of that theme."""
        self._say("origin", origin)

    def _say(self, what: str, value: Any) -> None:
        """A suggestion's ``origin`` or ``score`` changed: its badge and tooltip follow."""
        if value != getattr(self, what):
            setattr(self, what, value)
            self._static_version = -1
            self._tip()
            self.update()

    def _prepare(self) -> None:
        """Everything a readable paint needs, computed once per look (style version)."""
        st = self.style
        c = self.card
        font = st.font("card")
        fm = st.metrics("card")
        width = CARD_W - 20
        bottom = 22 if c.kind == "statement" and c.votes else 10
        lines = max(1, int((CARD_H - 26 - bottom) // fm.lineSpacing()))
        text = " ".join(c.text.split())
        text = fm.elidedText(text, Qt.ElideRight, width * lines * 0.86)
        self._static = _static(text, font, width)
        self.accent = st.accent(c)
        self._badge_colour = self.accent.darker(115) if not st.high_contrast \
            else self.accent.lighter(150)
        close = f" {self.score:.2f}" if self.ghost and self.score is not None else ""
        if self.ghost and self.origin:
            badge = f"Suggested{close} · from " + self.origin
        else:
            badge = (f"Suggested{close} · " if self.ghost else "") + c.badge.upper()
        badge = st.metrics("badge").elidedText(badge, Qt.ElideRight, CARD_W - 24)
        self._badge = _static(badge, st.font("badge"), CARD_W - 20)
        self._bars: list[tuple[QRectF, QColor]] = []
        self._agree_label = None
        if c.kind == "statement" and c.votes:
            # the figures on one line at the card's foot, however large the text (presenting):
            # the bar gives them the room they need rather than wrap them off the card
            # † as the Details panel and the report mark a figure too few voted for
            label = f"{percent(c.agree, c.votes)}% n={c.votes}" + \
                (f" {FLAG}" if c.votes < st.small_n else "")
            small = st.metrics("small")
            label_w = small.horizontalAdvance(label) + 4
            self._agree_at = QPointF(CARD_W - 6 - label_w, CARD_H - 4 - small.height())
            x, y, w, h = 14.0, CARD_H - 15, max(60.0, CARD_W - 26 - label_w), 7.0
            pos = x
            for n, colour in ((c.agree, _AGREE), (c.disagree, _DISAGREE), (c.passed, _PASS)):
                if n:
                    seg = w * n / c.votes
                    self._bars.append((QRectF(pos, y, seg, h), colour))
                    pos += seg
            for i, share in enumerate(c.group_agree):
                if share is not None:
                    self._bars.append((QRectF(x + w * share - 1.5, y - 4, 3, h + 8),
                                       QColor(GROUP_COLOURS[i % len(GROUP_COLOURS)])))
            self._agree_label = _static(label, st.font("small"), label_w)
        self._static_version = st.version

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        st = self.style
        if self._look_version != st.version:
            self.accent = st.accent(self.card)
            self._look_version = st.version
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected()
        if lod < DOT_LOD:
            painter.fillRect(self._rect, st.colour("selection") if selected
                             else (st.colour("dim_fill") if self.dimmed else self.accent))
            return
        fill = st.colour("dim_fill") if self.dimmed else st.colour("card_fill")
        accent = st.colour("dim_fill") if self.dimmed else self.accent
        if lod < st.readable_lod():
            painter.fillRect(self._rect, st.colour("selection") if selected else fill)
            painter.fillRect(QRectF(0, 0, 10, CARD_H), accent)
            # greeking: grey bars where the text would be, so a card still reads as a card
            grey = st.colour("dim_fill") if not self.dimmed else st.colour("card_fill")
            for r in _GREEK:
                painter.fillRect(r, grey)
            return
        # readable: the whole card (no antialiasing: straight edges on whole pixels)
        if self._static_version != st.version:
            self._prepare()
        if self.ghost:
            painter.setOpacity(0.6)
        painter.fillRect(self._rect, fill)
        if self.hasFocus():
            pen = QPen(st.colour("selection"), 6)
        elif selected:
            pen = QPen(st.colour("selection"), 4)
        elif self.ghost:
            pen = QPen(st.colour("muted_text"), 2, Qt.DashLine)
        else:
            pen = _BORDER
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        painter.drawRect(self._rect.adjusted(1, 1, -1, -1))
        painter.fillRect(_STRIPE, accent)
        painter.setPen(st.colour("dim_text") if self.dimmed else self._badge_colour)
        painter.setFont(st.font("badge"))
        painter.drawStaticText(QPointF(14, 5), self._badge)
        text_colour = st.colour("dim_text") if self.dimmed else st.colour("card_text")
        painter.setPen(text_colour)
        painter.setFont(st.font("card"))
        painter.drawStaticText(QPointF(14, 22), self._static)
        if self._bars:
            for r, colour in self._bars:
                painter.fillRect(r, colour)
            painter.setFont(st.font("small"))
            painter.drawStaticText(self._agree_at, self._agree_label)
        if self.ghost:
            painter.setOpacity(1.0)


_AGREE, _DISAGREE, _PASS = QColor("#2e9d4f"), QColor("#d1443a"), QColor("#b8bcc2")
_BORDER = QPen(QColor("#c9ccd1"), 1)
_STRIPE = QRectF(2, 2, 7, CARD_H - 4)
_GREEK = [QRectF(20, 26 + i * 20, CARD_W - 40 - (i == 3) * 80, 9) for i in range(4)]


def _static(text: str, font, width: float) -> QStaticText:
    s = QStaticText(text)
    s.setTextFormat(Qt.PlainText)
    s.setTextWidth(width)
    s.prepare(QTransform(), font)
    return s


BLOCK_CARDS = 240      # cards per block of rows (Qt visits only the blocks it must draw)


def cards_per_block(cols: int) -> int:
    """Whole rows of about ``BLOCK_CARDS`` cards."""
    cols = max(1, cols)
    return max(1, BLOCK_CARDS // cols) * cols


class CardLayer(QGraphicsItem):
    """Holds a frame's blocks of cards and draws nothing. Far out it is made transparent: Qt
    then skips all the frame's cards in one step when it paints or hit-tests, instead of
    sorting and visiting 120,000 items one by one (the frame draws them as a mosaic), and the
    cards keep their selection."""

    def __init__(self, frame: "ThemeFrame") -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.ItemHasNoContents, True)
        self.setParentItem(frame)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return QRectF()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pass


class CardBlock(QGraphicsItem):
    """A few rows of a frame's cards, their parent, in the frame's coordinates. Its cards lie
    inside it (``ItemContainsChildrenInShape``): they stay out of the scene's index, and Qt
    looks at them only when the block is on screen or under the mouse (the unsorted pile of a
    big study has 80,000 cards). Cards being dragged leave their block for the drag."""

    def __init__(self, layer: CardLayer) -> None:
        super().__init__()
        # no ItemHasNoContents: Qt skips a block's cards only for a block that has contents
        self.setFlag(QGraphicsItem.ItemContainsChildrenInShape, True)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self._rect = QRectF()
        self.setParentItem(layer)

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pass


class ThemeFrame(QGraphicsItem):
    """A theme: a tinted frame with its name, count and summary line. Only the header takes
    clicks, so a rubber band can start anywhere inside the frame's body. Its cards are
    children of its ``layer``: they move with the frame."""

    Type = QGraphicsItem.UserType + 2

    def __init__(self, theme: ThemeData | None, style: BoardStyle) -> None:
        super().__init__()
        self.theme = theme            # None: the unsorted area
        self.style = style
        self.title = "Unsorted" if theme is None else theme.name
        self.path = self.title        # "Parent › Child", for lists and screen readers
        self.label_room = 0.0         # height free for the far-out label (0: the whole frame)
        self.count = 0
        self.summary = ""
        self.own_summary = ""         # of its own cards; ``summary`` may speak of sub-themes'
        self.hint = ""
        self.cols = 2
        self.cells: list[tuple[CardItem, QRectF]] = []    # for the batched overview paint
        self.cell_cache: CellColours | None = None
        self.base_colours: BaseColours | None = None     # the cells' colours unselected
        self.label = None           # its FrameLabel (ui.board.labels): drawn above cards
        self._rect = QRectF(0, 0, 100, 100)
        self.setFlags(QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsFocusable)
        self.setZValue(0)
        self.layer = CardLayer(self)
        self.layer.setOpacity(0.0 if style.overview else 1.0)
        self.blocks: list[CardBlock] = []

    def block_for(self, i: int) -> CardBlock:
        """The block of the frame's ``i``-th card (blocks made as cards need them)."""
        b = i // cards_per_block(self.cols)
        while len(self.blocks) <= b:
            self.blocks.append(CardBlock(self.layer))
        return self.blocks[b]

    def shape_blocks(self, n: int) -> None:
        """Each block's rect: its rows of cells, for ``n`` cards in ``self.cols`` columns."""
        cols = max(1, self.cols)
        rows_per = cards_per_block(cols) // cols
        rows = -(-n // cols)
        width = cols * (CARD_W + GAP) - GAP
        for b in range(max(len(self.blocks), -(-rows // rows_per))):
            block = self.block_for(b * rows_per * cols)
            r0, r1 = b * rows_per, min(rows, (b + 1) * rows_per)
            block.set_rect(QRectF(PAD, HEADER_H + r0 * (CARD_H + GAP), width,
                                  (r1 - r0) * (CARD_H + GAP) - GAP) if r1 > r0 else QRectF())

    def card_items(self) -> list["CardItem"]:
        return [i for b in self.blocks for i in b.childItems() if isinstance(i, CardItem)]

    def type(self) -> int:  # noqa: A003 - Qt override
        return self.Type

    @property
    def theme_id(self) -> int | None:
        return None if self.theme is None else self.theme.id

    @property
    def is_candidate(self) -> bool:
        return self.theme is not None and self.theme.status == "candidate"

    @property
    def dots(self) -> int:
        """The theme's dot votes (shown beside its count, near and far)."""
        return self.theme.dots if self.theme is not None else 0

    @property
    def pinned(self) -> bool:
        return self.theme is not None and self.theme.pinned

    def set_rect(self, rect: QRectF) -> None:
        if rect.size() != self._rect.size():
            self.prepareGeometryChange()
            self._rect = QRectF(0, 0, rect.width(), rect.height())
        self.setPos(rect.topLeft())
        if self.label is not None:
            self.label.prepareGeometryChange()
            self.label.setPos(rect.topLeft())

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRect(QRectF(0, 0, self._rect.width(), HEADER_H - 6))
        return p

    def colour(self) -> QColor:
        return QColor("#8a8f98" if self.theme is None else self.theme.colour)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        st = self.style
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        colour = self.colour()
        tint = QColor(colour)
        tint.setAlpha(70 if st.high_contrast else 38)
        r = self._rect
        selected = self.isSelected()
        pen = QPen(st.selection if selected or self.hasFocus() else colour,
                   (6 if selected else 3) / max(lod, 0.05) ** 0.5)
        if self.is_candidate or self.theme is None:
            pen.setStyle(Qt.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(tint))
        painter.drawRect(r)
        painter.fillRect(QRectF(0, 0, r.width(), 10), colour)
        if st.overview:
            self._paint_cells(painter, lod)
        if lod < st.readable_lod():
            if selected:        # a band seen from the room, inside the frame (its bounds)
                w = min(SELECTED_FRAME_PX / max(lod, 0.01), r.width() / 4, r.height() / 4)
                band = QPen(st.selection, w)
                band.setJoinStyle(Qt.MiterJoin)
                painter.setPen(band)
                painter.setBrush(Qt.NoBrush)
                painter.drawRect(r.adjusted(w / 2, w / 2, -w / 2, -w / 2))
            return      # the FrameLabel above the cards carries the name and dots far out
        painter.setPen(st.frame_text)
        painter.setFont(st.title_font())
        title = self.title + ("   — candidate" if self.is_candidate else "")
        left = 16.0
        if self.pinned:         # kept out of a rerun: a pin before its name
            draw_pin(painter, QRectF(12, 16, 26, 28), colour if not st.high_contrast
                     else st.frame_text)
            left = 42.0
        painter.setPen(st.frame_text)
        # the header's lines one under the other at the height their fonts need (presenting,
        # the text is larger): a line that no longer fits above the cards is left out, the
        # key hint first, never drawn over the line above or the first row of cards
        title_fm = QFontMetricsF(st.title_font())
        title_h = max(32.0, title_fm.height())
        painter.drawText(QRectF(left, 14, r.width() - 94 - left, title_h),
                         Qt.AlignLeft | Qt.AlignVCenter,
                         title_fm.elidedText(title, Qt.ElideRight, r.width() - 114 - left))
        small = QFontMetricsF(st.summary_font())
        line_h = max(16.0, small.height())
        y = 14 + title_h
        painter.setFont(st.summary_font())
        painter.setPen(st.muted_text)
        for line in (self.summary, self.hint):
            if not line or y + line_h > HEADER_H - 4:
                break
            painter.drawText(QRectF(16, y, r.width() - 32, line_h),
                             Qt.AlignLeft | Qt.AlignVCenter,
                             small.elidedText(line, Qt.ElideRight, r.width() - 32))
            y += line_h
        painter.setFont(st.title_font(0.9))
        painter.setPen(colour if not st.high_contrast else st.frame_text)
        badge = f"{self.count}" + (f"  ●{self.dots}" if self.dots else "")
        painter.drawText(QRectF(r.width() - 150, 14, 134, 32), Qt.AlignRight | Qt.AlignVCenter,
                         badge)

    def _paint_cells(self, painter: QPainter, lod: float) -> None:
        """Far out, 5,000 card paints cost more in calls than in pixels: the frame draws all of
        its cards in one drawRects per colour instead (the cards themselves are transparent), and
        further out still as one image of a pixel per card. Both are cached until the selection,
        the filter, the layout or the look change; while a big board fills, cards added to the
        frame are appended, not recounted."""
        st = self.style
        if lod < MOSAIC_LOD and self.cells:
            image = mosaic(self)
            cols = self.cols
            rows = image.height()
            painter.drawImage(QRectF(PAD, HEADER_H, cols * (CARD_W + GAP) - GAP,
                                     rows * (CARD_H + GAP) - GAP), image)
            return
        cache = prepare_cells(self, lod < DOT_LOD, batches=True)
        painter.setPen(_NO_PEN)
        if cache.base:
            painter.setBrush(st.colour("card_fill"))
            painter.drawRects(cache.base)
        for colour, rects in cache.groups.values():
            painter.setBrush(colour)
            painter.drawRects(rects)


class CellColours:
    """A frame's cards seen from far out: each cell's colour (counted as cells are added) and,
    made from those when first needed, the rects batched by colour and the mosaic image."""

    def __init__(self, key: tuple, cells: list) -> None:
        self.key, self.cells = key, cells
        self.rgbas: list[int] = []                       # one per cell counted
        self.colour_of: dict[int, QColor] = {}           # rgba -> the colour to paint
        self.batched = 0                                 # cells in the batches
        self.groups: dict[int, tuple[QColor, list[QRectF]]] = {}
        self.base: list[QRectF] = []                     # card bodies behind the stripes
        self.image: QImage | None = None
        self.image_cells = -1


def prepare_cells(frame: "ThemeFrame", solid: bool = True, batches: bool = False
                  ) -> CellColours:
    """The frame's cell colours (and ``batches``: its rects by colour), brought up to date
    with the cells added since (a filling board calls this slice by slice, so the first
    far-out paint finds them ready)."""
    key = (frame.style.version, solid)
    cache = frame.cell_cache
    if cache is None or cache.key != key or cache.cells is not frame.cells:
        cache = frame.cell_cache = CellColours(key, frame.cells)
    if len(cache.rgbas) < len(frame.cells):
        _add_colours(frame, cache)
    if batches and cache.batched < len(cache.rgbas):
        _add_batches(frame, solid, cache)
    return cache


def mosaic(frame: "ThemeFrame") -> QImage:
    """The frame's cards as an image of one pixel per card, in the frame's columns and rows
    (empty cells transparent). Far out a card is smaller than a pixel or two: one scaled
    drawImage costs what the pixels cost, where 80,000 rects cost 40 ms a frame."""
    cache = prepare_cells(frame, True)
    cells = len(frame.cells)
    image = cache.image
    if image is None or cache.image_cells != cells or image.width() != frame.cols:
        from array import array
        cols = max(1, frame.cols)
        rows = max(1, -(-cells // cols))
        pixels = array("I", cache.rgbas[:cells])
        pixels.extend([0] * (rows * cols - cells))
        image = QImage(pixels.tobytes(), cols, rows, cols * 4, QImage.Format_ARGB32).copy()
        cache.image, cache.image_cells = image, cells
    return image


_CELL_RECTS: dict[tuple[int, bool], list[QRectF]] = {}


def cell_rects(cols: int, n: int, stripe: bool = False) -> list[QRectF]:
    """The rects of the first ``n`` cells of a frame of ``cols`` columns (a card's whole
    cell, or its colour stripe), in the frame's coordinates: made once and shared by every
    frame and refill (read, never changed). Freeing 120,000 rect wrappers when a big board
    was read again took 150 ms; making them, as long again."""
    pool = _CELL_RECTS.setdefault((cols, stripe), [])
    for i in range(len(pool), n):
        dx, dy = card_offset(i, cols)
        pool.append(QRectF(dx, dy, 12 if stripe else CARD_W, CARD_H))
    return pool


class BaseColours:
    """A frame's cells' colours when not selected (dimmed, or the card's accent): kept while
    only the selection changes, for the look (style version) and the cells they were made
    for."""

    def __init__(self, version: int, cells: list) -> None:
        self.version, self.cells = version, cells
        self.rgbas: list[int] = []
        self.colour_of: dict[int, QColor] = {}


def base_colours(frame: "ThemeFrame") -> BaseColours:
    """The frame's unselected cell colours, counted for the cells added since."""
    st = frame.style
    base = frame.base_colours
    if base is None or base.version != st.version or base.cells is not frame.cells:
        base = frame.base_colours = BaseColours(st.version, frame.cells)
    rgbas, colour_of = base.rgbas, base.colour_of
    if len(rgbas) >= len(frame.cells):
        return base
    dim, version = st.colour("dim_fill"), st.version
    rgba_of: dict[int, int] = {}        # the few colours' values, by object
    for item, _rect in frame.cells[len(rgbas):]:
        if item._look_version != version:
            item.accent = st.accent(item.card)
            item._look_version = version
        colour = dim if item.dimmed else item.accent
        k = rgba_of.get(id(colour))
        if k is None:
            k = rgba_of[id(colour)] = colour.rgba()
            colour_of.setdefault(k, colour)
        rgbas.append(k)
    return base


def _add_colours(frame: "ThemeFrame", cache: CellColours) -> None:
    """The colour of each cell not counted yet: selected, else its colour unselected, in one
    pass asking nothing of the cards (after Select all or Escape, every cell: a loop asking
    each of 120,000 cards for its look took 50 ms)."""
    st = frame.style
    sel = st.colour("selection")
    sel_k = sel.rgba()
    cache.colour_of.setdefault(sel_k, sel)
    start, end = len(cache.rgbas), len(frame.cells)
    base = base_colours(frame)
    cache.colour_of.update(base.colour_of)
    unselected = base.rgbas[start:end]
    selected = st.selected
    if selected:
        cache.rgbas.extend([sel_k if c[0] in selected else k
                            for c, k in zip(frame.cells[start:end], unselected)])
    else:
        cache.rgbas.extend(unselected)


def _add_batches(frame: "ThemeFrame", solid: bool, cache: CellColours) -> None:
    """Put the counted cells not batched yet into the rects of their colour."""
    cells, groups, colour_of = frame.cells, cache.groups, cache.colour_of
    n = len(cache.rgbas)
    stripes = None if solid else cell_rects(frame.cols, n, stripe=True)
    for i in range(cache.batched, n):
        k = cache.rgbas[i]
        group = groups.get(k)
        if group is None:
            group = groups[k] = (colour_of[k], [])
        if solid:
            group[1].append(cells[i][1])
        else:
            cache.base.append(cells[i][1])
            group[1].append(stripes[i])
    cache.batched = n


def draw_pin(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """A push pin in ``rect`` (head, collar, needle), drawn rather than typed: no emoji font
    is needed on the laptop or the shared screen."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing, True)
    w, h = rect.width(), rect.height()
    x, y = rect.x(), rect.y()
    painter.setPen(Qt.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(x + w * 0.22, y, w * 0.56, h * 0.42))            # head
    painter.drawRect(QRectF(x + w * 0.36, y + h * 0.36, w * 0.28, h * 0.2))     # collar
    painter.drawRoundedRect(QRectF(x + w * 0.12, y + h * 0.52, w * 0.76, h * 0.12), 2, 2)
    needle = QPen(colour.darker(140), max(1.5, w * 0.08))
    needle.setCapStyle(Qt.RoundCap)
    painter.setPen(needle)
    painter.drawLine(QPointF(x + w * 0.5, y + h * 0.64), QPointF(x + w * 0.5, y + h))
    painter.restore()
