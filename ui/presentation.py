"""Presentation mode for the shared screen: full screen, larger text, high contrast, side
panels hidden, a large theme list, visible key hints, a session timer and dot voting: each
person, by name, has a set number of dots (3 unless the facilitator sets another) and sees how
many are left; the dots are stored per voter in the project, so undo gives one back."""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QSpinBox, QWidget

from synth.words import plural

# every key of the live session, with the window's shortcut for it (a test holds them equal)
_KEYS = ("←↑→↓ move between cards", "T select its theme", "M move to theme",
         "E link to recommendation", "Q quote", "Z zoom to theme", "0 fit all",
         "L more like this", "A accept", "D dot vote", "F2 rename theme", "Ctrl+Z undo",
         "Ctrl+F find cards", "Ctrl+B back to the board", "Esc deselect, then leave")
# each hint unbreakable, the dot stuck to the hint before it: lines wrap between hints only
HINTS = "   ".join(h.replace(" ", "\u00a0") + "\u00a0\u00a0·" for h in _KEYS)[:-3]

_DARK = """
QMainWindow, QWidget { background: #000000; color: #ffffff; }
QListWidget { background: #000000; color: #ffffff; border: 2px solid #ffffff; }
QListWidget::item:selected { background: #ffd800; color: #000000; }
QLineEdit { background: #111111; color: #ffffff; border: 2px solid #ffffff; }
QDockWidget::title { background: #222222; color: #ffffff; }
QLabel#hints { color: #ffd800; }
"""
# what the room reads while the facilitator types (the M and E pickers, the F2 name box, the
# delete question, the search box shown by Ctrl+F): at presentation size, not 9 points
_ROOM_TYPE = """
QDialog, QDialog QWidget {{ font-size: {pt:.1f}pt; }}
ThemePicker {{ min-width: {picker_w}px; min-height: {picker_h}px; }}
"""


class _Keys(QObject):
    """The presentation's keys: a name typed on the board goes to the Voter box, Ctrl+Z in
    the Voter box is the window's undo (the dot back), Ctrl+F shows the search box."""

    def __init__(self, presentation: "Presentation") -> None:
        super().__init__()
        self.p = presentation

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        return self.p.filter_key(obj, event)


DOTS_SETTING = "dots_per_voter"     # project setting: each voter's dots in this study

