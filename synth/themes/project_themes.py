"""Theme discovery on a project's cards, and the theme operations the board calls.

``discover_themes`` embeds every card (statements, notes, passages; cached), clusters the cards
that are not in a pinned theme, labels the clusters and writes them as candidate themes in ONE
undoable operation, recording where it put each card (``run_places``). A rerun:
- keeps pinned themes and their cards (and their sub-themes) untouched: they are not clustered
  and take no new card;
- leaves every card the team fixed where it lies (``fixed_cards``): a card placed by a person
  (anywhere but where a run last put it), and every card of an accepted theme (or of a
  sub-theme of one). A cluster more than half of whose cards lie in an accepted top-level theme
  sends its other cards there: a new card can join an accepted theme;
- reuses a previous candidate top-level theme when a new cluster is mostly its cards, counting
  the cards of its sub-themes as its own (same id, colour, notes), and never renames a theme
  whose name the researcher edited or that the researcher accepted;
- keeps the sub-themes of a reused theme (a split, a theme nested by hand): a card the new
  cluster leaves in the reused theme stays in its sub-theme; the other cards of the cluster go
  to the theme itself. A sub-theme left with no cards is removed like any other theme (below);
  the sub-themes of a theme that is not reused lose their cards with it;
- removes previous unpinned themes that no new cluster matches and that are left with no cards,
  unless the researcher has put work into them (an edited name, acceptance, codings, evidence,
  recommendations, cards the team placed) or they hold a sub-theme that stays (a pinned one, or
  one with work): those stay, and the result lists the ones left empty (``kept_empty``);
- says what it did with the team's work (``describe_rerun``); ``rerun_outlook`` says before a
  run what it would keep and what it may move.
A Cancel stops the run at its next check, the last one right before the write: nothing is
written then (``ThemesCancelled``).
Every run, and every split by similarity (``split_theme``), is recorded in ``analysis_runs``
(seed, parameters, model, library versions, input hash, result summary) with the theme centres
in ``arrays``.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .. import board
from ..board import Batch, CardRef
from ..errors import UserError
from ..operations import Operation, Tx
from ..project import now_iso
from . import clustering, labels as labelling
from .embeddings import Backend, backend_from_settings, embed_texts, text_hash

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

LIBRARIES = ("numpy", "scipy", "igraph", "sentence-transformers", "torch", "scikit-learn")


class ThemesCancelled(clustering.ClusteringCancelled):
    """Theme discovery or a split was cancelled before it wrote anything."""


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ThemesCancelled()


def saved_k(project: Any) -> int | None:
    """The number of themes the researcher asked for (project setting ``themes.k``, set in the
    window's Candidate themes dialog); None: the clustering chooses."""
    k = project.setting("themes.k", None)
    return int(k) if isinstance(k, int) and not isinstance(k, bool) and k >= 2 else None


def saved_seed(project: Any) -> int:
    """The seed theme discovery runs with (project setting ``themes.seed``; 0 if unset)."""
    seed = project.setting("themes.seed", 0)
    return int(seed) if isinstance(seed, int) and not isinstance(seed, bool) else 0


def library_versions() -> dict[str, str]:
    from importlib import metadata   # here: 20 ms to import, and the window reads this module
    out = {}                         # the first time a card is selected (the themes offer)
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def input_hash(model: str, refs: Sequence[CardRef], texts: Sequence[str]) -> str:
    h = hashlib.sha256(model.encode())
    for (kind, cid), text in zip(refs, texts):
        h.update(f"{kind}:{cid}:{text_hash(text)}\n".encode())
    return h.hexdigest()


def card_vectors(project: Any, cards: Sequence[board.Card], backend: Backend | None = None,
                 progress: Progress | None = None, cancelled: Cancelled | None = None,
                 cached_only: bool = False) -> tuple[np.ndarray, Backend]:
    backend = backend or backend_from_settings(project)
    vectors = embed_texts([c.text for c in cards], backend, project=project,
                          progress=progress, cancelled=cancelled, cached_only=cached_only)
    return vectors, backend


# --------------------------------------------------------------------------- the write step
@dataclass
class PlannedTheme:
    name: str
    cards: list[CardRef]
    keywords: list[str]
    reuse_id: int | None = None
    stay: Sequence[CardRef] = ()     # cards that stay in their sub-theme of the reused theme
    join: bool = False               # reuse_id is a theme the team kept: it only takes cards


@dataclass
class WriteCandidateThemes(Operation):
    """Write one discovery run: new candidate themes, reused ones updated, stale ones removed,
    every card the team has not fixed (``fixed_cards``) placed (or sent to the unsorted pile),
    and where the run put each in ``run_places``. A card the team fixed while the run was
    working (a drag, a theme accepted meanwhile) is left where it lies."""
    planned: Sequence[PlannedTheme]
    unsorted: Sequence[CardRef]
    remove: Sequence[int]
    empty: Sequence[int]
    run_id: int
    pinned: frozenset[int] | None = None    # the pinned themes (and sub-themes) planned around

    def describe(self) -> str:
        return f"Find {len(self.planned)} candidate themes"

    def run(self, tx: Tx) -> list[int]:
        if self.pinned is not None:
            # pinned or unpinned meanwhile: the plan would undo that
            if _pinned_subtrees(tx) != self.pinned:
                raise UserError("The pinned themes changed while the candidate themes were "
                                "being found; nothing was written. Find them again.")
        fixed = fixed_cards(tx)
        put: dict[CardRef, int | None] = {}       # where this run leaves each card it sorted
        ids = []
        for t in self.planned:
            cards = [c for c in t.cards if c not in fixed]
            tid = t.reuse_id
            old = tx.get("themes", tid) if tid is not None else None
            if t.join:
                if old is None:                   # deleted meanwhile: nowhere to join
                    put.update((c, None) for c in cards)
                    ids.append(tid)
                    continue
                board.place_cards(tx, cards, tid)
            elif old is not None:
                values: dict[str, Any] = {"keywords": json.dumps(t.keywords),
                                          "run_id": self.run_id}
                if not _name_protected(old):
                    values["name"] = t.name
                tx.update("themes", tid, values)
                stay = set(t.stay)
                for c in cards:
                    if c in stay:
                        put[c] = tx.scalar("SELECT theme_id FROM card_places WHERE "
                                           "card_kind = ? AND card_id = ?", c)
                cards = [c for c in cards if c not in stay]
                board.place_cards(tx, cards, tid)
            else:
                tid = board.CreateTheme(t.name, cards, status="candidate", keywords=t.keywords,
                                        run_id=self.run_id).run(tx)
            put.update((c, tid) for c in cards)
            ids.append(tid)
        for tid in self.empty:
            for row in tx.query("SELECT card_kind, card_id FROM card_places WHERE theme_id = ?",
                                (tid,)):
                if (row[0], row[1]) not in put and (row[0], row[1]) not in fixed:
                    tx.delete("card_places", (row[0], row[1]))
        for tid in self.remove:
            tx.delete("themes", tid)
        put.update((c, None) for c in self.unsorted if c not in fixed)
        board.place_cards(tx, [c for c, tid in put.items() if tid is None], None)
        record_run_places(tx, put, self.run_id)
        return ids


def record_run_places(tx: Tx, put: Mapping[CardRef, int | None], run_id: int) -> None:
    """Inside an operation: a run put these cards there (``None``: the unsorted pile). A card
    found anywhere else later was moved by a person (``fixed_cards``). A card a run leaves
    where an earlier run put it keeps that run's id: a rerun of 100,000 cards rewrites (and
    keeps for undo) only the records of the cards it moved."""
    known = {(r[0], r[1]): r[2] for r in tx.query(
        "SELECT card_kind, card_id, theme_id FROM run_places")}
    for (kind, cid), tid in put.items():
        if (kind, cid) in known and known[(kind, cid)] == tid:
            continue
        tx.upsert("run_places", {"card_kind": kind, "card_id": cid, "theme_id": tid,
                                 "run_id": run_id})


@dataclass
class SplitBySimilarity(Operation):
    """The board's split, each part's cards recorded as placed there by the run that made it,
    except those a person had placed in the theme: they stay placed by hand (in the theme, in
    whichever part), so a rerun keeps them in it."""
    split: board.SplitTheme

    def describe(self) -> str:
        return self.split.describe()

    def run(self, tx: Tx) -> list[int]:
        by_run = {(r[0], r[1]) for r in tx.query(
            "SELECT card_kind, card_id FROM run_places WHERE theme_id = ?",
            (self.split.theme_id,))}
        ids = self.split.run(tx)
        record_run_places(tx, {c: tid for tid, (_, cards) in zip(ids, self.split.parts)
                               for c in cards if c in by_run}, self.split.run_id or 0)
        return ids


# --------------------------------------------------------------------------- the team's hold
def _pinned_subtrees(project: Any) -> set[int]:
    parents, pinned = _theme_tree(project)
    return board.subtrees(parents, pinned)


def _theme_tree(project: Any) -> tuple[dict[int, int | None], set[int]]:
    """Each theme's parent, and the pinned themes."""
    rows = project.query("SELECT id, parent_id, pinned FROM themes")
    return {r[0]: r[1] for r in rows}, {r[0] for r in rows if r[2]}


@dataclass
class Placements:
    """Where the team's cards lie and who put them there, as the project stands."""
    parents: dict[int, int | None]
    pinned: set[int]                # pinned themes and their sub-themes
    accepted: set[int]              # accepted themes and their sub-themes
    place: dict[CardRef, int]       # every card in a theme
    by_hand: set[CardRef]           # cards lying elsewhere than where a run last put them
    recorded: set[CardRef]          # cards a run has placed (or sent to the unsorted pile)

    def fixed(self) -> set[CardRef]:
        """The cards a rerun leaves where they are (``fixed_cards``)."""
        kept = self.pinned | self.accepted
        return {c for c, t in self.place.items() if t in kept} | self.by_hand


def placements(project: Any) -> Placements:
    rows = project.query("SELECT id, parent_id, pinned, status FROM themes")
    parents = {r[0]: r[1] for r in rows}
    place, by_hand = {}, set()
    for kind, cid, tid, hand in project.query(
            "SELECT cp.card_kind, cp.card_id, cp.theme_id, "
            "rp.card_id IS NULL OR rp.theme_id IS NOT cp.theme_id FROM card_places cp "
            "LEFT JOIN run_places rp ON rp.card_kind = cp.card_kind AND rp.card_id = cp.card_id"):
        place[(kind, cid)] = tid
        if hand:
            by_hand.add((kind, cid))
    recorded = {(r[0], r[1]) for r in project.query("SELECT card_kind, card_id FROM run_places")}
    return Placements(parents, board.subtrees(parents, [r[0] for r in rows if r[2]]),
                      board.subtrees(parents, [r[0] for r in rows if r[3] == "accepted"]),
                      place, by_hand, recorded)


def fixed_cards(project: Any) -> set[CardRef]:
    """The cards a rerun of discovery leaves where they are: those in a pinned or an accepted
    theme (or a sub-theme of one), and those a person placed: lying in a theme other than the
    one a run last put them in (``run_places``), or in a theme though no run ever placed them
    (a theme made by hand, a drag from the unsorted pile, a coding)."""
    return placements(project).fixed()


@dataclass
class RerunOutlook:
    """What a run of discovery would do with the board as it stands (``rerun_outlook``)."""
    kept: list[str]     # the top-level themes it keeps as they are (accepted or pinned), in order
    pinned: int         # how many of those are pinned (they take no new cards)
    cards_kept: int     # cards it leaves where they lie: in those themes, or placed by hand
    by_hand: int        # of those, the cards a person placed
    may_move: int       # cards earlier runs placed in candidate themes: sorted again
    to_sort: int        # cards on the unsorted pile: sorted
    new: int            # of those, the cards no run has sorted yet


def rerun_outlook(project: Any) -> RerunOutlook:
    held = placements(project)
    fixed = held.fixed()
    kept, pinned = [], 0
    for name, is_pinned, status in project.query(
            "SELECT name, pinned, status FROM themes WHERE parent_id IS NULL "
            "ORDER BY position, id"):
        if is_pinned or status == "accepted":
            kept.append(name)
            pinned += bool(is_pinned)
    out = RerunOutlook(kept, pinned, 0, 0, 0, 0, 0)
    for kind, cid, tid in project.query(f"SELECT kind, id, theme_id FROM ({board.CARDS_SQL})"):
        ref = (kind, cid)
        if tid is None:
            out.to_sort += 1
            out.new += ref not in held.recorded
        elif ref in fixed:
            out.cards_kept += 1
            out.by_hand += ref in held.by_hand
        else:
            out.may_move += 1
    return out


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def _names(names: Sequence[str], shown: int = 3) -> str:
    listed = ", ".join(f"“{n}”" for n in names[:shown])
    return listed + (f" and {len(names) - shown} more" if len(names) > shown else "")


def describe_outlook(o: RerunOutlook) -> str:
    """What Find candidate themes will keep and what it may move, before it runs."""
    if not (o.kept or o.cards_kept or o.may_move):
        return (f"Sorts the {_n(o.to_sort, 'card')} into candidate themes." if o.to_sort
                else "There are no cards to sort.")
    keeps = []
    if o.kept:
        keeps.append(f"keeps {_n(len(o.kept), 'theme')} as "
                     f"{'it is' if len(o.kept) == 1 else 'they are'} "
                     f"({_names(o.kept)}: accepted or pinned)")
    keeps.append(f"leaves {_n(o.cards_kept, 'card')} where "
                 f"{'it lies' if o.cards_kept == 1 else 'they lie'}"
                 + (f", {o.by_hand:,} of them placed by hand" if o.by_hand else ""))
    said = "A rerun " + " and ".join(keeps) + ". "
    moves = []
    if o.may_move:
        moves.append(f"may move the {_n(o.may_move, 'card')} that earlier runs placed in "
                     "candidate themes")
    if o.to_sort:
        moves.append(f"sorts the {_n(o.to_sort, 'card')} on the unsorted pile"
                     + (f" ({o.new:,} new)" if o.new else ""))
    said += ("It " + " and ".join(moves) + "." if moves else "It has no other cards to sort.")
    if o.kept and o.pinned < len(o.kept):
        said += " New cards can join accepted themes; pinned themes take none."
    return said


def describe_rerun(result: Mapping[str, Any]) -> str:
    """What a discovery run did with the team's work (its result's ``kept``, ``cards_kept``,
    ``by_hand``, ``new_cards``, ``resorted``, ``moved``), or "" on a first run, which had none
    to keep."""
    kept, cards_kept = result.get("kept") or [], result.get("cards_kept") or 0
    resorted = result.get("resorted") or 0
    if not (kept or cards_kept or resorted):
        return ""
    parts = []
    if kept:
        parts.append(f"kept {_n(len(kept), 'theme')} as the team left "
                     f"{'it' if len(kept) == 1 else 'them'} ("
                     + _names([str(t["name"]) for t in kept], 6) + ")")
    parts.append(f"{_n(cards_kept, 'card')} kept as placed"
                 + (f" ({result.get('by_hand', 0):,} placed by hand)"
                    if result.get("by_hand") else ""))
    new = result.get("new_cards") or {}
    where = [f"{new[k]:,} {label}" for k, label in (
        ("kept", "into kept themes"), ("candidate", "into candidate themes"),
        ("unsorted", "unsorted")) if new.get(k)]
    parts.append(f"{_n(new.get('sorted', 0), 'new card')} sorted"
                 + (f" ({', '.join(where)})" if where else ""))
    if resorted:
        parts.append(f"{_n(resorted, 'card')} of candidate themes and the unsorted pile "
                     f"sorted again ({result.get('moved', 0):,} moved)")
    return "; ".join(parts)


def sortable_cards(project: Any, pinned: set[int] | None = None) -> list[board.Card]:
    """The cards a run of discovery sorts (and may send to an embedding server): those on the
    board outside every pinned theme and its sub-themes; unsorted cards among them."""
    pinned = _pinned_subtrees(project) if pinned is None else pinned
    return [c for c in board.cards(project) if c.theme_id not in pinned]


def sortable_count(project: Any) -> int:
    """How many cards a rerun of discovery would sort: those on the board outside every pinned
    theme and its sub-themes (the themes dialog bounds the number of themes by it): as many as
    ``sortable_cards``, counted without reading the cards' texts."""
    pinned = _pinned_subtrees(project)
    if not pinned:
        return board.card_count(project)
    marks = ",".join("?" * len(pinned))
    return int(project.scalar(
        f"SELECT count(*) FROM ({board.CARDS_SQL}) WHERE theme_id IS NULL "
        f"OR theme_id NOT IN ({marks})", sorted(pinned)) or 0)


def _name_protected(theme: Any) -> bool:
    """The researcher's name: edited, or on a theme the researcher accepted."""
    return bool(theme["name_edited"]) or theme["status"] == "accepted"


def _has_work(project: Any, theme_id: int) -> bool:
    """The researcher has decided something about the theme itself (its sub-themes are
    judged on their own: see ``_stale_themes``)."""
    row = project.query(
        "SELECT (SELECT name_edited OR status = 'accepted' FROM themes WHERE id = :t) "
        "+ (SELECT count(*) FROM codings WHERE theme_id = :t) "
        "+ (SELECT count(*) FROM evidence WHERE theme_id = :t) "
        "+ (SELECT count(*) FROM recommendations WHERE theme_id = :t)", {"t": theme_id})
    return bool(row[0][0])


def _root(parents: dict[int, int | None], theme_id: int) -> int:
    seen = {theme_id}
    while parents.get(theme_id) is not None and parents[theme_id] not in seen:
        theme_id = parents[theme_id]  # type: ignore[assignment]
        seen.add(theme_id)
    return theme_id


def _stale_themes(project: Any, parents: dict[int, int | None], pinned: set[int],
                  used: set[int], holding: set[int]) -> tuple[list[int], list[int], list[int]]:
    """The previous unpinned themes no new cluster reuses, sorted into (keep, remove,
    kept_empty): kept when they hold cards after the write (``holding``: sub-themes of reused
    themes), have the researcher's work, or hold a sub-theme that is kept or pinned; removed
    otherwise; ``kept_empty``: the kept ones with no card in them or their sub-themes."""
    children = board.sub_themes(parents)
    keep: dict[int, bool] = {}
    cards_below: dict[int, bool] = {}

    def judge(tid: int) -> tuple[bool, bool]:   # (kept, holds cards in its subtree)
        if tid in pinned:   # (``used`` themes are top level: never a child judged here)
            return True, bool(board.theme_cards(project, tid, recursive=True))
        if tid not in keep:
            below = [judge(c) for c in children.get(tid, [])]
            cards_below[tid] = tid in holding or any(h for _, h in below)
            keep[tid] = (tid in holding or any(k for k, _ in below)
                         or _has_work(project, tid))
        return keep[tid], cards_below[tid]

    stale = [tid for tid in parents if tid not in pinned and tid not in used]
    for tid in stale:
        judge(tid)
    kept = [tid for tid in stale if keep[tid]]
    return (kept, [tid for tid in stale if not keep[tid]],
            [tid for tid in kept if not cards_below[tid]])


def _record_run(project: Any, kind: str, params: dict[str, Any]) -> int:
    with project.transaction() as db:
        cur = db.execute("INSERT INTO analysis_runs(kind, created, params, result) "
                         "VALUES (?, ?, ?, '{}')", (kind, now_iso(), json.dumps(params)))
        return int(cur.lastrowid)


def _finish_run(project: Any, run_id: int, result: dict[str, Any]) -> None:
    with project.transaction() as db:
        db.execute("UPDATE analysis_runs SET result = ? WHERE id = ?",
                   (json.dumps(result), run_id))


def _run_params(result: clustering.Clustering, backend: Backend, refs: Sequence[CardRef],
                texts: Sequence[str], **extra: Any) -> dict[str, Any]:
    """What a run records besides the clustering's own parameters (seed and all): the model,
    library versions and a hash of the input, so the same inputs can be seen to be the same."""
    return {**result.params, "model": backend.model_name, "cards": len(refs), **extra,
            "libraries": library_versions(),
            "input_hash": input_hash(backend.model_name, refs, texts)}


def _write_run(project: Any, kind: str, params: dict[str, Any], centroids: np.ndarray,
               write: Callable[[int], Operation]) -> tuple[int, Any]:
    """Record a run in ``analysis_runs`` and apply ``write(run_id)`` (one undo step), with the
    theme centres in ``arrays``: (run id, what the write returned). A write refused and rolled
    back leaves no run without its themes."""
    run_id = _record_run(project, kind, params)
    try:
        out = project.history.apply(write(run_id))
    except BaseException:
        with project.transaction() as db:
            db.execute("DELETE FROM analysis_runs WHERE id = ?", (run_id,))
        raise
    project.put_array(run_id, "centroids", centroids)
    return run_id, out


def _themes_summary(theme_ids: Sequence[int], planned: Sequence[PlannedTheme],
                    theme_labels: Sequence[labelling.ThemeLabel], refs: Sequence[CardRef],
                    project: Any = None, names: Mapping[int, str] | None = None
                    ) -> list[dict[str, Any]]:
    """Each candidate theme a run wrote: id, name, size, keywords and representative cards.
    With the ``project`` and its theme ``names`` after the write (a discovery run): the name
    the theme bears (the team's, if they edited it; the run's suggestion is ``suggested``) and
    its cards with its sub-themes'; a cluster that went to a theme the team kept is not one."""
    out = []
    for tid, p, lab in zip(theme_ids, planned, theme_labels):
        if p.join:
            continue
        entry = {"id": tid, "name": p.name, "size": len(p.cards), "keywords": p.keywords,
                 "representatives": [list(refs[i]) for i in lab.representatives]}
        if project is not None and names is not None:
            entry.update(name=names.get(tid, p.name), suggested=p.name,
                         size=len(board.theme_cards(project, tid, recursive=True)))
        out.append(entry)
    return out


def _rerun_summary(project: Any, held: Placements, todo: Sequence[board.Card],
                   fixed: set[CardRef], theme_ids: Sequence[int],
                   planned: Sequence[PlannedTheme], names: Mapping[int, str]) -> dict[str, Any]:
    """What a run did with the team's work, from the board before (``held``, ``todo``) and the
    project after the write: ``kept`` (the top-level themes it left as the team had them,
    id and name, in board order), ``cards_kept`` (the cards it left where they lay: in pinned
    or accepted themes, or placed by hand) and ``by_hand`` (those placed by a person),
    ``new_cards`` (cards no run had sorted: how many, and how many went into kept themes,
    into candidate themes, to the unsorted pile), ``resorted`` (the other cards it sorted
    again) and ``moved`` (those of them now in another theme than before)."""
    written = {tid for tid, p in zip(theme_ids, planned) if not p.join}
    order = project.query("SELECT id FROM themes WHERE parent_id IS NULL ORDER BY position, id")
    kept = [{"id": r[0], "name": names.get(r[0], "")} for r in order
            if r[0] in held.parents and r[0] not in written]
    after = {(r[0], r[1]): r[2] for r in project.query(
        "SELECT card_kind, card_id, theme_id FROM card_places")}
    kept_roots = {r["id"] for r in kept}
    parents = dict(project.query("SELECT id, parent_id FROM themes"))
    todo_refs = {c.ref for c in todo}
    in_pinned = [c for c, t in held.place.items() if t in held.pinned]
    on_board = board.card_count(project) - len(todo)     # the pinned themes' cards, shown
    new = {"sorted": 0, "kept": 0, "candidate": 0, "unsorted": 0}
    resorted = moved = 0
    for c in todo:
        if c.ref in fixed:
            continue
        now = after.get(c.ref)
        if c.theme_id is None and c.ref not in held.recorded:
            new["sorted"] += 1
            new["unsorted" if now is None else "kept" if _root(parents, now) in kept_roots
                else "candidate"] += 1
        else:
            resorted += 1
            moved += now != c.theme_id
    return {"kept": kept, "cards_kept": len(fixed & todo_refs) + on_board,
            "by_hand": len(held.by_hand & todo_refs) + len(held.by_hand.intersection(in_pinned)),
            "new_cards": new, "resorted": resorted, "moved": moved}


def discover_themes(project: Any, *, k: int | None = None, seed: int = 0,
                    backend: Backend | None = None, progress: Progress | None = None,
                    cancelled: Cancelled | None = None, **options: Any) -> dict[str, Any]:
    """Find candidate themes for the project's cards and write them (one undo step). The
    result: ``run_id``, ``themes`` (id, name it bears, suggested name, size, keywords,
    representatives of each candidate theme written), ``unsorted`` (how many cards),
    ``suggestions``, ``kept_empty`` (ids of previous themes kept for the researcher's work
    though no card is left in them: an edited or accepted name, codings, evidence,
    recommendations), what it did with the team's work (``kept``, ``cards_kept``, ``by_hand``,
    ``new_cards``, ``resorted``, ``moved``: see ``_rerun_summary``), ``clusters`` (how many
    groups it found, those that went to kept themes included), ``seconds``. Raises ThemesCancelled
    (or the embedding's or clustering's own Cancelled) when ``cancelled()`` turns true before
    the write; then nothing is written."""
    started = time.perf_counter()
    progress = progress or (lambda d, t, m: None)
    pinned = _pinned_subtrees(project)
    todo = sortable_cards(project, pinned)
    if not todo:
        raise UserError("There are no cards to sort into themes (all are in pinned themes, "
                        "or the project has no statements, notes or passages yet)")
    vectors, backend = card_vectors(project, todo, backend,
                                    progress=lambda d, t, m: progress(d, t + 1, m),
                                    cancelled=cancelled)
    refs = [c.ref for c in todo]
    texts = [c.text for c in todo]
    result = clustering.cluster(vectors, k=k, seed=seed, cancelled=cancelled, texts=texts,
                                **options)
    _check(cancelled)
    theme_labels = labelling.label_themes(
        texts, vectors, result.labels, result.centroids,
        embed=lambda words: embed_texts(words, backend, project=project, cancelled=cancelled))

    # Match new clusters to previous unpinned top-level themes, a sub-theme's cards counting
    # as its top-level theme's: a cluster mostly (> half) in a theme the team accepted sends
    # its free cards there; else a cluster reuses a candidate theme holding > half of it and
    # > half of whose cards it holds. The cards the team fixed stay where they lie.
    held = placements(project)
    fixed = held.fixed()
    parents = held.parents
    roots = {tid: _root(parents, tid) for tid in parents}
    root_of = {c.ref: roots[c.theme_id] for c in todo if c.theme_id is not None}
    place_of = {c.ref: c.theme_id for c in todo}
    previous: dict[int, set[CardRef]] = {}
    for ref, root in root_of.items():
        if root not in held.accepted:
            previous.setdefault(root, set()).add(ref)
    planned = []
    used: set[int] = set()
    for t in range(result.k):
        members = [refs[i] for i in np.flatnonzero(result.labels == t)]
        free = [r for r in members if r not in fixed]
        lab = theme_labels[t]
        in_root = Counter(root_of[r] for r in members if r in root_of)
        home, most = in_root.most_common(1)[0] if in_root else (None, 0)
        if home is not None and home in held.accepted and most * 2 > len(members):
            used.add(home)
            planned.append(PlannedTheme(lab.name, free, lab.keywords, reuse_id=home, join=True))
            continue
        best, best_overlap = None, 0.0
        mset = set(members)
        for tid, cards_of in previous.items():
            if tid in used:
                continue
            inter = len(mset & cards_of)
            overlap = inter / max(1, min(len(mset), len(cards_of))) if inter else 0.0
            if inter * 2 > max(len(mset), len(cards_of)) and overlap > best_overlap:
                best, best_overlap = tid, overlap
        if best is None and not free:       # all the team's cards: nothing to write; offers
            planned.append(PlannedTheme(lab.name, [], lab.keywords, reuse_id=home, join=True))
            continue                        # of unsorted cards name where most of them lie
        if best is not None:
            used.add(best)
        stay = [r for r in free if best is not None and root_of.get(r) == best
                and place_of[r] != best]
        planned.append(PlannedTheme(lab.name, free, lab.keywords, reuse_id=best, stay=stay))
    unsorted = [refs[i] for i in np.flatnonzero(result.labels < 0) if refs[i] not in fixed]
    holding = {place_of[r] for p in planned for r in p.stay} | \
        {place_of[r] for r in fixed if r in place_of}
    keep, remove, kept_empty = _stale_themes(project, parents, pinned, used, holding)

    params = _run_params(result, backend, refs, texts, pinned_themes=sorted(pinned))
    _check(cancelled)     # the last check: from here the run is written in one transaction
    made = sum(not p.join for p in planned)
    run_id, (theme_ids,) = _write_run(
        project, "themes", params, result.centroids,
        lambda run_id: Batch([WriteCandidateThemes(planned, unsorted, remove, keep, run_id,
                                                   frozenset(pinned))],
                             label=f"Find {made} candidate themes" + (
                                 f", keeping {len(held.accepted | pinned)} of the team's"
                                 if held.accepted | pinned else "")))
    suggestions = {f"{refs[i][0]}:{refs[i][1]}": [[theme_ids[t], s] for t, s in sugg]
                   for i, sugg in result.suggestions.items()}
    names = dict(project.query("SELECT id, name FROM themes"))
    summary = {
        "themes": _themes_summary(theme_ids, planned, theme_labels, refs, project, names),
        "unsorted": len(unsorted), "suggestions": suggestions, "kept_empty": kept_empty,
        **_rerun_summary(project, held, todo, fixed, theme_ids, planned, names),
        "clusters": result.k, "seconds": round(time.perf_counter() - started, 3),
    }
    _finish_run(project, run_id, summary)
    progress(1, 1, "Candidate themes ready")
    return {"run_id": run_id, **summary}


# --------------------------------------------------------------------------- board helpers
def split_theme(project: Any, theme_id: int, *, k: int | None = None, seed: int = 0,
                backend: Backend | None = None, progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> list[int]:
    """Recluster a theme's cards into candidate sub-themes (one undo step); their ids. ``k``
    None: chosen by the clustering, at least two. Embedding a big theme's new cards and naming
    the parts take seconds: ``cancelled()`` is checked between the steps and last right before
    the write, and a Cancel raises (ThemesCancelled, or the embedding's or clustering's own)
    with nothing written. The parts get keywords, and the split is recorded in
    ``analysis_runs`` (kind ``theme_split``: seed, parameters, model, library versions, input
    hash; each part's keywords and representative cards) as a discovery run is."""
    started = time.perf_counter()
    progress = progress or (lambda d, t, m: None)
    refs = board.theme_cards(project, theme_id)
    if len(refs) < 2:
        raise UserError("A theme needs at least two cards to be split")
    texts = [board.card_text(project, r) for r in refs]
    backend = backend or backend_from_settings(project)
    vectors = embed_texts(texts, backend, project=project, cancelled=cancelled,
                          progress=lambda d, t, m: progress(d, t + 1, m))
    _check(cancelled)
    progress(0, 0, "Grouping the theme's cards")
    result = clustering.cluster(vectors, k=k, seed=seed, max_unsorted=0.0, cancelled=cancelled)
    # A split is a refinement a researcher reads at once: 2 to 6 parts unless k is asked for.
    most = max(2, min(6, len(refs) // 8))
    if k is None and not 2 <= result.k <= most:
        result = clustering.cluster(vectors, k=min(max(result.k, 2), most), seed=seed,
                                    max_unsorted=0.0, cancelled=cancelled)
    _check(cancelled)
    names = labelling.label_themes(
        texts, vectors, result.labels, result.centroids,
        embed=lambda words: embed_texts(words, backend, project=project, cancelled=cancelled),
        within=project.scalar("SELECT name FROM themes WHERE id = ?", (theme_id,)) or "")
    parts = [PlannedTheme(names[t].name, [refs[i] for i in np.flatnonzero(result.labels == t)],
                          names[t].keywords) for t in range(result.k)]
    params = _run_params(result, backend, refs, texts, theme_id=theme_id, k_asked=k)
    _check(cancelled)     # the last check: the split is written in one transaction
    run_id, ids = _write_run(project, "theme_split", params, result.centroids,
                             lambda run_id: SplitBySimilarity(board.SplitTheme(
                                 theme_id, [(p.name, p.cards) for p in parts],
                                 status="candidate", keywords=[p.keywords for p in parts],
                                 run_id=run_id)))
    _finish_run(project, run_id, {"themes": _themes_summary(ids, parts, names, refs),
                                  "seconds": round(time.perf_counter() - started, 3)})
    progress(1, 1, "Theme split")
    return ids


@dataclass
class Suggestion:
    card: CardRef
    text: str
    score: float                      # cosine similarity to the theme's centre, 0..1
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
    The closest cards are looked for among the best ``CANDIDATES`` by the centre, so a theme of
    thousands of cards costs as much as one of a few hundred. Measured (bench_offers.py, a
    fifth of each set held out, three seeds): 6 suggestions hold 98.6 / 96.9 / 80.8 / 66.7 %
    cards of the theme's class on SearchSnippets / StackOverflow / Banking77 / the sample
    study, against 98.6 / 96.7 / 78.1 / 58.0 by the centre alone. ``cached_only``: raise embeddings.NotCached
    rather than embed a card (the window's quick suggestions, which fall back to shared words
    until the cards are embedded)."""
    cards = board.cards(project)
    vectors, _ = card_vectors(project, cards, backend, cached_only=cached_only)
    own, fixed = offer_rule(*_theme_tree(project), theme_id)   # the suggestable_cards rule
    place = [c.theme_id for c in cards]
    mask = np.fromiter((t in own for t in place), bool, len(cards))
    if not mask.any():
        return []
    tv = ThemeVectors.grouped(vectors[mask], np.zeros(int(mask.sum()), np.int64), [theme_id])
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


CANDIDATES = 300    # cards near a theme's centre that More like this scores in full


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
                  cached_only: bool = False) -> ThemeVectors:
    """Every theme that holds cards, with its cards' vectors, as the board stands.
    ``cached_only``: raise embeddings.NotCached rather than embed a card."""
    placed = [c for c in board.cards(project) if c.theme_id is not None]
    if not placed:
        empty = np.zeros((0, 0), np.float32)
        return ThemeVectors([], np.zeros(1, np.int64), empty, empty)
    vectors, _ = card_vectors(project, placed, backend, cached_only=cached_only)
    ids = sorted({c.theme_id for c in placed})
    return ThemeVectors.grouped(vectors, np.searchsorted(ids, [c.theme_id for c in placed]), ids)


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
