"""Card and theme-frame items, drawn by hand (Qt's "40000 Chips" technique).

A card has a fixed bounding rect and lays its text out once (QStaticText, prepared lazily on
its first readable paint). Level of detail: below a readable scale a card is a plain rectangle,
further out a dot-sized fill; no text layout ever runs for cards one cannot read.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen,
                           QStaticText, QTransform)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .data import CardData, ThemeData
from .layout import CARD_H, CARD_W, HEADER_H
from .style import GROUP_COLOURS, BoardStyle

READABLE_LOD = 0.45      # below this a card's text is too small to read: draw a rectangle
DOT_LOD = 0.12           # below this, a plain fill without border

_NO_PEN = QPen(Qt.NoPen)


class CardItem(QGraphicsItem):
    Type = QGraphicsItem.UserType + 1

    def __init__(self, card: CardData, style: BoardStyle, *, ghost: bool = False) -> None:
        super().__init__()
        self.card = card
        self.style = style
        self.ghost = ghost
        self.dimmed = False
        self._static: QStaticText | None = None
        self._static_version = -1
        self._rect = QRectF(0, 0, CARD_W, CARD_H)
        flags = QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsFocusable
        if not ghost:
            flags |= QGraphicsItem.ItemIsMovable
        self.setFlags(flags)
        self.setAcceptHoverEvents(False)
        self.setZValue(2 if not ghost else 1.5)
        self.setToolTip(card.text[:400])

    def type(self) -> int:  # noqa: A003 - Qt override
        return self.Type

    @property
    def ref(self):
        return self.card.ref

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def accessible_text(self) -> str:
        c = self.card
        share = f", {round(100 * c.agree_share)} % agree of {c.votes} who voted" \
            if c.agree_share is not None else ""
        return f"{c.kind} from {c.badge}{share}: {c.text}"

    def _prepare_text(self) -> QStaticText:
        st = self.style
        font = st.card_font()
        fm = QFontMetricsF(font)
        width = CARD_W - 20
        bottom = 22 if self.card.kind == "statement" and self.card.votes else 10
        lines = max(1, int((CARD_H - 26 - bottom) // fm.lineSpacing()))
        text = " ".join(self.card.text.split())
        text = fm.elidedText(text, Qt.ElideRight, width * lines * 0.86)
        s = QStaticText(text)
        s.setTextFormat(Qt.PlainText)
        s.setTextWidth(width)
        s.prepare(QTransform(), font)
        self._static = s
        self._static_version = st.version
        return s

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        st = self.style
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected()
        accent = st.accent(self.card)
        if lod < DOT_LOD:
            painter.fillRect(self._rect, st.selection if selected
                             else (st.dim_fill if self.dimmed else accent))
            return
        fill = st.dim_fill if self.dimmed else st.card_fill
        if lod < READABLE_LOD:
            painter.fillRect(self._rect, st.selection if selected else fill)
            painter.fillRect(QRectF(0, 0, 10, CARD_H), st.dim_fill if self.dimmed else accent)
            # greeking: grey bars where the text would be, so a card still reads as a card
            grey = st.dim_fill if not self.dimmed else st.card_fill
            for i in range(4):
                painter.fillRect(QRectF(20, 26 + i * 20, CARD_W - 40 - (i == 3) * 80, 9), grey)
            return
        # readable: the whole card
        if self.ghost:
            painter.setOpacity(0.6)
        painter.setRenderHint(QPainter.Antialiasing, True)
        pen = QPen(st.selection, 4) if selected else QPen(QColor("#c9ccd1"), 1)
        if self.ghost:
            pen = QPen(st.selection if selected else st.muted_text, 2, Qt.DashLine)
        if self.hasFocus():
            pen = QPen(st.selection, 5)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(self._rect.adjusted(1, 1, -1, -1), 6, 6)
        painter.setPen(_NO_PEN)
        painter.setBrush(st.dim_fill if self.dimmed else accent)
        painter.drawRoundedRect(QRectF(1, 1, 7, CARD_H - 2), 3, 3)
        text_colour = st.dim_text if self.dimmed else st.card_text
        painter.setFont(st.badge_font())
        painter.setPen(st.dim_text if self.dimmed else accent.darker(110)
                       if not st.high_contrast else accent.lighter(140))
        badge = ("Suggested · " if self.ghost else "") + self.card.badge.upper()
        painter.drawText(QRectF(14, 4, CARD_W - 20, 16), Qt.AlignLeft | Qt.AlignVCenter, badge)
        if self._static is None or self._static_version != st.version:
            self._prepare_text()
        painter.setPen(text_colour)
        painter.setFont(st.card_font())
        painter.drawStaticText(QPointF(14, 21), self._static)
        if self.card.kind == "statement" and self.card.votes:
            self._paint_agreement(painter, text_colour)

    def _paint_agreement(self, painter: QPainter, text_colour: QColor) -> None:
        c = self.card
        x, y, w, h = 14.0, CARD_H - 15, CARD_W - 74, 7.0
        total = c.votes
        segs = ((c.agree, "#2e9d4f"), (c.disagree, "#d1443a"), (c.passed, "#b8bcc2"))
        pos = x
        for n, colour in segs:
            if n:
                seg = w * n / total
                painter.fillRect(QRectF(pos, y, seg, h), QColor(colour))
                pos += seg
        for i, share in enumerate(c.group_agree):
            if share is None:
                continue
            gx = x + w * share
            painter.fillRect(QRectF(gx - 1.5, y - 4, 3, h + 8),
                             QColor(GROUP_COLOURS[i % len(GROUP_COLOURS)]))
        painter.setPen(text_colour)
        f = self.style.badge_font()
        f.setBold(False)
        painter.setFont(f)
        painter.drawText(QRectF(x + w + 4, y - 5, 60, h + 10), Qt.AlignLeft | Qt.AlignVCenter,
                         f"{round(100 * c.agree / total)}% n={total}")


class ThemeFrame(QGraphicsItem):
    """A theme: a tinted frame with its name, count and summary line. Only the header takes
    clicks, so a rubber band can start anywhere inside the frame's body."""

    Type = QGraphicsItem.UserType + 2

    def __init__(self, theme: ThemeData | None, style: BoardStyle) -> None:
        super().__init__()
        self.theme = theme            # None: the unsorted area
        self.style = style
        self.title = "Unsorted" if theme is None else theme.name
        self.count = 0
        self.summary = ""
        self.hint = ""
        self.cols = 2
        self.label: FrameLabel | None = None     # a top-level item: it must draw above cards
        self._rect = QRectF(0, 0, 100, 100)
        self.setFlags(QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsFocusable)
        self.setZValue(0)

    def type(self) -> int:  # noqa: A003 - Qt override
        return self.Type

    @property
    def theme_id(self) -> int | None:
        return None if self.theme is None else self.theme.id

    @property
    def is_candidate(self) -> bool:
        return self.theme is not None and self.theme.status == "candidate"

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
        if lod < READABLE_LOD:
            return      # the FrameLabel above the cards carries the name when far out
        painter.setPen(st.frame_text)
        painter.setFont(st.title_font())
        title = self.title + ("   — candidate" if self.is_candidate else "")
        painter.drawText(QRectF(16, 14, r.width() - 110, 32), Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetricsF(st.title_font()).elidedText(title, Qt.ElideRight,
                                                                   r.width() - 130))
        painter.setFont(st.summary_font())
        painter.setPen(st.muted_text)
        painter.drawText(QRectF(16, 46, r.width() - 32, 18), Qt.AlignLeft | Qt.AlignVCenter,
                         self.summary)
        if self.hint:
            painter.drawText(QRectF(16, 64, r.width() - 32, 16), Qt.AlignLeft | Qt.AlignVCenter,
                             self.hint)
        painter.setFont(st.title_font(0.9))
        painter.setPen(colour if not st.high_contrast else st.frame_text)
        dots = self.theme.dots if self.theme is not None else 0
        badge = f"{self.count}" + (f"  ●{dots}" if dots else "")
        painter.drawText(QRectF(r.width() - 150, 14, 134, 32), Qt.AlignRight | Qt.AlignVCenter,
                         badge)


