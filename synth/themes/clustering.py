"""Cluster embedded texts into candidate themes: Leiden communities on a cosine kNN graph,
and, when the number of themes is given, k-means on graph-smoothed features with a keyword view.

Why this method (measured, see docs/themes.md):
- UMAP + HDBSCAN, the usual recipe, pays 20-25 s of numba compilation on the first call in a
  process (UMAP's layout code is not cached) and leaves 20-45 % of short texts as noise.
- A kNN graph (exact cosine neighbours, chunked dot products) with UMAP's fuzzy-union weights,
  partitioned by Leiden (igraph, C code, no compilation) takes well under a second for 2,000
  texts.
- Number of themes unknown: Leiden (modularity) on the sentence-embedding graph, at the
  resolution (of 0.25 ... 2 in √2 steps) whose themes are most stable when a fifth of the texts
  is left out (mean adjusted mutual information between subsample partitions; ties to the
  coarser). Data sets want opposite granularities (8 broad themes vs 77 narrow intents) and
  no fixed resolution serves both; stability is a criterion the data answers, not a tuned value.
  A resolution that puts more than a quarter of the texts in one theme (``SUBJECT_SHARE``) is
  passed over: two unrelated subjects part alike in every subset, and a theme that size is a
  subject, whose themes the next most stable resolution finds.
- Number given (k): the texts' keyword view (LSA of TF-IDF, a fifth of each similarity) joins
  the embedding; Leiden on that graph is brought to exactly k communities (resolution
  bisection, then merges by graph affinity); then k-means on the features smoothed over the
  graph (a low-pass filter whose reach stays within a typical theme of n/k texts), started from
  the Leiden themes and from k-means++; the lowest k-means objective wins.
- Every text is assigned; those whose neighbourhood mostly lies in other themes go to the
  unsorted pile (at most ``max_unsorted`` of them), each with its nearest themes as suggestions.
- A text with no word to sort by ("+1", "👍", "n/a", "same as above") is not clustered: it goes
  to the unsorted pile without suggestions (``without_words``), unless every text is one
  (then they are clustered as they are: there is nothing else to sort).

Parameters adapt to n (neighbours grow with log n; smoothing steps with log(n/k)).
Same vectors + texts + seed = same labels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .embeddings import normalise

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

METHOD = "leiden-knn+smoothed-kmeans"
SEED_MAX = 2**32 - 1


class ClusteringCancelled(Exception):
    pass


@dataclass
class Clustering:
    labels: np.ndarray                      # one per text: theme index 0..k-1, or -1 unsorted
    centroids: np.ndarray                   # k x dim, L2-normalised means of each theme
    confidence: np.ndarray                  # share of each text's neighbourhood in its theme
    suggestions: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return int(self.centroids.shape[0])


def neighbours_for(n: int) -> int:
    """kNN size: about 1.2·log2(n), between 4 and 15 (15 is UMAP's default for large n)."""
    if n <= 2:
        return max(n - 1, 0)
    return int(min(n - 1, max(4, min(15, round(1.2 * math.log2(n))))))


def knn(vectors: np.ndarray, k: int, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine neighbours (vectors are L2-normalised), best first.

    Above a few thousand texts numpy's argpartition dominates (7 s of 9 s for 20,000 texts), so
    torch's top-k is used there when torch is importable (it is, for the local embedding model).
    """
    n = len(vectors)
    idx = np.empty((n, k), dtype=np.int64)
    sim = np.empty((n, k), dtype=np.float32)
    torch = None
    if n > 4000:
        try:
            import torch  # noqa: PLC0415 - heavy, only for large inputs
        except ImportError:
            torch = None
    for s in range(0, n, chunk):
        block = vectors[s:s + chunk] @ vectors.T
        rows = np.arange(block.shape[0])
        block[rows, s + rows] = -np.inf
        if torch is not None:
            top = torch.topk(torch.from_numpy(block), k, dim=1, sorted=True)
            idx[s:s + chunk] = top.indices.numpy()
            sim[s:s + chunk] = top.values.numpy()
            continue
        part = np.argpartition(block, block.shape[1] - k, axis=1)[:, -k:]
        ps = np.take_along_axis(block, part, 1)
        order = np.argsort(-ps, axis=1, kind="stable")
        idx[s:s + chunk] = np.take_along_axis(part, order, 1)
        sim[s:s + chunk] = np.take_along_axis(ps, order, 1)
    return idx, sim


def fuzzy_graph(idx: np.ndarray, sim: np.ndarray) -> Any:
    """UMAP-style membership weights, symmetrised by fuzzy union (a + b − ab)."""
    from scipy import sparse
    n, k = idx.shape
    dist = 1.0 - sim
    rho = dist[:, :1]
    sigma = np.maximum((dist[:, -1:] - rho) / 2.0, 1e-3)
    w = np.exp(-np.maximum(dist - rho, 0.0) / sigma).astype(np.float64)
    a = sparse.csr_matrix((w.ravel(), (np.repeat(np.arange(n), k), idx.ravel())), shape=(n, n))
    return (a + a.T - a.multiply(a.T)).tocsr()


def _igraph(adj: Any) -> Any:
    import igraph as ig
    coo = adj.tocoo()
    keep = coo.row < coo.col
    g = ig.Graph(n=adj.shape[0], edges=np.c_[coo.row[keep], coo.col[keep]].tolist())
    g.es["weight"] = coo.data[keep].tolist()
    return g


LEIDEN_ROUNDS = 100  # most iterations of Leiden before taking the partition it has reached


def _leiden(g: Any, resolution: float, seed: int) -> np.ndarray:
    """Leiden iterated until an iteration changes nothing, as ``n_iterations=-1`` does, but at
    most ``LEIDEN_ROUNDS`` iterations: on some graphs (three texts, one between the other two,
    at a resolution where either pair is as good) every iteration moves the middle text and
    ``-1`` never returns. One iteration per call, each from the previous membership, draws the
    same random numbers as the single call (the generator is set once), so wherever ``-1`` ends
    the result is the same partition."""
    import random

    import igraph as ig
    ig.set_random_number_generator(random.Random(seed))
    options = {"objective_function": "modularity", "weights": "weight",
               "resolution": resolution, "n_iterations": 1}
    membership = np.asarray(g.community_leiden(**options).membership, dtype=np.int64)
    for _ in range(LEIDEN_ROUNDS - 1):
        moved = np.asarray(g.community_leiden(initial_membership=membership.tolist(),
                                              **options).membership, dtype=np.int64)
        if _same_partition(moved, membership):
            break
        membership = moved
    return _relabel(membership)


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """The same groups of texts, whatever their numbers (Leiden renumbers its communities)."""
    pairs = len(np.unique(a * (int(b.max()) + 1) + b))   # one int per (a, b) pair
    return pairs == len(np.unique(a)) == len(np.unique(b))


RESOLUTIONS = (0.25, 0.35, 0.5, 0.71, 1.0, 1.41, 2.0)  # √2 steps around modularity's 1
STABILITY_SUBSAMPLES = 4    # subsamples per resolution (6 pairs compared)
STABILITY_FRACTION = 0.8    # share of the texts in each subsample
STABILITY_MIN_TEXTS = 20    # fewer texts: modularity's resolution 1 (subsets too small to agree)


def adjusted_mutual_info(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted mutual information of two labelings (arithmetic mean normalisation, Vinh et al.
    2010), as scikit-learn computes it; here so k unknown need not import sklearn (~1 s)."""
    from scipy.special import gammaln
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    n = len(a)
    if a.max() == b.max() == 0 or n == 0:
        return 1.0
    cont = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(cont, (a, b), 1.0)
    ra, cb = cont.sum(1), cont.sum(0)
    nz = cont > 0
    mi = float((cont[nz] / n * np.log(cont[nz] * n / np.outer(ra, cb)[nz])).sum())
    ha = float(-(ra / n * np.log(ra / n)).sum())
    hb = float(-(cb / n * np.log(cb / n)).sum())
    # expected mutual information under random labelings with the same sizes (hypergeometric)
    top = int(min(ra.max(), cb.max()))
    nij = np.arange(1, top + 1, dtype=np.float64)
    emi = 0.0
    lg_b, lg_nb = gammaln(cb + 1), gammaln(n - cb + 1)
    for ai in ra:
        lo = np.maximum(1, ai + cb - n)[:, None]
        hi = np.minimum(ai, cb)[:, None]
        x = nij[None, :]
        ok = (x >= lo) & (x <= hi)
        xx = np.where(ok, x, 1.0)
        log_p = (gammaln(ai + 1) + lg_b[:, None] + gammaln(n - ai + 1) + lg_nb[:, None]
                 - gammaln(n + 1) - gammaln(xx + 1) - gammaln(ai - xx + 1)
                 - gammaln(cb[:, None] - xx + 1) - gammaln(n - ai - cb[:, None] + xx + 1))
        term = xx / n * np.log(n * xx / (ai * cb[:, None])) * np.exp(log_p)
        emi += float(term[ok].sum())
    denom = (ha + hb) / 2 - emi
    if abs(denom) < np.finfo(np.float64).eps:
        return 1.0 if abs(mi - emi) < 1e-12 else 0.0
    return (mi - emi) / denom


def stable_resolution(g: Any, seed: int, grid: Sequence[float] = RESOLUTIONS,
                      subsamples: int = STABILITY_SUBSAMPLES,
                      fraction: float = STABILITY_FRACTION) -> tuple[float, dict[float, float]]:
    """The Leiden resolution whose themes are most reproducible under resampling the texts.

    Model selection by stability (Ben-Hur et al. 2002; Lange et al. 2004): draw ``subsamples``
    random subsets of ``fraction`` of the texts (seeded), partition each one's induced kNN
    subgraph at every resolution of ``grid``, and score a resolution by the mean adjusted mutual
    information between the partitions of each pair of subsets on the texts they share (0 for a
    pair that both put every text in one community: ``_agreement``). A
    granularity the data supports comes back when a fifth of the texts is left out; one that
    cuts through a continuum (or lumps real themes) moves. The highest score wins; scores equal
    to three decimals go to the coarser resolution. Probes use Leiden's default two iterations
    (the final partition converges fully). Returns the resolution and every score."""
    import random

    import igraph as ig
    n = g.vcount()
    rng = np.random.default_rng(seed)
    subsets = [np.sort(rng.choice(n, max(2, int(fraction * n)), replace=False))
               for _ in range(subsamples)]
    graphs = [g.induced_subgraph(s.tolist(), implementation="create_from_scratch")
              for s in subsets]  # vertex i of a subgraph is text s[i] (s sorted)
    shared = [(i, j, *np.intersect1d(subsets[i], subsets[j], return_indices=True)[1:])
              for i in range(subsamples) for j in range(i + 1, subsamples)]
    scores: dict[float, float] = {}
    for res in grid:
        parts = []
        for sub in graphs:
            ig.set_random_number_generator(random.Random(seed))
            parts.append(np.asarray(sub.community_leiden(
                objective_function="modularity", weights="weight", resolution=res,
                n_iterations=2).membership))
        scores[float(res)] = float(np.mean([_agreement(parts[i][a], parts[j][b])
                                            for i, j, a, b in shared]))
    best = max(scores, key=lambda r: (round(scores[r], 3), -r))
    return best, scores


SUBJECT_SHARE = 0.25   # a theme holding more of the texts than this is a subject, not a theme


def _most_stable_partition(g: Any, seed: int, most: float | None = None
                           ) -> tuple[np.ndarray, float, dict[float, float], list[float],
                                      list[float]]:
    """Leiden on the whole graph at the most stable resolution that gives it more than one
    community, none of more than ``most`` texts (None: any size); the resolutions passed over
    for giving one community (their subsets, sparser than the whole graph, split where it does
    not) and for giving one of more than ``most`` texts are returned too. If every resolution
    gives one community, one theme is the answer; if every one that gives several gives one
    larger than ``most``, the most stable of them is.

    Why the size: two unrelated subjects (two debates; a debate and a workshop) part the same
    way in every subset, so the resolution that gives one theme per subject scores as stable
    as the themes inside them or more (QA's two debates: 0.7411 against 0.7397, 2 themes of 319
    and 69 cards where each debate alone gets 13-19; notes on hospitals and on farming: 1.0
    against 0.86). A theme holding more than a quarter of the texts is a subject to a
    researcher, and the next most stable resolution finds its themes (docs/themes.md)."""
    best, scores = stable_resolution(g, seed)
    ranked = sorted(scores, key=lambda r: (-round(scores[r], 3), r))  # best first, as chosen
    lumped: list[float] = []
    subjects: list[float] = []
    first: np.ndarray | None = None
    oversized: tuple[np.ndarray, float] | None = None
    for res in ranked:
        labels = _leiden(g, res, seed)
        if labels.max() == 0:
            first = labels if first is None else first
            lumped.append(res)
        elif most is not None and np.bincount(labels).max() > most:
            oversized = oversized or (labels, res)
            subjects.append(res)
        else:
            return labels, res, scores, lumped, subjects
    if oversized is not None:   # every resolution gives a theme that large: the most stable
        return oversized[0], oversized[1], scores, lumped, subjects
    return first, best, scores, lumped, subjects  # type: ignore[return-value]  # ranked[0] is best


def _agreement(a: np.ndarray, b: np.ndarray) -> float:
    """How well two subsets' partitions agree on their shared texts: their adjusted mutual
    information, but 0 when both put every text in one community. AMI scores two single
    communities 1.0 (identical labelings), yet that agreement says nothing about themes: it
    made the coarsest resolution win for most inputs of 20-60 texts, which then got one theme."""
    if len(a) and a.min() == a.max() and b.min() == b.max():
        return 0.0
    return adjusted_mutual_info(a, b)


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Number themes by decreasing size (ties by first text), so ids are stable and readable."""
    ids, first, counts = np.unique(labels[labels >= 0], return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], first[i]))
    mapping = {int(ids[i]): r for r, i in enumerate(order)}
    return np.array([mapping.get(int(x), -1) for x in labels], dtype=np.int64)


def _merge_to(labels: np.ndarray, adj: Any, k: int) -> np.ndarray:
    """Merge communities until k remain, each time the pair with the highest graph affinity
    (edge weight between them over the product of their sizes: average linkage on the graph)."""
    from scipy import sparse
    labels = labels.copy()
    while labels.max() + 1 > k:
        m = labels.max() + 1
        member = sparse.csr_matrix((np.ones(len(labels)), (np.arange(len(labels)), labels)),
                                   shape=(len(labels), m))
        between = (member.T @ adj @ member).toarray()
        sizes = np.bincount(labels, minlength=m).astype(float)
        aff = between / np.outer(sizes, sizes)
        np.fill_diagonal(aff, -1.0)
        # the smallest community first: it is the least likely to be a theme on its own
        a = int(np.argmin(sizes))
        b = int(np.argmax(aff[a]))
        labels[labels == a] = b
        labels = _relabel(labels)
    return labels


def _split_largest(labels: np.ndarray, adj: Any, seed: int) -> np.ndarray:
    """Split the largest community in two (Leiden inside it at rising resolution)."""
    big = int(np.bincount(labels).argmax())
    members = np.flatnonzero(labels == big)
    sub = _igraph(adj[members][:, members])
    for res in (1.0, 2.0, 4.0, 8.0, 16.0):
        part = _leiden(sub, res, seed)
        if part.max() >= 1:
            part = _merge_to(part, adj[members][:, members], 2)
            out = labels.copy()
            out[members[part == 1]] = labels.max() + 1
            return _relabel(out)
    out = labels.copy()
    out[members[len(members) // 2:]] = labels.max() + 1  # a graph with no structure left
    return _relabel(out)


def _exact_k(g: Any, adj: Any, k: int, seed: int, n: int) -> tuple[np.ndarray, float]:
    """Bisect the resolution (log scale) until Leiden gives k communities; then merge or split."""
    lo, hi = 1e-3, 1e3
    best: tuple[np.ndarray, float] | None = None
    res = 1.0
    for _ in range(30):
        labels = _leiden(g, res, seed)
        m = labels.max() + 1
        if m == k:
            return labels, res
        if m > k:
            hi = res
            if best is None or best[0].max() + 1 > m or best[0].max() + 1 < k:
                best = (labels, res)  # the fewest communities above k: least merging
        else:
            lo = res
        res = math.sqrt(lo * hi)
    if best is None:  # even the highest resolution gave fewer than k
        labels = _leiden(g, hi, seed)
        while labels.max() + 1 < min(k, n):
            labels = _split_largest(labels, adj, seed)
        return labels, hi
    return _merge_to(best[0], adj, k), best[1]


KEYWORD_WEIGHT = 0.5   # keyword view's share of a similarity: 0.5² / (1 + 0.5²) = 1/5
KEYWORD_DIMS = 100     # LSA dimensions (the usual choice for topic-level LSA)


def keyword_view(texts: Sequence[str], seed: int = 0) -> np.ndarray | None:
    """L2-normalised LSA of the texts' TF-IDF (sublinear tf, words seen in ≥ 2 texts).

    Short texts on one subject often share a rare word ("magento", "svn", "tennis") that a small
    sentence model blurs; LSA keeps those words and their co-occurring synonyms. None when the
    texts give too little vocabulary for it (fewer than 3 words seen twice)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .stopwords import STOP_WORDS
    if len(texts) < 10:
        return None
    try:
        tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words=sorted(STOP_WORDS),
                                token_pattern=r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b",
                                dtype=np.float32).fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None
    dims = min(KEYWORD_DIMS, tfidf.shape[1] - 1, len(texts) - 1)
    if dims < 2:
        return None
    lsa = TruncatedSVD(dims, random_state=seed, algorithm="randomized",
                       n_iter=5).fit_transform(tfidf)
    return normalise(lsa)


def diffusion_steps(n: int, k: int, nn: int) -> int:
    """Smoothing steps: a lazy random walk on the kNN graph reaches about nn^t texts in t steps,
    so take the largest t whose reach stays within a typical theme (n / k texts), at most 3."""
    if k < 1 or nn < 2 or n / k <= nn:
        return 0
    return int(min(3, math.floor(math.log(n / k) / math.log(nn))))


def _refine(feats: np.ndarray, adj: Any, labels: np.ndarray, k: int, nn: int, seed: int,
            restarts: int) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """k-means on graph-smoothed features, started from the Leiden themes and from k-means++
    (``restarts`` times); the solution with the lowest k-means objective wins.

    Smoothing (x ← ½x + ½·mean of its neighbours, ``diffusion_steps`` times) is a low-pass
    filter on the kNN graph: each text moves toward its neighbourhood, so k-means sees themes
    as compact groups instead of a continuum. Same seed, same result."""
    import warnings

    from scipy import sparse
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    n = len(feats)
    steps = diffusion_steps(n, k, nn)
    deg = np.asarray(adj.sum(1)).ravel()
    walk = sparse.diags(1.0 / np.maximum(deg, 1e-12)) @ adj
    d = feats.astype(np.float32)
    for _ in range(steps):
        d = 0.5 * d + 0.5 * np.asarray(walk @ d, dtype=np.float32)
    d = normalise(d)
    init = np.zeros((k, d.shape[1]), dtype=np.float32)
    np.add.at(init, labels, d)
    init = normalise(init)
    with warnings.catch_warnings():
        # texts repeated word for word can leave fewer distinct points than k: k-means says so
        # (and an emptied cluster below keeps the Leiden themes); other warnings still show
        warnings.filterwarnings("ignore", message="Number of distinct clusters",
                                category=ConvergenceWarning)
        best = KMeans(k, init=init, n_init=1, random_state=seed).fit(d)
        chosen = "leiden"
        if restarts > 0 and k < n:
            other = KMeans(k, n_init=restarts, random_state=seed).fit(d)
            if other.inertia_ < best.inertia_ - 1e-6 * abs(best.inertia_):
                best, chosen = other, "k-means++"
    out = np.asarray(best.labels_, dtype=np.int64)
    if len(np.unique(out)) < k:  # an emptied cluster: keep the Leiden themes
        return labels, d, {"diffusion_steps": steps, "refined_from": "none"}
    return _relabel(out), d, {"diffusion_steps": steps, "refined_from": chosen}


def cluster(vectors: np.ndarray, *, k: int | None = None, seed: int = 0,
            texts: Sequence[str] | None = None,
            max_unsorted: float = 0.10, resolution: float | None = None,
            n_neighbors: int | None = None, min_theme_size: int | None = None,
            refine: bool = True, restarts: int = 3,
            progress: Progress | None = None, cancelled: Cancelled | None = None) -> Clustering:
    """Candidate themes for L2-normalised ``vectors`` (one row per text).

    ``k`` given: exactly k themes (fewer only if there are fewer distinct texts). ``k`` None:
    Leiden at ``resolution`` chooses the number; ``resolution`` None (the default) takes the
    most stable resolution of ``RESOLUTIONS`` under subsampling (``stable_resolution``) that
    gives the whole set more than one theme and none of more than ``SUBJECT_SHARE`` of the
    texts (if every one does, the most stable), from ``STABILITY_MIN_TEXTS`` texts (fewer:
    resolution 1); texts that all read the same are one theme. Themes of fewer texts than
    ``min_theme_size`` are dissolved and their texts reassigned by their neighbours. ``texts``
    (the same rows' texts), when given, add a keyword view (LSA of TF-IDF, a fifth of the
    similarity) to the final k-means refinement; ``refine`` False keeps Leiden's themes as
    they are.

    Rows repeating another row (the same vector, and the same text when ``texts`` are given)
    are clustered once (``_distinct``): the distinct texts get the themes they get without
    their repeats, and every repeat gets its text's theme (unsorted together, each row with the
    same suggestions). Only the unsorted cap (``max_unsorted`` of the rows) and the theme
    centres (the mean of the rows) count the repeats. Copies as separate points made a text
    written more often than the kNN size a clique of its own copies, cut off from the texts it
    reads like (a 2,000-text sample of SearchSnippets, repeated 1-50 times: 157 themes, NMI 48;
    once each: 15 themes, NMI 62), and cost time and memory per row. Weighting k-means or the
    graph by the counts was measured and lowers accuracy (a text written 50 times pulls a theme
    of its own): docs/themes.md. Only ``k`` above the number of distinct texts parts copies.
    """
    progress = progress or (lambda d, t, m: None)
    cancelled = cancelled or (lambda: False)
    x = np.asarray(vectors, dtype=np.float32)
    n = len(x)
    if k is not None and k < 1:
        raise ValueError("the number of themes must be at least 1")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) \
            or not 0 <= seed <= SEED_MAX:
        # numpy's and scikit-learn's generators take seeds of 0 .. 2**32 - 1 only
        raise ValueError(f"the seed must be a whole number from 0 to {SEED_MAX}, not {seed!r}")
    seed = int(seed)
    if texts is not None and len(texts) != n:
        raise ValueError("texts and vectors must have the same length")
    params = {"method": METHOD, "k": k, "seed": seed, "n": n, "n_neighbors": n_neighbors,
              "resolution": resolution, "min_theme_size": min_theme_size,
              "max_unsorted": max_unsorted, "refine": refine, "restarts": restarts,
              "keyword_weight": KEYWORD_WEIGHT if texts is not None and k is not None else 0.0}
    if n == 0:
        params.update(_sizes(0, n_neighbors, min_theme_size))
        return Clustering(np.zeros(0, np.int64), np.zeros((0, x.shape[1] if x.ndim == 2 else 0)),
                          np.zeros(0), {}, params)
    wordless = without_words(texts) if texts is not None else []
    if wordless and len(wordless) < n:
        return _set_aside(x, texts, wordless, k=k, seed=seed, max_unsorted=max_unsorted,
                          resolution=resolution, n_neighbors=n_neighbors,
                          min_theme_size=min_theme_size, refine=refine, restarts=restarts,
                          progress=progress, cancelled=cancelled)
    distinct = _distinct(x, texts)
    if distinct is None:
        return _cluster_rows(x, texts, None, k, seed, max_unsorted, resolution, n_neighbors,
                             min_theme_size, refine, restarts, progress, cancelled, params)
    first, inverse, counts = distinct
    params["distinct_texts"] = len(first)
    if k is not None and k > len(first):
        params.update(_sizes(len(first), n_neighbors, min_theme_size))
        return _finish(x, _split_copies(inverse, counts, min(k, n)), None, None, 0.0, params)
    part = _cluster_rows(x[first], None if texts is None else [texts[i] for i in first], counts,
                         k, seed, max_unsorted, resolution, n_neighbors, min_theme_size, refine,
                         restarts, progress, cancelled, params)
    # every repeat takes its text's theme, confidence and (if unsorted) suggestions
    labels = part.labels[inverse]
    suggestions = {int(i): part.suggestions[int(inverse[i])] for i in np.flatnonzero(labels < 0)}
    return Clustering(labels, part.centroids, part.confidence[inverse], suggestions, part.params)


