"""Everything the votes say, in one result: opinion groups (recomputed, or Pol.is's own),
figures per statement overall and per group, representative statements, consensus,
group-informed consensus, areas of uncertainty and divisive statements. This is what the
``polis`` command writes, what a project stores, and what the report reads."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from . import repness as rp
from .agreement import SMALL_N, agreement
from .matrix import VoteMatrix
from .polis_math import OpinionGroups, opinion_groups

Progress = Callable[[int, int, str], None]


@dataclass
class VoteAnalysis:
    matrix: VoteMatrix
    labels: np.ndarray              # group index per participant, −1 = in no group
    group_ids: list                 # group index → group id shown (Pol.is's id, or 0, 1, …)
    groups_from: str                # 'recomputed' or 'polis'
    opinion: OpinionGroups | None   # the computation, when recomputed
    result: dict                    # JSON-ready
    warnings: list[str] = field(default_factory=list)


def _key(x):
    return str(x)


def analyse(vm: VoteMatrix, *, k: int | None = None, seed: int = 0,
            polis_groups: Mapping | None = None, texts: Mapping | None = None,
            small_n: int = SMALL_N, method: str = "oneshot", progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None) -> VoteAnalysis:
    """``polis_groups`` (participant id → Pol.is group id or None): use Pol.is's own groups
    instead of recomputing them."""
    t0 = time.perf_counter()
    vm = vm.drop_unvoted_statements() if vm.n_votes else vm
    warnings: list[str] = []
    opinion = None
    if polis_groups is not None:
        gids = sorted({g for g in polis_groups.values() if g is not None})
        pos = {g: i for i, g in enumerate(gids)}
        labels = np.array([pos.get(polis_groups.get(p), -1) if polis_groups.get(p) is not None
                           else -1 for p in vm.participants.tolist()], dtype=np.int64)
        if not gids:
            warnings.append("the export has no Pol.is groups (no group-id): none are shown")
        groups_from = "polis"
    else:
        opinion = opinion_groups(vm, k=k, seed=seed, method=method, progress=progress,
                                 cancelled=cancelled)
        warnings += opinion.warnings
        labels = opinion.labels
        gids = list(range(opinion.k))
        groups_from = "recomputed"
    n_groups = len(gids)
    tids = vm.statements.tolist()
    raw = rp.count_votes(vm, labels, n_groups)
    everyone = rp.count_votes(vm, np.zeros(vm.shape[0], dtype=np.int64), 1)
    everyone_rating = rp.count_votes(vm, np.zeros(vm.shape[0], dtype=np.int64), 1,
                                     zero_mod_out=True)
    if n_groups:
        rating = rp.count_votes(vm, labels, n_groups, zero_mod_out=True)
        rep = rp.select_representative(rp.group_stats(rating), tids, vm.mod_out,
                                       [_key(g) for g in gids])
        gic = rp.group_informed_consensus(raw)
    else:
        rep, gic = {}, np.full(len(tids), np.nan)
    cons = rp.select_consensus(everyone_rating, tids, vm.mod_out)
    div, hi, lo = rp.divisiveness(raw)
    listed = ~vm.mod_out
    overall = agreement(vm, small_n=small_n)
    per_group = _table(raw, gids, vm, small_n)

    statements = {}
    for j, t in enumerate(tids):
        entry = {"overall": overall._figure(0, j).as_dict(),
                 "groups": {_key(g): per_group._figure(i, j).as_dict()
                            for i, g in enumerate(gids)},
                 "group_informed_consensus": None if np.isnan(gic[j]) else float(gic[j]),
                 "divisiveness": float(div[j]) if n_groups > 1 else None,
                 "moderated_out": bool(vm.mod_out[j]), "meta": bool(vm.meta[j])}
        if texts is not None and t in texts:
            entry["text"] = texts[t]
        statements[_key(t)] = entry
    divisive = [j for j in np.argsort(-div, kind="stable") if listed[j] and n_groups > 1
                and div[j] > 0][:10]
    sizes = [int((labels == i).sum()) for i in range(n_groups)]
    clustered = max(int((labels >= 0).sum()), 1)
    result = {
        "participants": {_key(p): (None if labels[i] < 0 else gids[labels[i]])
                         for i, p in enumerate(vm.participants.tolist())},
        "groups": [{"id": g, "size": sizes[i], "share": sizes[i] / clustered,
                    "members": [p for p, lab in zip(vm.participants.tolist(), labels)
                                if lab == i]} for i, g in enumerate(gids)],
        "repness": rep,
        "consensus": {"agree": [d["tid"] for d in cons["agree"]],
                      "disagree": [d["tid"] for d in cons["disagree"]]},
        "consensus_details": cons,
        "group_informed_consensus": {_key(t): (None if np.isnan(gic[j]) else float(gic[j]))
                                     for j, t in enumerate(tids)},
        "statements": statements,
        "uncertainty": rp.uncertainty(rp.Counts(everyone.agree[:, listed],
                                                everyone.disagree[:, listed],
                                                everyone.seen[:, listed]),
                                      vm.statements[listed].tolist()),
        "divisive": [{"tid": tids[j], "divisiveness": float(div[j]),
                      "most_agree_group": gids[hi[j]], "least_agree_group": gids[lo[j]]}
                     for j in divisive],
        "k": n_groups,
        "groups_from": groups_from,
        "how_k": opinion.how_k if opinion is not None else "polis",
        "silhouettes": {} if opinion is None else {str(a): b for a, b in
                                                   opinion.silhouettes.items()},
        "small_n": small_n,
        "warnings": warnings,
        "seconds": time.perf_counter() - t0,
    }
    return VoteAnalysis(vm, labels, gids, groups_from, opinion, result, warnings)


def _table(c: rp.Counts, gids, vm, small_n):
    from .agreement import AgreementTable
    return AgreementTable(list(gids), vm.statements, c, small_n)
