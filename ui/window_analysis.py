"""The Analysis menu's work: candidate themes, opinion groups, splitting a theme by similarity
and near-duplicate statements, with the dialogs that start them; and the status bar's view of any
background task (progress, Cancel)."""
from __future__ import annotations

from .panels.reading import Reader
from .tasks import Task


class WindowAnalysis:
    """Part of ``MainWindow``: one analysis at a time, never while the board is still opening;
    its result comes back as operations adopted into the undo history."""

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
        # the panels' reads, and a worker of its own, so that they never wait behind it
        background = Reader(self.comparer, lambda: self.project,
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
