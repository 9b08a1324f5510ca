"""A card weighs as one voice in its theme's keywords and name: QA's note that pasted one
paragraph forty times, one card among nine, renamed its theme "Managers & badly handled" and
gave it six of its eight keywords ("nobody asked", "lifts break", "canteen closed", ...)."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import _tally
from tests.test_labels_mixed_texts import _labelled

PARAGRAPH = ("The office move has been badly handled, nobody asked us, the new building has no "
             "parking, the canteen closed, the lifts break, the desks are too few, the IT does "
             "not work, managers are stressed, and we are all tired of it. ")
MANAGERS = ["my manager is great", "manager never gives feedback",
            "too many direct reports for managers", "managers need training",
            "Manager micromanages everything", "no time for training", "want a mentor",
            "career path unclear", "I want to say a lot about this. " + PARAGRAPH * 40]
PAY = ["pay is to low for the work we do", "Pay!!!", "payrise pls",
       "pay rises never match inflation", "pay should rise with inflation every yr",
       "regional pay is unfair", "pay freeze again this year"]


def test_a_note_repeating_a_paragraph_does_not_name_its_theme():
    managers, pay = _labelled([MANAGERS, PAY])
    assert managers.name == "Manager & training"
    assert managers.keywords[:2] == ["manager", "training"]
    assert "nobody asked" not in managers.keywords and "badly handled" not in managers.keywords
    assert pay.name.startswith("Pay")
    # the same theme without the long note is named the same
    without, _ = _labelled([MANAGERS[:-1], PAY])
    assert without.name == managers.name


def test_only_a_text_repeating_itself_counts_its_words_once():
    texts = ["pay and more pay, the rent goes up and pay stays", "move " * 12 + "office",
             "office office desks desks meeting", "office office office desks desks"]
    raw, _, _ = _tally(texts, np.array([0, 1, 2, 3]), 4)
    assert raw[0]["pay"] == 3 and raw[0]["rent"] == 1      # 4 different words of 6: as said
    assert raw[1]["move"] == 2 and raw[1]["office"] == 1   # 2 of 13: 12 × 2/13, rounded
    assert raw[1]["move move"] == 2
    assert raw[2]["office"] == 2 and raw[2]["desks"] == 2  # 3 of 5: not under one in two
    assert raw[3]["office"] == 1 and raw[3]["desks"] == 1  # 2 of 5: 3 × 2/5 and 2 × 2/5
