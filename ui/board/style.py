"""Colours and fonts of the board, shared by every item (one object, so a switch to the
high-contrast palette or a larger text scale is one assignment and one repaint)."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont, QFontMetricsF

GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
KIND_COLOURS = {"statement": "#4e79a7", "note": "#f28e2b", "passage": "#59a14f"}
SITE_COLOURS = ["#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f", "#ff9da7", "#1f77b4"]
READABLE_LOD = 0.45      # below this, text at scale 1 is too small to read: draw a rectangle


@dataclass
class BoardStyle:
    text_scale: float = 1.0
    high_contrast: bool = False
    colour_by: str = "source"          # source / city / group
    overview: bool = False             # far out: frames draw their cards in batches
    version: int = 0                   # bumped on every change: items re-prepare their text
    small_n: int = 10                  # a statement fewer voted on is marked † (0: none is)
    sites: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._fonts: dict[str, QFont] = {}
        self._metrics: dict[str, QFontMetricsF] = {}
        self._colours: dict[str, QColor] = {}
        self._named: dict[str, QColor] = {}
        # the selected cards, kept by the scene: far-out batches read it (asking each of
        # 120,000 items isSelected() costs a call into Qt apiece)
        self.selected: set = set()

    def bump(self) -> None:
        self.version += 1
        self._fonts = {}
        self._metrics = {}
        self._colours = {}

    def _hex(self, name: str) -> QColor:
        """One shared colour per name (never changed in place): 120,000 cards hold a few."""
        c = self._named.get(name)
        if c is None:
            c = self._named[name] = QColor(name)
        return c

    def readable_lod(self) -> float:
        """The zoom below which a card's text is too small to read: text made larger (the
        presentation's 1.5) stays readable that much further out."""
        return READABLE_LOD / max(1.0, self.text_scale)

    def font(self, name: str) -> QFont:
        """A cached font (fonts are rebuilt only when the look changes)."""
        f = self._fonts.get(name)
        if f is None:
            f = self._fonts[name] = getattr(self, name + "_font")()
        return f

    def metrics(self, name: str) -> QFontMetricsF:
        """The metrics of a cached font, kept with it (each readable card asks for three)."""
        m = self._metrics.get(name)
        if m is None:
            m = self._metrics[name] = QFontMetricsF(self.font(name))
        return m

    def colour(self, name: str) -> QColor:
        c = self._colours.get(name)
        if c is None:
            c = self._colours[name] = getattr(type(self), name).fget(self)
        return c

    # fonts
    def card_font(self) -> QFont:
        f = QFont()
        f.setPointSizeF(9.5 * self.text_scale)
        return f

    def badge_font(self) -> QFont:
        f = QFont()
        f.setPointSizeF(7.5 * min(self.text_scale, 1.4))
        f.setBold(True)
        return f

    def small_font(self) -> QFont:
        f = QFont()
        f.setPointSizeF(7.5 * min(self.text_scale, 1.4))
        return f

    def title_font(self, scale: float = 1.0) -> QFont:
        f = QFont()
        f.setPointSizeF(15 * self.text_scale * scale)
        f.setBold(True)
        return f

    def summary_font(self) -> QFont:
        f = QFont()
        f.setPointSizeF(9.5 * self.text_scale)
        return f

    # colours
    @property
    def background(self) -> QColor:
        return QColor("#000000" if self.high_contrast else "#eef0f3")

    @property
    def card_fill(self) -> QColor:
        return QColor("#111111" if self.high_contrast else "#ffffff")

    @property
    def card_text(self) -> QColor:
        return QColor("#ffffff" if self.high_contrast else "#1d1f23")

    @property
    def dim_fill(self) -> QColor:
        return QColor("#2a2a2a" if self.high_contrast else "#e4e6ea")

    @property
    def dim_text(self) -> QColor:
        return QColor("#777777" if self.high_contrast else "#a5a9b0")

    @property
    def selection(self) -> QColor:
        return QColor("#ffd800" if self.high_contrast else "#1565c0")

    @property
    def frame_text(self) -> QColor:
        return QColor("#ffffff" if self.high_contrast else "#1d1f23")

    @property
    def muted_text(self) -> QColor:
        return QColor("#dddddd" if self.high_contrast else "#50555e")

    def accent(self, card) -> QColor:
        """The colour that marks a card under the current "colour by"."""
        if self.colour_by == "city":
            if not card.site:
                return self._hex("#9aa0a6")
            i = self.sites.setdefault(card.site, len(self.sites))
            return self._hex(SITE_COLOURS[i % len(SITE_COLOURS)])
        if self.colour_by == "group":
            if card.opinion_group is None:
                return self._hex("#9aa0a6")
            return self._hex(GROUP_COLOURS[int(card.opinion_group) % len(GROUP_COLOURS)])
        return self._hex(KIND_COLOURS.get(card.kind, "#9aa0a6"))
