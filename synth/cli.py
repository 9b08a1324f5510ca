"""`python main.py run`: import data into a project and run the pipeline, without a window.

What the job needs from the layers above the engine (the report writer, the app for --open) comes
in from main.py as arguments of main(): synth/ imports none of them (STYLE.md)."""
from __future__ import annotations

import argparse
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable

from .errors import UserError
from .pipeline import SAMPLE_STUDY, WriteReport, run_pipeline
from .project import Project, _acquire_lock, _release_lock
from .summary import print_summary
from .themes.cli import seed_arg

# SQLite's files beside a project: a journal left by a crash would be replayed into whatever
# file then bears the project's name
SIDECARS = ("-wal", "-shm", "-journal")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="*", metavar="DATA",
                        help="files or folders to import (kind recognised from the contents); "
                             "the bundled sample study when none is given")
    parser.add_argument("--project", metavar="FILE", type=Path,
                        help="the project file: created if absent, added to if present "
                             "(default: out/<name>.synth)")
    parser.add_argument("--new", action="store_true",
                        help="start the project afresh, replacing an existing file")
    parser.add_argument("--out", metavar="REPORT.docx", type=Path,
                        help="write the Word report here")
    parser.add_argument("--seed", type=seed_arg, default=None,
                        help="seed for the analyses (default: the project's theme seed, "
                             "else 0); themes come in the number the project asks for, if any")
    parser.add_argument("--no-themes", action="store_true", help="skip theme discovery")
    parser.add_argument("--no-groups", action="store_true", help="skip opinion groups")
    parser.add_argument("--open", action="store_true",
                        help="open the app on the project afterwards, if a display is available")


def main(args: argparse.Namespace, *, write_report: WriteReport,
         open_app: Callable[[str], int]) -> int:
    data = [Path(d) for d in args.data] or [SAMPLE_STUDY]
    for d in data:
        if not d.exists():
            raise UserError(f"{d}: no such file or folder")
    path = args.project or Path("out") / f"{data[0].resolve().name or 'study'}.synth"
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a Synth project file")
    started = time.perf_counter()

    def work(project: Project) -> None:
        run_pipeline(project, data, report_path=args.out, write_report=write_report,
                     themes=not args.no_themes, groups=not args.no_groups, seed=args.seed)
    if args.new or not path.exists():
        project = _run_into_new_project(path, work)
    else:
        project = Project.open(path)
        try:
            work(project)
        except BaseException:
            project.close()
            raise
    with project:
        print_summary(project)
    print(f"project: {path}  ({time.perf_counter() - started:.1f} s)")
    if args.open:
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
            return open_app(str(path))
        print("no display: the app was not opened (open the project with "
              f"`python main.py {path}`)")
    return 0


def _run_into_new_project(path: Path, work: Callable[[Project], Any]) -> Project:
    """Do ``work`` in a new project built beside ``path`` and put it in place of ``path`` only
    once all of it succeeded: a failed or interrupted run leaves ``path`` as it was (absent, or
    the researcher's saved project) and no file of its own behind. ``path``'s lock is held
    throughout, so a project open in a window is refused before any work, never replaced under
    it; the project returned is the one now at ``path``, open and holding that lock."""
    made = _missing_folders(path.parent)
    lock_existed = Path(str(path) + ".lock").exists()
    tmp = path.with_name(path.name + ".building")

    def undo_folders() -> None:
        if not path.exists():
            if not lock_existed:
                _remove(Path(str(path) + ".lock"))
            for folder in made:
                try:
                    folder.rmdir()
                except OSError:
                    break
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = _acquire_lock(path)
    except BaseException:
        # refused (the project, or a run building it, is held elsewhere): the .building file
        # beside it is that run's, so nothing but our own new folders is removed
        if made:
            undo_folders()
        raise
    try:
        # a .building file is a killed run's: a live one would hold the lock taken above
        with Project.create(tmp, overwrite=True) as project:
            work(project)
        _settle(path)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp, *(Path(str(tmp) + s) for s in (*SIDECARS, ".lock", ".creating")))
        undo_folders()
        _release_lock(lock)
        raise
    _remove(Path(str(tmp) + ".lock"))
    try:
        return Project._connect(path, read_only=False, lock=lock)
    except BaseException:
        _release_lock(lock)
        raise


def _settle(path: Path) -> None:
    """Leave no journal of the old ``path`` to be replayed into the new file. Its committed
    transactions are first written into it (checkpoint; a crash's rollback journal is rolled
    back by the read), so that a crash before the replace leaves the old project whole."""
    if path.exists():
        try:
            db = sqlite3.connect(path)
            try:
                db.execute("PRAGMA schema_version").fetchone()
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                db.close()
        except sqlite3.Error:
            pass      # not a database: its journals are nobody's
    _remove(*(Path(str(path) + s) for s in SIDECARS))


def _missing_folders(folder: Path) -> list[Path]:
    """The folders of ``folder``'s path that do not exist yet, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
