"""Requests a server leaves unanswered. One that ends the connection without a complete answer
to a big request (a reset, a close, an answer cut short: a payload limit enforced by dropping
the connection, a worker killed by the batch, a proxy) is asked again with half as many texts,
like after a 413, down to one text; then the run fails with a message naming the server. One
taken but not answered within the timeout is asked again with a quarter as many, down to
SLOW_FLOOR. Against the real HTTP server of tests/embedding_server.py, or a raw socket where
no HTTP server would do it."""
from __future__ import annotations

import errno
import os
import socket
import struct
import threading

import numpy as np
import pytest

from synth.errors import UserError
from tests.embedding_server import (CLOSE, CUT, NOTES, RESET, embeddings_server, numbered,
                                    vectors_payload)


def _oserror(code: int) -> str:
    """How Python words an OS error, e.g. "[Errno 104] Connection reset by peer" on Linux."""
    return str(OSError(code, os.strerror(code)))


def _read_request(conn: socket.socket) -> None:
    """Read one HTTP request whole, headers and body (unread bytes make a close a reset)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += conn.recv(65536)


@pytest.mark.parametrize("ending", [RESET, CLOSE, CUT])
def test_a_request_the_server_ends_unanswered_is_asked_again_with_half_as_many(
        tmp_path, ending):
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_among, cached_count, embed_texts

    def answer(body):
        return ending if len(body["input"]) > 32 else (200, vectors_payload(
            numbered(body["input"])))
    texts = [f"{NOTES[i % 5]} (note {i})" for i in range(100)]
    with embeddings_server(answer) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        backend = RemoteBackend(url, "m")
        v = embed_texts(texts, backend, project=p)
        assert cached_count(p) == 100 and cached_among(p, backend.model_name, texts) == (100, 100)
    assert [n for _, _, n, _ in seen] == [100, 50, 25, 25, 25, 25]
    assert backend.batch_size == 25                           # kept for the later requests
    assert np.allclose(v[:, 0] / v[:, 2], np.arange(100), atol=1e-3)     # each its own


def test_a_body_over_the_servers_limit_reset_unread_is_sent_again_in_halves(tmp_path):
    """The reset arrives while the body is still being sent (urllib wraps it in URLError)."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    long_texts = [f"note {i} " + "the interview went on about the night shift " * 400
                  for i in range(200)]                       # 200 passages of ~18,000 bytes
    with embeddings_server(lambda body: (200, vectors_payload(numbered(body["input"]))),
                           body_limit=2_000_000) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        v = embed_texts(long_texts, RemoteBackend(url, "m"), project=p)
        assert cached_count(p) == 200
    assert [n for _, _, n, _ in seen] == [None, 100, 100]    # 3.6 MB refused, 1.8 MB taken
    assert np.allclose(v[:, 0] / v[:, 2], np.arange(200), atol=1e-3)


def test_a_server_that_ends_even_one_text_unanswered_fails_naming_it_and_caches_nothing(
        tmp_path):
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    with embeddings_server(lambda body: RESET) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        with pytest.raises(UserError) as err:
            embed_texts(NOTES, RemoteBackend(url, "m"), project=p)
        assert cached_count(p) == 0
    assert [n for _, _, n, _ in seen] == [5, 2, 1]
    assert str(err.value) == (
        f"The embedding server {url}/embeddings closed the connection without a complete answer "
        "to requests of 5, 2 and finally one text (\"Pay has not kept up with inflation for "
        f"...\"; {_oserror(errno.ECONNRESET)}). The server may have crashed on it or "
        "been stopped (its log says why), or something between (a proxy or firewall) cuts the "
        "requests off")


def test_a_server_gone_after_a_reset_is_said_to_have_crashed():
    """A worker killed by a big batch: the connection is reset, then nothing listens any more
    (a raw socket: an HTTP server cannot stop listening from inside a request)."""
    from synth.themes.embeddings import RemoteBackend
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def crash():
        conn, _ = listener.accept()
        _read_request(conn)
        listener.close()
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
    threading.Thread(target=crash, daemon=True).start()
    with pytest.raises(UserError) as err:
        RemoteBackend(f"http://127.0.0.1:{port}/v1", "m").embed(NOTES)
    assert str(err.value) == (
        f"Cannot reach the embedding server http://127.0.0.1:{port}/v1/embeddings: "
        f"{_oserror(errno.ECONNREFUSED)} (it had closed the connection on a request of 5 texts "
        "just before: "
        "it may have crashed; its log says why)")


