"""Transcripts and notes documents (.docx, .txt, and .vtt/.srt subtitles), split into passages.

A passage is a character span of the document's text. Speaker turns (``Facilitator:``,
``P3:``, ``Participant 4:``, ``Sam (facilitator):``, with or without a time stamp as
transcription tools write them: ``[00:04:12] P4:``, ``00:04:12 P4:``, ``P4 (00:04:12):``,
``P4 [00:04]:``, ``P4 - …`` or ``Speaker 1  0:03`` alone on a line above the words) make passages when the
document has them; otherwise each paragraph does. Lines before the first turn (a title, "Date:",
"Venue:", a recording note) are the header and become no passage; every line kept out of the
passages is listed with its reason (``split_document``), and a labelled line taken as header is
a warning of the import. Zoom's and Teams' WebVTT transcripts and SubRip files are read cue by
cue (``subtitles.read_subtitles``): their text is one line per speaker turn, without the time
stamps.
Offsets are counted in Python characters (code points) of the stored text, which is also what
REFI-QDA counts.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportProblem
from ..project import Project, now_iso
from .common import check_file, check_zip, decode, plural
from .report import ImportReport

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
SOURCE_KINDS = ("workshop", "interview", "document")

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A name, "Speaker 2" in any case, or a name with a role: "Sam (facilitator)" (not a time stamp)
_NAME = (r"(?:(?i:speaker)\s*\d+|[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}?"
         r"(?:\s*\((?!\s*" + _TIME + r"\s*\))[^)]{1,40}\))?)")
_STAMP_BEFORE = r"(?P<before>[\[(]?" + _TIME + r"[\])]?\s*[-–—|]?\s*)?"
_TURN = re.compile(r"^\s*" + _STAMP_BEFORE + r"(?P<speaker>" + _NAME + r")"
                   r"(?P<after>\s*[\[(]" + _TIME + r"[\])])?\s*:\s+(?=\S)")
# "P5 - words": a dash parts the words only from a label that names a speaker (below)
_DASH_TURN = re.compile(r"^\s*" + _STAMP_BEFORE + r"(?P<speaker>" + _NAME + r")"
                        r"(?P<after>\s*[\[(]" + _TIME + r"[\])])?\s+[-–—]\s+(?=\S)")
# Otter, Teams, Rev, Zoom: the speaker and a time stamp alone on a line, the words below
_SPEAKER_LINE = re.compile(r"^\s*" + _STAMP_BEFORE + r"\[?(?P<speaker>" + _NAME + r")\]?"
                           r"(?P<after>\s*[\[(]" + _TIME + r"[\])]|\s+" + _TIME + r")\s*:?\s*$")
_HEADER_LABELS = {"date", "time", "venue", "location", "workshop", "site", "title", "duration",
                  "session", "recording", "table", "notes", "transcript", "present", "attendees",
                  "subject", "project", "interviewer id", "file", "recorded by", "transcribed by",
                  "facilitators", "topic", "language", "length", "interview date",
                  "participant id", "interviewee id"}
_FACILITATOR = re.compile(r"facilitat|moderat|interviewer|researcher|host", re.I)
_ROLES = r"(?:co-?)?facilitator|moderator|interviewer|interviewee|researcher|host|chair|q|a"
# Labels that name a speaker even if they speak once: P3, Participant 4, Speaker B, Chair 2,
# Sam (HR). The letter stands apart: "Participants:" heads a list of names, it is no turn.
_SPEAKER_LABEL = re.compile(
    r"p\s*\d+|(?:participant|speaker|respondent|person|voice)(?:\s*\d+|\s+[a-z]\b)"
    r"|(?:" + _ROLES + r")\s*\d+|.*\(.+\)", re.I)
# A role alone names a speaker only when it speaks again or its line reads as speech:
# "Chair: Cllr Tom Baker" in a header says who chairs
_ROLE_LABEL = re.compile(_ROLES, re.I)
_PERSON_NAME = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z0-9][\w.'’-]*){0,3}")
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*\s*$")


@dataclass
class Passage:
    start: int
    end: int
    speaker: str
    role: str


@dataclass
class Skipped:
    """A line of the document that becomes no passage."""
    line: int           # index in text.split("\n")
    start: int
    end: int
    reason: str
    warn: bool          # it may be someone's words: the import says so in its warnings


@dataclass
class Split:
    passages: list[Passage]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def speakers(self) -> dict[str, int]:
        """Turns per speaker, in the order they first speak."""
        out: dict[str, int] = {}
        for p in self.passages:
            if p.speaker:
                out[p.speaker] = out.get(p.speaker, 0) + 1
        return out


@dataclass
class DocumentText:
    title: str
    text: str
    places: list[str]   # where each line of ``text`` is in the file: "paragraph 3", "line 7"
    split: Split | None = None  # subtitles: the turns their cues make, known from reading them

    def place(self, line: int) -> str:
        return self.places[line] if 0 <= line < len(self.places) else f"line {line + 1}"


def document_split(doc: DocumentText) -> Split:
    """The passages ``doc`` makes: its subtitle cues' turns, else its text split into turns."""
    return doc.split if doc.split is not None else split_document(doc.text)


