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
   the most votes; once in, always in.
5. ``base-clusters``: k-means with k = 100 on the clustered participants' projections.
6. ``group-clusterings``: k-means of the base clusters weighted by their sizes for
   k = 2 … min(5, 2 + base clusters / 12); the k with the best silhouette (on the base
   clusters, unweighted) wins, unless the researcher forces k.

Pol.is starts every update from the previous update's clusters and only changes k after the
same k has won four updates running. ``polis_kmeans`` reproduces Pol.is's k-means step by step
(first distinct points as starting centres, ``clean-start`` from previous clusters, dropping
emptied clusters, the 0.01 convergence test), so that started from a Pol.is state we land on
Pol.is's groups. By default we run Pol.is's update once on the final votes, participants in
the order of Pol.is's rating matrix (the order of their first vote: Pol.is picks its first
starting centres in that order) and clustered as Pol.is's ``in-conv`` grew
(``in_conv_as_it_grew``). ``method="replay"`` instead replays the conversation through a
hundred updates by vote time. Against Pol.is's own groups (adjusted Rand index at the k each
chooses; bg2050-volunteers, below-100-ptpts, 150ptpt, 25ptpt, london.youth.policing) the one
update gives 1.00, 1.00, 0.93, 0.63, −0.02 and the replay 0.73, 0.47, 0.20, 0.63, 0.14: an
export keeps only each latest vote and not Pol.is's cadence of updates, so replaying it does
not retrace Pol.is's history. Neither can replay the k smoother, so k can differ from Pol.is's
(Bowling Green, no vote times: 3 groups by silhouette against Pol.is's 2, index 0.22; 0.49 at
k = 2). When an export carries Pol.is's own groups, ``project_analysis`` uses those.

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
GROUP_K_BUFFER = 4       # Pol.is changes k only after the same k has won this many updates

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
    x, center, _ = _centred if _centred is not None else centred_sparse(vm)
    n, m = x.shape
    c = int(min(n_comps, n, m))
    if c == 0:
        return PCAResult(center, np.zeros((0, m)), np.zeros(0))
    w, v = _top_eigen(x, c)
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order].T
    # a fixed sign per component: the largest loading positive (eigenvectors have no sign)
    for i in range(len(v)):
        j = int(np.argmax(np.abs(v[i])))
        if v[i, j] < 0:
            v[i] = -v[i]
    return PCAResult(center, v, np.maximum(w, 0.0) / max(n - 1, 1))


def _top_eigen(x, c: int) -> tuple[np.ndarray, np.ndarray]:
    """The c largest eigenpairs of X'X, without forming it when it is big. ARPACK from a fixed
    start vector: deterministic."""
    m = x.shape[1]
    if m <= 64:
        from scipy import linalg
        w, v = linalg.eigh((x.T @ x).toarray())
        return w[-c:], v[:, -c:]
    from scipy.sparse.linalg import LinearOperator, eigsh
    xt = x.T.tocsr()
    op = LinearOperator((m, m), matvec=lambda y: xt @ (x @ y), dtype=np.float64)
    try:
        return eigsh(op, k=c, which="LA", v0=np.full(m, 1 / np.sqrt(m)), tol=0)
    except Exception:                    # ARPACK did not converge: the slow, sure way
        from scipy import linalg
        w, v = linalg.eigh((x.T @ x).toarray(), subset_by_index=[m - c, m - 1])
        return w, v


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

def in_conv(votes_per_participant: np.ndarray, n_statements: int,
            already: np.ndarray | None = None) -> np.ndarray:
    """Pol.is ``in-conv``: who is clustered. ``already``: those clustered at an earlier update,
    who stay in; the top-up to 15 counts them (Pol.is tops up the union, not the newcomers)."""
    counts = np.asarray(votes_per_participant)
    keep = counts >= min(MIN_VOTES, n_statements)
    keep &= counts > 0
    if already is not None:
        keep |= already
    if keep.sum() < GREEDY_N:
        rest = np.flatnonzero(~keep & (counts > 0))
        rest = rest[np.argsort(-counts[rest], kind="stable")]
        keep[rest[:GREEDY_N - int(keep.sum())]] = True
    return keep


