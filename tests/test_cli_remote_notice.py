"""`run` with an embedding server named in the project's settings sends nothing unless the
researcher names that server (--send-to), and then says, on stderr and before anything is sent,
which server gets how many card texts (the window asks first: ui tests)."""
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
        # not named on the command line: refused, nothing sent, the way to allow it said
        assert synth_main.main(["run", "--project", str(project), "--no-groups"]) == 1
        assert seen == [] and said_before_first_request == []
        assert f"Nothing was sent. Add --send-to {url} to allow it" in err.getvalue()
        assert synth_main.main(["run", "--project", str(project), "--no-groups",
                                "--send-to", "http://elsewhere:8080/v1"]) == 1
        assert seen == [] and "(--send-to names http://elsewhere:8080/v1)" in err.getvalue()
        with Project.open(project) as p:
            assert p.scalar("SELECT count(*) FROM embeddings") == 0
            assert p.scalar("SELECT count(*) FROM themes") == 0
        err.truncate(0)
        err.seek(0)
        assert synth_main.main(["run", "--project", str(project), "--no-groups",
                                "--send-to", url]) == 0, err.getvalue()
        line = (f"synth run: the project's settings embed with the server {url}/embeddings: "
                "24 card texts will be sent there, then the candidate themes' keywords\n")
        assert said_before_first_request == [line]
        assert sum(n for path, model, n, _ in seen if model == "m") >= 24
        err.truncate(0)
        err.seek(0)
        assert synth_main.main(["run", "--project", str(project), "--no-groups",
                                "--send-to", url + "/"]) == 0
        assert err.getvalue() == (
            f"synth run: the project's settings embed with the server {url}/embeddings: "
            "0 card texts will be sent there (24 embedded before are not), then the candidate "
            "themes' keywords\n")


def _colleagues_study(folder, url, **settings):
    """A study folder of two notes whose study.json sets the embedding server ``url`` (and the
    other ``settings``, as report.<name>)."""
    import json
    study = folder / "study"
    study.mkdir()
    (study / "notes.csv").write_text("text\nMore quiet rooms\nHot desks\n", encoding="utf-8")
    (study / "study.json").write_text(json.dumps({
        "name": "Colleague's study", "files": [{"path": "notes.csv", "kind": "notes"}],
        "settings": {"embedding_backend": {"kind": "remote", "url": url, "model": "m"},
                     **{f"report.{k}": v for k, v in settings.items()}}}), encoding="utf-8")
    return study


def test_a_study_folder_naming_a_server_sends_nothing_and_makes_no_project(tmp_path):
    """A colleague's study folder whose study.json sets an embedding server: `run` on it is
    refused before any text is sent, and the new project is not left behind."""
    with embeddings_server(lambda body: (200, vectors_payload([[1.0, 0.0]] * len(body["input"])))
                           ) as (url, seen):
        study = _colleagues_study(tmp_path, url)
        project = tmp_path / "c.synth"
        assert synth_main.main(["run", str(study), "--project", str(project),
                                "--no-groups"]) == 1
        assert seen == []
    assert not project.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]


def test_a_refused_run_on_an_existing_project_changes_nothing_and_can_be_rerun(tmp_path,
                                                                                capsys):
    """`run` adding a study folder that names a server to an existing project, refused for want
    of --send-to: the import, the seed and the study's settings are not kept, so rerunning as
    told (the server's address spelled '…/v1/embeddings') imports it instead of refusing it as
    imported already."""
    first = tmp_path / "first.csv"
    first.write_text("text\nQuiet rooms please\n", encoding="utf-8")
    project = tmp_path / "p.synth"
    assert synth_main.main(["run", str(first), "--project", str(project), "--no-groups",
                            "--no-themes"]) == 0
    capsys.readouterr()
    with embeddings_server(lambda body: (200, vectors_payload([[1.0, 0.0]] * len(body["input"])))
                           ) as (url, seen):
        study = _colleagues_study(tmp_path, url, title="Their title")
        assert synth_main.main(["run", str(study), "--project", str(project), "--no-groups",
                                "--seed", "7"]) == 1
        assert seen == []
        said = capsys.readouterr()
        assert said.out == "" and "Nothing was sent" in said.err    # no import said done
        with Project.look(project) as p:
            assert p.scalar("SELECT count(*) FROM notes") == 1
            assert [r[0] for r in p.query("SELECT name FROM sources")] == ["first"]
            assert p.setting("themes.seed") is None and p.setting("report.title") is None
            assert p.setting("embedding_backend") is None and p.setting("study_name") is None
        assert synth_main.main(["run", str(study), "--project", str(project), "--no-groups",
                                "--seed", "7", "--send-to", url + "/embeddings"]) == 0
        assert sum(n for path, model, n, _ in seen if model == "m") >= 3
        assert f"{study / 'notes.csv'} (workshop): 2 notes" in capsys.readouterr().out
    with Project.look(project) as p:
        assert p.scalar("SELECT count(*) FROM notes") == 3
        assert p.setting("themes.seed") == 7 and p.setting("report.title") == "Their title"
