"""With two debates, each opinion group is named for its debate, and a Pol.is debate's name is
its whole question (QA 22): "Group A (What is the best way to engage more young people in local
scrutiny of policing?)" in every column, bar and filter entry. The panels name the groups
"Group A (Debate 1)" and give the whole question in tooltips and a legend."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.panels.group_names import GroupNames

NORTH = "What is the best way to engage more young people in local scrutiny of policing?"
SOUTH = "Improving Bowling Green / Warren County"


def test_short_names_only_when_a_debate_name_is_long():
    short = GroupNames(["Group A (Debate North)", "Group B (Debate North)",
                        "Group A (Debate South)"])
    assert not short.shortened and short.legend() == []
    assert short.short("Group B (Debate North)") == "Group B (Debate North)"
    assert short.full("Group B (Debate North)") == ""
    long = GroupNames([f"Group A ({NORTH})", f"Group B ({NORTH})", f"Group A ({SOUTH})"])
    assert long.short(f"Group B ({NORTH})") == "Group B (Debate 1)"
    assert long.short(f"Group A ({SOUTH})") == "Group A (Debate 2)"
    assert long.full(f"Group A ({SOUTH})") == f"Group A of Debate 2: {SOUTH}"
    assert long.legend() == [f"Debate 1: {NORTH}", f"Debate 2: {SOUTH}"]
    assert long.legend([f"Group A ({SOUTH})"]) == [f"Debate 2: {SOUTH}"]
    assert GroupNames(["Group A", "Group B"]).short("Group A") == "Group A"   # one debate


@pytest.fixture
def long_named(debates_file):
    from synth.project import Project
    with Project.open(debates_file) as p, p.transaction() as db:
        db.execute("UPDATE sources SET name = ? WHERE name = 'Debate North'", (NORTH,))
        db.execute("UPDATE sources SET name = ? WHERE name = 'Debate South'", (SOUTH,))
    return debates_file


def test_the_panels_and_the_filter_name_groups_shortly(qtbot, window, long_named, tmp_path):
    from ui.testing import bring_into_sight
    assert window.open_project(long_named)
    qtbot.waitUntil(lambda: window.scene.ready and window.group_box.count() > 1)
    box = window.group_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "All opinion groups", "Group A (Debate 1)", "Group B (Debate 1)",
        "Group B (Debate 2)"]
    assert box.itemData(1, Qt.ToolTipRole) == f"Group A of Debate 1: {NORTH}"
    assert box.itemData(3, Qt.ToolTipRole) == f"Group B of Debate 2: {SOUTH}"

    window.scene.clearSelection()
    window.scene.card_items[("statement", 1)].setSelected(True)
    text = window.details_panel.browser.toPlainText()
    assert "Group A (Debate 1): 13 % agree — of 24 who voted" in text
    assert f"Debate 1: {NORTH}" in text and SOUTH not in text     # its own debate only
    assert text.count(NORTH) == 2                                   # source line + legend

    bring_into_sight(window, "Votes")
    panel = window.votes_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    headers = panel.model.headers
    assert headers[3:7] == ["Group A (Debate 1) %", "Group B (Debate 1) %",
                            "Group A (Debate 2) %", "Group B (Debate 2) %"]
    assert panel.model.headerData(5, Qt.Horizontal, Qt.ToolTipRole) == \
        f"Group A of Debate 2: {SOUTH}"
    assert panel.map.toolTip() == f"Debate 1: {NORTH}\nDebate 2: {SOUTH}"
    assert NORTH not in panel.map.sizes_caption
    panel.show_statement(1)
    assert [n for n, _t in panel.bars.texts()] == ["Everyone", "Group A (Debate 1)",
                                                   "Group B (Debate 1)"]
    window.votes_dock.grab().save(str(tmp_path / "votes.png"))
