"""The main window: the board in the centre, panels around it, every action in a menu with a
shortcut. The window holds no research state of its own: it shows the open project and sends
changes to it as operations through the undo stack.

The window is one class made of parts, each a module to read alone: ``window_layout`` (the
widgets), ``window_actions`` (actions and menus), ``window_projects`` (open, save as, close,
recovery), ``window_import_export``, ``window_panels`` (board and panels kept in step) and
``window_analysis`` (the Analysis menu and background tasks). This module wires them together and
owns what every part relies on: ``run_operation``, presentation mode and closing."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from synth.project import Project

from .board.controller import BoardController
from .board.loading import BoardLoader
from .board.scene import BoardScene
from .board.view import BoardView
from .notify import NotificationBar
from .panels.offer import NearestOffer
from .panels.reading import Reader, Reads
from .settings import Settings
from .tasks import TaskRunner
from .undo import ProjectUndoStack
from .window_actions import WindowActions
from .window_analysis import WindowAnalysis
from .window_import_export import WindowImportExport
from .window_layout import WindowLayout
from .window_panels import WindowPanels

MANY_PARTICIPANTS = 1000    # above this, the panels' reads go to the reader (see _big)
from .window_projects import WindowProjects


class MainWindow(WindowLayout, WindowActions, WindowProjects, WindowImportExport,
                 WindowPanels, WindowAnalysis, QMainWindow):
    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.project: Project | None = None
        self.journal: Any = None            # the project's recovery journal (ui.coding.recovery)
        self.presentation = None            # a Presentation while presenting
        self.setWindowTitle("Synth")
        self.setAccessibleName("Synth main window")
        self.undo_stack = ProjectUndoStack(self)
        self.runner = TaskRunner(self)
        # reads for the panels over a big project: a runner of their own, so they neither wait
        # behind an analysis nor make the window look busy
        self.reader = TaskRunner(self)
        self.comparer = TaskRunner(self)    # near-duplicates: long, so apart from the reads
        self._read_in_background = Reader(
            self.reader, lambda: self.project, self._big,
            lambda e: self.notify.exception(e, "reading figures"))
        self.reads = Reads(lambda: self.project, lambda: self._read_in_background)
        self.runner.task_started.connect(self._on_task_started)
        self.runner.task_finished.connect(self._on_task_finished)
        self.notify = NotificationBar()
        # an undo or redo refused (the file moved past the step), from Edit or the History
        self.undo_stack.refusal.connect(self.notify.warning)
        self.scene = BoardScene(self)
        self.offer = NearestOffer(lambda: self.project, lambda: self._read_in_background)
        self.duplicates_dlg: Any = None     # Analysis → Near-duplicate statements…, when open
        self.dots_dlg: Any = None           # Analysis → Dot vote results…, when opened
        self.scene.run_operation = self.run_operation
        self.view = BoardView(self.scene)
        self.controller = BoardController(self.scene, self.run_operation, self.notify.warning,
                                          self)
        self.controller.background = self._read_in_background   # suggestions on a big board
        self.loader = BoardLoader(self.scene, self.runner,
                                  lambda e: self.notify.exception(e, "opening the board"), self)
        self.loader.progressed.connect(self._on_board_progress)
        self.loader.abandoned.connect(self._on_board_abandoned)
        self.scene.reloader = self.reload_board
        self._fit_when_ready = False
        self._build_central()
        self._build_docks()
        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self.scene.selection_made.connect(self._on_selection_changed)
        self.scene.filter_counted.connect(self._on_filter_counted)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.view.accept_ghost_requested.connect(self.controller.accept_ghosts)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._on_refresh_timer)
        self._summary: Any = None
        self.resize(1440, 900)
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        self._update_actions()
        self._update_pin_action()
        self.view.setFocus()

    # ------------------------------------------------------------------ changes
    def _big(self) -> bool:
        """Reads go to the reader over many cards, or many participants: a debate of few
        statements and many voters reads every vote for its table and its map (2,000
        participants and 200,000 votes: 0.6 s)."""
        if len(self.scene.cards) > self.loader.threshold:
            return True
        p = self.project
        return p is not None and (p.scalar("SELECT max(id) FROM participants") or 0) \
            > MANY_PARTICIPANTS

    def run_operation(self, operation: Any) -> Any:
        """Every change from the window: one undo step, written to the file at once."""
        if self.project is None:
            self.notify.warning("Open a project first.")
            return None
        if self.project.read_only:
            self.notify.warning("This project is open read-only; changes are not possible.")
            return None
        if self.runner.blocks_edits():
            self.notify.warning("Wait for the background task to finish (or cancel it) "
                                "before changing the board.")
            return None
        if not self.scene.ready:
            self.notify.warning("The board is still opening; wait until every card is on it "
                                "before changing it.")
            return None
        try:
            return self.undo_stack.push_operation(operation)
        except Exception as e:  # noqa: BLE001 - shown, and the file is unchanged
            self.notify.exception(e, "— nothing was changed")
            return None

    # ------------------------------------------------------------------ presentation
    def toggle_presentation(self) -> None:
        self.set_presentation(self.presentation is None)

    def set_presentation(self, on: bool, *, scale: float | None = None,
                         full_screen: bool = True) -> None:
        from .presentation import Presentation
        if on and self.presentation is None:
            self.presentation = Presentation(self, scale or self.settings.presentation_scale,
                                             full_screen=full_screen)
            self.presentation.start()
        elif not on and self.presentation is not None:
            self.presentation.stop()
            self.presentation = None

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Esc from wherever the focus is, the board too (it passes Esc on); a widget that
        uses Esc itself (an open editor, a dialog) keeps it."""
        if event.key() == Qt.Key_Escape:
            self.escape()
            return
        super().keyPressEvent(event)

    def escape(self) -> None:
        """Esc, the same in every mode, one step a press: a rubber band being dragged is
        cancelled (what it selected deselected), cards being dragged go back to their places
        (the release then moves nothing); else the board's selection is cleared; else
        presentation mode is left. Whether anything is selected comes from what the board
        keeps, not from a read of the selection (200 ms at 120,000 cards)."""
        if self.view.cancel_band() or self.scene.cancel_card_drag():
            return
        if self.scene.has_selection():
            self.scene.clear_selection()
        elif self.presentation is not None:
            self.set_presentation(False)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.flush_panels()
        if self.presentation is not None:
            self.set_presentation(False)
        if self.duplicates_dlg is not None:     # its comparison stops at its next block
            self.duplicates_dlg.close()
        self.runner.shutdown(wait=True)
        self.reader.shutdown(wait=True)
        self.comparer.shutdown(wait=True)
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        self.set_project(None)
        super().closeEvent(event)


def app_instance() -> QApplication:
    return QApplication.instance()  # type: ignore[return-value]
