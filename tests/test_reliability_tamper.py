"""A project file from someone else can never run code, and a tampered or damaged one is named
as such: no pickle, eval or code loading anywhere in the source tree; the schema is checked on
open; triggers and views (which SQLite would run on our own writes) are refused before anything
is written; a cut-short file, garbage in its header or random damage give a clear message.
"""
from __future__ import annotations

import ast
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from reliability_figures import SOAK, record, source_files
from synth.board import CreateTheme
from synth.project import Project, ProjectError, ProjectInUse


@pytest.fixture
def saved(tmp_path) -> Path:
    path = tmp_path / "study.synth"
    with Project.create(path) as p:
        with p.transaction() as db:
            db.execute("INSERT INTO sources(kind, name, imported_at) VALUES ('debate','d','now')")
            db.executemany("INSERT INTO statements(source_id, external_id, text) "
                           "VALUES (1, ?, ?)", [(str(i), f"statement {i}") for i in range(200)])
        p.history.apply(CreateTheme("Pay", [("statement", 1)]))
    return path


def tamper(path: Path, *sql: str) -> None:
    db = sqlite3.connect(path)
    for s in sql:
        db.execute(s)
    db.commit()
    db.close()


# --------------------------------------------------------------------------- tampered schema
def test_a_trigger_is_refused_before_it_can_run(saved):
    tamper(saved, "CREATE TRIGGER wipe AFTER UPDATE ON meta BEGIN DELETE FROM statements; END",
           "CREATE TRIGGER wipe2 AFTER INSERT ON themes BEGIN DELETE FROM statements; END")
    for read_only in (False, True):
        with pytest.raises(ProjectError, match="trigger “wipe”.*never makes"):
            Project.open(saved, read_only=read_only)
    db = sqlite3.connect(saved)
    assert db.execute("SELECT count(*) FROM statements").fetchone()[0] == 200  # nothing ran
    db.close()


def test_a_view_standing_in_for_a_table_is_refused(saved):
    tamper(saved, "DROP TABLE card_places",
           "CREATE VIEW card_places AS SELECT 'statement' AS card_kind, id AS card_id, "
           "1 AS theme_id, 0 AS x, 0 AS y FROM statements")
    with pytest.raises(ProjectError, match="view “card_places”"):
        Project.open(saved)


def test_a_dropped_table_is_named(saved):
    tamper(saved, "DROP TABLE evidence")
    with pytest.raises(ProjectError, match=r"damaged Synth project \(missing tables: evidence\)"):
        Project.open(saved)


def test_a_table_missing_columns_is_named(saved):
    tamper(saved, "ALTER TABLE themes DROP COLUMN summary_want")
    with pytest.raises(ProjectError, match="table themes lacks summary_want"):
        Project.open(saved)


def test_a_foreign_application_id_or_version_is_named(saved):
    tamper(saved, "PRAGMA application_id = 42")
    with pytest.raises(ProjectError, match="another application"):
        Project.open(saved)
    tamper(saved, "PRAGMA application_id = 1398361684",
           "UPDATE meta SET value = 'one' WHERE key = 'schema_version'")
    with pytest.raises(ProjectError, match="no schema version"):
        Project.open(saved)


# --------------------------------------------------------------------------- damaged bytes
def test_garbage_in_the_header_is_named(saved):
    data = bytearray(saved.read_bytes())
    data[16:100] = os.urandom(84)
    saved.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="not a Synth project|damaged|cut short"):
        Project.open(saved)


@pytest.mark.parametrize("keep", [0, 10, 99, 4096, 0.5])
def test_a_cut_short_file_is_named(saved, keep):
    data = saved.read_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else keep
    saved.write_bytes(data[:n])
    with pytest.raises(ProjectError, match="cut short|not a Synth project|damaged"):
        Project.open(saved)


def test_a_planted_lock_link_is_not_followed(saved, tmp_path):
    """A received folder holding ``study.synth.lock`` as a link to another file: opening the
    project must not truncate that file."""
    precious = tmp_path / "precious.txt"
    precious.write_text("the researcher's own notes")
    Path(str(saved) + ".lock").unlink(missing_ok=True)
    os.symlink(precious, str(saved) + ".lock")
    with pytest.raises(ProjectError, match="lock file") as refused:
        Project.open(saved)
    assert precious.read_text() == "the researcher's own notes"
    assert not isinstance(refused.value, ProjectInUse)