class FrameLabel(QGraphicsItem):
    """A theme's name over its cards when zoomed far out, large enough to read from the back of
    the room; invisible at readable zoom, where the frame's own header shows it."""

    def __init__(self, frame: ThemeFrame) -> None:
        super().__init__()
        self.frame = frame
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.NoButton)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self.frame.boundingRect()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod >= READABLE_LOD:
            return
        f = self.frame
        st = f.style
        r = f.boundingRect()
        font = st.title_font(min(8.0, 0.9 / max(lod, 0.02)))
        fm = QFontMetricsF(font)
        text = f"{f.title} ({f.count})"
        width = min(r.width() - 8, fm.horizontalAdvance(text) + fm.height())
        need = fm.boundingRect(QRectF(0, 0, width - fm.height() * 0.5, 1e7),
                               Qt.AlignLeft | Qt.TextWordWrap, text)
        plate = QRectF(4, 4, width, min(r.height() - 8, need.height() + fm.height() * 0.4))
        bg = QColor("#000000" if st.high_contrast else "#ffffff")
        bg.setAlpha(215)
        painter.fillRect(plate, bg)
        painter.fillRect(QRectF(4, 4, plate.width(), max(2.0, 4 / max(lod, 0.02))), f.colour())
        painter.setPen(st.frame_text)
        painter.setFont(font)
        painter.drawText(plate.adjusted(fm.height() * 0.3, 0, -fm.height() * 0.2, 0),
                         Qt.AlignLeft | Qt.AlignVCenter | Qt.TextWordWrap, text)
