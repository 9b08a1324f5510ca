"""REFI-QDA project export (.qdpx), so the work moves on to NVivo, ATLAS.ti, MAXQDA or QualCoder.

A .qdpx is a ZIP holding ``project.qde`` (QDA-XML 1.0) and the plain text of each source under
``sources/``. What goes in:

- **codes**: the themes, nested as on the board, with their colours (and memos as notes);
- **sources**: every transcript as its own text; the debate's statements and each workshop's
  notes as one text each, an item per line, so a card placed in a theme becomes a coded span;
- **codings**: the researcher's codings of transcript passages, and every card placed in a theme,
  as ``PlainTextSelection`` spans (start inclusive, end exclusive, counted in Unicode code points,
  which is how Python and the REFI-QDA standard both count);
- **cases and variables**: one case per participant with characteristics, their values as text
  variables.

GUIDs are derived from the project and the item (uuid5), so a second export of the same project
names the same things with the same GUIDs. The file is validated against Project.xsd before it
is written.
"""
from __future__ import annotations

import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lxml import etree

from synth.files import replacing
from synth.importers.common import xml_parser
from synth.people import NAME_COLUMNS

NS = "urn:QDA-XML:project:1.0"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "Project.xsd"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class QdpxInvalid(Exception):
    """The QDA-XML we made does not validate: a bug of ours, reported with the schema's words."""


@dataclass
class QdpxResult:
    path: Path
    sources: int
    codes: int
    codings: int
    cases: int


def _el(parent: Any, tag: str, **attrs: Any) -> Any:
    e = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for k, v in attrs.items():
        if v is not None:
            e.set(k, str(v))
    return e


def _clean(text: str) -> str:
    """XML 1.0 cannot hold some control characters; replace them one for one, so character
    positions stay the same."""
    return _XML_BAD.sub(" ", text)


def _colour(c: str) -> str | None:
    return c if re.fullmatch(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})", c or "") else None


class _Guids:
    def __init__(self, seed: str) -> None:
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, f"synth-project:{seed}")

    def __call__(self, *key: Any) -> str:
        return str(uuid.uuid5(self.ns, ":".join(map(str, key))))


