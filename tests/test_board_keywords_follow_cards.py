"""A theme's keywords describe the cards it holds now (QA: "Walking & transit" kept "turns,
Scottsville" after taking in the Nashville rail cards): a merge or a move of cards into or out
of a theme the run made finds its keywords again, undo brings the run's words back exactly, and
the themes the team made, which have none, get none. Merge's undo label says "themes"."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from export_study import build_study
from synth.board import MergeThemes, MoveCards, UpdateTheme


TECH = {"booking system", "second screen", "desk"}     # words only the tech theme's cards say


def _keywords(project, theme_id: int) -> list[str]:
    return json.loads(project.scalar("SELECT keywords FROM themes WHERE id = ?", (theme_id,)))


def _run_made(project, tmp_path) -> dict[str, int]:
    """The export study's themes, two of them with the words of a run that found them."""
    ids = build_study(project, tmp_path)["themes"]
    project.history.apply(UpdateTheme(ids["hybrid"], {"keywords": ["stale", "words"]}))
    project.history.apply(UpdateTheme(ids["wellbeing"], {"keywords": ["isolated"]}))
    return ids


def test_a_merge_finds_the_keywords_again_and_undo_restores_the_runs(project, tmp_path):
    ids = _run_made(project, tmp_path)
    before = project.scalar("SELECT keywords FROM themes WHERE id = ?", (ids["hybrid"],))
    op = MergeThemes([ids["hybrid"], ids["tech"]], ids["hybrid"])
    assert op.describe() == "Merge 2 themes"
    project.history.apply(op)
    merged = _keywords(project, ids["hybrid"])
    assert "stale" not in merged and len(merged) >= 3
    assert TECH & {w.lower() for w in merged}   # the tech cards'
    assert project.history.undo()
    assert project.scalar("SELECT keywords FROM themes WHERE id = ?", (ids["hybrid"],)) == before
    assert _keywords(project, ids["tech"]) == []          # the team's theme, back as it was
    assert project.history.redo()
    assert _keywords(project, ids["hybrid"]) == merged


def test_cards_moved_in_or_out_change_the_keywords_of_run_made_themes_only(project, tmp_path):
    ids = _run_made(project, tmp_path)
    cards = [tuple(r) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (ids["tech"],))]
    project.history.apply(MoveCards(cards, ids["wellbeing"]))
    taken = _keywords(project, ids["wellbeing"])
    assert taken != ["isolated"] and TECH & {w.lower() for w in taken}
    assert _keywords(project, ids["tech"]) == []          # the team's: none made up for it
    # every card out again: a theme with no cards has no keywords to show
    own = [tuple(r) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (ids["wellbeing"],))]
    project.history.apply(MoveCards(own, None))
    assert _keywords(project, ids["wellbeing"]) == []
    project.history.undo()
    assert _keywords(project, ids["wellbeing"]) == taken
    project.history.undo()
    assert _keywords(project, ids["wellbeing"]) == ["isolated"]


def test_moving_cards_about_inside_their_theme_leaves_the_keywords(project, tmp_path):
    ids = _run_made(project, tmp_path)
    cards = [tuple(r) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (ids["hybrid"],))]
    project.history.apply(MoveCards(cards, ids["hybrid"],
                                    [(5.0, float(i)) for i in range(len(cards))]))
    assert _keywords(project, ids["hybrid"]) == ["stale", "words"]
    assert {c.table for c in project.history.done[-1].changes} == {"card_places"}


def test_the_board_module_does_not_load_the_labelling_at_start_up():
    root = Path(__file__).resolve().parents[1]
    code = ("import sys; import synth.board; "
            "print('synth.themes.labels' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False"]


def test_a_batch_of_moves_finds_the_keywords_once_for_all_its_themes(project, tmp_path,
                                                                     monkeypatch):
    """Accepting the suggestions for several themes is one Batch of moves: the keywords are
    found once at its end, for every theme it changed, not once per move."""
    from synth.board import Batch
    from synth.themes import labels
    ids = _run_made(project, tmp_path)
    calls = []
    real = labels.theme_keywords
    monkeypatch.setattr(labels, "theme_keywords",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    tech = [tuple(r) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (ids["tech"],))]
    project.history.apply(Batch([MoveCards(tech[:2], ids["hybrid"]),
                                 MoveCards(tech[2:], ids["wellbeing"])]))
    assert len(calls) == 1
    assert _keywords(project, ids["hybrid"]) != ["stale", "words"]
    assert _keywords(project, ids["wellbeing"]) != ["isolated"]
    project.history.undo()
    assert _keywords(project, ids["hybrid"]) == ["stale", "words"]
    assert _keywords(project, ids["wellbeing"]) == ["isolated"]


