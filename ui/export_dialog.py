"""File → Export…: choose what leaves the project (the Word report and its parts, tables,
REFI-QDA, the board as an image) and, first, confirm each piece of personal data found in the
quotes, and see that found in the notes and passages the report prints as examples, with what
it prints of each. The dialog only reads the project, but for one preference it keeps when
accepted: whether personal data is stripped from what leaves it (the project setting every
export reads, as the report command's --strip-personal-data keeps it). The window applies the
redactions as one undoable step and runs the export on the task runner."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from synth.words import plural

from .exporting import REPORT_PARTS, SMALL_N_CHOICES, ExportPlan

FINDING_ROLE = Qt.UserRole + 1
QUOTED_AT = Qt.UserRole + 2     # a quote's finding at its place in the item quoted


# what the export adds to the name itself: typed, it was doubled ("report.docx.docx", QA 50)
EXTENSIONS = (".docx", ".xlsx", ".csv", ".qdpx", ".png", ".svg")
# not in a file name: "/" made a subfolder the message never named; Windows refuses the others
NOT_IN_NAMES = '/\\:*?"<>|'


def file_stem(text: str) -> str:
    """The name the files are made from: without an extension of the export's own typed at
    its end."""
    stem = text.strip()
    for ext in EXTENSIONS:
        if stem.lower().endswith(ext) and len(stem) > len(ext):
            return stem[:-len(ext)].rstrip()
    return stem


def stem_refused(stem: str) -> str:
    """Why ``stem`` cannot name the exported files ("" when it can)."""
    bad = [c for c in dict.fromkeys(stem) if c in NOT_IN_NAMES or ord(c) < 32]
    if bad:
        shown = " or ".join(f"“{c}”" if ord(c) >= 32 else "a control character" for c in bad)
        return (f"The file name cannot hold {shown}: Windows, macOS or Linux would refuse it "
                "or make a folder of it. Choose the folder above.")
    if stem.strip(". ") == "":
        return "Give the files a name (not only dots)."
    return ""


def _found_list(layout: QVBoxLayout, name: str, label_name: str,
                height: int) -> tuple[QLabel, QListWidget]:
    """A label saying what was found and the list of it below, added to ``layout``."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(label_name)
    found = QListWidget()
    found.setAccessibleName(name)
    found.setWordWrap(True)
    found.setMinimumHeight(height)
    layout.addWidget(label)
    layout.addWidget(found)
    return label, found


def _in_context(text: str, f: Any) -> str:
    """A finding in brackets with up to 40 characters of its text either side."""
    a, b = max(0, f.start - 40), min(len(text), f.end + 40)
    return ("…" if a else "") + text[a:f.start] + "[" + f.text + "]" + text[f.end:b] + \
        ("…" if b < len(text) else "")


def _browse_row(edit: QLineEdit, button_name: str, pick) -> QWidget:
    w = QWidget()
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    b = QPushButton("Browse…")
    b.setAccessibleName(button_name)
    b.clicked.connect(pick)
    lay.addWidget(edit, 1)
    lay.addWidget(b)
    return w


