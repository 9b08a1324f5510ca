"""Panels that show figures read from the project: ``read(project)`` (SQL and numpy, no Qt, so
a worker may run it with its own connection) and ``show(data)`` on the GUI thread.

The window sets ``background``: ``background(read, on_done) -> bool`` runs ``read`` on a worker
and hands the result to ``on_done`` later (True), or declines (False: a small project, read at
once). A result that arrives after a newer refresh, or another project, is dropped."""
from __future__ import annotations

from typing import Any, Callable

Background = Callable[[Callable[[Any], Any], Callable[[Any], None]], bool]


class ReadThenShow:
    project_provider: Callable[[], Any]
    background: Background | None = None
    _read_token = 0

    def read(self, p: Any) -> Any:          # a staticmethod in the panels: no self on a worker
        raise NotImplementedError

    def show(self, data: Any) -> None:      # None: no project
        raise NotImplementedError

    def read_and_show(self) -> None:
        self._read_token += 1
        token = self._read_token
        p = self.project_provider()

        def done(data: Any) -> None:
            if token == self._read_token:
                self.show(data)
        if p is None:
            done(None)
        elif self.background is None or not self.background(self.read, done):
            done(self.read(p))
