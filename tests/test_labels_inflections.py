"""Inflections of one word are one keyword, as a plural and its singular are: the sample study's
themes listed "promotion" and "promoted", "learning", "learn" and "learned" side by side. A
light suffix rule (``stem``), not a dictionary: words it would wrongly make one stay apart."""
from __future__ import annotations

from synth.themes.labels import inflection_folds, stem, word_folds
from tests.test_themes_written_forms import label_halves


def test_a_light_stem_joins_inflections_and_leaves_other_words_apart():
    assert {stem(w) for w in ("promotion", "promotions", "promoted", "promote",
                              "promoting")} == {"promot"}
    assert {stem(w) for w in ("learn", "learns", "learned", "learning")} == {"learn"}
    assert stem("planned") == stem("plan") and stem("studied") == stem("study")
    assert stem("called") == "call" and stem("discussion") == stem("discussed")
    # words of four letters or fewer once an ending is off, and other words, keep theirs
    assert stem("need") == "need" and stem("code") == "code" and stem("news") == "news"
    for one, other in [("billion", "bill"), ("station", "state"), ("mission", "miss"),
                       ("pension", "pens"), ("manager", "manage"), ("starters", "start"),
                       ("business", "busy"), ("status", "stat")]:
        assert stem(one) != stem(other), (one, other)
    assert stem("AI") == "AI" and stem("远程") == "远程" and stem("four-day") == "four-day"


def test_inflections_fold_to_one_key_and_plurals_fold_first():
    assert inflection_folds({"learn", "learned", "learning", "budget"}) == {
        "learned": "learn", "learning": "learn"}
    assert inflection_folds({"promotion", "promoted"}) == {"promotion": "promoted"}
    assert word_folds({"managers", "manager", "managed", "promotions", "promoted"}) == {
        "managers": "manager", "promotions": "promoted"}


def test_a_themes_keywords_say_a_word_once_whatever_its_endings():
    texts = ["Promotion boards favour the confident", "I was promoted after five years",
             "Temporary promotion for eighteen months", "Nobody gets promoted from part-time",
             "Promotion interviews reward talkers", "Interview panels need training",
             "Promotion panels are not fair",
             "Learning budgets were cut", "I learn on my own time at weekends",
             "We learned more from peers than courses", "Learn by doing, not by slides",
             "I learned Excel from videos", "Protected learning time please",
             "Learning in work hours, not after"]
    promotion, learning = label_halves(texts)
    # 4 "promotion", 2 "promoted": one keyword, as the theme writes it most
    assert promotion.keywords[:2] == ["promotion", "interview"]
    assert "promoted" not in promotion.keywords          # was: promotion, interview, promoted
    assert learning.keywords[0] == "learning"             # was: learning, learn, learned
    assert not {"learn", "learned"} & set(learning.keywords)
    assert (promotion.name, learning.name) == ("Promotion & interview", "Learning & budgets")
