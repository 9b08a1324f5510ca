"""Cards like a theme, and themes near a card: More like this (``more_like_this``), the
themes a card reads most like (``nearest_themes``, ``closeness``) and themes alike
(``themes_alike``), from the cards' cached embeddings. A card in a pinned theme is never
offered elsewhere (``offer_rule``). A theme the team named that holds few cards (a codebook's
code, a theme made empty on the board) reads also by its name and description
(``theme_names``), embedded like a card's text and cached with the cards' vectors."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .. import board
from ..board import CardRef
from . import clustering
from .embeddings import Backend, _cache_get, backend_from_settings, embed_texts, text_hash
from .placements import _theme_tree
from .project_themes import card_vectors
from .tree import line_up


@dataclass
class Suggestion:
    card: CardRef
    text: str
    score: float                      # half the cosine to the theme's centre, half the mean
    #                                   cosine to its closest cards (``more_like_this``)
    theme_id: int | None = None       # where the card lies now (None: unsorted): never a
    #                                   pinned theme's card (``suggestable_cards``)
    extra: dict[str, Any] = field(default_factory=dict)


def suggestable_cards(project: Any, theme_id: int, cards: Sequence[board.Card] | None = None
                      ) -> list[CardRef]:
    """The cards More like this may offer a theme: the unsorted pile's and other themes' (a
    card that reads like this theme may have been misplaced), never the theme's own (its
    sub-themes' count as its own) nor a pinned theme's (or its sub-themes'): the researcher has
    fixed those."""
    cards = board.cards(project) if cards is None else cards
    fixed = offer_rule(*_theme_tree(project), theme_id)[1]
    return [c.ref for c in cards if c.theme_id not in fixed]


def offer_rule(parents: Mapping[int, int | None], pinned: Iterable[int], theme_id: int
               ) -> tuple[set[int], set[int]]:
    """Whose cards More like this reads for a theme and whose it never offers it, from each
    theme's parent and the pinned themes: (the theme and its sub-themes, whose cards are its
    own; those and every pinned theme with its sub-themes: the researcher has fixed them). The
    board's shared-words suggestions (ui/board/suggest.py) follow it on the themes it holds."""
    own = board.subtrees(parents, [theme_id])
    return own, own | board.subtrees(parents, pinned)


def more_like_this(project: Any, theme_id: int, *, limit: int = 20, min_score: float = 0.3,
                   backend: Backend | None = None, cached_only: bool = False) -> list[Suggestion]:
    """Cards that read like the theme among ``suggestable_cards`` (unsorted, or in another
    theme that is not pinned; each Suggestion's ``theme_id`` says where the card lies now), best
    first, scored as the "reads most like" offer scores themes (``closeness``: half the
    cosine to the theme's centre, half the mean cosine of the theme's 5 closest cards to it).
    A theme the team named that holds fewer than ``NAME_FADES`` cards (with its sub-themes')
    reads also by its name and description (``theme_names``), counted as ``NAME_WEIGHT`` of
    its cards: a codebook's code with no card yet is offered the cards that read like its
    name. The closest cards are looked for among the best ``CANDIDATES`` by the centre, so a
    theme of thousands of cards costs as much as one of a few hundred. Measured
    (bench_offers.py, a fifth of each set held out, three seeds): 6 suggestions hold 98.6 /
    96.9 / 80.8 / 66.7 % cards of the theme's class on SearchSnippets / StackOverflow /
    Banking77 / the sample study, against 98.6 / 96.7 / 78.1 / 58.0 by the centre alone.
    ``cached_only``: raise embeddings.NotCached rather than embed a card (the window's quick
    suggestions, which fall back to shared words until the cards are embedded), and
    ``NamesNotEmbedded`` when the cards have their vectors and only the theme's name lacks
    its own (the window embeds the name, then asks again)."""
    cards = board.cards(project)
    vectors = held_card_vectors(project, cards, backend, cached_only=cached_only)
    parents, pinned = _theme_tree(project)
    own, fixed = offer_rule(parents, pinned, theme_id)   # the suggestable_cards rule
    place = [c.theme_id for c in cards]
    mask = np.fromiter((t in own for t in place), bool, len(cards))
    members = vectors[mask]
    named = theme_names(project, [theme_id], counts={theme_id: int(mask.sum())})
    if named:
        text = named[theme_id]
        found = name_vectors(project, [text], backend, cached_only=cached_only)
        if text not in found:
            raise NamesNotEmbedded([text])
        members = _with_name(members, found[text])
    if not len(members):
        return []
    tv = ThemeVectors.grouped(members, np.zeros(len(members), np.int64), [theme_id])
    by_centre = vectors @ tv.centres[0]
    by_centre[np.fromiter((t in fixed for t in place), bool, len(cards))] = -np.inf
    candidates = np.argsort(-by_centre, kind="stable")[:max(CANDIDATES, 3 * limit)]
    candidates = candidates[np.isfinite(by_centre[candidates])]
    scores = 0.5 * by_centre[candidates] + 0.5 * _near_mean(vectors[candidates] @ tv.vectors.T)
    out = []
    for j in np.argsort(-scores, kind="stable"):
        if scores[j] < min_score or len(out) >= limit:
            break
        c = cards[int(candidates[j])]
        out.append(Suggestion(c.ref, c.text, round(float(scores[j]), 4), c.theme_id))
    return out


