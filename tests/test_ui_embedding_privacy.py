"""Which embedding model a project keeps, and where its cards' texts may go: a server named in a
project file made elsewhere gets nothing until the researcher allows it on this computer, and a
model chosen in the dialog becomes the project's only once a run with it succeeded. Checked in
the project file, in the texts a real HTTP server on 127.0.0.1 received and on the board."""
from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.test_ui_workflow import _wait_done
from tests.ui_fixtures import (build_topic_study, needs_model, no_thread_left,  # noqa: F401
                               settings, window)
from ui.testing import file_rows

pytestmark = needs_model


@pytest.fixture(scope="module")
def topic_study(tmp_path_factory):
    return build_topic_study(tmp_path_factory.mktemp("topics"))


def _setting(path, key):
    rows = file_rows(path, "SELECT value FROM settings WHERE key = ?", (key,))
    return json.loads(rows[0][0]) if rows else None


def _themes(path) -> int:
    return file_rows(path, "SELECT count(*) FROM themes")[0][0]


@pytest.fixture
def server():
    from synth.themes.embeddings import LocalBackend
    from tests.embedding_server import embeddings_server, vectors_payload
    model = LocalBackend()
    with embeddings_server(lambda body: (200, vectors_payload(model.embed(body["input"])))
                           ) as (url, seen):
        yield url, seen


def test_a_server_set_in_the_project_file_gets_no_text_until_allowed_here(
        window, topic_study, tmp_path, qtbot, server):
    url, seen = server
    # made on another computer: the server is set
    path = _colleagues_project(topic_study, tmp_path, url, "from_a_colleague.synth")
    assert window.open_project(path)

    window.act_themes.trigger()                # Find candidate themes (Ctrl+Shift+T)
    assert window.runner.tasks == [] and seen == [] and _themes(path) == 0
    level, said = window.notify.messages[-1]
    assert level == "warning" and url in said and "Nothing was sent" in said
    assert window.settings.allowed_servers == []

    window.notify._on_action(0)                # "Send the texts to this server"
    assert window.settings.allowed_servers == [url + "/embeddings"]
    task = window.runner.tasks[0]
    _wait_done(qtbot, window, task, 60_000)
    assert task.state == "done", window.notify.messages
    assert sum(n for _, m, n, _ in seen if m == "team") >= 60   # every card's text, once
    assert _themes(path) >= 2

    asked = len(seen)                          # allowed on this computer: not asked again
    window.act_themes.trigger()
    _wait_done(qtbot, window, window.runner.tasks[0], 60_000)
    assert "Nothing was sent" not in window.notify.messages[-1][1]
    assert len(seen) == asked                  # the cache answered; the server was not needed


def test_split_by_similarity_waits_for_the_server_to_be_allowed_too(
        window, topic_study, tmp_path, qtbot, server):
    from synth.board import CreateTheme
    url, seen = server
    path = _colleagues_project(topic_study, tmp_path, url, "study.synth")
    assert window.open_project(path)
    tid = window.run_operation(CreateTheme("All", cards=[("statement", i) for i in range(1, 21)]))
    assert window.split_theme_by_similarity(tid) is None
    assert seen == [] and window.runner.tasks == []
    assert "Nothing was sent" in window.notify.messages[-1][1]
    window.notify._on_action(0)
    task = window.runner.tasks[0]
    _wait_done(qtbot, window, task, 60_000)
    assert task.state == "done", window.notify.messages
    assert seen and file_rows(path, "SELECT count(*) FROM themes WHERE parent_id = ?",
                              (tid,))[0][0] >= 2


def test_a_model_chosen_in_the_dialog_is_kept_only_once_a_run_with_it_succeeded(
        window, topic_study, tmp_path, qtbot, server):
    url, seen = server
    path = shutil.copyfile(topic_study, tmp_path / "study.synth")
    assert window.open_project(path)

    def find_with(server_url: str):
        window.act_themes_dialog.trigger()
        dlg = window.themes_dlg
        dlg.model_combo.setCurrentIndex(dlg.model_combo.findData("remote"))
        dlg.url_edit.setText(server_url)
        dlg.remote_model_edit.setText("team")
        dlg.buttons.button(QDialogButtonBox.Ok).click()
        task = window.runner.tasks[0]
        _wait_done(qtbot, window, task, 60_000)
        return task

    # nothing listens on port 9: the run fails and the project keeps its model (the bundled
    # one), so Details and More like this go on reading the vectors it has
    task = find_with("http://127.0.0.1:9/v1")
    assert task.state == "failed"
    assert _setting(path, "embedding_backend") is None and _themes(path) == 0
    assert "127.0.0.1:9" in window.notify.messages[-1][1]

    task = find_with(url)                      # the team's server answers: now it is kept
    assert task.state == "done", window.notify.messages
    assert _setting(path, "embedding_backend") == {"kind": "remote", "url": url,
                                                   "model": "team"}
    assert _themes(path) >= 2
    assert window.settings.allowed_servers == [     # each chosen here: allowed here
        "http://127.0.0.1:9/v1/embeddings", url + "/embeddings"]


def _colleagues_project(topic_study, tmp_path, url, name="colleague.synth", **more):
    path = shutil.copyfile(topic_study, tmp_path / name)
    from synth.project import Project
    with Project.open(path) as p:
        p.set_setting("embedding_backend", {"kind": "remote", "url": url, "model": "team",
                                            **more})
    return path


def test_the_dialog_passing_the_projects_own_server_through_is_no_permission(
        window, topic_study, tmp_path, qtbot, server):
    """Opening the settings on a colleague's project shows their server; changing only the
    number of themes and pressing Find themes must not count as allowing it."""
    url, seen = server
    path = _colleagues_project(topic_study, tmp_path, url + "/", api_key_env="HOME")
    assert window.open_project(path)
    window.act_themes_dialog.trigger()
    dlg = window.themes_dlg
    assert dlg.model_combo.currentData() == "remote"
    dlg.exact_radio.setChecked(True)
    dlg.k_spin.setValue(3)
    dlg.buttons.button(QDialogButtonBox.Ok).click()
    assert window.runner.tasks == [] and seen == [] and _themes(path) == 0
    level, said = window.notify.messages[-1]
    assert level == "warning" and "Nothing was sent" in said
    assert "with the key in the environment variable HOME" in said
    assert window.settings.allowed_servers == []


def test_a_button_offered_for_one_project_does_nothing_in_the_next(
        window, topic_study, tmp_path, qtbot, server):
    url, seen = server
    a = _colleagues_project(topic_study, tmp_path, url, "a.synth")
    b = shutil.copyfile(topic_study, tmp_path / "b.synth")
    assert window.open_project(a)
    window.act_themes.trigger()                # refused, with its button
    assert window.open_project(b)
    window.notify._on_action(0)                # the button still on the bar, pressed in B
    assert window.runner.tasks == [] and seen == []
    assert window.settings.allowed_servers == []
    assert window.notify.messages[-1] == (
        "info", "That button was about a.synth, which is no longer open: nothing was done.")
    assert _themes(a) == 0 and _themes(b) == 0
