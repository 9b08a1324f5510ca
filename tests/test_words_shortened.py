"""One way to cut a text short in a message (``synth.words.shortened``): the importers'
warnings and the strength check each had a copy, some cutting inside a word ("local s…"),
some leaving line breaks in a one-line message, one stopping three characters short."""
from __future__ import annotations

import pytest

from synth.words import shortened

DEBATE = "What is the best way to engage more young people in local services?"


@pytest.mark.parametrize("text, limit, short", [
    ("Leeds workshop", 80, "Leeds workshop"),                    # fits: whole
    ("Bowling Green\n  workshop,\t12 May", 80, "Bowling Green workshop, 12 May"),
    (DEBATE, len(DEBATE), DEBATE),                               # exactly the limit: whole
    (DEBATE, 60, "What is the best way to engage more young people in local…"),
    ("twenty three thousand", 12, "twenty…"),                    # after the last whole word
    ("abc def ghi", 8, "abc def…"),                              # a word ends at the cut
    ("a 00:00:05.120-->00:00:09.440", 12, "a 00:00:05.…"),       # no word ends past half
    ("", 10, ""),
])
def test_a_text_is_cut_after_a_whole_word_within_the_limit(text, limit, short):
    assert shortened(text, limit) == short
    assert len(shortened(text, limit)) <= limit
