"""Opinion groups the way Pol.is computes them (compdemocracy/polis, math/src/polismath/math/).

The steps, each named after the Pol.is function it follows:

1. ``rating-mat``: the latest votes, moderated-out and meta statements set to pass (0) for
   everyone; missing votes imputed with the statement's mean (``small-conv-update-graph :mat``).
2. ``powerit-pca``: two principal components of that matrix over *all* participants. Pol.is
   finds them by power iteration; we take the same eigenvectors of the covariance directly
   (``X'X`` of the sparse centred matrix: imputed cells are exactly zero once centred).
3. ``sparsity-aware-project-ptpt``: each participant is projected using only the statements
   they voted on, then pushed out by sqrt(statements / votes) so light voters do not bunch up
   in the middle.
4. ``in-conv``: who is clustered — at least min(7, statements) votes, topped up to 15 people by
   the most votes.
5. ``base-clusters``: k-means with k = 100 on the clustered participants' projections.
6. ``group-clusterings``: k-means of the base clusters weighted by their sizes for
   k = 2 … min(5, 2 + base clusters / 12); the k with the best silhouette (on the base
   clusters, unweighted) wins, unless the researcher forces k.

Pol.is starts every update from the previous update's clusters and only changes k after the
same k has won four updates running; a one-shot computation has no history, so it starts from
seeded k-means++ with several restarts and keeps the tightest (lowest weighted inertia)
solution. ``polis_kmeans`` reproduces Pol.is's own k-means step by step (its ``clean-start``
from previous clusters, its empty-cluster dropping and its 0.01 convergence test) so that,
started from a Pol.is state, we land on Pol.is's groups.

Sign: Pol.is computes with agree = −1; we use agree = +1. Centres and projections therefore
come out negated relative to Pol.is's; components agree up to sign, groups and all counts are
unaffected.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from .matrix import VoteMatrix

MIN_VOTES = 7            # Pol.is: ptpts with at least min(7, n statements) votes are clustered
GREEDY_N = 15            # ... topped up to 15 participants by the most votes
BASE_K = 100             # base clusters
MAX_K = 5                # most opinion groups Pol.is shows
BASE_ITERS = 100
GROUP_ITERS = 20         # Pol.is passes :cluster-iters, which kmeans ignores: its default is 20
SAME_CLUSTERING = 0.01   # centres closer than this: k-means has converged

Progress = Callable[[int, int, str], None]


@dataclass
class PCAResult:
    center: np.ndarray          # per column, agree = +1
    comps: np.ndarray           # (n components ≤ 2, columns), unit rows
    variance: np.ndarray        # variance along each component


@dataclass
class OpinionGroups:
    participants: np.ndarray            # ids, rows of the matrix
    statements: np.ndarray              # ids of the columns used (statements somebody voted on)
    pca: PCAResult
    projection: np.ndarray              # (participants, 2)
    in_conv: np.ndarray                 # bool per participant: clustered
    labels: np.ndarray                  # group per participant, −1 = not clustered
    k: int
    silhouettes: dict[int, float]
    base_labels: np.ndarray             # base cluster per participant, −1 = not clustered
    base_centers: np.ndarray            # (base clusters, 2)
    base_weights: np.ndarray            # members per base cluster
    group_of_base: np.ndarray           # group per base cluster
    group_centers: np.ndarray           # (k, 2)
    how_k: str                          # 'silhouette', 'forced' or 'polis state'
    seed: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def group_sizes(self) -> list[int]:
        return [int((self.labels == g).sum()) for g in range(self.k)]


# --- 1–3: rating matrix, PCA, projection -------------------------------------------------

def centred_sparse(vm: VoteMatrix):
    """The Pol.is rating matrix, mean-imputed and centred, as a CSR matrix (imputed cells are
    exactly zero after centring, so they are simply absent), plus column means and the number
    of votes per participant as Pol.is counts them (moderated-out columns count as votes, since
    Pol.is sets them to 0 for everyone)."""
    from scipy import sparse

    n, m = vm.shape
    val = vm.value.astype(np.float64)
    val[vm.mod_out[vm.col]] = 0.0
    counts = np.bincount(vm.col, minlength=m).astype(np.float64)
    sums = np.bincount(vm.col, weights=val, minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        center = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
    center[vm.mod_out] = 0.0
    data = val - center[vm.col]
    x = sparse.csr_matrix((data, (vm.row, vm.col)), shape=(n, m))
    votes = np.bincount(vm.row[~vm.mod_out[vm.col]], minlength=n)
    n_mod_out_cols = int((vm.mod_out & (counts > 0)).sum())
    votes = votes + n_mod_out_cols
    return x, center, votes


def pca(vm: VoteMatrix, n_comps: int = 2, *, _centred=None) -> PCAResult:
    """Top principal components of the imputed rating matrix (Pol.is ``powerit-pca``)."""
    from scipy import linalg

    x, center, _ = _centred if _centred is not None else centred_sparse(vm)
    n, m = x.shape
    c = int(min(n_comps, n, m))
    if c == 0:
        return PCAResult(center, np.zeros((0, m)), np.zeros(0))
    cov = (x.T @ x).toarray() if hasattr(x, "toarray") else x.T @ x
    w, v = linalg.eigh(cov, subset_by_index=[m - c, m - 1])
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order].T
    # a fixed sign per component: the largest loading positive (eigenvectors have no sign)
    for i in range(len(v)):
        j = int(np.argmax(np.abs(v[i])))
        if v[i, j] < 0:
            v[i] = -v[i]
    return PCAResult(center, v, np.maximum(w, 0.0) / max(n - 1, 1))


def project(vm: VoteMatrix, p: PCAResult, *, _centred=None) -> np.ndarray:
    """Pol.is ``sparsity-aware-project-ptpts``: (participants, 2)."""
    x, _, votes = _centred if _centred is not None else centred_sparse(vm)
    n, m = x.shape
    out = np.zeros((n, 2))
    if len(p.comps):
        out[:, :len(p.comps)] = x @ p.comps.T
    out *= np.sqrt(m / np.maximum(votes, 1))[:, None]
    return out


def project_statements(p: PCAResult) -> np.ndarray:
    """Where a participant who agreed with one statement only would sit: (statements, 2)
    (Pol.is ``pca-project-cmnts``, in agree = +1 sign)."""
    m = p.comps.shape[1]
    out = np.zeros((m, 2))
    for i in range(len(p.comps)):
        out[:, i] = (1.0 - p.center) * p.comps[i] * np.sqrt(m)
    return out


# --- 4: who is clustered -------------------------------------------------------------------

def in_conv(votes_per_participant: np.ndarray, n_statements: int) -> np.ndarray:
    counts = np.asarray(votes_per_participant)
    keep = counts >= min(MIN_VOTES, n_statements)
    keep &= counts > 0
    if keep.sum() < GREEDY_N:
        rest = np.flatnonzero(~keep & (counts > 0))
        rest = rest[np.argsort(-counts[rest], kind="stable")]
        keep[rest[:GREEDY_N - int(keep.sum())]] = True
    return keep


# --- k-means -----------------------------------------------------------------------------

def _sq_dists(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    d = (np.einsum("ij,ij->i", points, points)[:, None] - 2 * points @ centers.T
         + np.einsum("ij,ij->i", centers, centers)[None, :])
    return np.maximum(d, 0.0)


def _weighted_means(points, weights, labels, k):
    w = np.bincount(labels, weights=weights, minlength=k)
    sx = np.bincount(labels, weights=weights * points[:, 0], minlength=k)
    sy = np.bincount(labels, weights=weights * points[:, 1], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.column_stack([sx / w, sy / w]), w


def lloyd(points: np.ndarray, weights: np.ndarray, centers: np.ndarray, max_iters: int,
          tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Lloyd iterations; an emptied cluster is dropped (as Pol.is does)."""
    centers = centers.copy()
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iters):
        labels = np.argmin(_sq_dists(points, centers), axis=1)
        new, w = _weighted_means(points, weights, labels, len(centers))
        alive = w > 0
        if not alive.all():
            new = new[alive]
            labels = (np.cumsum(alive) - 1)[labels]
        if len(new) == len(centers) and np.max(np.abs(new - centers)) <= tol:
            centers = new
            break
        centers = new
    labels = np.argmin(_sq_dists(points, centers), axis=1)
    return centers, labels


