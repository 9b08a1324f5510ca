"""A name's two words say two things: a hyphenated keyword is also each of its parts, so "day"
and "four-day" or "learning" and "e-learning" never make one name ("Day & four-day" and
"Learning & e-learning" named two of the sample study's themes), and the one rule that says two
words are alike serves both the name's own pair and the words bigger themes took."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import TakenWords, _overlaps, name_by_meaning, suggest_name


def test_a_hyphenated_word_is_each_of_its_parts():
    assert _overlaps("day", "four-day") and _overlaps("four-day week", "day")
    assert _overlaps("e-learning", "learning") and _overlaps("part-time", "time")
    assert not _overlaps("e-learning", "e-mail")        # parts of three letters or more only
    assert not _overlaps("four-day", "weekend") and not _overlaps("co-op", "op")
    taken = TakenWords(["Day & week"])
    assert taken.overlap("four-day") and taken.overlap("Four-Day")
    assert TakenWords(["e-learning"]).overlap("learning")
    assert not TakenWords(["e-learning"]).overlap("e-mail")


def test_a_name_does_not_pair_a_word_with_its_own_compound():
    keywords = ["day", "four-day", "week", "hour"]
    assert suggest_name(keywords, "A four-day week gives a day back each week") == "Day & week"
    centre = np.array([1.0, 0.0, 0.0], np.float32)
    vectors = np.array([[1, 0, 0], [0.6, 0.8, 0], [0.5, 0, 0.866]], np.float32)
    # "e-learning" adds most to "learning" by meaning, but it is "learning" again
    assert name_by_meaning(["learning", "e-learning", "budget"], vectors, centre) == (
        "Learning & budget")
    # a bigger theme named "Day & week" leaves "four-day" out of a second place when it can
    assert name_by_meaning(["hours", "four-day", "rota"], vectors, centre,
                           TakenWords(["Day", "week"])) == "Hours & rota"
