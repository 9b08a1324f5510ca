"""The recovery journal: words typed in the last moment before a crash, kept beside the project.

A text field writes itself after a pause in typing (``autosave``); until then what the
researcher typed lives only in the window. While a field has such typing, its text is kept in
``<project>.recovery.json`` next to the project file — never in the project, which holds only
committed work — written whole (temporary file, fsync, rename) at most every ``DEBOUNCE_MS``.
An entry goes as soon as the field's own write has put the text in the project; a clean close
leaves no journal. On opening, ``review`` sorts what a journal holds into edits to offer back,
edits already in the project and edits whose target is gone; ``restore`` writes them through the
same save the field uses (one undo step each).

Only the window that may write the project keeps a journal (it holds the project's lock); a
journal that names another project (its creation stamp differs) is not offered, and replaced.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from synth import files

DEBOUNCE_MS = 200
SUFFIX = ".recovery.json"
MAX_BYTES = 8 * 1024 * 1024       # a journal bigger than this was not written by Synth
LABELS = {"recommendation-text": "recommendation text",
          "recommendation-title": "recommendation title",
          "theme-summary-shared": "what participants shared",
          "theme-summary-want": "what participants want to see",
          "code-description": "code description", "memo": "memo",
          "quote-attribution": "quote attribution"}


def journal_path(project_path: Path) -> Path:
    return Path(str(project_path) + SUFFIX)


def fingerprint(project: Any) -> str:
    """What tells this project from another file later put at the same path."""
    return str(project.meta("created", "") or "")


@dataclass
class Entry:
    field: str
    key: Any            # an int, or a list of ints (a memo: [theme, memo or null])
    text: str
    saved: str          # what the field held when last written

    @property
    def ident(self) -> tuple[str, str]:
        return self.field, json.dumps(self.key)

    def describe(self) -> str:
        words = self.text.split()
        first = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
        return f"{LABELS.get(self.field, self.field)} “{first}”"


def _valid_key(key: Any) -> bool:
    def scalar(v: Any) -> bool:
        return v is None or (isinstance(v, int) and not isinstance(v, bool))
    return (scalar(key) and key is not None) or (
        isinstance(key, list) and 0 < len(key) <= 4 and all(scalar(v) for v in key))


def read_entries(path: Path, stamp: str) -> list[Entry]:
    """The entries a journal at ``path`` holds for the project stamped ``stamp``; nothing for
    a missing, foreign, oversized or malformed one (a link is not followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return []
    try:
        with os.fdopen(fd, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return []
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("project") != stamp:
        return []
    out: dict[tuple[str, str], Entry] = {}
    for e in data.get("entries", []) if isinstance(data.get("entries"), list) else []:
        if not (isinstance(e, dict) and e.get("field") in LABELS and _valid_key(e.get("key"))
                and isinstance(e.get("text"), str) and isinstance(e.get("saved", ""), str)):
            continue
        entry = Entry(e["field"], e["key"], e["text"], e.get("saved", ""))
        out[entry.ident] = entry               # a later entry for the same field wins
    return list(out.values())


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` at ``path``, whole or not at all, on disk before this returns; readable by its
    owner only (it holds what the researcher typed)."""
    files.write_atomically(path, data, private=True)


class RecoveryJournal(QObject):
    """The journal of one open, writable project. ``held``: entries a session that ended
    without writing them left behind, kept until the researcher restores or discards them."""

    def __init__(self, project: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = journal_path(project.path)
        self.stamp = fingerprint(project)
        self.held: list[Entry] = read_entries(self.path, self.stamp)
        self._live: dict[tuple[str, str], Entry] = {}
        # a journal of another project (or a damaged one) is replaced by the first write
        self._on_disk = self.path.exists() or self.path.is_symlink()
        self.writes = 0
        self.error: OSError | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.write_now)

    def entries(self) -> list[Entry]:
        return list(self._live.values())

    def note(self, field: str, key: Any, text: str, saved: str) -> None:
        """``field`` bound to ``key`` has unwritten typing ``text``: on disk within
        ``DEBOUNCE_MS`` (not postponed by more typing, so a steady typist is kept too)."""
        entry = Entry(field, list(key) if isinstance(key, tuple) else key, text, saved)
        self._live[entry.ident] = entry
        if not self._timer.isActive():
            self._timer.start()

    def drop(self, field: str, key: Any) -> None:
        """The field's typing is in the project now: its entry goes at once."""
        ident = Entry(field, list(key) if isinstance(key, tuple) else key, "", "").ident
        if self._live.pop(ident, None) is not None:
            self.write_now()

    def keep_held(self, entries: list[Entry]) -> None:
        """Keep only ``entries`` of what the last session left (the rest is settled)."""
        self.held = list(entries)
        self.write_now()

    def write_now(self) -> None:
        self._timer.stop()
        live = set(self._live)
        entries = [e for e in self.held if e.ident not in live] + list(self._live.values())
        try:
            if entries:
                data = json.dumps({"synth_recovery": 1, "project": self.stamp,
                                   "entries": [e.__dict__ for e in entries]},
                                  ensure_ascii=False).encode("utf-8")
                write_atomically(self.path, data)
                self._on_disk = True
            elif self._on_disk:
                self.path.unlink(missing_ok=True)
                self._on_disk = False
            self.writes += 1
            self.error = None
        except OSError as e:      # a full disk must not stop the typing; said once, on stderr
            if self.error is None:
                print(f"Synth: cannot write the recovery journal {self.path}: {e}",
                      file=sys.stderr)
            self.error = e

    def close(self) -> None:
        """What is still unwritten stays on disk; with nothing left the journal is removed."""
        self.write_now()


@dataclass
class Review:
    offer: list[tuple[Any, Entry]]      # (field, entry): text the project does not hold
    gone: list[Entry]                   # their target was deleted since
    same: list[Entry]                   # the project already holds the text


def _current(field: Any, project: Any, key: Any) -> str | None:
    try:
        return field.read(project, key)
    except (ValueError, TypeError, KeyError, OverflowError):
        return None


def review(entries: list[Entry], fields: dict[str, Any], project: Any) -> Review:
    """Sort a journal's entries by what ``project`` holds now; ``fields`` by name."""
    out = Review([], [], [])
    for e in entries:
        field = fields.get(e.field)
        current = None if field is None or field.read is None else \
            _current(field, project, e.key)
        if current is None:
            out.gone.append(e)
        elif field.normalise(e.text) == current:
            out.same.append(e)
        else:
            out.offer.append((field, e))
    return out


def restore(offer: list[tuple[Any, Entry]], project: Any) -> tuple[list[Entry], list[Entry]]:
    """Write each entry through its field's own save (one undo step each); (restored, not)."""
    done, skipped = [], []
    for field, e in offer:
        if _current(field, project, e.key) is None:
            skipped.append(e)
            continue
        field.save_as_typed(e.key, e.text)
        (done if _current(field, project, e.key) == field.normalise(e.text)
         else skipped).append(e)
    return done, skipped
