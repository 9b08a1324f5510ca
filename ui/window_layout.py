"""The main window's layout: the search and filter bar over the board, the docked panels around
it (the coding panels when ``ui.coding`` is there) and the status bar."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDockWidget, QDoubleSpinBox, QHBoxLayout, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QScrollArea, QUndoView,
                               QVBoxLayout, QWidget)

from .panels.details import DetailsPanel
from .panels.sources import SourcesPanel
from .panels.themes_list import ThemesList

KIND_FILTERS = [("All cards", frozenset()), ("Statements", frozenset({"statement"})),
                ("Workshop notes", frozenset({"note"})),
                ("Transcript passages", frozenset({"passage"}))]


class WindowLayout:
    """Part of ``MainWindow``: builds its widgets once, in ``__init__``; the slots they are
    connected to live in the other parts."""

    def _build_central(self) -> None:
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.notify)
        bar = QWidget()
        bar.setAccessibleName("Search and filter")
        bl = QHBoxLayout(bar)
        bl.setContentsMargins(6, 4, 6, 4)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search cards (Ctrl+F)…")
        self.search_edit.setAccessibleName("Search cards")
        self.search_edit.setClearButtonEnabled(True)
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("Filter by kind of card")
        for label, kinds in KIND_FILTERS:
            self.kind_box.addItem(label, kinds)
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Filter by city")
        self.group_box = QComboBox()
        self.group_box.setAccessibleName("Filter by opinion group")
        self.agree_min = QDoubleSpinBox()
        self.agree_max = QDoubleSpinBox()
        for box, v, name in ((self.agree_min, 0, "Lowest % agree"),
                             (self.agree_max, 100, "Highest % agree")):
            box.setRange(0, 100)
            box.setDecimals(0)
            box.setSuffix(" %")
            box.setValue(v)
            box.setAccessibleName(name)
            box.valueChanged.connect(self._on_filter_changed)
        self.colour_box = QComboBox()
        self.colour_box.setAccessibleName("Colour cards by")
        for label, mode in (("Colour by source", "source"), ("Colour by city", "city"),
                            ("Colour by opinion group", "group")):
            self.colour_box.addItem(label, mode)
        self.colour_box.setCurrentIndex(max(0, self.colour_box.findData(self.settings.colour_by)))
        self.scene.style.colour_by = self.colour_box.currentData()
        self.colour_box.currentIndexChanged.connect(self._on_colour_by_changed)
        # on a 1366-pixel laptop the bar must still leave the search box room to type in:
        # the combo boxes give way (their lists still show the whole names)
        self.search_edit.setMinimumWidth(150)
        for box in (self.kind_box, self.site_box, self.group_box, self.colour_box):
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(7)
        bl.addWidget(self.search_edit, 3)
        bl.addWidget(self.kind_box)
        bl.addWidget(self.site_box)
        bl.addWidget(self.group_box)
        bl.addWidget(QLabel("agree"))
        bl.addWidget(self.agree_min)
        bl.addWidget(QLabel("–"))
        bl.addWidget(self.agree_max)
        bl.addWidget(self.colour_box)
        self.filter_bar = bar
        self.search_edit.textChanged.connect(self._on_filter_changed)
        for b in (self.kind_box, self.site_box, self.group_box):
            b.currentIndexChanged.connect(self._on_filter_changed)
        lay.addWidget(bar)
        self.hints = QLabel()
        self.hints.setAccessibleName("Key hints")
        self.hints.hide()
        lay.addWidget(self.view, 1)
        lay.addWidget(self.hints)
        self.setCentralWidget(central)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea,
              name: str) -> QDockWidget:
        d = QDockWidget(title, self)
        d.setObjectName(name)
        d.setAccessibleName(f"{title} panel")
        d.setWidget(widget)
        self.addDockWidget(area, d)
        return d

    def _build_docks(self) -> None:
        self.sources_panel = SourcesPanel(lambda: self.project)
        self.sources_panel.background = self._read_in_background
        self.sources_panel.remove_asked.connect(self.remove_source)
        self.themes_list = ThemesList()
        self.themes_list.theme_focused.connect(self.view.zoom_to_theme)
        self.themes_list.themes_chosen.connect(self._on_themes_chosen)
        self.themes_list.theme_activated.connect(self._on_theme_activated)
        self.details_panel = DetailsPanel()
        self.details_panel.offer = self.offer          # asked for the card it shows
        self.details_panel.move_requested.connect(
            lambda ref, tid: self._guard(lambda: self._move_card_to(ref, tid)))
        self.details_panel.merge_requested.connect(     # the one worked on keeps its name
            lambda tid, other: self._guard(lambda: self.controller.merge_themes([tid, other])))
        self.details_panel.pin_requested.connect(
            lambda tid, on: self._guard(lambda: self.controller.pin_theme(tid, on)))
        self.details_panel.theme_requested.connect(self.view.zoom_to_theme)
        self.details_panel.cards_requested.connect(self.show_cards)
        self.history_view = QUndoView(self.undo_stack)
        self.history_view.setEmptyLabel("Project opened")
        self.history_view.setAccessibleName("History: click a step to go back to it")
        self.themes_dock = self._dock("Themes", self.themes_list, Qt.LeftDockWidgetArea,
                                      "themes_dock")
        self.sources_dock = self._dock("Sources", self.sources_panel, Qt.LeftDockWidgetArea,
                                       "sources_dock")
        self.details_dock = self._dock("Details", self.details_panel, Qt.RightDockWidgetArea,
                                       "details_dock")
        self.history_dock = self._dock("History", self.history_view, Qt.RightDockWidgetArea,
                                       "history_dock")
        self.docks = [self.themes_dock, self.sources_dock, self.details_dock, self.history_dock]
        self.votes_panel = None
        try:
            from .panels.votes import VotesPanel
            self.votes_panel = VotesPanel(lambda: self.project)
            self.votes_panel.background = self._read_in_background
            self.votes_panel.statement_chosen.connect(self._on_statement_chosen)
            self.votes_dock = self._dock("Votes", self.votes_panel, Qt.RightDockWidgetArea,
                                         "votes_dock")
            self.tabifyDockWidget(self.details_dock, self.votes_dock)
            self.docks.append(self.votes_dock)
        except ImportError:
            pass
        self.segments_panel = None
        try:
            from .panels.segments import SegmentsPanel
            self.segments_panel = SegmentsPanel(lambda: self.project)
            self.segments_panel.background = self._read_in_background
            self.segments_panel.run_operation = self.run_operation     # one undo step each
            if self.votes_panel is not None:
                self.votes_panel.statement_chosen.connect(self.segments_panel.show_statement)
                self.segments_panel.statement_chosen.connect(self.votes_panel.show_statement)
            # a statement picked from where a segment differs: its card on the board
            self.segments_panel.statement_chosen.connect(self._on_statement_chosen)
            # in a scroll area, as the coding panels: its define form must not make the
            # window wider or taller than a laptop's screen
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            scroll.setAccessibleName("Segments panel")
            scroll.setWidget(self.segments_panel)
            self.segments_dock = self._dock("Segments", scroll, Qt.RightDockWidgetArea,
                                            "segments_dock")
            self.tabifyDockWidget(self.votes_dock if self.votes_panel is not None
                                  else self.details_dock, self.segments_dock)
            self.docks.append(self.segments_dock)
        except ImportError:
            pass
        self.tabifyDockWidget(self.themes_dock, self.sources_dock)
        # History is looked at now and then: a tab beside Details, so the coding panels below
        # get half the height (a document to code is unusable in a strip)
        self.tabifyDockWidget(self.details_dock, self.history_dock)
        self.themes_dock.raise_()
        self.details_dock.raise_()
        self.coding_panels: list[Any] = []
        first_coding = self._add_coding_docks()
        for d in self.docks:
            d.setMinimumWidth(180)
        self.resizeDocks([self.themes_dock, self.details_dock], [260, 380], Qt.Horizontal)
        if first_coding is not None:
            self.resizeDocks([self.details_dock, first_coding], [450, 450], Qt.Vertical)
        self._views = self._make_views()    # every panel made: the views kept up to date

    def _add_coding_docks(self) -> QDockWidget | None:
        """The codebook, document, quotes and recommendations panels, when ui.coding exists:
        tabs of one dock group under Details; returns the first (None without them)."""
        try:
            from . import coding
        except ImportError:
            return None
        panels = getattr(coding, "PANELS", None)
        if panels is None:
            panels = []
            for name in ("CodebookPanel", "DocumentPanel", "DocumentViewer", "QuotesPanel",
                         "RecommendationsPanel"):
                cls = getattr(coding, name, None)
                if cls is not None:
                    panels.append((name.replace("Panel", "").replace("Viewer", ""), cls))
        first = None
        for entry in panels:
            title, cls = entry if isinstance(entry, tuple) else (entry.__name__, entry)
            try:
                panel = cls(lambda: self.project, self)
            except Exception as e:  # noqa: BLE001 - a broken panel must not stop the window
                self.notify.exception(e, f"opening the {title} panel")
                continue
            # in a scroll area: a wide panel must not force the window wider than a laptop
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            scroll.setAccessibleName(f"{title} panel")
            scroll.setWidget(panel)
            dock = self._dock(str(title), scroll, Qt.RightDockWidgetArea,
                              f"coding_{title}".replace(" ", "_").lower())
            if first is None:
                first = dock        # added below Details: its own group
            else:
                self.tabifyDockWidget(first, dock)
            if hasattr(panel, "codes_imported"):
                panel.codes_imported.connect(self.read_theme_names)
            if hasattr(panel, "reads"):
                panel.background = self._read_in_background
                panel.journal = lambda: self.journal
            self.coding_panels.append(panel)
            self.docks.append(dock)
        if first is not None:
            first.raise_()
        return first

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.summary_label = QLabel("No project open")
        self.summary_label.setAccessibleName("Project summary")
        self.selection_label = QLabel("")
        self.selection_label.setAccessibleName("Selection")
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setAccessibleName("Zoom")
        self.task_label = QLabel("")
        self.task_label.setAccessibleName("Background task")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress of the background task")
        self.progress.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the background task")
        self.cancel_button.clicked.connect(self.runner.cancel_all)
        for w in (self.task_label, self.progress, self.cancel_button):
            w.hide()
        sb.addWidget(self.summary_label, 1)
        sb.addWidget(self.selection_label)
        sb.addPermanentWidget(self.task_label)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)
        sb.addPermanentWidget(self.zoom_label)
