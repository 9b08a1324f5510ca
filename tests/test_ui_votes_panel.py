"""The votes panel prints the report's figures: for every statement and opinion group, the
percentage in its table, the words beside its bars ("13 % agree, n=24") and the group names are
those of ``exports`` (``content`` and ``FigureRegistry``, and a report written from the same
project), in a debate of two sources, each with its own opinion-group runs, whose figures land
on x.5 % (half up: 12.5 % prints as 13, never 12)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui_fixtures import no_thread_left  # noqa: F401

NORTH = list(range(1, 41))            # source 1: participants 1..40
SOUTH = list(range(101, 141))         # source 2: participants 101..140


def _votes(pids: list[int], agree: int, disagree: int) -> list[tuple[int, int]]:
    return [(pid, 1 if i < agree else -1 if i < agree + disagree else 0)
            for i, pid in enumerate(pids)]


def _two_debates(path):
    """Two debate sources, each analysed into two opinion groups (run 2 and run 3); run 1, an
    older run of the first debate, is no longer the one in use."""
    from synth.project import Project
    p = Project.create(path)
    with p.transaction() as db:
        for sid, name in ((1, "Debate North"), (2, "Debate South")):
            db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                       "(?, 'debate', ?, '2025-01-01T00:00:00+00:00')", (sid, name))
        db.executemany("INSERT INTO participants(id, source_id, external_id) VALUES (?, ?, ?)",
                       [(i, 1, f"n{i}") for i in NORTH] + [(i, 2, f"s{i}") for i in SOUTH])
        rows = [(1, 1, "Hybrid working improved my work-life balance."),
                (2, 1, "Office attendance rules are applied fairly."),
                (3, 1, "Nobody voted on this one yet."),
                (4, 2, "Managers need training to lead hybrid teams."),
                (5, 2, "Counted elsewhere: tallies only."),
                (6, 2, "Moderated out: never shown.")]
        db.executemany("INSERT INTO statements(id, source_id, external_id, text) "
                       "VALUES (?, ?, ?, ?)", [(s, src, str(s), t) for s, src, t in rows])
        db.execute("UPDATE statements SET agree_tally = 45, disagree_tally = 30, pass_tally = 5 "
                   "WHERE id = 5")
        db.execute("UPDATE statements SET moderation = -1 WHERE id = 6")
        north_a, north_b = NORTH[:24], NORTH[24:]         # 24 and 16 people
        south_a, south_b = SOUTH[:16], SOUTH[16:]         # 16 and 24 people
        votes = {
            # 3/24 = 12.5 % and 10/16 = 62.5 % in the groups, 13/40 = 32.5 % overall
            1: _votes(north_a, 3, 15) + _votes(north_b, 10, 4),
            # Group B: only 8 voted, 1/8 = 12.5 % (small n)
            2: _votes(north_a, 15, 9) + _votes(north_b[:8], 1, 6),
            # 2/16 = 12.5 %, 15/24 = 62.5 %, 17/40 = 42.5 %
            4: _votes(south_a, 2, 10) + _votes(south_b, 15, 5),
            6: _votes(SOUTH, 20, 20),
        }
        db.executemany("INSERT INTO votes(statement_id, participant_id, value) VALUES (?, ?, ?)",
                       [(s, pid, v) for s, vs in votes.items() for pid, v in vs])
        runs = [(1, 1, "2025-01-02T00:00:00+00:00", {pid: pid % 2 for pid in NORTH}),
                (2, 1, "2025-01-03T00:00:00+00:00",
                 {**{pid: 0 for pid in north_a}, **{pid: 1 for pid in north_b}}),
                (3, 2, "2025-01-04T00:00:00+00:00",
                 {**{pid: 0 for pid in south_a}, **{pid: 1 for pid in south_b}})]
        for run, source, created, members in runs:
            db.execute("INSERT INTO analysis_runs(id, kind, created, params) VALUES "
                       "(?, 'opinion_groups', ?, ?)", (run, created,
                                                      json.dumps({"source_id": source})))
            db.executemany("INSERT INTO group_members(run_id, participant_id, group_id) "
                           "VALUES (?, ?, ?)", [(run, pid, g) for pid, g in members.items()])
    rng = np.random.default_rng(5)
    for run, pids in ((2, NORTH), (3, SOUTH)):
        p.put_array(run, "participant_ids", np.array(pids, dtype=np.int64))
        groups = np.array([0 if i < (24 if run == 2 else 16) else 1 for i in range(40)])
        p.put_array(run, "projection", rng.normal(size=(40, 2)) + 3.0 * groups[:, None])
    return p


@pytest.fixture
def debates(tmp_path):
    p = _two_debates(tmp_path / "debates.synth")
    yield p
    p.close()


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
    return f"{f.value}" + (f" (n<{small_n})" if f.small_n else "")


def _bar(f, small_n: int) -> str:
    if f is None or not f.denominator:
        return "no votes"
    return f"{f.value} % agree, n={f.denominator}" + (" (small n)" if f.small_n else "")


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
    assert table[2]["Group B (Debate North) %"] == "13 (n<10)" and report[2]["Group B (Debate North)"].small_n
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
    assert panel.bars.texts()[2] == ("Group B (Debate North)", "13 % agree, n=8 (small n)")


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
    assert table[1]["Group B (Debate North) %"] == "63 (n<20)"       # 16 voted
    assert table[1]["Group A (Debate North) %"] == "13"              # 24 voted
    panel.show_statement(1)
    assert panel.bars.texts()[2] == ("Group B (Debate North)", "63 % agree, n=16 (small n)")


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
        sid = next(iter(report))
        panel.show_statement(sid)
        assert panel.bars.texts()[1:] == [(groups.labels[g], _bar(report[sid][groups.labels[g]],
                                                                  reg.small_n))
                                          for g in groups.group_ids]
