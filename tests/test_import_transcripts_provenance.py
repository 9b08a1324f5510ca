"""A transcript's header lines ("Workshop: BG workshop 1. Venue: Public library. Date: 12 May
2025") give the document its workshop and site when none was given, and are kept with it; the
transcriber's marks ("[inaudible 00:12:31]", "[crosstalk]") stay verbatim in the passages and are
counted by the import (QA: the workshop line was passed over and the mark merged in silence)."""
from __future__ import annotations

import json

from synth.importers import import_path
from synth.importers.transcript_header import header_fields
from tests.test_import_transcripts_split import make_docx, passages

TURNS = ["FACILITATOR: Welcome everyone. What would you keep?",
         "P1: Honestly the parks.",
         "P2 - I'd keep the small-town feel but we need better transit.",
         "Participant 3: Call me if you want to talk more.",
         "[inaudible 00:12:31]",
         "Facilitator (Amy): Anything you would ditch?",
         "P1: The traffic [crosstalk] on Scottsville Road, absolutely.",
         "P2: Housing costs [inaudible] young people. [laughter]"]


def _bg(tmp_path, header=("Workshop: BG workshop 1. Venue: Public library. Date: 12 May 2025",)):
    return make_docx(tmp_path / "bg_transcript.docx", [*header, "Transcript", *TURNS],
                     heading="Bowling Green focus group, table 2")


def _details(project):
    return json.loads(project.scalar("SELECT details FROM sources"))


def test_the_header_gives_the_workshop_and_is_kept_with_the_document(project, tmp_path):
    [report] = import_path(project, _bg(tmp_path))
    assert [tuple(r) for r in project.query("SELECT site, workshop FROM documents")] == [
        ("", "BG workshop 1")]
    assert project.scalar("SELECT workshop FROM sources") == "BG workshop 1"
    assert _details(project)["header"] == {"workshop": "BG workshop 1",
                                           "venue": "Public library", "date": "12 May 2025"}
    assert report.warnings[0] == (
        "bg_transcript.docx: from its header, the workshop “BG workshop 1” (paragraph 2), as "
        "none was given (name the workshop when importing to give another); its venue "
        "“Public library” and date “12 May 2025” kept with the document")


def test_site_and_workshop_on_lines_of_their_own(project, tmp_path):
    [report] = import_path(project, _bg(tmp_path, ("Site: Bowling Green", "Workshop: BG workshop 2",
                                        "Facilitator: Amy Jones", "Date: 12 May 2025")))
    assert [tuple(r) for r in project.query("SELECT site, workshop FROM documents")] == [
        ("Bowling Green", "BG workshop 2")]
    assert _details(project)["header"]["facilitator"] == "Amy Jones"
    # the header's facilitator line is no passage; the conversation is whole
    assert passages(project)[0] == ("Facilitator", "Welcome everyone. What would you keep?")
    assert not any("is no passage" in w for w in report.warnings)


def test_a_workshop_given_is_kept_and_the_header_said(project, tmp_path):
    [report] = import_path(project, _bg(tmp_path), workshop="BG 2025 #1", site="Bowling Green")
    assert [tuple(r) for r in project.query("SELECT site, workshop FROM documents")] == [
        ("Bowling Green", "BG 2025 #1")]
    assert report.warnings[0] == (
        "bg_transcript.docx: its header names the workshop “BG workshop 1” (paragraph 2); the "
        "workshop given, “BG 2025 #1”, was kept")
    # a workshop given that holds the header's name is no disagreement
    [report] = import_path(project, _bg(tmp_path), workshop="BG workshop 1, 12 May",
                           again=True)
    assert not any("header names" in w for w in report.warnings)


def test_transcriber_marks_stay_verbatim_and_are_counted(project, tmp_path):
    [report] = import_path(project, _bg(tmp_path))
    said = dict(passages(project)[3:])
    assert passages(project)[3] == ("Participant 3", "Call me if you want to talk more.\n"
                                                     "[inaudible 00:12:31]")
    assert "The traffic [crosstalk] on Scottsville Road, absolutely." in said.values()
    assert report.warnings[-1] == (
        "bg_transcript.docx: 3 passages hold transcriber's marks ([inaudible] in 2 passages, "
        "[crosstalk] in 1 passage, [laughter] in 1 passage), kept verbatim in the text: check "
        "them before quoting (Participant 3, paragraph 8; P1, paragraph 10; P2, paragraph 11)")


def test_laughter_alone_is_counted_without_a_check(project, tmp_path):
    f = make_docx(tmp_path / "t.docx", ["P1: That was funny. [laughs]", "P2: It was. [Laughter]",
                                        "P1: Anyway."])
    [report] = import_path(project, f)
    assert report.warnings == [
        "t.docx: 2 passages hold [laughter] marks, kept verbatim in the text (P1, paragraph 2; "
        "P2, paragraph 3)"]


def test_header_fields_of_a_document_without_turns_and_what_is_no_header():
    text = "Leeds notes\nWorkshop: Leeds 1; Site: Leeds\nPeople want buses.\nSite: not this"
    fields = header_fields(text, None)
    assert {k: (f.value, f.line) for k, f in fields.items()} == {
        "workshop": ("Leeds 1", 1), "site": ("Leeds", 1)}
    # words before a label make no header line
    assert header_fields("We met at the hub. Workshop: none\nP1: Hi.", 19) == {}


def test_a_greeting_in_capitals_is_the_facilitators_first_turn(project, tmp_path):
    """Review: "Facilitator: Welcome Everyone." read as the facilitator's full name, so the
    first turn was dropped as a header line without a word, and stored as who facilitated."""
    path = make_docx(tmp_path / "greeting.docx",
                     ["Facilitator: Welcome Everyone.",
                      "P1: Thanks, glad to be here. The bus service is poor in the evenings.",
                      "Facilitator: What would you change first?",
                      "P2: More buses after eight, and a proper shelter at the stop."])
    import_path(project, path)
    assert passages(project)[0] == ("Facilitator", "Welcome Everyone.")
    assert len(passages(project)) == 4
    assert "facilitator" not in _details(project).get("header", {})
