"""More like this on a theme with no card (a codebook's code, a theme made empty on the board)
in the window: the cards are embedded, the theme's name is embedded on a worker (the GUI thread
imports no model), then the ghosts come from the embeddings, each saying its closeness to the
theme; the Details panel's offer names the theme once its name is embedded."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from synth.board import CreateTheme  # noqa: E402
from tests.ui_fixtures import build_topic_study, no_thread_left, settings, window  # noqa: E402,F401

PAY = ("Pay and salaries", "Pay rises, salary bands, inflation, bonuses and pay progression.")


@pytest.fixture
def embedded(tmp_path):
    """The 60-card topic study (IT, pay, managers), every card embedded, no theme."""
    from synth import board
    from synth.project import Project
    from synth.themes.embeddings import LocalBackend, embed_texts
    path = build_topic_study(tmp_path)
    with Project.open(path) as p:
        embed_texts([c.text for c in board.cards(p)], LocalBackend(), project=p)
        pay = [c.ref for c in board.cards(p) if "pay" in c.text.lower() or "salar" in c.text
               or "Bonuses" in c.text or "inflation" in c.text]
    return path, set(pay)


def test_an_empty_theme_s_ghosts_come_from_its_embedded_name_with_their_closeness(
        window, qtbot, embedded, tmp_path):
    from ui.analysis import nearest_offer
    path, pay_cards = embedded
    assert window.open_project(path)
    c, sc = window.controller, window.scene
    loose = sorted(pay_cards)[0]
    kept, offer = nearest_offer(window.project, loose)
    assert offer == []                      # no theme holds a card, none has its name read
    pay = window.run_operation(CreateTheme(PAY[0], description=PAY[1]))
    assert c.more_like_this(pay) == 0       # its name is read on a worker first
    assert window.notify.messages[-1][1] == "Reading the theme's name with the embedding model…"
    assert window.runner.busy() and not sc.ghosts.get(pay)
    qtbot.waitUntil(lambda: not window.runner.busy() and bool(sc.ghosts.get(pay)),
                    timeout=60000)
    assert c.suggestion_source == "embeddings"
    assert window.notify.messages[-1][1] == (
        "6 cards suggested for “Pay and salaries” by what its name and description say: it "
        "holds no card yet.")
    ghosts = sc.ghosts[pay]
    assert len(ghosts) == 6 and {g.ref for g in ghosts} <= pay_cards
    scores = [g.score for g in ghosts]
    assert scores == sorted(scores, reverse=True) and 0.3 <= scores[-1] < scores[0] < 0.9
    first = ghosts[0]
    assert first.accessible_text().startswith(
        f"Suggested, from the unsorted pile, closeness {scores[0]:.2f}: ")
    assert f"Closeness {scores[0]:.2f} to the theme" in first.toolTip()
    first._prepare()
    assert first._badge.text() == f"Suggested {scores[0]:.2f} · STATEMENT"
    # the offer kept from before reads again: the theme's name is embedded now
    kept, offer = nearest_offer(window.project, loose, kept)
    assert [t for t, _ in offer] == [pay] and 0.3 < offer[0][1] < 0.9
    assert kept[2] == ((pay, f"{PAY[0]}: {PAY[1]}"),)
    # a second press reads from the cache: no worker, the same ghosts at once
    assert c.more_like_this(pay) == 6 and not window.runner.busy()
    assert [g.score for g in sc.ghosts[pay]] == scores
    # the board as a researcher sees it
    window.view.zoom_to_theme(pay)
    shot = window.view.grab()
    shot.save(str(tmp_path / "ghosts.png"))
    image = shot.toImage()
    assert len({image.pixel(x, y) for x in range(0, image.width(), 23)
                for y in range(0, image.height(), 23)}) > 5


def test_word_ghosts_show_no_closeness(window, embedded):
    """A project naming a model folder missing here: shared words (with the theme's name's),
    and no number on their ghosts."""
    path, pay_cards = embedded
    assert window.open_project(path)
    window.project.set_setting("embedding_backend", {"kind": "local", "model_dir": "/gone"})
    pay = window.run_operation(CreateTheme(PAY[0], description=PAY[1]))
    n = window.controller.more_like_this(pay)
    assert window.controller.suggestion_source == "words" and n > 0
    ghosts = window.scene.ghosts[pay]
    assert all(g.score is None for g in ghosts) and {g.ref for g in ghosts} <= pay_cards
    ghosts[0]._prepare()
    assert ghosts[0]._badge.text() == "Suggested · STATEMENT"
