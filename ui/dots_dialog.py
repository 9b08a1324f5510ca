"""Analysis → Dot vote results…: what the room prioritised. The themes that received dots,
ranked (``synth.board.dot_results``), each with its dots and how many people gave them; Show on
board selects a theme and brings it into view; Copy puts the ranking on the clipboard as a
table (tab-separated, so it pastes into Word or a spreadsheet as rows and columns); Clear all
dots starts a second round from none, as one step that Undo takes back."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QDialogButtonBox,
                               QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from synth.board import ClearDots, dot_results, dot_totals
from synth.words import plural

from .board import asking

COLUMNS = ("Rank", "Theme", "Dots", "People")     # as the report's table


def _ask_clear(parent: QWidget | None, text: str) -> bool:
    return asking.ask_destructive(parent, "Clear all dots", text, "Clear dots")


# The question itself (tests put an answer here instead of a modal box).
ask_clear: Callable[[QWidget | None, str], bool] = _ask_clear


def summary(results: list) -> str:
    """"12 dots from 4 people on 5 themes." (or why there is nothing to show)."""
    if not results:
        return ("No dots yet. In presentation mode (F5) each person types their name and "
                "presses D on a theme to give it a dot.")
    dots, people = dot_totals(results)
    return (f"{plural(dots, 'dot')} from {plural(people, 'person', 'people')} on "
            f"{plural(len(results), 'theme')}.")


class DotsDialog(QDialog):
    def __init__(self, project: Any, parent: QWidget | None = None,
                 run_operation: Callable[[Any], Any] | None = None,
                 show_theme: Callable[[int], None] | None = None,
                 tell: Callable[[str], None] | None = None) -> None:
        """``run_operation(op)``: the window's (an undo step); ``show_theme(id)``: select the
        theme on the board and bring it into view; ``tell(news)``: the window's notification
        bar, where a clear says how to take it back once the dialog has closed."""
        super().__init__(parent)
        self.project = project
        self.run_operation = run_operation
        self.show_theme = show_theme
        self.tell = tell
        self.setWindowTitle("Dot vote results")
        self.setAccessibleName("Dot vote results dialog")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Themes ranked by dots")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c in (0, 2, 3):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda _item: self._show())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_button = QPushButton("&Show on board")
        self.copy_button = QPushButton("&Copy table")
        self.clear_button = QPushButton("Clear &all dots…")
        self.clear_button.setToolTip("Start a new round of dot voting from no dots "
                                     "(Undo brings these back)")
        for b in (self.show_button, self.copy_button, self.clear_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button.clicked.connect(self._show)
        self.copy_button.clicked.connect(self.copy)
        self.clear_button.clicked.connect(self.clear)
        buttons.rejected.connect(self.reject)
        # the report ranks only the themes it reports, so its table can differ (QA)
        self.report_note = QLabel("The Word report ranks only the themes it reports (the "
                                  "accepted ones, once any is accepted), a sub-theme's dots "
                                  "counting for its theme.")
        self.report_note.setWordWrap(True)
        self.report_note.setStyleSheet("color: #595959")
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table)
        lay.addWidget(self.report_note)
        lay.addWidget(buttons)
        self.resize(560, 420)
        self.results: list = []
        self.refresh()

    def refresh(self) -> None:
        self.results = dot_results(self.project)
        self.summary.setText(summary(self.results))
        self.table.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            cells = (str(r.rank), r.name, str(r.dots), str(len(r.voters)))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 3:
                    item.setToolTip(", ".join(r.voters))
                item.setData(Qt.ItemDataRole.UserRole, r.theme_id)
                self.table.setItem(row, col, item)
        if self.results:
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = bool(self.results)
        self.show_button.setEnabled(has and self.show_theme is not None
                                    and self.table.currentRow() >= 0)
        self.copy_button.setEnabled(has)
        self.clear_button.setEnabled(has and self.run_operation is not None
                                     and not self.project.read_only)

    def selected_theme(self) -> int | None:
        row = self.table.currentRow()
        return self.results[row].theme_id if 0 <= row < len(self.results) else None

    def _show(self) -> None:
        theme = self.selected_theme()
        if theme is not None and self.show_theme is not None:
            self.show_theme(theme)

    def as_table(self) -> str:
        """The ranking as tab-separated rows with a header, voters' names left out (a table
        pasted into a report says how many, not who)."""
        lines = ["\t".join(COLUMNS)]
        lines += [f"{r.rank}\t{r.name}\t{r.dots}\t{len(r.voters)}" for r in self.results]
        return "\n".join(lines) + "\n"

    def copy(self) -> None:
        QApplication.clipboard().setText(self.as_table())

    def clear(self) -> None:
        if not self.results or self.run_operation is None:
            return
        dots = sum(r.dots for r in self.results)
        themes = plural(len(self.results), "theme")
        text = (f"Take all {plural(dots, 'dot')} off the {themes} to start a new round? Copy "
                "the table first to keep this round's ranking. Edit → Undo (Ctrl+Z) brings the "
                "dots back.")
        if not ask_clear(self, text):
            return
        self.run_operation(ClearDots())
        self.refresh()
        if not self.results:    # cleared: the board is where Ctrl+Z works (QA: not in here)
            if self.tell is not None:
                self.tell(f"Cleared {plural(dots, 'dot')} from {themes} for a new round of "
                          "dot voting. Ctrl+Z brings them back.")
            self.accept()
