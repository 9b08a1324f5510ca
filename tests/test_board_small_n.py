"""A statement card on the board marks a figure too few voted for with †, as the Details panel
and the report do, at the project's own small-n threshold; a well-voted card carries no mark."""
from __future__ import annotations


def _latest_vote_counts(p, cards) -> dict[int, int]:
    """Votes per statement on the board (rejected statements are no cards)."""
    from synth.votes.statement_figures import statement_tallies
    return {sid: f.overall.n for sid, f in statement_tallies(p).items()
            if ("statement", sid) in cards}


def test_cards_with_few_votes_carry_the_dagger(qtbot, sample_project):
    from ui.board.data import load_cards
    from ui.board.items import CardItem
    from ui.board.style import BoardStyle
    cards = load_cards(sample_project)
    counts = _latest_vote_counts(sample_project, cards)
    few = sorted(sid for sid, n in counts.items() if 0 < n < 10)
    many = sorted(sid for sid, n in counts.items() if n >= 10)
    # the sample study's late statements get a handful of votes on purpose
    assert few and many
    assert [sid for sid in counts if cards[("statement", sid)].few_votes] == \
        [sid for sid in counts if 0 < counts[sid] < 10]
    style = BoardStyle()
    small = CardItem(cards[("statement", few[0])], style)
    small._prepare()
    assert small._agree_label.text().endswith(f"n={counts[few[0]]} †")
    assert "few voted" in small.accessible_text()
    large = CardItem(cards[("statement", many[0])], style)
    large._prepare()
    assert large._agree_label.text().endswith(f"n={counts[many[0]]}")
    assert "few voted" not in large.accessible_text()


def test_the_threshold_is_the_projects_setting(qtbot, sample_project):
    from ui.board.data import load_cards
    counts = _latest_vote_counts(sample_project, load_cards(sample_project))
    n = sorted(counts.values())[len(counts) // 2]      # the median statement's votes
    sample_project.set_setting("report.small_n", n + 1)
    cards = load_cards(sample_project)
    flagged = {sid for sid in counts if cards[("statement", sid)].few_votes}
    assert flagged == {sid for sid, c in counts.items() if 0 < c <= n}
    assert len(flagged) >= len(counts) // 2
