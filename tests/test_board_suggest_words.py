"""More like this by shared words (before the cards are embedded) offers what the embedded
suggestions offer: unsorted cards and other themes' cards, never the theme's own (its
sub-themes' included) nor a pinned theme's; transcribers' annotations share no words."""
from __future__ import annotations

from ui.board.data import CardData, ThemeData
from ui.board.suggest import similar_cards, word_suggestions


def _card(n: int, text: str, theme: int | None) -> CardData:
    return CardData("note", n, text, 1, "notes", "Workshop", "", theme)


def _theme(tid: int, parent: int | None = None, pinned: bool = False) -> ThemeData:
    return ThemeData(tid, parent, f"Theme {tid}", "#ccc", "candidate", tid, pinned=pinned)


def test_words_offer_other_themes_cards_but_never_pinned_or_own_ones():
    themes = {1: _theme(1), 2: _theme(2, parent=1),          # Rotas, split: its part 2
              3: _theme(3, pinned=True), 4: _theme(4, parent=3),   # pinned, with a part
              5: _theme(5)}                                  # another theme
    rota = "the shift rota changes every week without notice"
    cards = {c.ref: c for c in [
        _card(1, "shift rota published late", 1), _card(2, "rota swaps need a manager", 2),
        _card(3, rota, 3), _card(4, rota, 4),                        # fixed by the pin
        _card(5, "night shift rota is hard on carers", 5),           # misplaced, maybe
        _card(6, "weekend shift rota never fair", None),             # unsorted
        _card(7, "rota and shift swaps by text", 99),                # its theme gone: unsorted
        _card(8, "the canteen closes early", None)]}
    got = word_suggestions(cards, themes, 1, k=6)
    assert set(got) == {("note", 5), ("note", 6), ("note", 7)}
    # its own cards and its part's are what it reads like: a split theme (no card of its
    # own) is still offered cards, by its parts' words
    del cards[("note", 1)]
    assert set(word_suggestions(cards, themes, 1, k=6)) == {("note", 5), ("note", 6),
                                                            ("note", 7)}
    # for the part: its parent's card is another theme's, offered; the pinned ones never
    assert ("note", 3) not in word_suggestions(cards, themes, 2, k=6)
    # the pinned theme itself reads its own and its part's words; nothing of its is offered
    assert set(word_suggestions(cards, themes, 3, k=6)) == {("note", 2), ("note", 5),
                                                            ("note", 6), ("note", 7)}


def test_transcribers_annotations_are_not_shared_words():
    texts = {("passage", 1): "[laughter] the rota again [laughter]",
             ("passage", 2): "[Laughter] rota swaps [crosstalk]",
             ("passage", 3): "[laughter] the canteen closes (laughs)",
             ("passage", 4): "Le télétravail à Zürich: l'équipe préfère le télétravail"}
    members = [("passage", 1), ("passage", 2)]
    assert similar_cards(texts, members, [("passage", 3)]) == []
    # words are read as theme keywords read them: accents and all
    assert similar_cards({**texts, ("passage", 5): "télétravail chez nous"},
                         [("passage", 4)], [("passage", 3), ("passage", 5)]) == [("passage", 5)]
