"""The Codebook panel's Export… writes the codes the panel shows, candidate themes too, and says
what it wrote (QA: on the sample study the panel listed 25 codes and Export said "the codebook
is empty"; with 3 themes accepted it wrote 3 without a word)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QPushButton  # noqa: E402

from synth.board import CreateTheme  # noqa: E402

from coding.codebook import read_qdc  # noqa: E402
from ui.coding import CodebookPanel  # noqa: E402


def _names(codes) -> list[str]:
    out = []
    for c in codes:
        out.append(c.name)
        out.extend(_names(c.children))
    return out


def _panel(qtbot, project):
    panel = CodebookPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.resize(600, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _click_export(qtbot, panel, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    button = next(b for b in panel.findChildren(QPushButton) if b.text() == "Export…")
    qtbot.mouseClick(button, Qt.LeftButton)


def test_export_writes_every_code_the_panel_shows(qtbot, project, tmp_path, monkeypatch):
    kept = project.history.apply(CreateTheme("Commute"))
    project.history.apply(CreateTheme("Season tickets", parent_id=kept))
    for name in ("Kit", "Childcare"):
        project.history.apply(CreateTheme(name, status="candidate"))
    panel = _panel(qtbot, project)
    shown = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert shown == ["Commute", "Kit", "Childcare"]

    out = tmp_path / "codebook.qdc"
    _click_export(qtbot, panel, monkeypatch, out)
    assert _names(read_qdc(out)) == ["Commute", "Season tickets", "Kit", "Childcare"]
    said = panel.message.text()
    assert said == ("Wrote 4 codes (1 of them sub-codes) to codebook.qdc; 2 are candidate "
                    "themes not yet accepted (grey in the panel).")
    assert panel.message.styleSheet() == panel.message.NEWS     # news, not a red problem
    panel.grab().save(str(tmp_path / "panel.png"))


def test_a_study_of_candidates_only_is_not_called_empty(qtbot, project, tmp_path, monkeypatch):
    for name in ("Pay", "Office"):
        project.history.apply(CreateTheme(name, status="candidate"))
    panel = _panel(qtbot, project)
    out = tmp_path / "codebook.qdc"
    _click_export(qtbot, panel, monkeypatch, out)
    assert _names(read_qdc(out)) == ["Pay", "Office"]
    assert "empty" not in panel.message.text()
    assert panel.message.text().startswith("Wrote 2 codes to codebook.qdc; 2 are candidate")


def test_nothing_to_export_and_a_folder_that_refuses_are_said(qtbot, project, tmp_path,
                                                              monkeypatch):
    panel = _panel(qtbot, project)
    _click_export(qtbot, panel, monkeypatch, tmp_path / "none.qdc")
    assert not (tmp_path / "none.qdc").exists()
    assert "empty" in panel.message.text()
    assert panel.message.styleSheet() == panel.message.PROBLEM
    project.history.apply(CreateTheme("Pay"))
    _click_export(qtbot, panel, monkeypatch, tmp_path / "no such folder" / "c.qdc")
    assert panel.message.text().startswith("The codebook was not written")
