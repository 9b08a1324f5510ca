"""The votes panel prints the report's figures: for every statement and opinion group, the
percentage in its table, the words beside its bars ("13 % agree, n=24") and the group names are
those of ``exports`` (``content`` and ``FigureRegistry``, and a report written from the same
project), in a debate of two sources, each with its own opinion-group runs, whose figures land
on x.5 % (half up: 12.5 % prints as 13, never 12)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


@pytest.fixture
def panel(qtbot, debates):
    from ui.panels.votes import VotesPanel
    w = VotesPanel(lambda: debates)
    qtbot.addWidget(w)
    w.resize(560, 760)
    QWidget.show(w)                 # VotesPanel.show(data) puts figures on screen
    qtbot.waitExposed(w)
    w.refresh()
    return w


def _report_figures(p):
    """What the report prints, from the report's own modules: per statement, overall and for
    each group, the figure text as FigureRegistry formats it."""
    from exports import content
    from exports.figures import FigureRegistry
    reg = FigureRegistry.for_project(p)
    groups = content.opinion_groups(p)
    overall = content.tallies(p)
    out = {}
    for sid in content.statements(p):
        row = {"overall": reg.agreement(overall[sid], statement_id=sid) if sid in overall
               else None}
        for gid in groups.group_ids:
            t = groups.tallies.get(gid, {}).get(sid)
            row[groups.labels[gid]] = None if t is None else reg.agreement(
                t, statement_id=sid, population=groups.labels[gid])
        out[sid] = row
    return out, groups, reg


def _cell(f, small_n: int) -> str:
    """The table cell that shows figure ``f``: its number without the % the header carries."""
    if f is None or f.suppressed:
        return "—"
    return f"{f.value}" + (f"† (n<{small_n})" if f.small_n else "")


def _bar(f, small_n: int) -> str:
    if f is None or not f.denominator:
        return "no votes"
    return f"{f.value} %{'†' if f.small_n else ''} agree, n={f.denominator}"


def _table(panel) -> dict[int, dict[str, str]]:
    m = panel.model
    return {int(m.index(r, 0).data(Qt.UserRole)):
            {m.headers[c]: m.index(r, c).data() for c in range(1, m.columnCount())}
            for r in range(m.rowCount())}


def test_the_table_prints_the_reports_percentages_for_every_statement_and_group(panel,
                                                                                 debates):
    report, groups, reg = _report_figures(debates)
    names = [groups.labels[g] for g in groups.group_ids]
    # each debate's groups are its own: debate 1's group 0 and debate 2's are not added up
    assert names == ["Group A (Debate North)", "Group B (Debate North)", "Group A (Debate South)", "Group B (Debate South)"]
    assert panel.model.headers == ["Statement", "Votes", "% agree", *[f"{n} %" for n in names],
                                   "Consensus (lowest group %)", "Divisiveness (spread)"]
    table = _table(panel)
    assert set(table) == set(report) == {1, 2, 3, 4, 5}     # 6 is moderated out
    from exports import content
    from synth.votes.statement_figures import listed_statements
    assert [sid for sid, _t in listed_statements(debates)] == list(content.statements(debates))
    for sid, figures in report.items():
        assert table[sid]["% agree"] == _cell(figures["overall"], reg.small_n), sid
        for name in names:
            assert table[sid][f"{name} %"] == _cell(figures[name], reg.small_n), (sid, name)
    # the x.5 % figures, half up as printed (Python's round would show 12, 62, 32 and 42);
    # statement 1 is counted in the first debate's latest run (2), statement 4 in the second's;
    # consensus and spread are among the groups of the statement's own debate
    assert table[1] == {"Votes": "40", "% agree": "33", "Group A (Debate North) %": "13", "Group B (Debate North) %": "63",
                        "Group A (Debate South) %": "—", "Group B (Debate South) %": "—",
                        "Consensus (lowest group %)": "13", "Divisiveness (spread)": "50"}
    assert table[4] == {"Votes": "40", "% agree": "43", "Group A (Debate North) %": "—", "Group B (Debate North) %": "—",
                        "Group A (Debate South) %": "13", "Group B (Debate South) %": "63",
                        "Consensus (lowest group %)": "13", "Divisiveness (spread)": "50"}
    assert table[2]["Group B (Debate North) %"] == "13† (n<10)" and report[2]["Group B (Debate North)"].small_n
    assert table[5] == {"Votes": "80", "% agree": "56", **{f"{n} %": "—" for n in names},
                        "Consensus (lowest group %)": "—", "Divisiveness (spread)": "—"}
    assert table[3]["Votes"] == "0" and table[3]["% agree"] == "—"
    assert panel.runs == [2, 3] and panel.run_id == 3


def test_the_bars_say_what_the_report_prints_for_the_chosen_statement(panel, debates):
    report, groups, reg = _report_figures(debates)
    own = {1: "Debate North", 2: "Debate North", 4: "Debate South", 5: None}
    for sid in (1, 2, 4, 5):
        panel.show_statement(sid)
        # the bars of the statement's own debate's groups (none: tallies only)
        expected = [("Everyone", _bar(report[sid]["overall"], reg.small_n))] + \
            [(groups.labels[g], _bar(report[sid][groups.labels[g]], reg.small_n))
             for g in groups.group_ids if own[sid] and own[sid] in groups.labels[g]]
        assert panel.bars.texts() == expected, sid
    panel.show_statement(1)
    assert panel.bars.texts() == [("Everyone", "33 % agree, n=40"),
                                  ("Group A (Debate North)", "13 % agree, n=24"),
                                  ("Group B (Debate North)", "63 % agree, n=16")]
    assert panel.title.text() == "Hybrid working improved my work-life balance."
    # the map: both debates' runs drawn (one map each), coloured by this statement's votes
    assert sorted(set(panel.map.maps.tolist())) == [0, 1]
    shown = dict(zip(panel.participants.tolist(), panel.map.votes.tolist()))
    assert (shown[1], shown[10], shown[24]) == (1, -1, 0)
    assert shown[101] == -99       # the other debate's participant: no vote here
    # the caption's group sizes are the report's
    sizes = " · ".join(f"{groups.labels[g]}: {groups.size(g)}" for g in groups.group_ids)
    assert sizes == "Group A (Debate North): 24 · Group B (Debate North): 16 · Group A (Debate South): 16 · Group B (Debate South): 24"
    assert panel.map.sizes_caption == f"{sizes} · one map per debate (2)"
    panel.show_statement(2)
    assert panel.bars.texts()[2] == ("Group B (Debate North)", "13 %† agree, n=8")


def test_a_written_report_prints_the_panels_figures(panel, debates, tmp_path):
    from exports.figures import FigureRegistry
    from exports.report import ReportOptions, write_report
    small_n = FigureRegistry.for_project(debates).small_n
    result = write_report(debates, tmp_path / "r.docx", ReportOptions(charts=False))
    table = _table(panel)
    printed = [f for f in result.figures if f.kind == "agreement" and f.statement_id]
    assert {f.statement_id for f in printed} >= {1, 4}       # where the groups differ
    for f in printed:
        column = "% agree" if f.population == "all participants" else f"{f.population} %"
        assert table[f.statement_id][column] == _cell(f, small_n), (f.id, column)
    # the report's group sizes are the panel's caption
    counts = {f.population: f.text for f in result.figures if f.kind == "count"
              and f.label.startswith("participants in Group")}
    assert counts == {"Group A (Debate North)": "24", "Group B (Debate North)": "16", "Group A (Debate South)": "16", "Group B (Debate South)": "24"}
    assert panel.map.sizes_caption.startswith("Group A (Debate North): 24 · Group B (Debate North): 16 · Group A (Debate South): 16 · Group B (Debate South): 24")


def test_the_small_n_threshold_is_the_reports(panel, debates):
    debates.set_setting("small_n_threshold", 20)
    panel.refresh()
    table = _table(panel)
    assert table[1]["Group B (Debate North) %"] == "63† (n<20)"      # 16 voted
    assert table[1]["Group A (Debate North) %"] == "13"              # 24 voted
    panel.show_statement(1)
    assert panel.bars.texts()[2] == ("Group B (Debate North)", "63 %† agree, n=16")
    assert panel.bars.note() == ("† fewer than 20 voted: read with care (the report marks it "
                                 "the same way)")
    assert panel.bars.note() in panel.bars.accessibleDescription()


def test_a_statement_chosen_while_hidden_is_drawn_with_fresh_figures_when_shown(panel,
                                                                                 debates):
    panel.show_statement(4)
    assert panel.bars.texts()[1] == ("Group A (Debate South)", "13 % agree, n=16")
    panel.hide()
    with debates.transaction() as db:      # one more agree in South's Group A: 3/16 = 18.75 %
        db.execute("UPDATE votes SET value = 1 WHERE statement_id = 4 AND participant_id = 110")
    panel.refresh()                        # hidden: nothing read now …
    panel.show_statement(4)
    assert panel.bars.texts()[1] == ("Group A (Debate South)", "13 % agree, n=16")   # … nor drawn
    QWidget.show(panel)                    # shown: read, then the chosen statement drawn
    assert panel.bars.texts()[1] == ("Group A (Debate South)", "19 % agree, n=16")
    assert _table(panel)[4]["Group A (Debate South) %"] == "19"
    report, _groups, _reg = _report_figures(debates)
    assert report[4]["Group A (Debate South)"].text == "19%"


def test_the_panel_shows_what_a_person_reads(panel, debates, tmp_path):
    panel.show_statement(1)
    shot = panel.grab()
    assert shot.save(str(tmp_path / "votes.png"))
    image = shot.toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert len(colours) > 8, "the panel grabbed blank"


def test_on_the_sample_study_every_cell_is_the_reports_before_and_after_a_run(qtbot,
                                                                             sample_project):
    """Real votes: Pol.is's own groups until a run, then the run's; every statement, every
    group, as the report would print it."""
    from synth.votes.project_analysis import run_opinion_groups
    from ui.panels.votes import VotesPanel
    p = sample_project
    panel = VotesPanel(lambda: p)
    qtbot.addWidget(panel)
    QWidget.show(panel)
    for step in ("Pol.is groups", "a run"):
        if step == "a run":
            run_opinion_groups(p, seed=0)
        panel.refresh()
        report, groups, reg = _report_figures(p)
        table = _table(panel)
        assert set(table) == set(report) and len(report) > 20
        assert panel.model.headers[3:-2] == [f"{groups.labels[g]} %" for g in groups.group_ids]
        assert len(groups.group_ids) >= 2, step
        for sid, figures in report.items():
            assert table[sid]["% agree"] == _cell(figures["overall"], reg.small_n), (step, sid)
            for g in groups.group_ids:
                name = groups.labels[g]
                assert table[sid][f"{name} %"] == _cell(figures[name], reg.small_n), (step, sid)
        sizes = " · ".join(f"{groups.labels[g]}: {groups.size(g):,}" for g in groups.group_ids)
        assert panel.map.sizes_caption == (sizes if panel.runs else f"Pol.is's own groups: {sizes}")
        assert bool(panel.runs) == (step == "a run")
        if step == "Pol.is groups":  # drawn as Pol.is draws the debate (tests of the map:
            from synth.votes.vote_map import debate_map   # test_export_content_map)
            ids, xy = debate_map(p, p.scalar("SELECT DISTINCT source_id FROM statements"))
            voters = p.scalar("SELECT count(DISTINCT participant_id) FROM votes")
            assert panel.participants.tolist() == ids.tolist() and len(ids) == voters
            assert panel.map.groups.tolist() == [groups.members.get(m, -1) for m in ids.tolist()]
            assert abs(panel.map.points - xy).max() < 1e-9
            assert panel.map.points[:, 0].std() > 0.1       # a spread map, not a dot
        sid = next(iter(report))
        panel.show_statement(sid)
        assert panel.bars.texts()[1:] == [(groups.labels[g], _bar(report[sid][groups.labels[g]],
                                                                  reg.small_n))
                                          for g in groups.group_ids]


def test_a_debate_with_polis_groups_beside_one_with_a_run_gets_its_own_map(qtbot, debates):
    """North has a run (its stored projection), South only the groups Pol.is exported: both
    are drawn, one map each, and the caption says which groups are Pol.is's."""
    from synth.votes.vote_map import debate_map
    from tests.test_votes_groups_per_debate import _polis_south
    from ui.panels.votes import VotesPanel
    _polis_south(debates)
    panel = VotesPanel(lambda: debates)
    qtbot.addWidget(panel)
    QWidget.show(panel)
    panel.refresh()
    report, groups, reg = _report_figures(debates)
    assert panel.runs == [2]
    assert sorted(set(panel.map.maps.tolist())) == [0, 1]
    south = sorted(p for p, g in groups.members.items() if "South" in groups.labels[g])
    on_south = panel.map.maps == 1
    ids, xy = debate_map(debates, 2)                # South is source 2
    assert panel.participants[on_south].tolist() == ids.tolist()
    assert set(south) <= set(ids.tolist()) and len(south) == 40
    assert abs(panel.map.points[on_south] - xy).max() < 1e-9
    assert panel.map.sizes_caption.endswith(" · one map per debate (2)")
    assert "· Pol.is's own groups in Debate South ·" in panel.map.sizes_caption


