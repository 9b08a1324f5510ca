"""Themes and cards: the operations the board, the theme discovery and the command line call.

A card is a statement, a note or a passage, named by ``CardRef = (kind, id)``. A card lies in at
most one theme (``card_places``); a card with no place is on the unsorted pile. Themes nest through
``parent_id``. Every change here is an ``Operation`` (undoable, one transaction).
"""
from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from typing import Any, Iterable, Mapping, Sequence

from .errors import UserError
from .operations import Operation, Tx
from .schema import PRIMARY_KEYS
from .sql import rows_in
from .themes.tree import line_up
from .words import plural

CardRef = tuple[str, int]
CARD_KINDS = ("statement", "note", "passage")

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd"]


def next_colour(tx_or_project: Any) -> str:
    n = tx_or_project.scalar("SELECT count(*) FROM themes")
    return PALETTE[int(n) % len(PALETTE)]


def _check_cards(cards: Iterable[CardRef]) -> list[CardRef]:
    out = []
    for kind, cid in cards:
        if kind not in CARD_KINDS:
            raise ValueError(f"not a card kind: {kind!r}")
        out.append((kind, int(cid)))
    return out


def by_kind(cards: Iterable[CardRef]) -> dict[str, list[int]]:
    """Card ids by kind ("statement": [3, 5], "note": [1]), in the order given."""
    out: dict[str, list[int]] = {}
    for kind, cid in cards:
        out.setdefault(kind, []).append(cid)
    return out


def place_cards(tx: Tx, cards: Sequence[CardRef], theme_id: int | None,
                positions: Sequence[tuple[float, float]] | None = None) -> None:
    """Inside an operation: put cards in a theme (``None``: the unsorted pile)."""
    for i, card in enumerate(cards):
        if theme_id is None:
            tx.delete("card_places", card)
            continue
        x, y = positions[i] if positions else (0.0, 0.0)
        tx.upsert("card_places", {"card_kind": card[0], "card_id": card[1],
                                  "theme_id": theme_id, "x": float(x), "y": float(y)})


@dataclass
class CreateTheme(Operation):
    name: str
    cards: Sequence[CardRef] = ()
    parent_id: int | None = None
    colour: str | None = None
    status: str = "accepted"
    x: float = 0.0
    y: float = 0.0
    description: str = ""
    keywords: Sequence[str] = ()
    run_id: int | None = None

    def describe(self) -> str:
        return f"Create theme “{self.name}”"

    def run(self, tx: Tx) -> int:
        position = tx.scalar("SELECT coalesce(max(position), -1) + 1 FROM themes "
                             "WHERE parent_id IS ?", (self.parent_id,))
        (theme_id,) = tx.insert("themes", {
            "name": self.name.strip() or "Untitled theme", "parent_id": self.parent_id,
            "colour": self.colour or next_colour(tx), "status": self.status,
            "position": position, "x": self.x, "y": self.y, "description": self.description,
            "keywords": json.dumps(list(self.keywords)), "run_id": self.run_id})
        cards = _check_cards(self.cards)
        # a theme made by hand from cards of themes a run made: theirs are found again (a run
        # writing its own themes gives each its words: ``run_id``)
        left = _themes_of(tx, cards) if self.run_id is None and cards else set()
        place_cards(tx, cards, theme_id)
        refresh_keywords(tx, left)
        return theme_id


def _themes_of(tx: Tx, cards: Sequence[CardRef], check: bool = False) -> set[int | None]:
    """The themes ``cards`` lie in now (None: the unsorted pile). ``check``: raise ValueError
    for a card that does not exist."""
    out: set[int | None] = set()
    for kind, ids in by_kind(cards).items():
        found = {r[0] for r in rows_in(
            tx.query, f"SELECT id FROM {kind}s WHERE id IN", ids)} if check else set()
        placed = {r[0]: r[1] for r in rows_in(
            tx.query, "SELECT card_id, theme_id FROM card_places WHERE card_kind = ? AND "
            "card_id IN", ids, (kind,))}
        out |= {placed.get(c) for c in ids}
        missing = sorted(set(ids) - found) if check else []
        if missing:
            raise ValueError(f"no {kind} {missing[0]}")
    return out


