"""synth.votes.statement_figures, the one source of per-statement figures: checked against counts
computed here with plain SQL on the sample study, overall and for one opinion group, and shown to
be what the evidence (coding) and the report (exports) print."""
from __future__ import annotations

import pytest

from synth.votes.statement_figures import (Tally, group_membership, percent,
                                           statement_tallies)


def _sql_counts(project, join: str = "", where: str = "") -> dict[int, tuple[int, int, int]]:
    """(agree, disagree, pass) per statement, written independently of the module under test."""
    return {r[0]: (r[1], r[2], r[3]) for r in project.query(
        "SELECT v.statement_id, sum(CASE WHEN v.value = 1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN v.value = -1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN v.value = 0 THEN 1 ELSE 0 END) "
        f"FROM votes v {join} {where} GROUP BY v.statement_id")}


def _as_counts(t: Tally) -> tuple[int, int, int]:
    return t.agree, t.disagree, t.passed


def test_overall_and_polis_group_counts_equal_sql(sample_project):
    p = sample_project
    if p.scalar("SELECT count(*) FROM analysis_runs WHERE kind = 'opinion_groups'"):
        pytest.skip("the sample import ran its own opinion groups")
    figures = statement_tallies(p)
    overall = _sql_counts(p)
    assert overall, "the sample study has votes"
    voted = {sid for sid, f in figures.items() if f.from_votes}
    assert voted == set(overall)
    for sid, counts in overall.items():
        f = figures[sid]
        assert _as_counts(f.overall) == counts
        assert f.overall.n == sum(counts)
        assert f.overall.pct_agree == pytest.approx(100 * counts[0] / sum(counts))
    # no run yet: Pol.is's own groups; group id 0 is "A"
    group_a = _sql_counts(p, "JOIN participants p ON p.id = v.participant_id",
                          "WHERE p.polis_group = 0")
    assert group_a
    for sid, f in figures.items():
        if sid in group_a:
            assert _as_counts(f.groups["A"]) == group_a[sid]
        else:
            assert "A" not in f.groups
    membership, runs = group_membership(p)
    assert runs == []
    assert {pid for pid, g in membership.items() if g == "A"} == {
        r[0] for r in p.query("SELECT id FROM participants WHERE polis_group = 0")}


def test_after_a_run_groups_are_the_latest_runs_members(sample_project):
    from synth.votes.project_analysis import run_opinion_groups
    p = sample_project
    run_opinion_groups(p, seed=0)
    run_opinion_groups(p, seed=1, k=2)          # the later run is the one shown
    run = p.scalar("SELECT max(id) FROM analysis_runs WHERE kind = 'opinion_groups'")
    membership, runs = group_membership(p)
    assert runs == [run]
    assert set(membership.values()) == {"A", "B"}
    group_b = _sql_counts(p, "JOIN group_members g ON g.participant_id = v.participant_id",
                          f"WHERE g.run_id = {int(run)} AND g.group_id = 1")
    ids = sorted(group_b)[:40]
    figures = statement_tallies(p, ids + [10 ** 9])  # an unknown id is left out
    assert sorted(figures) == ids
    for sid in ids:
        assert _as_counts(figures[sid].groups["B"]) == group_b[sid]
        g = figures[sid].groups
        assert sum(t.n for t in g.values()) <= figures[sid].overall.n


def test_evidence_and_report_print_the_engine_figures(sample_project):
    from coding.figures import statement_figures
    from exports import content
    p = sample_project
    figures = statement_tallies(p)
    report = content.tallies(p)
    groups = content.opinion_groups(p)
    assert report == {sid: f.overall for sid, f in figures.items() if f.known}
    some = sorted(report)[:30]
    shown = statement_figures(p, some)
    for sid in some:
        assert shown[sid].overall == figures[sid].overall
        assert shown[sid].groups == figures[sid].groups
        assert len(shown[sid].voters) == figures[sid].overall.n
        for gid, name in groups.labels.items():
            assert name == f"Group {chr(ord('A') + gid)}"
            mine = figures[sid].groups.get(chr(ord("A") + gid))
            assert groups.tallies.get(gid, {}).get(sid) == mine


def test_imported_tallies_stand_in_for_votes(project):
    from synth.project import now_iso
    with project.transaction() as db:
        db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                   "(1, 'tallies', 'Statements with counts', ?)", (now_iso(),))
        db.executemany("INSERT INTO statements(id, source_id, external_id, text, agree_tally, "
                       "disagree_tally, pass_tally) VALUES (?, 1, ?, ?, ?, ?, ?)",
                       [(1, "1", "Counted", 29, 171, None), (2, "2", "Uncounted", None, None,
                                                                None)])
    figures = statement_tallies(project)
    assert figures[1].from_tallies and not figures[1].from_votes and figures[1].groups == {}
    assert _as_counts(figures[1].overall) == (29, 171, 0)
    assert not figures[2].known and figures[2].overall.n == 0


@pytest.mark.parametrize("a, n, whole", [(29, 200, 15), (1, 8, 13), (169, 200, 85),
                                         (1, 3, 33), (2, 3, 67), (0, 5, 0), (5, 5, 100)])
def test_whole_per_cents_round_half_up(a, n, whole):
    """84.5 prints as 85 and 14.5 as 15, though ``round`` gives 84 and float arithmetic 14."""
    assert percent(a, n) == whole
    assert Tally(a, n - a, 0).whole_pct() == whole
    assert Tally(a, 0, n - a).whole_pct("pass") == percent(n - a, n)
    with pytest.raises(ValueError):
        percent(1, 0)


def test_many_statements_are_read_in_parts_with_the_same_figures(sample_project,
                                                                 monkeypatch):
    """Ids past one query's limit (synth.sql.IN_LIMIT, here made 7) are read part by part:
    the same figures, groups and voters as one reading of every statement."""
    from synth import sql
    from synth.votes import statement_figures
    p = sample_project
    whole = statement_tallies(p, voters=True)
    ids = sorted(whole)
    assert len(ids) > 100
    parts = []

    def seven(values):
        parts.extend(sql.chunks(values, 7))
        return sql.chunks(values, 7)
    monkeypatch.setattr(statement_figures, "chunks", seven)
    read = statement_tallies(p, ids + [10 ** 9], voters=True)
    assert len(parts) == -(-(len(ids) + 1) // 7)
    assert read == whole
    assert sum(len(f.voters) for f in read.values()) == p.scalar("SELECT count(*) FROM votes")
