"""The board as an image (PNG or SVG), whole or one theme, drawn with matplotlib (no Qt), for a
slide or an appendix: each theme a panel with its name and size, its cards as sticky notes
coloured by where they came from (debate statement, workshop note, transcript passage).
"""
from __future__ import annotations

import logging
import math
import os
import textwrap
import warnings
from pathlib import Path
from typing import Any, Iterable

CARD_COLOURS = {"statement": "#dbe8f4", "note": "#fde7b0", "passage": "#dcefdc"}
CARD_EDGES = {"statement": "#1f5f8b", "note": "#c9a227", "passage": "#5a9e6f"}
KIND_LABEL = {"statement": "debate statement", "note": "workshop note",
              "passage": "transcript passage"}
BASE_FONT = "DejaVu Sans"       # matplotlib's own, always there
# tried first for characters the base font lacks (CJK, symbols, emoji), then any other font
FALLBACK_FIRST = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans", "Droid Sans Fallback",
                  "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans Symbols",
                  "Noto Sans Symbols2", "Noto Emoji", "Symbola", "Segoe UI Emoji",
                  "Segoe UI Symbol", "Microsoft YaHei", "Arial Unicode MS")
_charmaps: dict[str, set[int]] = {}


def _charmap(path: str) -> set[int]:
    if path not in _charmaps:
        from matplotlib import ft2font
        try:
            _charmaps[path] = set(ft2font.FT2Font(path).get_charmap())
        except (OSError, RuntimeError, ValueError):
            _charmaps[path] = set()
    return _charmaps[path]


def font_families(texts: Iterable[str]) -> tuple[list[str], str]:
    """(font families to draw ``texts`` with, the characters no font here has). The base font
    first, then, for characters it lacks, installed fonts that have them (matplotlib falls back
    glyph by glyph along the list). "Last Resort" fonts, which draw a box for everything, are
    no fallback."""
    from matplotlib import font_manager
    wanted = {ord(c) for t in texts for c in t if ord(c) > 0x7F and not c.isspace()}
    families = [BASE_FONT]
    base = font_manager.findfont(font_manager.FontProperties(family=BASE_FONT))
    missing = wanted - _charmap(base)
    # variation selectors and joiners are not drawn: no font needs to have them
    missing -= {0x200D, *range(0xFE00, 0xFE10)}
    if missing:
        by_family: dict[str, str] = {}
        for f in font_manager.fontManager.ttflist:
            if "last resort" not in f.name.lower() and f.name != BASE_FONT:
                if f.name not in by_family or (f.style == "normal" and f.weight in (400,
                                                                                    "normal")):
                    by_family[f.name] = f.fname
        order = [n for n in FALLBACK_FIRST if n in by_family] + \
            sorted(n for n in by_family if n not in FALLBACK_FIRST)
        for name in order:
            has = missing & _charmap(by_family[name])
            if has:
                families.append(name)
                missing -= has
            if not missing:
                break
    return families, "".join(sorted(map(chr, missing)))


def _layout_theme(ax: Any, x0: float, y0: float, w: float, name: str, colour: str,
                  cards: list[tuple[str, str]], cols: int, max_cards: int) -> float:
    """Draw one theme panel with its top-left corner at (x0, y0); returns its height."""
    from matplotlib.patches import FancyBboxPatch, Rectangle
    card_w, card_h, gap = (w - 0.3 - (cols - 1) * 0.15) / cols, 0.95, 0.15
    shown = cards[:max_cards]
    rows = max(1, math.ceil(len(shown) / cols))
    height = 0.75 + rows * (card_h + gap) + (0.35 if len(cards) > len(shown) else 0) + 0.1
    ax.add_patch(FancyBboxPatch((x0, y0 - height), w, height, boxstyle="round,pad=0,rounding_size=0.12",
                                fc="#f7f7f7", ec="#bdbdbd", lw=0.8))
    ax.add_patch(Rectangle((x0, y0 - 0.12), w, 0.12, fc=colour, ec="none"))
    ax.text(x0 + 0.15, y0 - 0.42, f"{name}", parse_math=False, fontsize=9, fontweight="bold", va="center",
            color="#1d1d1b")
    ax.text(x0 + w - 0.15, y0 - 0.42, f"{len(cards)}", fontsize=8, va="center", ha="right",
            color="#595959")
    chars = max(12, int(card_w * 13))
    for i, (kind, text) in enumerate(shown):
        r, c = divmod(i, cols)
        cx = x0 + 0.15 + c * (card_w + gap)
        cy = y0 - 0.75 - r * (card_h + gap)
        ax.add_patch(Rectangle((cx, cy - card_h), card_w, card_h, fc=CARD_COLOURS[kind],
                               ec=CARD_EDGES[kind], lw=0.6))
        lines = textwrap.wrap(" ".join(text.split()), chars)
        if len(lines) > 4:
            lines = lines[:4]
            lines[-1] = lines[-1][: max(0, chars - 1)] + "…"
        ax.text(cx + 0.07, cy - 0.08, "\n".join(lines), parse_math=False, fontsize=5.6, va="top", ha="left",
                color="#1d1d1b", linespacing=1.15)
    if len(cards) > len(shown):
        ax.text(x0 + 0.15, y0 - height + 0.25, f"+ {len(cards) - len(shown)} more",
                fontsize=7, color="#595959")
    return height


