"""A theme's name over its frame when zoomed far out, where the frame's own header is a strip
too thin to read: a leaf theme's label fills its frame; a parent's, with no cards of its own,
has only the strip above its sub-themes (86 scene units: 7 px at 8 %). Where the name would
be smaller than ``SMALLEST_LINE_PX`` on screen, it is drawn at a readable size over the top
of the frame, as whiteboard apps label their frames, and the labels of the sub-themes it
reaches over move down below it.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from synth.themes.tree import line_up

from .data import ThemeParents
from .items import ThemeFrame

SMALLEST_LINE_PX = 12.0     # a label's line on screen at least, in pixels (font about 10 px)
READABLE_LINE_PX = 14.0     # the size a label too small to read is given if the name fits
_GAP = 4.0                  # between a label and the frame's edge, or the label above it


def wrap(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between words; what does not fit on
    ``max_lines`` lines is elided at the end of the last."""
    words = text.split()
    lines: list[str] = []
    line = ""
    for i, word in enumerate(words):
        wider = f"{line} {word}" if line else word
        if not line or fm.horizontalAdvance(wider) <= width:
            line = wider
            continue
        lines.append(line)
        if len(lines) == max_lines - 1:
            line = " ".join(words[i:])
            break
        line = word
    lines.append(line)
    return [fm.elidedText(x, Qt.ElideRight, width) for x in lines[:max_lines]]


