"""The Details panel's "Reads most like" offer (ui.analysis.nearest_offer) counts the themes'
cards once per board change: a click with the offer kept counts none (review: 4.8 ms a click
at 114,000 cards), and still sees a theme named or nested since, whose name then reads or no
longer reads for it (suggestions.theme_names)."""
from __future__ import annotations

from tests.test_suggest_named_themes import OFFICE, PAY, _board, _topic


def test_a_kept_offer_counts_no_card_and_sees_a_theme_nested_since(project, monkeypatch):
    from synth.board import CreateTheme, NestTheme
    from synth.themes import suggestions
    from ui.analysis import nearest_offer
    refs = _board(project)
    pay = project.history.apply(CreateTheme(PAY[0], description=PAY[1]))   # no card yet
    office = project.history.apply(CreateTheme(OFFICE[0], description=OFFICE[1]))
    it = project.history.apply(CreateTheme("Kit", status="candidate",      # a run's: no name
                                           cards=sorted(_topic(refs, "it"))[:3]))
    assert suggestions.embed_theme_names(project) == 2
    loose = sorted(_topic(refs, "pay"))[0]
    kept, offer = nearest_offer(project, loose)
    assert kept.placed == {it: 3} and offer[0][0] == pay
    assert {t for t, _ in kept.names} == {pay, office}
    counted = []
    real = suggestions.placed_counts
    monkeypatch.setattr(suggestions, "placed_counts",
                        lambda p: counted.append(1) or real(p))
    again, offer = nearest_offer(project, sorted(_topic(refs, "office"))[0], kept)
    assert counted == [] and again.themes is kept.themes and offer[0][0] == office
    # nested under the office theme, the IT cards make it a theme of 3 cards: at 3 its name
    # no longer reads (NAME_FADES, lowered here), which a click with the offer kept sees
    monkeypatch.setattr(suggestions, "NAME_FADES", 3)
    project.history.apply(NestTheme(it, office))
    nested, offer = nearest_offer(project, loose, again)
    assert counted == [] and {t for t, _ in nested.names} == {pay}
    assert office not in {t for t, _ in offer} and offer[0][0] == pay
    # a board change drops what is kept (the window's offer does: ui.panels.offer): counted
    fresh, _ = nearest_offer(project, loose)
    assert counted == [1] and fresh.placed == {it: 3}
