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
# on the presentation's black screen: light text on deep colours, or black on its yellow;
# each pair at least 11:1 (WCAG AA asks 4.5:1), edged in white to stand off the black
_PRESENTING = {"error": ("#7a0000", "#ffffff"), "warning": ("#ffd800", "#000000"),
               "info": ("#0b3d6e", "#ffffff")}
MESSAGE_PT = 12.0       # the message's size while presenting, times the presentation's scale


class NotificationBar(QWidget):
    """Shows the latest message; keeps a short log (``messages``) for tests and the status bar."""

    message_shown = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: list[tuple[str, str]] = []
        self.level = "info"
        self.presenting = False
        self._scale = 1.0
        self.setAccessibleName("Notifications")
        # a plain QWidget subclass paints a style sheet's background only when asked to (the
        # window's background showed through, behind dark text)
        self.setAttribute(Qt.WA_StyledBackground, True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setAccessibleName("Notification message")
        # buttons beside the message (e.g. "Open folder", or "Restore" and "Discard")
        self.action_buttons: list[QPushButton] = []
        self._actions: list[Callable[[], None]] = []
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss notification")
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        self._layout = lay
        self.action_button = self._action_button(0)
        lay.addWidget(self.close_button)
        self.hide()

    def _action_button(self, n: int) -> QPushButton:
        while len(self.action_buttons) <= n:
            b = QPushButton()
            b.setAccessibleName("Notification action")
            b.hide()
            b.clicked.connect(lambda *_, i=len(self.action_buttons): self._on_action(i))
            self._layout.insertWidget(1 + len(self.action_buttons), b)
            self.action_buttons.append(b)
        return self.action_buttons[n]

    def show_message(self, message: str, level: str = "info",
                     action: tuple[str, Callable[[], None]] | None = None,
                     actions: list[tuple[str, Callable[[], None]]] | None = None) -> None:
        """``action``: a (label, callback) button beside the message, e.g. "Open folder";
        ``actions``: several, in order."""
        self.messages.append((level, message))
        chosen = list(actions or []) + ([action] if action else [])
        self._actions = [cb for _, cb in chosen]
        for n in range(max(len(chosen), len(self.action_buttons))):
            b = self._action_button(n)
            b.setText(chosen[n][0] if n < len(chosen) else "")
            b.setAccessibleName(chosen[n][0] if n < len(chosen) else "Notification action")
            b.setVisible(n < len(chosen))
        self.level = level
        self._colour()
        prefix = {"error": "Problem: ", "warning": "Note: "}.get(level, "")
        self.label.setText(prefix + message)
        self.show()
        self.message_shown.emit(level, message)

    def set_presentation(self, scale: float | None) -> None:
        """Messages readable from the room while presenting (``scale``: the presentation's
        text scale), as before when None."""
        self.presenting = scale is not None
        self._scale = scale or 1.0
        self._colour()

    def colours(self) -> tuple[str, str]:
        """(background, text) of the message shown now."""
        table = _PRESENTING if self.presenting else _COLOURS
        return table.get(self.level, table["info"])

    def _colour(self) -> None:
        """Colours, and the size while presenting, by style sheet: under the window's
        presentation style sheet a font set on the bar does not reach its label."""
        bg, fg = self.colours()
        edge, size = "", ""
        if self.presenting:
            edge = "border: 2px solid #ffffff;"
            size = f"font-size: {MESSAGE_PT * self._scale:.1f}pt; font-weight: bold;"
        self.setStyleSheet(f"NotificationBar {{ background: {bg}; {edge} }} "
                           f"QLabel {{ color: {fg}; background: transparent; border: none; "
                           f"{size} }} QPushButton {{ {size} }}")

    def error(self, message: str) -> None:
        self.show_message(message, "error")

    def warning(self, message: str) -> None:
        self.show_message(message, "warning")

    def info(self, message: str, action: tuple[str, Callable[[], None]] | None = None,
             actions: list[tuple[str, Callable[[], None]]] | None = None) -> None:
        self.show_message(message, "info", action, actions)

    def _on_action(self, n: int = 0) -> None:
        if n < len(self._actions):
            try:
                self._actions[n]()
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
