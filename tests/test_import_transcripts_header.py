"""A transcript's header names people ("Participants: P1, P2 …", "Chair: Cllr Tom Baker") without
their speaking; a notes document with a two-column Word table is no conversation. Neither may
turn header lines into passages or lose paragraphs without saying so."""
from __future__ import annotations

from synth.importers.documents import import_document, read_document, split_document
from tests.test_import_transcripts_split import make_docx, passages

HEADER = ["Participants: P1, P2, P3 and Jane Smith (HR)", "Chair: Cllr Tom Baker",
          "Date: 3 May 2026"]
TURNS = ["Facilitator: Welcome everyone, thanks for coming.",
         "P1: The rota changes came with a week's notice.",
         "Facilitator: How did that affect you?", "P2: I had to rearrange childcare twice."]


def test_header_lines_naming_participants_and_the_chair_are_header_not_turns(project,
                                                                              tmp_path):
    f = make_docx(tmp_path / "leeds.docx", HEADER + TURNS, heading="Workshop transcript")
    report = import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "Welcome everyone, thanks for coming."),
        ("P1", "The rota changes came with a week's notice."),
        ("Facilitator", "How did that affect you?"), ("P2", "I had to rearrange childcare twice.")]
    # the two labelled lines are said; the title and "Date:" are plainly header
    assert [w.split(":")[0] for w in report.warnings] == ["leeds.docx, paragraph 2",
                                                          "leeds.docx, paragraph 3"]
    assert "“Participants: P1, P2, P3 and Jane Smith (HR)”" in report.warnings[0]
    assert "“Chair: Cllr Tom Baker”" in report.warnings[1]


def test_plural_role_words_are_no_speakers_but_a_lettered_one_is(tmp_path):
    for word in ("Speakers", "Respondents", "Participants"):
        split = split_document(f"{word}: Ann, Bob\n" + "\n".join(TURNS))
        assert [p.speaker for p in split.passages] == ["Facilitator", "P1", "Facilitator", "P2"]
    text = "Participant A: Fine.\n" + "\n".join(TURNS)
    split = split_document(text)
    assert [(p.speaker, text[p.start:p.end]) for p in split.passages[:2]] == [
        ("Participant A", "Fine."), ("Facilitator", "Welcome everyone, thanks for coming.")]


def test_a_role_that_speaks_once_keeps_its_turn_when_its_line_reads_as_speech():
    text = ("Chair: Welcome to tonight's meeting on the rota.\n"
            "P1: It came with a week's notice.\nP2: Same for me.")
    split = split_document(text)
    assert [(p.speaker, text[p.start:p.end]) for p in split.passages] == [
        ("Chair", "Welcome to tonight's meeting on the rota."),
        ("P1", "It came with a week's notice."), ("P2", "Same for me.")]
    assert split.skipped == []


def test_a_notes_table_of_topics_keeps_every_paragraph_in_document_order(project, tmp_path):
    f = make_docx(tmp_path / "notes.docx", [
        "People said the new rota was announced with a week's notice.",
        "Several want a say in how overtime is shared.",
        [["Workload", "Too many e-mails after hours."], ["Pay", "Below inflation for years."],
         ["Workload", "Meetings run over every week."]],
        "Facilitator closed at 4pm; follow-up in May."], heading="Leeds table 3: notes")
    report = import_document(project, f)
    assert passages(project) == [
        ("", "Leeds table 3: notes"),
        ("", "People said the new rota was announced with a week's notice."),
        ("", "Several want a say in how overtime is shared."),
        ("", "Workload | Too many e-mails after hours."), ("", "Pay | Below inflation for years."),
        ("", "Workload | Meetings run over every week."),
        ("", "Facilitator closed at 4pm; follow-up in May.")]
    assert report.counts["speakers"] == 0


def test_a_table_headed_speaker_makes_turns_of_names(project, tmp_path):
    f = make_docx(tmp_path / "t.docx", [
        [["Speaker", "What was said"], ["Jane", "The rota came late."], ["Tom", "Same here."],
         ["Jane", "And overtime is unfair."]]])
    import_document(project, f)
    assert passages(project) == [("Jane", "The rota came late."), ("Tom", "Same here."),
                                 ("Jane", "And overtime is unfair.")]


def test_every_sentence_left_out_before_the_turns_is_a_warning(project, tmp_path):
    f = make_docx(tmp_path / "york.docx", [
        "Date: 2 May 2025",
        "People said the new rota was announced with a week's notice.",
        "Facilitator: Hello all.", "P1: Hi.", "Facilitator: Let's start."], heading="York")
    report = import_document(project, f)
    assert [s for s, _ in passages(project)] == ["Facilitator", "P1", "Facilitator"]
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(
        "york.docx, paragraph 3: “People said the new rota was announced")
    assert [s.warn for s in split_document(read_document(f).text).skipped] == [False, False, True]
