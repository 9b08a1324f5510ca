"""Sources → Remove source…: an import taken back from the window, asked first with what goes,
one undo step (QA 13: an import could not be undone and a source not removed)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.testing import file_rows, make_project


def _select_source(window, name: str) -> None:
    tree = window.sources_panel.tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == name)
    tree.setCurrentItem(item.child(0))          # its kind line: the source all the same


def test_remove_a_source_from_the_sources_panel_and_undo_it(window, tmp_path, qtbot,
                                                            monkeypatch):
    from ui.panels import sources
    path = make_project(tmp_path / "p.synth", statements=12, notes=8, themes=2, placed=1.0)
    names = dict(file_rows(path, "SELECT kind, name FROM sources"))
    assert window.open_project(path)
    window.sources_dock.raise_()                # the Sources tab, in sight: it reads
    qtbot.waitUntil(lambda: window.sources_panel.tree.topLevelItemCount() == 2, timeout=5000)
    asked = []
    monkeypatch.setattr(sources, "ask", lambda parent, text: asked.append(text) or False)
    _select_source(window, names["workshop"])
    window.sources_panel.act_remove.trigger()
    assert asked == [f"Remove the source “{names['workshop']}”? Its 8 cards (8 in themes) will "
                     "be removed from the project with it. Themes, recommendations and the "
                     "other sources stay. Edit → Undo brings everything back."]
    assert file_rows(path, "SELECT count(*) FROM notes") == [(8,)]      # said No
    assert window.notify.messages[-1] == ("info", "Nothing removed.")

    monkeypatch.setattr(sources, "ask", lambda parent, text: True)
    window.sources_panel.tree.setFocus()
    qtbot.keyClick(window.sources_panel.tree, Qt.Key_Delete)
    assert file_rows(path, "SELECT count(*) FROM notes") == [(0,)]
    assert file_rows(path, "SELECT count(*) FROM sources") == [(1,)]
    assert file_rows(path, "SELECT count(*) FROM card_places WHERE card_kind = 'note'") == [(0,)]
    assert window.undo_stack.undoText() == f"Remove source “{names['workshop']}”"
    qtbot.waitUntil(lambda: window.sources_panel.tree.topLevelItemCount() == 1, timeout=5000)
    assert len(window.scene.cards) == 12
    window.act_undo.trigger()
    assert file_rows(path, "SELECT count(*) FROM notes") == [(8,)]
    assert file_rows(path, "SELECT count(*) FROM card_places WHERE card_kind = 'note'") == [(8,)]
    qtbot.waitUntil(lambda: window.sources_panel.tree.topLevelItemCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: len(window.scene.cards) == 20, timeout=5000)
