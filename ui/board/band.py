"""The rubber band: the items a band crosses, found from the frames' grids, and the selection
changed by the difference as the band moves.

Qt's own band (``QGraphicsView.RubberBandDrag``) asks the scene for every item under the band
and selects them on each mouse move, and each move's selectionChanged made the board read the
whole selection back: with 20,000 cards selected, 31 ms a move. Here a card's place is
arithmetic (``layout.card_offset``): each frame the band reaches gives the rows and columns it
crosses, only the items entering or leaving the band change, and the scene tells the panels at
most once a frame (see ``BoardScene.band_over``).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterable

from PySide6.QtCore import QRectF

from .layout import CARD_H, CARD_W, GAP, HEADER_H, PAD

if TYPE_CHECKING:
    from .items import CardItem, ThemeFrame

_STEP_X, _STEP_Y = CARD_W + GAP, CARD_H + GAP


def _span(lo: float, hi: float, origin: float, size: float, step: float, count: int
          ) -> range:
    """The cells ``origin + k * step`` (each ``size`` long, 0 <= k < count) that overlap
    (lo, hi) with some length: Qt's ``QRectF.intersects``, edges touching do not count."""
    first = max(0, math.floor((lo - origin - size) / step) + 1)
    last = min(count - 1, math.ceil((hi - origin) / step) - 1)
    return range(first, last + 1)


def crossed_cards(frame: "ThemeFrame", band: QRectF) -> list["CardItem"]:
    """The frame's cards whose rects the band (scene coordinates) crosses."""
    cells = frame.cells
    n, cols = len(cells), max(1, frame.cols)
    if not n:
        return []
    at = frame.pos()
    fx, fy = at.x(), at.y()
    columns = _span(band.left(), band.right(), fx + PAD, CARD_W, _STEP_X, cols)
    rows = _span(band.top(), band.bottom(), fy + HEADER_H, CARD_H, _STEP_Y, -(-n // cols))
    if not columns or not rows:
        return []
    out: list[CardItem] = []
    for r in rows:
        start = r * cols
        out += [cell[0] for cell in cells[start + columns.start:
                                          min(n, start + columns.stop)]]
    return out


def items_crossed(frames: Iterable["ThemeFrame"], ghosts: Iterable["CardItem"], band: QRectF,
                  *, cards_shown: bool = True) -> set:
    """What a band over ``band`` (scene) selects, as Qt's band did (items whose shape the band
    crosses): frames by their title strip (their shape), suggestions, and the cards of every
    frame it reaches. ``cards_shown`` False: far out, where the frames' card layers are
    transparent, Qt's band took no cards, and neither does this one."""
    out: set = set()
    for f in frames:
        at = f.pos()
        r = f.boundingRect()
        body = QRectF(at.x(), at.y(), r.width(), r.height())
        if not body.intersects(band):
            continue
        if QRectF(at.x(), at.y(), r.width(), HEADER_H - 6).intersects(band):
            out.add(f)
        if cards_shown:
            out.update(crossed_cards(f, band))
    out.update(g for g in ghosts if g.sceneBoundingRect().intersects(band))
    return out


class Band:
    """A band in progress: what it covers now, and whether it adds to the selection (Ctrl: an
    item the band passed over stays selected, as with Qt's band) or replaces it (an item the
    band leaves is deselected)."""

    def __init__(self, add: bool) -> None:
        self.add = add
        self.covered: set = set()
        self.selected: set = set()     # what the band selected and holds selected now

    def move_to(self, now: set) -> list:
        """Select what entered the band (and deselect what left it, unless adding); the
        items whose selection changed. The caller blocks the scene's signals around it."""
        changed = []
        for item in now - self.covered:
            if not item.isSelected():
                item.setSelected(True)
                changed.append(item)
                self.selected.add(item)
        if not self.add:
            for item in self.covered - now:
                if item.isSelected():
                    item.setSelected(False)
                    changed.append(item)
                self.selected.discard(item)
        self.covered = now
        return changed

    def undo(self) -> list:
        """Esc: what the band selected deselected again, the selection as the band found it
        (Ctrl held: what was selected before stays); the items whose selection changed. The
        caller blocks the scene's signals around it."""
        changed = [item for item in self.selected if item.isSelected()]
        for item in changed:
            item.setSelected(False)
        self.covered, self.selected = set(), set()
        return changed
