"""Recomputed or Pol.is's own opinion groups. By default a debate whose export gives a Pol.is
group to everyone who voted enough uses those (the groups seen on pol.is), and says how a
recomputation compares; asked to recompute, the researcher is told how far the recomputed
groups are from the ones Pol.is exported. Both from the command line and from the window."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT.parent / "shared" / "data" / "polis" / "london.youth.policing"
BOWLING_GREEN = LONDON.parent / "american-assembly.bowling-green"
pytestmark = pytest.mark.skipif(not LONDON.exists(), reason="shared Pol.is data not present")


def _exported_and_recomputed(project, run_id):
    rows = project.query("SELECT p.polis_group, m.group_id FROM participants p JOIN "
                         "group_members m ON m.participant_id = p.id AND m.run_id = ? "
                         "WHERE p.polis_group IS NOT NULL", (run_id,))
    return [r[0] for r in rows], [r[1] for r in rows]


def test_recomputed_groups_say_how_far_they_are_from_the_export(tmp_path):
    from sklearn.metrics import adjusted_rand_score

    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import latest_run, run_opinion_groups
    with Project.create(tmp_path / "p.synth") as project:
        import_polis(project, LONDON)
        line = run_opinion_groups(project, groups="recompute")
        run_id, params, result = latest_run(project)
        theirs, ours = _exported_and_recomputed(project, run_id)
        cmp = result["polis_export"]
        assert params["groups"] == "recompute"
        assert cmp["groups"] == len(set(theirs)) == 3
        assert sorted(cmp["sizes"]) == sorted(theirs.count(g) for g in set(theirs))
        assert cmp["participants_compared"] == len(ours) == 24
        assert cmp["adjusted_rand"] == pytest.approx(adjusted_rand_score(theirs, ours), abs=5e-4)
        assert cmp["adjusted_rand"] < 0.5                  # they really differ here
        assert "Pol.is's own export has 3 groups" in line and "--groups polis" in line


def test_the_projects_choice_of_polis_groups_skips_a_debate_without_them(tmp_path):
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import SETTING, latest_run, run_opinion_groups
    with Project.create(tmp_path / "p.synth") as project:
        import_polis(project, LONDON)
        project.db.execute("UPDATE participants SET polis_group = NULL")   # no group-id
        project.set_setting(SETTING, "polis")
        line = run_opinion_groups(project)
        assert "its export has no Pol.is groups, so they were recomputed" in line
        assert latest_run(project)[1]["groups"] == "recompute"
        assert "polis_export" not in latest_run(project)[2]


def test_run_groups_polis_keeps_the_choice(tmp_path):
    from synth.project import Project
    from synth.votes.project_analysis import SETTING, latest_run
    path = tmp_path / "p.synth"
    out = subprocess.run([sys.executable, "main.py", "run", str(LONDON), "--project", str(path),
                          "--new", "--no-themes", "--groups", "polis"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "3 groups (polis; " in out.stdout
    with Project.open(path) as project:
        assert project.setting(SETTING) == "polis"
        run_id, params, result = latest_run(project)
        theirs, ours = _exported_and_recomputed(project, run_id)
        assert params["groups"] == "polis" and theirs == ours and len(ours) == 24


def test_window_uses_polis_groups_when_ticked(qtbot, window, tmp_path):  # noqa: F811
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import SETTING, latest_run
    path = tmp_path / "p.synth"
    with Project.create(path) as project:
        import_polis(project, LONDON)
    assert window.open_project(path)
    assert not window.act_polis_groups.isChecked() and window.act_polis_groups.isEnabled()
    window.act_polis_groups.trigger()
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    assert window.act_polis_groups.isChecked()
    assert window.project.setting(SETTING) == "polis"
    run_id, params, _ = latest_run(window.project)
    theirs, ours = _exported_and_recomputed(window.project, run_id)
    assert params["groups"] == "polis" and theirs == ours
    window.act_polis_groups.trigger()                      # unticked: recomputed again
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    assert not window.act_polis_groups.isChecked()
    assert latest_run(window.project)[1]["groups"] == "recompute"


def test_nothing_compared_is_not_called_the_same_groups():
    import numpy as np

    from synth.votes.project_analysis import compare_with_export, export_difference
    # one participant placed by both: the index would be 1.0, "the same groups"
    cmp = compare_with_export(np.array([1, 2, 3]), np.array([0, -1, -1]), {1: 0, 2: None})
    assert cmp == {"groups": 1, "sizes": [1], "adjusted_rand": None,
                   "participants_compared": 1}
    assert export_difference(cmp, 1) == ("Pol.is's own export has 1 group (1); too few "
                                         "participants are in a group in both to compare them")


def test_the_choice_is_kept_only_when_its_run_happens(qtbot, window, tmp_path):  # noqa: F811
    """Review: the choice was stored before the run, which the window may refuse (the board
    still opening): ticked, stored, and the groups shown still the recomputed ones."""
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import SETTING, latest_run
    path = tmp_path / "p.synth"
    with Project.create(path) as project:
        import_polis(project, LONDON)
    assert window.open_project(path)
    window.scene.ready = False                     # a big board still filling
    window.act_polis_groups.trigger()
    window.scene.ready = True
    assert "still opening" in window.notify.label.text()
    assert window.project.setting(SETTING, "recompute") == "recompute"
    assert not window.act_polis_groups.isChecked() and latest_run(window.project) is None


def test_bowling_green_shows_polis_two_groups_by_default(tmp_path):
    """QA: 2,031 participants, Pol.is's export has 2 groups (753 and 828) and the published
    report says "two opinion groups"; recomputed from the final votes the groups come out 3
    (the previous default showed 4, at an index of 0.25). Unless told otherwise, the project
    now shows Pol.is's two, says so, and says how a recomputation compares."""
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import SETTING, groups_choice, latest_run, \
        run_opinion_groups
    with Project.create(tmp_path / "p.synth") as project:
        import_polis(project, BOWLING_GREEN)
        assert project.setting(SETTING) is None and groups_choice(project) == "auto"
        line = run_opinion_groups(project)
        run_id, params, result = latest_run(project)
        assert (params["groups"], params["asked"]) == ("polis", "auto")
        assert result["groups_from"] == "polis" and result["k"] == 2
        assert [g["size"] for g in result["groups"]] == [753, 828]      # Pol.is ids 0, 1
        theirs, ours = _exported_and_recomputed(project, run_id)
        assert theirs == ours and len(ours) == 1581
        rec = result["recomputed"]
        assert rec["k"] == 3 and rec["participants_compared"] == 1581
        assert 0.15 <= rec["adjusted_rand"] <= 0.3                    # 0.218
        assert "polis_export" not in result
        assert line.startswith("2 groups (polis; 753/828), run ")
        assert "Pol.is's own groups, as exported (the groups seen on pol.is); recomputed " \
               "from the final votes with Pol.is's method they would be 3 groups, an " \
               "adjusted Rand index of 0.22" in line
        # the map is drawn for Pol.is's groups too: everyone's place, no recomputed centres
        assert project.get_array(run_id, "projection").shape == (2031, 2)
        assert project.get_array(run_id, "group_centers") is None
        # asked for a number of groups: recomputed, and compared with Pol.is's
        line = run_opinion_groups(project, k=2)
        run_id, params, result = latest_run(project)
        assert params["groups"] == "recompute" and result["k"] == 2
        assert [g["size"] for g in result["groups"]] == [993, 588]
        assert 0.4 <= result["polis_export"]["adjusted_rand"] <= 0.6   # 0.485
        # the choice to recompute is kept
        project.set_setting(SETTING, "recompute")
        run_opinion_groups(project)
        assert latest_run(project)[2]["k"] == 3


