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


def _run_child(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter, in the repository (``synth`` and ``tests``
    importable), and return its output lines; the timeout is a guard against a hang (a
    failure), not a measure of speed."""
    try:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=300, check=True, cwd=ROOT).stdout.splitlines()
    except subprocess.TimeoutExpired:
        pytest.fail("the child process did not finish")


def test_three_texts_in_two_themes_end_with_two_themes():
    # In a child process: before the fix these calls never returned
    code = ("import numpy as np\n"
            "from synth.themes import clustering as C\n"
            "x = np.array(%r, dtype=np.float32)\n"
            "g = C._igraph(C.fuzzy_graph(*C.knn(x, 2)))\n"
            "print(sorted(round(w, 3) for w in g.es['weight']))\n"
            "print(C._leiden(g, 1000 ** (1 / 16), 0).tolist())  # 4th resolution _exact_k tries\n"
            "print(C.cluster(x, k=2, seed=0).labels.tolist())" % (_three().tolist(),))
    weights, leiden, labels = (eval(line) for line in _run_child(code))
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


def test_as_many_themes_as_texts_asked_for_gives_one_text_per_theme():
    from synth.themes.clustering import cluster
    x = _blobs(1, 5)
    two = cluster(x[:2], k=2, seed=0)
    assert two.k == 2 and two.labels.tolist() == [0, 1]
    assert cluster(x[:2], k=1, seed=0).labels.tolist() == [0, 0]
    assert cluster(x[:2], seed=0).labels.tolist() == [0, 0]       # k unknown: one theme
    more = cluster(x[:3], k=5, seed=0)                             # fewer texts than k
    assert more.k == 3 and more.labels.tolist() == [0, 1, 2]
    same = cluster(x[:4], k=4, seed=0)
    assert same.k == 4 and sorted(same.labels.tolist()) == [0, 1, 2, 3]
    assert np.allclose(same.centroids, x[:4], atol=1e-6)


def test_split_of_two_and_three_card_themes_makes_two_parts():
    # the 3-card split hung before (its k = 2 run is the 3-text case); both in one child
    code = """
import tempfile
from pathlib import Path
from synth import board
from synth.project import Project
from synth.themes.project_themes import split_theme
from tests.themes_study import TOPICS, fill
pay, it = TOPICS["pay"], TOPICS["it"]
with tempfile.TemporaryDirectory() as d:
    p = Project.create(Path(d) / "s.synth")
    notes = fill(p, [pay[0], pay[4], it[0], it[3], it[5]])
    for cards in (notes[:2], notes[2:]):
        theme = p.history.apply(board.CreateTheme("t", cards))
        parts = split_theme(p, theme)
        print(sorted(len(board.theme_cards(p, i)) for i in parts))
    p.close()
"""
    assert _run_child(code) == ["[1, 1]", "[1, 2]"]


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "3", True])
def test_a_seed_numpy_and_sklearn_cannot_take_is_refused_clearly(seed):
    from synth.themes.clustering import cluster
    x = _blobs(3, 10)
    for k in (None, 3):
        with pytest.raises(ValueError, match="seed must be a whole number from 0 to 4294967295"):
            cluster(x, k=k, seed=seed)


def test_the_largest_seed_works_and_numpy_integers_are_seeds():
    from synth.themes.clustering import cluster
    x = _blobs(3, 10)
    top = cluster(x, k=3, seed=2**32 - 1)
    assert top.k == 3 and top.params["seed"] == 2**32 - 1
    r = cluster(x, k=3, seed=np.int64(7))
    assert type(r.params["seed"]) is int and r.labels.tolist() == cluster(x, k=3, seed=7).labels.tolist()


def test_identical_texts_give_k_themes_without_kmeans_warnings():
    import warnings

    from synth.themes.clustering import cluster
    x = np.repeat(_blobs(1, 1), 30, axis=0)
    texts = ["Pay is too low"] * 30
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = cluster(x, k=3, seed=0, texts=texts)
    assert r.k == 3 and (r.labels >= 0).sum() >= 27
    assert [str(w.message) for w in caught] == []
    # the filter is scoped: scikit-learn's warning still reaches callers of k-means elsewhere
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    with pytest.warns(ConvergenceWarning, match="Number of distinct clusters"):
        KMeans(3, n_init=1, random_state=0).fit(x)


def _sample_texts(ids: list[str]) -> list[str]:
    """Texts of the sample study's notes (note ids) and statements ('s' + comment id)."""
    import csv
    with open(ROOT / "sample_data" / "workshop_notes.csv", encoding="utf-8") as f:
        texts = {r["note_id"]: r["text"] for r in csv.DictReader(f)}
    with open(ROOT / "sample_data" / "debate" / "comments.csv", encoding="utf-8") as f:
        texts.update({"s" + r["comment-id"]: r["comment-body"] for r in csv.DictReader(f)})
    return [texts[i] for i in ids]


def test_agreement_of_two_single_communities_is_no_evidence():
    from synth.themes.clustering import _agreement, adjusted_mutual_info
    one = np.zeros(16, dtype=np.int64)
    assert adjusted_mutual_info(one, one) == 1.0          # as scikit-learn scores it
    assert _agreement(one, one) == 0.0
    split = np.r_[np.zeros(8), np.ones(8)].astype(np.int64)
    assert _agreement(split, split) == pytest.approx(1.0)
    assert _agreement(one, split) == pytest.approx(0.0)


def test_twenty_and_forty_sticky_notes_get_a_handful_of_themes():
    import csv

    from synth.themes.clustering import cluster
    from synth.themes.embeddings import LocalBackend, embed_texts
    with open(ROOT / "sample_data" / "workshop_notes.csv", encoding="utf-8") as f:
        notes = [r["text"] for r in csv.DictReader(f)]
    vectors = embed_texts(notes[:40], LocalBackend())
    for n, themes, chosen in ((20, 6, 2.0), (40, 8, 1.41)):
        r = cluster(vectors[:n], seed=0)                  # one theme each before the fix
        assert (r.k, r.params["resolution"]) == (themes, chosen)
        assert r.params["resolution_stability"]["0.25"] == 0.0   # one community: no evidence
        assert (r.labels >= 0).all() and np.bincount(r.labels).min() >= 3
    few = cluster(vectors[:19], seed=0)                   # below the search: resolution 1
    assert few.k == 4 and "resolution_stability" not in few.params


def test_a_resolution_whose_whole_graph_is_one_community_is_passed_over():
    from synth.themes.clustering import cluster
    from synth.themes.embeddings import LocalBackend, embed_texts
    ids = ("MAN-028 MAN-029 MAN-053 MAN-058 MAN-070 MAN-076 MAN-081 MAN-089 MAN-091 MAN-096 "
           "MAN-116 MAN-147 GLA-021 GLA-023 GLA-043 CAR-021 CAR-022 CAR-026 CAR-039 CAR-044 "
           "CAR-055 CAR-095 CAR-106 s1 s30 s36 s40 s55 s56 s71 s114 s141 s173 s194 s196 s215 "
           "s218 s229 s242 s264").split()
    r = cluster(embed_texts(_sample_texts(ids), LocalBackend()), seed=0)
    # 0.25 is the most stable (its 32-text subsets split alike) but lumps all 40 texts
    assert r.params["resolution_stability"]["0.25"] > r.params["resolution_stability"]["0.35"]
    assert r.params["resolutions_giving_one_theme"] == [0.25]
    # 0.35, the next, gives 32 and 8 texts: more than a quarter in one theme, passed over too
    assert r.params["resolutions_giving_a_subject"] == [0.35]
    assert r.params["resolution"] == 1.41 and r.k == 9
    assert sorted(np.bincount(r.labels).tolist()) == [3, 3, 3, 3, 4, 5, 5, 6, 8]


def test_texts_that_all_read_the_same_are_one_theme():
    from synth.themes.clustering import cluster
    same = np.repeat(_blobs(1, 1), 30, axis=0)
    r = cluster(same, seed=0)            # not 30 themes of one (ties split at resolution 2)
    assert r.k == 1 and (r.labels == 0).all()
    # three texts written ten times each: clustered as the three texts (repeats are
    # clustered once, docs/themes.md), every copy in its text's theme
    alone = cluster(_blobs(3, 1), seed=0)
    groups = np.vstack([np.repeat(_blobs(3, 1)[i:i + 1], 10, axis=0) for i in range(3)])
    r = cluster(groups, seed=0)
    assert r.k == alone.k
    assert r.labels.tolist() == np.repeat(alone.labels, 10).tolist()
    assert cluster(same, k=3, seed=0).k == 3             # a number asked for is still given
