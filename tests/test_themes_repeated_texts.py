"""Texts repeated word for word (sticky notes written by many tables, a QA export of 20,000 rows
with 5,514 distinct texts) are clustered once: every repeat shares its text's theme, the themes
are those of the texts without their repeats, and the work grows with the distinct texts."""
from __future__ import annotations

import numpy as np
import pytest


def _texts(groups: int, size: int, dim: int = 48, spread: float = 0.6,
           seed: int = 0) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Distinct texts in overlapping groups (so some are doubtful): vectors, texts, groups."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, dim))
    x = np.vstack([c + spread * rng.normal(size=(size, dim)) for c in centres])
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join([words[g], words[g + groups], f"t{i}", words[(g * 7 + i) % 40]])
             for i, g in enumerate(np.repeat(np.arange(groups), size))]
    return x, texts, np.repeat(np.arange(groups), size)


def _repeat(n_texts: int, rows: int, seed: int) -> np.ndarray:
    """Each text at least once, the rest drawn heavy-tailed (a few texts written very often),
    in shuffled order: the row's text."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, n_texts + 1) ** 1.1
    counts = 1 + rng.multinomial(rows - n_texts, rng.permutation(p / p.sum()))
    return rng.permutation(np.repeat(np.arange(n_texts), counts))


@pytest.mark.parametrize("k", [None, 6])
def test_repeats_share_their_texts_theme_and_the_themes_of_the_texts_alone(k):
    from synth.themes.clustering import cluster
    x, texts, _ = _texts(6, 40, spread=2.0)
    of = _repeat(len(x), 2400, seed=1)
    assert np.bincount(of).max() > 100          # more copies than any kNN holds
    # the same texts once each, in the order they first appear among the rows
    order = of[np.sort(np.unique(of, return_index=True)[1])]
    once = cluster(x[order], k=k, seed=0, texts=[texts[i] for i in order])
    rep = cluster(x[of], k=k, seed=0, texts=[texts[i] for i in of])
    assert rep.params["distinct_texts"] == 240 and rep.params["n"] == 2400
    assert rep.params["n_neighbors"] == once.params["n_neighbors"] == 9   # the texts' graph
    # every row has its text's theme; a doubtful text is unsorted with all its rows
    per_text = {}
    for row, t in enumerate(of):
        per_text.setdefault(int(t), set()).add(int(rep.labels[row]))
    assert all(len(themes) == 1 for themes in per_text.values())
    # the themes are the texts' themes without their repeats (unsorted aside: its cap counts
    # rows, so which doubtful texts fit in it may differ)
    got = np.array([rep.labels[np.flatnonzero(of == t)[0]] for t in order])
    both = (once.labels >= 0) & (got >= 0)
    assert both.sum() >= 0.9 * len(x)
    assert np.array_equal(got[both], once.labels[both])
    assert rep.k == once.k and (k is None or rep.k == k)
    # confidence per text too, and suggestions per unsorted row, the same for its copies
    position = np.argsort(order)                 # a text's place in the set without repeats
    assert np.array_equal(rep.confidence, once.confidence[position[of]])
    unsorted = np.flatnonzero(rep.labels < 0)
    assert sorted(rep.suggestions) == unsorted.tolist()
    for row in unsorted:
        first_copy = int(np.flatnonzero(of == of[row])[0])
        assert rep.suggestions[int(row)] == rep.suggestions[first_copy]
        assert len(rep.suggestions[int(row)]) == 3
    assert rep.params["unsorted"] == len(unsorted) <= 0.10 * 2400


def test_unsorted_cap_counts_rows_and_keeps_copies_together():
    from synth.themes.clustering import cluster
    x, texts, _ = _texts(6, 40, spread=2.0)
    once = cluster(x, seed=0, texts=texts, max_unsorted=0.5)
    doubtful = np.flatnonzero(once.labels < 0)
    assert len(doubtful) == 8
    # the most doubtful text written 30 times: it alone fills a cap of 30 rows
    top = int(doubtful[np.argmin(once.confidence[doubtful])])
    of = np.r_[np.arange(len(x)), np.full(29, top)]
    rep = cluster(x[of], seed=0, texts=[texts[i] for i in of], max_unsorted=30 / len(of))
    assert int(np.floor(rep.params["max_unsorted"] * len(of))) == 30
    assert rep.params["unsorted"] == 30 and (rep.labels[of == top] == -1).all()
    assert np.flatnonzero(rep.labels < 0).tolist() == np.flatnonzero(of == top).tolist()


def test_theme_centres_are_the_mean_of_the_rows():
    from synth.themes.clustering import centroids_of, cluster
    x, texts, _ = _texts(4, 30)
    of = _repeat(len(x), 600, seed=2)
    rep = cluster(x[of], k=4, seed=0, texts=[texts[i] for i in of], max_unsorted=0.0)
    assert np.allclose(rep.centroids, centroids_of(x[of], rep.labels, 4), atol=1e-6)


def test_same_seed_same_themes_and_repeats_found_without_texts():
    from synth.themes.clustering import cluster
    x, texts, _ = _texts(5, 30, seed=3)
    of = _repeat(len(x), 1500, seed=3)
    rows = x[of]
    run = [cluster(rows, seed=7).labels for _ in range(2)]
    assert np.array_equal(run[0], run[1])
    # without texts, repeats are found by their vectors alone (split and pinned reruns)
    assert cluster(rows, seed=7).params["distinct_texts"] == 150


def test_same_vector_different_texts_stay_apart_when_texts_are_given():
    from synth.themes.clustering import _distinct
    x, _, _ = _texts(2, 10)
    rows = x[[0, 0, 1, 0, 1]]
    first, of, counts = _distinct(rows, ["Pay", "pay", "Desks", "Pay", "Desks"])
    assert first.tolist() == [0, 1, 2] and of.tolist() == [0, 1, 2, 0, 2]
    assert counts.tolist() == [2, 1, 2]
    first, of, counts = _distinct(rows, None)          # the model reads "Pay" as "pay"
    assert first.tolist() == [0, 2] and of.tolist() == [0, 0, 1, 0, 1]
    assert _distinct(x, None) is None                   # nothing repeated: clustered as before


def test_more_themes_than_distinct_texts_parts_only_the_most_repeated():
    from synth.themes.clustering import cluster
    x, _, _ = _texts(1, 3)
    of = np.r_[[0] * 12, [1] * 5, [2] * 2]
    r = cluster(x[of], k=5, seed=0)
    assert r.k == 5 and (r.labels >= 0).all()
    assert {int(t): len(set(r.labels[of == t].tolist())) for t in range(3)} == {0: 3, 1: 1, 2: 1}
    assert sorted(np.bincount(r.labels).tolist()) == [2, 4, 4, 4, 5]


def test_qa_shape_many_rows_few_distinct_texts_is_clustered_on_the_distinct_texts(monkeypatch):
    """The QA's 100,000 rows of 5,514 distinct short texts (did not finish in 10 minutes, 2.1 GB),
    a tenth of the shape here: 20,000 rows of 551 distinct texts. The kNN search sees only
    the distinct texts."""
    from synth.themes import clustering
    x, texts, group = _texts(12, 46, dim=64, spread=0.5, seed=5)
    x, texts, group = x[:551], texts[:551], group[:551]
    of = _repeat(551, 20000, seed=5)
    searched = []
    knn = clustering.knn
    monkeypatch.setattr(clustering, "knn", lambda v, k, **kw: (searched.append(v.shape),
                                                               knn(v, k, **kw))[1])
    for k in (None, 12):
        searched.clear()
        r = clustering.cluster(x[of], k=k, seed=0, texts=[texts[i] for i in of])
        assert searched and all(rows == 551 for rows, _ in searched)
        assert r.params["distinct_texts"] == 551 and len(r.labels) == 20000
        labelled = r.labels >= 0
        assert labelled.mean() >= 0.9
        # the themes follow the groups: each theme's rows mostly from one group
        majority = sum(np.bincount(group[of][labelled & (r.labels == t)]).max()
                       for t in range(r.k))
        assert majority / labelled.sum() > 0.9
        if k is not None:
            assert r.k == 12
