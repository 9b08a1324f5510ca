"""What an import did: counts and warnings, shown to the researcher and kept with the source."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    path: str
    kind: str
    source_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "source_id": self.source_id,
                "counts": self.counts, "warnings": self.warnings, "options": self.options}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def lines(self) -> list[str]:
        counts = ", ".join(f"{v:,} {k}" for k, v in self.counts.items())
        out = [f"{self.path} ({self.kind}): {counts}"]
        out += [f"  ! {w}" for w in self.warnings]
        return out
