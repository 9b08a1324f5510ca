"""The one place where the window tells the researcher something went wrong (or right).

Errors never show as a traceback: a bar above the board says what happened in the
researcher's words and stays until dismissed; the full trace goes to stderr for us.
"""
from __future__ import annotations

import sys
import traceback
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

_COLOURS = {"error": ("#fde8e8", "#8a1c1c"), "warning": ("#fff4d6", "#6b4e00"),
            "info": ("#e6f0fb", "#123e6b")}


class NotificationBar(QWidget):
    """Shows the latest message; keeps a short log (``messages``) for tests and the status bar."""

    message_shown = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: list[tuple[str, str]] = []
        self.setAccessibleName("Notifications")
        self.setAutoFillBackground(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setAccessibleName("Notification message")
        self.action_button = QPushButton()
        self.action_button.setAccessibleName("Notification action")
        self.action_button.hide()
        self.action_button.clicked.connect(self._on_action)
        self._action = None
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss notification")
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.action_button)
        lay.addWidget(self.close_button)
        self.hide()

    def show_message(self, message: str, level: str = "info",
                     action: tuple[str, Callable[[], None]] | None = None) -> None:
        """``action``: a (label, callback) button beside the message, e.g. "Open folder"."""
        self.messages.append((level, message))
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setAccessibleName(action[0] if action else "Notification action")
        self.action_button.setVisible(action is not None)
        bg, fg = _COLOURS.get(level, _COLOURS["info"])
        self.setStyleSheet(f"NotificationBar {{ background: {bg}; }} QLabel {{ color: {fg}; }}")
        prefix = {"error": "Problem: ", "warning": "Note: "}.get(level, "")
        self.label.setText(prefix + message)
        self.show()
        self.message_shown.emit(level, message)

    def error(self, message: str) -> None:
        self.show_message(message, "error")

    def warning(self, message: str) -> None:
        self.show_message(message, "warning")

    def info(self, message: str, action: tuple[str, Callable[[], None]] | None = None) -> None:
        self.show_message(message, "info", action)

    def _on_action(self) -> None:
        if self._action is not None:
            try:
                self._action()
            except Exception as e:  # noqa: BLE001 - an action's error is one more message
                self.exception(e)

    def exception(self, exc: BaseException, doing: str = "") -> None:
        """An exception as a researcher's message: user errors as they are; bugs briefly."""
        from synth.errors import UserError
        from synth.project import ProjectError
        if isinstance(exc, (UserError, ProjectError)):
            text = str(exc)
        else:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
            text = f"{type(exc).__name__}: {exc}"
            text = f"something went wrong{(' ' + doing) if doing else ''} ({text})"
        self.error(text)
