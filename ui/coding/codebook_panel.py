"""The codebook panel: the code tree with counts; drag to reorder and nest; new, rename,
merge, delete; import and export of REFI-QDA `.qdc` codebooks; the current code's description
and memo, written as the researcher types."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QFormLayout, QHeaderView,
                               QPlainTextEdit, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from coding.codebook import (AddMemo, ImportCodebook, MergeCodes, MoveCode, UpdateMemo,
                             codebook, export_qdc, memos, read_qdc)
from synth.board import CreateTheme, DeleteTheme, UpdateTheme
from synth.errors import UserError

from ..board import asking
from ..flow_layout import FlowLayout
from .common import PanelBase, column_reader

ID_ROLE = Qt.UserRole + 1
# what each column counts, with its sub-codes': "Coded 0" beside a code holding six cards read
# as "used nowhere" (QA), so the columns say where each count comes from; on two lines, so the
# codes' names keep room in a dock of 330 pixels (on one, the counts took it all)
COLUMNS = (("Code", "The code (a theme on the board); drag to reorder or nest"),
           ("Passages\ncoded", "Spans of transcripts and documents coded with it, its "
                              "sub-codes' included (Coding panel)"),
           ("Cards on\nboard", "Cards (statements, notes, passages) in the theme on the board, "
                              "its sub-themes' included"),
           ("Evidence", "Evidence linked to it as a theme (not to its recommendations), its "
                        "sub-codes' included"))


def swatch(colour: str) -> QIcon:
    pm = QPixmap(14, 14)
    pm.fill(QColor(colour))
    return QIcon(pm)


class CodeTree(QTreeWidget):
    """A tree whose drops become one ``MoveCode`` operation; the tree is then rebuilt from
    the project, so what is shown is always what is saved."""
    moved = Signal(int, object, int)       # theme id, new parent id (None: top), position
    moves = Signal(list)                   # several of those, one undo step (a drop)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels([name for name, _tip in COLUMNS])
        for col, (_name, tip) in enumerate(COLUMNS):
            self.headerItem().setToolTip(col, tip)
        # the counts keep their width (a dock's default cut "Cards" off); the name takes the rest
        head = self.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in range(1, len(COLUMNS)):
            head.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setAccessibleName("Codebook: codes and sub-codes with their counts")
        self.setToolTip("Drag codes to reorder or nest them; by keyboard, Alt+Up/Down moves "
                        "the current code, Alt+Right nests it under the one above, Alt+Left "
                        "takes it out a level")

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        arrows = (Qt.Key_Up, Qt.Key_Down, Qt.Key_Left, Qt.Key_Right)
        if event.modifiers() & ~Qt.KeypadModifier == Qt.AltModifier and event.key() in arrows:
            step = self.keyboard_move(event.key())
            if step is not None:
                self.moved.emit(*step)          # the tree is rebuilt on return
                moved = next((i for i in self.all_items() if i.data(0, ID_ROLE) == step[0]),
                             None)
                if moved is not None:           # still the current code, its parent open
                    self.setCurrentItem(moved)
                    self.scrollToItem(moved)
            return          # at an end: nothing moves (nor does the cursor, as a plain arrow)
        super().keyPressEvent(event)

    def keyboard_move(self, key: int) -> tuple[int, int | None, int] | None:
        """The ``MoveCode`` an Alt+arrow asks of the current code, as a drop would make it
        (a mouse is not needed to reorder or nest codes); None where it cannot go."""
        item = self.currentItem()
        if item is None:
            return None
        code = item.data(0, ID_ROLE)
        parent = item.parent()
        parent_id = parent.data(0, ID_ROLE) if parent else None
        siblings = self.child_ids(parent_id)
        i = siblings.index(code)
        if key == Qt.Key_Up and i > 0:
            return code, parent_id, i - 1
        if key == Qt.Key_Down and i < len(siblings) - 1:
            return code, parent_id, i + 1
        if key == Qt.Key_Right and i > 0:
            above = siblings[i - 1]
            return code, above, len(self.child_ids(above))
        if key == Qt.Key_Left and parent is not None:
            grand = parent.parent()
            grand_id = grand.data(0, ID_ROLE) if grand else None
            return code, grand_id, self.child_ids(grand_id).index(parent_id) + 1
        return None

    def drop_target(self, item: QTreeWidgetItem | None, indicator: Any
                    ) -> tuple[int | None, int]:
        """(parent id, position) a drop on ``item`` at ``indicator`` means."""
        if item is None:
            return None, self.topLevelItemCount()
        if indicator == QAbstractItemView.OnItem:
            return item.data(0, ID_ROLE), item.childCount()
        parent = item.parent()
        parent_id = parent.data(0, ID_ROLE) if parent else None
        index = (parent.indexOfChild(item) if parent else self.indexOfTopLevelItem(item))
        return parent_id, index + (1 if indicator == QAbstractItemView.BelowItem else 0)

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        dragged = self.dragged_ids()
        if not dragged:
            event.ignore()
            return
        target = self.itemAt(event.position().toPoint())
        parent_id, position = self.drop_target(target, self.dropIndicatorPosition())
        event.setDropAction(Qt.IgnoreAction)
        event.accept()
        self.moves.emit(self.plan_moves(dragged, parent_id, position))

    def dragged_ids(self) -> list[int]:
        """The codes a drag carries: the selected ones (or the current one), in the order shown,
        leaving out those inside another selected code (they travel with it)."""
        current = self.currentItem()
        items = self.selectedItems()
        if current is not None and current not in items:
            items = [current]
        chosen = {id(i) for i in items}

        def inside_chosen(item: QTreeWidgetItem) -> bool:
            p = item.parent()
            while p is not None:
                if id(p) in chosen:
                    return True
                p = p.parent()
            return False

        return [i.data(0, ID_ROLE) for i in self.all_items()
                if id(i) in chosen and not inside_chosen(i)]

    def all_items(self) -> list[QTreeWidgetItem]:
        """Every code's item, in the order shown (parents before their children)."""
        out: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            out.append(item)
            for n in range(item.childCount()):
                walk(item.child(n))
        for n in range(self.topLevelItemCount()):
            walk(self.topLevelItem(n))
        return out

    def child_ids(self, parent_id: int | None) -> list[int]:
        if parent_id is None:
            return [self.topLevelItem(n).data(0, ID_ROLE) for n in range(self.topLevelItemCount())]
        parent = next((i for i in self.all_items() if i.data(0, ID_ROLE) == parent_id), None)
        return [] if parent is None else [parent.child(n).data(0, ID_ROLE)
                                          for n in range(parent.childCount())]

    def plan_moves(self, ids: list[int], parent_id: int | None, position: int
                   ) -> list[tuple[int, int | None, int]]:
        """``MoveCode`` steps that put ``ids``, in this order, side by side where a drop at
        ``position`` among ``parent_id``'s children (as shown, the dragged ones included) lands.
        Each step's position is computed on the order the steps before it leave."""
        siblings = self.child_ids(parent_id)
        moving = set(ids)
        anchor = next((c for c in siblings[position:] if c not in moving), None)
        order = list(siblings)
        steps: list[tuple[int, int | None, int]] = []
        for n, code in enumerate(ids):
            if code in order:
                order.remove(code)
            if n:
                pos = order.index(ids[n - 1]) + 1
            else:
                pos = order.index(anchor) if anchor is not None else len(order)
            order.insert(pos, code)
            steps.append((code, parent_id, pos))
        return steps


