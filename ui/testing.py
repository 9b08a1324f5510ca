"""Helpers for the Qt tests and the benchmark: build a study of any size, and drive the mouse
on the board with real events (QTest's mouseMove does not carry held buttons everywhere)."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

WORDS = ("hybrid office commute pay promotion manager training laptop workload wellbeing team "
         "flexible learning career feedback recognition meeting email software policy budget "
         "fairness trust autonomy mentor skills travel family childcare location network").split()
SITES = ("Manchester", "Glasgow", "Cardiff")


def make_project(path: str | Path, *, statements: int = 40, notes: int = 20, themes: int = 2,
                 placed: float = 0.0, seed: int = 1, voters: int = 0) -> Path:
    """A study with ``statements`` debate statements (with vote tallies), ``notes`` workshop
    notes across three cities, and ``themes`` themes holding a ``placed`` share of the cards."""
    from synth.board import CreateTheme, MoveCards
    from synth.project import Project, now_iso
    rng = random.Random(seed)
    path = Path(path)
    with Project.create(path, overwrite=True) as p:
        with p.transaction() as db:
            db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                       "(1, 'tallies', 'Debate statements', ?)", (now_iso(),))
            db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                       "(2, 'workshop', 'Workshop notes', ?)", (now_iso(),))

            def text(i: int) -> str:
                return f"#{i} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 22)))
            db.executemany(
                "INSERT INTO statements(id, source_id, external_id, text, agree_tally, "
                "disagree_tally, pass_tally) VALUES (?, 1, ?, ?, ?, ?, ?)",
                [(i + 1, str(i + 1), text(i + 1), rng.randint(0, 90), rng.randint(0, 40),
                  rng.randint(0, 15)) for i in range(statements)])
            db.executemany(
                "INSERT INTO notes(id, source_id, external_id, text, site) VALUES (?, 2, ?, ?, ?)",
                [(i + 1, str(i + 1), text(i + 1), SITES[i % 3]) for i in range(notes)])
        refs = [("statement", i + 1) for i in range(statements)] + \
               [("note", i + 1) for i in range(notes)]
        rng.shuffle(refs)
        n_placed = int(len(refs) * placed)
        ids = [p.history.apply(CreateTheme(f"Theme {t + 1}")) for t in range(themes)]
        if ids and n_placed:
            per: dict[int, list] = {}
            for j, r in enumerate(refs[:n_placed]):
                per.setdefault(ids[j % len(ids)], []).append(r)
            for tid, rs in per.items():
                p.history.apply(MoveCards(rs, tid, [(0.0, float(k)) for k in range(len(rs))]))
        p.history.done.clear()          # a study as imported: nothing to undo
        with p.transaction() as db:
            db.execute("DELETE FROM history")
    return path


def file_places(path: str | Path) -> dict[tuple[str, int], int]:
    """Where each card lies, read from the project file by a separate connection."""
    import sqlite3
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {(k, i): t for k, i, t in db.execute(
            "SELECT card_kind, card_id, theme_id FROM card_places")}
    finally:
        db.close()


def file_rows(path: str | Path, sql: str, params: Any = ()) -> list[tuple]:
    import sqlite3
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def _send(view: Any, kind: Any, scene_pos: Any, button: Any, buttons: Any,
          modifiers: Any = None) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    local = QPointF(view.mapFromScene(scene_pos))
    glob = QPointF(view.viewport().mapToGlobal(local.toPoint()))
    ev = QMouseEvent(kind, local, glob, button, buttons, modifiers or Qt.NoModifier)
    QApplication.sendEvent(view.viewport(), ev)


def drag(view: Any, start: Any, end: Any, *, steps: int = 6, modifiers: Any = None) -> None:
    """Press at ``start``, move in steps, release at ``end`` (scene coordinates)."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtWidgets import QApplication
    _send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton, modifiers)
    for i in range(1, steps + 1):
        t = i / steps
        p = QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t)
        _send(view, QEvent.MouseMove, p, Qt.NoButton, Qt.LeftButton, modifiers)
        QApplication.processEvents()
    _send(view, QEvent.MouseButtonRelease, end, Qt.LeftButton, Qt.NoButton, modifiers)
    QApplication.processEvents()


def click(view: Any, pos: Any, modifiers: Any = None) -> None:
    from PySide6.QtCore import QEvent, Qt
    _send(view, QEvent.MouseButtonPress, pos, Qt.LeftButton, Qt.LeftButton, modifiers)
    _send(view, QEvent.MouseButtonRelease, pos, Qt.LeftButton, Qt.NoButton, modifiers)


def pixel_variety(image: Any, step: int = 7) -> int:
    """How many different colours a grid sample of an image holds (a blank grab has 1 or 2)."""
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def bring_into_sight(window: Any, *titles: str) -> None:
    """Float the window's docks of these titles (all: none given), each then in sight at once:
    a panel behind another dock's tab reads nothing until it is seen (ui.panels.reading)."""
    from PySide6.QtWidgets import QApplication
    for dock in window.docks:
        if not titles or dock.windowTitle() in titles:
            dock.setFloating(True)
            dock.show()
    QApplication.processEvents()


def settle(qtbot: Any, window: Any) -> None:
    """Let the window's refresh timer (0 ms, single shot) run."""
    qtbot.waitUntil(lambda: not window._refresh_timer.isActive(), timeout=5000)
    qtbot.wait(10)


def coding_panel(window: Any, cls: type | str) -> Any:
    """The window's coding panel of this class (or class name)."""
    name = cls if isinstance(cls, str) else cls.__name__
    return next(p for p in window.coding_panels if type(p).__name__ == name)
