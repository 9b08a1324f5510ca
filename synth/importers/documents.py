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
from ..people import TITLES
from ..project import Project, now_iso
from ..themes.stopwords import STOP_WORDS
from ..words import and_list, plural, shortened
from .common import check_file, check_zip, decode
from .report import ImportReport
from .transcript_header import HeaderField, transcript_header
from .transcript_marks import marks_line

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
SOURCE_KINDS = ("workshop", "interview", "document")

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A name, "Speaker 2" in any case, or a name with a role: "Sam (facilitator)" (not a time stamp)
_NAME = (r"(?:(?i:speaker)\s*\d+|[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}?"
         r"(?:\s*\((?!\s*" + _TIME + r"\s*\))[^)]{1,40}\))?)")
_STAMP_BEFORE = r"(?P<before>[\[(]?" + _TIME + r"[\])]?\s*[-–—|]?\s*)?"
# a time stamp after the name: "P4 (00:04:12)", "P4 [04:12]", "Chloe Smith 00:00:40" (bare,
# only with the seconds: "Break 10:30: coffee" names no one)
_STAMP_AFTER = (r"(?P<after>\s*[\[(]" + _TIME + r"[\])]|\s+\d{1,2}:\d{2}:\d{2}"
                r"(?:[.,]\d{1,3})?)?")
# a time stamp typed after the label, before the words: "Facilitator: [00:00:12] OK so"
_STAMP_THEN = r"(?P<then>[\[(]" + _TIME + r"[\])]\s*)?"
_TURN = re.compile(r"^\s*" + _STAMP_BEFORE + r"(?P<speaker>" + _NAME + r")" + _STAMP_AFTER
                   + r"\s*:\s+" + _STAMP_THEN + r"(?=\S)")
# "P5 - words", "P5<tab>words": without a colon, the label parts the words only if it names a
# speaker (split_document)
_DASH_TURN = re.compile(r"^\s*" + _STAMP_BEFORE + r"(?P<speaker>" + _NAME + r")" + _STAMP_AFTER
                        + r"(?:\s+[-–—]\s+|[ ]*\t\s*)" + _STAMP_THEN + r"(?=\S)")
# the bold words a paragraph starts with, as a speaker: "FACILITATOR", "Aisha -", "Jordan"
_BOLD_LABEL = re.compile(r"\s*" + _STAMP_BEFORE + r"(?P<speaker>" + _NAME + r")" + _STAMP_AFTER
                         + r"\s*[-–—:]?\s*")
_BOLD_AFTER = re.compile(r"\s*(?:[-–—:]\s*)?" + _STAMP_THEN.replace("then", "after")
                         + r"\s*(?:[-–—:]\s+)?")
# Otter, Teams, Rev, Zoom: the speaker and a time stamp alone on a line, the words below
_SPEAKER_LINE = re.compile(r"^\s*" + _STAMP_BEFORE + r"\[?(?P<speaker>" + _NAME + r")\]?"
                           r"(?P<after>\s*[\[(]" + _TIME + r"[\])]|\s+" + _TIME + r")\s*:?\s*$")
_HEADER_LABELS = {"date", "time", "venue", "location", "workshop", "site", "title", "duration",
                  "session", "recording", "table", "notes", "transcript", "present", "attendees",
                  "subject", "project", "interviewer id", "file", "recorded by", "transcribed by",
                  "facilitators", "topic", "language", "length", "interview date",
                  "participant id", "interviewee id"}
_FACILITATOR = re.compile(r"facilitat|moderat|interviewer|researcher|host|note.?taker|scribe"
                          r"|^(?:q\s*\d*|int\.?)$", re.I)
_ROLES = r"(?:co-?)?facilitator|moderator|interviewer|interviewee|researcher|host|chair|q|a"
# Labels that name a speaker even if they speak once: P3, Participant 4, Speaker B, Chair 2,
# Sam (HR). The letter stands apart: "Participants:" heads a list of names, it is no turn.
_SPEAKER_LABEL = re.compile(
    r"p\s*\d+|(?:participant|speaker|respondent|person|voice)(?:\s*\d+|\s+[a-z]\b)"
    r"|(?:" + _ROLES + r")\s*\d+|.*\(.+\)", re.I)