def join_order(vm: VoteMatrix) -> np.ndarray:
    """Participants (row indices) in the order of Pol.is's rating matrix: rows are added as a
    participant's first vote arrives, so by the time of their first vote when the times are
    known (ties and unknown times: in the table's order, which is Pol.is's pid order)."""
    n = vm.shape[0]
    if vm.cast_at is None or vm.n_votes == 0:
        return np.arange(n)
    first = np.full(n, np.inf)
    when = np.where(np.isnan(vm.cast_at), np.inf, vm.cast_at)
    np.minimum.at(first, vm.row, when)
    return np.lexsort((np.arange(n), first))


def in_conv_as_it_grew(vm: VoteMatrix, order: np.ndarray | None = None) -> np.ndarray:
    """Who Pol.is has clustered by the end of a conversation: ``in-conv`` is kept from update to
    update ("once a ptpt is in, they will remain in"), so besides everyone who voted enough at
    the end it holds whoever passed the rule earlier, when fewer statements had votes, and the
    first voters, whom its greedy top-up brought in while fewer than 15 qualified (every update
    until then takes in everyone who has voted: the first 15 voters in join order, ``order``).
    Without vote times, the first 15 voters alone. On the six conversations of shared/data this
    is exactly the set Pol.is clustered in five (Bowling Green: 1,581 of 2,031, where the final
    votes alone give 1,579; below-100-ptpts: 23, not 19) and one participant more in the
    sixth."""
    n, m = vm.shape
    counts = vm.votes_per_participant()
    ever = in_conv(counts, m)
    order = join_order(vm) if order is None else order
    ever[order[counts[order] > 0][:GREEDY_N]] = True
    if vm.cast_at is None or not vm.n_votes or np.isnan(vm.cast_at).any():
        return ever
    # the rule at each vote, in time order: the voter's votes so far against min(7, statements
    # voted on so far)
    idx = np.argsort(vm.cast_at, kind="stable")
    rows, cols = vm.row[idx], vm.col[idx]
    n_v = len(idx)
    first_of_col = np.zeros(n_v, dtype=bool)
    first_of_col[np.unique(cols, return_index=True)[1]] = True
    by_row = np.lexsort((np.arange(n_v), rows))
    starts = np.r_[0, np.flatnonzero(np.diff(rows[by_row])) + 1]
    so_far = np.empty(n_v, dtype=np.int64)
    so_far[by_row] = np.arange(n_v) - np.repeat(starts, np.diff(np.r_[starts, n_v])) + 1
    ever[rows[so_far >= np.minimum(MIN_VOTES, np.cumsum(first_of_col))]] = True
    return ever


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


