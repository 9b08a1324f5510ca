"""Where frames and cards go: a pure function of theme order and card counts (no Qt).

Frames are packed left to right in rows; each frame is as square as its cards allow, so a
theme of 400 cards does not become a tower. Card order inside a frame follows the stored
``card_places`` order (y, then x), so a drop or an auto-arrange is remembered.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

CARD_W = 240.0
CARD_H = 124.0
GAP = 14.0
PAD = 18.0
HEADER_H = 86.0
FRAME_GAP = 60.0
ROW_WIDTH_MIN = 1600.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h


def columns_for(n: int, *, minimum: int = 2, maximum: int = 12) -> int:
    return max(minimum, min(maximum, math.ceil(math.sqrt(max(n, 1) * CARD_H / CARD_W * 1.6))))


def frame_size(n: int, cols: int) -> tuple[float, float]:
    rows = max(1, math.ceil(n / cols))
    return (cols * CARD_W + (cols - 1) * GAP + 2 * PAD,
            HEADER_H + rows * CARD_H + (rows - 1) * GAP + PAD)


def card_offset(i: int, cols: int) -> tuple[float, float]:
    r, c = divmod(i, cols)
    return PAD + c * (CARD_W + GAP), HEADER_H + r * (CARD_H + GAP)


def slot_at(px: float, py: float, frame: Rect, cols: int) -> int:
    """The card slot under a point of a frame (for inserting a drop where it lands)."""
    c = int((px - frame.x - PAD + GAP / 2) // (CARD_W + GAP))
    r = int((py - frame.y - HEADER_H + GAP / 2) // (CARD_H + GAP))
    return max(0, r) * cols + max(0, min(cols - 1, c))


def _group(key: object, n_of: dict[object, int], children: dict[object, list[object]]
           ) -> tuple[float, float, list[tuple[object, float, float, float, float, int]]]:
    """A theme with its sub-themes nested inside it, below its own cards. Returns the group's
    width, height and (key, dx, dy, w, h, cols) for the theme and every descendant."""
    n = n_of.get(key, 0)
    cols = columns_for(n, minimum=2, maximum=8)
    own_w, own_h = frame_size(n, cols)
    kids = children.get(key, [])
    if not kids:
        return own_w, own_h, [(key, 0.0, 0.0, own_w, own_h, cols)]
    if n == 0:
        top = HEADER_H            # only a header above its sub-themes
    else:
        top = own_h - PAD + GAP   # its cards, then its sub-themes
    subs = [_group(k, n_of, children) for k in kids]
    area = sum((w + GAP) * (h + GAP) for w, h, _ in subs)
    limit = max(own_w - 2 * PAD, max(w for w, _, _ in subs), (area * 16 / 9) ** 0.5)
    x, y, row_h, right = PAD, top, 0.0, own_w - PAD
    placed: list[tuple[object, float, float, float, float, int]] = []
    for w, h, inner in subs:
        if x > PAD and x + w > PAD + limit:
            x, y, row_h = PAD, y + row_h + GAP, 0.0
        placed += [(k, x + dx, y + dy, ww, hh, c) for k, dx, dy, ww, hh, c in inner]
        right = max(right, x + w)
        x += w + GAP
        row_h = max(row_h, h)
    width, height = right + PAD, y + row_h + PAD
    return width, height, [(key, 0.0, 0.0, width, height, cols), *placed]


@dataclass(frozen=True)
class Anchor:
    """What a packing kept fixed: where the themes start (right of the unsorted area) and
    how wide a row of frames is. Given back to the next packing, a theme accepted, made or
    emptied moves no other frame: the board is not packed anew around each change."""
    x0: float
    row_width: float
    # each top-level frame's room (w, h): a frame that lost cards keeps it, so the frames
    # beside and below it stay put (one that grows pushes them, as it must)
    slots: dict = field(default_factory=dict)


def pack_frames(sizes: list[tuple[object, int]], *, unsorted_n: int,
                parents: dict[object, object] | None = None, anchor: Anchor | None = None
                ) -> tuple[dict[object, tuple[Rect, int]], tuple[Rect, int], Anchor]:
    """``sizes``: (theme key, number of slots) in display order; ``parents``: a theme's parent
    key (sub-themes are drawn nested inside their parent, below its cards). Returns each
    frame's rect and column count, the unsorted area's (left of the themes) and the
    ``Anchor`` used. ``anchor``: the last packing's, kept (the unsorted area grows down rather
    than push the themes right; a row stays as wide unless a wider frame needs more)."""
    parents = parents or {}
    n_of = dict(sizes)
    children: dict[object, list[object]] = {}
    tops: list[object] = []
    for key, _ in sizes:
        p = parents.get(key)
        if p is not None and p in n_of:
            children.setdefault(p, []).append(key)
        else:
            tops.append(key)
    ucols = columns_for(unsorted_n, minimum=3, maximum=40)
    if anchor is not None:      # as many columns as the kept width holds, then longer
        fit = int((anchor.x0 - FRAME_GAP * 2 - 2 * PAD + GAP) // (CARD_W + GAP))
        ucols = max(3, min(ucols, fit))
    uw, uh = frame_size(unsorted_n, ucols)
    unsorted = (Rect(0.0, 0.0, uw, uh), ucols)
    x0 = uw + FRAME_GAP * 2
    if anchor is not None:
        x0 = max(x0, anchor.x0)
    kept = anchor.slots if anchor is not None else {}
    groups = []
    for k in tops:
        w, h, placed = _group(k, n_of, children)
        kw, kh = kept.get(k, (0.0, 0.0))
        groups.append((max(w, kw), max(h, kh), placed))
    # rows about as wide as a 16:9 screen would want for the frames' total area
    area = sum((w + FRAME_GAP) * (h + FRAME_GAP) for w, h, _ in groups)
    row_width = max([ROW_WIDTH_MIN, *(w for w, _, _ in groups)]) if groups else ROW_WIDTH_MIN
    if anchor is not None:
        row_width = max(row_width, anchor.row_width)
    else:
        row_width = max(row_width, (area * 16 / 9) ** 0.5)
    x, y, row_h = x0, 0.0, 0.0
    out: dict[object, tuple[Rect, int]] = {}
    slots: dict[object, tuple[float, float]] = {}
    for (w, h, placed), key in zip(groups, tops):
        slots[key] = (w, h)
        if x > x0 and x + w > x0 + row_width:
            x, y, row_h = x0, y + row_h + FRAME_GAP, 0.0
        for k, dx, dy, ww, hh, cols in placed:
            out[k] = (Rect(x + dx, y + dy, ww, hh), cols)
        x += w + FRAME_GAP
        row_h = max(row_h, h)
    return out, unsorted, Anchor(x0, row_width, slots)
