"""Tables of the project for spreadsheets: statements with their figures, themes with their cards,
codes with their passages, recommendations with their evidence, the quotes, the participants'
characteristics and every figure of the report. CSV (one file per table) or XLSX (one sheet per
table), the same columns in both.

The tables keep the report's honesty marks: a figure from fewer votes than the project's
small-n threshold is flagged (†) by the report's own rule (``FigureRegistry.for_project``);
evidence and quotes are attributed as the report attributes them (``content.attribution``);
the characteristics are the report's annex tables, small categories merged; the figures are
the report's traceability annex, F1 … as the report numbers them. Columns added since the first
tables stand after the older ones, so formulas that read those keep working.

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
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Sequence

from coding.evidence import resolve
from coding.strength import strength
from synth.board import CARDS_SQL
from synth.files import replacing
from synth.votes.small_n import small_n_rule
from synth.votes.statement_figures import (GroupsInUse, StatementFigures, Tally, groups_in_use,
                                           listed_statements, percent, statement_tallies)

from . import content as C
from .figures import FLAG, Figure, FigureRegistry

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


def small_n_said(reg: FigureRegistry, tally: Tally | None, statement_id: int) -> tuple[Any, str]:
    """A "% agree" cell and its small-n cell, by the report's rule (``reg``:
    ``FigureRegistry.for_project``): the per cent, or "" when there are no votes or the project
    leaves figures from few votes out; beside it "† fewer than 10 voted" (or "left out: …"),
    "" when the figure stands on enough votes or the project shows such figures unmarked."""
    if tally is None or not tally.n:
        return "", ""
    f = reg.agreement(tally, statement_id=statement_id)
    if f.suppressed:
        return "", f"left out: fewer than {reg.small_n} voted"
    return f.value, (f"{FLAG} fewer than {reg.small_n} voted" if f.small_n else "")


class Shared:
    """What several sheets read, read once for a whole write (``sheets``) and each part only
    when a sheet asks for it: the groups in use and the statements' figures from one reading
    of them, the tallies, the themes' contents as the report lists them, the themes' printed
    names, the confirmed redactions, the names to strip and the project's small-n rule. A sheet
    function given none reads its own (``Shared(project, strip)``); one given a ``Shared``
    must be given the same ``strip``."""

    def __init__(self, project: Any, strip: bool = False) -> None:
        self.project = project
        self.strip = strip

    @cached_property
    def in_use(self) -> GroupsInUse:
        return groups_in_use(self.project)

    @cached_property
    def figures(self) -> dict[int, StatementFigures]:
        # read with the groups in use: the figures' groups are these
        return statement_tallies(self.project, in_use=self.in_use)

    @cached_property
    def tallies(self) -> dict[int, Tally]:
        return C.tallies(self.project, self.figures)

    @cached_property
    def contents(self) -> list[C.ThemeContent]:
        return C.theme_contents(self.project, strip=self.strip)

    @cached_property
    def theme_names(self) -> dict[int, str]:
        return C.theme_names(self.project)

    @cached_property
    def redacted(self) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
        return C.confirmed_redactions(self.project)

    @cached_property
    def known(self) -> list[str]:
        return C.names_to_strip(self.project, self.strip)

    @cached_property
    def small_n_rule(self) -> tuple[int, str]:
        return small_n_rule(self.project)

    def registry(self) -> FigureRegistry:
        """A registry with the project's small-n rule (``FigureRegistry.for_project``), one a
        sheet: a registry numbers the figures it is given."""
        threshold, action = self.small_n_rule
        return FigureRegistry(small_n=threshold, small_n_action=action)


# --------------------------------------------------------------------------- the tables
def statements_sheet(project: Any, strip: bool = False, shared: Shared | None = None) -> Sheet:
    shared = Shared(project, strip) if shared is None else shared
    in_use, figures, tallies = shared.in_use, shared.figures, shared.tallies
    groups = C.opinion_groups(project, figures, in_use)
    gids = groups.group_ids if groups else []
    names = shared.theme_names
    theme = {r[0]: names[r[1]] for r in project.query(
        "SELECT card_id, theme_id FROM card_places WHERE card_kind = 'statement' AND "
        "theme_id IS NOT NULL")}
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
    # added after "theme" (older columns keep their places): the report's † beside each % agree
    header += ["% agree small n"] + [f"{groups.labels[g]} % agree small n" for g in gids]
    reg = shared.registry()
    source = {r[0]: r[1] for r in project.query("SELECT id, name FROM sources")}
    rows = []
    redacted, known = shared.redacted, shared.known
    # the statements the report lists, from the one place that says which those are
    for sid, text, external, source_id, seed in listed_statements(
            project, "external_id", "source_id", "is_seed"):
        t = tallies.get(sid)
        row: list[Any] = [f"S{sid}", external, source.get(source_id, ""),
                          C.item_words(project, "statement", sid, text, strip, redacted, known),
                          "yes" if seed else "no"]
        pct, flag = small_n_said(reg, t, sid)
        flags = [flag]
        if t and t.n:
            left_out = pct == ""    # the project leaves figures from few votes out
            row += [t.agree, t.disagree, t.passed, t.n, pct,
                    "" if left_out else t.whole_pct("disagree"),
                    "" if left_out else t.whole_pct("pass")]
        else:
            row += [0, 0, 0, 0, "", "", ""]
        for g in gids:
            gt = groups.tallies.get(g, {}).get(sid)
            gpct, gflag = small_n_said(reg, gt, sid)
            row += [gt.n, gpct] if gt and gt.n else [0, ""]
            flags.append(gflag)
        row.append(theme.get(sid, ""))
        rows.append(row + flags)
    return Sheet("Statements", header, rows)


def themes_sheet(project: Any, strip: bool = False, shared: Shared | None = None) -> Sheet:
    """Each theme's cards, one a row; the themes' names and the cards' sources (a transcript's
    is its document's title) masked as the report masks them when stripping personal data."""
    shared = Shared(project, strip) if shared is None else shared
    printed = shared.theme_names
    names = {r[0]: (printed[r[0]], r[1]) for r in project.query(
        "SELECT id, parent_id FROM themes")}
    rows = []
    redacted, known = shared.redacted, shared.known
    sources: dict[str, str] = {}
    for r in project.query(
            f"SELECT b.theme_id, b.kind, b.id, b.text, b.source_name, b.site FROM "
            f"({CARDS_SQL}) b WHERE b.theme_id IS NOT NULL ORDER BY b.theme_id, b.kind, b.id"):
        name, parent = names[r[0]]
        rows.append([r[0], name, names[parent][0] if parent else "", r[1], r[2],
                     C.item_words(project, r[1], r[2], r[3] or "", strip, redacted, known),
                     _masked(sources, r[4], strip, known), r[5] or ""])
    return Sheet("Themes", ["theme id", "theme", "parent theme", "card kind", "card id", "text",
                            "source", "site"], rows)


