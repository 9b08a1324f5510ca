"""A remote embedding server that is busy (429, 503) is asked again after the wait it names,
the researcher is told why a request is asked again, and the request size a server was found to
take is remembered: it grows back after a reset that was a hiccup, and the project keeps it for
the next run. Against the real HTTP server of tests/embedding_server.py; the waits before asking
a busy server again are recorded instead of waited (``pause=``), except where Cancel is tested."""
from __future__ import annotations

import email.utils
import threading
import time

import numpy as np
import pytest

from synth.errors import UserError
from tests.embedding_server import CLOSE, NOTES, RESET, embeddings_server, numbered, vectors_payload


def _busy_then_answering(busy: int, code: int = 503, headers: dict | None = None,
                         detail: str = "Model is loading"):
    """A server answering ``code`` to its first ``busy`` requests, then the vectors."""
    asked = []

    def answer(body):
        asked.append(1)
        if len(asked) <= busy:
            return code, {"error": detail}, headers or {}
        return 200, vectors_payload(numbered(body["input"]))
    return answer


def _recording(messages):
    return lambda done, total, message: messages.append((done, total, message))


def test_a_busy_server_is_asked_again_after_its_retry_after_with_as_many_texts(tmp_path):
    """TEI and vLLM answer 503 while their model loads: the run waits what the server asks
    (Retry-After: 5), says so, and asks again with the same texts, not halved."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    waits, messages = [], []
    texts = [f"{NOTES[i % 5]} (note {i})" for i in range(300)]
    with embeddings_server(_busy_then_answering(2, 503, {"Retry-After": "5"})) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        backend = RemoteBackend(url, "m", pause=lambda s, cancelled: waits.append(s))
        v = embed_texts(texts, backend, project=p, progress=_recording(messages))
        assert cached_count(p) == 300
    assert [n for _, _, n, _ in seen] == [256, 256, 256, 44]
    assert waits == [5.0, 5.0] and backend.batch_size == 256
    assert messages[1:3] == [(0, 300, "Embedding texts: the server is busy (503), asking again "
                                      "in 5 s")] * 2
    assert messages[-1] == (300, 300, "Embedding texts")
    assert np.allclose(v[:, 0] / v[:, 2], np.arange(300), atol=1e-3)


@pytest.mark.parametrize("retry_after, expected", [
    (None, [2.0, 4.0, 8.0]),                 # none named: 2 s, doubled at each try
    ("7", [7.0, 7.0, 7.0]),
    ("3600", [60.0, 60.0, 60.0]),            # an hour: the cap
    ("soon", [2.0, 4.0, 8.0]),               # unreadable: as if none
    ("date+30", "about 30"),                 # an HTTP date half a minute ahead
    ("date-30", [0.0, 0.0, 0.0])])           # a date already past: at once
def test_a_rate_limited_server_waits_what_retry_after_says_up_to_a_cap(retry_after, expected):
    from synth.themes.embeddings import BUSY_WAIT_CAP, RemoteBackend
    if retry_after and retry_after.startswith("date"):
        retry_after = email.utils.formatdate(time.time() + int(retry_after[4:]), usegmt=True)
    waits, messages = [], []
    with embeddings_server(_busy_then_answering(
            3, 429, {"Retry-After": retry_after} if retry_after else {},
            "Rate limit reached for requests")) as (url, seen):
        v = RemoteBackend(url, "m", pause=lambda s, cancelled: waits.append(s)).embed(
            [f"note {i}" for i in range(5)], progress=_recording(messages))
    assert v.shape == (5, 3) and [n for _, _, n, _ in seen] == [5, 5, 5, 5]
    assert BUSY_WAIT_CAP == 60.0
    if expected == "about 30":               # the date has whole seconds; the test takes some
        assert len(waits) == 3 and all(27.0 <= w <= 30.0 for w in waits)
    else:
        assert waits == expected
        assert messages[0][2] == ("Embedding texts: the server is rate limiting requests (429), "
                                  f"asking again in {expected[0]:.0f} s")


def test_a_server_busy_at_every_try_fails_naming_it_and_what_it_answered(tmp_path):
    from synth.project import Project
    from synth.themes.embeddings import BUSY_TRIES, RemoteBackend, cached_count, embed_texts
    waits = []
    with embeddings_server(_busy_then_answering(99, 503, {}, "Model is loading")) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        backend = RemoteBackend(url, "m", pause=lambda s, cancelled: waits.append(s))
        with pytest.raises(UserError) as err:
            embed_texts([f"note {i}" for i in range(300)], backend, project=p)
        assert cached_count(p) == 0
    assert BUSY_TRIES == 6 and [n for _, _, n, _ in seen] == [256] * 6    # never halved
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0]
    assert str(err.value) == (
        f"The embedding server {url}/embeddings answered 6 requests in a row with 503: Model is "
        "loading over 62 s: it is busy or still loading its model; try again later (its log and "
        "load say why)")


def test_a_used_up_quota_is_not_asked_again():
    """OpenAI answers 429 insufficient_quota when the account has no credit: no wait cures it."""
    from synth.themes.embeddings import RemoteBackend
    waits = []
    with embeddings_server(_busy_then_answering(
            99, 429, {}, "You exceeded your current quota, please check your plan and billing "
                         "details.")) as (url, seen):
        with pytest.raises(UserError) as err:
            RemoteBackend(url, "m", pause=lambda s, cancelled: waits.append(s)).embed(NOTES)
    assert [n for _, _, n, _ in seen] == [5] and waits == []
    assert str(err.value) == (
        f"The embedding server {url}/embeddings refused the request (429: You exceeded your "
        "current quota, please check your plan and billing details.): the account's quota is "
        "used up; asking again will not help")


def test_cancel_during_the_wait_for_a_busy_server_ends_the_task_as_cancelled(tmp_path):
    """The real wait (Retry-After: 30) watches Cancel: the task ends cancelled, nothing more is
    sent, nothing cached (waiting it out would send a second request)."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    from ui.tasks import Task
    with embeddings_server(_busy_then_answering(1, 503, {"Retry-After": "30"})) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        task = Task("Find candidate themes", lambda progress, cancelled: embed_texts(
            NOTES, RemoteBackend(url, "m"), project=p, progress=progress, cancelled=cancelled))
        task.progressed.connect(lambda done, total, message: "busy" in message and task.cancel())
        task._run_fn()
        assert task.state == "cancelled"
        assert [n for _, _, n, _ in seen] == [5] and cached_count(p) == 0


