"""REFI-QDA projects (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or Synth: the codebook, the
text sources and their coded spans.

A .qdpx is a zip holding ``project.qde`` (QDA-XML) and, under ``sources/``, the files its sources
point to. It comes from someone else, so it is read as hostile:

- nothing is extracted to disk; the members read are read in memory, after ``check_zip`` has
  inflated each once (real sizes: zip bombs; no DTD or entity declarations: billion laughs,
  external entities). Audio, video, pictures and PDFs are never inflated, since never read;
- every member's name is checked, even of members never read: an absolute path, a ``..``
  component, a backslash, a drive letter or a symbolic link refuses the whole archive, as does a
  ``plainTextPath`` that leads out of ``sources/``. A path to a file outside the archive
  (``relative://``, ``absolute://``, ``file:``) is never followed: that source is skipped;
- the XML is parsed without entity expansion, DTDs or network;
- missing GUIDs, unknown codes, positions that are not whole numbers or lie outside the text
  refuse the archive with a message naming the file and the element.

What it becomes: codes as ``synth.codes.add_codes`` makes them for a `.qdc` too (nesting,
colours, descriptions, GUIDs kept); each text source a document with its passages, split into
speaker turns or paragraphs as ``import_document`` splits a transcript; each coding a coded span
of that document by the coder (the REFI-QDA user) who made it, with its passage card placed in
the code's theme as ``synth.coded_passages`` places it for a coding made in Synth. Sources Synth
cannot code (audio, video, pictures, PDFs, Word-only text), cases, variables and notes are listed
in the report, not imported.

Positions are code points into the plain text, as the standard counts. A text with Windows line
ends is stored with ``\\n`` and the positions after each dropped ``\\r`` move back by one, so every
coding keeps its words. The whole import is one operation: one undo step, all or nothing.
"""
from __future__ import annotations

import bisect
import json
import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codes import QdcCode, add_codes, read_code, refi_guid
from ..coded_passages import sync_coded_passages, trim_span
from ..errors import ImportProblem
from ..operations import Operation, Tx
from ..project import now_iso
from ..words import plural
from .common import check_file, check_zip, decode, xml_parser
from .documents import MAX_DOCUMENT_BYTES, DocumentText, skipped_warnings, split_document
from .report import ImportReport

MAX_QDPX_BYTES = 16 * 2**30          # the archive: media inside are never read, only listed
MAX_QDE_BYTES = 256 * 2**20          # project.qde
NEVER_READ = (".mp3", ".mp4", ".m4a", ".m4v", ".wav", ".wma", ".wmv", ".aac", ".ogg", ".oga",
              ".ogv", ".flac", ".avi", ".mov", ".mkv", ".webm", ".mpg", ".mpeg", ".jpg",
              ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".pdf", ".docx",
              ".doc", ".rtf", ".odt")
_DRIVE = re.compile(r"^[A-Za-z]:")
_OTHER_SOURCES = {"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio",
                  "VideoSource": "video"}


@dataclass
class QdpxCoding:
    code_guid: str
    start: int
    end: int
    coder: str
    created: str


@dataclass
class QdpxSource:
    guid: str
    name: str
    text: str
    codings: list[QdpxCoding] = field(default_factory=list)


@dataclass
class QdpxProject:
    """What a .qdpx holds that Synth imports, read and checked, nothing written yet."""
    name: str
    origin: str
    codes: list[QdcCode]
    sources: list[QdpxSource]
    skipped: list[str] = field(default_factory=list)     # "name (audio)"
    warnings: list[str] = field(default_factory=list)

    def code_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        stack = list(self.codes)
        while stack:
            c = stack.pop()
            out[c.guid] = c.name
            stack.extend(c.children)
        return out


# --------------------------------------------------------------------------- reading
def read_qdpx(path: str | os.PathLike[str]) -> QdpxProject:
    """Read and check a .qdpx without writing anything; raises ImportProblem."""
    path = Path(path)
    check_file(path, max_bytes=MAX_QDPX_BYTES, what="REFI-QDA projects")
    with check_zip(path, "REFI-QDA project (.qdpx)", scan=_readable) as zf:
        for info in zf.infolist():
            _check_member_name(path, info)
        archive = _Archive(path, zf)
        root = archive.project_xml()
        return _Reader(path, archive, root).read()


def _readable(info: zipfile.ZipInfo) -> bool:
    return not info.filename.lower().endswith(NEVER_READ)