def test_a_name_the_unsorted_cards_use_as_one_stays_out_after_a_drag(project):
    """Review: read from a sample of the placed cards, a refresh lost the cues in unsorted
    cards ("Thanks Kwame.") and put "Kwame" among a theme's keywords and into the report."""
    from synth.board import CreateTheme
    from synth.project import now_iso
    from synth.themes.labels import theme_keywords
    import numpy as np
    bus = ["Kwame runs the bus rota and it works", "The bus rota under Kwame is fair",
           "Kwame fixed the late bus timetable", "Bus rota changes weekly",
           "Late buses again on the rota", "The rota for the bus is confusing", "Kwame rota bus"]
    pay = ["Pay is too low for the work", "Pay freeze hurts morale", "Pension changes worry me",
           "Pay rises never match inflation", "Pay grades are unfair",
           "Pension contributions rose"]
    unsorted = ["Thanks Kwame.", "Kwame said the canteen closes early.", "I agree with Kwame.",
                "Cheers Kwame!"]
    texts = bus + pay + unsorted
    with project.transaction() as db:
        db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES (1, 'debate', 'd', "
                   "?)", (now_iso(),))
        db.executemany("INSERT INTO statements(id, source_id, external_id, text, moderation, "
                       "agree_tally, disagree_tally, pass_tally) VALUES (?, 1, ?, ?, 0, 1, 1, 0)",
                       [(i + 1, str(i), t) for i, t in enumerate(texts)])
    run = theme_keywords(texts, np.array([0] * 7 + [1] * 6 + [-1] * 4), 2)
    assert "kwame" not in {w.lower() for w in run[0]}
    t = project.history.apply(CreateTheme("Bus & rota", [("statement", i + 1) for i in range(7)],
                                          status="candidate", keywords=run[0]))
    project.history.apply(CreateTheme("Pay & pension", [("statement", i + 8) for i in range(6)],
                                      status="candidate", keywords=run[1]))
    project.history.apply(MoveCards([("statement", 8)], t))
    now = _keywords(project, t)
    assert now != run[0] and "kwame" not in {w.lower() for w in now}   # found again, no name


def test_a_theme_with_parts_and_a_big_board_keep_the_runs_words(project, tmp_path, monkeypatch):
    """A theme with sub-themes keeps its whole cluster's words (review: one card dragged into a
    split theme made its keywords that card's); past ``REFRESH_UP_TO`` cards a move keeps the
    run's words (reading every card held the window 1.4 s on 120,000)."""
    from synth import board
    from synth.board import CreateTheme
    ids = _run_made(project, tmp_path)
    tech = [tuple(r) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (ids["tech"],))]
    project.history.apply(CreateTheme("A part", [], parent_id=ids["hybrid"]))
    project.history.apply(MoveCards(tech[:1], ids["hybrid"]))
    assert _keywords(project, ids["hybrid"]) == ["stale", "words"]
    monkeypatch.setattr(board, "REFRESH_UP_TO", 10)
    project.history.apply(MoveCards(tech[1:2], ids["wellbeing"]))
    assert _keywords(project, ids["wellbeing"]) == ["isolated"]
    monkeypatch.undo()
    project.history.apply(MoveCards(tech[2:3], ids["wellbeing"]))
    assert _keywords(project, ids["wellbeing"]) != ["isolated"]


def test_a_theme_made_from_cards_of_a_run_made_theme_finds_that_ones_words_again(project,
                                                                               tmp_path):
    """Review: Create theme from selection took 45 of a theme's 47 cards and left its words."""
    from synth.board import CreateTheme
    ids = _run_made(project, tmp_path)
    own = [tuple(r) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (ids["wellbeing"],))]
    assert len(own) >= 2
    project.history.apply(CreateTheme("Taken out", own[:-1]))
    assert _keywords(project, ids["wellbeing"]) not in (["isolated"], [])
    project.history.undo()
    assert _keywords(project, ids["wellbeing"]) == ["isolated"]


def test_found_again_with_no_card_moved_the_keywords_are_the_runs(project):
    """One rule for the run's words and the refresh's (review: the refresh showed "mall" as
    "Mall" and differed from the run on 2 of 13 themes with no card moved)."""
    from synth import board
    from synth.operations import Tx
    from synth.themes.project_themes import discover_themes
    from tests.themes_study import fill
    # the shopping theme writes "Mall" with a capital more often than not; the study as a
    # whole does not (the bus cards say "mall"), so the run shows "mall"
    fill(project, ["The new Mall downtown is empty", "Shops at the Mall close early",
                   "The Mall car park is full", "We need a mall with more shops",
                   "The bus to the mall is rare", "A bus to the mall on Sundays please",
                   "The bus from the mall never comes on time", "Bus fares went up again",
                   "Bus drivers are friendly", "The bus stop has no shelter"])
    result = discover_themes(project, k=2, seed=0)
    ids = [t["id"] for t in result["themes"]]
    run = {t: _keywords(project, t) for t in ids}
    assert any("mall" in words for words in run.values())
    with project.transaction() as db:
        board.refresh_keywords(Tx(db), ids)
    assert {t: _keywords(project, t) for t in ids} == run
