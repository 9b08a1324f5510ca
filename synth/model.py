"""The domain objects, read from a project: what every part of Synth passes around.

They are plain frozen dataclasses built from the project's rows (the project file is the one
source of truth; changes go through operations). Each carries its provenance: its source, and
where it came from inside it (row of the file, site, workshop, speaker).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass(frozen=True)
class Source:
    id: int
    kind: str                 # debate / workshop / interview / survey / tallies / characteristics
    name: str
    path: str
    site: str
    workshop: str
    imported_at: str
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Participant:
    id: int
    source_id: int
    external_id: str
    polis_group: int | None
    characteristics: tuple[tuple[str, str], ...] = ()

    def characteristic(self, name: str) -> str | None:
        return dict(self.characteristics).get(name)


@dataclass(frozen=True)
class Statement:
    id: int
    source_id: int
    external_id: str
    text: str
    author_id: int | None
    created: float | None
    moderation: int           # −1 rejected, 0 unmoderated, 1 accepted
    is_seed: bool
    is_meta: bool
    tallies: tuple[int, int, int] | None   # agree, disagree, pass — tally-only sources
    row_number: int | None

    @property
    def on_board(self) -> bool:
        return self.moderation >= 0 and not self.is_meta and bool(self.text)


@dataclass(frozen=True)
class Vote:
    statement_id: int
    participant_id: int
    value: int                # +1 agree, −1 disagree, 0 pass
    cast_at: float | None


@dataclass(frozen=True)
class Note:
    id: int
    source_id: int
    external_id: str
    text: str
    site: str
    workshop: str
    table_group: str
    activity: str             # keep / ditch / add …
    scenario: str
    colour: str
    dot_votes: int
    author_role: str
    participant_id: int | None
    row_number: int | None


@dataclass(frozen=True)
class Document:
    id: int
    source_id: int
    title: str
    text: str
    site: str
    workshop: str


@dataclass(frozen=True)
class Passage:
    id: int
    document_id: int
    start: int
    end: int
    speaker: str
    speaker_role: str
    origin: str               # split (at import) / coded (a span a researcher coded)

    def text(self, document: Document) -> str:
        return document.text[self.start:self.end]


def _rows(project: Any, sql: str) -> Iterator[Any]:
    yield from project.db.execute(sql)


def sources(project: Any) -> list[Source]:
    return [Source(r["id"], r["kind"], r["name"], r["path"], r["site"], r["workshop"],
                   r["imported_at"], json.loads(r["details"] or "{}"))
            for r in _rows(project, "SELECT * FROM sources ORDER BY id")]


def participants(project: Any) -> list[Participant]:
    attrs: dict[int, list[tuple[str, str]]] = {}
    for r in _rows(project, "SELECT participant_id, name, value FROM participant_attributes "
                            "ORDER BY participant_id, name"):
        attrs.setdefault(r[0], []).append((r[1], r[2]))
    return [Participant(r["id"], r["source_id"], r["external_id"], r["polis_group"],
                        tuple(attrs.get(r["id"], ())))
            for r in _rows(project, "SELECT * FROM participants ORDER BY id")]


def statements(project: Any) -> list[Statement]:
    out = []
    for r in _rows(project, "SELECT * FROM statements ORDER BY id"):
        tallies = None
        if r["agree_tally"] is not None:
            tallies = (r["agree_tally"], r["disagree_tally"] or 0, r["pass_tally"] or 0)
        out.append(Statement(r["id"], r["source_id"], r["external_id"], r["text"],
                             r["author_id"], r["created"], r["moderation"], bool(r["is_seed"]),
                             bool(r["is_meta"]), tallies, r["row_number"]))
    return out


def votes(project: Any) -> list[Vote]:
    return [Vote(r[0], r[1], r[2], r[3]) for r in _rows(
        project, "SELECT statement_id, participant_id, value, cast_at FROM votes "
                 "ORDER BY statement_id, participant_id")]


def notes(project: Any) -> list[Note]:
    return [Note(r["id"], r["source_id"], r["external_id"], r["text"], r["site"], r["workshop"],
                 r["table_group"], r["activity"], r["scenario"], r["colour"], r["dot_votes"],
                 r["author_role"], r["participant_id"], r["row_number"])
            for r in _rows(project, "SELECT * FROM notes ORDER BY id")]


def documents(project: Any) -> list[Document]:
    return [Document(r["id"], r["source_id"], r["title"], r["text"], r["site"], r["workshop"])
            for r in _rows(project, "SELECT * FROM documents ORDER BY id")]


def passages(project: Any) -> list[Passage]:
    return [Passage(r["id"], r["document_id"], r["start"], r["end"], r["speaker"],
                    r["speaker_role"], r["origin"])
            for r in _rows(project, "SELECT * FROM passages ORDER BY id")]


def everything(project: Any) -> dict[str, list[Any]]:
    """All domain objects of a project, for comparisons (round trips, tests)."""
    return {"sources": sources(project), "participants": participants(project),
            "statements": statements(project), "votes": votes(project), "notes": notes(project),
            "documents": documents(project), "passages": passages(project)}
