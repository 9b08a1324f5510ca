"""Analyses run from the window, wrapped as tasks ``fn(progress, cancelled)`` for the task
runner. The engine modules are imported inside the functions, so torch and friends load only
when an analysis is asked for."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Sequence


@dataclass
class Outcome:
    """A task's result and the operations it applied on its own connection."""
    result: Any
    applied: list = field(default_factory=list)


def adopt(project: Any, applied: list) -> None:
    """Record operations a task applied (on its own connection) in the window's history, on
    the GUI thread: its listeners (board, undo stack) follow as if applied here."""
    project.history.adopt(applied)


def _in_task(fn: Callable[..., Any], project: Any, **kwargs: Any) -> Callable[[Any, Any], Any]:
    """A task running ``fn(project, progress=, cancelled=, **kwargs)`` on its own connection:
    the engine's operations notify no view from the worker thread; what they applied is handed
    to the window's history afterwards (undoable there)."""
    def task(progress, cancelled):
        return _on_own_connection(project, lambda own: fn(own, progress=progress,
                                                          cancelled=cancelled, **kwargs))
    return task


def _on_own_connection(project: Any, work: Callable[[Any], Any]) -> Outcome:
    """``work(own)`` on a connection of its own, with the operations it applied. Should it
    raise (cancelled, or an error) after applying some, they are undone there first: a task
    the window reports as cancelled or failed has changed nothing in the file."""
    from .tasks import task_connection
    with task_connection(project) as own:
        try:
            result = work(own)
        except BaseException:
            while own.history.done:
                own.history.undo()
            raise
        return Outcome(result, list(own.history.done))


def themes_task(project: Any, k: int | None, seed: int, backend: dict | None = None,
                with_run: Sequence[Any] = ()) -> Callable[[Any, Any], Any]:
    """Candidate themes: ``k`` of them (None: Synth chooses) with ``seed``, embedded with
    ``backend`` (an ``embedding_backend`` setting value) if given, else the project's;
    ``with_run``: operations written in the run's own undo step (``discover_themes``). The
    same data and seed give the same themes."""
    from synth.themes.embeddings import backend_from_config
    from synth.themes.project_themes import discover_themes
    chosen = backend_from_config(backend) if backend is not None else None
    return _in_task(discover_themes, project, k=k, seed=seed, backend=chosen,
                    with_run=with_run)


def opinion_groups_task(project: Any, groups: str | None = None) -> Callable[[Any, Any], Any]:
    """``groups``: recompute or polis as the project's choice would be (the window stores the
    choice only once the run succeeded); None: the project's choice."""
    from synth.votes.project_analysis import run_opinion_groups
    if groups is None:
        return _in_task(run_opinion_groups, project)
    return _in_task(run_opinion_groups, project, groups=groups, as_choice=True)


class Found(NamedTuple):
    """More like this's answer (``card_suggestions``)."""
    source: str                 # "embeddings" or "words": how the cards were found
    refs: list                  # the cards, best first
    why: str = ""               # words: why not by the embeddings
    scores: tuple = ()          # embeddings: each card's closeness to the theme, as refs
    names: tuple = ()           # theme names to embed (on a worker) for the embeddings to answer


def embedding_suggestions(project: Any, theme_id: int, k: int) -> list | None:
    """Cards like a theme from synth.themes' cached embeddings, (kind, id, closeness) each, or
    None when a card has no cached vector yet (nothing is embedded here: the caller falls back
    to shared words). Raises suggestions.NamesNotEmbedded when only the theme's name lacks its
    vector."""
    from synth.themes.embeddings import NotCached
    from synth.themes.suggestions import more_like_this
    try:
        found = more_like_this(project, theme_id, limit=k, cached_only=True)
    except NotCached:
        return None
    return [(str(s.card[0]), int(s.card[1]), s.score) for s in found]


NOT_EMBEDDED = ("not every card is embedded with the project's model yet (Analysis → Find "
                "candidate themes embeds them)")
NAME_NOT_EMBEDDED = "the theme's name is not embedded with the project's model yet"


