"""The marks a transcriber types into the words ("[inaudible 00:12:31]", "[crosstalk]",
"[laughter]"), which stay verbatim in the passages (quotes are verbatim) but are counted, so a
researcher checks them before quoting. (What a transcript says of itself in its header lines is
``transcript_header``.)
"""
from __future__ import annotations

import re

from ..words import plural

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
