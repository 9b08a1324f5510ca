"""The board as an image (PNG or SVG), whole or one theme, drawn with matplotlib (no Qt), for a
slide or an appendix: each theme a panel with its name and size, its cards as sticky notes
coloured by where they came from (debate statement, workshop note, transcript passage).
"""
from __future__ import annotations

import logging
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any, Iterable

from synth.words import plural

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


CARD_PT = 7.0            # card text, in points; "+ N more" is never smaller
MORE_PT = 8.0
CARD_H, CARD_GAP, PAD = 0.95, 0.15, 0.07      # inches
CARD_LINES = 5              # lines of a card's text before it is cut with "…"
CARD_BUDGET = 96            # cards drawn on a whole board: fewer themes, more cards each
MAX_PER_THEME = 40


def _panel_height(rows: int, more: bool) -> float:
    return 0.75 + rows * (CARD_H + CARD_GAP) + (0.45 if more else 0) + 0.1


def wrap_to_width(text: str, fits: Any, max_lines: int = CARD_LINES) -> list[str]:
    """``text`` in lines that each fit (``fits(line) -> bool``, measured in the font drawn),
    broken between words (a word too long for a line is broken where it stops fitting), a
    mask such as "[phone number]" kept on one line; past ``max_lines`` the last line ends
    in "…"."""
    words = re.findall(r"\[[^\]\[]{1,40}\]\S*|\S+", text)
    lines: list[str] = []
    line = ""
    while words:
        word = words.pop(0)
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
            words.insert(0, word)
        else:       # one word wider than the card: as much of it as fits
            cut = max(1, next((i for i in range(len(word) - 1, 0, -1) if fits(word[:i])), 1))
            lines.append(word[:cut])
            words.insert(0, word[cut:])
        if len(lines) > max_lines:
            break
    if line and len(lines) <= max_lines:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and not fits(last + "…"):
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _layout_theme(ax: Any, fits_card: Any, x0: float, y0: float, w: float, name: str,
                  colour: str, cards: list[tuple[str, str]], cols: int, shown_n: int) -> None:
    """Draw one theme panel with its top-left corner at (x0, y0), its first ``shown_n`` cards
    and, under them, how many more the theme holds."""
    from matplotlib.patches import FancyBboxPatch, Rectangle
    card_w = (w - 0.3 - (cols - 1) * CARD_GAP) / cols
    shown = cards[:shown_n]
    rows = max(1, math.ceil(len(shown) / cols))
    more = len(cards) - len(shown)
    height = _panel_height(rows, more > 0)
    ax.add_patch(FancyBboxPatch((x0, y0 - height), w, height,
                                boxstyle="round,pad=0,rounding_size=0.12",
                                fc="#f7f7f7", ec="#bdbdbd", lw=0.8))
    ax.add_patch(Rectangle((x0, y0 - 0.12), w, 0.12, fc=colour, ec="none"))
    ax.text(x0 + 0.15, y0 - 0.42, f"{name}", parse_math=False, fontsize=9, fontweight="bold",
            va="center", color="#1d1d1b")
    ax.text(x0 + w - 0.15, y0 - 0.42, plural(len(cards), "card"),
            fontsize=8, va="center", ha="right", color="#404040")
    for i, (kind, text) in enumerate(shown):
        r, c = divmod(i, cols)
        cx = x0 + 0.15 + c * (card_w + CARD_GAP)
        cy = y0 - 0.75 - r * (CARD_H + CARD_GAP)
        ax.add_patch(Rectangle((cx, cy - CARD_H), card_w, CARD_H, fc=CARD_COLOURS[kind],
                               ec=CARD_EDGES[kind], lw=0.6))
        lines = wrap_to_width(text, lambda s: fits_card(s, card_w - 2 * PAD))
        ax.text(cx + PAD, cy - 0.08, "\n".join(lines), parse_math=False, fontsize=CARD_PT,
                va="top", ha="left", color="#1d1d1b", linespacing=1.15)
    if more:
        ax.text(x0 + 0.15, y0 - height + 0.3,
                f"+ {more} more not shown ({len(shown)} of the theme's {len(cards)} cards above)",
                parse_math=False, fontsize=MORE_PT, va="center", color="#333333")


