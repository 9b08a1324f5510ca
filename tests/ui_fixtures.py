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