def polis_kmeans(points: np.ndarray, ids: Sequence, k: int, *, weights: np.ndarray | None = None,
                 last_clusters: Sequence[dict] | None = None, max_iters: int = GROUP_ITERS
                 ) -> list[dict]:
    """Pol.is's ``clusters/kmeans``, step for step. ``last_clusters``: [{'id', 'members'}]
    with members named by ``ids``. Returns [{'id', 'members', 'center'}] sorted by id.

    Without ``last_clusters`` the first k distinct points (in the order given) start the
    clusters (``init-clusters``); with them, ``clean-start-clusters``: the old clusters are
    re-centred on their members' new positions, identical ones merged, and the point farthest
    from every centre split off until there are k."""
    ids = list(ids)
    n = len(ids)
    pos = {m: i for i, m in enumerate(ids)}
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)

    def centres(lab, c):
        return _weighted_means(points, w, lab, c)

    if last_clusters:
        lab = np.full(n, -1, dtype=np.int64)
        cid: list = []
        for c in last_clusters:                       # safe-recenter-clusters
            idx = [pos[m] for m in c["members"] if m in pos]
            if idx:
                lab[idx] = len(cid)
                cid.append(c["id"])
        if not cid:
            cid = [max([c["id"] for c in last_clusters], default=-1) + 1]
            lab[:] = 0
        member = lab >= 0
        ctr, _ = _weighted_means(points[member], w[member], lab[member], len(cid))
        # uniqify-clusters: clusters with identical centres become one (the bigger one's id)
        _, first, inverse = np.unique(ctr, axis=0, return_index=True, return_inverse=True)
        if len(first) < len(cid):
            inverse = inverse.ravel()
            sizes = np.bincount(lab[member], minlength=len(cid))
            keep_ids = []
            for u in range(len(first)):
                group = np.flatnonzero(inverse == u)
                keep_ids.append(cid[group[np.argmax(sizes[group])]])
            order = np.argsort(first)
            remap = np.empty(len(first), dtype=np.int64)
            remap[order] = np.arange(len(first))
            lab[member] = remap[inverse[lab[member]]]
            cid = [keep_ids[u] for u in order]
        possible = min(k, len(np.unique(points, axis=0)))
        for _ in range(n + 1):                        # bounded: each turn adds a cluster or ends
            member = lab >= 0
            ctr, _ = _weighted_means(points[member], w[member], lab[member], len(cid))
            if possible <= len(cid):
                break
            d = np.sqrt(_sq_dists(points, ctr)).min(axis=1)
            # A point alone in its cluster cannot found a new one (its old one would die and the
            # count stay put — an endless loop on small conversations).
            sizes = np.bincount(lab[member], minlength=len(cid))
            d[member & (sizes[np.maximum(lab, 0)] <= 1)] = -1.0
            far = int(np.argmax(d))
            if d[far] <= 0:
                break
            lab[far] = len(cid)                       # the most distal point: a new cluster
            cid.append(max(cid) + 1)
            alive = np.bincount(lab[lab >= 0], minlength=len(cid)) > 0
            if not alive.all():
                remap = np.cumsum(alive) - 1
                lab = np.where(lab >= 0, remap[np.maximum(lab, 0)], -1)
                cid = [c for c, a in zip(cid, alive) if a]
    else:                                             # init-clusters: first k distinct rows
        _, first = np.unique(points, axis=0, return_index=True)
        first = np.sort(first)[:k]
        ctr = points[first].astype(float)
        cid = list(range(len(first)))

    it = max_iters
    while True:
        nearest = np.argmin(_sq_dists(points, ctr), axis=1)
        new, wsum = centres(nearest, len(cid))
        alive = wsum > 0
        new_ids = [c for c, a in zip(cid, alive) if a]
        new = new[alive]
        if it == 0 or _same_clustering(ctr, new):
            remap = np.cumsum(alive) - 1
            lab = remap[nearest]
            out = [{"id": c, "members": [ids[i] for i in np.flatnonzero(lab == j)],
                    "center": new[j]} for j, c in enumerate(new_ids)]
            return sorted(out, key=lambda c: c["id"])
        ctr, cid = new, new_ids
        it -= 1


def _same_clustering(a: np.ndarray, b: np.ndarray) -> bool:
    ca = sorted(map(tuple, a))
    cb = sorted(map(tuple, b))
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

