"""Import with a preview and a column mapping suggested from the headers, editable, remembered.

The dialog only chooses; the window runs the import (atomic, in the task runner) and reports.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from synth.words import shortened

from .settings import Settings

KIND_LABELS = {"polis": "Pol.is export (statements and votes)",
               "tallies": "Statements with vote tallies", "notes": "Workshop sticky notes",
               "characteristics": "Participant characteristics",
               "document": "Transcript or document (split into passages)",
               "study": "Study folder (study.json lists its files)",
               "qdpx": "REFI-QDA project (.qdpx: NVivo, ATLAS.ti, MAXQDA, QualCoder)"}
DETAILS = ("notes", "document", "qdpx")    # kinds that take a site and a workshop
# What a transcript records: its source kind, by which its quotes are attributed
SOURCE_KIND_LABELS = {"workshop": "A workshop or group discussion",
                      "interview": "An interview",
                      "document": "Another document (notes, a report)"}
PREVIEW_ROWS = 30
TABLES = (".csv", ".tsv", ".xlsx", ".xlsm")
TABLE_KINDS = ("notes", "tallies", "characteristics")
NONE = "(not in this file)"
CANVAS_SAYS = "A canvas, one note per cell:"
BEST_FIT = "Best fit: the debate whose participants the table's ids match"
TIE_SAYS = ("Two debates of the project hold as many of the table's participant ids: choose the "
            "one it describes under Debate.")


class ImportDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 path: str | None = None, project: Any = None) -> None:
        super().__init__(parent)
        self.settings = settings
        # the project imported into (the window's, when it is the parent): its debates are
        # offered to a characteristics table
        self.project = project if project is not None else getattr(parent, "project", None)
        self._ok = False            # Import allowed by the file and its columns
        self._debate_tie = False    # two debates fit the table alike: "best fit" is refused
        self.setWindowTitle("Import data")
        self.setAccessibleName("Import data")
        self.resize(900, 640)
        self.headers: list[str] = []
        self.mapping_boxes: dict[str, QComboBox] = {}
        lay = QVBoxLayout(self)

        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File or folder to import")
        self.path_edit.setPlaceholderText("A .csv, .xlsx, .docx, .txt, .vtt, .srt, .qdpx file "
                                          "or a Pol.is folder")
        file_btn = QPushButton("Choose &file…")
        file_btn.setAccessibleName("Choose a file to import")
        folder_btn = QPushButton("Choose f&older…")
        folder_btn.setAccessibleName("Choose a folder to import")
        row.addWidget(self.path_edit, 1)
        row.addWidget(file_btn)
        row.addWidget(folder_btn)
        lay.addLayout(row)
        file_btn.clicked.connect(self._on_choose_file)
        folder_btn.clicked.connect(self._on_choose_folder)
        self.path_edit.editingFinished.connect(self._on_path_edited)

        form = QFormLayout()
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("What the file holds")
        for k, label in KIND_LABELS.items():
            self.kind_box.addItem(label, k)
        self.kind_box.currentIndexChanged.connect(self._on_kind_changed)
        self.site_edit = QLineEdit()
        self.site_edit.setAccessibleName("Site or city")
        self.site_edit.setPlaceholderText("e.g. Manchester (for workshop notes and transcripts)")
        self.workshop_edit = QLineEdit()
        self.workshop_edit.setAccessibleName("Workshop")
        self.source_kind_box = QComboBox()
        self.source_kind_box.setAccessibleName("What the transcript records")
        self.source_kind_box.setToolTip("Quotes are attributed by it: a workshop's as "
                                        "“Manchester co-design participant”, an interview's as "
                                        "“interview participant”")
        for k, label in SOURCE_KIND_LABELS.items():
            self.source_kind_box.addItem(label, k)
        self._suggested_for = ""    # the document whose speakers last suggested the choice
        self._unreadable = False    # the previewed document cannot be read: nothing to import
        self.sheet_box = QComboBox()
        self.sheet_box.setAccessibleName("Sheet of the workbook")
        self.sheet_box.setToolTip("The sheet to import; each sheet is imported on its own")
        self.sheet_box.currentIndexChanged.connect(self._on_sheet_changed)
        self.debate_box = QComboBox()
        self.debate_box.setAccessibleName("Debate the characteristics describe")
        self.debate_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.debate_box.setToolTip("The debate whose participants the table describes; best "
                                   "fit: the one holding most of the table's participant ids")
        self.debate_box.currentIndexChanged.connect(self._on_debate_changed)
        form.addRow("&Kind:", self.kind_box)
        form.addRow("S&heet:", self.sheet_box)
        form.addRow("&Debate:", self.debate_box)
        form.addRow("&Transcript of:", self.source_kind_box)
        # beside each, where a value Synth suggests came from (a table's title row, a
        # transcript's header lines): the researcher sees it and may change it
        self._suggested: dict[str, tuple[str, str]] = {}    # field -> (value, from where)
        self._found: dict[str, tuple[str, str]] = {}        # what the file shown suggests
        self.hints: dict[str, QLabel] = {}
        for what, text, edit in (("site", "&Site / city:", self.site_edit),
                                 ("workshop", "&Workshop:", self.workshop_edit)):
            hint = QLabel()
            hint.setTextFormat(Qt.PlainText)    # a file's words, not markup
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555")
            hint.setAccessibleName(f"Where the {what} suggested comes from")
            self.hints[what] = hint
            edit.textChanged.connect(lambda _t, what=what: self._say_suggestion(what))
            cell = QWidget()
            row_lay = QHBoxLayout(cell)
            row_lay.setContentsMargins(0, 0, 0, 0)
            row_lay.addWidget(edit, 1)
            row_lay.addWidget(hint, 1)
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, cell)
        lay.addLayout(form)
        self.form = form
        form.setRowVisible(self.sheet_box, False)
        form.setRowVisible(self.debate_box, False)          # characteristics' only
        form.setRowVisible(self.source_kind_box, False)     # a transcript's only

        self.mapping_group = QGroupBox("Columns (suggested from the headers; change any)")
        self.mapping_form = QFormLayout(self.mapping_group)
        lay.addWidget(self.mapping_group)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #8a1c1c")
        self.problem_label.setAccessibleName("Import problem")
        lay.addWidget(self.problem_label)

        self._canvas_shown = False  # the summary says what a canvas gives (not a document's)
        self.preview_summary = QLabel()
        self.preview_summary.setWordWrap(True)
        self.preview_summary.setAccessibleName("What will be imported")
        lay.addWidget(self.preview_summary)

        self.preview = QTableWidget()
        self.preview.setAccessibleName("Preview of the first rows")
        lay.addWidget(self.preview, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("&Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._set_ok(False)
        if path:
            self.set_path(path)

    # ------------------------------------------------------------------ choosing
    def _on_choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a file", self.settings.last_folder,
            "Data (*.csv *.tsv *.xlsx *.docx *.txt *.md *.vtt *.srt *.qdpx study.json);;"
            "Transcripts (*.docx *.txt *.md *.vtt *.srt);;"
            "REFI-QDA projects (*.qdpx);;All files (*)")
        if path:
            self.set_path(path)

    def _on_choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a folder", self.settings.last_folder)
        if path:
            self.set_path(path)

    def _set_ok(self, ok: bool) -> None:
        self._ok = ok
        tie = self._debate_tie and not self.debate_box.currentData()
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok and not tie)

    def _on_path_edited(self) -> None:
        self.set_path(self.path_edit.text())

    def set_path(self, path: str) -> None:
        from synth.errors import ImportProblem
        from synth.importers import detect
        path = clean_path(path)
        self.path_edit.setText(path)
        self.problem_label.clear()
        if not path:
            self._set_ok(False)
            return
        self._fill_sheets(path)
        try:
            kind = detect(path, sheet=self.sheet)
        except ImportProblem as e:
            if Path(path).suffix.lower() in TABLES and Path(path).is_file():
                # a table whose columns were not recognised: notes, the usual case, with the
                # columns to choose (not a Pol.is export, the first kind in the list)
                self._show_kind("notes")
                self.problem_label.setText(f"{e}")
                self._check_required(keep=True)
                return
            self.problem_label.setText(str(e))
            self._set_ok(False)
            self._show_preview(path)
            return
        self._show_kind(kind)
        if not self.mapping_boxes:      # else a required column not chosen has disabled Import
            self._set_ok(not self._unreadable)

    def _show_kind(self, kind: str) -> None:
        i = self.kind_box.findData(kind)
        if i == self.kind_box.currentIndex():
            self._on_kind_changed()     # the same kind: no signal comes to show the file
        else:
            self.kind_box.setCurrentIndex(i)    # its signal previews the file and columns

    @property
    def sheet(self) -> str | None:
        """The workbook's sheet chosen, or None (not a workbook)."""
        return self.sheet_box.currentData() if self.sheet_box.count() else None

    def _fill_sheets(self, path: str) -> None:
        """A workbook's sheets in the Sheet box, the one holding a table Synth reads chosen
        (hidden sheets are listed, marked, for a table kept in one)."""
        from synth.importers import _table_kind
        from synth.importers.common import read_header
        self._filling = True
        self.sheet_box.clear()
        p = Path(path)
        if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                table = read_header(p, want=lambda h: _table_kind(h) is not None)
            except Exception:  # noqa: BLE001 - the preview says what is wrong
                table = None
            if table is not None:
                for name in table.sheets:
                    self.sheet_box.addItem(name + (" (hidden)" if name in table.hidden else ""),
                                           name)
                self.sheet_box.setCurrentIndex(max(self.sheet_box.findData(table.sheet), 0))
        self.form.setRowVisible(self.sheet_box, self.sheet_box.count() > 1)
        self._filling = False

    def _on_sheet_changed(self) -> None:
        if getattr(self, "_filling", False) or not self.sheet_box.count():
            return
        from synth.errors import ImportProblem
        from synth.importers import detect
        self.problem_label.clear()
        try:
            kind = detect(self.path_edit.text(), sheet=self.sheet)
        except ImportProblem as e:
            self._show_kind("notes")
            self.problem_label.setText(str(e))
            self._check_required(keep=True)
            return
        self._show_kind(kind)

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def _on_kind_changed(self) -> None:
        kind = self.kind
        self.site_edit.setEnabled(kind in DETAILS)
        self.workshop_edit.setEnabled(kind in DETAILS)
        self.form.setRowVisible(self.source_kind_box, kind == "document")
        self._show_preview(self.path_edit.text())
        self._build_mapping()
        self._fill_debates()

    # ------------------------------------------------------------------ the debate
    def _debates(self) -> list[Any]:
        """The project's debates (a Pol.is export or a survey), as the importer counts them."""
        from synth.model import sources
        if self.project is None:
            return []
        try:
            return [s for s in sources(self.project) if s.kind in ("debate", "survey")]
        except Exception:  # noqa: BLE001 - a project closed meanwhile offers none
            return []

    def _fill_debates(self) -> None:
        """With two debates or more, a characteristics table chooses the one it describes
        (``debate``): best fit by default, said with the debate it would join, or that two fit
        alike and one must be chosen (the import refuses such a tie)."""
        chosen = self.debate_box.currentData()
        debates = self._debates() if self.kind == "characteristics" else []
        self.debate_box.blockSignals(True)
        self.debate_box.clear()
        self._debate_tie = False
        if len(debates) >= 2:
            self.debate_box.addItem(BEST_FIT, "")
            for d in debates:
                folder = Path(d.path).name if d.path else ""
                name = shortened(d.name, 70)
                self.debate_box.addItem(name + (f" (folder {folder})" if folder and
                                                folder != d.name else ""), str(d.id))
                self.debate_box.setItemData(self.debate_box.count() - 1, d.name, Qt.ToolTipRole)
            self.debate_box.setCurrentIndex(max(self.debate_box.findData(chosen or ""), 0))
            self._say_best_fit()
        self.debate_box.blockSignals(False)
        self.form.setRowVisible(self.debate_box, len(debates) >= 2)
        self._set_ok(self._ok)

    def _say_best_fit(self) -> None:
        """The best fit's item names the debate it joins, as the import will choose it."""
        from synth.errors import ImportProblem
        from synth.importers.tables import choose_debate
        path = self.path_edit.text()
        if not Path(path).is_file():
            return
        try:
            chosen = choose_debate(self.project, path, self.sheet)
        except ImportProblem:           # two fit alike: the import would refuse it
            self._debate_tie = True
            self.debate_box.setItemText(0, "Best fit: none, two debates fit alike (choose one)")
            if TIE_SAYS not in self.problem_label.text():
                shown = self.problem_label.text()
                self.problem_label.setText(f"{shown}\n{TIE_SAYS}" if shown else TIE_SAYS)
            return
        except Exception:  # noqa: BLE001 - the import says what is wrong with the table
            return
        if chosen is not None:
            i = self.debate_box.findData(str(chosen[0]))
            if i > 0:
                self.debate_box.setItemText(0, f"Best fit: {self.debate_box.itemText(i)}")

    def _on_debate_changed(self) -> None:
        if self._debate_tie and self.debate_box.currentData():
            self.problem_label.setText(self.problem_label.text().replace(TIE_SAYS, "").strip())
        elif self._debate_tie and TIE_SAYS not in self.problem_label.text():
            shown = self.problem_label.text()
            self.problem_label.setText(f"{shown}\n{TIE_SAYS}" if shown else TIE_SAYS)
        self._set_ok(self._ok)

    def _show_preview(self, path: str) -> None:
        self._found = {}
        self._show_preview_of(path)
        self._offer(self._found)

    def _show_preview_of(self, path: str) -> None:
        from synth.importers.common import read_table
        self.headers = []
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.preview_summary.clear()
        self.preview.verticalHeader().setVisible(True)
        self._unreadable = False
        p = Path(path)
        if not p.is_file() or p.suffix.lower() not in (".csv", ".tsv", ".xlsx", ".xlsm", ".txt",
                                                        ".md", ".docx", ".vtt", ".srt", ".qdpx"):
            return
        if p.suffix.lower() == ".qdpx":
            self._show_qdpx_preview(p)
            return
        if p.suffix.lower() in (".docx", ".txt", ".md", ".vtt", ".srt") and \
                not (p.suffix.lower() == ".txt" and self.kind in TABLE_KINDS):
            self._show_document_preview(p)
            return
        try:
            table = read_table(p, sheet=self.sheet)
        except Exception as e:  # noqa: BLE001 - shown in the dialog
            self.problem_label.setText(str(e))
            return
        self.headers = list(table.headers)
        if self.kind == "notes":
            self._find_title(table)
        self.preview.setColumnCount(len(table.headers))
        self.preview.setHorizontalHeaderLabels(table.headers)
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                self.preview.setItem(i, j, QTableWidgetItem(v))

    def _show_document_preview(self, p: Path) -> None:
        """The passages it will make, whose they are, and every line that makes none, with why:
        a wrong split is seen before it is imported."""
        import re

        from synth.importers.documents import document_split, read_document, skipped_warnings
        try:
            doc = read_document(p)
        except Exception as e:  # noqa: BLE001 - shown in the dialog
            self.problem_label.setText(str(e))
            self._unreadable = True
            return
        split = document_split(doc)
        speakers = split.speakers
        self._find_header(doc, split)
        if str(p) != self._suggested_for:
            self._suggested_for = str(p)
            suggested = "interview" if any(re.search(r"interview(er|ee)", s, re.I)
                                           for s in speakers) else "workshop"
            self.source_kind_box.setCurrentIndex(self.source_kind_box.findData(suggested))
        self.preview_summary.setText(document_summary(split))
        warnings = skipped_warnings(doc, p.name, split)
        if warnings:
            from synth.words import plural
            self.problem_label.setText(f"{plural(len(warnings), 'line')} that may be someone's "
                                       "words will make no passage: " + "; ".join(warnings[:3])
                                       + (" …" if len(warnings) > 3 else ""))
        rows: list[tuple[int, str, str, str, bool | None]] = [
            (ps.start, doc.place(doc.text.count("\n", 0, ps.start)), ps.speaker,
             doc.text[ps.start:ps.end], None) for ps in split.passages[:PREVIEW_ROWS]]
        rows += [(s.start, doc.place(s.line), "(no passage)",
                  f"{doc.text[s.start:s.end]}  — {s.reason}", s.warn) for s in split.skipped]
        rows.sort()
        self.preview.setColumnCount(3)
        self.preview.setHorizontalHeaderLabels(["Where", "Speaker", "Passage"])
        self.preview.verticalHeader().setVisible(False)     # "Where" says it
        self.preview.setRowCount(len(rows))
        for i, (_, where, speaker, text, warn) in enumerate(rows):
            for j, v in enumerate((where, speaker, " ".join(text.split()))):
                item = QTableWidgetItem(v)
                if warn is not None:
                    item.setForeground(QBrush(QColor("#8a1c1c" if warn else "#666666")))
                self.preview.setItem(i, j, item)
        self.preview.resizeColumnToContents(0)
        self.preview.resizeColumnToContents(1)
        self.preview.horizontalHeader().setStretchLastSection(True)

    # ------------------------------------------------------------------ suggestions
    def _find_title(self, table: Any) -> None:
        """A title row above the notes' header names their workshop more often than not
        ("Bowling Green workshop, 12 May"): as the notes importer takes it when none is given
        (one line, at most 100 characters; a paragraph of instructions names none)."""
        from synth.importers.table_shape import title_rows, workshop_title
        try:
            titles = title_rows(table)
        except Exception:  # noqa: BLE001 - a suggestion only; the import reads it again
            return
        if (text := workshop_title(titles)) is not None:
            self._found["workshop"] = (text, f"the table's title row (row {titles[0][0]})")

    def _find_header(self, doc: Any, split: Any) -> None:
        """A transcript's header lines ("Workshop: BG workshop 1", "Site: Leeds"), read as the
        document importer reads them: above the first speaker turn, or the first lines."""
        from synth.importers.transcript_header import transcript_header
        if not split.passages:
            return
        header = transcript_header(doc.text, split)
        for what in ("site", "workshop"):
            f = header.get(what)
            if f is not None:
                self._found[what] = (f.value, f"the transcript's header ({doc.place(f.line)})")

    def _offer(self, found: dict[str, tuple[str, str]]) -> None:
        """Fill an empty field (or one still holding the last file's suggestion) with what
        this file suggests; a value the researcher typed stays."""
        for what, edit in (("site", self.site_edit), ("workshop", self.workshop_edit)):
            old = self._suggested.pop(what, None)
            new = found.get(what) if edit.isEnabled() else None
            if new is not None:
                self._suggested[what] = new
            text = edit.text().strip()
            if not text or (old is not None and text == old[0]):
                edit.setText(new[0] if new is not None else "")
            self._say_suggestion(what)

    def _say_suggestion(self, what: str) -> None:
        edit = self.site_edit if what == "site" else self.workshop_edit
        hint, suggested = self.hints[what], self._suggested.get(what)
        if suggested is None:
            hint.clear()
            return
        value, where = suggested
        text = edit.text().strip()
        if text == value:
            said = f"Suggested from {where}: change it if it is not the {what}."
        elif not text:
            said = (f"Left empty, the import still takes “{value}” from {where}, as it does "
                    f"when no {what} is given.")
        else:
            said = f"Yours; {where} says “{value}”."
        hint.setText(said)

    def _show_qdpx_preview(self, p: Path) -> None:
        """The text sources the archive holds, with their length and codings."""
        from synth.importers.qdpx import read_qdpx
        try:
            data = read_qdpx(p)
        except Exception as e:  # noqa: BLE001 - shown in the dialog
            self.problem_label.setText(str(e))
            return
        rows = data.sources[:PREVIEW_ROWS]
        self.preview.setColumnCount(3)
        self.preview.setHorizontalHeaderLabels(["Text source", "Characters", "Codings"])
        self.preview.setRowCount(len(rows))
        for i, src in enumerate(rows):
            for j, v in enumerate((src.name, f"{len(src.text):,}", str(len(src.codings)))):
                self.preview.setItem(i, j, QTableWidgetItem(v))
        if data.skipped:
            self.problem_label.setText("Not imported (Synth cannot code them): "
                                       + "; ".join(data.skipped[:5])
                                       + (" …" if len(data.skipped) > 5 else ""))

    def _fields(self):
        from synth.importers.tables import NOTE_FIELDS, TALLY_FIELDS
        return {"notes": NOTE_FIELDS, "tallies": TALLY_FIELDS}.get(self.kind)

    def _build_mapping(self) -> None:
        from synth.importers.tables import suggest_mapping
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_boxes = {}
        fields = self._fields()
        self.mapping_group.setVisible(bool(fields and self.headers))
        if not fields or not self.headers:
            return
        mapping = self.settings.column_mapping(self.kind, self.headers)
        if not mapping:
            mapping = suggest_mapping(self.headers, fields)
            if self.kind == "notes" and self._canvas_summary():   # a canvas, with a side
                mapping.pop("text", None)                          # "Comment" column
        for f in fields:
            box = QComboBox()
            box.setAccessibleName(f"Column for {f.label.lower()}")
            box.addItem(NONE, "")
            for h in self.headers:
                box.addItem(h, h)
            i = box.findData(mapping.get(f.name, ""))
            box.setCurrentIndex(max(i, 0))
            box.currentIndexChanged.connect(self._check_required)
            self.mapping_boxes[f.name] = box
            self.mapping_form.addRow(f.label + (" *" if f.required else "") + ":", box)
        self._check_required()

    def _check_required(self, keep: bool = False) -> None:
        """Import only once every required field has its column; ``keep``: the problem shown
        (why the kind was not recognised) stays above the request."""
        fields = self._fields() or ()
        missing = {f.name: f.label for f in fields
                   if f.required and f.name in self.mapping_boxes
                   and not self.mapping_boxes[f.name].currentData()}
        canvas = self._canvas_summary() if "text" in missing else ""
        if canvas:          # each filled cell of its columns is a note: no text column needed
            del missing["text"]
        if canvas or self._canvas_shown:
            self.preview_summary.setText(canvas)
            self._canvas_shown = bool(canvas)
        shown = self.problem_label.text()
        if missing:
            ask = "Choose a column for: " + ", ".join(missing.values())
            self.problem_label.setText(f"{shown}\n{ask}" if keep and shown else ask)
        elif "Choose a column for: " in shown:
            self.problem_label.setText(shown.split("Choose a column for: ")[0].rstrip("\n"))
        self._set_ok(not missing and bool(self.path_edit.text()))

    def _canvas_summary(self) -> str:
        """What a notes table typed one note per cell (Keep | Ditch | Add) will give, or ""."""
        from synth.importers.tables import canvas_columns
        if self.kind != "notes":
            return ""
        columns = canvas_columns(self.headers)
        if not columns:
            return ""
        headings = ", ".join(f"“{self.headers[j]}”" for j in columns)
        return (f"{CANVAS_SAYS} each filled cell of {headings} will be a note, its column's "
                "heading its activity (choose a note text column instead to read one note per "
                "row).")

    # ------------------------------------------------------------------ result
    def mapping(self) -> dict[str, str]:
        return {k: b.currentData() for k, b in self.mapping_boxes.items() if b.currentData()}

    def options(self) -> dict[str, Any]:
        """Keyword arguments for ``synth.importers.import_path``; remembers the mapping."""
        kind = self.kind
        opts: dict[str, Any] = {"kind": kind}
        if kind in ("notes", "tallies") and self.mapping_boxes:
            opts["mapping"] = self.mapping()
            self.settings.set_column_mapping(kind, self.headers, opts["mapping"])
        if kind == "document":
            opts["source_kind"] = self.source_kind_box.currentData()
        if kind in TABLE_KINDS and self.sheet:
            opts["sheet"] = self.sheet
        if kind == "characteristics" and self.debate_box.currentData():
            opts["debate"] = self.debate_box.currentData()     # its source id
        if kind in DETAILS:
            if self.site_edit.text().strip():
                opts["site"] = self.site_edit.text().strip()
            if self.workshop_edit.text().strip():
                opts["workshop"] = self.workshop_edit.text().strip()
        self.settings.last_folder = str(Path(self.path_edit.text()).parent)
        return opts

    @property
    def path(self) -> str:
        return self.path_edit.text()


