"""The whole job, headless: import the data, analyse the votes, find themes, write the report.

Each analysis runs when the data has what it needs (opinion groups need single votes). The report
is written by a function the caller passes in (``write_report``): the engine may not import
exports/ (STYLE.md), so main.py hands it ``exports.report.write_report``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .errors import UserError
from .importers import import_path
from .words import plural
from .importers.report import ImportReport
from .project import Project

Progress = Callable[[int, int, str], None]
WriteReport = Callable[[Project, Path], Any]
SAMPLE_STUDY = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass
class PipelineResult:
    project: Path
    imports: list[ImportReport] = field(default_factory=list)
    steps: dict[str, Any] = field(default_factory=dict)
    report: Path | None = None


# What each kind of file takes of the options a command line gives every file (``run --site``):
# a workshop's site and name for notes and transcripts, a workbook's sheet for tables.
FILE_OPTIONS: dict[str, frozenset[str]] = {
    "notes": frozenset({"site", "workshop", "sheet"}),
    "document": frozenset({"site", "workshop"}),
    "tallies": frozenset({"sheet"}),
    "characteristics": frozenset({"sheet", "debate"}),
}
_OPTION_USE = {"site": "the site of a notes table or a transcript",
               "workshop": "the workshop of a notes table or a transcript",
               "sheet": "the sheet of a workbook (.xlsx)",
               "debate": "the debate a characteristics table describes"}


def import_all(project: Project, paths: Sequence[str | os.PathLike[str]],
               progress: Progress | None = None, *, again: bool = False,
               options: dict[str, str] | None = None) -> list[ImportReport]:
    """Import several files and folders as one transaction: all of them or none. A file whose
    data the project holds already is refused (``AlreadyImported``) unless ``again``.
    ``options`` (site, workshop, sheet, debate) go to every file of a kind that takes them; one
    that none of the files takes is refused before anything is imported."""
    reports: list[ImportReport] = []
    seen: dict[str, str] = {}       # a file given twice among paths is refused as GivenTwice
    given = {k: v for k, v in (options or {}).items() if v}
    kinds = [_kind(p, given.get("sheet")) for p in paths]
    for name in given:
        # a file not recognised (a sheet misspelt) is left to its import's own message
        if not any(k is None or name in FILE_OPTIONS.get(k, ()) for k in kinds):
            raise UserError(f"--{name} gives {_OPTION_USE[name]}, and none of the files given "
                            "is one. Nothing was imported")
    # Characteristics last: they join to a debate's participants by id, so a debate named after
    # them in one command must be in the project first (QA 16).
    order = sorted(range(len(paths)), key=lambda i: kinds[i] == "characteristics")
    with project.transaction(bulk=True):
        for n, i in enumerate(order):
            p = paths[i]
            if progress:
                progress(n, len(paths), f"importing {p}")
            takes = FILE_OPTIONS.get(kinds[i], ()) if kinds[i] else {"sheet"}
            reports += import_path(project, p, kind=kinds[i], again=again, seen=seen,
                                   **{k: v for k, v in given.items() if k in takes})
    return reports


def _kind(path: str | os.PathLike[str], sheet: str | None = None) -> str | None:
    from .importers import detect
    try:
        return detect(path, sheet=sheet)
    except Exception:       # the import itself says what is wrong with it
        return None


def run_pipeline(project: Project, paths: Sequence[str | os.PathLike[str]], *,
                 report_path: Path | None = None, write_report: WriteReport | None = None,
                 themes: bool = True, groups: bool = True, seed: int | None = None,
                 progress: Progress | None = None,
                 log: Callable[[str], None] = print) -> PipelineResult:
    """Import ``paths``, run the analyses and, with ``report_path``, write the report there
    with ``write_report(project, report_path)`` (required then). ``seed`` None: the project's
    theme seed (0 unless set); themes come in the number the project asks for, if any."""
    if report_path is not None and write_report is None:
        raise ValueError("run_pipeline: report_path given without write_report")
    result = PipelineResult(project.path)
    if paths:
        result.imports = import_all(project, paths, progress)
        for r in result.imports:
            for line in r.lines():
                log(line)
    for step_name, wanted, runner in (("opinion groups", groups, _opinion_groups),
                                      ("themes", themes, _themes)):
        if not wanted:
            continue
        lines: list[str] = []
        outcome = runner(project, seed, progress, lines)
        if outcome is not None:
            result.steps[step_name] = outcome
            for line in lines or [_describe(outcome)]:      # one whole line per debate
                log(f"{step_name}: {line}")
    if report_path is not None:
        write_report(project, report_path)
        result.report = report_path
        log(f"report: {report_path}")
    return result


def _opinion_groups(project: Project, seed: int | None, progress: Progress | None,
                    lines: list[str]) -> Any:
    if not project.scalar("SELECT count(*) FROM votes"):
        return None
    from .votes.project_analysis import run_opinion_groups
    return run_opinion_groups(project, seed=seed or 0, progress=progress, lines_out=lines)


def _themes(project: Project, seed: int | None, progress: Progress | None,
            lines: list[str]) -> Any:
    """With the project's choices (the window's Candidate themes dialog): its number of
    themes, and its seed unless one is given."""
    from .themes.project_themes import discover_themes, saved_k, saved_seed
    return discover_themes(project, seed=saved_seed(project) if seed is None else seed,
                           k=saved_k(project), progress=progress)


def _describe(outcome: Any) -> str:
    """One line for the console, whatever shape a step's result has."""
    if isinstance(outcome, dict) and "themes" in outcome:
        from .themes.placements import describe_rerun
        themes = outcome["themes"]
        # "; " between names: a name may hold a comma or end "and 7 more" itself (QA)
        names = "; ".join(t.get("name", "?") for t in themes[:6])
        more = f"; and {len(themes) - 6} more themes" if len(themes) > 6 else ""
        secs = outcome.get("seconds")
        took = f" in {secs:.1f} s" if isinstance(secs, (int, float)) else ""
        kept = describe_rerun(outcome)       # a rerun: what it kept of the team's work first
        made = (plural(len(themes), "candidate theme")
                + (f" ({names}{more})" if themes else ""))
        from .themes.placements import describe_languages, describe_unsorted
        hint = describe_languages(outcome)
        return ((kept + "; " if kept else "") + made +
                f"; {describe_unsorted(outcome) or 'no card left unsorted'}{took}"
                + (f". {hint}" if hint else ""))
    return str(outcome)     # whole: a cut line hid a second debate's groups (QA 9)
