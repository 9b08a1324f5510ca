"""Has this file been imported into the project already? Importing it twice would count every
statement, vote and note twice, with nothing on screen to say so.

A source keeps, in its details, the SHA-256 of the bytes it was imported from (``file``): the
same bytes under another name or in another folder are the same data. A file at the path of an
earlier import whose bytes changed since is new data (an updated export): it imports, with a
warning that the earlier import is still in the project. Sources imported before fingerprints
were kept are matched by their path.

Participant characteristics are exempt: importing them again updates each participant's values
in place (and joins them to the latest debate), holding nothing twice. A file given twice in one
import (named twice, or listed twice in a study.json) is refused as given twice: nothing of it
is in the project yet.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ImportProblem
from .common import unique_lines

# The files of a Pol.is export folder the importer reads: the folder's fingerprint is theirs.
POLIS_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
_POLIS_ROLES = ("comments", "votes", "participant votes", "summary")
_CHUNK = 1024 * 1024
# Kinds whose import updates the project's values in place (participant_attributes are upserted
# per participant and name): importing them again holds nothing twice.
UPDATES_IN_PLACE = frozenset({"characteristics"})


class AlreadyImported(ImportProblem):
    """The file's data is in the project already (``earlier``: that source's name and time)."""

    def __init__(self, path: object, earlier: str) -> None:
        self.earlier = earlier
        super().__init__(path, f"already imported into this project ({earlier}); importing it "
                               "again would hold its data twice")


class SameRowsImported(AlreadyImported):
    """The file's bytes are new but its rows are not: the same notes or statements, saved
    again in another encoding, with other delimiters or other formatting."""

    def __init__(self, path: object, earlier: str, message: str) -> None:
        self.earlier = earlier
        ImportProblem.__init__(self, path, message)


def same_text(text: str) -> str:
    """A text as compared across files: Unicode composed one way, spaces collapsed, case and
    typographic quotes and dashes left out (Excel's re-save, another encoding, Word's quotes)."""
    import unicodedata
    t = unicodedata.normalize("NFKC", text)
    t = t.translate(_PLAIN)
    return " ".join(t.split()).casefold()


_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u00a0": " "})
SAME_SHARE = 0.9    # of a file's rows found in one earlier source: the same data again


def check_same_rows(project: Any, path: str | os.PathLike[str], table: str,
                    texts: list[str], *, ids: list[str] | None = None,
                    again: bool = False) -> list[str]:
    """Refuse (``SameRowsImported``) a table whose rows' ids (from its id column: ``ids``) and
    texts, nine in ten or more, are those of one source the project holds (``table``: notes or
    statements), unless ``again``; the warning to give when its texts only, or fewer rows, are
    (without ids a file of the same texts may be meant: the same prompts at another event). The same rows saved again by Excel in another
    encoding are other bytes, so ``check_new`` cannot see them: 27 notes were held twice."""
    if table not in ("notes", "statements") or not texts:
        return []
    from collections import Counter
    keyed = ids is not None
    mine = Counter((ids[i].strip() if keyed else "", same_text(t))
                   for i, t in enumerate(texts) if t.strip())
    if not mine:
        return []
    theirs: dict[int, Counter] = {}
    names: dict[int, str] = {}
    for sid, name, imported_at, ext, text in project.query(
            f"SELECT s.id, s.name, s.imported_at, t.external_id, t.text FROM {table} t "
            "JOIN sources s ON s.id = t.source_id ORDER BY s.id"):
        theirs.setdefault(sid, Counter())[(str(ext).strip() if keyed else "",
                                           same_text(text))] += 1
        names[sid] = f"“{name}”, {_when(imported_at)}"
    if not theirs:
        return []
    n = sum(mine.values())
    shared = {sid: sum((mine & c).values()) for sid, c in theirs.items()}
    sid = max(shared, key=lambda k: (shared[k], k))
    same = shared[sid]
    what = "notes" if table == "notes" else "statements"
    said = (f"{same:,} of the {n:,} {what} in {Path(path).name} have the "
            f"{'id and text' if keyed else 'text'} of {what} already imported from {names[sid]}")
    if keyed and same >= SAME_SHARE * n and not again:
        raise SameRowsImported(path, names[sid], f"{said}: the same {what} saved again "
                               f"(another encoding or format?); importing them would hold "
                               "them twice")
    if same and (same >= 3 or same * 5 >= n):
        return [f"{said}: they are now held twice" if same >= SAME_SHARE * n
                else f"{said}: are these the same {what}? They are now held twice"]
    return []


class GivenTwice(ImportProblem):
    """The file was given twice in one import (``first``: the path it was given as first)."""

    def __init__(self, path: object, first: str) -> None:
        self.first = first
        also = "" if str(path) == first else f" (also as {first})"
        super().__init__(path, f"given twice in this import{also}; nothing of it is in the "
                               "project yet")


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    path: str           # resolved, as the researcher's computer names it
    sheet: str | None = None    # the workbook's sheet asked for: another sheet is other data

    def as_dict(self) -> dict[str, str]:
        out = {"sha256": self.sha256, "path": self.path}
        if self.sheet:
            out["sheet"] = self.sheet
        return out

    @property
    def key(self) -> str:
        """What tells one import's files apart: the bytes, and the sheet asked for."""
        return self.sha256 + (f"#{self.sheet}" if self.sheet else "")