class FrameLabel(QGraphicsItem):
    """A theme's name over its cards when zoomed far out, large enough to read from the back of
    the room; invisible at readable zoom, where the frame's own header shows it."""

    def __init__(self, frame: ThemeFrame) -> None:
        super().__init__()
        self.frame = frame
        self._cache: tuple | None = None
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.NoButton)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self.frame.boundingRect()

    def words(self) -> str:
        """What the label says: the theme's name, its cards, its dots, whether pinned."""
        f = self.frame
        return f"{f.title} ({f.count})" + (f"  ●{f.dots}" if f.dots else "") \
            + (" · pinned" if f.pinned else "")

    def _fit(self, lod: float, top: float = 0.0) -> tuple:
        """(font, line height, plate, text, lines drawn or None to wrap in the plate): the
        largest font (up to the room-reading size) at which the name and count fit the frame's
        free area below ``top``, wrapped on at most four lines; where that is too small to read
        on screen, the readable size over the frame's top (``_readable``). Cached per zoom
        step, place and size."""
        f = self.frame
        st = f.style
        r = f.boundingRect()
        room_h = (f.label_room or r.height()) - 2 * _GAP - top
        text = self.words()
        key = (round(lod, 3), round(top, 1), text, r.width(), r.height(), room_h, st.version)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        scale = min(8.0, 0.9 / max(lod, 0.02))
        for _ in range(14):
            font = st.title_font(scale)
            fm = QFontMetricsF(font)
            pad = fm.height() * 0.5
            width = min(r.width() - 2 * _GAP, fm.horizontalAdvance(text) + pad)
            need = fm.boundingRect(QRectF(0, 0, width - pad, 1e7),
                                   Qt.AlignLeft | Qt.TextWordWrap, text)
            words_fit = all(fm.horizontalAdvance(w) <= width - pad for w in text.split())
            if words_fit and need.height() + fm.height() * 0.4 <= room_h \
                    and need.height() <= fm.height() * 4.2:
                break
            scale *= 0.82
        plate = QRectF(_GAP, _GAP + top, width,
                       max(0.0, min(room_h, need.height() + fm.height() * 0.4)))
        result = (font, fm.height(), plate, text, None)
        if fm.height() * lod < SMALLEST_LINE_PX * st.text_scale:
            result = self._readable(lod, top, text) or result
        self._cache = (key, result)
        return result

    def _readable(self, lod: float, top: float, text: str) -> tuple | None:
        """The name between ``READABLE_LINE_PX`` and ``SMALLEST_LINE_PX`` on screen, the
        largest size that shows it whole, wrapped in the frame's width on the lines its
        height allows (at most four). A parent's plate reaches down over its sub-themes: it
        keeps to one line if it can, never takes more than two, and is elided at the smallest
        size if it must. None when no such label fits (a leaf then keeps its whole name
        smaller, in its frame)."""
        f = self.frame
        st = f.style
        r = f.boundingRect()
        unit = QFontMetricsF(st.title_font()).height() * max(lod, 1e-4) / st.text_scale
        room_h = r.height() - 2 * _GAP - top
        whole = " ".join(text.split())

        def lines_at(px: float, most: int) -> tuple:
            font = st.title_font(px / unit)
            fm = QFontMetricsF(font)
            room_w = r.width() - 2 * _GAP - fm.height() * 0.5
            n = min(most, int(room_h / fm.height() - 0.4))
            if n < 1 or room_w < fm.horizontalAdvance("Wwww…"):
                return font, fm, []
            return font, fm, wrap(text, fm, room_w, n)

        def plate(font, fm: QFontMetricsF, lines: list[str]) -> tuple:
            width = max(fm.horizontalAdvance(x) for x in lines) + fm.height() * 0.5
            return (font, fm.height(), QRectF(_GAP, _GAP + top, width,
                                              (len(lines) + 0.4) * fm.height()),
                    text, "\n".join(lines))
        most = (1, 2) if f.label_room else (4,)
        for n in most:
            px = READABLE_LINE_PX
            while px >= SMALLEST_LINE_PX:
                font, fm, lines = lines_at(px, n)
                if lines and " ".join(lines) == whole:
                    return plate(font, fm, lines)
                px -= 0.5
        if not f.label_room:
            return None         # a leaf's name whole, if smaller, rather than cut short
        font, fm, lines = lines_at(SMALLEST_LINE_PX, most[-1])
        return plate(font, fm, lines) if lines else None

    def top_at(self, lod: float) -> float:
        """How far below its frame's top this label starts: below the labels of the themes
        its theme is nested in, where those reach over its frame (far out, a parent's label
        covers the top of its first sub-themes)."""
        f = self.frame
        scene = self.scene()
        frames = getattr(scene, "frames", None)
        if f.theme is None or not frames:
            return 0.0
        above: list[FrameLabel] = []
        for parent_id in line_up(ThemeParents(scene.themes), f.theme.id)[1:]:
            parent = frames.get(parent_id)
            if parent is None or parent.label is None:
                break
            above.append(parent.label)
        # the plates from the top theme's down, each placed below those above it: one pass,
        # where asking each parent for its own plate asked its parents again (and, with a loop
        # written into the parents, never ended)
        plates: list[QRectF] = []
        for label in reversed(above):
            plates.append(label._fit(lod, label._below(plates))[2]
                          .translated(label.frame.pos()))
        return self._below(plates)

    def _below(self, plates: list[QRectF]) -> float:
        """How far below its frame's top the label starts to clear those of the ``plates``
        (in scene coordinates) that reach over its frame."""
        at, r = self.frame.pos(), self.frame.boundingRect()
        top = 0.0
        for plate in plates:
            if plate.left() < at.x() + r.width() and plate.right() > at.x():
                top = max(top, plate.bottom() + _GAP - at.y())
        return top

    def plate_at(self, lod: float) -> QRectF:
        """The label's plate at this zoom, in scene coordinates."""
        plate = self._fit(lod, self.top_at(lod))[2]
        return plate.translated(self.frame.pos())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        f = self.frame
        if lod >= f.style.readable_lod():
            return
        st = f.style
        font, line_h, plate, text, lines = self._fit(lod, self.top_at(lod))
        if plate.height() <= 0:
            return
        bg = QColor("#000000" if st.high_contrast else "#ffffff")
        bg.setAlpha(215)
        painter.fillRect(plate, bg)
        painter.fillRect(QRectF(plate.x(), plate.y(), plate.width(),
                                max(2.0, 4 / max(lod, 0.02))), f.colour())
        painter.setPen(st.frame_text)
        painter.setFont(font)
        inside = plate.adjusted(line_h * 0.3, 0, -line_h * 0.2, 0)
        if lines is None:
            painter.drawText(inside, Qt.AlignLeft | Qt.AlignVCenter | Qt.TextWordWrap, text)
        else:
            painter.drawText(inside, Qt.AlignLeft | Qt.AlignVCenter, lines)
