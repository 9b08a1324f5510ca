"""Wording of names and keywords (QA issue 3): a name's second word repeating a word of its
first ("Day & five days"), and a capital a few writers give a common noun shown as the
word's spelling ("Downtown & Mall" from "an upscale Mall")."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import TakenWords, _repeats, label_themes, name_by_meaning


def test_a_short_word_and_its_plural_say_one_thing_twice_in_a_name():
    assert _repeats("day", "days") and _repeats("five days", "day") and _repeats("AI", "AI tools")
    assert _repeats("manager", "management")             # as before (``_overlaps``)
    assert not _repeats("day", "dry") and not _repeats("bus", "but")
    assert not TakenWords(["Hub"]).overlap("hubs")      # a bigger theme's name: as before


def test_the_second_word_of_a_name_does_not_repeat_the_first():
    # "five days" says most besides "day", as in QA's workshop notes
    vectors = np.array([[1, 0, 0], [0.6, 0.8, 0], [0.5, 0.1, 0.86]], np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centre = np.array([0.9, 0.35, 0.25], np.float32)
    centre /= np.linalg.norm(centre)
    assert name_by_meaning(["day", "five days", "weekend"], vectors, centre) == "Day & weekend"


SHOPS = ["We need an upscale Mall downtown", "An upscale Mall would be great",
         "the mall car park is always full", "Warren County needs more shops",
         "shops close early in Warren County", "Downtown shops need parking"]
SCHOOLS = ["every county school needs a nurse", "county schools lack funding",
           "school buses are late in the county", "the mall is no place for a school trip",
           "more teachers for county schools"]


def test_a_common_noun_some_write_with_a_capital_is_shown_in_lower_case():
    texts = SHOPS + SCHOOLS
    labels = np.array([0] * len(SHOPS) + [1] * len(SCHOOLS))
    vectors = np.eye(len(texts), dtype=np.float32)
    centroids = np.stack([vectors[labels == t].mean(0) for t in range(2)])
    shops, schools = label_themes(texts, vectors, labels, centroids)
    assert "upscale mall" in shops.keywords and shops.name == "Upscale mall & downtown"
    # a name of capitalised words keeps them, though the study writes "county" in lower case
    assert "Warren County" in shops.keywords
    assert "county schools" in schools.keywords
