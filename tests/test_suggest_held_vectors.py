"""More like this reads the cards' vectors once per project file and model, not at every press:
a press while the cards' texts are those held reads no vector from the cache, one after a card
was added reads that card's only, one with another model reads that model's; the suggestions
are those a fresh read gives every time."""
from __future__ import annotations

import re

import numpy as np
import pytest

from tests.themes_study import fill, topic_texts


class Words:
    """One dimension per word (texts sharing words lie close), no model needed."""
    model_name = "test:words"
    vocabulary: dict[str, int] = {}

    def embed(self, texts):
        out = np.zeros((len(texts), 2048), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, self.vocabulary.setdefault(w, len(self.vocabulary))] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


class Letters(Words):
    """Another model: vectors from letter pairs."""
    model_name = "test:letters"

    def embed(self, texts):
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for i, t in enumerate(texts):
            for a, b in zip(t.lower(), t.lower()[1:]):
                out[i, (ord(a) * 31 + ord(b)) % 32] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture(autouse=True)
def nothing_held():
    from synth.themes import suggestions
    getattr(suggestions, "_HELD", {}).clear()
    yield
    getattr(suggestions, "_HELD", {}).clear()


def _press(project, theme, backend, reads=None):
    """More like this as the window asks it (cached vectors only); ``reads`` counts the
    statements run on the embeddings cache."""
    from synth.themes.suggestions import more_like_this
    if reads is not None:
        project.db.set_trace_callback(
            lambda sql: reads.append(sql) if re.search(r"\bFROM embeddings\b", sql) else None)
    try:
        found = more_like_this(project, theme, limit=5, min_score=0.0, backend=backend,
                               cached_only=True)
    finally:
        project.db.set_trace_callback(None)
    return [(s.card, s.score, s.theme_id) for s in found]


def _fresh(project, theme, backend):
    """The suggestions from a read of every vector, nothing held."""
    from synth.themes import suggestions
    getattr(suggestions, "_HELD", {}).clear()
    return _press(project, theme, backend)


def _board(project):
    from synth.board import CreateTheme
    from synth.themes.embeddings import embed_texts
    texts = topic_texts() + [f"Filler {i}" for i in range(600)]
    cards = fill(project, texts)
    pay = project.history.apply(CreateTheme("Pay", cards[:4]))
    embed_texts(texts + ["Pay"], Words(), project=project)    # its name reads for it too
    return pay, cards


def test_a_second_press_reads_no_vector_and_offers_the_same(project):
    pay, cards = _board(project)
    reads: list[str] = []
    first = _press(project, pay, Words(), reads)
    assert reads                                  # the first press reads the cards' vectors
    assert first[0][0] == cards[5]               # “Pay progression …”: shares “pay”
    reads.clear()
    assert _press(project, pay, Words(), reads) == first
    assert reads == []
    # a big board's presses run on a worker with a connection of its own: held as well
    with project.worker_connection() as worker:
        assert _press(worker, pay, Words(), reads) == first
    assert reads == []


def test_cards_moved_or_added_are_offered_as_a_fresh_read_offers_them(project):
    from synth.board import MoveCards
    from synth.themes.embeddings import embed_texts
    pay, cards = _board(project)
    _press(project, pay, Words())
    # a card moved out of the theme: no vector read, and it is offered back at once
    project.history.apply(MoveCards([cards[0]], None))
    reads: list[str] = []
    moved = _press(project, pay, Words(), reads)
    assert reads == [] and (cards[0], None) in [(c, t) for c, _s, t in moved]
    assert moved == _fresh(project, pay, Words())
    # a card added (and embedded, as a discovery run does): only its vector is read
    new = fill_one(project, "Annual pay rises never keep up with the salary inflation")
    embed_texts(["Annual pay rises never keep up with the salary inflation"], Words(),
                project=project)
    reads.clear()
    added = _press(project, pay, Words(), reads)
    assert len(reads) == 1 and len(re.findall(r"'[0-9a-f]{64}'", reads[0])) == 1   # 1 hash
    assert new in [c for c, _s, _t in added]
    assert added == _fresh(project, pay, Words())


def test_another_model_or_another_project_file_is_read_again(project, tmp_path):
    import sqlite3

    from synth.project import Project
    from synth.themes.embeddings import NotCached, embed_texts
    pay, _cards = _board(project)
    words = _press(project, pay, Words())
    with pytest.raises(NotCached):               # the cards have no vectors of that model yet
        _press(project, pay, Letters())
    embed_texts([t for (t,) in project.query("SELECT text FROM notes")] + ["Pay"], Letters(),
                project=project)
    reads: list[str] = []
    letters = _press(project, pay, Letters(), reads)
    assert reads and letters != words
    assert letters == _fresh(project, pay, Letters())
    # a copy of the project is another file: its own vectors are read
    copy = sqlite3.connect(tmp_path / "copy.synth")
    project.db.backup(copy)
    copy.close()
    with Project.open(tmp_path / "copy.synth") as other:
        reads.clear()
        assert _press(other, pay, Letters(), reads) == letters
        assert reads


def fill_one(project, text):
    with project.transaction() as db:
        nid = db.execute("INSERT INTO notes(source_id, text) VALUES (1, ?)", (text,)).lastrowid
    return ("note", nid)
