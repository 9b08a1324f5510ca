"""Tables researchers keep in spreadsheets: statements with vote tallies, workshop sticky notes,
participant characteristics. Columns are mapped to fields; a mapping is suggested from the
headers and can be given (and is remembered by the window).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ..errors import ImportProblem
from ..project import Project, now_iso
from ..words import and_list, plural, shortened
from .common import Table, _match, parse_int, read_table
from .fingerprints import check_same_rows
from .report import ImportReport
from .table_shape import say_title_rows, title_rows, warn_short_rows, workshop_title

Mapping_ = dict[str, str]   # field -> header


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


TALLY_FIELDS = (
    Field("text", "Statement text", ("text", "statement", "comment", "comment-body", "body",
                                     "statement text", "question", "proposal", "item"), True),
    Field("id", "Statement id", ("id", "statement id", "comment-id", "tid", "number")),
    Field("agree", "Agree count", ("agree", "agrees", "agreed", "agree count", "n agree",
                                   "tend to agree", "somewhat agree"), True),
    Field("disagree", "Disagree count", ("disagree", "disagrees", "disagreed",
                                         "disagree count", "n disagree", "tend to disagree",
                                         "somewhat disagree"), True),
    Field("pass", "Pass count", ("pass", "passes", "passed", "pass count", "unsure", "neutral",
                                 "skip", "neither agree nor disagree", "neither",
                                 "don't know", "dont know")),
    # a five-point scale: summed into agree and disagree, as consultation tools report them
    Field("agree_strong", "Strongly agree count", ("strongly agree", "agree strongly",
                                                    "completely agree", "totally agree")),
    Field("disagree_strong", "Strongly disagree count", ("strongly disagree",
                                                          "disagree strongly",
                                                          "completely disagree",
                                                          "totally disagree")),
    Field("moderated", "Moderation", ("moderated", "moderation")),
    Field("seed", "Seed flag", ("is-seed", "seed")),
)

NOTE_FIELDS = (
    Field("text", "Note text", ("text", "note", "note text", "content", "comment", "sticky note",
                                "body", "sticky note text", "sticky", "post-it", "post-it note",
                                "post-it text", "note content", "idea", "response",
                                "what was written"), True),
    Field("id", "Note id", ("note id", "id", "note_id", "number")),
    Field("site", "Site / city", ("site", "city", "location", "venue", "place", "town",
                                  "borough")),
    Field("workshop", "Workshop", ("workshop", "session", "event")),
    Field("table", "Table / group", ("table", "group", "table group", "breakout")),
    Field("activity", "Activity", ("activity", "exercise", "keep ditch add", "type", "category",
                                   "keep/ditch/add", "kda", "keep change add",
                                   "stop start continue", "start stop continue")),
    Field("scenario", "Scenario", ("scenario", "future", "canvas", "prompt")),
    Field("colour", "Colour", ("colour", "color", "sticky colour")),
    Field("dot_votes", "Dot votes", ("dot votes", "dots", "votes", "dot_votes")),
    Field("author_role", "Author role", ("author role", "role", "author", "written by")),
    Field("participant", "Participant id", ("participant", "participant id", "pid")),
)

# Words of a column sorting notes by what they ask for ("Keep / Ditch / Add", "Stop, start or
# continue?"): two of them in a header make it the activity when no name matches.
_ACTIVITY_WORDS = frozenset({"keep", "ditch", "add", "stop", "start", "continue", "change",
                             "drop", "more", "less", "improve"})

# Headings of a workshop canvas typed up one note per cell: a column for each thing asked
# ("Keep | Ditch | Add", "Start | Stop | Continue", "Hopes | Fears", SWOT, "Rose | Thorn | Bud").
# Two or more such columns and no note text column make each filled cell a note, its column's
# heading its activity (QA 48: such a sheet was refused for want of a text column).
CANVAS_HEADINGS = frozenset({
    "keep", "ditch", "add", "change", "drop", "start", "stop", "continue", "more of", "less of",
    "do more", "do less", "improve", "to improve", "went well", "even better if",
    "what went well", "what worked", "what works", "what didn't work", "what doesn't work",
    "what could be better", "hopes", "fears", "hope", "fear", "pros", "cons", "likes",
    "dislikes", "strengths", "weaknesses", "opportunities", "threats", "rose", "thorn", "bud",
    "ideas", "questions", "concerns", "barriers", "enablers", "challenges", "solutions",
    "wishes", "worries", "gains", "pains",
})


# Headers that name a column of note text for certain; a canvas beside a column only named
# like one of the looser synonyms ("Comment", "Response", "Idea") is still a canvas, and that
# column a side note (QA's review: a "Comment" column cost a canvas its five notes)
_NOTE_TEXT_NAMES = {"text", "note", "note text", "sticky note", "sticky note text",
                    "post it", "post it note", "post it text", "note content"}


def canvas_columns(headers: list[str]) -> list[int]:
    """The columns of a canvas typed one note per cell (``CANVAS_HEADINGS``), if the headers
    are one's: two such columns at least, and no column named as note text for certain."""
    found = [j for j, h in enumerate(headers)
             if h and " ".join(re.findall(r"[a-z']+", h.lower().replace("’", "'")))
             in CANVAS_HEADINGS]
    if len(found) < 2:
        return []
    text = suggest_mapping(headers, NOTE_FIELDS).get("text")
    if text is not None and " ".join(re.findall(r"[a-z]+", text.lower())) in _NOTE_TEXT_NAMES:
        return []
    return found