def kmeans_pp(points: np.ndarray, weights: np.ndarray, k: int,
              rng: np.random.Generator) -> np.ndarray:
    """Weighted k-means++ seeding over distinct points."""
    n = len(points)
    first = rng.choice(n, p=weights / weights.sum())
    centers = [points[first]]
    d2 = _sq_dists(points, points[first][None, :])[:, 0]
    for _ in range(1, k):
        p = d2 * weights
        if p.sum() <= 0:
            break
        nxt = rng.choice(n, p=p / p.sum())
        centers.append(points[nxt])
        d2 = np.minimum(d2, _sq_dists(points, points[nxt][None, :])[:, 0])
    return np.array(centers)


def best_kmeans(points: np.ndarray, weights: np.ndarray, k: int, *, seed: int,
                n_init: int = 10, max_iters: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Seeded k-means++ restarts; the solution with the lowest weighted inertia."""
    uniq = np.unique(points, axis=0)
    if len(uniq) <= k:
        centers = uniq
        labels = np.argmin(_sq_dists(points, centers), axis=1)
        return centers, labels
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(n_init):
        centers, labels = lloyd(points, weights, kmeans_pp(points, weights, k, rng), max_iters)
        inertia = float((weights * _sq_dists(points, centers)[np.arange(len(points)),
                                                               labels]).sum())
        key = (len(centers) != k, inertia)
        if best is None or key < best[0]:
            best = (key, centers, labels)
    assert best is not None
    return best[1], best[2]


def polis_kmeans(points: np.ndarray, ids: Sequence, k: int, *, weights: np.ndarray | None = None,
                 last_clusters: Sequence[dict] | None = None, max_iters: int = GROUP_ITERS
                 ) -> list[dict]:
    """Pol.is's ``clusters/kmeans``, step for step. ``last_clusters``: [{'id', 'members'}]
    with members named by ``ids``. Returns [{'id', 'members', 'center'}] sorted by id."""
    ids = list(ids)
    pos = {m: i for i, m in enumerate(ids)}
    w = np.ones(len(ids)) if weights is None else np.asarray(weights, dtype=float)

    def centre(members):
        idx = [pos[m] for m in members]
        return (w[idx][:, None] * points[idx]).sum(axis=0) / w[idx].sum()

    if last_clusters:
        clusters = []
        for c in last_clusters:                       # safe-recenter-clusters
            members = [m for m in c["members"] if m in pos]
            if members:
                clusters.append({"id": c["id"], "members": members, "center": centre(members)})
        if not clusters:
            clusters = [{"id": max([c["id"] for c in last_clusters], default=-1) + 1,
                         "members": ids, "center": centre(ids)}]
        uniq: list[dict] = []                         # uniqify-clusters
        for c in clusters:
            same = next((u for u in uniq if np.array_equal(u["center"], c["center"])), None)
            if same is None:
                uniq.append(c)
            else:
                big = max(same, c, key=lambda x: len(x["members"]))
                merged = same["members"] + c["members"]
                same.update(id=big["id"], members=merged, center=centre(merged))
        clusters = uniq
        possible = min(k, len(np.unique(points, axis=0)))
        while True:
            for c in clusters:
                c["center"] = centre(c["members"])
            if possible <= len(clusters):
                break
            centers = np.array([c["center"] for c in clusters])
            d = np.sqrt(_sq_dists(points, centers)).min(axis=1)
            far = int(np.argmax(d))
            if d[far] <= 0:
                break
            for c in clusters:
                c["members"] = [m for m in c["members"] if m != ids[far]]
            clusters = [c for c in clusters if c["members"]]
            clusters.append({"id": max(c["id"] for c in clusters) + 1 if clusters else 0,
                             "members": [ids[far]], "center": points[far].copy()})
    else:                                             # init-clusters: first k distinct rows
        seen: list[np.ndarray] = []
        for p in points:
            if not any(np.array_equal(p, s) for s in seen):
                seen.append(p)
            if len(seen) == k:
                break
        clusters = [{"id": i, "members": [], "center": s} for i, s in enumerate(seen)]

    it = max_iters
    while True:
        centers = np.array([c["center"] for c in clusters])
        nearest = np.argmin(_sq_dists(points, centers), axis=1)
        new = []
        for ci, c in enumerate(clusters):
            members = [ids[i] for i in np.flatnonzero(nearest == ci)]
            if members:
                new.append({"id": c["id"], "members": members, "center": centre(members)})
        if it == 0 or _same_clustering(clusters, new):
            return sorted(new, key=lambda c: c["id"])
        clusters = new
        it -= 1


def _same_clustering(a: list[dict], b: list[dict]) -> bool:
    ca = sorted(tuple(c["center"]) for c in a)
    cb = sorted(tuple(c["center"]) for c in b)
    return all(np.hypot(x[0] - y[0], x[1] - y[1]) < SAME_CLUSTERING for x, y in zip(ca, cb))


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over points, unweighted; a point alone in its cluster scores 0
    (Pol.is ``clusters/silhouette`` on the base clusters)."""
    d = np.sqrt(_sq_dists(points, points))
    ks = np.unique(labels)
    if len(ks) < 2:
        return 0.0
    scores = np.zeros(len(points))
    masks = [labels == g for g in ks]
    sizes = np.array([m.sum() for m in masks])
    means = np.column_stack([d[:, m].sum(axis=1) for m in masks])  # sum of distances
    own = np.searchsorted(ks, labels)
    for i in range(len(points)):
        size = sizes[own[i]]
        if size <= 1:
            continue
        a = means[i, own[i]] / (size - 1)
        other = [means[i, j] / sizes[j] for j in range(len(ks)) if j != own[i]]
        b = min(other)
        top = max(a, b)
        scores[i] = 0.0 if top == 0 else (b - a) / top
    return float(scores.mean())


def max_k(n_base: int) -> int:
    return min(MAX_K, 2 + n_base // 12)


# --- the whole computation ---------------------------------------------------------------

def opinion_groups(vm: VoteMatrix, *, k: int | None = None, seed: int = 0, n_init: int = 10,
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> OpinionGroups:
    """Pol.is's opinion groups from the final votes, in one shot (no history)."""
    t0 = time.perf_counter()
    warnings: list[str] = []

    def step(i: int, msg: str) -> None:
        if progress:
            progress(i, 4, msg)
        if cancelled and cancelled():
            raise InterruptedError("opinion groups cancelled")

    step(0, "vote matrix")
    vm = vm.drop_unvoted_statements()
    n, m = vm.shape
    centred = centred_sparse(vm)
    step(1, "principal components")
    p = pca(vm, _centred=centred)
    proj = project(vm, p, _centred=centred)
    raw_counts = vm.votes_per_participant()
    conv = in_conv(raw_counts, m)
    labels = np.full(n, -1, dtype=np.int64)
    base_labels = np.full(n, -1, dtype=np.int64)
    empty = OpinionGroups(vm.participants, vm.statements, p, proj, conv, labels, 0, {},
                          base_labels, np.zeros((0, 2)), np.zeros(0), np.zeros(0, dtype=np.int64),
                          np.zeros((0, 2)), "none", seed, warnings)
    if n == 0 or m == 0:
        warnings.append("no votes: there is nothing to group")
        return _done(empty, t0)
    if n < GREEDY_N:
        warnings.append(f"only {n} participants voted: Pol.is would show no opinion groups "
                        f"below 15; these groups rest on very few people")
    if m < 2:
        warnings.append("only one statement has votes: groups can only split agree from "
                        "disagree on it")

    step(2, "base clusters")
    pts = proj[conv]
    uniq_pts = np.unique(pts, axis=0)
    if len(uniq_pts) < 2:
        warnings.append("every clustered participant voted the same way: there is one opinion, "
                        "no groups")
        return _done(empty, t0)
    centers, blab = best_kmeans(pts, np.ones(len(pts)), BASE_K, seed=seed, n_init=1,
                                max_iters=BASE_ITERS)
    weights = np.bincount(blab, minlength=len(centers)).astype(float)
    keep = weights > 0
    if not keep.all():
        centers, weights = centers[keep], weights[keep]
        blab = (np.cumsum(keep) - 1)[blab]
    base_labels[conv] = blab

    step(3, "opinion groups")
    top = max_k(len(centers))
    if k is not None:
        if k < 1:
            from ..errors import UserError
            raise UserError(f"the number of groups must be at least 1, not {k}")
        ks = [min(k, len(centers))]
        if ks[0] < k:
            warnings.append(f"asked for {k} groups but only {ks[0]} distinct voting patterns "
                            "are clustered")
        how = "forced"
    else:
        ks = list(range(2, top + 1))
        how = "silhouette"
    results = {}
    sils: dict[int, float] = {}
    for kk in ks:
        gc, glab = best_kmeans(centers, weights, kk, seed=seed + kk, n_init=n_init,
                               max_iters=BASE_ITERS)
        results[kk] = (gc, glab)
        sils[kk] = silhouette(centers, glab) if len(gc) > 1 else 0.0
    best_k = ks[0] if k is not None else max(ks, key=lambda kk: (sils[kk], -kk))
    gc, glab = results[best_k]
    # groups numbered by size, largest first: "group 1" is the biggest, whatever the seed
    sizes = np.bincount(glab, weights=weights, minlength=len(gc))
    order = np.lexsort((gc[:, 1], gc[:, 0], -sizes))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    glab = rank[glab]
    gc = gc[order]
    labels[conv] = glab[blab]
    step(4, "done")
    out = OpinionGroups(vm.participants, vm.statements, p, proj, conv, labels, len(gc), sils,
                        base_labels, centers, weights, glab, gc, how, seed, warnings)
    return _done(out, t0)


def _done(g: OpinionGroups, t0: float) -> OpinionGroups:
    g.seconds = time.perf_counter() - t0
    return g
