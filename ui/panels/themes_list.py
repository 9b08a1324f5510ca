"""A list of themes to jump between (large in presentation mode), and to choose themes from by
keyboard: the themes chosen here are the board's selected themes, which Details shows and
rename, merge and pin act on."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QListWidget, QListWidgetItem,
                               QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget)

from ..board.data import ordered_themes, with_subthemes
from ..board.items import draw_pin


class _WrapEarly(QStyledItemDelegate):
    """A row's height is reckoned a few pixels narrower than it is drawn: reckoned at the full
    width, a label just too long for one line was given one line's height and drawn cut short
    ("Pay & savings (44) · …" where the other rows say "· candidate", QA2 #3)."""
    SLACK = 4

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802
        narrower = QStyleOptionViewItem(option)
        if narrower.rect.width() > 4 * self.SLACK:
            narrower.rect.setWidth(narrower.rect.width() - self.SLACK)
        return super().sizeHint(narrower, index)


class ThemesList(QWidget):
    theme_activated = Signal(object)     # Enter or a double click: theme id, None for unsorted
    theme_focused = Signal(object)       # the arrows moved to it: bring it into view
    themes_chosen = Signal(list)         # the themes selected in the list (ids)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Themes")
        self.list = QListWidget()
        self.list.setAccessibleName("Theme list: the arrows choose a theme, Shift+arrows "
                                    "several; Enter goes to it on the board")
        # long names wrap instead of being cut off (at 2x on the shared screen especially)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setSpacing(1)
        self.list.setItemDelegate(_WrapEarly(self.list))
        # several themes at once (Shift/Ctrl): merging is one keystroke away from the list
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list)
        self.list.itemActivated.connect(
            lambda item: self.theme_activated.emit(item.data(Qt.UserRole)))
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemSelectionChanged.connect(self._on_selection_changed)
        self._scale = 1.0

    def _on_current_changed(self, cur, _prev) -> None:
        if cur is not None and self.list.hasFocus():
            self.theme_focused.emit(cur.data(Qt.UserRole))

    def _on_selection_changed(self) -> None:
        if self.list.hasFocus():     # the researcher's choice, not a refresh or the board's
            self.themes_chosen.emit(self.selected_ids())

    def selected_ids(self) -> list[int]:
        """The selected themes, in list order (the unsorted row is no theme)."""
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if self.list.item(i).isSelected()
                and self.list.item(i).data(Qt.UserRole) is not None]

    def show_chosen(self, theme_ids: list[int]) -> None:
        """Select the rows of the themes selected on the board (a click on a frame's title),
        unless the researcher is choosing here."""
        if self.list.hasFocus():
            return
        wanted = set(theme_ids)
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            tid = item.data(Qt.UserRole)
            item.setSelected(tid is not None and tid in wanted)
            if tid is not None and tid in wanted and len(wanted) == 1:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
        self.list.blockSignals(False)
        self.list.viewport().update()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        f = QFont()
        f.setPointSizeF(10 * scale)
        self.list.setFont(f)
        side = int(14 * scale)
        self.list.setIconSize(QSize(side, side))

    def refresh_from(self, themes: dict, counts: dict) -> None:
        """One row per theme: its name, its cards counted with its sub-themes', whether it is
        a candidate or pinned, its dots; the current and selected rows stay so."""
        current = self.list.currentItem().data(Qt.UserRole) if self.list.currentItem() else None
        selected = set(self.selected_ids())
        totals = with_subthemes(themes, counts)
        self.list.blockSignals(True)
        self.list.clear()
        for t in ordered_themes(themes):
            # a marker, not leading spaces: a wrapped long name keeps reading as one item
            label = ("› " * t.depth) + f"{t.name}  ({totals.get(t.id, 0)})"
            if t.status == "candidate":
                label += "  · candidate"
            if t.pinned:
                label += "  · pinned"
            if t.dots:
                label += f"  ●{t.dots}"
            item = QListWidgetItem(label)
            item.setIcon(_swatch(t.colour, t.pinned))
            item.setData(Qt.UserRole, t.id)
            self.list.addItem(item)
            if t.id == current:
                self.list.setCurrentItem(item)
            item.setSelected(t.id in selected)
        item = QListWidgetItem(f"Unsorted  ({len(counts.get(None, []))})")
        item.setData(Qt.UserRole, None)
        self.list.addItem(item)
        self.list.blockSignals(False)


def _swatch(colour: str, pinned: bool) -> QIcon:
    """The theme's colour, with a pin drawn over it when pinned."""
    side = 28
    pm = QPixmap(side, side)
    pm.fill(QColor(colour))
    if pinned:
        pm.fill(Qt.transparent)
        p = QPainter(pm)
        p.fillRect(QRectF(0, 6, side - 6, side - 6), QColor(colour))
        draw_pin(p, QRectF(side * 0.4, 0, side * 0.6, side * 0.8), QColor("#222222"))
        p.end()
    return QIcon(pm)
