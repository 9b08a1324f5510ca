"""Reading from the project for what the window shows: at once over a small project, on the
window's reader (a worker with its own connection) over a big one. The one place for it.

``Reader`` is the window's: ``reader(read, on_done) -> bool`` (a ``Background``) runs ``read``
on a worker and hands its result to ``on_done`` on the GUI thread (True), or declines over a
small project (False). It alone decides what is big, drops an answer for a project no longer
open, and reports a read that failed (on the notification bar, wherever it ran).

``Reads`` is a view's: ``reads.ask(key, read, show)`` shows ``read(project)`` (``show(None)``
without a project); only the answer to the newest ask of a key is shown, an older one is
dropped. Panels, dialogs and the board hold one each, with the window's ``Background``.

``Follows`` is what the window keeps up to date after a change: each view (a panel, the themes
list, the summary) says which tables and columns it shows and is told of every change; a panel
out of sight stays stale and reads when it comes into sight."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QDockWidget, QWidget

from synth.operations import ChangeSet, RowChange

from ..tasks import task_connection

Background = Callable[[Callable[[Any], Any], Callable[[Any], None]], bool]

_RAISE = object()


class Reader:
    """``Background`` for the window's panels, dialogs and board (see the module)."""

    def __init__(self, runner: Any, project: Callable[[], Any], big: Callable[[], bool],
                 report: Callable[[BaseException], None]) -> None:
        self.runner, self.project, self.big, self.report = runner, project, big, report

    def __call__(self, read: Callable[[Any], Any], on_done: Callable[[Any], None]) -> bool:
        project = self.project()
        if project is None or not self.big():
            return False

        def work(progress: Any, cancelled: Any) -> Any:
            with task_connection(project) as own:
                return read(own)

        def done(data: Any) -> None:
            if self.project() is project:
                on_done(data)
        # a failure outside the read (its connection) is still an answer: the view stops
        # waiting (``Reads`` reports it)
        self.runner.run("Reading figures", work, on_done=done, blocks_edits=False,
                        on_error=lambda e: done(_Failed(e)))
        return True


class Reads:
    """The reads of one view, each under a key (see the module)."""

    def __init__(self, project: Callable[[], Any],
                 background: Callable[[], Background | None]) -> None:
        self._project, self._background = project, background
        self._asked: dict[str, int] = {}
        self._shown: dict[str, int] = {}

    def ask(self, key: str, read: Callable[[Any], Any], show: Callable[[Any], None], *,
            fallback: Any = _RAISE,
            failed: Callable[[BaseException], None] | None = None) -> bool:
        """``show(read(project))`` unless a newer ask of ``key`` comes first; True while the
        answer is on its way (a worker reads it), False once shown. A read that fails shows
        ``fallback`` when one is given (a help the view stands without: an offer,
        suggestions); else it is reported by the window's reader (raised without one), the
        key stops waiting, and ``failed(error)`` lets the view say so instead of waiting on."""
        token = self._asked[key] = self._asked.get(key, 0) + 1
        background = self._background()

        def done(answer: Any) -> None:
            if self._asked.get(key) != token:
                return
            self._shown[key] = token
            if isinstance(answer, _Failed):
                report = getattr(background, "report", None)
                if report is None:
                    raise answer.error
                report(answer.error)
                if fallback is not _RAISE:      # a help the view stands without
                    show(fallback)
                elif failed is not None:
                    failed(answer.error)
                return
            show(answer)
        project = self._project()
        if project is None:
            done(None)
            return False
        attempt = _or_else(read, fallback) if fallback is not _RAISE else _caught(read)
        if background is not None and background(attempt, done):
            return True
        done(attempt(project))
        return False

    def forget(self, key: str) -> None:
        """A read of ``key`` on its way is no longer wanted."""
        self._asked[key] = self._shown[key] = self._asked.get(key, 0) + 1

    def waiting(self, key: str) -> bool:
        """A read of ``key`` was asked and its answer is not shown yet."""
        return self._asked.get(key, 0) != self._shown.get(key, 0)