# A role alone names a speaker only when it speaks again or its line reads as speech:
# "Chair: Cllr Tom Baker" in a header says who chairs
_ROLE_LABEL = re.compile(_ROLES, re.I)
# Who someone is, in words: "Police officer", "Youth worker", "Note taker", "Young person 2"
# (the last word a person; a number or letter after it makes it a speaker label, as "P3").
# A phrase is not: "Role of youth", "My mum", "The answer is"
_PERSON_ROLE = re.compile(
    r"(?:(?!(?:of|for|to|the|an?|and|or|with|by|at|in|on|from|about|my|our|your|their|his"
    r"|her|is|are|was|were)\s)[\w'’-]+\s+){0,2}"
    r"(?:person|officer|worker|parent|carer|taker|notetaker|member"
    r"|councillor|teacher|student|pupil|resident|volunteer|nurse|doctor|manager|leader|lead"
    r"|representative|rep|adviser|advisor|co-?ordinator|observer|interpreter|translator"
    r"|mentor|coach|guardian|mum|mother|dad|father|child|tenant|landlord|patient|client"
    r"|user|visitor|guest|employee|governor|headteacher|sergeant|inspector|constable"
    r"|commissioner|organiser|organizer|assistant|secretary|trustee|director|elder"
    r"|participant|respondent|interviewee|speaker|facilitator|moderator|interviewer"
    r"|researcher|host|chair|scribe)(?P<n>\s*\d+|\s+[a-z])?", re.I)
# The note-taker's line opens a transcript ("Note-taker: Sam. Recorded 14/05/2025."): it is
# header unless they speak again
_NOTE_TAKER = re.compile(r"note[\s-]?taker|scribe|recorder|transcriber", re.I)
# A closing note at the end of a turn is no one's words: "END OF RECORDING", "[End]"
_CLOSING = re.compile(r"\s*[\[(]?\s*(?:end\s+of\s+(?:the\s+)?(?:recording|transcript(?:ion)?"
                      r"|interview|session|tape|audio|meeting|discussion)|recording\s+(?:ends|"
                      r"ended|stopped|off)|(?:transcript|interview|session)\s+(?:ends|ended)"
                      r")\s*[\])]?\s*[.!]?\s*|\s*\[\s*end\s*\]\s*", re.I)
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
    # what a Word file's layout says of its lines (see split_document)
    bold: dict[int, int] = field(default_factory=dict)
    boxed: set[int] = field(default_factory=set)
    rows: set[int] = field(default_factory=set)

    def place(self, line: int) -> str:
        return self.places[line] if 0 <= line < len(self.places) else f"line {line + 1}"


def document_split(doc: DocumentText) -> Split:
    """The passages ``doc`` makes: its subtitle cues' turns, else its text split into turns."""
    if doc.split is not None:
        return doc.split
    return split_document(doc.text, bold=doc.bold, boxed=doc.boxed, rows=doc.rows)


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
    """Paragraphs and table rows in the order the document has them, read as Word shows them
    with tracked changes accepted (inserted words in, deleted ones out), with the words of
    hyperlinks, content controls, smart tags and fields; a text box's paragraphs follow the
    paragraph that holds it, as lines of their own (python-docx's ``paragraph.text`` leaves
    all but plain runs and hyperlinks out, and paragraphs inside a content control)."""
    import docx  # python-docx parses with lxml and resolve_entities=False
    document = docx.Document(str(path))
    title = (document.core_properties.title or "").strip()
    out = _Lines()
    paragraphs = tables = 0
    carry = ""          # a paragraph whose mark was deleted runs on into the next one
    for kind, el in _blocks(document.element.body):
        if kind == "tbl":
            tables += 1
            if carry:
                out.add(carry, f"paragraph {paragraphs}")
                carry = ""
            _add_table(out, el, document, f"table {tables}")
            continue
        paragraphs += 1
        para = _Paragraph(el)
        if para.mark_deleted:
            carry += para.text
            out.add_boxes(para.boxes, f"paragraph {paragraphs}")
            continue
        bold = para.bold if not carry else 0
        out.add(carry + para.text, f"paragraph {paragraphs}", bold=bold)
        carry = ""
        out.add_boxes(para.boxes, f"paragraph {paragraphs}")
    if carry:
        out.add(carry, f"paragraph {paragraphs}")
    lines, places = out.lines, out.places
    first = 0
    while first < len(lines) and lines[first] == "":  # as "\n".join(lines).strip("\n")
        first += 1
    last = len(lines)
    while last > first and lines[last - 1] == "":
        last -= 1
    text = "\n".join(lines[first:last])
    if not text.strip():
        raise ImportProblem(path, "the document holds no text")
    return DocumentText(title or path.stem, text, places[first:last],
                        bold={i - first: n for i, n in out.bold.items() if first <= i < last},
                        boxed={i - first for i in out.boxed if first <= i < last},
                        rows={i - first for i in out.rows if first <= i < last})


