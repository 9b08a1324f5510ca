"""What File → Export writes, as a plan the dialog fills in and a plain task function that
carries it out off the GUI thread (exports/ does the writing; this only sequences it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .tasks import TaskCancelled

REPORT_PARTS = [("title_page", "Title page"), ("contents", "Contents"),
                ("introduction", "Introduction and headline figures"),
                ("opinion_groups", "Opinion groups"), ("segments", "Segments"),
                ("themes_overview", "Themes at a glance"),
                ("themes", "One chapter per theme"), ("methodology", "Methodology"),
                ("characteristics", "Annex: participants' characteristics"),
                ("traceability", "Annex: where every figure comes from"),
                ("charts", "Charts")]
SMALL_N_CHOICES = [("flag", "Flag figures with few votes"),
                   ("suppress", "Leave figures with few votes out"),
                   ("show", "Show them unmarked")]


@dataclass
class ExportPlan:
    folder: Path
    stem: str
    report: Any = None                  # exports.report.ReportOptions, or None for no report
    tables_csv: bool = False
    tables_xlsx: bool = False
    qdpx: bool = False
    board_format: str | None = None     # "png" or "svg"
    board_theme_id: int | None = None   # None: the whole board
    board_theme_name: str = ""
    warnings: list[str] = field(default_factory=list)

    def steps(self) -> list[str]:
        out = []
        if self.report is not None:
            out.append("report")
        if self.tables_csv:
            out.append("csv")
        if self.tables_xlsx:
            out.append("xlsx")
        if self.qdpx:
            out.append("qdpx")
        if self.board_format:
            out.append("board")
        return out

    def is_empty(self) -> bool:
        return not self.steps()


_LABELS = {"report": "the Word report", "csv": "the tables (CSV)",
           "xlsx": "the tables (XLSX)", "qdpx": "the REFI-QDA project",
           "board": "the board image"}


def _safe(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -_" else "-" for ch in name).strip()
    return keep.replace(" ", "-")[:60] or "theme"


def run_export(project: Any, plan: ExportPlan, progress: Callable[[int, int, str], None],
               cancelled: Callable[[], bool]) -> list[Path]:
    """Write every part of the plan into ``plan.folder``; returns the files written. Cancel is
    honoured between parts (a part half-written is never left: exports write to a temporary
    name and rename)."""
    steps = plan.steps()
    total = len(steps) * 100
    folder = Path(plan.folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    figures = None      # the report's, when it is written: the tables' Figures number them alike
    for i, step in enumerate(steps):
        if cancelled():
            raise TaskCancelled()
        base = i * 100
        progress(base, total, f"Writing {_LABELS[step]}…")
        if step == "report":
            from exports.report import write_report

            def sub(done: int, of: int, message: str = "", base: int = base) -> None:
                progress(base + (100 * done // of if of else 0), total, message)
            result = write_report(project, folder / f"{plan.stem}.docx", plan.report,
                                  progress=sub)
            plan.warnings.extend(result.warnings)
            written.append(Path(result.path))
            figures = result.figures
        elif step == "csv":
            from exports.tables import write_csv
            written.extend(write_csv(project, folder / f"{plan.stem}-tables", figures=figures))
        elif step == "xlsx":
            from exports.tables import write_xlsx
            written.append(write_xlsx(project, folder / f"{plan.stem}-tables.xlsx",
                                      figures=figures))
        elif step == "qdpx":
            from exports.refi_qda import write_qdpx
            written.append(Path(write_qdpx(project, folder / f"{plan.stem}.qdpx").path))
        elif step == "board":
            from exports.board_image import draw_board
            suffix = f"-{_safe(plan.board_theme_name)}" if plan.board_theme_id is not None \
                else ""
            written.append(draw_board(project, folder / f"{plan.stem}-board{suffix}."
                                      f"{plan.board_format}", theme_id=plan.board_theme_id))
    progress(total, total, "Export finished")
    return written
