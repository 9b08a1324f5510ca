"""The document viewer: read a transcript, select text, apply codes by number key (1–9 or
Ctrl+1–9) or from the code list; coded text is highlighted in its code's colour; select inside a
highlight and press Delete to un-code it, or pick a coding in the list to re-code or remove it.

The coder's name (shown, editable) goes on every coding so two researchers can code the same
material and compare. Offsets shown to Qt (UTF-16) are converted to the project's code points.
"""
from __future__ import annotations

import getpass
from typing import Any, Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSplitter,
                               QTextEdit, QVBoxLayout, QWidget)

from coding.codebook import flat_codes
from coding.passages import (ApplyCode, Coding, Recode, RemoveCodings, Uncode, codings,
                             documents, segments_of)
from synth.operations import RowChange

from .codebook_panel import swatch
from .common import PanelBase, button, light, py_to_qt, qt_to_py

ID_ROLE = Qt.UserRole + 1
CODER_SETTING = "coder_name"


class DocumentPanel(PanelBase):
    coded = Signal(list)                    # coding ids just made
    # the documents (titles, cities, text), the codes (names, colours, order) and the codings
    # highlighted and listed; the coder's name from the settings (see ``shows_change``)
    shows = {"documents": None, "sources": None, "codings": None, "settings": None,
             "themes": frozenset({"parent_id", "name", "colour", "position"})}

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(project_provider, parent)
        self.document_box = QComboBox()
        self.document_box.setAccessibleName("Document to code")
        self.document_box.currentIndexChanged.connect(lambda _i: self._show_document())
        self.coder_edit = QLineEdit(getpass.getuser() if _has_user() else "")
        self.coder_edit.setAccessibleName("Coder name")
        self.coder_edit.setPlaceholderText("your name")
        self.coder_edit.setMaximumWidth(140)
        self.only_mine = QPushButton("Mine only")
        self.only_mine.setCheckable(True)
        self.only_mine.setAccessibleName("Highlight only my codings")
        self.only_mine.toggled.connect(lambda _on: self._highlight())
        top = QHBoxLayout()
        top.addWidget(self.document_box, 1)
        top.addWidget(QLabel("Coder"))
        top.addWidget(self.coder_edit)
        top.addWidget(self.only_mine)

        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.text.setAccessibleName("Document text: select words, then press a code's number")
        self.codes = QListWidget()
        self.codes.setAccessibleName("Codes: double-click to apply to the selection")
        self.codes.itemActivated.connect(lambda it: self.apply_codes([it.data(ID_ROLE)]))
        self.codings_list = QListWidget()
        self.codings_list.setAccessibleName("Codings in this document")
        self.codings_list.currentItemChanged.connect(self._on_coding_picked)
        uncode = button("Un-code selection", "Remove codes from the selected text",
                        self.uncode_selection)
        recode = button("Re-code", "Give the chosen coding the code selected above",
                        self.recode_current)
        quote_button = button("Quote selection", "Mark the selected words as a quote",
                              self.quote_selection)
        remove = button("Remove coding", "Remove the chosen coding", self.remove_current)
        # the codes and the codings: one column beside the text, or two side by side under it
        side = QWidget()
        self._side_layout = sl = QBoxLayout(QBoxLayout.TopToBottom, side)
        sl.setContentsMargins(0, 0, 0, 0)
        codes_part, codings_part = QVBoxLayout(), QVBoxLayout()
        codes_part.addWidget(QLabel("Codes (1–9)"))
        codes_part.addWidget(self.codes, 1)
        self._buttons_layout = QBoxLayout(QBoxLayout.TopToBottom)
        self._buttons_layout.addWidget(uncode)
        self._buttons_layout.addWidget(quote_button)
        codes_part.addLayout(self._buttons_layout)
        codings_part.addWidget(QLabel("Codings here"))
        codings_part.addWidget(self.codings_list, 1)
        row = QHBoxLayout()
        row.addWidget(recode)
        row.addWidget(remove)
        codings_part.addLayout(row)
        sl.addLayout(codes_part, 2)
        sl.addLayout(codings_part, 1)
        self.split = split = QSplitter()
        split.addWidget(self.text)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self._split_by_hand = False
        split.splitterMoved.connect(lambda *_: setattr(self, "_split_by_hand", True))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        # Number keys (with or without Ctrl) code the selection; Delete un-codes it. Handled as
        # key events on the text and the code list, so they work wherever the focus is there.
        for w in (self.text, self.codes):
            w.installEventFilter(self)
        self._doc_text = ""
        self._code_ids: list[int] = []
        self.refresh()

    # Narrower than this (a dock beside the board), the codes go under the text: side by side,
    # the text column was 55 pixels wide on a 1366-pixel screen, a word per line.
    SIDE_BY_SIDE_WIDTH = 620

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        wanted = (Qt.Horizontal if event.size().width() >= self.SIDE_BY_SIDE_WIDTH
                  else Qt.Vertical)
        if self.split.orientation() != wanted:
            self.split.setOrientation(wanted)
            across = QBoxLayout.TopToBottom if wanted == Qt.Horizontal else QBoxLayout.LeftToRight
            self._side_layout.setDirection(across)
            self._buttons_layout.setDirection(across)
            self._split_by_hand = False
        if not self._split_by_hand:        # once laid out at the new size
            QTimer.singleShot(0, self._share_split)

    def _share_split(self) -> None:
        """The text to code gets three fifths, whichever way the panel is laid out, until the
        researcher drags the handle."""
        whole = sum(self.split.sizes())
        if whole and not self._split_by_hand:
            self.split.setSizes([whole * 3 // 5, whole - whole * 3 // 5])

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.KeyPress:
            key, mods = event.key(), event.modifiers() & ~Qt.KeypadModifier
            if Qt.Key_1 <= key <= Qt.Key_9 and mods in (Qt.NoModifier, Qt.ControlModifier):
                self.apply_code_number(int(key) - int(Qt.Key_0))
                return True
            if key in (Qt.Key_Delete, Qt.Key_Backspace) and watched is self.text:
                self.uncode_selection()
                return True
        return super().eventFilter(watched, event)

    def shows_change(self, change: RowChange) -> bool:
        if change.table == "settings":
            return change.key == (CODER_SETTING,)
        return super().shows_change(change)

    # ---------------------------------------------------------------- reading
    def document_id(self) -> int | None:
        v = self.document_box.currentData()
        return None if v is None else int(v)

    def coder(self) -> str:
        return self.coder_edit.text().strip()

    def refresh(self) -> None:
        project = self.project
        current = self.document_id()
        self.document_box.blockSignals(True)
        self.document_box.clear()
        if project is not None:
            for d in documents(project):
                label = d.title + (f" ({d.site})" if d.site else "")
                self.document_box.addItem(label, d.id)
            if project.setting(CODER_SETTING) and not self.coder_edit.isModified():
                self.coder_edit.setText(project.setting(CODER_SETTING))
        i = self.document_box.findData(current) if current is not None else 0
        self.document_box.setCurrentIndex(max(i, 0))
        self.document_box.blockSignals(False)
        self._fill_codes()
        self._show_document(keep_view=True)

    def _fill_codes(self) -> None:
        self.codes.clear()
        self._code_ids = []
        project = self.project
        if project is None:
            return
        depth: dict[int, int] = {}
        for k, code in enumerate(flat_codes(project)):
            depth[code.id] = depth.get(code.parent_id, -1) + 1 if code.parent_id else 0
            number = f"{k + 1}" if k < 9 else "  "
            item = QListWidgetItem(swatch(code.colour),
                                   f"{number}  " + "   " * depth[code.id] + code.name)
            item.setData(ID_ROLE, code.id)
            item.setToolTip(f"{code.name}: press {k + 1} or Ctrl+{k + 1}" if k < 9 else code.name)
            self.codes.addItem(item)
            self._code_ids.append(code.id)

    def _show_document(self, keep_view: bool = False) -> None:
        project = self.project
        doc_id = self.document_id()
        text = ""
        if project is not None and doc_id is not None:
            text = project.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,)) or ""
        if text != self._doc_text:
            self._doc_text = text
            self.text.setPlainText(text)
        # the document's codings, read once for its highlights and its list
        shown = codings(project, document_id=doc_id) if project is not None and \
            doc_id is not None else []
        self._highlight(shown)
        self._fill_codings(shown)

    def _highlight(self, shown: list[Coding] | None = None) -> None:
        """Highlight ``shown``, the document's codings (None: read them), or only the coder's."""
        project, doc_id = self.project, self.document_id()
        selections = []
        if project is not None and doc_id is not None:
            if shown is None:
                shown = codings(project, document_id=doc_id)
            if self.only_mine.isChecked():
                shown = [c for c in shown if c.coder == self.coder()]
            for seg in segments_of(shown):
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.text.document())
                cursor.setPosition(py_to_qt(self._doc_text, seg.start))
                cursor.setPosition(py_to_qt(self._doc_text, seg.end), QTextCursor.KeepAnchor)
                fmt = QTextCharFormat()
                fmt.setBackground(light(seg.colours[-1]))
                if len(seg.colours) > 1:     # several codes: underline in the first one's colour
                    fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
                    fmt.setUnderlineColor(light(seg.colours[0], 255))
                fmt.setToolTip(", ".join(str(t) for t in seg.theme_ids))
                sel.cursor, sel.format = cursor, fmt
                selections.append(sel)
        self.text.setExtraSelections(selections)

    def highlighted_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, background colour name) of each highlight, in project offsets."""
        out = []
        for sel in self.text.extraSelections():
            c = sel.cursor
            out.append((qt_to_py(self._doc_text, c.selectionStart()),
                        qt_to_py(self._doc_text, c.selectionEnd()),
                        sel.format.background().color().name()))
        return out

    def _fill_codings(self, shown: list[Coding]) -> None:
        self.codings_list.blockSignals(True)
        self.codings_list.clear()
        for c in shown:
            snippet = c.text if len(c.text) <= 50 else c.text[:47] + "…"
            item = QListWidgetItem(swatch(c.colour), f"{c.code_name} · {c.coder or '—'} · "
                                                     f"“{snippet}”")
            item.setData(ID_ROLE, c.id)
            item.setData(ID_ROLE + 1, (c.start, c.end))
            self.codings_list.addItem(item)
        self.codings_list.blockSignals(False)

    # ---------------------------------------------------------------- selection
    def selection(self) -> tuple[int, int] | None:
        c = self.text.textCursor()
        if not c.hasSelection():
            return None
        return (qt_to_py(self._doc_text, c.selectionStart()),
                qt_to_py(self._doc_text, c.selectionEnd()))

    def select_span(self, start: int, end: int) -> None:
        c = self.text.textCursor()
        c.setPosition(py_to_qt(self._doc_text, start))
        c.setPosition(py_to_qt(self._doc_text, end), QTextCursor.KeepAnchor)
        self.text.setTextCursor(c)

    def show_document(self, document_id: int) -> None:
        self.up_to_date()
        i = self.document_box.findData(document_id)
        if i >= 0:
            self.document_box.setCurrentIndex(i)

    # ---------------------------------------------------------------- changes
    def apply_code_number(self, n: int) -> list[int] | None:
        if not 1 <= n <= len(self._code_ids):
            self.message.setText(f"There is no code {n}.")
            return None
        return self.apply_codes([self._code_ids[n - 1]])

    def apply_codes(self, theme_ids: list[int]) -> list[int] | None:
        span, doc_id = self.selection(), self.document_id()
        if span is None or doc_id is None:
            self.message.setText("Select some text first.")
            return None
        keep = self.text.textCursor()
        ids = self.apply(ApplyCode(doc_id, span[0], span[1], theme_ids, coder=self.coder()))
        self.text.setTextCursor(keep)
        if ids:
            self.coded.emit(list(ids))
        return ids

    def uncode_selection(self) -> None:
        span, doc_id = self.selection(), self.document_id()
        if span is None or doc_id is None:
            return
        self.apply(Uncode(doc_id, span[0], span[1], None, coder=self.coder()))

    def quote_selection(self) -> int | None:
        """Mark the selection as a quote of the speaker turn (passage) that holds it."""
        span, doc_id, project = self.selection(), self.document_id(), self.project
        if span is None or doc_id is None or project is None:
            self.message.setText("Select the words to quote first.")
            return None
        from coding.passages import trim_span
        from coding.quotes import MarkQuote
        s, e = trim_span(self._doc_text, *span)
        row = project.query("SELECT id, start, end FROM passages WHERE document_id = ? AND "
                            "start <= ? AND end >= ? ORDER BY origin = 'coded', end - start "
                            "LIMIT 1", (doc_id, s, e))
        if not row:
            self.message.setText("A quote must lie within one speaker's turn.")
            return None
        pid, ps, pe = row[0]
        whole = (s, e) == (ps, pe)
        return self.apply(MarkQuote("passage", pid, None if whole else s - ps,
                                    None if whole else e - ps))

    def _on_coding_picked(self, item: QListWidgetItem | None, _prev: Any) -> None:
        if item is not None:
            self.select_span(*item.data(ID_ROLE + 1))

    def recode_current(self) -> None:
        item, code = self.codings_list.currentItem(), self.codes.currentItem()
        if item is None or code is None:
            self.message.setText("Choose a coding below and a code above.")
            return
        self.apply(Recode(item.data(ID_ROLE), theme_id=code.data(ID_ROLE)))

    def remove_current(self) -> None:
        item = self.codings_list.currentItem()
        if item is not None:
            self.apply(RemoveCodings([item.data(ID_ROLE)]))


def _has_user() -> bool:
    try:
        return bool(getpass.getuser())
    except Exception:  # noqa: BLE001 - no user name on this machine: leave it blank
        return False
