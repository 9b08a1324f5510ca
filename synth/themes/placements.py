"""Who placed each card, and what a rerun of theme discovery keeps of the team's work.

A run records where it put each card (``run_places``); a card found anywhere else was placed by
a person. ``fixed_cards`` are the cards a rerun leaves where they lie: those a person placed and
those in a pinned, accepted or renamed theme (or a sub-theme of one): a team that renamed a
candidate theme has read its cards, as one that accepted it. ``rerun_outlook`` and
``describe_outlook`` say before a run what it would keep and may move; ``describe_rerun`` says
afterwards what it did. The rule itself: ``project_themes`` (its docstring) and docs/themes.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .. import board
from ..board import CardRef
from ..operations import Operation, Tx


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
    accepted: set[int]              # accepted or renamed themes and their sub-themes
    place: dict[CardRef, int]       # every card in a theme
    by_hand: set[CardRef]           # cards lying elsewhere than where a run last put them
    recorded: set[CardRef]          # cards a run has placed (or sent to the unsorted pile)

    def fixed(self) -> set[CardRef]:
        """The cards a rerun leaves where they are (``fixed_cards``)."""
        kept = self.pinned | self.accepted
        return {c for c, t in self.place.items() if t in kept} | self.by_hand


def placements(project: Any) -> Placements:
    rows = project.query("SELECT id, parent_id, pinned, status = 'accepted' OR name_edited "
                         "FROM themes")
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
                      board.subtrees(parents, [r[0] for r in rows if r[3]]),
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
    kept: list[str]     # the top-level themes it keeps (accepted, renamed or pinned), in order
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
    for name, is_pinned, held_by_team in project.query(
            "SELECT name, pinned, status = 'accepted' OR name_edited FROM themes "
            "WHERE parent_id IS NULL ORDER BY position, id"):
        if is_pinned or held_by_team:
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
                     f"({_names(o.kept)}: accepted, renamed or pinned)")
    if o.cards_kept:
        keeps.append(f"leaves {_n(o.cards_kept, 'card')} where "
                     f"{'it lies' if o.cards_kept == 1 else 'they lie'}"
                     + (f", {o.by_hand:,} of them placed by hand" if o.by_hand else ""))
    said = ("A rerun " + " and ".join(keeps) + ". " if keeps else
            "No theme is accepted, renamed or pinned and no card was placed by hand, so a "
            "rerun keeps none of this board. ")
    moves = []
    if o.may_move:
        moves.append(f"may move the {_n(o.may_move, 'card')} that earlier runs placed in "
                     "candidate themes")
    if o.to_sort:
        moves.append(f"sorts the {_n(o.to_sort, 'card')} on the unsorted pile"
                     + (f" ({o.new:,} new)" if o.new else ""))
    said += ("It " + " and ".join(moves) + "." if moves else "It has no other cards to sort.")
    if o.kept and o.pinned < len(o.kept):
        said += " New cards can join accepted and renamed themes; pinned themes take none."
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


def describe_languages(result: Mapping[str, Any]) -> str:
    """A hint when a run found themes of texts in another language than the study's ("Texts
    in Welsh"): the bundled model reads English, and sorts such texts by their look more than
    their meaning (QA: Welsh, Spanish and Chinese pay notes never joined the Pay theme). ""
    when there are none."""
    n = result.get("other_language") or 0
    if not n:
        return ""
    return (f"{_n(n, 'card')} {'is' if n == 1 else 'are'} in themes of texts in other "
            "languages: the bundled model reads English, so it sorts them by their look more "
            "than their meaning. A multilingual model folder, chosen in Analysis → Candidate "
            "themes settings…, can sort them with the texts on the same subject")


def describe_unsorted(result: Mapping[str, Any]) -> str:
    """"60 cards left unsorted (17 with nothing to sort by, such as “+1” or an emoji)", or ""
    when none is: the console's and the window's words for a run's unsorted pile."""
    n = result.get("unsorted") or 0
    if not n:
        return ""
    wordless = result.get("without_words") or 0
    return (f"{_n(n, 'card')} left unsorted"
            + (f" ({wordless:,} with nothing to sort by, such as “+1” or an emoji)"
               if wordless else ""))
