"""A small study built in SQL for the coding tests: a debate with votes and two opinion groups,
workshop notes from two cities, and a transcript imported from a .txt file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

TRANSCRIPT = """Facilitator: Thanks for coming. Scenario A, fully remote by default. What would you keep?
P1: Honestly, not coming in. I'm in Paisley, it's not far, but it's the time. And the cost.
P2: For me it's the people out in the islands. If the job's remote, somebody in Stornoway can do it.
P3: I'd ditch it for the young ones. I was working from my bedroom for two years. It was grim.
Facilitator: What would you add?
P2: Kit. I bought my own chair. Two hundred quid. And a proper screen would help.
"""

# statement -> list of (participant index, value); participants 0-5 are group A (id 0), 6-9 B
VOTES = {
    1: [(0, 1), (1, 1), (2, 1), (3, -1), (4, 0), (5, 1), (6, 1), (7, -1), (8, -1), (9, 0)],
    2: [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1), (9, 1),
        (0, 1)],  # the duplicate (0, 1) is dropped: one vote per participant
    3: [(0, 1), (6, -1), (7, 0)],
}


def build(project: Any, tmp: Path) -> dict[str, Any]:
    from synth.importers.documents import import_document
    ids: dict[str, Any] = {}
    with project.transaction() as db:
        debate = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                            "('debate', 'Online debate', '2025-01-01')").lastrowid
        people = [db.execute("INSERT INTO participants(source_id, external_id, polis_group) "
                             "VALUES (?, ?, ?)", (debate, f"p{i}", 0 if i < 6 else 1)).lastrowid
                  for i in range(10)]
        stmts = {}
        texts = {1: "Working from home has improved my work-life balance.",
                 2: "New starters need time in the office to learn.",
                 3: "The office is too far from where I live."}
        for k, text in texts.items():
            stmts[k] = db.execute("INSERT INTO statements(source_id, external_id, text) "
                                  "VALUES (?, ?, ?)", (debate, str(k), text)).lastrowid
            for pi, value in VOTES[k]:
                db.execute("INSERT OR IGNORE INTO votes(statement_id, participant_id, value) "
                           "VALUES (?, ?, ?)", (stmts[k], people[pi], value))
        workshops = {}
        for site in ("Manchester", "Glasgow"):
            workshops[site] = db.execute(
                "INSERT INTO sources(kind, name, site, workshop, imported_at) VALUES "
                "('workshop', ?, ?, ?, '2025-01-01')",
                (f"{site} notes", site, f"{site} co-design workshop")).lastrowid
        notes = {}
        for key, site, text in (("m1", "Manchester", "No commute = 2 extra hours a day"),
                                ("m2", "Manchester", "Freedom to choose where I work"),
                                ("g1", "Glasgow", "Kit allowance for home working")):
            notes[key] = db.execute("INSERT INTO notes(source_id, text, site, activity) "
                                    "VALUES (?, ?, ?, 'keep')",
                                    (workshops[site], text, site)).lastrowid
    path = tmp / "glasgow_table1.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    report = import_document(project, path, site="Glasgow", workshop="Glasgow co-design workshop")
    ids["document"] = project.scalar("SELECT id FROM documents WHERE source_id = ?",
                                     (report.source_id,))
    ids.update(people=people, statements=stmts, notes=notes, debate=debate)
    return ids


def span(text: str, phrase: str) -> tuple[int, int]:
    i = text.index(phrase)
    return i, i + len(phrase)


def dump(project: Any) -> dict[str, list]:
    """Every table's rows, for comparing the file before and after an undo (not the undo
    history itself, which an undo marks)."""
    out = {}
    for (name,) in project.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT IN ('history', 'sqlite_sequence') ORDER BY name"):
        out[name] = sorted(tuple(r) for r in project.query(f"SELECT * FROM {name}"))
    return out


def recommendations_panel(qtbot: Any, project: Any, theme: int) -> Any:
    """A Recommendations panel on ``project``, shown (700 × 900) on ``theme``."""
    from ui.coding import RecommendationsPanel
    panel = RecommendationsPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.resize(700, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_theme(theme)
    return panel


def recommendation_with_a_statement(project: Any, tmp: Path) -> tuple[dict[str, Any], int, int]:
    """The study (``build``), a theme "Hybrid work" and its recommendation "Keep hybrid
    working" backed by the study's second statement: (ids, theme id, recommendation id)."""
    from coding.evidence import LinkEvidence
    from coding.recommendations import AddRecommendation
    from synth.board import CreateTheme
    ids = build(project, tmp)
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    project.history.apply(LinkEvidence([("statement", ids["statements"][1])],
                                       recommendation_id=rec))
    return ids, theme, rec
