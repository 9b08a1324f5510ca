"""Removing a source: an import undone after the fact (the wrong file, a total row taken for a
note, a transcript split wrongly). One operation, so Undo brings every row back: the source's
statements with their votes, notes, documents with their passages and codings, participants
with their characteristics and opinion-group memberships, and what cites its cards (their
places on the board, evidence, quotes). Themes, recommendations and the team's other work stay;
a theme left empty stays, with its name."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import UserError
from .words import and_list, plural
from .operations import Operation, Tx


@dataclass
class SourceContents:
    """What removing a source takes with it, to say before asking."""
    name: str
    kind: str
    cards: int = 0              # statements, notes and passages
    votes: int = 0
    participants: int = 0
    characteristics: int = 0    # participants' characteristic values
    codings: int = 0
    quotes: int = 0
    evidence: int = 0
    placed: int = 0             # cards lying in a theme

    def describe(self) -> str:
        """"the 607 cards (412 in themes), 225,040 votes, 3 quotes and 2 pieces of evidence"."""
        parts = []
        if self.cards:
            parts.append(plural(self.cards, "card")
                         + (f" ({self.placed:,} in themes)" if self.placed else ""))
        for n, one, many in ((self.votes, "vote", "votes"),
                             (self.participants, "participant", "participants"),
                             (self.characteristics, "characteristic value",
                              "characteristic values"),
                             (self.codings, "coding", "codings"),
                             (self.quotes, "quote", "quotes"),
                             (self.evidence, "piece of evidence", "pieces of evidence")):
            if n:
                parts.append(plural(n, one, many))
        return and_list(parts) or "nothing else"


_CARDS = ("SELECT 'statement', id FROM statements WHERE source_id = :s "
          "UNION ALL SELECT 'note', id FROM notes WHERE source_id = :s "
          "UNION ALL SELECT 'passage', p.id FROM passages p JOIN documents d "
          "ON d.id = p.document_id WHERE d.source_id = :s")


def source_contents(project: Any, source_id: int) -> SourceContents:
    row = project.query("SELECT name, kind FROM sources WHERE id = ?", (source_id,))
    if not row:
        raise UserError(f"There is no source {source_id} in this project")
    s = {"s": source_id}
    cards = f"SELECT * FROM ({_CARDS})"

    def n(sql: str) -> int:
        return int(project.scalar(sql, s) or 0)
    cited = (f"(item_kind, item_id) IN ({cards}) OR (item_kind = 'coding' AND item_id IN "
             f"(SELECT c.id FROM codings c JOIN documents d ON d.id = c.document_id "
             f"WHERE d.source_id = :s))")
    quoted = f"item_kind = 'quote' AND item_id IN (SELECT id FROM quotes WHERE {cited})"
    return SourceContents(
        row[0][0], row[0][1],
        cards=n(f"SELECT count(*) FROM ({_CARDS})"),
        votes=n("SELECT count(*) FROM votes WHERE statement_id IN (SELECT id FROM statements "
                "WHERE source_id = :s) OR participant_id IN (SELECT id FROM participants "
                "WHERE source_id = :s)"),
        participants=n("SELECT count(*) FROM participants WHERE source_id = :s"),
        characteristics=n("SELECT count(*) FROM participant_attributes WHERE source_id = :s "
                          "OR participant_id IN (SELECT id FROM participants "
                          "WHERE source_id = :s)"),
        codings=n("SELECT count(*) FROM codings c JOIN documents d ON d.id = c.document_id "
                  "WHERE d.source_id = :s"),
        quotes=n(f"SELECT count(*) FROM quotes WHERE {cited}"),
        evidence=n(f"SELECT count(*) FROM evidence WHERE {cited} OR {quoted}"),
        placed=n(f"SELECT count(*) FROM card_places WHERE (card_kind, card_id) IN ({cards})"))


@dataclass
class RemoveSource(Operation):
    """Remove one imported source and everything that came with it (see the module)."""
    source_id: int
    name: str = ""          # for the undo step's name before it runs (read when it runs)

    def describe(self) -> str:
        return f"Remove source “{self.name}”" if self.name else "Remove source"

    def run(self, tx: Tx) -> SourceContents:
        source = tx.get("sources", self.source_id)
        if source is None:
            raise UserError("That source was removed already; nothing was changed.")
        self.name = source["name"]
        s = {"s": self.source_id}
        people = "SELECT id FROM participants WHERE source_id = :s"
        said = "SELECT id FROM statements WHERE source_id = :s"
        removed = SourceContents(source["name"], source["kind"])
        # rows nothing cites, in one statement each (a debate has 100,000s of votes)
        removed.votes = tx.delete_where(
            "votes", f"statement_id IN ({said}) OR participant_id IN ({people})", s)
        removed.characteristics = tx.delete_where(
            "participant_attributes", f"source_id = :s OR participant_id IN ({people})", s)
        tx.delete_where("group_members", f"participant_id IN ({people})", s)
        tx.delete_where("run_places", f"(card_kind, card_id) IN ({_CARDS})", s)
        # notes of other sources that named one of these participants keep their words
        for (note,) in tx.query(f"SELECT id FROM notes WHERE participant_id IN ({people}) "
                                "AND source_id != :s", s):
            tx.update("notes", note, {"participant_id": None})
        before = len(tx.changes)
        for kind, card in tx.query(_CARDS, s):
            removed.cards += 1
            if kind != "passage":           # passages go with their document
                tx.delete(kind + "s", card)
        for (doc,) in tx.query("SELECT id FROM documents WHERE source_id = :s", s):
            tx.delete("documents", doc)
        for c in tx.changes[before:]:
            removed.codings += c.table == "codings"
            removed.quotes += c.table == "quotes"
            removed.evidence += c.table == "evidence"
            removed.placed += c.table == "card_places"
        for (person,) in tx.query(people, s):
            tx.delete("participants", person)
            removed.participants += 1
        tx.delete("sources", self.source_id)
        return removed
