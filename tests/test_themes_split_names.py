"""A split's parts are named by what tells them apart: the words of the split theme's name, which
every part shares, stay in their keywords but leave their names while another keyword remains
(one word then: "Training", not "AI & training")."""
from __future__ import annotations

from synth.board import CreateTheme
from tests.themes_study import fill
from tests.ui_fixtures import needs_model

pytestmark = needs_model

AI = {
    "jobs": ["AI will cut admin jobs in our team", "AI could replace casework jobs entirely",
             "Staff fear AI taking their jobs", "AI means fewer clerical jobs each year",
             "Jobs in processing will go to AI", "AI job losses worry junior staff"],
    "training": ["We need training before using AI tools", "AI training should be for every grade",
                 "Nobody trained us on the AI assistant", "AI courses on the learning portal",
                 "Training in AI prompts for policy staff", "Give managers AI training first"],
}


def test_split_parts_leave_the_parents_words_out_of_their_names(project):
    from synth.themes.project_themes import split_theme
    refs = fill(project, [t for texts in AI.values() for t in texts])
    parent = project.history.apply(CreateTheme("AI & tools", cards=refs))
    ids = split_theme(project, parent, k=2, seed=0)
    rows = project.query("SELECT id, name, keywords FROM themes WHERE parent_id = ? ORDER BY id",
                         (parent,))
    assert [r["id"] for r in rows] == ids and len(ids) == 2
    names = [r["name"] for r in rows]
    assert all("AI" not in n.split(" & ") for n in names), names
    assert any("AI" in r["keywords"] for r in rows)        # still a keyword of the parts
    words = {w.lower() for n in names for w in n.split(" & ")}
    assert words & {"jobs", "job", "training", "trained"}, names
