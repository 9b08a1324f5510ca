"""What the near-duplicates list says beside a pair's texts (synth.themes.pair_context): the
theme path each card lies in, and each debate statement's Pol.is comment id, for more cards
than one query binds (synth.sql.IN_LIMIT)."""
from __future__ import annotations

from synth.board import CreateTheme
from synth.project import now_iso
from synth.sql import IN_LIMIT
from synth.themes.pair_context import card_themes, debate_comments
from tests.themes_study import fill


def test_each_card_says_its_theme_path_and_unsorted_cards_none(project):
    notes = fill(project, [f"note {i}" for i in range(IN_LIMIT + 2000)])
    transport = project.history.apply(CreateTheme("Transport", cards=notes[:IN_LIMIT + 1000]))
    project.history.apply(CreateTheme("Bypass", cards=notes[IN_LIMIT + 1000:IN_LIMIT + 1500],
                                      parent_id=transport))
    themes = card_themes(project, set(notes))
    assert len(themes) == IN_LIMIT + 1500                  # the last 500 lie unsorted
    assert themes[notes[0]] == themes[notes[IN_LIMIT + 999]] == "Transport"
    assert themes[notes[IN_LIMIT + 1000]] == "Transport › Bypass"
    assert notes[-1] not in themes


def test_only_debate_statements_have_a_comment_id(project):
    with project.transaction() as db:
        for sid, kind in ((1, "debate"), (2, "survey")):
            db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES (?, ?, ?, ?)",
                       (sid, kind, kind, now_iso()))
        for i in range(IN_LIMIT + 5):
            db.execute("INSERT INTO statements(source_id, external_id, text) VALUES (1, ?, ?)",
                       (f"c{i}", f"said {i}"))
        db.execute("INSERT INTO statements(source_id, external_id, text) VALUES (2, 'r1', 'x')")
    ids = [r[0] for r in project.query("SELECT id FROM statements ORDER BY id")]
    comments = debate_comments(project, ids)
    assert len(comments) == IN_LIMIT + 5
    assert comments[ids[0]] == "c0" and comments[ids[IN_LIMIT + 4]] == f"c{IN_LIMIT + 4}"
    assert ids[-1] not in comments                          # the survey's statement
