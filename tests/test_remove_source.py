"""Removing a source undoes an import after the fact: the source's cards, votes, participants,
characteristics, codings, and what cites its cards (places, evidence, quotes) go in one
operation; the team's themes and recommendations and the other sources stay; Undo brings back
every row exactly, Redo removes them again (QA: a wrong import could not be taken back)."""
from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
TABLES = ("sources", "participants", "participant_attributes", "statements", "votes", "notes",
          "documents", "passages", "themes", "card_places", "codings", "quotes",
          "recommendations", "evidence", "group_members", "run_places")


def dump(project) -> dict[str, list]:
    return {t: sorted(map(tuple, project.query(f"SELECT * FROM {t}"))) for t in TABLES}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from synth.importers import import_path
    from synth.project import Project
    path = tmp_path_factory.mktemp("remove") / "s.synth"
    p = Project.create(path)
    for f in ("debate", "participants.csv", "workshop_notes.csv",
              "transcripts/glasgow_table1.docx"):
        import_path(p, SAMPLE / f)
    p.close()
    return path


def _worked_on(path, tmp_path):
    """A copy with a theme holding cards of every source, a coded span, quotes and evidence."""
    import shutil

    from coding.evidence import LinkEvidence
    from coding.passages import ApplyCode
    from coding.quotes import MarkQuote
    from coding.recommendations import AddRecommendation
    from synth.board import CreateTheme
    from synth.project import Project
    copy = tmp_path / "w.synth"
    shutil.copy(path, copy)
    p = Project.open(copy)
    h = p.history
    st = [("statement", r[0]) for r in p.query("SELECT id FROM statements LIMIT 3")]
    nt = [("note", r[0]) for r in p.query("SELECT id FROM notes LIMIT 3")]
    ps = [("passage", r[0]) for r in p.query("SELECT id FROM passages LIMIT 3")]
    theme = h.apply(CreateTheme("Hybrid working", st + nt + ps))
    doc = p.scalar("SELECT id FROM documents")
    h.apply(ApplyCode(doc, 0, 40, [theme], coder="Maya"))
    rec = h.apply(AddRecommendation(theme, "Fund home kit"))
    q_statement = h.apply(MarkQuote(*st[0]))
    q_passage = h.apply(MarkQuote(*ps[0]))
    h.apply(LinkEvidence([st[1], nt[1], ps[1], ("quote", q_statement), ("quote", q_passage)],
                         recommendation_id=rec))
    return p, theme, rec


def test_removing_the_debate_takes_its_votes_people_and_citations_and_undo_restores_all(
        study, tmp_path):
    from synth.sources import RemoveSource, source_contents
    p, theme, rec = _worked_on(study, tmp_path)
    debate = p.scalar("SELECT id FROM sources WHERE kind = 'debate'")
    before = dump(p)
    passages = p.scalar("SELECT count(*) FROM passages")
    kept = sorted(r[0] for r in p.query("SELECT card_kind FROM card_places WHERE theme_id = ? "
                                        "AND card_kind != 'statement'", (theme,)))
    assert kept[:4] == ["note"] * 3 + ["passage"]
    said = source_contents(p, debate)
    assert (said.cards, said.votes, said.participants, said.quotes, said.evidence,
            said.placed) == (272, 73219, 654, 1, 2, 3)    # a statement and its quote cited
    assert said.describe() == ("272 cards (3 in themes), 73,219 votes, 654 participants, "
                               f"{said.characteristics:,} characteristic values, 1 quote and "
                               "2 pieces of evidence")
    removed = p.history.apply(RemoveSource(debate))
    assert removed == said
    assert p.history.names()[-1] == ("Remove source “What would make the civil service a "
                                      "better place to work in 2030?”")
    assert p.scalar("SELECT count(*) FROM statements") == 0
    assert p.scalar("SELECT count(*) FROM votes") == 0
    assert p.scalar("SELECT count(*) FROM participants") == 0
    assert p.scalar("SELECT count(*) FROM participant_attributes") == 0
    # the other sources' cards, the theme, its recommendation and their other evidence stay
    assert p.scalar("SELECT count(*) FROM notes") == 330
    assert p.scalar("SELECT count(*) FROM passages") == passages
    assert sorted(r[0] for r in p.query("SELECT card_kind FROM card_places "
                                        "WHERE theme_id = ?", (theme,))) == kept
    assert sorted(r[0] for r in p.query("SELECT item_kind FROM evidence "
                                        "WHERE recommendation_id = ?", (rec,))) == \
        ["note", "passage", "quote"]
    assert p.scalar("PRAGMA foreign_key_check") is None
    p.history.undo()
    assert dump(p) == before
    p.history.redo()
    assert p.scalar("SELECT count(*) FROM votes") == 0
    p.history.undo()
    assert dump(p) == before
    p.close()


def test_removing_a_transcript_takes_its_passages_codings_and_their_quotes(study, tmp_path):
    from synth.sources import RemoveSource, source_contents
    p, theme, rec = _worked_on(study, tmp_path)
    source = p.scalar("SELECT source_id FROM documents")
    before = dump(p)
    passages = p.scalar("SELECT count(*) FROM passages")
    placed = p.scalar("SELECT count(*) FROM card_places WHERE card_kind = 'passage'")
    said = source_contents(p, source)
    removed = p.history.apply(RemoveSource(source))
    assert removed == said
    assert (removed.cards, removed.codings, removed.quotes, removed.evidence,
            removed.placed) == (passages, 1, 1, 2, placed)
    assert passages > 40 and placed >= 3
    assert p.scalar("SELECT count(*) FROM documents") == 0
    assert p.scalar("SELECT count(*) FROM codings") == 0
    assert p.scalar("SELECT count(*) FROM votes") == 73219
    assert p.scalar("PRAGMA foreign_key_check") is None
    p.history.undo()
    assert dump(p) == before
    p.close()


def test_removing_characteristics_keeps_the_participants(study, tmp_path):
    from synth.sources import RemoveSource
    p, _, _ = _worked_on(study, tmp_path)
    source = p.scalar("SELECT id FROM sources WHERE kind = 'characteristics'")
    values = p.scalar("SELECT count(*) FROM participant_attributes WHERE source_id = ?",
                      (source,))
    assert values > 5000                        # 653 people x 9 questions, a few skipped
    removed = p.history.apply(RemoveSource(source))
    assert (removed.characteristics, removed.participants, removed.cards) == (values, 0, 0)
    assert p.scalar("SELECT count(*) FROM participant_attributes") == 0
    assert p.scalar("SELECT count(*) FROM participants") == 654
    p.close()


def test_undo_is_refused_when_an_import_since_took_the_removed_rows_ids(study, tmp_path):
    """Review: an import keeps no history and SQLite gives new rows the ids of rows just
    removed; undoing the removal then wrote the old transcript over the new one's passages."""
    from synth.errors import UserError
    from synth.importers import import_path
    from synth.sources import RemoveSource
    p, _, _ = _worked_on(study, tmp_path)
    source = p.scalar("SELECT source_id FROM documents")
    p.history.apply(RemoveSource(source))
    import_path(p, SAMPLE / "transcripts" / "cardiff_table3.docx")
    imported = dump(p)
    with pytest.raises(UserError, match="cannot be undone: the project has changed since"):
        p.history.undo()
    assert dump(p) == imported                  # the new transcript as imported
    assert not p.history.can_undo()             # nor can the steps before it be undone now
    p.close()
