"""Codes on passages: a coder applies codes (themes) to character spans of a document.

Offsets are Python characters (code points) into ``documents.text``, as the importer and
REFI-QDA count them. A selection is trimmed of surrounding white space before it is stored, so
that the same words selected with or without the trailing blank give the same coding.

Every coded span is also a card: each distinct span that carries a code has a ``passages`` row
(``origin='coded'``, unless an imported passage has exactly that span), which the board shows and
which can be linked as evidence or quoted. A new coded passage is placed in the theme of its
first code. When the last code leaves a span, its coded passage goes too, unless it is evidence
or a quote — research work is never dropped silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from synth.coded_passages import sync_coded_passages, trim_span  # shared with the .qdpx import
from synth.operations import Operation, Tx
from synth.project import now_iso
from synth.words import plural


# --------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Document:
    id: int
    title: str
    text: str
    site: str
    workshop: str
    source_id: int
    source_kind: str


@dataclass(frozen=True)
class Coding:
    id: int
    theme_id: int
    document_id: int
    start: int
    end: int
    coder: str
    created: str
    code_name: str
    colour: str
    text: str


@dataclass(frozen=True)
class Segment:
    """A stretch of a document with the same set of codes: what the viewer highlights."""
    start: int
    end: int
    theme_ids: tuple[int, ...]
    colours: tuple[str, ...]


def documents(project: Any) -> list[Document]:
    rows = project.query("SELECT d.id, d.title, d.text, "
                         "CASE WHEN d.site != '' THEN d.site ELSE s.site END, "
                         "CASE WHEN d.workshop != '' THEN d.workshop ELSE s.workshop END, "
                         "d.source_id, s.kind FROM documents d JOIN sources s "
                         "ON s.id = d.source_id ORDER BY d.id")
    return [Document(*r) for r in rows]


def document(project: Any, document_id: int) -> Document | None:
    return next((d for d in documents(project) if d.id == document_id), None)


def codings(project: Any, *, document_id: int | None = None, coder: str | None = None,
            theme_id: int | None = None) -> list[Coding]:
    where, params = [], []
    for col, value in (("c.document_id", document_id), ("c.coder", coder),
                       ("c.theme_id", theme_id)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    sql = ("SELECT c.id, c.theme_id, c.document_id, c.start, c.end, c.coder, c.created, t.name, "
           "t.colour, substr(d.text, c.start + 1, c.end - c.start) FROM codings c "
           "JOIN themes t ON t.id = c.theme_id JOIN documents d ON d.id = c.document_id"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY c.document_id, c.start, c.end, c.id")
    return [Coding(*r) for r in project.query(sql, params)]


def coders(project: Any) -> list[str]:
    """The named coders of the project's codings (codings with no coder name are left out)."""
    return [r[0] for r in project.query(
        "SELECT DISTINCT coder FROM codings WHERE coder != '' ORDER BY coder")]


def segments(project: Any, document_id: int, *, coder: str | None = None) -> list[Segment]:
    """Non-overlapping highlighted stretches, in document order."""
    return segments_of(codings(project, document_id=document_id, coder=coder))


def segments_of(cs: list[Coding]) -> list[Segment]:
    """``segments`` of one document's codings already read (in ``codings``' order)."""
    bounds = sorted({c.start for c in cs} | {c.end for c in cs})
    out: list[Segment] = []
    for a, b in zip(bounds, bounds[1:]):
        here = [c for c in cs if c.start <= a and c.end >= b]
        if not here:
            continue
        ids: list[int] = []
        colours: list[str] = []
        for c in here:
            if c.theme_id not in ids:
                ids.append(c.theme_id)
                colours.append(c.colour)
        out.append(Segment(a, b, tuple(ids), tuple(colours)))
    return out


def coded_passage_id(project: Any, document_id: int, start: int, end: int) -> int | None:
    """The passage (card) of a coded span."""
    return project.scalar("SELECT id FROM passages WHERE document_id = ? AND start = ? AND end = ? "
                          "ORDER BY origin = 'coded', id LIMIT 1", (document_id, start, end))


# --------------------------------------------------------------------------- operations
def _document_text(tx: Tx, document_id: int) -> str:
    text = tx.scalar("SELECT text FROM documents WHERE id = ?", (document_id,))
    if text is None:
        raise ValueError(f"no document {document_id}")
    return text


