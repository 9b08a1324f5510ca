"""The rule behind the Details panel's name caution (``synth.themes.caution``), on real texts of
the Bowling Green Pol.is debate: what counts as a name, and when a theme is cautioned."""
from __future__ import annotations

from synth.themes.caution import MIN_CARDS, name_caution, read_names

# american-assembly.bowling-green comments (ids 81, 171, 667, 718, 3, 143, 279, 202)
CITY = "Bowling Green should spend less time redoing the same sidewalks over and over again " \
       "and focus on the areas that actually need improvement."
LIGHTS = "There are too many traffic lights in parts of Bowling Green (for instance, " \
         "Scottsville Road)."
FOOD = "Bowling Green needs more access to affordable , healthy, local food sources."
LOWER = "Bowling green needs to work in beautifying the city . More Boulvard like roads with " \
        "planted flowers and reducing overhead utility clusters."
VOTE = "I should be able to vote in city elections if I pay city taxes, even though I may " \
       "live in the county."
COUNTY = "You shouldn't be required to pay County taxes if you live in the City (but not the " \
         "other way around). It makes no sense."
ROADS = "New developments should help pay to widen the roads in the areas where they are " \
        "increasing traffic."
WKU = "Residential Parking Permits for areas near WKU. We can rescue our yards from parking. " \
      "We pay property taxes for the students."
BG = "BG needs a better public transit system."


def _names(texts):
    return read_names({("statement", i): t for i, t in enumerate(texts)})


def test_a_name_and_its_acronym_are_one_name_and_a_subject_word_is_none():
    names = _names([CITY, LIGHTS, FOOD, LOWER, VOTE, COUNTY, ROADS, WKU, BG])
    said = {i: names.of_card.get(("statement", i), frozenset()) for i in range(9)}
    assert "bg" in said[0] and "bg" in said[1] and "bg" in said[8]      # Bowling Green, BG
    assert names.written["bg"] == "Bowling Green or BG"
    assert "bowling green" not in said[3] and "bg" not in said[3]      # "Bowling green"
    assert "scottsville road" in said[1] and "wku" in said[7]
    every = set().union(*said.values())
    # "pay" in lower case; "There", "New", "You", "I" open sentences; "Residential …" too
    for word in ("pay", "there", "new", "you", "i", "residential", "we", "it"):
        assert word not in every, word


def _board(theme: list[str], others: list[list[str]], unsorted: list[str] = ()):
    """Cards of one theme (id 1), of other themes (2, 3 …) and unsorted: (names, cards of
    theme 1, every card's theme)."""
    texts, place, i = {}, {}, 0
    for tid, group in [(1, theme)] + [(t + 2, g) for t, g in enumerate(others)] + \
            [(None, list(unsorted))]:
        for text in group:
            texts[("statement", i)] = text
            place[("statement", i)] = tid
            i += 1
    return read_names(texts), [r for r, t in place.items() if t == 1], place


FILLER = [VOTE, ROADS, COUNTY, WKU] * 10


def test_a_theme_most_of_whose_cards_name_the_setting_is_cautioned():
    theme = [CITY, LIGHTS, FOOD, BG, CITY, LIGHTS, FOOD, BG, ROADS, FOOD]   # 9 of 10 name it
    others = [[CITY, VOTE, ROADS], [LIGHTS, COUNTY], [BG, WKU], [FOOD]]
    names, cards, place = _board(theme, others, FILLER)
    caution = name_caution(names, 1, cards, place)
    assert caution is not None and (caution.name, caution.naming, caution.size,
                                    caution.outside, caution.other_themes) == \
        ("Bowling Green or BG", 9, 10, 4, 4)
    assert caution.text().startswith("9 of 10 cards name “Bowling Green or BG”, and so do 4 "
                                     "cards outside it, in 4 other themes: the theme may be "
                                     "held together by the name rather than by a subject.")


def test_no_caution_below_the_share_the_size_or_the_spread_elsewhere():
    others = [[CITY, VOTE, ROADS], [LIGHTS, COUNTY], [BG, WKU], [FOOD]]
    # 7 of 10 name it: under 80 %
    theme = [CITY, LIGHTS, FOOD, BG, CITY, LIGHTS, FOOD, ROADS, VOTE, COUNTY]
    names, cards, place = _board(theme, others, FILLER)
    assert name_caution(names, 1, cards, place) is None
    # every card names it, but a theme of 5 says too little
    small = [CITY, LIGHTS, FOOD, BG, CITY][:MIN_CARDS - 1]
    names, cards, place = _board(small, others, FILLER)
    assert name_caution(names, 1, cards, place) is None
    # said in only two other themes: a topic's name, not the setting
    names, cards, place = _board([CITY, LIGHTS, FOOD, BG] * 2, [[CITY, VOTE], [BG, WKU]],
                                 FILLER)
    assert name_caution(names, 1, cards, place) is None


def test_every_card_saying_pay_is_no_name():
    """A "Pay" theme of the kind the benchmark sets hold: every card says "pay", and so do
    cards of other themes, but it is written in lower case."""
    theme = [VOTE, COUNTY, ROADS, WKU] * 2
    others = [[VOTE, CITY], [COUNTY, LIGHTS], [ROADS, FOOD], [WKU]]
    names, cards, place = _board(theme, others, [CITY, LIGHTS] * 10)
    assert name_caution(names, 1, cards, place) is None