# Notes that answer without saying anything: agreement, a reference to another note, a blank
# filled in. Compared whole, in lower case, without punctuation or spaces at either end.
FILLERS = frozenset({
    "ok", "okay", "yes", "no", "y", "n", "na", "n/a", "n.a.", "none", "nil", "nothing", "same",
    "same as above", "as above", "see above", "same here", "ditto", "idem", "agree", "agreed",
    "me too", "this", "+1", "tbc", "tbd", "test", "?", "x", "xx", "xxx", "etc",
})


def without_words(texts: Sequence[str]) -> list[int]:
    """The rows whose text says nothing to sort by: no letter at all ("+1", "👍", "-", "??") or
    a filler whole ("n/a", "ok", "same as above", "ditto": ``FILLERS``). The model gives
    emoji-only texts one and the same vector (each emoji is one unknown word piece: "👍" and
    "😡" read as one text), and clustered, such notes make a theme of their own or pull a real
    one together (QA: a theme of "yes", "see above", "+1" with "burnt out" and "stress!!").
    Not "has no content word": "Getting on because of what you can do" is all stop words."""
    out = []
    for i, t in enumerate(texts):
        if not any(ch.isalpha() for ch in t):
            out.append(i)
        elif len(t) <= 20 and " ".join(t.casefold().split()).strip(" .!,;:-–—\"'()") in FILLERS:
            out.append(i)
    return out