def build_qde(project: Any, strip: bool = False) -> tuple[bytes, dict[str, str]]:
    """The project.qde XML and the plain texts it points to ({file name in sources/: text}).
    Participants' words (transcripts, statements, notes) as the report prints them
    (``content.item_words``): the researcher's confirmed redactions, e-mail addresses and phone
    numbers masked, each coded span moved with its words; ``strip``: names and staff numbers
    too, in participants' ids as well. Memos, themes' descriptions, documents' titles and
    participants' characteristics are masked the same way (a name column's values whole)."""
    from .content import (confirmed_redactions, document_redactions, item_words,
                          mask_personal_data, names_to_strip, words_keeping_places)
    guid = _Guids(project.meta("created", "") + str(project.path.name))
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
    root.set("name", project.path.stem)
    root.set("origin", "Synth")
    user = guid("user", "synth")
    root.set("creatingUserGUID", user)
    root.set("creationDateTime", now)
    users = _el(root, "Users")
    _el(users, "User", guid=user, name="Synth")
    # each coder a user of their own, so their codings stay theirs (agreement between coders)
    coder_guid = {"": user}
    from coding.passages import coders
    for name in coders(project):
        coder_guid[name] = guid("user", "coder", name)
        _el(users, "User", guid=coder_guid[name], name=_clean(name))
    texts: dict[str, str] = {}
    names_held = names_to_strip(project, strip)     # the same names every export masks

    def masked(text: str) -> str:
        """A text of the project's own that is not an item's (a memo, a theme's description, a
        document's title, a characteristic's value) masked as the items' words are: e-mail
        addresses and phone numbers always, names and staff numbers too when stripping."""
        return _clean(mask_personal_data(text, names=strip, known=names_held))

    # ---- codes: the theme tree
    themes = project.query("SELECT id, parent_id, name, description, colour FROM themes "
                           "ORDER BY position, id")
    memos = project.query("SELECT id, target_kind, target_id, text, author, created FROM memos")
    theme_memos: dict[int, list[int]] = {}
    for m in memos:
        if m["target_kind"] == "theme" and m["target_id"] is not None:
            theme_memos.setdefault(m["target_id"], []).append(m["id"])
    if themes:
        codes = _el(_el(root, "CodeBook"), "Codes")
        children: dict[Any, list[Any]] = {}
        for t in themes:
            children.setdefault(t["parent_id"], []).append(t)
        known = {t["id"] for t in themes}
        from .content import theme_names
        printed = theme_names(project)      # a name the analysis made, as the report prints it

        def add(parent_el: Any, t: Any) -> None:
            c = _el(parent_el, "Code", guid=guid("code", t["id"]), name=printed[t["id"]],
                    isCodable="true", color=_colour(t["colour"]))
            if (t["description"] or "").strip():
                _el(c, "Description").text = masked(t["description"])
            for mid in theme_memos.get(t["id"], []):
                _el(c, "NoteRef", targetGUID=guid("memo", mid))
            for child in children.get(t["id"], []):
                add(c, child)
        for t in themes:
            if t["parent_id"] is None or t["parent_id"] not in known:
                add(codes, t)

    # ---- variables and cases: participants' characteristics
    attrs = project.query("SELECT a.participant_id, p.external_id, a.name, a.value FROM "
                          "participant_attributes a JOIN participants p ON p.id = "
                          "a.participant_id ORDER BY a.participant_id, a.name")
    names = sorted({r[2] for r in attrs})
    if names:
        variables = _el(root, "Variables")
        for n in names:
            _el(variables, "Variable", guid=guid("variable", n), name=n, typeOfVariable="Text")
        cases = _el(root, "Cases")
        by_pid: dict[int, list[Any]] = {}
        for r in attrs:
            by_pid.setdefault(r[0], []).append(r)
        for pid, rows in by_pid.items():
            who = mask_personal_data(str(rows[0][1]), names=strip, known=names_held)
            case = _el(cases, "Case", guid=guid("case", pid), name=f"Participant {who}")
            for r in rows:
                vv = _el(case, "VariableValue")
                _el(vv, "VariableRef", targetGUID=guid("variable", r[2]))
                # a name column's value is a name whatever it looks like ("Kwame", "J. Doe")
                named = strip and str(r[2]).strip().lower() in NAME_COLUMNS and \
                    str(r[3] or "").strip()
                _el(vv, "TextValue").text = "[name]" if named else masked(str(r[3] or ""))
    n_cases = len({r[0] for r in attrs})

    # ---- sources with their coded spans
    sources = _el(root, "Sources")
    n_codings = 0

    def text_source(key: tuple, name: str, text: str,
                    spans: list[tuple[int, int, int, str, str]]) -> None:
        """spans: (start, end, theme id, key of the span, coder)"""
        nonlocal n_codings
        g = guid("source", *key)
        fname = f"{g}.txt"
        texts[fname] = _clean(text)
        src = _el(sources, "TextSource", guid=g, name=name,
                  plainTextPath=f"internal://{fname}", creatingUser=user, creationDateTime=now)
        for start, end, theme_id, skey, coder in sorted(spans):
            who = coder_guid.get(coder, user)
            sel = _el(src, "PlainTextSelection", guid=guid("selection", *key, skey, theme_id),
                      name=_clean(text[start:end][:60]), startPosition=start, endPosition=end,
                      creatingUser=who, creationDateTime=now)
            coding = _el(sel, "Coding", guid=guid("coding", *key, skey, theme_id),
                         creatingUser=who, creationDateTime=now)
            _el(coding, "CodeRef", targetGUID=guid("code", theme_id))
            n_codings += 1

    redacted = confirmed_redactions(project)
    in_documents = document_redactions(project, redacted)
    placed = {(r[0], r[1]): r[2] for r in project.query(
        "SELECT card_kind, card_id, theme_id FROM card_places")}
    for d in project.query("SELECT d.id, d.title, d.text, d.site FROM documents d ORDER BY d.id"):
        # one coding per span, code and coder; a card placed in a theme adds its span once
        spans: dict[tuple[int, int, int, str], str] = {}
        for c in project.query("SELECT id, theme_id, start, end, coder FROM codings WHERE "
                               "document_id = ? ORDER BY start, id", (d[0],)):
            spans.setdefault((c[2], min(c[3], len(d[2])), c[1], c[4]), f"coding{c[0]}")
        coded = {(s, e, t) for s, e, t, _ in spans}
        for p in project.query("SELECT id, start, end FROM passages WHERE document_id = ?",
                               (d[0],)):
            tid = placed.get(("passage", p[0]))
            if tid is not None and (p[1], p[2], tid) not in coded:
                spans.setdefault((p[1], p[2], tid, ""), f"passage{p[0]}")
        name = masked(d[1] + (f" ({d[3]})" if d[3] and d[3] not in d[1] else ""))
        text, moved = words_keeping_places(d[2], in_documents.get(d[0], []), strip, names_held)
        at = [(moved(s), moved(e, True), t, k, who) for (s, e, t, who), k in spans.items()]
        text_source(("document", d[0]), name, text, [x for x in at if x[1] > x[0]])

    def lines_source(key: tuple, name: str, items: list[tuple[int, str]], kind: str) -> None:
        parts, spans, pos = [], [], 0
        for item_id, text in items:
            # redacted at the item's own places, then one item per line
            text = " ".join(item_words(project, kind, item_id, text, strip, redacted,
                                             names_held).split())
            tid = placed.get((kind, item_id))
            if tid is not None and text:
                spans.append((pos, pos + len(text), tid, f"{kind}{item_id}", ""))
            parts.append(text)
            pos += len(text) + 1
        text_source(key, name, "\n".join(parts), spans)

    for s in project.query("SELECT id, name FROM sources WHERE kind IN ('debate','tallies') "
                           "ORDER BY id"):
        items = [(r[0], r[1]) for r in project.query(
            "SELECT id, text FROM statements WHERE source_id = ? AND moderation >= 0 "
            "AND is_meta = 0 ORDER BY id", (s[0],))]
        if items:
            lines_source(("statements", s[0]), f"{s[1]}: statements", items, "statement")
    for s in project.query("SELECT id, name, site FROM sources WHERE kind = 'workshop' AND "
                           "EXISTS (SELECT 1 FROM notes n WHERE n.source_id = sources.id) "
                           "ORDER BY id"):
        items = [(r[0], r[1]) for r in project.query(
            "SELECT id, text FROM notes WHERE source_id = ? ORDER BY id", (s[0],))]
        lines_source(("notes", s[0]), f"{s[1]}: workshop notes", items, "note")

    # ---- notes: the memos
    if memos:
        notes = _el(root, "Notes")
        for m in memos:
            n = _el(notes, "Note", guid=guid("memo", m["id"]),
                    name=f"Memo on {m['target_kind']}")
            _el(n, "PlainTextContent").text = masked(m["text"] or "")
    project_memos = [m for m in memos if m["target_kind"] == "project"]
    for m in project_memos:
        _el(root, "NoteRef", targetGUID=guid("memo", m["id"]))
    if len(sources) == 0:
        root.remove(sources)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, texts


