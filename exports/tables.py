"""Tables of the project for spreadsheets: statements with their figures, themes with their cards,
codes with their passages, recommendations with their evidence. CSV (one file per table) or
XLSX (one sheet per table).

Cell values come from participants, so a spreadsheet must never run them: a text cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised. In CSV it is
prefixed with an apostrophe (the OWASP rule: spreadsheet programs show it as text). In XLSX the
text is kept unchanged but stored as a string with Excel's "quote prefix", so the cell is text
and stays text when edited. Numbers are written as numbers.
"""
from __future__ import annotations

import contextlib
import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from synth.board import CARDS_SQL
from synth.files import replacing
from synth.votes.statement_figures import groups_in_use, listed_statements, statement_tallies

from . import content as C

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The CSV form of a cell: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list[Any]]


# --------------------------------------------------------------------------- the tables
def statements_sheet(project: Any, strip: bool = False) -> Sheet:
    in_use = groups_in_use(project)            # read once: the figures' groups are these
    figures = statement_tallies(project, in_use=in_use)
    tallies = C.tallies(project, figures)
    groups = C.opinion_groups(project, figures, in_use)
    gids = groups.group_ids if groups else []
    theme = {r[0]: r[1] for r in project.query(
        "SELECT c.card_id, t.name FROM card_places c JOIN themes t ON t.id = c.theme_id "
        "WHERE c.card_kind = 'statement'")}
    header = ["statement", "id in source", "source", "text", "seed", "agree", "disagree",
              "pass", "n (voted)", "% agree", "% disagree", "% pass"]
    for g in gids:
        # the whole name ("Group A (What is the best way …?)"), not the report's "Group A
        # (Debate 1)": a CSV file is one table with no place for a legend, a column is read
        # alone once filtered or pasted elsewhere, its "source" column gives the same whole
        # debate name, and a header must not change meaning when another debate is imported
        name = groups.labels[g]
        header += [f"{name} n", f"{name} % agree"]
    header.append("theme")
    source = {r[0]: r[1] for r in project.query("SELECT id, name FROM sources")}
    rows = []
    redacted = C.confirmed_redactions(project)
    known = C.names_to_strip(project, strip)
    # the statements the report lists, from the one place that says which those are
    for sid, text, external, source_id, seed in listed_statements(
            project, "external_id", "source_id", "is_seed"):
        t = tallies.get(sid)
        row: list[Any] = [f"S{sid}", external, source.get(source_id, ""),
                          C.item_words(project, "statement", sid, text, strip, redacted, known),
                          "yes" if seed else "no"]
        if t and t.n:
            row += [t.agree, t.disagree, t.passed, t.n, t.whole_pct("agree"),
                    t.whole_pct("disagree"), t.whole_pct("pass")]
        else:
            row += [0, 0, 0, 0, "", "", ""]
        for g in gids:
            gt = groups.tallies.get(g, {}).get(sid)
            row += [gt.n, gt.whole_pct()] if gt and gt.n else [0, ""]
        row.append(theme.get(sid, ""))
        rows.append(row)
    return Sheet("Statements", header, rows)


def themes_sheet(project: Any, strip: bool = False) -> Sheet:
    names = {r[0]: (r[1], r[2]) for r in project.query("SELECT id, name, parent_id FROM themes")}
    rows = []
    redacted = C.confirmed_redactions(project)
    known = C.names_to_strip(project, strip)
    for r in project.query(
            f"SELECT b.theme_id, b.kind, b.id, b.text, b.source_name, b.site FROM "
            f"({CARDS_SQL}) b WHERE b.theme_id IS NOT NULL ORDER BY b.theme_id, b.kind, b.id"):
        name, parent = names[r[0]]
        rows.append([r[0], name, names[parent][0] if parent else "", r[1], r[2],
                     C.item_words(project, r[1], r[2], r[3] or "", strip, redacted, known), r[4],
                     r[5] or ""])
    return Sheet("Themes", ["theme id", "theme", "parent theme", "card kind", "card id", "text",
                            "source", "site"], rows)


def codes_sheet(project: Any, strip: bool = False) -> Sheet:
    rows = []
    masked: dict[int, Any] = {}     # document id -> its masked text and where places moved
    redacted = C.document_redactions(project)
    known = C.names_to_strip(project, strip)
    for r in project.query(
            "SELECT c.id, t.name, d.title, d.site, c.start, c.end, "
            "substr(d.text, c.start + 1, c.end - c.start), c.coder, d.id FROM codings c "
            "JOIN themes t ON t.id = c.theme_id JOIN documents d ON d.id = c.document_id "
            "ORDER BY t.position, t.id, d.id, c.start"):
        row = list(r)[:8]
        # masked in the whole document: a span may begin inside a name
        if r[8] not in masked:
            masked[r[8]] = C.words_keeping_places(project.scalar(
                "SELECT text FROM documents WHERE id = ?", (r[8],)), redacted.get(r[8], []),
                strip, known)
        text, moved = masked[r[8]]
        row[6] = text[moved(r[4]):moved(r[5], True)]
        rows.append(row)
    return Sheet("Codes", ["coding", "code", "document", "site", "start", "end", "text",
                           "coder"], rows)


