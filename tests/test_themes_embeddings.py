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
