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
