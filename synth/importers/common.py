"""Reading researchers' files safely: encodings, size limits, tables from CSV or XLSX.

Every problem becomes an ``ImportProblem`` naming the file, the row and the column. Files are
checked before they are parsed: too big, binary, a zip bomb — refused with a clear message.
"""
from __future__ import annotations

import csv
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..errors import ImportProblem
from ..words import shortened

MAX_TABLE_BYTES = 256 * 1024 * 1024      # a table larger than this is refused, not loaded
MAX_FIELD_CHARS = 1_000_000              # one cell longer than this is refused
MAX_ZIP_UNCOMPRESSED = 512 * 1024 * 1024 # .docx / .xlsx: total inflated size
MAX_ZIP_RATIO = 200                      # inflated / compressed, per member …
MAX_ZIP_RATIO_FROM = 2 * 1024 * 1024     # … once it has inflated beyond this
MAX_ZIP_MEMBERS = 10_000
MAX_NUMBER = 2 ** 53                     # counts and ids beyond this are refused (SQLite: 2**63)

csv.field_size_limit(MAX_FIELD_CHARS + 1)


def check_file(path: Path, *, max_bytes: int = MAX_TABLE_BYTES, what: str = "tables") -> int:
    if not path.exists():
        raise ImportProblem(path, "no such file")
    if path.is_dir():
        raise ImportProblem(path, "is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise ImportProblem(path, "the file is empty")
    if size > max_bytes:
        raise ImportProblem(path, f"the file is {size / 1e6:,.0f} MB; Synth imports {what} of "
                                  f"at most {max_bytes / 1e6:,.0f} MB")
    return size


class _Undecodable(Exception):
    """Bytes that are no text, at byte ``at`` of the data."""

    def __init__(self, at: int, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what spreadsheets save on these laptops.

    A file whose lines were saved by different programs (UTF-8 lines and Windows-1252 lines
    pasted together) is decoded line by line, so neither kind of line is garbled. Bytes that are
    no text are named by their line (a table names them by its row: ``_read_csv``)."""
    try:
        return _decode(data)
    except _Undecodable as e:
        line = len(_LINE_END.findall(data[:e.at].decode("latin-1"))) + 1
        raise ImportProblem(path, e.message, row=line) from None


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                pass
        raise _Undecodable(data.index(b"\x00"),
                           "the file holds binary data (a NUL byte), not text")
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0     # the BOM
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError:
        pass
    out = []
    for line in data[start:].splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                out.append(line.decode("cp1252"))
            except UnicodeDecodeError as e:
                raise _Undecodable(start + e.start,
                                   "the text is neither UTF-8 nor Windows-1252") from None
        start += len(line)
    return "".join(out)


def check_zip(path: Path, what: str, *,
              scan: Callable[[zipfile.ZipInfo], bool] | None = None) -> zipfile.ZipFile:
    """Open an Office file or a .qdpx (a zip) after checking it is one and is no zip bomb.

    Every member is inflated once, in small pieces, before any parser sees it: the sizes
    counted are the real ones (a zip's own size fields can lie), and no member may declare a
    DTD or entities (billion laughs, external entities: these files never need them), in
    whatever encoding it claims. ``scan`` chooses the members to check when the caller will
    read only those (a .qdpx's audio and video are never read, so never inflated); the caller
    must then read no other member. The caller closes the returned file."""
    if not zipfile.is_zipfile(path):
        kind = "valid Office document" if what in ("Word", "Excel") else "zip archive"
        raise ImportProblem(path, f"not a {what} file (it is not a {kind})")
    zf = None
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ImportProblem(path, f"refused: the document holds {len(infos):,} parts "
                                      f"(at most {MAX_ZIP_MEMBERS:,} are read)")
        total = 0
        for info in infos:
            if scan is None or scan(info):
                total += _scan_member(path, zf, info, total)
        return zf
    except ImportProblem:
        if zf is not None:
            zf.close()
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, ValueError) as e:
        # damaged data, encrypted parts, unknown compression methods
        if zf is not None:
            zf.close()
        raise ImportProblem(path, f"damaged {what} file ({e})") from None


_DANGEROUS = tuple(marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY")
                   for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_CHUNK = 1 << 20


def _scan_member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, before: int) -> int:
    """Inflate one member, counting its real size and looking for DTDs; return its size."""
    size = 0
    tail = b""
    with zf.open(info) as member:
        while True:
            chunk = member.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if before + size > MAX_ZIP_UNCOMPRESSED:
                raise ImportProblem(path, "refused: the document inflates to more than "
                                          f"{MAX_ZIP_UNCOMPRESSED // 2**20} MB (a zip bomb?)")
            if size > MAX_ZIP_RATIO_FROM and size / max(info.compress_size, 1) > MAX_ZIP_RATIO:
                raise ImportProblem(path, f"refused: {info.filename} inflates more than "
                                          f"{MAX_ZIP_RATIO}-fold (a zip bomb?)")
            window = tail + chunk
            if any(m in window for m in _DANGEROUS):
                raise ImportProblem(path, f"refused: {info.filename} declares XML entities "
                                          "or a DTD (an entity-expansion attack?)")
            tail = window[-32:]
    return size


def xml_parser() -> Any:
    """The one lxml parser for XML read from a file (.qdpx, .qdc, a check of our own export):
    it loads no DTD, expands no entity, opens nothing on the network, refuses huge trees and
    drops comments and processing instructions, which nothing Synth reads is in. ``check_zip``
    already refuses archives declaring entities; this parser is the defence behind it, and the
    only one for files that are not zips."""
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


@dataclass
class Table:
    """A table read from a file: header names and rows of strings. ``row_numbers[i]`` is the
    row number a researcher sees in a spreadsheet for ``rows[i]``; ``header_row`` the header's
    (1 unless blank rows stand above it)."""
    path: Path
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1
    sheet: str | None = None            # of a workbook: the sheet read …
    sheets: list[str] = field(default_factory=list)    # … its sheets, hidden ones too …
    hidden: list[str] = field(default_factory=list)    # … which of them are hidden …
    also: list[str] = field(default_factory=list)      # … others ``want`` would take too
    # cells merged down a column and filled down: (range, header, first row, last row)
    merged: list[tuple[str, str, int, int]] = field(default_factory=list)
    # of a CSV: (row number, cells) of the rows shorter than the header, padded with ""
    short: list[tuple[int, int]] = field(default_factory=list)

    def find(self, *names: str) -> int | None:
        """Index of the header matching the first of ``names`` that any header matches: a
        header spelt exactly so first, else one equal but for case, spaces, - and _ (so a
        "text" column is taken before a "Text" column left of it)."""
        return _match(self.headers, names)

    def require(self, *names: str) -> int:
        i = self.find(*names)
        if i is None:
            raise ImportProblem(self.path, self.on_sheet(
                f"no column named “{names[0]}” (found: {', '.join(self.headers) or 'no header'})"),
                                row=self.header_row)
        return i

    def problem(self, index: int, column: int | str | None, message: str) -> ImportProblem:
        col = self.headers[column] if isinstance(column, int) else column
        return ImportProblem(self.path, self.on_sheet(message), row=self.row_numbers[index],
                             column=col)

    def sheet_list(self) -> str:
        """The workbook's sheets as a researcher reads them: "Lists (hidden), Notes"."""
        return ", ".join(f"“{n}”" + (" (hidden)" if n in self.hidden else "")
                         for n in self.sheets)

    def on_sheet(self, message: str) -> str:
        """``message`` naming the sheet it is about, when the workbook has several."""
        return f"sheet “{self.sheet}”: {message}" if self.sheet and len(self.sheets) > 1 \
            else message

    def __len__(self) -> int:
        return len(self.rows)


def _norm(name: str) -> str:
    """A header as compared: case, spaces and the punctuation between words left out
    ("Keep / Ditch / Add" is "keep ditch add"); a "%" is kept (a share is no count)."""
    return re.sub(r"[\s_\-/\\.:()]+", "", name.strip().lower())


def _match(headers: Sequence[str], names: Iterable[str], used: Iterable[int] = ()
           ) -> int | None:
    """``Table.find`` over ``headers``, skipping the indexes in ``used``."""
    taken = set(used)
    normed = [_norm(h) if h else None for h in headers]
    for name in names:
        for i, h in enumerate(headers):
            if i not in taken and h and h == name:
                return i
        key = _norm(name)
        for i, n in enumerate(normed):
            if i not in taken and n is not None and n == key:
                return i
    return None


Want = Callable[[list[str]], bool]


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None,
               keep_blank_rows: bool = False, want: Want | None = None) -> Table:
    """The table in a CSV or Excel file. Rows whose cells are all empty are skipped unless
    ``keep_blank_rows``: then they stay, as rows of empty strings, so that a row's position
    in ``rows`` is its position among the file's data rows, the same for a sheet and the CSV
    a spreadsheet saves of it (an empty CSV line is such a row; empty lines closing a CSV and
    a spreadsheet's blank rows after its last row of data are formatting, not rows, and are
    dropped). Lines blank before the header are skipped, and title rows (``_gather``).

    Of a workbook, ``sheet`` if given, else its visible sheets (the active one first): the
    first whose headers ``want`` takes, or the first of them if none does (a hidden sheet, the
    source of a drop-down list, is no table). Cells merged down a column are given the value of
    their first cell, on every row they span."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, keep_blank_rows, want=want)
    if suffix in (".xls",):
        raise ImportProblem(path, "old Excel .xls files are not read; save it as .xlsx or .csv")
    return _read_csv(path, keep_blank_rows)


_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str, start: int = 0) -> Iterable[str]:
    """The lines of ``text`` from ``start`` with their endings, as slices: unlike
    ``io.StringIO`` (which holds four bytes per character) no copy of the whole text is made,
    so a 50 MB file costs 50 MB."""
    for m in _LINE_END.finditer(text, start):
        yield text[start:m.end()]
        start = m.end()
    if start < len(text):
        yield text[start:]


DELIMITERS = ",;\t"
_FILLER = " \t\r\n\"" + DELIMITERS


def _blank(record: Sequence[str]) -> bool:
    """A row with no text in it: a spreadsheet's empty row."""
    return not any(cell.strip() for cell in record)


def _above_header(record: Sequence[str]) -> bool:
    """A row before the header that is none: nothing in it but spaces, quotes and delimiters
    (a line of ``"",""`` or `` , `` before a table). One rule for the delimiter's choice and for
    the reading: such a row is skipped whichever delimiter splits it."""
    return not any(cell.strip(_FILLER) for cell in record)


def _header(text: str) -> tuple[str, int, int]:
    """The file's delimiter, and where its header starts: (delimiter, how many records stand
    above it, the character it starts at). The records above it hold nothing
    (``_above_header``); the reading starts at the header, so that they are judged by this one
    rule, whichever delimiter splits them (a '"",""' above a ';' file is no malformed row).

    The delimiter is chosen from the header: one the header does not hold cannot be the
    file's (one-column files have none, whatever their texts hold: a sniffer reading the texts
    took the ";" in every one of them for a delimiter). Of several the header holds, the one
    splitting most of the first rows into as many cells as the header. The header is a record
    read with each delimiter, not a line: a header cell may hold a line break (a wrapped
    header in a spreadsheet), and its first line may then hold no delimiter."""
    found = {d: _find_header(text, d) for d in DELIMITERS}
    split = [d for d in DELIMITERS if len(found[d][0]) > 1]

    def fit(d: str) -> tuple[int, int]:
        width = len(found[d][0])
        records = csv.reader(_lines(text[:50_000]), delimiter=d)
        try:
            same = sum(len(r) == width for _, r in zip(range(200), records) if r)
        except csv.Error:
            same = 0
        return same, width
    d = max(split, key=fit) if split else ","
    return d, found[d][1], found[d][2]


def _find_header(text: str, delimiter: str) -> tuple[list[str], int, int]:
    """The first record of ``text`` with more than ``_above_header`` holds, read with
    ``delimiter``: (its cells, the records above it, the character it starts at)."""
    pulled = 0

    def lines() -> Iterator[str]:
        nonlocal pulled
        for line in _lines(text[:1_000_000]):
            pulled += len(line)
            yield line
    above = start = 0
    try:
        # the reader pulls only the lines of the record it gives, never one ahead
        for record in csv.reader(lines(), delimiter=delimiter):
            if not _above_header(record):
                return record, above, start
            above += 1
            start = pulled
    except csv.Error:
        pass
    return [], 0, 0


MAX_TITLE_ROWS = 5   # rows of one cell above a header (a title, a date, "DRAFT") passed over


def _filled(record: Sequence[str]) -> int:
    return sum(1 for cell in record if cell.strip(_FILLER))


def _gather(records: Iterable[tuple[int, list[str]]], keep_blank_rows: bool, *,
            header_only: bool = False) -> tuple[list[str] | None, int, list[list[str]], list[int]]:
    """The header, its row number, and the data rows with theirs, from a table's records
    (spreadsheet row number, cells) — one rule for a CSV and a sheet. Rows above the header
    holding nothing are skipped (``_above_header``); so are title rows, of one cell, above a
    header of several (a merged "Lambeth workshop, 14 May" over the table): the header is the
    first row of several cells within ``MAX_TITLE_ROWS`` rows of one, else (a table of one
    column) the first row. Blank rows are skipped too, unless ``keep_blank_rows``: then an
    empty record (an empty CSV line, a sheet's blank row) is a row only if a row of data
    follows it (those closing the file are formatting), while a CSV line of empty cells (",,")
    is one at once: someone wrote it. ``header_only``: no record after the header is read."""
    headers: list[str] | None = None
    header_row = 0
    rows: list[list[str]] = []
    numbers: list[int] = []
    pending: list[int] = []
    held: list[tuple[int, list[str]]] = []     # from a row of one cell, until the header is known

    def data(number: int, record: list[str]) -> None:
        if _blank(record):
            if not keep_blank_rows:
                return
            if not record:
                pending.append(number)
                return
        for n in pending:
            rows.append([])
            numbers.append(n)
        pending.clear()
        rows.append(record)
        numbers.append(number)

    def one_column() -> None:
        """The first row of one cell was the header: the rows held after it are data."""
        nonlocal headers, header_row
        header_row, first = held[0]
        headers = [h.strip() for h in first]
        if not header_only:
            for number, record in held[1:]:
                data(number, record)
        held.clear()

    for number, record in records:
        if headers is None:
            if not held and _above_header(record):
                continue
            if _above_header(record) or (_filled(record) <= 1 and
                                         sum(_filled(r) > 0 for _, r in held) < MAX_TITLE_ROWS):
                held.append((number, record))
                continue
            if _filled(record) <= 1:
                one_column()
            else:
                held.clear()            # titles and blank rows above the header
                headers = [h.strip() for h in record]
                header_row = number
                if header_only:
                    break
                continue
            if header_only:
                break
        data(number, record)
    if headers is None and held:
        one_column()
    return headers, header_row, rows, numbers


HEADER_BYTES = 8 * 1024 * 1024   # of a CSV, more than ``_header`` reads: 1,000,000 characters


def read_header(path: str | os.PathLike[str], *, sheet: str | None = None,
                want: Want | None = None) -> Table:
    """``read_table``'s headers and header row, without reading the rows (a Table of none):
    what a table holds is told by its header. Of a CSV only the first ``HEADER_BYTES`` are
    read (whole lines: a line cut in two could decode differently); a row below them that
    ``read_table`` would refuse is refused when the table is read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, keep_blank_rows=False, header_only=True, want=want)
    if suffix == ".xls":
        return read_table(path)     # refused there
    size = check_file(path)
    with path.open("rb") as f:
        data = f.read(HEADER_BYTES)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data += f.read()        # UTF-16, rare: cut anywhere it could split a character
    end = max(data.rfind(b"\n"), data.rfind(b"\r"))
    if len(data) < size and end >= 0:
        data = data[:end + 1]
    text = _csv_text(path, data)
    headers, header_row, _, _ = _gather(_csv_records(path, text, *_header(text)),
                                        keep_blank_rows=False, header_only=True)
    if headers is None:
        raise ImportProblem(path, "the file holds no header row")
    return Table(path, headers, [], [], header_row)


def _csv_text(path: Path, data: bytes) -> str:
    """The text of a CSV's bytes; bytes that are none refused at their row and column."""
    try:
        text = _decode(data)
    except _Undecodable as e:
        # the spreadsheet row and column, as for any other problem of the table, not the
        # file's line; what comes before may hold bad bytes too (a NUL is found first)
        try:
            before = _decode(data[:e.at])
        except _Undecodable:
            before = data[:e.at].decode("utf-8", "replace")
        row, column = _place_at(before)
        raise ImportProblem(path, e.message, row=row, column=column) from None
    if not text.strip():
        raise ImportProblem(path, "the file holds no table (only blank space)")
    return text


def _read_csv(path: Path, keep_blank_rows: bool) -> Table:
    check_file(path)
    text = _csv_text(path, path.read_bytes())
    headers, header_row, rows, numbers = _gather(_csv_records(path, text, *_header(text)),
                                                 keep_blank_rows)
    if headers is None:
        raise ImportProblem(path, "the file holds no header row")
    width = len(headers)
    short = []
    for i, record in enumerate(rows):
        if len(record) > width and any(c.strip() for c in record[width:]):
            raise ImportProblem(path, f"the row has {len(record)} cells but the header names "
                                      f"{width} columns", row=numbers[i])
        if len(record) < width:
            if record:          # an empty line kept as a blank row is no short row
                short.append((numbers[i], len(record)))
            record.extend([""] * (width - len(record)))
        elif len(record) > width:
            del record[width:]
    return Table(path, headers, rows, numbers, header_row, short=short)


def _csv_records(path: Path, text: str, delimiter: str, above: int, start: int
                 ) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV from its header (at character ``start``, ``above`` records above
    it), each with its row number as a spreadsheet shows it: one per record, an empty line
    included (a spreadsheet shows it as an empty row, and saves an empty row of a one-column
    sheet as one), a cell over several lines counted once."""
    number = above
    try:
        for record in csv.reader(_lines(text, start), delimiter=delimiter, strict=True):
            number += 1
            yield number, record
    except csv.Error as e:
        msg = str(e)
        if "field larger than field limit" in msg:
            msg = f"a cell is longer than {MAX_FIELD_CHARS:,} characters"
        elif "unexpected end of data" in msg or "EOF" in msg:
            msg = "the file ends inside a quoted cell (truncated, or a quote is not closed)"
        # the spreadsheet row of the record being read (for a quote never closed, the row
        # where it opened), not the file's line: a cell over several lines is one row
        raise ImportProblem(path, msg, row=number + 1) from None


def _place_at(before: str) -> tuple[int, str | None]:
    """The spreadsheet row of the character just after ``before``, the start of a CSV,
    counted as ``_csv_records`` counts, and the header of its column (None in the header row
    or beyond the header's columns)."""
    mark = "\ue000"          # a private-use character: it marks the place in the records
    delimiter, above, start = _header(before)
    records = csv.reader(_lines(before + mark, start), delimiter=delimiter)
    number, headers, column = above, None, None
    try:
        for number, record in enumerate(records, start=above + 1):
            at = [j for j, cell in enumerate(record) if mark in cell]
            if at:
                if headers is not None and at[0] < len(headers) and headers[at[0]].strip():
                    column = headers[at[0]].strip()
                break
            headers = record if headers is None else headers
    except csv.Error:
        pass
    return max(number, 1), column


def _read_xlsx(path: Path, sheet: str | None, keep_blank_rows: bool, *,
               header_only: bool = False, want: Want | None = None) -> Table:
    check_file(path)
    check_zip(path, "Excel").close()
    try:
        return _read_workbook(path, sheet, keep_blank_rows, header_only, want)
    except ImportProblem:
        raise
    except Exception as e:  # openpyxl raises many kinds on damaged files, while reading too
        raise ImportProblem(path, f"cannot read this Excel file ({type(e).__name__}: "
                                  f"{shortened(str(e), 200)})") from None


MAX_SHEET_ROWS = 1_048_576   # Excel's own limit: a file claiming more rows is damaged


def _read_workbook(path: Path, sheet: str | None, keep_blank_rows: bool,
                   header_only: bool, want: Want | None = None) -> Table:
    import openpyxl  # parses with defusedxml / lxml without entity expansion
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = [ws.title for ws in wb.worksheets]
        hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
        if sheet:
            try:
                order = [wb[sheet]]
            except KeyError:
                listed = Table(path, [], [], sheets=names, hidden=hidden).sheet_list()
                raise ImportProblem(path, f"no sheet named “{sheet}” (the sheets: "
                                          f"{listed or 'none'})") from None
        else:
            order = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
            if not order:
                raise ImportProblem(path, "the workbook has no visible worksheet"
                                    if wb.worksheets else "the workbook has no worksheet")
            active = wb.active
            if active in order:
                order.remove(active)
                order.insert(0, active)
        chosen, also = order[0], []
        if want is not None and len(order) > 1:
            fits = [ws for ws in order if want(_sheet_header(path, ws))]
            if fits:
                chosen, also = fits[0], [ws.title for ws in fits[1:]]
        if hasattr(chosen, "reset_dimensions"):
            # the size a file declares is not trusted: padding every row to a declared
            # XFD1048576 would build billions of empty cells
            chosen.reset_dimensions()
        merged = [] if header_only else _merged_down(chosen)
        headers, header_row, rows, numbers = _gather(_sheet_records(path, chosen, merged),
                                                     keep_blank_rows, header_only=header_only)
        title = chosen.title
    finally:
        wb.close()
    if headers is None:
        listed = Table(path, [], [], sheets=names, hidden=hidden).sheet_list()
        raise ImportProblem(path, f"sheet “{title}” is empty" + (
            f" (the sheets: {listed})" if len(names) > 1 else ""))
    while headers and headers[-1] == "":
        headers.pop()
    width = len(headers)
    for r in rows:
        if len(r) < width:
            r.extend([""] * (width - len(r)))
        del r[width:]
    filled = [(ref, headers[col] if col < width else "", top, bottom)
              for ref, col, top, bottom in merged if top > header_row]
    return Table(path, headers, rows, numbers, header_row, sheet=title, sheets=names,
                 hidden=hidden, also=also, merged=filled)


def _sheet_header(path: Path, ws: Any) -> list[str]:
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    headers, _, _, _ = _gather(_sheet_records(path, ws), False, header_only=True)
    return headers or []


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")
MAX_MERGED = 100_000


def _merged_down(ws: Any) -> list[tuple[str, int, int, int]]:
    """The sheet's cells merged down a column: (range, column index, first row, last row).
    A read-only sheet does not give them (openpyxl reads them only when it loads the whole
    sheet), so they are found in the sheet's XML, read in pieces."""
    if hasattr(ws, "merged_cells"):
        refs = [(r.coord, r.min_col - 1, r.min_row, r.max_row) for r in ws.merged_cells.ranges]
    elif hasattr(ws, "_get_source"):
        refs = []
        tail = b""
        with ws._get_source() as src:
            while chunk := src.read(_CHUNK):
                window = tail + chunk
                cut = max(window.rfind(b"<"), len(window) - 200)
                for m in _MERGE.finditer(window, 0, cut):
                    c1, r1, c2, r2 = m.groups()
                    refs.append((f"{c1.decode()}{int(r1)}:{c2.decode()}{int(r2)}",
                                 _column_index(c1.decode()), int(r1), int(r2)))
                    if len(refs) > MAX_MERGED:
                        return []
                tail = window[cut:]
            for m in _MERGE.finditer(tail):
                c1, r1, c2, r2 = m.groups()
                refs.append((f"{c1.decode()}{int(r1)}:{c2.decode()}{int(r2)}",
                             _column_index(c1.decode()), int(r1), int(r2)))
    else:
        return []
    return sorted((r for r in refs if r[3] > r[2]), key=lambda r: (r[2], r[1]))


def _column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_records(path: Path, ws: Any, merged: Sequence[tuple[str, int, int, int]] = ()
                   ) -> Iterator[tuple[int, list[str]]]:
    """The rows of a sheet with their numbers; a blank one as an empty record, as an empty CSV
    line is (``_gather``). A cell that ``merged`` spans below its range's first row takes the
    first row's value."""
    spans: dict[int, list[tuple[int, int]]] = {}    # first row → (column, last row)
    for _, col, top, bottom in merged:
        spans.setdefault(top, []).append((col, bottom))
    down: dict[int, tuple[int, str]] = {}            # column → (last row, value)
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_SHEET_ROWS:
            raise ImportProblem(path, f"the sheet claims more than {MAX_SHEET_ROWS:,} rows "
                                      "(the file is damaged)")
        cells = ["" if v is None else _cell_text(v) for v in values or ()]
        if down:
            for col, (last, value) in list(down.items()):
                if number > last:
                    del down[col]
                    continue
                if col >= len(cells):
                    cells.extend([""] * (col + 1 - len(cells)))
                if not cells[col]:
                    cells[col] = value
        for col, bottom in spans.get(number, ()):
            if col < len(cells) and cells[col]:
                down[col] = (bottom, cells[col])
        if _blank(cells):
            yield number, []
            continue
        for c in cells:
            if len(c) > MAX_FIELD_CHARS:
                raise ImportProblem(path, f"a cell is longer than {MAX_FIELD_CHARS:,} "
                                          "characters", row=number)
        yield number, cells


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def parse_int(table: Table, index: int, column: int, *, allow_empty: bool = False,
              what: str = "a whole number") -> int | None:
    raw = table.rows[index][column].strip()
    if raw == "" and allow_empty:
        return None
    try:
        f = float(raw)
        if not f.is_integer() or abs(f) > MAX_NUMBER:
            raise ValueError
        return int(f)
    except (ValueError, OverflowError):
        raise table.problem(index, column,
                            f"expected {what}, found “{shortened(raw, 40)}”") from None


def parse_bool(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "y", "t")


def parse_timestamp(raw: str) -> float | None:
    """Seconds since the epoch from seconds or milliseconds (Pol.is exports use both)."""
    raw = raw.strip()
    if not raw:
        return None
    value = float(raw)
    if value > 1e11:   # beyond the year 5138 in seconds: it is milliseconds
        value /= 1000.0
    return value


def unique_lines(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in items:
        seen.setdefault(i, None)
    return list(seen)