def opinion_groups(vm: VoteMatrix, *, k: int | None = None, seed: int = 0,
                   method: str = "oneshot", updates: int = 100,
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> OpinionGroups:
    """Pol.is's opinion groups of a conversation.

    ``method``: ``oneshot`` (the default) is Pol.is's update run once on the final votes
    (``auto``, which chose between the two before one shot was found the closer to Pol.is, is
    an old name of it); ``replay`` replays the conversation in ``updates`` steps by vote time (needs
    the time of every vote; without them, one shot). ``k`` forces the number of groups.
    ``seed`` only reorders participants before the one-shot starting points (0: the order of
    Pol.is's rating matrix); it exists to measure how much the groups depend on that order.
    """
    t0 = time.perf_counter()
    warnings: list[str] = []

    def step(i: int, msg: str) -> None:
        if progress:
            progress(i, 4, msg)
        if cancelled and cancelled():
            raise InterruptedError("opinion groups cancelled")

    if k is not None and k < 1:
        from ..errors import UserError
        raise UserError(f"the number of groups must be at least 1, not {k}")
    step(0, "vote matrix")
    vm = vm.drop_unvoted_statements()
    n, m = vm.shape
    if method not in ("auto", "replay", "oneshot"):
        raise ValueError(f"unknown method {method!r}")
    if method == "replay":
        replayed = replay_opinion_groups(vm, updates=updates, k=k, seed=seed, step=step)
        if replayed is not None:
            replayed.warnings[:0] = _size_warnings(n, m)
            return _done(replayed, t0)
    centred = centred_sparse(vm)
    step(1, "principal components")
    p = pca(vm, _centred=centred)
    proj = project(vm, p, _centred=centred)
    order = join_order(vm)
    conv = in_conv_as_it_grew(vm, order)
    warnings += _size_warnings(n, m)
    step(2, "base clusters")
    order = order[conv[order]]
    if seed:
        order = np.random.default_rng(seed).permutation(order)
    out = _cluster(vm, p, proj, order, k, None, None, seed, "one shot", warnings)
    step(4, "done")
    return _done(out, t0)


def _size_warnings(n: int, m: int) -> list[str]:
    out = []
    if n == 0 or m == 0:
        out.append("no votes: there is nothing to group")
    elif n < GREEDY_N:
        out.append(f"only {n} participants voted: Pol.is shows no opinion groups below 15 "
                   "participants; these groups rest on very few people")
    if m == 1:
        out.append("only one statement has votes: groups can only split agree from disagree "
                   "on it")
    return out


def _cluster(vm: VoteMatrix, p: PCAResult, proj: np.ndarray, order: np.ndarray,
             k: int | None, base_prev, groups_prev, seed: int, how: str,
             warnings: list[str], smoother: dict | None = None):
    """Base clusters of the participants ``order`` (row indices, in the order that picks
    starting points), then group clusterings for each k and the choice of k. Returns the
    result; with ``groups_prev`` (a dict k → clusters, updated in place) and ``smoother``
    (updated in place) it is one step of a replay."""
    n = vm.shape[0]
    ids = vm.participants[order].tolist()
    pts = proj[order]
    labels = np.full(n, -1, dtype=np.int64)
    base_labels = np.full(n, -1, dtype=np.int64)
    conv = np.zeros(n, dtype=bool)
    conv[order] = True
    if len(pts) == 0 or len(np.unique(pts, axis=0)) < 2:
        if n and not any("same way" in w for w in warnings):
            warnings.append("every clustered participant voted the same way (or too few "
                            "voted): there is one opinion, no groups")
        return OpinionGroups(vm.participants, vm.statements, p, proj, conv, labels, 0, {},
                             base_labels, np.zeros((0, 2)), np.zeros(0),
                             np.zeros(0, dtype=np.int64), np.zeros((0, 2)), "none", seed,
                             warnings), None
    base = polis_kmeans(pts, ids, BASE_K, last_clusters=base_prev, max_iters=BASE_ITERS)
    centers = np.array([c["center"] for c in base])
    weights = np.array([len(c["members"]) for c in base], dtype=float)
    bids = [c["id"] for c in base]
    bpos = {b: i for i, b in enumerate(bids)}
    groups_prev = {} if groups_prev is None else groups_prev
    if k is not None:
        ks = [min(k, len(base))]
        if ks[0] < k and not any("distinct" in w for w in warnings):
            warnings.append(f"asked for {k} groups but only {ks[0]} distinct voting patterns "
                            "are clustered")
    else:
        ks = list(range(2, max_k(len(base)) + 1))
    sils: dict[int, float] = {}
    glabs: dict[int, np.ndarray] = {}
    for kk in ks:
        groups_prev[kk] = polis_kmeans(centers, bids, kk, weights=weights,
                                       last_clusters=groups_prev.get(kk))
        lab = np.zeros(len(bids), dtype=np.int64)
        for gi, g in enumerate(groups_prev[kk]):
            lab[[bpos[b] for b in g["members"]]] = gi
        glabs[kk] = lab
        sils[kk] = silhouette(centers, lab) if len(groups_prev[kk]) > 1 else 0.0
    # Pol.is ``(apply max-key silhouettes ks)``: of equal silhouettes the last, the largest k
    this_k = ks[0] if k is not None else max(ks, key=lambda kk: (sils[kk], kk))
    chosen = this_k
    if smoother is not None and k is None:            # Pol.is's group-k-smoother
        count = smoother.get("count", 0) + 1 if smoother.get("last_k") == this_k else 1
        chosen = this_k if count >= GROUP_K_BUFFER else smoother.get("smoothed", this_k)
        if chosen not in ks:
            chosen = this_k
        smoother.update(last_k=this_k, count=count, smoothed=chosen)
    gclusters = groups_prev[chosen]
    glab = glabs[chosen]
    # groups numbered by size, largest first
    sizes = np.bincount(glab, weights=weights, minlength=len(gclusters))
    rank_order = np.argsort(-sizes, kind="stable")
    rank = np.empty(len(rank_order), dtype=np.int64)
    rank[rank_order] = np.arange(len(rank_order))
    group_of_base = rank[glab]
    index = {q: i for i, q in enumerate(vm.participants.tolist())}
    for bi, c in enumerate(base):
        base_labels[[index[q] for q in c["members"]]] = bi
    labels = np.where(base_labels >= 0, group_of_base[np.maximum(base_labels, 0)], -1)
    gc = np.array([gclusters[i]["center"] for i in rank_order])
    how_k = "forced" if k is not None else how
    out = OpinionGroups(vm.participants, vm.statements, p, proj, conv, labels, len(gc), sils,
                        base_labels, centers, weights, group_of_base, gc, how_k, seed,
                        warnings)
    return out, base


def _done(g, t0: float) -> OpinionGroups:
    if isinstance(g, tuple):
        g = g[0]
    g.seconds = time.perf_counter() - t0
    return g


# --- replaying Pol.is's history ----------------------------------------------------------

def replay_opinion_groups(vm: VoteMatrix, *, updates: int = 100, k: int | None = None,
                          seed: int = 0, step=None) -> OpinionGroups | None:
    """Pol.is's groups as Pol.is reaches them: the conversation is replayed in ``updates``
    steps of equal numbers of votes (by the time they were cast), each step starting its
    k-means from the previous step's clusters, keeping everyone once clustered, and changing
    k only after another k has won four steps running. Needs vote times; None without."""
    if vm.cast_at is None or np.isnan(vm.cast_at).any() or vm.n_votes == 0:
        return None
    vm = vm.drop_unvoted_statements()
    times = np.sort(vm.cast_at)
    cuts = np.unique(times[np.linspace(0, len(times) - 1, updates + 1)[1:].astype(int)])
    base_prev = None
    groups_prev: dict[int, list[dict]] = {}
    smoother: dict = {}
    clustered = np.zeros(vm.shape[0], dtype=bool)
    rows_in_order = join_order(vm)
    result = None
    for i, cut in enumerate(cuts):
        if step is not None:
            step(1 + (2 * i) // max(len(cuts), 1), f"replaying update {i + 1} of {len(cuts)}")
        sub = vm.subset_votes(vm.cast_at <= cut)
        voted_cols = sub.votes_per_statement() > 0
        sub = VoteMatrix(sub.participants, sub.statements[voted_cols], sub.row,
                         (np.cumsum(voted_cols) - 1)[sub.col].astype(np.int32), sub.value,
                         sub.mod_out[voted_cols], sub.meta[voted_cols], sub.cast_at)
        centred = centred_sparse(sub)
        p = pca(sub, _centred=centred)
        proj = project(sub, p, _centred=centred)
        counts = sub.votes_per_participant()
        clustered = in_conv(counts, int(voted_cols.sum()), clustered)
        order = rows_in_order[(clustered & (counts > 0))[rows_in_order]]
        warnings: list[str] = []
        res, base = _cluster(sub, p, proj, order, k, base_prev, groups_prev, seed,
                             "replayed history", warnings, smoother)
        if base is not None:
            base_prev = base
            result = res
    if result is None:
        return None
    # statements with votes only at the end are all in the last update: same columns as vm
    result.statements = vm.statements
    return result
