"""statement_tallies for a few statements, without the caller's groups, names its groups from
which debates have anyone in a group instead of reading every member: the figures and names
must be exactly those of the full reading (``in_use=groups_in_use(p)``) in every arrangement of
runs and Pol.is groups."""
from __future__ import annotations

from synth.votes.statement_figures import groups_in_use, statement_tallies


def _same_both_ways(p, ids: list[int]) -> dict:
    full = statement_tallies(p, in_use=groups_in_use(p), voters=True)
    few = statement_tallies(p, ids, voters=True)
    assert few == {sid: full[sid] for sid in ids if sid in full}
    assert statement_tallies(p, voters=True) == full
    one = statement_tallies(p, ids[:1])
    assert one == {sid: statement_tallies(p, ids[:1], in_use=groups_in_use(p))[sid]
                   for sid in one}
    return few


def test_two_debates_each_with_its_run(debates):
    few = _same_both_ways(debates, [1, 2, 4, 5, 6, 999])
    assert sorted(few[1].groups) == ["A (Debate North)", "B (Debate North)"]


def test_one_debates_run_and_the_others_polis_groups(debates):
    with debates.transaction() as db:
        db.execute("DELETE FROM group_members WHERE run_id = 3")
        db.execute("UPDATE participants SET polis_group = id % 2 WHERE source_id = 2")
        db.execute("INSERT INTO group_members(run_id, participant_id, group_id) "
                   "VALUES (2, 101, 1)")      # a South participant North's run placed
    few = _same_both_ways(debates, [4, 1])
    assert few[4].groups["A (Debate South)"].n == 20
    assert few[4].groups["B (Debate North)"].n == 1


def test_a_participant_in_two_runs_counts_once_in_the_later(debates):
    with debates.transaction() as db:       # 101..105 voted in North too; South's run is later
        db.executemany("INSERT INTO votes(statement_id, participant_id, value) VALUES (1, ?, 1)",
                       [(pid,) for pid in range(101, 106)])
        db.executemany("INSERT INTO group_members(run_id, participant_id, group_id) "
                       "VALUES (2, ?, 0)", [(pid,) for pid in range(101, 106)])
    few = _same_both_ways(debates, [1, 4])
    assert few[1].groups["A (Debate South)"].n == 5
    assert few[1].groups["A (Debate North)"].n == 24


def test_a_run_whose_every_member_a_later_run_holds_names_no_debate(debates):
    """North's run (2) is in use but every member of it is in South's later run (3): only
    South's groups have anyone, so they are named as one debate's ("A", not "A (Debate
    South)")."""
    with debates.transaction() as db:
        db.execute("INSERT INTO group_members(run_id, participant_id, group_id) "
                   "SELECT 3, participant_id, 1 FROM group_members WHERE run_id = 2")
    few = _same_both_ways(debates, [1, 4])
    assert sorted(few[1].groups) == ["B"] and few[1].groups["B"].n == 40


def test_only_polis_groups_of_two_debates(debates):
    with debates.transaction() as db:
        db.execute("DELETE FROM group_members")
        db.execute("UPDATE participants SET polis_group = id % 3")
    few = _same_both_ways(debates, [2, 4])
    assert sorted(few[4].groups) == ["A (Debate South)", "B (Debate South)",
                                     "C (Debate South)"]


def test_no_groups_at_all(debates):
    with debates.transaction() as db:
        db.execute("DELETE FROM group_members")
    assert _same_both_ways(debates, [1, 4])[1].groups == {}


def test_the_sample_study_with_polis_groups_then_a_run(sample_project):
    from synth.votes.project_analysis import run_opinion_groups
    p = sample_project
    ids = [r[0] for r in p.query("SELECT id FROM statements ORDER BY id")]
    few = ids[::7][:12]
    assert any(f.groups for f in _same_both_ways(p, few).values())
    run_opinion_groups(p, seed=0)
    assert any(f.groups for f in _same_both_ways(p, few).values())