def card_suggestions(project: Any, theme_id: int, k: int) -> Found:
    """More like this: by embeddings from cached vectors when every card (and the theme's
    name, when it reads by it: ``suggestions.theme_names``) has one, each card with its
    closeness; else by shared words (``ui.board.suggest``), read from the project, saying why
    (and which ``names`` lack a vector, when only they do). On a big board all of it is read
    on a worker. A project never embedded with its model costs one probe of the cache before
    the words, not a hash of every card."""
    from synth.errors import UserError
    from synth.themes.embeddings import backend_from_settings, has_vectors
    from synth.themes.suggestions import NamesNotEmbedded
    why, names = NOT_EMBEDDED, ()
    try:
        found = embedding_suggestions(project, theme_id, k) \
            if has_vectors(project, backend_from_settings(project).model_name) else None
    except UserError as e:      # its model is not on this computer (a folder moved, a colleague's)
        found, why = None, f"the project's embedding model cannot be used here: {e}"
    except NamesNotEmbedded as e:
        found, why, names = None, NAME_NOT_EMBEDDED, tuple(e.texts)
    if found is not None:
        return Found("embeddings", [(kind, cid) for kind, cid, _ in found], "",
                     tuple(score for _, _, score in found))
    from synth import board

    from .board.suggest import word_suggestions
    cards = {c.ref: c for c in board.cards(project)}
    return Found("words", word_suggestions(cards, {t.id: t for t in board.themes(project)},
                                           theme_id, k), why, names=names)


def embed_names_task(project: Any) -> Callable[[Any, Any], Any]:
    """Embed (and cache) the names of the themes that read by their names
    (``suggestions.embed_theme_names``), as a task: how many were embedded."""
    def task(progress, cancelled):
        from synth.themes.suggestions import embed_theme_names
        from .tasks import task_connection
        progress(0, 0, "Reading the themes' names with the embedding model")
        with task_connection(project) as own:
            return embed_theme_names(own)
    return task


NO_VECTORS = None   # kept in place of theme vectors when the cards have none: nothing to offer


class OfferRead(NamedTuple):
    """What ``nearest_offer`` read, for the caller to keep until the board changes (the
    window's offer drops it when cards move or their texts change: ``ui.panels.offer``)."""
    model: str                  # the embedding model the vectors are of
    themes: Any                 # the ThemeVectors, or NO_VECTORS
    names: tuple                # (theme id, name text) of the themes read by their names
    placed: Any = None          # ``suggestions.placed_counts``: each theme's own cards


def nearest_offer(project: Any, ref: Any, kept: OfferRead | None = None
                  ) -> tuple[OfferRead, list[tuple[int, float]]]:
    """The themes a card reads most like (``ref`` a card's), or a theme does (``ref``
    ("theme", id): ``themes_alike``), from cached embeddings only (nothing is embedded
    here; [] until the cards have vectors, or when no theme holds a card or reads by its
    embedded name), and what was read for it (an ``OfferRead``) for the caller to keep until
    the board changes: then going from card to card reads one vector and the themes' names
    (whether one was named, described, nested or embedded since: a change the board's cards
    do not show), not how many cards each theme holds, which only a change of the board
    alters (review: they were counted at every click). Kept vectors of another
    model than the project's are read again, and so are they when a theme that reads by its
    name was named, described, made or embedded since."""
    from synth.themes.embeddings import NotCached, backend_from_settings, has_vectors
    from synth.themes.suggestions import (name_vectors, nearest_themes, placed_counts,
                                          theme_names, theme_vectors, themes_alike)
    backend = backend_from_settings(project)
    model = backend.model_name
    if kept is not None and kept.model == model and kept.themes is NO_VECTORS:
        return kept, []                      # nothing to read alike until the board changes
    if (kept is None or kept.model != model) and not has_vectors(project, model):
        return OfferRead(model, NO_VECTORS, ()), []   # never embedded: one probe, not 5,000 hashes
    placed = kept.placed if kept is not None and kept.placed is not None \
        else placed_counts(project)
    named = theme_names(project, placed=placed)
    cached = name_vectors(project, list(named.values()), backend, cached_only=True)
    names = tuple(sorted((t, text) for t, text in named.items() if text in cached))
    if kept is not None and kept.model == model and kept.names == names:
        themes = kept.themes
    else:
        try:
            themes = theme_vectors(project, backend=backend, cached_only=True, placed=placed)
        except NotCached:
            return OfferRead(model, NO_VECTORS, names, placed), []
    read = OfferRead(model, themes, names, placed)
    if themes is NO_VECTORS or not themes.ids:
        return read, []
    if ref[0] == "theme":                    # a theme: the themes it reads most like
        return read, themes_alike(themes, ref[1])
    try:
        return read, nearest_themes(project, [ref], themes=themes, backend=backend,
                                    cached_only=True).get(ref, [])
    except NotCached:                        # a card written since: no vector of its own yet
        return read, []


def split_task(project: Any, theme_id: int) -> Callable[[Any, Any], Any]:
    """Recluster a theme's cards into sub-themes with synth.themes, as a task."""
    from synth.themes.project_themes import split_theme
    from synth.themes.project_themes import saved_seed
    seed = saved_seed(project)

    def task(progress, cancelled):
        progress(0, 0, "Reading the theme's cards")
        return _on_own_connection(
            project, lambda own: split_theme(own, theme_id, seed=seed, progress=progress,
                                             cancelled=cancelled))
    return task
