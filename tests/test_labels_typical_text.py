"""A theme whose texts share no word is named by a text close to its centre and to most of its
texts: QA's workshop canvas named a theme of three wellbeing notes and one IT note "“The old
HR system” and 3 more", the IT note being nearest the centre by 0.008."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import label_themes, typical

NOTES = ["The old HR system", "Menopause support", "Employee assistance line",
         "Mental health first aiders"]
# their closeness in the embedding (all-MiniLM-L6-v2, as the project embedded them), pair by
# pair: (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)
CLOSENESS = (0.28, 0.42, 0.25, 0.14, 0.14, 0.37)


def _vectors(pairs: tuple[float, ...] = CLOSENESS) -> np.ndarray:
    """Four unit vectors with these closenesses, pair by pair."""
    gram = np.eye(4)
    gram[np.triu_indices(4, 1)] = pairs
    gram = np.maximum(gram, gram.T)
    return np.linalg.cholesky(gram).astype(np.float32)


def test_the_quoted_text_is_typical_of_the_theme_not_its_odd_card():
    x = _vectors()
    centre = x.mean(0) / np.linalg.norm(x.mean(0))
    assert int(np.argmax(x @ centre)) == 0                     # the IT note is nearest the centre
    assert typical(x, centre, NOTES, lambda i: True) == 2
    [label] = label_themes(NOTES, x, np.zeros(4, int), centre[None, :])
    assert label.name == "“Employee assistance line” and 3 more"   # was "“The old HR system” …"
    assert label.representatives[0] == 0                       # the representatives as before


def test_a_repeated_text_counts_once_and_an_unusable_one_never_names():
    x = _vectors()
    texts = NOTES + ["Employee assistance line"]                 # said twice: still one text
    x5 = np.vstack([x, x[2:3]])
    centre = x5.mean(0) / np.linalg.norm(x5.mean(0))
    assert typical(x5, centre, texts, lambda i: True) == 2
    centre = x.mean(0) / np.linalg.norm(x.mean(0))
    assert typical(x, centre, NOTES, lambda i: i != 2) == 0
    assert typical(x, centre, NOTES, lambda i: False) is None


MESSY = ["mental health support pls", "Bob said this too", "Sarah from HR agrees",
         "carers need flexibility"]
MESSY_CLOSENESS = (0.10, 0.20, 0.15, 0.15, 0.05, 0.20)    # "Sarah from HR agrees" most typical


def test_a_text_naming_a_person_names_no_theme():
    # QA's messy notes: "“Sarah from HR agrees” and 3 more" put a name on the shared screen
    x = _vectors(MESSY_CLOSENESS)
    centre = x.mean(0) / np.linalg.norm(x.mean(0))
    assert typical(x, centre, MESSY, lambda i: True) == 2
    [label] = label_themes(MESSY, x, np.zeros(4, int), centre[None, :])
    assert label.name == "“mental health support pls” and 3 more"
    # a name the project holds (a speaker's) is no name a list knows: "Okafor"
    texts = ["Okafor wants quiet rooms", MESSY[1], MESSY[0], MESSY[3]]
    [label] = label_themes(texts, x[[2, 1, 0, 3]], np.zeros(4, int), centre[None, :])
    assert label.name.startswith("“Okafor")
    [label] = label_themes(texts, x[[2, 1, 0, 3]], np.zeros(4, int), centre[None, :],
                           people=["Dr Okafor"])
    assert label.name == "“mental health support pls” and 3 more"


def test_a_text_naming_someone_the_texts_call_by_name_is_not_quoted():
    """Review: "“Kwame's idea about quiet rooms” and 3 more" named a theme, though other texts
    say "Thanks Kwame." and the keywords kept the name out."""
    from synth.themes.labels import label_themes
    mixed = ["Kwame's idea about quiet rooms", "Lighting too harsh", "Parking permits",
             "Canteen hours"]
    other = ["Thanks Kwame.", "Kwame said the buses are always late.",
             "I agree with Kwame, buses are late.", "The buses are late every morning.",
             "Late buses make me late for work."]
    rng = np.random.default_rng(0)
    base = np.eye(16)
    v = [base[1] + base[2] + base[3], base[1], base[2], base[3]]    # the first: most typical
    v += [base[8] + 0.1 * rng.normal(size=16) for _ in other]
    vectors = np.array(v, np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([0] * 4 + [1] * 5)
    cents = np.stack([vectors[labels == t].mean(0) for t in (0, 1)])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    named = label_themes(mixed + other, vectors, labels, cents)[0].name
    assert "Kwame" not in named and named.endswith("and 3 more")
    # with no one called Kwame elsewhere, the most typical text names it
    alone = label_themes(mixed + other[3:], vectors[[0, 1, 2, 3, 7, 8]],
                         np.array([0] * 4 + [1] * 2), cents)[0].name
    assert alone == "“Kwame's idea about quiet rooms” and 3 more"
