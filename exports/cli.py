"""`python main.py report PROJECT --out REPORT.docx [--template T.docx|T.dotx]`: the Word report of a
project, and on request its tables (CSV/XLSX), its REFI-QDA export and the board as an image."""
from __future__ import annotations

import argparse
from pathlib import Path

from synth.errors import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, help="a Synth project file")
    parser.add_argument("--out", type=Path, metavar="REPORT.docx",
                        help="write the Word report here (default: beside the project)")
    parser.add_argument("--template", type=Path, metavar="T.docx|T.dotx",
                        help="a Word document or template whose styles, headers and footers "
                             "the report uses")
    parser.add_argument("--without", action="append", default=[], metavar="PART",
                        help="leave a part out (repeatable): title_page, contents, introduction, "
                             "opinion_groups, segments, themes_overview, themes, methodology, "
                             "characteristics, traceability, charts")
    parser.add_argument("--strip-personal-data", action=argparse.BooleanOptionalAction,
                        default=None,
                        help="mask names and staff numbers in participants' words in every "
                             "file written (e-mail addresses and phone numbers are masked "
                             "always), and keep this as the project's choice (default: the "
                             "project's choice)")
    parser.add_argument("--xlsx", type=Path, metavar="TABLES.xlsx",
                        help="also write the tables as one spreadsheet")
    parser.add_argument("--csv", type=Path, metavar="FOLDER",
                        help="also write the tables as CSV files into FOLDER")
    parser.add_argument("--qdpx", type=Path, metavar="PROJECT.qdpx",
                        help="also write a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA)")
    parser.add_argument("--board", type=Path, metavar="BOARD.png|.svg",
                        help="also draw the board as an image")


def main(args: argparse.Namespace) -> int:
    from synth.project import Project
    from .report import ReportOptions, SECTIONS, write_report
    if not args.project.exists():
        raise UserError(f"{args.project}: no such project file")
    if args.template is not None and not args.template.exists():
        raise UserError(f"{args.template}: no such template")
    options = ReportOptions(template=str(args.template) if args.template else None,
                            strip_personal_data=args.strip_personal_data)
    for part in args.without:
        if part not in (*SECTIONS, "charts"):
            raise UserError(f"--without {part}: not a part of the report "
                            f"(one of {', '.join((*SECTIONS, 'charts'))})")
        setattr(options, part, False)
    out = args.out or args.project.with_suffix(".docx")
    # every output checked before anything is written: a folder, or a Word file named .pdf,
    # failed with a traceback or was written under the wrong name, after the report (QA 34)
    _check_file(out, "--out", ".docx", "the report is a Word document")
    if args.xlsx:
        _check_file(args.xlsx, "--xlsx", ".xlsx", "the tables are an Excel workbook")
    if args.qdpx:
        _check_file(args.qdpx, "--qdpx", ".qdpx", "a REFI-QDA project is a .qdpx file")
    if args.csv and args.csv.exists() and not args.csv.is_dir():
        raise UserError(f"--csv {args.csv}: is a file; give a folder to write the CSV tables "
                        "into")
    strip = args.strip_personal_data
    if strip is not None:
        why_not = _keep_strip_choice(args.project, strip)
        print("personal data: " + ("names, staff numbers, e-mail addresses and phone numbers "
                                   "masked in every file written" if strip else "not stripped")
              + (" (kept as the project's choice)" if not why_not else
                 f" (not kept as the project's choice: {why_not})"))
    with Project.look(args.project) as project:    # leaves no -wal or -shm behind
        result = write_report(project, out, options)
        print(f"report: {result.path} ({len(result.figures)} figures, {result.charts} charts, "
              f"{result.seconds:.1f} s)")
        for warning in result.warnings:
            print(f"warning: {warning}")
        if args.xlsx:
            from .tables import write_xlsx
            # the report's own figures: the Figures sheet numbers them as the report just did
            xlsx = write_xlsx(project, args.xlsx, strip_personal_data=strip,
                              figures=result.figures)
            print(f"tables: {xlsx}")
        if args.csv:
            from .tables import write_csv
            for p in write_csv(project, args.csv, strip_personal_data=strip,
                               figures=result.figures):
                print(f"table: {p}")
        if args.qdpx:
            from .refi_qda import write_qdpx
            q = write_qdpx(project, args.qdpx, strip_personal_data=strip)
            print(f"REFI-QDA: {q.path} ({q.sources} sources, {q.codes} codes, "
                  f"{q.codings} codings, {q.cases} cases)")
        if args.board:
            from .board_image import draw_board
            try:
                print(f"board: {draw_board(project, args.board, strip_personal_data=strip)}")
            except ValueError as e:
                raise UserError(str(e)) from None
    return 0


def _check_file(path: Path, option: str, suffix: str, what: str) -> None:
    """One line, before any work, for an output that is a folder or has another extension."""
    if path.is_dir():
        raise UserError(f"{option} {path}: is a folder; give a file name ending in {suffix}")
    if path.suffix.lower() != suffix:
        raise UserError(f"{option} {path}: {what}: give a file name ending in {suffix}")


def _keep_strip_choice(path: Path, strip: bool) -> str:
    """Store ``--[no-]strip-personal-data`` as the project's choice, so the window's exports
    and later reports make the same one; "" when kept, else why it could not be (the
    project open in a window, a read-only file)."""
    from synth.project import Project, ProjectError
    from .content import STRIP_SETTING, strip_requested
    with Project.look(path) as project:
        if strip_requested(project) == strip:
            return ""
    try:
        with Project.open(path) as project:
            project.set_setting(STRIP_SETTING, strip)
    except ProjectError as e:
        return str(e)
    return ""