def _set_aside(x: np.ndarray, texts: Sequence[str], wordless: list[int], **options: Any
               ) -> Clustering:
    """``cluster`` of the rows that have words; the ``wordless`` ones unsorted, with no
    suggestions (there is nothing in them to suggest a theme by)."""
    keep = np.setdiff1d(np.arange(len(x)), wordless)
    part = cluster(x[keep], texts=[texts[i] for i in keep], **options)
    labels = np.full(len(x), -1, dtype=np.int64)
    labels[keep] = part.labels
    confidence = np.zeros(len(x))
    confidence[keep] = part.confidence
    suggestions = {int(keep[i]): s for i, s in part.suggestions.items()}
    params = {**part.params, "n": len(x), "without_words": len(wordless)}
    params["unsorted"] = int((labels < 0).sum())
    return Clustering(labels, part.centroids, confidence, suggestions, params)


def _distinct(x: np.ndarray, texts: Sequence[str] | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Rows that repeat an earlier row (byte-identical vector, and the same text when texts are
    given): None if there are none; else the first row of each distinct text in the order they
    first appear, each row's distinct text (an index into those), and each one's count."""
    if len(x) < 2 or (texts is not None and len(set(texts)) == len(texts)):
        return None
    rows = np.ascontiguousarray(x).view(np.dtype((np.void, x.dtype.itemsize * x.shape[1])))
    _, key = np.unique(rows.ravel(), return_inverse=True)
    key = key.astype(np.int64)
    if texts is not None:   # texts differing in ways the model ignores keep their keyword views
        ids: dict[str, int] = {}
        text_id = np.fromiter((ids.setdefault(t, len(ids)) for t in texts), np.int64, len(x))
        key = key * len(ids) + text_id
    _, first, inverse, counts = np.unique(key, return_index=True, return_inverse=True,
                                          return_counts=True)
    if len(first) == len(x):
        return None
    order = np.argsort(first, kind="stable")        # distinct texts by their first row
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse.ravel()], counts[order]


def _sizes(n: int, n_neighbors: int | None, min_theme_size: int | None) -> dict[str, int]:
    """The neighbours and the smallest theme a clustering of ``n`` distinct texts uses (the
    ones given, else the defaults: ``neighbours_for(n)``, and 3 or a 500th of the texts)."""
    return {"n_neighbors": n_neighbors or neighbours_for(n),
            "min_theme_size": (min_theme_size if min_theme_size is not None
                               else max(3, int(round(n / 500))))}


def _split_copies(inverse: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """More themes asked for than there are distinct texts (k ≤ rows): each distinct text is a
    theme, and the most repeated texts' rows are cut into further themes (in row order) until
    there are k, as a number asked for is given. The only case where copies part."""
    parts = np.ones(len(counts), dtype=np.int64)
    for _ in range(k - len(counts)):
        parts[int(np.argmax(counts / parts))] += 1
    labels = np.empty(len(inverse), dtype=np.int64)
    start = np.r_[0, np.cumsum(parts)]
    by_text = np.split(np.argsort(inverse, kind="stable"), np.cumsum(counts)[:-1])
    for t, rows in enumerate(by_text):
        for p, chunk in enumerate(np.array_split(rows, parts[t])):
            labels[chunk] = start[t] + p
    return _relabel(labels)


def _cluster_rows(x: np.ndarray, texts: Sequence[str] | None, weights: np.ndarray | None,
                  k: int | None, seed: int, max_unsorted: float, resolution: float | None,
                  n_neighbors: int | None, min_theme_size: int | None, refine: bool,
                  restarts: int,
                  progress: Progress, cancelled: Cancelled, params: dict[str, Any]
                  ) -> Clustering:
    """``cluster`` on rows that are all distinct, each standing for ``weights`` rows (None:
    one each): the themes are those of the distinct rows alone; only the unsorted pile's cap
    and the theme centres count the rows each stands for (``_finish``)."""
    n = len(x)
    params.update(_sizes(n, n_neighbors, min_theme_size))
    nn, min_size = params["n_neighbors"], params["min_theme_size"]
    if k == 1 or (k is None and (n < 3 or _all_alike(x))):
        # texts that all read the same are one theme: their neighbours are ties broken by row
        # order, on which Leiden (and its stability) finds whatever pieces that order makes
        return _finish(x, np.zeros(n, dtype=np.int64), None, None, 0.0, params, None, weights)
    if k is not None and k >= n:  # as many themes as texts asked for: one text in each
        return _finish(x, np.arange(n, dtype=np.int64), None, None, 0.0, params, None, weights)
    progress(0, 4, "Finding neighbours")
    feats = x
    # The keyword view serves only when k is given (measured: with k unknown it splits themes
    # by vocabulary and lowers NMI; with k fixed it places texts among the k themes better).
    if texts is not None and k is not None and KEYWORD_WEIGHT > 0:
        view = keyword_view(list(texts), seed)
        if view is not None:
            feats = normalise(np.hstack([x, KEYWORD_WEIGHT * view]))
            params["keyword_dims"] = int(view.shape[1])
    idx, sim = knn(feats, nn)
    adj = fuzzy_graph(idx, sim)
    if cancelled():
        raise ClusteringCancelled()
    progress(1, 4, "Grouping texts into themes")
    g = _igraph(adj)
    if k is None:
        if resolution is None and n >= STABILITY_MIN_TEXTS:
            labels, resolution, scores, lumped, subjects = _most_stable_partition(
                g, seed, SUBJECT_SHARE * n)
            params["resolution_stability"] = {str(r): round(v, 4) for r, v in scores.items()}
            params["subject_share"] = SUBJECT_SHARE
            if lumped:
                params["resolutions_giving_one_theme"] = lumped
            if subjects:
                params["resolutions_giving_a_subject"] = subjects
        else:
            resolution = 1.0 if resolution is None else resolution  # too few texts to resample
            labels = _leiden(g, resolution, seed)
        params["resolution"] = resolution
        labels = _dissolve_small(labels, idx, sim, min_size)
    else:
        labels, used = _exact_k(g, adj, k, seed, n)     # k < n: returned above otherwise
        params["resolution"] = round(float(used), 6)
    if cancelled():
        raise ClusteringCancelled()
    m = int(labels.max()) + 1 if (labels >= 0).any() else 0
    space = x
    if refine and k is not None and 1 < m < n and (labels >= 0).all():
        progress(2, 4, "Refining themes")
        labels, space, info = _refine(feats, adj, labels, m, nn, seed, restarts)
        params.update(info)
    if cancelled():
        raise ClusteringCancelled()
    progress(3, 4, "Sorting out uncertain texts")
    if space is not x and max_unsorted > 0:
        # doubt is judged where the themes were decided: neighbours in the refined space
        idx, sim = knn(space, nn)
    result = _finish(x, labels, idx, sim, max_unsorted, params, space, weights)
    progress(4, 4, "Done")
    return result


def _all_alike(x: np.ndarray, tol: float = 1e-6) -> bool:
    """Every row within ``tol`` of the first, from the columns' extremes (no n x d temporary:
    184 MB and 66 ms at 120,000 texts)."""
    return bool((x.max(0) - x[0]).max() <= tol and (x[0] - x.min(0)).max() <= tol)


def _dissolve_small(labels: np.ndarray, idx: np.ndarray, sim: np.ndarray,
                    min_size: int) -> np.ndarray:
    sizes = np.bincount(labels)
    small = sizes < min_size
    if not small.any() or small.all():
        return labels
    labels = labels.copy()
    labels[small[labels]] = -1
    # Reassign by neighbour votes, repeatedly, so chains of small-theme texts find a home.
    for _ in range(5):
        todo = np.flatnonzero(labels < 0)
        if not len(todo):
            break
        for i in todo:
            votes: dict[int, float] = {}
            for j, s in zip(idx[i], sim[i]):
                if labels[j] >= 0:
                    votes[int(labels[j])] = votes.get(int(labels[j]), 0.0) + float(s)
            if votes:
                labels[i] = max(sorted(votes), key=lambda t: votes[t])
    return _relabel(labels)  # anything left unplaced stays -1: the unsorted pile


def centroids_of(x: np.ndarray, labels: np.ndarray, k: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """L2-normalised mean of each theme's rows (``weights``: rows each row stands for)."""
    c = np.zeros((k, x.shape[1]), dtype=np.float32)
    keep = labels >= 0
    rows = x[keep] if weights is None else x[keep] * weights[keep, None].astype(np.float32)
    np.add.at(c, labels[keep], rows)
    return normalise(c)


