"""Stand-in for the researchers' synthesis session on the sample study, for the report benchmark
and the report's page images in docs/: sort the board as the study's answer key says, write a
summary, quotes and three recommendations per theme with their evidence.

Only benchmarks and documentation use this (the app never reads the answer key). Everything is
written through the board's operations and plain inserts into the tables coding/ owns, exactly
what a team's session would leave in the project.

  python bench/sample_board.py OUT.synth      # import the sample study, sort it, save
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KEY = ROOT / "sample_data" / "answer_key"

RECOMMENDATIONS = {
    "hybrid": ["Set attendance expectations by team purpose, not a single percentage",
               "Publish how attendance rules are applied, department by department",
               "Make team days count: plan them around work that needs people together"],
    "management": ["Give line managers protected time and training to manage",
                   "Judge performance on outcomes, not on presence",
                   "Open senior roles outside London and make sifts transparent"],
    "pay": ["Explain pay differences between departments openly",
            "Restore a predictable route to pay progression",
            "Make recognition timely, specific and fair across grades"],
    "tech": ["Equip everyone to work well at home: second screen, chair, headset",
             "Fix the basics in the office first: desks, wifi, booking",
             "Give teams a say in the tools they use every day"],
    "wellbeing": ["Treat workload as a management responsibility, not a personal failing",
                  "Protect time away from screens and out of hours",
                  "Offer support that reaches people working alone at home"],
    "inclusion": ["Keep remote options that widen who can work for the civil service",
                  "Make reasonable adjustments quick and portable between departments",
                  "Check every office change for its effect on disabled colleagues"],
    "learning": ["Give every civil servant protected learning time",
                 "Value learning on the job as much as courses",
                 "Open development schemes to people outside London"],
}


def sort_board(project) -> dict[str, int]:
    from synth import board
    themes = json.loads((KEY / "themes.json").read_text(encoding="utf-8"))["themes"]
    statement_theme = _read(KEY / "statements.csv", "comment-id")
    note_theme = _read(KEY / "notes.csv", "note_id")
    sids = {r[0]: r[1] for r in project.query(
        "SELECT s.external_id, s.id FROM statements s JOIN sources src ON src.id = s.source_id "
        "WHERE src.kind = 'debate'")}
    nids = {r[0]: r[1] for r in project.query("SELECT external_id, id FROM notes")}
    passages: dict[str, list[int]] = {}
    for d in project.query("SELECT d.id, d.site FROM documents d"):
        passages[d[1].lower()] = [r[0] for r in project.query(
            "SELECT id FROM passages WHERE document_id = ? ORDER BY start", (d[0],))]
    passage_theme: dict[int, str] = {}
    with open(KEY / "passages.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            city = row["file"].split("_")[0]
            ids = passages.get(city, [])
            i = int(row["turn_index"])
            if row["theme"] not in ("", "none") and i < len(ids):
                passage_theme[ids[i]] = row["theme"]
    out = {}
    ops = []
    for t in themes:
        cards = [("statement", sids[c]) for c, th in statement_theme.items()
                 if th == t["id"] and c in sids]
        cards += [("note", nids[n]) for n, th in note_theme.items() if th == t["id"] and n in nids]
        cards += [("passage", p) for p, th in passage_theme.items() if th == t["id"]]
        ops.append((t, cards))
    for t, cards in ops:
        tid = project.history.apply(board.CreateTheme(t["name"], cards,
                                                      description=_one_line(t["description"])))
        out[t["id"]] = tid
    _evidence(project, out)
    return out


def _one_line(description: str) -> str:
    return description.split(".")[0].rstrip(".") + "."


def _read(path: Path, key: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        return {row[key]: row["theme"] for row in csv.DictReader(f)}


def _evidence(project, theme_ids: dict[str, int]) -> None:
    db = project.db
    with project.transaction():
        for key, tid in theme_ids.items():
            stmts = project.query(
                "SELECT c.card_id, count(v.value), sum(v.value = 1) FROM card_places c JOIN votes "
                "v ON v.statement_id = c.card_id WHERE c.card_kind = 'statement' AND c.theme_id = ?"
                " GROUP BY c.card_id ORDER BY count(v.value) DESC, c.card_id LIMIT 4", (tid,))
            for pos, s in enumerate(stmts):
                db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role, position) "
                           "VALUES (?, 'statement', ?, 'shared', ?)", (tid, s[0], pos))
            adds = project.query(
                "SELECT n.id FROM notes n JOIN card_places c ON c.card_kind = 'note' AND "
                "c.card_id = n.id WHERE c.theme_id = ? AND n.activity = 'add' "
                "ORDER BY n.dot_votes DESC, n.id LIMIT 4", (tid,))
            for pos, n in enumerate(adds):
                db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role, position) "
                           "VALUES (?, 'note', ?, 'want', ?)", (tid, n[0], pos))
            quotes = project.query(
                "SELECT p.id FROM passages p JOIN card_places c ON c.card_kind = 'passage' AND "
                "c.card_id = p.id WHERE c.theme_id = ? AND p.speaker_role = 'participant' AND "
                "p.end - p.start BETWEEN 70 AND 260 ORDER BY p.end - p.start DESC LIMIT 2",
                (tid,))
            for q in quotes:
                qid = db.execute("INSERT INTO quotes(item_kind, item_id) VALUES ('passage', ?)",
                                 (q[0],)).lastrowid
                db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                           "(?, 'quote', ?, 'support')", (tid, qid))
            ranked = sorted(stmts, key=lambda s: -(s[2] or 0) / max(1, s[1]))
            for k, title in enumerate(RECOMMENDATIONS.get(key, [])):
                rid = db.execute("INSERT INTO recommendations(theme_id, position, title, text) "
                                 "VALUES (?, ?, ?, ?)", (tid, k, title, "")).lastrowid
                if ranked:
                    db.execute("INSERT INTO evidence(recommendation_id, item_kind, item_id) "
                               "VALUES (?, 'statement', ?)", (rid, ranked[k % len(ranked)][0]))
                if k < len(adds):
                    db.execute("INSERT INTO evidence(recommendation_id, item_kind, item_id) "
                               "VALUES (?, 'note', ?)", (rid, adds[k][0]))
        db.execute("INSERT INTO settings(key, value) VALUES ('report', ?) ON CONFLICT(key) DO "
                   "UPDATE SET value = excluded.value", (json.dumps({
                       "title": "A better place to work in 2030",
                       "subtitle": "What civil servants told us in an online debate and three "
                                   "co-design workshops",
                       "authors": "Policy Lab research team (sample study)",
                   }),))


def build(path: Path) -> Path:
    from synth.importers import import_path
    from synth.project import Project
    with Project.create(path, overwrite=True) as project:
        import_path(project, ROOT / "sample_data")
        try:
            from synth.votes.project_analysis import run_opinion_groups
            run_opinion_groups(project, seed=0)
        except ImportError:
            pass
        sort_board(project)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else "out/sample-sorted.synth")))