# A theme's name and description count as two of its cards while it holds fewer than 20
# (with its sub-themes'): measured on the sample study with the answer key's seven themes
# made on the board with their names and descriptions and 0, 1, 3, 10, 20, 40 of their cards
# (bench_offers.py named: 10 draws), the name lifts More like this's precision at 6 from 56
# to 91 % with one card, 82 to 88 % with 20; at 40 cards 83 to 86 %, and the first offer's
# hits by one point, near the draws' noise: a big theme's cards say what it holds better than
# a name written before them. Counted twice rather than once: +5 to +7 points at 1 to 10
# cards. With no card (a code as imported) 88 % at 6, 84 % at 20.
NAME_WEIGHT = 2
NAME_FADES = 20
# names that say nothing about a theme: the board's and the codebook import's for no name, and
# the Codebook panel's New and Sub-code buttons' (review: "New code" was offered "Induction for
# new starters")
UNNAMED = frozenset({"untitled theme", "untitled code", "new code", "new sub-code"})


class NamesNotEmbedded(Exception):
    """A theme's name (``texts``: as ``theme_names`` writes it) has no cached vector yet, while
    its cards have theirs. The window embeds the names on a worker, then asks again. Not a
    ``NotCached`` (some card has no vector: the window falls back to shared words), so that
    each is caught apart and neither handler has to let the other's through."""

    def __init__(self, texts: Sequence[str]) -> None:
        super().__init__(f"{len(texts)} theme name{'s' if len(texts) != 1 else ''} not "
                         "embedded yet")
        self.texts = list(texts)


def name_text(name: str, description: str = "") -> str:
    """What a theme's name says, embedded like a card's text: "name: description"."""
    name, description = (name or "").strip(), " ".join((description or "").split())
    return f"{name}: {description}" if description else name


def theme_names(project: Any, theme_ids: Sequence[int] | None = None, *,
                counts: Mapping[int, int] | None = None,
                placed: Mapping[int, int] | None = None) -> dict[int, str]:
    """The themes (of ``theme_ids``; None: all) whose name reads for them (``name_text``):
    named by the team (a name edited or imported, a theme the team made or accepted, or a
    description written), not "Untitled theme", and holding fewer than ``NAME_FADES`` cards
    with their sub-themes' (``counts``: the caller's count of a theme's cards). A candidate
    theme's name is the run's, made from its cards: it adds nothing to them. ``placed``:
    ``placed_counts``, kept by the caller while no card moved (counting is the costly part;
    the themes and their parents are read each time, so a theme nested since counts its new
    sub-themes' cards)."""
    rows = project.query("SELECT id, parent_id, name, description, status, name_edited "
                         "FROM themes")
    wanted = None if theme_ids is None else set(theme_ids)
    counts = dict(counts or {})
    if wanted is None or not wanted <= counts.keys():
        parents = {r[0]: r[1] for r in rows}
        below: dict[int, int] = {}      # each theme's cards with its sub-themes'
        for tid, n in (placed_counts(project) if placed is None else placed).items():
            for t in line_up(parents, tid):                 # the theme and those above it
                below[t] = below.get(t, 0) + n
        counts = {**below, **counts}
    out = {}
    for tid, _, name, description, status, edited in rows:
        if wanted is None or tid in wanted:
            text = reads_by_name(name, description, status, edited, counts.get(tid, 0))
            if text:
                out[tid] = text
    return out


