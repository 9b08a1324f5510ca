"""Texts with no word to sort by ("+1", "👍", "n/a", "same as above") are not clustered: they go
to the unsorted pile without suggestions, and the other texts get exactly the themes they get
without them (QA: "yes", "see above", "+1" made a theme with "burnt out" and "stress!!"; every
emoji-only note had the same vector)."""
from __future__ import annotations

import numpy as np

from synth.themes.clustering import without_words, cluster

REAL = ["Pay has fallen behind inflation", "Pay rise should match prices",
        "Our salaries are too low", "Pay progression is stuck",
        "The VPN drops every afternoon", "Laptops are too slow", "IT support never answers",
        "Old systems crash all the time", "Too many meetings leave no time for work",
        "Burnt out after the restructure", "Workload is impossible", "Stress every week"] * 2
NOISE = ["+1", "👍", "😡", "n/a", "same as above", "-", "ok"]


def _vectors(texts):
    from synth.themes.embeddings import LocalBackend, embed_texts
    return embed_texts(texts, LocalBackend())


def test_wordless_texts_are_found():
    texts = REAL[:3] + NOISE + ["Agree.", "yes!", "Getting on because of what you can do",
                                "OK to hot desk", "No canteen"]
    assert without_words(texts) == list(range(3, 3 + len(NOISE) + 2))


def test_they_are_unsorted_and_the_rest_clusters_as_without_them():
    texts = [t for pair in zip(REAL, (NOISE * 4)[:len(REAL)]) for t in pair]  # interleaved
    x = _vectors(texts)
    real_rows = [i for i, t in enumerate(texts) if t not in NOISE]
    noise_rows = [i for i, t in enumerate(texts) if t in NOISE]
    both = cluster(x, k=3, seed=0, texts=texts)
    alone = cluster(x[real_rows], k=3, seed=0, texts=[texts[i] for i in real_rows])
    assert (both.labels[noise_rows] == -1).all()
    assert not set(noise_rows) & set(both.suggestions)
    assert np.array_equal(both.labels[real_rows], alone.labels)
    assert both.params["without_words"] == len(noise_rows)
    assert both.params["unsorted"] == len(noise_rows) + int((alone.labels < 0).sum())
    assert both.params["n"] == len(texts)


def test_only_wordless_texts_are_still_clustered():
    x = _vectors(NOISE)
    out = cluster(x, seed=0, texts=NOISE)
    assert len(out.labels) == len(NOISE) and "without_words" not in out.params


def test_a_project_run_says_how_many_had_nothing_to_sort_by(project, tmp_path):
    from synth.importers import import_path
    from synth.pipeline import _describe
    from synth.themes.project_themes import discover_themes
    notes = tmp_path / "notes.csv"
    notes.write_text("text\n" + "".join(f"{t}\n" for t in REAL + NOISE), encoding="utf-8")
    import_path(project, notes)
    result = discover_themes(project, k=3, seed=0)
    assert result["without_words"] == len(NOISE)
    assert result["unsorted"] >= len(NOISE)
    assert f"cards left unsorted ({len(NOISE)} with nothing to sort by, such as “+1" in \
        _describe(result)
    placed = dict(project.query("SELECT n.text, cp.theme_id FROM notes n LEFT JOIN card_places "
                                "cp ON cp.card_kind = 'note' AND cp.card_id = n.id"))
    assert all(placed[t] is None for t in NOISE)