@dataclass
class ApplyCode(Operation):
    """Apply one or more codes to a span of a document, as ``coder``. A code the coder already
    put on exactly this span is not doubled. Returns the ids of the codings (new or existing)."""
    document_id: int
    start: int
    end: int
    theme_ids: Sequence[int]
    coder: str = ""

    def describe(self) -> str:
        n = len(self.theme_ids)
        return f"Code passage with {plural(n, 'code')}"

    def run(self, tx: Tx) -> list[int]:
        text = _document_text(tx, self.document_id)
        start, end = trim_span(text, self.start, self.end)
        if end <= start:
            raise ValueError("the selection holds no text to code")
        ids = []
        for tid in self.theme_ids:
            if tx.get("themes", tid) is None:
                raise ValueError(f"no code {tid}")
            found = tx.scalar("SELECT id FROM codings WHERE theme_id = ? AND document_id = ? "
                              "AND start = ? AND end = ? AND coder = ?",
                              (tid, self.document_id, start, end, self.coder))
            if found is None:
                (found,) = tx.insert("codings", {"theme_id": tid, "document_id": self.document_id,
                                                 "start": start, "end": end, "coder": self.coder,
                                                 "created": now_iso()})
            ids.append(found)
        sync_coded_passages(tx, self.document_id)
        return ids


@dataclass
class RemoveCodings(Operation):
    """Remove codings by id (the coded passage goes with the last of them)."""
    coding_ids: Sequence[int]

    def describe(self) -> str:
        return "Remove code" if len(self.coding_ids) == 1 else "Remove codes"

    def run(self, tx: Tx) -> None:
        docs = set()
        for cid in self.coding_ids:
            row = tx.get("codings", cid)
            if row:
                docs.add(row["document_id"])
                tx.delete("codings", cid)
        for d in sorted(docs):
            sync_coded_passages(tx, d)


@dataclass
class Uncode(Operation):
    """Take codes off a selection: codings of ``theme_ids`` (all codes if None) by ``coder``
    (any coder if None) lose the selected characters; a coding that straddles the selection is
    cut in two."""
    document_id: int
    start: int
    end: int
    theme_ids: Sequence[int] | None = None
    coder: str | None = None

    def describe(self) -> str:
        return "Un-code selection"

    def run(self, tx: Tx) -> None:
        a, b = min(self.start, self.end), max(self.start, self.end)
        for row in tx.query("SELECT * FROM codings WHERE document_id = ? AND start < ? AND "
                            "end > ? ORDER BY id", (self.document_id, b, a)):
            c = dict(row)
            if self.theme_ids is not None and c["theme_id"] not in self.theme_ids:
                continue
            if self.coder is not None and c["coder"] != self.coder:
                continue
            pieces = [(s, e) for s, e in ((c["start"], a), (b, c["end"])) if e > s]
            if not pieces:
                tx.delete("codings", c["id"])
                continue
            tx.update("codings", c["id"], {"start": pieces[0][0], "end": pieces[0][1]})
            for s, e in pieces[1:]:
                tx.insert("codings", {k: v for k, v in c.items() if k != "id"} |
                          {"start": s, "end": e})
        sync_coded_passages(tx, self.document_id)


@dataclass
class Recode(Operation):
    """Change a coding's code, or its span (re-trimmed)."""
    coding_id: int
    theme_id: int | None = None
    start: int | None = None
    end: int | None = None

    def describe(self) -> str:
        return "Re-code passage"

    def run(self, tx: Tx) -> None:
        row = tx.get("codings", self.coding_id)
        if row is None:
            raise ValueError(f"no coding {self.coding_id}")
        values: dict[str, Any] = {}
        if self.theme_id is not None:
            if tx.get("themes", self.theme_id) is None:
                raise ValueError(f"no code {self.theme_id}")
            values["theme_id"] = self.theme_id
        if self.start is not None or self.end is not None:
            text = _document_text(tx, row["document_id"])
            s, e = trim_span(text, self.start if self.start is not None else row["start"],
                             self.end if self.end is not None else row["end"])
            if e <= s:
                raise ValueError("the new span holds no text")
            values |= {"start": s, "end": e}
        tx.update("codings", self.coding_id, values)
        sync_coded_passages(tx, row["document_id"])
