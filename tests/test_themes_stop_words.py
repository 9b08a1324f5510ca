"""Keywords of texts in the European languages our users meet leave out those languages' stop
words ("das", "die", "ich", "eine" were keywords of German notes), and English words that are
another language's stop words ("die", "son", "come") stay keywords of English texts."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import ctfidf_keywords, tokens


def test_each_languages_stop_words_are_left_out_of_every_text():
    from synth.themes.stopwords import ALSO_ENGLISH, OTHER_STOP_WORDS
    assert tokens("Das Büro ist zu laut für Telefonate") == ["büro", "laut", "telefonate"]
    assert tokens("Ich möchte eine Vier-Tage-Woche") == ["möchte", "vier-tage-woche"]
    assert tokens("Die Schulungsbudgets wurden gekürzt") == ["schulungsbudgets", "gekürzt"]
    assert tokens("Mon salaire n'a pas suivi l'inflation") == ["salaire", "suivi", "inflation"]
    assert tokens("C'est l'école d'été") == ["école"]            # elided articles and "est"
    assert tokens("Los gerentes no confían en nosotros") == ["gerentes", "confían"]
    assert tokens("Dell'ufficio non mi piace la mensa") == ["ufficio", "piace", "mensa"]
    assert tokens("Ik wil meer thuiswerken met mijn team") == ["thuiswerken", "team"]
    assert tokens("Os gestores não confiam em nós") == ["gestores", "confiam"]
    assert tokens("Mae angen mwy o hyfforddiant yn y swyddfa") == ["hyfforddiant", "swyddfa"]
    # an English text keeps its English words, even those another language stops
    assert tokens("The pilot will die if my son and the men come by van") == [
        "pilot", "die", "son", "men", "come", "van"]
    assert tokens("Ein Mann, die Frau und der Sohn") == ["mann", "frau", "sohn"]
    assert {"die", "son", "come", "men", "van", "war"} <= ALSO_ENGLISH
    assert sorted(OTHER_STOP_WORDS) == ["cy", "de", "es", "fr", "it", "nl", "pt"]
    assert all(len(ws) > 100 for ws in OTHER_STOP_WORDS.values())


def test_german_and_french_notes_get_content_keywords():
    """The QA's texts: before, the German theme's keywords began die, eine, gekürzt, ich."""
    texts = ["Le télétravail me fait gagner deux heures par jour",
             "Les managers devraient nous faire confiance",
             "Mon salaire n'a pas suivi l'inflation", "Ça va très bien, merci",
             "Das Büro ist zu laut für Telefonate", "Ich möchte eine Vier-Tage-Woche",
             "Die Schulungsbudgets wurden gekürzt", "Über die Maßen schön",
             "Die Kantine ist zu laut", "Das Büro ist zu klein"]
    french, german = ctfidf_keywords(texts, np.array([0] * 4 + [1] * 6), 2, top=20)
    assert german == ["büro", "laut", "gekürzt", "kantine", "klein", "maßen", "möchte",
                      "schulungsbudgets", "schön", "telefonate", "vier-tage-woche"]
    assert french[:4] == ["bien", "confiance", "deux", "devraient"]
    assert not {"le", "les", "me", "par", "nous", "pas", "mon", "n'a", "l'inflation"} & set(french)


def test_short_english_notes_keep_words_another_language_stops():
    """"man", "van", "door", "con", "men" are stop words of other languages but English words
    too (``ALSO_ENGLISH``): they are no evidence that a note is in that language, so a short
    note with no English stop word to outvote them keeps them. A stop word that is not English
    too still tells the language ("und", "de"; French "les" is a French one, not only Spanish)."""
    expected = {
        "Man hours": ["man", "hours"],
        "Men vs women pay": ["men", "women", "pay"],
        "Van drivers": ["van", "drivers"],
        "Door to door sales": ["door", "door", "sales"],
        "Con artists": ["con", "artists"],
        "Die Männer und die Frauen": ["männer", "frauen"],
        "Van de chef hoor ik niets": ["chef", "hoor"],
        "Les managers devraient nous faire confiance": [
            "managers", "devraient", "faire", "confiance"],
    }
    assert {text: tokens(text) for text in expected} == expected


def test_a_german_article_before_a_noun_is_german_without_another_stop_word():
    """German writes nouns with a capital: "Die Männer …" holds no other German stop word, but
    "die" before a capitalised word that is no English stop word is the article, in a text with
    some word in lower case. English "die" is a verb before a word in lower case, and a Title
    Case or all-capitals text says nothing by its capitals."""
    assert tokens("Die Männer verdienen mehr") == ["männer", "verdienen", "mehr"]
    assert tokens("Die Pendelzeit kostet Geld") == ["pendelzeit", "kostet", "geld"]
    assert tokens("Leider bekommen die Männer mehr Geld") == [
        "leider", "bekommen", "männer", "mehr", "geld"]
    assert tokens("Den Kollegen fehlt Zeit") == ["kollegen", "fehlt", "zeit"]
    # English "die" stays: a verb before a word in lower case or an English stop word
    assert tokens("plants die without water") == ["plants", "die", "water"]
    assert tokens("Plants die quickly in the heat") == ["plants", "die", "quickly", "heat"]
    assert tokens("Die Hard is my favourite film") == ["die", "hard", "favourite", "film"]
    assert tokens("Let Plants Die Slowly") == ["plants", "die", "slowly"]   # Title Case
    assert tokens("Man hours") == ["man", "hours"]
    # in keywords: the German theme has no "die", the English one keeps it
    texts = ["Die Männer verdienen mehr", "Die Frauen verdienen weniger", "Die Teilzeit fehlt",
             "plants die without water", "the office plants die every summer",
             "plants die when nobody waters them"]
    german, english = ctfidf_keywords(texts, np.array([0, 0, 0, 1, 1, 1]), 2, top=20)
    assert "die" not in german and "verdienen" in german
    assert english[0] == "plants die"        # "plants" is always said before "die"
