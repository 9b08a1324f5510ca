"""Recomputed or Pol.is's own opinion groups: the researcher is told how far the recomputed
groups are from the ones Pol.is exported (the Pol.is report participants saw), and can choose
Pol.is's, from the command line and from the window."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT.parent / "shared" / "data" / "polis" / "london.youth.policing"
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
        line = run_opinion_groups(project)                  # the default: recomputed
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
