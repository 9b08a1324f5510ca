"""A statement card on the board marks a figure too few voted for with †, as the Details panel
and the report do, at the project's own small-n threshold, and follows it when the export
dialog changes it (or its rule becomes "show": the report then marks nothing); a well-voted
card carries no mark."""
from __future__ import annotations

import pytest

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401 - fixtures

pytestmark = pytest.mark.qt


def _latest_vote_counts(p, cards) -> dict[int, int]:
    """Votes per statement on the board (rejected statements are no cards)."""
    from synth.votes.statement_figures import statement_tallies
    return {sid: f.overall.n for sid, f in statement_tallies(p).items()
            if ("statement", sid) in cards}


def _label(card, style) -> str:
    from ui.board.items import CardItem
    item = CardItem(card, style)
    item._prepare()
    return item._agree_label.text(), item.accessible_text()


def test_cards_with_few_votes_carry_the_dagger(qtbot, sample_project):
    from ui.board.data import load_cards
    from ui.board.style import BoardStyle
    cards = load_cards(sample_project)
    counts = _latest_vote_counts(sample_project, cards)
    few = sorted(sid for sid, n in counts.items() if 0 < n < 10)
    many = sorted(sid for sid, n in counts.items() if n >= 10)
    assert few and many     # the sample study's late statements get a handful of votes
    style = BoardStyle()
    label, said = _label(cards[("statement", few[0])], style)
    assert label.endswith(f"n={counts[few[0]]} †") and "few voted" in said
    label, said = _label(cards[("statement", many[0])], style)
    assert label.endswith(f"n={counts[many[0]]}") and "few voted" not in said


def test_the_board_follows_the_projects_threshold_and_rule(window, sample_project_file,
                                                           tmp_path, qtbot):
    """Review: the export dialog set the threshold to 40; Details followed, the board kept
    its † at 10 until the project was opened again."""
    import shutil
    path = tmp_path / "s.synth"
    shutil.copy(sample_project_file, path)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready, timeout=20000)
    cards = window.scene.cards
    counts = _latest_vote_counts(window.project, cards)
    mid = next(sid for sid, n in sorted(counts.items(), key=lambda x: x[1]) if 10 <= n < 40)
    card = cards[("statement", mid)]
    assert not _label(card, window.scene.style)[0].endswith("†")
    window.project.set_setting("small_n_threshold", 40)
    window.sync_small_n()
    assert _label(card, window.scene.style)[0].endswith(f"n={counts[mid]} †")
    assert window.details_panel.small_n == 40
    window.project.set_setting("small_n_action", "show")
    window.sync_small_n()
    assert not _label(card, window.scene.style)[0].endswith("†")
    assert window.details_panel.small_n == 0


def test_every_view_marks_by_one_rule(sample_project):
    """Review: with the rule "show" the board and Details marked nothing while the Votes
    table marked 21 cells †: every view reads FigureRegistry.flag_below."""
    from exports.figures import FigureRegistry
    from ui.panels.votes import VotesPanel
    sample_project.set_setting("small_n_threshold", 40)
    assert FigureRegistry.for_project(sample_project).flag_below == 40
    assert VotesPanel.read(sample_project)["small_n"] == 40
    sample_project.set_setting("small_n_action", "show")
    assert FigureRegistry.for_project(sample_project).flag_below == 0
    data = VotesPanel.read(sample_project)
    assert data["small_n"] == 0 and not data["table"][5].any()    # no cell marked small