def test_a_request_asked_again_with_fewer_texts_says_why(tmp_path):
    """A reset, a 413 and a timeout each tell the researcher what the server did and how many
    texts go next, while the run goes on."""
    from synth.themes.embeddings import RemoteBackend, embed_texts
    release = threading.Event()

    def answer(body):
        n = len(body["input"])
        if n == 100:
            return RESET
        if n == 50:
            return 413, {"error": "payload too large"}
        if n == 25:
            release.wait(60)
            return CLOSE
        return 200, vectors_payload(numbered(body["input"]))
    messages = []
    with embeddings_server(answer) as (url, seen):
        try:
            embed_texts([f"note {i}" for i in range(100)],
                        RemoteBackend(url, "m", timeout=0.5), progress=_recording(messages))
        finally:
            release.set()
    assert [n for _, _, n, _ in seen][:4] == [100, 50, 25, 16]
    assert [m for _, _, m in messages[1:4]] == [
        "Embedding texts: the server closed the request, asking again with 50 texts",
        "Embedding texts: the server refused the request as too large (413), asking again "
        "with 25 texts",
        "Embedding texts: the server did not answer within 0.5 s, asking again with 16 texts"]


def test_the_size_a_slow_server_takes_is_remembered_in_the_project_for_the_next_run(tmp_path):
    """The first run learns, at the cost of one timeout, that 100 texts are too many; the next
    run (a new backend, as each run builds one from the settings) starts from 25 and grows only
    below 100, with no timeout."""
    from synth.project import Project
    from synth.themes.embeddings import BATCH_SETTING, RemoteBackend, cached_count, embed_texts
    from synth.themes.remote import _today
    today = _today()
    release = threading.Event()

    def answer(body):
        if len(body["input"]) > 64:
            release.wait(60)
            return CLOSE
        return 200, vectors_payload(numbered(body["input"]))
    with embeddings_server(answer) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        try:
            embed_texts([f"note {i}" for i in range(100)], RemoteBackend(url, "m", timeout=0.5),
                        project=p)
            assert [n for _, _, n, _ in seen] == [100, 25, 25, 25, 25]
            assert p.setting(BATCH_SETTING) == {f"{url}/embeddings": {"models": {"m": {
                "size": 25, "too_many": 100, "learnt": today}}}}
            seen.clear()
            embed_texts([f"note {i}" for i in range(100, 300)],
                        RemoteBackend(url, "m", timeout=0.5), project=p)
        finally:
            release.set()
        assert [n for _, _, n, _ in seen] == [25, 25, 25, 25, 50, 50]
        assert p.setting(BATCH_SETTING) == {f"{url}/embeddings": {"models": {"m": {
            "size": 50, "too_many": 100, "learnt": today}}}}     # learnt at the refusal
        assert cached_count(p) == 300


def test_a_reset_once_lets_the_size_grow_back_and_a_reset_twice_does_not(tmp_path):
    from synth.themes.embeddings import GROW_AFTER, RemoteBackend, embed_texts
    asked = []

    def hiccup(body):                        # one reset, on the third request
        asked.append(1)
        return RESET if len(asked) == 3 else (200, vectors_payload(numbered(body["input"])))
    with embeddings_server(hiccup) as (url, seen):
        backend = RemoteBackend(url, "m", batch_size=16)
        v = embed_texts([f"note {i}" for i in range(200)], backend)
    assert GROW_AFTER == 4
    assert [n for _, _, n, _ in seen] == [16, 16, 16] + [8] * 4 + [16] * 8 + [8]
    assert np.allclose(v[:, 0] / v[:, 2], np.arange(200), atol=1e-3)

    def over_8(body):                        # resets every request of more than 8 texts
        return RESET if len(body["input"]) > 8 else (200, vectors_payload(
            numbered(body["input"])))
    with embeddings_server(over_8) as (url, seen):
        backend = RemoteBackend(url, "m", batch_size=16)
        embed_texts([f"note {i}" for i in range(64)], backend)
    assert [n for _, _, n, _ in seen] == [16] + [8] * 4 + [16] + [8] * 4
    assert backend.too_many == 16 and backend.batch_size == 8