def clean_path(text: str) -> str:
    """A path as pasted: spaces around it, the quotes Windows' "Copy as path" adds, a file://
    URL as a file manager copies it (%20 and all) are taken off; the path itself is kept."""
    from urllib.parse import unquote, urlparse
    path = text.strip()
    while len(path) >= 2 and path[0] == path[-1] and path[0] in "\"'":
        path = path[1:-1].strip()
    if path.lower().startswith("file:"):
        url = urlparse(path)
        local = unquote(url.path)
        if len(local) > 2 and local[0] == "/" and local[2] == ":":    # file:///C:/Users/…
            local = local[1:]
        if url.netloc and url.netloc != "localhost":                   # file://server/share
            local = f"//{url.netloc}{local}"
        path = local
    return path


def document_summary(split) -> str:
    """One paragraph: how many passages, by whom, and how many lines make none."""
    from synth.words import plural
    speakers = split.speakers
    if speakers:
        shown = ", ".join(f"{s} {n}" for s, n in list(speakers.items())[:8])
        more = f", and {len(speakers) - 8} more" if len(speakers) > 8 else ""
        text = (f"{plural(len(split.passages), 'passage')}, one per speaker turn, by "
                f"{plural(len(speakers), 'speaker')} (turns: {shown}{more}).")
    else:
        text = (f"{plural(len(split.passages), 'passage')}, one per paragraph: no speaker turns "
                "found (lines like “P3: …”).")
    if split.skipped:
        text += (f" {plural(len(split.skipped), 'line')} will make no passage (shown "
                 "below with the reason).")
    return text
