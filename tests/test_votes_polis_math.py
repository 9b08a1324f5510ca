"""The math is Pol.is's math: checked against Pol.is's own output (math-pca2.json) for three
public conversations, apart from Pol.is's history (see ../shared/data/polis-math/SOURCES.md).

(a) PCA components equal Pol.is's up to sign, and so do the participants' projections;
(b) started from Pol.is's state (its base clusters, its group clusters, its in-conv
    participants) our group k-means lands on Pol.is's groups exactly;
(c) given Pol.is's groups: per-group vote counts, group-informed consensus, representative
    statements and consensus statements equal Pol.is's.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from synth.votes import polis_math as pm
from synth.votes import repness as rp
from synth.votes.polis_files import polis_state_groups, read_polis_json

DATA = Path(os.environ.get("SYNTH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared"
                           / "data"))
MATH = DATA / "polis-math"
CONVERSATIONS = ["below-100-ptpts", "25ptpt-3gp-no-strict-with-meta",
                 "150ptpt-3gp-no-strict-no-meta"]

pytestmark = pytest.mark.skipif(not MATH.exists(), reason="shared Pol.is fixtures not present")

_cache: dict = {}


def load(name):
    if name not in _cache:
        d = read_polis_json(MATH / name)
        _cache[name] = (d.matrix.drop_unvoted_statements(), d.math)
    return _cache[name]


def polis_labels(vm, math):
    groups = polis_state_groups(math)
    gids = [g["id"] for g in math["group-clusters"]]
    return gids, np.array([gids.index(groups[p]) if p in groups else -1
                           for p in vm.participants.tolist()])


def same(ours, theirs, path=""):
    """Equal structures; numbers equal to 1e-9 (Pol.is keeps rationals where we use floats),
    the repness test to 1e-6 (Pol.is stores it as a 32-bit float)."""
    if isinstance(theirs, dict):
        theirs = {k.replace("-", "_"): v for k, v in theirs.items()}
        assert set(ours) == set(theirs), (path, set(ours) ^ set(theirs))
        for key in theirs:
            same(ours[key], theirs[key], f"{path}/{key}")
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs), (path, ours, theirs)
        for i, (a, b) in enumerate(zip(ours, theirs)):
            same(a, b, f"{path}/{i}")
    elif isinstance(theirs, float) or isinstance(ours, float):
        tol = 1e-6 if path.endswith("repness_test") else 1e-9
        assert ours == pytest.approx(theirs, rel=tol, abs=tol), path
    else:
        assert ours == theirs, path


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_a_pca_components_and_projections_match_polis(name):
    vm, math = load(name)
    assert vm.statements.tolist() == math["tids"]
    ours = pm.pca(vm)
    theirs = np.array(math["pca"]["comps"])
    for i in range(2):
        cosine = abs(ours.comps[i] @ theirs[i]) / np.linalg.norm(theirs[i])
        assert cosine >= 0.99
        assert cosine == pytest.approx(1.0, abs=1e-9)
    # Pol.is computes with agree = −1: its centre is ours negated
    np.testing.assert_allclose(ours.center, -np.array(math["pca"]["center"]), atol=1e-12)
    # participants who are alone in their base cluster sit exactly where Pol.is put them
    proj = pm.project(vm, ours)
    signs = -np.sign([ours.comps[i] @ theirs[i] for i in range(2)])
    index = vm.participant_index()
    base = math["base-clusters"]
    checked = 0
    for x, y, members in zip(base["x"], base["y"], base["members"]):
        if len(members) == 1:
            np.testing.assert_allclose(proj[index[members[0]]] * signs, [x, y], atol=1e-9)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_b_group_clustering_from_polis_state_reproduces_polis_groups(name):
    vm, math = load(name)
    base = math["base-clusters"]
    # base clusters: our projections of Pol.is's in-conv participants, k-means started from
    # Pol.is's base clusters, give back Pol.is's base clusters
    p = pm.pca(vm)
    proj = pm.project(vm, p)
    signs = -np.sign([p.comps[i] @ np.array(math["pca"]["comps"][i]) for i in range(2)])
    index = vm.participant_index()
    in_conv = math["in-conv"]
    points = np.array([proj[index[q]] * signs for q in in_conv])
    ours_base = pm.polis_kmeans(points, in_conv, pm.BASE_K, max_iters=pm.BASE_ITERS,
                                last_clusters=[{"id": i, "members": m}
                                               for i, m in zip(base["id"], base["members"])])
    assert (sorted(sorted(c["members"]) for c in ours_base)
            == sorted(sorted(m) for m in base["members"]))
    # groups: weighted k-means of the base clusters from Pol.is's group clusters, at its k
    centers = np.column_stack([base["x"], base["y"]])
    weights = np.array([len(m) for m in base["members"]], dtype=float)
    k = len(math["group-clusters"])
    assert 2 <= k <= pm.max_k(len(centers))
    ours = pm.polis_kmeans(centers, base["id"], k, weights=weights,
                           last_clusters=math["group-clusters"])
    theirs = math["group-clusters"]
    assert [c["id"] for c in ours] == [c["id"] for c in theirs]
    for a, b in zip(ours, theirs):
        assert sorted(a["members"]) == sorted(b["members"])
        np.testing.assert_allclose(a["center"], b["center"], atol=1e-12)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_c_statement_figures_given_polis_groups_match_polis(name):
    vm, math = load(name)
    gids, labels = polis_labels(vm, math)
    tids = vm.statements.tolist()
    raw = rp.count_votes(vm, labels, len(gids))
    for g, gid in enumerate(gids):
        theirs = math["group-votes"][str(gid)]
        assert theirs["n-members"] == int((labels == g).sum())
        for j, t in enumerate(tids):
            v = theirs["votes"][str(t)]
            assert (v["A"], v["D"], v["S"]) == (raw.agree[g, j], raw.disagree[g, j],
                                                raw.seen[g, j])
    gic = rp.group_informed_consensus(raw)
    same({str(t): float(x) for t, x in zip(tids, gic)}, math["group-aware-consensus"])

    rating = rp.count_votes(vm, labels, len(gids), zero_mod_out=True)
    rep = rp.select_representative(rp.group_stats(rating), tids, vm.mod_out,
                                   [str(g) for g in gids])
    same(rep, math["repness"])
    assert any(len(v) >= 3 for v in rep.values())

    everyone = rp.count_votes(vm, np.zeros(vm.shape[0], dtype=int), 1, zero_mod_out=True)
    same(rp.select_consensus(everyone, tids, vm.mod_out), math["consensus"])


def test_in_conv_rule():
    counts = np.array([7, 6, 30, 0, 7, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13])
    keep = pm.in_conv(counts, 40)
    # everyone with ≥ 7 votes (9 people), topped up to 15 by the most votes (6, 6, 5, 4, 3, 2);
    # never a non-voter
    assert keep.sum() == 15
    assert not keep[3]
    assert keep[[0, 2, 4, 1, 10, 6]].all()
    assert not keep[5]
    # fewer statements than 7: voting on all of them is enough
    assert pm.in_conv(np.array([2, 2, 1]), 2).tolist() == [True, True, True]
