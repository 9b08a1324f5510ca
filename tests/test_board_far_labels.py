"""Zoomed far out, a parent theme's name is readable: its label is drawn at a readable size on
screen over the top of its frame (its own header is a strip 7 px high at 8 %), and its
sub-themes' labels move below it; no two labels overlap."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtGui import QColor, QFontMetricsF  # noqa: E402

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import make_project  # noqa: E402


def _study(window, tmp_path):
    """Four themes of 20 cards; "London and the senior civil service" holds none of its own
    but three sub-themes (like a theme split by similarity)."""
    from synth.board import CreateTheme
    path = make_project(tmp_path / "far.synth", statements=100, notes=20, themes=0)
    assert window.open_project(path)
    run = window.run_operation
    parent = run(CreateTheme("London and the senior civil service"))
    kids = [run(CreateTheme(name, parent_id=parent,
                            cards=[("statement", 1 + k * 10 + i) for i in range(10)]))
            for k, name in enumerate(("Places for Growth", "Trains and travel", "Wales"))]
    others = [run(CreateTheme(f"Theme {k}", cards=[("statement", 31 + k * 20 + i)
                                                   for i in range(20)])) for k in range(3)]
    sc = window.scene
    assert not sc.members()[parent] and all(sc.themes[k].parent_id == parent for k in kids)
    return sc, parent, kids, others


def _on_screen(window, lod):
    window.view.resetTransform()
    window.view.set_zoom(lod)
    window.view.fit_all()
    window.view.set_zoom(lod)


def test_a_parent_theme_is_named_readably_far_out_above_its_sub_themes(window, tmp_path, qtbot):
    from ui.board.labels import SMALLEST_LINE_PX
    sc, parent, kids, others = _study(window, tmp_path)
    view = window.view
    _on_screen(window, 0.08)
    qtbot.wait(20)
    lod = view.transform().m22()
    label = sc.frames[parent].label
    font, line_h, plate, text, lines = label._fit(lod, label.top_at(lod))
    on_screen = QFontMetricsF(font).height() * lod
    assert on_screen >= SMALLEST_LINE_PX           # a line of 12 px at least: was 4 px
    assert font.pointSizeF() * lod * 96 / 72 >= 9.5      # the font, in pixels on screen
    assert text == "London and the senior civil service (30)"
    shown = " ".join(lines.split())
    assert shown.startswith("London and the") and len(lines.splitlines()) <= 2
    # the plate reaches over the sub-themes' tops, within the parent's frame
    frame = sc.frame_rect(parent)
    mine = label.plate_at(lod)
    assert frame.contains(mine) and mine.height() * lod >= on_screen
    assert mine.bottom() > min(sc.frame_rect(k).top() for k in kids)
    # every label within its frame, none over another: the sub-themes' moved below
    plates = {key: f.label.plate_at(lod) for key, f in sc.frames.items()}
    for key, r in plates.items():
        assert sc.frame_rect(key).contains(r), key
        assert r.height() > 0, key
    keys = list(plates)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            assert not plates[a].intersects(plates[b]), (a, b)
    for k in kids:
        assert plates[k].top() >= mine.bottom()
    # on screen: the first line of text from the frame's top is as tall as a readable
    # line's letters (the parent's name was 3 px of text on a 7 px strip)
    assert _first_text_rows(window, frame) >= 6


def _first_text_rows(window, frame) -> int:
    """How many rows of pixels the first run of text from the top of ``frame`` (scene)
    spans in a grab of the view: rows holding pixels of the labels' ink."""
    view, sc = window.view, window.scene
    image = view.viewport().grab().toImage()
    box = view.mapFromScene(frame).boundingRect().adjusted(3, 3, -3, 0)
    ink = QColor(sc.style.frame_text).lightness()
    rows = [y for y in range(box.top(), min(box.top() + 40, box.bottom()))
            if sum(1 for x in range(box.left(), box.right())
                   if abs(QColor(image.pixel(x, y)).lightness() - ink) < 50) >= 2]
    run = 0
    for a, b in zip(rows, rows[1:] + [None]):
        run += 1
        if b != a + 1:
            break
    return run


def test_leaf_labels_far_out_keep_their_whole_names(window, tmp_path, qtbot):
    """Theme frames of their own keep the label that fills them where it is readable; far out
    a leaf's name grows to a readable size only when it still shows whole."""
    sc, parent, kids, others = _study(window, tmp_path)
    for lod in (0.08, 0.05):
        _on_screen(window, lod)
        lod = window.view.transform().m22()
        for tid in others:
            label = sc.frames[tid].label
            font, line_h, plate, text, lines = label._fit(lod, label.top_at(lod))
            assert label.top_at(lod) == 0.0
            assert lines is None or " ".join(lines.split()) == text     # never cut short


def test_labels_far_out_end_at_a_loop_in_the_parents(window, tmp_path, qtbot):
    """A loop written into the themes' parents (a file written wrong: A's parent B, B's A):
    each label is placed below the other's once, where asking each parent for its plate asked
    the other's again until Python's recursion limit."""
    from synth.board import CreateTheme
    from synth.project import Project
    path = make_project(tmp_path / "loop.synth", statements=40, notes=0, themes=0)
    project = Project.open(path)
    a = project.history.apply(CreateTheme("A", cards=[("statement", i) for i in range(1, 11)]))
    b = project.history.apply(CreateTheme("B", cards=[("statement", i) for i in range(11, 21)]))
    with project.transaction() as db:
        db.execute("UPDATE themes SET parent_id = ? WHERE id = ?", (b, a))
        db.execute("UPDATE themes SET parent_id = ? WHERE id = ?", (a, b))
    project.close()
    assert window.open_project(path)
    _on_screen(window, 0.05)
    lod = window.view.transform().m22()
    sc = window.scene
    tops = [sc.frames[t].label.top_at(lod) for t in (a, b)]
    for mine, other in ((a, b), (b, a)):      # each below the other placed at its top
        over = sc.frames[other].label._fit(lod, 0.0)[2].translated(sc.frames[other].pos())
        assert tops[(a, b).index(mine)] == pytest.approx(
            over.bottom() + 4.0 - sc.frames[mine].pos().y())
    assert min(tops) > 0.0
    assert not window.view.viewport().grab().isNull()
