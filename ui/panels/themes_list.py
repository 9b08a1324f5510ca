"""A list of themes to jump between (large in presentation mode)."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..board.data import ordered_themes


class ThemesList(QWidget):
    theme_activated = Signal(object)     # theme id, or None for unsorted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Themes")
        self.list = QListWidget()
        self.list.setAccessibleName("Theme list: Enter zooms to the theme")
        # long names wrap instead of being cut off (at 2x on the shared screen especially)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setSpacing(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list)
        self.list.itemActivated.connect(
            lambda item: self.theme_activated.emit(item.data(Qt.UserRole)))
        self.list.currentItemChanged.connect(self._on_current_changed)
        self._scale = 1.0

    def _on_current_changed(self, cur, _prev) -> None:
        if cur is not None and self.list.hasFocus():
            self.theme_activated.emit(cur.data(Qt.UserRole))

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        f = QFont()
        f.setPointSizeF(10 * scale)
        self.list.setFont(f)
        side = int(14 * scale)
        self.list.setIconSize(QSize(side, side))

    def refresh_from(self, themes: dict, counts: dict) -> None:
        current = self.list.currentItem().data(Qt.UserRole) if self.list.currentItem() else None
        self.list.blockSignals(True)
        self.list.clear()
        for t in ordered_themes(themes):
            # a marker, not leading spaces: a wrapped long name keeps reading as one item
            label = ("› " * t.depth) + f"{t.name}  ({len(counts.get(t.id, []))})"
            if t.status == "candidate":
                label += "  · candidate"
            if t.dots:
                label += f"  ●{t.dots}"
            item = QListWidgetItem(label)
            pm = QPixmap(14, 14)
            pm.fill(QColor(t.colour))
            item.setIcon(QIcon(pm))
            item.setData(Qt.UserRole, t.id)
            self.list.addItem(item)
            if t.id == current:
                self.list.setCurrentItem(item)
        item = QListWidgetItem(f"Unsorted  ({len(counts.get(None, []))})")
        item.setData(Qt.UserRole, None)
        self.list.addItem(item)
        self.list.blockSignals(False)