def _other_sheet(kept: dict[str, Any], fp: Fingerprint) -> bool:
    """An earlier import of these bytes read another sheet than the one asked for now (asked
    for none, the same sheet would be read again)."""
    return bool(fp.sheet and kept.get("sheet") and kept.get("sheet") != fp.sheet)


def fingerprint(path: str | os.PathLike[str], sheet: str | None = None) -> Fingerprint:
    """The SHA-256 of a file's bytes, or of a Pol.is folder's files with their names; with
    the ``sheet`` of a workbook asked for, if any."""
    p = Path(path)
    digest = hashlib.sha256()
    if p.is_dir():
        # by role, as the importer finds them ("{id}-comments.csv", "participant-votes.csv"),
        # under the standard name, so a folder's fingerprint is what it was before prefixes
        from .polis import export_files
        files = export_files(p)
        for name, role in zip(POLIS_FILES, _POLIS_ROLES):
            f = files.get(role)
            if f is not None:
                digest.update(f"\0{name}\0".encode())
                _feed(digest, f)
    else:
        _feed(digest, p)
    return Fingerprint(digest.hexdigest(), str(p.resolve()), sheet or None)


def _feed(digest: Any, path: Path) -> None:
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    except OSError as e:
        raise ImportProblem(path, f"cannot be read ({e.strerror or e})") from None


def check_new(project: Any, path: str | os.PathLike[str], fp: Fingerprint, *,
              seen: dict[str, str], kind: str | None = None, again: bool = False) -> list[str]:
    """Raise ``GivenTwice`` when this import has imported these bytes already (``seen``: the
    SHA-256 and path of each file it imported so far), and, unless ``again``,
    ``AlreadyImported`` when the project holds a source of them (or, for a source from before
    fingerprints, of this path); the warnings to give otherwise. Kinds that update in place
    (``UPDATES_IN_PLACE``) are never refused."""
    if kind in UPDATES_IN_PLACE:
        return []
    first = seen.get(fp.key)
    if first is not None:
        raise GivenTwice(path, first)
    if again:
        return []
    given = {str(path), str(Path(path)), fp.path}
    warnings = []
    for name, src_path, imported_at, details in project.query(
            "SELECT name, path, imported_at, details FROM sources ORDER BY id"):
        kept = _kept(details)
        earlier = f"“{name}”, {_when(imported_at)}"
        if kept is not None and kept.get("sha256") == fp.sha256 and not _other_sheet(kept, fp):
            raise AlreadyImported(path, earlier)
        if kept is None and src_path in given:
            raise AlreadyImported(path, earlier)
        if kept is not None and kept.get("path") == fp.path and kept.get("sha256") != fp.sha256:
            warnings.append(f"a file at this path was imported before ({earlier}) and has "
                            "changed since: that earlier import is still in the project")
    return unique_lines(warnings)


def record(project: Any, reports: list[Any], fp: Fingerprint, warnings: list[str]) -> None:
    """Keep the fingerprint with the sources an import made, and give its reports (and the
    sources' import summaries) the ``warnings`` of ``check_new``; in the import's transaction.
    The fingerprint was taken before the import read the file: a file changed since (saved
    again while it was imported) is refused, so what is kept describes the bytes imported."""
    if fingerprint(fp.path).sha256 != fp.sha256:
        raise ImportProblem(fp.path, "changed while it was being imported; nothing of it was "
                                     "imported. Import it again once it is saved")
    with project.transaction() as db:
        for report in reports:
            for w in warnings:
                report.warn(w)
            if report.source_id is None:
                continue
            row = db.execute("SELECT details FROM sources WHERE id = ?",
                             (report.source_id,)).fetchone()
            data = _loads(row[0] if row else "{}")
            data["file"] = fp.as_dict()
            if report.options.get("sheet"):     # the sheet read, asked for or found
                data["file"]["sheet"] = report.options["sheet"]
            if isinstance(data.get("import"), dict):
                data["import"] = report.as_dict()
            db.execute("UPDATE sources SET details = ? WHERE id = ?",
                       (json.dumps(data, ensure_ascii=False), report.source_id))


def _kept(details: str) -> dict[str, Any] | None:
    kept = _loads(details).get("file")
    return kept if isinstance(kept, dict) else None


def _loads(details: str) -> dict[str, Any]:
    try:
        data = json.loads(details or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _when(imported_at: str) -> str:
    """``2026-11-28T04:30:12+00:00`` → ``imported 2026-11-28 04:30 UTC``."""
    text = str(imported_at or "")
    if len(text) >= 16 and text[10] == "T":
        zone = " UTC" if text.endswith(("+00:00", "Z")) else ""
        return f"imported {text[:10]} {text[11:16]}{zone}"
    return f"imported {text}" if text else "imported earlier"
