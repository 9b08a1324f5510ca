"""The report's opinion map drawn by a PCA of the grouped participants' votes: the map reads only
those participants' votes (``synth.votes.matrix.read_votes``) and must equal, to 1e-9, the map
of the formula it replaced — every vote read, those of others dropped — on the sample study and
on each debate of the two-debate study."""
from __future__ import annotations

import numpy as np
import pytest

from tests import debates_study


def _map_from_every_vote(project, pids: list[int]) -> np.ndarray:
    """The map as exports.content drew it before: every vote read, then filtered here."""
    from synth.votes.matrix import from_votes
    from synth.votes.polis_math import centred_sparse, pca
    rows = np.asarray([tuple(r) for r in project.query(
        "SELECT participant_id, statement_id, value FROM votes")], dtype=np.int64).reshape(-1, 3)
    votes = rows[np.isin(rows[:, 0], np.asarray(pids, dtype=np.int64))]
    vm = from_votes(votes[:, 0], votes[:, 1], votes[:, 2], participants=pids)
    centred = centred_sparse(vm)
    comps = pca(vm, 2, _centred=centred).comps
    xy = np.zeros((len(pids), 2))
    xy[:, :len(comps)] = centred[0] @ comps.T
    return xy


def test_the_sample_studys_map_is_the_formula_it_replaced(sample_project):
    from exports import content
    groups = content.opinion_groups(sample_project)
    assert groups is not None and groups.run_id is None       # Pol.is's groups: no stored map
    pids, xy = content.group_map(sample_project, groups)
    assert pids == sorted(groups.members) and len(pids) > 500    # more than one batch of ids
    np.testing.assert_allclose(np.asarray(xy), _map_from_every_vote(sample_project, pids),
                               rtol=0, atol=1e-9)
    assert np.abs(xy).max() > 0.5


def test_each_debates_map_reads_its_participants_votes_on_any_debate(tmp_path):
    """North's participants 1..5 voted on South's statement 4 too: their map counts that vote,
    as it always did; South's map never sees North's participants."""
    from exports import content
    p = debates_study.build(tmp_path / "plain.synth", projections=False)
    try:
        with p.transaction() as db:
            db.executemany("INSERT INTO votes(statement_id, participant_id, value) "
                           "VALUES (4, ?, ?)", [(pid, (-1) ** pid) for pid in range(1, 6)])
            db.execute("DELETE FROM votes WHERE participant_id IN (6, 7) AND statement_id = 1")
        debates = content.opinion_groups(p).per_debate()
        assert [name for name, _g in debates] == ["Debate North", "Debate South"]
        for _name, g in debates:
            pids, xy = content.group_map(p, g)
            assert pids == sorted(g.members) and len(pids) == 40
            np.testing.assert_allclose(np.asarray(xy), _map_from_every_vote(p, pids),
                                       rtol=0, atol=1e-9)
    finally:
        p.close()


@pytest.mark.parametrize("share", [1, 4, 20])
def test_read_votes_reads_exactly_the_participants_asked_for(sample_project, monkeypatch,
                                                             share):
    """Many people (a scan, others' votes dropped) or few (the participant index, in batches
    of ids): the same rows as SQL's."""
    from synth.votes import matrix
    monkeypatch.setattr(matrix, "IDS", 7)
    p = sample_project
    every = {tuple(r) for r in p.query("SELECT participant_id, statement_id, value FROM votes")}
    pids = sorted({r[0] for r in every})[::share]
    votes, when = matrix.read_votes(p, participants=pids)
    assert len(votes) == len(when) and len(pids) > 7
    assert {tuple(r) for r in votes.tolist()} == {r for r in every if r[0] in set(pids)}
    assert len(votes) == len({r for r in every if r[0] in set(pids)})
    assert len(matrix.read_votes(p, participants=[])[0]) == 0
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
