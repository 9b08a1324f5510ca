"""The Import dialog with a characteristics table and a project of several debates: a Debate
chooser, best fit by default, whose choice the import follows (engineer L: two debates that fit
a table alike are refused until one is named)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from synth.importers import import_path  # noqa: E402
from tests.test_import_polis_characteristics import LONDON, _london_twice, _table  # noqa: E402
from tests.ui_fixtures import settings  # noqa: E402,F401


def _dialog(qtbot, settings, path, project=None, parent=None):
    from ui.import_dialog import ImportDialog
    dlg = ImportDialog(settings, parent, str(path), project=project)
    qtbot.addWidget(dlg)
    return dlg


def _ok(dlg):
    from PySide6.QtWidgets import QDialogButtonBox
    return dlg.buttons.button(QDialogButtonBox.Ok).isEnabled()


def _joined(project) -> set[int]:
    return {r[0] for r in project.query(
        "SELECT DISTINCT p.source_id FROM participant_attributes a JOIN participants p "
        "ON p.id = a.participant_id")}


def test_one_debate_offers_no_choice(qtbot, settings, project, tmp_path):  # noqa: F811
    import_path(project, LONDON)
    dlg = _dialog(qtbot, settings, _table(tmp_path), project)
    assert dlg.kind == "characteristics"
    assert not dlg.form.isRowVisible(dlg.debate_box)
    assert "debate" not in dlg.options() and _ok(dlg)


def test_two_debates_that_fit_alike_are_chosen_in_the_dialog(qtbot, settings, project,  # noqa: F811
                                                             tmp_path):
    _london_twice(project, tmp_path)
    london, london2 = (r[0] for r in project.query(
        "SELECT id FROM sources WHERE kind = 'debate' ORDER BY id"))
    dlg = _dialog(qtbot, settings, _table(tmp_path), project)
    assert dlg.kind == "characteristics"
    assert dlg.form.isRowVisible(dlg.debate_box)
    items = [dlg.debate_box.itemText(i) for i in range(dlg.debate_box.count())]
    assert items[0] == "Best fit: none, two debates fit alike (choose one)"
    assert items[1].endswith("(folder london.youth.policing)") and items[2] == "london2"
    # best fit would be refused: said, and Import waits for a choice
    assert "choose the one it describes under Debate" in dlg.problem_label.text()
    assert not _ok(dlg) and "debate" not in dlg.options()
    dlg.debate_box.setCurrentIndex(dlg.debate_box.findData(str(london2)))
    assert _ok(dlg) and dlg.problem_label.text() == ""
    opts = dlg.options()
    assert opts["debate"] == str(london2)
    import_path(project, dlg.path, **opts)
    assert _joined(project) == {london2} != {london}
    assert project.scalar(
        "SELECT count(DISTINCT a.participant_id) FROM participant_attributes a JOIN "
        "participants p ON p.id = a.participant_id WHERE p.source_id = ? AND EXISTS (SELECT 1 "
        "FROM votes v WHERE v.participant_id = p.id)", (london2,)) == 26


def test_best_fit_names_the_debate_it_joins_and_imports_without_the_option(
        qtbot, settings, project, tmp_path):  # noqa: F811
    from tests.test_import_polis_characteristics import BG
    import_path(project, LONDON)
    import_path(project, BG)
    london = project.scalar("SELECT id FROM sources WHERE path LIKE '%london.youth.policing'")
    dlg = _dialog(qtbot, settings, _table(tmp_path), project)
    assert dlg.form.isRowVisible(dlg.debate_box) and dlg.debate_box.count() == 3
    # london holds 26 of the table's 27 ids among its 27 participants, bg2050 all 27 among
    # 126: london fits best (shared ids over the ids of either), as the import chooses
    best = dlg.debate_box.itemText(0)
    assert best.startswith("Best fit: What is the best way") and best.endswith(
        "(folder london.youth.policing)")
    assert _ok(dlg) and "debate" not in dlg.options()
    import_path(project, dlg.path, **dlg.options())
    assert _joined(project) == {london}


def test_the_window_as_parent_gives_its_project(qtbot, settings, project, tmp_path):  # noqa: F811
    from PySide6.QtWidgets import QWidget
    _london_twice(project, tmp_path)
    window = QWidget()
    window.project = project        # as MainWindow holds it
    qtbot.addWidget(window)
    dlg = _dialog(qtbot, settings, _table(tmp_path), parent=window)
    assert dlg.form.isRowVisible(dlg.debate_box) and dlg.debate_box.count() == 3
