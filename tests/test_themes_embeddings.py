"""The fast BERT encoder gives sentence-transformers' vectors for the bundled model, quietly."""
from __future__ import annotations

import numpy as np

TEXTS = ["Pay has not kept up with inflation for years",
         "The laptops take ten minutes to start, which wastes the first part of every morning for "
         "the whole team and nobody in IT seems to care about it at all",
         "ok"]
# sentence-transformers 6.2 (SentenceTransformer(dir).encode(..., normalize_embeddings=True)),
# first 8 components of each vector.
REFERENCE = [[-0.042073, 0.02496, -0.030812, 0.027315, -0.005401, -0.039775, -0.026567, -0.090118],
             [0.055825, 0.058707, 0.057165, -0.032193, 0.139492, -0.021728, -0.008864, 0.005813],
             [-0.046124, -0.059069, -0.021885, 0.016941, 0.045277, -0.017278, 0.026445, 0.06383]]


def test_fast_encoder_matches_sentence_transformers():
    from synth.themes.embeddings import LocalBackend
    b = LocalBackend()
    assert b.fast
    v = b.embed(TEXTS)
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.allclose(v[:, :8], np.array(REFERENCE), atol=2e-6)
    # order and batching do not change a text's vector
    again = b.embed([TEXTS[2], TEXTS[0]])
    assert np.allclose(again, v[[2, 0]], atol=1e-6)


def test_model_load_is_quiet_on_stderr(capfd):
    from synth.themes import embeddings
    embeddings._MODELS.clear()
    embeddings.LocalBackend().embed(["hello world"])
    err = capfd.readouterr().err
    assert "Loading weights" not in err and "%|" not in err, err


def test_k_given_with_keyword_view_is_reproducible_and_parameters_recorded():
    from synth.themes.clustering import cluster, diffusion_steps, keyword_view
    rng = np.random.default_rng(0)
    words = {"pay": "salary pay rise inflation grade", "it": "laptop software password vpn",
             "office": "desk commute office hybrid home"}
    texts, vecs = [], []
    for t, (name, vocab) in enumerate(words.items()):
        centre = rng.standard_normal(16)
        for i in range(30):
            w = vocab.split()
            texts.append(f"{w[i % len(w)]} {w[(i + 2) % len(w)]} note {i}")
            vecs.append(centre + 0.6 * rng.standard_normal(16))
    v = np.asarray(vecs, dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    a = cluster(v, k=3, seed=1, texts=texts)
    b = cluster(v, k=3, seed=1, texts=texts)
    assert a.labels.tolist() == b.labels.tolist() and a.k == 3
    assert a.params["keyword_weight"] > 0 and a.params["refined_from"] in ("leiden", "k-means++")
    assert (a.labels < 0).mean() <= 0.10
    assert keyword_view(texts[:5]) is None          # too few texts for a keyword view
    assert diffusion_steps(3080, 77, 14) == 1 and diffusion_steps(20000, 20, 15) == 2
    assert diffusion_steps(100, 50, 10) == 0


def test_a_folder_that_is_no_model_folder_is_refused_before_its_files_are_read(
        tmp_path, monkeypatch):
    """``--model-dir /tmp`` hashed every file below /tmp (27.8 s over 294,000 files) before
    failing; a folder without a model's config is now refused first, naming a model folder
    inside it when there is one. Checked with the bundled model one folder down."""
    import os

    import pytest

    from synth.errors import UserError
    from synth.themes import embeddings
    read: list = []
    real = embeddings._model_files
    monkeypatch.setattr(embeddings, "_model_files", lambda d: read.append(d) or real(d))
    monkeypatch.setattr(embeddings, "_FOLDER_NAMES", {})
    models = tmp_path / "models"
    for i in range(30):
        (models / "exports" / f"round{i}").mkdir(parents=True)
        (models / "exports" / f"round{i}" / "notes.csv").write_text("id,text\n1,hello\n")
    os.symlink(embeddings.default_model_dir(), models / "minilm")
    with pytest.raises(UserError) as err:
        embeddings.LocalBackend(models)
    assert str(err.value) == (
        f"{models}: not an embedding model folder (it has no config.json or modules.json, which "
        "a sentence-transformers or Hugging Face model folder holds at its top); the model "
        f"folder may be {models / 'minilm'}")
    with pytest.raises(UserError, match=r"exports: not an embedding model folder \(it has no "
                                        r"config\.json or modules\.json.*holds at its top\)$"):
        embeddings.backend_from_config({"kind": "local", "model_dir": str(models / "exports")})
    assert read == []                                   # not one file listed or hashed
    # the folder it names is the model
    v = embeddings.LocalBackend(models / "minilm").embed(TEXTS[:1])
    assert np.allclose(v[0, :8], REFERENCE[0], atol=2e-6)
