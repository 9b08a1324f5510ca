"""Coded spans and their passage cards: the rule every change to codings keeps.

Offsets are Python characters (code points) into ``documents.text``, as the importers and
REFI-QDA count them. A span is trimmed of surrounding white space before it is stored, so the
same words selected with or without the trailing blank give the same coding. Every distinct
coded span has a passage (card); a coded passage no code holds any more goes, unless it is
evidence or a quote. The `.qdpx` importer and the coding operations (``coding.passages``) both
write codings, so the rule lives here, in the engine.
"""
from __future__ import annotations

from .operations import Tx


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sync_coded_passages(tx: Tx, document_id: int) -> None:
    """Give every coded span a passage card and retire coded passages no code holds."""
    spans = {}
    for cid, tid, s, e in tx.query("SELECT id, theme_id, start, end FROM codings "
                                   "WHERE document_id = ? ORDER BY id", (document_id,)):
        spans.setdefault((s, e), tid)
    existing = {(r[1], r[2]): (r[0], r[3]) for r in tx.query(
        "SELECT id, start, end, origin FROM passages WHERE document_id = ? "
        "ORDER BY origin = 'coded' DESC, id", (document_id,))}
    for (s, e), tid in spans.items():
        if (s, e) in existing:
            continue
        speaker = tx.query("SELECT speaker, speaker_role FROM passages WHERE document_id = ? "
                           "AND origin = 'split' AND start <= ? AND end >= ? "
                           "ORDER BY start DESC LIMIT 1", (document_id, s, s))
        who, role = (speaker[0][0], speaker[0][1]) if speaker else ("", "")
        (pid,) = tx.insert("passages", {"document_id": document_id, "start": s, "end": e,
                                        "speaker": who, "speaker_role": role, "origin": "coded"})
        if tx.get("card_places", ("passage", pid)) is None:
            tx.insert("card_places", {"card_kind": "passage", "card_id": pid, "theme_id": tid})
    for (s, e), (pid, origin) in existing.items():
        if origin != "coded" or (s, e) in spans:
            continue
        used = tx.scalar("SELECT 1 FROM evidence WHERE item_kind = 'passage' AND item_id = ? "
                         "UNION SELECT 1 FROM quotes WHERE item_kind = 'passage' AND item_id = ?",
                         (pid, pid))
        if used:
            continue
        tx.delete("card_places", ("passage", pid))
        tx.delete("passages", pid)
