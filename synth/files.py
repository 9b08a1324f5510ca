"""Writing a file the researcher named: whole or not at all.

Every file Synth writes where the researcher said (a project, a JSON, the recovery journal) is
made under another name beside it, flushed to disk and renamed over it: a crash, a full disk or
an interruption leaves the old file as it was, never half of a new one.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import UserError


@contextlib.contextmanager
def replacing(path: Path, *, temp: Path | None = None, private: bool = False
              ) -> Iterator[Path]:
    """A new, empty file beside ``path`` for the block to write. When the block ends it is
    flushed to disk and renamed over ``path`` (the rename flushed too): an existing file is
    replaced whole, keeping its permissions, or — if the block fails — left as it was and the
    new file removed. ``temp`` names the new file where the caller holds a lock making the name
    its own (a file of that name is then a killed run's, and replaced); otherwise it gets a
    fresh hidden name. ``private``: readable by its owner only."""
    path = Path(path)
    if temp is None:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temp = Path(name)
    else:
        temp.unlink(missing_ok=True)
        # O_EXCL and O_NOFOLLOW: a link planted under that name is not written through
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            os.fchmod(fd, 0o600 if private else _mode_for(path))
        finally:
            os.close(fd)
        yield temp
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_atomically(path: Path, data: bytes | str, *, private: bool = False) -> None:
    """``data`` (text as UTF-8) at ``path``, whole or not at all, on disk when this returns."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(path, private=private) as temp:
        with open(temp, "r+b") as f:
            f.write(raw)


def write_output(path: Path, text: str, *, label: str, what: str) -> None:
    """``write_atomically`` for a command's output file: a failure (a full disk, a folder the
    researcher cannot write to) is theirs to act on, told in one line naming ``label``."""
    try:
        write_atomically(path, text)
    except OSError as e:
        raise UserError(f"{label}: cannot write {what} ({e.strerror or e}); nothing was "
                        "written") from None


def check_output(path: str | os.PathLike[str], *, label: str, what: str) -> Path:
    """A command's output path, checked before any work or change: a run must not end in a
    traceback, or after it changed the project, because the folder is missing."""
    out = Path(path)
    if out.is_dir():
        raise UserError(f"{label}: is a folder; give a file name for {what}")
    folder = out.parent
    if not folder.is_dir():
        raise UserError(f"{label}: no folder {folder} to write {what} into")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"{label}: the folder {folder} cannot be written to")
    return out


def _mode_for(path: Path) -> int:
    """The permissions ``path`` has, else those a plain write would give it (the umask's)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """The rename itself survives a power cut."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
