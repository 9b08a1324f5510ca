"""Figures the reliability tests count (steps, kills, inputs), gathered for RELIABILITY.md.

Each test adds its counts here; the file ``bench/results/reliability-tests.json`` then holds the
latest run's figures and ``bench/bench_reliability.py`` writes them into RELIABILITY.md.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "bench" / "results" / "reliability-tests.json"
SOAK = os.environ.get("SYNTH_SOAK") == "1"
CODE_DIRS = ["synth", "coding", "exports", "ui", "main.py"]   # the app's own code


def source_files() -> list[Path]:
    """Every Python file of the app (not tests or benchmarks), for the source scans."""
    out = []
    for d in CODE_DIRS:
        p = ROOT / d
        out += [p] if p.is_file() else sorted(p.rglob("*.py"))
    return out


def record(name: str, **figures: object) -> None:
    """Store ``figures`` under ``name`` (``ci`` or ``soak`` variant), keeping other entries.
    Only when asked (``SYNTH_RECORD=1``: `make soak` and `make figures`), so that an ordinary
    `make test` never changes a tracked file."""
    if os.environ.get("SYNTH_RECORD") != "1":
        return
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(FIGURES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    key = f"{name} ({'soak' if SOAK else 'ci'})"
    data[key] = figures
    tmp = FIGURES.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, FIGURES)