def test_an_export_older_than_some_votes_is_recomputed_by_default(tmp_path):
    """A participant who voted enough to be grouped but has no group-id: the export predates
    their votes, Pol.is's groups are incomplete; the default recomputes and says why, while
    the researcher's explicit choice of Pol.is's groups keeps them and says who is left out."""
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import latest_run, run_opinion_groups
    with Project.create(tmp_path / "p.synth") as project:
        import_polis(project, LONDON)
        voter = project.scalar(
            "SELECT p.id FROM participants p JOIN votes v ON v.participant_id = p.id "
            "WHERE p.polis_group IS NOT NULL GROUP BY p.id HAVING count(*) >= 7 "
            "ORDER BY p.id LIMIT 1")
        project.db.execute("UPDATE participants SET polis_group = NULL WHERE id = ?", (voter,))
        line = run_opinion_groups(project)
        assert latest_run(project)[1]["groups"] == "recompute"
        assert "recomputed, since 1 participant who voted enough to be grouped had no group " \
               "in Pol.is's export" in line
        run_opinion_groups(project, groups="polis")
        run_id, params, result = latest_run(project)
        assert params["groups"] == "polis" and result["k"] == 3
        assert sum(g["size"] for g in result["groups"]) == 23
        assert any("1 participant who voted enough to be grouped had no group in Pol.is's "
                   "export" in w for w in result["warnings"])


