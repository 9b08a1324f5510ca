"""Participants' words as they leave the project, the one place every export reads them:
the redactions the researcher confirmed in quotes (at their places in each item and document),
e-mail addresses and phone numbers always masked, names and staff numbers too when stripping
personal data was asked for (the project's choice, ``strip_requested``), the names the project
holds among them (``names_to_strip``). The report, tables, REFI-QDA project and board image
(``exports``) and the evidence JSON (``coding.cli``) all print through here, so they mask the
same words."""
from __future__ import annotations

import json
from typing import Any, Callable, Collection

from .redaction import (apply_redactions, find_personal_data, findings_in_place, known_names,
                        merged_redactions)


def confirmed_redactions(project: Any) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
    """The redactions the researcher confirmed in quotes, by the item quoted, at their places
    in the item's whole text: a name redacted in a quote of a statement is personal data
    wherever that statement is printed (with its figures, as evidence), not only in the
    quote."""
    out: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for kind, item, start, spans in project.query(
            "SELECT item_kind, item_id, start, redactions FROM quotes "
            "WHERE redactions IS NOT NULL AND redactions NOT IN ('', '[]')"):
        at = start or 0
        out.setdefault((kind, item), []).extend(
            (int(a) + at, int(b) + at, str(r)) for a, b, r in json.loads(spans))
    return out


def document_redactions(project: Any,
                         redacted: dict[tuple[str, int], list[tuple[int, int, str]]] | None
                         = None) -> dict[int, list[tuple[int, int, str]]]:
    """The redactions confirmed in quotes of transcript passages and codings, by document, at
    their places in the document's text: a name redacted in a quote of one passage is hidden
    in every passage, coding and export of that document that covers it."""
    redacted = confirmed_redactions(project) if redacted is None else redacted
    out: dict[int, list[tuple[int, int, str]]] = {}
    for table, kind in (("passages", "passage"), ("codings", "coding")):
        ids = [i for k, i in redacted if k == kind]
        if not ids:
            continue
        # one query for the table, not one per redacted item (item_redactions calls this
        # for every passage a report or export prints)
        places = {r[0]: (r[1], r[2]) for r in project.query(
            f"SELECT id, document_id, start FROM {table} WHERE id IN "
            f"(SELECT item_id FROM quotes WHERE item_kind = ?)", (kind,))}
        for i in ids:
            if i in places:
                doc, at = places[i]
                out.setdefault(doc, []).extend((a + at, b + at, r)
                                               for a, b, r in redacted[kind, i])
    return out


def item_redactions(project: Any, kind: str, item_id: int,
                    redacted: dict[tuple[str, int], list[tuple[int, int, str]]] | None = None
                    ) -> list[tuple[int, int, str]]:
    """The redactions confirmed in any quote of an item, at their places in its whole text
    (``item_text``); a passage or coding takes those of its document that fall in it, cut to
    it. ``redacted``: ``confirmed_redactions``, when the caller has read it already."""
    redacted = confirmed_redactions(project) if redacted is None else redacted
    if kind not in ("passage", "coding"):
        return list(redacted.get((kind, item_id), []))
    if not any(k in ("passage", "coding") for k, _ in redacted):
        return []       # no transcript quote redacts anything: no query per passage
    table = "passages" if kind == "passage" else "codings"
    row = project.query(f"SELECT document_id, start, end FROM {table} WHERE id = ?", (item_id,))
    if not row:
        return []
    doc, start, end = row[0]
    return [(max(a, start) - start, min(b, end) - start, r)
            for a, b, r in document_redactions(project, redacted).get(doc, [])
            if b > start and a < end]


def item_words(project: Any, kind: str | None, item_id: int | None, text: str, strip: bool,
               redacted: dict[tuple[str, int], list[tuple[int, int, str]]] | None = None,
               known: Collection[str] | None = None) -> str:
    """An item's words as every export prints them: ``text`` (the item's whole text, as
    ``item_text`` reads it) with the redactions the researcher confirmed in any quote of the
    item, then e-mail addresses and phone numbers masked, names and staff numbers too when
    ``strip`` (the names the project holds among them: ``known``, ``names_to_strip``).
    ``redacted``, ``known``: read once by a caller printing many."""
    if kind is not None and item_id is not None:
        spans = item_redactions(project, kind, item_id, redacted)
        if spans:
            text = apply_redactions(text, spans)
    known = names_to_strip(project, strip) if known is None else known
    if not strip or item_id is None or kind not in ("passage", "coding"):
        return mask_personal_data(text, names=strip, known=known)
    # a passage read with the start of its line, as the document export reads it: the label
    # before it is a cue ("Note-taker: Sam." is the passage "Sam.")
    return _replaced_keeping_places(text, [(f.start, f.end, f.replacement) for f in
                                           findings_in_place(project, kind, item_id, text,
                                                             known=known)])[0]


