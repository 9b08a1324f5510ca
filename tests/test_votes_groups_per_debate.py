"""Opinion groups chosen debate by debate: a debate with an opinion-group run shows its latest
run's groups, a debate without one the groups Pol.is exported for it — recomputing one debate's
groups never hides another's. Expected figures are counted here from the votes table."""
from __future__ import annotations

import pytest

NA, NB = "Group A (Debate North)", "Group B (Debate North)"
SA, SB = "Group A (Debate South)", "Group B (Debate South)"


def _polis_south(p) -> None:
    """South loses its run (3) and keeps the groups Pol.is exported: those who agreed with
    statement 4 are its group 1. North's participants carry Pol.is groups too, which North's
    run (2) replaces."""
    with p.transaction() as db:
        db.execute("DELETE FROM group_members WHERE run_id = 3")
        db.execute("DELETE FROM analysis_runs WHERE id = 3")
        db.execute("UPDATE participants SET polis_group = CASE WHEN id IN (SELECT participant_id "
                   "FROM votes WHERE statement_id = 4 AND value = 1) THEN 1 ELSE 0 END "
                   "WHERE source_id = 2")
        db.execute("UPDATE participants SET polis_group = id % 3 WHERE source_id = 1")


@pytest.fixture
def mixed(debates):
    _polis_south(debates)
    return debates


def _sql_group_counts(p, members_sql: str) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(statement, group id) -> (agree, disagree, pass), from the votes and a member list."""
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in p.query(
        "SELECT v.statement_id, m.g, sum(v.value = 1), sum(v.value = -1), sum(v.value = 0) "
        f"FROM votes v JOIN ({members_sql}) m ON m.pid = v.participant_id GROUP BY 1, 2")}


def test_a_debate_without_a_run_keeps_the_groups_polis_exported(mixed):
    from synth.votes.statement_figures import group_membership, groups_in_use
    g = groups_in_use(mixed)
    south_b = {r[0] for r in mixed.query(
        "SELECT participant_id FROM votes WHERE statement_id = 4 AND value = 1")}
    assert len(south_b) == 17
    assert [(x.name, x.size, x.source_id, x.run_id) for x in g.groups.values()] == \
        [(NA, 24, 1, 2), (NB, 16, 1, 2), (SA, 23, 2, None), (SB, 17, 2, None)]
    assert g.runs == [2] and g.polis == [2]
    assert list(g.groups) == [0, 1, 2, 3]        # numbered debate by debate
    # run 2 and source 2 share a number: their groups are still told apart
    assert len({x.clustering for x in g.groups.values()}) == 2
    members, runs = group_membership(mixed)
    assert runs == [2]
    assert {p for p, lab in members.items() if lab == "A (Debate North)"} == set(range(1, 25))
    assert {p for p, lab in members.items() if lab == "B (Debate North)"} == set(range(25, 41))
    assert {p for p, lab in members.items() if lab == "B (Debate South)"} == south_b
    assert {p for p, lab in members.items() if lab == "A (Debate South)"} == \
        set(range(101, 141)) - south_b


def test_each_debates_figures_come_from_its_own_groups(mixed):
    from synth.votes.statement_figures import statement_tallies
    north = _sql_group_counts(mixed, "SELECT participant_id AS pid, group_id AS g FROM "
                                     "group_members WHERE run_id = 2")
    south = _sql_group_counts(mixed, "SELECT id AS pid, polis_group AS g FROM participants "
                                     "WHERE source_id = 2")
    f = statement_tallies(mixed)
    expected: dict[int, dict[str, tuple[int, int, int]]] = {}
    for (sid, gid), counts in north.items():
        expected.setdefault(sid, {})[f"{'AB'[gid]} (Debate North)"] = counts
    for (sid, gid), counts in south.items():
        expected.setdefault(sid, {})[f"{'AB'[gid]} (Debate South)"] = counts
    got = {sid: {lab: (t.agree, t.disagree, t.passed) for lab, t in x.groups.items()}
           for sid, x in f.items() if x.groups}
    assert got == expected
    assert got[4] == {"A (Debate South)": (0, 15, 8), "B (Debate South)": (17, 0, 0)}


def test_the_report_says_where_each_debates_groups_come_from(mixed, tmp_path):
    from exports import content
    from exports.report import ReportOptions, write_report
    og = content.opinion_groups(mixed)
    assert [(name, d.origin, d.run_id) for name, d in og.per_debate()] == \
        [("Debate North", "analysis run 2", 2), ("Debate South", "Pol.is export", None)]
    assert og.origin == "analysis run 2 (Debate North); Pol.is export (Debate South)"
    assert og.run_id is None
    result = write_report(mixed, tmp_path / "r.docx", ReportOptions(charts=False))
    origin = {f.population: f.origin for f in result.figures
              if f.kind == "count" and f.label.startswith("participants in ")}
    assert origin == {NA: "group membership, analysis run 2",
                      NB: "group membership, analysis run 2",
                      SA: "group membership, Pol.is export", SB: "group membership, Pol.is export"}
    # each group's agreement figures cite its own debate's groups, not the project's mix
    voted = [(f.population, f.origin) for f in result.figures
             if f.population in (NA, NB, SA, SB) and f.origin.startswith("votes of")]
    assert {pop for pop, _o in voted} == {NA, NB, SA, SB}
    for pop, o in voted:
        assert o == f"votes of {pop} ({'analysis run 2' if 'North' in pop else 'Pol.is export'})"


def test_one_debate_with_groups_is_named_as_before(debates):
    """South has neither a run nor Pol.is groups: North's groups alone, named as ever."""
    from exports import content
    from synth.votes.statement_figures import groups_in_use
    with debates.transaction() as db:
        db.execute("DELETE FROM group_members WHERE run_id = 3")
    g = groups_in_use(debates)
    assert [(n, x.name, x.size) for n, x in g.groups.items()] == \
        [(0, "Group A", 24), (1, "Group B", 16)]
    og = content.opinion_groups(debates)
    assert (og.origin, og.run_id) == ("analysis run 2", 2)


def test_a_participant_a_run_placed_is_not_in_a_polis_group_too(mixed):
    """Participant 101 (South, Pol.is group 1) also voted in North and North's run placed them:
    they count once, in the run's group."""
    from synth.votes.statement_figures import groups_in_use
    with mixed.transaction() as db:
        db.execute("INSERT INTO group_members(run_id, participant_id, group_id) "
                   "VALUES (2, 101, 1)")
    g = groups_in_use(mixed)
    assert g.groups[g.members[101]].name == NB
    assert [x.size for x in g.groups.values()] == [24, 17, 23, 16]


def test_a_run_naming_no_debate_keeps_polis_groups_out(mixed):
    """A run made before runs were per debate may hold anyone: while it is in use, Pol.is's
    groups are not (as before)."""
    from synth.votes.statement_figures import groups_in_use
    with mixed.transaction() as db:
        db.execute("UPDATE analysis_runs SET params = '{}' WHERE id IN (1, 2)")
    g = groups_in_use(mixed)
    assert g.polis == [] and g.runs == [2]
    assert [(x.name, x.size) for x in g.groups.values()] == [("Group A", 24), ("Group B", 16)]
