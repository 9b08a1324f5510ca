"""One small typed wrapper over QSettings: every preference the window remembers, in one place.

QSettings returns strings on some platforms and native types on others; reading through typed
properties keeps that mess here instead of at every call site.
"""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings()

    # generic typed access
    def _get(self, key: str, default: Any, kind: type) -> Any:
        v = self._s.value(key, default)
        if v is None:
            return default
        try:
            if kind is bool:
                return v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes")
            return kind(v)
        except (TypeError, ValueError):
            return default

    def _set(self, key: str, value: Any) -> None:
        self._s.setValue(key, value)

    def sync(self) -> None:
        self._s.sync()

    # recent projects
    @property
    def recent_projects(self) -> list[str]:
        raw = self._get("projects/recent", "[]", str)
        try:
            items = json.loads(raw)
        except ValueError:
            return []
        return [str(p) for p in items if isinstance(p, str)][:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        items = [p for p in self.recent_projects if p != path]
        self._set("projects/recent", json.dumps([path, *items][:MAX_RECENT]))

    def remove_recent(self, path: str) -> None:
        self._set("projects/recent",
                  json.dumps([p for p in self.recent_projects if p != path]))

    @property
    def last_folder(self) -> str:
        return self._get("projects/last_folder", "", str)

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self._set("projects/last_folder", value)

    # embedding servers the researcher allowed the cards' texts to go to, on this computer
    @property
    def allowed_servers(self) -> list[str]:
        try:
            items = json.loads(self._get("privacy/allowed_servers", "[]", str))
        except ValueError:
            return []
        return [u for u in items if isinstance(u, str)] if isinstance(items, list) else []

    def allow_server(self, url: str) -> None:
        if url and url not in self.allowed_servers:
            self._set("privacy/allowed_servers", json.dumps([*self.allowed_servers, url]))

    @property
    def last_export_folder(self) -> str:
        return self._get("exports/last_folder", "", str)

    @last_export_folder.setter
    def last_export_folder(self, value: str) -> None:
        self._set("exports/last_folder", value)

    # window layout
    @property
    def geometry(self) -> QByteArray | None:
        v = self._s.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        v = self._s.value("window/state")
        return v if isinstance(v, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._set("window/state", value)

    # board
    @property
    def colour_by(self) -> str:
        return self._get("board/colour_by", "source", str)

    @colour_by.setter
    def colour_by(self, value: str) -> None:
        self._set("board/colour_by", value)

    # presentation
    @property
    def presentation_scale(self) -> float:
        return self._get("presentation/scale", 1.5, float)

    @presentation_scale.setter
    def presentation_scale(self, value: float) -> None:
        self._set("presentation/scale", float(value))

    @property
    def dots_per_voter(self) -> int:
        """Dot voting: how many dots each person has in a session (3, as whiteboards set)."""
        return max(1, self._get("presentation/dots_per_voter", 3, int))

    @dots_per_voter.setter
    def dots_per_voter(self, value: int) -> None:
        self._set("presentation/dots_per_voter", int(value))

    # import column mappings, remembered per header set
    def column_mapping(self, kind: str, headers: list[str]) -> dict[str, str] | None:
        raw = self._get(f"import/mapping/{kind}/{_headers_key(headers)}", "", str)
        if not raw:
            return None
        try:
            m = json.loads(raw)
        except ValueError:
            return None
        return {str(k): str(v) for k, v in m.items() if v in headers}

    def set_column_mapping(self, kind: str, headers: list[str], mapping: dict[str, str]) -> None:
        self._set(f"import/mapping/{kind}/{_headers_key(headers)}", json.dumps(mapping))


def _headers_key(headers: list[str]) -> str:
    import hashlib
    return hashlib.sha1("\x1f".join(h.strip().lower() for h in headers).encode()).hexdigest()[:16]
