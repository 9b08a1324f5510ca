"""Opening, creating, saving as and closing the window's project, the recent-projects menu, and
the words typed before Synth last closed without writing them (offered back on opening)."""
from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from synth.project import IN_USE, Project, ProjectError, ProjectInUse, ProjectReadOnly
from synth.words import plural

# how often a window that only looks at a project another window writes checks for its changes
# (PRAGMA data_version: one read of the -shm file) and whether that window has let go of it
FOLLOW_MS = 2000


class WindowProjects:
    """Part of ``MainWindow``: the one place the window's project changes (``set_project``)."""

    def open_project(self, path: Path | str) -> bool:
        path = Path(path)
        now = self.project
        if now is not None and not now.read_only and path.exists() \
                and file_id(now.path) == file_id(path):
            # already open here (Open recent on it): opening it again would find its lock
            # held, by this window, and open a read-only copy beside it
            self.notify.info(f"{path.name} is the project open in this window.")
            return True
        try:
            try:
                project = Project.open(path)
            except (ProjectInUse, ProjectReadOnly) as e:
                project = Project.open(path, read_only=True)
                work_on = ("; it shows that window's changes as they are made, and you can "
                           "change it here once that window closes it"
                           if isinstance(e, ProjectInUse) else
                           "; to work on it, open a copy with Save as… in a folder you can write")
                self.notify.warning(f"{e} — opened read-only: you can look but not change "
                                    f"it{work_on}.")
        except ProjectError as e:
            self.notify.error(str(e))
            if not isinstance(e, ProjectReadOnly):  # the file is fine; its folder may not stay so
                self.settings.remove_recent(str(path.resolve()))
            return False
        self.set_project(project)
        self.settings.add_recent(str(path.resolve()))
        self._offer_recovery()
        return True

    def new_project(self, path: Path | str) -> bool:
        if self.project is not None and file_id(self.project.path) == file_id(Path(path)):
            self.set_project(None)          # replacing the open project: close it first
        try:
            project = Project.create(path, overwrite=True)
        except ProjectError as e:
            self.notify.error(str(e))
            return False
        self._forget_journal(project)       # one left by a project this one replaced
        self.set_project(project)
        self.settings.add_recent(str(Path(path).resolve()))
        return True

    def flush_panels(self) -> None:
        """Write what the researcher is typing in a panel (it saves itself after a pause):
        before the project is closed, switched, copied or exported."""
        for p in self.coding_panels:
            flush = getattr(p, "flush", None)
            if flush is None:
                continue
            try:
                flush()
            except Exception as e:  # noqa: BLE001 - shown; closing must go on
                self.notify.exception(e, "saving what was typed in a panel")

    def set_project(self, project: Project | None) -> None:
        self.flush_panels()
        if self.duplicates_dlg is not None:     # it lists the old project's pairs
            self.duplicates_dlg.close()
            self.duplicates_dlg = None
        for p in self.coding_panels:
            if hasattr(p, "unbind"):
                p.unbind()
        if self.journal is not None:        # removed, unless words are still unwritten
            self.journal.close()
            self.journal.deleteLater()
            self.journal = None
        self.runner.cancel_all()
        old = self.project
        if old is not None:
            if self._on_history_changed in old.history.listeners:
                old.history.listeners.remove(self._on_history_changed)
        self.undo_stack.set_project(project)
        self.project = project
        if project is not None and not project.read_only and self.coding_panels:
            from .coding.recovery import RecoveryJournal    # typing to keep: coding panels
            self.journal = RecoveryJournal(project, self)
        self._summary = None
        if old is not None and old is not project:
            old.close()
        if project is not None:
            project.history.listeners.append(self._on_history_changed)
            self.setWindowTitle(f"{project.path.name}{' (read-only)' if project.read_only else ''}"
                                " — Synth")
        else:
            self.setWindowTitle("Synth")
        self.scene.project = project
        self._follow_other_writer(project)
        self.reload_board(fit=True)
        self._update_actions()
        self._update_pin_action()

    # ------------------------------------------------------------------ another window writes
    def _follow_other_writer(self, project: Project | None) -> None:
        """A project open read-only because another window writes it follows that window:
        what it writes is shown here within ``FOLLOW_MS`` (QA 32: a second laptop showed the
        board as it was when opened, and nothing said so), and once that window has let go of
        the project this one takes it over, to work on."""
        timer = getattr(self, "_follow_timer", None)
        if timer is None:
            timer = self._follow_timer = QTimer(self)
            timer.setInterval(FOLLOW_MS)
            timer.timeout.connect(self._on_follow_timer)
        self._seen_version = self._followed_at = None
        if project is None or not project.read_only or project.read_only_because != IN_USE:
            timer.stop()
            return
        self._seen_version = project.scalar("PRAGMA data_version")
        timer.start()

    def _on_follow_timer(self) -> None:
        project = self.project
        if project is None or not project.read_only:
            self._follow_timer.stop()
            return
        if not self.scene.ready or self.runner.busy():
            return                      # still reading the board (or the last change): later
        if self._take_over(project):
            return
        try:
            version = project.scalar("PRAGMA data_version")
        except Exception:  # noqa: BLE001 - the file went (moved, deleted): nothing to follow
            return
        if version == self._seen_version:
            return
        self._seen_version = version
        self._summary = None            # counted again
        self._followed_at = time.strftime("%H:%M:%S")     # said in the summary line
        self.reload_board()             # and every panel with it (``_on_board_ready``)

    def _take_over(self, project: Project) -> bool:
        """The project opened to write, now that no other window writes it; True when it is."""
        try:
            mine = Project.open(project.path)
        except ProjectError:
            return False                # still in use (the usual answer), or not writable
        self.set_project(mine)
        self.notify.info(f"The other window has closed {project.path.name}: you can change it "
                         "here now.")
        return True

    def open_now(self, project: Project, fid: tuple[int, int] | None) -> Project | None:
        """The project open now if it is the file a task started on (``project``, whose file
        was ``fid`` then): the same object, or that file opened again since; None once another
        file is open, or the file was replaced (a New over it). A task's news and undo steps
        go to this project, or nowhere."""
        now = self.project
        if now is None or now is project:
            return now
        return now if fid is not None and file_id(now.path) == fid else None

    def run_on_project(self, name: str, work, done, while_doing: str, *, refused=None,
                       **options: Any):
        """Run ``work`` on the task runner for the project open now. ``done(result, project)``
        and the error message come only while that project is open (its file, maybe opened
        again: ``open_now``); a task of a project closed since says nothing over the one open
        now, and its error goes to stderr for whoever debugs. ``refused(error)``: says an
        error itself (returning True), e.g. with a button to do it anyway."""
        task = None

        def finished(result):
            now = self.open_now(*task.started_on)
            if now is not None:
                done(result, now)

        def failed(e: BaseException) -> None:
            if self.open_now(*task.started_on) is not None:
                if refused is None or not refused(e):
                    self.notify.exception(e, while_doing)
            else:
                traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)

        task = self.runner.run(name, work, on_done=finished, on_error=failed, **options)
        return task

    def for_this_project(self, act):
        """``act`` as a notification button's callback: it acts only while the project it
        was offered for is open (``open_now``). A message outlives a switch of project, and
        "Import it again" or "Send the texts to this server" must not act on another."""
        project = self.project
        fid = None if project is None else file_id(project.path)

        def guarded() -> None:
            if project is None or self.open_now(project, fid) is None:
                name = project.path.name if project is not None else "no project"
                self.notify.info(f"That button was about {name}, which is no longer open: "
                                 "nothing was done.")
                return
            act()
        return guarded

    def close_project(self) -> None:
        self.set_project(None)

    def _ask_project_path(self, title: str) -> str:
        """A path for a project file to write, ending in .synth; "" when the researcher
        cancels."""
        path, _ = QFileDialog.getSaveFileName(self, title, self.settings.last_folder,
                                              "Synth projects (*.synth)")
        if path and not path.endswith(".synth"):
            path += ".synth"
        return path

    def new_project_dialog(self) -> None:
        path = self._ask_project_path("New project")
        if path:
            self.new_project(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self.settings.last_folder,
                                              "Synth projects (*.synth);;All files (*)")
        if path:
            self.settings.last_folder = str(Path(path).parent)
            self.open_project(path)

    def save_as(self, path: Path | str) -> bool:
        if self.project is None:
            return False
        self.flush_panels()
        try:
            new = self.project.save_as(path)
        except (ProjectError, OSError) as e:
            self.notify.error(f"could not save the project as {path}: {e}")
            return False
        if new is not self.project:
            self._forget_journal(new)
            self.set_project(new)
            self.settings.add_recent(str(Path(path).resolve()))
            self.notify.info(f"Saved as {path}; you are now working in this copy.")
        return True

    def save_as_dialog(self) -> None:
        if self.project is None:
            self.notify.warning("Open a project first.")
            return
        path = self._ask_project_path("Save project as")
        if path:
            self.save_as(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects
        if not recent:
            self.recent_menu.addAction("(no recent projects)").setEnabled(False)
        for i, p in enumerate(recent, start=1):
            a = self.recent_menu.addAction(f"&{i} {Path(p).name} — {Path(p).parent}")
            a.triggered.connect(lambda *_, p=p: self.open_project(p))

    # ------------------------------------------------------------------ recovery
    def _forget_journal(self, project: Project) -> None:
        if self.coding_panels:
            from .coding.recovery import journal_path
            journal_path(project.path).unlink(missing_ok=True)

    def _autosave_fields(self) -> dict[str, Any]:
        return {f.name: f for p in self.coding_panels for f in getattr(p, "autosaves", [])}

    def _offer_recovery(self) -> None:
        """Words typed before Synth last closed without writing them: offered back."""
        from .coding import recovery
        journal, project = self.journal, self.project
        if journal is None or not journal.held:
            return
        found = recovery.review(journal.held, self._autosave_fields(), project)
        if not found.offer:
            journal.keep_held([])
            if found.gone:
                self.notify.info(f"Synth closed before {len(found.gone)} edit(s) you typed "
                                 "were saved, but what they were for has been deleted since.")
            return
        journal.keep_held([e for _, e in found.offer] + found.gone)
        n = len(found.offer)
        listing = "; ".join(e.describe() for _, e in found.offer[:5]) + \
            (f"; and {n - 5} more" if n > 5 else "")
        gone = (f" ({len(found.gone)} more were for something deleted since.)"
                if found.gone else "")
        self.notify.info(f"Synth closed before {plural(n, 'edit')} you typed "
                         f"{'were' if n != 1 else 'was'} saved: {listing}.{gone}",
                         actions=[("Restore", lambda: self._restore_recovered(project, found)),
                                  ("Discard", lambda: self._discard_recovered(project))])

    def _restore_recovered(self, project: Project, found: Any) -> None:
        from .coding import recovery
        if self.project is not project or self.journal is None:
            self.notify.warning("That project is no longer open; nothing was restored.")
            return
        self.flush_panels()
        done, skipped = recovery.restore(found.offer, project)
        self.journal.keep_held([])
        self.refresh_panels()
        skipped += found.gone
        note = (f" {len(skipped)} could not be restored: what they were for has been deleted "
                "since." if skipped else "")
        self.notify.info(f"Restored {plural(len(done), 'edit')} you typed "
                         f"before Synth closed (Undo takes {'each' if len(done) != 1 else 'it'} "
                         f"back).{note}")

    def _discard_recovered(self, project: Project) -> None:
        if self.project is project and self.journal is not None:
            self.journal.keep_held([])
            self.notify.info("The unsaved edits were discarded; the project is unchanged.")


def file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is (device, inode): a project replaced at the same path is another."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
