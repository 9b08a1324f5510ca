"""A killed import leaves the project openable with all or none of it; the engine has no Qt."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import POLIS, ROOT
from synth.project import Project

BOWLING_GREEN = POLIS / "american-assembly.bowling-green"
STATEMENTS, VOTES = 896, 225_524


@pytest.mark.parametrize("delay", [0.15, 0.45, 0.75, 1.05, 1.35])
def test_killed_import_leaves_all_or_nothing(tmp_path, delay):
    path = tmp_path / "k.synth"
    with Project.create(path):
        pass
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, sys.argv[1]);"
         "from synth.project import Project; from synth.importers import import_path;"
         "p = Project.open(sys.argv[2]); import_path(p, sys.argv[3]); p.close();"
         "print('done', flush=True)", str(ROOT), str(path), str(BOWLING_GREEN)],
        stdout=subprocess.PIPE)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with Project.open(path) as p:
        assert p.scalar("PRAGMA integrity_check") == "ok"
        s = p.summary()
        assert (s.statements, s.votes) in ((0, 0), (STATEMENTS, VOTES))
        assert (s.sources == 1) == (s.statements == STATEMENTS)


def test_engine_packages_import_without_qt():
    """Everything below ui/ must run headless: import it with PySide6 made unimportable."""
    code = (
        "import sys, importlib, pkgutil\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):\n"
        "            raise ImportError('Qt is not allowed below ui/: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "for top in ('synth', 'coding', 'exports'):\n"
        "    try:\n"
        "        pkg = importlib.import_module(top)\n"
        "    except ModuleNotFoundError:\n"
        "        continue\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, top + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_start_up_imports_no_heavy_library():
    """`main.py`'s own imports and the engine's top level stay light (window in ~1 s)."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "import main, synth.project, synth.board, synth.importers\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'umap', 'hdbscan', "
            "'matplotlib', 'sklearn') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
