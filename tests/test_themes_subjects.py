"""k unknown on texts of two unrelated subjects (two debates; a debate and a workshop): the
themes are those inside each subject, not one theme per subject (QA item 6: 319 + 69 cards)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from tests.themes_study import fill

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clustering"

# two subjects of four topics each, eight short texts a topic
HOSPITAL = {
 "waiting": ["I waited eleven hours in A&E with my dad", "The wait for a hip operation is now two years",
             "Waiting lists for knee surgery keep growing", "Nobody tells you how long the wait for a scan will be",
             "My referral to a specialist took nine months", "Emergency department queues stretch into the car park",
             "Cancer patients should never wait weeks for results", "Operations keep being cancelled at the last minute"],
 "staff": ["Nurses on our ward are exhausted and leaving", "Junior doctors cannot afford rent near the hospital",
           "Agency staff cost far more than paying nurses properly", "Midwives are working double shifts every week",
           "Pay nurses enough to stay in the profession", "Too few porters means patients wait on trolleys",
           "Healthcare assistants deserve a proper pay rise", "Doctors are burning out from understaffed rotas"],
 "mental": ["Teenagers wait a year for mental health support", "Counselling should be available at every GP surgery",
            "Crisis teams for mental health are impossible to reach at night", "Anxiety and depression services are overwhelmed",
            "Therapy sessions were cut from twelve to six", "Mental health beds are so scarce patients go out of area",
            "Talking therapies helped me more than any tablets", "Young people in crisis end up in A&E for lack of care"],
 "gp": ["I cannot get a GP appointment before three weeks", "Phoning the surgery at 8am is a lottery",
        "Online booking for the doctor never has free slots", "Our village lost its GP practice last year",
        "Same-day appointments at the surgery are always gone", "Receptionists should not decide who sees the doctor",
        "Video consultations with my GP saved me a trip", "More pharmacists could take pressure off family doctors"],
}
FARMING = {
 "weather": ["The drought ruined half our wheat harvest", "Floods left the lower fields underwater for weeks",
             "Late frost killed the apple blossom this spring", "Hotter summers are scorching the barley",
             "Heavy rain made it impossible to sow on time", "Hailstorms flattened the maize in one afternoon",
             "We need reservoirs to store winter rain for dry summers", "Unpredictable seasons make planting a gamble"],
 "prices": ["Supermarkets pay less for milk than it costs to produce", "Fertiliser prices doubled in two years",
            "Diesel for tractors eats all our profit", "Lamb prices at market collapsed this autumn",
            "We sell grain below the cost of growing it", "Feed for the cattle costs more every month",
            "Contracts with buyers should guarantee a fair price", "Farm gate prices have not risen in ten years"],
 "animals": ["Bluetongue has spread to sheep in our valley", "Bird flu meant culling the whole flock",
             "Dairy cows need better shelter in winter", "Vets for livestock are hard to find in rural areas",
             "TB testing of cattle is costly and stressful", "Free range hens must be kept indoors again",
             "Pigs on outdoor units need more protection from disease", "Calving season leaves us without sleep for weeks"],
 "land": ["Young farmers cannot afford to buy land", "Tenancies on farmland are too short to invest",
          "Solar farms are taking good arable fields", "Hedgerows and wildflower margins bring back birds",
          "Land prices are driven up by investors", "Rewilding grants pay more than growing food",
          "Soil health is declining after years of ploughing", "Planting trees on farmland should be rewarded"],
}


def _two_subjects() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The texts, each one's subject (0 hospital, 1 farming) and topic (0-7)."""
    texts, subject, topic = [], [], []
    for s, topics in enumerate((HOSPITAL, FARMING)):
        for t, lines in enumerate(topics.values()):
            texts += lines
            subject += [s] * len(lines)
            topic += [4 * s + t] * len(lines)
    return texts, np.array(subject), np.array(topic)


def _within_subjects(labels: np.ndarray, subject: np.ndarray) -> bool:
    """Every theme's texts are of one subject."""
    return all(len(set(subject[labels == t].tolist())) == 1 for t in set(labels.tolist()) - {-1})