def names_to_strip(project: Any, strip: bool) -> list[str]:
    """The names the project holds (``coding.redaction.known_names``: its transcripts'
    speakers …) that stripping masks wherever they appear; none when not stripping. Every
    export reads them here, so the report, the tables, the REFI-QDA project and the board image
    mask the same names."""
    return known_names(project) if strip else []


def words_keeping_places(text: str, redactions: list[tuple[int, int, str]], strip: bool,
                         known: Collection[str] = ()) -> tuple[str, Callable[[int, bool], int]]:
    """``item_words`` of a whole document (``redactions`` at their places in it:
    ``document_redactions``), and where a position of ``text`` lands in it, as
    ``mask_keeping_places`` says: a coded span keeps its words."""
    redacted, first = _replaced_keeping_places(text, merged_redactions(redactions))
    masked, then = mask_keeping_places(redacted, strip, known)
    return masked, lambda pos, is_end=False: then(first(pos, is_end), is_end)


STRIP_SETTING = "strip_personal_data"


def strip_requested(project: Any) -> bool:
    """Whether the researcher asked for personal data to be stripped from what leaves the
    project (the project setting ``strip_personal_data``): the report and the board image
    then mask every name, e-mail address, phone and staff number the detector finds."""
    return bool(project.setting(STRIP_SETTING, False))


def mask_personal_data(text: str, names: bool = False, known: Collection[str] = ()) -> str:
    """A safety net under the researcher's confirmed redactions: e-mail addresses and phone
    numbers in participants' words are always masked before they leave the project
    (coding.redaction finds them). Names and staff numbers need the researcher's judgement
    (the detector also proposes look-alikes), so they are masked only when stripping personal
    data was asked for (``names``, see ``strip_requested``); ``known``: the names the project
    holds (``names_to_strip``), masked wherever they appear."""
    return mask_keeping_places(text, names, known)[0]


def mask_keeping_places(text: str, names: bool = False, known: Collection[str] = ()
                        ) -> tuple[str, Callable[[int, bool], int]]:
    """``mask_personal_data``'s text, and where a position of ``text`` lands in it:
    ``moved(position, is_end)``. A position inside a masked span moves to the start of its
    replacement, or to its end for the end of a span (a coded span keeps what it coded)."""
    kinds = ("email", "phone", "staff_number", "name") if names else ("email", "phone")
    return _replaced_keeping_places(text, [(f.start, f.end, f.replacement)
                                           for f in find_personal_data(
                                               text, kinds, known if names else ())])


def _replaced_keeping_places(text: str, spans: list[tuple[int, int, str]]
                             ) -> tuple[str, Callable[[int, bool], int]]:
    """``text`` with each (start, end, replacement) replaced (in order, not overlapping), and
    where a position of ``text`` lands in it (see ``mask_keeping_places``)."""
    if not spans:
        return text, lambda pos, is_end=False: pos
    places = []         # (start, end, new start, new end), in order, not overlapping
    out, pos, new = [], 0, 0
    for start, end, replacement in spans:
        out.append(text[pos:start])
        new += start - pos
        places.append((start, end, new, new + len(replacement)))
        out.append(replacement)
        new += len(replacement)
        pos = end
    out.append(text[pos:])

    def moved(position: int, is_end: bool = False) -> int:
        shift = 0
        for start, end, new_start, new_end in places:
            if position >= end:
                shift = new_end - end
            elif position > start:
                return new_end if is_end else new_start
            else:
                break
        return position + shift
    return "".join(out), moved


def quote_words(project: Any, q: Any, strip: bool = False,
                redacted: dict[tuple[str, int], list[tuple[int, int, str]]] | None = None,
                known: Collection[str] | None = None) -> str:
    """A quote's words as they may leave the project (``q``: a ``coding.quotes.Quote``): the
    span quoted, with every redaction confirmed in any quote of the item (``item_redactions``,
    moved to the span and cut to it), then masked as ``item_words`` masks; "" when nothing is
    left. Consent is the caller's to check."""
    at = q.start or 0
    spans = [(max(a - at, 0), min(b - at, len(q.text)), r)
             for a, b, r in item_redactions(project, q.item_kind, q.item_id, redacted)
             if b > at and a < at + len(q.text)]
    return mask_personal_data(apply_redactions(q.text, [*q.redactions, *spans]).strip(),
                              names=strip, known=names_to_strip(project, strip)
                              if known is None else known)
