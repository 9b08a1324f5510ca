"""The window imports a file with the command line's checks (``synth.importers.import_path``): a
Pol.is comments.csv alone is refused with the reason and nothing written, and a characteristics
table joins the debate whose participants it fits best when the project has two (before, the
window's import skipped both: the comments' counts became tallies with re-votes and no passes,
and characteristics joined whichever debate came last)."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from conftest import POLIS  # noqa: E402
from tests.test_import_polis_characteristics import _table  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import file_rows  # noqa: E402

LONDON = POLIS / "london.youth.policing"
BG = POLIS / "bg2050-volunteers"


def _import(window, qtbot, path, **options):
    task = window.import_path(str(path), **options)
    qtbot.waitUntil(lambda: task not in window.runner.tasks, timeout=20000)
    return task


def test_comments_csv_alone_is_refused_in_the_window(window, tmp_path, qtbot):
    window.new_project(tmp_path / "study.synth")
    alone = tmp_path / "comments.csv"
    shutil.copy(BG / "comments.csv", alone)
    task = _import(window, qtbot, alone, kind="tallies")
    assert task.state != "done"
    assert "re-votes included, and it has no passes" in window.notify.label.text()
    assert file_rows(window.project.path, "SELECT count(*) FROM statements") == [(0,)]


def test_characteristics_join_the_debate_they_fit_in_the_window(window, tmp_path, qtbot):
    window.new_project(tmp_path / "study.synth")
    for debate in (LONDON, BG):
        assert _import(window, qtbot, debate, kind="polis").state == "done"
    assert _import(window, qtbot, _table(tmp_path), kind="characteristics").state == "done"
    path = window.project.path
    (london,) = file_rows(path, "SELECT id FROM sources WHERE path LIKE '%london.youth.policing'")
    assert file_rows(path, "SELECT DISTINCT p.source_id FROM participant_attributes a "
                           "JOIN participants p ON p.id = a.participant_id") == [london]
    # the line saying which debate is kept with the source, where the Sources panel reads it
    import json
    (details,) = file_rows(path, "SELECT details FROM sources WHERE kind = 'characteristics'")
    said = json.loads(details[0])["import"]["warnings"]
    assert said[-1].startswith("joined to the debate “What is the best way to engage")
    assert "26 of the table's 27 ids" in said[-1]
