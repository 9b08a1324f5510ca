"""Where participants sit on a map of their votes, for groups no analysis run has mapped (the
groups Pol.is exported): the first two principal components of the vote matrix, as Pol.is draws
its map. An analysis run stores its own projection; this is for the rest."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np


def vote_map(project: Any, pids: Sequence[int]) -> np.ndarray:
    """Each participant's place (one row per ``pids``) on the first two principal components of
    their votes (on any debate's statements): every statement centred on the mean vote of these
    participants, a statement they did not vote on counting as that mean. Sparse
    (``synth.votes.matrix``, ``polis_math.pca``): memory grows with the votes, never with
    participants × statements (2,000,000 votes on 100,000 statements would be an 8 GB dense
    table), and only these participants' votes are read. Each axis has the engine's fixed sign
    (largest loading positive), so the same votes always draw the same map."""
    from .matrix import from_votes, read_votes
    from .polis_math import centred_sparse, pca
    pids = list(pids)
    if not pids:
        return np.zeros((0, 2))
    votes, _when = read_votes(project, participants=pids, cast_at=False)
    if not len(votes):
        return np.zeros((len(pids), 2))
    vm = from_votes(votes[:, 0], votes[:, 1], votes[:, 2], participants=pids)
    centred = centred_sparse(vm)
    comps = pca(vm, 2, _centred=centred).comps
    xy = np.zeros((len(pids), 2))
    if len(comps):
        xy[:, :len(comps)] = centred[0] @ comps.T
    return xy
