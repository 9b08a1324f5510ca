"""The summary of a project that `run` and `info` print."""
from __future__ import annotations

import json
from typing import Any

from .project import Project


def summary_dict(project: Project) -> dict[str, Any]:
    s = project.summary().as_dict()
    s["voters"] = project.scalar("SELECT count(DISTINCT participant_id) FROM votes")
    s["sources_by_kind"] = {r[0]: r[1] for r in project.query(
        "SELECT kind, count(*) FROM sources GROUP BY kind ORDER BY kind")}
    s["sites"] = [r[0] for r in project.query(
        "SELECT DISTINCT site FROM (SELECT site FROM notes UNION SELECT site FROM documents "
        "UNION SELECT site FROM sources WHERE kind IN ('workshop','interview')) "
        "WHERE site != '' ORDER BY site")]
    return s


def print_summary(project: Project) -> None:
    s = summary_dict(project)
    print(f"{project.path.name}: {s['sources']:,} sources · {s['participants']:,} participants "
          f"({s['voters']:,} voted) · {s['statements']:,} statements · {s['votes']:,} votes · "
          f"{s['notes']:,} notes · {s['passages']:,} passages in {s['documents']:,} documents · "
          f"{s['themes']:,} themes")


def summary_json(project: Project) -> str:
    return json.dumps(summary_dict(project), indent=2, ensure_ascii=False)
