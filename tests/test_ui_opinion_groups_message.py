"""Analysis → Find opinion groups says what it found (QA: it ended "Finding opinion groups:
done." while the command line said "3 groups (recompute; 12/9/4) …")."""
from __future__ import annotations

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


def test_finding_opinion_groups_ends_with_the_groups_found(qtbot, window, tmp_path):
    from tests import debates_study
    path = tmp_path / "north.synth"
    debates_study.build(path, debates=1).close()
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready)
    task = window.run_opinion_groups(groups="recompute")
    assert task.name == "Finding opinion groups" and task in window.runner.tasks
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    assert task.state == "done", window.notify.messages
    level, message = window.notify.messages[-1]
    runs = window.project.query("SELECT id FROM analysis_runs WHERE kind = 'opinion_groups' "
                                "ORDER BY id DESC LIMIT 1")
    sizes = "/".join(str(n) for (n,) in window.project.query(
        "SELECT count(*) FROM group_members WHERE run_id = ? GROUP BY group_id ORDER BY "
        "group_id", (runs[0][0],)))
    assert level == "info" and message.startswith("Opinion groups found: ")
    assert f"(recompute; {sizes}), run {runs[0][0]}" in message
