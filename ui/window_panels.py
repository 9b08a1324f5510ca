"""Keeping the board and the panels around it in step with the project: the board's (re)loading,
the refresh after each change, the status bar's summary, the selection shown in the panels and the
search and filter bar."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from synth.votes.group_names import GroupNames
from synth.votes.statement_figures import group_label
from synth.words import plural

from .board.scene import CardFilter, Selection
from .panels.reading import Follower, Follows


class WindowPanels:
    """Part of ``MainWindow``: a change to the project (``_on_history_changed``) is gathered and
    the panels it touched refresh once, on the next turn of the event loop."""

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
        self.refresh_panels()
        if self.duplicates_dlg is not None and self.duplicates_dlg.isVisible():
            self.duplicates_dlg.refresh()   # cards were imported or embedded: compare again
        if self._fit_when_ready:
            self._fit_when_ready = False
            # and again when the window system gives the new window its final size (1600 x
            # 1000 asked, 975 given on a 1080-pixel screen: the last row was cut off)
            self.view.fit_all_through_resizes()

    def _on_board_abandoned(self) -> None:
        name = self.project.path.name if self.project is not None else "the project"
        self.set_project(None)
        self.notify.info(f"Opening {name} was cancelled; it is closed again, unchanged.")

    def _make_views(self) -> list[Follows]:
        """Everything the window keeps up to date after a change, each saying what it shows:
        the themes list (the board's themes and how many cards each holds), the summary's
        counts, and the panels. Made once every panel exists (the end of ``_build_docks``)."""
        themes_list = Follower(
            {"themes": None, "card_places": None, "dot_votes": None},
            lambda: self.themes_list.refresh_from(
                self.scene.themes, self.scene.members() if self.project is not None else {}))
        counts = Follower({t: None for t in ("sources", "statements", "notes", "documents",
                                             "passages", "participants", "votes")},
                          lambda: setattr(self, "_summary", None))    # counted again
        votes = [p for p in (self.votes_panel, self.segments_panel) if p is not None]
        return [themes_list, counts, self.sources_panel, *votes, *self.coding_panels]

    def _on_history_changed(self, changes) -> None:
        # told before the board follows: a change it must read the board again for refreshes
        # every view at once (``_on_board_ready``), which then has nothing left to read
        for view in (self.offer, *self._views):    # each judges whether it shows what changed
            try:
                view.note_changes(changes)
            except Exception as e:  # noqa: BLE001 - one view must not stop the board following
                self.notify.exception(e, "following a change in a panel")
        self.scene.apply_changes(changes)
        self._refresh_timer.start()
        if self.duplicates_dlg is not None and self.duplicates_dlg.isVisible():
            self.duplicates_dlg.places_changed()

    def _on_refresh_timer(self) -> None:
        self.refresh_panels(everything=False)

    def refresh_panels(self, everything: bool = True) -> None:
        """Bring the views up to date: those a change touched (see ``Follows``), or all of
        them; a move of cards does not recount 2,000,000 votes, a panel out of sight reads
        when it is seen."""
        if not self.scene.ready:
            return              # the board's ready signal refreshes everything
        for view in self._views:
            try:
                view.catch_up(everything=everything)
            except Exception as e:  # noqa: BLE001
                self.notify.exception(e, "refreshing a panel")
        self.sync_small_n()
        self._on_selection_changed()
        self._update_summary()
        self._update_actions()

    def sync_small_n(self) -> None:
        """Details and the board mark a figure too few voted for (†) as the report does: below
        the project's threshold, unless its rule is to show such figures as they are."""
        if self.project is None:
            return
        from exports.figures import FigureRegistry
        below = FigureRegistry.for_project(self.project).flag_below
        self.details_panel.small_n = below
        style = self.scene.style
        if style.small_n != below:
            style.small_n = below
            style.bump()                # every card lays out its figures again
            self.scene.update()

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
            f"{placed:,}/{len(self.scene.cards):,} cards sorted" + self._following())

    def _following(self) -> str:
        """The summary's word on a window that follows another's changes (read-only)."""
        p = self.project
        if p is None or not p.read_only or getattr(self, "_follow_timer", None) is None \
                or not self._follow_timer.isActive():
            return ""
        at = getattr(self, "_followed_at", None)
        return (" · read-only: follows the window that has it open" +
                (f" (updated {at})" if at else ""))

    # ------------------------------------------------------------------ selection and filters
    def _on_selection_changed(self, selection: Selection | None = None) -> None:
        """The selection label, Details, the Themes list's rows and Pin theme, from one read
        of the board's selection (``selection``: the scene's, with its selectionChanged)."""
        sc = self.scene
        sel = selection if selection is not None else sc.selection()
        cards = sel.cards + sel.ghosts
        theme_ids = sel.theme_ids
        n = len(cards)
        self.selection_label.setText(
            (f"{plural(n, 'card')} selected" if n else "") +
            (f" · {plural(len(theme_ids), 'theme')}"
             if theme_ids else ""))
        if n == 1 and not theme_ids:
            self.details_panel.show_card(cards[0].card, sc.themes)
            if self.votes_panel is not None and cards[0].card.kind == "statement":
                self.votes_panel.show_statement(cards[0].card.id)
            if self.segments_panel is not None and cards[0].card.kind == "statement":
                self.segments_panel.show_statement(cards[0].card.id)
        elif len(theme_ids) == 1 and not n:
            t = sc.themes.get(theme_ids[0])
            if t is not None:
                self.details_panel.board_size = len(sc.cards)
                self.details_panel.show_theme(t, sc.themes, sc.members().get(t.id, []))
        elif n or theme_ids:
            self.details_panel.show_many(n, len(theme_ids))
        else:
            self.details_panel.show_nothing()
        self.themes_list.show_chosen(theme_ids)
        self._update_pin_action(sel)

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
        # short: a Pol.is debate's name is its whole question (QA 22); whole in the tooltip.
        # Numbered from every group (a statement card carries them all), not only those that
        # stand out on some card: else "Debate 1" here could be another debate than in the
        # Votes panel and the report
        every = next((c.group_names for c in self.scene.cards.values() if c.group_names), ())
        short = GroupNames(every or (names[g] for g in sorted(names) if names[g]))
        for box, values, all_label, fmt, tip in (
                (self.site_box, self.scene.sites(), "All cities", str, lambda _v: ""),
                (self.group_box, sorted(names), "All opinion groups",
                 lambda g: short.short(names.get(g) or f"Group {group_label(g)}"),
                 lambda g: short.full(names.get(g) or ""))):
            box.blockSignals(True)
            box.clear()
            box.addItem(all_label, None)
            for v in values:
                box.addItem(fmt(v), v)
                if tip(v):
                    box.setItemData(box.count() - 1, tip(v), Qt.ToolTipRole)
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
        self.scene.select_all_cards()
