"""Phone numbers as people write them in the UK, North America and elsewhere are found, and the
figures a study is full of are not (QA: "Call me at 270-555-0199", from the Bowling Green
transcript, left the project in every export though the README says phone numbers are always
masked); a title in another language before an accented name is a name ("Señora García said
the bus is 20 min late" was not masked when "John Smith" was)."""
from __future__ import annotations

import pytest

from coding.redaction import find_personal_data
from exports.content import mask_personal_data

PHONES = [
    ("Participant 3: Call me at 270-555-0199 if you want to talk more.", "270-555-0199"),
    ("My cell is (270) 555-0199, text me before noon.", "(270) 555-0199"),
    ("The depot answers on (270)555-0199 some days.", "(270)555-0199"),
    ("Reach the county office on +1 270 555 0199 after eight.", "+1 270 555 0199"),
    ("Call +1 (270) 555-0199 and ask for the clerk.", "+1 (270) 555-0199"),
    ("Ring 270.555.0199 for the bus depot.", "270.555.0199"),
    ("call me on 270 555 0199 tomorrow", "270 555 0199"),
    ("My number's 270 555 0199 if the office is shut.", "270 555 0199"),
    ("The helpline 1-800-555-0199 never picks up.", "1-800-555-0199"),
    ("Text me on 07700 900123 after five.", "07700 900123"),
    ("Mobile: 07700900123", "07700900123"),
    ("Ring the hub on 0161 496 0018 and ask.", "0161 496 0018"),
    ("Our switchboard is (020) 7946 0958, which rings out.", "(020) 7946 0958"),
    ("The London office is on +44 20 7946 0958.", "+44 20 7946 0958"),
    ("My number is +44 (0)7700 900789.", "+44 (0)7700 900789"),
    ("From abroad they dial 0044 20 7946 0958.", "0044 20 7946 0958"),
    ("Call Pierre's team on +33 1 42 68 53 00 in Paris.", "+33 1 42 68 53 00"),
    ("The Berlin desk: +49 (0)30 123456.", "+49 (0)30 123456"),
    ("Dublin office +353-1-234-5678 is closed Fridays.", "+353-1-234-5678"),
]

NOT_PHONES = [
    "The survey ran from 2024-01-15 to 2024-01-22.",
    "Between 2019-2020 and 2021-2022 the service changed twice.",
    "It cost £1,200,000 over 3 years, $3,500,000 (2.3 % of spend) in the US.",
    "653 participants cast 129,588 votes on 1,766 statements in one week.",
    "Rent went up 12.5% in 2023 and +20% since 2019, +5 routes cut.",
    "Agree 120, disagree 300, pass 4000; 74 % vs 94 %.",
    "Tallies 653 777 1766 in the table; votes 270 555 1000 agree.",
    "Pol.is conversation 2demo, report r7dr5tzke7jbkbh9jeuep, participant 2705550199.",
    "The meeting on 15.01.2024 at 10:30, or 01/02/2024 - 03/04/2024.",
    "In 1999-2000 there were 12 345 678 residents and 1,234,567 cars.",
    "Versions 3.11.1234 and 10.0.19045; ISBN 978-0-12-345678-9.",
    "About 100-200-3000 people; ticket 2024-555-0199; ratio 270/555/0199.",
    "Bus 270 is late 555 times a year by 0199 standards?",
]


@pytest.mark.parametrize("text, phone", PHONES)
def test_phone_numbers_are_found_whole(text, phone):
    assert [(f.kind, f.text) for f in find_personal_data(text, ("phone",))] == \
        [("phone", phone)]
    # masked always, without stripping personal data
    assert mask_personal_data(text) == text.replace(phone, "[phone number]")


@pytest.mark.parametrize("text", NOT_PHONES)
def test_dates_money_counts_and_ids_are_no_phone_numbers(text):
    assert find_personal_data(text) == []
    assert mask_personal_data(text, names=True) == text


TITLED = [
    ("Señora García said the bus is 20 min late", "Señora García"),
    ("Sra. María José Núñez runs the depot.", "Sra. María José Núñez"),
    ("Then Señor de la Vega told us the fares went up.", "Señor de la Vega"),
    ("Ask Frau Müller-Lüdenscheidt at the front desk.", "Frau Müller-Lüdenscheidt"),
    ("It was Mme Lefèvre who opened the hall.", "Mme Lefèvre"),
    ("Sr. Gómez was there on the Tuesday.", "Sr. Gómez"),
    ("Signora Rossi helped us fill the form.", "Signora Rossi"),
    ("Dr Ó Briain said no to the bus lane.", "Dr Ó Briain"),
    ("We met Herr Schmidt Monday morning.", "Herr Schmidt"),
]


@pytest.mark.parametrize("text, name", TITLED)
def test_titles_in_other_languages_before_accented_names(text, name):
    assert [(f.kind, f.text) for f in find_personal_data(text)] == [("name", name)]
    assert mask_personal_data(text, names=True) == text.replace(name, "[name]")
    assert mask_personal_data(text) == text          # names only when stripping


@pytest.mark.parametrize("text", [
    "The Sr. Policy Adviser was there.", "Our Sr Manager left in May.", "Don't go there.",
    "We went down the Don Valley road.", "Frau", "A Sr analyst wrote it."])
def test_senior_and_words_after_titles_are_no_names(text):
    assert find_personal_data(text) == []


def test_both_in_one_quote_and_the_english_names_still_found():
    text = "Señora García and John Smith, 270-555-0199 or john@example.org"
    assert [(f.kind, f.text) for f in find_personal_data(text)] == [
        ("name", "Señora García"), ("name", "John Smith"), ("phone", "270-555-0199"),
        ("email", "john@example.org")]


@pytest.mark.parametrize("text, masked", [
    ("07700900123/07700900124", "[phone number]/[phone number]"),
    ("call 020 7946 0958/9", "call [phone number]/9"),
    ("on 020 3 456 7890", "on [phone number]"),
    ("0 7700 900123", "[phone number]"),
    ("0 161 496 0018", "[phone number]"),
    ("020 7946 0958x", "[phone number]x"),
    ("mob 07700 900123/4", "mob [phone number]/4"),
])
def test_uk_numbers_the_first_pattern_masked_stay_masked(text, masked):
    """Review: the stricter trunk pattern let these through, in exports with stripping too."""
    from coding.redaction import apply_redactions, find_personal_data
    found = find_personal_data(text, kinds=("phone",))
    assert apply_redactions(text, [(f.start, f.end, "[phone number]") for f in found]) == masked
