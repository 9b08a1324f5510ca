"""Speaker labels as note-takers type them (QA 2, 21, 21b, 21c): "Young person 2:" and
"Police officer:" (a role in lower-case words), "P5<tab>words", "Chloe Smith 00:00:40: words",
a speaker typed in bold without a colon, and a row of a Word table transcript are turns of
their own. Before, each was glued into the turn above it, so when that turn was the
facilitator's, these participants' words never reached the board. Q and I (beside R) are the
interviewer; "END OF RECORDING" is nobody's words."""
from __future__ import annotations

import docx

from synth.importers.documents import import_document, read_document, split_document
from tests.test_import_transcripts_split import make_docx, passages


def turns(text: str) -> list[tuple[str, str, str]]:
    split = split_document(text)
    return [(p.speaker, p.role, text[p.start:p.end]) for p in split.passages]


def test_a_role_in_lower_case_words_is_a_speaker():
    text = ("Facilitator: Let's start with introductions.\n"
            "Young person 2: I'm at college in Croydon.\n"
            "Police officer: I've been in the borough team for six years.\n"
            "Dr Okafor: I run the youth service.\n"
            "Youth worker: They don't believe that.\n"
            "Facilitator: Thank you all.")
    assert turns(text) == [
        ("Facilitator", "facilitator", "Let's start with introductions."),
        ("Young person 2", "participant", "I'm at college in Croydon."),
        ("Police officer", "participant", "I've been in the borough team for six years."),
        ("Dr Okafor", "participant", "I run the youth service."),
        ("Youth worker", "participant", "They don't believe that."),
        ("Facilitator", "facilitator", "Thank you all.")]


def test_a_role_in_the_header_still_says_who_it_is_and_a_phrase_is_still_no_speaker():
    text = ("Youth worker: Jo Bloggs\nChair: Cllr Tom Baker\n"
            "Facilitator: Welcome, let's start with scenario B.\nP1: We argued.\n"
            "The answer is: yes, hubs.\nRole of youth: to chair it.\nP2: Fine.")
    split = split_document(text)
    assert [(p.speaker, text[p.start:p.end]) for p in split.passages] == [
        ("Facilitator", "Welcome, let's start with scenario B."),
        ("P1", "We argued.\nThe answer is: yes, hubs.\nRole of youth: to chair it."),
        ("P2", "Fine.")]
    assert [s.line for s in split.skipped] == [0, 1]


def test_the_interviewer_and_the_note_taker_are_the_team():
    text = ("I: Thanks for coming. How did you hear about the panel?\n"
            "R: A flyer at college.\n"
            "Q: What would make you go?\nA: If it was paid.\n"
            "Note taker: (inaudible)\nR: Sorry, paid.")
    assert [(s, r) for s, r, _ in turns(text)] == [
        ("I", "facilitator"), ("R", "participant"), ("Q", "facilitator"),
        ("A", "participant"), ("Note taker", "facilitator"), ("R", "participant")]
    # "I" alone, beside no "R", is not taken for the interviewer
    assert [r for _, r, _ in turns("I: Hello there.\nJo: Hi.\nI: Bye.")][0] == "participant"


def test_a_label_parted_by_a_tab_or_followed_by_a_bare_time_stamp_is_a_turn():
    text = ("P4:\tI'd want my mum to be able to come.\n"
            "P5\tSchool is where we are anyway.\n"
            "Kwame Mensah (00:00:12): Pay us the bus fare.\n"
            "Chloe Smith 00:00:40: And after school, please.\n"
            "Kwame Mensah: Yes.")
    assert [(s, t) for s, _, t in turns(text)] == [
        ("P4", "I'd want my mum to be able to come."),
        ("P5", "School is where we are anyway."),
        ("Kwame Mensah", "Pay us the bus fare."),
        ("Chloe Smith", "And after school, please."),
        ("Kwame Mensah", "Yes.")]


def test_words_before_a_tab_or_a_clock_time_are_no_speaker_in_notes():
    text = "Workload\tToo many e-mails.\nPay\tBelow inflation.\nBreak 10:30: coffee in hall."
    assert turns(text) == [("", "", line) for line in text.split("\n")]


def test_a_row_of_a_table_transcript_is_a_turn_even_said_once(project, tmp_path):
    f = make_docx(tmp_path / "t.docx", [
        [["Time", "Speaker", "What was said"],
         ["00:01", "Facilitator", "Who has been to a scrutiny panel before?"],
         ["00:05", "Young person 1", "I went once. It was boring, all adults."],
         ["", "Young person 2", "Never heard of them."],
         ["00:09", "Facilitator", "What would make it less boring?"]]])
    import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "Who has been to a scrutiny panel before?"),
        ("Young person 1", "I went once. It was boring, all adults."),
        ("Young person 2", "Never heard of them."),
        ("Facilitator", "What would make it less boring?")]


def _bold_docx(path, paragraphs):
    """Paragraphs as (bold words, plain words); the bold words may be empty."""
    d = docx.Document()
    d.add_heading("Lambeth workshop – table 2 transcript", 1)
    for bold, plain in paragraphs:
        p = d.add_paragraph()
        if bold:
            p.add_run(bold).bold = True
        if plain:
            p.add_run(plain)
    d.save(path)
    return path


def test_a_speaker_typed_in_bold_without_a_colon_is_a_turn(project, tmp_path):
    f = _bold_docx(tmp_path / "lambeth.docx", [
        ("", "Note-taker: Sam. Recorded 14/05/2025. Names changed."),
        ("Facilitator: ", "[00:00:12] OK so first thing, has anyone been stopped?"),
        ("Jordan: ", "Yeah, twice last year."),
        ("Aisha: ", "Same."),
        ("", "A: And if someone told us what happened after."),
        ("FACILITATOR ", "(00:05:40) Let’s talk about the panel itself."),
        ("Jordan ", "Not a copper. Someone independent."),
        ("Aisha - ", "A young person could co-chair."),
        ("Facilitator: ", "Thanks."),
        ("", ""),
        ("", "END OF RECORDING")])
    report = import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "OK so first thing, has anyone been stopped?"),
        ("Jordan", "Yeah, twice last year."),
        ("Aisha", "Same."),
        ("A", "And if someone told us what happened after."),
        ("Facilitator", "Let’s talk about the panel itself."),
        ("Jordan", "Not a copper. Someone independent."),
        ("Aisha", "A young person could co-chair."),
        ("Facilitator", "Thanks.")]
    roles = dict(project.query("SELECT speaker, speaker_role FROM passages"))
    assert roles["Facilitator"] == "facilitator" and roles["Jordan"] == "participant"
    # the note-taker's line is header, and said; the closing note is quietly left out
    assert len(report.warnings) == 1 and "Note-taker: Sam." in report.warnings[0]
    split = split_document(read_document(f).text, bold=read_document(f).bold)
    assert [s.reason for s in split.skipped][-1] == "a closing note, no one's words"


def test_bold_words_starting_a_notes_paragraph_name_no_speaker(project, tmp_path):
    f = _bold_docx(tmp_path / "notes.docx", [
        ("Facilitator: ", "Here is what the tables said."),
        ("P1: ", "Hubs near stations."),
        ("Scenario B ", "people liked the hubs but not the commute."),
        ("P2: ", "Agreed.")])
    import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "Here is what the tables said."),
        ("P1", "Hubs near stations.\nScenario B people liked the hubs but not the commute."),
        ("P2", "Agreed.")]
