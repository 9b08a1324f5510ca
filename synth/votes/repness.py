"""Pol.is's statement lists: representative statements per group, consensus statements,
group-informed consensus — following compdemocracy/polis math/src/polismath/math/repness.clj,
conversation.clj and stats.clj — plus two lists Pol.is's report shows or researchers ask for:
areas of uncertainty and divisiveness.

Counts use agree = +1. Probabilities carry Pol.is's pseudo-counts: p = (n + 1) / (N + 2), and
its z-tests add one to every count before testing. A statement is significant when z > 1.2816
(one-sided 90 %).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .matrix import VoteMatrix

Z90 = 1.2816
PICK_MAX = 5
UNCERTAIN_PASS_SHARE = 0.3


@dataclass
class Counts:
    """Votes per label (group, segment …) and statement: agree, disagree, seen (any vote)."""
    agree: np.ndarray      # (labels, statements) int64
    disagree: np.ndarray
    seen: np.ndarray

    @property
    def passes(self) -> np.ndarray:
        return self.seen - self.agree - self.disagree


def count_votes(vm: VoteMatrix, labels: np.ndarray, n_labels: int, *,
                zero_mod_out: bool = False) -> Counts:
    """Counts per label; participants labelled −1 are left out. ``zero_mod_out``: count the
    moderated-out columns as a pass by every labelled participant (Pol.is's rating matrix)."""
    labels = np.asarray(labels)
    m = vm.shape[1]
    lab = labels[vm.row]
    keep = lab >= 0
    key = lab[keep] * m + vm.col[keep]
    val = vm.value[keep]
    size = n_labels * m
    agree = np.bincount(key[val == 1], minlength=size).reshape(n_labels, m)
    disagree = np.bincount(key[val == -1], minlength=size).reshape(n_labels, m)
    seen = np.bincount(key, minlength=size).reshape(n_labels, m)
    if zero_mod_out and vm.mod_out.any():
        members = np.bincount(labels[labels >= 0], minlength=n_labels)
        agree[:, vm.mod_out] = 0
        disagree[:, vm.mod_out] = 0
        seen[:, vm.mod_out] = members[:, None]
    return Counts(agree.astype(np.int64), disagree.astype(np.int64), seen.astype(np.int64))


def prop_test(succ, n):
    succ = np.asarray(succ, dtype=float) + 1
    n = np.asarray(n, dtype=float) + 1
    return 2 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(succ_in, succ_out, n_in, n_out):
    s1, s2, n1, n2 = (np.asarray(x, dtype=float) + 1 for x in (succ_in, succ_out, n_in, n_out))
    p1, p2 = s1 / n1, s2 / n2
    pi = (s1 + s2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(pi * (1 - pi) * (1 / n1 + 1 / n2))
    return np.where(pi == 1, 0.0, z)


def smoothed(n, total):
    return (np.asarray(n, dtype=float) + 1) / (np.asarray(total, dtype=float) + 2)


@dataclass
class GroupStats:
    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def group_stats(c: Counts) -> GroupStats:
    """Pol.is ``conv-repness``: each group against the other groups together."""
    na, nd, ns = c.agree, c.disagree, c.seen
    na_out = na.sum(axis=0)[None, :] - na
    nd_out = nd.sum(axis=0)[None, :] - nd
    ns_out = ns.sum(axis=0)[None, :] - ns
    pa, pd = smoothed(na, ns), smoothed(nd, ns)
    return GroupStats(na, nd, ns, pa, pd, prop_test(na, ns), prop_test(nd, ns),
                      pa / smoothed(na_out, ns_out), pd / smoothed(nd_out, ns_out),
                      two_prop_test(na, na_out, ns, ns_out),
                      two_prop_test(nd, nd_out, ns, ns_out))


def _finalize(s: GroupStats, g: int, j: int, tid) -> dict:
    agree = s.rat[g, j] > s.rdt[g, j]
    n = s.na if agree else s.nd
    p = s.pa if agree else s.pd
    pt = s.pat if agree else s.pdt
    r = s.ra if agree else s.rd
    rt = s.rat if agree else s.rdt
    return {"tid": tid, "n_success": int(n[g, j]), "n_trials": int(s.ns[g, j]),
            "p_success": float(p[g, j]), "p_test": float(pt[g, j]),
            "repness": float(r[g, j]),
            # Pol.is stores the test as a 32-bit float, and sorts and compares on that value
            "repness_test": float(np.float32(rt[g, j])),
            "repful_for": "agree" if agree else "disagree"}


def _metric(d: dict) -> float:
    return d["repness"] * d["repness_test"] * d["p_success"] * d["p_test"]


def select_representative(s: GroupStats, tids, mod_out: np.ndarray | None = None,
                          group_ids=None, pick_max: int = PICK_MAX) -> dict:
    """Pol.is ``select-rep-comments``: up to five statements per group, the best-agreed one
    first, agrees before disagrees. Returns {group id: [statement dicts]}."""
    k, m = s.na.shape
    tids = list(tids)
    group_ids = list(range(k)) if group_ids is None else list(group_ids)
    mod_out = np.zeros(m, dtype=bool) if mod_out is None else np.asarray(mod_out, dtype=bool)
    passes = ((s.rat > Z90) & (s.pat > Z90)) | ((s.rdt > Z90) & (s.pdt > Z90))
    out = {}
    for g, gid in enumerate(group_ids):
        sufficient: list[dict] = []
        best = None
        best_agree = None            # column index
        for j in range(m):
            if mod_out[j]:
                continue
            if passes[g, j]:
                sufficient.append(_finalize(s, g, j, tids[j]))
            if not sufficient:
                z = max(s.rat[g, j], s.rdt[g, j])
                if best is None or z > best["repness_test"]:
                    best = _finalize(s, g, j, tids[j])
            if _beats_best_agree(s, g, j, best_agree):
                best_agree = j
        head = []
        if best_agree is not None:
            d = _finalize(s, g, best_agree, tids[best_agree])
            d.update(n_agree=int(s.na[g, best_agree]), best_agree=True)
            head = [d]
        elif best is not None:
            head = [best]
        if not sufficient:
            out[gid] = head
            continue
        ba_tid = head[0]["tid"] if best_agree is not None else object()
        rest = sorted((d for d in sufficient if d["tid"] != ba_tid), key=lambda d: -_metric(d))
        chosen = ((head if best_agree is not None else []) + rest)[:pick_max]
        out[gid] = ([d for d in chosen if d["repful_for"] == "agree"]
                    + [d for d in chosen if d["repful_for"] == "disagree"])
    return out


def _beats_best_agree(s: GroupStats, g: int, j: int, best: int | None) -> bool:
    if s.na[g, j] == 0 and s.nd[g, j] == 0:
        return False
    if best is not None and s.ra[g, best] > 1.0:
        return (s.ra[g, j] * s.rat[g, j] * s.pa[g, j] * s.pat[g, j]
                > s.ra[g, best] * s.rat[g, best] * s.pa[g, best] * s.pat[g, best])
    if best is not None:
        return s.pa[g, j] * s.pat[g, j] > s.pa[g, best] * s.pat[g, best]
    return bool(s.pat[g, j] > Z90 or (s.ra[g, j] > 1.0 and s.pa[g, j] > 0.5))


def select_consensus(c: Counts, tids, mod_out: np.ndarray | None = None,
                     pick_max: int = PICK_MAX) -> dict:
    """Pol.is ``select-consensus-comments`` over everyone's votes (``c`` has one label):
    statements most people agree (disagree) with, p > 0.5 and significant."""
    na, nd, ns = c.agree[0], c.disagree[0], c.seen[0]
    pa, pd = smoothed(na, ns), smoothed(nd, ns)
    pat, pdt = prop_test(na, ns), prop_test(nd, ns)
    m = len(na)
    ok = np.ones(m, dtype=bool) if mod_out is None else ~np.asarray(mod_out, dtype=bool)
    tids = list(tids)
    out = {}
    for name, n, p, pt in (("agree", na, pa, pat), ("disagree", nd, pd, pdt)):
        cand = np.flatnonzero(ok & (p > 0.5) & (pt > Z90))
        cand = cand[np.argsort(-(p[cand] * pt[cand]), kind="stable")][:pick_max]
        out[name] = [{"tid": tids[j], "n_success": int(n[j]), "n_trials": int(ns[j]),
                      "p_success": float(p[j]), "p_test": float(pt[j])} for j in cand]
    return out


def group_informed_consensus(c: Counts) -> np.ndarray:
    """Pol.is ``group-aware-consensus``: the product over groups of each group's smoothed
    probability of agreeing, (A + 1) / (S + 2). High only when every group agrees."""
    return np.prod(smoothed(c.agree, c.seen), axis=0)


def uncertainty(c: Counts, tids, threshold: float = UNCERTAIN_PASS_SHARE) -> list[dict]:
    """Pol.is report's "areas of uncertainty": statements where more than 30 % of those who
    voted passed, most passed first."""
    seen = c.seen.sum(axis=0)
    passes = c.passes.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(seen > 0, passes / np.maximum(seen, 1), 0.0)
    idx = np.flatnonzero(share > threshold)
    idx = idx[np.argsort(-share[idx], kind="stable")]
    tids = list(tids)
    return [{"tid": tids[j], "pass_share": float(share[j]), "passes": int(passes[j]),
             "n": int(seen[j])} for j in idx]


def divisiveness(c: Counts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How far apart the opinion groups are on each statement: the largest difference between
    two groups' smoothed agree shares, (A + 1) / (S + 2) — the figure researchers quote as
    "74 % vs 94 %", with Pol.is's pseudo-count so that a group of two cannot make a statement
    look divisive on its own. Returns (score, higher group, lower group) per statement;
    0 and −1 with fewer than two groups."""
    k, m = c.agree.shape
    if k < 2:
        return np.zeros(m), np.full(m, -1), np.full(m, -1)
    p = smoothed(c.agree, c.seen)
    hi, lo = np.argmax(p, axis=0), np.argmin(p, axis=0)
    return p.max(axis=0) - p.min(axis=0), hi, lo