class _Lines:
    """The document's lines as they are read, where each is, and what its layout says."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[str] = []
        self.bold: dict[int, int] = {}     # line -> length of the bold words it starts with
        self.boxed: set[int] = set()       # lines read from a text box
        self.rows: set[int] = set()        # a table row in a speaker column's layout

    def add(self, text: str, place: str, *, bold: int = 0, boxed: bool = False,
            row: bool = False) -> None:
        for k, line in enumerate(text.split("\n")):     # a line break inside a paragraph
            if k == 0 and bold:
                self.bold[len(self.lines)] = bold
            if boxed:
                self.boxed.add(len(self.lines))
            if row and k == 0:
                self.rows.add(len(self.lines))
            self.lines.append(line)
            self.places.append(place)

    def add_boxes(self, boxes: list[str], place: str) -> None:
        for box in boxes:
            self.add(box, f"{place}, text box", boxed=True)


def _add_table(out: _Lines, tbl, parent, place: str) -> None:
    from docx.table import Table
    table = Table(tbl, parent)
    rows = [_cells(row) for row in table.rows if not _row_deleted(row)]
    headed = bool(rows) and _has_turn_heading(rows[0])
    for r, cells in enumerate(rows, start=1):
        text, turn = _row_turn(cells, headed)
        out.add(text, f"{place}, row {r}", row=turn)


def _row_deleted(row) -> bool:
    """A row deleted with Track Changes on."""
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(_W + "del") is not None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Inside a paragraph: what is read through (its words are the document's), and what is not
_SKIP = {_W + t for t in ("del", "moveFrom", "delText", "instrText", "delInstrText", "pPr",
                          "rPr", "rt")} | {_MC + "Fallback"}
_CONTAINERS = {_W + t for t in ("sdt", "sdtContent", "customXml", "ins", "moveTo")}


def _blocks(parent):
    """The paragraphs ("p") and tables ("tbl") of a body, cell or text box in document order,
    those inside content controls and custom XML too."""
    for child in parent:
        tag = child.tag
        if tag == _W + "p":
            yield "p", child
        elif tag == _W + "tbl":
            yield "tbl", child
        elif tag in _CONTAINERS and not _placeholder(child):
            yield from _blocks(child)


class _Paragraph:
    """A paragraph's text as Word shows it with changes accepted, the length of the bold
    words it starts with (a speaker typed in bold, "**Jordan** Not a copper"), the text of
    the text boxes it holds, and whether its mark was deleted (it joins the next)."""

    def __init__(self, p) -> None:
        self.parts: list[str] = []
        self.boxes: list[str] = []
        self.bold = 0
        self._len = 0
        self._bold_open = True          # still reading the paragraph's first, bold words
        ppr = p.find(_W + "pPr")
        rpr = ppr.find(_W + "rPr") if ppr is not None else None
        self.mark_deleted = rpr is not None and rpr.find(_W + "del") is not None
        self._walk(p)
        self.text = "".join(self.parts)

    def _walk(self, el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or _placeholder(child):
                continue
            if tag == _W + "r":
                self._run(child)
            elif tag == _W + "txbxContent":
                self.boxes.append(_box_text(child))
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")    # the fallback is a copy of it
                if choice is not None:
                    self._walk(choice)
            else:
                self._walk(child)

    def _run(self, r) -> None:
        before = len(self.parts)
        for child in r:
            tag = child.tag
            if tag == _W + "t":
                self.parts.append(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                self.parts.append("\t")
            elif tag == _W + "br":
                kind = child.get(_W + "type")
                self.parts.append("\n" if kind in (None, "textWrapping") else "")
            elif tag == _W + "cr":
                self.parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                self.parts.append("-")
            elif isinstance(tag, str) and tag not in _SKIP:
                self._walk(child)           # a drawing or picture holding a text box
        added = "".join(self.parts[before:])
        self._len += len(added)
        if self._bold_open and added:
            if _is_bold(r):
                self.bold = self._len
            elif added.strip() or self.bold:
                self._bold_open = False


def _placeholder(el) -> bool:
    """A content control showing its prompt ("Click or tap here to enter text."), not words."""
    if el.tag != _W + "sdt":
        return False
    pr = el.find(_W + "sdtPr")
    return pr is not None and pr.find(_W + "showingPlcHdr") is not None


def _is_bold(r) -> bool:
    rpr = r.find(_W + "rPr")
    if rpr is None:
        return False
    b = rpr.find(_W + "b")
    if b is not None:
        return b.get(_W + "val") not in ("0", "false", "off")
    style = rpr.find(_W + "rStyle")
    return style is not None and style.get(_W + "val") == "Strong"


def _box_text(content) -> str:
    """A text box's paragraphs (and table rows), a line each."""
    lines: list[str] = []
    for kind, el in _blocks(content):
        if kind == "p":
            para = _Paragraph(el)
            lines.append(para.text)
            lines.extend(para.boxes)
        else:
            lines.extend(" | ".join(_cells(row)) for row in _table_rows(el))
    return "\n".join(lines)


