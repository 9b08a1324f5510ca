"""Cards dragged between the board and the panels: a list of (kind, id) as JSON under one MIME
type. The board and the coding panels both speak it, so it lives below both."""
from __future__ import annotations

import json

from PySide6.QtCore import QMimeData

CARDS_MIME = "application/x-synth-cards"


def cards_mime(refs: list[tuple[str, int]]) -> QMimeData:
    data = QMimeData()
    data.setData(CARDS_MIME, json.dumps([[k, int(i)] for k, i in refs]).encode("utf-8"))
    return data


def refs_from_mime(data: QMimeData) -> list[tuple[str, int]]:
    if not data.hasFormat(CARDS_MIME):
        return []
    try:
        raw = json.loads(bytes(data.data(CARDS_MIME)).decode("utf-8"))
        return [(str(k), int(i)) for k, i in raw]
    except (ValueError, TypeError):
        return []
