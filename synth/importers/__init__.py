"""Bringing data into a project. Each importer is atomic: it completes or changes nothing.

``detect(path)`` recognises what a file or folder holds from its contents; ``import_path`` imports
it; a folder with a ``study.json`` manifest (like the bundled sample study) imports every file it
lists, with the site and workshop each one carries.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

from ..errors import ImportProblem
from .common import read_header
from .report import ImportReport

KINDS = ("polis", "tallies", "notes", "characteristics", "document", "study", "qdpx")
MAX_MANIFEST_BYTES = 1024 * 1024
# Options a study manifest may give a file, with their types: nothing else reaches an importer.
STUDY_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "name": str, "site": str, "workshop": str, "title": str, "vote_sign": str,
    "mapping": dict, "id_column": str, "create_missing": bool, "participants": int,
    "source_kind": str,     # a transcript's: workshop, interview or document
    "sheet": str,           # a workbook's sheet (else the first visible one holding the table)
    "debate": str,          # characteristics: the debate they describe (name, folder or id)
}


def _table_kind(headers: list[str]) -> str | None:
    """What a table with these headers holds: tallies, notes, characteristics, or None."""
    from .tables import (CHARACTERISTIC_ID, NOTE_FIELDS, TALLY_FIELDS, canvas_columns,
                         suggest_mapping)
    if {"text", "agree", "disagree"} <= suggest_mapping(headers, TALLY_FIELDS).keys():
        return "tallies"
    if "text" in suggest_mapping(headers, NOTE_FIELDS) or canvas_columns(headers):
        return "notes"
    if suggest_mapping(headers, (CHARACTERISTIC_ID,)):
        return "characteristics"
    return None


def looks_like_table(path: Path) -> bool:
    """A .txt that is a table saved as text (Excel's "Unicode Text", a tab-separated export):
    its first lines, three at least, each split by tabs into the same two cells or more. A
    transcript's lines are not so regular."""
    from .common import _Undecodable, _decode
    try:
        with path.open("rb") as f:
            data = f.read(65536)
    except OSError:
        return False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data[:len(data) - len(data) % 2]
    try:
        text = _decode(data)
    except (_Undecodable, UnicodeDecodeError):
        return False
    lines = text.splitlines()
    if len(data) == 65536:
        lines = lines[:-1]      # the last may be cut
    lines = [ln for ln in lines if ln.strip()][:20]
    tabs = {ln.count("\t") for ln in lines}
    if len(lines) < 3 or len(tabs) != 1 or tabs.pop() < 1:
        return False
    # and its header names a table Synth reads: a transcript typed "Name<tab>words" stays one
    return _table_kind([h.strip() for h in lines[0].split("\t")]) is not None


def detect(path: str | os.PathLike[str], *, sheet: str | None = None) -> str:
    """The kind of data at ``path``: one of ``KINDS``. Of a workbook, ``sheet``, else its
    first visible sheet holding a table Synth reads."""
    from .polis import is_polis_folder
    p = Path(path)
    if not p.exists():
        raise ImportProblem(p, "no such file or folder")
    if p.is_dir():
        if is_polis_folder(p):
            return "polis"
        if (p / "study.json").exists():
            return "study"
        raise ImportProblem(p, "a folder that is neither a Pol.is export (comments.csv with "
                               "votes.csv or participants-votes.csv) nor a study with study.json")
    suffix = p.suffix.lower()
    if suffix == ".txt" and looks_like_table(p):    # Excel's "Unicode Text": UTF-16, tabs
        suffix = ".tsv"
    if suffix in (".docx", ".txt", ".md", ".vtt", ".srt"):     # .vtt, .srt: Zoom, Teams
        return "document"
    if suffix == ".qdpx":
        return "qdpx"
    if suffix == ".json" and p.name == "study.json":
        return "study"
    if suffix in (".csv", ".tsv", ".xlsx", ".xlsm"):
        table = read_header(p, sheet=sheet, want=lambda h: _table_kind(h) is not None)
        kind = _table_kind(table.headers)
        if kind is not None:
            return kind
        found = ", ".join(f"“{h}”" for h in table.headers if h) or "no header"
        sheets = (f" The workbook's sheets: {table.sheet_list()}; none of the visible ones "
                  "has such columns (choose one in the Import dialog, or give its “sheet” in "
                  "study.json)." if len(table.sheets) > 1 else "")
        raise ImportProblem(p, table.on_sheet(
            f"cannot tell what this table holds (its headers: {found}). Sticky notes need a "
            "text column (named like “Note text”), statements with tallies a text column and "
            "“Agree” and “Disagree” counts, characteristics a “Participant id” column. Choose "
            "the columns in the Import dialog, or name them in a study.json beside the file: "
            '{"files": [{"path": "' + p.name + '", "kind": "notes", "mapping": {"text": '
            '"<its text column>"}}]}.' + sheets), row=table.header_row)
    raise ImportProblem(p, f"cannot import {suffix or 'files without an extension'}; Synth "
                           "reads Pol.is export folders, .csv, .xlsx, .docx, .txt, .vtt, .srt "
                           "and .qdpx")


def import_path(project: Any, path: str | os.PathLike[str], *, kind: str | None = None,
                progress: Callable[[int, int, str], None] | None = None, again: bool = False,
                seen: dict[str, str] | None = None, **options: Any) -> list[ImportReport]:
    """Import one file or folder; returns one report per source created. A file whose data
    the project holds already is refused (``fingerprints.AlreadyImported``) unless ``again``;
    one given twice in one import (``fingerprints.GivenTwice``) always. ``seen``: the files
    (SHA-256 → path) imported so far by the larger import this one is part of, if any; this
    one's are added to it. A Pol.is comments.csv given alone is refused (its tallies count
    re-votes and no passes: ``polis.comments_alone``), and a characteristics table joins the
    debate whose participants it fits best when the project has several, saying which, or the
    one ``debate`` names; two that fit alike are refused (``tables.choose_debate``): for the
    command line, the window and study folders alike."""
    seen = {} if seen is None else seen
    kind = kind or detect(path, sheet=options.get("sheet"))
    if kind == "study":         # each file it lists is checked as it comes
        return import_study(project, path, progress=progress, again=again, seen=seen)
    from .fingerprints import check_new, fingerprint, record
    if kind == "tallies":
        from .polis import comments_alone
        problem = comments_alone(path)
        if problem is not None:
            raise problem
    fp = fingerprint(path, options.get("sheet"))
    warnings = check_new(project, path, fp, seen=seen, kind=kind, again=again)
    debate = options.pop("debate", None) if kind == "characteristics" else None
    if kind == "characteristics" and "source_id" not in options:
        from .tables import choose_debate
        chosen = choose_debate(project, path, options.get("sheet"), debate)
        if chosen is not None:
            options["source_id"] = chosen[0]
            warnings.append(chosen[1])      # kept with the source by ``record``
    if kind in ("notes", "tallies"):    # the same rows in other bytes are looked for too
        options = {**options, "again": again}
    if kind == "qdpx":          # one undoable operation, which keeps the fingerprint itself
        reports = _import_one(project, path, kind, progress, fp, warnings, options)
    else:
        with project.transaction(bulk=kind == "polis"):     # as the Pol.is importer's own
            reports = _import_one(project, path, kind, progress, fp, warnings, options)
            record(project, reports, fp, warnings)
    seen.setdefault(fp.key, str(path))
    return reports


def _import_one(project: Any, path: str | os.PathLike[str], kind: str,
                progress: Callable[[int, int, str], None] | None, fp: Any, warnings: list[str],
                options: dict[str, Any]) -> list[ImportReport]:
    from .documents import import_document
    from .polis import import_polis
    from .tables import import_characteristics, import_notes, import_tallies
    if kind == "polis":
        return [import_polis(project, path, progress=progress, **options)]
    if kind == "tallies":
        return [import_tallies(project, path, **options)]
    if kind == "notes":
        return [import_notes(project, path, **options)]
    if kind == "characteristics":
        return [import_characteristics(project, path, **options)]
    if kind == "document":
        return [import_document(project, path, **options)]
    if kind == "qdpx":
        from .qdpx import import_qdpx
        return [import_qdpx(project, path, file=fp.as_dict(), notes=warnings, **options)]
    raise ImportProblem(path, f"unknown kind of data “{kind}”")


def import_study(project: Any, path: str | os.PathLike[str], *,
                 progress: Callable[[int, int, str], None] | None = None,
                 again: bool = False, seen: dict[str, str] | None = None) -> list[ImportReport]:
    """A study folder whose ``study.json`` lists its files:
    ``{"name": ..., "files": [{"path": ..., "kind": ..., "site": ..., "workshop": ...}]}``.
    The whole study is one transaction: it imports whole or not at all. ``seen`` as
    ``import_path``'s."""
    seen = {} if seen is None else seen
    p = Path(path)
    manifest_path = p / "study.json" if p.is_dir() else p
    folder = manifest_path.parent
    from .common import check_file
    check_file(manifest_path, max_bytes=MAX_MANIFEST_BYTES, what="study manifests")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = manifest["files"]
        if not isinstance(manifest, dict) or not isinstance(entries, list):
            raise TypeError("“files” is not a list")
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as e:
        raise ImportProblem(manifest_path, f"not a readable study manifest ({e})") from None
    reports: list[ImportReport] = []
    with project.transaction(bulk=True):
        for n, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                raise ImportProblem(manifest_path, f"entry {n} has no “path”")
            kind = entry.get("kind")
            if kind is not None and kind not in KINDS:
                raise ImportProblem(manifest_path, f"entry {n}: unknown kind “{kind}”")
            try:
                target = (folder / entry["path"]).resolve()
            except (OSError, ValueError, RuntimeError) as e:
                raise ImportProblem(manifest_path, f"entry {n}: not a usable path ({e})") \
                    from None
            if folder.resolve() not in target.parents:
                raise ImportProblem(manifest_path, f"entry {n} points outside the study folder")
            options = {k: v for k, v in entry.items() if k not in ("path", "kind")}
            bad = [k for k, v in options.items()
                   if k not in STUDY_OPTIONS or not isinstance(v, STUDY_OPTIONS[k])
                   or (isinstance(v, dict) and not all(isinstance(x, str)
                                                       for kv in v.items() for x in kv))]
            if bad:
                raise ImportProblem(manifest_path, f"entry {n}: unknown or malformed option "
                                                   f"“{bad[0]}”")
            if progress:
                progress(n - 1, len(entries), f"importing {entry['path']}")
            try:
                reports += import_path(project, target, kind=kind, again=again, seen=seen,
                                       **options)
            except TypeError as e:  # an option this kind of file does not take
                raise ImportProblem(manifest_path, f"entry {n}: {e}") from None
        # The study's own settings (its name, the report's title and authors) come with it.
        if isinstance(manifest.get("name"), str):
            project.set_setting("study_name", manifest["name"])
        settings = manifest.get("settings") or {}
        if not isinstance(settings, dict):
            raise ImportProblem(manifest_path, "“settings” is not a table of names and values")
        for key, value in settings.items():
            project.set_setting(str(key), value)
    if progress:
        progress(len(entries), len(entries), "study imported")
    return reports