def read_document(path: Path) -> DocumentText:
    """The title and text of a .docx or .txt file, and where each line of it comes from."""
    check_file(path, max_bytes=MAX_DOCUMENT_BYTES, what="documents")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".txt", ".md", ".text", "", ".vtt", ".srt"):
        text = decode(path, path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise ImportProblem(path, "the document is empty")
        from .subtitles import read_subtitles, subtitles_format  # it builds on DocumentText
        if suffix in (".vtt", ".srt") or subtitles_format(text):
            return read_subtitles(path, text, suffix)
        return DocumentText(path.stem, text, [f"line {i + 1}" for i in
                                              range(text.count("\n") + 1)])
    raise ImportProblem(path, f"cannot read {suffix} documents; use .docx, .txt, .vtt or .srt")


def _read_docx(path: Path) -> DocumentText:
    check_zip(path, "Word").close()
    try:
        return _docx_text(path)
    except ImportProblem:
        raise
    except Exception as e:  # python-docx raises many kinds on damaged files, while reading too
        raise ImportProblem(path, f"cannot read this Word file ({type(e).__name__}: "
                                  f"{str(e)[:200]})") from None


def _docx_text(path: Path) -> DocumentText:
    """Paragraphs and table rows in the order the document has them."""
    import docx  # python-docx parses with lxml and resolve_entities=False
    from docx.table import Table
    document = docx.Document(str(path))
    title = (document.core_properties.title or "").strip()
    lines: list[str] = []
    places: list[str] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            rows = [_cells(row) for row in block.rows]
            headed = bool(rows) and _has_turn_heading(rows[0])
            for r, cells in enumerate(rows, start=1):
                _add_lines(lines, places, _row_text(cells, headed), f"table {tables}, row {r}")
        else:
            paragraphs += 1
            _add_lines(lines, places, block.text, f"paragraph {paragraphs}")
    while lines and lines[0] == "":     # as "\n".join(lines).strip("\n")
        del lines[0], places[0]
    while lines and lines[-1] == "":
        del lines[-1], places[-1]
    text = "\n".join(lines)
    if not text.strip():
        raise ImportProblem(path, "the document holds no text")
    return DocumentText(title or path.stem, text, places)


def _add_lines(lines: list[str], places: list[str], text: str, place: str) -> None:
    for line in text.split("\n"):      # a line break inside a paragraph
        lines.append(line)
        places.append(place)


_CELL_SPEAKER = re.compile(r"\s*\[?(?P<speaker>" + _NAME + r")\]?\s*:?\s*")
_CELL_TIME = re.compile(r"\s*[\[(]?(?P<time>" + _TIME + r")[\])]?\s*")
_COLUMN_TITLES = {"speaker", "name", "who", "time", "timestamp", "time stamp"}


def _cells(row) -> list[str]:
    """The row's non-empty cells, a merged cell once."""
    cells: list[str] = []
    seen = None
    for cell in row.cells:
        if cell._tc is seen:            # a merged cell comes once per column it spans
            continue
        seen = cell._tc
        if text := _cell_text(cell).strip():
            cells.append(text)
    return cells


def _cell_text(cell) -> str:
    """A cell's paragraphs and the rows of tables nested in it, in order (python-docx's
    ``cell.text`` leaves nested tables out, and their words with them)."""
    from docx.table import Table
    parts = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            parts.extend(" | ".join(_cells(row)) for row in block.rows)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def _has_turn_heading(cells: list[str]) -> bool:
    """Whether a table's first row titles its columns "Speaker" (or "Time") and the words."""
    return len(cells) in (2, 3) and any(
        c.lower().rstrip(":") in _COLUMN_TITLES for c in cells[:-1])


def _row_text(cells: list[str], headed: bool = False) -> str:
    """A table row as one line: "P3: words" when its cells are a speaker (and a time stamp)
    and what they said, as transcripts laid out in a table have them; else the cells joined.
    A label cell is taken as a speaker only if it can only name one (P3, Facilitator), has a
    time stamp beside it, or the table's heading says the column holds speakers: a notes table
    ("Workload | Too many e-mails") is no conversation."""
    if len(cells) in (2, 3) and "\n" not in "".join(cells[:-1]):
        *label, said = cells
        time = next((m["time"] for c in label if (m := _CELL_TIME.fullmatch(c))), None)
        names = [m["speaker"] for c in label if not _CELL_TIME.fullmatch(c)
                 and (m := _CELL_SPEAKER.fullmatch(c))]
        if len(names) == 1 and len(label) == 1 + (time is not None) \
                and names[0].lower() not in _COLUMN_TITLES \
                and (time or headed or _is_speaker_label(" ".join(names[0].split()))):
            return (f"[{time}] " if time else "") + f"{names[0]}: {said}"
    return " | ".join(cells)


@dataclass
class _Label:
    line: int
    speaker: str
    start: int          # where the words begin in the text
    stamped: bool
    said: str           # the words on the label's own line


def _label(line: str, index: int, offset: int) -> _Label | None:
    if (m := _TURN.match(line)) or ((m := _DASH_TURN.match(line))
                                    and _is_speaker_label(m["speaker"])):
        return _Label(index, " ".join(m["speaker"].split()), offset + m.end(),
                      bool(m["before"] or m["after"]), line[m.end():])
    if m := _SPEAKER_LINE.match(line):
        return _Label(index, " ".join(m["speaker"].split()), offset + len(line), True, "")
    return None


def _names_a_speaker(label: _Label, count: int) -> bool:
    """Whether a labelled line is surely a turn, not a header line such as "Organiser: DfE"."""
    if count > 1 or label.stamped or _SPEAKER_LABEL.fullmatch(label.speaker):
        return True
    return bool((_PERSON_NAME.fullmatch(label.speaker) or _ROLE_LABEL.fullmatch(label.speaker))
                and _reads_as_speech(label.said))


def _may_be_a_speaker(label: _Label, count: int) -> bool:
    """A label after the first turn: a name, a role or a label seen twice, or time-stamped."""
    return bool(count > 1 or label.stamped or _is_speaker_label(label.speaker)
                or _PERSON_NAME.fullmatch(label.speaker))


def _reads_as_speech(words: str) -> bool:
    return len(words.split()) >= 4 and bool(_SENTENCE_END.search(words))


def _is_speaker_label(name: str) -> bool:
    """P3, Participant 4, Sam (HR), or a role: a label that can only name who speaks."""
    return bool(_SPEAKER_LABEL.fullmatch(name) or _ROLE_LABEL.fullmatch(name))


def split_passages(text: str) -> list[Passage]:
    return split_document(text).passages


def split_document(text: str) -> Split:
    """Speaker turns if at least two lines are turns, else paragraphs; with the lines that
    become no passage and why."""
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    found = [lab for i, line in enumerate(lines) if (lab := _label(line, i, offsets[i]))]
    # a speaker alone on a line is a turn only with words below it ("Break 10:30" is not)
    ends = [lab.line for lab in found[1:]] + [len(lines)]
    labels = [lab for lab, end in zip(found, ends)
              if lab.speaker.lower() not in _HEADER_LABELS
              and (lab.said or any(x.strip() for x in lines[lab.line + 1:end]))]
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab.speaker] = counts.get(lab.speaker, 0) + 1
    # A transcript's header ("Date: …", "Organiser: …") looks like speaker turns: the turns
    # begin with the first line that surely names a speaker.
    first = next((k for k, lab in enumerate(labels)
                  if _names_a_speaker(lab, counts[lab.speaker])), len(labels))
    # Inside the conversation a label that speaks once and could be no one ("The answer is:
    # yes", "Bottom line: …") is part of the turn before it, not a new speaker
    turns = [lab for k, lab in enumerate(labels[first:])
             if k == 0 or _may_be_a_speaker(lab, counts[lab.speaker])]
    if len(turns) < 2:
        return Split(_paragraphs(text, lines, offsets))
    out = Split([])
    header = {lab.line: lab for lab in labels[:first]}
    for i in range(turns[0].line):
        if not lines[i].strip():
            continue
        if i in header:
            reason = (f"taken as a header line: “{header[i].speaker}” speaks once, before the "
                      "conversation starts")
        elif (m := _TURN.match(lines[i])) and m["speaker"].strip().lower() in _HEADER_LABELS:
            reason = f"header line (“{m['speaker'].strip()}:”)"
        else:
            reason = "before the first speaker turn (a title or note)"
        # a line that ends as a sentence may be someone's words (notes taken for a transcript,
        # a paragraph before a table); a title, "Date: …" or "Transcript" is not
        warn = i in header or (reason.startswith("before") and bool(_SENTENCE_END.search(lines[i])))
        out.skipped.append(Skipped(i, offsets[i], offsets[i] + len(lines[i]), reason, warn))
    for k, lab in enumerate(turns):
        end_line = turns[k + 1].line if k + 1 < len(turns) else len(lines)
        start = lab.start
        end = offsets[end_line - 1] + len(lines[end_line - 1])
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        out.passages.append(Passage(start, end, lab.speaker, _role(lab.speaker)))
    return out