def _masked(seen: dict[str, str], text: str | None, strip: bool, known: list[str]) -> str:
    """A document's title or a source's name masked as the items' words are (e-mail addresses
    and phone numbers always, names when stripping: "Interview with Kwame Mensah"), each
    title masked once (``seen``)."""
    if not text:
        return text or ""
    if text not in seen:
        seen[text] = C.mask_personal_data(text, names=strip, known=known)
    return seen[text]


def codes_sheet(project: Any, strip: bool = False, shared: Shared | None = None) -> Sheet:
    shared = Shared(project, strip) if shared is None else shared
    rows = []
    masked: dict[int, Any] = {}     # document id -> its masked text and where places moved
    redacted = C.document_redactions(project)
    known = shared.known
    names = shared.theme_names
    titles: dict[str, str] = {}
    for r in project.query(
            "SELECT c.id, t.id, d.title, d.site, c.start, c.end, "
            "substr(d.text, c.start + 1, c.end - c.start), c.coder, d.id FROM codings c "
            "JOIN themes t ON t.id = c.theme_id JOIN documents d ON d.id = c.document_id "
            "ORDER BY t.position, t.id, d.id, c.start"):
        row = list(r)[:8]
        row[1] = names[r[1]]
        row[2] = _masked(titles, r[2], strip, known)
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


def recommendations_sheet(project: Any, strip: bool = False,
                          shared: Shared | None = None) -> Sheet:
    """One row per evidence item of each recommendation (one row for a recommendation without
    any), with who said it and where, as the report attributes it, and the recommendation's
    strength (``coding.strength``) on each of its rows."""
    shared = Shared(project, strip) if shared is None else shared
    tallies = shared.tallies
    redacted, known = shared.redacted, shared.known
    reg = shared.registry()
    rows = []
    for t in shared.contents:
        for rec in t.recommendations:
            # the groups in use read once for every recommendation, not by each
            st = strength(project, recommendation_id=rec.id, in_use=shared.in_use)
            judged = [st.level, st.reason, "; ".join(w.message for w in st.warnings)]
            if not rec.evidence:
                rows.append([rec.number, t.name, rec.title, rec.text, "", "", "", "", "",
                             "", "", ""] + judged)
            for kind, item in rec.evidence:
                tl = tallies.get(item) if kind == "statement" else None
                pct, flag = small_n_said(reg, tl, item)
                who, site = _evidence_said(project, kind, item, strip, redacted, known)
                rows.append([rec.number, t.name, rec.title, rec.text, kind, item,
                             _evidence_words(project, kind, item, strip, redacted, known),
                             pct, tl.n if tl else "", flag, who, site] + judged)
    return Sheet("Recommendations", ["number", "theme", "recommendation", "text",
                                     "evidence kind", "evidence id", "evidence text",
                                     "% agree", "n (voted)", "% agree small n",
                                     "evidence attributed to", "evidence site",
                                     "strength", "why this strength", "strength warnings"],
                 rows)


