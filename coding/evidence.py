"""Evidence: statements, notes, passages, quotes and coded spans linked to a theme (its
"what participants shared" / "what they want to see" summaries, role ``shared`` / ``want`` /
``support``) or to a recommendation, in the researcher's order, with the figures shown for them.

Every linked item resolves to where it came from (source, kind of source, city), so strength
and coverage checks and the report see the same facts as the panel.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from synth.operations import Operation, Tx
from synth.words import plural

from .figures import StatementFigures, statement_figures

ITEM_KINDS = ("statement", "note", "passage", "quote", "coding")
ROLES = ("support", "shared", "want")
ItemRef = tuple[str, int]


@dataclass(frozen=True)
class Origin:
    """Where an evidence item comes from, after following a quote to what it quotes."""
    kind: str                 # statement / note / passage / coding
    id: int
    text: str
    source_id: int | None
    source_kind: str          # debate / tallies / workshop / interview / document …
    source_name: str
    site: str                 # city; '' for the online debate

    @property
    def is_debate(self) -> bool:
        return self.kind == "statement"


def resolve(db: Any, kind: str, item_id: int) -> Origin | None:
    """The origin of an item (a quote resolves to the item it quotes, with the quoted text)."""
    if kind == "quote":
        from .quotes import quote
        row = db.query("SELECT item_kind, item_id FROM quotes WHERE id = ?", (item_id,))
        if not row:
            return None
        base = resolve(db, row[0][0], row[0][1])
        q = quote(db, item_id)
        return None if base is None or q is None else Origin(
            base.kind, base.id, q.text, base.source_id, base.source_kind, base.source_name,
            base.site)
    if kind == "statement":
        sql = ("SELECT s.text, s.source_id, src.kind, src.name, src.site FROM statements s "
               "JOIN sources src ON src.id = s.source_id WHERE s.id = ?")
    elif kind == "note":
        sql = ("SELECT n.text, n.source_id, src.kind, src.name, "
               "CASE WHEN n.site != '' THEN n.site ELSE src.site END FROM notes n "
               "JOIN sources src ON src.id = n.source_id WHERE n.id = ?")
    elif kind in ("passage", "coding"):
        table = "passages" if kind == "passage" else "codings"
        sql = ("SELECT substr(d.text, x.start + 1, x.end - x.start), d.source_id, src.kind, "
               "src.name, CASE WHEN d.site != '' THEN d.site ELSE src.site END "
               f"FROM {table} x JOIN documents d ON d.id = x.document_id "
               "JOIN sources src ON src.id = d.source_id WHERE x.id = ?")
    else:
        raise ValueError(f"not an evidence kind: {kind!r}")
    row = db.query(sql, (item_id,))
    if not row:
        return None
    text, sid, skind, sname, site = row[0]
    if kind == "statement":
        site = ""        # the debate is online: it has no city, whatever the source says
    return Origin(kind, item_id, text, sid, skind, sname, site or "")


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    theme_id: int | None
    recommendation_id: int | None
    item_kind: str
    item_id: int
    role: str
    position: int
    origin: Origin | None               # None: the item was deleted from the project
    attribution: str = ""               # quotes
    figures: StatementFigures | None = None   # statements (and quotes of statements)

    @property
    def text(self) -> str:
        return self.origin.text if self.origin else "(item no longer in the project)"

    def as_dict(self) -> dict[str, Any]:
        o = self.origin
        return {"evidence_id": self.id, "kind": self.item_kind, "id": self.item_id,
                "role": self.role, "text": self.text, "attribution": self.attribution,
                "source": o.source_name if o else None,
                "source_kind": o.source_kind if o else None, "site": o.site if o else None,
                "quotes": {"kind": o.kind, "id": o.id} if o and self.item_kind == "quote"
                else None,
                "figures": self.figures.as_dict() if self.figures else None}


def evidence(project: Any, *, theme_id: int | None = None,
             recommendation_id: int | None = None, role: str | None = None) -> list[EvidenceItem]:
    """Evidence linked to one theme (not its recommendations) or one recommendation, in order."""
    if (theme_id is None) == (recommendation_id is None):
        raise ValueError("give a theme or a recommendation")
    col, key = ("theme_id", theme_id) if theme_id is not None else \
        ("recommendation_id", recommendation_id)
    rows = project.query(f"SELECT * FROM evidence WHERE {col} = ? AND (? IS NULL OR role = ?) "
                         "ORDER BY position, id", (key, role, role))
    return with_figures(project, rows)


def with_figures(project: Any, rows: Sequence[Any]) -> list[EvidenceItem]:
    origins = [resolve(project, r["item_kind"], r["item_id"]) for r in rows]
    figures = statement_figures(project, [o.id for o in origins if o and o.is_debate])
    out = []
    for r, o in zip(rows, origins):
        attribution = ""
        if r["item_kind"] == "quote":
            attribution = project.scalar("SELECT attribution FROM quotes WHERE id = ?",
                                         (r["item_id"],)) or ""
        out.append(EvidenceItem(r["id"], r["theme_id"], r["recommendation_id"], r["item_kind"],
                                r["item_id"], r["role"], r["position"], o, attribution,
                                figures.get(o.id) if o and o.is_debate else None))
    return out


# --------------------------------------------------------------------------- operations
def _renumber(tx: Tx, col: str, key: int) -> None:
    for i, (eid,) in enumerate(tx.query(f"SELECT id FROM evidence WHERE {col} = ? "
                                        "ORDER BY position, id", (key,))):
        tx.update("evidence", eid, {"position": i})


@dataclass
class LinkEvidence(Operation):
    """Link items to a recommendation or a theme (with a role) at ``position`` (None: at the
    end). An item already linked there with the same role is not doubled. Returns the evidence
    ids (new or existing), one per item."""
    items: Sequence[ItemRef]
    recommendation_id: int | None = None
    theme_id: int | None = None
    role: str = "support"
    position: int | None = None

    def describe(self) -> str:
        n = len(self.items)
        return f"Link {plural(n, 'piece')} of evidence"

    def run(self, tx: Tx) -> list[int]:
        if (self.theme_id is None) == (self.recommendation_id is None):
            raise ValueError("link evidence to a theme or to a recommendation")
        if self.role not in ROLES:
            raise ValueError(f"not an evidence role: {self.role!r}")
        col, key, table = ("theme_id", self.theme_id, "themes") if self.theme_id is not None \
            else ("recommendation_id", self.recommendation_id, "recommendations")
        if tx.get(table, key) is None:
            raise ValueError(f"no {table[:-1]} {key}")
        order = [r[0] for r in tx.query(f"SELECT id FROM evidence WHERE {col} = ? "
                                        "ORDER BY position, id", (key,))]
        at = len(order) if self.position is None else max(0, min(self.position, len(order)))
        ids = []
        for kind, item_id in self.items:
            if kind not in ITEM_KINDS:
                raise ValueError(f"not an evidence kind: {kind!r}")
            if resolve(tx, kind, int(item_id)) is None:
                raise ValueError(f"no {kind} {item_id}")
            found = tx.scalar(f"SELECT id FROM evidence WHERE {col} = ? AND item_kind = ? AND "
                              "item_id = ? AND role = ?", (key, kind, int(item_id), self.role))
            if found is None:
                (found,) = tx.insert("evidence", {col: key, "item_kind": kind,
                                                  "item_id": int(item_id), "role": self.role,
                                                  "position": 0})
                order.insert(at, found)
                at += 1
            ids.append(found)
        for i, eid in enumerate(order):
            tx.update("evidence", eid, {"position": i})
        return ids


@dataclass
class UnlinkEvidence(Operation):
    evidence_ids: Sequence[int]

    def describe(self) -> str:
        return "Remove evidence"

    def run(self, tx: Tx) -> None:
        targets = set()
        for eid in self.evidence_ids:
            row = tx.get("evidence", eid)
            if row is None:
                continue
            targets.add(("theme_id", row["theme_id"]) if row["theme_id"] is not None
                        else ("recommendation_id", row["recommendation_id"]))
            tx.delete("evidence", eid)
        for col, key in sorted(targets):
            _renumber(tx, col, key)


@dataclass
class MoveEvidence(Operation):
    """Reorder one piece of evidence within its list."""
    evidence_id: int
    position: int

    def describe(self) -> str:
        return "Reorder evidence"

    def run(self, tx: Tx) -> None:
        row = tx.get("evidence", self.evidence_id)
        if row is None:
            raise ValueError(f"no evidence {self.evidence_id}")
        col = "theme_id" if row["theme_id"] is not None else "recommendation_id"
        order = [r[0] for r in tx.query(f"SELECT id FROM evidence WHERE {col} = ? "
                                        "ORDER BY position, id", (row[col],))]
        order.remove(self.evidence_id)
        order.insert(max(0, min(self.position, len(order))), self.evidence_id)
        for i, eid in enumerate(order):
            tx.update("evidence", eid, {"position": i})


__all__ = ["ITEM_KINDS", "ROLES", "Origin", "EvidenceItem", "resolve", "evidence",
           "with_figures", "LinkEvidence", "UnlinkEvidence", "MoveEvidence"]