def test_polis_command_uses_polis_groups_unless_told(tmp_path):
    out = tmp_path / "bg.json"

    def polis(*extra):
        return subprocess.run([sys.executable, "main.py", "polis", str(BOWLING_GREEN), "--json",
                               str(out), *extra], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
    done = polis()
    assert done.returncode == 0, done.stderr
    r = __import__("json").loads(out.read_text())
    assert r["groups_from"] == "polis" and [g["size"] for g in r["groups"]] == [753, 828]
    assert "2 groups (polis; sizes 753, 828)" in done.stdout
    assert "note: the groups are Pol.is's own (group-id), as seen on pol.is" in done.stdout
    done = polis("--groups", "recompute")
    r = __import__("json").loads(out.read_text())
    assert done.returncode == 0 and r["groups_from"] == "recomputed" and r["k"] == 3
    done = polis("--k", "2")
    r = __import__("json").loads(out.read_text())
    assert r["groups_from"] == "recomputed" and [g["size"] for g in r["groups"]] == [993, 588]


def test_window_ticks_polis_groups_when_the_default_used_them(qtbot, window, tmp_path):  # noqa: F811
    """Left to choose (the default), a run on an export that groups everyone uses Pol.is's own
    groups: the window's tick says so, though nobody ticked it; unticked, they are recomputed."""
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import SETTING, groups_choice, latest_run
    path = tmp_path / "p.synth"
    with Project.create(path) as project:
        import_polis(project, LONDON)
    assert window.open_project(path)
    assert not window.act_polis_groups.isChecked()          # no groups yet
    window.run_opinion_groups()
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    assert groups_choice(window.project) == "auto" and window.project.setting(SETTING) is None
    assert latest_run(window.project)[1]["groups"] == "polis"
    assert window.act_polis_groups.isChecked()
    window.act_polis_groups.trigger()                      # unticked: recomputed
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    assert window.project.setting(SETTING) == "recompute"
    assert latest_run(window.project)[1]["groups"] == "recompute"
    assert not window.act_polis_groups.isChecked()


def test_the_tick_reads_no_run_result(qtbot, window, tmp_path, monkeypatch):  # noqa: F811
    """The tick is set on every refresh of the window: it reads the latest run's parameters,
    never its result (megabytes on a big debate: it froze the window 2.6 s around a drop)."""
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes import project_analysis
    path = tmp_path / "p.synth"
    with Project.create(path) as project:
        import_polis(project, LONDON)
    assert window.open_project(path)
    window.run_opinion_groups()
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)

    def no(*_a, **_k):
        raise AssertionError("a run's result read to set the tick")
    monkeypatch.setattr(project_analysis, "latest_run", no)
    window.act_polis_groups.setChecked(False)
    window.refresh_panels()
    assert window.act_polis_groups.isChecked()
