"""Analyses run from the window: find the engine's functions when they exist, wrap them as
tasks ``fn(progress, cancelled)`` for the task runner. The engine modules are imported here,
inside the functions, so torch and friends load only when an analysis is asked for."""
from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable

from synth.errors import UserError

THEME_FUNCTIONS = [("synth.themes.project_themes", "discover_themes"),
                   ("synth.themes.project_themes", "discover_project_themes"),
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


def _wrap(fn: Callable[..., Any], project: Any, **extra: Any) -> Callable[[Any, Any], Any]:
    params = inspect.signature(fn).parameters

    def task(progress, cancelled):
        kwargs: dict[str, Any] = {k: v for k, v in extra.items() if k in params}
        if "progress" in params:
            kwargs["progress"] = progress
        if "cancelled" in params:
            kwargs["cancelled"] = cancelled
        elif "is_cancelled" in params:
            kwargs["is_cancelled"] = cancelled
        from .tasks import task_connection
        # its own connection: the engine's operations notify no view from the worker thread
        with task_connection(project) as own:
            return fn(own, **kwargs)
    return task


def themes_task(project: Any, seed: int | None = None) -> Callable[[Any, Any], Any]:
    """Candidate themes: the same data and seed give the same themes (the seed is the
    project's ``themes.seed`` setting unless given)."""
    fn = find_function(THEME_FUNCTIONS)
    if fn is None:
        raise UserError("theme discovery is not available in this build yet")
    if seed is None:
        seed = int(project.setting("themes.seed", 0) or 0)
    return _wrap(fn, project, seed=seed)


# "More like this" and "split" from the embeddings, when synth.themes offers them
SUGGEST_FUNCTIONS = [("synth.themes.project_themes", n) for n in
                     ("more_like_this", "suggest_cards", "similar_cards", "suggestions",
                      "suggest_for_theme")]
SPLIT_FUNCTIONS = [("synth.themes.project_themes", n) for n in
                   ("recluster", "recluster_theme", "split_theme", "propose_split",
                    "suggest_split")]


def call_flexibly(fn: Callable[..., Any], project: Any, theme_id: int, **options: Any) -> Any:
    """Call an engine function whose optional arguments we pass only when it takes them."""
    params = inspect.signature(fn).parameters
    kwargs = {k: v for k, v in options.items() if k in params}
    return fn(project, theme_id, **kwargs)


def opinion_groups_task(project: Any) -> Callable[[Any, Any], Any]:
    fn = find_function(GROUP_FUNCTIONS)
    if fn is None:
        raise UserError("opinion groups are not available in this build yet")
    return _wrap(fn, project)
