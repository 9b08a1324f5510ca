"""A small but complete study for the export tests, built in a second: a debate with single votes
and two opinion groups, workshop notes in two cities, two transcripts, characteristics, themes
with cards, evidence, quotes and numbered recommendations.

Built through the importers (transcripts) and the board's operations (themes, cards) where those
exist, and by SQL where the parts of Synth that would write them (coding, votes) are elsewhere.
"""
from __future__ import annotations

import random
from pathlib import Path

STATEMENTS = [
    # text, theme, P(agree) for group 0, for group 1
    ("Being able to work from home some of the week has improved my work-life balance.",
     "hybrid", 0.70, 0.95),
    ("The 60% office attendance requirement is applied fairly across my department.",
     "hybrid", 0.15, 0.55),
    ("There is rarely a good reason to travel to the office when most meetings are on Teams.",
     "hybrid", 0.85, 0.35),
    ("My line manager trusts me to manage my own time.", "management", 0.30, 0.90),
    ("Managers need training to lead hybrid teams well.", "management", 0.85, 0.84),
    ("Performance is judged on presence rather than results.", "management", 0.80, 0.20),
    ("I have the equipment I need to work well at home.", "tech", 0.40, 0.85),
    ("The office wifi and booking system often stop me working.", "tech", 0.75, 0.45),
    ("Remote working opens jobs to disabled people outside big cities.", "inclusion", 0.88, 0.86),
    ("People on compressed hours are treated as less committed.", "inclusion", 0.70, 0.25),
    ("I feel isolated when I work from home for several days.", "wellbeing", 0.35, 0.30),
    ("=HYPERLINK(\"http://evil.example\",\"click\") is how I'd fix the intranet",
     "tech", 0.5, 0.5),
]

NOTES = [
    ("Manchester", "keep", "hybrid", "No commute = 2 extra hours a day with my family", 4),
    ("Manchester", "add", "management", "+ Train managers to judge outcomes, not hours", 6),
    ("Manchester", "ditch", "tech", "-Hot desks with no monitors", 2),
    ("Cardiff", "add", "tech", "@IT: a second screen for everyone at home", 5),
    ("Cardiff", "keep", "inclusion", "Remote by default opens jobs to people in the valleys", 3),
    ("Cardiff", "add", "wellbeing", "Team days in the office that have a purpose", 7),
]

TRANSCRIPTS = {
    "Manchester": ("Facilitator: Let's start with scenario A, fully remote.\n"
                   "P1: Keep it. I get two hours of my day back and I'm a better parent for it.\n"
                   "P2: My manager still counts who is at their desk; that has to change.\n"
                   "Facilitator: Anything to add?\n"
                   "P3: A proper chair and a second screen at home, like we'd get in the office.\n"),
    "Cardiff": ("Facilitator: Bore da. Scenario B, the office as a hub.\n"
                "P1: For people in the valleys, remote working opens up jobs that used to mean "
                "moving to Cardiff. That's a big deal.\n"
                "P2: I'd ditch the booking system, it never has a desk when you need one.\n"
                "P4: Days in the office only work when the whole team is there for a reason.\n"),
}

THEMES = [("Hybrid working", "hybrid", "Flexibility is valued, but the attendance rule is "
           "seen as unfair."),
          ("Management and trust", "management", "People want to be judged on results."),
          ("Technology and the office", "tech", "Kit at home and in the office lets people "
           "down."),
          ("Inclusion", "inclusion", "Remote work widens who can take part."),
          ("Wellbeing", "wellbeing", "Connection matters as much as flexibility.")]


