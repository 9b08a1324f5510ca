"""Vote matrices straight from Pol.is files, without a project: an export folder (CSV, read by
``synth.importers.polis``) or the JSON the Pol.is API serves (votes.json, comments.json and,
for reference, math-pca2.json). Used by the ``polis`` command, the tests and the benchmark."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import UserError
from .matrix import VoteMatrix, from_votes


@dataclass
class PolisData:
    name: str
    matrix: VoteMatrix
    texts: dict = field(default_factory=dict)            # statement id → text
    polis_groups: dict = field(default_factory=dict)     # participant id → Pol.is group or None
    math: dict | None = None                             # math-pca2.json, when present
    warnings: list[str] = field(default_factory=list)


def _get(d: dict, *keys, default=None):
    for k in keys:
        if k in d:
            return d[k]
    return default


def read_polis_json(folder: str | Path) -> PolisData:
    """votes.json + comments.json as the Pol.is API serves them (either key spelling)."""
    folder = Path(folder)
    try:
        votes = json.loads((folder / "votes.json").read_text(encoding="utf-8"))
        comments = json.loads((folder / "comments.json").read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise UserError(f"{folder}: no {Path(e.filename).name}") from None
    except json.JSONDecodeError as e:
        raise UserError(f"{folder}: not valid JSON ({e})") from None
    math_path = folder / "math-pca2.json"
    math = json.loads(math_path.read_text(encoding="utf-8")) if math_path.exists() else None
    pid = np.array([int(_get(v, "pid", "participant_id")) for v in votes], dtype=np.int64)
    tid = np.array([int(_get(v, "tid", "statement_id")) for v in votes], dtype=np.int64)
    val = np.array([int(v["vote"]) for v in votes], dtype=np.int64)
    when = np.array([float(_get(v, "modified", default="nan") or "nan") for v in votes])
    tids = sorted({int(_get(c, "tid", "statement_id")) for c in comments} | set(tid.tolist()))
    mod_out, meta, texts = [], [], {}
    for c in comments:
        t = int(_get(c, "tid", "statement_id"))
        texts[t] = _get(c, "txt", "text", default="")
        if c.get("is_meta"):
            meta.append(t)
        if c.get("is_meta") or int(_get(c, "mod", "moderated", default=0)) == -1:
            mod_out.append(t)
    vm = from_votes(pid, tid, val, statements=tids, mod_out=mod_out, meta=meta, cast_at=when)
    return PolisData(folder.name, vm, texts, {}, math)


def read_polis_folder(folder: str | Path) -> PolisData:
    """A Pol.is export folder (comments.csv + votes.csv and/or participants-votes.csv), or an
    API folder (votes.json + comments.json)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder (a Pol.is export is a folder of files)")
    if (folder / "votes.json").exists() and not (folder / "comments.csv").exists():
        return read_polis_json(folder)
    from ..importers.polis import read_polis_export

    ex = read_polis_export(folder)
    mod_out = [c.tid for c in ex.comments if c.is_meta or c.moderated == -1]
    meta = [c.tid for c in ex.comments if c.is_meta]
    tids = sorted({c.tid for c in ex.comments} | set(np.asarray(ex.tid).tolist()))
    vm = from_votes(ex.pid, ex.tid, ex.vote, participants=sorted(set(ex.participants)),
                    statements=tids, mod_out=mod_out, meta=meta, cast_at=ex.cast_at)
    return PolisData(folder.name, vm, {c.tid: c.text for c in ex.comments},
                     dict(ex.polis_groups), None, list(ex.warnings))


def polis_state_groups(math: dict) -> dict[int, int]:
    """Participant → Pol.is group from a math-pca2.json (group members are base clusters)."""
    base = math["base-clusters"]
    members = dict(zip(base["id"], base["members"]))
    out = {}
    for g in math["group-clusters"]:
        for b in g["members"]:
            for p in members[b]:
                out[int(p)] = int(g["id"])
    return out