def recommendations_sheet(project: Any, strip: bool = False) -> Sheet:
    tallies = C.tallies(project)
    redacted = C.confirmed_redactions(project)
    known = C.names_to_strip(project, strip)
    rows = []
    for t in C.theme_contents(project, strip=strip):
        for rec in t.recommendations:
            if not rec.evidence:
                rows.append([rec.number, t.name, rec.title, rec.text, "", "", "", "", ""])
            for kind, item in rec.evidence:
                tl = tallies.get(item) if kind == "statement" else None
                rows.append([rec.number, t.name, rec.title, rec.text, kind, item,
                             _evidence_words(project, kind, item, strip, redacted, known),
                             tl.whole_pct() if tl and tl.n else "", tl.n if tl else ""])
    return Sheet("Recommendations", ["number", "theme", "recommendation", "text",
                                     "evidence kind", "evidence id", "evidence text",
                                     "% agree", "n (voted)"], rows)


def _evidence_words(project: Any, kind: str, item: int, strip: bool,
                    redacted: dict[tuple[str, int], list[tuple[int, int, str]]],
                    known: list[str]) -> str:
    """An evidence item's words as the report prints them: a quote is its span with the
    researcher's redactions, under its attribution, and withheld when consent was withdrawn.
    ``redacted``, ``known``: ``content.confirmed_redactions``, ``content.names_to_strip``,
    read once for the whole sheet."""
    if kind == "quote":
        q = C.published_quote(project, item, strip, redacted, known)
        return f"{q.attribution}: {q.text}" if q else "(quote withheld: consent withdrawn)"
    return C.item_words(project, kind, item, C.item_text(project, kind, item), strip, redacted,
                        known)


SHEETS = {"statements": statements_sheet, "themes": themes_sheet, "codes": codes_sheet,
          "recommendations": recommendations_sheet}


def sheets(project: Any, which: Iterable[str] = tuple(SHEETS),
           strip_personal_data: bool | None = None) -> list[Sheet]:
    """Participants' words as the report prints them (``content.item_words``): the
    researcher's confirmed redactions, e-mail addresses and phone numbers always masked, and
    names and staff numbers too with ``strip_personal_data`` (default: the project's choice,
    ``content.strip_requested``)."""
    strip = C.strip_requested(project) if strip_personal_data is None else strip_personal_data
    return [SHEETS[w](project, strip) for w in which]


# --------------------------------------------------------------------------- writers
def write_csv(project: Any, folder: str | os.PathLike[str],
              which: Sequence[str] = tuple(SHEETS),
              strip_personal_data: bool | None = None) -> list[Path]:
    """One UTF-8 CSV (with BOM, so Excel reads the accents) per table; returns the paths.
    Every table is written to disk before any replaces its file: a failure while writing (a
    full disk) leaves the folder's tables as they were, not some new and some old."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    with contextlib.ExitStack() as put_in_place:    # each file renamed over its own at the end
        for sheet in sheets(project, which, strip_personal_data):
            path = folder / f"{sheet.name.lower()}.csv"
            temp = put_in_place.enter_context(replacing(path))
            with open(temp, "w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow([neutralise(h) for h in sheet.header])
                for row in sheet.rows:
                    w.writerow([neutralise(v) for v in row])
                f.flush()
                os.fsync(f.fileno())    # on disk now: a full disk shows before any rename
            out.append(path)
    return out


def write_xlsx(project: Any, path: str | os.PathLike[str],
               which: Sequence[str] = tuple(SHEETS),
               strip_personal_data: bool | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets(project, which, strip_personal_data):
        ws = wb.create_sheet(sheet.name)
        for j, h in enumerate(sheet.header, start=1):
            _set(ws.cell(1, j), h).font = Font(bold=True)
        for i, row in enumerate(sheet.rows, start=2):
            for j, v in enumerate(row, start=1):
                _set(ws.cell(i, j), v)
        ws.freeze_panes = "A2"
        for j, h in enumerate(sheet.header, start=1):
            width = 60 if h in ("text", "evidence text", "recommendation") else \
                max(10, min(30, len(h) + 2))
            ws.column_dimensions[ws.cell(1, j).column_letter].width = width
            if width == 60:
                for cell in ws[ws.cell(1, j).column_letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        wb.save(temp)
    return path


def _set(cell: Any, value: Any) -> Any:
    if value is None:
        return cell
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        return cell
    text = str(value)
    cell.value = text
    cell.data_type = "s"   # openpyxl takes any "=…" string for a formula; this one is text
    if text.startswith(DANGEROUS_START):
        cell.quotePrefix = True
    return cell