@dataclass
class MoveCards(Operation):
    """Move cards into a theme (``theme_id=None``: to the unsorted pile), optionally to given
    positions inside it. A drag of many cards is one of these: one undo step."""
    cards: Sequence[CardRef]
    theme_id: int | None
    positions: Sequence[tuple[float, float]] | None = None

    def describe(self) -> str:
        n = len(self.cards)
        where = "unsorted" if self.theme_id is None else "theme"
        return f"Move {plural(n, 'card')} to {where}"

    def run(self, tx: Tx) -> None:
        if self.theme_id is not None and tx.get("themes", self.theme_id) is None:
            raise ValueError(f"no theme {self.theme_id}")
        cards = _check_cards(self.cards)
        left = _themes_of(tx, cards, check=True)      # the themes the cards leave
        place_cards(tx, cards, self.theme_id, self.positions)
        if left != {self.theme_id}:     # not only moved about inside their theme
            refresh_keywords(tx, left | {self.theme_id})


@dataclass
class UpdateTheme(Operation):
    """Rename, recolour, describe, pin, accept or move a theme. A rename marks the name as the
    researcher's, so a rerun of theme discovery never overwrites it (nor moves its cards); the
    same name given again is no rename."""
    theme_id: int
    values: dict[str, Any]

    ALLOWED = {"name", "description", "colour", "pinned", "status", "x", "y", "position",
               "summary_shared", "summary_want", "keywords"}

    def describe(self) -> str:
        if "name" in self.values:
            return f"Rename theme to “{self.values['name']}”"
        return "Change theme " + ", ".join(sorted(self.values))

    def run(self, tx: Tx) -> None:
        bad = set(self.values) - self.ALLOWED
        if bad:
            raise ValueError(f"cannot change {', '.join(sorted(bad))} of a theme")
        values = dict(self.values)
        if "keywords" in values and not isinstance(values["keywords"], str):
            values["keywords"] = json.dumps(list(values["keywords"]))
        if "name" in values:
            values["name"] = str(values["name"]).strip() or "Untitled theme"
            theme = tx.get("themes", self.theme_id)
            if theme is not None and theme["name"] == values["name"]:
                del values["name"]      # OK on the name as it was: the machine's still
            else:
                values["name_edited"] = 1
        if values:
            tx.update("themes", self.theme_id, values)


@dataclass
class NestTheme(Operation):
    """Make a theme a sub-theme of another (``parent_id=None``: top level)."""
    theme_id: int
    parent_id: int | None
    position: int | None = None

    def describe(self) -> str:
        return "Nest theme" if self.parent_id is not None else "Move theme to top level"

    def run(self, tx: Tx) -> None:
        if self.theme_id in line_up(_parents(tx), self.parent_id):
            raise ValueError("a theme cannot be nested inside itself")
        values: dict[str, Any] = {"parent_id": self.parent_id}
        if self.position is not None:
            values["position"] = self.position
        tx.update("themes", self.theme_id, values)


