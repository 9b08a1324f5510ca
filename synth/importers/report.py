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
        counts = ", ".join(f"{v:,} {_one(k) if v == 1 else k}" for k, v in self.counts.items())
        out = [f"{self.path} ({self.kind}): {counts}"]
        out += [f"  ! {w}" for w in self.warnings]
        return out


def _one(counted: str) -> str:
    """A count's name for one: its first plural word singular ("1 document", "1 vote event
    read", "1 participant with a Pol.is group"; the names are written in the plural)."""
    words = counted.split(" ")
    for i, w in enumerate(words):
        if len(w) > 2 and w.endswith("s") and not w.endswith("ss"):
            words[i] = w[:-1]
            break
    return " ".join(words)