def placed_counts(project: Any) -> dict[int, int]:
    """How many cards lie in each theme that holds any (its own, not its sub-themes'): it
    changes only when cards move, are placed or go (a change of ``card_places``)."""
    return {tid: n for tid, n in project.query("SELECT theme_id, count(*) FROM card_places "
                                               "GROUP BY theme_id")}


def reads_by_name(name: str, description: str, status: str, name_edited: Any, cards: int
                  ) -> str:
    """A theme's ``name_text`` if its name reads for it (see ``theme_names``; ``cards``: how
    many it holds with its sub-themes), else "". The board's shared-words suggestions
    (ui/board/suggest.py) follow it."""
    if cards >= NAME_FADES or (name or "").strip().lower() in UNNAMED:
        return ""
    if name_edited or status == "accepted" or (description or "").strip():
        return name_text(name, description)
    return ""


def name_vectors(project: Any, texts: Sequence[str], backend: Backend | None = None, *,
                 cached_only: bool = False) -> dict[str, np.ndarray]:
    """The vectors of theme names (``theme_names``' texts), embedded and cached like cards'
    texts; ``cached_only``: only those already cached (nothing is embedded, nothing raised)."""
    backend = backend or backend_from_settings(project)
    texts = sorted(set(texts))
    key = _held_key(project, backend.model_name)
    with _HELD_LOCK:
        out = {t: _HELD_NAMES[key, t] for t in texts if (key, t) in _HELD_NAMES}
    new = [t for t in texts if t not in out]
    if not new:
        return out
    if not cached_only:
        found = dict(zip(new, embed_texts(new, backend, project=project)))
    else:
        cached = _cache_get(project, backend.model_name, [text_hash(t) for t in new])
        found = {t: cached[text_hash(t)] for t in new if text_hash(t) in cached}
    if key is not None and not getattr(project, "read_only", False):
        with _HELD_LOCK:        # cached once, never replaced (see _HELD): held like the cards'
            if len(_HELD_NAMES) > 4096:
                _HELD_NAMES.clear()
            _HELD_NAMES.update(((key, t), v) for t, v in found.items())
    return {**out, **found}


# theme names' vectors as read (or embedded) for a project file and model: a press of More
# like this on a theme named reads no vector, as one on a theme of cards (``_HELD``)
_HELD_NAMES: dict[tuple[Any, str], np.ndarray] = {}


def embed_theme_names(project: Any, backend: Backend | None = None,
                      cancelled: Callable[[], bool] | None = None) -> int:
    """Embed (and cache) the names of every theme that reads by its name and has no vector of
    the project's model yet; how many were embedded. The window runs it on a worker, and a
    themes run with the cards."""
    backend = backend or backend_from_settings(project)
    texts = sorted(set(theme_names(project).values()))
    have = name_vectors(project, texts, backend, cached_only=True)     # read once, not per name
    missing = [t for t in texts if t not in have]
    if missing:
        embed_texts(missing, backend, project=project, cancelled=cancelled)
    return len(missing)


def _with_name(vectors: np.ndarray, name: np.ndarray) -> np.ndarray:
    """A theme's cards' vectors and its name's, counted as ``NAME_WEIGHT`` cards."""
    name = np.asarray(name, np.float32).reshape(1, -1)
    if not len(vectors):
        return np.repeat(name, NAME_WEIGHT, 0)
    return np.concatenate([vectors, np.repeat(name, NAME_WEIGHT, 0)])


CANDIDATES = 300    # cards near a theme's centre that More like this scores in full


@dataclass
class _Held:
    """The vectors of one project's cards as last read: row ``row[text]`` of ``vectors``."""
    texts: list[str]
    vectors: np.ndarray
    row: dict[str, int]


# More like this scores every card it may offer, so it needs every card's vector; it read them
# all from the cache at each press (a scan of the whole cache: 0.8 s of a 1.2 s press on
# 40,000 cards). They are read once per project file and model and held here: a press while
# the cards' texts are those held reads no vector, one after cards were added or edited reads
# only the new texts'. A sound row of the cache (model, text hash) is written once and never
# replaced (embed_texts rewrites only rows it could not use); a card embedded with another
# model is another key. Only the newest project and model are held: a big board's are large.
_HELD: dict[tuple[Any, ...], _Held] = {}
_HELD_LOCK = threading.Lock()
_COPY_ROWS = 8192   # rows copied per numpy call: the window's reads run on workers


