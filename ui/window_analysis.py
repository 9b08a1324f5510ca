"""The Analysis menu's work: candidate themes, opinion groups, splitting a theme by similarity,
near-duplicate statements and the dot vote results, with the dialogs that start them; and the
status bar's view of any background task (progress, Cancel)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from .panels.reading import Reader
from .tasks import Task
from .window_projects import file_id


class WindowAnalysis:
    """Part of ``MainWindow``: one analysis at a time, never while the board is still opening;
    its result comes back as operations adopted into the undo history."""

    _task_message = ""      # the last task's message: it belongs to the project it ran on
    _task_project: object = None

    def forget_task_message(self) -> None:
        """Another project (or none) is open: the last task's message, if still shown, goes
        ("Splitting the theme: done." is not news about the project opened next)."""
        if self._task_project is self.project:
            return
        self._task_project = self.project
        if self._task_message and self.notify.isVisible() \
                and self.notify.label.text() == self._task_message:
            self.notify.hide()
        self._task_message = ""

    def run_themes(self, backend: dict | None = None,
                   asked: tuple[int | None, int] | None = None) -> Task | None:
        """Candidate themes with the project's settings; ``backend``: an embedding backend
        setting chosen in the dialog, stored in the project only once the run succeeded (a
        server that cannot be reached, or a model folder that is not one, is not kept as the
        project's, where Details and More like this would look for its vectors in vain).
        ``asked``: the (k, seed) chosen in the dialog, stored as the project's in the run's
        undo step (``RememberAsked``): an undone run of 12 themes leaves the dialog asking what
        it asked before. Else the project's (``themes.k``, ``themes.seed``)."""
        from synth.themes.project_themes import RememberAsked, saved_k, saved_seed

        from .analysis import themes_task
        if self.project is None or not self._may_send_texts(
                backend, lambda: self.run_themes(backend, asked)):
            return None
        k, seed = asked if asked is not None else (saved_k(self.project),
                                                   saved_seed(self.project))
        record = [RememberAsked(k, seed)] if asked is not None else []

        def keep_backend(project) -> None:
            if backend is not None and project.setting("embedding_backend", None) != backend:
                project.set_setting("embedding_backend", backend)
        self._themes_task = "starting"      # the outlook may be answered before the task exists
        if not self.runner.busy() and self.scene.ready:      # else refused below, and said why
            self._say_what_a_rerun_keeps()
        task = self._run_analysis(
            f"Finding {k} candidate themes" if k else "Finding candidate themes",
            lambda p: themes_task(p, k, seed, backend, with_run=record), facts={"k_asked": k},
            on_success=keep_backend)
        self._themes_task = task
        return task

    _themes_task: Task | str | None = None     # "starting": asked for, not yet made

    def _say_what_a_rerun_keeps(self) -> None:
        """Before a rerun starts, what it keeps of the team's work and what it may move (read
        on the window's reader over a big project: then said as soon as it is known, while
        the run embeds, unless the run is over by then). A first run has nothing to keep."""
        from synth.themes.placements import describe_outlook, rerun_outlook
        if not self.project.scalar("SELECT count(*) FROM themes"):
            return

        def say(outlook) -> None:
            task = self._themes_task         # "starting": answered before the run started
            if outlook is None or task is None or (      # None: the run was refused
                    task != "starting" and task.state not in ("waiting", "running")):
                return
            self.notify.info("Finding candidate themes. " + describe_outlook(outlook) +
                             " Ctrl+Z undoes the run.")
        self.reads.ask("rerun outlook", rerun_outlook, say, fallback=None)

    def _may_send_texts(self, backend: dict | None, again) -> bool:
        """Whether the cards' texts may go to the embedding server the run would use
        (``backend`` from the dialog, else the project's setting). A server is used only once
        the researcher allowed it on this computer: a colleague's project file must not send
        participants' words out unasked. A server typed in the dialog (beside its warning) is
        allowed by that choice; the project's own server, even passed through the dialog
        unchanged, is not. Refused: the notification bar says so and offers to allow it, then
        ``again()``."""
        from synth.themes.embeddings import remote_endpoint
        stored = self.project.setting("embedding_backend", None)
        cfg = backend if backend is not None else stored
        url = remote_endpoint(cfg)
        if url is None:
            return True
        if url in self.settings.allowed_servers:
            self._warn_key_in_clear(cfg)
            return True
        if backend is not None and url != remote_endpoint(stored):
            self.settings.allow_server(url)
            self._warn_key_in_clear(cfg)
            return True
        key = cfg.get("api_key_env")

        def allow() -> None:
            self.settings.allow_server(url)
            again()
        self.notify.show_message(
            f"This project's settings embed the cards with the server {url}: their texts "
            "would be sent there" + (f", with the key in the environment variable {key}"
                                     if key else "") +
            ". Nothing was sent. Allow it only if you trust that server with participants' "
            "words (or choose the bundled model in Analysis → Candidate themes…).", "warning",
            ("Send the texts to this server", self.for_this_project(allow)))
        return False

    def _warn_key_in_clear(self, cfg: dict) -> None:
        """Said in the notification bar, where it stays (the task's progress line is
        overwritten by the next update): an API key about to cross a network unencrypted."""
        from synth.themes.embeddings import backend_from_config
        try:
            host = backend_from_config(cfg).key_in_clear()
        except Exception:  # noqa: BLE001 - a bad setting is reported by the run itself
            return
        if host:
            self.notify.show_message(
                f"The API key in {cfg.get('api_key_env')} is sent to {host} unencrypted "
                "(http://, not https://): anyone on the network between can read it. Use an "
                "https:// address for that server if it has one.", "warning")

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

    def show_cards(self, refs: list) -> None:
        """Select cards on the board and bring them into view (a pair of near-duplicates, a
        theme's representative card in Details)."""
        self.scene.select_cards(refs)
        self.view.zoom_to_selection()

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
        # the comparison grows with the square of the cards: a worker takes it sooner than
        # the panels' reads, and a worker of its own, so that they never wait behind it
        background = Reader(self.comparer, lambda: self.project,
                            lambda: len(self.scene.cards) > ON_WORKER,
                            lambda e: self.notify.exception(e, "comparing texts"))
        self.duplicates_dlg = DuplicatesDialog(self.project, parent=self, background=background,
                                               show_cards=self.show_cards)
        self.duplicates_dlg.show()

    def dots_dialog(self) -> None:
        """The themes ranked by their dots (window-modal: dots are not cast while it is up);
        Show on board selects a theme, Clear all dots starts a new round as one undo step."""
        if self.project is None:
            self.notify.warning("Open a project to see its dot vote results.")
            return
        from .dots_dialog import DotsDialog

        def show_theme(theme_id: int) -> None:
            self.scene.select_theme(theme_id)
            self.view.zoom_to_selection()
        self.dots_dlg = DotsDialog(self.project, parent=self, run_operation=self.run_operation,
                                   show_theme=show_theme, tell=self.notify.info)
        self.dots_dlg.setWindowModality(Qt.WindowModality.WindowModal)
        self.dots_dlg.open()

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
        # stored with the run (one undo step), not before it: undoing the run gives back the
        # number and seed asked before
        self.run_themes(backend=chosen["backend"], asked=(chosen["k"] or None, chosen["seed"]))

    def run_opinion_groups(self, groups: str | None = None, on_success=None) -> Task | None:
        """``groups``: recompute or polis for this run (else the project's choice)."""
        from .analysis import opinion_groups_task
        from .panels.votes import votes_held
        if self.project is not None:
            statements, has_votes = votes_held(self.project)
            if not has_votes:       # totals alone: the run would end "done" with nothing
                self.notify.info(
                    "No opinion groups to find: they come from each participant's votes, and "
                    + (f"this project's {statements:,} statements came with vote totals only."
                       if statements else "this project has no debate statements."))
                return None
        return self._run_analysis("Finding opinion groups",
                                  lambda p: opinion_groups_task(p, groups),
                                  on_success=on_success)

    def split_theme_by_similarity(self, theme_id: int | None = None) -> Task | None:
        """Recluster one theme's cards into sub-themes (synth.themes), in the background."""
        from .analysis import split_task
        tid = theme_id if theme_id is not None else self.controller.current_theme()
        if tid is None:
            self.notify.warning("Select a theme to split it by similarity.")
            return None
        if self.project is None or not self._may_send_texts(
                None, lambda: self.split_theme_by_similarity(tid)):
            return None
        return self._run_analysis("Splitting the theme", lambda p: split_task(p, tid))

    def embed_theme_names(self, done) -> bool:
        """Embed the names of the themes that read by their names (a codebook's codes, themes
        named on the board with few cards) on the task runner, then ``done(True)`` on the GUI
        thread: More like this asks it when only a theme's name lacks its vector. False (and
        nothing run) without a project, in a read-only one (nothing would be cached), while
        a task runs, or when the project's embedding server was not allowed on this
        computer (no text leaves unasked: the words answer instead)."""
        from synth.themes.embeddings import remote_endpoint

        from .analysis import embed_names_task
        project = self.project
        if project is None or project.read_only or self.runner.busy():
            return False
        url = remote_endpoint(project.setting("embedding_backend", None))
        if url is not None and url not in self.settings.allowed_servers:
            return False
        self.run_on_project("Reading the themes' names", embed_names_task(project),
                            lambda result, p: done(True), "reading the themes' names",
                            blocks_edits=False)
        return True

    def read_theme_names(self) -> bool:
        """Embed the names of themes that read by their names once codes arrive (a codebook
        imported after the cards were embedded), so the unsorted pile's offers name them
        without waiting for More like this or the next run; nothing in a project never
        embedded (the next run embeds the names with the cards). True if it started."""
        from synth.themes.embeddings import backend_from_settings, has_vectors
        project = self.project
        try:
            embedded = project is not None and has_vectors(
                project, backend_from_settings(project).model_name)
        except Exception:  # noqa: BLE001 - a model folder gone: the words answer instead
            return False
        return embedded and self.embed_theme_names(lambda ok: None)

    def _run_analysis(self, name: str, make_task, facts: dict | None = None,
                      on_success=None) -> Task | None:
        """``facts``: what the finishing message needs besides the result (themes asked for,
        cards to sort); ``on_success(project)``: what to keep once the task's work landed."""
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

        def done(outcome, project):
            from .analysis import Outcome, adopt
            if isinstance(outcome, Outcome) and outcome.applied:
                adopt(project, outcome.applied)     # undoable; the board follows it
            else:
                self.reload_board()                 # written outside the history
            if on_success is not None:
                on_success(project)
            result = outcome.result if isinstance(outcome, Outcome) else outcome
            known = dict(facts or {})
            if isinstance(result, dict) and (result.get("kept_empty")
                                             or result.get("still_empty")):
                known["names"] = dict(project.query("SELECT id, name FROM themes"))
            said = finished_message(name, result, task.finished_late, known)
            self._task_message = said
            self.notify.info(said)

        task = self.run_on_project(name, fn, done, name.lower())
        return task

    def _on_task_started(self, task: Task) -> None:
        p = self.project                             # whose file it works on
        task.started_on = (p, None if p is None else file_id(p.path))
        self.task_label.setText(task.name + "…")
        self.progress.setRange(0, 0)
        for w in (self.task_label, self.progress, self.cancel_button):
            w.show()
        task.progressed.connect(self._on_task_progress)
        self._update_undo_actions()

    def _on_task_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message:
            self.task_label.setText(message)

    def _on_task_finished(self, task: Task) -> None:
        # a task of a project closed since says nothing over the one open now
        project, fid = task.started_on
        ours = project is self.project or self.open_now(project, fid) is not None
        if task.state == "cancelled" and ours:
            self._task_message = f"{task.name}: cancelled; nothing was changed."
            self.notify.info(self._task_message)
        self._update_undo_actions()
        if not self.runner.busy():
            self.cancel_button.hide()
            if self.scene.ready:        # else the board's fill goes on showing its progress
                self.task_label.hide()
                self.progress.hide()


def finished_message(name: str, result: Any, late: bool = False,
                     facts: dict | None = None) -> str:
    """What the status line says when a task has been applied: what a rerun kept of the team's
    work, how many candidate themes were made (and why fewer than asked for), the pinned or
    worked-on themes a rerun kept empty, and whether Cancel came too late to stop it.
    ``facts``: ``k_asked`` (themes asked for, None when Synth chose), ``cards`` (cards to
    sort; else counted from the result: its themes' sizes and the unsorted pile), ``names``
    (theme id -> name)."""
    from synth.themes.placements import describe_languages, describe_rerun, describe_unsorted
    said = f"{name}: done."
    if isinstance(result, dict) and isinstance(result.get("themes"), list):
        facts = facts or {}
        made = len(result["themes"])
        asked = facts.get("k_asked")
        said = f"{made} candidate theme{'s' if made != 1 else ''} found"
        if asked and result.get("clusters", made) < asked:   # not for those kept themes took
            cards = facts.get("cards")
            if cards is None and all("size" in t for t in result["themes"]):
                cards = sum(t["size"] for t in result["themes"]) + (result.get("unsorted") or 0)
            said += f", not the {asked} asked for: " + (
                f"{cards} card{' to sort makes' if cards == 1 else 's to sort make'} no more"
                if cards else "the cards make no more")
        rerun = describe_rerun(result)
        if rerun:
            said = rerun[0].upper() + rerun[1:] + "; " + said
        unsorted = describe_unsorted(result)
        if unsorted:
            said += f"; {unsorted}"
        names = facts.get("names") or {}
        kept = _theme_names(result, "kept_empty", names)
        if kept:
            said += "; " + _quoted(kept) + \
                " kept though now empty (your name, acceptance or coding is on it)"
        waiting = _theme_names(result, "still_empty", names)
        if waiting:     # a codebook's codes: the run did not empty them (QA)
            said += "; " + _quoted(waiting) + (" holds" if len(waiting) == 1 else " hold") + \
                " no card yet: More like this (L) on one offers cards by its name"
        twins = result.get("twins") or []
        if len(twins) == 1:     # a codebook exported from a run and imported again (QA)
            said += f"; a candidate theme is named as your code “{names.get(twins[0][1])}”: " \
                "once the team has read its cards, Details → Reads most like merges it into " \
                "the code"
        elif twins:
            said += f"; {len(twins)} candidate themes are named as your codes: once the team " \
                "has read a theme's cards, Details → Reads most like merges it into its code"
        said += "."
        hint = describe_languages(result)
        if hint:
            said += f" {hint}."
    elif isinstance(result, list) and name.startswith("Splitting"):
        said = f"Split the theme into {len(result)} sub-themes."
    elif isinstance(result, str) and result and name.startswith("Finding opinion groups"):
        # what the command line prints: the groups and their sizes, and how far recomputed
        # groups are from Pol.is's own ("done." alone said nothing, QA)
        said = f"Opinion groups found: {result.rstrip('.')}."
    if late:
        said += " Cancel came after the work was written, so it is kept: Ctrl+Z undoes it."
    return said


def _theme_names(result: dict, key: str, names: dict) -> list[str]:
    """Names of the themes a run lists under ``key``: ``kept_empty``, those it kept though it
    left them no card (renamed or accepted by the researcher, or holding codings, evidence or
    recommendations), or ``still_empty``, the team's themes that held none before it either."""
    return [str(names.get(k, f"theme {k}")) for k in result.get(key) or []]


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{n}”" for n in names[:3]) + \
        (f" and {len(names) - 3} more" if len(names) > 3 else "")
