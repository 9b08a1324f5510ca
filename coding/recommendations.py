"""Recommendations: numbered proposals under each theme (1.1, 1.2 … 6.3), with their evidence,
and the theme's two summaries ("what participants shared", "what they want to see").

Numbers are never stored: ``position`` orders recommendations within their theme and the number
is computed from the theme's place in the codebook, so moving a recommendation or a theme
renumbers everything at once and no number can go stale. Themes are numbered as the report's
chapters (``theme_numbers``); a theme's recommendations, then those of its sub-themes (depth
first), are numbered 1, 2, 3 … after it. A theme with no chapter carries no number ("–.1").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synth.operations import Operation, Tx
from synth.themes.tree import top_theme

from .evidence import EvidenceItem, evidence


@dataclass(frozen=True)
class Recommendation:
    id: int
    theme_id: int
    position: int
    number: str
    title: str
    text: str

    def label(self) -> str:
        return f"{self.number} {self.title}"


def theme_numbers(project: Any) -> dict[int, str]:
    """Theme id -> the number of its chapter in the Word report ("3"; sub-themes carry their
    top-level theme's), "" for a theme the report gives no chapter: the report's own rule
    (``coding.chapters.chapter_numbers``: the accepted themes that hold something, in board
    order, or the candidate themes while none does), so that a recommendation the panels call
    3.2 is 3.2 in the report (the report had stopped numbering empty themes, and the two
    numberings parted)."""
    from synth.board import ThemeTree

    from .chapters import chapter_numbers   # the report's rule: never written twice
    chapters = chapter_numbers(project)
    tree = ThemeTree.read(project)
    out = dict.fromkeys(tree.parents, "")
    for top, n in chapters.items():
        if n:
            out.update(dict.fromkeys(tree.subtree(top), str(n)))
    return out


def tree_order(project: Any) -> list[int]:
    """Every theme id, depth first in board order: the order recommendations are numbered in
    (a theme's own, then its sub-themes')."""
    from synth.board import ThemeTree
    return ThemeTree.read(project).depth_first()


def recommendations(project: Any, theme_id: int | None = None, *, subtree: bool = True
                    ) -> list[Recommendation]:
    """Every recommendation in report order, numbered; or those of one theme (with its
    sub-themes' when ``subtree``)."""
    numbers = theme_numbers(project)
    order = tree_order(project)
    rank = {tid: i for i, tid in enumerate(order)}
    rows = project.query("SELECT id, theme_id, position, title, text FROM recommendations")
    rows = sorted(rows, key=lambda r: (rank.get(r[1], 1 << 30), r[2], r[0]))
    parent_of = {r[0]: r[1] for r in project.query("SELECT id, parent_id FROM themes")}
    counters: dict[int, int] = {}
    out = []
    for rid, tid, position, title, text in rows:
        head = top_theme(parent_of, tid)
        counters[head] = counters.get(head, 0) + 1
        out.append(Recommendation(rid, tid, position,
                                  f"{numbers.get(tid) or '–'}.{counters[head]}", title, text))
    if theme_id is not None:
        from synth.board import subtree as theme_subtree
        wanted = set(theme_subtree(project, theme_id)) if subtree else {theme_id}
        out = [r for r in out if r.theme_id in wanted]
    return out


def recommendation(project: Any, rec_id: int) -> Recommendation | None:
    return next((r for r in recommendations(project) if r.id == rec_id), None)


def recommendation_evidence(project: Any, rec_id: int) -> list[EvidenceItem]:
    return evidence(project, recommendation_id=rec_id)


# --------------------------------------------------------------------------- operations
def _order(tx: Tx, theme_id: int, excluding: int | None = None) -> list[int]:
    return [r[0] for r in tx.query("SELECT id FROM recommendations WHERE theme_id = ? "
                                   "ORDER BY position, id", (theme_id,)) if r[0] != excluding]


def _renumber(tx: Tx, order: list[int]) -> None:
    for i, rid in enumerate(order):
        tx.update("recommendations", rid, {"position": i})


@dataclass
class AddRecommendation(Operation):
    """A new recommendation under a theme at ``position`` (None: last). Returns its id."""
    theme_id: int
    title: str
    text: str = ""
    position: int | None = None

    def describe(self) -> str:
        return "Add recommendation"

    def run(self, tx: Tx) -> int:
        if tx.get("themes", self.theme_id) is None:
            raise ValueError(f"no theme {self.theme_id}")
        order = _order(tx, self.theme_id)
        (rid,) = tx.insert("recommendations", {"theme_id": self.theme_id,
                                               "title": self.title.strip() or "New recommendation",
                                               "text": self.text, "position": len(order)})
        at = len(order) if self.position is None else max(0, min(self.position, len(order)))
        order.insert(at, rid)
        _renumber(tx, order)
        return rid


@dataclass
class UpdateRecommendation(Operation):
    rec_id: int
    title: str | None = None
    text: str | None = None

    def describe(self) -> str:
        return "Edit recommendation"

    def run(self, tx: Tx) -> None:
        values: dict[str, Any] = {}
        if self.title is not None:
            values["title"] = self.title.strip() or "New recommendation"
        if self.text is not None:
            values["text"] = self.text
        tx.update("recommendations", self.rec_id, values)


@dataclass
class MoveRecommendation(Operation):
    """Move a recommendation to ``position`` under ``theme_id`` (None: its own theme); both
    themes' recommendations are renumbered."""
    rec_id: int
    position: int
    theme_id: int | None = None

    def describe(self) -> str:
        return "Move recommendation"

    def run(self, tx: Tx) -> None:
        row = tx.get("recommendations", self.rec_id)
        if row is None:
            raise ValueError(f"no recommendation {self.rec_id}")
        old = row["theme_id"]
        new = old if self.theme_id is None else self.theme_id
        if tx.get("themes", new) is None:
            raise ValueError(f"no theme {new}")
        tx.update("recommendations", self.rec_id, {"theme_id": new})
        order = _order(tx, new, excluding=self.rec_id)
        order.insert(max(0, min(self.position, len(order))), self.rec_id)
        _renumber(tx, order)
        if old != new:
            _renumber(tx, _order(tx, old))


@dataclass
class DeleteRecommendation(Operation):
    """Delete a recommendation with its evidence links (undo brings both back)."""
    rec_id: int

    def describe(self) -> str:
        return "Delete recommendation"

    def run(self, tx: Tx) -> None:
        row = tx.get("recommendations", self.rec_id)
        if row is None:
            return
        tx.delete("recommendations", self.rec_id)
        _renumber(tx, _order(tx, row["theme_id"]))


@dataclass
class SetThemeSummary(Operation):
    """Edit a theme's "what participants shared" and/or "what they want to see"."""
    theme_id: int
    shared: str | None = None
    want: str | None = None

    def describe(self) -> str:
        return "Edit theme summary"

    def run(self, tx: Tx) -> None:
        values = {}
        if self.shared is not None:
            values["summary_shared"] = self.shared
        if self.want is not None:
            values["summary_want"] = self.want
        tx.update("themes", self.theme_id, values)