def test_a_tallies_only_project_says_what_it_has_instead_of_inviting_a_run(qtbot, window,
                                                                           tmp_path):
    """QA 31b: vote totals alone (a tally table) cannot be grouped, yet the map said "No
    opinion groups yet: Analysis → Find opinion groups", and that run ended "done" with
    nothing."""
    from ui.panels.votes import NO_STATEMENTS, VotesPanel
    from ui.testing import bring_into_sight, make_project
    path = make_project(tmp_path / "tallies.synth", statements=7, notes=3, themes=0)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready)
    bring_into_sight(window, "Votes")
    panel = window.votes_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 7)
    assert panel.map.empty_text == (
        "Tallies only: the 7 statements came with vote totals, not each participant's votes, "
        "so there are no opinion groups to find. Agreement per statement is in the table "
        "below.")
    panel.map.grab().save(str(tmp_path / "map.png"))
    assert window.run_opinion_groups() is None and not window.runner.busy()
    assert window.notify.messages[-1] == (
        "info", "No opinion groups to find: they come from each participant's votes, and this "
        "project's 7 statements came with vote totals only.")

    from synth.project import Project
    notes_only = make_project(tmp_path / "notes.synth", statements=0, notes=3, themes=0)
    alone = VotesPanel(lambda: None)
    qtbot.addWidget(alone)
    with Project.open(notes_only) as p:
        alone.show(VotesPanel.read(p))
    assert alone.map.empty_text == NO_STATEMENTS