def _merged_copies(table: Table, columns: Sequence[int]) -> set[tuple[int, int]]:
    """(row number, column) of the cells of ``columns`` that hold a copy of a merged cell's
    value (every row of the merge but its first): on a canvas one note, counted once."""
    headers = {table.headers[j]: j for j in columns}
    return {(r, headers[header]) for _, header, top, bottom in table.merged
            if header in headers for r in range(top + 1, bottom + 1)}


def _canvas_notes(table: Table, canvas: list[int], report: ImportReport) -> Table:
    """A canvas as a table of one note per row: each filled cell of a canvas column, in the
    sheet's reading order (row by row), with its row's other columns, the column's heading as
    its activity and the cell (“C5”) as its id (with the row's own id before it, if any)."""
    others = [j for j in range(len(table.headers)) if j not in canvas]
    id_col = _match([table.headers[j] for j in others], ("id", "note id", "note_id"))
    row_id = others.pop(id_col) if id_col is not None else None
    headers = [table.headers[j] for j in others] + ["id", "text", "activity"]
    rows: list[list[str]] = []
    numbers: list[int] = []
    copies = _merged_copies(table, canvas)
    for i, row in enumerate(table.rows):
        for j in canvas:
            text = row[j].strip() if j < len(row) else ""
            if not text or (table.row_numbers[i], j) in copies:
                continue
            cell = f"{_column_letter(j)}{table.row_numbers[i]}"
            own = row[row_id].strip() if row_id is not None and row_id < len(row) else ""
            rows.append([row[k] if k < len(row) else "" for k in others]
                        + [f"{own} {cell}" if own else cell, text, table.headers[j]])
            numbers.append(table.row_numbers[i])
    headings = ", ".join(f"“{table.headers[j]}”" for j in canvas)
    merged = " (a note merged over several rows counts once)" if copies else ""
    activities = ", ".join(table.headers[j].lower() for j in canvas)
    report.warn(f"{table.path.name}: read as a canvas: each filled cell of {headings} is a note "
                f"({plural(len(rows), 'note')}), its column's heading its activity "
                f"({activities}){merged}")
    kept = {table.headers[j] for j in canvas}       # the other columns' merges filled down
    return Table(table.path, headers, rows, numbers, table.header_row, table.sheet,
                 table.sheets, table.hidden, table.also,
                 [m for m in table.merged if m[1] not in kept])


