"""Presentation mode seen from the room: Esc where the focus is, the keyboard's card far out,
card text after Z, messages readable on the black screen, dots far out, every key hinted, and
the window as it was after leaving. Keys go where the focus is; checks read grabs and the
project file."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QAction, QColor, QFontInfo, QKeySequence  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.testing import file_rows, make_project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401

YELLOW = QColor("#ffd800")      # the presentation's selection colour


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""
    def lum(c: QColor) -> float:
        def ch(v: int) -> float:
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colours_in(image, rect) -> dict[str, int]:
    seen: dict[str, int] = {}
    for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
        for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
            name = image.pixelColor(x, y).name()
            seen[name] = seen.get(name, 0) + 1
    return seen


def present(window, qtbot, path, *, full_screen: bool = False):
    window.open_project(path)
    window.set_presentation(True, scale=1.5, full_screen=full_screen)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    window.view.fit_all()
    qtbot.wait(10)


def key(qtbot, k, mods=Qt.NoModifier):
    """A key to whatever has the focus, as a keyboard would send it."""
    qtbot.keyClick(QApplication.focusWidget(), k, mods)


def test_esc_on_the_focused_board_clears_the_selection_then_leaves(window, tmp_path, qtbot):
    present(window, qtbot, make_project(tmp_path / "s.synth", statements=20, notes=0,
                                        themes=2, placed=0.5))
    key(qtbot, Qt.Key_Right)
    assert window.scene.selected_refs()
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is not None and window.scene.selectedItems() == []
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is None and window.menuBar().isVisible()
    assert QApplication.focusWidget() is window.view
    # outside presentation Esc clears the selection, and with none does nothing
    key(qtbot, Qt.Key_Right)
    assert len(window.scene.selected_refs()) == 1
    key(qtbot, Qt.Key_Escape)
    assert window.scene.selectedItems() == [] and window.presentation is None
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is None and window.menuBar().isVisible()


def test_esc_in_the_voters_box_clears_a_theme_then_leaves_without_listing_the_selection(
        window, tmp_path, qtbot, monkeypatch):
    """Esc where the focus is off the board (the voter's name) goes to the window: a selected
    theme alone is cleared first, then Esc leaves; whether anything is selected comes from
    what the board keeps, not from Qt's list of selected items (200 ms at 120,000 cards)."""
    present(window, qtbot, make_project(tmp_path / "s.synth", statements=20, notes=0,
                                        themes=2, placed=0.5))
    scene = window.scene
    listed: list = []
    qt_read = scene.selectedItems
    monkeypatch.setattr(scene, "selectedItems", lambda: listed.append(1) or qt_read())
    scene.select_themes([min(scene.themes)])
    window.presentation.voter_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.presentation.voter_edit)
    listed.clear()
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is not None and not listed
    assert scene.selected_theme_ids() == [] and qt_read() == []
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is None


def test_the_keyboards_card_is_ringed_far_out_above_its_themes_label(window, tmp_path, qtbot):
    present(window, qtbot, make_project(tmp_path / "s.synth", statements=200, notes=100,
                                        themes=6, placed=0.8))
    view = window.view
    assert view.zoom() < 0.3        # fitted: no card shows its text or its own border
    key(qtbot, Qt.Key_Right)
    key(qtbot, Qt.Key_Right)
    card = view.current_card()
    assert card is not None and card.isSelected()
    shown = view.mapFromScene(card.sceneBoundingRect()).boundingRect()
    image = view.viewport().grab().toImage()
    middle = shown.center().y()

    def yellow_between(x0: int, x1: int) -> bool:
        return any(image.pixelColor(x, middle) == YELLOW for x in range(x0, x1 + 1))
    # a yellow band a few pixels out from the card on both sides, over whatever is there
    assert yellow_between(shown.left() - 9, shown.left() - 3)
    assert yellow_between(shown.right() + 3, shown.right() + 9)
    assert image.pixelColor(shown.center()) == YELLOW      # the card itself
    ring = view.ring_rect()
    assert ring.contains(shown) and ring.width() >= 36 + 12 and ring.height() >= 24 + 12
    # Esc: nothing selected, no ring
    key(qtbot, Qt.Key_Escape)
    assert view.ring_rect().isNull()
    image = view.viewport().grab().toImage()
    assert image.pixelColor(ring.left(), middle) != YELLOW


def test_cards_read_at_the_zoom_z_gives_while_presenting(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=80, notes=0, themes=1, placed=1.0)
    present(window, qtbot, path)
    view, style = window.view, window.scene.style
    key(qtbot, Qt.Key_Right)
    card = view.current_card()
    key(qtbot, Qt.Key_Z)
    text_px = QFontInfo(style.font("card")).pixelSize()
    assert text_px * view.zoom() >= 16      # text 16 px high on the shared screen
    shown = view.mapFromScene(card.sceneBoundingRect()).boundingRect()
    assert view.viewport().rect().contains(shown)      # the card the keys were on
    white = colours_in(view.viewport().grab().toImage(), shown.adjusted(12, 20, -12, -20))
    assert white.get("#ffffff", 0) > 50         # its words, white on the dark card