_schema_cache: list[Any] = []


def schema() -> Any:
    if not _schema_cache:
        _schema_cache.append(etree.XMLSchema(etree.parse(str(SCHEMA))))
    return _schema_cache[0]


def validate(xml: bytes) -> None:
    doc = etree.fromstring(xml, xml_parser())
    s = schema()
    if not s.validate(doc):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in list(s.error_log)[:5])
        raise QdpxInvalid(f"project.qde does not validate against Project.xsd: {errors}")


def write_qdpx(project: Any, path: str | os.PathLike[str],
               strip_personal_data: bool | None = None) -> QdpxResult:
    """``strip_personal_data``: mask personal data as the report does (``build_qde``; default:
    the project's choice, ``content.strip_requested``)."""
    from .content import strip_requested
    strip = strip_requested(project) if strip_personal_data is None else strip_personal_data
    xml, texts = build_qde(project, strip)
    validate(xml)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        for name, text in texts.items():
            z.writestr(f"sources/{name}", text.encode("utf-8"))
    root = etree.fromstring(xml, xml_parser())
    return QdpxResult(path, len(texts), len(root.findall(f".//{{{NS}}}Code")),
                      len(root.findall(f".//{{{NS}}}Coding")),
                      len(root.findall(f".//{{{NS}}}Case")))


def read_codings(path: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """(source name, code name, coded text) for every coding in a .qdpx: for tests and for
    checking a file before sending it on. Read as Synth imports it (hostile archives refused)."""
    from synth.importers.qdpx import read_qdpx
    data = read_qdpx(path)
    names = data.code_names()
    return [(s.name, names[c.code_guid], s.text[c.start:c.end])
            for s in data.sources for c in s.codings]