def test_a_debate_with_votes_still_invites_finding_its_groups(panel, debates):
    from ui.panels.votes import NO_GROUPS_YET
    assert panel.map.empty_text == NO_GROUPS_YET        # drawn only when there is no map
    assert len(panel.map.points)                        # this one has its groups' map


def test_statements_sort_as_a_reader_alphabetises(qtbot):
    """QA 11: the lower-case Pol.is statements all came after (or before) the capitalised."""
    import numpy as np
    from ui.panels.votes import StatementsModel
    model = StatementsModel()
    texts = ["police should listen", "Panels after school", "more youth workers",
             "Meet in schools"]
    values = np.zeros((4, 3))
    model.set_rows(["Statement", "Votes", "% agree"], [1, 2, 3, 4], texts, values,
                   np.zeros((4, 3), dtype=np.int64), np.zeros((4, 3), dtype=bool), 0)
    model.sort(0, Qt.AscendingOrder)
    shown = [model.data(model.index(r, 0)) for r in range(4)]
    assert shown == ["Meet in schools", "more youth workers", "Panels after school",
                     "police should listen"]
    model.sort(0, Qt.DescendingOrder)
    assert model.data(model.index(0, 0)) == "police should listen"


def test_the_threshold_chosen_at_export_reaches_the_votes_panel(qtbot, window, debates_file,  # noqa: F811
                                                                tmp_path, monkeypatch):
    """The export dialog's small-n threshold is a setting, not a change the panels follow: the
    board and Details took it at once, the Votes panel kept marking by the old one until it
    read again for another reason."""
    from types import SimpleNamespace

    from ui import exporting
    from ui.testing import bring_into_sight
    assert window.open_project(debates_file)
    qtbot.waitUntil(lambda: window.scene.ready)
    bring_into_sight(window, "Votes")
    votes = window.votes_panel
    qtbot.waitUntil(lambda: votes.model.rowCount() > 0 and not window.reader.busy())
    assert votes.small_n == 10
    monkeypatch.setattr(exporting, "run_export", lambda *a: [])
    window.export(SimpleNamespace(folder=str(tmp_path / "out"), warnings=[]),
                  small_n=("flag", 20))
    qtbot.waitUntil(lambda: votes.small_n == 20 and not window.reader.busy(), timeout=20000)
    assert votes.model.small_n == 20
    assert window.details_panel.small_n == 20
