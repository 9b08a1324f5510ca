"""Near-duplicate statements on the sample study, whose debate has duplicates written on purpose
(sample_data/README.md): found among the most similar pairs, with how alike they were voted."""
from __future__ import annotations

import pytest

DESIGNED = [("Slow or unreliable IT wastes", "Slow IT is wasting hours"),
            ("online learning is just clicking next", "mostly click next until it ends"),
            ("not enough desks in our office", "doesn't have enough desks for everyone")]


def _text(project, ref):
    return project.scalar("SELECT text FROM statements WHERE id = ?", (ref[1],))


def test_the_designed_duplicates_lead_the_list_with_their_votes(sample_project):
    from synth.themes.duplicates import near_duplicates
    pairs = near_duplicates(sample_project)
    assert pairs and all(p.a[0] == p.b[0] == "statement" for p in pairs)
    sims = [p.similarity for p in pairs]
    assert sims == sorted(sims, reverse=True) and min(sims) >= 0.7
    top = [(_text(sample_project, p.a), _text(sample_project, p.b)) for p in pairs[:10]]
    for x, y in DESIGNED:
        assert any((x in a and y in b) or (y in a and x in b) for a, b in top), (x, top)
    for p in pairs:   # voted alike: counted straight from the votes table
        both, same = sample_project.query(
            "SELECT count(*), sum(a.value = b.value) FROM votes a JOIN votes b "
            "ON a.participant_id = b.participant_id WHERE a.statement_id = ? "
            "AND b.statement_id = ? AND a.value != 0 AND b.value != 0", (p.a[1], p.b[1]))[0]
        assert (p.alike.both, p.alike.same) == (both, same or 0)
    slow = next(p for p in pairs if "Slow IT is wasting" in _text(sample_project, p.a)
                + _text(sample_project, p.b))
    assert slow.alike.both > 100       # half up, as every figure Synth prints
    assert slow.alike.pct == int(100 * slow.alike.same / slow.alike.both + 0.5)
    assert len(near_duplicates(sample_project, limit=2)) == 2
    assert near_duplicates(sample_project, threshold=0.99) == []
    # long on a big study: progress block by block, and a cancel stops it
    from synth.themes.duplicates import BLOCK, DuplicatesCancelled
    seen = []
    near_duplicates(sample_project, progress=lambda done, total, m: seen.append((done, total)))
    statements = len(sample_project.query(
        "SELECT id FROM statements WHERE moderation >= 0 AND is_meta = 0 AND text != ''"))
    assert seen == [(s, statements) for s in range(0, statements, BLOCK)] and len(seen) > 1
    asked = []
    with pytest.raises(DuplicatesCancelled):   # cancelled once the first block is compared
        near_duplicates(sample_project, progress=lambda done, total, m: asked.append(done),
                        cancelled=lambda: len(asked) > 0)
    assert asked == [0]


def test_the_window_reads_only_cached_vectors(sample_project):
    from synth.themes.duplicates import near_duplicates
    from synth.themes.embeddings import NotCached
    with pytest.raises(NotCached):
        near_duplicates(sample_project, cached_only=True)
    assert sample_project.scalar("SELECT count(*) FROM embeddings") == 0   # nothing embedded


def test_texts_without_letters_make_no_pair(project, tmp_path):
    """QA: every emoji is one unknown word piece to the model, so "👍" and "😀😀😀" were listed
    as duplicates at 1.000; notes that say the same in words still pair."""
    from synth.importers import import_path
    from synth.themes.duplicates import near_duplicates
    notes = tmp_path / "notes.csv"
    notes.write_text("text\n👍\n😀😀😀\n+1\nNot enough desks in the office\n"
                     "The office does not have enough desks\nPay is too low\n", encoding="utf-8")
    import_path(project, notes)
    pairs = near_duplicates(project, kinds=("note",))
    texts = [{project.scalar("SELECT text FROM notes WHERE id = ?", (r[1],)) for r in (p.a, p.b)}
             for p in pairs]
    assert texts == [{"Not enough desks in the office", "The office does not have enough desks"}]