class ExportDialog(QDialog):
    def __init__(self, project: Any, folder: str, *, theme_id: int | None = None,
                 parent: QWidget | None = None, background: Any = None) -> None:
        """``background``: the window's reader; over a big project the notes and passages
        the report prints are read for personal data on it (1.8 s on 120,000 cards), and
        listed when the answer comes."""
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Export")
        self.setAccessibleName("Export dialog")
        self.resize(760, 720)

        # where
        self.folder_edit = QLineEdit(folder)
        self.folder_edit.setAccessibleName("Folder to export into")
        self.stem_edit = QLineEdit(Path(project.path).stem)
        self.stem_edit.setAccessibleName("File name (without extension)")
        where = QGroupBox("Where")
        wf = QFormLayout(where)
        wf.addRow("Folder", _browse_row(self.folder_edit, "Choose the folder",
                                        self._pick_folder))
        wf.addRow("File name", self.stem_edit)

        # the Word report
        self.report_box = QGroupBox("Word report (.docx)")
        self.report_box.setCheckable(True)
        self.report_box.setChecked(True)
        self.report_box.setAccessibleName("Write the Word report")
        grid = QGridLayout()
        self.part_boxes: dict[str, QCheckBox] = {}
        for i, (part, label) in enumerate(REPORT_PARTS):
            cb = QCheckBox(label)
            cb.setChecked(True)
            cb.setAccessibleName(f"Report part: {label}")
            self.part_boxes[part] = cb
            grid.addWidget(cb, i // 2, i % 2)
        words = project.setting("report", {}) or {}
        self.title_edit = QLineEdit(str(words.get("title") or ""))
        self.title_edit.setPlaceholderText("from the project's report settings")
        self.title_edit.setAccessibleName("Report title")
        self.authors_edit = QLineEdit(str(words.get("authors") or ""))
        self.authors_edit.setAccessibleName("Report authors")
        self.template_edit = QLineEdit()
        self.template_edit.setPlaceholderText("optional: a .docx or .dotx whose styles, headers "
                                              "and footers the report uses")
        self.template_edit.setAccessibleName("Word template")
        self.small_n_box = QComboBox()
        self.small_n_box.setAccessibleName("Figures with few votes")
        for key, label in SMALL_N_CHOICES:
            self.small_n_box.addItem(label, key)
        self.small_n_box.setCurrentIndex(
            max(0, self.small_n_box.findData(project.setting("small_n_action", "flag"))))
        self.small_n_spin = QSpinBox()
        self.small_n_spin.setRange(1, 1000)
        self.small_n_spin.setPrefix("fewer than ")
        self.small_n_spin.setSuffix(" votes")
        self.small_n_spin.setAccessibleName("Few votes means fewer than")
        self.small_n_spin.setValue(int(self.small_n_threshold()))
        small = QWidget()
        sl = QHBoxLayout(small)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.small_n_box, 1)
        sl.addWidget(self.small_n_spin)
        rf = QFormLayout(self.report_box)
        rf.addRow(grid)
        rf.addRow("Title", self.title_edit)
        rf.addRow("Authors", self.authors_edit)
        rf.addRow("Template", _browse_row(self.template_edit, "Choose a Word template",
                                          self._pick_template))
        rf.addRow("Small numbers", small)

        # tables, REFI-QDA, board
        self.csv_box = QCheckBox("Tables as CSV files (statements, themes, codes, "
                                 "recommendations)")
        self.csv_box.setAccessibleName("Tables as CSV")
        self.xlsx_box = QCheckBox("Tables as one spreadsheet (.xlsx)")
        self.xlsx_box.setAccessibleName("Tables as XLSX")
        self.qdpx_box = QCheckBox("REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA")
        self.qdpx_box.setAccessibleName("REFI-QDA project")
        self.board_box = QGroupBox("Board as an image")
        self.board_box.setCheckable(True)
        self.board_box.setChecked(False)
        self.board_box.setAccessibleName("Draw the board as an image")
        self.board_format = QComboBox()
        self.board_format.setAccessibleName("Image format")
        self.board_format.addItem("PNG picture", "png")
        self.board_format.addItem("SVG drawing (scales without blur)", "svg")
        self.board_scope = QComboBox()
        self.board_scope.setAccessibleName("Whole board or one theme")
        self.board_scope.addItem("The whole board", None)
        from synth.board import themes
        for t in themes(project):
            self.board_scope.addItem(f"Theme: {t.name}", t.id)
        if theme_id is not None and self.board_scope.findData(theme_id) >= 0:
            self.board_scope.setCurrentIndex(self.board_scope.findData(theme_id))
        bf = QFormLayout(self.board_box)
        bf.addRow("Format", self.board_format)
        bf.addRow("What", self.board_scope)
        other = QGroupBox("Tables and exchange")
        ol = QVBoxLayout(other)
        for w in (self.csv_box, self.xlsx_box, self.qdpx_box):
            ol.addWidget(w)

        # personal data: in quotes, and stripped from everything
        privacy = QGroupBox("Personal data")
        pl = QVBoxLayout(privacy)
        from exports.content import strip_requested
        self.strip_box = QCheckBox("Strip personal data from every file")
        self.strip_box.setAccessibleName("Strip personal data from every file")
        self.strip_box.setChecked(strip_requested(project))
        if project.read_only:   # the choice could not be kept, so tables would not follow it
            self.strip_box.setEnabled(False)
            self.strip_box.setToolTip("This project is open read-only: its choice is used.")
        strip_says = QLabel("Ticked, names and staff numbers in participants' words are "
                            "masked in the report, the tables, the REFI-QDA project and the "
                            "board image (e-mail addresses and phone numbers always are). Kept "
                            "as the project's choice.")
        strip_says.setWordWrap(True)
        strip_says.setStyleSheet("color: #595959")
        pl.addWidget(self.strip_box)
        pl.addWidget(strip_says)
        self.findings_label, self.findings = _found_list(
            pl, "Personal data found in quotes: ticked ones are redacted before export",
            "What was found", 110)
        self._fill_findings()
        # the notes and passages the report prints beside its quotes are participants' words
        # too (QA 40); no quote holds their redactions, so what masks them is the tick above
        self.printed_label, self.printed = _found_list(
            pl, "Personal data found in the notes and passages the report prints",
            "What was found in the notes and passages", 90)
        from exports.content import printed_item_findings
        self._printed: list = []
        if background is not None and background(printed_item_findings, self._printed_read):
            self.printed_label.setText("Reading the notes and passages the report prints for "
                                       "personal data…")
            self.printed.setVisible(False)
        else:
            self._printed = printed_item_findings(project)
            self._show_printed()
        self.strip_box.toggled.connect(self._on_strip_toggled)
        self.findings.itemChanged.connect(self._on_finding_changed)

        body = QWidget()
        bl = QVBoxLayout(body)
        # personal data first when there is some: it is a step to take before exporting
        order = (where, privacy, self.report_box, other, self.board_box) \
            if self.findings.count() or self._printed else \
            (where, self.report_box, other, self.board_box, privacy)
        for w in order:
            bl.addWidget(w)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName("Export choices")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.export_button.setAccessibleName("Export now")
        self.export_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel the export")
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setAccessibleName("Export problem")
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)

    # ------------------------------------------------------------------ reading the project
    def small_n_threshold(self) -> int:
        from exports.figures import FigureRegistry
        return FigureRegistry.for_project(self.project).small_n

    def _fill_findings(self) -> None:
        from coding.quotes import quotes
        from coding.redaction import pending_findings
        self.findings.clear()
        for q in quotes(self.project):
            for f in pending_findings(self.project, q.id):
                item = QListWidgetItem(f"{f.kind.replace('_', ' ')} “{f.text}” → "
                                       f"{f.replacement}   in: {_in_context(q.text, f)}")
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Checked)
                item.setData(FINDING_ROLE, (q.id, f.start, f.end, f.replacement))
                at = q.start or 0
                item.setData(QUOTED_AT, (q.item_kind, q.item_id, at + f.start, at + f.end))
                self.findings.addItem(item)
        n = self.findings.count()
        self.findings_label.setText(
            "No personal data found in the quotes." if n == 0 else
            f"{plural(n, 'possible piece')} of personal data in the quotes. Ticked "
            "ones are redacted in the project (one undoable step) before anything is written; "
            "untick words that are not personal data.")
        self.findings.setVisible(n > 0)

    def _printed_read(self, found: Any) -> None:
        from .panels.reading import _Failed
        if isinstance(found, _Failed):
            self.printed_label.setText("The notes and passages the report prints could not be "
                                       f"read for personal data ({found.error}).")
            return
        self._printed = found
        self._show_printed()

    def _on_strip_toggled(self, _checked: bool) -> None:
        self._show_printed()

    def _on_finding_changed(self, _item: QListWidgetItem) -> None:
        self._show_printed()        # a quote's redaction masks its words wherever printed

    def _redacted_with_quotes(self) -> set[tuple[str, int, int, int]]:
        """(item kind, id, start, end) in the item's text of the quotes' ticked findings."""
        out = set()
        for i in range(self.findings.count()):
            item = self.findings.item(i)
            if item.checkState() == Qt.Checked and item.data(QUOTED_AT):
                out.add(tuple(item.data(QUOTED_AT)))
        return out

    def _show_printed(self) -> None:
        """The personal data in the notes and passages the report prints, each with where it
        is and what the report prints of it with the strip box as it is now."""
        strip = self.strip_box.isChecked()
        quoted = self._redacted_with_quotes()
        self.printed.clear()
        shown = 0
        for p in self._printed:
            f = p.finding
            if p.masked:
                fate = f"masked ({f.replacement})"
            elif (p.kind, p.item, f.start, f.end) in quoted:
                fate = f"masked ({f.replacement}): ticked in a quote of it above"
            elif strip and p.masked_if_stripped:
                fate = f"masked ({f.replacement}): personal data is stripped"
            else:
                fate = "printed as it is" + ("" if strip else ": tick “Strip personal data "
                                                            "from every file” to mask it")
                shown += 1
            item = QListWidgetItem(f"{f.kind.replace('_', ' ')} “{f.text}” → {fate}\n"
                                   f"   in {p.where}, printed in {p.printed_in}: "
                                   f"{_in_context(p.text, f)}")
            item.setFlags(Qt.ItemIsEnabled)         # nothing to tick: the strip box masks it
            self.printed.addItem(item)
        n = len(self._printed)
        self.printed_label.setText(
            "" if n == 0 else
            f"{plural(n, 'possible piece')} of personal data in the notes and "
            "passages the report prints as examples (not quotes): e-mail addresses and phone "
            "numbers are always masked, names and staff numbers only when personal data is "
            "stripped. " + ("None would be printed." if not shown else
                            f"{shown} would be printed as "
                            f"{'it is' if shown == 1 else 'they are'}."))
        self.printed_label.setStyleSheet("color: #b00020" if shown else "")
        self.printed_label.setVisible(n > 0)
        self.printed.setVisible(n > 0)

    # ------------------------------------------------------------------ choices
    def confirmed_redactions(self) -> list[tuple[int, int, int, str]]:
        out = []
        for i in range(self.findings.count()):
            item = self.findings.item(i)
            if item.checkState() == Qt.Checked:
                out.append(tuple(item.data(FINDING_ROLE)))
        return out

    def small_n(self) -> tuple[str, int]:
        return self.small_n_box.currentData(), self.small_n_spin.value()

    def plan(self) -> ExportPlan:
        from exports.report import ReportOptions
        report = None
        if self.report_box.isChecked():
            report = ReportOptions(**{p: cb.isChecked() for p, cb in self.part_boxes.items()})
            report.title = self.title_edit.text().strip() or None
            report.authors = self.authors_edit.text().strip() or None
            report.template = self.template_edit.text().strip() or None
            report.strip_personal_data = self.strip_box.isChecked()
        board = self.board_box.isChecked()
        scope = self.board_scope.currentData() if board else None
        return ExportPlan(folder=Path(self.folder_edit.text().strip()).expanduser(),
                          stem=file_stem(self.stem_edit.text()) or "export", report=report,
                          tables_csv=self.csv_box.isChecked(),
                          tables_xlsx=self.xlsx_box.isChecked(), qdpx=self.qdpx_box.isChecked(),
                          board_format=self.board_format.currentData() if board else None,
                          board_theme_id=scope,
                          board_theme_name=self.board_scope.currentText().removeprefix("Theme: ")
                          if scope is not None else "")

    def _on_accept(self) -> None:
        plan = self.plan()
        if not self.folder_edit.text().strip():
            self.problem.setText("Choose a folder to export into.")
        elif refused := stem_refused(plan.stem):
            self.problem.setText(refused)
        elif plan.is_empty():
            self.problem.setText("Choose at least one thing to export.")
        elif plan.report is not None and plan.report.template \
                and not Path(plan.report.template).is_file():
            self.problem.setText(f"No Word template at {plan.report.template}.")
        elif plan.report is not None and plan.report.template \
                and (refused := self._template_refused(plan.report.template)):
            self.problem.setText(refused)
        else:
            self.problem.setText("")
            self._keep_strip_choice()
            self.accept()

    @staticmethod
    def _template_refused(path: str) -> str:
        """Why the report cannot be built on ``path`` ("" when it can), said before export."""
        from exports.docx_util import open_template
        from synth.errors import UserError
        try:
            open_template(path)
        except UserError as e:
            return str(e)
        return ""

    def _keep_strip_choice(self) -> None:
        """Every export (tables, REFI-QDA, the board image) reads the project's choice."""
        from exports.content import STRIP_SETTING, strip_requested
        if not self.project.read_only and \
                strip_requested(self.project) != self.strip_box.isChecked():
            self.project.set_setting(STRIP_SETTING, self.strip_box.isChecked())

    def _pick_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Export into", self.folder_edit.text())
        if d:
            self.folder_edit.setText(d)

    def _pick_template(self) -> None:
        f, _ = QFileDialog.getOpenFileName(self, "Word template", self.folder_edit.text(),
                                           "Word documents and templates (*.docx *.dotx)")
        if f:
            self.template_edit.setText(f)
