"""An API key about to cross a network unencrypted is said in the notification bar, where it
stays, before the run sends anything (the run's own progress line is overwritten by the next
update). Warned of, not refused: teams run embedding servers on internal networks."""
from __future__ import annotations

import pytest

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.testing import make_project


@pytest.mark.parametrize("url, key, warned", [
    ("http://gpu-box.internal:8080/v1", "SYNTH_TEST_KEY", True),
    ("https://gpu-box.internal/v1", "SYNTH_TEST_KEY", False),     # encrypted
    ("http://127.0.0.1:8080/v1", "SYNTH_TEST_KEY", False),        # never leaves this computer
    ("http://gpu-box.internal:8080/v1", None, False),             # no key to read
])
def test_a_key_sent_in_clear_is_said_in_the_notification_bar(window, tmp_path, monkeypatch,
                                                             url, key, warned):
    monkeypatch.setenv("SYNTH_TEST_KEY", "sk-test")
    path = make_project(tmp_path / "p.synth")
    assert window.open_project(path)
    cfg = {"kind": "remote", "url": url, "model": "m", "api_key_env": key}
    window.settings.allow_server(url.rstrip("/") + "/embeddings")
    before = len(window.notify.messages)
    asked = []
    assert window._may_send_texts(cfg, lambda: asked.append(1)) is True
    said = [m for level, m in window.notify.messages[before:] if level == "warning"]
    if warned:
        assert said == ["The API key in SYNTH_TEST_KEY is sent to gpu-box.internal unencrypted "
                        "(http://, not https://): anyone on the network between can read it. "
                        "Use an https:// address for that server if it has one."]
    else:
        assert said == []
    assert asked == []
