"""statement_tallies for a few statements on a big study (20,000 participants, 2,000,000 votes,
100,000 statements: bench_reliability's synthetic debate, built by bench_ui), as the
recommendations panel asks for it on a click: the groups are one opinion-group run over every
participant (four groups), then Pol.is's own groups instead. Medians of 30 calls, beside the
full reading of every participant's group (groups_in_use) in the same run, into
bench/results/statement_tallies.md.

``python bench/bench_statement_tallies.py [--scale 1.0]``
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from common import median_time, write_fragment


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    from bench_ui import _build_big
    from synth.project import Project
    from synth.votes.statement_figures import groups_in_use, statement_tallies

    folder = Path(tempfile.mkdtemp(prefix="synth-bench-tallies-"))
    path = folder / "big.synth"
    _build_big(path, args.scale)
    try:
        with Project.open(path) as p:
            pids = [r[0] for r in p.query("SELECT id FROM participants ORDER BY id")]
            with p.transaction() as db:
                db.execute("INSERT INTO analysis_runs(id, kind, created, params) VALUES "
                           "(1, 'opinion_groups', '2025-01-01T00:00:00+00:00', ?)",
                           (json.dumps({"source_id": 1}),))
                db.executemany("INSERT INTO group_members(run_id, participant_id, group_id) "
                               "VALUES (1, ?, ?)", [(pid, pid % 4) for pid in pids])
                db.execute("UPDATE participants SET polis_group = id % 3")
            few = [r[0] for r in p.query(
                "SELECT statement_id FROM votes GROUP BY statement_id ORDER BY count(*) DESC, "
                "statement_id LIMIT 5")]
            rows = []
            for case in ("one run", "Pol.is's own groups"):
                if case != "one run":
                    with p.transaction() as db:
                        db.execute("DELETE FROM group_members")
                t_few, _ = median_time(lambda: statement_tallies(p, few), args.repeat)
                t_one, _ = median_time(lambda: statement_tallies(p, few[:1]), args.repeat)
                t_groups, _ = median_time(lambda: groups_in_use(p), args.repeat)
                print(f"{case}: statement_tallies(5 statements) {t_few * 1000:.1f} ms, "
                      f"(1 statement) {t_one * 1000:.1f} ms; groups_in_use "
                      f"{t_groups * 1000:.1f} ms  [{len(pids):,} participants, "
                      f"{p.scalar('SELECT count(*) FROM votes'):,} votes]")
                rows.append(f"| {case} | {t_few * 1000:.1f} ms | {t_one * 1000:.1f} ms | "
                            f"{t_groups * 1000:.1f} ms | {t_groups / t_few:.0f}× |")
            votes = p.scalar("SELECT count(*) FROM votes")
        write_fragment("statement_tallies", "Figures of a few statements on a big study", [
            f"{len(pids):,} participants, {votes:,} votes; medians of {args.repeat} calls.", "",
            "A click in the recommendations panel asks for the figures of a few statements "
            "(`statement_tallies(project, ids)`); reading every participant's group "
            "(`groups_in_use`), which it did before, is the peer in the same run.", "",
            "| groups | 5 statements | 1 statement | every participant's group | ratio |",
            "|---|---|---|---|---|", *rows, "",
            "Reproduce: `.venv/bin/python bench/bench_statement_tallies.py`."])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