class _Failed:
    """A read's exception, carried to the GUI thread as its answer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _caught(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def attempt(p: Any) -> Any:
        try:
            return read(p)
        except Exception as e:  # noqa: BLE001 - handed to the view's ``done``
            return _Failed(e)
    return attempt


def _or_else(read: Callable[[Any], Any], fallback: Any) -> Callable[[Any], Any]:
    def guarded(p: Any) -> Any:
        try:
            return read(p)
        except Exception:  # noqa: BLE001 - the caller said what stands in for it
            return fallback
    return guarded


def out_of_sight(widget: QWidget) -> bool:
    """``widget`` cannot be seen: not shown, or in a dock behind another dock's tab (Qt moves
    such a dock out of the window without hiding it: ``isVisible`` stays True)."""
    return not widget.isVisible() or widget.visibleRegion().isEmpty()


def follow_dock(widget: QWidget, on_seen: Callable[[], None]) -> None:
    """Call ``on_seen`` whenever the dock holding ``widget`` comes into sight (its tab chosen,
    which sends no show event to what the dock holds); once per widget, from its showEvent."""
    dock = widget.parentWidget()
    while dock is not None and not isinstance(dock, QDockWidget):
        dock = dock.parentWidget()
    if dock is not None and widget.property("follows_dock") is not True:
        widget.setProperty("follows_dock", True)
        dock.visibilityChanged.connect(lambda seen: on_seen() if seen else None)


class Follows:
    """A view kept up to date precisely: ``shows`` names the tables its reads use, each with the
    columns it shows (None: all of them). The window tells every view of every change to the
    project (``note_changes``: applied, undone or redone, as ``History`` reports it); a row
    added to or removed from such a table, or one of those columns changed, makes the view
    ``stale``, and the window brings it up to date once per turn of the event loop
    (``catch_up``). A change it does not show reads nothing: a move of cards recounts no votes."""
    shows: dict[str, frozenset[str] | None] = {}
    stale = False           # a change touched what the view shows since it last read

    def shows_change(self, change: RowChange) -> bool:
        """Whether ``change`` alters what this view shows (see ``shows``)."""
        if change.table not in self.shows:
            return False
        columns = self.shows[change.table]
        if columns is None or change.before is None or change.after is None:
            return True
        return any(change.before.get(c) != change.after.get(c) for c in columns)

    def note_changes(self, changes: ChangeSet) -> None:
        """A change to the project: stale if it touched what the view shows."""
        if self.stale or self.shows.keys().isdisjoint(changes.tables()):
            return              # a view of other tables passes 20,000 moves by in 0.3 ms
        shown = self.shows
        self.stale = any(self.shows_change(c) for c in changes.changes if c.table in shown)

    def catch_up(self, everything: bool = False) -> bool:
        """Read the project again if a change touched what the view shows, or ``everything``
        (another project, a board read again); True if it did. A view out of sight only stays
        stale: it reads when it comes into sight."""
        if not (self.stale or everything):
            return False
        if self.unseen():
            self.stale = True
            return False
        self.stale = False          # a write the reading makes (a field's pending words) is seen
        try:
            self.read_now()
        except Exception:
            self.stale = True       # tried again at the next change
            raise
        return True

    def unseen(self) -> bool:
        """The view cannot be seen now: it reads when it can."""
        return False

    def read_now(self) -> None:
        raise NotImplementedError


class Follower(Follows):
    """A view of the window's own that ``read_now`` brings up to date (the themes list, the
    summary's counts)."""

    def __init__(self, shows: dict[str, frozenset[str] | None],
                 read_now: Callable[[], None]) -> None:
        self.shows, self.read_now = shows, read_now  # type: ignore[method-assign]


class CatchesUpInSight(Follows):
    """A panel that skips reads while out of sight (not shown, or its dock behind another tab):
    it stays stale and catches up whenever it comes into sight (``on_seen``)."""
    project_provider: Callable[[], Any]

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[misc]
        follow_dock(self, self.on_seen)  # type: ignore[arg-type]
        self.on_seen()

    def unseen(self) -> bool:
        # without a project there is nothing to read: it empties at once
        return out_of_sight(self) and self.project_provider() is not None  # type: ignore

    def on_seen(self) -> None:
        """The panel came into sight: read if a change came while it was out of sight."""
        self.catch_up()


class ReadThenShow(CatchesUpInSight):
    """A panel that reads all it shows at once: ``read(project)`` (SQL and numpy, no Qt, a
    staticmethod: a worker may run it) and ``show(data)`` on the GUI thread (None: no
    project). Its failures are reported by the window's reader (see ``Reads``)."""
    background: Background | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads = Reads(lambda: self.project_provider(), lambda: self.background)

    def read(self, p: Any) -> Any:
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Read now if in sight; else stale, read when seen."""
        self.catch_up(everything=True)

    def read_now(self) -> None:
        self.reads.ask("", self.read, self.show)

    def waiting(self) -> bool:
        """A newer read than the figures on screen is on its way."""
        return self.reads.waiting("")
