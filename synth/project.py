"""The project file: one SQLite database per study.

Safety choices, each for a reason:
- WAL journal with ``synchronous=FULL``: a crash or power cut mid-write leaves the file at its
  last committed transaction; committed work survives.
- Every change goes through ``Project.transaction()`` (``BEGIN IMMEDIATE`` … ``COMMIT``), so an
  operation or an import is written whole or not at all.
- ``application_id`` and a schema version in ``meta`` tell a Synth file from any other SQLite file
  and a file from a newer Synth from one we can migrate forward.
- An advisory lock (``<file>.lock``) lets one process write; a second one is told the project is in
  use and may open it read-only.
- A project whose file or folder cannot be written here (a read-only disk, share or file) is
  refused for writing and may be opened read-only, reading it as it is without making any file
  beside it.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sqlite3
import stat
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from . import __version__
from .files import replacing
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_V1, SCHEMA_VERSION

SUFFIX = ".synth"


class ProjectError(Exception):
    """A project file cannot be opened or written; the message is for the researcher."""


class ProjectInUse(ProjectError):
    """Another Synth window or process is writing this project."""


class ProjectReadOnly(ProjectError):
    """The project's file or folder cannot be written here (a read-only file, folder, disk or
    share): it can be opened read-only, nothing more."""


IN_USE = "the project is in use elsewhere"   # why a read-only project is so, unless told


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Summary:
    sources: int
    participants: int
    statements: int
    votes: int
    notes: int
    documents: int
    passages: int
    themes: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Project:
    """An open study. ``db`` is the SQLite connection; change it only through operations,
    importers and ``transaction()``."""

    def __init__(self, path: Path, db: sqlite3.Connection, read_only: bool,
                 lock_file: Any | None, *, immutable: bool = False,
                 read_only_because: str = IN_USE) -> None:
        self.path = path
        self.db = db
        self.read_only = read_only
        # why a read-only project is so, for the message a refused change gives
        self.read_only_because = read_only_because
        self._immutable = immutable     # its connections read the file as it is (no journal)
        self._lock_file = lock_file
        self._in_transaction = False
        from .operations import History  # late: operations imports this module
        self.history = History(self)

    # ----------------------------------------------------------------- opening and closing
    @classmethod
    def create(cls, path: str | os.PathLike[str], *, overwrite: bool = False,
               fill: Callable[["Project"], Any] | None = None) -> "Project":
        """A new project at ``path``, returned open. ``fill(project)``, if given, does its work
        (an import, a whole run) in the new project before it takes ``path``'s place: if that
        fails, ``path`` is left as it was."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise ProjectError(f"{path}: a file of that name already exists")
        if path.is_dir():
            raise ProjectError(f"{path}: is a folder, not a Synth project file")

        def build(temp: Path) -> None:
            db = sqlite3.connect(temp)
            try:
                db.executescript(SCHEMA_V1)
                for version in range(1, SCHEMA_VERSION):
                    _run_script(db, MIGRATIONS[version])
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [
                    ("application", "synth"),
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("created", now_iso()),
                    ("created_by", f"Synth {__version__}"),
                ])
                db.commit()
            finally:
                db.close()
            if fill is not None:
                with cls._connect(temp, read_only=False, lock=None) as project:
                    fill(project)
                    # the project as made: the steps that built it are no undo steps
                    with project.transaction() as db:
                        db.execute("DELETE FROM history")
                    project.history.done.clear()
        return cls._put_in_place(path, build)

    @classmethod
    def _put_in_place(cls, path: Path, build: Callable[[Path], None]) -> "Project":
        """The one way a project file is made or replaced: ``build(temp)`` writes the new
        database in ``<path>.building``, which is renamed over ``path`` only once all of it
        succeeded; a failed or interrupted build leaves ``path`` as it was (absent, or the
        researcher's saved project) and no file of its own behind — nor the folders it made.
        ``path``'s lock is taken first and held throughout, so a project open in a window is
        refused before any work, never replaced under it; the project returned is the one now
        at ``path``, open and holding that lock."""
        made = _missing_folders(path.parent)
        lock_existed = Path(str(path) + ".lock").exists()

        def undo_folders(*, lock_mine: bool) -> None:
            if not path.exists():
                if lock_mine and not lock_existed:   # never a lock file another one holds
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
            # refused (the project, or a build of it, is held elsewhere): the .building file
            # beside it is that one's, and so is the lock file, even if it came after we
            # looked: nothing but our own new folders is removed
            undo_folders(lock_mine=False)
            raise
        temp = path.with_name(path.name + ".building")
        try:
            # a .building file is a killed build's: a live one would hold the lock taken above
            _remove(*_sidecars(temp))
            with replacing(path, temp=temp):
                build(temp)
                _settle(path)
        except BaseException:
            _remove(*_sidecars(temp))
            undo_folders(lock_mine=True)     # the lock held: no one else has this lock file
            _release_lock(lock)
            raise
        try:
            return cls._connect(path, read_only=False, lock=lock)
        except BaseException:
            _release_lock(lock)
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> "Project":
        """The project, to write (ProjectReadOnly when its file or folder cannot be written
        here, ProjectInUse when another writes it) or ``read_only``. A read-only project that
        cannot be written here is read as it is, leaving no file beside it."""
        path = Path(path)
        _check_file(path)
        why = cannot_write(path)
        if read_only:
            if why is None:
                return cls._connect(path, read_only=True, lock=None)
            return cls._connect(path, read_only=True, lock=None,
                                immutable=_read_as_it_is(path), read_only_because=why)
        if why is not None:
            raise ProjectReadOnly(f"{path}: {why}")
        lock = _acquire_lock(path)
        try:
            return cls._connect(path, read_only=False, lock=lock)
        except BaseException:
            _release_lock(lock)
            raise

    @classmethod
    @contextlib.contextmanager
    def look(cls, path: str | os.PathLike[str]) -> Iterator["Project"]:
        """The project read-only for a command's short look at it (a summary, an export) that
        leaves its folder as it found it: a read-only view of a project leaves ``-wal`` and
        ``-shm`` files beside it. While no one writes the project, its lock is held for the
        look (a window opening it meanwhile is told it is in use), so the file can be read as
        it is on disk, with no journal; otherwise it is read as any read-only view, or as a
        project that cannot be written here (``open``) when it cannot."""
        path = Path(path)
        _check_file(path)
        held = None
        if not any(Path(str(path) + s).exists() for s in SIDECARS):
            held = _hold_unchanged(path)   # no journal: nothing is committed but in the file
        try:
            immutable = held is not None
            if not immutable and cannot_write(path) is not None:
                immutable = _read_as_it_is(path)
            project = cls._connect(path, read_only=True, lock=None, immutable=immutable)
            with project:
                yield project
        finally:
            _let_go(path, held)

    @classmethod
    def _connect(cls, path: Path, *, read_only: bool, lock: Any | None,
                 immutable: bool = False, read_only_because: str = IN_USE) -> "Project":
        """``immutable``: read-only, and no one may write the file meanwhile (the caller holds
        its lock, or it cannot be written here): SQLite then reads it without the -wal and -shm
        files a read makes."""
        if read_only:
            # quoted: a "#" or "?" in the name would end the file's name in the URI
            db = sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro"
                                 + ("&immutable=1" if immutable else ""), uri=True,
                                 check_same_thread=False)
        else:
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            # functions a file's schema may call: only SQLite's harmless ones
            db.execute("PRAGMA trusted_schema = OFF")
            version = _check_is_synth(db, path)
            db.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
                _migrate(db, path, version)
            db.execute("PRAGMA cache_size = -65536")
        except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, OverflowError) as e:
            # ValueError and its UnicodeDecodeError: damaged bytes where text was expected
            db.close()
            raise ProjectError(f"{path}: not a Synth project or damaged ({e})") from None
        except BaseException:
            db.close()
            raise
        # Text damaged on disk reads as U+FFFD instead of stopping the window at the first
        # view that shows it; SQLite's own checks still name the damage.
        db.text_factory = _lenient_text
        return cls(path, db, read_only, lock, immutable=immutable,
                   read_only_because=read_only_because)

    @contextlib.contextmanager
    def worker_connection(self, busy_timeout_ms: int = 15_000) -> Iterator["Project"]:
        """A second connection to this open project, for work on another thread: WAL lets it
        read beside this one, and its writes wait (busy timeout) instead of failing. It takes
        no lock (this project holds it) and runs no checkpoint on close; its history is its own,
        for the caller to ``adopt`` into this one."""
        other = Project._connect(self.path, read_only=self.read_only, lock=None,
                                 immutable=self._immutable)
        other.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # its history starts empty: the steps kept in the file are this project's to undo,
        # and a failed task undoes only what it applied itself
        other.history.done.clear()
        try:
            yield other
        finally:
            other.db.close()
            other.db = None  # type: ignore[assignment]

    def close(self) -> None:
        if self.db is not None:
            try:
                if not self.read_only:
                    self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            self.db.close()
            self.db = None  # type: ignore[assignment]
        _release_lock(self._lock_file)
        self._lock_file = None

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_as(self, path: str | os.PathLike[str]) -> "Project":
        """Copy the whole study to ``path`` (SQLite's online backup) and return it opened."""
        target = Path(path)
        if target.resolve() == self.path.resolve():
            return self

        def copy(temp: Path) -> None:
            dst = sqlite3.connect(temp)
            try:
                self.db.backup(dst)
            finally:
                dst.close()
        return Project._put_in_place(target, copy)

    # ----------------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[sqlite3.Connection]:
        """One atomic unit of change. Nested use joins the outer transaction.

        ``bulk=True`` is for importers that insert many rows whose references they have just
        made themselves: foreign-key checks are off for that transaction (a third of the time
        of a large import). SQLite only lets that be switched outside a transaction, so it
        applies when this is the outermost one."""
        if self.read_only:
            raise ProjectError(f"{self.path}: opened read-only ({self.read_only_because})")
        if self._in_transaction:
            yield self.db
            return
        if bulk:
            self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self._outer_transaction() as db:
                yield db
        finally:
            if bulk:
                self.db.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def _outer_transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._in_transaction = False

    # ----------------------------------------------------------------- small helpers
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def summary(self) -> Summary:
        c = self.scalar
        return Summary(
            sources=c("SELECT count(*) FROM sources"),
            participants=c("SELECT count(*) FROM participants"),
            statements=c("SELECT count(*) FROM statements"),
            votes=c("SELECT count(*) FROM votes"),
            notes=c("SELECT count(*) FROM notes"),
            documents=c("SELECT count(*) FROM documents"),
            passages=c("SELECT count(*) FROM passages"),
            themes=c("SELECT count(*) FROM themes"),
        )

    def meta(self, key: str, default: str | None = None) -> str | None:
        v = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if v is None else v

    def setting(self, key: str, default: Any = None) -> Any:
        v = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if v is None else json.loads(v)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a project setting (not undoable: settings are preferences, not research work)."""
        with self.transaction():
            self.db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                            (key, json.dumps(value)))

    # ----------------------------------------------------------------- arrays (no pickle)
    def _arrays_have_dtype(self) -> bool:
        # a read-only view of an older file is not migrated: its arrays are all float32
        return "dtype" in _columns(self.db, "arrays")

    def put_array(self, run_id: int, name: str, array: np.ndarray) -> None:
        """Store an array of a run: integers as int64 (ids must stay exact), anything else as
        float32; little-endian either way."""
        a = np.asarray(array)
        dtype = "<i8" if np.issubdtype(a.dtype, np.integer) else "<f4"
        a = np.ascontiguousarray(a, dtype=dtype)
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO arrays(run_id, name, shape, dtype, data) "
                            "VALUES (?, ?, ?, ?, ?)",
                            (run_id, name, json.dumps(list(a.shape)), dtype, a.tobytes()))

    def get_array(self, run_id: int, name: str) -> np.ndarray | None:
        dtype = "dtype" if self._arrays_have_dtype() else "'<f4' AS dtype"
        row = self.db.execute(f"SELECT shape, {dtype}, data FROM arrays WHERE run_id = ? AND "
                              "name = ?", (run_id, name)).fetchone()
        if row is None:
            return None
        return blob_to_array(row["data"], json.loads(row["shape"]), row["dtype"])


def _lenient_text(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("utf-8", "replace")


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    """The table's column names, in their order."""
    return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]