def _evidence_said(project: Any, kind: str, item: int, strip: bool,
                   redacted: dict[tuple[str, int], list[tuple[int, int, str]]],
                   known: list[str]) -> tuple[str, str]:
    """(who said it, in the report's words; the city it comes from, "" for the debate): a
    quote under its own attribution, nothing of a quote whose consent was withdrawn."""
    if kind == "quote":
        q = C.published_quote(project, item, strip, redacted, known)
        if q is None:
            return "", ""
        who = q.attribution
    else:
        who = C.attribution(project, kind, item)
    origin = resolve(project, kind, item)
    return who, (origin.site if origin is not None else "")


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


def quotes_sheet(project: Any, strip: bool = False, shared: Shared | None = None) -> Sheet:
    """Every quote the team marked, verbatim as the report prints it (its redactions, names
    masked when stripping), under its attribution; a quote whose consent was withdrawn keeps its
    row, with none of its words. Then the debate statements the report quotes for a theme the
    team has chosen no quote for (``chosen by``)."""
    from coding.quotes import quotes
    shared = Shared(project, strip) if shared is None else shared
    redacted, known = shared.redacted, shared.known
    names = shared.theme_names
    rows = []
    for q in quotes(project):
        themes = sorted({names[r[0]] for r in project.query(
            "SELECT theme_id FROM evidence WHERE item_kind = 'quote' AND item_id = ? AND "
            "theme_id IS NOT NULL UNION SELECT theme_id FROM card_places WHERE card_kind = ? "
            "AND card_id = ? AND theme_id IS NOT NULL", (q.id, q.item_kind, q.item_id))})
        pub = C.published_quote(project, q.id, strip, redacted, known)
        origin = resolve(project, q.item_kind, q.item_id) if pub else None
        rows.append([f"Q{q.id}", pub.text if pub else "(withheld: consent withdrawn)",
                     pub.attribution if pub else "", "; ".join(themes),
                     C.where_whole(project, q.item_kind, q.item_id, strip, known),
                     origin.site if origin else "", "research team"])
    for t in shared.contents:
        for q in t.quotes:
            if q.id is None:
                rows.append(["", q.text, q.attribution, t.name,
                             C.where_whole(project, q.item_kind, q.item_id, strip, known), "",
                             "the report (no quote chosen for the theme yet)"])
    return Sheet("Quotes", ["quote", "text", "attributed to", "theme", "quoted from", "site",
                            "chosen by"], rows)


STRANDS = (("debate", "online debate"), ("workshops", "workshops"))


def characteristics_sheet(project: Any, strip: bool = False,
                          shared: Shared | None = None) -> Sheet:
    """The report's annex of participants' characteristics (``content.characteristics_annex``):
    each category's count and share per part of the study, a category with fewer than
    ``content.SMALL_CELL`` people merged into "Other" so no one can be picked out, and a total
    per characteristic. A part with no answers to a characteristic is left blank, as the annex
    leaves out its column. ``shared``: taken as every sheet takes it (``sheets``); the annex
    reads none of it."""
    annex = C.characteristics_annex(project)
    header = ["characteristic", "category"]
    for _s, label in STRANDS:
        header += [f"{label} n", f"{label} %"]
    header.append("note")
    rows: list[list[Any]] = []
    for t in annex.tables:
        shown = [s for s, _label in STRANDS if t.answered.get(s)]
        name = t.name.replace("_", " ")
        note = ""
        if t.merged:
            note = t.merged_words() + (", with those who did not answer"
                                       if C.OTHER_OR_NO_ANSWER in t.categories else "")
        for cat in [*t.categories, "Total"]:
            row: list[Any] = [name, cat]
            for s, _label in STRANDS:
                if s not in shown:
                    row += ["", ""]
                    continue
                total = t.totals.get(s, 0)
                n = total if cat == "Total" else t.counts.get(s, {}).get(cat, 0)
                row += [n, percent(n, total) if total else ""]
            row.append(note if cat in (C.OTHER, C.OTHER_OR_NO_ANSWER) else "")
            rows.append(row)
    for name in annex.left_out:
        rows.append([name.replace("_", " "), "", "", "", "", "",
                     "left out: too many different values to show as categories; such values "
                     "could identify people"])
    return Sheet("Characteristics", header, rows)