def _finish(x: np.ndarray, labels: np.ndarray, idx: np.ndarray | None, sim: np.ndarray | None,
            max_unsorted: float, params: dict[str, Any],
            space: np.ndarray | None = None, weights: np.ndarray | None = None) -> Clustering:
    k = int(labels.max()) + 1 if (labels >= 0).any() else 0
    cents = centroids_of(x, labels, k, weights)
    n = len(x)
    rows = np.ones(n, dtype=np.int64) if weights is None else weights
    if idx is not None and sim is not None and k > 1:
        w = np.maximum(sim, 0.0)
        same = (labels[idx] == labels[:, None]) & (labels[:, None] >= 0)
        conf = (w * same).sum(1) / np.maximum(w.sum(1), 1e-9)
    else:
        conf = np.ones(n, dtype=np.float64)
    labels = labels.copy()
    # Unsorted: a text whose neighbours mostly lie in other themes and that is not clearly
    # closer to its own theme's centre (in the space the themes were decided in: the smoothed
    # features after refinement). Never more than max_unsorted of all rows: the most doubtful
    # texts first, each with all its rows.
    if k > 1 and max_unsorted > 0:
        y = x if space is None else space
        # each distinct text once, as decided; in the clustering's own space the centres
        # are those just made
        sims = y @ (cents if y is x and weights is None else centroids_of(y, labels, k)).T
        own = sims[np.arange(n), np.maximum(labels, 0)]
        sims_other = sims.copy()
        sims_other[np.arange(n), np.maximum(labels, 0)] = -np.inf
        margin = own - sims_other.max(1)
        doubtful = np.flatnonzero((conf < 0.34) & (margin < 0.05) & (labels >= 0))
        cap = int(math.floor(max_unsorted * rows.sum())) - int(rows[labels < 0].sum())
        if cap > 0 and len(doubtful):
            order = doubtful[np.lexsort((doubtful, conf[doubtful]))]
            labels[order[np.cumsum(rows[order]) <= cap]] = -1
    suggestions: dict[int, list[tuple[int, float]]] = {}
    if k > 0:
        for i in np.flatnonzero(labels < 0):
            s = x[i] @ cents.T
            top = np.argsort(-s, kind="stable")[:3]
            suggestions[int(i)] = [(int(t), round(float(s[t]), 4)) for t in top]
    params = dict(params, themes=k, unsorted=int(rows[labels < 0].sum()))
    return Clustering(labels, cents, conf, suggestions, params)