def _table_rows(tbl):
    from docx.table import Table
    return [row for row in Table(tbl, None).rows if not _row_deleted(row)]


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
        if text := _cell_text(cell._tc).strip():
            cells.append(text)
    return cells


def _cell_text(tc) -> str:
    """A cell's paragraphs (with their text boxes) and the rows of tables nested in it, in
    order (python-docx's ``cell.text`` leaves nested tables out, and their words with them)."""
    parts = []
    for kind, el in _blocks(tc):
        if kind == "tbl":
            parts.extend(" | ".join(_cells(row)) for row in _table_rows(el))
        else:
            para = _Paragraph(el)
            parts.append(para.text)
            parts.extend(para.boxes)
    return "\n".join(parts)


def _has_turn_heading(cells: list[str]) -> bool:
    """Whether a table's first row titles its columns "Speaker" (or "Time") and the words."""
    return len(cells) in (2, 3) and any(
        c.lower().rstrip(":") in _COLUMN_TITLES for c in cells[:-1])


def _row_turn(cells: list[str], headed: bool = False) -> tuple[str, bool]:
    """A table row as one line: "P3: words" when its cells are a speaker (and a time stamp)
    and what they said, as transcripts laid out in a table have them; else the cells joined.
    A label cell is taken as a speaker only if it can only name one (P3, Facilitator), has a
    time stamp beside it, or the table's heading says the column holds speakers: a notes table
    ("Workload | Too many e-mails") is no conversation. True with a speaker: the row is a
    turn whoever speaks in it, once or often."""
    if len(cells) in (2, 3) and "\n" not in "".join(cells[:-1]):
        *label, said = cells
        time = next((m["time"] for c in label if (m := _CELL_TIME.fullmatch(c))), None)
        names = [m["speaker"] for c in label if not _CELL_TIME.fullmatch(c)
                 and (m := _CELL_SPEAKER.fullmatch(c))]
        if len(names) == 1 and len(label) == 1 + (time is not None) \
                and names[0].lower() not in _COLUMN_TITLES \
                and (time or headed or _is_speaker_label(" ".join(names[0].split()))):
            return (f"[{time}] " if time else "") + f"{names[0]}: {said}", True
    return " | ".join(cells), False


