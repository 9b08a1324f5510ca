"""A theme whose texts share no word gets an honest name: QA's pile of emoji, numbers, a
spreadsheet formula, Welsh, Chinese and Arabic notes and two English test lines was named
"Different text & gweithio hyblyg", two words each said by one (repeated) note. Such a theme
is named by its most central text, quoted and shortened, and how many more cards it holds: five
themes of QA's messy notes were all "Mixed short texts", "(2)" … "(5)"."""
from __future__ import annotations

from collections import Counter

import numpy as np

from synth.themes.labels import (_no_shared_word, _Said, _shortened, _tally, label_themes,
                                  mixed_name)

PAY = ["Pay is too low for the work we do", "Pay has not kept up with rent",
       "Regional pay should reflect living costs", "Publish pay gaps by grade",
       "Pay rises are always late", "Same pay for the same job everywhere",
       "Low pay drives people out", "Pay bands overlap too much"]
JUNK = ["😀😀😀", "12345", '=HYPERLINK("http://evil.example","click")',
        "Gweithio hyblyg yn helpu teuluoedd yng Nghymru", "Duplicate id, different text",
        "在家工作需要更好的网络", "نحتاج إلى مرونة أكبر في ساعات العمل",
        'Line one of note\nline two, with comma, and "quotes"',
        "first line\nsecond line in the same paragraph",
        "Gweithio hyblyg yn helpu teuluoedd yng Nghymru", "Duplicate id, different text",
        "Gweithio hyblyg yn helpu teuluoedd yng Nghymru", "Duplicate id, different text"]


def _labelled(groups):
    texts = [t for g in groups for t in g]
    labels = np.concatenate([np.full(len(g), i) for i, g in enumerate(groups)])
    vectors = np.eye(len(texts), dtype=np.float32)
    centroids = np.stack([vectors[labels == t].mean(0) for t in range(len(groups))])
    return label_themes(texts, vectors, labels, centroids)


def test_a_pile_of_texts_sharing_no_word_is_named_so():
    pay, junk = _labelled([PAY, JUNK])
    # "line" is said by two of its nine different texts, "different text" by one said thrice
    # its central text (not the emoji, the number, nor the formula's link), 12 more cards, and
    # the languages its texts read as (English, Welsh, Chinese, Arabic)
    assert junk.name == "“Gweithio hyblyg yn helpu teuluoedd…” and 12 more, in 4 languages"
    assert "different text" in junk.keywords                   # its keywords stay its words
    assert pay.name.startswith("Pay")


def test_texts_sharing_a_word_keep_a_name_of_their_words():
    long_ones = ["Allow young people to be at the forefront of the decision making",
                 "Global transparency is a must for every public body we have",
                 "Good detail, clear and thorough, the full truth and nothing less",
                 "Involve them more in training and in spaces where policy is made"]
    pay, mixed = _labelled([PAY, long_ones])
    assert mixed.name == "“Allow young people…” and 3 more"   # no word said twice
    three = long_ones[:2] + ["Involve young people in the decision making"]
    pay, shared = _labelled([PAY, three])
    assert "Mixed" not in shared.name               # two of three say "young people"


def test_words_are_counted_once_per_different_text_with_their_inflections():
    said = _Said([Counter(), Counter()], [0, 0], set())
    _tally(JUNK + ["Our line managers", "A manager who listens"], np.array([0] * 13 + [1, 1]),
           2, said)
    assert said.texts == [9, 2]                  # 13 texts, 9 different
    assert said.words[0]["line"] == 2 and said.words[0]["gweithio"] == 1   # said thrice
    assert _no_shared_word(said.words[0], 9)
    assert not _no_shared_word(said.words[1], 2)                # two texts: too few to say
    assert not _no_shared_word(Counter({"manager": 2, "managers": 1}), 5)   # 3 with "-s"
    assert _no_shared_word(Counter({"manager": 2, "sorry": 2}), 5)
    assert not _no_shared_word(Counter({"manager": 2}), 3)      # two of three: half


def test_a_mixed_name_says_short_and_how_many_languages():
    assert mixed_name(["12345", "😀", "ok then"], Counter({"": 3})) == "Mixed short texts"
    assert mixed_name(["one two three four five six seven eight nine"] * 3,
                      Counter({"en": 2, "cy": 1})) == "Mixed texts in 2 languages"
    # with a central text to quote
    assert mixed_name(["hybrid works for me", "12345", "commute costs"], Counter({"en": 2}),
                      "hybrid works for me", 5) == "“hybrid works for me” and 4 more"
    assert mixed_name(["a", "b", "c"], Counter({"en": 2, "cy": 1}), "Different text", 3) == (
        "“Different text” and 2 more, in 2 languages")
    # a theme of texts without a word to quote keeps the plain name
    names = [lab.name for lab in _labelled([PAY, JUNK, ["12345", "67890", "😀", "🙂"]])]
    assert names[1:] == ["“Gweithio hyblyg yn helpu teuluoedd…” and 12 more, in 4 languages",
                         "Mixed short texts"]
    names = [lab.name for lab in _labelled([PAY, ["12345", "67890", "😀"], ["1", "2", "🙂"]])]
    assert names[1:] == ["Mixed short texts", "Mixed short texts (2)"]


MESSY = [["hybrid works for me", "commute costs a fortune", "new laptop pls",
          "monitor at home?", "sharepoint is slow"],
         ["IT helpdesk never answers", "always blocked", "burnt out", "meetings cancelled",
          "it happens"],
         ["carers need flexibility", "mental health days", "mgr doesnt care"]]


def test_themes_of_short_notes_sharing_no_word_are_told_apart():
    names = [lab.name for lab in _labelled([PAY, *MESSY])]
    assert names[1:] == ["“hybrid works for me” and 4 more",
                         "“IT helpdesk never answers” and 4 more",
                         "“carers need flexibility” and 2 more"]


def test_a_long_central_text_is_cut_at_a_word_that_is_no_stop_word():
    assert _shortened("Allow them to be at the forefront of the decision making") == (
        "Allow them to be at the forefront…")
    assert _shortened("Junking up highways/roadways with billboards and signs") == (
        "Junking up highways/roadways…")
    assert _shortened('a "quoted" note\nsecond line') == "a quoted note second line"