def draw_board(project: Any, path: str | os.PathLike[str], *, theme_id: int | None = None,
               max_cards: int | None = None, dpi: int = 150, strip_personal_data: bool | None = None
               ) -> Path:
    """Write the board (or one theme, with all its cards) to ``path``; .png or .svg by suffix.

    The cards' text leaves the project as the report prints it (``exports.content.item_words``):
    the redactions the researcher confirmed in any quote of the card's item, e-mail addresses
    and phone numbers masked always, names and staff numbers too when ``strip_personal_data``
    (default: the project's setting).

    The whole board shows ``max_cards`` cards per theme (default: about ``CARD_BUDGET`` cards
    shared among the themes, at least 12 each); a theme beside a taller one in its row shows
    more, up to that height; a theme with more says how many it holds."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from synth import board
    from .content import confirmed_redactions, item_words, names_to_strip, strip_requested

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"{path}: the board is drawn as .png or .svg")
    strip = strip_requested(project) if strip_personal_data is None else strip_personal_data
    redacted = confirmed_redactions(project)     # a name redacted in a quote, on its card too
    known = names_to_strip(project, strip)
    everything = board.cards(project)
    every_theme = board.themes(project)
    themes = [t for t in every_theme if t.parent_id is None]
    if theme_id is not None:
        themes = [t for t in every_theme if t.id == theme_id]
        if not themes:
            raise ValueError(f"no theme {theme_id}")
    # each card to the panel of the theme whose subtree holds it, in one pass over the cards
    # and the themes read once (not every theme and every card again for each panel)
    tree = board.ThemeTree({t.id: t.parent_id for t in every_theme})
    panel_of = {sub: t.id for t in themes for sub in tree.subtree(t.id)}
    by_panel: dict[int, list[board.Card]] = {t.id: [] for t in themes}
    for c in everything:
        if c.theme_id in panel_of:
            by_panel[panel_of[c.theme_id]].append(c)

    def cards_of(tid: int) -> list[tuple[str, str]]:
        return [(c.kind, item_words(project, c.kind, c.id, c.text, strip, redacted, known))
                for c in by_panel[tid]]

    if theme_id is not None:
        t = themes[0]
        cards = cards_of(t.id)
        cols = 4
        width = 12.0
        panels = [(t.name, t.colour, cards, cols, len(cards))]
        ncols = 1
    else:
        panels = [(t.name, t.colour, cards_of(t.id), 2, 0) for t in themes]
        unsorted = [(c.kind, item_words(project, c.kind, c.id, c.text, strip, redacted, known))
                    for c in everything if c.theme_id is None]
        if unsorted:
            panels.append(("Unsorted", "#9e9e9e", unsorted, 2, 0))
        each = max_cards or max(12, min(MAX_PER_THEME, CARD_BUDGET // max(1, len(panels))))
        panels = [(n, colour, cards, k, each - each % k or k)
                  for n, colour, cards, k, _ in panels]
        ncols = max(1, min(4, math.ceil(math.sqrt(len(panels) or 1))))
        width = 4.2
    families, no_font = font_families(
        [name for name, _c, _cards, _k, _m in panels] +
        # a panel may show more than its own share beside a taller one: up to the largest
        [text for _n, _c, cards, _k, _m in panels
         for _kind, text in cards[:max(m for *_, m in panels)]])
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
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Patch
    # each row of panels is as tall as its tallest panel; the others in the row fill that
    # height with more of their cards (the canvas is that tall anyway)
    grid = [panels[i:i + ncols] for i in range(0, len(panels), ncols)]
    shown: list[int] = []
    row_heights = []
    for row in grid:
        card_rows = max(max(1, math.ceil(min(len(cards), mx) / k)) for _n, _c, cards, k, mx in row)
        counts = [min(len(cards), card_rows * k) for _n, _c, cards, k, _mx in row]
        shown += counts
        row_heights.append(max(_panel_height(card_rows, n < len(p[2]))
                               for n, p in zip(counts, row)))
    row_heights = row_heights or [1.0]
    total_w = ncols * width + (ncols + 1) * 0.3
    total_h = sum(row_heights) + (len(row_heights) + 1) * 0.3 + 0.6
    fig = plt.figure(figsize=(total_w, total_h), dpi=dpi)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, total_w)
    ax.set_ylim(0, total_h)
    ax.axis("off")
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=CARD_PT)

    def fits_card(line: str, inches: float) -> bool:
        w, _h, _d = renderer.get_text_width_height_descent(line, prop, ismath=False)
        return w <= inches * fig.dpi

    y = total_h - 0.3
    for r, (row, rh) in enumerate(zip(grid, row_heights)):
        for c, (name, colour, cards, cols, _mx) in enumerate(row):
            _layout_theme(ax, fits_card, 0.3 + c * (width + 0.3), y, width, name, colour,
                          cards, cols, shown[r * ncols + c])
        y -= rh + 0.3
    ax.legend(handles=[Patch(fc=CARD_COLOURS[k], ec=CARD_EDGES[k], label=KIND_LABEL[k])
                       for k in CARD_COLOURS], loc="lower left", ncol=3, frameon=False,
              fontsize=MORE_PT, bbox_to_anchor=(0.0, 0.0))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt, dpi=dpi, facecolor="white")
    plt.close(fig)
