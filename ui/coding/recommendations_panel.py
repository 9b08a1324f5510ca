"""The recommendations panel: for one theme, its two summaries with the evidence they cite and
its numbered recommendations, each with title, text, evidence and a live strength indicator.
Board cards (and anything carrying ``application/x-synth-cards``) dropped on an evidence list
are linked as evidence in one undoable step. The summaries, titles and texts write themselves
as the researcher types (``autosave``): there is nothing to save."""
from __future__ import annotations

from html import escape
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from coding.codebook import flat_codes
from coding.evidence import EvidenceItem, LinkEvidence, UnlinkEvidence, evidence
from coding.recommendations import (AddRecommendation, DeleteRecommendation,
                                    MoveRecommendation, SetThemeSummary, UpdateRecommendation,
                                    recommendations, theme_numbers)
from coding.strength import Strength, strength
from exports.figures import FLAG, SMALL_N_DEFAULT, FigureRegistry
from synth.operations import RowChange
from synth.votes.group_names import GroupNames
from synth.votes.small_n import few_voted
from synth.votes.statement_figures import Tally, groups_in_use
from synth.words import plural

from ..flow_layout import FlowLayout
from ..panels.details import small_n_note
from .common import CARDS_MIME, PanelBase, column_reader, refs_from_mime
from .report_numbers import DRAFT, DRAFT_TIP, recommendation_numbers

ID_ROLE = Qt.UserRole + 1
LEVEL_COLOURS = {"strong": "#1b7837", "moderate": "#8c6d00", "weak": "#b35806",
                 "none": "#b00020"}


def small(t: Tally, small_n: int) -> bool:
    """A figure too few voted for, as the Votes panel, Details and the report mark it."""
    return few_voted(t.n, small_n)


def evidence_label(e: EvidenceItem, small_n: int = SMALL_N_DEFAULT,
                   names: GroupNames | None = None) -> str:
    """One line of evidence; a statement's figures as the report prints them (whole per cents,
    half up) with its small-n mark (``small_n``: the project's ``flag_below``, 0 for none), each
    group named as the Votes panel names it ("Group A", "Group A (Debate 1)": ``names``, the
    short names of every group in use; without them the group's own name)."""
    text = e.text if len(e.text) <= 140 else e.text[:137] + "…"
    o = e.origin
    if e.item_kind == "quote":
        return f"Quote: “{text}” — {e.attribution or 'no attribution'}"
    if e.figures is not None:
        f = e.figures

        def pct(t: Tally) -> str:
            return f"{t.whole_pct()} %{FLAG if small(t, small_n) else ''}"
        head = ("no votes" if not f.overall.n else
                f"{pct(f.overall)} agree of {f.overall.n} who voted")
        def name(label: str) -> str:
            return names.short(f"Group {label}") if names is not None else f"Group {label}"
        groups = " · ".join(f"{name(g)} {pct(t)} (n {t.n})" for g, t in
                            sorted(f.groups.items()) if t.n)
        return f"Statement: “{text}” — {head}" + (f"; {groups}" if groups else "")
    where = o.site if o and o.site else (o.source_name if o else "")
    return f"{e.item_kind.capitalize()}{f' ({where})' if where else ''}: {text}"


def strength_text(s: Strength) -> str:
    """The strength as rich text for a QLabel: every word from the project (a warning quotes a
    statement, a city is typed at import) is escaped, so "a < b" or "<b>x</b> & y" reads as
    typed instead of breaking the label or turning into markup."""
    parts = [f"<b style='color:{LEVEL_COLOURS[s.level]}'>{s.level.capitalize()}</b>: "
             f"{plural(s.items, 'item')}"]
    if s.items:
        parts.append(plural(s.sources, "source"))
        if s.cities:
            parts.append(escape(", ".join(s.cities)))
        if s.debate_items:
            parts.append(f"{s.participants_voted} participants voted")
        if s.agreement:
            parts.append(escape(s.agreement))
    html = " · ".join(parts) + f"<br><span style='color:#555'>{escape(s.reason)}</span>"
    for w in s.warnings:
        html += f"<br><span style='color:#b35806'>⚠ {escape(w.message)}</span>"
    return html


