"""Analyses run from the window: find the engine's functions when they exist, wrap them as
tasks ``fn(progress, cancelled)`` for the task runner. The engine modules are imported here,
inside the functions, so torch and friends load only when an analysis is asked for."""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from synth.errors import UserError


@dataclass
class Outcome:
    """A task's result and the operations it applied on its own connection."""
    result: Any
    applied: list = field(default_factory=list)


def adopt(project: Any, applied: list) -> None:
    """Record operations a task applied (on its own connection) in the window's history, on
    the GUI thread: its listeners (board, undo stack) follow as if applied here."""
    project.history.adopt(applied)

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
        # its own connection: the engine's operations notify no view from the worker thread;
        # what they applied is handed to the window's history afterwards (undoable there)
        with task_connection(project) as own:
            result = fn(own, **kwargs)
            return Outcome(result, list(own.history.done))
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


def embeddings_ready(project: Any, texts: list[str]) -> bool:
    """Whether every text already has a cached vector, so suggestions from embeddings cost a
    few milliseconds (no model load, nothing embedded on the GUI thread)."""
    try:
        from synth.themes.embeddings import backend_from_settings, text_hash
        model = backend_from_settings(project).model_name
    except Exception:  # noqa: BLE001 - no model, no embeddings: the word fallback serves
        return False
    hashes = sorted({text_hash(t) for t in texts})
    if not hashes:
        return False
    have = 0
    for i in range(0, len(hashes), 500):
        chunk = hashes[i:i + 500]
        have += int(project.scalar(
            f"SELECT count(*) FROM embeddings WHERE model = ? AND text_hash IN "
            f"({','.join('?' for _ in chunk)})", [model, *chunk]))
    return have == len(hashes)


def embedding_suggestions(project: Any, theme_id: int, k: int) -> list | None:
    """Cards like a theme from synth.themes' embeddings, or None when that is not possible
    yet (engine missing, or vectors not computed: the caller falls back to words)."""
    fn = find_function(SUGGEST_FUNCTIONS)
    if fn is None:
        return None
    from synth.board import cards
    if not embeddings_ready(project, [c.text for c in cards(project)]):
        return None
    found = call_flexibly(fn, project, theme_id, limit=k, k=k)
    out = []
    for s in found:
        ref = getattr(s, "card", s)
        out.append((str(ref[0]), int(ref[1])))
    return out


def split_task(project: Any, theme_id: int) -> Callable[[Any, Any], Any] | None:
    """Recluster a theme's cards into sub-themes with synth.themes, as a task; None when the
    engine has no such function."""
    fn = find_function(SPLIT_FUNCTIONS)
    if fn is None:
        return None
    seed = int(project.setting("themes.seed", 0) or 0)

    def task(progress, cancelled):
        from .tasks import task_connection
        progress(0, 0, "Reading the theme's cards")
        with task_connection(project) as own:
            result = call_flexibly(fn, own, theme_id, seed=seed)
            return Outcome(result, list(own.history.done))
    return task
