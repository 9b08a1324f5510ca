"""Analyses run from the window: find the engine's functions when they exist, wrap them as
tasks ``fn(progress, cancelled)`` for the task runner. The engine modules are imported here,
inside the functions, so torch and friends load only when an analysis is asked for."""
from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable

from synth.errors import UserError

THEME_FUNCTIONS = [("synth.themes.project_themes", "discover_project_themes"),
                   ("synth.themes.project_themes", "project_themes"),
                   ("synth.themes.project_themes", "run_project_themes"),
                   ("synth.themes.project_themes", "find_themes"),
                   ("synth.themes", "project_themes"), ("synth.themes", "discover_themes")]
GROUP_FUNCTIONS = [("synth.votes.project_analysis", "run_opinion_groups"),
                   ("synth.votes.project_analysis", "opinion_groups"),
                   ("synth.votes.project_analysis", "analyse_project"),
                   ("synth.votes.project_analysis", "run"),
                   ("synth.votes.project_analysis", "project_analysis")]


def find_function(candidates: list[tuple[str, str]]) -> Callable[..., Any] | None:
    for module, name in candidates:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        fn = getattr(mod, name, None)
        if callable(fn) and not inspect.isclass(fn):
            return fn
    return None


def _wrap(fn: Callable[..., Any], project: Any) -> Callable[[Any, Any], Any]:
    params = inspect.signature(fn).parameters

    def task(progress, cancelled):
        kwargs: dict[str, Any] = {}
        if "progress" in params:
            kwargs["progress"] = progress
        if "cancelled" in params:
            kwargs["cancelled"] = cancelled
        elif "is_cancelled" in params:
            kwargs["is_cancelled"] = cancelled
        return fn(project, **kwargs)
    return task


def themes_task(project: Any) -> Callable[[Any, Any], Any]:
    fn = find_function(THEME_FUNCTIONS)
    if fn is None:
        raise UserError("theme discovery is not available in this build yet")
    return _wrap(fn, project)


def opinion_groups_task(project: Any) -> Callable[[Any, Any], Any]:
    fn = find_function(GROUP_FUNCTIONS)
    if fn is None:
        raise UserError("opinion groups are not available in this build yet")
    return _wrap(fn, project)
