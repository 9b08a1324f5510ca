"""Reading from the project for what the window shows: at once over a small project, on the
window's reader (a worker with its own connection) over a big one. The one place for it.

``Reader`` is the window's: ``reader(read, on_done) -> bool`` (a ``Background``) runs ``read``
on a worker and hands its result to ``on_done`` on the GUI thread (True), or declines over a
small project (False). It alone decides what is big, drops an answer for a project no longer
open, and reports a read that failed (on the notification bar, wherever it ran).

``Reads`` is a view's: ``reads.ask(key, read, show)`` shows ``read(project)`` (``show(None)``
without a project); only the answer to the newest ask of a key is shown, an older one is
dropped. Panels, dialogs and the board hold one each, with the window's ``Background``."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QDockWidget, QWidget

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


class CatchesUpInSight:
    """A panel that skips reads while out of sight: ``on_seen`` runs whenever it comes into
    sight (shown, or its dock's tab chosen)."""

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[misc]
        follow_dock(self, self.on_seen)  # type: ignore[arg-type]
        self.on_seen()

    def on_seen(self) -> None:
        raise NotImplementedError


class ReadThenShow(CatchesUpInSight):
    """A panel that reads all it shows at once: ``read(project)`` (SQL and numpy, no Qt, a
    staticmethod: a worker may run it) and ``show(data)`` on the GUI thread (None: no
    project). Hidden (behind another tab, its dock closed), it does not read: it is stale
    and reads when shown."""
    project_provider: Callable[[], Any]
    background: Background | None = None
    _stale = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads = Reads(lambda: self.project_provider(), lambda: self.background)

    def read(self, p: Any) -> Any:
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        if out_of_sight(self) and self.project_provider() is not None:
            self._stale = True
            return
        self._stale = False
        self.read_and_show()

    def on_seen(self) -> None:
        """The panel came into sight: read if a change came while it was out of sight."""
        if self._stale:
            self.refresh()

    def read_and_show(self) -> None:
        self.reads.ask("", self.read, self.show)

    def waiting(self) -> bool:
        """A newer read than the figures on screen is on its way."""
        return self.reads.waiting("")
