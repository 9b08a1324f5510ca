"""Crash and power loss: a Synth process is killed (SIGKILL, no chance to clean up) at random
moments while it applies operations, imports files and stores analyses — over and over on the
same project. After every kill the project must open, pass SQLite's integrity check and hold a
state that was committed: whole operations, whole imports, whole analysis runs.

And two Synth instances on one project: the second is told it is in use and gets a read-only
view; a killed first instance leaves no stale lock behind.

CI kills 10 times per kind of work (30); ``SYNTH_SOAK=1`` 100 times per kind.
"""
from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE
from reliability_figures import SOAK, record
from synth.project import Project, ProjectError, ProjectInUse

WORKER = Path(__file__).with_name("reliability_worker.py")
KILLS = 100 if SOAK else 10


def start(mode: str, path: Path, **kw) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, str(WORKER), mode, str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    line = child.stdout.readline()
    if line.strip() != "ready":
        child.kill()
        raise AssertionError(f"worker did not start: {line!r} {child.stderr.read()}")
    return child


class Window:
    """How long after "ready" a kill may come: it widens while kills keep landing before the
    first commit (a slow, busy machine), so kills fall during the work, not only before it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def saw(self, commits: int) -> None:
        if commits == 0:
            self.seconds = min(self.seconds * 1.5, 15.0)


def kill_at_random(child: subprocess.Popen, rng: random.Random, window: Window) -> list[str]:
    time.sleep(rng.uniform(0.0, window.seconds))
    child.send_signal(signal.SIGKILL)
    out = child.stdout.read().splitlines()
    child.wait()
    child.stdout.close()
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL, "the worker ended before it was killed"
    window.saw(sum(line.split()[0] in ("committed", "imported", "analysed") for line in out))
    return out


def reopen_checked(path: Path, read_only_first: bool) -> Project:
    if read_only_first:  # a viewer may be the first to open the file after the crash
        with Project.open(path, read_only=True) as ro:
            assert ro.scalar("PRAGMA quick_check") == "ok"
    p = Project.open(path)
    assert p.scalar("PRAGMA integrity_check") == "ok"
    assert p.query("PRAGMA foreign_key_check") == []
    return p


# --------------------------------------------------------------------------- operations
def _check_ops(p: Project, allowed: set[int] | None) -> None:
    names = [r[0] for r in p.query("SELECT name FROM themes ORDER BY id")]
    # whole operations only: every theme renamed, with its dot and its cards
    assert names == [f"t{k} done" for k in range(len(names))]
    if allowed is not None:
        assert len(names) in allowed, \
            f"{len(names)} themes, but the worker's last word allows only {sorted(allowed)}"
    assert p.scalar("SELECT count(*) FROM dot_votes") == len(names)
    per_theme = p.query("SELECT t.id, count(cp.card_id) FROM themes t "
                        "LEFT JOIN card_places cp ON cp.theme_id = t.id GROUP BY t.id")
    assert sum(n for _, n in per_theme) == p.scalar("SELECT count(*) FROM card_places")


def _states_after(last: str | None, themes_before: int) -> set[int]:
    """Theme counts the file may hold when the worker was killed after printing ``last``: the
    committed state it announced, or the next one it may have committed before announcing it
    (an operation, the undo of a wrong drag, or its redo)."""
    if last is None:
        return {themes_before, themes_before + 1}
    word, k = last.split()[0], int(last.split()[1])
    if word == "committed":
        return {k + 1, k} if k % 5 == 4 else {k + 1, k + 2}
    if word == "undone":
        return {k, k + 1}
    return {k + 1, k + 2}      # redone


def test_killed_during_operations(tmp_path):
    path = tmp_path / "ops.synth"
    with Project.create(path) as p, p.transaction() as db:
        db.execute("INSERT INTO sources(kind, name, imported_at) VALUES ('debate','d','now')")
        db.executemany("INSERT INTO statements(source_id, external_id, text) VALUES (1, ?, ?)",
                       [(str(i), f"s{i}") for i in range(40)])
    rng = random.Random(5)
    window = Window(0.6)
    committed = 0
    for kill in range(KILLS):
        child = start("ops", path)
        out = kill_at_random(child, rng, window)
        words = [line for line in out if line.split()[0] in ("committed", "undone", "redone")]
        with reopen_checked(path, read_only_first=kill % 2 == 1) as p:
            _check_ops(p, _states_after(words[-1] if words else None, committed))
            committed = p.scalar("SELECT count(*) FROM themes")
        copy = path.with_name("copy.synth")
        if copy.exists():  # a save-as copy is whole, or not there
            with Project.open(copy) as c:
                assert c.scalar("PRAGMA integrity_check") == "ok"
                _check_ops(c, None)
    record("crash: operations", kills=KILLS, operations_committed=committed)
    assert committed > KILLS, "the worker hardly worked between kills"


# --------------------------------------------------------------------------- imports
@pytest.fixture(scope="module")
def expected_imports(tmp_path_factory):
    """Counts each sample file gives when imported alone."""
    from reliability_worker import IMPORTS
    from synth.importers import import_path
    out = {}
    for f in IMPORTS:
        with Project.create(tmp_path_factory.mktemp("one") / "one.synth") as p:
            import_path(p, f)
            out[str(f)] = _source_counts(p, 1)
    return out


def _source_counts(p: Project, sid: int) -> tuple[int, ...]:
    return tuple(p.scalar(sql, (sid,)) for sql in (
        "SELECT count(*) FROM statements WHERE source_id = ?",
        "SELECT count(*) FROM votes v JOIN statements s ON s.id = v.statement_id "
        "WHERE s.source_id = ?",
        "SELECT count(*) FROM participants WHERE source_id = ?",
        "SELECT count(*) FROM notes WHERE source_id = ?",
        "SELECT count(*) FROM passages q JOIN documents d ON d.id = q.document_id "
        "WHERE d.source_id = ?"))


def test_killed_during_imports(tmp_path, expected_imports):
    path = tmp_path / "imports.synth"
    Project.create(path).close()
    rng = random.Random(7)
    window = Window(1.5)
    imported = 0
    for kill in range(KILLS):
        child = start("import", path)
        out = kill_at_random(child, rng, window)
        reported = sum(line.startswith("imported") for line in out)
        with reopen_checked(path, read_only_first=kill % 2 == 1) as p:
            sources = p.query("SELECT id, path FROM sources ORDER BY id")
            assert len(sources) >= imported + reported
            for sid, src_path in sources:   # every import whole
                assert _source_counts(p, sid) == expected_imports[src_path], src_path
            imported = len(sources)
    record("crash: imports", kills=KILLS, imports_committed=imported)
    assert imported >= 3


# --------------------------------------------------------------------------- analyses
def test_killed_during_analyses(tmp_path, sample_project_file):
    pytest.importorskip("synth.votes.project_analysis")
    path = tmp_path / "analysis.synth"
    shutil.copy(sample_project_file, path)
    rng = random.Random(11)
    window = Window(4.0)
    runs = 0
    for kill in range(KILLS):
        child = start("analysis", path)
        out = kill_at_random(child, rng, window)
        reported = sum(line.startswith("analysed") for line in out)
        with reopen_checked(path, read_only_first=kill % 2 == 1) as p:
            rows = p.query("SELECT id, result, params FROM analysis_runs "
                           "WHERE kind = 'opinion_groups'")
            assert len(rows) >= runs + reported
            for run_id, result, params in rows:  # every run whole: result, members, arrays
                json.loads(result)
                assert p.scalar("SELECT count(*) FROM group_members WHERE run_id = ?",
                                (run_id,)) > 0
                # the map (participants, projection); the centres only of groups computed here
                # (the sample's export has Pol.is's own groups, the default)
                arrays = 2 if json.loads(params)["groups"] == "polis" else 4
                assert p.scalar("SELECT count(*) FROM arrays WHERE run_id = ?",
                                (run_id,)) == arrays
            runs = len(rows)
    record("crash: analyses", kills=KILLS, runs_committed=runs)
    assert runs >= 1


# --------------------------------------------------------------------------- two instances
def test_second_instance_gets_a_read_only_view(tmp_path):
    path = tmp_path / "shared.synth"
    Project.create(path).close()
    first = start("hold", path, stdin=subprocess.PIPE)
    try:
        with pytest.raises(ProjectInUse, match="open in another Synth window"):
            Project.open(path)
        with Project.open(path, read_only=True) as view:
            assert view.read_only
            with pytest.raises(ProjectError, match="read-only"):
                with view.transaction():
                    pass
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                view.db.execute("INSERT INTO settings VALUES ('x', '1')")
            first.stdin.write("Workload\n")
            first.stdin.flush()
            assert first.stdout.readline().strip() == "written"
            # the view sees what the writer committed
            assert [r[0] for r in view.query("SELECT name FROM themes")] == ["Workload"]
        with pytest.raises(ProjectInUse):
            Project.open(path)
        # "Save as" onto the file the other instance has open is refused, the file untouched
        other = Project.create(tmp_path / "other.synth")
        before = path.read_bytes()
        with pytest.raises(ProjectInUse):
            other.save_as(path)
        other.close()
        assert path.read_bytes() == before
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
        for f in (first.stdin, first.stdout, first.stderr):
            f.close()
    # a killed instance leaves no stale lock: the project opens for writing at once
    with Project.open(path) as p:
        assert p.scalar("PRAGMA integrity_check") == "ok"
        assert p.scalar("SELECT count(*) FROM themes") == 1