def array_to_blob(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype="<f4").tobytes()


def blob_to_array(blob: bytes, shape: list[int] | tuple[int, ...], dtype: str = "<f4"
                  ) -> np.ndarray:
    if dtype not in ("<f4", "<i8"):
        raise ProjectError(f"a stored array has an unknown type {dtype!r}")
    expected = int(np.prod(shape)) * 4 * (2 if dtype == "<i8" else 1)
    if len(blob) != expected:
        raise ProjectError(f"a stored array has {len(blob)} bytes, expected {expected}")
    a = np.frombuffer(blob, dtype=dtype).reshape(shape)
    return a.astype(np.int64 if dtype == "<i8" else np.float32)


# --------------------------------------------------------------------------- internals
def _check_is_synth(db: sqlite3.Connection, path: Path) -> int:
    """The file's project format, once it is known to be a Synth project Synth can read."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    has_meta = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if app_id != APPLICATION_ID or not has_meta:
        raise ProjectError(f"{path}: not a Synth project (a database of another application)")
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        version = int(row[0])
    except (TypeError, ValueError):
        raise ProjectError(f"{path}: damaged Synth project (no schema version)") from None
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path}: written by a newer Synth (project format {version}; this Synth reads up "
            f"to {SCHEMA_VERSION}). Update Synth to open it.")
    _check_schema(db, path, version)
    return version


def _check_schema(db: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a file whose structure Synth did not make, before anything is written to it.

    SQLite runs a file's triggers on our own writes, and a view can stand where a table
    should be: a project from someone else could make our saves do what it likes. Synth makes
    neither, so a file holding any is refused; every table Synth needs must be there with its
    columns."""
    foreign = db.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') "
                         "ORDER BY type, name").fetchall()
    if foreign:
        kinds = ", ".join(f"{t} “{n}”" for t, n in foreign[:3])
        raise ProjectError(f"{path}: refused: the file holds {kinds}, which Synth never "
                           "makes (the file was changed outside Synth and could act on your "
                           "data when saved)")
    tables = {r[0]: r[1] for r in db.execute(
        "SELECT name, type FROM sqlite_master WHERE type = 'table'")}
    missing = []
    for table, columns in _expected_columns(version).items():
        if table not in tables:
            missing.append(table)
            continue
        have = _columns(db, table)
        lost = [c for c in columns if c not in have]
        if lost:
            raise ProjectError(f"{path}: damaged Synth project (table {table} lacks "
                               f"{', '.join(lost)})")
    if missing:
        raise ProjectError(f"{path}: damaged Synth project (missing tables: "
                           f"{', '.join(sorted(missing))})")


