"""The codebook's buttons show their whole text at the dock's width: in one row, "Import…" was
cut to "Im" at 1600 × 1000 and the panel scrolled sideways (QA); now they wrap into rows."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.testing import coding_panel, make_project, settle


@pytest.mark.parametrize("size", [(1600, 1000), (1366, 768)])
def test_every_button_is_whole_and_nothing_scrolls_sideways(window, qtbot, tmp_path, size):  # noqa: F811
    path = make_project(tmp_path / "c.synth", statements=12, notes=0, themes=3)
    assert window.open_project(path)
    window.resize(*size)
    settle(qtbot, window)
    panel = coding_panel(window, "CodebookPanel")
    dock = next(d for d in window.docks if d.windowTitle() == "Codebook")
    dock.raise_()
    qtbot.wait(50)
    QApplication.processEvents()
    scroll = dock.widget()
    assert isinstance(scroll, QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible()
    assert panel.width() <= scroll.viewport().width()
    texts = [b.text() for b in panel.buttons]
    assert texts == ["New", "Sub-code", "Merge", "Delete", "Import…", "Export…"]
    for b in panel.buttons:
        seen = b.visibleRegion().boundingRect()
        assert seen.width() >= b.sizeHint().width(), (b.text(), seen, b.sizeHint())
        assert b.width() >= b.fontMetrics().horizontalAdvance(b.text()), b.text()
    # wrapped, not overlapping: no two buttons share a pixel
    rects = [b.geometry() for b in panel.buttons]
    for i, r in enumerate(rects):
        assert not any(r.intersects(o) for o in rects[i + 1:])
    image = panel.grab().toImage()          # a real picture, not a blank one (STYLE.md)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 3, len(colours)


@pytest.mark.parametrize("size", [(1600, 1000), (1366, 768)])
def test_the_recommendations_panel_fits_its_dock_too(window, qtbot, tmp_path, size):  # noqa: F811
    """Its summaries' labels beside their fields and its four buttons in a row made it wider
    than the dock: it scrolled sideways, the strength's words cut at the right edge."""
    path = make_project(tmp_path / "c.synth", statements=12, notes=0, themes=2)
    assert window.open_project(path)
    window.resize(*size)
    settle(qtbot, window)
    panel = coding_panel(window, "RecommendationsPanel")
    dock = next(d for d in window.docks if d.windowTitle() == "Recommendations")
    dock.raise_()
    qtbot.wait(50)
    QApplication.processEvents()
    # one scroll area, the dock's: the panel's own inside it showed a second vertical bar
    # at 1366 × 768
    scroll = dock.widget()
    assert isinstance(scroll, QScrollArea) and scroll.widget() is panel
    assert panel.findChildren(QScrollArea) == []
    assert panel.width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()
    if size == (1366, 768):     # the panel is taller than its dock there: the dock's bar shows
        assert panel.minimumSizeHint().height() > scroll.viewport().height()
        assert scroll.verticalScrollBar().isVisible()
    assert [b.text() for b in panel.buttons] == ["Add", "Up", "Down", "Delete"]
    for b in panel.buttons:
        scroll.ensureWidgetVisible(b)
        QApplication.processEvents()
        seen = b.visibleRegion().boundingRect()
        assert seen.width() >= b.sizeHint().width(), (b.text(), seen, b.sizeHint())


@pytest.mark.parametrize("size", [(1600, 1000), (1366, 768)])
def test_the_codes_names_keep_room_beside_the_counts(window, qtbot, tmp_path, size):  # noqa: F811
    """With the buttons no longer widening the panel, the counts' one-line headers left the
    names none at 1366 × 768: they are on two lines, the names get a readable width."""
    path = make_project(tmp_path / "c.synth", statements=12, notes=0, themes=3)
    assert window.open_project(path)
    window.resize(*size)
    settle(qtbot, window)
    panel = coding_panel(window, "CodebookPanel")
    next(d for d in window.docks if d.windowTitle() == "Codebook").raise_()
    qtbot.wait(50)
    QApplication.processEvents()
    header = panel.tree.header()
    assert header.sectionSize(0) >= 6 * header.fontMetrics().averageCharWidth() + 40
    assert sum(header.sectionSize(c) for c in range(4)) <= panel.tree.viewport().width() + 1
