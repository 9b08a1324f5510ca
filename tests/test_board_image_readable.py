"""The board image as a slide shows it: card text wrapped to the card's width, the "+ N more"
line as large as the card text and saying how many cards the theme holds, and big themes
showing more cards when there are few themes. Read from the SVG's text and the PNG's pixels."""
from __future__ import annotations

import re

import pytest

from exports.board_image import draw_board, wrap_to_width
from ui.testing import make_project

PANEL_IN, GAP_IN, PAD_IN = 4.2, 0.15, 0.07       # a theme panel, two cards across
CARD_TEXT_PT = (PANEL_IN - 0.3 - GAP_IN) / 2 * 72 - 2 * PAD_IN * 72


@pytest.fixture(scope="module")
def two_big_themes(tmp_path_factory):
    """Two themes of 60 statements each (6 to 22 words a card), nothing unsorted."""
    from synth.project import Project
    tmp = tmp_path_factory.mktemp("board_readable")
    path = make_project(tmp / "s.synth", statements=120, notes=0, themes=2, placed=1.0)
    project = Project.open(path)
    yield project, tmp
    project.close()


def svg_texts(svg: str) -> list[tuple[float, str]]:
    """(font size, text) of every text element, entities decoded."""
    import html
    return [(float(size), html.unescape(text)) for size, text in re.findall(
        r"<text[^>]*font-size: ([\d.]+)px[^>]*>([^<]*)<", svg)]


def test_the_more_line_counts_the_theme_and_is_no_smaller_than_card_text(two_big_themes):
    project, tmp = two_big_themes
    texts = svg_texts(draw_board(project, tmp / "b.svg").read_text(encoding="utf-8"))
    card_sizes = {size for size, t in texts if t.startswith("#")}
    more = [(size, t) for size, t in texts if "more" in t and t.startswith("+")]
    assert len(more) == 2
    for size, t in more:
        # two themes share the budget: 40 cards each drawn, 20 of 60 left out, said so
        assert t.startswith("+ 20 more") and "40 of the theme's 60 cards" in t, t
        assert size >= max(card_sizes)
    assert sum(1 for _s, t in texts if t == "60 cards") == 2


def test_card_text_fills_the_card_width_and_never_overflows(two_big_themes):
    project, tmp = two_big_themes
    from PIL import ImageFont
    from matplotlib import font_manager
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 700)
    texts = svg_texts(draw_board(project, tmp / "w.svg").read_text(encoding="utf-8"))
    # card lines: 7 pt, every card's text but the theme names, counts and "more" lines
    lines = [(size, t) for size, t in texts if size == 7.0]
    assert len(lines) > 150
    widths = [font.getlength(t) / 700 * size for size, t in lines]
    assert max(widths) <= CARD_TEXT_PT + 0.5          # inside the card
    # wrapped at the card's width, not half of it: the wrapped lines (all but each card's
    # last) mostly fill more than 3/4 of it
    assert sum(w > 0.75 * CARD_TEXT_PT for w in widths) > len(lines) / 3
    assert max(len(t) for _s, t in lines) > 30        # the old wrap cut at 24 characters


def test_png_draws_the_larger_share_of_cards(two_big_themes):
    project, tmp = two_big_themes
    from PIL import Image
    im = Image.open(draw_board(project, tmp / "b.png", dpi=100)).convert("RGB")
    statement_blue = sum(n for n, rgb in im.getcolors(1 << 22) if rgb == (0xdb, 0xe8, 0xf4))
    card_px = (PANEL_IN - 0.45) / 2 * 100 * 0.95 * 100
    # 80 statement cards drawn (40 a theme), each mostly blue behind its few lines of text
    assert 80 * card_px * 0.75 < statement_blue < 80 * card_px
    assert im.height > 20 * 1.1 * 100                # 20 rows of cards in a panel


def test_a_set_number_of_cards_per_theme_is_kept(two_big_themes):
    project, tmp = two_big_themes
    texts = svg_texts(draw_board(project, tmp / "m.svg", max_cards=12).read_text(
        encoding="utf-8"))
    assert [t for _s, t in texts if t.startswith("+ ")] == \
        ["+ 48 more not shown (12 of the theme's 60 cards above)"] * 2


def test_wrap_breaks_long_words_and_marks_cut_text():
    def fits(s: str) -> bool:
        return len(s) <= 10
    assert wrap_to_width("aaaa bbbb cccc", fits) == ["aaaa bbbb", "cccc"]
    assert wrap_to_width("x" * 25, fits) == ["x" * 10, "x" * 10, "x" * 5]
    cut = wrap_to_width(" ".join(["word"] * 30), fits, max_lines=3)
    assert len(cut) == 3 and cut[-1].endswith("…") and all(fits(line) for line in cut)
    assert wrap_to_width("", fits) == []


def test_a_mask_stays_on_one_line():
    def fits(s: str) -> bool:
        return len(s) <= 20
    assert wrap_to_width("Call me on [phone number] if you need", fits) == \
        ["Call me on", "[phone number] if", "you need"]