_EXPECTED: dict[int, dict[str, list[str]]] = {}


def _expected_columns(version: int = SCHEMA_VERSION) -> dict[str, list[str]]:
    """Tables and columns of a project of format ``version``, as Synth makes it (built once)."""
    if version not in _EXPECTED:
        ref = sqlite3.connect(":memory:")
        try:
            ref.executescript(SCHEMA_V1)
            for v in range(1, version):
                _run_script(ref, MIGRATIONS[v])
            _EXPECTED[version] = {      # not SQLite's own tables (sqlite_sequence)
                name: _columns(ref, name)
                for (name,) in ref.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%'")}
        finally:
            ref.close()
    return _EXPECTED[version]


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";\n"):
        if not statement.strip():
            continue
        try:
            db.execute(statement)
        except sqlite3.OperationalError as e:
            # A column a development build had already added: the migration's aim holds.
            if "duplicate column name" not in str(e):
                raise


def _check_not_truncated(path: Path) -> None:
    """A file cut short (a copy that did not finish, a full USB stick) is named as such: SQLite
    itself would only fail later, at the first read of a missing page."""
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # the pages may be in the write-ahead log; SQLite checks that itself
    with open(path, "rb") as f:
        header = f.read(100)
    if len(header) < 100:
        raise ProjectError(f"{path}: damaged Synth project (the file is cut short)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]   # the in-header size is trustworthy
    if valid and pages and path.stat().st_size < pages * page_size:
        raise ProjectError(f"{path}: damaged Synth project (the file is cut short: "
                           f"{path.stat().st_size:,} of {pages * page_size:,} bytes)")


def _migrate(db: sqlite3.Connection, path: Path, version: int) -> None:
    while version < SCHEMA_VERSION:
        script = MIGRATIONS.get(version)
        if script is None:
            raise ProjectError(f"{path}: no migration from project format {version}")
        db.execute("BEGIN IMMEDIATE")
        try:
            _run_script(db, script)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                       (str(version + 1),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        version += 1


# SQLite's files beside a project: a journal left by a crash would be replayed into whatever
# file then bears the project's name
SIDECARS = ("-wal", "-shm", "-journal")


def _sidecars(path: Path) -> list[Path]:
    return [path, *(Path(str(path) + s) for s in SIDECARS)]


def _settle(path: Path) -> None:
    """Leave no journal of the old ``path`` to be replayed into the file about to replace it.
    Its committed transactions are first written into it (checkpoint; a crash's rollback
    journal is rolled back by the read), so that a crash before the replace leaves the old
    project whole."""
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
    _remove(*_sidecars(path)[1:])


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


def cannot_write(path: Path) -> str | None:
    """Why the project at ``path`` cannot be written here, in the researcher's words; None when
    it can. Writing takes the file and its folder: SQLite makes its -wal and -shm files, and
    Synth its lock file, beside the project. (``os.access`` asks the system, without writing:
    a read-only disk or share, a folder or file without write permission for this user.)"""
    if not _folder_takes_files(path):
        return f"its folder {path.absolute().parent} cannot be written"
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    return None


def _folder_takes_files(path: Path) -> bool:
    return os.access(path.absolute().parent, os.W_OK | os.X_OK)


def _read_as_it_is(path: Path) -> bool:
    """How a project that cannot be written here is read without making a file beside it:
    True, as it is on disk (SQLite's ``immutable``), when no journal holds changes the file
    lacks; False, through SQLite's own -shm file, when one is there. Committed changes in a
    ``-wal`` file with no -shm need one made beside it: where that cannot be, they would be
    missed, so the project is refused saying so. (Read as it is, a project someone else can
    still write, e.g. through another mount, shows it as it was when opened, and may read a
    page that someone's save is changing: a "damaged" error, the file itself unharmed.)"""
    wal, shm, journal = (Path(str(path) + s) for s in SIDECARS)
    if shm.exists():
        return False          # SQLite reads the -wal through it, read-only if it must
    if not any(j.exists() and j.stat().st_size > 0 for j in (wal, journal)):
        return True
    if _folder_takes_files(path):
        return False          # SQLite makes the -shm it needs to read the -wal
    kept = wal if wal.exists() and wal.stat().st_size > 0 else journal
    raise ProjectReadOnly(
        f"{path}: its latest changes are in {kept.name}, which cannot be read in a folder that "
        f"cannot be written (reading them needs a {path.name}-shm file made beside it). Copy "
        f"{path.name} together with {kept.name} to a folder you can write and open it there.")


def _check_file(path: Path) -> None:
    """Refuse what cannot be a Synth project before SQLite opens it."""
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a Synth project file")
    if not path.is_file():
        raise ProjectError(f"{path}: not a Synth project (not an ordinary file)")
    with open(path, "rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise ProjectError(f"{path}: not a Synth project (the file is not a Synth database)")
    _check_not_truncated(path)


# A lock file is removed only by whoever holds its lock exclusively (a look that made it, a
# failed first build): someone who opened it just before and locks it just after holds a
# lock on a file no longer there, which guards nothing. So a lock counts only once the file
# locked is still the one at the lock's path; else it is let go and taken again.
_LOCK_TRIES = 20


def _still_there(fd: int, lock_path: Path) -> bool:
    """Whether the file ``fd`` has open (and locked) is still ``lock_path``."""
    try:
        here = os.stat(lock_path, follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (here.st_ino, here.st_dev) == (mine.st_ino, mine.st_dev)


def _hold_unchanged(path: Path) -> tuple[int, bool] | None:
    """``path``'s lock, taken without writing in its lock file (the pid there is a writer's):
    (the descriptor, whether the lock file was made for this and is to go with it); None when a
    writer holds it or it cannot be taken."""
    try:
        # shared: looks at one project may overlap; a writer's exclusive lock may not
        return _lock_file(path, exclusive=False)
    except (ProjectError, OSError):
        return None


def _let_go(path: Path, held: tuple[int, bool] | None) -> None:
    if held is None:
        return
    fd, made = held
    try:
        if made:      # and no other look holds it still: that one reads on, the file kept
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _remove(Path(str(path) + ".lock"))
    except OSError:
        pass
    finally:
        os.close(fd)


def _acquire_lock(path: Path) -> Any:
    fd, _ = _lock_file(path, exclusive=True)
    f = os.fdopen(fd, "r+")
    f.seek(0)
    f.truncate()
    f.write(f"{os.getpid()}\n")
    f.flush()
    return f


def _lock_file(path: Path, *, exclusive: bool) -> tuple[int, bool]:
    """``path``'s lock file open (read-write if ``exclusive``) and locked, exclusively or
    shared, while it is still the file at the lock's path: (the descriptor, whether the lock
    file was made now). ProjectInUse when another holds a lock this one cannot share;
    ProjectError when the lock file cannot be made or is not a plain file."""
    lock_path = Path(str(path) + ".lock")
    for _ in range(_LOCK_TRIES):
        made = not lock_path.exists()
        try:
            # O_NOFOLLOW: a "<project>.lock" planted as a link to another file (a folder
            # received from someone else) must not make us truncate that file
            fd = os.open(lock_path, (os.O_RDWR if exclusive else os.O_RDONLY) | os.O_CREAT
                         | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as e:
            if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                where = (f"its lock file {lock_path.name}" if _folder_takes_files(path)
                         else f"its folder {path.absolute().parent}")
                raise ProjectReadOnly(f"{path}: {where} cannot be written ({e.strerror})") \
                    from None
            raise ProjectError(f"{path}: cannot make its lock file {lock_path.name} ({e})") \
                from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ProjectError(f"{path}: its lock file {lock_path.name} is not a plain "
                                   "file")
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except OSError:
                raise ProjectInUse(f"{path}: {_who_holds(fd)}") from None
            if _still_there(fd, lock_path):
                return fd, made
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)            # removed meanwhile by the look that made it: again
    raise ProjectInUse(f"{path}: its lock file {lock_path.name} keeps being replaced; try "
                       "again")


def _who_holds(fd: int) -> str:
    """Why the lock on the file open as ``fd`` cannot be had: a shared hold is only ever a
    command's look at the project (info, report, evidence), an exclusive one a window's or a
    run's."""
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return ("the project is open in another Synth window or command; open it read-only "
                "or close it there first")
    return ("the project is in use by a Synth command reading it (info, report, evidence); "
            "try again when it has finished, or open it read-only")


def _release_lock(f: Any | None) -> None:
    if f is None:
        return
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
        f.close()
    except OSError:
        pass
