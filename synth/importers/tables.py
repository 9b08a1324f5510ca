"""Tables researchers keep in spreadsheets: statements with vote tallies, workshop sticky notes,
participant characteristics. Columns are mapped to fields; a mapping is suggested from the
headers and can be given (and is remembered by the window).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..errors import ImportProblem
from ..project import Project, now_iso
from .common import Table, _match, parse_int, plural, read_table
from .report import ImportReport

Mapping_ = dict[str, str]   # field -> header


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


TALLY_FIELDS = (
    Field("text", "Statement text", ("text", "statement", "comment", "comment-body", "body",
                                     "statement text"), True),
    Field("id", "Statement id", ("id", "statement id", "comment-id", "tid", "number")),
    Field("agree", "Agree count", ("agree", "agrees", "agreed", "agree count", "n agree"), True),
    Field("disagree", "Disagree count", ("disagree", "disagrees", "disagreed",
                                         "disagree count", "n disagree"), True),
    Field("pass", "Pass count", ("pass", "passes", "passed", "pass count", "unsure", "neutral",
                                 "skip")),
    Field("moderated", "Moderation", ("moderated", "moderation")),
    Field("seed", "Seed flag", ("is-seed", "seed")),
)

NOTE_FIELDS = (
    Field("text", "Note text", ("text", "note", "note text", "content", "comment", "sticky note",
                                "body"), True),
    Field("id", "Note id", ("note id", "id", "note_id", "number")),
    Field("site", "Site / city", ("site", "city", "location", "venue", "place")),
    Field("workshop", "Workshop", ("workshop", "session", "event")),
    Field("table", "Table / group", ("table", "group", "table group", "breakout")),
    Field("activity", "Activity", ("activity", "exercise", "keep ditch add", "type", "category")),
    Field("scenario", "Scenario", ("scenario", "future", "canvas", "prompt")),
    Field("colour", "Colour", ("colour", "color", "sticky colour")),
    Field("dot_votes", "Dot votes", ("dot votes", "dots", "votes", "dot_votes")),
    Field("author_role", "Author role", ("author role", "role", "author", "written by")),
    Field("participant", "Participant id", ("participant", "participant id", "pid")),
)

CHARACTERISTIC_ID = Field("participant", "Participant id",
                          ("participant", "participant id", "participant_id", "pid", "voter-id",
                           "voter id", "id", "xid"), True)


def suggest_mapping(headers: list[str], fields: tuple[Field, ...]) -> Mapping_:
    """A field → header mapping from the headers' names: each field its first name or synonym
    that a header not yet taken matches, a header spelt exactly so first (``Table.find``)."""
    out: Mapping_ = {}
    used: set[int] = set()
    for f in fields:
        i = _match(headers, (f.name, *f.synonyms), used)
        if i is not None:
            out[f.name] = headers[i]
            used.add(i)
    return out


def _resolve(table: Table, fields: tuple[Field, ...], mapping: Mapping[str, str] | None
             ) -> dict[str, int]:
    mapping = dict(mapping) if mapping else suggest_mapping(table.headers, fields)
    out: dict[str, int] = {}
    for f in fields:
        header = mapping.get(f.name)
        if header:
            i = table.find(header)
            if i is None:
                raise ImportProblem(table.path, f"the mapping names a column “{header}” for "
                                                f"{f.label.lower()}, but there is none",
                                    row=table.header_row)
            out[f.name] = i
        elif f.required:
            raise ImportProblem(table.path, f"no column for {f.label.lower()} (expected one "
                                            f"named like “{f.synonyms[0]}”; found: "
                                            f"{', '.join(table.headers)})",
                                row=table.header_row)
    return out


def _new_source(db: object, kind: str, name: str, path: Path, site: str = "",
                workshop: str = "") -> int:
    cur = db.execute(  # type: ignore[attr-defined]
        "INSERT INTO sources(kind, name, path, site, workshop, imported_at) VALUES (?,?,?,?,?,?)",
        (kind, name, str(path), site, workshop, now_iso()))
    return int(cur.lastrowid)


def import_tallies(project: Project, path: str | os.PathLike[str], *,
                   mapping: Mapping[str, str] | None = None, name: str | None = None
                   ) -> ImportReport:
    """Statements with agree/disagree/pass counts only (no single votes)."""
    table = read_table(path)
    cols = _resolve(table, TALLY_FIELDS, mapping)
    report = ImportReport(str(table.path), "tallies", options={"mapping": {
        k: table.headers[v] for k, v in cols.items()}})
    rows = []
    seen: set[str] = set()
    duplicates = empty = 0
    for i, row in enumerate(table.rows):
        text = row[cols["text"]].strip()
        ext = row[cols["id"]].strip() if "id" in cols else str(i + 1)
        if not ext:
            ext = str(i + 1)
        if ext in seen:
            duplicates += 1
            continue
        seen.add(ext)
        if not text:
            empty += 1
        counts = []
        for f in ("agree", "disagree", "pass"):
            v = parse_int(table, i, cols[f], allow_empty=True, what="a count") if f in cols else 0
            v = v or 0
            if v < 0:
                raise table.problem(i, cols[f], f"a count cannot be negative ({v})")
            counts.append(v)
        mod = 0
        if "moderated" in cols:
            mod = parse_int(table, i, cols["moderated"], allow_empty=True) or 0
            if mod not in (-1, 0, 1):
                raise table.problem(i, cols["moderated"], f"moderation must be −1, 0 or 1")
        seed = row[cols["seed"]].strip().lower() in ("1", "true", "yes") if "seed" in cols else 0
        rows.append((ext, text, mod, int(seed), *counts, table.row_numbers[i]))
    if duplicates:
        report.warn(f"{plural(duplicates, 'row')} with a statement id already used: not imported")
    if empty:
        report.warn(f"{plural(empty, 'statement')} with empty text (imported, kept off the board)")
    with project.transaction() as db:
        sid = _new_source(db, "tallies", name or table.path.stem, table.path)
        db.executemany("INSERT INTO statements(source_id, external_id, text, moderation, is_seed,"
                       " agree_tally, disagree_tally, pass_tally, row_number) "
                       "VALUES (?,?,?,?,?,?,?,?,?)", [(sid, *r) for r in rows])
        report.source_id = sid
        report.counts = {"statements": len(rows),
                         "votes (tallied)": sum(r[4] + r[5] + r[6] for r in rows)}
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps({"import": report.as_dict()}, ensure_ascii=False), sid))
    return report


def _warn_repeated_ids(report: ImportReport, rows: list[tuple], column: str) -> None:
    """Notes whose id an earlier row already has are imported (a sticky note is not lost for
    a numbering slip) with a warning naming the rows: the report cites notes by id, so two
    notes with one id cannot be told apart there."""
    first: dict[str, int] = {}
    repeats = []
    for r in rows:
        note_id, row_number = r[0], r[-1]
        if note_id in first:
            repeats.append(f"“{note_id}” in rows {first[note_id]} and {row_number}")
        else:
            first[note_id] = row_number
    if repeats:
        shown = "; ".join(repeats[:3]) + (f"; and {len(repeats) - 3} more" if len(repeats) > 3
                                           else "")
        report.warn(f"{plural(len(repeats), 'note')} with an id an earlier row has (column "
                    f"“{column}”: {shown}): imported, but the report cites notes by id, so give "
                    "them ids of their own")


def import_notes(project: Project, path: str | os.PathLike[str], *,
                 mapping: Mapping[str, str] | None = None, site: str = "", workshop: str = "",
                 name: str | None = None, participants_source: int | None = None
                 ) -> ImportReport:
    """Workshop sticky notes, one per row."""
    table = read_table(path)
    cols = _resolve(table, NOTE_FIELDS, mapping)
    report = ImportReport(str(table.path), "workshop", options={"mapping": {
        k: table.headers[v] for k, v in cols.items()}, "site": site, "workshop": workshop})
    rows = []
    empty = 0
    sites: set[str] = set()
    pmap: dict[str, int] = {}
    if participants_source is not None:
        pmap = {r[0]: r[1] for r in project.query(
            "SELECT external_id, id FROM participants WHERE source_id = ?",
            (participants_source,))}
    for i, row in enumerate(table.rows):
        get = lambda f: row[cols[f]].strip() if f in cols else ""  # noqa: E731
        text = get("text")
        if not text:
            empty += 1
            continue
        dots = parse_int(table, i, cols["dot_votes"], allow_empty=True, what="a number of dots") \
            if "dot_votes" in cols else 0
        s = get("site") or site
        sites.add(s)
        rows.append((get("id") or str(i + 1), text, s, get("workshop") or workshop, get("table"),
                     get("activity").lower(), get("scenario"), get("colour"), dots or 0,
                     get("author_role").lower(), pmap.get(get("participant")),
                     table.row_numbers[i]))
    if empty:
        report.warn(f"{plural(empty, 'row')} with no note text: skipped")
    if not rows:
        raise ImportProblem(table.path, "no notes: every row's text is empty")
    if "id" in cols:
        _warn_repeated_ids(report, rows, table.headers[cols["id"]])
    with project.transaction() as db:
        sid = _new_source(db, "workshop", name or table.path.stem, table.path, site, workshop)
        db.executemany("INSERT INTO notes(source_id, external_id, text, site, workshop, "
                       "table_group, activity, scenario, colour, dot_votes, author_role, "
                       "participant_id, row_number) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(sid, *r) for r in rows])
        report.source_id = sid
        report.counts = {"notes": len(rows), "sites": len(sites - {""})}
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps({"import": report.as_dict()}, ensure_ascii=False), sid))
    return report


def import_characteristics(project: Project, path: str | os.PathLike[str], *,
                           id_column: str | None = None, source_id: int | None = None,
                           create_missing: bool = True) -> ImportReport:
    """Participant characteristics (department, grade, region …), joined by participant id to
    the participants of a debate source (the most recent one unless ``source_id`` is given).
    Every other column becomes a characteristic."""
    table = read_table(path)
    cols = _resolve(table, (CHARACTERISTIC_ID,),
                    {"participant": id_column} if id_column else None)
    id_col = cols["participant"]
    report = ImportReport(str(table.path), "characteristics")
    if source_id is None:
        source_id = project.scalar("SELECT id FROM sources WHERE kind IN ('debate','survey') "
                                   "ORDER BY id DESC LIMIT 1")
    names = [(j, h) for j, h in enumerate(table.headers) if j != id_col and h]
    if not names:
        raise ImportProblem(table.path, "no characteristic columns beside the participant id",
                            row=table.header_row)
    with project.transaction() as db:
        own = _new_source(db, "characteristics", table.path.stem, table.path)
        if source_id is None:
            source_id = own  # no debate yet: these participants belong to this table
        pmap = {r[0]: r[1] for r in db.execute(
            "SELECT external_id, id FROM participants WHERE source_id = ?", (source_id,))}
        seen: set[str] = set()
        unknown = duplicates = 0
        values = []
        for i, row in enumerate(table.rows):
            ext = row[id_col].strip()
            if not ext:
                raise table.problem(i, id_col, "no participant id")
            if ext.endswith(".0") and ext[:-2].isdigit():
                ext = ext[:-2]
            if ext in seen:
                duplicates += 1
                continue
            seen.add(ext)
            pid = pmap.get(ext)
            if pid is None:
                unknown += 1
                if not create_missing:
                    continue
                pid = int(db.execute("INSERT INTO participants(source_id, external_id) "
                                     "VALUES (?, ?)", (source_id, ext)).lastrowid)
                pmap[ext] = pid
            for j, h in names:
                v = row[j].strip()
                if v:
                    values.append((pid, h, v, own))
        db.executemany("INSERT INTO participant_attributes(participant_id, name, value, "
                       "source_id) VALUES (?,?,?,?) ON CONFLICT(participant_id, name) "
                       "DO UPDATE SET value = excluded.value, source_id = excluded.source_id",
                       values)
        if duplicates:
            report.warn(f"{plural(duplicates, 'row')} repeat a participant id: the first kept")
        if unknown:
            report.warn(f"{plural(unknown, 'participant')} not found in the debate: "
                        + ("added as participants without votes" if create_missing
                           else "not imported"))
        report.source_id = own
        report.counts = {"participants": len(seen) - (0 if create_missing else unknown),
                         "characteristics": len(names)}
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps({"import": report.as_dict(), "joined_to": source_id},
                               ensure_ascii=False), own))
    return report
