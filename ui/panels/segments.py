"""Segments panel: the segments the team defined ("line managers outside London") with their
size, defining one — by ticking values of a participant characteristic or by writing a rule —
and removing one, each through the project's undoable operations; and, for the statement chosen
in the Votes panel or on the board, its agreement per segment or per value of a characteristic
(department, region …): agree, disagree and pass as % of those who voted, n, and the small-n mark.

Every figure comes from ``synth.votes.segment_figures`` (``statement_figures``'s tallies and
half-up whole per cents), so a segment's "48 %" is the one the report's Segments section prints;
small n is the report's threshold (``synth.votes.small_n``), as in the Votes panel. ``read``
(no Qt) reads the segments and characteristics, and each characteristic's answers, kept until
participants or their characteristics change; a chosen statement's figures are one indexed query
of its votes, read when it is chosen; where a segment differs is read from every vote
(``VoteArrays``), kept until votes or statements change."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from synth.board import card_text
from synth.errors import UserError
from synth.operations import ChangeSet
from synth.votes.segment_figures import (AnswerGroups, Characteristic, Row, Segment,
                                         VoteArrays, characteristics, defined_segments,
                                         differences, gap_words, most_different,
                                         statement_rows)
from synth.votes.segment_lines import NONE_VOTED, none_compared
from synth.votes.segment_rules import every_answer
from synth.votes.segments import DefineSegment, RemoveSegment
from synth.votes.small_n import FLAG
from synth.words import plural

from .details import small_n_note
from .reading import ReadThenShow, out_of_sight
from .segment_form import SegmentForm

SMALL_N = 10        # until a project is read: then the report's threshold, a project setting
FONT_PT = 12        # read from the back of the room on the shared screen
NO_STATEMENT = "Choose a statement in the Votes panel or on the board to see its agreement here."
# short: the panel shares a narrow dock column with Votes and Details, at a size read from the
# back of the room; what they mean is in their tooltips and the caption above them
FIGURE_HEADERS = ["Segment", "Agree", "Disagree", "Pass", "n"]
FIGURE_TIPS = ["", "% agree of those who voted", "% disagree of those who voted",
               "% pass of those who voted", "How many voted on it (agree + disagree + pass); "
               f"{FLAG}: fewer than the report's small-n threshold"]


def percent_cell(row: Row, which: str) -> str:
    """As the report prints it: a whole per cent, half up ("—": nobody voted)."""
    pct = row.pct(which)
    return "—" if pct is None else f"{pct}%"


def n_cell(row: Row) -> str:
    """n, with the small-n mark beside it when too few voted."""
    return f"{row.tally.n:,}" + (f" {FLAG}" if row.flagged else "")


def _colour(label: QLabel, colour: str) -> None:
    # by palette, not a style sheet: a style sheet gives the label the application's font
    # back, smaller than the panel's
    palette = label.palette()
    palette.setColor(QPalette.WindowText, QColor(colour))
    label.setPalette(palette)


class SegmentsPanel(ReadThenShow, QWidget):
    statement_chosen = Signal(int)      # a statement picked from where a segment differs
    # the segments and who is in them, the characteristics, every vote (a statement's figures)
    # and the small-n threshold; and which statements are compared (where a segment differs)
    shows = {**{t: None for t in ("segments", "participants", "participant_attributes",
                                  "votes", "settings")},
             "statements": frozenset({"moderation", "is_meta"})}
    PEOPLE = frozenset({"participants", "participant_attributes"})
    VOTES = frozenset({"votes", "statements"})

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.project_provider = project_provider
        # the window's own ``run_operation`` (one undo step, its refusals on the notification
        # bar); alone, the project's history
        self.run_operation: Callable[[Any], Any] | None = None
        self.setAccessibleName("Segments")
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), FONT_PT))
        self.setFont(font)
        self.segments: list[Segment] = []
        self.characteristics: list[Characteristic] = []
        self.small_n = SMALL_N
        self.threshold = SMALL_N        # the report's: a segment is compared on this many votes
        self._chosen: int | None = None     # the statement the figures are for
        self._drawn: int | None = None      # … and the one they show now
        self._chosen_in: Any = None         # … and the project it is of
        # read once and kept until what they are read from changes (``note_changes``): each
        # characteristic's answers (a statement's figures by characteristic), every vote
        # (where a segment differs); a change adds one to its count, a reading is of a count
        self._people_seen = self._votes_seen = 0
        self._answers: dict[str, AnswerGroups] = {}
        self._answers_of = -1
        self._vote_arrays: tuple[int, VoteArrays] | None = None
        self.writable = False           # a project open, not read-only: segments can change

        self.list = QTableWidget(0, 3)
        self.list.setAccessibleName("Segments defined: select one to remove it")
        self.list.setHorizontalHeaderLabels(["Segment", "Participants", "Rule"])
        self._table_look(self.list, stretch=2)
        self.list.itemSelectionChanged.connect(self._on_segment_selected)
        self.remove_button = QPushButton("Remove segment")
        self.remove_button.setAccessibleName("Remove the selected segment")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._remove_selected)
        self.act_remove = QAction("Remove segment", self)
        self.act_remove.setShortcut(QKeySequence.StandardKey.Delete)
        self.act_remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_remove.triggered.connect(self._remove_selected)
        self.list.addAction(self.act_remove)
        self.differs_title = QLabel("Select a segment to see where it differs most from "
                                    "everyone else.")
        self.differs_title.setWordWrap(True)
        self.differs_title.setAccessibleName("Where the selected segment differs")
        self.differs = QListWidget()
        self.differs.setAccessibleName("Statements where the selected segment differs most: "
                                       "choose one to see its figures")
        self.differs.setWordWrap(True)
        self.differs.setAlternatingRowColors(True)      # where one statement ends
        self.differs.setSpacing(2)
        self.differs.itemActivated.connect(self._on_difference_chosen)
        self.differs.itemClicked.connect(self._on_difference_chosen)

        self.form = SegmentForm(project_provider)
        self.form.asked.connect(self._define)
        self.form.refused.connect(self._say)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Segments panel message")

        self.statement_label = QLabel(NO_STATEMENT)
        self.statement_label.setWordWrap(True)
        self.statement_label.setAccessibleName("Chosen statement")
        bold = QFont(self.font())
        bold.setBold(True)
        self.statement_label.setFont(bold)
        self.by_box = QComboBox()
        self.by_box.setAccessibleName("Agreement by segment or by characteristic")
        self.by_box.currentIndexChanged.connect(self._on_by_changed)
        self.figures = QTableWidget(0, len(FIGURE_HEADERS))
        self.figures.setAccessibleName("Agreement on the chosen statement")
        self.figures.setHorizontalHeaderLabels(FIGURE_HEADERS)
        for c, tip in enumerate(FIGURE_TIPS):
            self.figures.horizontalHeaderItem(c).setToolTip(tip)
        self._table_look(self.figures)
        self.caption = QLabel("% of those who voted on it, and n, how many voted")
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("What the figures are")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        _colour(self.note, "#8c5a00")
        self.note.setAccessibleName("What the small-n mark means")

        top = QHBoxLayout()
        top.addWidget(QLabel("Agreement"))
        top.addWidget(self.by_box, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.statement_label)
        lay.addLayout(top)
        lay.addWidget(self.caption)
        lay.addWidget(self.figures, 2)
        lay.addWidget(self.note)
        listed = QWidget()
        ll = QVBoxLayout(listed)
        ll.addWidget(self.list, 2)
        ll.addWidget(self.remove_button)
        ll.addWidget(self.differs_title)
        ll.addWidget(self.differs, 3)
        self.sections = QTabWidget()
        self.sections.setAccessibleName("Segments and defining one")
        self.sections.addTab(listed, "Segments")
        self.sections.addTab(self.form, "Define a segment")
        lay.addWidget(self.sections, 5)
        lay.addWidget(self.message)

    @staticmethod
    def _table_look(t: QTableWidget, stretch: int = 0) -> None:
        """Figures sized to their contents and the ``stretch`` column given the rest (a long
        name elided, whole in its tooltip): the figures are never behind a scroll bar in a
        dock beside the board."""
        t.setSelectionBehavior(QAbstractItemView.SelectRows)
        t.setSelectionMode(QAbstractItemView.SingleSelection)
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setWordWrap(False)
        t.verticalHeader().hide()
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.Stretch)

    # ------------------------------------------------------------------ reading
    @staticmethod
    def read(p: Any, answers: bool = True) -> dict:
        """Everything the panel shows of project ``p`` but a statement's figures (no Qt);
        ``answers``: and each characteristic's answers, grouped for those figures."""
        from exports.figures import FigureRegistry
        reg = FigureRegistry.for_project(p)
        data = {"segments": defined_segments(p), "characteristics": characteristics(p),
                "small_n": reg.flag_below, "threshold": reg.small_n,
                "read_only": bool(p.read_only)}
        if answers:
            data["answers"] = {name: AnswerGroups(values)
                               for name, values in every_answer(p).items()}
        return data

    def note_changes(self, changes: ChangeSet) -> None:
        tables = changes.tables()
        if not tables.isdisjoint(self.PEOPLE):
            self._people_seen += 1
        if not tables.isdisjoint(self.VOTES) and any(
                self.shows_change(c) for c in changes.changes if c.table in self.VOTES):
            self._votes_seen += 1
        super().note_changes(changes)

    def catch_up(self, everything: bool = False) -> bool:
        if everything:                  # another project, or read again from the file
            self._people_seen += 1
            self._votes_seen += 1
        return super().catch_up(everything)

    def read_now(self) -> None:
        seen = self._people_seen
        if self._answers_of == seen:
            self.reads.ask("", lambda p: self.read(p, answers=False), self.show)
        else:
            self.reads.ask("", lambda p: {**self.read(p), "people_seen": seen}, self.show)

    def show(self, data: dict | None) -> None:
        """Put what ``read`` returned on screen (None: no project)."""
        data = data or {"segments": [], "characteristics": [], "small_n": SMALL_N,
                        "threshold": SMALL_N, "read_only": True}
        self.segments = data["segments"]
        self.characteristics = data["characteristics"]
        if "answers" in data:
            self._answers, self._answers_of = data["answers"], data.get("people_seen", -1)
        if self.project_provider() is None:
            self._answers, self._answers_of, self._vote_arrays = {}, -1, None
        self.small_n, self.threshold = data["small_n"], data["threshold"]
        self.writable = not data["read_only"] and self.project_provider() is not None
        self.form.show_characteristics(self.characteristics, self.writable)
        self._fill_segments()
        self._fill_by()
        self._ask_differences()
        if self.project_provider() is None or self.project_provider() is not self._chosen_in:
            # no project, or another one: a statement id of the last one means nothing here
            self._chosen = self._drawn = self._chosen_in = None
            self._show_rows([], NO_STATEMENT)
        elif self._chosen is not None:
            self._show_chosen()

    def _fill_segments(self) -> None:
        chosen = self.selected_segment()
        self.list.blockSignals(True)        # ``show`` reads where the chosen one differs once
        self.list.clearSelection()
        self.list.setRowCount(len(self.segments))
        for i, s in enumerate(self.segments):
            size = f"{s.size:,}" + ("" if s.voters == s.size else f" ({s.voters:,} voted)")
            for c, text in enumerate((s.name, size, s.rule_text)):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{s.name}: {s.rule_text}"
                                + (f" ({s.rule_note})" if s.rule_note else ""))
                if c == 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.list.setItem(i, c, item)
            if s.name == chosen:
                self.list.selectRow(i)
        self.list.blockSignals(False)
        self.remove_button.setEnabled(self.selected_segment() is not None and self.writable)

    def _fill_by(self) -> None:
        box = self.by_box
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem("By segment", None)
        for c in self.characteristics:
            box.addItem(f"By {c.name}", c.name)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    # ------------------------------------------------------------------ a statement's figures
    def on_seen(self) -> None:
        stale = self.stale
        super().on_seen()
        if not stale and self._chosen != self._drawn and not self.waiting():
            self._show_chosen()

    def show_statement(self, statement_id: int) -> None:
        """Show one statement's agreement per segment (or characteristic). While the panel is
        out of sight, or a newer read is on its way, only remembered until then. Drawn already
        (the window says it again after every change): nothing, as Votes does; ``show``
        draws it anew when what it shows has changed."""
        sid, project = int(statement_id), self.project_provider()
        if sid == self._chosen == self._drawn and project is self._chosen_in:
            return
        self._chosen = sid
        self._chosen_in = project
        if not out_of_sight(self) and not self.stale and not self.waiting():
            self._show_chosen()

    def _on_by_changed(self, *_: Any) -> None:
        if self._chosen is not None:
            self._show_chosen()

    def _show_chosen(self) -> None:
        p, sid = self.project_provider(), self._chosen
        if p is None or sid is None:
            return
        self._drawn = sid
        by = self.by_box.currentData()
        rows = statement_rows(p, sid, self.small_n, segments=self.segments, characteristic=by,
                              answers=self._answers.get(by)
                              if self._answers_of == self._people_seen else None)
        self._show_rows(rows, card_text(p, ("statement", sid)),
                        "No segments yet: define one below, or choose a characteristic above."
                        if by is None and not self.segments else "")

    def _show_rows(self, rows: list[Row], title: str, empty: str = "") -> None:
        self.statement_label.setText(title)
        by = self.by_box.currentData()
        self.figures.horizontalHeaderItem(0).setText(by or "Segment")
        self.figures.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [r.label, percent_cell(r, "agree"), percent_cell(r, "disagree"),
                     percent_cell(r, "pass"), n_cell(r)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if r.flagged:
                    item.setToolTip(small_n_note(r.small_n))
                    if c == 4:
                        item.setForeground(QColor("#8c5a00"))
                if c == 0:      # the whole name, elided in a narrow dock
                    item.setToolTip(r.label + ("" if r.participants is None else
                                               f": {r.participants:,} participants"))
                if c == 0 and i == 0:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.figures.setItem(i, c, item)
        note = empty or (small_n_note(self.small_n) if any(r.flagged for r in rows) else "")
        self.note.setText(note)
        # a wrapped label is squeezed to one cut line between two tables: room for two
        self.note.setMinimumHeight(2 * self.note.fontMetrics().lineSpacing() + 4 if note else 0)
        self.layout().activate()

    # ------------------------------------------------------------------ changes
    def selected_segment(self) -> str | None:
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        if not rows:
            return None
        item = self.list.item(rows[0].row(), 0)
        return None if item is None else item.text()

    def _on_segment_selected(self) -> None:
        self.remove_button.setEnabled(self.selected_segment() is not None and self.writable)
        self._ask_differences()

    # ------------------------------------------------------------------ where a segment differs
    def _ask_differences(self) -> None:
        """Where the selected segment differs most, as the report lists it; every vote is
        read, on the window's reader over a big project."""
        name = self.selected_segment()
        segment = next((s for s in self.segments if s.name == name), None)
        if segment is None:
            self.reads.forget("differs")
            self._show_differences(None)
            return
        threshold = self.threshold
        seen, kept = self._votes_seen, self._vote_arrays
        votes = kept[1] if kept is not None and kept[0] == seen else None

        def read(p: Any) -> tuple:
            arrays = VoteArrays(p) if votes is None else votes
            return (segment, threshold, most_different(differences(p, segment, threshold,
                                                                   votes=arrays)),
                    (seen, arrays))
        self.differs_title.setText(f"Reading where “{segment.name}” differs…")
        self.differs.clear()
        self.reads.ask("differs", read, self._show_differences)

    def _show_differences(self, answer: tuple | None) -> None:
        self.differs.clear()
        if answer is None:
            self.differs_title.setText("Select a segment to see where it differs most from "
                                       "everyone else.")
            return
        segment, threshold, diffs, arrays = answer
        if arrays[0] == self._votes_seen:
            self._vote_arrays = arrays          # every vote, for the next segment selected
        need = max(threshold, 1)
        if not segment.voters:
            self.differs_title.setText(
                f"“{segment.name}”: {plural(segment.size, 'participant')}. {NONE_VOTED}")
            return
        if not diffs:
            self.differs_title.setText(f"“{segment.name}”: {none_compared(need)}")
            return
        self.differs_title.setText(
            f"Where “{segment.name}” differs most from everyone else (% agree of those who "
            f"voted, each side at least {need} votes):")
        p = self.project_provider()
        for d in diffs:
            text = card_text(p, ("statement", d.statement_id)) if p is not None else ""
            item = QListWidgetItem(f"“{text}”\n{d.segment.whole_pct()}% vs "
                                   f"{d.rest.whole_pct()}% (n = {d.segment.n:,} / "
                                   f"{d.rest.n:,}): {gap_words(d)}")
            item.setData(Qt.UserRole, d.statement_id)
            self.differs.addItem(item)

    def _on_difference_chosen(self, item: QListWidgetItem) -> None:
        sid = item.data(Qt.UserRole)
        if sid is not None:
            self.show_statement(int(sid))
            self.statement_chosen.emit(int(sid))

    def _define(self, name: str, rule: dict) -> None:
        if not self._apply(DefineSegment(name, rule)):
            return
        self.form.clear()
        s = next((s for s in self.segments if s.name == name), None)
        self._say(f"Defined “{name}”" + (f": {s.size:,} participants" if s else "")
                  + ". Edit → Undo takes it back.", error=False)
        self.sections.setCurrentIndex(0)        # the new segment, selected, in its list
        for i in range(self.list.rowCount()):
            if self.list.item(i, 0).text() == name:
                self.list.selectRow(i)

    def _remove_selected(self) -> None:
        name = self.selected_segment()
        if name is None:
            return
        if self._apply(RemoveSegment(name)):
            self._say(f"Removed “{name}”. Edit → Undo brings it back.", error=False)

    def _apply(self, operation: Any) -> bool:
        """One operation, one undo step; the panel shows its result on return. False when it
        was refused (the reason said here, or by the window's ``run_operation``)."""
        p = self.project_provider()
        if p is None:
            self._say("Open a project first.")
            return False
        if p.read_only:
            self._say("This project is open read-only.")
            return False
        made: list[Any] = []
        p.history.listeners.append(made.append)
        try:
            (self.run_operation or p.history.apply)(operation)
        except UserError as e:
            self._say(f"Not done: {e}.")
            return False
        finally:
            p.history.listeners.remove(made.append)
        for changes in made:
            self.note_changes(changes)
        self.catch_up()
        return bool(made)

    def _say(self, text: str, error: bool = True) -> None:
        _colour(self.message, "#a01c12" if error else "#1d5e2c")
        self.message.setText(text)