@dataclass
class MergeThemes(Operation):
    """Merge themes into ``target_id``: their cards, sub-themes, codings, evidence,
    recommendations, dots and memos move to the target, and their description and summaries are
    joined to the target's (a text only one theme has is kept as it is): the merged themes are
    removed, none of the team's writing with them. The researcher's
    decisions survive the merge: the target is pinned if any of the themes was, accepted if any
    was, and keeps the name of ``keep_name_of`` (the target when None) with that theme's
    ``name_edited`` flag, so an edited name stays protected from reruns."""
    theme_ids: Sequence[int]
    target_id: int
    keep_name_of: int | None = None

    def describe(self) -> str:
        n = len(set(self.theme_ids) | {self.target_id})
        return f"Merge {plural(n, 'theme')}"

    def run(self, tx: Tx) -> None:
        target = tx.get("themes", self.target_id)
        if target is None:
            raise ValueError(f"no theme {self.target_id}")
        merged_rows = [r for r in (tx.get("themes", t) for t in self.theme_ids
                                   if t != self.target_id) if r is not None]
        rows = [target, *merged_rows]
        values: dict[str, Any] = {"pinned": int(any(r["pinned"] for r in rows))}
        if any(r["status"] == "accepted" for r in rows):
            values["status"] = "accepted"
        named = next((r for r in rows if r["id"] == self.keep_name_of), target)
        values.update(name=named["name"], name_edited=named["name_edited"])
        for col in _WRITTEN:
            values[col] = _joined(r[col] for r in rows)
        for tid in self.theme_ids:
            if tid == self.target_id:
                continue
            merged = tx.get("themes", tid)
            if merged is None:
                continue
            # Merging a theme into one of its own sub-themes: the target takes the merged
            # theme's place in the tree first, so that no theme becomes its own ancestor.
            if tid in line_up(_parents(tx), self.target_id)[1:]:
                tx.update("themes", self.target_id, {"parent_id": merged["parent_id"]})
            for table, col in (("card_places", "theme_id"), ("themes", "parent_id"),
                               ("codings", "theme_id"), ("evidence", "theme_id"),
                               ("dot_votes", "theme_id")):
                pk = PRIMARY_KEYS[table]
                for row in tx.query(f"SELECT {', '.join(pk)} FROM {table} WHERE {col} = ?",
                                    (tid,)):
                    tx.update(table, tuple(row), {col: self.target_id})
            for (mid,) in tx.query("SELECT id FROM memos WHERE target_kind = 'theme' AND "
                                   "target_id = ?", (tid,)):
                tx.update("memos", mid, {"target_id": self.target_id})
            base = tx.scalar("SELECT coalesce(max(position), -1) FROM recommendations "
                             "WHERE theme_id = ?", (self.target_id,))
            for i, row in enumerate(tx.query("SELECT id FROM recommendations WHERE theme_id = ? "
                                             "ORDER BY position", (tid,))):
                tx.update("recommendations", row[0],
                          {"theme_id": self.target_id, "position": base + 1 + i})
            tx.delete("themes", tid)
        tx.update("themes", self.target_id, values)
        refresh_keywords(tx, [self.target_id])


def refresh_keywords(tx: Tx, theme_ids: Iterable[int | None]) -> None:
    """Inside an operation that changed which cards some themes hold: the keywords of those
    of them that have any (the themes a theme-finding run made) found again from the cards
    they hold now, by the run's own rule (``labels.theme_keywords`` over every card on the
    board, the unsorted ones read for how the texts use names), so the Details panel and the
    report describe the theme as it is: "Walking & transit" that took in the Nashville rail
    cards no longer reads "turns, Scottsville". Written through ``tx``, so undo brings the
    run's words back exactly. A theme left with no card has none; themes the team made keep
    having none. Kept as the run found them: a theme with sub-themes (its words are its
    whole cluster's, which its parts share out), and every theme on a board of more than
    ``REFRESH_UP_TO`` cards, where reading them all would hold the window (review: a sample
    let generic words in, and a name the unsorted cards use as one). Inside a ``Batch``,
    once at its end for every theme its operations changed."""
    ids = sorted({int(t) for t in theme_ids if t is not None})
    if tx.keywords_later is not None:
        tx.keywords_later.update(ids)
        return
    if not ids:
        return
    marks = ",".join("?" for _ in ids)
    stale = [r[0] for r in tx.query(
        f"SELECT id FROM themes t WHERE id IN ({marks}) AND keywords NOT IN ('', '[]') AND "
        "NOT EXISTS (SELECT 1 FROM themes s WHERE s.parent_id = t.id)", ids)]
    if not stale or card_count(tx) > REFRESH_UP_TO:
        return
    import numpy as np      # with labels: never on the window's way up
    from .people import known_names
    from .themes.labels import theme_keywords
    rows = tx.query(f"SELECT text, theme_id FROM ({CARDS_SQL}) ORDER BY kind, id")
    index = {t: i for i, t in enumerate(sorted({r[1] for r in rows if r[1] is not None}))}
    labels = np.array([index[r[1]] if r[1] is not None else -1 for r in rows], np.int64)
    found = theme_keywords([r[0] for r in rows], labels, len(index),
                           people=known_names(tx)) if index else []
    for tid in stale:       # as the run shows them ("London", "VPN", but "mall")
        words = found[index[tid]] if tid in index else []
        tx.update("themes", tid, {"keywords": json.dumps(words)})


# Past this many cards on the board a move keeps the run's keywords: reading and counting every
# card cost 1.4 s a move on bench_ui's big project (40,000 placed of 120,000), on the window's
# thread, and a drop of 100 cards froze its 5,000-card board 229 ms; 0.05-0.08 s on QA's 728
# cards (bench_ui measures a move at this many).
REFRESH_UP_TO = 3000


