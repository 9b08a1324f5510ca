"""The main window: the board in the centre, panels around it, every action in a menu with a
shortcut. The window holds no research state of its own: it shows the open project and sends
changes to it as operations through the undo stack."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QDockWidget, QDoubleSpinBox,
                               QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMainWindow,
                               QProgressBar, QPushButton, QScrollArea, QUndoView, QVBoxLayout, QWidget)

from synth.project import Project, ProjectError, ProjectInUse
from synth.votes.statement_figures import group_label

from .board.controller import BoardController
from .board.items import CardItem
from .board.loading import BoardLoader
from .board.scene import BoardScene, CardFilter
from .board.view import BoardView
from .notify import NotificationBar
from .panels.details import DetailsPanel
from .panels.offer import NearestOffer
from .panels.reading import Reader, Reads
from .panels.sources import SourcesPanel
from .panels.themes_list import ThemesList
from .settings import Settings
from .tasks import Task, TaskRunner, task_connection
from .undo import ProjectUndoStack
from .window_layout import WindowLayout
from .window_actions import WindowActions
from .window_projects import WindowProjects
from .window_import_export import WindowImportExport
from .window_panels import WindowPanels


class MainWindow(WindowLayout, WindowActions, WindowProjects, WindowImportExport,
                 WindowPanels,
                 QMainWindow):
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
        self._read_in_background = Reader(
            self.reader, lambda: self.project,
            lambda: len(self.scene.cards) > self.loader.threshold,
            lambda e: self.notify.exception(e, "reading figures"))
        self.reads = Reads(lambda: self.project, lambda: self._read_in_background)
        self.runner.task_started.connect(self._on_task_started)
        self.runner.task_finished.connect(self._on_task_finished)
        self.notify = NotificationBar()
        self.scene = BoardScene(self)
        self.offer = NearestOffer(lambda: self.project, lambda: self._read_in_background)
        self.duplicates_dlg: Any = None     # Analysis → Near-duplicate statements…, when open
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
        self.scene.selectionChanged.connect(self._on_selection_changed)
        self.scene.filter_counted.connect(self._on_filter_counted)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.view.accept_ghost_requested.connect(self.controller.accept_ghosts)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._on_refresh_timer)
        self._changed_tables: set[str] | None = set()    # what changed since the last refresh
        self._summary: Any = None
        self.resize(1440, 900)
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        self._update_actions()
        self.view.setFocus()

    # ------------------------------------------------------------------ changes
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

    # ------------------------------------------------------------------ background analysis
    def run_themes(self) -> None:
        from synth.themes.project_themes import saved_k

        from .analysis import themes_task
        k = saved_k(self.project) if self.project is not None else None
        self._run_analysis(f"Finding {k} candidate themes" if k else "Finding candidate themes",
                           themes_task)

    def themes_dialog(self) -> None:
        """How many themes, the seed, the embedding model; Find themes stores them in the
        project and runs the discovery. Opens without blocking (tests drive it as it stands)."""
        if self.project is None:
            self.notify.warning("Open a project to find its themes.")
            return
        from .themes_dialog import ThemesDialog
        self.themes_dlg = ThemesDialog(self.project, parent=self,
                                       background=self._read_in_background)
        self.themes_dlg.accepted.connect(lambda: self._guard(self._on_themes_accepted))
        self.themes_dlg.open()

    def duplicates_dialog(self) -> None:
        """Pairs of statements that say nearly the same thing; Show on board selects a pair's
        cards and brings them into view. Opens without blocking."""
        if self.project is None:
            self.notify.warning("Open a project to look for near-duplicate statements.")
            return
        if self.duplicates_dlg is not None and self.duplicates_dlg.isVisible():
            self.duplicates_dlg.raise_()
            self.duplicates_dlg.activateWindow()
            return
        from .duplicates_dialog import ON_WORKER, DuplicatesDialog

        def show_cards(refs: list) -> None:
            self.scene.select_cards(refs)
            self.view.zoom_to_selection()
        # the comparison grows with the square of the cards: a worker takes it sooner than
        # the panels' reads
        background = Reader(self.reader, lambda: self.project,
                            lambda: len(self.scene.cards) > ON_WORKER,
                            lambda e: self.notify.exception(e, "comparing texts"))
        self.duplicates_dlg = DuplicatesDialog(self.project, parent=self, background=background,
                                               show_cards=show_cards)
        self.duplicates_dlg.show()

    def _on_themes_accepted(self) -> None:
        chosen, project = self.themes_dlg.settings(), self.project
        if project is None:
            return
        if project.read_only:
            self.notify.warning("This project is open read-only: its themes cannot change.")
            return
        if self.runner.busy() or not self.scene.ready:   # nothing stored for a run refused
            self.notify.warning("Wait for the background task (or the board) to finish, then "
                                "find the themes: nothing was changed.")
            return
        project.set_setting("themes.k", chosen["k"] or 0)
        project.set_setting("themes.seed", chosen["seed"])
        project.set_setting("embedding_backend", chosen["backend"])
        self.run_themes()

    def run_opinion_groups(self) -> None:
        from .analysis import opinion_groups_task
        self._run_analysis("Finding opinion groups", opinion_groups_task)

    def split_theme_by_similarity(self, theme_id: int | None = None) -> Task | None:
        """Recluster one theme's cards into sub-themes (synth.themes), in the background."""
        from .analysis import split_task
        tid = theme_id if theme_id is not None else self.controller.current_theme()
        if tid is None:
            self.notify.warning("Select a theme to split it by similarity.")
            return None
        return self._run_analysis("Splitting the theme", lambda p: split_task(p, tid))

    def _run_analysis(self, name: str, make_task) -> Task | None:
        if self.project is None:
            return None
        if self.runner.busy():
            self.notify.warning("A background task is already running.")
            return None
        if not self.scene.ready:
            self.notify.warning("The board is still opening; start the analysis when it is "
                                "ready.")
            return None
        try:
            fn = make_task(self.project)
        except Exception as e:  # noqa: BLE001
            self.notify.exception(e)
            return None

        def done(outcome):
            from .analysis import Outcome, adopt
            if isinstance(outcome, Outcome) and self.project is not None:
                adopt(self.project, outcome.applied)     # undoable from the window
            self.reload_board()
            self.notify.info(f"{name}: done.")

        return self.runner.run(name, fn, on_done=done,
                               on_error=lambda e: self.notify.exception(e, name.lower()))

    def _on_task_started(self, task: Task) -> None:
        self.task_label.setText(task.name + "…")
        self.progress.setRange(0, 0)
        for w in (self.task_label, self.progress, self.cancel_button):
            w.show()
        task.progressed.connect(self._on_task_progress)

    def _on_task_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message:
            self.task_label.setText(message)

    def _on_task_finished(self, task: Task) -> None:
        if task.state == "cancelled":
            self.notify.info(f"{task.name}: cancelled; nothing was changed.")
        if not self.runner.busy():
            self.cancel_button.hide()
            if self.scene.ready:        # else the board's fill goes on showing its progress
                self.task_label.hide()
                self.progress.hide()

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

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Esc leaves presentation mode
        if event.key() == Qt.Key_Escape and self.presentation is not None:
            self.set_presentation(False)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.flush_panels()
        if self.presentation is not None:
            self.set_presentation(False)
        self.runner.shutdown(wait=True)
        self.reader.shutdown(wait=True)
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        self.set_project(None)
        super().closeEvent(event)


def app_instance() -> QApplication:
    return QApplication.instance()  # type: ignore[return-value]