@dataclass
class _Label:
    line: int
    speaker: str
    start: int          # where the words begin in the text
    stamped: bool
    said: str           # the words on the label's own line
    weak: bool = False  # no colon (a dash, a tab, bold words): a speaker only if it names one
    sure: bool = False  # a table's speaker column: a turn whoever speaks


def _label(line: str, index: int, offset: int, bold: int = 0) -> _Label | None:
    if (m := _TURN.match(line)) or (m := _DASH_TURN.match(line)):
        return _Label(index, " ".join(m["speaker"].split()), offset + m.end(),
                      bool(m["before"] or m["after"] or m["then"]), line[m.end():],
                      weak=m.re is _DASH_TURN)
    if m := _SPEAKER_LINE.match(line):
        return _Label(index, " ".join(m["speaker"].split()), offset + len(line), True, "")
    if bold and (m := _BOLD_LABEL.fullmatch(line[:bold])) and line[bold:].strip():
        rest = _BOLD_AFTER.match(line, bold)
        return _Label(index, " ".join(m["speaker"].split()), offset + rest.end(),
                      bool(m["before"] or m["after"] or rest["after"]), line[rest.end():],
                      weak=True)
    return None


def _names_a_speaker(label: _Label, count: int) -> bool:
    """Whether a labelled line is surely a turn, not a header line such as "Organiser: DfE"."""
    if count > 1 or label.stamped or label.sure:
        return True
    if _NOTE_TAKER.search(label.speaker):
        return False
    if _SPEAKER_LABEL.fullmatch(label.speaker) or _numbered_role(label.speaker):
        return True
    return bool((_PERSON_NAME.fullmatch(label.speaker) or _ROLE_LABEL.fullmatch(label.speaker)
                 or _PERSON_ROLE.fullmatch(label.speaker))
                and _reads_as_speech(label.said))


_FULL_NAME = (r"(?:(?:" + "|".join(sorted(TITLES, key=lambda t: (-len(t), t)))
              + r")\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}")
_NAMES = re.compile(_FULL_NAME + r"(?:\s*(?:,|and|&)\s*" + _FULL_NAME + r")*\.?")
# words a greeting capitalises that no name is made of ("Facilitator: Welcome Everyone.")
_GREETING_WORDS = frozenset("""welcome everyone everybody good morning afternoon evening hello
hi hey thanks thank you okay ok right today folks friends team back let's lets start again
""".split()) | STOP_WORDS


def _names_the_facilitator(label: _Label) -> bool:
    """"Facilitator: Amy Jones" above the conversation says who facilitated: a header line,
    though the facilitator speaks later (a full name, not "Facilitator: Okay." nor a greeting
    in capitals, "Facilitator: Welcome Everyone.", which is the first turn)."""
    said = label.said.strip()
    return label.speaker.casefold() == "facilitator" and bool(_NAMES.fullmatch(said)) and \
        not any(w.casefold() in _GREETING_WORDS for w in re.findall(r"[\w'’]+", said))


def _may_be_a_speaker(label: _Label, count: int) -> bool:
    """A label after the first turn: a name, a role or a label seen twice, or time-stamped."""
    return bool(count > 1 or label.stamped or label.sure or _is_speaker_label(label.speaker)
                or _PERSON_NAME.fullmatch(label.speaker))


def _reads_as_speech(words: str) -> bool:
    return len(words.split()) >= 4 and bool(_SENTENCE_END.search(words))


def _numbered_role(name: str) -> bool:
    return bool((m := _PERSON_ROLE.fullmatch(name)) and m["n"])


def _is_speaker_label(name: str) -> bool:
    """P3, Participant 4, Sam (HR), or a role ("Police officer", "Young person 2"): a label
    that can only name who speaks."""
    return bool(_SPEAKER_LABEL.fullmatch(name) or _ROLE_LABEL.fullmatch(name)
                or _PERSON_ROLE.fullmatch(name))


def split_passages(text: str) -> list[Passage]:
    return split_document(text).passages