# A theme's own writing, in the report's per-theme paragraphs: kept through a merge.
_WRITTEN = ("description", "summary_shared", "summary_want")


def _joined(texts: Iterable[str | None]) -> str:
    """The themes' texts one after the other (blank ones and repeats left out)."""
    kept: dict[str, str] = {}          # stripped -> as written
    for text in texts:
        if (text or "").strip():
            kept.setdefault(text.strip(), text)
    if len(kept) == 1:                  # one theme's text: exactly as written
        return next(iter(kept.values()))
    return "\n\n".join(kept)


def _parents(tx: Tx) -> dict[int, int | None]:
    """Each theme's parent as the tree stands now, for the walks of ``synth.themes.tree``."""
    return dict(tx.query("SELECT id, parent_id FROM themes"))


@dataclass
class DeleteTheme(Operation):
    """Remove a theme. Its cards go to its parent theme, or to the unsorted pile; its
    sub-themes move up one level. What was written or linked on it goes with it, memos
    included (none is left pointing at no theme), so that undo brings all of it back; the
    window asks first (``ui.board.asking``)."""
    theme_id: int

    def describe(self) -> str:
        return "Delete theme"

    def run(self, tx: Tx) -> None:
        theme = tx.get("themes", self.theme_id)
        if theme is None:
            return
        parent = theme["parent_id"]
        for row in tx.query("SELECT id FROM themes WHERE parent_id = ?", (self.theme_id,)):
            tx.update("themes", row[0], {"parent_id": parent})
        cards = [tuple(r) for r in tx.query(
            "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (self.theme_id,))]
        place_cards(tx, cards, parent)  # type: ignore[arg-type]
        for (mid,) in tx.query("SELECT id FROM memos WHERE target_kind = 'theme' AND "
                               "target_id = ?", (self.theme_id,)):
            tx.delete("memos", mid)
        tx.delete("themes", self.theme_id)
        if cards:                       # its cards went to its parent (review)
            refresh_keywords(tx, [parent])


@dataclass
class SplitTheme(Operation):
    """Split a theme into parts: each part becomes a sub-theme (or, with
    ``as_subthemes=False``, a theme beside it) holding its cards. ``status``: the parts'
    ("accepted" when the researcher names a part, "candidate" when the machine does). A split
    by similarity gives each part its ``keywords`` and the ``run_id`` of the run that made it."""
    theme_id: int
    parts: Sequence[tuple[str, Sequence[CardRef]]]
    as_subthemes: bool = True
    status: str = "accepted"     # "candidate" for parts the machine made and named
    keywords: Sequence[Sequence[str]] = ()      # each part's, in order; none: no keywords
    run_id: int | None = None

    def describe(self) -> str:
        return f"Split theme into {len(self.parts)}"

    def run(self, tx: Tx) -> list[int]:
        theme = tx.get("themes", self.theme_id)
        if theme is None:
            raise UserError("The theme was deleted while it was being split; nothing was "
                            "written.")
        parent = self.theme_id if self.as_subthemes else theme["parent_id"]
        words = self.keywords or [()] * len(self.parts)
        return [CreateTheme(name, cards, parent_id=parent, status=self.status, keywords=kw,
                            run_id=self.run_id).run(tx)
                for (name, cards), kw in zip(self.parts, words, strict=True)]


@dataclass
class CastDots(Operation):
    """Dot voting in a synthesis session: one person's dots on one theme, stored as data."""
    theme_id: int
    voter: str
    dots: int = 1

    def describe(self) -> str:
        return f"{self.voter} votes for a theme"

    def run(self, tx: Tx) -> int:
        from .project import now_iso
        (vid,) = tx.insert("dot_votes", {"theme_id": self.theme_id, "voter": self.voter,
                                         "dots": self.dots, "cast_at": now_iso()})
        return vid


@dataclass
class ClearDots(Operation):
    """Every dot taken off the board at once: a second round of dot voting starts from none.
    One undo step, so the first round's dots come back with Undo."""

    def describe(self) -> str:
        return "Clear the dots for a new round"

    def run(self, tx: Tx) -> int:
        return tx.delete_where("dot_votes", "1 = 1")


@dataclass
class Batch(Operation):
    """Several operations as one undo step (e.g. accept all candidate themes)."""
    operations: Sequence[Operation]
    label: str = "Several changes"

    def describe(self) -> str:
        return self.label

    def run(self, tx: Tx) -> list[Any]:
        if tx.keywords_later is not None:     # inside another batch
            return [op.run(tx) for op in self.operations]
        tx.keywords_later = set()
        try:        # the keywords once for the batch (accept all suggestions), not per move
            out = [op.run(tx) for op in self.operations]
            later = tx.keywords_later
        finally:
            tx.keywords_later = None
        refresh_keywords(tx, later)
        return out


# --------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class Card:
    kind: str
    id: int
    text: str
    source_id: int
    source_kind: str
    source_name: str
    site: str
    theme_id: int | None

    @property
    def ref(self) -> CardRef:
        return (self.kind, self.id)


# The board's one definition of its cards: moderated-out, meta and empty statements and
# facilitators' turns stay in the project but off the board. ``y``/``x``: place in the theme.
CARDS_SQL = """
SELECT 'statement' AS kind, s.id, s.text, s.source_id, src.kind AS source_kind,
       src.name AS source_name, src.site AS site, cp.theme_id,
       coalesce(cp.y, 0) AS y, coalesce(cp.x, 0) AS x
  FROM statements s JOIN sources src ON src.id = s.source_id
  LEFT JOIN card_places cp ON cp.card_kind = 'statement' AND cp.card_id = s.id
 WHERE s.moderation >= 0 AND s.is_meta = 0 AND s.text != ''
UNION ALL
SELECT 'note', n.id, n.text, n.source_id, src.kind, src.name,
       CASE WHEN n.site != '' THEN n.site ELSE src.site END, cp.theme_id,
       coalesce(cp.y, 0), coalesce(cp.x, 0)
  FROM notes n JOIN sources src ON src.id = n.source_id
  LEFT JOIN card_places cp ON cp.card_kind = 'note' AND cp.card_id = n.id
UNION ALL
SELECT 'passage', p.id, substr(d.text, p.start + 1, p.end - p.start), d.source_id, src.kind,
       src.name, CASE WHEN d.site != '' THEN d.site ELSE src.site END, cp.theme_id,
       coalesce(cp.y, 0), coalesce(cp.x, 0)
  FROM passages p JOIN documents d ON d.id = p.document_id JOIN sources src ON src.id = d.source_id
  LEFT JOIN card_places cp ON cp.card_kind = 'passage' AND cp.card_id = p.id
 WHERE p.speaker_role != 'facilitator'
"""


def card_count(project: Any) -> int:
    """How many cards the board holds, from counts alone (milliseconds on a big study)."""
    return int(project.scalar(
        "SELECT (SELECT count(*) FROM statements WHERE moderation >= 0 AND is_meta = 0 "
        "AND text != '') + (SELECT count(*) FROM notes) + "
        "(SELECT count(*) FROM passages WHERE speaker_role != 'facilitator')") or 0)


def cards(project: Any, *, theme_id: int | None | str = "any") -> list[Card]:
    """Every card on the board (see ``CARDS_SQL``). ``theme_id=None``: the unsorted pile."""
    rows = project.query(f"SELECT * FROM ({CARDS_SQL}) ORDER BY kind, id")
    out = [Card(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7]) for r in rows]
    if theme_id != "any":
        out = [c for c in out if c.theme_id == theme_id]
    return out


def card_text(project: Any, card: CardRef) -> str:
    kind, cid = card
    if kind == "statement":
        return project.scalar("SELECT text FROM statements WHERE id = ?", (cid,)) or ""
    if kind == "note":
        return project.scalar("SELECT text FROM notes WHERE id = ?", (cid,)) or ""
    row = project.query("SELECT substr(d.text, p.start + 1, p.end - p.start) FROM passages p "
                        "JOIN documents d ON d.id = p.document_id WHERE p.id = ?", (cid,))
    return row[0][0] if row else ""


@dataclass(frozen=True)
class Theme:
    id: int
    parent_id: int | None
    name: str
    colour: str
    status: str
    pinned: bool
    name_edited: bool
    position: int
    keywords: tuple[str, ...]
    description: str


def themes(project: Any) -> list[Theme]:
    rows = project.query("SELECT * FROM themes ORDER BY coalesce(parent_id, 0), position, id")
    return [Theme(r["id"], r["parent_id"], r["name"], r["colour"], r["status"], bool(r["pinned"]),
                  bool(r["name_edited"]), r["position"], tuple(json.loads(r["keywords"])),
                  r["description"]) for r in rows]


def theme_cards(project: Any, theme_id: int, *, recursive: bool = False,
                tree: "ThemeTree | None" = None) -> list[CardRef]:
    """The cards lying in a theme (``recursive``: or in its sub-themes), by kind and id. One
    query; ``tree``: the themes read once by a caller going theme by theme (an export)."""
    if not recursive:
        ids: Sequence[int] = [theme_id]
    elif tree is not None:
        ids = tree.subtree(theme_id)
    else:
        return [(r[0], r[1]) for r in project.query(
            f"{_SUBTREE_SQL} SELECT card_kind, card_id FROM card_places WHERE theme_id IN sub "
            "ORDER BY card_kind, card_id", (theme_id,))]
    marks = ",".join("?" for _ in ids)
    return [(r[0], r[1]) for r in project.query(
        f"SELECT card_kind, card_id FROM card_places WHERE theme_id IN ({marks}) "
        "ORDER BY card_kind, card_id", ids)]


# A theme and its sub-themes, level by level in SQLite (UNION: a loop of parents ends): the
# rows of one subtree come back, not every theme of the project to walk it in Python.
_SUBTREE_SQL = ("WITH RECURSIVE sub(id) AS (SELECT ? UNION "
                "SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id)")


@dataclass(frozen=True)
class ThemeWork:
    """The team's work hanging on some themes, which deleting them deletes too (and which a
    rerun of discovery never deletes): counts, and how many have a description or summaries."""
    recommendations: int = 0
    evidence: int = 0           # theirs, their recommendations' and their codings'
    codings: int = 0
    dots: int = 0
    memos: int = 0
    described: int = 0
    summarised: int = 0

    def __bool__(self) -> bool:
        return any(astuple(self))


def theme_work(db: Any, theme_ids: Sequence[int]) -> ThemeWork:
    """``db``: a project or an operation's Tx (both read with ``scalar``)."""
    ids = [int(t) for t in theme_ids]
    if not ids:
        return ThemeWork()
    marks = ",".join("?" for _ in ids)

    def count(sql: str) -> int:
        return int(db.scalar(sql.replace("{ids}", marks), [*ids] * sql.count("{ids}")) or 0)
    ws = "' ' || char(9) || char(10) || char(13)"
    return ThemeWork(
        count("SELECT count(*) FROM recommendations WHERE theme_id IN ({ids})"),
        count("SELECT count(*) FROM evidence WHERE theme_id IN ({ids}) OR recommendation_id "
              "IN (SELECT id FROM recommendations WHERE theme_id IN ({ids})) OR (item_kind = "
              "'coding' AND item_id IN (SELECT id FROM codings WHERE theme_id IN ({ids})))"),
        count("SELECT count(*) FROM codings WHERE theme_id IN ({ids})"),
        count("SELECT coalesce(sum(dots), 0) FROM dot_votes WHERE theme_id IN ({ids})"),
        count("SELECT count(*) FROM memos WHERE target_kind = 'theme' AND target_id IN ({ids})"),
        count(f"SELECT count(*) FROM themes WHERE id IN ({{ids}}) "
              f"AND trim(description, {ws}) != ''"),
        count(f"SELECT count(*) FROM themes WHERE id IN ({{ids}}) AND (trim(summary_shared, "
              f"{ws}) != '' OR trim(summary_want, {ws}) != '')"))


@dataclass(frozen=True)
class DotResult:
    """One theme's share of a dot vote: its rank (tied themes share one), its dots and who
    gave them (each name as first typed: "Sam" and "sam" are one voter, as for the dots each
    voter has left: ``voter_key``)."""
    rank: int
    theme_id: int
    name: str
    dots: int
    voters: tuple[str, ...]


def voter_key(name: str) -> str:
    """One voter however their name was typed again: spaces and ASCII case left out, as the
    presentation's dots-left count compares names (SQLite's NOCASE: "Sam" and "sam" are one,
    "Zoë" and "ZOË" two, so the ranking counts people as the allowance did)."""
    return " ".join(name.split()).translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def dot_results(project: Any, into: Mapping[int, int] | None = None) -> list[DotResult]:
    """The themes that received dots, most dots first (then most voters, then board order);
    themes with the same dots and voters share a rank. ``into``: count each theme's dots for
    the theme it maps to (a sub-theme's for its chapter's theme), leaving out themes it does
    not map (the report's: themes it has no chapter for)."""
    totals: dict[int, int] = {}
    voters: dict[int, dict[str, str]] = {}      # theme -> voter key -> name as first typed
    for theme_id, voter, dots in project.query(
            "SELECT theme_id, voter, dots FROM dot_votes ORDER BY id"):
        if into is not None:
            if theme_id not in into:
                continue
            theme_id = into[theme_id]
        name = " ".join(str(voter).split())
        totals[theme_id] = totals.get(theme_id, 0) + int(dots)
        voters.setdefault(theme_id, {}).setdefault(voter_key(name), name)
    if not totals:
        return []
    themes = {r[0]: (r[1], r[2]) for r in project.query(
        f"SELECT id, name, position FROM themes WHERE id IN ({','.join('?' for _ in totals)})",
        list(totals))}
    order = sorted((t for t in totals if t in themes),
                   key=lambda t: (-totals[t], -len(voters[t]), themes[t][1], t))
    out: list[DotResult] = []
    for i, t in enumerate(order):
        tied = out and (out[-1].dots, len(out[-1].voters)) == (totals[t], len(voters[t]))
        out.append(DotResult(out[-1].rank if tied else i + 1, t, themes[t][0], totals[t],
                             tuple(voters[t].values())))
    return out


def dot_totals(results: Sequence[DotResult]) -> tuple[int, int]:
    """The dots of ``results`` (``dot_results``) and how many people gave them (``voter_key``:
    one person over several themes counted once)."""
    return (sum(r.dots for r in results),
            len({voter_key(v) for r in results for v in r.voters}))


def subtree(project: Any, theme_id: int) -> list[int]:
    """The theme and all its sub-themes, sorted. One theme's; a caller going through many
    themes reads a ``ThemeTree`` once instead."""
    return [r[0] for r in project.query(f"{_SUBTREE_SQL} SELECT id FROM sub ORDER BY id",
                                        (theme_id,))]


class ThemeTree:
    """Each theme's parent and sub-themes, read once: a caller going theme by theme (the
    report's themes, the board image's panels) walks it in memory instead of reading every
    theme again for each one, which grew with the square of the themes."""

    def __init__(self, parents: Mapping[int, int | None]) -> None:
        self.parents = dict(parents)
        self.children = sub_themes(parents)

    @classmethod
    def read(cls, project: Any) -> "ThemeTree":
        """The project's themes in board order (position, then id)."""
        return cls({r[0]: r[1] for r in project.query(
            "SELECT id, parent_id FROM themes ORDER BY position, id")})

    def depth_first(self) -> list[int]:
        """Every top-level theme followed by its sub-themes, depth first, in the order the
        tree was given (board order when read): the order recommendations are numbered in."""
        out: list[int] = []
        todo = [t for t, parent in reversed(self.parents.items()) if parent is None]
        while todo:
            tid = todo.pop()
            out.append(tid)
            todo.extend(reversed(self.children.get(tid, [])))
        return out

    def subtree(self, theme_id: int) -> list[int]:
        """As ``subtree``: the theme and all its sub-themes, sorted."""
        return sorted(_walk(self.children, [theme_id]))


def subtrees(parents: Mapping[int, int | None], roots: Iterable[int]) -> set[int]:
    """The ``roots`` and all their sub-themes, from each theme's parent."""
    return _walk(sub_themes(parents), roots)


def _walk(children: Mapping[int, Sequence[int]], roots: Iterable[int]) -> set[int]:
    out: set[int] = set()
    todo = list(roots)
    while todo:
        t = todo.pop()
        if t not in out:
            out.add(t)
            todo.extend(children.get(t, ()))
    return out


def sub_themes(parents: Mapping[int, int | None]) -> dict[int, list[int]]:
    """Each theme's sub-themes (those that have any), from each theme's parent."""
    children: dict[int, list[int]] = {}
    for tid, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(tid)
    return children
