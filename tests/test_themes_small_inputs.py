"""Theme discovery on few texts, odd seeds and duplicates: it always ends, gives the number of
themes asked for, more than one theme when the texts hold several, and clear errors."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _three() -> np.ndarray:
    """Three texts, the second between the other two: every such trio makes the same kNN
    graph (weights 1, 1 and 0.25), on which Leiden never settled at resolution ~1.54."""
    return _unit([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.3, 0.9, 0.3]])


def _blobs(groups: int, size: int, dim: int = 24, spread: float = 0.25,
           seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, dim))
    return _unit(np.vstack([c + spread * rng.normal(size=(size, dim)) for c in centres]))


def test_three_texts_in_two_themes_end_with_two_themes():
    # In a child process: before the fix these calls never returned (the timeout is only a
    # guard that turns a hang into a failure; nothing here measures time).
    code = ("import sys, numpy as np; sys.path.insert(0, %r)\n"
            "from synth.themes import clustering as C\n"
            "x = np.array(%r, dtype=np.float32)\n"
            "g = C._igraph(C.fuzzy_graph(*C.knn(x, 2)))\n"
            "print(sorted(round(w, 3) for w in g.es['weight']))\n"
            "print(C._leiden(g, 1000 ** (1 / 16), 0).tolist())  # 4th resolution _exact_k tries\n"
            "print(C.cluster(x, k=2, seed=0).labels.tolist())" % (str(ROOT), _three().tolist()))
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=120, check=True).stdout.splitlines()
    except subprocess.TimeoutExpired:
        pytest.fail("clustering 3 texts into 2 themes did not finish")
    weights, leiden, labels = (eval(line) for line in out)
    assert weights == [0.252, 1.0, 1.0]
    for got in (leiden, labels):                            # two themes, the ends apart
        assert sorted(got) in ([0, 0, 1], [0, 1, 1]) and got[0] != got[2]


def test_bounded_leiden_gives_what_leiden_run_to_the_end_gives():
    """Wherever igraph's n_iterations=-1 ends, the bounded iteration returns its partition."""
    import random

    import igraph as ig

    from synth.themes import clustering as C
    for n, seed in ((12, 0), (60, 1), (240, 2)):
        x = _blobs(4, n // 4, spread=0.6, seed=seed)
        idx, sim = C.knn(x, C.neighbours_for(n))
        g = C._igraph(C.fuzzy_graph(idx, sim))
        for res in (0.25, 0.5, 1.0, 2.0, 4.0):
            ig.set_random_number_generator(random.Random(seed))
            whole = g.community_leiden(objective_function="modularity", weights="weight",
                                       resolution=res, n_iterations=-1)
            assert C._leiden(g, res, seed).tolist() == C._relabel(
                np.asarray(whole.membership)).tolist(), (n, res)
