"""More like this before the cards are embedded: suggestions by shared words follow the rule of
the embedded ones (unsorted cards and other themes' cards, never a pinned theme's nor the
theme's own), are read from the project like them, and the window says they are by words."""
from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from synth.board import CreateTheme, UpdateTheme  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.testing import make_project  # noqa: E402

TEXTS = {
    1: "Pay has fallen behind inflation for years",
    2: "Our pay is lower than the private sector",
    3: "Pay progression within a grade is frozen",        # in "Grades", another theme
    4: "Pay rises never keep up with rent",               # in "Pinned": never offered
    5: "The VPN drops every afternoon",
    6: "Pay for overtime is paid months late",            # unsorted
    7: "My laptop takes ten minutes to start",
}


@pytest.fixture
def study(window, tmp_path):
    path = make_project(tmp_path / "s.synth", statements=len(TEXTS), notes=0, themes=0)
    db = sqlite3.connect(path)
    db.executemany("UPDATE statements SET text = ? WHERE id = ?",
                   [(t, i) for i, t in TEXTS.items()])
    db.commit()
    db.close()
    assert window.open_project(path)
    run = window.run_operation
    ids = {"Pay": run(CreateTheme("Pay", cards=[("statement", 1), ("statement", 2)])),
           "Grades": run(CreateTheme("Grades", cards=[("statement", 3), ("statement", 7)])),
           "Pinned": run(CreateTheme("Pinned", cards=[("statement", 4)]))}
    run(UpdateTheme(ids["Pinned"], {"pinned": 1}))
    return ids


def test_words_offer_unsorted_and_other_themes_cards_and_say_they_are_by_words(window, study):
    c = window.controller
    n = c.more_like_this(study["Pay"])
    offered = {g.ref for g in window.scene.ghosts[study["Pay"]]}
    assert c.suggestion_source == "words"
    assert offered == {("statement", 3), ("statement", 6)} and n == 2
    assert ("statement", 4) not in offered                 # a pinned theme's card
    level, said = window.notify.messages[-1]
    assert said.startswith("2 cards suggested by shared words") and "embedded" in said

    c.accept_all_ghosts(study["Pay"])
    cards = window.scene.cards
    assert cards[("statement", 3)].theme_id == cards[("statement", 6)].theme_id == study["Pay"]
    assert "1 of them out of other themes: “Grades” (1)" in window.notify.messages[-1][1]


def test_no_shared_word_says_so(window, study):
    laptops = window.run_operation(CreateTheme("Laptops", cards=[("statement", 7)]))
    assert window.scene.cards[("statement", 7)].theme_id == laptops
    assert window.controller.more_like_this(laptops) == 0     # no other card names a laptop
    assert window.controller.suggestion_source == "words"
    assert window.scene.ghosts.get(laptops, []) == []
    assert window.notify.messages[-1][1] == "No card shares words with this theme."


def test_a_model_folder_missing_here_is_the_reason_given(window, study, tmp_path):
    """A colleague's project naming their own model folder: the words say why, and the read
    is the project's (on a worker for a big board), not a fallback on the GUI thread."""
    from ui.analysis import card_suggestions
    window.project.set_setting("embedding_backend",
                               {"kind": "local", "model_dir": str(tmp_path / "gone")})
    source, refs, why = card_suggestions(window.project, study["Pay"], 6)[:3]
    assert source == "words" and set(refs) == {("statement", 3), ("statement", 6)}
    assert why.startswith("the project's embedding model cannot be used here: ")
    assert str(tmp_path / "gone") in why
    assert window.controller.more_like_this(study["Pay"]) == 2
    assert window.notify.messages[-1][1].startswith(
        "2 cards suggested by shared words: the project's embedding model cannot be used here")