def held_card_vectors(project: Any, cards: Sequence[board.Card], backend: Backend | None = None,
                      *, cached_only: bool = False) -> np.ndarray:
    """``card_vectors`` of ``cards`` (one row each, in order), reading from the project only the
    vectors of texts not held from an earlier call on the same project file and model."""
    backend = backend or backend_from_settings(project)
    key = _held_key(project, backend.model_name)
    texts = [c.text for c in cards]
    with _HELD_LOCK:
        held = _HELD.get(key) if key is not None else None   # never an empty board's
    if held is not None and held.texts == texts:
        return held.vectors
    rows = np.fromiter((held.row.get(t, -1) for t in texts), np.int64, len(texts)) \
        if held is not None else np.full(len(texts), -1, np.int64)
    new = sorted({t for t, r in zip(texts, rows) if r < 0})
    if held is None:
        vectors = card_vectors(project, cards, backend, cached_only=cached_only)[0]
    else:
        fresh = embed_texts(new, backend, project=project, cached_only=cached_only) \
            if new else np.zeros((0, held.vectors.shape[1]), np.float32)
        at = {t: i for i, t in enumerate(new)}
        for i in np.flatnonzero(rows < 0):
            rows[i] = len(held.vectors) + at[texts[i]]
        vectors = np.empty((len(texts), held.vectors.shape[1]), np.float32)
        for start in range(0, len(texts), _COPY_ROWS):
            part = rows[start:start + _COPY_ROWS]
            old = part < len(held.vectors)
            vectors[start:start + len(part)][old] = held.vectors[part[old]]
            vectors[start:start + len(part)][~old] = fresh[part[~old] - len(held.vectors)]
    vectors.flags.writeable = False         # shared by later presses: never changed in place
    if key is not None and texts:
        row: dict[str, int] = {}
        for i, t in enumerate(texts):
            row.setdefault(t, i)
        with _HELD_LOCK:
            _HELD.clear()
            _HELD[key] = _Held(texts, vectors, row)
    return vectors


def _held_key(project: Any, model: str) -> tuple[Any, ...] | None:
    """The project file (its path, and its file and creation, which a new project made at the
    same path does not share) and the model; None for a project without a file."""
    path = getattr(project, "path", None)
    try:
        stat = os.stat(path) if path is not None else None
    except OSError:
        return None
    if stat is None:
        return None
    return (os.path.realpath(path), stat.st_dev, stat.st_ino, project.meta("created"), model)


NEAREST_CARDS = 5   # a theme's closeness to a card counts its 5 closest cards (and its centre)


@dataclass
class ThemeVectors:
    """The placed cards' vectors grouped by theme: rows ``starts[i]:starts[i + 1]`` of
    ``vectors`` are the cards of theme ``ids[i]`` (its own cards, not its sub-themes'), and
    ``centres[i]`` their L2-normalised mean."""
    ids: list[int]
    starts: np.ndarray
    vectors: np.ndarray
    centres: np.ndarray

    @classmethod
    def grouped(cls, vectors: np.ndarray, labels: np.ndarray, ids: Sequence[int]
                ) -> "ThemeVectors":
        """From one vector per card and its theme's position in ``ids``, in any order."""
        order = np.argsort(labels, kind="stable")
        starts = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=len(ids)))])
        return cls(list(ids), starts, vectors[order],
                   clustering.centroids_of(vectors, labels, len(ids)))


def theme_vectors(project: Any, *, backend: Backend | None = None,
                  cached_only: bool = False, placed: Mapping[int, int] | None = None
                  ) -> ThemeVectors:
    """Every theme that holds cards, with its cards' vectors, as the board stands; and every
    theme that reads by its name (``theme_names``: a code with no card yet, a theme named
    on the board), its name counted as ``NAME_WEIGHT`` of its cards. ``cached_only``: raise
    embeddings.NotCached rather than embed a card; a name without a cached vector is left
    out (the theme is offered once its name is embedded). ``placed``: as ``theme_names``'."""
    backend = backend or backend_from_settings(project)
    in_themes = [c for c in board.cards(project) if c.theme_id is not None]
    named = theme_names(project, placed=placed)
    names = name_vectors(project, list(named.values()), backend, cached_only=cached_only)
    named = {t: text for t, text in named.items() if text in names}
    if not in_themes and not named:
        empty = np.zeros((0, 0), np.float32)
        return ThemeVectors([], np.zeros(1, np.int64), empty, empty)
    parts = [card_vectors(project, in_themes, backend, cached_only=cached_only)[0]] \
        if in_themes else []
    owners = [c.theme_id for c in in_themes]
    for tid, text in named.items():
        parts.append(np.repeat(np.asarray(names[text], np.float32).reshape(1, -1),
                               NAME_WEIGHT, 0))
        owners += [tid] * NAME_WEIGHT
    ids = sorted(set(owners))
    return ThemeVectors.grouped(np.concatenate(parts), np.searchsorted(ids, owners), ids)


