"""The main window's commands: every action with its shortcut, the menus and the board's context
menu that show them, when they are enabled, and the theme pickers two of them open."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


class WindowActions:
    """Part of ``MainWindow``: a slot an action runs goes through ``_guard``, so an error is
    shown in the notification bar instead of escaping into Qt."""

    def _action(self, text: str, slot, shortcut: Any = None, *, board: bool = False,
                tip: str = "") -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
        if board:   # single-key shortcuts act only while the board has focus
            a.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.view.addAction(a)
        else:
            self.addAction(a)
        if tip:
            a.setStatusTip(tip)
        a.triggered.connect(lambda *_: self._guard(slot))
        return a

    def _guard(self, slot) -> None:
        try:
            slot()
        except Exception as e:  # noqa: BLE001 - errors go to the notification bar
            self.notify.exception(e)

    def _build_actions(self) -> None:
        c = self.controller
        A = self._action
        K = QKeySequence
        self.act_new = A("&New project…", self.new_project_dialog, K.New)
        self.act_open = A("&Open project…", self.open_project_dialog, K.Open)
        self.act_save_as = A("Save project &as…", self.save_as_dialog, K.SaveAs)
        self.act_import = A("&Import data…", self.import_dialog, "Ctrl+I")
        self.act_export = A("&Export…", self.export_dialog, "Ctrl+E",
                            tip="Word report, tables, REFI-QDA, board image")
        self.act_close = A("&Close project", self.close_project, K.Close)
        self.act_quit = A("&Quit", self.close, K.Quit)
        # not the stack's own createUndoAction: those are enabled whenever the stack can undo,
        # also while a task that blocks edits runs on what the undo would change
        self.act_undo = A("&Undo", lambda: self._step_history(self.undo_stack.undo))
        self.act_undo.setShortcuts(K.Undo)
        self.act_redo = A("&Redo", lambda: self._step_history(self.undo_stack.redo))
        self.act_redo.setShortcuts([K("Ctrl+Shift+Z"), K("Ctrl+Y")])
        for signal in (self.undo_stack.canUndoChanged, self.undo_stack.canRedoChanged,
                       self.undo_stack.undoTextChanged, self.undo_stack.redoTextChanged):
            signal.connect(self._update_undo_actions)
        self._update_undo_actions()
        self.act_find = A("&Find cards", self._focus_search, K.Find)
        self.act_select_all = A("Select &all cards", self._select_all, K.SelectAll, board=True)
        self.act_new_theme = A("&New theme from selection…", c.create_theme_from_selection,
                               "Ctrl+G")
        self.act_move = A("&Move selected cards to theme…", self.open_picker, "M", board=True)
        self.act_rename = A("&Rename theme…", c.rename_theme, "F2")
        self.act_recolour = A("Change theme &colour…", c.recolour_theme)
        self.act_merge = A("Mer&ge selected themes", c.merge_themes, "Ctrl+Shift+M")
        self.act_split = A("&Split selected cards into a sub-theme…", c.split_selection,
                           "Ctrl+Shift+S" if False else "Ctrl+Shift+P")
        self.act_split_auto = A("Split theme &by similarity", self.split_theme_by_similarity,
                                tip="Recluster the theme's cards into sub-themes")
        self.act_nest = A("N&est theme under…", self.nest_dialog)
        self.act_unnest = A("Move theme to &top level",
                            lambda: c.nest_theme(c.current_theme(), None))
        self.act_delete = A("&Delete theme (cards to unsorted)", c.delete_theme, "Ctrl+Delete")
        self.act_pin = A("&Pin theme", self._pin_from_action, "Ctrl+P",
                         tip="A pinned theme keeps its cards when the candidate themes are "
                             "found again")
        self.act_pin.setCheckable(True)
        c.info = self.notify.info
        self.act_select_theme = A("Select the card's t&heme", self.select_card_themes, "T",
                                  board=True, tip="The theme of the selected cards, as a "
                                                  "click on its title selects it")
        self.act_accept = A("&Accept candidate theme", c.accept_candidates, "A", board=True)
        self.act_accept_all = A("Accept all candidate themes", c.accept_all_candidates)
        self.act_dissolve = A("Dissol&ve theme", c.dissolve_theme, "Shift+Delete", board=True)
        self.act_arrange = A("Auto-a&rrange cards in theme", c.auto_arrange, "Ctrl+R")
        self.act_more = A("More &like this (suggestions)", c.more_like_this, "L", board=True)
        self.act_accept_ghosts = A("Accept all suggestions", c.accept_all_ghosts, "Shift+A",
                                   board=True)
        self.act_dot = A("Give a &dot to the theme", self.cast_dot, "D", board=True)
        self.act_link_evidence = A("&Link selected cards to recommendation…",
                                   self.link_cards_dialog, "E", board=True,
                                   tip="The selected cards as evidence for a recommendation "
                                       "or a theme's summary, chosen by typing its name")
        self.act_quote_cards = A("&Quote selected cards", self.quote_selected_cards, "Q",
                                 board=True, tip="Each selected card's words as a verbatim "
                                                 "quote, attributed by its source")
        self.act_zoom_in = A("Zoom &in", lambda: self.view.zoom_by(1.25), [K.ZoomIn, "+", "="],
                             board=True)
        self.act_zoom_out = A("Zoom &out", lambda: self.view.zoom_by(0.8), [K.ZoomOut, "-"],
                              board=True)
        self.act_fit = A("&Fit all", self.view.fit_all, ["Ctrl+0", "0"], board=True)
        self.act_actual = A("&Readable size", lambda: self.view.set_zoom(1.0), "Ctrl+1")
        self.act_zoom_theme = A("Zoom to &theme", self.view.zoom_to_selection, "Z", board=True)
        self.act_board_focus = A("Focus the &board", self.view.setFocus, "Ctrl+B")
        self.act_present = A("&Presentation mode", self.toggle_presentation, "F5")
        self.act_themes = A("Find candidate &themes", self.run_themes, "Ctrl+Shift+T",
                            tip="With the project's theme settings (Candidate themes…)")
        self.act_themes_dialog = A("Candidate themes &settings…", self.themes_dialog,
                                   tip="How many themes, the seed and the embedding model; "
                                       "then find them")
        self.act_duplicates = A("&Near-duplicate statements…", self.duplicates_dialog,
                                tip="Pairs of statements that say nearly the same thing")
        self.act_dots = A("&Dot vote results…", self.dots_dialog,
                          tip="The themes ranked by the dots people gave them; clear the dots "
                              "for a new round")
        self.act_groups = A("Find &opinion groups", self.run_opinion_groups, "Ctrl+Shift+G")
        self.act_polis_groups = A("Use &Pol.is's own opinion groups", self._choose_polis_groups,
                                  tip="Ticked: the groups Pol.is exported, as in the Pol.is "
                                      "report participants saw. Unticked: groups recomputed "
                                      "from the votes with Pol.is's method, traceable to them")
        self.act_polis_groups.setCheckable(True)
        self.act_cancel = A("&Cancel background task", self.runner.cancel_all, "Ctrl+.")

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        f.addActions([self.act_new, self.act_open])
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        f.addActions([self.act_save_as, self.act_import, self.act_export])
        f.addSeparator()
        f.addActions([self.act_close, self.act_quit])
        e = mb.addMenu("&Edit")
        e.addActions([self.act_undo, self.act_redo])
        e.addSeparator()
        e.addActions([self.act_find, self.act_select_all])
        b = mb.addMenu("&Board")
        b.addActions([self.act_new_theme, self.act_move, self.act_rename, self.act_recolour,
                      self.act_merge, self.act_split, self.act_split_auto, self.act_nest,
                      self.act_unnest, self.act_pin,
                      self.act_delete])
        b.addSeparator()
        b.addActions([self.act_select_theme, self.act_accept, self.act_accept_all, self.act_dissolve, self.act_more,
                      self.act_accept_ghosts, self.act_arrange, self.act_dot])
        b.addSeparator()
        b.addActions([self.act_link_evidence, self.act_quote_cards])
        v = mb.addMenu("&View")
        v.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit, self.act_actual,
                      self.act_zoom_theme, self.act_board_focus])
        v.addSeparator()
        for d in self.docks:
            v.addAction(d.toggleViewAction())
        v.addSeparator()
        v.addAction(self.act_present)
        a = mb.addMenu("&Analysis")
        a.addActions([self.act_themes, self.act_themes_dialog, self.act_duplicates,
                      self.act_dots, self.act_groups, self.act_polis_groups, self.act_cancel])
        self.view.setContextMenuPolicy(Qt.ActionsContextMenu)
        for act in (self.act_new_theme, self.act_move, self.act_rename, self.act_recolour,
                    self.act_merge, self.act_pin, self.act_arrange, self.act_more,
                    self.act_zoom_theme, self.act_link_evidence, self.act_quote_cards):
            if act not in self.view.actions():
                self.view.addAction(act)

    def _step_history(self, step) -> None:
        # words still being typed in a panel (a recommendation's title, within its autosave
        # pause) are written first, as their own step, so the undo takes back that typing and
        # not the step under it (QA2 #8: the recommendation went, and the field then wrote to
        # it); a menu opened with the mouse takes the focus and writes them, a shortcut or a
        # native menu bar does not
        self.flush_panels()
        if self.runner.blocks_edits():      # the actions are disabled; a caller's guard
            self.notify.warning("Wait for the background task to finish (or cancel it) "
                                "before undoing.")
            return
        step()              # a refused step says why itself (undo_stack.refusal)

    def _update_undo_actions(self, *_: Any) -> None:
        """Undo and redo (the actions and the History panel's clicks) wait while a task that
        writes to the project runs: an undo then would change what the task decided on (a
        theme unpinned again while candidate themes are found)."""
        free = not self.runner.blocks_edits()
        s = self.undo_stack
        for act, word, can, text in ((self.act_undo, "&Undo", s.canUndo(), s.undoText()),
                                     (self.act_redo, "&Redo", s.canRedo(), s.redoText())):
            act.setEnabled(free and can)
            act.setText(f"{word} {text}" if text else word)
        self.history_view.setEnabled(free)
        self.history_view.setToolTip("" if free else "Going back to a step waits for the "
                                                     "background task to finish")

    def _update_actions(self) -> None:
        self.forget_task_message()      # a project opened or closed since the last task
        has = self.project is not None
        for a in (self.act_save_as, self.act_import, self.act_export, self.act_close,
                  self.act_duplicates, self.act_dots):
            a.setEnabled(has)
        writable = has and not self.project.read_only    # analyses write their results
        for a in (self.act_themes, self.act_themes_dialog, self.act_groups,
                  self.act_polis_groups):
            a.setEnabled(writable)
        self._update_polis_groups_action()

    def _update_polis_groups_action(self) -> None:
        """Ticked when Pol.is's own groups are the ones shown: chosen, or (the project left to
        choose, as by default) what the latest run used where the export has them."""
        from synth.votes.project_analysis import groups_choice, latest_params
        ticked = False
        if self.project is not None:
            choice = groups_choice(self.project)
            if choice == "auto":
                params = latest_params(self.project)     # not the run's result: megabytes
                ticked = params is not None and params.get("groups") == "polis"
            else:
                ticked = choice == "polis"
        self.act_polis_groups.setChecked(ticked)    # not triggered

    def _choose_polis_groups(self) -> None:
        """The groups found again with the other choice, which becomes the project's once
        that run succeeded (refused, cancelled or failed: the choice stays as it was). Qt has
        ticked the action already: the tick is set from the project, now and after the run."""
        from synth.votes.project_analysis import SETTING
        choice = "polis" if self.act_polis_groups.isChecked() else "recompute"

        def keep(project) -> None:
            project.set_setting(SETTING, choice)
            self._update_polis_groups_action()
        try:
            if self.project is None or self.project.read_only:
                return
            if self.runner.blocks_edits():
                self.notify.warning("Wait for the background task to finish, then choose the "
                                    "opinion groups: nothing was changed.")
                return
            self.run_opinion_groups(groups=choice, on_success=keep)
        finally:
            self._update_polis_groups_action()

    def _pin_from_action(self) -> None:
        """Qt ticks a checkable action before its slot runs: the tick is set again from the
        theme afterwards, whether the pin was made, refused (a task runs, read-only) or
        failed."""
        try:
            self.controller.pin_theme()
        finally:
            self._update_pin_action()

    def _update_pin_action(self, selection: Any = None) -> None:
        """Pin theme is ticked when the theme in hand is pinned (after a change too: undo
        unpins it). ``selection``: the board's, when the caller has read it already."""
        if not hasattr(self, "act_pin"):
            return
        tid = self.controller.current_theme(selection) if self.project is not None else None
        theme = self.scene.themes.get(tid) if tid is not None else None
        self.act_pin.setChecked(bool(theme is not None and theme.pinned))   # not triggered
        self.act_pin.setEnabled(theme is not None and not self.project.read_only)

    # ------------------------------------------------------------------ the themes list
    def _on_themes_chosen(self, theme_ids: list) -> None:
        """Themes chosen in the Themes list are the board's selected themes, as if their
        titles were clicked: Details shows one, F2, Ctrl+P and Ctrl+Shift+M act on them."""
        self.scene.select_themes(theme_ids)

    def select_card_themes(self) -> None:
        """T on the board: from the cards reached with the arrows to their themes, selected as
        if their titles were clicked (cards in two themes: both, ready for a merge)."""
        themes: list[int] = []
        for ref in self.scene.selected_refs():
            tid = self.scene.cards[ref].theme_id
            if tid in self.scene.themes and tid not in themes:
                themes.append(tid)
        if not themes:
            self.notify.warning("Select a card in a theme (arrow keys on the board), then "
                                "press T to select its theme.")
            return
        self.scene.select_themes(themes)

    def _on_theme_activated(self, theme_id: int | None) -> None:
        """Enter in the Themes list: to the theme on the board, selected, keys going there
        (L, A, Shift+A act on it)."""
        chosen = self.themes_list.selected_ids()
        if theme_id is not None and theme_id not in chosen:
            chosen = [theme_id]
        self.scene.select_themes(chosen)
        self.view.zoom_to_theme(theme_id)
        self.view.setFocus()

    # ------------------------------------------------------------------ pickers
    def open_picker(self) -> None:
        from .picker import ThemePicker
        if not self.scene.selected_refs():
            self.notify.warning("Select cards first (arrows, Shift+arrows, or drag a box).")
            return
        self.picker = ThemePicker(self.controller.theme_choices(), self)
        self.picker.chosen.connect(lambda t: self._guard(lambda: self.controller.move_selected(t)))
        self.picker.finished.connect(lambda *_: self.view.setFocus())
        self.picker.show()
        self.picker.filter_edit.setFocus()

    def nest_dialog(self) -> None:
        from .picker import ThemePicker
        tid = self.controller.current_theme()
        if tid is None:
            self.notify.warning("Select a theme to nest it under another.")
            return
        from synth.board import subtree
        inside = set(subtree(self.project, tid))
        self.picker = ThemePicker(self.controller.theme_choices(inside), self,
                                  title="Nest theme under", allow_new=False,
                                  allow_unsorted=False)
        self.picker.chosen.connect(
            lambda p: self._guard(lambda: self.controller.nest_theme(tid, int(p))))
        self.picker.show()

    def link_cards_dialog(self) -> None:
        """E on the board: the selected cards linked as evidence to a recommendation (or a
        theme's summary) picked by typing; Enter takes the one the Recommendations panel
        shows. A keyboard's way to what dragging cards onto an evidence list does."""
        from .coding.card_evidence import evidence_picker, link_cards, link_targets, shown_target
        refs = self.scene.selected_refs()
        if not refs:
            self.notify.warning("Select cards first (arrows, Shift+arrows, or drag a box), "
                                "then press E to link them as evidence.")
            return
        targets = link_targets(self.project, shown_target(self.coding_panels))
        if not targets:
            self.notify.warning("There is nothing to link cards to yet: make a theme, or add "
                                "a recommendation in the Recommendations panel.")
            return
        self.picker = evidence_picker(self, targets, "Link cards as evidence", lambda t, label:
                                      self._guard(lambda: link_cards(self, t, label, refs)))
        self.picker.finished.connect(lambda *_: (self.activateWindow(), self.view.setFocus()))

    def quote_selected_cards(self) -> None:
        """Q on the board: the selected statements, notes and passages as verbatim quotes
        (the report attributes them), one undo step."""
        from .coding.card_evidence import quote_cards
        refs = self.scene.selected_refs()
        if not refs:
            self.notify.warning("Select cards first (arrows, Shift+arrows, or drag a box), "
                                "then press Q to quote them.")
            return
        quote_cards(self, refs)

    def cast_dot(self) -> None:
        """D: a dot to the current theme. Presenting, from the named voter while they have
        dots left (the bar says how many); alone at the laptop, from the researcher at the
        keyboard, never from whoever voted last in a session."""
        theme = self.controller.current_theme()
        if self.presentation is None or theme is None:     # no theme: the controller says so
            self.controller.cast_dot(theme, self.researcher_name())
            return
        voter = self.presentation.voter()
        if voter is not None:
            self.controller.cast_dot(theme, voter)

    def researcher_name(self) -> str:
        """The researcher at the keyboard: the name their codings carry (the Document panel's
        Coder box: the project's coder name, else this computer's login), else "Researcher"."""
        from .coding.document_viewer import CODER_SETTING
        coder = next((p.coder() for p in self.coding_panels if hasattr(p, "coder")), None)
        if coder is None and self.project is not None:
            coder = self.project.setting(CODER_SETTING)
        return " ".join(str(coder or "").split()) or "Researcher"
