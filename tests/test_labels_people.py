"""People's names make no theme name and are no keyword shown (QA issue 3, "Labels"): a
transcript whose speakers address each other ("Jordan", "Kwame Mensah", "Sam") named a theme
"Bus fares & Aisha" and listed "Kwame" and "Jordan" among four themes' keywords, so a
participant's name was on the shared screen and in every export although the report masks it.
Names come from the project (speakers, participants' name columns) and, for texts without a
project (the ``themes`` command on a CSV), from how the texts use a word: spoken to, speaking,
with a title, signing a note. Ordinary words that are also names ("will", "may", "mark",
"grace", "bill", "Bowling Green") stay words. The clustering reads every word as before."""
from __future__ import annotations

import re

import numpy as np

from synth.themes.labels import People, _tally, ctfidf_keywords, label_themes, names_held

FORUM = """\
Priya Patel (Facilitator): Welcome everyone. Today we talk about the youth centre budget and the bus passes. Jordan, do you want to start?
Jordan: Thanks Priya. The youth centre budget got cut again and Kwame said the same happened last year.
Kwame Mensah: Yeah Jordan is right. The budget for the youth centre was cut twice. Jordan and I saw the sessions go.
Sam: I agree with Kwame. The youth centre budget pays for the evening sessions and those are gone.
Priya Patel (Facilitator): Sam, what did the evening sessions give you?
Sam: Somewhere warm. Kwame ran the music room before the budget went.
Jordan: Kwame, tell them about the music room budget.
Kwame Mensah: The music room had no budget after March. Sam and Jordan helped me keep it open.
Aisha: Kwame is being modest. Without Kwame the music room would have closed.
Priya Patel (Facilitator): Thanks Aisha. Let's move to bus passes. Aisha, you raised bus fares?
Aisha: Bus fares are too high. A bus pass for under eighteens would help. Jordan pays bus fares every day.
Jordan: I pay bus fares twice a day, Aisha. The bus pass would save me twenty pounds a week.
Kwame Mensah: Bus fares stop people coming to the youth centre. Jordan said that at the last forum too.
Sam: Bus fares and the bus pass, that's what Jordan and Aisha keep saying.
Aisha: Sam, you get the bus too. Bus fares went up in January.
Sam: True, Aisha. The bus pass should be free for students.
Priya Patel (Facilitator): Jordan, what about the police stops?
Jordan: Police stopped me twice last year. Nobody told me why. Kwame saw one of the police stops.
Kwame Mensah: I saw the police stop Jordan outside the station. The police officer was rude.
Aisha: Police stops make young people angry. Jordan should not have been stopped.
Sam: Kwame, did the police explain the stop?
Kwame Mensah: No, Sam. The police gave no reason for the stop.
Jordan: Police stops happen every week near the station, Kwame knows.
Aisha: Stop and search without a reason. The police need to explain every stop.
Priya Patel (Facilitator): Sam, jobs and training next?
Sam: Jobs for young people are hard to find. Training schemes ended. Kwame found a job through the training scheme.
Kwame Mensah: The training scheme helped me get the job. Sam should try the training scheme too.
Jordan: Jobs need experience and training. Aisha has been looking for jobs for months.
Aisha: Jobs want experience. Kwame is lucky the training scheme still ran.
Sam: Training and jobs, Priya, please put that on the list.
Priya Patel (Facilitator): I will, Sam. Kwame, anything on mental health?
Kwame Mensah: Mental health support waiting lists are long. Aisha waited months for counselling.
Aisha: Counselling waiting lists are six months. Kwame helped me find a charity instead.
Jordan: Mental health support at school is one counsellor for everyone. Sam knows.
Sam: One counsellor, Jordan, for the whole school. Mental health support needs money.
"""
PEOPLE = {"priya", "patel", "jordan", "kwame", "mensah", "sam", "aisha"}