def draw_board(project: Any, path: str | os.PathLike[str], *, theme_id: int | None = None,
               max_cards: int = 12, dpi: int = 150, strip_personal_data: bool | None = None
               ) -> Path:
    """Write the board (or one theme, with all its cards) to ``path``; .png or .svg by suffix.

    The cards' text leaves the project masked as the report masks it
    (``exports.content.mask_personal_data``): e-mail addresses and phone numbers always, names
    and staff numbers too when ``strip_personal_data`` (default: the project's setting)."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from synth import board
    from .content import mask_personal_data, strip_requested

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"{path}: the board is drawn as .png or .svg")
    strip = strip_requested(project) if strip_personal_data is None else strip_personal_data
    everything = board.cards(project)
    themes = [t for t in board.themes(project) if t.parent_id is None]
    if theme_id is not None:
        themes = [t for t in board.themes(project) if t.id == theme_id]
        if not themes:
            raise ValueError(f"no theme {theme_id}")
    def cards_of(tid: int) -> list[tuple[str, str]]:
        ids = set(board.subtree(project, tid))
        return [(c.kind, mask_personal_data(c.text, names=strip)) for c in everything
                if c.theme_id in ids]

    if theme_id is not None:
        t = themes[0]
        cards = cards_of(t.id)
        cols = 4
        width = 12.0
        panels = [(t.name, t.colour, cards, cols, len(cards))]
        ncols = 1
    else:
        panels = [(t.name, t.colour, cards_of(t.id), 2, max_cards) for t in themes]
        unsorted = [(c.kind, mask_personal_data(c.text, names=strip)) for c in everything
                    if c.theme_id is None]
        if unsorted:
            panels.append(("Unsorted", "#9e9e9e", unsorted, 2, max_cards))
        ncols = max(1, min(4, math.ceil(math.sqrt(len(panels) or 1))))
        width = 4.2
    families, no_font = font_families(
        [name for name, _c, _cards, _k, _m in panels] +
        [text for _n, _c, cards, _k, mx in panels for _kind, text in cards[:mx]])
    fonts_log = logging.getLogger("matplotlib.font_manager")
    level = fonts_log.level
    with plt.rc_context({"svg.fonttype": "none", "font.family": families}), \
            warnings.catch_warnings():
        # characters no font here has are drawn as boxes: said once below, not per glyph;
        # a fallback font without a bold face is used as it is (bold theme names), silently
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fonts_log.setLevel(logging.ERROR)
        try:
            _draw(plt, path, fmt, dpi, panels, ncols, width)
        finally:
            fonts_log.setLevel(level)
    if no_font:
        warnings.warn(f"{path.name}: no font on this machine has {len(no_font)} of the "
                      f"characters on the cards ({' '.join(no_font[:12])}); they are drawn as "
                      "boxes", stacklevel=2)
    return path


def _draw(plt: Any, path: Path, fmt: str, dpi: int, panels: list, ncols: int,
          width: float) -> None:
    from matplotlib.patches import Patch
    # measure: each row of panels is as tall as its tallest panel
    heights = []
    for name, colour, cards, cols, mx in panels:
        rows = max(1, math.ceil(min(len(cards), mx) / cols))
        heights.append(0.75 + rows * 1.1 + (0.35 if len(cards) > mx else 0) + 0.1)
    row_heights = [max(heights[i:i + ncols]) for i in range(0, len(heights), ncols)] or [1.0]
    total_w = ncols * width + (ncols + 1) * 0.3
    total_h = sum(row_heights) + (len(row_heights) + 1) * 0.3 + 0.6
    fig = plt.figure(figsize=(total_w, total_h))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, total_w)
    ax.set_ylim(0, total_h)
    ax.axis("off")
    y = total_h - 0.3
    for r, rh in enumerate(row_heights):
        for c in range(ncols):
            i = r * ncols + c
            if i >= len(panels):
                break
            name, colour, cards, cols, mx = panels[i]
            _layout_theme(ax, 0.3 + c * (width + 0.3), y, width, name, colour, cards, cols, mx)
        y -= rh + 0.3
    ax.legend(handles=[Patch(fc=CARD_COLOURS[k], ec=CARD_EDGES[k], label=KIND_LABEL[k])
                       for k in CARD_COLOURS], loc="lower left", ncol=3, frameon=False,
              fontsize=7, bbox_to_anchor=(0.0, 0.0))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt, dpi=dpi, facecolor="white")
    plt.close(fig)
