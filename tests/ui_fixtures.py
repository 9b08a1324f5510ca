"""Fixtures the Qt tests share: a shown main window with its own settings file, and a check that
no test leaves a background task's thread running. A Qt test module imports the ones it uses
(``from tests.ui_fixtures import no_thread_left, window``); the thread check is autouse there."""
from __future__ import annotations

import threading

import pytest


@pytest.fixture(autouse=True)
def no_thread_left():
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()
            and t.name.startswith("synth-task")]
    assert not left, f"a test left threads running: {left}"


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    from ui.settings import Settings
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


@pytest.fixture
def window(qtbot, settings):
    from ui.main_window import MainWindow
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


# --------------------------------------------------------------------------- the topic study
def build_topic_study(folder):
    """The 60-card study with real topics (40 statements, 20 notes; statements i and i+3 share
    a topic: IT, pay, managers), no themes; its path."""
    from tests.test_ui_workflow import _give_topics
    from ui.testing import make_project
    path = make_project(folder / "study.synth", statements=40, notes=20, themes=0)
    _give_topics(path)
    return path


def add_three_themes(path) -> dict[str, int]:
    """Themes IT, Pay and Managers of five statements each (the rest unsorted), and every
    card embedded with the bundled model; {theme name: id}."""
    from synth.board import CreateTheme, cards
    from synth.project import Project
    from synth.themes.embeddings import LocalBackend, embed_texts
    with Project.open(path) as p:
        ids = {name: p.history.apply(CreateTheme(name, cards=[
            ("statement", 1 + t + 3 * j) for j in range(1, 6)]))
            for t, name in enumerate(("IT", "Pay", "Managers"))}
        embed_texts([c.text for c in cards(p)], LocalBackend(), project=p)
    return ids


def hold_naming(monkeypatch, timeout: float = 20):
    """Theme naming (``labels.label_themes``) held on the worker until released: a task is
    caught mid-run, after clustering and before its write; (naming started, go on) events."""
    from synth.themes import labels
    naming, go_on = threading.Event(), threading.Event()
    real = labels.label_themes

    def held(*args, **kwargs):
        naming.set()
        assert go_on.wait(timeout)
        return real(*args, **kwargs)
    monkeypatch.setattr(labels, "label_themes", held)
    return naming, go_on


class HeldTask:
    """A background task of the window that writes a theme into its project and is held on
    its worker until the test sets ``go_on``. ``write_first``: it writes, sets ``written``,
    then waits; else it sets ``waiting``, waits, then writes. It returns ``{"theme": id}``, or
    by ``end``: "fail" raises an error, "cancelled" raises its cancelled error, "if asked"
    raises it only when Cancel was pressed."""

    def __init__(self, end: str = "return", *, write_first: bool = True,
                 name: str = "Written by the task",
                 cards: tuple = (("statement", 1), ("statement", 2))) -> None:
        self.end, self.write_first, self.name, self.cards = end, write_first, name, list(cards)
        self.written, self.waiting, self.go_on = (threading.Event(), threading.Event(),
                                                  threading.Event())

    def fn(self, project, progress, cancelled):
        from synth.board import CreateTheme
        if not self.write_first:
            self.waiting.set()
            assert self.go_on.wait(10)
        tid = project.history.apply(CreateTheme(self.name, cards=self.cards))
        self.written.set()
        if self.write_first:
            assert self.go_on.wait(10)
        if self.end == "cancelled" or (self.end == "if asked" and cancelled()):
            from synth.themes.clustering import ClusteringCancelled
            raise ClusteringCancelled()
        if self.end == "fail":
            raise RuntimeError("the task broke")
        return {"theme": tid}

    def start(self, window, title: str = "Writing a theme"):
        from ui.analysis import _in_task
        return window._run_analysis(title, lambda p: _in_task(self.fn, p))


def theme_discovery_available() -> bool:
    try:
        from synth.themes.embeddings import LocalBackend
        from synth.themes.project_themes import discover_themes  # noqa: F401
        LocalBackend()
        return True
    except Exception:  # noqa: BLE001
        return False


needs_model = pytest.mark.skipif(not theme_discovery_available(),
                                 reason="synth.themes or its local model is not available")


def take_counts(calls: dict[str, list]) -> dict[str, int]:
    """How many calls each spied name saw since the last take; the tally starts again."""
    out = {k: len(v) for k, v in calls.items()}
    for v in calls.values():
        v.clear()
    return out
