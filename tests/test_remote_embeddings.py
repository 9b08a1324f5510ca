"""The remote embedding backend against a real HTTP server on 127.0.0.1 (tests/embedding_server.py)
answering with the bundled model's vectors, and what reaches the project's cache from it."""
from __future__ import annotations

import math

import numpy as np
import pytest

from synth.errors import UserError
from tests.embedding_server import NOTES, RESET, embeddings_server, numbered, vectors_payload


@pytest.fixture(scope="module")
def model():
    from synth.themes.embeddings import LocalBackend
    return LocalBackend()


def _broken_for(model, marker: str, bad: float):
    """A server answering the model's vectors, except ``bad`` in every vector of a text
    containing ``marker`` (a model overflowing in float16 answers NaN; JSON carries it)."""
    def answer(body):
        v = model.embed(body["input"]).astype(float)
        for i, t in enumerate(body["input"]):
            if marker in t:
                v[i, 3] = bad
        return 200, vectors_payload(v)
    return answer


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_a_nan_or_infinite_vector_is_refused_with_the_server_named_and_nothing_cached(
        tmp_path, model, bad):
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    texts = NOTES + ["The laptops crash whenever the VPN drops out in the afternoon again",
                     "Old laptops and slow VPN are the worst part of my day"]
    with embeddings_server(_broken_for(model, "laptops", bad)) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        with pytest.raises(UserError) as err:
            embed_texts(texts, RemoteBackend(url, "team-minilm"), project=p)
        message = str(err.value)
        assert f"The embedding server {url}/embeddings" in message
        assert "NaN or infinite numbers for 3 of 7 texts" in message
        assert '"The laptops take ten minutes to start every ..."' in message
        assert cached_count(p) == 0                              # nothing written
        assert sum(n for _, _, n, _ in seen) == 7


