"""Analysis → Near-duplicate statements… on the sample study, whose debate has duplicates written
on purpose: the dialog lists them with their figures, and Show on board selects the pair."""
from __future__ import annotations

import shutil

import pytest

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


@pytest.fixture(scope="module")
def embedded_sample(sample_project_file, tmp_path_factory):
    """The sample study with its statements embedded (its notes and passages not)."""
    from synth.project import Project
    from synth.themes.duplicates import near_duplicates
    path = tmp_path_factory.mktemp("dups") / "sample.synth"
    shutil.copyfile(sample_project_file, path)
    with Project.open(path) as p:
        near_duplicates(p)
    return path


@pytest.fixture
def dialog(window, embedded_sample, tmp_path, qtbot):
    path = shutil.copyfile(embedded_sample, tmp_path / "sample.synth")
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=30000)
    window.act_duplicates.trigger()
    dlg = window.duplicates_dlg
    qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"), timeout=30000)
    return dlg


def _row_of(dlg, words):
    for row in range(dlg.table.rowCount()):
        if words in dlg.table.item(row, 1).text() + dlg.table.item(row, 2).text():
            return row
    return None


def test_the_dialog_lists_the_duplicates_with_their_figures(window, dialog, qtbot):
    from PySide6.QtCore import Qt

    from synth.themes.duplicates import near_duplicates
    from synth.votes.statement_figures import statement_tallies
    dlg, project = dialog, window.project
    expected = near_duplicates(project, cached_only=True)
    assert dlg.table.rowCount() == len(expected) > 10
    assert dlg.status.text().startswith(f"{len(expected)} pairs, most similar first")
    row = _row_of(dlg, "Slow IT is wasting hours of my week.")
    assert row is not None and row < 10
    pair = dlg.pairs[row]
    figures = statement_tallies(project, [pair.a[1], pair.b[1]])
    for col, ref in ((1, pair.a), (2, pair.b)):
        t = figures[ref[1]].overall
        ext = project.scalar("SELECT external_id FROM statements WHERE id = ?", (ref[1],))
        assert f"(S{ref[1]} · comment {ext}: {t.whole_pct()} % agree, n={t.n}" in \
            dlg.table.item(row, col).text()
    assert dlg.table.item(row, 0).text() == f"{pair.similarity:.2f}"
    assert dlg.table.item(row, 4).text() == f"{pair.alike.pct} % of {pair.alike.both}"
    # Show on board: the pair's two cards, and nothing else, are selected
    assert not dlg.show_button.isEnabled()
    dlg.table.selectRow(row)
    assert dlg.show_button.isEnabled()
    qtbot.mouseClick(dlg.show_button, Qt.LeftButton)
    assert set(window.scene.selected_refs()) == {pair.a, pair.b}
    # a higher bar lists fewer pairs; none at 0.99
    dlg.threshold_spin.setValue(0.75)
    qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"))
    assert dlg.table.rowCount() == len([p for p in expected if p.similarity >= 0.75]) > 0
    dlg.threshold_spin.setValue(0.99)
    qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"))
    assert dlg.table.rowCount() == 0 and dlg.status.text() == "No pair is this similar."
    import os
    if os.environ.get("SYNTH_SHOT"):
        dlg.threshold_spin.setValue(0.7)
        qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"))
        dlg.table.selectRow(row)
        dlg.grab().save(os.environ["SYNTH_SHOT"])


def test_cards_not_yet_embedded_ask_for_candidate_themes_first(window, dialog, qtbot):
    dlg = dialog
    before = window.project.scalar("SELECT count(*) FROM embeddings")
    dlg.kind_combo.setCurrentIndex(1)           # all cards: the notes have no vectors yet
    qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"))
    assert "Find candidate themes first" in dlg.status.text()
    assert dlg.table.rowCount() == 0 and not dlg.show_button.isEnabled()
    assert window.project.scalar("SELECT count(*) FROM embeddings") == before  # nothing embedded


def test_the_dialog_closes_with_its_project(window, dialog):
    assert dialog.isVisible()
    window.close_project()
    assert not dialog.isVisible() and window.duplicates_dlg is None


def test_enter_shows_the_pair_and_a_second_opening_raises_the_same_dialog(window, dialog,
                                                                         qtbot):
    from PySide6.QtCore import Qt
    dlg = dialog
    dlg.table.setFocus()
    dlg.table.selectRow(0)
    qtbot.keyClick(dlg.table, Qt.Key_Return)
    pair = dlg.pairs[0]
    assert dlg.isVisible() and set(window.scene.selected_refs()) == {pair.a, pair.b}
    window.act_duplicates.trigger()
    assert window.duplicates_dlg is dlg and dlg.isVisible()


