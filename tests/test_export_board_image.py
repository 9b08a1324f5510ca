"""The board drawn without Qt, as PNG and SVG, whole or one theme."""
from __future__ import annotations

import pytest

from export_study import build_study
from exports.board_image import draw_board


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from synth.project import Project
    tmp = tmp_path_factory.mktemp("board")
    project = Project.create(tmp / "s.synth")
    ids = build_study(project, tmp, participants=20)
    yield project, ids, tmp
    project.close()


def test_whole_board_png_is_not_blank(study):
    project, _, tmp = study
    from PIL import Image
    path = draw_board(project, tmp / "board.png")
    im = Image.open(path).convert("L")
    assert im.width > 1000 and im.height > 500
    colours = im.getcolors(maxcolors=1 << 20)
    assert len(colours) > 20          # drawn, not a blank canvas
    assert "Qt" not in repr(__import__("sys").modules.get("PySide6", ""))


def test_svg_holds_the_theme_names_and_card_text(study):
    project, ids, tmp = study
    svg = draw_board(project, tmp / "board.svg").read_text(encoding="utf-8")
    assert "Hybrid working" in svg and "Wellbeing" in svg
    one = draw_board(project, tmp / "tech.svg", theme_id=ids["themes"]["tech"])
    text = one.read_text(encoding="utf-8")
    assert "Technology and the office" in text and "Hybrid working" not in text
    assert "HYPERLINK" in text    # a card's text, drawn as text


def test_unknown_theme_or_format(study):
    project, _, tmp = study
    with pytest.raises(ValueError):
        draw_board(project, tmp / "x.png", theme_id=99999)
    with pytest.raises(ValueError):
        draw_board(project, tmp / "x.gif")
