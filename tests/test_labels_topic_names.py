"""A name reads as a topic a researcher would write on a card: a past participle standing alone
("Manager & assessed", the sample study's) loses to a topic word unless it says much more, and
the study's own subject, said in nearly every text of every theme ("civil service" in civil
servants' statements), names no theme while the theme has another keyword."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import (_keywords, _participle, _tally, label_themes, name_by_meaning,
                                 suggest_name)


def test_a_participle_alone_loses_to_a_topic_word_unless_it_says_much_more():
    assert _participle("assessed") and _participle("charged") and _participle("studied")
    assert not any(_participle(w) for w in ("need", "speed", "bed", "used", "skills", "AI",
                                             "reasonable adjustment", "four-day"))
    centre = np.array([1.0, 0.0, 0.0], np.float32)

    def second_at(closeness: float) -> np.ndarray:
        return np.array([closeness, np.sqrt(1 - closeness ** 2), 0], np.float32)
    cands = ["manager", "assessed", "skills"]
    vectors = np.stack([centre, second_at(0.40), second_at(0.42)])
    # by closeness alone "assessed" (0.40, ranked second) adds a little more than "skills"
    assert name_by_meaning(cands, vectors, centre) == "Manager & skills"    # was "& assessed"
    vectors = np.stack([centre, second_at(0.70), second_at(0.42)])
    assert name_by_meaning(["card", "declined", "app"], vectors, centre) == "Card & declined"
    # without the model, the central text's words lead and a participle comes after them
    assert suggest_name(cands, "My manager assessed my skills") == "Manager & skills"


STUDY = {
    "pay": ["Pay in the civil service is too low for my grade",
            "Civil service pay has fallen behind inflation",
            "Grades decide pay across the civil service",
            "The civil service pay award was late again"],
    "home": ["Working from home suits many in the civil service",
             "Home working saved me hours of civil service commuting",
             "I work from home three days, as the civil service allows",
             "Civil service laptops are too slow at home"],
    "training": ["Civil service training budgets were cut",
                 "Training courses in the civil service are dull",
                 "New starters in the civil service get no training",
                 "Civil service managers need leadership training"]}


def _study():
    texts = [t for ts in STUDY.values() for t in ts]
    labels = np.repeat(np.arange(3), 4)
    topic = np.eye(4, dtype=np.float32)[:3]            # each theme's own direction
    subject = np.eye(4, dtype=np.float32)[3]           # what every text is about
    vectors = np.stack([topic[t] + 0.9 * subject for t in labels])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centroids = np.stack([vectors[labels == t].mean(0) for t in range(3)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)

    def embed(words):
        """The keyword "civil service" lies nearer every theme's centre than its own topic
        word does, as a sentence model puts the study's setting."""
        out = []
        for w in words:
            if "service" in w.lower() or "civil" in w.lower():
                out.append(subject + 0.3 * topic.sum(0))
            else:
                t = next((i for i, key in enumerate(STUDY) if key in w.lower()), None)
                out.append(topic[t] if t is not None else np.full(4, 0.1, np.float32))
        return np.stack(out).astype(np.float32)
    return texts, vectors, labels, centroids, embed


def test_the_studys_own_subject_names_no_theme():
    texts, vectors, labels, centroids, embed = _study()
    raw, inside, _ = _tally(texts, labels, 3)
    kws, subjects = _keywords(raw, 8, [{} for _ in range(3)], len(texts))
    assert all("civil service" in ws for ws in kws)       # c-TF-IDF still lists it
    assert all("civil service" in s for s in subjects)
    names = [lab.name for lab in label_themes(texts, vectors, labels, centroids, embed=embed)]
    # were "Civil service & pay", "Civil service & home", "Civil service & training"
    assert not [n for n in names if "civil" in n.lower() or "service" in n.lower()]
    assert [n.split(" & ")[0] for n in names] == ["Pay", "Home", "Training"]
    # without the model too
    names = [lab.name for lab in label_themes(texts, vectors, labels, centroids)]
    assert not [n for n in names if "civil" in n.lower() or "service" in n.lower()]


def test_a_word_one_note_repeats_is_no_subject_of_the_study():
    texts = ["We need proper kit at home. " * 40, "Desks at home are too small",
             "Pay is too low", "Pay rise please", "Grades and pay", "Low pay again"]
    labels = np.array([0, 0, 1, 1, 1, 1])
    raw, inside, _ = _tally(texts, labels, 2)
    kws, subjects = _keywords(raw, 8, [{} for _ in range(2)], len(texts))
    # said once over as one voice (``REPEATS_ITSELF``): "proper" and "kit", no longer "proper kit"
    assert "kit" in kws[0] and subjects == [set(), set()]
