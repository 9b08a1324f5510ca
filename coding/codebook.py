"""The codebook: themes as codes, nested, with counts, reorder, merge, memos and REFI-QDA `.qdc`.

A theme is a code (PRODUCT.md). The codebook is the theme tree ordered by ``position`` among
siblings. Counts per code: coded spans (``codings``), documents they touch, cards placed in the
theme on the board, and evidence linked to it; all with and without sub-themes.

`.qdc` files follow the REFI-QDA codebook schema (``refi_qda/Codebook.xsd``). Each code keeps a
stable GUID: the one it was imported with, else one derived from the project and the theme id,
so exporting twice gives the same file and other tools can match codes across exchanges.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from synth.board import MergeThemes
# QdcCode, add_codes and GUID_SETTING live in the engine, which imports codes from .qdpx
# projects too; they stay importable from here, where the codebook work uses them.
from synth.codes import GUID_SETTING, RGB_COLOUR, QdcCode, add_codes, read_code
from synth.errors import UserError
from synth.files import write_atomically
from synth.importers.common import xml_parser
from synth.operations import Operation, Tx
from synth.themes.tree import line_up

QDC_NS = "urn:QDA-XML:codebook:1.0"
XSD_PATH = Path(__file__).with_name("refi_qda") / "Codebook.xsd"
_GUID_NS = uuid.UUID("6f1c3a52-3e1e-4e0b-9d55-53594e54434f")


# --------------------------------------------------------------------------- reading
@dataclass
class CodeCounts:
    codings: int = 0        # coded spans
    documents: int = 0      # documents with at least one coded span
    cards: int = 0          # cards placed in the theme on the board
    evidence: int = 0       # evidence rows linked to the theme (not its recommendations)
    recommendations: int = 0

    def __add__(self, o: "CodeCounts") -> "CodeCounts":
        return CodeCounts(self.codings + o.codings, self.documents + o.documents,
                          self.cards + o.cards, self.evidence + o.evidence,
                          self.recommendations + o.recommendations)


@dataclass
class Code:
    id: int
    parent_id: int | None
    name: str
    description: str
    colour: str
    position: int
    status: str
    counts: CodeCounts = field(default_factory=CodeCounts)
    total: CodeCounts = field(default_factory=CodeCounts)   # with all sub-codes
    children: list["Code"] = field(default_factory=list)

    def walk(self) -> list["Code"]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


def code_counts(project: Any) -> dict[int, CodeCounts]:
    counts: dict[int, CodeCounts] = {}

    def get(tid: int) -> CodeCounts:
        return counts.setdefault(tid, CodeCounts())
    for tid, n, docs in project.query("SELECT theme_id, count(*), count(DISTINCT document_id) "
                                      "FROM codings GROUP BY theme_id"):
        get(tid).codings, get(tid).documents = n, docs
    for tid, n in project.query("SELECT theme_id, count(*) FROM card_places GROUP BY theme_id"):
        get(tid).cards = n
    for tid, n in project.query("SELECT theme_id, count(*) FROM evidence "
                                "WHERE theme_id IS NOT NULL GROUP BY theme_id"):
        get(tid).evidence = n
    for tid, n in project.query("SELECT theme_id, count(*) FROM recommendations GROUP BY theme_id"):
        get(tid).recommendations = n
    return counts


def codebook(project: Any, *, include_candidates: bool = True) -> list[Code]:
    """The code tree, top-level codes first, siblings by position."""
    counts = code_counts(project)
    rows = project.query("SELECT id, parent_id, name, description, colour, position, status "
                         "FROM themes ORDER BY position, id")
    nodes = {r[0]: Code(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                        counts.get(r[0], CodeCounts())) for r in rows}
    roots: list[Code] = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent else roots).append(node)

    def total(node: Code) -> CodeCounts:
        node.total = node.counts
        for child in node.children:
            node.total = node.total + total(child)
        return node.total
    for root in roots:
        total(root)
    if not include_candidates:
        roots = [r for r in roots if r.status != "candidate"]
    return roots


def flat_codes(project: Any) -> list[Code]:
    """Every code in tree order (depth first)."""
    return [c for root in codebook(project) for c in root.walk()]


# --------------------------------------------------------------------------- operations
def _renumber(tx: Tx, parent_id: int | None, order: Sequence[int]) -> None:
    for i, tid in enumerate(order):
        tx.update("themes", tid, {"position": i})


def _siblings(tx: Tx, parent_id: int | None, excluding: int | None = None) -> list[int]:
    return [r[0] for r in tx.query("SELECT id FROM themes WHERE parent_id IS ? "
                                   "ORDER BY position, id", (parent_id,)) if r[0] != excluding]


@dataclass
class MoveCode(Operation):
    """Put a code under ``parent_id`` (None: top level) at ``position`` among its new siblings
    (None: last). Siblings are renumbered 0, 1, 2 … so the order is exactly what was shown."""
    theme_id: int
    parent_id: int | None
    position: int | None = None

    def describe(self) -> str:
        return "Move code"

    def run(self, tx: Tx) -> None:
        theme = tx.get("themes", self.theme_id)
        if theme is None:
            raise ValueError(f"no theme {self.theme_id}")
        # through synth.themes.tree, which ends at a loop written into the parents (this walk
        # of its own went round such a loop for ever)
        if self.theme_id in line_up(dict(tx.query("SELECT id, parent_id FROM themes")),
                                    self.parent_id):
            raise ValueError("a code cannot be nested inside itself")
        old_parent = theme["parent_id"]
        tx.update("themes", self.theme_id, {"parent_id": self.parent_id})
        order = _siblings(tx, self.parent_id, excluding=self.theme_id)
        pos = len(order) if self.position is None else max(0, min(self.position, len(order)))
        order.insert(pos, self.theme_id)
        _renumber(tx, self.parent_id, order)
        if old_parent != self.parent_id:
            _renumber(tx, old_parent, _siblings(tx, old_parent))


@dataclass
class MergeCodes(Operation):
    """Merge codes into ``target_id`` (the board's ``MergeThemes``), then move their memos to
    the target and drop codings that became exact duplicates (same document, span and coder)."""
    theme_ids: Sequence[int]
    target_id: int

    def describe(self) -> str:
        n = len({*self.theme_ids, self.target_id})      # counted as MergeThemes counts
        return f"Merge {n} codes"

    def run(self, tx: Tx) -> None:
        others = [t for t in self.theme_ids if t != self.target_id]
        for tid in others:
            for (mid,) in tx.query("SELECT id FROM memos WHERE target_kind = 'theme' AND "
                                   "target_id = ?", (tid,)):
                tx.update("memos", mid, {"target_id": self.target_id})
        MergeThemes(others, self.target_id).run(tx)
        seen: set[tuple[Any, ...]] = set()
        for row in tx.query("SELECT id, document_id, start, end, coder FROM codings "
                            "WHERE theme_id = ? ORDER BY id", (self.target_id,)):
            key = tuple(row[1:])
            if key in seen:
                tx.delete("codings", row[0])
            seen.add(key)


@dataclass
class AddMemo(Operation):
    """A memo on a theme (code), statement, note, passage or the project (target_id None)."""
    target_kind: str
    target_id: int | None
    text: str
    author: str = ""

    def describe(self) -> str:
        return "Add memo"

    def run(self, tx: Tx) -> int:
        from synth.project import now_iso
        (mid,) = tx.insert("memos", {"target_kind": self.target_kind, "target_id": self.target_id,
                                     "text": self.text, "author": self.author,
                                     "created": now_iso()})
        return mid


@dataclass
class UpdateMemo(Operation):
    memo_id: int
    text: str

    def describe(self) -> str:
        return "Edit memo"

    def run(self, tx: Tx) -> None:
        tx.update("memos", self.memo_id, {"text": self.text})


@dataclass
class DeleteMemo(Operation):
    memo_id: int

    def describe(self) -> str:
        return "Delete memo"

    def run(self, tx: Tx) -> None:
        tx.delete("memos", self.memo_id)


def memos(project: Any, target_kind: str, target_id: int | None) -> list[dict[str, Any]]:
    return [dict(r) for r in project.query(
        "SELECT * FROM memos WHERE target_kind = ? AND target_id IS ? ORDER BY id",
        (target_kind, target_id))]


# --------------------------------------------------------------------------- REFI-QDA .qdc
def _project_seed(project: Any) -> str:
    return str(project.scalar("SELECT value FROM meta WHERE key = 'created'") or "synth")


def code_guid(project: Any, theme_id: int, known: dict[str, str] | None = None) -> str:
    known = project.setting(GUID_SETTING, {}) if known is None else known
    return known.get(str(theme_id)) or str(uuid.uuid5(_GUID_NS,
                                                      f"{_project_seed(project)}/{theme_id}"))


def qdc_xml(project: Any, *, include_candidates: bool = False) -> bytes:
    """The codebook as a REFI-QDA `.qdc` document (UTF-8 bytes)."""
    from lxml import etree
    known = project.setting(GUID_SETTING, {})
    root = etree.Element(f"{{{QDC_NS}}}CodeBook", nsmap={None: QDC_NS}, origin="Synth")
    codes_el = etree.SubElement(root, f"{{{QDC_NS}}}Codes")

    def add(parent: Any, code: Code) -> None:
        attrs = {"guid": code_guid(project, code.id, known), "name": code.name,
                 "isCodable": "true"}
        if RGB_COLOUR.match(code.colour or ""):
            attrs["color"] = code.colour.upper()
        el = etree.SubElement(parent, f"{{{QDC_NS}}}Code", attrs)
        if code.description:
            etree.SubElement(el, f"{{{QDC_NS}}}Description").text = code.description
        for child in code.children:
            add(el, child)
    roots = codebook(project, include_candidates=include_candidates)
    if not roots:
        raise UserError("the codebook is empty: there is no theme to export")
    for code in roots:
        add(codes_el, code)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def export_qdc(project: Any, path: str | Path, *, include_candidates: bool = False) -> Path:
    data = qdc_xml(project, include_candidates=include_candidates)
    problems = validate_qdc(data)
    if problems:  # a bug of ours, never the researcher's: fail before writing a bad file
        raise RuntimeError("exported codebook does not validate: " + "; ".join(problems))
    path = Path(path)
    write_atomically(path, data)
    return path


def validate_qdc(data: bytes | str | Path) -> list[str]:
    """Problems found validating a `.qdc` against the REFI-QDA schema (empty: valid)."""
    from lxml import etree
    schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    try:
        doc = etree.parse(str(data), xml_parser()) if isinstance(data, Path) else \
            etree.fromstring(data.encode() if isinstance(data, str) else data, xml_parser())
    except etree.XMLSyntaxError as e:
        return [f"not well-formed XML: {e}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def read_qdc(path_or_bytes: str | Path | bytes) -> list[QdcCode]:
    """Parse and validate a `.qdc` file; raises ``UserError`` naming the problem."""
    from lxml import etree
    raw = Path(path_or_bytes).read_bytes() if isinstance(path_or_bytes, (str, Path)) \
        else path_or_bytes
    name = str(path_or_bytes) if isinstance(path_or_bytes, (str, Path)) else "codebook"
    problems = validate_qdc(raw)
    if problems:
        raise UserError(f"{name}: not a REFI-QDA codebook ({problems[0]})")
    root = etree.fromstring(raw, xml_parser())

    def refuse(el: Any, message: str) -> UserError:
        return UserError(f"{name}: not a usable REFI-QDA codebook (line {el.sourceline}: "
                         f"{message})")
    seen: set[str] = set()
    return [read_code(c, QDC_NS, refuse, seen)
            for c in root.find(f"{{{QDC_NS}}}Codes").findall(f"{{{QDC_NS}}}Code")]


@dataclass
class ImportCodebook(Operation):
    """Add the codes of a `.qdc` under ``parent_id``. A code whose GUID is already known, or
    whose name matches a sibling, is reused (its empty description filled) rather than doubled.
    One undo step removes the whole import."""
    codes: Sequence[QdcCode]
    parent_id: int | None = None

    def describe(self) -> str:
        return "Import codebook"

    def run(self, tx: Tx) -> list[int]:
        return add_codes(tx, self.codes, self.parent_id)[0]


def import_qdc(project: Any, path: str | Path, *, parent_id: int | None = None) -> list[int]:
    """Read, validate and import a `.qdc` as one undoable operation; returns new theme ids."""
    return project.history.apply(ImportCodebook(read_qdc(path), parent_id))


def codebook_outline(project: Any, *, include_candidates: bool = False) -> list[dict[str, Any]]:
    """Names, descriptions, colours and nesting, without ids: for comparing codebooks."""
    def out(c: Code) -> dict[str, Any]:
        return {"name": c.name, "description": c.description, "colour": c.colour.lower(),
                "children": [out(x) for x in c.children]}
    return [out(c) for c in codebook(project, include_candidates=include_candidates)]
