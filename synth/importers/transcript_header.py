"""What a transcript says of itself: the header lines a transcriber types above the conversation
("Workshop: BG workshop 1. Venue: Public library. Date: 12 May 2025", "Site: Leeds",
"Facilitator: Amy"), the document's provenance; and the marks typed into the words
("[inaudible 00:12:31]", "[crosstalk]", "[laughter]"), which stay verbatim in the passages
(quotes are verbatim) but are counted, so a researcher checks them before quoting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..words import plural

# header label → the field it gives; site and workshop are the import's own options, the
# others are kept with the document
FIELDS = {"workshop": "workshop", "site": "site", "city": "site", "date": "date",
          "facilitator": "facilitator", "facilitators": "facilitator",
          "facilitated by": "facilitator", "venue": "venue", "location": "venue"}
_LABEL = "|".join(sorted((re.escape(k) for k in FIELDS), key=len, reverse=True))
# a label at the line's start, or after a closing stop, semicolon, comma or bar of the field
# before it ("Workshop: BG workshop 1. Venue: Public library")
_FIELD = re.compile(r"(?:^\s*|(?<=[.;,|])\s+|\t\s*|\s{2,})(?P<label>" + _LABEL + r")\s*:\s*",
                    re.I)
_VALUE_ENDS = " \t.;,|"
HEADER_LINES = 12       # without speaker turns, of the lines the document starts with


@dataclass
class HeaderField:
    name: str       # FIELDS' value: workshop, site, date, facilitator, venue
    value: str
    line: int       # index in text.split("\n")


def header_fields(text: str, first_passage: int | None) -> dict[str, HeaderField]:
    """The fields the transcript's header lines give, the first of each kind: the lines
    above ``first_passage`` (the character the conversation starts at), or, when the document
    has no speaker turns (None), those it starts with (a title line or two, then its
    "Label: value" lines). A line counts only if it starts with a label."""
    lines = text.split("\n")
    out: dict[str, HeaderField] = {}
    pos = seen = 0
    for i, line in enumerate(lines):
        if first_passage is not None and pos >= first_passage:
            break
        pos += len(line) + 1
        if not line.strip():
            continue
        seen += 1
        found = list(_FIELD.finditer(line))
        if not found or found[0].start() != 0:
            if first_passage is None and (out or seen > 2):
                break           # the header is over: words, not labels
            continue
        for m, after in zip(found, found[1:] + [None]):
            value = line[m.end():after.start() if after else len(line)].strip(_VALUE_ENDS)
            name = FIELDS[" ".join(m["label"].lower().split())]
            if value and name not in out:
                out[name] = HeaderField(name, value, i)
        if first_passage is None and seen >= HEADER_LINES:
            break
    return out


# A transcriber's mark: [inaudible], [inaudible 00:12:31], [crosstalk], [laughter], [pause] …
_MARK = re.compile(
    r"\[\s*(?P<kind>inaudible|unintelligible|unclear|indistinct|incomprehensible|"
    r"cross[\s-]?talk|overlapping(?:\s+(?:speech|talk|voices))?|over[\s-]?talk|"
    r"laugh(?:ter|s|ing)?|pause|long\s+pause|silence|background\s+noise|noise|coughs?|"
    r"music|applause|interruption|redacted|name\s+redacted|audio\s+(?:cuts?\s+out|drops?"
    r"(?:\s+out)?|unclear))\b[^\[\]\n]{0,60}\]", re.I)
_KIND = {"crosstalk": "crosstalk", "cross talk": "crosstalk", "cross-talk": "crosstalk",
         "overtalk": "crosstalk", "over talk": "crosstalk", "over-talk": "crosstalk",
         "laughs": "laughter", "laugh": "laughter", "laughing": "laughter",
         "cough": "coughs", "unintelligible": "inaudible", "incomprehensible": "inaudible",
         "long pause": "pause", "name redacted": "redacted"}

# marks of words missing or not the speaker's: a quote holding one needs a second look
GAPS = {"inaudible", "unclear", "indistinct", "crosstalk", "redacted", "audio cut"}


def mark_kind(found: str) -> str:
    kind = " ".join(found.lower().split())
    if kind.startswith("overlapping"):
        return "crosstalk"
    if kind.startswith("audio"):
        return "audio cut"
    return _KIND.get(kind, kind)


def marks_line(name: str, text: str, passages: list, place) -> str | None:
    """The import's line counting the passages that hold transcriber's marks, by kind, and
    where the first of them are; None if none does. ``place(line)`` names a line of ``text``
    as the file has it ("paragraph 8")."""
    by_kind: dict[str, int] = {}
    holding = []
    for p in passages:
        found = list(_MARK.finditer(text, p.start, p.end))
        if not found:
            continue
        kinds = {mark_kind(m["kind"]) for m in found}
        holding.append((p, found[0].start()))
        for k in kinds:
            by_kind[k] = by_kind.get(k, 0) + 1
    if not holding:
        return None
    n = len(holding)
    if len(by_kind) == 1:
        what = f"[{next(iter(by_kind))}] marks"
    else:
        what = "transcriber's marks (" + ", ".join(
            f"[{k}] in {plural(c, 'passage')}"
            for k, c in sorted(by_kind.items(), key=lambda kc: (-kc[1], kc[0]))) + ")"
    where = "; ".join(f"{p.speaker or 'a passage'}, {place(text.count(chr(10), 0, at))}"
                      for p, at in holding[:3])
    more = f"; and {n - 3} more" if n > 3 else ""
    check = (f": check {'it' if n == 1 else 'them'} before quoting"
             if GAPS & by_kind.keys() else "")
    return (f"{name}: {plural(n, 'passage')} {'holds' if n == 1 else 'hold'} {what}, kept "
            f"verbatim in the text{check} ({where}{more})")
