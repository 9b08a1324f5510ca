"""Transcripts and notes documents (.docx, .txt), split into passages.

A passage is a character span of the document's text. Speaker turns (``Facilitator:``,
``P3:``, ``Participant 4:``, ``Sam (facilitator):``) make passages when the document has them;
otherwise each paragraph does. Offsets are counted in Python characters (code points) of the
stored text, which is also what REFI-QDA counts.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportProblem
from ..project import Project, now_iso
from .common import check_file, check_zip, decode, plural
from .report import ImportReport

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

_TURN = re.compile(
    r"^\s*(?P<speaker>(?:[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}?(?:\s*\([^)]{1,40}\))?|P\d+))"
    r"\s*:\s+(?=\S)")
_HEADER_LABELS = {"date", "time", "venue", "location", "workshop", "site", "title", "duration",
                  "session", "recording", "table", "notes", "transcript", "present", "attendees",
                  "subject", "project", "interviewer id", "file"}
_FACILITATOR = re.compile(r"facilitat|moderat|interviewer|researcher|host", re.I)


@dataclass
class Passage:
    start: int
    end: int
    speaker: str
    role: str


def read_document_text(path: Path) -> tuple[str, str]:
    """(title, text) of a .docx or .txt file."""
    check_file(path, max_bytes=MAX_DOCUMENT_BYTES, what="documents")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".txt", ".md", ".text", ""):
        text = decode(path, path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise ImportProblem(path, "the document is empty")
        return path.stem, text
    raise ImportProblem(path, f"cannot read {suffix} documents; use .docx or .txt")


def _read_docx(path: Path) -> tuple[str, str]:
    check_zip(path, "Word").close()
    try:
        return _docx_text(path)
    except ImportProblem:
        raise
    except Exception as e:  # python-docx raises many kinds on damaged files, while reading too
        raise ImportProblem(path, f"cannot read this Word file ({type(e).__name__}: "
                                  f"{str(e)[:200]})") from None


def _docx_text(path: Path) -> tuple[str, str]:
    import docx  # python-docx parses with lxml and resolve_entities=False
    document = docx.Document(str(path))
    title = (document.core_properties.title or "").strip()
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            paragraphs.append(" | ".join(c for c in cells if c))
    text = "\n".join(paragraphs).strip("\n")
    if not text.strip():
        raise ImportProblem(path, "the document holds no text")
    return title or path.stem, text


def split_passages(text: str) -> list[Passage]:
    """Speaker turns if at least two lines start with ``Name:``, else paragraphs."""
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    turns = [(i, m) for i, line in enumerate(lines) if (m := _TURN.match(line))]
    # A transcript's header ("Date: …", "Venue: …") looks like speaker turns. Labels that are
    # metadata words, or that occur once before any speaker has spoken twice, are header.
    counts: dict[str, int] = {}
    for _, m in turns:
        counts[m.group("speaker").strip()] = counts.get(m.group("speaker").strip(), 0) + 1
    first_real = next((k for k, (_, m) in enumerate(turns)
                       if counts[m.group("speaker").strip()] > 1), 0)
    turns = [(i, m) for k, (i, m) in enumerate(turns)
             if m.group("speaker").strip().lower() not in _HEADER_LABELS
             and (k >= first_real or counts[m.group("speaker").strip()] > 1)]
    out: list[Passage] = []
    if len(turns) >= 2:
        for k, (i, m) in enumerate(turns):
            end_line = turns[k + 1][0] if k + 1 < len(turns) else len(lines)
            start = offsets[i] + m.end()
            end = offsets[end_line - 1] + len(lines[end_line - 1])
            # trim trailing blank lines and spaces
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            speaker = m.group("speaker").strip()
            role = "facilitator" if _FACILITATOR.search(speaker) else "participant"
            out.append(Passage(start, end, speaker, role))
        return out
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        start = offsets[i] + (len(line) - len(line.lstrip()))
        out.append(Passage(start, start + len(stripped), "", ""))
    return out


def import_document(project: Project, path: str | os.PathLike[str], *, site: str = "",
                    workshop: str = "", kind: str = "workshop", title: str | None = None,
                    participants: int | None = None) -> ImportReport:
    """One transcript or notes document as a source with its passages. ``participants``: how
    many people took part in that workshop or table (the report's headline figures use it)."""
    path = Path(path)
    if kind not in ("workshop", "interview", "document"):
        raise ImportProblem(path, f"unknown document kind “{kind}”")
    doc_title, text = read_document_text(path)
    passages = split_passages(text)
    report = ImportReport(str(path), kind, options={"site": site, "workshop": workshop})
    if not passages:
        raise ImportProblem(path, "no passages found in the document")
    with project.transaction() as db:
        sid = int(db.execute(
            "INSERT INTO sources(kind, name, path, site, workshop, imported_at) "
            "VALUES (?,?,?,?,?,?)",
            (kind, title or doc_title, str(path), site, workshop, now_iso())).lastrowid)
        did = int(db.execute("INSERT INTO documents(source_id, title, text, site, workshop) "
                             "VALUES (?,?,?,?,?)",
                             (sid, title or doc_title, text, site, workshop)).lastrowid)
        db.executemany("INSERT INTO passages(document_id, start, end, speaker, speaker_role) "
                       "VALUES (?,?,?,?,?)",
                       [(did, p.start, p.end, p.speaker, p.role) for p in passages])
        speakers = {p.speaker for p in passages if p.speaker}
        report.source_id = sid
        report.counts = {"documents": 1, "passages": len(passages), "speakers": len(speakers)}
        if not speakers:
            report.warn("no speaker turns found (lines like “P3: …”): split into "
                        f"{plural(len(passages), 'paragraph')}")
        details: dict[str, object] = {"import": report.as_dict()}
        if participants is not None:
            if not isinstance(participants, int) or participants < 0:
                raise ImportProblem(path, f"participants must be a whole number, not "
                                          f"{participants!r}")
            details["participants"] = participants
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps(details, ensure_ascii=False), sid))
    return report