def test_the_dialog_compares_again_once_the_cards_are_embedded(window, dialog, qtbot):
    from synth.themes.duplicates import near_duplicates
    dlg = dialog
    dlg.kind_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not dlg.status.text().startswith("Comparing"))
    assert "Find candidate themes first" in dlg.status.text()
    near_duplicates(window.project, kinds=("statement", "note", "passage"))   # embeds them
    window.reload_board()           # as after Find candidate themes
    qtbot.waitUntil(lambda: dlg.table.rowCount() > 0, timeout=30000)
    kinds = {r[0] for p in dlg.pairs for r in (p.a, p.b)}
    assert kinds - {"statement"}, kinds         # notes and passages are compared too


def test_a_failed_comparison_says_so_instead_of_waiting(window, dialog, qtbot, monkeypatch):
    import synth.themes.duplicates as duplicates

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")
    monkeypatch.setattr(duplicates, "near_duplicates", broken)
    dialog.refresh()
    assert dialog.status.text() == "Could not compare the texts: the disk went away"
    assert dialog.table.rowCount() == 0 and not dialog.reads.waiting("pairs")
    assert "the disk went away" in window.notify.messages[-1][1]


def test_over_many_cards_the_comparison_runs_on_the_reader(window, embedded_sample, tmp_path,
                                                           qtbot, monkeypatch):
    import ui.duplicates_dialog as dd
    from synth.themes.duplicates import near_duplicates
    import synth.themes.duplicates as duplicates
    monkeypatch.setattr(dd, "ON_WORKER", 0)      # every board is "many cards"
    monkeypatch.setattr(duplicates, "BLOCK", 100)
    seen = []                                   # the label after each step the worker reports
    shown = dd.DuplicatesDialog._on_progressed

    def spied(self, *args):
        shown(self, *args)
        seen.append(self.status.text())
    monkeypatch.setattr(dd.DuplicatesDialog, "_on_progressed", spied)
    path = shutil.copyfile(embedded_sample, tmp_path / "sample.synth")
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=30000)
    window.act_duplicates.trigger()
    dlg = window.duplicates_dlg
    assert dlg.status.text() == "Comparing…" and dlg.reads.waiting("pairs")   # not here
    qtbot.waitUntil(lambda: not dlg.reads.waiting("pairs"), timeout=30000)
    assert dlg.pairs == near_duplicates(window.project, cached_only=True)
    statements = len(window.project.query(
        "SELECT id FROM statements WHERE moderation >= 0 AND is_meta = 0 AND text != ''"))
    assert seen == [f"Comparing… {100 * done // statements} % of {statements} texts"
                    for done in range(0, statements, 100)]
    # closed while comparing: the comparison stops (one text a block, so it has hundreds to
    # go), its answer is dropped, nothing is reported, no thread is left
    import synth.themes.duplicates as duplicates
    compare, ended = duplicates.near_duplicates, []

    def spied(*args, **kwargs):
        try:
            result = compare(*args, **kwargs)
        except duplicates.DuplicatesCancelled:
            ended.append("cancelled")
            raise
        ended.append("finished")
        return result
    monkeypatch.setattr(duplicates, "near_duplicates", spied)
    monkeypatch.setattr(duplicates, "BLOCK", 1)
    shown = len(window.notify.messages)
    dlg.refresh()
    dlg.close()
    qtbot.waitUntil(lambda: bool(ended), timeout=30000)
    assert ended == ["cancelled"] and len(window.notify.messages) == shown
    assert not window.reader.busy()          # the panels' reader never waited behind it


def test_a_worker_that_cannot_open_the_project_is_an_answer_too(window, dialog, qtbot,
                                                                monkeypatch):
    """The reader's own failure (its connection), not the read's: the dialog stops waiting."""
    import contextlib

    import ui.panels.reading as reading

    @contextlib.contextmanager
    def no_connection(project):
        raise OSError("database is locked")
        yield
    monkeypatch.setattr(reading, "task_connection", no_connection)
    monkeypatch.setattr(window.duplicates_dlg.background, "big", lambda: True)
    dialog.refresh()
    qtbot.waitUntil(lambda: not dialog.reads.waiting("pairs"), timeout=30000)
    assert dialog.status.text() == "Could not compare the texts: database is locked"
    assert "database is locked" in window.notify.messages[-1][1]