def split_document(text: str, *, bold: dict[int, int] | None = None,
                   boxed: set[int] | frozenset[int] = frozenset(),
                   rows: set[int] | frozenset[int] = frozenset()) -> Split:
    """Speaker turns if at least two lines are turns, else paragraphs; with the lines that
    become no passage and why. A Word file's layout says more of some lines: ``bold``, the
    length of the bold words a line starts with (a speaker typed in bold without a colon);
    ``boxed``, lines read from a text box (a canvas, a poster: a passage each, no one's turn);
    ``rows``, table rows whose speaker column names who speaks (a turn, even said once)."""
    bold = bold or {}
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    found = [lab for i, line in enumerate(lines) if i not in boxed
             and (lab := _label(line, i, offsets[i], bold.get(i, 0)))]
    found = [lab for lab in found if lab.speaker.lower() not in _HEADER_LABELS]
    for lab in found:
        lab.sure = lab.line in rows and not lab.weak
    # Without a colon (a dash, a tab, bold words) a label names a speaker if it can only name
    # one (P5, Police officer), is time-stamped, or names someone who has a turn with a colon:
    # "**Scenario B** people liked the hubs" in notes is no turn
    named = {lab.speaker.casefold() for lab in found if not lab.weak}
    found = [lab for lab in found if not lab.weak or lab.stamped
             or _is_speaker_label(lab.speaker) or lab.speaker.casefold() in named]
    # a speaker alone on a line is a turn only with words below it ("Break 10:30" is not)
    ends = [lab.line for lab in found[1:]] + [len(lines)]
    labels = [lab for lab, end in zip(found, ends)
              if lab.said or any(x.strip() for k, x in enumerate(lines[lab.line + 1:end],
                                                                  lab.line + 1)
                                 if k not in boxed)]
    # One speaker however they are typed: "FACILITATOR" is the "Facilitator" of other turns
    spelling: dict[str, str] = {}
    for lab in labels:
        key = lab.speaker.casefold()
        if key not in spelling or (spelling[key].isupper() and not lab.speaker.isupper()):
            spelling[key] = lab.speaker
    counts: dict[str, int] = {}
    for lab in labels:
        lab.speaker = spelling[lab.speaker.casefold()]
        counts[lab.speaker] = counts.get(lab.speaker, 0) + 1
    # A transcript's header ("Date: …", "Organiser: …") looks like speaker turns: the turns
    # begin with the first line that surely names a speaker.
    first = next((k for k, lab in enumerate(labels)
                  if _names_a_speaker(lab, counts[lab.speaker])
                  and not _names_the_facilitator(lab)), len(labels))
    # Inside the conversation a label that speaks once and could be no one ("The answer is:
    # yes", "Bottom line: …") is part of the turn before it, not a new speaker
    turns = [lab for k, lab in enumerate(labels[first:])
             if k == 0 or _may_be_a_speaker(lab, counts[lab.speaker])]
    if len(turns) < 2:
        return Split(_paragraphs(text, lines, offsets))
    out = Split([])
    header = {lab.line: lab for lab in labels[:first]}
    for i in range(turns[0].line):
        if not lines[i].strip() or i in boxed:
            continue
        if i in header and _names_the_facilitator(header[i]):
            reason = "header line: it names the facilitator (kept with the document)"
        elif i in header:
            reason = (f"taken as a header line: “{header[i].speaker}” speaks once, before the "
                      "conversation starts")
        elif (m := _TURN.match(lines[i])) and m["speaker"].strip().lower() in _HEADER_LABELS:
            reason = f"header line (“{m['speaker'].strip()}:”)"
        else:
            reason = "before the first speaker turn (a title or note)"
        # a line that ends as a sentence may be someone's words (notes taken for a transcript,
        # a paragraph before a table); a title, "Date: …" or "Transcript" is not
        warn = (i in header and not reason.startswith("header")) or (
            reason.startswith("before") and bool(_SENTENCE_END.search(lines[i])))
        out.skipped.append(Skipped(i, offsets[i], offsets[i] + len(lines[i]), reason, warn))
    speakers = {lab.speaker for lab in turns}
    at = {lab.line: lab for lab in turns}
    turn: tuple[int, str, list[int]] | None = None      # (start, speaker, its lines)
    last_speaker = ""
    after_box = False

    def close() -> None:
        if turn is None:
            return
        start, speaker, own = turn
        while own and own[-1] != own[0] and (not lines[own[-1]].strip()
                                             or _CLOSING.fullmatch(lines[own[-1]])):
            k = own.pop()
            if lines[k].strip():
                out.skipped.append(Skipped(k, offsets[k], offsets[k] + len(lines[k]),
                                           "a closing note, no one's words", False))
        end = offsets[own[-1]] + len(lines[own[-1]])
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.passages.append(Passage(start, end, speaker, _role(speaker, speakers)))

    for i in range(min([turns[0].line, *boxed]), len(lines)):
        if i in boxed:
            close()
            turn = None
            if stripped := lines[i].strip():
                start = offsets[i] + len(lines[i]) - len(lines[i].lstrip())
                out.passages.append(Passage(start, start + len(stripped), "", ""))
            after_box = True
        elif i in at:
            close()
            turn = (at[i].start, at[i].speaker, [i])
            last_speaker = at[i].speaker
            after_box = False
        elif turn is not None:
            turn[2].append(i)
        elif after_box and last_speaker and lines[i].strip():
            # the words after a text box go on with the turn it stood in
            turn = (offsets[i], last_speaker, [i])
    close()
    out.passages.sort(key=lambda p: p.start)
    out.skipped.sort(key=lambda s: s.line)
    return out


