"""How the remote embedding backend reaches its server: a server on this computer is spoken to
directly even when the environment names a proxy (a corporate http_proxy must not receive the
participants' texts meant for localhost, nor make the run fail); any other host keeps the
environment's proxy; an API key sent over plain http:// to another computer is warned of once
per run, naming the host, and still sent. Against the real HTTP server of
tests/embedding_server.py, which also answers as a forward proxy would."""
from __future__ import annotations

import logging
import socket

import numpy as np
import pytest

from tests.embedding_server import NOTES, embeddings_server, numbered, vectors_payload

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def _answer(body):
    return 200, vectors_payload(numbered(body["input"]))


def _dead_port() -> int:
    """A port on 127.0.0.1 nothing listens on: a proxy there refuses every connection."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proxy_env(monkeypatch, proxy: str) -> None:
    """The environment of a team behind a corporate proxy: http_proxy and https_proxy set (both
    spellings), no no_proxy."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name in ("http_proxy", "https_proxy"):
        monkeypatch.setenv(name, proxy)
        monkeypatch.setenv(name.upper(), proxy)


def _texts(n: int) -> list[str]:
    return [f"{NOTES[i % 5]} (note {i})" for i in range(n)]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_server_on_this_computer_is_reached_directly_when_a_proxy_is_set(host, monkeypatch):
    """http_proxy names a dead port: the old code sent the request to it (Connection refused:
    'Cannot reach the embedding server'); a loopback server must be asked directly."""
    from synth.themes.embeddings import RemoteBackend
    _proxy_env(monkeypatch, f"http://127.0.0.1:{_dead_port()}")
    listen = "::1" if host == "::1" else "127.0.0.1"
    with embeddings_server(_answer, host=listen) as (url, seen):
        if host == "localhost":
            url = url.replace("127.0.0.1", "localhost")
        backend = RemoteBackend(url, "m")
        v = backend.embed(_texts(5))
    assert backend.loopback is True
    assert v.shape == (5, 3) and np.allclose(v[:, 0] / v[:, 2], np.arange(5), atol=1e-3)
    # the server was asked by path, as a direct client asks, not by whole URL as through a proxy
    assert seen == [("/v1/embeddings", "m", 5, None)]


def test_another_host_still_goes_through_the_environments_proxy(monkeypatch):
    """A corporate network needs its proxy: a server on another host is asked through it. The
    test server plays the proxy; the request it gets names the whole URL of gpu-box."""
    from synth.themes.embeddings import RemoteBackend
    with embeddings_server(_answer) as (proxy, seen):
        _proxy_env(monkeypatch, proxy.removesuffix("/v1"))
        backend = RemoteBackend("http://gpu-box.invalid:8080/v1", "m")
        v = backend.embed(_texts(3))
    assert backend.loopback is False
    assert v.shape == (3, 3)
    assert seen == [("http://gpu-box.invalid:8080/v1/embeddings", "m", 3, None)]


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("::ffff:127.0.0.1", True),
    ("localhost", True), ("LOCALHOST.", True), ("api.localhost", True),
    ("10.0.0.5", False), ("gpu-box", False), ("localhost.example.org", False),
    ("::ffff:10.0.0.5", False), ("", False), (None, False)])
def test_which_hosts_are_this_computer(host, loopback):
    from synth.themes.embeddings import is_loopback
    assert is_loopback(host) is loopback


def _key_warnings(messages):
    return [m for _, _, m in messages if "API key" in m]


def test_a_key_sent_in_clear_to_another_host_is_warned_of_once_per_run(monkeypatch, caplog,
                                                                          tmp_path):
    """Over http:// to gpu-box (through the proxy the environment names): the key is sent, the
    run says once, naming the host, that it travels unencrypted, however many requests the run
    makes; the next run says it again."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    monkeypatch.setenv("SYNTH_TEST_KEY", "sk-test")
    caplog.set_level(logging.WARNING)
    with embeddings_server(_answer) as (proxy, seen), Project.create(tmp_path / "p.synth") as p:
        _proxy_env(monkeypatch, proxy.removesuffix("/v1"))
        runs = []
        for texts in (_texts(300), [f"{t} again" for t in _texts(300)]):
            messages = []
            backend = RemoteBackend("http://gpu-box.invalid:8080/v1", "m",
                                    api_key_env="SYNTH_TEST_KEY", batch_size=16)
            embed_texts(texts, backend, project=p,
                        progress=lambda d, t, m: messages.append((d, t, m)))
            runs.append(messages)
        assert cached_count(p) == 600
    assert len(seen) == 2 * 19                          # 300 texts by 16: 19 requests a run
    assert {auth for *_, auth in seen} == {"Bearer sk-test"}    # warned of, not refused
    said = ("Embedding texts: the API key in SYNTH_TEST_KEY is sent to gpu-box.invalid "
            "unencrypted (http://, not https://): anyone on the network between can read it")
    assert [_key_warnings(m) for m in runs] == [[said], [said]]
    assert runs[0][1] == (0, 300, said)                 # said before the first answer
    logged = [r.getMessage() for r in caplog.records if "API key" in r.getMessage()]
    assert logged == ["Warning: " + said.removeprefix("Embedding texts: ")] * 2


@pytest.mark.parametrize("case", ["loopback", "no key", "key variable empty", "https"])
def test_no_key_warning_where_no_key_crosses_a_network_in_clear(case, monkeypatch, caplog):
    from synth.themes.embeddings import RemoteBackend
    monkeypatch.setenv("SYNTH_TEST_KEY", "" if case == "key variable empty" else "sk-test")
    key = None if case == "no key" else "SYNTH_TEST_KEY"
    caplog.set_level(logging.WARNING)
    if case == "https":                 # no TLS server here: the decision itself
        backend = RemoteBackend("https://gpu-box.invalid/v1", "m", api_key_env=key)
        assert backend.key_in_clear() is None
        assert RemoteBackend("http://gpu-box.invalid/v1", "m",
                             api_key_env=key).key_in_clear() == "gpu-box.invalid"
        return
    messages = []
    with embeddings_server(_answer) as (url, seen):
        if case == "loopback":
            RemoteBackend(url, "m", api_key_env=key).embed(
                _texts(3), progress=lambda d, t, m: messages.append(m))
            assert seen[0][3] == "Bearer sk-test"
        else:
            _proxy_env(monkeypatch, url.removesuffix("/v1"))
            backend = RemoteBackend("http://gpu-box.invalid:8080/v1", "m", api_key_env=key)
            if case == "key variable empty":    # refused before sending, as it was
                from synth.errors import UserError
                with pytest.raises(UserError, match="which is not set"):
                    backend.embed(_texts(3), progress=lambda d, t, m: messages.append(m))
                assert seen == []
            else:
                backend.embed(_texts(3), progress=lambda d, t, m: messages.append(m))
                assert seen[0][3] is None
    assert messages == [] and [r for r in caplog.records if "API key" in r.getMessage()] == []
