"""What was imported: each source with its counts and the importer's warnings.

The counts are read by ``read`` (SQL, no Qt; counting 2,000,000 votes takes a moment, so the
window may run it on a worker, see ``background``) and shown by ``show``."""
from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .reading import ReadThenShow

_KIND_LABEL = {"debate": "Online debate", "workshop": "Workshop notes", "interview": "Interview",
               "survey": "Survey", "tallies": "Statements with tallies",
               "characteristics": "Participant characteristics", "document": "Document"}
# a workshop's or an interview's transcript is a source of kind "workshop" or "interview" that
# brought documents, not notes (QA 43: a Word transcript was labelled "Workshop notes")
_TRANSCRIPT_LABEL = {"workshop": "Workshop transcript", "interview": "Interview transcript"}
_ONE = {"statements": "statement", "notes": "note", "documents": "document",
        "participants": "participant", "passages": "passage", "votes": "vote"}


def kind_label(kind: str, counts: dict[str, int]) -> str:
    if counts.get("documents") and not counts.get("notes") and kind in _TRANSCRIPT_LABEL:
        return _TRANSCRIPT_LABEL[kind]
    return _KIND_LABEL.get(kind, kind)


def counts_text(counts: dict[str, int]) -> str:
    """"39 statements, 1 document, 11 passages": what a source brought in."""
    return ", ".join(f"{v:,} {_ONE.get(k, k) if v == 1 else k}" for k, v in counts.items() if v)


def _ask_box(parent: QWidget | None, text: str) -> bool:
    from ..board.asking import ask_destructive
    return ask_destructive(parent, "Remove source", text, "Remove")


# The question before a source is removed (tests put an answer here instead of a modal box).
ask: Callable[[QWidget | None, str], bool] = _ask_box


class SourcesPanel(ReadThenShow, QWidget):
    # each source, and the rows it brought in, counted
    shows = {t: None for t in ("sources", "statements", "notes", "documents", "passages",
                               "participants", "votes")}
    remove_asked = Signal(int)      # a source id: the researcher chose Remove source…

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.project_provider = project_provider
        self.setAccessibleName("Sources")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Imported sources")
        self.tree.setHeaderLabels(["Source", "Items", "Where"])
        self.tree.setRootIsDecorated(True)
        self.tree.setColumnWidth(0, 220)
        self.tree.header().setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree)
        # an import taken back: the wrong file, a total row read as a note, a transcript
        # split wrongly (Edit → Undo brings it back)
        self.act_remove = QAction("Remove source…", self)
        self.act_remove.setShortcut(QKeySequence.StandardKey.Delete)
        self.act_remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_remove.triggered.connect(self._remove_current)
        self.tree.addAction(self.act_remove)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def current_source(self) -> int | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()            # a warning line: its source
        return None if item is None else item.data(0, Qt.UserRole)

    def _remove_current(self) -> None:
        source = self.current_source()
        if source is not None:
            self.remove_asked.emit(int(source))

    @staticmethod
    def read(p: Any) -> list[tuple[dict, dict]]:
        """(source row, counts by word) for every source of project ``p``."""
        counts: dict[int, dict[str, int]] = {}
        for table, word, col in (("statements", "statements", "source_id"),
                                 ("notes", "notes", "source_id"),
                                 ("documents", "documents", "source_id"),
                                 ("participants", "participants", "source_id")):
            for sid, n in p.query(f"SELECT {col}, count(*) FROM {table} GROUP BY 1"):
                counts.setdefault(sid, {})[word] = n
        for sid, n in p.query("SELECT d.source_id, count(*) FROM passages pa "
                              "JOIN documents d ON d.id = pa.document_id GROUP BY 1"):
            counts.setdefault(sid, {})["passages"] = n
        for sid, n in p.query("SELECT s.source_id, count(*) FROM votes v "
                              "JOIN statements s ON s.id = v.statement_id GROUP BY 1"):
            counts.setdefault(sid, {})["votes"] = n
        return [(dict(r), counts.get(r["id"], {})) for r in p.query(
            "SELECT id, kind, name, site, workshop, details, imported_at FROM sources "
            "ORDER BY id")]

    def show(self, data: list[tuple[dict, dict]] | None) -> None:
        self.tree.clear()
        for r, c in data or []:
            main = counts_text(c)
            where = " · ".join(x for x in (r["site"], r["workshop"]) if x)
            label = kind_label(r["kind"], c)
            item = QTreeWidgetItem([f"{r['name']}", main, where])
            item.setToolTip(0, f"{r['name']}\n{label}, imported {r['imported_at']}")
            item.setToolTip(1, main)
            item.setToolTip(2, where)
            item.setData(0, Qt.UserRole, r["id"])
            kind = QTreeWidgetItem([label, "", ""])
            item.addChild(kind)
            try:
                details = json.loads(r["details"] or "{}")
            except ValueError:
                details = {}
            for w in (details.get("import") or {}).get("warnings", []) or []:
                wi = QTreeWidgetItem([f"⚠ {w}", "", ""])
                wi.setToolTip(0, w)
                item.addChild(wi)
            self.tree.addTopLevelItem(item)
            for i in range(item.childCount()):  # a line of its own, across the columns
                item.child(i).setFirstColumnSpanned(True)
            if item.childCount() > 1:
                item.setExpanded(True)
        # the counts whole, however narrow the panel starts (QA 43: "39 statement…" with
        # 600 pixels to spare); the names keep their width and their tooltip
        self.tree.resizeColumnToContents(1)