def test_an_answer_that_is_not_http_is_a_message_not_a_crash():
    """What a TLS port sends to a plain-HTTP request: an alert, not a status line. It escaped
    as http.client.BadStatusLine ("something went wrong" in the window)."""
    from synth.themes.embeddings import RemoteBackend
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def tls_alert():
        conn, _ = listener.accept()
        _read_request(conn)
        conn.sendall(b"\x15\x03\x01\x00\x02\x02\x50")
        conn.close()
        listener.close()
    threading.Thread(target=tls_alert, daemon=True).start()
    with pytest.raises(UserError) as err:
        RemoteBackend(f"http://127.0.0.1:{port}/v1", "m").embed(NOTES)
    assert str(err.value).startswith(
        f"The embedding server http://127.0.0.1:{port}/v1/embeddings did not answer in HTTP (")
    assert str(err.value).endswith("; if the server speaks HTTPS, its address starts with "
                                   "https://")


def _held_over(limit: int, release: threading.Event):
    """A server too slow for requests of more than ``limit`` texts: it holds them until the
    test ends (then drops them unanswered) and answers the others at once."""
    def answer(body):
        if len(body["input"]) > limit:
            release.wait(60)
            return CLOSE
        return 200, vectors_payload(numbered(body["input"]))
    return answer


def test_a_request_not_answered_in_time_is_asked_again_with_a_quarter_as_many(tmp_path):
    """A big model on a CPU server: 100 texts take longer than the timeout, 25 do not."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    texts = [f"{NOTES[i % 5]} (note {i})" for i in range(100)]
    release = threading.Event()
    with embeddings_server(_held_over(32, release)) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        try:
            backend = RemoteBackend(url, "m", timeout=0.5)
            v = embed_texts(texts, backend, project=p)
        finally:
            release.set()
        assert cached_count(p) == 100
    assert [n for _, _, n, _ in seen] == [100, 25, 25, 25, 25] and backend.batch_size == 25
    assert np.allclose(v[:, 0] / v[:, 2], np.arange(100), atol=1e-3)


def test_a_server_that_answers_nothing_in_time_fails_at_the_floor_naming_the_sizes(tmp_path):
    from synth.project import Project
    from synth.themes.embeddings import SLOW_FLOOR, RemoteBackend, cached_count, embed_texts
    release = threading.Event()
    with embeddings_server(_held_over(0, release)) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        try:
            with pytest.raises(UserError) as err:
                embed_texts([f"note {i}" for i in range(300)],
                            RemoteBackend(url, "m", timeout=0.5), project=p)
        finally:
            release.set()
        assert cached_count(p) == 0
    assert SLOW_FLOOR == 16 and [n for _, _, n, _ in seen] == [256, 64, 16]
    assert str(err.value) == (
        f"The embedding server {url}/embeddings did not answer within 0.5 s (requests of 256, "
        "64 and 16 texts each waited that long): it may be stuck or busy with other work (its "
        "log and load say which); try again when it answers")


def test_a_server_that_does_not_take_the_connection_is_not_asked_again():
    """A listener whose queue is full never takes the connection (as a firewall dropping it):
    that is no slow server, so nothing is asked again at a smaller size."""
    from synth.themes.embeddings import RemoteBackend
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = []
    for _ in range(3):                       # fill the queue; none of them is ever accepted
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        queued.append(s)
    backend = RemoteBackend(f"http://127.0.0.1:{port}/v1", "m", timeout=0.5)
    try:
        with pytest.raises(UserError) as err:
            backend.embed([f"note {i}" for i in range(300)])
    finally:
        for s in queued + [listener]:
            s.close()
    assert str(err.value) == (
        f"The embedding server http://127.0.0.1:{port}/v1/embeddings did not take the request "
        "within 0.5 s: is the address right and the server running?")
    assert backend.batch_size == 256
