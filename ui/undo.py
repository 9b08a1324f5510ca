"""The Qt undo stack over the project's own history (synth.operations.History).

Each QUndoCommand stands for one applied operation: its first redo is the apply, later
redo/undo call history.redo/undo, so the file and the stack never disagree. Operations applied
by someone else (a panel calling ``project.history.apply``) are mirrored onto the stack as
already-done commands so Ctrl+Z still undoes the latest change whoever made it.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from synth.errors import UserError
from synth.project import ProjectError
from synth.operations import ChangeSet, Operation


class OperationCommand(QUndoCommand):
    def __init__(self, stack: "ProjectUndoStack", operation: Operation | None, text: str,
                 already_done: bool = False) -> None:
        super().__init__(text)
        self._stack = stack
        self.operation = operation
        self._first = not already_done
        self._skip = already_done       # mirrored: the apply already happened
        self.result: Any = None
        self.error: BaseException | None = None

    def redo(self) -> None:
        history = self._stack.history
        if history is None:
            return
        if self._skip:
            self._skip = False
            return
        self._stack._busy += 1
        try:
            if self._first:
                self._first = False
                before = len(history.done)
                try:
                    self.result = history.apply(self.operation)
                except BaseException as e:  # noqa: BLE001 - re-raised by push_operation
                    self.error = e
                    self.setObsolete(True)
                    return
                if len(history.done) == before:   # nothing changed: no undo step
                    self.setObsolete(True)
            else:
                try:
                    history.redo()
                except (UserError, ProjectError) as e:  # the file moved past it; read-only
                    self._refuse(e)
        finally:
            self._stack._busy -= 1

    def undo(self) -> None:
        history = self._stack.history
        if history is None or self._stack._rebuilding:
            return
        self._stack._busy += 1
        try:
            history.undo()
        except (UserError, ProjectError) as e:      # the file moved past it; read-only
            self._refuse(e)
        finally:
            self._stack._busy -= 1

    def _refuse(self, e: Exception) -> None:
        self._stack.refused = e
        self.setObsolete(True)          # the stack deletes it; the rest is rebuilt below
        QTimer.singleShot(0, self._stack.rebuild)
        self._stack.refusal.emit(str(e))


class ProjectUndoStack(QUndoStack):
    refusal = Signal(str)       # an undo or redo refused, and why: the window says it

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.history = None
        self._busy = 0
        self._rebuilding = False

    def set_project(self, project: Any | None) -> None:
        if self.history is not None and self._on_history in self.history.listeners:
            self.history.listeners.remove(self._on_history)
        self.clear()
        self.history = project.history if project is not None else None
        if self.history is not None:
            self.history.listeners.append(self._on_history)
            if not project.read_only:   # a read-only window undoes nothing
                self._mirror()

    refused: Exception | None = None    # why the last undo was refused

    def _mirror(self) -> None:
        """The history's steps as commands: the done ones (an earlier session's, kept in the
        file, first) already done, so Ctrl+Z undoes them as it undoes this session's, then the
        undone ones, undone again here without touching the history, so Ctrl+Y redoes them."""
        undone = list(reversed(self.history.undone))    # the next redo first
        for applied in [*self.history.done, *undone]:
            self.push(OperationCommand(self, None, applied.name, already_done=True))
        self._rebuilding = True
        try:
            for _ in undone:
                self.undo()
        finally:
            self._rebuilding = False

    def rebuild(self) -> None:
        """After a refused step: the stack shows what the history can still undo and redo
        (the steps refused and those before them are gone; this session's redo stays)."""
        if self.history is None:
            return
        self.clear()
        self._mirror()

    def push_operation(self, operation: Operation) -> Any:
        """Apply ``operation`` as one undo step; returns its result, raises its error."""
        if self.history is None:
            raise RuntimeError("no project is open")
        command = OperationCommand(self, operation, operation.describe())
        self.push(command)
        if command.error is not None:
            raise command.error
        return command.result

    def _on_history(self, changes: ChangeSet) -> None:
        if self._busy or not changes.changes or self.history is None:
            return
        # someone applied an operation without the stack: mirror it as an already-done step
        if changes.name.startswith(("Undo ", "Redo ")):
            return
        self.push(OperationCommand(self, None, changes.name, already_done=True))
