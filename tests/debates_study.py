"""A small study of one or two Pol.is debates, each with its own opinion-group run, whose figures
land on x.5 % (12.5 % must print 13, never Python's 12). The two debates' group 0s are different
people and different sizes (24 in the first debate, 16 in the second), so a figure that adds
them together shows up.

Debate North (source 1): participants 1..40; statements 1 (3/24 agree in its group 0, 10/16 in
its group 1), 2 (Group B: only 8 voted, 1/8) and 3 (no votes). Debate South (source 2):
participants 101..140; statements 4 (2/16 and 15/24), 5 (tallies only) and 6 (moderated out).
Run 1 is an older run of North, no longer in use; run 2 is North's, run 3 South's."""
from __future__ import annotations

import json

import numpy as np

NORTH = list(range(1, 41))
SOUTH = list(range(101, 141))


def _votes(pids: list[int], agree: int, disagree: int) -> list[tuple[int, int]]:
    return [(pid, 1 if i < agree else -1 if i < agree + disagree else 0)
            for i, pid in enumerate(pids)]


def build(path, debates: int = 2, *, projections: bool = True):
    """The study in a new project file; ``debates``: 1 (North only) or 2."""
    from synth.project import Project
    p = Project.create(path)
    north_a, north_b = NORTH[:24], NORTH[24:]
    south_a, south_b = SOUTH[:16], SOUTH[16:]
    with p.transaction() as db:
        sources = ((1, "Debate North"), (2, "Debate South"))[:debates]
        for sid, name in sources:
            db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                       "(?, 'debate', ?, '2025-01-01T00:00:00+00:00')", (sid, name))
        people = [(i, 1, f"n{i}") for i in NORTH]
        if debates > 1:
            people += [(i, 2, f"s{i}") for i in SOUTH]
        db.executemany("INSERT INTO participants(id, source_id, external_id) VALUES (?, ?, ?)",
                       people)
        rows = [(1, 1, "Hybrid working improved my work-life balance."),
                (2, 1, "Office attendance rules are applied fairly."),
                (3, 1, "Nobody voted on this one yet."),
                (4, 2, "Managers need training to lead hybrid teams."),
                (5, 2, "Counted elsewhere: tallies only."),
                (6, 2, "Moderated out: never shown.")]
        db.executemany("INSERT INTO statements(id, source_id, external_id, text) "
                       "VALUES (?, ?, ?, ?)",
                       [(s, src, str(s), t) for s, src, t in rows if src <= debates])
        votes = {1: _votes(north_a, 3, 15) + _votes(north_b, 10, 4),
                 2: _votes(north_a, 15, 9) + _votes(north_b[:8], 1, 6)}
        if debates > 1:
            db.execute("UPDATE statements SET agree_tally = 45, disagree_tally = 30, "
                       "pass_tally = 5 WHERE id = 5")
            db.execute("UPDATE statements SET moderation = -1 WHERE id = 6")
            votes[4] = _votes(south_a, 2, 10) + _votes(south_b, 15, 5)
            votes[6] = _votes(SOUTH, 20, 20)
        db.executemany("INSERT INTO votes(statement_id, participant_id, value) VALUES (?, ?, ?)",
                       [(s, pid, v) for s, vs in votes.items() for pid, v in vs])
        runs = [(1, 1, "2025-01-02T00:00:00+00:00", {pid: pid % 2 for pid in NORTH}),
                (2, 1, "2025-01-03T00:00:00+00:00",
                 {**{pid: 0 for pid in north_a}, **{pid: 1 for pid in north_b}}),
                (3, 2, "2025-01-04T00:00:00+00:00",
                 {**{pid: 0 for pid in south_a}, **{pid: 1 for pid in south_b}})][:1 + debates]
        for run, source, created, members in runs:
            db.execute("INSERT INTO analysis_runs(id, kind, created, params) VALUES "
                       "(?, 'opinion_groups', ?, ?)", (run, created,
                                                      json.dumps({"source_id": source})))
            db.executemany("INSERT INTO group_members(run_id, participant_id, group_id) "
                           "VALUES (?, ?, ?)", [(run, pid, g) for pid, g in members.items()])
    if projections:
        rng = np.random.default_rng(5)
        for run, pids in ((2, NORTH), (3, SOUTH))[:debates]:
            p.put_array(run, "participant_ids", np.array(pids, dtype=np.int64))
            groups = np.array([0 if i < (24 if run == 2 else 16) else 1 for i in range(40)])
            p.put_array(run, "projection", rng.normal(size=(40, 2)) + 3.0 * groups[:, None])
    return p