def _role(speaker: str, speakers: set[str] | frozenset[str] = frozenset()) -> str:
    """"facilitator" for the team's turns (Facilitator, Interviewer, Q, the note-taker; "I"
    beside "R"), else "participant"."""
    if _FACILITATOR.search(speaker) or (speaker == "I" and "R" in speakers):
        return "facilitator"
    return "participant"


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
    return [f"{name}, {doc.place(s.line)}: “{shortened(doc.text[s.start:s.end], 60)}” is no "
            f"passage, {s.reason}" for s in split.skipped if s.warn]


def _header_provenance(doc: DocumentText, name: str, header: dict[str, HeaderField],
                       site: str, workshop: str, report: ImportReport) -> tuple[str, str]:
    """The site and workshop of the document: those given, else those its header lines name
    ("Workshop: BG workshop 1"), said in the import's lines with the header's other fields
    (date, facilitator, venue), which are kept with the document (its details' "header")
    whether said or not: a "Date:" line alone is no news."""
    if not header:
        return site, workshop
    taken, kept, names = [], [], []
    for what, given in (("site", site), ("workshop", workshop)):
        f = header.get(what)
        if f is None:
            continue
        if not given:
            taken.append(f"{what} “{f.value}” ({doc.place(f.line)})")
            names.append(what)
            site, workshop = (f.value, workshop) if what == "site" else (site, f.value)
        elif f.value.casefold() not in given.casefold():    # "Glasgow workshop, 27 March"
            kept.append(f"its header names the {what} “{f.value}” ({doc.place(f.line)}); the "
                        f"{what} given, “{given}”, was kept")
    others = [f"{f.name} “{f.value}”" for f in header.values() if f.name not in ("site",
                                                                                  "workshop")]
    if taken:
        also = (f"; its {and_list(others)} kept with the document" if others else "")
        report.warn(f"{name}: from its header, the {' and the '.join(taken)}, as none was "
                    f"given (name the {' or '.join(names)} when importing to give another)"
                    f"{also}")
    for line in kept:
        report.warn(f"{name}: {line}")
    return site, workshop


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
    header = transcript_header(doc.text, split)   # above the first turn's line
    site, workshop = _header_provenance(doc, path.name, header, site, workshop, report)
    if line := marks_line(path.name, doc.text, passages, doc.place):
        report.warn(line)
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
        if header:
            details["header"] = {f.name: f.value for f in header.values()}
        if participants is not None:
            if not isinstance(participants, int) or participants < 0:
                raise ImportProblem(path, f"participants must be a whole number, not "
                                          f"{participants!r}")
            details["participants"] = participants
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps(details, ensure_ascii=False), sid))
    return report
