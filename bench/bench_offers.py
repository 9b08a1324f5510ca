"""The "reads most like" offer (synth.themes.suggestions.closeness) and More like this: how
often a card's own theme comes first (and among the first three) when a fifth of the cards are held out of themes
made from the answer key, on the three labelled benchmark sets and the sample study; and with
small themes (5, 20, 60 cards of 8 classes, 30 draws). Beside it, the theme's centre alone and
its 5 closest cards alone, the two halves of the shipped rule.

Themes named by the team (``named``): the answer key's seven themes made on the sample study's
board with their names and descriptions (sample_data/answer_key/themes.json, read here only,
never by the app) and no card, as a codebook arrives: More like this's precision at 6 and 20
and how often the unsorted pile's first offer is the card's theme in the key, through the
app's own functions; then with 1 to 40 of their cards, the name counted or not.

    .venv/bin/python bench/bench_offers.py        # ~1 min once bench_themes has cached the vectors
    .venv/bin/python bench/bench_offers.py named  # the named themes only, ~10 s

Writes bench/results/offers.md and bench/results/offers_named.md.
"""
from __future__ import annotations

import json
import sys
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


def _sample_board(project) -> dict:
    """The sample study's statements and notes on ``project``'s board, their vectors cached
    from bench_themes' cache (no model run); each card's theme in the answer key."""
    from synth import board
    from synth.importers import import_path
    from synth.themes.embeddings import LocalBackend, _cache_put, text_hash
    truth = bt.answer_key()
    import_path(project, ROOT / "sample_data" / "debate")
    import_path(project, ROOT / "sample_data" / "workshop_notes.csv")
    ext = {("statement", r[0]): r[1] for r in project.query(
        "SELECT id, external_id FROM statements")}
    ext.update({("note", r[0]): r[1] for r in project.query("SELECT id, external_id FROM notes")})
    cards = board.cards(project)
    texts = sorted({c.text for c in cards})
    _cache_put(project, LocalBackend().model_name,
               dict(zip(map(text_hash, texts), bt.embeddings(texts))))
    return {c.ref: truth.get((c.kind, ext[c.ref])) for c in cards}


def key_themes() -> list[dict]:
    return json.loads((ROOT / "sample_data" / "answer_key" / "themes.json")
                      .read_text(encoding="utf-8"))["themes"]


def named_themes() -> dict:
    """The key's seven themes made empty on the sample study's board with their name and
    description (as a codebook's codes arrive): each one's More like this (the app's
    ``more_like_this``, from cached vectors, its default threshold) and every card's first
    "reads most like" offer (``nearest_themes``)."""
    from synth import board
    from synth.project import Project
    from synth.themes.embeddings import LocalBackend, _cache_put, text_hash
    from synth.themes.suggestions import more_like_this, name_text, nearest_themes
    key = key_themes()
    backend = LocalBackend()
    with tempfile.TemporaryDirectory() as d, Project.create(Path(d) / "s.synth") as p:
        theme_of = _sample_board(p)
        names = [name_text(t["name"], t["description"]) for t in key]
        _cache_put(p, backend.model_name, dict(zip(map(text_hash, names), bt.embeddings(names))))
        ids = {t["id"]: p.history.apply(board.CreateTheme(t["name"], description=t["description"]))
               for t in key}
        per_theme = {}
        for t in key:
            found = more_like_this(p, ids[t["id"]], limit=20, backend=backend, cached_only=True)
            per_theme[t["id"]] = ([theme_of[s.card] == t["id"] for s in found],
                                  [s.score for s in found])
        keyed = [r for r, t in theme_of.items() if t in ids]
        offers = nearest_themes(p, keyed, top=1, backend=backend, cached_only=True)
        # before the cards are embedded: the board's shared words
        from ui.board.suggest import word_suggestions
        cards = {c.ref: c for c in board.cards(p)}
        themes = {t.id: t for t in board.themes(p)}
        words = {t["id"]: [theme_of[r] == t["id"]
                           for r in word_suggestions(cards, themes, ids[t["id"]], k=20)]
                 for t in key}
    back = {v: k for k, v in ids.items()}
    first = [back[offers[r][0][0]] if offers[r] else "" for r in keyed]
    truth = [theme_of[r] for r in keyed]
    order = sorted(ids)
    return {"cards": len(theme_of), "keyed": len(keyed), "per_theme": per_theme, "words": words,
            "first": 100 * float(np.mean([a == b for a, b in zip(first, truth)])),
            "nmi": bt.nmi(np.array([order.index(t) for t in truth]),
                          np.array([order.index(f) if f else -1 for f in first])) / 100}


