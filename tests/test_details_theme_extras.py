"""The Details panel on a theme, on the Bowling Green Pol.is debate (american-assembly, real
texts and tallies; /work/shared/data/polis/SOURCES.md): the cards the run that found a theme
chose to represent it, while they are still in it, none for a theme made by hand; and a
caution when most of a theme's cards name the place the whole debate is about."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from synth.board import CreateTheme, MoveCards
from synth.project import Project, now_iso
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401

POLIS = Path("/work/shared/data/polis/american-assembly.bowling-green/comments.csv")
# the 50 comments of QA's "Bowling Green & city" (seed 0), and the run's three representatives
CITY = [36, 70, 74, 81, 82, 98, 100, 119, 138, 158, 159, 171, 180, 196, 199, 200, 201, 209, 225,
        285, 309, 313, 319, 321, 366, 371, 398, 400, 410, 428, 466, 524, 538, 586, 608, 611, 617,
        635, 662, 667, 670, 671, 692, 693, 695, 718, 739, 774, 861, 868]
REPS = [667, 171, 81]
# the other themes, made by hand from words their cards say, in this order (a card goes to the
# first that takes it; the rest stay unsorted)
BY_WORD = (("WKU", r"\bWKU\b"), ("Traffic", r"(?i)\btraffic\b"),
           ("Housing", r"(?i)\b(housing|rent)"), ("Schools", r"(?i)\bschool"),
           ("Pay and taxes", r"\bpay\b"))
SETTING = re.compile(r"\bBowling Green\b|\bBG\b")

pytestmark = pytest.mark.skipif(not POLIS.exists(), reason="the Pol.is fixtures are not here")


def sid(comment: int) -> int:
    return comment + 1          # statement ids from 1


@pytest.fixture(scope="module")
def debate_file(tmp_path_factory):
    """The debate's 896 comments as statements (moderated out ones stay off the board), the
    city theme as a run wrote it, the others by hand; {name: theme id} beside the path."""
    rows = list(csv.DictReader(POLIS.open(encoding="utf-8")))
    path = tmp_path_factory.mktemp("bg") / "bg.synth"
    texts = {}
    with Project.create(path) as p:
        with p.transaction() as db:
            db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                       "(1, 'debate', 'Bowling Green', ?)", (now_iso(),))
            db.executemany(
                "INSERT INTO statements(id, source_id, external_id, text, moderation, "
                "agree_tally, disagree_tally, pass_tally) VALUES (?, 1, ?, ?, ?, ?, ?, 0)",
                [(sid(int(r["comment-id"])), r["comment-id"], r["comment-body"],
                  int(r["moderated"]), int(r["agrees"]), int(r["disagrees"])) for r in rows])
            run = db.execute("INSERT INTO analysis_runs(kind, created) VALUES ('themes', ?)",
                             (now_iso(),)).lastrowid
        texts = {sid(int(r["comment-id"])): r["comment-body"] for r in rows
                 if int(r["moderated"]) >= 0}
        ids = {"Bowling Green & city": p.history.apply(CreateTheme(
            "Bowling Green & city", cards=[("statement", sid(c)) for c in CITY],
            status="candidate", run_id=run))}
        with p.transaction() as db:     # the result as synth.themes.project_themes writes it
            db.execute("UPDATE analysis_runs SET result = ? WHERE id = ?", (json.dumps(
                {"themes": [{"id": ids["Bowling Green & city"], "name": "Bowling Green & city",
                             "size": 50, "representatives": [["statement", sid(c)]
                                                             for c in REPS]}]}), run))
        taken = {sid(c) for c in CITY}
        for name, pattern in BY_WORD:
            mine = [s for s, t in sorted(texts.items()) if s not in taken and re.search(pattern, t)]
            taken.update(mine)
            ids[name] = p.history.apply(CreateTheme(name, cards=[("statement", s) for s in mine]))
    return path, ids, texts


@pytest.fixture
def board(window, debate_file, tmp_path, qtbot):
    import shutil
    path, ids, texts = debate_file
    shutil.copyfile(path, tmp_path / "bg.synth")
    assert window.open_project(tmp_path / "bg.synth")
    qtbot.waitUntil(lambda: window.scene.ready, timeout=30000)
    return window, ids, texts


def _shown(window, qtbot, theme_id: int) -> str:
    window.scene.clearSelection()
    window.scene.select_theme(theme_id)
    qtbot.waitUntil(lambda: not window.reader.busy())
    return window.details_panel.browser.toPlainText()


def test_a_theme_a_run_found_shows_its_representatives_while_they_stay(board, qtbot):
    window, ids, texts = board
    city = ids["Bowling Green & city"]
    shown = _shown(window, qtbot, city)
    assert "Representative cards" in shown
    said = [shown.index(f"“{texts[sid(c)]}”") for c in REPS]
    assert said == sorted(said)                       # best first, as the run chose them
    first = window.scene.cards[("statement", sid(667))]
    assert f"S{sid(667)} · {round(100 * first.agree / first.votes)} % agree — of " \
           f"{first.votes:,} who voted" in shown
    window.run_operation(MoveCards([("statement", sid(667))], ids["Traffic"]))
    shown = _shown(window, qtbot, city)
    assert texts[sid(667)] not in shown and f"“{texts[sid(171)]}”" in shown
    assert "1 of the 3 the analysis chose has left the theme since." in shown
    window.undo_stack.undo()
    shown = _shown(window, qtbot, city)
    assert f"“{texts[sid(667)]}”" in shown and "left the theme" not in shown
    # all three gone (into a part of the theme, as a split moves them): none is shown
    window.run_operation(CreateTheme("Food and sidewalks", parent_id=city, cards=[
        ("statement", sid(c)) for c in REPS]))
    shown = _shown(window, qtbot, city)
    assert "Representative cards" not in shown and texts[sid(171)] not in shown


def test_a_theme_made_by_hand_shows_no_representatives(board, qtbot):
    window, ids, _texts = board
    shown = _shown(window, qtbot, ids["Traffic"])
    assert "Traffic" in shown and "Representative cards" not in shown


def test_a_representative_finds_its_card_on_the_board(board, qtbot):
    window, ids, texts = board
    panel = window.details_panel
    asked = []
    panel.cards_requested.connect(asked.append)
    _shown(window, qtbot, ids["Bowling Green & city"])
    assert "Representative cards" in panel.browser.toPlainText()
    # the window follows the link: it selects the card and brings it into view
    assert f"href=\"card:statement/{sid(171)}\"" in panel.browser.toHtml()
    window.view.zoom_to_theme(ids["Housing"])
    panel.browser.anchorClicked.emit(QUrl(f"card:statement/{sid(171)}"))
    assert asked == [[("statement", sid(171))]]
    assert window.scene.selected_refs() == [("statement", sid(171))]
    card = window.scene.card_items[("statement", sid(171))]
    seen = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert seen.intersects(card.sceneBoundingRect())
    assert panel.browser.toPlainText().startswith(texts[sid(171)])     # the card's page


def _setting_figures(window, theme_id: int, texts: dict) -> tuple[int, int, int, int]:
    """(cards of the theme naming the place, its cards, cards outside naming it, other themes
    holding them), counted here from the texts and the board."""
    cards = {c.id: c.theme_id for c in window.scene.cards.values()}
    inside = [s for s, t in cards.items() if t == theme_id]
    naming = [s for s in cards if SETTING.search(texts[s])]
    outside = [s for s in naming if cards[s] != theme_id]
    themes = {cards[s] for s in outside} - {None}
    return sum(cards[s] == theme_id for s in naming), len(inside), len(outside), len(themes)


def test_a_theme_held_together_by_the_place_name_is_cautioned(board, qtbot, tmp_path):
    window, ids, texts = board
    city = ids["Bowling Green & city"]
    naming, size, outside, themes = _setting_figures(window, city, texts)
    assert (naming, size) == (47, 50) and outside >= 30 and themes >= 3
    shown = _shown(window, qtbot, city)
    assert f"47 of 50 cards name “Bowling Green or BG”, and so do {outside} cards outside " \
           f"it, in {themes} other themes: the theme may be held together by the name " \
           "rather than by a subject." in shown
    window.details_panel.grab().save(str(tmp_path / "city.png"))


@pytest.mark.parametrize("name", ["Pay and taxes", "WKU"])
def test_a_subject_word_or_a_topic_name_is_not_cautioned(board, qtbot, name):
    """"pay" is said by every card of Pay and taxes and by cards of other themes, but written
    in lower case: no name. "WKU" is a name every card of its theme says, but few outside."""
    window, ids, texts = board
    tid = ids[name]
    word = re.compile(dict(BY_WORD)[name])
    cards = {c.id: c.theme_id for c in window.scene.cards.values()}
    inside = [s for s, t in cards.items() if t == tid]
    assert len(inside) >= 6 and all(word.search(texts[s]) for s in inside)
    elsewhere = {t for s, t in cards.items() if t not in (tid, None) and word.search(texts[s])}
    assert len(elsewhere) >= (3 if name == "Pay and taxes" else 0)
    shown = _shown(window, qtbot, tid)
    assert "held together by the name" not in shown


def test_details_says_whose_keywords_a_move_does_not_find_again(board, qtbot, monkeypatch):
    """Keywords are found again after moves up to synth.board.REFRESH_UP_TO cards and for a
    theme without parts; otherwise Details says they are the analysis's."""
    from synth.board import UpdateTheme
    from ui.panels import details
    window, ids, texts = board
    city = ids["Bowling Green & city"]
    window.run_operation(UpdateTheme(city, {"keywords": ["Bowling Green", "city", "food"]}))
    assert "Keywords: Bowling Green, city, food" in _shown(window, qtbot, city)
    monkeypatch.setattr(details, "REFRESH_UP_TO", 100)
    assert ("Keywords (as the analysis found them: on a board of more than 100 cards they "
            "are not found again when cards move): Bowling Green, city, food"
            in _shown(window, qtbot, city))
    monkeypatch.undo()
    window.run_operation(CreateTheme("Food", parent_id=city,
                                     cards=[("statement", sid(REPS[0]))]))
    assert ("Keywords (of the whole theme, as the analysis found them): Bowling Green, city, "
            "food" in _shown(window, qtbot, city))


def test_after_a_move_the_caution_follows_without_reading_the_texts_again(board, qtbot,
                                                                         monkeypatch):
    """A move changes where cards lie, not what they say: the names of every card are kept
    and only the places read (review: every text was read again after each move)."""
    from synth.themes import board_names
    window, ids, texts = board
    city = ids["Bowling Green & city"]
    assert "47 of 50 cards name" in _shown(window, qtbot, city)
    read = []
    real = board_names.read_names
    monkeypatch.setattr(board_names, "read_names", lambda *a, **k: read.append(1) or real(*a, **k))
    naming = next(s for s in sorted(texts) if SETTING.search(texts[s])
                  and window.scene.cards[("statement", s)].theme_id == city)
    window.run_operation(MoveCards([("statement", naming)], ids["Traffic"]))
    figures = _setting_figures(window, city, texts)
    assert figures[:2] == (46, 49)
    shown = _shown(window, qtbot, city)
    assert f"46 of 49 cards name “Bowling Green or BG”, and so do {figures[2]} cards " \
           f"outside it, in {figures[3]} other themes" in shown
    assert read == []                                   # no text read again
    window.undo_stack.undo()
    assert "47 of 50 cards name" in _shown(window, qtbot, city) and read == []
