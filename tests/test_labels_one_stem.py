"""One stem for every word rule of the labels: a theme's plurals, its other inflections and the
test of two name words saying one thing were three rules (a plural fold that looked for the
singular among the words, a suffix stem, a crude shared prefix) that did not agree: "hopes"
counted as "hop" and "James" as "jam" (a singular found by taking "-es" off), and a bigger
theme's "topped" did not keep "topping" out of a smaller theme's name."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import (TakenWords, _overlaps, name_by_meaning, plural_folds, singular,
                                 stem, word_folds)


def test_a_plural_is_folded_by_its_own_ending_not_by_any_word_it_contains():
    assert word_folds({"hopes", "hop", "james", "jam", "cones", "con"}) == {}
    assert plural_folds({"hopes", "hop", "hope"}) == {"hopes": "hope"}
    # hyphenated words and acronyms have plurals too
    assert word_folds({"e-mails", "e-mail", "top-ups", "top-up", "cpus", "cpu"}) == {
        "e-mails": "e-mail", "top-ups": "top-up", "cpus": "cpu"}
    assert [singular(w) for w in ("lunches", "boxes", "cases", "times", "policies", "tries",
                                  "status", "analysis", "class", "news")] == [
        "lunch", "box", "case", "time", "policy", "try", "status", "analysis", "class", "news"]


def test_the_plural_and_the_inflections_of_a_word_have_one_stem():
    assert len({stem(w) for w in ("retire", "retires", "retired", "retiring")}) == 1
    assert len({stem(w) for w in ("party", "parties", "partied", "partying")}) == 1
    assert stem("exceeds") == stem("exceeded") == "exceed"    # a plural loses no "-ed"
    assert stem("changes") == stem("changed") == stem("changing")


def test_a_taken_word_keeps_its_inflections_out_of_a_name():
    assert _overlaps("topping", "topped") and TakenWords(["Top-up", "topped"]).overlap("topping")
    assert _overlaps("manager", "management") and _overlaps("department", "departmental")
    assert not _overlaps("hub", "hubs")                  # stems of three letters say nothing
    centre = np.array([1.0, 0.0, 0.0], np.float32)
    vectors = np.array([[1, 0, 0], [0.7, 0, 0.714], [0.6, 0.8, 0]], np.float32)
    cands = ["transfers", "topping", "fee"]
    assert name_by_meaning(cands, vectors, centre) == "Transfers & topping"
    # a bigger theme named "Top-up & topped" has said it
    assert name_by_meaning(cands, vectors, centre, TakenWords(["Top-up", "topped"])) == (
        "Transfers & fee")
