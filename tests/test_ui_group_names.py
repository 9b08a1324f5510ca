"""With two debates, each opinion group is named for its debate, and a Pol.is debate's name is
its whole question (QA 22): "Group A (What is the best way to engage more young people in local
scrutiny of policing?)" in every column, bar and filter entry. The panels name the groups
"Group A (Debate 1)" and give the whole question in tooltips and a legend."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from synth.votes.group_names import GroupNames

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


def _report(path, tmp_path, **options):
    from exports.report import ReportOptions, write_report
    from synth.project import Project
    with Project.open(path) as p:
        return write_report(p, tmp_path / "r.docx", ReportOptions(**options))


def test_the_report_names_groups_as_the_panels_do(long_named, tmp_path):
    """The report prints "Group A (Debate 1)" in its text, charts and annex, and says once,
    before the first group, which debate each number stands for (the whole question)."""
    import docx
    result = _report(long_named, tmp_path)
    doc = docx.Document(str(result.path))
    paras = [p.text for p in doc.paragraphs]
    text = "\n".join(paras)
    legend = (f"In this report each group is named with its debate's number: Debate 1 is "
              f"“{NORTH}” and Debate 2 is “{SOUTH}”.")
    first = next(i for i, t in enumerate(paras) if "Group A (Debate 1)" in t)
    heading = paras.index(f"Debate 1 — {NORTH}")
    assert legend in paras[heading - 1] and heading < first      # the chapter's opening
    assert paras[first].startswith("Group A (Debate 1): 60%")
    assert "— Group A (Debate 1) 13%F" in text and "— Group A (Debate 2) 13%F" in text
    assert "Where the groups differ: Debate 2" in text
    assert "Debate 1: the groups were recomputed here" in text          # the methodology
    # the whole question only in the title ("What we heard: …"), the legends (the chapter's
    # and the annex's) and its debate's heading
    assert text.count(NORTH) == 4 and f"({NORTH})" not in text
    populations = {f.population for f in result.figures}
    assert {"Group A (Debate 1)", "Group B (Debate 1)", "Group A (Debate 2)",
            "Group B (Debate 2)", "participants of Debate 1"} <= populations
    assert not any(NORTH in f.population or NORTH in f.origin or NORTH in f.section
                   for f in result.figures)
    annex = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Group B (Debate 2)" in annex and not any(NORTH in c for c in annex)
    alt = [e.get("descr") for e in doc.element.body.iter() if e.get("descr")]
    assert any("Group A (Debate 1), 24 people" in a for a in alt)          # the opinion map
    assert not any(NORTH in a for a in alt)


def test_short_debate_names_are_kept_and_no_legend_is_given(debates_file, tmp_path):
    import docx
    result = _report(debates_file, tmp_path, charts=False)
    text = "\n".join(p.text for p in docx.Document(str(result.path)).paragraphs)
    assert "— Group A (Debate North) 13%F" in text and "Debate 1" not in text
    assert "each group is named with its debate's number" not in text


def test_the_spreadsheet_keeps_the_whole_names(long_named):
    """A spreadsheet column is read alone, with no legend beside it (exports.tables)."""
    from exports.tables import statements_sheet
    from synth.project import Project
    with Project.open(long_named) as p:
        header = statements_sheet(p).header
    assert f"Group A ({NORTH}) % agree" in header and f"Group B ({SOUTH}) n" in header


def test_the_votes_panel_and_the_report_agree(qtbot, window, long_named, tmp_path):
    from ui.testing import bring_into_sight
    assert window.open_project(long_named)
    qtbot.waitUntil(lambda: window.scene.ready)
    bring_into_sight(window, "Votes")
    panel = window.votes_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    from exports.report import ReportOptions, write_report
    report = {f.population for f in write_report(window.project, tmp_path / "r.docx",
                                                 ReportOptions(charts=False)).figures
              if f.population.startswith("Group ")}
    assert panel.group_names == ["Group A (Debate 1)", "Group B (Debate 1)",
                                 "Group A (Debate 2)", "Group B (Debate 2)"]
    assert report == set(panel.group_names)


def test_the_filter_numbers_debates_from_every_group(qtbot, window, long_named):
    """A debate none of whose groups stands out on a card is still counted: the filter's
    "Debate 2" is the panels' and the report's Debate 2."""
    assert window.open_project(long_named)
    qtbot.waitUntil(lambda: window.scene.ready and window.group_box.count() > 1)
    for c in window.scene.cards.values():
        if c.opinion_group is not None and c.opinion_group < 2:     # Debate 1's groups
            c.opinion_group, c.opinion_group_name = None, ""
    window._fill_filter_boxes()
    box = window.group_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "All opinion groups", "Group B (Debate 2)"]
    assert box.itemData(1, Qt.ToolTipRole) == f"Group B of Debate 2: {SOUTH}"


def test_a_debate_named_debate_2_keeps_its_name_and_no_other_takes_it():
    """Review: beside a long-named debate, a debate called "Debate 2" became "Debate 1" and
    the legend read "Debate 1: Debate 2"."""
    from synth.votes.group_names import GroupNames
    names = GroupNames(["Group A (Debate 2)", "Group A (What is the best way to engage more "
                        "young people?)", "Group B (Debate 2)"])
    assert names.short("Group A (Debate 2)") == "Group A (Debate 2)"
    assert names.short("Group A (What is the best way to engage more young people?)") == \
        "Group A (Debate 1)"
    assert names.legend() == ["Debate 1: What is the best way to engage more young people?"]
