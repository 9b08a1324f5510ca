"""Codes from another tool: a REFI-QDA code tree added to the themes, GUIDs kept.

A theme is a code (PRODUCT.md). Codes that arrive from a file (a `.qdc` codebook, or the codebook
inside a `.qdpx` project) keep the GUID they came with, recorded in the ``GUID_SETTING`` setting,
so a second import of the same codes reuses their themes and an export hands the same GUIDs back.
This lives in the engine because the `.qdpx` importer adds codes too; the codebook work above it
(``coding.codebook``) builds on it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .board import next_colour
from .operations import Tx

GUID_SETTING = "refi_qda_guids"          # {theme_id: guid} of codes that came from a file
RGB_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


@dataclass
class QdcCode:
    guid: str
    name: str
    description: str
    colour: str
    codable: bool
    children: list["QdcCode"] = field(default_factory=list)


def refi_guid(value: str | None) -> str:
    """A REFI-QDA GUID as Synth keeps it: lower case, without braces or spaces around it, so
    ``{5B2C…}`` from one tool and ``5b2c…`` from another name the same code."""
    return (value or "").strip().strip("{}").lower()


def read_code(el: Any, namespace: str | None, refuse: Callable[[Any, str], Exception],
              seen: set[str] | None = None) -> QdcCode:
    """A REFI-QDA ``<Code>`` element (of a `.qdc` codebook or a `.qdpx` project) and the codes
    nested in it, as one QdcCode tree. ``refuse(element, message)`` makes the error raised for
    a code without a GUID or with a GUID already in ``seen`` (the codes read so far). Name,
    colour and GUID lose the spaces around them, which the schema's token types allow."""
    seen = set() if seen is None else seen
    q = (lambda tag: f"{{{namespace}}}{tag}") if namespace else (lambda tag: tag)
    name = (el.get("name") or "").strip()
    guid = refi_guid(el.get("guid"))
    if not guid:
        raise refuse(el, f"the code “{name or '?'}” has no GUID")
    if guid in seen:
        raise refuse(el, f"two codes have the same GUID {guid}")
    seen.add(guid)
    desc = el.find(q("Description"))
    return QdcCode(guid, name, (desc.text or "") if desc is not None else "",
                   (el.get("color") or "").strip(),
                   (el.get("isCodable") or "").strip() in ("true", "1"),
                   [read_code(c, namespace, refuse, seen) for c in el.findall(q("Code"))])


def add_codes(tx: Tx, codes: Sequence[QdcCode], parent_id: int | None = None
              ) -> tuple[list[int], dict[str, int]]:
    """Add code trees under ``parent_id``, for operations that import codes (a `.qdc`
    codebook, a `.qdpx` project): returns the new theme ids and the theme each code's GUID now
    names. A code whose GUID is already known, or whose name matches a sibling, is reused (its
    empty description filled) rather than doubled."""
    row = tx.get("settings", GUID_SETTING)
    known: dict[str, str] = json.loads(row["value"]) if row else {}
    by_guid = {g: int(t) for t, g in known.items()
               if tx.get("themes", int(t)) is not None}
    made: list[int] = []
    ids: dict[str, int] = {}

    def add(code: QdcCode, parent: int | None) -> None:
        tid = by_guid.get(code.guid)
        if tid is None:
            tid = tx.scalar("SELECT id FROM themes WHERE parent_id IS ? AND name = ?",
                            (parent, code.name))
        if tid is None:
            position = tx.scalar("SELECT coalesce(max(position), -1) + 1 FROM themes "
                                 "WHERE parent_id IS ?", (parent,))
            colour = code.colour if RGB_COLOUR.match(code.colour) else next_colour(tx)
            if len(colour) == 4:
                colour = "#" + "".join(ch * 2 for ch in colour[1:])
            (tid,) = tx.insert("themes", {"name": code.name or "Untitled code",
                                          "parent_id": parent, "position": position,
                                          "colour": colour.lower(),
                                          "description": code.description,
                                          "name_edited": 1})
            made.append(tid)
        elif code.description and not tx.scalar("SELECT description FROM themes "
                                                "WHERE id = ?", (tid,)):
            tx.update("themes", tid, {"description": code.description})
        known[str(tid)] = code.guid
        ids[code.guid] = tid
        for child in code.children:
            add(child, tid)
    for code in codes:
        add(code, parent_id)
    tx.upsert("settings", {"key": GUID_SETTING, "value": json.dumps(known)})
    return made, ids