def closeness(card: np.ndarray, tv: ThemeVectors, near: int = NEAREST_CARDS) -> np.ndarray:
    """Each theme's closeness to one card's vector: half the cosine to the theme's centre,
    half the mean cosine of its ``near`` closest cards. Measured on held-out cards of the three
    benchmark sets and the sample study (bench/bench_offers.py): neither alone wins at every
    theme size; half of each comes within a point of the better of the two at every size
    measured."""
    sims = tv.vectors @ card
    out = tv.centres @ card * 0.5
    for i in range(len(tv.ids)):
        out[i] += 0.5 * _near_mean(sims[tv.starts[i]:tv.starts[i + 1]], near)
    return out


def _near_mean(sims: np.ndarray, near: int = NEAREST_CARDS) -> np.ndarray:
    """The mean of the ``near`` highest values along the last axis (all of them if fewer)."""
    m = sims.shape[-1]
    if m <= near:
        return sims.mean(-1)
    return np.partition(sims, m - near, axis=-1)[..., -near:].mean(-1)


def themes_alike(tv: ThemeVectors, theme_id: int, top: int = 3) -> list[tuple[int, float]]:
    """The themes that read most like one theme, best first, with the cosine of their centres:
    what a team consolidating many candidate themes may merge. Measured with the answer keys
    (themes found with k unknown, and with k twice the classes, on the three benchmark sets and
    the sample study, seeds 0 and 1): the theme ranked first shares the theme's majority class
    for 232 of 435 themes; the mean closeness of one theme's cards to the other (the card
    offer's rule, both ways) 239, each card's nearest other theme 238 — within noise, at the
    cost of every card against every card — so the centres, read at once on any board."""
    if theme_id not in tv.ids or len(tv.ids) < 2:
        return []
    own = tv.ids.index(theme_id)
    s = tv.centres @ tv.centres[own]
    order = [int(i) for i in np.argsort(-s, kind="stable") if int(i) != own]
    return [(tv.ids[i], round(float(s[i]), 4)) for i in order[:top]]


def nearest_themes(project: Any, refs: Sequence[CardRef], *, top: int = 3,
                   themes: ThemeVectors | None = None,
                   backend: Backend | None = None, cached_only: bool = False
                   ) -> dict[CardRef, list[tuple[int, float]]]:
    """For each card, the themes it reads most like now, best first, with their closeness
    (``closeness``: its centre's and its 5 closest cards' cosines), leaving out the theme it
    lies in: what the unsorted pile's cards are offered. From the board as it stands (cards
    moved since the last run count), not from the run's record. ``themes``: ``theme_vectors``'
    answer, when the caller keeps it between changes (the window does: then only the asked
    cards are read)."""
    backend = backend or backend_from_settings(project)
    tv = themes if themes is not None else theme_vectors(
        project, backend=backend, cached_only=cached_only)
    out: dict[CardRef, list[tuple[int, float]]] = {r: [] for r in refs}
    texts = {r: board.card_text(project, r) for r in refs}
    known = [r for r in refs if texts[r]]          # a card that is gone is offered nothing
    if not tv.ids or not known:
        return out
    vectors = embed_texts([texts[r] for r in known], backend, project=project,
                          cached_only=cached_only)
    for ref, vector in zip(known, vectors):
        own = project.scalar("SELECT theme_id FROM card_places WHERE card_kind = ? "
                             "AND card_id = ?", ref)
        s = closeness(vector, tv)
        order = [int(i) for i in np.argsort(-s, kind="stable") if tv.ids[i] != own]
        out[ref] = [(tv.ids[i], round(float(s[i]), 4)) for i in order[:top]]
    return out