CHARACTERISTIC_ID = Field("participant", "Participant id",
                          ("participant", "participant id", "participant_id", "pid", "voter-id",
                           "voter id", "id", "xid"), True)


def suggest_mapping(headers: list[str], fields: tuple[Field, ...]) -> Mapping_:
    """A field → header mapping from the headers' names: each field its first name or synonym
    that a header not yet taken matches, a header spelt exactly so first (``Table.find``).
    Then, for a field still without one, a header that reads like it: a note text column
    named "… text" ("Sticky note text", "Text of the note"), an activity column naming two
    activities ("Keep / Ditch / Add", "Stop, start or continue?")."""
    out: Mapping_ = {}
    used: set[int] = set()
    for f in fields:
        i = _match(headers, (f.name, *f.synonyms), used)
        if i is not None:
            out[f.name] = headers[i]
            used.add(i)
    names = {f.name for f in fields}
    if fields is NOTE_FIELDS:
        for name in ("text", "activity"):
            if name in names and name not in out:
                i = next((i for i, h in enumerate(headers)
                          if i not in used and h and _reads_like(name, h)), None)
                if i is not None:
                    out[name] = headers[i]
                    used.add(i)
    return out


def _reads_like(field: str, header: str) -> bool:
    words = re.findall(r"[a-z]+", header.lower())
    if field == "text":
        return "text" in words and not {"id", "number", "no"} & set(words)
    return len(_ACTIVITY_WORDS & set(words)) >= 2


def _unused_columns(table: Table, cols: dict[str, int], report: ImportReport) -> None:
    """Warn of every column with a name or a value that no field takes: it is not imported,
    and the researcher must hear so (a "Keep / Ditch / Add" column dropped without a word
    left every theme chapter of a notes study empty)."""
    taken = set(cols.values())
    left = []
    for j, h in enumerate(table.headers):
        if j in taken:
            continue
        if h:
            left.append(f"“{h}”")
        elif any(j < len(r) and r[j].strip() for r in table.rows):
            left.append(f"column {_column_letter(j)} (no header)")
    if left:
        report.warn(f"{table.path.name}: {plural(len(left), 'column')} not imported: "
                    f"{', '.join(left)} (choose a field for "
                    f"{'it' if len(left) == 1 else 'them'} in the Import dialog, or in the "
                    "“mapping” of study.json, to keep "
                    f"{'it' if len(left) == 1 else 'them'})")


