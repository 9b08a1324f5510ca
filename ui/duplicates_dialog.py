"""Analysis → Near-duplicate statements…: the pairs of statements (or of any cards) that say
nearly the same thing, most similar first, each statement with its agreement and each pair with
how alike it was voted (``synth.themes.duplicates``). A researcher judges them; "Show on board"
selects the pair's two cards and brings them into view. The dialog only reads the project, from
the vectors already cached (it never embeds: Find candidate themes does)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from synth.board import CardRef
from synth.themes.pair_context import card_themes, debate_comments

from .panels.reading import Reads
from .panels.votes import agree_text

KINDS = (("Statements", ("statement",)),
         ("All cards (statements, notes, passages)", ("statement", "note", "passage")))
# a moderator removing duplicates asks where each card lies (a pair split between two themes
# is two themes to look at) and which Pol.is comment each is, to moderate it there (QA)
COLUMNS = ("Similarity", "Card", "Card", "Themes", "Voted alike")
UNSORTED = "Unsorted"


ON_WORKER = 2000     # cards above which the comparison (it grows with their square) runs
#                      on the window's reader: 10,000 statements take about a second here


def read_pairs(project: Any, threshold: float, kinds: tuple[str, ...],
               cancelled: Callable[[], bool] | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """What the dialog shows, read in one go (on the window's reader over a big project):
    the pairs, each card's text and kind, each statement's overall figures."""
    from synth import board
    from synth.themes.duplicates import near_duplicates
    from synth.themes.embeddings import NotCached
    from exports.figures import FigureRegistry
    from synth.votes.statement_figures import statement_tallies
    try:
        pairs = near_duplicates(project, threshold=threshold, kinds=kinds, cached_only=True,
                                cancelled=cancelled, progress=progress)
    except NotCached:
        return {"pairs": None}
    refs = {r for p in pairs for r in (p.a, p.b)}
    texts = {r: board.card_text(project, r) for r in refs}    # not every card read again
    sids = [r[1] for r in refs if r[0] == "statement"]
    figures = statement_tallies(project, sids)
    return {"pairs": pairs, "texts": texts, "themes": card_themes(project, refs),
            "comments": debate_comments(project, sids),
            "figures": {sid: f.overall for sid, f in figures.items() if f.known},
            "small_n": FigureRegistry.for_project(project).flag_below}    # as the votes panel


def themes_text(a: str | None, b: str | None) -> str:
    """The Themes cell: one line when both lie in one theme, else the first card's above the
    second's."""
    a, b = a or UNSORTED, b or UNSORTED
    return f"Both: {a}" if a == b else f"1: {a}\n2: {b}"


class DuplicatesDialog(QDialog):
    # how far a comparison on a worker has come (texts compared, of how many): a signal, so
    # the worker's calls reach the label on the GUI thread
    progressed = Signal(int, int, int)      # the comparison's generation, done, total

    def __init__(self, project: Any, parent: QWidget | None = None, background: Any = None,
                 show_cards: Callable[[list[CardRef]], None] | None = None) -> None:
        """``background``: the window's reader (None: read here). ``show_cards(refs)``: select
        the cards on the board and bring them into view."""
        super().__init__(parent)
        self.project, self.background, self.show_cards = project, background, show_cards
        self.reads = Reads(lambda: self.project, lambda: self.background)
        self.pairs: list[Any] = []
        self._generation = 0        # the comparison wanted now; an older one on a worker stops
        self.progressed.connect(self._on_progressed)
        self.setWindowTitle("Near-duplicate statements")
        self.setAccessibleName("Near-duplicate statements dialog")
        lay = QVBoxLayout(self)
        intro = QLabel(
            "Pairs that say nearly the same thing, most similar first. Duplicates split a "
            "debate's votes between two cards. Two statements that take opposite sides of one "
            "subject can read as similar too: “voted alike” tells them apart (of those who "
            "agreed or disagreed with both, the share who voted the same way on both).")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Which cards to compare")
        for label, kinds in KINDS:
            self.kind_combo.addItem(label, kinds)
        self.threshold_spin = QDoubleSpinBox()
        self.threshold_spin.setRange(0.5, 0.99)
        self.threshold_spin.setSingleStep(0.01)
        self.threshold_spin.setDecimals(2)
        from synth.themes.duplicates import THRESHOLD
        self.threshold_spin.setValue(THRESHOLD)
        self.threshold_spin.setAccessibleName("Least similarity listed")
        rl.addWidget(QLabel("Compare:"))
        rl.addWidget(self.kind_combo, 1)
        rl.addWidget(QLabel("at least"))
        rl.addWidget(self.threshold_spin)
        rl.addWidget(QLabel("similar"))
        lay.addWidget(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Near-duplicate pairs")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.Stretch)
        head.setSectionResizeMode(2, QHeaderView.Stretch)
        head.setSectionResizeMode(3, QHeaderView.Interactive)
        head.resizeSection(3, 200)
        head.setSectionResizeMode(4, QHeaderView.ResizeToContents)
        self.table.horizontalHeaderItem(3).setToolTip(
            "The theme each card lies in on the board: 1 the first card's, 2 the second's")
        self.table.itemDoubleClicked.connect(lambda _item: self.show_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.show_button = QPushButton("&Show on board")
        self.show_button.setAccessibleName("Show the pair on the board")
        self.show_button.clicked.connect(self.show_selected)
        buttons.addButton(self.show_button, QDialogButtonBox.ActionRole)
        self.show_button.setDefault(True)       # Enter on a pair shows it
        buttons.button(QDialogButtonBox.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        # arrow clicks and typed digits come quickly: compare once they pause
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(250)
        self._pause.timeout.connect(self.refresh)
        self.threshold_spin.valueChanged.connect(self._on_threshold)
        self.resize(900, 520)
        self.refresh()

    def refresh(self) -> None:
        threshold, kinds = round(self.threshold_spin.value(), 2), self.kind_combo.currentData()
        self._generation += 1
        generation = self._generation
        self.status.setText("Comparing…")
        self.reads.ask("pairs", lambda p: read_pairs(
            p, threshold, kinds, cancelled=lambda: generation != self._generation,
            progress=lambda done, total, _m: self.progressed.emit(generation, done, total)),
            self._show, failed=self._failed)

    def _on_progressed(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation and self.reads.waiting("pairs") and total:
            self.status.setText(f"Comparing… {100 * done // total} % of {total:,} texts")

    def _on_threshold(self, _value: float) -> None:
        self.status.setText("Comparing…")
        self._pause.start()

    def _failed(self, error: BaseException) -> None:
        self.table.setRowCount(0)
        self.pairs = []
        self.status.setText(f"Could not compare the texts: {error}")
        self._update_buttons()

    def done(self, result: int) -> None:
        """Closed: a comparison still on its way is stopped and its answer dropped."""
        self._pause.stop()
        self._generation += 1
        self.reads.forget("pairs")
        super().done(result)

    def _show(self, data: dict[str, Any] | None) -> None:
        self.table.setRowCount(0)
        self.pairs = []
        if data is None:
            self.status.setText("No project is open.")
        elif data["pairs"] is None:
            self.status.setText("Some of these cards have not been embedded yet: run Analysis → "
                                "Find candidate themes first (it embeds every card).")
        else:
            self.pairs = data["pairs"]
            self._fill(data)
            n = len(self.pairs)
            self.status.setText(
                "No pair is this similar." if not n else
                f"{n} pair{'s' if n != 1 else ''}, most similar first. Double-click a pair to "
                "see it on the board.")
        self._update_buttons()

    def _fill(self, data: dict[str, Any]) -> None:
        self.table.setRowCount(len(self.pairs))
        themes = data.get("themes", {})
        for row, pair in enumerate(self.pairs):
            cells = [f"{pair.similarity:.2f}", self._card_text(pair.a, data),
                     self._card_text(pair.b, data),
                     themes_text(themes.get(pair.a), themes.get(pair.b)),
                     "–" if pair.alike is None or pair.alike.pct is None else
                     f"{pair.alike.pct} % of {pair.alike.both}"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment((Qt.AlignRight if col in (0, 4) else Qt.AlignLeft)
                                      | Qt.AlignTop)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()

    def places_changed(self) -> None:
        """Cards moved, or a move undone: the Themes column says where the shown pairs' cards
        lie now (review: it kept saying where they lay when compared). Nothing is compared
        again."""
        refs = {r for p in self.pairs for r in (p.a, p.b)}
        if refs:
            self.reads.ask("themes", lambda p: card_themes(p, refs), self._show_themes)

    def _show_themes(self, themes: dict[CardRef, str] | None) -> None:
        if themes is None:
            return
        for row, pair in enumerate(self.pairs[:self.table.rowCount()]):
            item = self.table.item(row, 3)
            if item is not None:
                item.setText(themes_text(themes.get(pair.a), themes.get(pair.b)))

    @staticmethod
    def _card_text(ref: CardRef, data: dict[str, Any]) -> str:
        text = data["texts"].get(ref, "")
        if ref[0] != "statement":
            return f"{text}\n({ref[0]})"
        tally = data["figures"].get(ref[1])
        # S12: statement 12 of the project, as the report's annex refers to it; the comment's
        # id is the one Pol.is moderates by
        said = [f"S{ref[1]}"]
        comment = data.get("comments", {}).get(ref[1])
        if comment is not None:
            said.append(f"comment {comment}")
        return f"{text}\n({' · '.join(said)}" + (
            f": {agree_text(tally, data['small_n'])})" if tally else ")")

    def selected_pair(self) -> Any:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.pairs[rows.pop()] if len(rows) == 1 else None

    def show_selected(self) -> None:
        pair = self.selected_pair()
        if pair is not None and self.show_cards is not None:
            self.show_cards([pair.a, pair.b])

    def _update_buttons(self) -> None:
        self.show_button.setEnabled(self.selected_pair() is not None
                                    and self.show_cards is not None)