def _check_member_name(path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    entry = f"entry “{name}” in {path.name}"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise ImportProblem(path, f"{entry} is an absolute path: refused, nothing imported")
    if ".." in parts:
        raise ImportProblem(path, f"{entry} climbs out of the archive: refused, nothing "
                                  "imported")
    if "\\" in name:
        raise ImportProblem(path, f"{entry} has a backslash in its name (a Windows path that "
                                  "could lead elsewhere): refused, nothing imported")
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        raise ImportProblem(path, f"{entry} is a symbolic link: refused, nothing imported")


class _Archive:
    """Members read in memory; only members ``check_zip`` inflated and checked."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.zf = zf
        self.members = {i.filename: i for i in zf.infolist() if not i.is_dir()}

    def read(self, name: str, limit: int, what: str) -> bytes:
        info = self.members[name]
        if not _readable(info):        # never inflated by check_zip: never read either
            raise ImportProblem(self.path, f"{what} is {name}, which Synth does not read")
        if info.file_size > limit:
            raise ImportProblem(self.path, f"{name} is {info.file_size / 1e6:,.0f} MB; Synth "
                                           f"reads at most {limit / 1e6:,.0f} MB")
        try:
            return self.zf.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as e:
            raise ImportProblem(self.path, f"damaged archive: {name} cannot be read ({e})") \
                from None

    def project_xml(self) -> Any:
        from lxml import etree
        name = next((n for n in self.members if n.lower() == "project.qde"), None)
        if name is None:
            raise ImportProblem(self.path, "no project.qde in the archive: not a REFI-QDA "
                                           "project")
        data = self.read(name, MAX_QDE_BYTES, "the project")
        try:
            root = etree.fromstring(data, xml_parser())
        except etree.XMLSyntaxError as e:
            raise ImportProblem(self.path, f"{name} is not well-formed XML (line {e.lineno}: "
                                           f"{e.msg})") from None
        if not isinstance(root.tag, str) or etree.QName(root).localname != "Project":
            raise ImportProblem(self.path, f"{name} is not a REFI-QDA project (its root "
                                           f"element is not <Project>)")
        return root


class _Reader:
    def __init__(self, path: Path, archive: _Archive, root: Any) -> None:
        from lxml import etree
        self.path, self.archive, self.root = path, archive, root
        self.ns = etree.QName(root).namespace
        self.users: dict[str, str] = {}
        self.code_guids: set[str] = set()
        self.skipped: list[str] = []
        self.warnings: list[str] = []

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def children(self, el: Any, tag: str) -> list[Any]:
        return [] if el is None else el.findall(self.q(tag))

    def problem(self, el: Any, message: str) -> ImportProblem:
        line = f" (line {el.sourceline})" if el is not None and el.sourceline else ""
        return ImportProblem(self.path, f"project.qde{line}: {message}")

    def read(self) -> QdpxProject:
        for users in self.children(self.root, "Users"):
            for u in self.children(users, "User"):
                self.users[refi_guid(u.get("guid"))] = u.get("name") or u.get("id") or ""
        codes = []
        for book in self.children(self.root, "CodeBook"):
            for holder in self.children(book, "Codes"):
                codes += [self.code(c) for c in self.children(holder, "Code")]
        sources: list[QdpxSource] = []
        for holder in self.children(self.root, "Sources"):
            for el in holder:
                if not isinstance(el.tag, str):
                    continue
                kind = el.tag.rsplit("}", 1)[-1]
                if kind == "TextSource":
                    s = self.text_source(el)
                    if s is not None:
                        sources.append(s)
                elif kind in _OTHER_SOURCES:
                    self.skipped.append(f"{el.get('name') or el.get('guid')} "
                                        f"({_OTHER_SOURCES[kind]})")
        left = []
        for tag, what in (("Cases", "Case"), ("Variables", "Variable"), ("Notes", "Note"),
                          ("Sets", "Set"), ("Links", "Link"), ("Graphs", "Graph")):
            n = sum(len(self.children(h, what)) for h in self.children(self.root, tag))
            if n:
                left.append(plural(n, what.lower()))
        if left:
            self.warnings.append(f"not imported (Synth takes codes, texts and codings from a "
                                 f".qdpx): {', '.join(left)}")
        if not sources and not codes:
            raise ImportProblem(self.path, "the project holds neither codes nor text sources "
                                           "Synth can import" + (
                                               f" (skipped: {', '.join(self.skipped)})"
                                               if self.skipped else ""))
        return QdpxProject(self.root.get("name") or self.path.stem,
                           self.root.get("origin") or "", codes, sources, self.skipped,
                           self.warnings)

    def code(self, el: Any) -> QdcCode:
        return read_code(el, self.ns, self.problem, self.code_guids)

    def text_source(self, el: Any) -> QdpxSource | None:
        guid = refi_guid(el.get("guid"))
        name = el.get("name") or ""
        if not guid:
            raise self.problem(el, f"the text source “{name or '?'}” has no GUID")
        name = name or guid
        text = self.source_text(el, name)
        if text is None:
            return None
        raw_length = len(text)
        text, moved = _unix_line_ends(text)
        source = QdpxSource(guid, name, text)
        whole = self.children(el, "Coding")
        if whole:
            self.warnings.append(f"“{name}”: {plural(len(whole), 'code')} on the whole source "
                                 "not imported (Synth codes spans of text)")
        for sel in self.children(el, "PlainTextSelection"):
            label = f"the selection “{sel.get('name') or sel.get('guid') or '?'}” in “{name}”"
            if not refi_guid(sel.get("guid")):
                raise self.problem(sel, f"{label} has no GUID")
            start, end = (self.position(sel, a, label) for a in ("startPosition",
                                                                 "endPosition"))
            if not 0 <= start <= end <= raw_length:
                raise self.problem(sel, f"{label} spans characters {start}–{end}, but the "
                                        f"text has {raw_length:,} characters")
            start, end = moved(start), moved(end)
            for coding in self.children(sel, "Coding"):
                refs = self.children(coding, "CodeRef")
                if not refs or not refi_guid(refs[0].get("targetGUID")):
                    raise self.problem(coding, f"a coding of {label} names no code")
                for ref in refs:
                    target = refi_guid(ref.get("targetGUID"))
                    if target not in self.code_guids:
                        raise self.problem(ref, f"a coding of {label} refers to code {target}, "
                                                "which the codebook does not have")
                    user = refi_guid(coding.get("creatingUser") or sel.get("creatingUser"))
                    source.codings.append(QdpxCoding(
                        target, start, end, self.users.get(user, ""),
                        coding.get("creationDateTime") or sel.get("creationDateTime") or ""))
        return source

    def position(self, el: Any, attribute: str, label: str) -> int:
        raw = (el.get(attribute) or "").strip()
        if not re.fullmatch(r"[+-]?\d{1,15}", raw):
            raise self.problem(el, f"{label}: {attribute} “{raw[:20]}” is not a whole number")
        return int(raw)

    def source_text(self, el: Any, name: str) -> str | None:
        ref = (el.get("plainTextPath") or "").strip()
        content = el.find(self.q("PlainTextContent"))
        if ref.lower().startswith("internal://"):
            member = self.internal_member(el, name, ref[len("internal://"):])
            data = self.archive.read(member, MAX_DOCUMENT_BYTES, f"the text of “{name}”")
            text = decode(Path(f"{self.path}, {member}"), data)
        elif ref:
            self.skipped.append(f"{name} (its text is a file outside the archive: {ref[:80]})")
            return None
        elif content is not None:
            text = "".join(content.itertext()) if len(content) else (content.text or "")
            if len(text) > MAX_DOCUMENT_BYTES:
                raise self.problem(content, f"the text of “{name}” is longer than "
                                            f"{MAX_DOCUMENT_BYTES:,} characters")
        elif el.get("richTextPath"):
            self.skipped.append(f"{name} (Word text only, no plain text)")
            return None
        else:
            self.skipped.append(f"{name} (no text)")
            return None
        if not text.strip():
            self.skipped.append(f"{name} (the text is empty)")
            return None
        return text

    def internal_member(self, el: Any, name: str, relative: str) -> str:
        parts = relative.replace("\\", "/").split("/")
        member = posixpath.normpath(posixpath.join("sources", relative))
        if (not relative or relative.startswith(("/", "\\")) or _DRIVE.match(relative)
                or ".." in parts or "\\" in relative or "\x00" in relative
                or not member.startswith("sources/")):
            raise self.problem(el, f"the text of “{name}” is said to be at “{relative[:80]}”, "
                                   "which climbs out of the archive's sources folder: refused, "
                                   "nothing imported")
        if member not in self.archive.members:
            raise self.problem(el, f"the text of “{name}” is said to be at {member}, which is "
                                   "not in the archive")
        return member


def _unix_line_ends(text: str) -> tuple[str, Any]:
    """``\\r\\n`` and ``\\r`` become ``\\n``; returns the text and a function taking a position
    in the original text to the same place in the new one."""
    if "\r" not in text:
        return text, lambda p: p
    dropped = [m.start() for m in re.finditer(r"\r(?=\n)", text)]   # the \r of each \r\n
    new = text.replace("\r\n", "\n").replace("\r", "\n")
    return new, lambda p: p - bisect.bisect_left(dropped, p)


# --------------------------------------------------------------------------- writing
@dataclass
class ImportQdpx(Operation):
    """Codes, documents with passages, and codings of a read .qdpx: one undo step."""
    data: QdpxProject
    path: str
    site: str = ""
    workshop: str = ""
    file: dict[str, str] | None = None      # the archive's fingerprint (fingerprints.py)
    notes: list[str] = field(default_factory=list)     # warnings found before reading it

    def describe(self) -> str:
        return f"Import {Path(self.path).name}"

    def run(self, tx: Tx) -> ImportReport:
        report = ImportReport(self.path, "qdpx", options={"site": self.site,
                                                          "workshop": self.workshop})
        made, theme_of = add_codes(tx, self.data.codes) if self.data.codes else ([], {})
        counts = {"documents": 0, "passages": 0, "codes": len(made), "codings": 0}
        blank = 0
        source_ids = []
        for src in self.data.sources:
            (sid,) = tx.insert("sources", {"kind": "document", "name": src.name,
                                           "path": self.path, "site": self.site,
                                           "workshop": self.workshop, "imported_at": now_iso()})
            (did,) = tx.insert("documents", {"source_id": sid, "title": src.name,
                                             "text": src.text, "site": self.site,
                                             "workshop": self.workshop})
            source_ids.append(sid)
            split = split_document(src.text)
            passages = _fit_to_codings(src.text, split.passages, src.codings)
            # a line kept out of the turns that may be someone's words, said as .docx says it
            for w in skipped_warnings(DocumentText(src.name, src.text, []),
                                      f"{Path(self.path).name}, {src.name}", split):
                report.warn(w)
            for p in passages:
                tx.insert("passages", {"document_id": did, "start": p.start, "end": p.end,
                                       "speaker": p.speaker, "speaker_role": p.role})
            seen = set()
            for c in src.codings:
                start, end = trim_span(src.text, c.start, c.end)
                key = (theme_of[c.code_guid], start, end, c.coder)
                if end <= start:
                    blank += 1
                    continue
                if key in seen:
                    continue
                seen.add(key)
                tx.insert("codings", {"theme_id": key[0], "document_id": did, "start": start,
                                      "end": end, "coder": c.coder,
                                      "created": c.created or now_iso()})
            sync_coded_passages(tx, did)
            _place_coded_split_passages(tx, did)
            counts["documents"] += 1
            counts["passages"] += len(passages)
            counts["codings"] += len(seen)
        if blank:
            report.warn(f"{plural(blank, 'coding')} of blank space only not imported")
        if self.data.skipped:
            report.warn(f"{plural(len(self.data.skipped), 'source')} Synth cannot code not "
                        f"imported: {'; '.join(self.data.skipped)}")
            counts["skipped sources"] = len(self.data.skipped)
        for w in [*self.data.warnings, *self.notes]:
            report.warn(w)
        report.counts = counts
        report.source_id = source_ids[0] if source_ids else None
        kept: dict[str, Any] = {"import": report.as_dict(), "qdpx": {
            "project": self.data.name, "origin": self.data.origin}}
        if self.file is not None:
            kept["file"] = self.file
        details = json.dumps(kept, ensure_ascii=False)
        for sid in source_ids:
            tx.update("sources", sid, {"details": details})
        return report


_LABEL = re.compile(r"^\s*(?P<speaker>[^\n:]{1,40}?)\s*:\s*$")


def _fit_to_codings(text: str, passages: list[Any], codings: list[QdpxCoding]) -> list[Any]:
    """A paragraph coded whole but for its speaker label ("Kwame: They stopped me twice.",
    the coded span "They stopped me twice.") becomes that span, Kwame's turn: the coded span
    is then one card, in the code's theme, not a second card beside an unsorted paragraph of
    the same words (QA 33). Other passages are kept as split."""
    from .documents import Passage, _role
    spans = sorted({trim_span(text, c.start, c.end) for c in codings})
    out = []
    for p in passages:
        fitted = p
        for s, e in spans:
            if not (p.start <= s < e <= p.end) or text[e:p.end].strip():
                continue
            prefix = text[p.start:s]
            if not prefix.strip():
                fitted = Passage(s, e, p.speaker, p.role)
                break
            m = _LABEL.match(prefix)
            if m and not p.speaker:
                who = m["speaker"].strip()
                fitted = Passage(s, e, who, _role(who))
                break
        out.append(fitted)
    return out


def _place_coded_split_passages(tx: Tx, document_id: int) -> None:
    """A turn or paragraph coded whole is its own coded passage (ApplyCode does not make a
    second card for it): it goes on the board in the theme of its first code, as a new coded
    passage does, so the work done in the other tool shows on the board."""
    for pid, tid in tx.query(
            "SELECT p.id, (SELECT c.theme_id FROM codings c WHERE c.document_id = p.document_id "
            "AND c.start = p.start AND c.end = p.end ORDER BY c.id LIMIT 1) FROM passages p "
            "WHERE p.document_id = ? AND p.origin = 'split' AND NOT EXISTS (SELECT 1 FROM "
            "card_places cp WHERE cp.card_kind = 'passage' AND cp.card_id = p.id) "
            "ORDER BY p.id", (document_id,)):
        if tid is not None:
            tx.insert("card_places", {"card_kind": "passage", "card_id": pid, "theme_id": tid})


def import_qdpx(project: Any, path: str | os.PathLike[str], *, site: str = "",
                workshop: str = "", file: dict[str, str] | None = None,
                notes: list[str] | None = None) -> ImportReport:
    """Read and check the whole archive, then import it as one undoable operation."""
    data = read_qdpx(path)
    if not _imported_before(project, file):  # the same bytes again: asked for (--again)
        _refuse_texts_held(project, data, Path(path))
    return project.history.apply(ImportQdpx(data, str(path), site, workshop, file,
                                            list(notes or ())))


def _lines(text: str) -> set[str]:
    return {" ".join(line.split()) for line in text.split("\n") if line.strip()}


def _imported_before(project: Any, file: dict[str, str] | None) -> bool:
    """Whether a source of these very bytes is in the project: their import again was then
    asked for (``fingerprints.check_new`` refuses it otherwise)."""
    if not file or not file.get("sha256"):
        return False
    for (details,) in project.query("SELECT details FROM sources WHERE details LIKE ?",
                                    (f"%{file['sha256']}%",)):
        try:
            if (json.loads(details).get("file") or {}).get("sha256") == file["sha256"]:
                return True
        except (ValueError, AttributeError):
            continue
    return False


def _refuse_texts_held(project: Any, data: QdpxProject, path: Path) -> None:
    """A .qdpx whose texts the project holds already, such as its own export come back from
    NVivo (QA 24: every card twice, 64 → 128 placed), is refused, naming those texts: a text
    is the project's when its GUID is one Synth's export gives this project's documents,
    statements or notes (``exports.refi_qda``: uuid5 of the project's creation time and file
    name), when it is word for word one of the project's documents, or when four in five of
    its lines (three at least) are lines of the project's documents, statements or notes (an
    export with a redaction, or of a copy of the project under another name)."""
    import uuid
    seed = (project.meta("created", "") or "") + str(project.path.name)
    ns = uuid.uuid5(uuid.NAMESPACE_URL, f"synth-project:{seed}")

    def guid(*key: Any) -> str:
        return str(uuid.uuid5(ns, ":".join(map(str, key))))
    own = {guid("source", "document", r[0]) for r in project.query("SELECT id FROM documents")}
    for (sid,) in project.query("SELECT id FROM sources"):
        own |= {guid("source", "statements", sid), guid("source", "notes", sid)}
    texts = {r[0] for r in project.query("SELECT text FROM documents")}
    known: set[str] = set()             # the project's lines: documents', statements', notes'
    for (text,) in project.query("SELECT text FROM documents UNION ALL SELECT text FROM "
                                 "statements UNION ALL SELECT text FROM notes"):
        known.update(_lines(text))

    def held_text(src: QdpxSource) -> bool:
        if src.text in texts:
            return True
        lines = _lines(src.text)        # a redaction changes a line or two, not the rest
        same = len(lines & known)
        return same >= 3 and same >= 0.8 * len(lines)
    held = [src for src in data.sources if src.guid.lower() in own or held_text(src)]
    if not held:
        return
    exported = any(src.guid.lower() in own for src in held)
    names = ", ".join(f"“{src.name}”" for src in held[:3]) + (
        f" and {len(held) - 3} more" if len(held) > 3 else "")
    codings = sum(len(src.codings) for src in held)
    raise ImportProblem(path, (
        "exported from this project" if exported else "holds texts this project has already")
        + f": {plural(len(held), 'text')} ({names}) with {plural(codings, 'coding')} are in "
        "the project; importing them would put each of their cards on the board a second time. "
        "Nothing was imported" + (
            f" (of its {plural(len(data.sources), 'text')}, "
            f"{len(data.sources) - len(held):,} are new: export them from the other tool on "
            "their own to import them)" if len(held) < len(data.sources) else ""))
