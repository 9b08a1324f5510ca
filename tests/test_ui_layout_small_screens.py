"""The window on a laptop screen: the first start fits the screen, the search box keeps room to
type in at 1366 pixels, and a document to code is readable in a dock beside the board."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.testing import coding_panel


def _settle(qtbot, window):
    qtbot.wait(50)
    window.layout().activate()


def test_first_start_is_maximised_on_a_small_screen(qtbot, settings):  # noqa: F811
    from ui.cli import _fit_to_screen
    from ui.main_window import MainWindow
    w = MainWindow(settings)
    qtbot.addWidget(w)
    room = w.screen().availableGeometry()
    assert room.width() < 1500          # the offscreen screen is 800 × 600: a laptop's case
    _fit_to_screen(w)
    qtbot.waitExposed(w)
    assert w.isMaximized()
    w.close()


def test_search_box_keeps_room_at_1366_pixels(qtbot, window):  # noqa: F811
    window.resize(1366, 768)
    _settle(qtbot, window)
    # before: 28 pixels, "S…", the combo boxes took the bar
    assert window.search_edit.width() >= 150
    assert window.filter_bar.width() <= window.centralWidget().width()


def test_coding_panels_have_their_own_group_under_details(qtbot, window):  # noqa: F811
    document = window.docks[[d.windowTitle() for d in window.docks].index("Document")]
    # History is a tab beside Details and Votes, not in the coding panels' strip
    beside_details = window.tabifiedDockWidgets(window.details_dock)
    assert window.history_dock in beside_details
    assert document not in beside_details
    assert {d.windowTitle() for d in window.tabifiedDockWidgets(document)} == {
        "Codebook", "Recommendations", "Quotes"}
    assert window.dockWidgetArea(document) == Qt.RightDockWidgetArea


def test_document_text_goes_above_the_codes_when_the_panel_is_narrow(qtbot, window):  # noqa: F811
    panel = coding_panel(window, "DocumentPanel")
    dock = window.docks[[d.windowTitle() for d in window.docks].index("Document")]
    dock.raise_()                              # the tab a researcher clicks
    _settle(qtbot, window)
    assert dock.width() < panel.SIDE_BY_SIDE_WIDTH
    assert panel.split.orientation() == Qt.Vertical
    text, side = panel.split.sizes()
    # the text to code gets the larger part (before: 55 pixels wide, a word per line)
    assert text > side > 0
    assert panel.text.width() > 300
    dock.setFloating(True)                     # undocked and made wide: side by side again
    dock.resize(1000, 600)
    _settle(qtbot, window)
    assert panel.split.orientation() == Qt.Horizontal
    assert panel.text.width() > 450
