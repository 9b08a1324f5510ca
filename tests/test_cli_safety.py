"""The command line never loses saved work and never crashes after the work: `run --new` builds
the new project beside the old one and replaces it only when the whole run succeeded; the
themes command checks its output path and its seed before embedding anything, and writes its
JSON whole or not at all."""
from __future__ import annotations

import hashlib
import json
import re
import shutil

import numpy as np
import pytest

import main as synth_main
from conftest import POLIS
from synth.project import Project

DEBATE = POLIS / "london.youth.policing"


def _run(*args: object) -> int:
    return synth_main.main(["run", *map(str, args), "--no-themes", "--no-groups"])


def _statements(path) -> int:
    # read-write: a read-only connection leaves -wal and -shm files behind it
    with Project.open(path) as p:
        return p.summary().statements


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _folder(tmp_path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir())


@pytest.fixture
def saved(tmp_path):
    """A saved project holding the london debate (39 statements), closed, with no sidecars."""
    path = tmp_path / "study.synth"
    assert _run(DEBATE, "--project", path) == 0
    assert _statements(path) == 39
    return path


def _bad_csv(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,dots\nok,1\nbad,many\n", encoding="utf-8")
    return bad


def test_run_new_whose_import_fails_leaves_the_saved_project_as_it_was(saved, tmp_path, capsys):
    before, files = _digest(saved), _folder(tmp_path)
    bad = _bad_csv(tmp_path)
    assert _run(bad, "--project", saved, "--new") == 1
    assert "row 3, column “dots”: expected a number of dots" in capsys.readouterr().err
    assert _digest(saved) == before and _statements(saved) == 39
    assert _folder(tmp_path) == sorted(files + ["bad.csv"])   # no temporary file left


def test_run_new_failing_after_the_import_leaves_the_saved_project_as_it_was(
        saved, tmp_path, monkeypatch, capsys):
    """The report step fails once the new project has been filled: the old one stays."""
    from synth.errors import UserError
    filled: list[int] = []

    def broken_report(project, path):
        filled.append(project.summary().statements)
        raise UserError("disk full")
    monkeypatch.setitem(synth_main.UPPER_LAYERS["run"], "write_report", broken_report)
    before, files = _digest(saved), _folder(tmp_path)
    assert _run(POLIS / "bg2050-volunteers", "--project", saved, "--new",
                "--out", tmp_path / "r.docx") == 1
    assert capsys.readouterr().err.strip() == "synth run: disk full"
    assert filled == [371]                               # the new data was in the new file
    assert _digest(saved) == before and _statements(saved) == 39
    assert _folder(tmp_path) == files


def test_run_new_interrupted_leaves_the_saved_project_and_no_temporary_file(
        saved, tmp_path, monkeypatch, capsys):
    def interrupted(project, path):
        raise KeyboardInterrupt
    monkeypatch.setitem(synth_main.UPPER_LAYERS["run"], "write_report", interrupted)
    before, files = _digest(saved), _folder(tmp_path)
    assert _run(POLIS / "bg2050-volunteers", "--project", saved, "--new",
                "--out", tmp_path / "r.docx") == 130
    assert capsys.readouterr().err.strip() == "synth run: interrupted"
    assert _folder(tmp_path) == files
    assert _digest(saved) == before and _statements(saved) == 39


def test_run_new_refused_by_another_run_leaves_that_runs_build_alone(tmp_path, capsys):
    """Two `run --new` of one project: the second is refused by the first's lock, and must not
    clean up the first's <project>.building (it did, and the first then failed at its rename
    after all its work)."""
    import os

    from synth.project import _acquire_lock, _release_lock
    path = tmp_path / "study.synth"
    lock = _acquire_lock(path)                           # run A, in progress
    building = Project.create(path.with_name(path.name + ".building"), overwrite=True)
    building.set_setting("probe", "A's work")
    files = _folder(tmp_path)
    assert _run(DEBATE, "--project", path, "--new") == 1     # run B
    assert "the project is open in another Synth window" in capsys.readouterr().err
    assert _folder(tmp_path) == files
    building.close()
    os.replace(path.with_name(path.name + ".building"), path)    # A finishes
    _release_lock(lock)
    with Project.open(path) as p:
        assert p.setting("probe") == "A's work"


def test_run_new_that_succeeds_replaces_the_project_whole(saved, tmp_path, capsys):
    files = _folder(tmp_path)
    assert _run(POLIS / "bg2050-volunteers", "--project", saved, "--new") == 0
    out = capsys.readouterr().out
    assert f"{saved.name}: 1 sources" in out            # the summary names the project, not a temp
    assert _statements(saved) == 371                    # the old 39 are gone: a fresh project
    assert _folder(tmp_path) == files


def test_run_new_refuses_a_project_open_elsewhere_before_any_work(saved, tmp_path, capsys):
    before = _digest(saved)
    with Project.open(saved):                            # another window holds its lock
        assert _run(POLIS / "bg2050-volunteers", "--project", saved, "--new") == 1
    assert "the project is open in another Synth window" in capsys.readouterr().err
    assert _digest(saved) == before and _statements(saved) == 39


def test_run_new_over_a_project_with_unsaved_wal_keeps_no_stale_sidecar(saved, tmp_path):
    """An old -wal beside the project must not be replayed into the new file."""
    p = Project.open(saved)
    p.set_setting("probe", 1)                            # committed, still in the -wal
    wal = saved.with_name(saved.name + "-wal")
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in (saved, wal):
        shutil.copy(f, copy / f.name)
    p.close()
    target = copy / saved.name
    assert (copy / wal.name).stat().st_size > 0
    assert _run(POLIS / "bg2050-volunteers", "--project", target, "--new") == 0
    assert _statements(target) == 371
    with Project.open(target) as q:
        assert q.setting("probe") is None
    assert not (copy / wal.name).exists() or (copy / wal.name).stat().st_size == 0


def test_a_failed_run_leaves_no_new_project_behind(tmp_path, capsys):
    bad = _bad_csv(tmp_path)
    target = tmp_path / "out" / "new.synth"
    assert _run(bad, "--project", target) == 1
    assert _folder(tmp_path) == ["bad.csv"]             # no project, lock, temp nor folder


def test_a_new_project_is_made_by_a_run_that_succeeds(tmp_path, capsys):
    target = tmp_path / "new.synth"
    assert _run(DEBATE, "--project", target) == 0
    assert _statements(target) == 39
    assert _folder(tmp_path) == ["new.synth", "new.synth.lock"]


def test_run_refuses_a_folder_as_project(tmp_path, capsys):
    assert _run(DEBATE, "--project", tmp_path, "--new") == 1
    assert capsys.readouterr().err.strip() == \
        f"synth run: {tmp_path}: is a folder, not a Synth project file"


# ------------------------------------------------------------------------------ seeds
@pytest.mark.parametrize("command", ["themes", "run"])
@pytest.mark.parametrize("seed", ["-1", "4294967296", "1e3", "x"])
def test_a_seed_outside_what_the_clustering_takes_is_refused_at_parsing(
        command, seed, tmp_path, capsys):
    (tmp_path / "t.csv").write_text("text\nalpha\nbeta\n", encoding="utf-8")
    first = str(tmp_path / "t.csv") if command == "themes" else str(DEBATE)
    with pytest.raises(SystemExit) as e:
        synth_main.main([command, first, "--seed", seed])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --seed: {seed}: the seed must be a whole number from 0 to 4294967295" \
        in err
    assert _folder(tmp_path) == ["t.csv"]                # refused before any file was made


def test_the_largest_seed_is_taken():
    from synth.themes.cli import seed_arg
    assert seed_arg("4294967295") == 4294967295 and seed_arg(" 0 ") == 0


# ------------------------------------------------------------------------------ themes output
class WordsBackend:
    """Vectors from the words of each text: texts sharing words lie close (no model needed)."""
    model_name = "test:words"

    def __init__(self, model_dir=None):
        pass

    def embed(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture
def words_backend(monkeypatch):
    from synth.themes import embeddings
    embedded: list[int] = []

    class Counting(WordsBackend):
        def embed(self, texts):
            embedded.append(len(texts))
            return super().embed(texts)
    monkeypatch.setattr(embeddings, "LocalBackend", Counting)
    return embedded


PAY = ["pay is low", "pay has fallen", "low pay hurts", "pay rises are late"]
VPN = ["the vpn drops", "vpn is slow", "vpn login fails", "the vpn times out"]


def _texts_csv(tmp_path, rows: list[str], name: str = "t.csv"):
    p = tmp_path / name
    p.write_text("text\r\n" + "".join(f"{r}\r\n" for r in rows), encoding="utf-8")
    return p


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_an_unwritable_json_path_is_refused_before_any_embedding(
        where, tmp_path, words_backend, capsys):
    src = _texts_csv(tmp_path, PAY + VPN)
    out = tmp_path / "no" / "such" / "x.json" if where == "missing" else tmp_path
    assert synth_main.main(["themes", str(src), "--json", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    expected = (f"no folder {tmp_path / 'no' / 'such'} to write the JSON into"
                if where == "missing" else "is a folder; give a file name for the JSON")
    assert err == f"synth themes: --json {out}: {expected}"
    assert words_backend == []                          # refused before any work


def test_the_json_is_written_whole_or_the_old_one_stays(tmp_path, words_backend, monkeypatch,
                                                        capsys):
    src = _texts_csv(tmp_path, PAY + VPN)
    out = tmp_path / "x.json"
    out.write_text('{"old": true}', encoding="utf-8")
    from synth import files

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", disk_full)   # after the text went to the temp
    assert synth_main.main(["themes", str(src), "--k", "2", "--json", str(out)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == '{"old": true}'
    assert _folder(tmp_path) == ["t.csv", "x.json"]      # no temporary file left
    monkeypatch.undo()
    from synth.themes import embeddings
    monkeypatch.setattr(embeddings, "LocalBackend", WordsBackend)
    out.chmod(0o640)
    assert synth_main.main(["themes", str(src), "--k", "2", "--json", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["assignments"]) == 8
    assert out.stat().st_mode & 0o777 == 0o640          # replaced with the mode it had
    assert _folder(tmp_path) == ["t.csv", "x.json"]


def test_blank_rows_are_listed_apart_from_unsorted_texts(tmp_path, words_backend, capsys):
    rows = PAY[:2] + [""] + PAY[2:] + ["", ""] + VPN
    src = _texts_csv(tmp_path, rows)
    out = tmp_path / "x.json"
    assert synth_main.main(["themes", str(src), "--k", "2", "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["blank_rows"] == [2, 5, 6]
    assert [data["assignments"][i] for i in (2, 5, 6)] == [-1, -1, -1]
    assert data["params"]["unsorted"] == 0 and data["params"]["empty_rows"] == 3
    by_row = dict(enumerate(data["assignments"]))
    assert len({by_row[i] for i in (0, 1, 3, 4)}) == 1 and len({by_row[i] for i in range(7, 11)}) == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith("2 themes, 0 unsorted, 3 blank rows skipped, ")
    assert line.endswith(f"→ {out}")


def test_the_json_params_carry_the_input_hash_of_the_project_runs(tmp_path, words_backend):
    from synth.themes.project_themes import input_hash
    src = _texts_csv(tmp_path, PAY + [""] + VPN)
    out = tmp_path / "x.json"
    assert synth_main.main(["themes", str(src), "--k", "2", "--json", str(out)]) == 0
    params = json.loads(out.read_text(encoding="utf-8"))["params"]
    texts = PAY + VPN
    rows = [0, 1, 2, 3, 5, 6, 7, 8]
    assert params["input_hash"] == input_hash("test:words", [("row", r) for r in rows], texts)
    # another text, or the same texts in other rows, is another input
    src2 = _texts_csv(tmp_path, PAY + VPN, name="t2.csv")
    assert synth_main.main(["themes", str(src2), "--k", "2", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["params"]["input_hash"] != \
        params["input_hash"]


def test_a_column_without_texts_is_named_with_its_file(tmp_path, words_backend, capsys):
    src = tmp_path / "h.csv"
    src.write_text("id,Notes\r\n1,\r\n", encoding="utf-8")
    assert synth_main.main(["themes", str(src), "--text-column", "notes"]) == 1
    assert capsys.readouterr().err.strip() == \
        f"synth themes: {src}: no texts to cluster: the column “Notes” is empty"
    src.write_text("text\r\n", encoding="utf-8")
    assert synth_main.main(["themes", str(src)]) == 1
    assert capsys.readouterr().err.strip() == (f"synth themes: {src}: no texts to cluster: "
                                               "the file has no rows below its header")
    assert words_backend == []
