"""Labels read each text of a theme once: its keywords' words and phrases and its written forms
("VPN", "London") come from the same reading (they came from two before, each blanking the
annotations and finding the words again), and the answers are those of the two readings."""
from __future__ import annotations

import numpy as np

from synth.themes import labels as labelling

TEXTS = ["Working from home needs a decent VPN [laughter]", "The VPN drops every morning",
         "Our vpn is slow at home", "Home working saves the commute to London",
         "Most of London's jobs stay in London", "London offices are half empty",
         "Pay for London weighting is too low", "unsorted text about nothing in London",
         "Pay rises lag behind inflation", "A fair pay grade for every job", "pay grade review"]
LABELS = np.array([0, 0, 0, 0, 1, 1, 1, -1, 2, 2, 2])


def test_each_text_in_a_theme_is_read_once(monkeypatch):
    reads: list[str] = []
    blank = labelling.without_annotations

    def counted(text: str) -> str:
        reads.append(text)
        return blank(text)
    monkeypatch.setattr(labelling, "without_annotations", counted)
    vectors = np.eye(len(TEXTS), dtype=np.float32)
    centroids = np.stack([vectors[LABELS == t].mean(0) for t in range(3)])
    got = labelling.label_themes(TEXTS, vectors, LABELS, centroids)
    in_themes = [t for t, lab in zip(TEXTS, LABELS) if lab >= 0]
    # each text of a theme once, the unsorted one never; without the model, a name looks at
    # its theme's most central text again (one per theme), and at the split theme's name ("")
    assert sorted(reads) == sorted(in_themes + [TEXTS[lab.representatives[0]] for lab in got]
                                   + [""])
    assert len(reads) == 10 + 3 + 1          # it was 2 × 10 + 3 + 1
    assert "VPN" in got[0].keywords and "London" in got[1].keywords


def test_one_reading_answers_as_the_two_did():
    k = 3
    own = [[t for t, lab in zip(TEXTS, LABELS) if lab == theme] for theme in range(k)]
    spellings = [labelling.written_forms(texts) for texts in own]
    assert spellings == [{"vpn": "VPN", "london": "London"}, {"london": "London"}, {}]
    runs = {t: labelling.token_runs(t) for t in TEXTS}
    assert runs["Most of London's jobs stay in London"] == [["london", "jobs", "stay"],
                                                             ["london"]]
    keywords = labelling.ctfidf_keywords(TEXTS, LABELS, k, top=6)
    assert keywords == labelling.ctfidf_keywords(TEXTS, LABELS, k, top=6, spellings=spellings)
    counted: list[dict[str, int]] = [{} for _ in range(k)]
    for text, lab in zip(TEXTS, LABELS):
        for run in runs[text] if lab >= 0 else []:
            for w in run + [f"{a} {b}" for a, b in zip(run, run[1:])]:
                counted[lab][w] = counted[lab].get(w, 0) + 1
    raw, inside, languages = labelling._tally(TEXTS, LABELS, k)
    assert raw == counted
    assert [labelling._spellings(written) for written in inside] == spellings
    # the same reading tells each text's language: "" for those with no stop word to tell it
    assert languages == [{"en": 4}, {"en": 3}, {"en": 1, "": 2}]
    # 2 of the 3 "pay"s and both "grade"s are said as "pay grade": one keyword
    assert keywords[0][:2] == ["home", "vpn"] and keywords[2][0] == "pay grade"