def _words(label: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w'-]+", label)}


def labelled(groups: list[list[str]], people=()):
    texts = [t for group in groups for t in group]
    labels = np.array([i for i, group in enumerate(groups) for _ in group])
    vectors = np.eye(len(texts), dtype=np.float32)
    centroids = np.stack([vectors[labels == t].mean(0) for t in range(len(groups))])
    return label_themes(texts, vectors, labels, centroids, people=people)


def test_a_transcript_whose_speakers_name_each_other_names_no_theme_after_them(project,
                                                                               tmp_path):
    from synth.importers import import_path
    from synth.themes.project_themes import discover_themes, people_held, split_theme
    path = tmp_path / "youth_forum.txt"
    path.write_text(FORUM, encoding="utf-8")
    import_path(project, path)
    # the names the exports mask (synth.people.known_names): whole, and the parts of a longer one
    assert set(people_held(project)) == {"Priya Patel", "Priya", "Patel", "Jordan",
                                         "Kwame Mensah", "Kwame", "Mensah", "Sam", "Aisha"}
    themes = discover_themes(project, seed=0)["themes"]
    named = {t["name"]: t["keywords"] for t in themes}
    # before: "Bus fares & Aisha", and "Kwame", "Jordan", "Aisha", "kwame" among the keywords
    assert named["Bus fares & pass"][:3] == ["bus fares", "pass", "bus pass"]
    assert {"Budget & music room", "Police & stop", "Jobs & training scheme"} <= set(named)
    for name, keywords in named.items():
        assert not _words(name) & PEOPLE, name
        assert not {w for k in keywords for w in _words(k)} & PEOPLE, (name, keywords)
    stored = project.query("SELECT name, keywords FROM themes")
    assert stored and not any(_words(n + " " + k) & PEOPLE for n, k in stored)
    # the parts of a split are named without them too
    biggest = max(themes, key=lambda t: t["size"])
    parts = split_theme(project, biggest["id"], k=2, seed=0)
    for n, k in project.query(f"SELECT name, keywords FROM themes WHERE id IN "
                              f"({','.join(map(str, parts))})"):
        assert not _words(n + " " + k) & PEOPLE, (n, k)


def test_the_names_the_project_holds_are_words_of_names_not_roles_or_ids():
    from synth.people import person_name
    labels = ["Priya Patel (Facilitator)", "KWAME MENSAH", "Young person 2", "P5", "Q",
              "Dr Okafor", "Chloe Smith 00:00:40", "Police officer", "Team", "Łukasz Nowak",
              "Siobhán O’Neill"]
    held = names_held(person_name(label) for label in labels)
    assert held == {"priya": {"Priya"}, "patel": {"Patel"}, "kwame": {"Kwame"},
                    "mensah": {"Mensah"}, "okafor": {"Okafor"}, "chloe": {"Chloe"},
                    "smith": {"Smith"}, "łukasz": {"Łukasz"}, "nowak": {"Nowak"},
                    "siobhán": {"Siobhán"}}     # "O'Neill" is no word to ``tokens``: never a keyword


def test_a_name_in_letters_beyond_latin_1_is_kept_out_of_keywords():
    """Review: "Łukasz", held by the project and masked by the exports, reached the keywords."""
    import numpy as np
    a = ["Łukasz thinks the bus fares are too high", "the bus fares went up again, Łukasz noticed",
         "Łukasz wants cheaper bus fares for students", "Bus fares hurt Łukasz and the family",
         "bus passes cost too much", "Łukasz cannot afford the fares"]
    b = ["the library opens late", "library hours are short", "more library books please",
         "library staff are kind", "quiet rooms in the library", "the library needs wifi"]
    words = ctfidf_keywords(a + b, np.array([0] * 6 + [1] * 6), 2,
                            people=["Łukasz Nowak", "Łukasz", "Nowak"])[0]
    assert "łukasz" not in words and "bus fares" in words


BUS = ["Bus fares are too high for Kwame and me", "Kwame pays bus fares every day",
       "Bus fares went up again, Kwame says", "Kwame wants a bus pass for students"]
MARKS = ["The pass mark for the exam is too high", "Nobody told us the pass mark",
         "The pass mark changed twice this year", "Teachers should publish the pass mark"]


def test_a_name_the_project_holds_is_no_keyword_where_it_is_written_as_a_name():
    bus, marks = labelled([BUS, MARKS], people=["Kwame", "Mark"])
    # before: "Bus fares & Kwame", "Kwame" the second keyword
    assert (bus.name, bus.keywords[:3]) == ("Bus fares & day", ["bus fares", "day", "pays"])
    # the theme writes "mark" in lower case: a word, although a speaker is called Mark
    assert marks.keywords[0] == "pass mark" and marks.name.startswith("Pass mark")
    # without the project's names, "Kwame" is said as a name only once ("Kwame says"): kept
    assert "Kwame" in labelled([BUS, MARKS])[0].keywords


NOTES = ["We need quiet rooms for calls - Sam", "Quiet rooms are always booked – Sam",
         "Thanks Jordan, the quiet rooms idea is good", "Jordan and I booked quiet rooms twice",
         "Quiet rooms near the kitchen are noisy", "Jordan, can quiet rooms be bookable?"]
ORDINARY = ["Will the budget cover the Bowling Green office?", "Grace periods for late fees",
            "May is when the budget is set", "Mark the budget lines we cut",
            "The Bill will cut the budget", "Bowling Green needs a bigger budget",
            "The Bowling Green budget is late", "Grace and Will said the budget is fine"]


def test_without_a_project_names_are_found_by_how_the_texts_use_them():
    quiet, ordinary = labelled([NOTES, ORDINARY])
    # before: "Quiet rooms & Sam", keywords "quiet rooms", "Jordan", "booked", "Sam"
    assert (quiet.name, quiet.keywords) == ("Quiet rooms & booked", ["quiet rooms", "booked"])
    # words that are also names, and a place, are not taken for people (the same as before)
    assert (ordinary.name, ordinary.keywords) == (
        "Budget & Bowling Green", ["budget", "Bowling Green", "cut", "grace", "late"])
    texts = NOTES + ORDINARY
    _, inside, _ = _tally(texts, np.zeros(len(texts), int), 1)
    people = People(texts, (), inside)
    assert people.said_as_name("jordan", 0) and people.said_as_name("sam", 0)
    for word in ("grace", "will", "may", "mark", "bill", "bowling", "green", "budget"):
        assert not people.said_as_name(word, 0), word


TITLES = ["Moving advanced search - Magento", "Custom filter is not working - Magento",
          "Magento cache is stale after deploy", "Install Magento on a shared host",
          "Magento product grid is empty", "Thanks Magento!"]


def test_a_topic_written_after_a_dash_or_thanked_once_is_no_name():
    """A title's topic written as a signature is also said inside sentences, where a signature's
    name is not; one cue ("Thanks Magento!") is no evidence."""
    magento, _ = labelled([TITLES, MARKS])
    assert magento.keywords[0] == "Magento" and magento.name.startswith("Magento")
    labels = np.array([0] * len(TITLES) + [1] * len(MARKS))
    assert ctfidf_keywords(TITLES + MARKS, labels, 2)[0][0] == "magento"


def test_addressing_a_group_names_nobody_and_the_keywords_keep_the_word():
    texts = ["Thanks team, the rota works", "The team rota is fair", "Cheers Team!",
             "Hi team, the rota changed", "Our team swaps shifts on the rota"]
    (team,) = labelled([texts], people=["Team"])
    assert {"team", "rota"} <= {k.lower() for k in team.keywords}