CORRUPTIONS = {"tried": 0, "refused": 0, "opened": 0}


@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1,
                                                                            max_size=64)),
                      min_size=1, max_size=6))
@settings(max_examples=2000 if SOAK else 200, deadline=None, derandomize=not SOAK,
          suppress_health_check=list(HealthCheck), database=None)
def test_random_damage_gives_project_error_or_a_working_project(tmp_path_factory, edits):
    """Bytes overwritten anywhere: opening gives ProjectError or a project whose reads work
    (SQLite's own damage check may then say what is wrong) — never another exception."""
    folder = tmp_path_factory.mktemp("damage")
    path = folder / "d.synth"
    shutil.copy(_template(tmp_path_factory), path)
    data = bytearray(path.read_bytes())
    for where, junk in edits:
        i = int(where * len(data))
        data[i:i + len(junk)] = junk
    path.write_bytes(bytes(data[:len(data)]))
    CORRUPTIONS["tried"] += 1
    try:
        p = Project.open(path)
    except ProjectError:
        CORRUPTIONS["refused"] += 1
    else:
        CORRUPTIONS["opened"] += 1
        try:
            p.summary()
            p.scalar("PRAGMA quick_check")
        except sqlite3.DatabaseError:
            pass        # damage found by SQLite at the first read: a clear error, not a crash
        finally:
            p.close()
    shutil.rmtree(folder, ignore_errors=True)


_TEMPLATE: list[Path] = []


def _template(factory) -> Path:
    if not _TEMPLATE:
        path = factory.mktemp("tpl") / "t.synth"
        with Project.create(path) as p:
            with p.transaction() as db:
                db.execute("INSERT INTO sources(kind, name, imported_at) "
                           "VALUES ('debate','d','now')")
                db.executemany("INSERT INTO statements(source_id, external_id, text) "
                               "VALUES (1, ?, ?)", [(str(i), "x" * 50) for i in range(300)])
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def test_zz_record_damage():
    record("damaged project files", **CORRUPTIONS)


# --------------------------------------------------------------------------- no code from data
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve"}
# Dynamic imports whose module names are constants in our own code, never read from a file.
ALLOWED_DYNAMIC_IMPORTS = {
    "main.py": "COMMANDS: a fixed table of subcommand modules",
}


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _problems(path: Path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    out = []
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) \
                else [node.module or ""]
            for n in names:
                if n.split(".")[0] in UNSAFE_MODULES:
                    out.append(f"{where}: imports {n}")
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) \
            else ""
        owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) \
            else ""
        if isinstance(f, ast.Name) and name in ("eval", "exec", "__import__", "compile"):
            out.append(f"{where}: calls {name}()")
        if name == "load" and owner == "yaml":
            loader = _kw(node, "Loader")
            if not (isinstance(loader, ast.Attribute) and loader.attr in ("SafeLoader",
                                                                          "CSafeLoader")):
                out.append(f"{where}: yaml.load without SafeLoader")
        if name == "load" and owner in ("np", "numpy"):
            ap = _kw(node, "allow_pickle")
            if isinstance(ap, ast.Constant) and ap.value:
                out.append(f"{where}: np.load(allow_pickle=True)")
        if name == "load" and owner == "torch":
            wo = _kw(node, "weights_only")
            if not (isinstance(wo, ast.Constant) and wo.value is True):
                out.append(f"{where}: torch.load without weights_only=True")
        if name == "enable_load_extension":
            out.append(f"{where}: SQLite extension loading")
        if name == "import_module" and rel not in ALLOWED_DYNAMIC_IMPORTS:
            if not (node.args and isinstance(node.args[0], ast.Constant)):
                out.append(f"{where}: import_module() of a computed name")
    return out


def test_no_code_is_ever_loaded_from_data():
    files = source_files()
    problems = [p for f in files for p in _problems(f)]
    record("no code from data", python_files_checked=len(files))
    assert problems == [], "\n".join(problems)