def named_fading(draws: int = 10) -> dict[int, dict[str, tuple[float, float, float]]]:
    """The key's seven themes with ``m`` of their cards drawn at random (``draws`` times):
    More like this's precision at 6 and 20 over the other cards, and the first offer's hits
    over the key's unplaced cards, by the cards alone and with the name counted as
    ``NAME_WEIGHT`` cards (the shipped rule below ``NAME_FADES`` cards)."""
    from synth.themes.suggestions import NAME_WEIGHT, ThemeVectors, closeness, name_text
    x, y = sample_study()
    names = sorted(set(bt.answer_key().values()))
    key = {t["id"]: t for t in key_themes()}
    seven = [names.index(t) for t in key]
    nv = bt.embeddings([name_text(key[names[c]]["name"], key[names[c]]["description"])
                        for c in seven])
    rng = np.random.default_rng(0)
    out = {}
    for m in (0, 1, 3, 10, 20, 40):
        hits: dict[str, list[list[float]]] = {"cards": [[], [], []], "cards and name": [[], [], []]}
        for _ in range(draws if m else 1):
            seeds = [rng.choice(np.flatnonzero(y == c), m, replace=False) for c in seven]
            for method in hits if m else ["cards and name"]:
                rows, owners = [], []
                for j, idx in enumerate(seeds):
                    rows += [x[idx]] + ([np.repeat(nv[j:j + 1], NAME_WEIGHT, 0)]
                                        if method != "cards" else [])
                    owners += [j] * (len(idx) + (NAME_WEIGHT if method != "cards" else 0))
                tv = ThemeVectors.grouped(np.concatenate(rows), np.array(owners), range(7))
                placed = np.concatenate(seeds).astype(int)
                rest = np.setdiff1d(np.arange(len(y)), placed)
                scores = np.stack([closeness(v, tv) for v in x[rest]])
                for j, c in enumerate(seven):
                    order = rest[np.argsort(-scores[:, j], kind="stable")]
                    hits[method][0].append(float(np.mean(y[order[:6]] == c)))
                    hits[method][1].append(float(np.mean(y[order[:20]] == c)))
                of7 = np.isin(y[rest], seven)
                first = np.array(seven)[np.argmax(scores[of7], 1)]
                hits[method][2].append(float(np.mean(first == y[rest][of7])))
        out[m] = {k: tuple(100 * float(np.mean(v)) for v in h) for k, h in hits.items() if h[0]}
    return out


def named_lines() -> list[str]:
    r = named_themes()
    p6 = np.mean([np.mean(h[:6]) if h[:6] else 0.0 for h, _ in r["per_theme"].values()])
    p20 = np.mean([np.mean(h[:20]) if h[:20] else 0.0 for h, _ in r["per_theme"].values()])
    lines = [f"The answer key's 7 themes made on the sample study's board ({r['cards']} cards) "
             "with their name and description and no card; More like this (20 suggestions at "
             "most, score ≥ 0.3) and the first \"reads most like\" offer of each of the "
             f"{r['keyed']} cards the key puts in them.", "",
             "| theme | suggestions | of the theme in the top 6 | in the top 20 | scores |",
             "|---|---|---|---|---|"]
    for t, (h, sc) in r["per_theme"].items():
        lines.append(f"| {t} | {len(h)} | {sum(h[:6])}/{len(h[:6])} | "
                     f"{sum(h[:20])}/{len(h[:20])} | {max(sc):.2f}–{min(sc):.2f} |"
                     if h else f"| {t} | 0 | – | – | – |")
    lines += ["", f"Precision at 6: {100 * p6:.1f} %, at 20: {100 * p20:.1f} % (mean over the "
              f"themes). First offer = the key's theme: {r['first']:.1f} % of the {r['keyed']} "
              f"cards (NMI {r['nmi']:.2f}; the unsupervised themes reach NMI 0.33).", "",
              "Before the cards are embedded, by shared words (ui/board/suggest.py) with the "
              "name's and description's words: precision at 6 "
              f"{100 * np.mean([np.mean(h[:6]) if h else 0.0 for h in r['words'].values()]):.1f}"
              " %, at 20 "
              f"{100 * np.mean([np.mean(h[:20]) if h else 0.0 for h in r['words'].values()]):.1f}"
              " % (" + ", ".join(f"{t} {len(h)}" for t, h in r["words"].items()) +
              " suggestions).", "",
              "With m of each theme's cards placed at random (10 draws; 0: the name alone), the "
              "name counted as two cards or not: precision at 6 / at 20 / first offer's hits "
              "on the cards not placed, %.", "",
              "| m | cards alone | cards and name |", "|---|---|---|"]
    for m, row in named_fading().items():
        cell = {k: f"{a:.1f} / {b:.1f} / {c:.1f}" for k, (a, b, c) in row.items()}
        lines.append(f"| {m} | {cell.get('cards', '–')} | {cell['cards and name']} |")
    lines += ["", "Reproduce: `.venv/bin/python bench/bench_offers.py named`."]
    return lines


def main() -> None:
    if sys.argv[1:] == ["named"]:
        write_fragment("offers_named", "More like this and offers for themes named by the team",
                       named_lines())
        return
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
    write_fragment("offers_named", "More like this and offers for themes named by the team",
                   named_lines())


if __name__ == "__main__":
    main()
