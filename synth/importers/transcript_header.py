"""What a transcript says of itself: the header lines a transcriber types above the conversation
("Workshop: BG workshop 1. Venue: Public library. Date: 12 May 2025", "Site: Leeds",
"Facilitator: Amy"), the document's provenance. The marks typed into the words are
``transcript_marks``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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


def transcript_header(doc_text: str, split: Any) -> dict[str, HeaderField]:
    """The header fields of a document split into passages (``documents.split_document``):
    above the line of its first speaker turn, or its first lines when it has no turns; what the
    document importer reads and the Import dialog offers."""
    first = split.passages[0].start
    return header_fields(doc_text, doc_text.rfind("\n", 0, first) + 1
                         if split.speakers else None)