class EvidenceList(QListWidget):
    """A list of evidence that accepts drops of cards."""
    dropped = Signal(list, int)            # [(kind, id)], row to insert at
    remove_requested = Signal()            # Delete pressed: unlink this list's selection

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DropOnly)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.setToolTip("Drag cards from the board here (or select them on the board and "
                        "press E) to link them as evidence; Delete removes the selected")

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.selectedItems():
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(CARDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(CARDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        refs = refs_from_mime(event.mimeData())
        if not refs:
            event.ignore()
            return
        item = self.itemAt(event.position().toPoint())
        row = self.row(item) if item is not None else self.count()
        event.setDropAction(Qt.CopyAction)
        event.accept()
        self.dropped.emit(refs, row)

    def selected_evidence_ids(self) -> list[int]:
        return [int(i.data(ID_ROLE)) for i in self.selectedItems()]


class RecommendationsPanel(PanelBase):
    # the themes (numbered names, summaries), the recommendations, the evidence with the words
    # and vote figures of what it cites, and the strength of the theme shown, which counts
    # its cards too (see ``shows_change``)
    shows = {"themes": frozenset({"parent_id", "name", "position", "status", "summary_shared",
                                  "summary_want"}),
             "recommendations": None, "evidence": None, "card_places": frozenset({"theme_id"}),
             "quotes": frozenset({"item_kind", "item_id", "start", "end", "attribution"}),
             "statements": None, "notes": frozenset({"text", "source_id", "site"}),
             "passages": frozenset({"document_id", "start", "end"}),
             "codings": frozenset({"document_id", "start", "end"}),
             "documents": frozenset({"text", "source_id", "site"}), "sources": None,
             "votes": None, "participants": None, "group_members": None,
             "analysis_runs": None, "settings": None}     # settings: the small-n threshold

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(project_provider, parent)
        self.small_n = SMALL_N_DEFAULT      # the project's rule once read (``refresh``)
        self.group_names: GroupNames | None = None  # the groups' names as the Votes panel's
        self.theme_box = QComboBox()
        self.theme_box.setAccessibleName("Theme")
        self.theme_box.currentIndexChanged.connect(lambda _i: self._show_theme())
        self.theme_strength = QLabel()
        self.theme_strength.setWordWrap(True)
        self.theme_strength.setAccessibleName("Strength of the theme's evidence")

        # summaries with the evidence they cite
        self.shared_edit = QPlainTextEdit()
        self.shared_edit.setAccessibleName("What participants shared")
        self.want_edit = QPlainTextEdit()
        self.want_edit.setAccessibleName("What participants want to see")
        for e in (self.shared_edit, self.want_edit):
            e.setMaximumHeight(90)
        self.shared_evidence = EvidenceList("Evidence for what participants shared")
        self.want_evidence = EvidenceList("Evidence for what participants want to see")
        self.shared_evidence.dropped.connect(lambda refs, row: self.link_to_theme(refs, "shared",
                                                                                  row))
        for lst in (self.shared_evidence, self.want_evidence):
            lst.setMaximumHeight(130)
        self.want_evidence.dropped.connect(lambda refs, row: self.link_to_theme(refs, "want",
                                                                                row))
        self.shared_field = self.autosave(
            self.shared_edit, lambda tid, text: self.write(SetThemeSummary(tid, shared=text)),
            name="theme-summary-shared", read=column_reader("themes", "summary_shared"))
        self.want_field = self.autosave(
            self.want_edit, lambda tid, text: self.write(SetThemeSummary(tid, want=text)),
            name="theme-summary-want", read=column_reader("themes", "summary_want"))
        summaries = QGroupBox("Theme summaries")
        sf = QFormLayout(summaries)
        # each label over its field: beside it, the labels made the panel wider than its dock
        # (it scrolled sideways) and left the summaries a narrow strip
        sf.setRowWrapPolicy(QFormLayout.WrapAllRows)
        sf.addRow("What participants shared", self.shared_edit)
        sf.addRow("", self.shared_evidence)
        sf.addRow("What they want to see", self.want_edit)
        sf.addRow("", self.want_evidence)

        # recommendations
        self.rec_list = QListWidget()
        self.rec_list.setAccessibleName("Recommendations, numbered")
        self.rec_list.currentItemChanged.connect(lambda *_: self._show_recommendation())
        buttons = FlowLayout()      # on more rows when the dock is narrow, each text whole
        self.buttons: list[QPushButton] = []
        for text, slot, name in (("Add", self.add_recommendation, "Add a recommendation"),
                                 ("Up", lambda: self.move_current(-1), "Move up"),
                                 ("Down", lambda: self.move_current(1), "Move down"),
                                 ("Delete", self.delete_current, "Delete the recommendation")):
            b = QPushButton(text)
            b.setAccessibleName(name)
            b.clicked.connect(slot)
            buttons.addWidget(b)
            self.buttons.append(b)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Recommendation title")
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName("Recommendation text")
        self.text_edit.setMaximumHeight(90)
        self.title_field = self.autosave(self.title_edit, self._write_title,
                                         normalise=lambda t: t.strip() or "New recommendation",
                                         name="recommendation-title",
                                         read=column_reader("recommendations", "title"))
        self.text_field = self.autosave(
            self.text_edit, lambda rid, text: self.write(UpdateRecommendation(rid, text=text)),
            name="recommendation-text", read=column_reader("recommendations", "text"))
        self.evidence_list = EvidenceList("Evidence for the recommendation")
        self.evidence_list.dropped.connect(self.link_to_recommendation)
        for lst in (self.shared_evidence, self.want_evidence, self.evidence_list):
            lst.remove_requested.connect(lambda lst=lst: self.remove_selected_evidence(lst))
        remove = QPushButton("Remove selected evidence")
        remove.setAccessibleName("Remove the selected evidence")
        remove.clicked.connect(lambda: self.remove_selected_evidence(self.evidence_list))
        self.rec_strength = QLabel()
        self.rec_strength.setWordWrap(True)
        self.rec_strength.setAccessibleName("Strength of the recommendation's evidence")
        recs = QGroupBox("Recommendations")
        rl = QVBoxLayout(recs)
        rl.addWidget(self.rec_list)
        rl.addLayout(buttons)
        rl.addWidget(self.title_edit)
        rl.addWidget(self.text_edit)
        rl.addWidget(QLabel("Evidence (drop cards here)"))
        rl.addWidget(self.evidence_list)
        rl.addWidget(remove)
        rl.addWidget(self.rec_strength)

        # no scroll area of its own: the window puts every coding panel in one (its dock's),
        # and a second inside it showed two vertical scroll bars at 1366 × 768
        layout = QVBoxLayout(self)
        layout.addWidget(self.theme_box)
        layout.addWidget(self.theme_strength)
        layout.addWidget(summaries)
        layout.addWidget(recs)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.refresh()

    # ---------------------------------------------------------------- reading
    def theme_id(self) -> int | None:
        v = self.theme_box.currentData()
        return None if v is None else int(v)

    def recommendation_id(self) -> int | None:
        item = self.rec_list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def show_theme(self, theme_id: int) -> None:
        self.up_to_date()
        i = self.theme_box.findData(theme_id)
        if i >= 0:
            self.theme_box.setCurrentIndex(i)

    def shown_target(self) -> tuple[str, int] | None:
        """The recommendation shown, as cards linked from the board name it."""
        rid = self.recommendation_id()
        return None if rid is None else ("recommendation", rid)

    def show_target(self, target: tuple[str, int]) -> None:
        """Show a recommendation (its theme, it chosen) or a theme's summaries."""
        kind, key = target
        if kind != "recommendation":
            self.show_theme(key)
            return
        self.up_to_date()
        tid = self.project.scalar("SELECT theme_id FROM recommendations WHERE id = ?", (key,))
        if tid is None:
            return
        self.show_theme(tid)
        for i in range(self.rec_list.count()):
            if self.rec_list.item(i).data(ID_ROLE) == key:
                self.rec_list.setCurrentRow(i)

    def shows_change(self, change: RowChange) -> bool:
        if change.table == "card_places":       # only the shown theme's cards count here
            tid = self.theme_id()
            before, after = ((image or {}).get("theme_id") for image in (change.before,
                                                                          change.after))
            return tid is not None and before != after and tid in (before, after)
        return super().shows_change(change)

    def refresh(self) -> None:
        project, current = self.project, self.theme_id()
        # the groups named as the Votes panel names them, from every group in use (a debate's
        # short name, "Debate 2", must be the same debate there and here): read here, as groups
        # change only by changes the panel follows, not at each drawing (every participant's
        # group: 14 ms a read on Bowling Green, twice a theme drawn)
        self.group_names = None if project is None else GroupNames.of(groups_in_use(project))
        self.theme_box.blockSignals(True)
        self.theme_box.clear()
        if project is not None:
            numbers = theme_numbers(project)
            for code in flat_codes(project):
                indent = "    " if code.parent_id is not None else ""
                number = numbers.get(code.id) if code.parent_id is None else ""
                self.theme_box.addItem(f"{indent}{number + ' ' if number else ''}{code.name}",
                                       code.id)
        i = self.theme_box.findData(current) if current is not None else 0
        self.theme_box.setCurrentIndex(max(i, 0))
        self.theme_box.blockSignals(False)
        self._show_theme()

    def _read_small_n(self) -> None:
        """The mark on a figure few voted for follows the project's rule, as Votes and Details
        do; read at every drawing of the evidence (two settings), as the export dialog changes
        the rule without a change the panels follow."""
        project = self.project
        self.small_n = SMALL_N_DEFAULT if project is None else \
            FigureRegistry.for_project(project).flag_below

    def _show_theme(self) -> None:
        project, tid = self.project, self.theme_id()
        self._read_small_n()
        rec = self.recommendation_id()
        self.rec_list.blockSignals(True)
        self.rec_list.clear()
        for lst in (self.shared_evidence, self.want_evidence):
            lst.clear()
        if project is None or tid is None:
            self.shared_field.load(None, "")
            self.want_field.load(None, "")
            self.theme_strength.setText("")
            self.reads.forget("theme")
            self.rec_list.blockSignals(False)
            self._show_recommendation()
            return
        row = project.query("SELECT summary_shared, summary_want FROM themes WHERE id = ?",
                            (tid,))[0]
        self.shared_field.load(tid, row[0])
        self.want_field.load(tid, row[1])
        for e in evidence(project, theme_id=tid):
            target = self.shared_evidence if e.role == "shared" else \
                self.want_evidence if e.role == "want" else None
            if target is not None:
                self._add_evidence_item(target, e)
        self._show_strength(self.theme_strength, "theme", theme_id=tid)
        recs = recommendations(project, tid, subtree=False)
        numbers = recommendation_numbers(recs)     # as the report prints them
        for r in recs:
            item = QListWidgetItem(f"{numbers[r.id]}  {r.title}")
            item.setData(ID_ROLE, r.id)
            if numbers[r.id] == DRAFT:
                item.setToolTip(DRAFT_TIP)
            self.rec_list.addItem(item)
            if r.id == rec:
                self.rec_list.setCurrentItem(item)
        if self.rec_list.currentItem() is None and self.rec_list.count():
            self.rec_list.setCurrentRow(0)
        self.rec_list.blockSignals(False)
        self._show_recommendation()

    def _add_evidence_item(self, target: QListWidget, e: EvidenceItem) -> None:
        item = QListWidgetItem(evidence_label(e, self.small_n, self.group_names))
        item.setData(ID_ROLE, e.id)
        f = e.figures
        marked = f is not None and any(small(t, self.small_n)
                                       for t in (f.overall, *f.groups.values()))
        # a short debate name ("Group A (Debate 1)") with the whole one it stands for
        legend = [] if f is None or self.group_names is None else \
            self.group_names.legend(f"Group {g}" for g in f.groups)
        item.setToolTip(e.text + (f"\n\n{small_n_note(self.small_n)}" if marked else "")
                        + "".join(f"\n{line}" for line in legend))
        target.addItem(item)

    def _show_recommendation(self) -> None:
        project, rid = self.project, self.recommendation_id()
        self._read_small_n()
        self.evidence_list.clear()
        row = [] if project is None or rid is None else \
            project.query("SELECT title, text FROM recommendations WHERE id = ?", (rid,))
        if not row:
            self.title_field.load(None, "")
            self.text_field.load(None, "")
            self.rec_strength.setText("")
            self.reads.forget("recommendation")   # one on its way is stale
            return
        self.title_field.load(rid, row[0][0])
        self.text_field.load(rid, row[0][1])
        for e in evidence(project, recommendation_id=rid):
            self._add_evidence_item(self.evidence_list, e)
        self._show_strength(self.rec_strength, "recommendation", recommendation_id=rid)

    def _show_strength(self, label: QLabel, key: str, **which: int) -> None:
        """The strength of a theme's or a recommendation's evidence: a theme of 1,000 cards
        reads their origins and votes (50-100 ms over a big study), so on a worker there."""
        def show(s: Strength | None) -> None:
            label.setText("" if s is None else strength_text(s))
        self.reads.ask(key, lambda p: strength(p, **which), show)

    # ---------------------------------------------------------------- changes
    def link_to_recommendation(self, refs: list[tuple[str, int]], row: int | None = None
                               ) -> list[int] | None:
        rid = self.recommendation_id()
        if rid is None:
            self.message.setText("Add or choose a recommendation first.")
            return None
        return self.apply(LinkEvidence(refs, recommendation_id=rid, position=row))

    def link_to_theme(self, refs: list[tuple[str, int]], role: str, row: int | None = None
                      ) -> list[int] | None:
        tid = self.theme_id()
        if tid is None:
            return None
        return self.apply(LinkEvidence(refs, theme_id=tid, role=role, position=None))

    def remove_selected_evidence(self, evidence_list: EvidenceList | None = None) -> None:
        """Unlink what is selected in one list (the recommendation's, under the button): an
        item selected earlier in a summary's list is not removed with it."""
        ids = (evidence_list or self.evidence_list).selected_evidence_ids()
        if ids:
            self.apply(UnlinkEvidence(ids))

    def add_recommendation(self) -> int | None:
        tid = self.theme_id()
        if tid is None:
            self.message.setText("Create a theme first.")
            return None
        rid = self.apply(AddRecommendation(tid, "New recommendation"))
        if rid is not None:
            for i in range(self.rec_list.count()):
                if self.rec_list.item(i).data(ID_ROLE) == rid:
                    self.rec_list.setCurrentRow(i)
            self.title_edit.setFocus()
            self.title_edit.selectAll()
        return rid

    def _write_title(self, rid: int, title: str) -> None:
        self.write(UpdateRecommendation(rid, title=title))
        if self.project is None:
            return
        saved = self.project.scalar("SELECT title FROM recommendations WHERE id = ?", (rid,))
        for i in range(self.rec_list.count()):       # the numbered list shows the new title
            item = self.rec_list.item(i)
            if item.data(ID_ROLE) == rid and saved is not None:
                item.setText(f"{item.text().split('  ', 1)[0]}  {saved}")

    def move_current(self, step: int) -> None:
        rid, row = self.recommendation_id(), self.rec_list.currentRow()
        if rid is not None and 0 <= row + step < self.rec_list.count():
            self.apply(MoveRecommendation(rid, row + step))

    def delete_current(self) -> None:
        rid = self.recommendation_id()
        if rid is not None:
            self.apply(DeleteRecommendation(rid))
