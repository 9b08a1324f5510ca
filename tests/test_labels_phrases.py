"""Two words a theme says as one phrase are one keyword and one name, not two: "Bowling &
Green" (a Pol.is debate about Bowling Green), "Studio & Visual" and "Mac & OS" (StackOverflow
titles) were names, "starters" stood beside "new starters" among the sample study's keywords."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import label_themes, name_by_meaning, suggest_name
from tests.test_themes_written_forms import label_halves

TOWN = ["Bowling Green needs more bike lanes downtown", "Downtown Bowling Green needs parking",
        "Bowling Green should keep its parks green", "Bowling Green roads need repair",
        "More trees in Bowling Green parks", "Bowling Green is a good place to raise kids",
        "Taxes in this county are too high", "Property taxes should fund the schools",
        "Lower the sales taxes", "Schools need more money than taxes give them",
        "Taxes on small business hurt", "School taxes pay for the new gym"]


def test_a_place_name_is_one_keyword_and_one_name():
    town, taxes = label_halves(TOWN)
    assert town.name == "Bowling Green & downtown"             # was "Bowling & Green"
    assert town.keywords[0] == "Bowling Green"
    # the phrase once; "green" said alone once ("keep its parks green") is still in it
    assert not {"Bowling", "Green", "bowling", "green"} & set(town.keywords)
    assert taxes.name.startswith("Taxes")


def test_a_product_name_is_one_keyword_and_its_words_another_theme_uses_stay_apart():
    texts = ["Visual Studio crashes on build", "Visual Studio 2008 solution will not load",
             "Debugging in Visual Studio is slow", "Visual Studio project references break",
             "Visual Studio build fails after update", "Studio theme for Visual Studio",
             "Regex to match a visual effect", "Python regex for dates",
             "Regex greedy match", "Regex lookahead in Python", "Match a word with regex",
             "Regex for email addresses"]
    vs, regex = label_halves(texts)
    assert vs.keywords[0] == "Visual Studio" and vs.name.startswith("Visual Studio")
    assert not {"Visual", "Studio"} & set(vs.keywords)
    assert regex.keywords[0] == "regex" and "Visual Studio" not in regex.keywords


def test_a_name_leads_with_a_phrase_one_of_its_words_is_mostly_said_in():
    """"Mac" is said alone too, but "OS" mostly after "Mac": the name says "Mac OS" and adds
    another word; keywords keep both words, since "Mac" says more than "Mac OS" here."""
    said = {"mac": 8, "OS": 4, "mac OS": 3, "terminal": 3, "leopard": 2}
    cands = ["mac", "OS", "terminal", "leopard"]
    centre = np.array([1.0, 0.0, 0.0], np.float32)
    vectors = np.array([[1, 0, 0], [0.6, 0.8, 0], [0.5, 0, 0.866], [0.5, 0.3, 0.81]],
                       np.float32)
    assert name_by_meaning(cands, vectors, centre) == "Mac & OS"           # as before
    assert name_by_meaning(cands, vectors, centre, phrases=said) == "Mac OS & terminal"
    assert suggest_name(cands, "Mac OS terminal", phrases=said) == "Mac OS & terminal"
    # said apart more often than together: two words, and a phrase said once is no phrase
    assert name_by_meaning(cands, vectors, centre, phrases={**said, "mac OS": 1}) == "Mac & OS"
    assert suggest_name(["OS"], "OS", phrases=said) == "OS"
    texts = ["Mac OS terminal colours", "Mac OS X launch agent", "Mac OS keychain access",
             "Mac app icon size", "Mac terminal history", "Mac keyboard shortcuts",
             "Python list sort", "Python dict merge", "Python list slicing", "Python dict keys",
             "Python list of dicts", "Python sort dict"]
    mac, python = label_halves(texts)
    assert mac.name == "Mac OS & terminal"                                 # was "Mac & OS"
    assert mac.keywords[:3] == ["mac", "OS", "terminal"]     # "Mac" only opens sentences


def test_a_word_beside_its_own_phrase_is_that_phrase():
    """"starters" and "new starters" were two keywords of one theme: a word mostly said in a
    phrase that is itself a keyword is that phrase."""
    texts = ["New starters need a buddy", "Induction for new starters is online only",
             "New starters never meet the team", "A buddy for every new starter",
             "Starters on day one get no laptop", "Induction packs are out of date",
             "Pay is too low", "Pay rises lag inflation", "Low pay for new grades",
             "Pay bands are unfair", "Equal pay audits", "Pay gap reporting"]
    starters, pay = label_halves(texts)
    assert "new starters" in starters.keywords
    assert "starters" not in starters.keywords and "new" not in starters.keywords
    assert starters.keywords.count("new starters") == 1
    assert starters.name in ("New starters & buddy", "New starters & induction")


def test_the_same_texts_give_the_same_labels():
    first = label_halves(TOWN)
    again = label_halves(list(TOWN))
    assert [(lab.name, lab.keywords, lab.representatives) for lab in first] == [
        (lab.name, lab.keywords, lab.representatives) for lab in again]
    vectors = np.eye(12, dtype=np.float32)
    labels = np.array([0] * 6 + [1] * 6)
    centroids = np.stack([vectors[:6].mean(0), vectors[6:].mean(0)])

    def embed(words: list[str]) -> np.ndarray:
        """A fixed vector for each word, from its letters, beside the texts' own."""
        out = np.full((len(words), 12), 0.1, np.float32)
        for row, w in zip(out, words):
            row[sum(map(ord, w)) % 12] += 1.0
        return out
    got = label_themes(TOWN, vectors, labels, centroids, embed=embed)
    assert got[0].name == "Parks & Bowling Green"          # by meaning, still one phrase
    assert [lab.name for lab in got] == [lab.name for lab in label_themes(
        TOWN, vectors, labels, centroids, embed=embed)]
