"""New project over the file the window has open: the window lets go of it first, then the
file is replaced (it used to be deleted under the open project)."""
from __future__ import annotations

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


def test_a_new_project_over_the_open_one_replaces_it(window, tmp_path):
    from ui.testing import make_project
    path = make_project(tmp_path / "study.synth", statements=6, notes=0, themes=1)
    assert window.open_project(path)
    assert window.project.scalar("SELECT count(*) FROM statements") == 6
    assert window.new_project(path)
    assert window.project is not None and not window.project.read_only
    assert window.project.path == path
    assert window.project.scalar("SELECT count(*) FROM statements") == 0
    assert window.project.scalar("SELECT count(*) FROM themes") == 0
