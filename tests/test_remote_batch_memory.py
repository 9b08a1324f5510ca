"""The request size a server was found to take is remembered in the project per endpoint AND
model (two models on one server take different sizes), and not for ever: a size remembered
after a refusal more than BATCH_MEMORY_DAYS (30) days ago is tried at full size again, so a
server upgraded to take bigger requests is not held back. An older project's memory (per
endpoint only, undated) is still read. Against the real HTTP server of tests/embedding_server.py;
time passing is a project saved that many days ago (its remembered dates moved back)."""
from __future__ import annotations

import datetime

from synth.project import Project
from tests.embedding_server import embeddings_server, numbered, vectors_payload


def _server(limits: dict[str, int]):
    """A server refusing (413) a request of more texts than ``limits`` gives its model; a
    model not listed takes any size. Change ``limits`` to upgrade it."""
    def answer(body):
        if len(body["input"]) > limits.get(body["model"], 10 ** 6):
            return 413, {"error": {"message": "batch size exceeds the limit"}}
        return 200, vectors_payload(numbered(body["input"]))
    return answer


def _texts(start: int, n: int) -> list[str]:
    return [f"card note {i}" for i in range(start, start + n)]


def _days_ago(days: int) -> str:
    return (datetime.datetime.now(datetime.timezone.utc).date()
            - datetime.timedelta(days=days)).isoformat()


def _age(project, days: int) -> None:
    """The project as if its sizes had been remembered ``days`` days ago."""
    from synth.themes.embeddings import BATCH_SETTING
    known = project.setting(BATCH_SETTING)
    for entry in known.values():
        for record in (entry.get("models") or {"": entry}).values():
            record["learnt"] = _days_ago(days)
    project.set_setting(BATCH_SETTING, known)


def _sizes(seen) -> list[int]:
    sizes = [n for _, _, n, _ in seen]
    seen.clear()
    return sizes


def test_a_size_learnt_with_one_model_does_not_hold_back_another_model(tmp_path):
    """The server takes 32 texts a request with model "small", any number with "big": the
    32 learnt with "small" is not where "big" starts (the old memory, per endpoint, held "big"
    to 25 texts a request: 12 requests for 300 texts instead of 2)."""
    from synth.themes.embeddings import BATCH_SETTING, RemoteBackend, cached_count, embed_texts
    today = _days_ago(0)
    with embeddings_server(_server({"small": 32})) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        embed_texts(_texts(0, 100), RemoteBackend(url, "small"), project=p)
        assert _sizes(seen) == [100, 50, 25, 25, 25, 25]
        embed_texts(_texts(0, 300), RemoteBackend(url, "big"), project=p)
        assert _sizes(seen) == [256, 44]
        embed_texts(_texts(100, 100), RemoteBackend(url, "small"), project=p)
        assert _sizes(seen) == [25, 25, 25, 25]          # its own memory: no refusal again
        assert p.setting(BATCH_SETTING) == {f"{url}/embeddings": {"models": {
            "small": {"size": 25, "too_many": 50, "learnt": today}}}}
        assert cached_count(p) == 500


def test_a_size_remembered_more_than_30_days_ago_is_tried_at_full_size_again(tmp_path):
    """The server took 32 texts a request, then was upgraded. 29 days after the refusal the
    project still holds to what it learnt; at 31 days the full size is tried, taken, and the
    old memory is dropped (the old memory never expired: 12 requests for 300 texts)."""
    from synth.themes.embeddings import BATCH_SETTING, RemoteBackend, embed_texts
    limits = {"m": 32}
    with embeddings_server(_server(limits)) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        embed_texts(_texts(0, 100), RemoteBackend(url, "m"), project=p)
        assert _sizes(seen) == [100, 50, 25, 25, 25, 25]
        limits.clear()                                  # the server upgraded
        _age(p, 29)
        embed_texts(_texts(100, 100), RemoteBackend(url, "m"), project=p)
        assert _sizes(seen) == [25, 25, 25, 25]
        assert p.setting(BATCH_SETTING)[f"{url}/embeddings"]["models"]["m"]["learnt"] == \
            _days_ago(29)                               # not renewed by a run that held to it
        _age(p, 31)
        embed_texts(_texts(200, 300), RemoteBackend(url, "m"), project=p)
        assert _sizes(seen) == [256, 44]
        assert p.setting(BATCH_SETTING) == {}
    from synth.themes.embeddings import BATCH_MEMORY_DAYS
    assert BATCH_MEMORY_DAYS == 30


def test_a_refusal_after_the_term_is_learnt_again_with_a_new_date(tmp_path):
    """Not upgraded after all: the full size tried after 31 days is refused again, and the
    memory starts a new term from today."""
    from synth.themes.embeddings import BATCH_SETTING, RemoteBackend, embed_texts
    with embeddings_server(_server({"m": 32})) as (url, seen), \
            Project.create(tmp_path / "p.synth") as p:
        embed_texts(_texts(0, 100), RemoteBackend(url, "m"), project=p)
        _age(p, 31)
        seen.clear()
        embed_texts(_texts(100, 100), RemoteBackend(url, "m"), project=p)
        assert _sizes(seen) == [100, 50, 25, 25, 25, 25]
        assert p.setting(BATCH_SETTING) == {f"{url}/embeddings": {"models": {"m": {
            "size": 25, "too_many": 50, "learnt": _days_ago(0)}}}}


def test_an_older_projects_size_per_endpoint_is_still_read_then_kept_per_model(tmp_path):
    """A project saved by an earlier Synth remembers {endpoint: {size, too_many}}: the run
    starts from it (25, growing only below 100); afterwards it is kept under the run's model,
    dated today. Another endpoint's older entry is left as it was."""
    from synth.themes.embeddings import BATCH_SETTING, RemoteBackend, embed_texts
    with embeddings_server(_server({})) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        other = {"size": 8, "too_many": 16}
        p.set_setting(BATCH_SETTING, {f"{url}/embeddings": {"size": 25, "too_many": 100},
                                      "http://other:8080/v1/embeddings": other})
        embed_texts(_texts(0, 300), RemoteBackend(url, "m"), project=p)
        assert _sizes(seen) == [25, 25, 25, 25, 50, 50, 50, 50]
        assert p.setting(BATCH_SETTING) == {
            f"{url}/embeddings": {"models": {"m": {"size": 50, "too_many": 100,
                                                   "learnt": _days_ago(0)}}},
            "http://other:8080/v1/embeddings": other}


def test_a_memory_dated_in_the_future_or_unreadable_is_not_held(tmp_path):
    """A date to come (a colleague's clock set years ahead) would hold the size for ever; an
    unreadable date cannot be aged: both are forgotten, at the cost of one refusal."""
    from synth.themes.embeddings import BATCH_SETTING, RemoteBackend, embed_texts
    with embeddings_server(_server({})) as (url, seen), Project.create(tmp_path / "p.synth") as p:
        for learnt in (_days_ago(-400), "last spring"):
            p.set_setting(BATCH_SETTING, {f"{url}/embeddings": {"models": {"m": {
                "size": 25, "too_many": 50, "learnt": learnt}}}})
            embed_texts(_texts(0, 300) if learnt != "last spring" else _texts(300, 300),
                        RemoteBackend(url, "m"), project=p)
            assert _sizes(seen) == [256, 44]
            assert p.setting(BATCH_SETTING) == {}
