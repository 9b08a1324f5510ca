"""The task runner: long work (themes, opinion groups, imports) off the GUI thread.

A task is a plain function ``fn(progress, cancelled)``; ``progress(done, total, message)``
is safe to call from the worker (it only emits a queued signal), ``cancelled()`` reads a flag
the Cancel button sets. A task is cancelled only when it raised ``TaskCancelled`` (or the
engine's own cancelled error): one that returned is done, even if Cancel was pressed after its
last check (``finished_late``), since its work is written. The result or the error comes back on the GUI thread by signal. Workers
never touch widgets; one ThreadPoolExecutor, so shutting down waits for every thread.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterator

from PySide6.QtCore import QObject, Signal

TaskFn = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class TaskCancelled(Exception):
    """Raised by a task that noticed ``cancelled()``; reported as cancelled, not failed."""


BUSY_TIMEOUT_MS = 15000

# Python's cycle collector, paused while work that makes millions of objects runs: a full
# collection walks every object alive while holding the interpreter's lock, and with a big
# study's board and an analysis' results in memory each took 100-300 ms, a freeze of the
# window whichever thread ran it. What such work makes is freed by reference counting anyway;
# cycles wait until the collector runs again.
_collector_pauses = 0
_collector_lock = threading.Lock()


def pause_collector() -> None:
    global _collector_pauses
    with _collector_lock:
        _collector_pauses += 1
        gc.disable()


def resume_collector(freeze: bool = False) -> None:
    """Undo one ``pause_collector``. ``freeze``: the objects alive now (a board just built)
    are left out of every later collection (``gc.freeze``); they are still freed when no
    longer used."""
    global _collector_pauses
    with _collector_lock:
        _collector_pauses = max(0, _collector_pauses - 1)
        if freeze:
            gc.freeze()
        if _collector_pauses == 0:
            gc.enable()


@contextlib.contextmanager
def task_connection(project: Any) -> Iterator[Any]:
    """A second connection to the open project for work on a worker thread: SQLite's WAL lets
    it read beside the window's connection, and its writes wait (busy timeout) instead of
    failing while the window writes. The window already holds the project's cross-process
    lock, so this connection does not take it again; its History has no listeners, so no view
    is touched from the worker. Closed without a checkpoint (the window's close does that)."""
    with project.worker_connection(BUSY_TIMEOUT_MS) as p:
        yield p


class Task(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)        # the exception
    cancelled_done = Signal()
    finished = Signal()            # after any of the three above

    def __init__(self, name: str, fn: TaskFn, blocks_edits: bool = True) -> None:
        super().__init__()
        self.name = name
        self.fn = fn
        self.blocks_edits = blocks_edits   # False: read-only work, the board stays editable
        self._cancel = threading.Event()
        self.future: Future | None = None
        self.state = "waiting"     # waiting / running / done / failed / cancelled
        # done although Cancel was pressed: the work ended before its next check for cancel
        self.finished_late = False
        # the window's project when the task started, and its file (device, inode): whose news
        # and undo steps the result is (MainWindow.open_now)
        self.started_on: tuple = (None, None)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # runs on the worker thread
    def _run(self) -> None:
        self.state = "running"
        pause_collector()
        try:
            self._run_fn()
        finally:
            resume_collector()
        self.finished.emit()

    def _run_fn(self) -> None:
        try:
            result = self.fn(lambda d, t, m="": self.progressed.emit(int(d), int(t), str(m)),
                             self._cancel.is_set)
        except TaskCancelled:
            self.state = "cancelled"
            self.cancelled_done.emit()
        except BaseException as e:  # noqa: BLE001 - every error goes to the notification bar
            if self._cancel.is_set() and (type(e).__name__.endswith("Cancelled")
                                          or isinstance(e, InterruptedError)):
                self.state = "cancelled"
                self.cancelled_done.emit()
            else:
                self.state = "failed"
                self.failed.emit(e)
        else:
            # A function that returned has done its work, cancel or not: what it wrote is in
            # the file, so its result is delivered (shown, one undo step) as done; only a task
            # that raised its cancelled exception stopped before changing anything.
            self.finished_late = self._cancel.is_set()
            self.state = "done"
            self.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs tasks one at a time (they write to the same project) and reports the current one."""

    task_started = Signal(object)
    task_finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="synth-task")
        self.tasks: list[Task] = []

    def run(self, name: str, fn: TaskFn, *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            blocks_edits: bool = True) -> Task:
        task = Task(name, fn, blocks_edits)
        if on_done:
            task.succeeded.connect(on_done)
        if on_error:
            task.failed.connect(on_error)
        task.finished.connect(lambda: self._on_task_finished(task))
        self.tasks.append(task)
        self.task_started.emit(task)
        task.future = self._pool.submit(task._run)
        return task

    def _on_task_finished(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        self.task_finished.emit(task)

    def busy(self) -> bool:
        """A task is waiting, running, or finished on its worker but its result not yet handed
        over on the GUI thread (it leaves ``tasks`` only then): until the window has applied
        it, the work is not done."""
        return bool(self.tasks)

    def blocks_edits(self) -> bool:
        """A task that writes to the project is under way (or its result not yet applied):
        changes from the window wait."""
        return any(t.blocks_edits for t in self.tasks)

    def cancel_all(self) -> None:
        for t in self.tasks:
            t.cancel()

    def shutdown(self, wait: bool = True) -> None:
        self.cancel_all()
        self._pool.shutdown(wait=wait, cancel_futures=True)
