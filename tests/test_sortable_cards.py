"""The cards theme discovery sorts (and `run` counts before sending texts to a server): every card
outside the pinned themes and their sub-themes, as many as the themes dialog's bound counts."""
from __future__ import annotations

from synth.board import CreateTheme, UpdateTheme
from synth.importers import import_path
from synth.project import Project
from synth.themes.project_themes import sortable_cards, sortable_count


def test_sortable_cards_leave_out_pinned_themes_and_their_sub_themes(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("text\n" + "".join(f"note {i}\n" for i in range(8)), encoding="utf-8")
    with Project.create(tmp_path / "p.synth") as p:
        import_path(p, notes)
        ids = [r[0] for r in p.query("SELECT id FROM notes ORDER BY id")]
        top = p.history.apply(CreateTheme("Pinned", [("note", ids[0])]))
        p.history.apply(CreateTheme("Under it", [("note", ids[1]), ("note", ids[2])],
                                    parent_id=top))
        p.history.apply(CreateTheme("Free", [("note", ids[3])]))
        assert len(sortable_cards(p)) == sortable_count(p) == 8
        p.history.apply(UpdateTheme(top, {"pinned": 1}))
        left = sortable_cards(p)
        assert sorted(c.ref for c in left) == [("note", i) for i in ids[3:]]
        assert sortable_count(p) == len(left) == 5
        assert sum(c.theme_id is None for c in left) == 4
