"""The pictures the UI and the report share, as matplotlib figures (Agg, no window):
the opinion map (participants in 2-D, coloured by group, with group sizes and shares) and the
agreement bars of one statement per group, each bar labelled with its % and n."""
from __future__ import annotations

from typing import Sequence

import numpy as np

# colour-blind-safe (Okabe–Ito), readable from the back of a room
GROUP_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
UNGROUPED = "#BBBBBB"


def _figure(size):
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    return Figure(figsize=size, dpi=100, layout="constrained")


def group_name(gid) -> str:
    return f"Group {chr(ord('A') + int(gid))}" if str(gid).isdigit() and int(gid) < 26 \
        else f"Group {gid}"


def opinion_map(projection: np.ndarray, labels: np.ndarray, group_ids: Sequence | None = None,
                *, title: str = "Opinion groups", size=(7.0, 5.5)):
    """Participants where the PCA puts them; group −1 (not clustered) in grey."""
    projection = np.asarray(projection, dtype=float)
    labels = np.asarray(labels)
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    group_ids = list(range(k)) if group_ids is None else list(group_ids)
    fig = _figure(size)
    ax = fig.add_subplot()
    clustered = max(int((labels >= 0).sum()), 1)
    out = labels < 0
    if out.any():
        ax.scatter(projection[out, 0], projection[out, 1], s=10, c=UNGROUPED,
                   label=f"not grouped ({int(out.sum())})", linewidths=0)
    for g in range(k):
        sel = labels == g
        n = int(sel.sum())
        colour = GROUP_COLOURS[g % len(GROUP_COLOURS)]
        ax.scatter(projection[sel, 0], projection[sel, 1], s=14, c=colour, alpha=0.8,
                   linewidths=0,
                   label=f"{group_name(group_ids[g])}: {n} ({100 * n / clustered:.0f} %)")
        if n:
            cx, cy = projection[sel].mean(axis=0)
            ax.annotate(group_name(group_ids[g]), (cx, cy), ha="center", va="center",
                        fontsize=12, fontweight="bold", color="black",
                        bbox={"boxstyle": "round", "fc": "white", "ec": colour, "alpha": 0.9})
    ax.set_title(title, fontsize=14)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("first principal component")
    ax.set_ylabel("second principal component")
    ax.axhline(0, color="#dddddd", lw=0.8, zorder=0)
    ax.axvline(0, color="#dddddd", lw=0.8, zorder=0)
    if k or out.any():
        ax.legend(loc="best", fontsize=10, frameon=True)
    return fig


def agreement_bars(figures: dict, *, title: str = "", small_n: int = 10, size=(7.0, 3.2)):
    """One statement: stacked agree / pass / disagree bars for "All" and each group.
    ``figures``: label → dict with agree, disagree, pass, n (as ``Figure.as_dict``)."""
    fig = _figure(size)
    ax = fig.add_subplot()
    labels = list(figures)
    y = np.arange(len(labels))[::-1]
    for yi, lab in zip(y, labels):
        f = figures[lab]
        n = f["n"]
        if n == 0:
            ax.text(0, yi, "  no votes", va="center", fontsize=10, color="#666666")
            continue
        parts = [(f["agree"], "#2E7D32", "agree"), (f["pass"], "#BDBDBD", "pass"),
                 (f["disagree"], "#C62828", "disagree")]
        left = 0.0
        for count, colour, _ in parts:
            width = 100 * count / n
            ax.barh(yi, width, left=left, color=colour, height=0.6)
            left += width
        flag = " ⚠ small n" if n < small_n else ""
        ax.text(101, yi, f"{100 * f['agree'] / n:.0f} % agree (n = {n}){flag}", va="center",
                fontsize=10)
    ax.set_yticks(y)
    ax.set_yticklabels([group_name(lab) if str(lab).isdigit() else str(lab) for lab in labels],
                       fontsize=11)
    ax.set_xlim(0, 150)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("% of those who voted")
    if title:
        ax.set_title(title if len(title) < 90 else title[:87] + "…", fontsize=11, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def save_png(fig, path) -> None:
    fig.savefig(path, dpi=150)
