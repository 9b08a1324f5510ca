"""The exports' masking and theme discovery read a person's name by one set of cues
(``synth.people``): they had two title lists, so "Cllr Baker" kept a theme's keywords clean
but was left unmasked in an exported quote, and "Sir Keir" the other way round."""
from __future__ import annotations

from collections import Counter

from coding.redaction import find_personal_data
from synth.people import SPEECH_VERBS, TITLES, name_spans, used_as_name
from synth.themes.labels import People


def test_a_councillor_is_masked_in_a_quote_as_theme_discovery_reads_her():
    quote = "Cllr Baker promised a youth club, and Sir Okafor opened it"
    found = [(f.text, f.kind) for f in find_personal_data(quote)]
    assert found == [("Cllr Baker", "name"), ("Sir Okafor", "name")]
    assert name_spans(quote) == [(0, 10), (38, 48)]


def test_theme_discovery_reads_the_same_titles():
    # a title is one cue; twice is a name
    texts = ["Thanks to Cllr Baker for the bus pass", "Cllr Baker wants longer library hours",
             "Sir Okafor opened the club. Sir Okafor likes music."]
    joined = "\n".join(texts)
    assert used_as_name({"Baker"}, joined) is True
    assert used_as_name({"Okafor"}, joined) is True
    assert used_as_name({"Library"}, joined) is False
    inside = [Counter({"Baker": 2, "Okafor": 2})]
    assert People(texts, (), inside).said_as_name("baker", 0) is True
    assert {"Cllr", "Councillor", "Dr", "Sir", "Lady"} <= TITLES
    assert "PC" not in TITLES                      # a computer in a text; a rank in a label


def test_a_name_that_is_also_a_word_is_masked_after_any_verb_of_speech():
    # "Will" needs evidence; the verbs of speech are theme discovery's too ("mentioned")
    assert "mentioned" in SPEECH_VERBS and "told" in SPEECH_VERBS
    assert [f.text for f in find_personal_data("In the end Will mentioned the rota")] == ["Will"]
    assert find_personal_data("In the end we will mention the rota") == []


def test_a_title_masked_with_its_name_is_not_itself_a_name_in_the_report(project):
    """Review: "Cllr" and "Councillor" became titles, masked with the name they stand before,
    and the report's list of a theme's names kept "Councillor": "[name] surgeries & ward"."""
    from exports.content import names_in_cards
    from tests.themes_study import fill
    (note,) = fill(project, ["We raised the bins with Councillor Patel at the ward surgery."])
    assert names_in_cards(project, [note]) == {"Patel"}


def test_an_accented_name_is_masked_whole():
    """An ASCII-only word stopped inside "Zoë": "my name is Zoë" was masked as "[name]ë"."""
    from synth.people import name_spans
    for text, name in [("Hi, my name is Zoë and I work here", "Zoë"),
                       ("I spoke to Dr Zoë Okafor about it", "Dr Zoë Okafor"),
                       ("Ask Mrs Núñez at the desk", "Mrs Núñez")]:
        assert [text[a:b] for a, b in name_spans(text)] == [name], text


def test_latin_extended_a_names_are_read_alike_by_every_reader():
    """The titles of other languages (``coding.redaction``) read "Łukasz" and "Dvořák" in
    letters of their own, the quotes' cues and theme labels' in Latin-1's only: "Dr Łukasz"
    was masked by one and not the other. A small letter of Extended-A opens no name."""
    from coding.redaction import honorific_spans
    for text, name in [("I asked Dr Łukasz about it", "Dr Łukasz"),
                       ("Then Mrs Dvořák said no", "Mrs Dvořák"),
                       ("Ask Dr Şahin-Öztürk at the desk", "Dr Şahin-Öztürk")]:
        assert [text[a:b] for a, b in name_spans(text)] == [name], text
        assert [text[a:b] for a, b in honorific_spans(text)] == [name], text
    for text in ("I asked Dr łukasz about it", "Then Pani ślub was on"):
        assert name_spans(text) == [] and honorific_spans(text) == [], text
    assert used_as_name({"Łukasz"}, "Thanks Łukasz.\nŁukasz said the bus is late.") is True
