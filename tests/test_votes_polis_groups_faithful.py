"""Recomputed opinion groups against the groups Pol.is itself made, on the real conversations of
../shared/data (polis/: the export's group-id; polis-math/: Pol.is's math-pca2.json).

Adjusted Rand index against Pol.is's groups at the k chosen, before these fixes -> after (each
conversation's groups recomputed from its votes and compared with the export's group-id over
the participants both put in a group, as ``compare`` below does): bg2050-volunteers 0.73 ->
1.00, below-100-ptpts 0.47 -> 1.00 (and Pol.is's sizes 11/9/3 exactly), 150ptpt 0.20 (k = 2)
-> 0.93 (k = 3), 25ptpt 0.63 -> 0.63, Bowling Green 0.25 (k = 4) -> 0.22 (k = 3),
london.youth.policing 0.14 -> -0.02 (its Pol.is groups, 18/3/3, are not a partition of the
final votes' map that k-means can reach). What changed:
- who is clustered: Pol.is keeps a participant in once in (``in-conv`` grows); from the final
  votes alone we clustered 19 of below-100-ptpts' 23, 117 of 150ptpt's 121, 1,579 of Bowling
  Green's 1,581; now exactly Pol.is's set;
- participants in Pol.is's row order (first vote) before the starting centres are picked;
- the default is Pol.is's update run once on the final votes, not a replay of 100 updates,
  which landed further from Pol.is.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from synth.votes import polis_math as pm
from synth.votes.polis_files import polis_state_groups, read_polis_folder, read_polis_json
from synth.votes.project_analysis import adjusted_rand

DATA = Path(os.environ.get("SYNTH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared"
                           / "data"))
pytestmark = pytest.mark.skipif(not (DATA / "polis-math").exists(),
                                reason="shared Pol.is data not present")

_cache: dict = {}


def load(name):
    """(vote matrix, Pol.is group per participant row, -1 = not grouped)."""
    if name not in _cache:
        if (DATA / "polis-math" / name).exists():
            d = read_polis_json(DATA / "polis-math" / name)
            groups = polis_state_groups(d.math)
        else:
            d = read_polis_folder(DATA / "polis" / name)
            groups = d.polis_groups
        vm = d.matrix.drop_unvoted_statements()
        theirs = np.array([-1 if groups.get(p) is None else int(groups[p])
                           for p in vm.participants.tolist()])
        _cache[name] = vm, theirs
    return _cache[name]


def compare(g, theirs):
    both = (g.labels >= 0) & (theirs >= 0)
    return adjusted_rand(g.labels[both], theirs[both]), int(both.sum())


@pytest.mark.parametrize("name, k, sizes, clustered", [
    ("below-100-ptpts", 3, [11, 9, 3], 23),
    ("bg2050-volunteers", 2, [100, 8], 108),
])
def test_one_update_on_the_final_votes_gives_polis_groups(name, k, sizes, clustered):
    vm, theirs = load(name)
    g = pm.opinion_groups(vm)
    assert g.how_k == "one shot"
    assert (g.k, g.group_sizes) == (k, sizes)
    assert sorted(np.bincount(theirs[theirs >= 0]).tolist(), reverse=True) == sizes
    # the same people clustered, in the same groups
    assert ((g.labels >= 0) == (theirs >= 0)).all() and int((theirs >= 0).sum()) == clustered
    assert compare(g, theirs) == (pytest.approx(1.0), clustered)


def test_150_participants_close_to_polis_in_polis_row_order():
    vm, theirs = load("150ptpt-3gp-no-strict-no-meta")
    g = pm.opinion_groups(vm)
    assert g.k == 3 and g.group_sizes == [64, 36, 21]          # Pol.is: 61, 36, 24
    ari, n = compare(g, theirs)
    assert n == 121 and ari >= 0.9                             # 0.928; replayed: 0.20


def test_rows_in_the_order_of_their_first_vote_as_polis_rating_matrix():
    """below-100-ptpts: Pol.is's base clusters 0-10 (one participant each, numbered as the rows
    of its rating matrix came) hold participants 1, 2, 3, 4, 0, 5 … 10: the owner, participant
    0, voted fifth. Id order put 0 first, and the groups came out k = 2 at 0.74."""
    vm, _ = load("below-100-ptpts")
    order = pm.join_order(vm)
    assert vm.participants[order][:11].tolist() == [1, 2, 3, 4, 0, 5, 6, 7, 8, 9, 10]
    math = read_polis_json(DATA / "polis-math" / "below-100-ptpts").math
    base = dict(zip(math["base-clusters"]["id"], math["base-clusters"]["members"]))
    assert [base[b] for b in range(11)] == [[p] for p in [1, 2, 3, 4, 0, 5, 6, 7, 8, 9, 10]]


@pytest.mark.parametrize("name, polis_in, final_rule", [
    ("below-100-ptpts", 23, 19),
    ("150ptpt-3gp-no-strict-no-meta", 121, 117),
    ("25ptpt-3gp-no-strict-with-meta", 27, 27),
    ("bg2050-volunteers", 108, 107),
    ("american-assembly.bowling-green", 1581, 1579),          # no vote times: first 15 voters
])
def test_clustered_as_polis_in_conv_grew(name, polis_in, final_rule):
    vm, theirs = load(name)
    grew = pm.in_conv_as_it_grew(vm)
    final = pm.in_conv(vm.votes_per_participant(), vm.shape[1])
    assert int(final.sum()) == final_rule
    assert int(grew.sum()) == polis_in
    assert (grew == (theirs >= 0)).all()


def test_bowling_green_recomputed_differs_from_polis_in_k():
    """2,031 participants, no vote times. Pol.is's groups come from its history (k smoother,
    k-means seeded by earlier updates); one update on the final votes chooses 3 groups by a
    silhouette margin of 0.001 over 2, and even at Pol.is's k = 2 places a fifth of the
    participants otherwise. This is why the project uses the export's groups when it has them
    (tests/test_votes_groups_choice.py)."""
    vm, theirs = load("american-assembly.bowling-green")
    g = pm.opinion_groups(vm)
    assert g.k == 3 and g.group_sizes == [877, 392, 312]
    assert g.silhouettes[3] - g.silhouettes[2] == pytest.approx(0.001, abs=5e-4)
    ari, n = compare(g, theirs)
    assert n == 1581 and 0.15 <= ari <= 0.3                   # 0.218
    g2 = pm.opinion_groups(vm, k=2)
    assert g2.group_sizes == [993, 588]                        # Pol.is: 828, 753
    ari2, _ = compare(g2, theirs)
    assert 0.4 <= ari2 <= 0.6                                  # 0.485


def test_replay_is_asked_for_not_the_default():
    vm, theirs = load("bg2050-volunteers")
    replayed = pm.opinion_groups(vm, method="replay")
    assert replayed.how_k == "replayed history"
    assert compare(replayed, theirs)[0] < 0.8                  # 0.731; one update: 1.000


def test_equal_silhouettes_choose_the_larger_k(monkeypatch):
    """Pol.is takes ``(apply max-key silhouettes ks)``, which returns the last of equal maxima:
    the largest k."""
    vm, _ = load("bg2050-volunteers")
    monkeypatch.setattr(pm, "silhouette", lambda points, labels: 0.5)
    g = pm.opinion_groups(vm)
    assert g.k == 5 == pm.max_k(100)


def test_in_conv_top_up_counts_those_already_in():
    """Pol.is tops up to 15 the union of those already in and the new qualifiers."""
    counts = np.array([1, 1, 1, 2, 3] + [7] * 12 + [0])
    already = np.zeros(len(counts), dtype=bool)
    already[[0, 1]] = True                       # in from an earlier update, 1 vote each
    keep = pm.in_conv(counts, 40, already)
    assert keep[[0, 1]].all() and keep[5:17].all() and not keep[17]
    assert int(keep.sum()) == 15 and keep[4] and not keep[3] and not keep[2]
    # alone, the 12 qualifiers would be topped up with the three next voters
    assert pm.in_conv(counts, 40)[[2, 3, 4]].tolist() == [False, True, True]
