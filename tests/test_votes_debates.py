"""Vote figures of a study with more than one debate, and the report's reading of them: the
statements listed, the opinion groups (each debate's own), the opinion map."""
from __future__ import annotations

import numpy as np
import pytest

from tests import debates_study


@pytest.fixture
def debates(tmp_path):
    p = debates_study.build(tmp_path / "debates.synth")
    yield p
    p.close()


# --------------------------------------------------------------------------- statements listed
def test_the_report_lists_the_statements_the_engine_lists(debates):
    from exports import content
    from synth.votes.statement_figures import listed_statements
    with debates.transaction() as db:
        db.execute("UPDATE statements SET is_meta = 1 WHERE id = 2")
        db.execute("UPDATE statements SET is_seed = 1 WHERE id = 4")
    listed = content.statements(debates)
    assert list(listed) == [sid for sid, _text in listed_statements(debates)] == [1, 3, 4, 5]
    assert [(s.id, s.ref, s.text, s.is_seed, s.source_id) for s in listed.values()] == \
        [(r[0], str(r[2]), r[1], bool(r[3]), r[4])
         for r in listed_statements(debates, "external_id", "is_seed", "source_id")]
    assert listed[4].is_seed and listed[4].source_id == 2
    with pytest.raises(ValueError):
        listed_statements(debates, "text; DROP TABLE votes")


# --------------------------------------------------------------------------- the opinion map
def _dense_map(project, pids):
    """The map as group_map drew it before it went sparse: a dense participants × statements
    table, NaN where no vote, filled with each statement's mean, centred, and its SVD."""
    index = {p: i for i, p in enumerate(pids)}
    rows = project.query("SELECT participant_id, statement_id, value FROM votes")
    sids = sorted({r[1] for r in rows})
    sindex = {s: j for j, s in enumerate(sids)}
    m = np.full((len(pids), len(sids)), np.nan, dtype=np.float32)
    for p, s, v in rows:
        if p in index:
            m[index[p], sindex[s]] = v
    mean = np.nanmean(np.where(np.isnan(m).all(axis=0), 0, m), axis=0)
    filled = np.where(np.isnan(m), mean, m) - mean
    u, s, _ = np.linalg.svd(filled, full_matrices=False)
    return u[:, :2] * s[:2]


def _same_map(a, b):
    """Equal up to each axis's sign (an SVD's axes have none of their own) and float32."""
    assert a.shape == b.shape
    for k in range(a.shape[1]):
        sign = 1.0 if np.dot(a[:, k], b[:, k]) >= 0 else -1.0
        np.testing.assert_allclose(a[:, k], sign * b[:, k], atol=1e-4 * max(1, abs(a).max()))


def test_the_opinion_map_of_two_debates_is_unchanged_by_the_sparse_pca(tmp_path, monkeypatch):
    from exports import content
    p = debates_study.build(tmp_path / "plain.synth", projections=False)
    with p.transaction() as db:       # some people voted little: the mean stands in for them
        db.execute("DELETE FROM votes WHERE participant_id IN (5, 6, 7, 120) AND "
                   "statement_id IN (1, 4)")
    try:
        groups = content.opinion_groups(p)
        assert groups.run_id is None           # two runs: no one stored map for both
        pids, xy = content.group_map(p, groups)
        assert pids == sorted(groups.members) and len(pids) == 80
        _same_map(np.asarray(xy), _dense_map(p, pids))
        assert np.abs(xy).max() > 0.5          # a real spread, not all at the origin
        # the dense table is never built: no array the size of participants × statements
        monkeypatch.setattr(np, "full", lambda *a, **k: pytest.fail("a dense vote table"))
        content.group_map(p, groups)
    finally:
        p.close()
