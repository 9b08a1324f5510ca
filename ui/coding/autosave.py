"""Text fields that write themselves to the project: nothing to save, nothing lost.

A field is bound to one thing in the project (a recommendation, a theme, a memo) by ``load``.
What the researcher types is written through ``save(key, text)`` — an undoable operation —
after a pause in typing, when the field loses focus, and whenever the panel shows something
else, refreshes, closes or the window closes (``flush``). One burst of typing is one undo step.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

PAUSE_MS = 1500


class AutosaveText(QObject):
    def __init__(self, widget: QLineEdit | QPlainTextEdit,
                 save: Callable[[Any, str], Any],
                 normalise: Callable[[str], str] = lambda s: s, *, name: str = "",
                 read: Callable[[Any, Any], str | None] | None = None,
                 journal: Callable[[], Any] = lambda: None) -> None:
        super().__init__(widget)
        self.widget = widget
        self._save = save
        self.name = name
        self.read = read
        self._journal_of_project = journal
        self._journal: Any = None       # the journal of the project the typing belongs to
        self.saved = ""                 # what the project holds for ``key``, as far as we know
        # what the project makes of the text (a title is stripped): a field that already says
        # the same thing is left alone, so a pause after a space does not eat the space
        self.normalise = normalise
        self.key: Any = None
        self.dirty = False
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.flush)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._on_edited)       # the researcher's edits only
            widget.editingFinished.connect(self.flush)
        else:
            widget.textChanged.connect(self._on_edited)
        widget.installEventFilter(self)
        widget.setEnabled(False)

    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def load(self, key: Any, text: str) -> None:
        """Show ``text`` as what ``key`` holds; an edit still pending is written first."""
        if key != self.key:
            self.flush()
        elif self.dirty:
            return                      # the researcher's newer words win over a reload
        self.key = key
        self.saved = text
        if self.normalise(self.text()) != text or (key is None and self.text()):
            self._loading = True
            try:
                if isinstance(self.widget, QLineEdit):
                    self.widget.setText(text)
                else:
                    self.widget.setPlainText(text)
            finally:
                self._loading = False
        self.widget.setEnabled(key is not None)   # nothing to write to: nothing to type in

    def flush(self) -> None:
        """Write what was typed, if anything (one undo step)."""
        self.timer.stop()
        if not self.dirty:
            return
        self.dirty = False
        journal, self._journal = self._journal, None
        if self.key is not None:
            key, text = self.key, self.text()
            if not text.strip():
                text = ""               # blanks alone are no words: stored as nothing
            new_key = self._save(key, text)
            if new_key is not None:
                self.key = new_key
            self.saved = self.normalise(text)
            if journal is not None:     # written (or refused, and said so): not to recover
                journal.drop(self.name, key)

    def save_as_typed(self, key: Any, text: str) -> Any:
        """Write ``text`` for ``key`` as if typed here (recovered words): the same operation."""
        return self._save(key, text)

    def _on_edited(self, *_: Any) -> None:
        if self._loading or self.key is None:
            return
        self.dirty = True
        self.timer.start()              # restarted by every keystroke
        if self._journal is None:
            self._journal = self._journal_of_project()
        if self._journal is not None:
            self._journal.note(self.name, self.key, self.text(), self.saved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.widget and event.type() == QEvent.FocusOut:
            self.flush()
        return False
