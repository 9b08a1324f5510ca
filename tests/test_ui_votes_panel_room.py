"""The Votes dock in the window at 1600 × 1000 and 1366 × 768: the chosen statement's words are
never drawn over the map's caption (QA: "Coloured by their vote…" ran through the statement
text, the map keeping its height while the dock had none to give), the table keeps three rows
(it had shrunk to one), and at 1600 × 1000 the statement's words and every bar are in sight."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.testing import settle


def _in(panel, widget, rect: QRect | None = None) -> QRect:
    """``rect`` of ``widget`` (its visible part by default) in the panel's coordinates."""
    r = widget.visibleRegion().boundingRect() if rect is None else rect
    return r.translated(widget.mapTo(panel, r.topLeft()) - r.topLeft())


@pytest.mark.parametrize("size", [(1600, 1000), (1366, 768)])
def test_the_statement_is_clear_of_the_caption_and_the_table_keeps_three_rows(
        window, qtbot, sample_project_file, tmp_path, size):  # noqa: F811
    path = tmp_path / "s.synth"
    shutil.copy(sample_project_file, path)
    assert window.open_project(str(path))
    window.resize(*size)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=20000)
    window.votes_dock.show()
    window.votes_dock.raise_()
    panel = window.votes_panel
    qtbot.waitUntil(lambda: len(panel.model.ids) > 0 and not panel.waiting(), timeout=20000)
    longest = max(range(len(panel.model.texts)), key=lambda i: len(panel.model.texts[i]))
    sid = int(panel.model.ids[longest])
    panel.show_statement(sid)
    qtbot.waitUntil(lambda: panel._drawn == sid, timeout=20000)
    qtbot.wait(50)
    QApplication.processEvents()

    assert panel.title.text() == panel.model.texts[longest]
    assert panel.map.caption == "Coloured by their vote: agree green, disagree red, pass grey"
    assert len(panel.participants) > 0                  # the map has points and a caption
    caption = panel.map.caption_rect().toAlignedRect()
    assert panel.map.rect().contains(caption)
    title = _in(panel, panel.title)
    assert title.height() > 0
    assert not _in(panel, panel.map, caption).intersects(title), (caption, title)
    # the three panes lie one under the other, none over another
    panes = [_in(panel, w, w.rect()) for w in (panel.map, panel.statement_scroll, panel.table)]
    for i, a in enumerate(panes):
        assert not any(a.intersects(b) for b in panes[i + 1:]), panes
    # three whole rows of statements under the header
    table = panel.table
    assert table.viewport().height() >= 3 * table.rowHeight(0), table.viewport().height()
    assert table.rowAt(2 * table.rowHeight(0) + 1) == 2
    # the statement's pane has the height its words and bars need, or all the map and the
    # table can give (then it scrolls)
    sizes = panel.split.sizes()
    need = panel.statement.layout().totalHeightForWidth(panel.statement_scroll.viewport().width())
    spare = sum(sizes) - panel.map.minimumHeight() - table.minimumHeight()
    assert sizes[1] >= min(need, spare, int(sum(sizes) * 0.6)) - 1, (sizes, need)
    if size == (1600, 1000):        # a statement of middling length: all of it in sight
        middling = sorted(range(len(panel.model.texts)),
                          key=lambda i: len(panel.model.texts[i]))[len(panel.model.texts) // 2]
        sid = int(panel.model.ids[middling])
        panel.show_statement(sid)
        qtbot.waitUntil(lambda: panel._drawn == sid, timeout=20000)
        QApplication.processEvents()
        assert len(panel.bars.rows) >= 3
        assert _in(panel, panel.bars).height() == panel.bars.height()
        assert _in(panel, panel.title).height() == panel.title.height()
        assert not _in(panel, panel.map, caption).intersects(_in(panel, panel.title))
    image = window.votes_dock.grab()
    assert image.save(str(tmp_path / "votes.png"))
