"""Where participants sit on a debate's opinion map, for groups no analysis run has mapped (the
groups Pol.is exported): drawn as Pol.is draws its map and as our runs store it — the debate's
vote matrix (moderated-out and meta statements marked), its first two principal components, and
Pol.is's sparsity-aware projection (a participant who voted on few statements is scaled out
from the centre, not left bunched in it)."""
from __future__ import annotations

from typing import Any

import numpy as np


def debate_map(project: Any, source_id: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(participant ids, their 2-D places) for every participant who voted in one debate
    source (``None``: every debate's votes together), as ``polis_math.opinion_groups``
    projects them. Sparse: memory grows with the votes, never with participants ×
    statements. Each axis has the engine's fixed sign (largest loading positive), so the same
    votes always draw the same map."""
    from .matrix import from_project
    from .polis_math import centred_sparse, pca
    from .polis_math import project as place
    vm = from_project(project, source_id).drop_unvoted_statements()
    if not vm.shape[0] or not vm.shape[1]:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    centred = centred_sparse(vm)
    xy = place(vm, pca(vm, 2, _centred=centred), _centred=centred)
    return np.asarray(vm.participants, dtype=np.int64), np.asarray(xy, dtype=float)[:, :2]


def places_of(ids: np.ndarray, xy: np.ndarray, pids: list[int]) -> np.ndarray:
    """The rows of ``xy`` (one per ``ids``) for ``pids``, in their order; (0, 0) for one who
    cast no vote in the debate."""
    row = {int(p): i for i, p in enumerate(ids.tolist())}
    out = np.zeros((len(pids), 2))
    for k, p in enumerate(pids):
        if p in row:
            out[k] = xy[row[p]]
    return out
