"""What comes into the project and what leaves it from the window: the import and export dialogs
and the background tasks that do the work."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from synth.words import plural

from .tasks import Task, task_connection


class WindowImportExport:
    """Part of ``MainWindow``: imports and exports run on the task runner, each on its own
    connection to the project file."""

    # ------------------------------------------------------------------ importing
    def remove_source(self, source_id: int) -> None:
        """Take an import back (Sources → Remove source…): asked first, naming what goes;
        one undo step."""
        if self.project is None:
            return
        from synth.sources import RemoveSource, source_contents

        from .panels import sources
        try:
            said = source_contents(self.project, source_id)
        except Exception as e:  # noqa: BLE001 - removed meanwhile: said, not raised
            self.notify.warning(str(e))
            return
        goes = said.describe()
        goes = ("Nothing else is removed with it." if goes == "nothing else" else
                f"Its {goes} will be removed from the project with it.")
        question = (f"Remove the source “{said.name}”? {goes} Themes, recommendations and "
                    "the other sources stay. Edit → Undo brings everything back.")
        if not sources.ask(self, question):
            self.notify.info("Nothing removed.")
            return
        if self.run_operation(RemoveSource(source_id, said.name)) is not None:
            self.notify.info(f"Removed “{said.name}”"
                             + ("" if said.describe() == "nothing else" else
                                f" and its {said.describe()}")
                             + ". Edit → Undo brings it back.")

    def import_dialog(self, path: str | None = None) -> None:
        if self.project is None:
            self.notify.warning("Create or open a project first (File → New or Open).")
            return
        from .import_dialog import ImportDialog
        dlg = ImportDialog(self.settings, self, path, project=self.project)
        if dlg.exec():
            self.import_path(dlg.path, **dlg.options())

    def import_path(self, path: str, **options: Any) -> Task | None:
        if self.project is None or self.project.read_only:
            self.notify.warning("Open a project you can change to import into it.")
            return None
        project = self.project

        def work(progress, cancelled):
            from synth.importers import import_path
            opts = dict(options)
            if opts.get("kind") in ("polis", "study"):
                opts["progress"] = progress
            with task_connection(project) as own:
                reports = import_path(own, path, **opts)
                # what the importer applied as operations (a .qdpx is one): undoable here
                return reports, list(own.history.done)

        def done(result, now):
            reports, applied = result
            if applied:
                from .analysis import adopt
                self._fit_when_ready = True     # the board reads it again as it follows
                adopt(now, applied)
            lines = []
            for r in reports:
                counts = ", ".join(f"{v:,} {k}" for k, v in r.counts.items())
                lines.append(f"{Path(r.path).name}: {counts}" +
                             (f" ({len(r.warnings)} warning(s) in Sources)" if r.warnings else ""))
            self.notify.info("Imported " + "; ".join(lines))
            if not applied:                     # written outside the history
                self.reload_board(fit=True)

        def refused(e: BaseException) -> bool:
            from synth.importers.fingerprints import AlreadyImported
            if not isinstance(e, AlreadyImported) or options.get("again"):
                return False
            self.notify.show_message(f"{e}. Nothing was imported.", "warning",
                                     ("Import it again", self.for_this_project(
                                         lambda: self.import_path(
                                             path, **{**options, "again": True}))))
            return True

        return self.run_on_project(f"Importing {Path(path).name}", work, done,
                                   "while importing", refused=refused)

    # ------------------------------------------------------------------ exporting
    def export_dialog(self) -> None:
        """Opens the dialog without blocking (tests and the keyboard drive it as it stands)."""
        if self.project is None:
            self.notify.warning("Open a project to export it.")
            return
        from .export_dialog import ExportDialog
        folder = self.settings.last_export_folder or str(self.project.path.parent)
        self.export_dlg = ExportDialog(self.project, folder,
                                       theme_id=self.controller.current_theme(), parent=self,
                                       background=self._read_in_background)
        self.export_dlg.accepted.connect(lambda: self._guard(self._on_export_accepted))
        self.export_dlg.open()

    def _on_export_accepted(self) -> None:
        dlg = self.export_dlg
        self.export(dlg.plan(), dlg.confirmed_redactions(), dlg.small_n())

    def export(self, plan: Any, redactions: list[tuple[int, int, int, str]] | None = None,
               small_n: tuple[str, int] | None = None) -> Task | None:
        """Redact what the researcher confirmed (one undo step), then write the plan on the
        task runner; the notification bar gives the folder with an "Open folder" button."""
        from .exporting import run_export
        project = self.project
        if project is None:
            return None
        self.flush_panels()
        if self.runner.busy():
            self.notify.warning("Wait for the background task to finish before exporting.")
            return None
        if redactions:
            if project.read_only:
                self.notify.warning("This project is open read-only, so the personal data "
                                    "found in quotes cannot be redacted; export stopped.")
                return None
            from coding.redaction import ConfirmRedaction
            from synth.board import Batch
            self.run_operation(Batch([ConfirmRedaction(q, s, e, r) for q, s, e, r in redactions],
                                     f"Redact {len(redactions)} piece(s) of personal data"))
        if small_n is not None and not project.read_only:
            action, threshold = small_n
            changed = False
            if project.setting("small_n_action", "flag") != action:
                project.set_setting("small_n_action", action)
                changed = True
            from exports.figures import FigureRegistry
            if threshold != FigureRegistry.for_project(project).small_n:
                project.set_setting("small_n_threshold", int(threshold))
                changed = True
            self.sync_small_n()     # the board's and Details' † follow at once
            if changed:             # and the panels that read it with their figures: a
                for view in (self.votes_panel, self.segments_panel):   # setting is no change
                    if view is not None:                                # they follow
                        view.stale = True
                        view.catch_up()
        self.settings.last_export_folder = str(plan.folder)

        def done(paths):
            folder = Path(plan.folder)
            extra = f" ({'; '.join(plan.warnings[:2])})" if plan.warnings else ""
            # the files were written; once another project is open, say whose they are
            whose = "" if self.open_now(*task.started_on) is not None else \
                f"{project.path.name}: "
            self.notify.info(f"{whose}Exported {plural(len(paths), 'file')} to "
                             f"{folder}{extra}", action=("Open folder",
                                                         lambda: self.open_folder(folder)))
            self.last_export = paths

        def work(progress, cancelled):
            with task_connection(project) as own:     # the board stays editable meanwhile
                return run_export(own, plan, progress, cancelled)

        task = self.runner.run("Exporting", work, on_done=done, blocks_edits=False,
                               on_error=lambda e: self.notify.exception(
                                   e, f"while exporting {project.path.name}"))
        return task

    @staticmethod
    def open_folder(folder: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
