"""The quick picker: type a few letters of a theme's name, Enter moves the selected cards there.
Non-modal (``chosen`` signal) so the board stays live and tests can drive it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

NEW_THEME = "__new__"
UNSORTED = "__unsorted__"


class ThemePicker(QDialog):
    chosen = Signal(object)      # theme id, UNSORTED, or (NEW_THEME, name)

    def __init__(self, themes: list[tuple[int, str]], parent=None, *,
                 title: str = "Move to theme", allow_new: bool = True,
                 allow_unsorted: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(False)
        self._themes = themes
        self._allow_new = allow_new
        self._allow_unsorted = allow_unsorted
        lay = QVBoxLayout(self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type a theme name, Enter to choose, Esc to cancel")
        self.filter_edit.setAccessibleName("Theme name filter")
        self.list = QListWidget()
        self.list.setAccessibleName("Themes")
        lay.addWidget(self.filter_edit)
        lay.addWidget(self.list)
        self.filter_edit.textChanged.connect(self._on_text_changed)
        self.filter_edit.returnPressed.connect(self._on_return)
        self.list.itemActivated.connect(self._on_item_activated)
        self.resize(460, 420)
        self._on_text_changed("")

    def _on_text_changed(self, text: str) -> None:
        self.list.clear()
        words = text.lower().split()
        for tid, name in self._themes:
            if all(w in name.lower() for w in words):
                item = QListWidgetItem(name)
                item.setData(Qt.UserRole, tid)
                self.list.addItem(item)
        if self._allow_unsorted and (not words or all(w in "unsorted" for w in words)):
            item = QListWidgetItem("Unsorted")
            item.setData(Qt.UserRole, UNSORTED)
            self.list.addItem(item)
        if self._allow_new and text.strip():
            item = QListWidgetItem(f"New theme “{text.strip()}”")
            item.setData(Qt.UserRole, (NEW_THEME, text.strip()))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - arrows move in the list while typing
        if event.key() in (Qt.Key_Down, Qt.Key_Up):
            row = self.list.currentRow() + (1 if event.key() == Qt.Key_Down else -1)
            self.list.setCurrentRow(max(0, min(self.list.count() - 1, row)))
            return
        super().keyPressEvent(event)

    def _on_return(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._on_item_activated(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        value = item.data(Qt.UserRole)
        self.accept()
        self.chosen.emit(value)
