"""A model folder's cache key is hashed once per process while its files stay as they are, and
again as soon as one of them changes."""
from __future__ import annotations

import os

import pytest

from synth.themes import embeddings


@pytest.fixture
def hashed(monkeypatch):
    """The folders hashed, in order, with the memo emptied for the test."""
    calls: list[str] = []
    real = embeddings._fingerprint

    def spy(model_dir, files):
        calls.append(model_dir.name)
        return real(model_dir, files)
    monkeypatch.setattr(embeddings, "_FOLDER_NAMES", {})
    monkeypatch.setattr(embeddings, "_fingerprint", spy)
    return calls


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "my-model"
    (d / "pooling").mkdir(parents=True)
    (d / "config.json").write_text('{"hidden_size": 384}')
    (d / "pooling" / "config.json").write_text('{"mode": "mean"}')
    (d / "model.safetensors").write_bytes(bytes(range(256)) * 12_000)   # > 2 MiB: sampled
    (d / "README.md").write_text("read me")
    return d


def test_an_unchanged_folder_is_hashed_once(folder, hashed):
    first = embeddings.folder_model_name(folder)
    assert first.startswith("local:my-model:") and len(first) == len("local:my-model:") + 12
    assert embeddings.folder_model_name(folder) == first
    assert embeddings.folder_model_name(folder) == first
    assert hashed == ["my-model"]


def test_a_changed_file_is_hashed_again_and_names_another_model(folder, hashed):
    first = embeddings.folder_model_name(folder)
    config = folder / "config.json"
    st = config.stat()
    config.write_text('{"hidden_size": 768}')                  # same size, other content
    os.utime(config, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = embeddings.folder_model_name(folder)
    assert second != first
    assert hashed == ["my-model", "my-model"]
    weights = folder / "model.safetensors"
    with open(weights, "ab") as fh:                             # grows: size changes
        fh.write(b"\0")
    third = embeddings.folder_model_name(folder)
    assert third not in (first, second)
    assert len(hashed) == 3


def test_a_read_me_or_hidden_file_changes_nothing(folder, hashed):
    first = embeddings.folder_model_name(folder)
    (folder / "README.md").write_text("a longer read me than before")
    (folder / ".DS_Store").write_bytes(b"\0\1")
    assert embeddings.folder_model_name(folder) == first
    assert hashed == ["my-model"]
