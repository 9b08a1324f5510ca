"""`run` with an embedding server named in the project's settings says, on stderr and before
anything is sent, which server gets how many card texts (the window asks first: ui tests)."""
from __future__ import annotations

import hashlib
import io
import sys

import main as synth_main
from synth.project import Project
from tests.embedding_server import embeddings_server, vectors_payload


def _vector(text: str) -> list[float]:
    digest = hashlib.sha256(text.split()[0].encode()).digest()     # texts alike by first word
    return [b / 255 for b in digest[:8]]


def test_run_says_which_server_gets_how_many_texts_before_sending(tmp_path, monkeypatch):
    notes = tmp_path / "notes.csv"
    words = ("desk", "commute", "manager")
    notes.write_text("text\n" + "".join(f"{w} note {i}\n" for w in words for i in range(8))
                     + "desk note 0\n", encoding="utf-8")           # 25 notes, 24 texts
    project = tmp_path / "p.synth"
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    said_before_first_request: list[str] = []

    def answer(body):
        if not said_before_first_request:
            said_before_first_request.append(err.getvalue())
        return 200, vectors_payload([_vector(t) for t in body["input"]])

    with embeddings_server(answer) as (url, seen):
        assert synth_main.main(["run", str(notes), "--project", str(project), "--no-groups",
                                "--no-themes"]) == 0
        assert err.getvalue() == ""                  # nothing to embed: nothing said
        with Project.open(project) as p:
            p.set_setting("embedding_backend", {"kind": "remote", "url": url, "model": "m"})
        assert synth_main.main(["run", "--project", str(project), "--no-groups"]) == 0, \
            err.getvalue()
        line = (f"synth run: the project's settings embed with the server {url}/embeddings: "
                "24 card texts will be sent there, then the candidate themes' keywords\n")
        assert said_before_first_request == [line]
        assert sum(n for path, model, n, _ in seen if model == "m") >= 24
        err.truncate(0)
        err.seek(0)
        assert synth_main.main(["run", "--project", str(project), "--no-groups"]) == 0
        assert err.getvalue() == (
            f"synth run: the project's settings embed with the server {url}/embeddings: "
            "0 card texts will be sent there (24 embedded before are not), then the candidate "
            "themes' keywords\n")
