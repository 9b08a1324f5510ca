"""The whole job, headless: import the data, analyse the votes, find themes, write the report.

Later steps are optional: each runs when its part of Synth is present and the data has what it
needs (opinion groups need single votes; themes need texts).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .importers import import_path
from .importers.report import ImportReport
from .project import Project

Progress = Callable[[int, int, str], None]
SAMPLE_STUDY = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass
class PipelineResult:
    project: Path
    imports: list[ImportReport] = field(default_factory=list)
    steps: dict[str, Any] = field(default_factory=dict)
    report: Path | None = None


def import_all(project: Project, paths: Sequence[str | os.PathLike[str]],
               progress: Progress | None = None) -> list[ImportReport]:
    """Import several files and folders as one transaction: all of them or none."""
    reports: list[ImportReport] = []
    with project.transaction(bulk=True):
        for i, p in enumerate(paths):
            if progress:
                progress(i, len(paths), f"importing {p}")
            reports += import_path(project, p)
    return reports


def run_pipeline(project: Project, paths: Sequence[str | os.PathLike[str]], *,
                 report_path: Path | None = None, themes: bool = True, groups: bool = True,
                 seed: int = 0, progress: Progress | None = None,
                 log: Callable[[str], None] = print) -> PipelineResult:
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
        outcome = runner(project, seed, progress)
        if outcome is not None:
            result.steps[step_name] = outcome
            log(f"{step_name}: {_describe(outcome)}")
    if report_path is not None:
        writer = _optional("exports.report", "write_report")
        if writer is None:
            log("report: not written (the report module is not in this build)")
        else:
            writer(project, report_path)
            result.report = report_path
            log(f"report: {report_path}")
    return result


def _optional(module: str, name: str) -> Any:
    import importlib
    try:
        return getattr(importlib.import_module(module), name)
    except (ModuleNotFoundError, AttributeError):
        return None


def _opinion_groups(project: Project, seed: int, progress: Progress | None) -> Any:
    if not project.scalar("SELECT count(*) FROM votes"):
        return None
    runner = _optional("synth.votes.project_analysis", "run_opinion_groups")
    if runner is None:
        return None
    return runner(project, seed=seed, progress=progress)


def _themes(project: Project, seed: int, progress: Progress | None) -> Any:
    runner = _optional("synth.themes.project_themes", "discover_themes")
    if runner is None:
        return None
    return runner(project, seed=seed, progress=progress)


def _describe(outcome: Any) -> str:
    """One line for the console, whatever shape a step's result has."""
    if isinstance(outcome, dict) and "themes" in outcome:
        themes = outcome["themes"]
        names = ", ".join(t.get("name", "?") for t in themes[:6])
        more = f" and {len(themes) - 6} more" if len(themes) > 6 else ""
        secs = outcome.get("seconds")
        took = f" in {secs:.1f} s" if isinstance(secs, (int, float)) else ""
        return (f"{len(themes)} candidate themes ({names}{more}); "
                f"{outcome.get('unsorted', 0)} cards unsorted{took}")
    text = str(outcome)
    return text if len(text) <= 200 else text[:199] + "…"