def test_larger_text_reads_further_out(window, tmp_path, qtbot):
    """At 0.4 (unreadable at scale 1, below 0.45) the presentation's 1.5 text is drawn, not
    grey bars."""
    present(window, qtbot, make_project(tmp_path / "s.synth", statements=80, notes=0,
                                        themes=1, placed=1.0))
    view = window.view
    key(qtbot, Qt.Key_Right)
    card = view.current_card()
    view.set_zoom(0.4)
    view.centerOn(card)
    qtbot.wait(10)
    shown = view.mapFromScene(card.sceneBoundingRect()).boundingRect()
    seen = colours_in(view.viewport().grab().toImage(), shown.adjusted(6, 8, -6, -8))
    light = sum(n for c, n in seen.items() if QColor(c).lightness() > 150)
    assert light > 20       # small letters, light on the dark card (grey bars are #2a2a2a)


def test_messages_while_presenting_are_large_and_meet_wcag_aa(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=20, notes=0, themes=2, placed=0.5)
    window.open_project(path)
    window.notify.warning("Select a theme to give it a dot.")
    normal_px = window.notify.label.fontInfo().pixelSize()
    present(window, qtbot, path)
    window.scene.clear_selection()
    key(qtbot, Qt.Key_D)                 # a dot with no theme selected: a warning
    label = window.notify.label
    assert label.isVisible() and "Select a theme" in label.text()
    image = window.grab().toImage()
    at = label.mapTo(window, label.rect().topLeft())
    seen = colours_in(image, label.rect().translated(at))
    background = QColor(max(seen, key=seen.get))
    text = max((QColor(c) for c in seen), key=lambda c: contrast(c, background))
    assert contrast(text, background) >= 4.5
    assert contrast(background, QColor("#000000")) >= 3      # the bar stands off the black
    assert label.fontInfo().pixelSize() >= 1.5 * normal_px
    # after leaving: the usual look and size
    key(qtbot, Qt.Key_Escape)
    assert window.presentation is None
    assert label.fontInfo().pixelSize() == normal_px


def test_dots_show_far_out_on_the_themes_label(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=200, notes=100, themes=6, placed=0.8)
    present(window, qtbot, path)
    view, scene = window.view, window.scene
    theme = min(scene.themes)
    frame = scene.frames[theme]
    assert view.zoom() < 0.3        # the label, not the frame's header, shows
    plate = view.mapFromScene(frame.label.plate_at(view.zoom())).boundingRect()
    before = view.viewport().grab().toImage().copy(plate)
    scene.select_themes([theme])
    window.presentation.voter_edit.setText("Asha")
    view.setFocus()
    key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_D)
    assert file_rows(path, "SELECT voter, dots FROM dot_votes WHERE theme_id = ?",
                     (theme,)) == [("Asha", 1), ("Asha", 1)]
    plate = view.mapFromScene(frame.label.plate_at(view.zoom())).boundingRect()
    after = view.viewport().grab().toImage().copy(plate)
    assert after != before      # drawn
    assert frame.label.words().endswith("●2")


def test_the_hints_name_every_key_with_the_windows_shortcut_for_it(window, qtbot):
    window.set_presentation(True, full_screen=False)
    hints = window.presentation.hints.text().replace("\u00a0", " ")
    keys = [h.strip().split(" ")[0] for h in hints.split("·")]
    for k in ("T", "F2", "Ctrl+B", "M", "E", "Q", "Z", "0", "L", "A", "D", "Ctrl+Z", "Esc"):
        assert k in keys
    shortcuts = {s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()}
    for k in keys:
        if k not in ("←↑→↓", "Esc"):         # the board's own keys
            assert QKeySequence(k).toString() in shortcuts, k


def test_leaving_restores_the_window_and_fits_the_board(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=200, notes=100, themes=6, placed=0.8)
    window.resize(700, 500)         # its least size (the offscreen screen is 800 × 800)
    qtbot.wait(10)
    window.open_project(path)
    window.view.set_zoom(1.0)
    size = window.size()
    present(window, qtbot, path, full_screen=True)
    assert window.isFullScreen()
    key(qtbot, Qt.Key_F5)
    assert window.presentation is None and not window.isFullScreen()
    assert window.size() == size
    view = window.view

    def board_fitted() -> bool:
        board = QRectF()
        for f in window.scene.frames.values():
            board = board.united(f.sceneBoundingRect())
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        return seen.contains(board)
    qtbot.waitUntil(board_fitted)
    zoom = view.zoom()
    view.fit_all()
    assert view.zoom() == pytest.approx(zoom)       # fitted to the view as it is now


def test_the_theme_t_selects_is_banded_far_out(window, tmp_path, qtbot):
    present(window, qtbot, make_project(tmp_path / "s.synth", statements=200, notes=100,
                                        themes=6, placed=0.8))
    view, scene = window.view, window.scene
    theme = max(scene.themes)
    frame = scene.frames[theme]
    view.focus_card(frame.card_items()[0])
    key(qtbot, Qt.Key_T)                 # the card's theme, for a dot
    assert scene.selected_theme_ids() == [theme]
    assert view.zoom() < 0.3
    shown = view.mapFromScene(frame.sceneBoundingRect()).boundingRect()
    image = view.viewport().grab().toImage()
    middle = shown.center().y()
    # a yellow band at least 4 px wide just inside the frame's left and right edges
    assert all(image.pixelColor(shown.left() + dx, middle) == YELLOW for dx in range(1, 5))
    assert all(image.pixelColor(shown.right() - dx, middle) == YELLOW for dx in range(1, 5))