def test_two_unrelated_subjects_get_themes_within_each(monkeypatch):
    from sklearn.metrics import adjusted_rand_score

    from synth.themes import clustering
    from synth.themes.embeddings import LocalBackend, embed_texts
    texts, subject, topic = _two_subjects()
    x = embed_texts(texts, LocalBackend())
    r = clustering.cluster(x, seed=0, texts=texts)
    sizes = np.bincount(r.labels[r.labels >= 0])
    assert r.k == 6 and sizes.max() <= len(texts) / 4          # 14, 14, 10, 9, 9, 8
    assert _within_subjects(r.labels, subject)
    assert len(set(r.labels[subject == 0].tolist()) - {-1}) >= 2
    assert len(set(r.labels[subject == 1].tolist()) - {-1}) >= 2
    assert adjusted_rand_score(topic, r.labels) > 0.5
    # recorded: the resolutions passed over for a theme of more than a quarter of the texts
    assert r.params["subject_share"] == 0.25
    assert r.params["resolutions_giving_a_subject"] == [0.25, 0.35]
    assert r.params["resolution"] == 1.0
    again = clustering.cluster(x, seed=0, texts=texts)
    assert again.labels.tolist() == r.labels.tolist() and again.params == r.params
    # without the rule the most stable resolution gives one theme per subject: 0.25 and 0.35
    # part the two subjects alike in every subset (AMI 1.0; 1.0 scores 0.86), as QA's two
    # debates got 319 + 69 cards
    monkeypatch.setattr(clustering, "SUBJECT_SHARE", 1.0)
    before = clustering.cluster(x, seed=0, texts=texts)
    assert before.k == 2 and before.params["resolution"] == 0.25
    assert adjusted_rand_score(subject, before.labels) == 1.0


def test_a_number_of_themes_given_is_untouched(monkeypatch):
    from synth.themes import clustering
    from synth.themes.embeddings import LocalBackend, embed_texts
    texts, _, _ = _two_subjects()
    x = embed_texts(texts, LocalBackend())
    two = clustering.cluster(x, k=2, seed=0, texts=texts)
    assert two.k == 2 and "subject_share" not in two.params
    assert "resolutions_giving_a_subject" not in two.params
    # k given may give a theme more than a quarter of the texts: here one per subject
    assert sorted(np.bincount(two.labels[two.labels >= 0]).tolist()) == [31, 33]
    fixed = clustering.cluster(x, seed=0, resolution=0.25)   # an explicit resolution: no search
    assert fixed.k == 2 and "resolutions_giving_a_subject" not in fixed.params
    monkeypatch.setattr(clustering, "SUBJECT_SHARE", 1.0)     # the same without the rule
    assert clustering.cluster(x, k=2, seed=0, texts=texts).labels.tolist() == two.labels.tolist()
    assert clustering.cluster(x, seed=0, resolution=0.25).labels.tolist() == fixed.labels.tolist()


def test_a_project_of_two_subjects_records_the_rule_in_its_run(project):
    from synth import board
    from synth.themes.project_themes import discover_themes
    texts, _, _ = _two_subjects()
    fill(project, texts)
    res = discover_themes(project, seed=0)
    sizes = [len(board.theme_cards(project, t["id"])) for t in res["themes"]]
    assert len(sizes) == 6 and max(sizes) <= 16
    params = json.loads(project.query("SELECT params FROM analysis_runs "
                                      "WHERE kind = 'themes'")[-1][0])
    assert params["resolutions_giving_a_subject"] == [0.25, 0.35]
    assert params["subject_share"] == 0.25 and params["resolution"] == 1.0


@pytest.mark.skipif(not (DATA / "searchsnippets").exists(), reason="clustering sets not present")
def test_search_snippets_and_stackoverflow_mixed_get_their_own_themes():
    """150 web search snippets (8 broad topics) and 150 StackOverflow titles (20 tags): one
    theme each before (150 + 150 texts), themes inside each set now."""
    from synth.themes.clustering import cluster
    from synth.themes.embeddings import LocalBackend, embed_texts
    rng = np.random.default_rng(1)
    texts, subject = [], []
    for s, name in enumerate(("searchsnippets", "stackoverflow")):
        with open(DATA / name / f"{name}.csv", newline="", encoding="utf-8") as f:
            rows = [r["text"] for r in csv.DictReader(f)]
        texts += [rows[i] for i in np.sort(rng.choice(len(rows), 150, replace=False))]
        subject += [s] * 150
    subject_arr = np.array(subject)
    r = cluster(embed_texts(texts, LocalBackend()), seed=0, texts=texts)
    sizes = np.bincount(r.labels[r.labels >= 0])
    assert r.k >= 12 and sizes.max() <= 75
    assert 0.25 in r.params["resolutions_giving_a_subject"]
    for s in (0, 1):
        assert len(set(r.labels[subject_arr == s].tolist()) - {-1}) >= 5
    # nearly every theme lies within one set (a few short snippets read like code questions)
    purity = [np.bincount(subject_arr[r.labels == t]).max() / (r.labels == t).sum()
              for t in range(r.k)]
    assert np.mean(purity) > 0.9
