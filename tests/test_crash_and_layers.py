"""A killed import leaves the project openable with all or none of it; the engine has no Qt and
each layer imports nothing from the layers above it."""
from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


# The layers, lowest first (STYLE.md): a package may import from those before it, never after.
# None does: what `run` needs from exports/ and ui/ (the report writer, the app) main.py passes in.
LAYERS = ("synth", "coding", "exports", "ui")


def upward_imports(root: Path, package: str) -> set[tuple[str, str, int]]:
    """(module, layer it imports, line) for every import in ``package`` (a folder under
    ``root``) of a layer above it: ``import x``, ``from x import y``, relative imports that
    climb out of the package, and ``importlib.import_module`` / ``__import__`` of a literal."""
    above = set(LAYERS[LAYERS.index(package) + 1:])
    found = set()
    for path in sorted((root / package).rglob("*.py")):
        rel = path.relative_to(root)
        here = list(rel.parent.parts)            # the package a relative import starts from
        module = ".".join(here if path.name == "__init__.py" else here + [path.stem])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here[:max(0, len(here) - node.level + 1)] if node.level else []
                if node.module:
                    targets = [".".join(base + [node.module])]
                else:                            # from .. import x: x may be a package
                    targets = [".".join(base + [a.name]) for a in node.names]
            elif (isinstance(node, ast.Call) and node.args
                  and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)
                  and getattr(node.func, "attr", getattr(node.func, "id", None))
                  in ("import_module", "__import__")):
                targets = [node.args[0].value]
            for target in targets:
                if target.split(".")[0] in above:
                    found.add((module, target.split(".")[0], node.lineno))
    return found


@pytest.mark.parametrize("package", LAYERS[:-1])
def test_no_layer_imports_a_layer_above_it(package):
    new = sorted(f"{m}:{line} imports {layer}" for m, layer, line in upward_imports(ROOT, package))
    assert not new, f"{package} must not import {', '.join(LAYERS[LAYERS.index(package) + 1:])}" \
                    f" (STYLE.md): " + "; ".join(new)


@pytest.mark.parametrize("source", [
    "import coding.passages",
    "import ui",
    "from exports.report import write_report",
    "from coding import codebook",
    "def run():\n    from coding.passages import trim_span",
    "from ... import ui",                    # relative, climbing out of synth
    "from ...coding.codebook import QdcCode",
    "import importlib\nimportlib.import_module('exports.report')",
    "__import__('ui.cli')",
])
def test_the_layer_check_sees_every_kind_of_import(tmp_path, source):
    (tmp_path / "synth" / "importers").mkdir(parents=True)
    (tmp_path / "synth" / "importers" / "x.py").write_text(source + "\n")
    (tmp_path / "synth" / "importers" / "fine.py").write_text(
        "import json\nfrom ..codes import QdcCode\nfrom . import common\n"
        "from synth.coded_passages import trim_span\nimport codingtools\n")
    assert {m for m, _, _ in upward_imports(tmp_path, "synth")} == {"synth.importers.x"}