def test_a_vector_of_zeros_is_refused_with_the_server_named_and_nothing_cached(tmp_path, model):
    """What llama.cpp's server without its embedding switch answered: zeros, which normalise
    to zeros and have a cosine of 0 with every card."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts

    def answer(body):
        v = model.embed(body["input"]).astype(float)
        v[[i for i, t in enumerate(body["input"]) if "children" in t or "canteen" in t]] = 0.0
        return 200, vectors_payload(v)
    with embeddings_server(answer) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        with pytest.raises(UserError) as err:
            embed_texts(NOTES, RemoteBackend(url, "team-minilm"), project=p)
        assert cached_count(p) == 0                              # nothing written
    assert str(err.value) == (
        f"The embedding server {url}/embeddings returned vectors of only zeros for 2 of 5 texts "
        "(the first: \"Hybrid working lets me look after my children\"); none of them was "
        "cached. A vector of zeros has no direction, so its text cannot be compared with any "
        "other. The model on the server may not be an embedding model or may have failed to "
        "load; fix it or choose another model, then try again")
    assert [n for _, _, n, _ in seen] == [5]


@pytest.mark.parametrize("bad", [math.nan, 0.0])
def test_a_broken_row_cached_by_an_older_version_counts_as_not_embedded_and_is_embedded_again(
        tmp_path, model, bad):
    """A NaN or all-zero row an older Synth cached from a bad server is embedded again and
    replaced; the count the settings dialog and ``run --send-to`` show agrees with what is sent:
    the broken row is not counted, and it is the one re-asked."""
    from synth.project import Project
    from synth.themes.embeddings import (RemoteBackend, _cache_put, cached_among, cached_count,
                                         embed_texts, text_hash)
    with embeddings_server(lambda body: (200, vectors_payload(model.embed(body["input"])))
                           ) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        backend = RemoteBackend(url, "team-minilm")
        first = embed_texts(NOTES, backend, project=p)
        assert cached_among(p, backend.model_name, NOTES + NOTES[:2]) == (5, 5)
        broken = first[1].copy()
        broken[:] = 0.0
        broken[7] = bad
        _cache_put(p, backend.model_name, {text_hash(NOTES[1]): broken})
        assert cached_among(p, backend.model_name, NOTES) == (4, 5)
        again = embed_texts(NOTES, backend, project=p)
        assert [n for _, _, n, _ in seen] == [5, 1]              # the one not counted
        assert np.isfinite(again).all() and np.allclose(again, first, atol=1e-6)
        assert cached_among(p, backend.model_name, NOTES) == (5, 5)
        assert cached_count(p, backend.model_name) == 5
        (blob,) = p.db.execute("SELECT vector FROM embeddings WHERE text_hash = ?",
                               (text_hash(NOTES[1]),)).fetchone()
        # replaced in the cache: embedded alone, not in a batch of five, so equal to float
        # rounding only (as ``again`` above; 1e-8 apart here, more than allclose's default)
        assert np.allclose(np.frombuffer(blob, dtype="<f4"), first[1], atol=1e-6)


def test_requests_carry_at_most_remote_batch_texts(tmp_path):
    from synth.project import Project
    from synth.themes.embeddings import REMOTE_BATCH, RemoteBackend, embed_texts

    def answer(body):
        return 200, vectors_payload(numbered(body["input"]))
    texts = [f"note {i} about the canteen" for i in range(600)]
    with embeddings_server(answer) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        v = embed_texts(texts, RemoteBackend(url, "m"), project=p)
    assert REMOTE_BATCH == 256 and [n for _, _, n, _ in seen] == [256, 256, 88]
    assert v.shape == (600, 3) and np.allclose(v[:, 0] / v[:, 2], np.arange(600), atol=1e-3)


def test_a_server_that_takes_32_texts_answers_413_and_is_asked_again_with_fewer(tmp_path):
    """TEI's default: more than 32 inputs is a 413; the run halves its requests down to 32
    and keeps that size, instead of failing every time."""
    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts

    def answer(body):
        if len(body["input"]) > 32:
            return 413, {"error": f"batch size {len(body['input'])} > maximum allowed batch "
                                  "size 32", "error_type": "validation"}
        return 200, vectors_payload(numbered(body["input"]))
    texts = [f"{NOTES[i % 5]} (note {i})" for i in range(1100)]
    with embeddings_server(answer) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        backend = RemoteBackend(url, "tei")
        v = embed_texts(texts, backend, project=p)
        assert cached_count(p) == 1100
    sizes = [n for _, _, n, _ in seen]
    # first 1,024 texts: 256, 128, 64 refused, then 32 of 32; the last 76 at 32 straight away
    assert sizes == [256, 128, 64] + [32] * 32 + [32, 32, 12]
    assert backend.batch_size == 32
    assert np.allclose(v[:, 0] / v[:, 2], np.arange(1100), atol=1e-3)     # each its own

    with embeddings_server(lambda body: (413, b"<html><body>Request Entity Too Large</body>"
                                         b"</html>")) as (url, seen):
        with pytest.raises(UserError, match="refuses even one text as too large"):
            RemoteBackend(url, "m").embed(NOTES[:3])
        assert [n for _, _, n, _ in seen] == [3, 1]


@pytest.mark.parametrize("reset_first", [False, True], ids=["first-request", "after-a-reset"])
def test_cancel_while_the_server_holds_a_request_ends_the_task_as_cancelled(tmp_path,
                                                                            reset_first):
    """Cancel pressed while a hung server holds the request takes effect during the request
    (the server is released only after the task has ended) and the task ends cancelled, not
    failed; nothing is cached. ``reset_first``: the request held is the smaller one sent after
    the server reset a bigger one, watched for Cancel like the first."""
    import threading

    from synth.project import Project
    from synth.themes.embeddings import RemoteBackend, cached_count, embed_texts
    from ui.tasks import Task
    arrived, release = threading.Event(), threading.Event()

    def answer(body):
        if reset_first and len(body["input"]) > 2:
            return RESET
        arrived.set()
        release.wait(60)
        return 500, {"error": "late"}
    with embeddings_server(answer) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        task = Task("Find candidate themes", lambda progress, cancelled: embed_texts(
            NOTES, RemoteBackend(url, "slow"), project=p, progress=progress,
            cancelled=cancelled))
        threading.Thread(target=lambda: arrived.wait(60) and task.cancel(), daemon=True).start()
        try:
            task._run_fn()
            held = not release.is_set()
        finally:
            release.set()
        assert held and task.state == "cancelled"
        assert [n for _, _, n, _ in seen] == ([5, 2] if reset_first else [5])
        assert cached_count(p) == 0


def test_a_server_slower_than_the_timeout_is_a_failure_that_says_so():
    import threading

    from synth.themes.embeddings import RemoteBackend, embed_texts
    release = threading.Event()
    with embeddings_server(lambda body: (release.wait(30), (500, {}))[1]) as (url, seen):
        try:
            with pytest.raises(UserError, match=r"embeddings did not answer within 0\.5 s"):
                embed_texts(NOTES, RemoteBackend(url, "slow", timeout=0.5))
        finally:
            release.set()


def test_a_key_variable_missing_from_the_environment_is_named_before_anything_is_sent(
        monkeypatch):
    from synth.themes.embeddings import RemoteBackend, embed_texts

    def answer(body):              # what a server with a key does without one
        return 401, {"error": {"message": "Invalid API key", "type": "invalid_request_error"}}
    monkeypatch.delenv("SYNTH_TEST_UNSET_KEY", raising=False)
    with embeddings_server(answer) as (url, seen):
        with pytest.raises(UserError) as err:
            embed_texts(NOTES, RemoteBackend(url, "m", api_key_env="SYNTH_TEST_UNSET_KEY"))
        assert "environment variable SYNTH_TEST_UNSET_KEY, which is not set in Synth's " \
               "environment" in str(err.value)
        assert seen == []                                         # nothing was sent
        monkeypatch.setenv("SYNTH_TEST_UNSET_KEY", "wrong")       # set, but the wrong key
        with pytest.raises(UserError) as err:
            embed_texts(NOTES, RemoteBackend(url, "m", api_key_env="SYNTH_TEST_UNSET_KEY"))
        assert str(err.value) == (f"The embedding server {url}/embeddings answered 401: Invalid "
                                  "API key (the API key sent is the value of SYNTH_TEST_UNSET_KEY)")
        assert [auth for *_, auth in seen] == ["Bearer wrong"]


def test_an_address_without_v1_says_there_is_no_endpoint_and_suggests_the_v1_form():
    from synth.themes.embeddings import RemoteBackend, embed_texts

    with embeddings_server(lambda body: (200, vectors_payload(numbered(body["input"])))
                           ) as (url, seen):
        root = url[:-len("/v1")]                                  # http://127.0.0.1:PORT
        with pytest.raises(UserError) as err:
            embed_texts([f"note {i}" for i in range(3)], RemoteBackend(root, "m"))
        assert str(err.value) == (
            f"The embedding server has no embeddings endpoint at {root}/embeddings (404). "
            f"OpenAI-compatible servers serve it under /v1: try {root}/v1")
        assert seen[0][0] == "/embeddings"
        assert embed_texts([f"note {i}" for i in range(3)], RemoteBackend(f"{root}/v1/", "m")
                           ).shape == (3, 3)                      # the form suggested works


def test_a_404_for_an_unknown_model_says_so_with_the_servers_words():
    """QA: vLLM and OpenAI answer 404 for a model they do not serve; Synth said only "no
    embeddings endpoint … check the address", dropping the server's reason."""
    from synth.themes.embeddings import RemoteBackend, embed_texts

    def answer(body):
        return 404, {"error": {"message": "The model `mini` does not exist.",
                               "type": "NotFoundError"}}
    with embeddings_server(answer) as (url, seen):
        with pytest.raises(UserError) as err:
            embed_texts(["a note"], RemoteBackend(url, "mini"))
    assert str(err.value) == (f"The embedding server {url}/embeddings answered 404: The model "
                              "`mini` does not exist. (check the model name, “mini”, in "
                              "Candidate themes settings)")


