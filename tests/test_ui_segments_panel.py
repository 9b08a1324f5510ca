"""The Segments panel on the sample study, driven by real clicks: a segment defined by ticking
values and another by a written rule, each one undo step; a statement's agreement per segment and
per characteristic value equal to counts made here with SQL; the small-n mark; removal and undo."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from exports.figures import FLAG
from tests.ui_fixtures import no_thread_left  # noqa: F401 - autouse
from ui.panels.segments import SegmentsPanel

STATEMENT = 5


def _sql(project, sid: int, members_sql: str, params=()) -> tuple[int, int, int]:
    r = project.query(
        "SELECT sum(value = 1), sum(value = -1), sum(value = 0) FROM votes WHERE "
        f"statement_id = ? AND participant_id IN ({members_sql})", (sid, *params))[0]
    return tuple(int(x or 0) for x in r)


def _whole(k: int, n: int) -> str:
    return f"{(200 * k + n) // (2 * n)}%"


def _table(panel) -> dict[str, list[str]]:
    t = panel.figures
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, t.columnCount())]
            for r in range(t.rowCount())}


def _segments(panel) -> dict[str, tuple[str, str]]:
    t = panel.list
    return {t.item(r, 0).text(): (t.item(r, 1).text(), t.item(r, 2).text())
            for r in range(t.rowCount())}


@pytest.fixture
def panel(qtbot, sample_project):
    w = SegmentsPanel(lambda: sample_project)
    qtbot.addWidget(w)
    w.resize(560, 980)
    QWidget.show(w)                 # SegmentsPanel.show(data) puts figures on screen
    qtbot.waitExposed(w)
    w.refresh()
    return w


def _open_tab(qtbot, tabs, title: str) -> None:
    bar = tabs.tabBar()
    i = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(i).center())
    assert tabs.currentIndex() == i


def _tick(panel, qtbot, characteristic: str, values: list[str]) -> None:
    box = panel.form.characteristic_box
    box.setCurrentIndex(box.findData(characteristic))
    lst = panel.form.values_list
    for i in range(lst.count()):
        item = lst.item(i)
        if item.data(Qt.UserRole) in values:
            rect = lst.visualItemRect(item)
            # the check box sits at the item's left edge
            qtbot.mouseClick(lst.viewport(), Qt.LeftButton,
                             pos=rect.topLeft() + QPoint(10, rect.height() // 2))
            assert item.checkState() == Qt.Checked, item.text()


def test_define_by_picking_values_and_read_a_statement_per_segment(panel, qtbot,
                                                                   sample_project):
    p = sample_project
    assert panel.list.rowCount() == 0
    assert [panel.form.characteristic_box.itemData(i) for i in
            range(panel.form.characteristic_box.count())][:3] == ["department", "disability",
                                                            "ethnicity"]
    _open_tab(qtbot, panel.sections, "Define a segment")
    _open_tab(qtbot, panel.form.how, "Pick values")
    _tick(panel, qtbot, "disability", ["Yes"])
    panel.form.name_edit.setText("Disabled")
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert p.query("SELECT name, rule FROM segments")[0][:] == (
        "Disabled", '{"attribute": "disability", "in": ["Yes"]}')
    assert _segments(panel) == {"Disabled": ("91", "disability=Yes")}
    assert "Defined “Disabled”: 91 participants" in panel.message.text()

    assert panel.sections.currentIndex() == 0       # back to the list, the new one selected
    assert panel.selected_segment() == "Disabled"
    # a written rule, named by itself when the name is left blank
    _open_tab(qtbot, panel.sections, "Define a segment")
    _open_tab(qtbot, panel.form.how, "Write a rule")
    qtbot.keyClicks(panel.form.rule_edit, "line_manager=yes & region!=London")
    qtbot.keyClick(panel.form.rule_edit, Qt.Key_Return)
    assert _segments(panel)["line_manager=yes & region!=London"] == (
        "222", "line_manager=yes & region!=London")
    assert p.scalar("SELECT count(*) FROM segments") == 2

    panel.show_statement(STATEMENT)
    assert panel.statement_label.text() == p.scalar("SELECT text FROM statements WHERE id = ?",
                                                    (STATEMENT,))
    rows = _table(panel)
    a, d, s = _sql(p, STATEMENT, "SELECT participant_id FROM participant_attributes WHERE "
                                 "name = 'disability' AND value = 'Yes'")
    n = a + d + s
    assert rows["Disabled"] == [_whole(a, n), _whole(d, n), _whole(s, n), str(n)]
    assert rows["Disabled"] == ["39%", "43%", "18%", "72"]
    a, d, s = _sql(p, STATEMENT, "SELECT a.participant_id FROM participant_attributes a JOIN "
                                 "participant_attributes b ON b.participant_id = "
                                 "a.participant_id WHERE a.name = 'line_manager' AND "
                                 "a.value = 'yes' AND b.name = 'region' AND "
                                 "b.value != 'London'")
    assert rows["line_manager=yes & region!=London"][3] == str(a + d + s) == "145"
    everyone = p.query("SELECT sum(value = 1), count(*) FROM votes WHERE statement_id = ?",
                       (STATEMENT,))[0]
    assert rows["Everyone"][0] == _whole(everyone[0], everyone[1])
    assert rows["Everyone"][3] == str(everyone[1])


def test_by_characteristic_flags_small_n_and_adds_up(panel, qtbot, sample_project):
    p = sample_project
    panel.show_statement(STATEMENT)
    assert "No segments yet" in panel.note.text()
    panel.by_box.setCurrentIndex(panel.by_box.findData("region"))
    rows = _table(panel)
    assert panel.figures.horizontalHeaderItem(0).text() == "region"
    for region, in p.query("SELECT DISTINCT value FROM participant_attributes WHERE "
                           "name = 'region'"):
        a, d, s = _sql(p, STATEMENT, "SELECT participant_id FROM participant_attributes WHERE "
                                     "name = 'region' AND value = ?", (region,))
        n = a + d + s
        assert rows[region][3] == f"{n}" + (f" {FLAG}" if 0 < n < 10 else ""), region
    # one overseas participant voted on it: fewer than the threshold of 10, marked
    assert rows["Overseas"] == ["0%", "100%", "0%", f"1 {FLAG}"]
    assert rows["London"][3] == "103"
    assert FLAG in panel.note.text()
    assert sum(int(v[3].split()[0]) for k, v in rows.items() if k != "Everyone") == \
        int(rows["Everyone"][3])
    assert "No answer" in rows          # those who gave no region are counted, not dropped
    # the project's threshold is the report's: raised to 60, London (103 votes) is not marked,
    # Wales (34) is
    p.set_setting("small_n_threshold", 60)
    panel.refresh()
    rows = _table(panel)
    assert rows["Wales"][3] == f"34 {FLAG}" and rows["London"][3] == "103"



def test_answers_and_votes_are_read_once_until_what_they_come_from_changes(panel, qtbot,
                                                                           sample_project):
    from synth.operations import ChangeSet, RowChange
    from synth.votes.segments import DefineSegment, parse_rule
    p = sample_project
    panel.show_statement(STATEMENT)
    panel.by_box.setCurrentIndex(panel.by_box.findData("region"))
    answers = panel._answers
    assert len(answers["region"].answer_of) == p.scalar(
        "SELECT count(*) FROM participant_attributes WHERE name = 'region' AND trim(value) != ''")
    # a segment defined: read again, but not the answers
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    panel.note_changes(ChangeSet("Define", [RowChange("segments", (1,), None, {"id": 1})]))
    panel.catch_up()
    assert panel.list.rowCount() == 1 and panel._answers is answers
    panel.list.selectRow(0)
    qtbot.waitUntil(lambda: panel.differs.count() > 0)
    arrays = panel._vote_arrays[1]
    panel.list.clearSelection()
    panel.list.selectRow(0)
    qtbot.waitUntil(lambda: panel.differs.count() > 0)
    assert panel._vote_arrays[1] is arrays              # every vote read once
    # an answer changed: read again, and the figures follow it
    who = p.scalar("SELECT v.participant_id FROM votes v JOIN participant_attributes a ON "
                   "a.participant_id = v.participant_id AND a.name = 'region' WHERE "
                   "v.statement_id = ? AND a.value = 'London' LIMIT 1", (STATEMENT,))
    with p.transaction() as db:
        db.execute("UPDATE participant_attributes SET value = 'Wales' WHERE participant_id = ? "
                   "AND name = 'region'", (who,))
    panel.note_changes(ChangeSet("Edit", [RowChange(
        "participant_attributes", (who, "region"), {"value": "London"}, {"value": "Wales"})]))
    panel.catch_up()
    assert panel._answers is not answers
    panel.show_statement(STATEMENT)
    rows = _table(panel)
    wales = _sql(p, STATEMENT, "SELECT participant_id FROM participant_attributes WHERE "
                               "name = 'region' AND value = 'Wales'")
    assert rows["London"][3] == "102" and rows["Wales"][3] == str(sum(wales)) == "35"
    # a vote changed: every vote is read again for the next segment selected
    panel.note_changes(ChangeSet("Vote", [RowChange("votes", (STATEMENT, who), {"value": 1},
                                                    {"value": -1})]))
    panel.catch_up()
    panel.list.selectRow(0)
    qtbot.waitUntil(lambda: panel._vote_arrays is not None
                    and panel._vote_arrays[1] is not arrays)

def test_remove_and_undo_through_the_history(panel, qtbot, sample_project):
    p = sample_project
    p.history.listeners.append(panel.note_changes)     # as the window tells its panels
    _open_tab(qtbot, panel.sections, "Define a segment")
    _open_tab(qtbot, panel.form.how, "Write a rule")
    qtbot.keyClicks(panel.form.rule_edit, "region=Wales")
    panel.form.name_edit.setText("Wales")
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert _segments(panel) == {"Wales": ("51", "region=Wales")}
    panel.list.selectRow(0)
    assert panel.remove_button.isEnabled()
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert p.scalar("SELECT count(*) FROM segments") == 0
    assert panel.list.rowCount() == 0
    assert panel.message.text() == "Removed “Wales”. Edit → Undo brings it back."
    p.history.undo()
    panel.catch_up()
    assert _segments(panel) == {"Wales": ("51", "region=Wales")}
    # a typo is refused in words, and nothing is written
    _open_tab(qtbot, panel.sections, "Define a segment")
    panel.form.rule_edit.setText("region=Atlantis")
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert panel.message.text().startswith("Not done: nobody matches the segment")
    _open_tab(qtbot, panel.form.how, "Pick values")
    panel.form.characteristic_box.setCurrentIndex(panel.form.characteristic_box.findData("grade"))
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert panel.message.text() == "Not defined: tick at least one value of grade."
    assert p.scalar("SELECT count(*) FROM segments") == 1


def test_a_segment_left_unnamed_is_named_by_its_stored_rule(panel, qtbot, sample_project):
    p = sample_project
    _open_tab(qtbot, panel.sections, "Define a segment")
    _open_tab(qtbot, panel.form.how, "Write a rule")
    qtbot.keyClicks(panel.form.rule_edit, " GENDER = woman & region!=london")
    qtbot.keyClick(panel.form.rule_edit, Qt.Key_Return)
    # the name is the rule as stored, in the data's spelling, not as it was typed
    stored = p.query("SELECT name, rule FROM segments")
    assert [r[0] for r in stored] == ["gender=Woman & region!=London"]
    assert __import__("json").loads(stored[0][1]) == {"all": [
        {"attribute": "gender", "in": ["Woman"]}, {"attribute": "region", "not_in": ["London"]}]}
    size = len({r[0] for r in p.query(
        "SELECT a.participant_id FROM participant_attributes a JOIN participant_attributes b "
        "ON b.participant_id = a.participant_id WHERE a.name = 'gender' AND a.value = 'Woman' "
        "AND b.name = 'region' AND b.value != 'London'")})
    assert _segments(panel) == {"gender=Woman & region!=London": (
        str(size), "gender=Woman & region!=London")}
    assert panel.message.text().startswith("Defined “gender=Woman & region!=London”: ")
    # a rule refused is said in the refusal's words, under the rule as typed
    _open_tab(qtbot, panel.sections, "Define a segment")
    panel.form.rule_edit.setText("region=atlantis")
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert panel.message.text().startswith("Not done: nobody matches the segment "
                                           "“region=atlantis”")
    assert p.scalar("SELECT count(*) FROM segments") == 1


def test_everyone_except_leaves_out_those_who_gave_none(panel, qtbot, sample_project):
    """Ticking London with "Everyone who answered, except those ticked" makes the segment the
    command line and the report make of region!=London: not those whose region is blank."""
    p = sample_project
    with p.transaction() as db:
        db.execute("UPDATE participant_attributes SET value = '' WHERE name = 'region' AND "
                   "value = 'Wales'")
    panel.refresh()
    outside = p.scalar("SELECT count(*) FROM participant_attributes WHERE name = 'region' AND "
                       "value NOT IN ('London', '')")
    _open_tab(qtbot, panel.sections, "Define a segment")
    _open_tab(qtbot, panel.form.how, "Pick values")
    _tick(panel, qtbot, "region", ["London"])
    assert "" not in [panel.form.values_list.item(i).data(Qt.UserRole)
                      for i in range(panel.form.values_list.count())]   # blank is no answer
    qtbot.mouseClick(panel.form.except_box, Qt.LeftButton)
    assert panel.form.except_box.isChecked()
    panel.form.name_edit.setText("Outside London")
    qtbot.mouseClick(panel.form.define_button, Qt.LeftButton)
    assert _segments(panel) == {"Outside London": (str(outside), "region!=London")}
    assert outside == 450         # the 51 of Wales, now blank, are not in it
    assert panel.list.item(0, 2).toolTip() == ("Outside London: region!=London (those who gave "
                                               "no region are not in it)")


def test_where_a_segment_differs_and_its_statement_chosen(panel, qtbot, sample_project):
    from synth.votes.segment_figures import defined_segments, differences, most_different
    from synth.votes.segments import DefineSegment, parse_rule
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    panel.refresh()
    assert panel.differs.count() == 0
    panel.list.selectRow(0)
    # what the report lists for it, in its order
    want = most_different(differences(p, defined_segments(p)[0], 10))
    assert [panel.differs.item(i).data(Qt.UserRole) for i in range(panel.differs.count())] \
        == [d.statement_id for d in want]
    assert panel.differs.item(0).text() == (
        "“A lot of vacancies are advertised when they already know who they want, usually "
        "whoever is acting up.”\n86% vs 49% (n = 14 / 74): 37 points higher, more than chance "
        "(z = 2.66)")
    assert "at least 10 votes" in panel.differs_title.text()
    second = panel.differs.item(1)
    with qtbot.waitSignal(panel.statement_chosen) as chosen:
        qtbot.mouseClick(panel.differs.viewport(), Qt.LeftButton,
                         pos=panel.differs.visualItemRect(second).center())
    assert chosen.args == [want[1].statement_id]
    rows = _table(panel)        # the figures follow the statement chosen there
    assert rows["Disabled"][0] == f"{want[1].segment.whole_pct()}%"
    assert rows["Disabled"][3] == str(want[1].segment.n)



def test_a_segment_none_of_whose_members_voted_is_said_as_the_report_says_it(
        panel, qtbot, sample_project):
    from synth.votes.segments import DefineSegment, parse_rule
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    members = "SELECT participant_id FROM participant_attributes WHERE name = " \
              "'disability' AND value = 'Yes'"
    size = p.scalar(f"SELECT count(DISTINCT participant_id) FROM ({members})")
    with p.transaction() as db:
        db.execute(f"DELETE FROM votes WHERE participant_id IN ({members})")
    panel.refresh()
    panel.list.selectRow(0)
    qtbot.waitUntil(lambda: "None of them" in panel.differs_title.text())
    assert panel.differs_title.text() == (
        f"“Disabled”: {size} participants. None of them voted in the debate, so there are no "
        "agreement figures for this segment.")
    assert panel.differs.count() == 0

def test_the_panel_is_drawn(panel, qtbot, sample_project, tmp_path):
    from synth.votes.segments import DefineSegment, parse_rule
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    p.history.apply(DefineSegment("Line managers outside London",
                                  parse_rule("line_manager=yes & region!=London")))
    p.history.apply(DefineSegment("Senior grades", parse_rule("grade=G6,SCS")))
    panel.refresh()
    panel.list.selectRow(0)
    panel.show_statement(240)
    image = panel.grab().toImage()
    assert image.width() > 400
    # not blank: the table's text leaves dark pixels
    dark = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if image.pixelColor(x, y).lightness() < 80)
    assert dark > 200
    import os
    out = os.environ.get("SYNTH_SEGMENTS_GRAB")
    if out:
        panel.grab().save(out)


def test_another_project_forgets_the_statement_chosen(qtbot, sample_project, project):
    shown = [sample_project]
    panel = SegmentsPanel(lambda: shown[0])
    qtbot.addWidget(panel)
    QWidget.show(panel)
    panel.refresh()
    panel.show_statement(STATEMENT)
    assert panel.figures.rowCount() == 1            # everyone; no segment yet
    shown[0] = project                              # the window opened an empty project
    panel.refresh()
    assert panel.figures.rowCount() == 0
    assert panel.statement_label.text().startswith("Choose a statement")
    assert panel.form.characteristic_box.count() == 0
    assert panel.form.known_label.text().startswith("No participant characteristics")


def test_a_read_only_project_shows_but_changes_nothing(qtbot, sample_project):
    from synth.project import Project
    from synth.votes.segments import DefineSegment, parse_rule
    sample_project.history.apply(DefineSegment("Wales", parse_rule("region=Wales")))
    path = sample_project.path
    sample_project.close()
    with Project.open(path, read_only=True) as p:
        panel = SegmentsPanel(lambda: p)
        qtbot.addWidget(panel)
        QWidget.show(panel)
        panel.refresh()
        assert _segments(panel) == {"Wales": ("51", "region=Wales")}
        panel.list.selectRow(0)
        assert not panel.form.define_button.isEnabled() and not panel.remove_button.isEnabled()
        assert panel.differs.count() >= 3          # where it differs is still read
        panel.act_remove.trigger()
        assert p.scalar("SELECT count(*) FROM segments") == 1
        assert panel.message.text() == "This project is open read-only."
