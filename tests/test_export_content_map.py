"""The report's opinion map for groups no run has mapped (those Pol.is exported): the debate's
map as Pol.is draws it (``synth.votes.vote_map``), which must be the projection an opinion-group
run stores for the same votes (computed there by another path, the replayed conversation):
checked on the sample study and on each debate of the two-debate study."""
from __future__ import annotations

import numpy as np
import pytest

from tests import debates_study


def _stored_projection(project, source_id, pids):
    """A fresh opinion-group run of one debate, and its stored places for ``pids``."""
    from synth.votes.project_analysis import run_opinion_groups
    run_opinion_groups(project, source_id=source_id)
    run = project.scalar("SELECT max(id) FROM analysis_runs WHERE kind = 'opinion_groups'")
    ids = project.get_array(run, "participant_ids").ravel().astype(np.int64).tolist()
    xy = project.get_array(run, "projection")[:, :2]
    return xy[[ids.index(p) for p in pids]]


def test_the_sample_studys_map_is_the_one_a_run_stores(sample_project):
    from exports import content
    groups = content.opinion_groups(sample_project)
    assert groups is not None and groups.run_id is None       # Pol.is's groups: no stored map
    pids, xy = content.group_map(sample_project, groups)
    assert pids == sorted(groups.members) and len(pids) > 500
    source = sample_project.scalar("SELECT DISTINCT source_id FROM statements")
    np.testing.assert_allclose(np.asarray(xy), _stored_projection(sample_project, source, pids),
                               rtol=0, atol=1e-5)
    assert np.abs(xy).max() > 0.5


def test_each_debates_map_is_drawn_from_its_own_votes(tmp_path):
    """Runs that stored no map: each debate's map is its own, as a run of it stores it."""
    from exports import content
    p = debates_study.build(tmp_path / "plain.synth", projections=False)
    try:
        debates = content.opinion_groups(p).per_debate()
        assert [name for name, _g in debates] == ["Debate North", "Debate South"]
        maps = [(g, *content.group_map(p, g)) for _name, g in debates]
        for g, pids, xy in maps:
            assert pids == sorted(g.members) and len(pids) == 40
            source = next(iter(g.groups.values())).source_id
            np.testing.assert_allclose(np.asarray(xy), _stored_projection(p, source, pids),
                                       rtol=0, atol=1e-5)
    finally:
        p.close()


def test_read_votes_reads_a_debates_votes_or_all_in_pieces(sample_project, monkeypatch):
    """The same rows as SQL's, read a few at a time."""
    from synth.votes import matrix
    monkeypatch.setattr(matrix, "PIECE", 7)
    p = sample_project
    every = [tuple(r) for r in p.query("SELECT participant_id, statement_id, value FROM votes")]
    votes, when = matrix.read_votes(p)
    assert len(votes) == len(when) == len(every) > 7
    assert sorted(map(tuple, votes.tolist())) == sorted(every)
    source = p.scalar("SELECT source_id FROM statements s JOIN votes v ON v.statement_id = s.id")
    of_source = {tuple(r) for r in p.query(
        "SELECT v.participant_id, v.statement_id, v.value FROM votes v JOIN statements s ON "
        "s.id = v.statement_id WHERE s.source_id = ?", (source,))}
    assert {tuple(r) for r in matrix.read_votes(p, source)[0].tolist()} == of_source


@pytest.mark.parametrize("debates", [1, 2])
def test_the_groups_derive_what_the_report_reads(tmp_path, debates):
    from exports import content
    from synth.votes.statement_figures import groups_in_use
    p = debates_study.build(tmp_path / "d.synth", debates=debates)
    try:
        in_use = groups_in_use(p)
        g = content.opinion_groups(p, in_use=in_use)
        assert g.groups is in_use.groups
        assert g.labels == {n: x.name for n, x in in_use.groups.items()}
        assert [g.size(n) for n in g.group_ids] == \
            [sum(1 for v in in_use.members.values() if v == n) for n in g.group_ids]
        parts = g.per_debate()
        assert [(name, d.origin, d.run_id, d.group_ids) for name, d in parts] == (
            [("", "analysis run 2", 2, [0, 1])] if debates == 1 else
            [("Debate North", "analysis run 2", 2, [0, 1]),
             ("Debate South", "analysis run 3", 3, [2, 3])])
        if debates == 2:
            assert (g.origin, g.run_id) == ("analysis runs 2, 3", None)
            north = parts[0][1]
            assert set(north.members.values()) == {0, 1} and set(north.tallies) == {0, 1}
    finally:
        p.close()
