"""Charts for the report, drawn with matplotlib (Agg, no window) at print resolution.

Each function returns a ``Chart``: PNG bytes, its size in inches, and alt text that says what the
chart shows in words, so a reader using a screen reader gets the same message. Numbers drawn on a
chart are the same figures the text prints (passed in, not recomputed).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

DPI = 300
INK = "#1d1d1b"
GRID = "#d9d9d9"
GROUP_COLOURS = ["#1f5f8b", "#e07b39", "#5a9e6f", "#9b5fa5", "#c9a227", "#7f7f7f"]
SOURCE_COLOURS = {"Online debate": "#1f5f8b", "Workshop notes": "#e07b39",
                  "Transcripts": "#5a9e6f"}


@dataclass
class Chart:
    png: bytes
    width_in: float
    height_in: float
    alt: str
    title: str


def _plain(text: str) -> str:
    """Participants' words, not matplotlib's maths: a "$" stays a dollar sign."""
    return text.replace("$", r"\$")


def _pyplot():
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    plt.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 8.5, "axes.edgecolor": GRID,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
        "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "none",
    })
    return plt


def _finish(fig, title: str, alt: str, dpi: int = DPI) -> Chart:
    plt = _pyplot()
    buf = io.BytesIO()
    w, h = fig.get_size_inches()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return Chart(buf.getvalue(), float(w), float(h), alt, title)


def opinion_map(xy, labels: Sequence[int], names: dict[int, str], *, dpi: int = DPI) -> Chart:
    """Each participant a dot, placed by how they voted; colour = opinion group."""
    import numpy as np
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    xy = np.asarray(xy, dtype=float)
    labels = np.asarray(labels)
    parts = []
    for i, g in enumerate(sorted(names)):
        sel = labels == g
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        ax.scatter(xy[sel, 0], xy[sel, 1], s=9, alpha=0.65, color=colour, linewidths=0,
                   label=_plain(f"{names[g]} ({int(sel.sum())} people)"))
        if sel.any():
            cx, cy = xy[sel, 0].mean(), xy[sel, 1].mean()
            ax.annotate(_plain(names[g]), (cx, cy), ha="center", va="center", fontsize=9,
                        fontweight="bold", color="white",
                        bbox=dict(boxstyle="round,pad=0.25", fc=colour, ec="none"))
        parts.append(f"{names[g]}, {int(sel.sum())} people")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("Participants placed by how they voted", loc="left", fontsize=9.5, color=INK)
    alt = ("Opinion map: each dot is one participant, placed so that people who voted alike are "
           "close together, and coloured by opinion group: " + "; ".join(parts) + ".")
    return _finish(fig, "Opinion map", alt, dpi)


def agreement_bars(rows: Sequence[tuple[str, Sequence[tuple]]], *,
                   title: str, dpi: int = DPI) -> Chart:
    """Per statement, one bar per group: % agree of those who voted. ``rows`` is
    ``[(statement label, [(group name, percent or None[, printed]), ...]), ...]``; ``printed``:
    the bar's label as the text prints the figure ("100%†" for a small-n one, QA 28), else
    "N%"."""
    import textwrap
    plt = _pyplot()
    groups = [v[0] for v in rows[0][1]] if rows else []
    height = 0.5 + 0.32 * len(groups) * len(rows) + 0.25 * len(rows)
    fig, ax = plt.subplots(figsize=(6.0, max(1.6, height)))
    bar = 0.8 / max(1, len(groups))
    ticks, ticklabels, alt_parts = [], [], []
    for i, (label, values) in enumerate(rows):
        base = len(rows) - 1 - i
        ticks.append(base)
        lines = textwrap.wrap(label, 42)
        if len(lines) > 3:      # cut: say so
            lines = lines[:3]
            lines[2] = lines[2].rstrip(" ,;:.") + " …"
        ticklabels.append(_plain("\n".join(lines)))
        said = []
        for j, (g, pct, *printed) in enumerate(values):
            shown = printed[0] if printed else ("n/a" if pct is None else f"{pct}%")
            y = base + 0.4 - bar * (j + 0.5)
            colour = GROUP_COLOURS[j % len(GROUP_COLOURS)]
            ax.barh(y, pct or 0, height=bar * 0.9, color=colour,
                    label=g if i == 0 else None)
            ax.text((pct or 0) + 1.2, y, _plain(shown), va="center", fontsize=7.5, color=INK)
            said.append(f"{g} {'not shown' if pct is None else shown}")
        alt_parts.append(f"“{label}”: " + ", ".join(said))
    ax.set_yticks(ticks, ticklabels, fontsize=7.5)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.xaxis.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("% agree, of those in the group who voted on the statement")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(groups), frameon=False)
    alt = f"{title}. Bar chart of the share agreeing in each opinion group: " + \
        "; ".join(alt_parts) + "."
    return _finish(fig, title, alt, dpi)


def theme_sizes(rows: Sequence[tuple[str, dict[str, int]]], *, dpi: int = DPI) -> Chart:
    """Cards per theme, stacked by where they came from (debate, workshop notes, transcripts)."""
    plt = _pyplot()
    kinds = [k for k in SOURCE_COLOURS if any(k in sizes for _, sizes in rows)]
    fig, ax = plt.subplots(figsize=(6.0, 0.6 + 0.38 * max(1, len(rows))))
    alt_parts = []
    for i, (name, sizes) in enumerate(rows):
        y = len(rows) - 1 - i
        left = 0
        for k in kinds:
            v = sizes.get(k, 0)
            ax.barh(y, v, left=left, color=SOURCE_COLOURS[k], height=0.62,
                    label=k if i == 0 else None)
            left += v
        ax.text(left + 0.5, y, str(left), va="center", fontsize=7.5, color=INK)
        alt_parts.append(f"{name}: {left} items (" +
                         ", ".join(f"{sizes.get(k, 0)} {k.lower()}" for k in kinds) + ")")
    ax.set_yticks(range(len(rows) - 1, -1, -1), [_plain(n) for n, _ in rows], fontsize=8)
    ax.xaxis.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("items placed in the theme")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(kinds), frameon=False)
    alt = "Theme sizes by source. " + "; ".join(alt_parts) + "."
    return _finish(fig, "Theme sizes by source", alt, dpi)