def figures_sheet(project: Any, strip: bool = False,
                  figures: list[Figure] | None = None) -> Sheet:
    """The report's traceability annex as a table (its columns first, then the numbers
    themselves): each figure's reference, as printed (with † for few votes), what it is, its
    statement, counts, group and section."""
    if figures is None:
        # the figures of a report with every part (the default): built as the report builds
        # them, not copied, as a sheet numbered its own way would lead a reader to the wrong
        # line; a caller that has just written the report passes ``ReportResult.figures``
        from .report import report_figures
        figures = report_figures(project)
    rows = []
    for f in figures:
        flagged = f.small_n and not f.suppressed
        rows.append([f.id, f.text + (FLAG if flagged else ""), f.label,
                     f"S{f.statement_id}" if f.statement_id is not None else "", f.counts,
                     f.population, f.section, f.origin, f.statement_ref,
                     f.value if f.value is not None else "",
                     f.denominator if f.denominator is not None else "",
                     "left out: few votes" if f.suppressed and f.denominator else
                     f"{FLAG} small n" if flagged else ""])
    return Sheet("Figures", ["ref", "figure", "what it is", "statement", "counts",
                             "group or segment", "section", "computed from", "id in source",
                             "value", "out of (n)", "small n"], rows)


SHEETS = {"statements": statements_sheet, "themes": themes_sheet, "codes": codes_sheet,
          "recommendations": recommendations_sheet, "quotes": quotes_sheet,
          "characteristics": characteristics_sheet, "figures": figures_sheet}


def sheets(project: Any, which: Iterable[str] = tuple(SHEETS),
           strip_personal_data: bool | None = None,
           figures: list[Figure] | None = None) -> list[Sheet]:
    """Participants' words as the report prints them (``content.item_words``): the
    researcher's confirmed redactions, e-mail addresses and phone numbers always masked, and
    names and staff numbers too with ``strip_personal_data`` (default: the project's choice,
    ``content.strip_requested``). ``figures``: the report's (``ReportResult.figures``), when it
    was just written; else the figures sheet builds them as a report with every part would.
    What several sheets read (``Shared``) is read once for them all."""
    strip = C.strip_requested(project) if strip_personal_data is None else strip_personal_data
    shared = Shared(project, strip)     # what several sheets read, read once
    return [figures_sheet(project, strip, figures) if w == "figures" else
            SHEETS[w](project, strip, shared) for w in which]


# --------------------------------------------------------------------------- writers
def write_csv(project: Any, folder: str | os.PathLike[str],
              which: Sequence[str] = tuple(SHEETS),
              strip_personal_data: bool | None = None,
              figures: list[Figure] | None = None) -> list[Path]:
    """One UTF-8 CSV (with BOM, so Excel reads the accents) per table; returns the paths.
    Every table is written to disk before any replaces its file: a failure while writing (a
    full disk) leaves the folder's tables as they were, not some new and some old."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    with contextlib.ExitStack() as put_in_place:    # each file renamed over its own at the end
        for sheet in sheets(project, which, strip_personal_data, figures):
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
               strip_personal_data: bool | None = None,
               figures: list[Figure] | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets(project, which, strip_personal_data, figures):
        ws = wb.create_sheet(sheet.name)
        for j, h in enumerate(sheet.header, start=1):
            _set(ws.cell(1, j), h).font = Font(bold=True)
        for i, row in enumerate(sheet.rows, start=2):
            for j, v in enumerate(row, start=1):
                _set(ws.cell(i, j), v)
        ws.freeze_panes = "A2"
        for j, h in enumerate(sheet.header, start=1):
            width = WRAPPED.get(h) or max(10, min(30, len(h) + 2))
            ws.column_dimensions[ws.cell(1, j).column_letter].width = width
            if h in WRAPPED:
                for cell in ws[ws.cell(1, j).column_letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        wb.save(temp)
    return path


# columns of sentences, wrapped at this width so a row reads without widening its column
WRAPPED = {"text": 60, "evidence text": 60, "recommendation": 60, "why this strength": 40,
           "strength warnings": 40, "what it is": 40, "computed from": 40, "note": 40}


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
