"""Opening a big board without freezing the window.

Up to ``BIG_BOARD`` cards the board is read and built at once, as before. Above it, the cards
are read on the task runner with a connection of its own (pure data, no Qt), and the items are
then made in slices of ``FILL_SLICE`` cards, one slice per turn of the event loop, so the window
keeps painting and answering while the board fills. Until the last slice is placed the board is
not ``ready`` and the window refuses changes to it.

Reading a big board again (after an analysis, say) keeps what is on screen: the new data are
read in the background as well, and the card items already there take their new data slice by
slice instead of being thrown away and made again.

While a big board is read and filled, Python's cycle collector is paused, and when it is
ready the objects it made are frozen out of the collector's sight (``gc.freeze``): a full
collection walks every object alive, and with 120,000 cards (their data, items and wrappers)
each took 100-300 ms, on the GUI thread or on a worker holding the interpreter's lock. The
board's objects are still freed as usual when nothing refers to them any more.
"""
from __future__ import annotations


from typing import Any, Callable, Iterator

from PySide6.QtCore import QObject, QTimer, Signal

from ..tasks import pause_collector, resume_collector
from . import data as board_data
from .scene import BoardScene

BIG_BOARD = 10_000


class BoardLoader(QObject):
    progressed = Signal(int, int, str)       # cards placed, cards in all, what is happening
    ready = Signal()                         # every card is on the board
    abandoned = Signal()                     # the reading was cancelled: the board is empty

    def __init__(self, scene: BoardScene, runner: Any, on_error: Callable[[BaseException], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.runner = runner
        self.on_error = on_error
        self.threshold = BIG_BOARD
        self.extra_work: list[Callable[[Any], Any]] = []   # more reading for the same worker
        self._steps: Iterator[int] | None = None
        self._total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._token = 0
        self._reading: tuple[Any, Any] | None = None     # (project, task) of a read under way
        self._on_ready: Callable[[list], None] | None = None
        self._more: list = []
        self._shown: Any = None        # the project whose board the scene holds (or fills)
        self._gc_paused = False

    def busy(self) -> bool:
        return not self.scene.ready

    def load(self, on_ready: Callable[[list], None] | None = None) -> bool:
        """Show the scene's project. Returns True when the board is complete on return (small,
        or no project); else the board fills in the background and ``ready`` follows.
        ``on_ready`` gets the results of ``extra_work`` (read on the worker for a big board,
        here otherwise)."""
        project = self.scene.project
        self._on_ready = on_ready
        if self._reading is not None and self._reading[0] is project \
                and self._reading[1].state in ("waiting", "running"):
            return False      # a read of this project is on its way: it has every change
        self.stop()
        again = self._shown is project and len(self.scene.cards) > self.threshold
        self._shown = project
        if project is None:
            self.scene.show_data({}, {})
            self._finish([])
            return True
        if not again and board_data.card_count(project) <= self.threshold:
            self.scene.show_data(*self.scene.read_board())
            self._finish([w(project) for w in self.extra_work])
            return True
        token = self._token
        self._pause_gc()
        if not again:
            self.scene.clear_board()
        self.scene.ready = False        # closed to changes until every card has its new data
        from ..tasks import task_connection
        extra = list(self.extra_work)

        def work(progress, cancelled):
            with task_connection(project) as own:
                progress(0, 0, "Opening the board: reading the cards…")
                cards, themes = self.scene.read_board(own)
                more = [w(own) for w in extra]
            if cancelled():     # only read, nothing written: the opening is given up
                from ..tasks import TaskCancelled
                raise TaskCancelled()
            return cards, themes, more

        def done(result) -> None:
            self._reading = None
            if token != self._token or self.scene.project is not project:
                return       # another project (or a newer reload) came in the meantime
            cards, themes, self._more = result
            self._total = len(cards)
            fill = self.scene.begin_refresh if again else self.scene.begin_fill
            self._steps = fill(cards, themes)
            self.progressed.emit(0, self._total, self._message(0))
            self._timer.start()

        def failed(e: BaseException) -> None:
            self._reading = None
            if token == self._token:
                self._resume_gc()
                self.scene.ready = True     # an empty board that can be closed or reopened
                self.on_error(e)

        def cancelled() -> None:
            self._reading = None
            if token == self._token:
                self._resume_gc()
                self.scene.ready = True
                self.abandoned.emit()

        task = self.runner.run("Opening the board", work, on_done=done, on_error=failed)
        task.cancelled_done.connect(cancelled)
        self._reading = (project, task)
        return False

    def _pause_gc(self) -> None:
        if not self._gc_paused:
            self._gc_paused = True
            pause_collector()

    def _resume_gc(self) -> None:
        if self._gc_paused:
            self._gc_paused = False
            resume_collector(freeze=True)

    def _finish(self, more: list) -> None:
        self._resume_gc()
        if self._on_ready is not None:
            self._on_ready(more)
        self.ready.emit()

    def _message(self, placed: int) -> str:
        return f"Opening the board: {placed:,} of {self._total:,} cards placed…"

    def _step(self) -> None:
        if self._steps is None:
            return
        try:
            placed = next(self._steps)
        except StopIteration:      # the board was cleared meanwhile: nothing more to do
            self._steps = None
            return
        if self.scene.ready:
            self._steps = None
            self._finish(self._more)
            return
        self.progressed.emit(placed, self._total, self._message(placed))
        self._timer.start()

    def stop(self) -> None:
        """Forget any fill under way (its read, if running, is ignored when it ends)."""
        self._timer.stop()
        self._steps = None
        self._reading = None
        self._token += 1
        self._resume_gc()
