"""Board search finds what a researcher types on a keyboard (QA1 27): a straight apostrophe
finds Word's curly one, a straight double quote finds “ ”, and case and accents do not matter
("cafe" finds "Café")."""
from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from ui.testing import make_project  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401

TEXTS = {1: "they don’t build trust", 2: "Young people’s jury to review complaints",
         3: "A CAFÉ in every hub", 4: "the “hybrid” week", 5: "they do not build trust"}


@pytest.fixture
def searched(window, tmp_path, qtbot):
    path = make_project(tmp_path / "s.synth", statements=6, notes=6, themes=1, placed=0.5)
    db = sqlite3.connect(path)
    with db:
        for nid, text in TEXTS.items():
            db.execute("UPDATE notes SET text = ? WHERE id = ?", (text, nid))
    db.close()
    assert window.open_project(path)

    def search(text: str) -> set[int]:
        """The notes left undimmed (-1 for any statement left undimmed)."""
        window.search_edit.setText(text)
        window._on_filter_changed()
        assert window.scene.filter.text == text
        return {ref[1] if ref[0] == "note" else -1
                for ref, item in window.scene.card_items.items() if not item.dimmed}
    return search


def test_a_straight_apostrophe_finds_a_curly_one(searched):
    assert searched("don't") == {1}
    assert searched("don’t") == {1}
    assert searched("young people's") == {2}


def test_a_straight_double_quote_finds_curly_ones(searched):
    assert searched('"hybrid"') == {4}


def test_case_and_accents_do_not_matter(searched):
    assert searched("cafe") == {3}
    assert searched("Café") == {3}
    assert searched("CAFE") == {3}


def test_search_key():
    from ui.board.data import search_key
    assert search_key("Don’t “Café” naïve") == "don't \"cafe\" naive"
    assert search_key("plain text") == "plain text"