def _column_letter(j: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet names it."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
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
                raise ImportProblem(table.path, table.on_sheet(
                    f"the mapping names a column “{header}” for {f.label.lower()}, but there "
                    f"is none (found: {', '.join(h for h in table.headers if h)})"),
                    row=table.header_row)
            out[f.name] = i
        elif f.required:
            raise ImportProblem(table.path, table.on_sheet(
                f"no column for {f.label.lower()} (expected one named like “{f.synonyms[0]}”; "
                f"found: {', '.join(h for h in table.headers if h)}); name it in the Import "
                "dialog, or in study.json's “mapping”"), row=table.header_row)
    return out


def _read(path: str | os.PathLike[str], fields: tuple[Field, ...],
          mapping: Mapping[str, str] | None, sheet: str | None) -> Table:
    """The table at ``path``; of a workbook, ``sheet``, else the first visible sheet holding
    the columns ``mapping`` names, or (without one) the columns ``fields`` require."""
    if mapping:
        named = [h for h in mapping.values() if h]
        want = lambda headers: all(_match(headers, (h,)) is not None for h in named)  # noqa
    else:
        required = {f.name for f in fields if f.required}
        want = lambda headers: (required <= suggest_mapping(headers, fields).keys()  # noqa
                                or (fields is NOTE_FIELDS and bool(canvas_columns(headers))))
    return read_table(path, sheet=sheet, want=want)


def _sheet_warnings(table: Table, report: ImportReport, what: str) -> None:
    """Say which sheet of a workbook was read, which others hold the same kind of table, and
    which merged cells were filled down."""
    name = table.path.name
    if table.sheet is not None:
        report.options["sheet"] = table.sheet
    if len(table.sheets) > 1:
        report.warn(f"{name}: read sheet “{table.sheet}” (the workbook's sheets: "
                    f"{table.sheet_list()})")
    if table.also:
        others = ", ".join(f"“{s}”" for s in table.also)
        report.warn(f"{name}: {'sheets' if len(table.also) > 1 else 'sheet'} {others} "
                    f"{'hold' if len(table.also) > 1 else 'holds'} {what} too, not imported: "
                    "import each on its own (Sheet in the Import dialog, “sheet” in study.json)")
    if table.merged:
        by_column: dict[str, list[str]] = {}
        for ref, header, _, _ in table.merged:
            by_column.setdefault(header, []).append(ref)
        said = "; ".join(f"“{h}” {', '.join(refs)}" if h else ', '.join(refs)
                         for h, refs in by_column.items())
        report.warn(f"{name}: cells merged down a column give their value to every row they "
                    f"span ({said})")


def _new_source(db: object, kind: str, name: str, path: Path, site: str = "",
                workshop: str = "") -> int:
    cur = db.execute(  # type: ignore[attr-defined]
        "INSERT INTO sources(kind, name, path, site, workshop, imported_at) VALUES (?,?,?,?,?,?)",
        (kind, name, str(path), site, workshop, now_iso()))
    return int(cur.lastrowid)


def import_tallies(project: Project, path: str | os.PathLike[str], *,
                   mapping: Mapping[str, str] | None = None, name: str | None = None,
                   sheet: str | None = None, again: bool = False) -> ImportReport:
    """Statements with agree/disagree/pass counts only (no single votes). Statements whose
    texts a source of the project holds already are refused unless ``again``
    (``fingerprints.check_same_rows``)."""
    table = _read(path, TALLY_FIELDS, mapping, sheet)
    cols = _resolve(table, TALLY_FIELDS, mapping)
    report = ImportReport(str(table.path), "tallies", options={"mapping": {
        k: table.headers[v] for k, v in cols.items()}})
    _sheet_warnings(table, report, "statements")
    say_title_rows(table, report, title_rows(table))
    warn_short_rows(table, report)
    _drop_totals_row(table, report)
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
        for group in (("agree", "agree_strong"), ("disagree", "disagree_strong"), ("pass",)):
            total = 0
            for f in group:
                if f not in cols:
                    continue
                v = parse_int(table, i, cols[f], allow_empty=True, what="a count") or 0
                if v < 0:
                    raise table.problem(i, cols[f], f"a count cannot be negative ({v})")
                total += v
            counts.append(total)
        mod = 0
        if "moderated" in cols:
            mod = parse_int(table, i, cols["moderated"], allow_empty=True) or 0
            if mod not in (-1, 0, 1):
                raise table.problem(i, cols["moderated"], "moderation must be −1, 0 or 1")
        seed = row[cols["seed"]].strip().lower() in ("1", "true", "yes") if "seed" in cols else 0
        rows.append((ext, text, mod, int(seed), *counts, table.row_numbers[i]))
    if duplicates:
        report.warn(f"{plural(duplicates, 'row')} with a statement id already used: not imported")
    _warn_five_point(table, cols, report)
    _unused_columns(table, cols, report)
    for w in check_same_rows(project, table.path, "statements", [r[1] for r in rows],
                             ids=[r[0] for r in rows] if "id" in cols else None, again=again):
        report.warn(w)
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


_TOTAL_LABELS = frozenset({"total", "totals", "sum", "grand total", "overall",
                           "total votes", "totaux", "gesamt", "summe"})


def _drop_totals_row(table: Table, report: ImportReport) -> None:
    """Leave out a spreadsheet's closing totals row, with a warning naming it: its only text a
    label like "Total" (or "Sum", "Grand total"), every number in it the sum of its column
    above, one number at least. Imported, it was a statement or note of its own counting every
    vote or dot twice. A "Total" row whose numbers do not add up is imported, with a warning."""
    if len(table.rows) < 2:
        return
    last = table.rows[-1]
    labels, numbers = [], []
    for j, cell in enumerate(last):
        c = cell.strip()
        if not c:
            continue
        v = _number(c)
        if v is None:
            labels.append(c)
        else:
            numbers.append((j, v))
    if not labels or not all(l.lower().rstrip(":. ") in _TOTAL_LABELS for l in labels):
        return
    row = table.row_numbers[-1]
    if not numbers:     # a formula whose value the file does not keep (saved by a script)
        del table.rows[-1]
        del table.row_numbers[-1]
        report.warn(f"{table.path.name}, row {row}: a row holding only “{labels[0]}” (a totals "
                    "row whose sums the file does not keep) left out")
        return
    wrong = []
    for j, v in numbers:
        above = [_number(r[j].strip()) for r in table.rows[:-1] if r[j].strip()]
        if None in above or abs(sum(a for a in above if a is not None) - v) > 1e-9:
            wrong.append(table.headers[j] or f"column {_column_letter(j)}")
    where = f"{table.path.name}, row {row}"
    if wrong:
        report.warn(f"{where}: “{labels[0]}” looks like a totals row, but its "
                    f"{', '.join('“' + w + '”' for w in wrong)} is not the sum of the rows "
                    "above: imported as a row of data; delete it if it is a total")
        return
    del table.rows[-1]
    del table.row_numbers[-1]
    sums = ", ".join(f"“{table.headers[j] or _column_letter(j)}” {v:,g}" for j, v in numbers)
    report.warn(f"{where}: a totals row (“{labels[0]}”: {sums}, the sums of the rows "
                "above) left out")


def _number(cell: str) -> float | None:
    try:
        v = float(cell.replace(",", "")) if cell.replace(",", "").strip() else None
    except ValueError:
        return None
    return v if v is not None and v == v and abs(v) != float("inf") else None


def _warn_five_point(table: Table, cols: dict[str, int], report: ImportReport) -> None:
    """Say how a five-point scale's columns were counted: "strongly" agree with agree, as
    consultation tools report a five-point scale on agree / disagree / pass."""
    said = []
    for strong, plain, word in (("agree_strong", "agree", "agree"),
                                ("disagree_strong", "disagree", "disagree")):
        if strong in cols:
            said.append(f"“{table.headers[cols[strong]]}” and “{table.headers[cols[plain]]}” "
                        f"counted together as {word}")
    if said:
        passed = (f", “{table.headers[cols['pass']]}” as pass" if "pass" in cols else "")
        report.warn(f"{table.path.name}: a five-point scale read as agree / disagree / pass: "
                    + "; ".join(said) + passed)


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
                 name: str | None = None, participants_source: int | None = None,
                 sheet: str | None = None, again: bool = False) -> ImportReport:
    """Workshop sticky notes, one per row. Notes whose texts a source of the project holds
    already are refused unless ``again`` (``fingerprints.check_same_rows``)."""
    table = _read(path, NOTE_FIELDS, mapping, sheet)
    canvas = canvas_columns(table.headers) if not (mapping and mapping.get("text")) else []
    report = ImportReport(str(table.path), "workshop")
    titles = title_rows(table)
    warn_short_rows(table, report)
    if canvas:
        headings = {table.headers[j] for j in canvas}
        table = _canvas_notes(table, canvas, report)
        if mapping:     # the other columns as chosen; the note's own fields are the canvas's
            mapping = {k: v for k, v in mapping.items()
                       if v and v not in headings and k not in ("id", "text", "activity")}
            mapping.update(id="id", text="text", activity="activity")
    cols = _resolve(table, NOTE_FIELDS, mapping)
    report.options = {"mapping": {k: table.headers[v] for k, v in cols.items()}, "site": site,
                      "workshop": workshop, **({"canvas": True} if canvas else {})}
    _sheet_warnings(table, report, "notes")
    say_title_rows(table, report, titles)
    # a title above the notes names their workshop more often than not ("Bowling Green
    # workshop, 12 May"): the notes take it when none was given, and the import says so
    titled = not workshop and workshop_title(titles) is not None
    if titled:
        workshop = workshop_title(titles)
    _drop_totals_row(table, report)
    rows = []
    empty = 0
    sites: set[str] = set()
    given = {"site": 0, "workshop": 0}      # notes that took the site / workshop given
    pmap = _participants(project, participants_source) if "participant" in cols else {}
    unknown: dict[str, int] = {}
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
        given["site"] += bool(site) and not get("site")
        given["workshop"] += bool(workshop) and not get("workshop")
        rows.append((get("id") or str(i + 1), text, s, get("workshop") or workshop, get("table"),
                     get("activity").lower(), get("scenario"), get("colour"), dots or 0,
                     get("author_role").lower(), _participant(pmap, get("participant"),
                                                              unknown, table.row_numbers[i]),
                     table.row_numbers[i]))
    if empty:
        report.warn(f"{plural(empty, 'row')} with no note text: skipped")
    if not rows:
        raise ImportProblem(table.path, "no notes: every row's text is empty")
    rows, sites = _fold_sites(project, table, rows, report)
    if "id" in cols:
        _warn_repeated_ids(report, rows, table.headers[cols["id"]])
    _unused_columns(table, cols, report)
    for w in check_same_rows(project, table.path, "notes", [r[1] for r in rows],
                             ids=[r[0] for r in rows] if "id" in cols else None, again=again):
        report.warn(w)
    if unknown:
        shown = ", ".join(f"“{k}” (row {v})" for k, v in list(unknown.items())[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        report.warn(f"{table.path.name}: {plural(len(unknown), 'participant id')} in column "
                    f"“{table.headers[cols['participant']]}” that no participant of the project "
                    f"has ({shown}{more}): those notes are imported without their author; "
                    "import the debate or the characteristics first to tie them")
    # a site or workshop given that no note took (each names its own) is no workshop of the
    # study: the report counts the sources' sites (review: "3 workshops (Bristol, Leeds,
    # Manchester)" from a file of Leeds and Manchester notes imported with --site Bristol)
    if titled:
        if given["workshop"]:
            report.warn(f"{table.path.name}: the title “{workshop}” taken as the workshop of "
                        f"{plural(given['workshop'], 'note')}, as none was given (name the "
                        "workshop when importing to give another)")
        else:
            report.warn(f"{table.path.name}: the title “{workshop}” not taken as the "
                        "workshop: every note names its own in column "
                        f"“{table.headers[cols['workshop']]}”")
    for what, value in (("site", site), ("workshop", "" if titled else workshop)):
        if value and not given[what]:
            report.warn(f"{table.path.name}: every note names its own {what} in column "
                        f"“{table.headers[cols[what]]}”, so the {what} given, “{value}”, was "
                        "not used")
    site, workshop = (site if given["site"] else ""), (workshop if given["workshop"] else "")
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


def _site_key(site: str) -> str:
    """A city as compared: case, spaces and closing punctuation left out ("lambeth ",
    "LAMBETH", "Lambeth." are Lambeth)."""
    return " ".join(site.casefold().split()).rstrip(".,;:!?-– ").strip()


def _fold_sites(project: Project, table: Table, rows: list[tuple], report: ImportReport
                ) -> tuple[list[tuple], set[str]]:
    """One spelling for a city typed differently: the project's (its notes' and sources'),
    else the one most notes of this file use; the merges named in a warning. Five spellings
    of two cities were five workshops in the report."""
    held: dict[str, dict[str, int]] = {}
    for site, n in project.query(
            "SELECT site, count(*) FROM (SELECT site FROM notes UNION ALL "
            "SELECT site FROM sources) WHERE site != '' GROUP BY site"):
        held.setdefault(_site_key(site), {})[site] = n
    mine: dict[str, dict[str, int]] = {}
    for r in rows:
        if r[2]:
            spellings = mine.setdefault(_site_key(r[2]), {})
            spellings[r[2]] = spellings.get(r[2], 0) + 1
    one: dict[str, str] = {}
    merged = []
    for key, spellings in mine.items():
        theirs = held.get(key)
        pool = theirs or spellings
        # the most used; of as many, a tidy one: no closing stop, not all capitals or small
        pick = max(pool, key=lambda s: (pool[s], s.rstrip(".,;:!?") == s, " ".join(s.split())
                                        == s, not s.isupper(), not s.islower()))
        for spelling, n in spellings.items():
            one[spelling] = pick
            if spelling != pick:
                merged.append((pick, spelling, n))
    if merged:
        by_pick: dict[str, list[str]] = {}
        for pick, spelling, n in merged:
            by_pick.setdefault(pick, []).append(f"“{spelling}” ({plural(n, 'note')})")
        report.warn(f"{table.path.name}: cities written differently taken as one: "
                    + "; ".join(f"{', '.join(v)} as “{k}”" for k, v in by_pick.items()))
    rows = [(*r[:2], one.get(r[2], r[2]), *r[3:]) for r in rows]
    return rows, {r[2] for r in rows}


def _participants(project: Project, source: int | None) -> dict[str, int]:
    """The project's participants by their id as a table gives it: ``source``'s only if given,
    else every source's, a debate's before a table's and a later one's before an earlier one's
    (the same person's id, as characteristics join the latest debate)."""
    where, args = ("WHERE p.source_id = ?", (source,)) if source is not None else ("", ())
    out: dict[str, int] = {}
    for ext, pid in project.query(
            "SELECT p.external_id, p.id FROM participants p JOIN sources s ON s.id = p.source_id "
            f"{where} ORDER BY s.kind IN ('debate', 'survey') DESC, s.id DESC, p.id", args):
        out.setdefault(_id_text(str(ext)), pid)
    return out


def _id_text(ext: str) -> str:
    """A participant id as compared: "7.0" (a number in a spreadsheet) is "7"."""
    ext = ext.strip()
    return ext[:-2] if ext.endswith(".0") and ext[:-2].isdigit() else ext


def _participant(pmap: dict[str, int], ext: str, unknown: dict[str, int],
                 row: int) -> int | None:
    if not ext:
        return None
    pid = pmap.get(_id_text(ext))
    if pid is None:
        unknown.setdefault(ext, row)
    return pid


def import_characteristics(project: Project, path: str | os.PathLike[str], *,
                           id_column: str | None = None, source_id: int | None = None,
                           create_missing: bool = True, sheet: str | None = None
                           ) -> ImportReport:
    """Participant characteristics (department, grade, region …), joined by participant id to
    the participants of a debate source (the most recent one unless ``source_id`` is given).
    Every other column becomes a characteristic."""
    table = _read(path, (CHARACTERISTIC_ID,), {"participant": id_column} if id_column else None,
                  sheet)
    cols = _resolve(table, (CHARACTERISTIC_ID,),
                    {"participant": id_column} if id_column else None)
    id_col = cols["participant"]
    report = ImportReport(str(table.path), "characteristics")
    say_title_rows(table, report, title_rows(table))
    warn_short_rows(table, report)
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


def choose_debate(project: Project, path: str | os.PathLike[str], sheet: str | None = None,
                  debate: str | None = None) -> tuple[int, str] | None:
    """The debate a characteristics table describes: ``debate`` if given (its name, its
    folder's or file's name, or its source id: ``find_debate``); else, with more than one
    debate, the one whose participant ids match the table's best (shared ids over the ids of
    either), with a line saying which, and a warning when one fits almost as well or none fits
    well (QA 51). Two debates holding as many of the table's ids (the same people in two
    conversations) are a choice Synth cannot make: refused, naming them and the option
    (``debate``, run --debate). None with fewer than two debates and none named (the
    importer's own rule then holds)."""
    debates = project.query("SELECT id, name, path FROM sources WHERE kind IN "
                            "('debate','survey') ORDER BY id")
    if debate:
        sid, name = find_debate(path, debates, debate)
        return sid, f"joined to the debate “{shortened(name, 60)}”, as asked"
    if len(debates) < 2:
        return None
    try:
        table = read_table(path, sheet=sheet)
        col = _resolve(table, (CHARACTERISTIC_ID,), None)["participant"]
    except Exception:       # the import says what is wrong with the table
        return None
    ids = set()
    for row in table.rows:
        ext = row[col].strip()
        ids.add(ext[:-2] if ext.endswith(".0") and ext[:-2].isdigit() else ext)
    ids.discard("")
    fits = []
    for sid, name, where in debates:
        theirs = {r[0] for r in project.query(
            "SELECT external_id FROM participants WHERE source_id = ?", (sid,))}
        shared = len(ids & theirs)
        fits.append((shared / max(1, len(ids | theirs)), shared, len(theirs), sid, name, where))
    fits.sort(key=lambda f: (-f[0], -f[3]))
    best, second = fits[0], fits[1]
    tied = [f for f in fits if f[1] == max(f[1] for f in fits)]
    if best[1] and len(tied) > 1:
        tied.sort(key=lambda f: f[3])
        named = and_list([_debate_name(f[4], f[5], f"{f[1]:,} of the ids among its "
                                                     f"{f[2]:,} participants") for f in tied])
        raise ImportProblem(path, f"{plural(len(tied), 'debate')} of the project hold as many "
                                  f"of the table's {len(ids):,} participant ids, so which one "
                                  f"it describes cannot be told: {named}. Nothing was "
                                  "imported: choose the debate by its name or its folder's "
                                  f"(run --debate {_option_value(tied[0][5])}; “debate” in "
                                  "study.json)")
    line = (f"joined to the debate “{shortened(best[4], 60)}”: {best[1]:,} of the table's "
            f"{len(ids):,} ids are among its {best[2]:,} participants (of "
            f"{plural(len(debates), 'debate')}, the best fit)")
    if best[1] == 0:
        line += ("; none of the table's ids is in any debate: these characteristics will "
                 "appear in no figure")
    elif second[0] >= 0.8 * best[0]:
        line += (f"; WARNING: “{shortened(second[4], 60)}” fits almost as well ({second[1]:,} "
                 f"ids among {second[2]:,}): check that this table describes the debate named")
    return best[3], line


def find_debate(path: str | os.PathLike[str], debates: Sequence[tuple[int, str, str]],
                asked: str) -> tuple[int, str]:
    """(source id, name) of the debate ``asked`` names: by its name, its folder's (or file's)
    name, or its source id; case and spaces aside. Refused naming the debates if none or
    several match."""
    key = " ".join(asked.casefold().split())
    found = [(sid, name) for sid, name, where in debates
             if key in (" ".join(name.casefold().split()), Path(where).name.casefold(),
                        str(sid))]
    if len(found) == 1:
        return found[0]
    listed = and_list([_debate_name(name, where) for _, name, where in debates]) or "none"
    raise ImportProblem(path, (f"no debate of the project is named “{asked}”" if not found
                               else f"{plural(len(found), 'debate')} are named “{asked}”")
                        + f" (its debates: {listed}); nothing was imported")


def _debate_name(name: str, where: str, also: str = "") -> str:
    """“Its name” (folder its-folder; ``also``)."""
    folder = Path(where).name
    said = [f"folder {folder}"] if folder and folder != name else []
    said += [also] if also else []
    return f"“{shortened(name, 60)}”" + (f" ({'; '.join(said)})" if said else "")


def _option_value(where: str) -> str:
    folder = Path(where).name
    return folder if re.fullmatch(r"[\w.@+-]+", folder) else f"\"{folder}\""
