"""Transcribers' annotations typed with full-width brackets (Chinese and Japanese keyboards) are
annotations as the half-width ones are: "［音声不明瞭］" like "[inaudible]", "（笑）" and "（laughs）"
like "(laughs)"; round brackets holding the speaker's own words stay, in either width."""
from __future__ import annotations

from synth.themes.labels import tokens, without_annotations, written_forms
from tests.test_themes_written_forms import label_halves


def test_full_width_brackets_are_annotations_as_half_width_ones_are():
    # square brackets of either width: whatever they hold, in the same places
    assert without_annotations("a ［inaudible］ b") == "a " + " " * 11 + " b"
    assert tokens("Night shifts are hard （laughs） on the family ［inaudible 00:12:03］") == [
        "night", "shifts", "hard", "family"]
    assert tokens("the union （PCS） wants a review") == ["union", "pcs", "review"]
    # Japanese and Chinese stage directions, in round brackets of either width
    assert tokens("在宅勤務は楽です［音声不明瞭］（苦笑い）") == ["在宅", "宅勤", "勤務"]
    assert tokens("通勤時間がなくなった(笑)（一同笑い）（拍手）") == ["通勤", "勤時", "時間"]
    assert tokens("工资太低（叹气）（停顿）") == ["工资", "资太", "太低"]
    # the brackets hold the direction alone: a word that contains one is the speaker's
    assert tokens("笑顔の職場（笑顔）がいい") == ["笑顔", "職場", "笑顔"]
    assert tokens("勤務（時間）が長い") == ["勤務", "時間"]


def test_full_width_annotations_make_no_keywords_names_or_spellings():
    texts = ["在宅勤務で通勤時間がなくなりました［音声不明瞭］", "在宅勤務のおかげで通勤時間が減った（苦笑）",
             "テレワークと在宅勤務で通勤時間が減った［音声不明瞭］", "通勤時間が長いので在宅勤務（苦笑）",
             "Pay is low （laughs） for our grade ［Inaudible］", "A fair pay grade ［Crosstalk］",
             "Pay grade review now （Laughs）", "The grade pay gap ［Inaudible］"]
    got = label_halves(texts)
    words = {w for lab in got for k in lab.keywords for w in k.split()}
    assert not words & {"音声", "声不", "不明", "明瞭", "苦笑", "laughs", "inaudible", "crosstalk",
                        "Laughs", "Inaudible", "Crosstalk"}
    # "pay grade" (twice) and "grade pay" hold 3 of the 4 "grade"s and "pay"s: one phrase
    assert [lab.name for lab in got] == ["勤務 & 在宅", "Pay grade & low"]
    assert written_forms(texts[4:]) == {}        # "［Inaudible］" names no written form
