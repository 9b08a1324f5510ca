"""Zoom's and Teams' WebVTT transcripts and SubRip (.srt) files, read cue by cue into a
document whose text is one line per speaker turn, "Speaker: words", without the time stamps."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportProblem
from ..words import shortened
from .documents import _HEADER_LABELS, DocumentText, Passage, Split, _role

# A cue's time: hours optional in WebVTT, "," before the milliseconds in SubRip
_CUE_TIME = r"(?:\d{1,3}:)?[0-5]\d:[0-5]\d[.,]\d{1,3}"
_CUE_TIMING = re.compile(r"\s*(?P<start>" + _CUE_TIME + r")\s*-->\s*" + _CUE_TIME
                         + r"(?:[ \t]+.*)?\s*")
_LOOKS_TIMED = re.compile(r"\s*\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d*)?\s*(?:-|–|—|>|→|$)")
_VTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?(?:\n|$)")
_VTT_SKIPPED = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+(?P<speaker>[^>]*))?>")
_TAG = re.compile(r"</?(?:[A-Za-z][^<>\n]*|\d[\d:.]*)>|\{\\[^}\n]*\}")
# Zoom's "Speaker Name: words"; a dash opens a new speaker's line in subtitles
_CUE_SPEAKER = re.compile(r"\s*(?:[-–]\s*)?(?P<speaker>[^\s:<>\-–][^:<>\n]{0,58}?)\s*:"
                          r"(?:\s+(?=\S)|\s*$)")


def subtitles_format(text: str) -> str:
    """``"vtt"`` for WebVTT text, ``"srt"`` for SubRip, else ``""``: known by the content, as
    a .txt saved from a Zoom or Teams transcript is."""
    text = text.lstrip("\ufeff")
    if _VTT_HEADER.match(text):
        return "vtt"
    lines = text.lstrip().split("\n", 2)
    if len(lines) > 1 and lines[0].strip().isdigit() and _CUE_TIMING.fullmatch(lines[1]):
        return "srt"
    return ""


@dataclass
class _Cue:
    line: int           # the file's line (from 1) of its first words
    start: str          # when it starts: "00:04:12"
    said: list[tuple[str | None, str]]      # (speaker if named, words) in order


def read_subtitles(path: Path, text: str, suffix: str) -> DocumentText:
    """A WebVTT or SubRip transcript: one passage per speaker turn (a speaker's consecutive
    cues are one turn; a cue naming no speaker belongs to the turn it falls in, or is a
    passage of its own before anyone speaks). The stored text is one line per turn,
    "Speaker: words", without time stamps; each line's place gives its first cue's line and
    time."""
    kind = subtitles_format(text)
    if suffix == ".vtt" and kind != "vtt":
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        raise ImportProblem(path, f"line 1: a WebVTT file starts with “WEBVTT”, not "
                                  f"“{shortened(first, 40)}”")
    cues = _cues(path, text.lstrip("\ufeff").split("\n"), kind or "srt")
    if not cues:
        raise ImportProblem(path, "no cues found: a subtitle file holds time lines such as "
                                  "“00:00:05.120 --> 00:00:09.440”, each with the words below")
    turns: list[tuple[str, list[str], _Cue]] = []     # speaker, words, first cue
    for cue in cues:
        for speaker, words in cue.said:
            if turns and (speaker is None and turns[-1][0] or speaker == turns[-1][0]):
                turns[-1][1].append(words)
            else:
                turns.append((speaker or "", [words], cue))
    if not turns:
        raise ImportProblem(path, "the cues hold no words")
    lines: list[str] = []
    places: list[str] = []
    out = Split([])
    offset = 0
    for speaker, words, cue in turns:
        label = f"{speaker}: " if speaker else ""
        line = label + " ".join(words)
        if lines:
            lines.append("")
            places.append(places[-1])
            offset += 1
        lines.append(line)
        places.append(f"line {cue.line}, {cue.start}")
        out.passages.append(Passage(offset + len(label), offset + len(line), speaker,
                                    _role(speaker) if speaker else ""))
        offset += len(line) + 1
    return DocumentText(path.stem, "\n".join(lines), places, out)


def _cues(path: Path, lines: list[str], kind: str) -> list[_Cue]:
    """The cues of blocks parted by blank lines; the WebVTT header and NOTE, STYLE and REGION
    blocks are no cues. A block that has no readable time line is an error naming its line."""
    cues: list[_Cue] = []
    block: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            block.append(i)
            continue
        if not block:
            continue
        first = lines[block[0]].strip()
        if kind == "vtt" and (not cues and _VTT_HEADER.match(first + "\n") and block[0] == 0
                              or _VTT_SKIPPED.fullmatch(first)):
            block = []
            continue
        timed = next((k for k in block[:2] if "-->" in lines[k]), None)
        if timed is None:
            bad = block[1] if first.isdigit() and len(block) > 1 else block[0]
            if first.isdigit() or _LOOKS_TIMED.match(lines[bad]):
                timed = bad
            else:
                raise ImportProblem(path, f"line {block[0] + 1}: “{shortened(first, 40)}” is "
                                          "in no cue: a cue starts with a time line such as "
                                          "“00:00:05.120 --> 00:00:09.440”")
        m = _CUE_TIMING.fullmatch(lines[timed])
        if not m:
            raise ImportProblem(path, f"line {timed + 1}: “{shortened(lines[timed], 50)}” is "
                                      "not a cue's time line (such as “00:00:05.120 --> "
                                      "00:00:09.440”)")
        words = [k for k in block if k > timed]
        if words:
            said = _cue_words("\n".join(lines[k] for k in words))
            if said:
                cues.append(_Cue(words[0] + 1, _clock(m["start"]), said))
        block = []
    return cues


def _clock(time: str) -> str:
    """ "04:12.500" or "0:04:12,500" as "00:04:12"."""
    parts = re.split(r"[.,]", time)[0].split(":")
    hours = int(parts[0]) if len(parts) == 3 else 0
    return f"{hours:02}:{parts[-2]}:{parts[-1]}"


def _cue_words(payload: str) -> list[tuple[str | None, str]]:
    """Who says what in a cue: Teams' <v Speaker> voice tags, or Zoom's "Speaker: " before
    the words; other tags are dropped and character references read."""
    parts: list[tuple[str | None, str]] = []
    voices = list(_VOICE.finditer(payload))
    if voices:
        parts.append((None, payload[:voices[0].start()]))
        for v, nxt in zip(voices, [*voices[1:], None]):
            name = " ".join(html.unescape(_TAG.sub("", v["speaker"] or "")).split())
            parts.append((name or None, payload[v.end():nxt.start() if nxt else len(payload)]))
    else:
        for line in payload.split("\n"):
            bare = _TAG.sub("", line)
            m = _CUE_SPEAKER.match(bare)
            if m and _cue_speaker(m["speaker"]):
                parts.append((" ".join(m["speaker"].split()), bare[m.end():]))
            elif parts:
                parts[-1] = (parts[-1][0], parts[-1][1] + "\n" + line)
            else:
                parts.append((None, line))
    out = []
    for speaker, said in parts:
        words = " ".join(html.unescape(_TAG.sub("", said)).split())
        if words:
            out.append((speaker, words))
    return out


def _cue_speaker(label: str) -> bool:
    """Whether the words before a colon name a speaker ("Jane O'Neil (DfE)"), not begin a
    sentence ("So the thing is: …") or give a time."""
    if "," in label and not re.fullmatch(r"[A-Z][^,]*, [A-Z][^,]*", label):
        return False    # but "Smith, Jane (DfE)", as Outlook and so Zoom and Teams name people
    return (len(label.split()) <= 5 and not re.search(r"[?!;\"“”]|^\d", label)
            and label.strip().lower() not in _HEADER_LABELS)
