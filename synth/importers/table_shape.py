"""What a table's layout says beyond its cells: rows shorter than the header (a broken line) and
title rows above the header ("Bowling Green workshop, 12 May"). ``common.read_table`` pads the
one and passes over the other; the importers say what it did (PRODUCT: nothing is silently
dropped), so these read the few records they need again.
"""
from __future__ import annotations

from itertools import takewhile
from typing import Iterable, Iterator

from ..words import and_list, plural, shortened
from .common import Table, _csv_records, _csv_text, _filled, _header, _sheet_records
from .report import ImportReport

SHOWN = 5       # rows named one by one in a warning; the others counted


def _is_workbook(table: Table) -> bool:
    return table.path.suffix.lower() in (".xlsx", ".xlsm")


def _csv_records_of(table: Table) -> Iterator[tuple[int, list[str]]]:
    text = _csv_text(table.path, table.path.read_bytes())
    return _csv_records(table.path, text, *_header(text))


def short_rows(table: Table) -> list[tuple[int, list[str]]]:
    """(row number, names of the columns it lacks) of a CSV's rows with fewer cells than the
    header names columns, among the rows ``table`` holds. A spreadsheet writes every row's
    cells, empty ones too ("2,Planning,South,,"): a shorter row is a line typed by hand or,
    most often, a broken one (a delimiter missing, a line break inside a cell). A workbook's
    rows have no such length."""
    if _is_workbook(table) or not table.rows:
        return []
    named = [j for j, h in enumerate(table.headers) if h]
    if not named:
        return []
    kept = set(table.row_numbers)
    return [(n, [table.headers[j] for j in named if j >= cells])
            for n, cells in table.short if n in kept and cells <= named[-1]]


def warn_short_rows(table: Table, report: ImportReport) -> None:
    """One warning naming the file, the short rows and the columns each lacks; the rows are
    imported with those cells empty, as a spreadsheet or pandas reads them."""
    short = short_rows(table)
    if not short:
        return
    shown = "; ".join(f"row {n} (no {and_list([f'“{c}”' for c in cols])})"
                      for n, cols in short[:SHOWN])
    more = f"; and {len(short) - SHOWN} more" if len(short) > SHOWN else ""
    one = len(short) == 1
    report.warn(f"{table.path.name}: {plural(len(short), 'row')} with fewer cells than the "
                f"header's {len(table.headers)} columns: {shown}{more}: imported with "
                f"{'its' if one else 'their'} missing cells empty. A short row is most often a "
                "broken line (a delimiter missing, a line break inside a cell): check "
                f"{'it' if one else 'them'} in the file")


def title_rows(table: Table) -> list[tuple[int, str]]:
    """(row number, text) of the title rows above the header that ``read_table`` passed over:
    rows of one filled cell ("Bowling Green workshop, 12 May", a date, "DRAFT")."""
    if table.header_row <= 1:
        return []
    records: Iterable[tuple[int, list[str]]]
    if _is_workbook(table):
        records = _workbook_records(table)
    else:
        records = _csv_records_of(table)
    out = []
    for number, record in takewhile(lambda r: r[0] < table.header_row, records):
        if _filled(record) == 1:
            out.append((number, next(c.strip() for c in record if c.strip())))
    return out


def _workbook_records(table: Table) -> list[tuple[int, list[str]]]:
    import openpyxl
    wb = openpyxl.load_workbook(table.path, read_only=True, data_only=True)
    try:
        ws = wb[table.sheet] if table.sheet else wb.active
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        return list(takewhile(lambda r: r[0] < table.header_row,
                              _sheet_records(table.path, ws)))
    finally:
        wb.close()


def say_title_rows(table: Table, report: ImportReport, titles: list[tuple[int, str]]) -> None:
    if not titles:
        return
    shown = "; ".join(f"row {n}, “{shortened(t, 80)}”" for n, t in titles)
    report.warn(f"{table.path.name}: {table.on_sheet('')}"
                f"{'a title row' if len(titles) == 1 else 'title rows'} above the header "
                f"(row {table.header_row}) skipped: {shown}")


def workshop_title(titles: list[tuple[int, str]]) -> str | None:
    """The title row above a notes table that names its workshop ("Bowling Green workshop,
    12 May"): the first, if it is one line of at most 100 characters (a paragraph of
    instructions names no workshop); what the notes importer takes and the Import dialog
    offers."""
    if titles and len(titles[0][1]) <= 100 and "\n" not in titles[0][1]:
        return titles[0][1]
    return None