def build_study(project, tmp: Path, *, seed: int = 7, participants: int = 80,
                with_run: bool = True) -> dict:
    """Fill ``project`` with the study; returns ids the tests need."""
    from synth import board
    from synth.importers.documents import import_document
    rng = random.Random(seed)
    db = project.db
    with project.transaction():
        debate = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                            "('debate', 'Future of work debate', '2025-03-01')").lastrowid
        pids, groups = [], {}
        for i in range(participants):
            g = 0 if i < participants * 0.65 else 1
            pid = db.execute("INSERT INTO participants(source_id, external_id, polis_group) "
                             "VALUES (?,?,?)", (debate, str(i), g)).lastrowid
            pids.append(pid)
            groups[pid] = g
        sids, theme_of = [], {}
        for j, (text, theme, pa, pb) in enumerate(STATEMENTS):
            sid = db.execute("INSERT INTO statements(source_id, external_id, text, is_seed) "
                             "VALUES (?,?,?,?)", (debate, str(j), text, int(j < 8))).lastrowid
            sids.append(sid)
            theme_of[sid] = theme
            for pid in pids:
                if rng.random() < 0.15:
                    continue  # did not vote on it
                p = pa if groups[pid] == 0 else pb
                r = rng.random()
                v = 1 if r < p else (0 if r < p + 0.1 else -1)
                db.execute("INSERT INTO votes(statement_id, participant_id, value) "
                           "VALUES (?,?,?)", (sid, pid, v))
        # a meta statement and a moderated-out one, which the report must leave out
        db.execute("INSERT INTO statements(source_id, external_id, text, is_meta) VALUES "
                   "(?, 'm1', 'Is this debate anonymous?', 1)", (debate,))
        db.execute("INSERT INTO statements(source_id, external_id, text, moderation) VALUES "
                   "(?, 'x1', 'Spam spam spam', -1)", (debate,))
        if with_run:
            run = db.execute("INSERT INTO analysis_runs(kind, created) VALUES "
                             "('opinion_groups', '2025-03-02')").lastrowid
            db.executemany("INSERT INTO group_members(run_id, participant_id, group_id) "
                           "VALUES (?,?,?)", [(run, p, g) for p, g in groups.items()])
        # characteristics: debate participants and workshop participants
        chars = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                           "('characteristics', 'characteristics', '2025-03-01')").lastrowid
        for pid in pids:
            db.execute("INSERT INTO participant_attributes VALUES (?,?,?,?)",
                       (pid, "gender", rng.choice(["Woman", "Man", "Prefer not to say"]), chars))
            if rng.random() < 0.9:
                db.execute("INSERT INTO participant_attributes VALUES (?,?,?,?)",
                           (pid, "line manager", rng.choice(["Yes", "No"]), chars))
        for city, n in (("Manchester", 12), ("Cardiff", 7)):
            for k in range(n):
                wp = db.execute("INSERT INTO participants(source_id, external_id) VALUES "
                                "(?,?)", (chars, f"{city}-{k}")).lastrowid
                db.execute("INSERT INTO participant_attributes VALUES (?,?,?,?)",
                           (wp, "site", city, chars))
                db.execute("INSERT INTO participant_attributes VALUES (?,?,?,?)",
                           (wp, "gender", rng.choice(["Woman", "Man"]), chars))
        note_ids = []
        for city in ("Manchester", "Cardiff"):
            src = db.execute("INSERT INTO sources(kind, name, site, workshop, imported_at) "
                             "VALUES ('workshop', ?, ?, ?, '2025-03-05')",
                             (f"{city} notes", city, f"{city} co-design workshop")).lastrowid
            for site, act, theme, text, dots in NOTES:
                if site == city:
                    nid = db.execute("INSERT INTO notes(source_id, text, site, workshop, "
                                     "activity, dot_votes) VALUES (?,?,?,?,?,?)",
                                     (src, text, city, f"{city} co-design workshop", act,
                                      dots)).lastrowid
                    note_ids.append((nid, theme))
    for city, text in TRANSCRIPTS.items():
        f = tmp / f"{city.lower()}_table.txt"
        f.write_text(text, encoding="utf-8")
        import_document(project, f, site=city, workshop=f"{city} co-design workshop")
    passages = project.query("SELECT p.id, d.site, substr(d.text, p.start + 1, p.end - p.start) "
                             "FROM passages p JOIN documents d ON d.id = p.document_id "
                             "WHERE p.speaker_role != 'facilitator' ORDER BY p.id")
    passage_theme = {}
    for pid_, site, text in passages:
        t = ("management" if "manager" in text else "tech" if ("screen" in text or "booking"
             in text) else "inclusion" if "valleys" in text else "wellbeing" if "team" in text
             else "hybrid")
        passage_theme[pid_] = t
    theme_ids = {}
    for name, key, summary in THEMES:
        cards = [("statement", s) for s in sids if theme_of[s] == key]
        cards += [("note", n) for n, t in note_ids if t == key]
        cards += [("passage", p) for p, t in passage_theme.items() if t == key]
        tid = project.history.apply(board.CreateTheme(name, cards))
        project.history.apply(board.UpdateTheme(tid, {"description": summary}))
        theme_ids[key] = tid
    with project.transaction():
        # curated evidence, quotes and recommendations (what coding/ will write)
        for pos, (key, sid) in enumerate((k, s) for s in sids for k in [theme_of[s]]):
            db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role, position) "
                       "VALUES (?, 'statement', ?, 'shared', ?)", (theme_ids[key], sid, pos))
        for nid, key in note_ids:
            db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) "
                       "VALUES (?, 'note', ?, 'want')", (theme_ids[key], nid))
        quote_ids = []
        for pid_, key in passage_theme.items():
            text = project.scalar("SELECT substr(d.text, p.start + 1, p.end - p.start) FROM "
                                  "passages p JOIN documents d ON d.id = p.document_id WHERE "
                                  "p.id = ?", (pid_,))
            start = text.index(". ") + 2 if ". " in text[:-3] else 0
            qid = db.execute("INSERT INTO quotes(item_kind, item_id, start, end) VALUES "
                             "('passage', ?, ?, ?)", (pid_, start, len(text))).lastrowid
            quote_ids.append(qid)
            db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                       "(?, 'quote', ?, 'support')", (theme_ids[key], qid))
        for key, tid in theme_ids.items():
            mine = [s for s in sids if theme_of[s] == key]
            for k in range(3):
                rid = db.execute("INSERT INTO recommendations(theme_id, position, title, text) "
                                 "VALUES (?,?,?,?)",
                                 (tid, k, f"Recommendation {k + 1} on {key}",
                                  "Departments should act on what participants told us.")
                                 ).lastrowid
                if mine:
                    db.execute("INSERT INTO evidence(recommendation_id, item_kind, item_id) "
                               "VALUES (?, 'statement', ?)", (rid, mine[k % len(mine)]))
        db.execute("INSERT INTO codings(theme_id, document_id, start, end, coder) "
                   "SELECT ?, d.id, p.start, p.end, 'RA' FROM passages p JOIN documents d ON "
                   "d.id = p.document_id WHERE p.speaker_role != 'facilitator'",
                   (theme_ids["hybrid"],))
        db.execute("INSERT INTO memos(target_kind, target_id, text, author) VALUES "
                   "('theme', ?, 'Check against the Cardiff notes', 'RA')",
                   (theme_ids["hybrid"],))
    return {"statements": sids, "themes": theme_ids, "notes": note_ids, "quotes": quote_ids}


def add_turn(db, said: str, theme: int, *, after: str = "") -> tuple[int, int, int]:
    """Append a participant's turn "P5: said" (then ``after``) to the study's first transcript,
    as a passage placed in ``theme``, on the transaction ``db``. Returns the document's id, the
    passage's start and its id."""
    doc, text = db.execute("SELECT id, text FROM documents ORDER BY id LIMIT 1").fetchone()
    start = len(text) + len("\nP5: ")
    db.execute("UPDATE documents SET text = ? WHERE id = ?", (text + "\nP5: " + said + after, doc))
    pid = db.execute("INSERT INTO passages(document_id, start, end, speaker, speaker_role) "
                     "VALUES (?,?,?,?,?)",
                     (doc, start, start + len(said), "P5", "participant")).lastrowid
    db.execute("INSERT INTO card_places(card_kind, card_id, theme_id) VALUES ('passage', ?, ?)",
               (pid, theme))
    return doc, start, pid
