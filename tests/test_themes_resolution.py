"""k unknown: the Leiden resolution is chosen by stability under subsampling, reproducibly."""
from __future__ import annotations

import numpy as np


def _blobs(groups: int = 4, size: int = 60, dim: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, dim))
    x = np.vstack([c + 0.25 * rng.normal(size=(size, dim)) for c in centres]).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(np.arange(groups), size)


def test_stable_resolution_finds_clear_themes_and_records_choice():
    from sklearn.metrics import adjusted_rand_score

    from synth.themes.clustering import RESOLUTIONS, cluster
    x, y = _blobs()
    a = cluster(x, seed=0)
    assert a.params["resolution"] in RESOLUTIONS
    assert set(a.params["resolution_stability"]) == {str(r) for r in RESOLUTIONS}
    assert a.k == 4 and adjusted_rand_score(y, a.labels) > 0.95
    b = cluster(x, seed=0)
    assert a.labels.tolist() == b.labels.tolist()
    assert a.params["resolution_stability"] == b.params["resolution_stability"]


def test_explicit_resolution_skips_the_search():
    from synth.themes.clustering import cluster
    x, _ = _blobs()
    r = cluster(x, seed=0, resolution=1.0)
    assert r.params["resolution"] == 1.0 and "resolution_stability" not in r.params
    tiny = cluster(x[:10], seed=0)                        # too few texts to resample
    assert tiny.params["resolution"] == 1.0
