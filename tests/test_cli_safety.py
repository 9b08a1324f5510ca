"""The command line never crashes after the work: the themes command checks its output path
and its seed before embedding anything, and writes its JSON whole or not at all."""
from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest

import main as synth_main
from conftest import POLIS

DEBATE = POLIS / "london.youth.policing"


def _folder(tmp_path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir())


# ------------------------------------------------------------------------------ seeds
@pytest.mark.parametrize("command", ["themes"])
@pytest.mark.parametrize("seed", ["-1", "4294967296", "1e3", "x"])
def test_a_seed_outside_what_the_clustering_takes_is_refused_at_parsing(
        command, seed, tmp_path, capsys):
    first = str(tmp_path / "t.csv") if command == "themes" else str(DEBATE)
    with pytest.raises(SystemExit) as e:
        synth_main.main([command, first, "--seed", seed])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --seed: {seed}: the seed must be a whole number from 0 to 4294967295" \
        in err
    assert not (tmp_path / "t.csv").exists()


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
    import synth.themes.cli as themes_cli

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(themes_cli.os, "fsync", disk_full)   # after the text went to the temp
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
