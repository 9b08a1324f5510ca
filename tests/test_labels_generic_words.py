"""Words of talk, not of topics ("actually", "thing", "made", "known"), make no keyword or name:
a labels-only list (``GENERIC_WORDS``), kept apart from the stop words the clustering uses."""
from __future__ import annotations

from synth.themes.labels import ctfidf_keywords, tokens
from synth.themes.stopwords import GENERIC_WORDS, STOP_WORDS
from tests.test_themes_written_forms import label_halves


def test_generic_words_are_for_labels_only():
    assert {"actually", "thing", "things", "made", "known", "thought", "something"} <= GENERIC_WORDS
    assert not GENERIC_WORDS & STOP_WORDS            # the clustering's stop list is not touched
    assert len(STOP_WORDS) == 193                    # as before GENERIC_WORDS
    assert 25 <= len(GENERIC_WORDS) <= 60             # short, words of no topic in any study
    # still words for More like this and the clustering's keyword view
    assert tokens("I actually made a thing") == ["actually", "made", "thing"]


def test_a_chatty_theme_is_named_by_what_it_is_about():
    texts = ["Honestly the canteen is actually fine, the thing is the queue",
             "The canteen queue is the thing I hate, it actually takes twenty minutes",
             "They made the canteen smaller and the queue is known to be awful",
             "The queue at the canteen, you know, is a known thing",
             "Parking permits made free for night shifts", "Parking costs more than lunch",
             "Free parking for carers", "The parking permits were never made fair"]
    canteen, parking = label_halves(texts)
    said = {w.lower() for lab in (canteen, parking) for k in lab.keywords for w in k.split()}
    assert not said & {"actually", "thing", "made", "known", "honestly", "know"}
    assert canteen.keywords[:2] == ["canteen", "queue"] and canteen.name == "Canteen & queue"
    assert parking.keywords[0] == "parking" and "made" not in parking.name.lower()
    # a phrase holding one is left out too ("made free"), not only the word
    assert not [k for k in ctfidf_keywords(texts, [0] * 4 + [1] * 4, 2, top=20)[1]
                if "made" in k.split()]