class Presentation:
    def __init__(self, window: Any, scale: float, *, full_screen: bool = True) -> None:
        self.w = window
        self.scale = max(1.0, min(2.0, scale))
        self.full_screen = full_screen
        self.started = time.monotonic()
        self._saved: dict[str, Any] = {}
        self._used_all = ""         # the "has used all dots" note shown, while it is up
        self._keys = _Keys(self)
        self.timer = QTimer(window)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.bar = QWidget()
        self.bar.setObjectName("presentation_bar")
        lay = QGridLayout(self.bar)
        lay.setContentsMargins(12, 6, 12, 6)
        self.hints = QLabel(HINTS)
        self.hints.setObjectName("hints")
        self.hints.setAccessibleName("Key hints")
        self.hints.setWordWrap(True)
        self.clock = QLabel("0:00")
        self.clock.setAccessibleName("Session timer")
        # empty at each session: dots go to the person who types their name, never to whoever
        # voted last time or to a made-up "Participant"
        self.voter_edit = QLineEdit()
        self.voter_edit.setPlaceholderText("Voter's name")
        self.voter_edit.setAccessibleName("Voter name for dot voting")
        self.voter_edit.setMaximumWidth(int(220 * self.scale))
        self.voter_edit.textChanged.connect(self.show_dots_left)
        self.voter_edit.returnPressed.connect(window.view.setFocus)
        self.dots_each = QSpinBox()
        self.dots_each.setRange(1, 20)
        self.dots_each.setValue(self._dots_per_voter())
        self.dots_each.setAccessibleName("Dots each voter has")
        self.dots_each.valueChanged.connect(self._on_dots_each_changed)
        self.dots_left = QLabel()
        self.dots_left.setObjectName("dots_left")
        self.dots_left.setAccessibleName("Dots left")
        # the hints across the whole width above (fewer lines than in a column beside the
        # voter's name), the voter, their dots and the timer below them
        lay.addWidget(self.hints, 0, 0, 1, 7)
        lay.addWidget(QLabel("Voter:"), 1, 0)
        lay.addWidget(self.voter_edit, 1, 1)
        lay.addWidget(QLabel("Dots each:"), 1, 2)
        lay.addWidget(self.dots_each, 1, 3)
        lay.addWidget(self.dots_left, 1, 4)
        lay.setColumnStretch(5, 1)
        lay.addWidget(self.clock, 1, 6)
        f = QFont()
        f.setPointSizeF(11 * self.scale)
        self.bar.setFont(f)
        clock_font = QFont(f)
        clock_font.setPointSizeF(16 * self.scale)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)

    def dots_used(self, name: str) -> int:
        """The dots ``name`` has on the project's themes (any case of the name, as typed)."""
        project = self.w.project
        if project is None or not name:
            return 0
        return int(project.scalar("SELECT coalesce(sum(dots), 0) FROM dot_votes "
                                  "WHERE voter = ? COLLATE NOCASE", (name,)))

    def dots_left_for(self, name: str) -> int:
        return max(0, self.dots_each.value() - self.dots_used(name))

    def voter(self) -> str | None:
        """The name to give a dot in, or None (and why, with the focus on the name box)
        when no name is typed or the voter has used their dots."""
        name = " ".join(self.voter_edit.text().split())
        if not name:
            self.w.notify.warning("Type the voter's name in the Voter box, then press D "
                                  "to give a dot.")
            self.voter_edit.setFocus()
            return None
        if self.dots_left_for(name) == 0:
            n = self.dots_each.value()
            self._used_all = (f"{name} has used all {plural(n, 'dot')}. "
                              "Ctrl+Z takes the last dot back; type the next voter's name "
                              "to go on.")
            self.w.notify.warning(self._used_all)
            self.voter_edit.setFocus()
            self.voter_edit.selectAll()
            return None
        return name

    def show_dots_left(self) -> None:
        name = " ".join(self.voter_edit.text().split())
        if self._used_all and not self._used_all.startswith(f"{name} has used all ") \
                and self.w.notify.isVisible() and self.w.notify.messages \
                and self.w.notify.messages[-1][1] == self._used_all:
            self.w.notify.hide()        # said of the last voter: not of the one typed now
            self._used_all = ""
        if not name:
            self.dots_left.setText("type a name to vote")
            return
        left, n = self.dots_left_for(name), self.dots_each.value()
        self.dots_left.setText(f"{name}: {left} of {plural(n, 'dot')} left")

    def _dots_per_voter(self) -> int:
        """The project's allowance (its dots are counted against it), else the last one set on
        this computer, which a new project starts from."""
        project = self.w.project
        n = project.setting(DOTS_SETTING, None) if project is not None else None
        return max(1, min(20, n)) if isinstance(n, int) and not isinstance(n, bool) \
            else self.w.settings.dots_per_voter

    def _on_dots_each_changed(self, n: int) -> None:
        self.w.settings.dots_per_voter = n
        project = self.w.project
        if project is not None and not project.read_only:
            project.set_setting(DOTS_SETTING, n)
        self.show_dots_left()

    def start(self) -> None:
        w = self.w
        self._saved = {"state": w.saveState(), "geometry": w.saveGeometry(),
                       "stylesheet": w.styleSheet(), "menubar": w.menuBar().isVisible(),
                       "filterbar": w.filter_bar.isVisible(),
                       "statusbar": w.statusBar().isVisible()}
        for d in w.docks:
            d.setVisible(d is w.themes_dock)
        w.themes_list.set_scale(1.6 * self.scale)
        w.themes_dock.setMinimumWidth(int(300 * self.scale))
        w.menuBar().setVisible(False)
        w.filter_bar.setVisible(False)
        w.statusBar().setVisible(False)
        central = w.centralWidget().layout()
        central.addWidget(self.bar)
        self.bar.show()
        w.setStyleSheet(_DARK + _ROOM_TYPE.format(
            pt=14 * self.scale, picker_w=int(620 * self.scale), picker_h=int(560 * self.scale)))
        for widget in (w.view, self.voter_edit, w.search_edit):
            widget.installEventFilter(self._keys)
        w.notify.set_presentation(self.scale)
        w.scene.set_presentation_look(text_scale=self.scale, high_contrast=True)
        w.view.for_room = True
        self.timer.start()
        self._tick()
        # a dot given, undone or redone (or any change) shows in the count left
        w.undo_stack.indexChanged.connect(self.show_dots_left)
        self.show_dots_left()
        if self.full_screen:
            w.showFullScreen()
        w.view.setFocus()
        w.view.fit_all_through_resizes()

    def stop(self) -> None:
        w = self.w
        self.timer.stop()
        for widget in (w.view, self.voter_edit, w.search_edit):
            widget.removeEventFilter(self._keys)
        w.undo_stack.indexChanged.disconnect(self.show_dots_left)
        self.bar.hide()
        w.centralWidget().layout().removeWidget(self.bar)
        self.bar.setParent(None)
        w.setStyleSheet(self._saved.get("stylesheet", ""))
        w.notify.set_presentation(None)
        w.themes_list.set_scale(1.0)
        w.themes_dock.setMinimumWidth(180)
        w.menuBar().setVisible(self._saved.get("menubar", True))
        if "filterstyle" in self._saved:
            w.filter_bar.setStyleSheet(self._saved["filterstyle"])
        w.filter_bar.setVisible(self._saved.get("filterbar", True))
        w.statusBar().setVisible(self._saved.get("statusbar", True))
        w.scene.set_presentation_look(text_scale=1.0, high_contrast=False)
        w.view.for_room = False
        if self.full_screen:
            w.showNormal()
        if "geometry" in self._saved:       # size, place and maximised, as before F5
            w.restoreGeometry(self._saved["geometry"])
        if "state" in self._saved:
            w.restoreState(self._saved["state"])
        w.view.setFocus()
        # the board fitted again for the view with its panels back (the presentation's fit
        # was for a larger view), and again as the window leaves full screen
        w.view.fit_all_through_resizes()

    # ------------------------------------------------------------------ keys
    def filter_key(self, obj: Any, event: Any) -> bool:
        kind = event.type()
        if kind not in (QEvent.ShortcutOverride, QEvent.KeyPress, QEvent.FocusIn):
            return False
        w = self.w
        if obj is w.search_edit:
            if kind == QEvent.FocusIn and not w.filter_bar.isVisible():
                # Ctrl+F: the search box and its filter seen, at the room's size (a font set
                # on the bar would not reach its boxes under the window's style sheet)
                self._saved.setdefault("filterstyle", w.filter_bar.styleSheet())
                w.filter_bar.setStyleSheet(f"* {{ font-size: {14 * self.scale:.1f}pt; }}")
                w.filter_bar.setVisible(True)
            return False
        if kind == QEvent.FocusIn:
            return False
        if obj is self.voter_edit:
            if event.matches(QKeySequence.Undo) or event.matches(QKeySequence.Redo):
                # not the box's own undo of the typed name: the window's, the dot back
                if kind == QEvent.ShortcutOverride:
                    event.ignore()
                    return True
                (w.act_undo if event.matches(QKeySequence.Undo) else w.act_redo).trigger()
                return True
            return False
        if obj is w.view and self.starts_a_name(event):
            if kind == QEvent.ShortcutOverride:
                event.accept()          # a key press for the filter, not a board command
                return True
            self.voter_edit.setFocus()
            self.voter_edit.setText(event.text())
            return True
        return False

    def starts_a_name(self, event: Any) -> bool:
        """A capital letter typed on the board while no voter is named: a voter's name
        begins ("Alex"), not the board's lower-case keys (A accepts a theme); Shift+A still
        accepts suggestions when some are shown."""
        text = event.text()
        if self.voter_edit.text().strip() or len(text) != 1 or not text.isalpha() \
                or not text.isupper():
            return False
        if event.modifiers() & ~(Qt.ShiftModifier | Qt.KeypadModifier):
            return False
        return not (text == "A" and self.w.scene.ghosts)

    def _tick(self) -> None:
        s = int(time.monotonic() - self.started)
        self.clock.setText(f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600
                           else f"{s // 60}:{s % 60:02d}")
