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


class MainWindow(WindowLayout, WindowActions, WindowProjects, WindowImportExport, QMainWindow):
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

    def reload_board(self, fit: bool = False) -> bool:
        """Read the board again and show it, with the filter boxes and panels that follow it.
        A big board fills in the background (see ``board.loading``); True when it is complete
        on return."""
        self._fit_when_ready = self._fit_when_ready or fit
        self.offer.forget()
        done = self.loader.load(on_ready=self._on_board_ready)
        if not done:
            self._on_board_progress(0, 0, "Opening the board: reading the cards…")
        return done

    def _on_board_progress(self, placed: int, total: int, message: str) -> None:
        self.summary_label.setText(message)
        self.task_label.setText(message)
        self.progress.setRange(0, total)
        if total:
            self.progress.setValue(placed)
        self.task_label.show()
        self.progress.show()

    def _on_board_ready(self, _more: list) -> None:
        if not self.runner.busy():
            for w in (self.task_label, self.progress, self.cancel_button):
                w.hide()
        self._fill_filter_boxes()
        self._changed_tables = set()
        self.refresh_panels()
        if self.duplicates_dlg is not None and self.duplicates_dlg.isVisible():
            self.duplicates_dlg.refresh()   # cards were imported or embedded: compare again
        if self._fit_when_ready:
            self._fit_when_ready = False
            self.view.fit_all()

    def _on_board_abandoned(self) -> None:
        name = self.project.path.name if self.project is not None else "the project"
        self.set_project(None)
        self.notify.info(f"Opening {name} was cancelled; it is closed again, unchanged.")

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

    def _on_history_changed(self, changes) -> None:
        self.offer.note_changes(changes.tables())
        self.scene.apply_changes(changes)
        if self._changed_tables is not None:
            self._changed_tables |= changes.tables()
        for p in self.coding_panels:        # each judges whether it shows what changed
            p.note_changes(changes)
        self._refresh_timer.start()

    def _on_refresh_timer(self) -> None:
        tables, self._changed_tables = self._changed_tables, set()
        self.refresh_panels(tables)

    def refresh_panels(self, tables: set[str] | None = None) -> None:
        """Bring the panels up to date; ``tables``: what changed (None: anything), so that a
        move of cards does not recount 2,000,000 votes."""
        if not self.scene.ready:
            self._changed_tables = None   # the board's ready signal refreshes everything
            return

        def touched(*names: str) -> bool:
            return tables is None or bool(tables & set(names))
        if touched("themes", "card_places", "dot_votes"):
            members = self.scene.members() if self.project is not None else {}
            self.themes_list.refresh_from(self.scene.themes, members)
        data = ("sources", "statements", "notes", "documents", "passages", "participants",
                "votes")
        if touched(*data):
            self.sources_panel.refresh()
        if self.votes_panel is not None and touched("votes", "statements", "participants",
                                                    "group_members", "analysis_runs", "arrays",
                                                    "settings"):
            self.votes_panel.refresh()
        if touched(*data):
            self._summary = None
        for p in self.coding_panels:        # those a change touched (each once: see PanelBase)
            try:
                p.catch_up(everything=tables is None)
            except Exception as e:  # noqa: BLE001
                self.notify.exception(e, "refreshing a panel")
        self._on_selection_changed()
        self._update_summary()
        self._update_actions()

    def _update_summary(self) -> None:
        if self.project is None:
            self.summary_label.setText("No project open — File → New or Open (Ctrl+O)")
            return
        if self._summary is None:
            def counted(summary) -> None:
                self._summary = summary
                self._update_summary()
            self._summary = False           # counting (2,000,000 votes take a moment)
            self.reads.ask("summary", lambda p: p.summary(), counted)
            return                          # shown when counted
        s = self._summary
        if s is False:
            return                          # shown when the count comes back
        placed = sum(len(v) for k, v in self.scene.members().items() if k is not None)
        self.summary_label.setText(
            f"{s.statements:,} statements · {s.votes:,} votes · {s.notes:,} notes · "
            f"{s.passages:,} passages · {len(self.scene.themes)} themes · "
            f"{placed:,}/{len(self.scene.cards):,} cards sorted")

    # ------------------------------------------------------------------ selection and filters
    def _on_selection_changed(self) -> None:
        sc = self.scene
        cards = sc.selected_cards() + sc.selected_ghosts()
        theme_ids = sc.selected_theme_ids()
        n = len(cards)
        self.selection_label.setText(
            (f"{n} card{'s' if n != 1 else ''} selected" if n else "") +
            (f" · {len(theme_ids)} theme(s)" if theme_ids else ""))
        if n == 1 and not theme_ids:
            self.details_panel.show_card(cards[0].card, sc.themes)
            if self.votes_panel is not None and cards[0].card.kind == "statement":
                self.votes_panel.show_statement(cards[0].card.id)
        elif len(theme_ids) == 1 and not n:
            t = sc.themes.get(theme_ids[0])
            if t is not None:
                self.details_panel.show_theme(t, sc.themes, sc.members().get(t.id, []))
        elif n or theme_ids:
            self.details_panel.show_many(n, len(theme_ids))
        else:
            self.details_panel.show_nothing()

    def _move_card_to(self, ref: Any, theme_id: int) -> None:
        if theme_id in self.scene.themes and ref in self.scene.cards:
            self.scene.move_cards([ref], theme_id)

    def _on_statement_chosen(self, statement_id: int) -> None:
        item = self.scene.card_items.get(("statement", statement_id))
        if item is not None:
            self.view.focus_card(item)

    def _fill_filter_boxes(self) -> None:
        # a group's name is the one the cards carry: it says its debate when several have groups
        names = {c.opinion_group: c.opinion_group_name for c in self.scene.cards.values()
                 if c.opinion_group is not None}
        for box, values, all_label, fmt in (
                (self.site_box, self.scene.sites(), "All cities", str),
                (self.group_box, sorted(names), "All opinion groups",
                 lambda g: names.get(g) or f"Group {group_label(g)}")):
            box.blockSignals(True)
            box.clear()
            box.addItem(all_label, None)
            for v in values:
                box.addItem(fmt(v), v)
            box.blockSignals(False)

    def current_filter(self) -> CardFilter:
        return CardFilter(text=self.search_edit.text(),
                          kinds=self.kind_box.currentData() or frozenset(),
                          site=self.site_box.currentData() or "",
                          group=self.group_box.currentData(),
                          agree_min=self.agree_min.value() / 100.0,
                          agree_max=self.agree_max.value() / 100.0)

    def _on_filter_changed(self, *_: Any) -> None:
        self.scene.apply_filter(self.current_filter())

    def _on_filter_counted(self, n: int, total: int) -> None:
        if n == total:
            self.statusBar().clearMessage()
        else:
            self.statusBar().showMessage(f"{n:,} of {total:,} cards match")

    def _on_colour_by_changed(self) -> None:
        mode = self.colour_box.currentData()
        self.settings.colour_by = mode
        self.scene.set_colour_by(mode)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _select_all(self) -> None:
        for item in self.scene.card_items.values():
            if not item.dimmed:
                item.setSelected(True)

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
