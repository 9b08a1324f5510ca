"""The one way the UI reads from the project for what it shows (ui.panels.reading): at once over
a small project, on the window's reader over a big one; only the newest answer is shown; a read
that fails is reported once, in one place."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from ui.panels.reading import Reads  # noqa: E402


class Held:
    """A background that keeps each read to answer it later, as the window's reader does."""

    def __init__(self, project):
        self.project, self.held = project, []

    def __call__(self, read, on_done) -> bool:
        self.held.append((read, on_done))
        return True

    def answer(self, i: int) -> None:
        read, on_done = self.held[i]
        on_done(read(self.project))


class Reporting:
    """A background that declines (a small project) and reports failures, as ``Reader`` does."""

    def __init__(self):
        self.reported = []

    def __call__(self, read, on_done) -> bool:
        return False

    def report(self, e) -> None:
        self.reported.append(str(e))


def test_a_small_project_is_read_at_once_and_no_project_shows_none():
    project = {"n": 3}
    shown = []
    reads = Reads(lambda: project, lambda: None)
    assert reads.ask("k", lambda p: p["n"] * 2, shown.append) is False
    assert shown == [6] and not reads.waiting("k")
    project = None
    reads.ask("k", lambda p: p["n"], shown.append)
    assert shown == [6, None]


def test_only_the_newest_answer_of_a_key_is_shown_and_a_forgotten_one_never():
    project = {"n": 1}
    bg = Held(project)
    shown = []
    reads = Reads(lambda: project, lambda: bg)
    assert reads.ask("k", lambda p: ("first", p["n"]), shown.append) is True
    assert reads.ask("k", lambda p: ("second", p["n"]), shown.append) is True
    assert reads.ask("other", lambda p: ("other", p["n"]), shown.append) is True
    assert reads.waiting("k")
    bg.answer(1)
    bg.answer(0)                    # the older answer comes last: dropped
    assert shown == [("second", 1)] and not reads.waiting("k")
    bg.answer(2)                    # another key is not touched by the first's asks
    assert shown == [("second", 1), ("other", 1)]
    reads.ask("k", lambda p: "third", shown.append)
    reads.forget("k")
    bg.answer(3)
    assert shown == [("second", 1), ("other", 1)] and not reads.waiting("k")


def _fails(p):
    raise ValueError("the table is gone")


def test_a_failed_read_shows_its_fallback_or_is_reported_by_the_reader_or_raised():
    project = object()
    shown = []
    bg = Held(project)
    reads = Reads(lambda: project, lambda: bg)
    reads.ask("k", _fails, shown.append, fallback=[])
    bg.answer(0)                                       # on the worker: the fallback
    assert shown == [[]]
    reporting = Reporting()
    reads = Reads(lambda: project, lambda: reporting)
    assert reads.ask("k", _fails, shown.append, fallback=None) is False
    assert shown == [[], None] and reporting.reported == []
    assert reads.ask("k", _fails, shown.append) is False
    assert shown == [[], None] and reporting.reported == ["the table is gone"]
    with pytest.raises(ValueError):                    # no reader (a panel alone): raised
        Reads(lambda: project, lambda: None).ask("k", _fails, shown.append)
