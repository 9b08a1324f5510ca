"""A rerun of theme discovery never deletes a theme the team has written on or voted for: a
description, a summary, a memo or dots are the team's work as much as a rename (QA: asking for
12 themes instead of 25 deleted 19 summaries and descriptions and 19 of 25 dots, and left 19
memos pointing at nothing)."""
from __future__ import annotations

from tests.themes_study import fill, topic_texts


def test_themes_with_the_teams_words_or_dots_survive_a_rerun(project):
    from coding.codebook import AddMemo
    from synth.board import CastDots, CreateTheme, UpdateTheme
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    run = discover_themes(project, k=3, seed=0)["run_id"]
    h = project.history
    work = {
        "description": lambda t: h.apply(UpdateTheme(t, {"description": "Kept for the panel"})),
        "shared": lambda t: h.apply(UpdateTheme(t, {"summary_shared": "People said…"})),
        "want": lambda t: h.apply(UpdateTheme(t, {"summary_want": "They want…"})),
        "memo": lambda t: h.apply(AddMemo("theme", t, "Ask Sam about this one")),
        "dots": lambda t: h.apply(CastDots(t, "Asha", 2)),
        "blank summary": lambda t: h.apply(UpdateTheme(t, {"summary_shared": "  \t"})),
        "nothing": lambda t: None,
    }
    themes = {}
    for what, do in work.items():      # empty themes of the run no new cluster reuses
        themes[what] = h.apply(CreateTheme(f"Theme with {what}", [], status="candidate",
                                           run_id=run))
        do(themes[what])
    result = discover_themes(project, k=3, seed=0)
    left = {r[0] for r in project.query("SELECT id FROM themes")}
    assert {w for w, t in themes.items() if t in left} == {
        "description", "shared", "want", "memo", "dots"}
    assert {t["id"] for t in result["kept"]} >= {themes[w] for w in
                                                 ("description", "shared", "want", "memo",
                                                  "dots")}
    assert project.scalar("SELECT sum(dots) FROM dot_votes") == 2
    assert project.scalar("SELECT count(*) FROM memos WHERE target_kind = 'theme' AND "
                          "target_id NOT IN (SELECT id FROM themes)") == 0