@pytest.mark.parametrize("payload, said", [
    ({"embedding": []},                   # Ollama's own /api/embeddings to an OpenAI request
     "answered without the list of vectors an OpenAI-compatible server sends (\"data\"; its "
     "answer holds embedding). Check that the address is the server's OpenAI-compatible API"),
    ({"error": {"message": "model 'team-minilm' not found", "type": "invalid_request_error"}},
     "answered with an error: model 'team-minilm' not found"),
    (b"<html><head><title>Sign in to the web proxy</title></head><body><form>...</form></body>"
     b"</html>", "did not answer JSON (it answered: Sign in to the web proxy)")],
    ids=["ollama-own-api", "error-with-200", "proxy-page"])
def test_a_200_answer_without_vectors_says_what_came_instead(payload, said):
    """Each said only "an unknown format ('data')" or "did not answer JSON" before."""
    from synth.themes.embeddings import RemoteBackend, embed_texts
    with embeddings_server(lambda body: (200, payload)) as (url, seen):
        with pytest.raises(UserError) as err:
            embed_texts(NOTES, RemoteBackend(url, "team-minilm"))
    assert str(err.value) == f"The embedding server {url}/embeddings {said}"


@pytest.mark.parametrize("url, why", [
    ("http://[::1/v1", "Invalid IPv6 URL"),
    ("http://gpu-box:eighty/v1", "Port could not be cast"),
    ("gpu-box:8080/v1", "it needs http:// or https:// and a host"),
    ("ftp://gpu-box/v1", "it needs http:// or https:// and a host")])
def test_an_address_that_is_no_server_is_said_so(url, why):
    from synth.errors import UserError
    from synth.themes.embeddings import RemoteBackend
    with pytest.raises(UserError) as e:           # a raw ValueError before, for the first
        RemoteBackend(url, "m")
    assert str(e.value).startswith(f"“{url}” is not an embedding server's address (")
    assert why in str(e.value) and "http://gpu-box:8080/v1" in str(e.value)


def test_a_key_pasted_with_its_line_end_or_a_dash_is_sent_plain_or_refused(monkeypatch):
    """Review: http.client's ValueError for a header with a line end or a non-Latin-1
    character ended as an UnboundLocalError."""
    from synth.themes.embeddings import RemoteBackend, embed_texts
    with embeddings_server(lambda body: (200, vectors_payload([[1.0, float(i)] for i in range(
            len(body["input"]))]))) as (url, seen):
        monkeypatch.setenv("SYNTH_TEST_KEY", "sk-abc\n")         # its line end pasted too
        embed_texts(NOTES[:2], RemoteBackend(url, "m", api_key_env="SYNTH_TEST_KEY"))
        assert [auth for *_, auth in seen] == ["Bearer sk-abc"]
        monkeypatch.setenv("SYNTH_TEST_KEY", "sk-abc\u2013def")   # an en dash from a document
        with pytest.raises(UserError) as err:
            embed_texts(NOTES[2:4], RemoteBackend(url, "m", api_key_env="SYNTH_TEST_KEY"))
        assert str(err.value) == ("The API key in the environment variable SYNTH_TEST_KEY holds "
                                  "a character an HTTP header cannot carry (U+2013): copy the "
                                  "key again, whole and plain")
        assert len(seen) == 1                                     # nothing more was sent