def _role(speaker: str) -> str:
    return "facilitator" if _FACILITATOR.search(speaker) else "participant"


def _paragraphs(text: str, lines: list[str], offsets: list[int]) -> list[Passage]:
    out = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        start = offsets[i] + (len(line) - len(line.lstrip()))
        out.append(Passage(start, start + len(stripped), "", ""))
    return out


def skipped_warnings(doc: DocumentText, name: str, split: Split) -> list[str]:
    """What the import says about the lines that may be someone's words yet make no passage."""
    return [f"{name}, {doc.place(s.line)}: “{_short(doc.text[s.start:s.end])}” is no passage, "
            f"{s.reason}" for s in split.skipped if s.warn]


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def import_document(project: Project, path: str | os.PathLike[str], *, site: str = "",
                    workshop: str = "", source_kind: str = "workshop", title: str | None = None,
                    participants: int | None = None) -> ImportReport:
    """One transcript or notes document as a source with its passages. ``source_kind``: a
    ``workshop`` transcript, an ``interview`` or another ``document`` (quotes are attributed by
    it). ``participants``: how many people took part in that workshop or table (the report's
    headline figures use it)."""
    path = Path(path)
    if source_kind not in SOURCE_KINDS:
        raise ImportProblem(path, f"unknown document kind “{source_kind}”")
    doc = read_document(path)
    split = document_split(doc)
    passages = split.passages
    report = ImportReport(str(path), source_kind, options={"site": site, "workshop": workshop})
    if not passages:
        raise ImportProblem(path, "no passages found in the document")
    for w in skipped_warnings(doc, path.name, split):
        report.warn(w)
    with project.transaction() as db:
        sid = int(db.execute(
            "INSERT INTO sources(kind, name, path, site, workshop, imported_at) "
            "VALUES (?,?,?,?,?,?)",
            (source_kind, title or doc.title, str(path), site, workshop, now_iso())).lastrowid)
        did = int(db.execute("INSERT INTO documents(source_id, title, text, site, workshop) "
                             "VALUES (?,?,?,?,?)",
                             (sid, title or doc.title, doc.text, site, workshop)).lastrowid)
        db.executemany("INSERT INTO passages(document_id, start, end, speaker, speaker_role) "
                       "VALUES (?,?,?,?,?)",
                       [(did, p.start, p.end, p.speaker, p.role) for p in passages])
        speakers = {p.speaker for p in passages if p.speaker}
        report.source_id = sid
        report.counts = {"documents": 1, "passages": len(passages), "speakers": len(speakers)}
        if not speakers and doc.split is not None:
            report.warn(f"no cue names its speaker: {plural(len(passages), 'passage')}, one "
                        "per cue")
        elif not speakers:
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