def export_summary(roots: list[Any], file_name: str) -> str:
    """What an export wrote, in words: how many codes, how many nested, how many candidates."""
    codes = [c for r in roots for c in r.walk()]
    nested = sum(1 for c in codes if c.parent_id is not None)
    candidates = sum(1 for c in codes if c.status == "candidate")
    said = f"Wrote {len(codes)} code{'s' if len(codes) != 1 else ''}"
    if nested:
        said += f" ({nested} of them sub-codes)"
    said += f" to {file_name}"
    if candidates:
        are = "is a candidate theme" if candidates == 1 else "are candidate themes"
        said += f"; {candidates} {are} not yet accepted (grey in the panel)"
    return said + "."


class CodebookPanel(PanelBase):
    code_activated = Signal(int)
    codes_imported = Signal()       # a codebook's codes added: the window reads their names
    # the tree (names, colours, order, descriptions as tooltips), its counts of codings, cards
    # and evidence by theme, and the current code's description and memo
    shows = {"themes": frozenset({"parent_id", "name", "description", "colour", "position",
                                  "status"}),
             "codings": frozenset({"theme_id"}), "card_places": frozenset({"theme_id"}),
             "evidence": frozenset({"theme_id"}), "memos": None}

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(project_provider, parent)
        self.tree = CodeTree(self)
        self.tree.moved.connect(self._on_moved)
        self.tree.moves.connect(self._on_moves)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemActivated.connect(
            lambda item, _col: self.code_activated.emit(item.data(0, ID_ROLE)))
        # on as many rows as the dock's width needs: in one row "Import…" was cut to "Im" (QA)
        buttons = FlowLayout()
        self.buttons: list[QPushButton] = []
        for text, slot, name in (("New", self.new_code, "New code"),
                                 ("Sub-code", self.new_sub_code, "New sub-code of the selected"),
                                 ("Merge", self.merge_selected,
                                  "Merge the selected codes into the current one"),
                                 ("Delete", self.delete_selected, "Delete the selected codes"),
                                 ("Import…", self._import_dialog, "Import a .qdc codebook"),
                                 ("Export…", self._export_dialog, "Export the codebook as .qdc")):
            b = QPushButton(text)
            b.setAccessibleName(name)
            b.setToolTip(name)
            b.clicked.connect(slot)
            buttons.addWidget(b)
            self.buttons.append(b)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Description of the current code")
        self.memo_edit = QPlainTextEdit()
        self.memo_edit.setAccessibleName("Memo on the current code")
        for e in (self.description_edit, self.memo_edit):
            e.setMaximumHeight(80)
        self.description_field = self.autosave(
            self.description_edit, self._write_description,
            name="code-description", read=column_reader("themes", "description"))
        self.memo_field = self.autosave(self.memo_edit, self._write_memo, name="memo",
                                        read=self._read_memo)
        self.tree.currentItemChanged.connect(lambda *_: self._show_code())
        details = QFormLayout()
        details.addRow("Description", self.description_edit)
        details.addRow("Memo", self.memo_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)
        layout.addLayout(details)
        layout.addWidget(self.message)
        self._filling = False
        self.refresh()

    # ---------------------------------------------------------------- view
    def refresh(self) -> None:
        project = self.project
        expanded = {self._id(i) for i in self._items() if i.isExpanded()}
        current, current_id = self.selected_ids(), self.current_id()
        self._filling = True
        self.tree.blockSignals(True)     # the current code is put back, not lost, on a rebuild
        self.tree.clear()
        if project is not None:
            def add(code: Any, parent: Any) -> None:
                item = QTreeWidgetItem([code.name, str(code.total.codings),
                                        str(code.total.cards), str(code.total.evidence)])
                item.setData(0, ID_ROLE, code.id)
                for col in range(1, len(COLUMNS)):
                    item.setTextAlignment(col, Qt.AlignRight | Qt.AlignVCenter)
                item.setIcon(0, swatch(code.colour))
                item.setToolTip(0, code.description or code.name)
                item.setFlags(item.flags() | Qt.ItemIsEditable | Qt.ItemIsDragEnabled
                              | Qt.ItemIsDropEnabled)
                if code.status == "candidate":
                    item.setForeground(0, QColor("#777777"))
                (parent.addChild if parent is not None else self.tree.addTopLevelItem)(item)
                for child in code.children:
                    add(child, item)
                item.setExpanded(code.id in expanded or not expanded)
                item.setSelected(code.id in current)
            for code in codebook(project):
                add(code, None)
        item = self.item_for(current_id) if current_id is not None else None
        if item is not None:
            self.tree.setCurrentItem(item, 0, QItemSelectionModel.NoUpdate)
        self.tree.blockSignals(False)
        self._filling = False
        self._show_code()

    def _show_code(self) -> None:
        project, tid = self.project, self.current_id()
        row = [] if project is None or tid is None else \
            project.query("SELECT description FROM themes WHERE id = ?", (tid,))
        if not row:
            self.description_field.load(None, "")
            self.memo_field.load(None, "")
            return
        self.description_field.load(tid, row[0][0] or "")
        notes = memos(project, "theme", tid)
        # the latest memo is the one edited here; typing into an empty field adds one
        self.memo_field.load((tid, notes[-1]["id"] if notes else None),
                             notes[-1]["text"] if notes else "")

    def _write_description(self, tid: int, text: str) -> None:
        self.write(UpdateTheme(tid, {"description": text}))
        item = self.item_for(tid)
        if item is not None:                     # the tree's tooltip shows the description
            saved = self.project.scalar("SELECT description FROM themes WHERE id = ?", (tid,))
            filling, self._filling = self._filling, True     # else a changed item is a rename
            try:
                item.setToolTip(0, saved or item.text(0))
            finally:
                self._filling = filling

    def _write_memo(self, key: tuple[int, int | None], text: str) -> Any:
        tid, memo_id = key
        if memo_id is not None:
            self.write(UpdateMemo(memo_id, text))
            return None
        if not text.strip():
            return None
        memo_id = self.write(AddMemo("theme", tid, text))
        return None if memo_id is None else (tid, memo_id)

    @staticmethod
    def _read_memo(project: Any, key: list[int | None]) -> str | None:
        """What the memo field shows for ``(theme, memo)``: None when either is gone; for a
        theme with no memo yet (one is added by typing), its latest memo or nothing."""
        tid, memo_id = key
        if not project.query("SELECT 1 FROM themes WHERE id = ?", (int(tid),)):
            return None
        if memo_id is None:
            notes = memos(project, "theme", int(tid))
            return notes[-1]["text"] if notes else ""
        rows = project.query("SELECT text FROM memos WHERE id = ?", (int(memo_id),))
        return rows[0][0] if rows else None

    def _items(self) -> list[QTreeWidgetItem]:
        return self.tree.all_items()

    @staticmethod
    def _id(item: QTreeWidgetItem) -> int:
        return int(item.data(0, ID_ROLE))

    def item_for(self, theme_id: int) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if self._id(i) == theme_id), None)

    def selected_ids(self) -> list[int]:
        return [self._id(i) for i in self.tree.selectedItems()]

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return None if item is None else self._id(item)

    # ---------------------------------------------------------------- changes
    def _on_moved(self, theme_id: int, parent_id: Any, position: int) -> None:
        self.apply(MoveCode(theme_id, parent_id, position))

    def _on_moves(self, steps: list[tuple[int, Any, int]]) -> None:
        if len(steps) == 1:
            self._on_moved(*steps[0])
        elif steps:
            from synth.board import Batch
            self.apply(Batch([MoveCode(*s) for s in steps], f"Move {len(steps)} codes"))

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        self.apply(UpdateTheme(self._id(item), {"name": item.text(0)}))

    def new_code(self) -> int | None:
        return self.apply(CreateTheme("New code"))

    def new_sub_code(self) -> int | None:
        parent = self.current_id()
        return self.apply(CreateTheme("New sub-code", parent_id=parent))

    def merge_selected(self) -> None:
        target = self.current_id()
        others = [i for i in self.selected_ids() if i != target]
        if target is None or not others:
            self.message.setText("Select the codes to merge, then the code to keep last.")
            return
        self.apply(MergeCodes(others, target))

    def delete_selected(self) -> None:
        """Delete the selected codes, asking first when they carry the team's work: a code is
        a theme, and its recommendations, evidence, codings and dots go with it (QA2 #1). The
        board's Dissolve and Delete theme ask the same question (``ui.board.asking``)."""
        from synth.board import Batch
        ids = self.selected_ids()
        if not ids:
            return
        self.flush()            # a description being typed is part of what would go
        if not asking.confirm_delete_themes(self, self.project, ids):
            self.message.tell("Nothing deleted.")
            return
        self.apply(Batch([DeleteTheme(i) for i in ids], "Delete codes"))

    def export_to(self, path: str | Path) -> Path | None:
        """Write the codes the panel shows, candidate themes too (as ``report --qdpx`` does:
        on a fresh study every theme is a candidate, and the file said the codebook was
        empty), and say what was written."""
        if self.project is None:
            self.message.setText("Open a project first.")
            return None
        try:
            out = export_qdc(self.project, path, include_candidates=True)
        except UserError as e:
            self.message.setText(str(e))
            return None
        except OSError as e:
            self.message.setText(f"The codebook was not written: {e.strerror or e} "
                                 f"({path}).")
            return None
        self.message.tell(export_summary(codebook(self.project), out.name))
        return out

    def import_from(self, path: str | Path) -> list[int] | None:
        try:
            codes = read_qdc(path)
        except UserError as e:
            self.message.setText(str(e))
            return None
        ids = self.apply(ImportCodebook(codes))
        if ids:
            self.codes_imported.emit()
        return ids

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export codebook", "codebook.qdc",
                                              "REFI-QDA codebook (*.qdc)")
        if path:
            self.export_to(path)

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import codebook", "",
                                              "REFI-QDA codebook (*.qdc)")
        if path:
            self.import_from(path)
