"""The quotes panel: every quote with its attribution and consent; personal data found in the
selected quote is listed for the researcher to confirm (redact) or skip, one by one."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QVBoxLayout, QWidget)

from coding.quotes import RemoveQuote, UpdateQuote, quote, quotes
from coding.redaction import ConfirmRedaction, RemoveRedaction, pending_findings

from .common import CARDS_MIME, PanelBase, button, cards_mime, column_reader

ID_ROLE = Qt.UserRole + 1


def _label(q: Any) -> str:
    """A quote as the list shows it: its exported words, attribution, and a consent flag."""
    return f"“{q.redacted_text}” — {q.attribution}" + ("" if q.consent else "  [no consent]")


class QuoteList(QListWidget):
    """Quotes can be dragged onto evidence lists (as ``("quote", id)``)."""

    def mimeData(self, items: Any) -> Any:  # noqa: N802 - Qt override
        return cards_mime([("quote", int(i.data(ID_ROLE))) for i in items])

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [CARDS_MIME]


class QuotesPanel(PanelBase):
    # the quotes, and the words they quote: a statement's, a note's, or a span of a document
    # (a passage or a coding); a row gone from sources takes its items' words with it
    shows = {"quotes": None, "statements": frozenset({"text", "source_id"}),
             "notes": frozenset({"text", "source_id"}),
             "passages": frozenset({"document_id", "start", "end"}),
             "codings": frozenset({"document_id", "start", "end"}),
             "documents": frozenset({"text", "source_id"}), "sources": None}

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(project_provider, parent)
        self.list = QuoteList()
        self.list.setDragEnabled(True)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Quotes (drag onto evidence, or Link as evidence…)")
        self.list.currentItemChanged.connect(lambda *_: self._show_quote())
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.PlainText)
        self.preview.setAccessibleName("The quote as it will be exported")
        self.attribution = QLineEdit()
        self.attribution.setAccessibleName("Attribution")
        # written as the researcher types, like every text field in these panels (autosave)
        self.attribution_field = self.autosave(self.attribution, self._write_attribution,
                                               normalise=str.strip, name="quote-attribution",
                                               read=column_reader("quotes", "attribution"))
        self.consent = QCheckBox("Consent to quote")
        self.consent.setAccessibleName("Consent to quote")
        self.consent.toggled.connect(self._on_consent)
        self.findings = QListWidget()
        self.findings.setAccessibleName("Possible personal data in this quote")
        redact = button("Redact", "Redact the chosen personal data", self.confirm_current_finding)
        skip = button("Not personal", "Leave the chosen words as they are",
                      self.skip_current_finding)
        unredact = button("Undo redactions", "Remove this quote's redactions",
                          self.clear_redactions)
        remove = button("Remove quote", "Unmark this quote", self.remove_current)
        # dragging a quote onto an evidence list needs a mouse: this is the keyboard's way
        link = button("Link as evidence…", "Link this quote as evidence to a recommendation "
                      "or a theme's summary", self.link_dialog)
        row = QHBoxLayout()
        for b in (redact, skip, unredact, remove):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 2)
        layout.addWidget(link)
        layout.addWidget(self.preview)
        layout.addWidget(self.attribution)
        layout.addWidget(self.consent)
        layout.addWidget(QLabel("Possible personal data"))
        layout.addWidget(self.findings, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._skipped: set[tuple[int, int, int]] = set()     # (quote, start, end) this session
        self._filling = False
        self.refresh()

    def quote_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def refresh(self) -> None:
        current = self.quote_id()
        self.list.blockSignals(True)
        self.list.clear()
        project = self.project
        if project is not None:
            for q in quotes(project):
                item = QListWidgetItem(_label(q))
                item.setData(ID_ROLE, q.id)
                self.list.addItem(item)
                if q.id == current:
                    self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._show_quote()

    def _show_quote(self) -> None:
        project, qid = self.project, self.quote_id()
        self._filling = True
        self.findings.clear()
        q = quote(project, qid) if project is not None and qid is not None else None
        self.preview.setText(q.redacted_text if q else "")
        self.attribution_field.load(q.id if q else None, q.attribution if q else "")
        self.consent.setChecked(bool(q and q.consent))
        if q is not None:
            for f in pending_findings(project, q.id):
                if (q.id, f.start, f.end) in self._skipped:
                    continue
                item = QListWidgetItem(f"{f.kind.replace('_', ' ')}: {f.text}")
                item.setData(ID_ROLE, (f.start, f.end, f.replacement))
                self.findings.addItem(item)
            if self.findings.count():
                self.findings.setCurrentRow(0)
        self._filling = False

    def confirm_current_finding(self) -> None:
        item, qid = self.findings.currentItem(), self.quote_id()
        if item is not None and qid is not None:
            s, e, replacement = item.data(ID_ROLE)
            self.apply(ConfirmRedaction(qid, s, e, replacement))

    def skip_current_finding(self) -> None:
        item, qid = self.findings.currentItem(), self.quote_id()
        if item is not None and qid is not None:
            s, e, _ = item.data(ID_ROLE)
            self._skipped.add((qid, s, e))
            self._show_quote()

    def clear_redactions(self) -> None:
        from synth.board import Batch
        q = quote(self.project, self.quote_id()) if self.quote_id() is not None else None
        if q and q.redactions:
            self.apply(Batch([RemoveRedaction(q.id, s, e) for s, e, _ in q.redactions],
                             "Undo redactions"))

    def _write_attribution(self, qid: int, text: str) -> None:
        self.write(UpdateQuote(qid, {"attribution": text.strip()}))
        q = quote(self.project, qid) if self.project is not None else None
        for i in range(self.list.count()):           # the list shows the new attribution
            item = self.list.item(i)
            if q is not None and item.data(ID_ROLE) == qid:
                item.setText(_label(q))

    def _on_consent(self, on: bool) -> None:
        qid = self.quote_id()
        if qid is not None and not self._filling:
            self.apply(UpdateQuote(qid, {"consent": on}))

    def link_dialog(self) -> None:
        """Pick a recommendation or a theme's summary by typing; the quote is linked there."""
        from .card_evidence import evidence_picker, link_targets, shown_target
        qid, project = self.quote_id(), self.project
        if qid is None or project is None:
            self.message.setText("Choose a quote first.")
            return
        targets = link_targets(project,
                               shown_target(getattr(self.window(), "coding_panels", [])))
        if not targets:
            self.message.setText("There is nothing to link the quote to yet: make a theme, "
                                 "or add a recommendation in the Recommendations panel.")
            return
        self.picker = evidence_picker(self, targets, "Link the quote as evidence",
                                      lambda target, label: self.link_to(target, label, qid))

    def link_to(self, target: tuple[str, int], label: str, quote_id: int) -> list[int] | None:
        from .card_evidence import link_operation
        ids = self.apply(link_operation(target, [("quote", quote_id)]))
        if ids is not None:
            self.message.tell(f"Linked the quote as evidence to {label}.")
        return ids

    def remove_current(self) -> None:
        qid = self.quote_id()
        if qid is not None:
            self.apply(RemoveQuote(qid))
