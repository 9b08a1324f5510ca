"""The "reads most like" offer (synth.themes.suggestions.closeness) and More like this: how
often a card's own theme comes first (and among the first three) when a fifth of the cards are held out of themes
made from the answer key, on the three labelled benchmark sets and the sample study; and with
small themes (5, 20, 60 cards of 8 classes, 30 draws). Beside it, the theme's centre alone and
its 5 closest cards alone, the two halves of the shipped rule.

    .venv/bin/python bench/bench_offers.py      # ~1 min once bench_themes has cached the vectors

Writes bench/results/offers.md.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from common import ROOT, write_fragment

import bench_themes as bt


def _themes(vectors: np.ndarray, labels: np.ndarray):
    from synth.themes.suggestions import ThemeVectors
    return ThemeVectors.grouped(vectors, labels, range(int(labels.max()) + 1))


def _rank(tv, queries: np.ndarray) -> dict[str, np.ndarray]:
    """Per method, each query's themes best first."""
    from synth.themes.suggestions import _near_mean, closeness
    centre = queries @ tv.centres.T
    cards = np.stack([_near_mean(queries @ tv.vectors[a:b].T)
                      for a, b in zip(tv.starts[:-1], tv.starts[1:])], 1)
    shipped = np.stack([closeness(q, tv) for q in queries])
    return {"centre": np.argsort(-centre, 1), "5 closest cards": np.argsort(-cards, 1),
            "shipped (half each)": np.argsort(-shipped, 1)}


def _split(vectors: np.ndarray, y: np.ndarray, seed: int):
    """A fifth of the texts held out (the mask), themes made from the rest by their labels."""
    rng = np.random.default_rng(seed)
    held = np.zeros(len(y), bool)
    held[rng.choice(len(y), len(y) // 5, replace=False)] = True
    return held, _themes(vectors[~held], y[~held])


def held_out(vectors: np.ndarray, y: np.ndarray, seed: int) -> dict[str, tuple[float, float]]:
    held, tv = _split(vectors, y, seed)
    out = {}
    for method, order in _rank(tv, vectors[held]).items():
        truth = y[held]
        out[method] = (100 * (order[:, 0] == truth).mean(),
                       100 * (order[:, :3] == truth[:, None]).any(1).mean())
    return out


def suggestions(vectors: np.ndarray, y: np.ndarray, seed: int, k: int = 6
                ) -> dict[str, float]:
    """More like this: a fifth held out; for each theme, the share of its ``k`` best held-out
    cards that are of its class, by the centre alone and by the shipped score."""
    from synth.themes.suggestions import _near_mean
    held, tv = _split(vectors, y, seed)
    queries, truth = vectors[held], y[held]
    centre = queries @ tv.centres.T
    out: dict[str, list[float]] = {"centre": [], "shipped (half each)": []}
    for t in range(len(tv.ids)):
        cards = _near_mean(queries @ tv.vectors[tv.starts[t]:tv.starts[t + 1]].T)
        for method, score in (("centre", centre[:, t]),
                              ("shipped (half each)", (centre[:, t] + cards) / 2)):
            out[method].append((truth[np.argsort(-score, kind="stable")[:k]] == t).mean())
    return {m: 100 * float(np.mean(v)) for m, v in out.items()}


def small(vectors: np.ndarray, y: np.ndarray, size: int,
          draws: int = 30) -> dict[str, float] | None:
    rng = np.random.default_rng(size)
    hits: dict[str, int] = {}
    total = 0
    classes = [c for c in np.unique(y) if (y == c).sum() >= size + 3]
    if len(classes) < 8:      # the set's classes are smaller than that
        return None
    for _ in range(draws):
        chosen = rng.choice(classes, min(8, len(classes)), replace=False)
        rows, labels, queries, truth = [], [], [], []
        for j, c in enumerate(chosen):
            idx = rng.choice(np.flatnonzero(y == c), size + 3, replace=False)
            rows += list(idx[:size])
            labels += [j] * size
            queries += list(idx[size:])
            truth += [j] * 3
        tv = _themes(vectors[rows], np.array(labels))
        for method, order in _rank(tv, vectors[queries]).items():
            hits[method] = hits.get(method, 0) + int((order[:, 0] == np.array(truth)).sum())
        total += len(truth)
    return {m: 100 * h / total for m, h in hits.items()}


def sample_study() -> tuple[np.ndarray, np.ndarray]:
    """The sample study's statements and notes with their answer-key themes."""
    from synth.importers import import_path
    from synth.project import Project
    truth = bt.answer_key()
    with tempfile.TemporaryDirectory() as d, Project.create(Path(d) / "s.synth") as p:
        import_path(p, ROOT / "sample_data" / "debate")
        import_path(p, ROOT / "sample_data" / "workshop_notes.csv")
        rows = p.query("SELECT 'statement', external_id, text FROM statements UNION ALL "
                       "SELECT 'note', external_id, text FROM notes")
    rows = [r for r in rows if (r[0], r[1]) in truth]
    names = sorted({truth[(r[0], r[1])] for r in rows})
    y = np.array([names.index(truth[(r[0], r[1])]) for r in rows])
    return bt.embeddings([r[2] for r in rows]), y


def main() -> None:
    sets = {}
    for name in bt.SETS:
        texts, y = bt.load(name)
        sets[name] = (bt.embeddings(texts), y)
    sets["sample study"] = sample_study()
    lines = ["A fifth of each set's texts held out (seeds 0-2); themes made from the others by "
             "their answer key; each held-out text's themes ranked. Top-1 / top-3 hit rate, %, "
             "mean of three seeds.", "",
             "| set | texts | themes | centre | 5 closest cards | shipped (half each) |",
             "|---|---|---|---|---|---|"]
    for name, (x, y) in sets.items():
        runs = [held_out(x, y, seed) for seed in range(3)]
        cells = []
        for method in ("centre", "5 closest cards", "shipped (half each)"):
            t1 = np.mean([r[method][0] for r in runs])
            t3 = np.mean([r[method][1] for r in runs])
            cells.append(f"{t1:.1f} / {t3:.1f}")
        lines.append(f"| {name} | {len(y):,} | {y.max() + 1} | " + " | ".join(cells) + " |")
    lines += ["", "More like this: for each theme, how many of its 6 best-scored held-out texts "
              "are of its class (precision at 6, %, mean over themes and three seeds).", "",
              "| set | centre | shipped (half each) |", "|---|---|---|"]
    for name, (x, y) in sets.items():
        runs = [suggestions(x, y, seed) for seed in range(3)]
        lines.append(f"| {name} | {np.mean([r['centre'] for r in runs]):.1f} | "
                     f"{np.mean([r['shipped (half each)'] for r in runs]):.1f} |")
    lines += ["", "Small themes: 8 classes of a set, N cards each as the themes, 3 more of each "
              "held out; 30 draws; top-1 %.", "",
              "| set | N | centre | 5 closest cards | shipped (half each) |", "|---|---|---|---|---|"]
    for name in bt.SETS:
        x, y = sets[name]
        for size in (5, 20, 60):
            r = small(x, y, size)
            if r is None:
                continue
            lines.append(f"| {name} | {size} | {r['centre']:.1f} | {r['5 closest cards']:.1f} | "
                         f"{r['shipped (half each)']:.1f} |")
    lines += ["", "Reproduce: `.venv/bin/python bench/bench_offers.py`."]
    write_fragment("offers", "The \"reads most like\" offer: quality", lines)


if __name__ == "__main__":
    main()
