"""Transcripts from Word: every turn a passage with its speaker, in document order; header lines
kept out, and a labelled line kept out said in the import's warnings."""
from __future__ import annotations

import docx
import pytest

from synth.importers import import_path
from synth.importers.documents import import_document, read_document, split_document


def make_docx(path, blocks, heading="Leeds table 2"):
    """``blocks``: paragraph texts, or lists of rows (lists of cells) for a table."""
    d = docx.Document()
    if heading:
        d.add_heading(heading, 1)
    for b in blocks:
        if isinstance(b, str):
            d.add_paragraph(b)
        else:
            t = d.add_table(rows=len(b), cols=len(b[0]))
            for r, row in enumerate(b):
                for c, v in enumerate(row):
                    t.cell(r, c).text = v
    d.save(path)
    return path


def passages(project):
    doc = project.scalar("SELECT text FROM documents ORDER BY id DESC LIMIT 1")
    return [(speaker, doc[s:e]) for s, e, speaker in project.query(
        "SELECT start, end, speaker FROM passages ORDER BY start")]


def test_speakers_who_speak_once_before_anyone_speaks_twice_keep_their_turns(project, tmp_path):
    f = make_docx(tmp_path / "leeds.docx", [
        "Date: 2 May 2025",
        "Facilitator: Welcome, let's start with scenario A, fully remote.",
        "P1: I strongly think hot-desking must go; it makes me anxious every single day.",
        "P2: I agree with that.",
        "P3: Remote by default would cost me my team.",
        "P2: And the office is too loud."])
    report = import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "Welcome, let's start with scenario A, fully remote."),
        ("P1", "I strongly think hot-desking must go; it makes me anxious every single day."),
        ("P2", "I agree with that."), ("P3", "Remote by default would cost me my team."),
        ("P2", "And the office is too loud.")]
    assert report.counts == {"documents": 1, "passages": 5, "speakers": 4}
    assert report.warnings == []        # the title and "Date:" are header, as they should be


def test_a_labelled_line_taken_as_header_is_a_warning_naming_file_and_paragraph(project,
                                                                                 tmp_path):
    f = make_docx(tmp_path / "york.docx", [
        "Organiser: DfE", "Facilitator: Hello all.", "P1: Hi.", "Facilitator: Let's start."])
    report = import_document(project, f)
    assert [s for s, _ in passages(project)] == ["Facilitator", "P1", "Facilitator"]
    assert len(report.warnings) == 1
    w = report.warnings[0]
    assert w.startswith("york.docx, paragraph 2: “Organiser: DfE”") and "header" in w


@pytest.mark.parametrize("lines", [
    ["[00:00:05] Facilitator: Welcome.", "[00:00:09] P4: Keep remote.",
     "[00:04:12] P5: Ditch it.", "[00:04:20] P4: Why?"],
    ["00:00:05 Facilitator: Welcome.", "00:00:09 P4: Keep remote.", "00:04:12 P5: Ditch it.",
     "00:04:20 P4: Why?"],
    ["Facilitator (00:00:05): Welcome.", "P4 (00:00:09): Keep remote.",
     "P5 (00:04:12): Ditch it.", "P4 (00:04:20): Why?"],
    ["Facilitator [00:05]: Welcome.", "P4 [00:09]: Keep remote.", "P5 [04:12]: Ditch it.",
     "P4 [04:20]: Why?"],
    # Otter, Teams, Rev: the speaker and the time alone on a line, the words below
    ["Facilitator  0:05", "Welcome.", "", "P4  0:09", "Keep remote.", "", "P5  4:12",
     "Ditch it.", "", "P4  4:20", "Why?"],
    ["Facilitator (00:00:05):", "Welcome.", "P4 (00:00:09):", "Keep remote.",
     "P5 (00:04:12):", "Ditch it.", "P4 (00:04:20):", "Why?"],
])
def test_time_stamped_turns_are_turns_of_their_speaker(project, tmp_path, lines):
    f = make_docx(tmp_path / "zoom.docx", lines)
    import_document(project, f)
    assert passages(project) == [("Facilitator", "Welcome."), ("P4", "Keep remote."),
                                 ("P5", "Ditch it."), ("P4", "Why?")]


def test_a_time_stamp_in_the_middle_does_not_give_one_speakers_words_to_another(project,
                                                                                tmp_path):
    f = make_docx(tmp_path / "t.docx", [
        "P4: Isolation is hard.", "P5: Agreed.",
        "[00:04:12] P4: Actually I changed my mind, I love the office.", "P5: OK."])
    import_document(project, f)
    assert passages(project) == [
        ("P4", "Isolation is hard."), ("P5", "Agreed."),
        ("P4", "Actually I changed my mind, I love the office."), ("P5", "OK.")]


def test_turns_in_a_word_table_stay_where_the_document_has_them(project, tmp_path):
    f = make_docx(tmp_path / "table.docx", [
        "Facilitator: First, scenario A.",
        [["P1", "Keep it, the commute is awful."], ["P2:", "Ditch it, I miss people."]],
        "Facilitator: Now scenario B.",
        [["00:12:01", "P3", "Add quiet rooms."]],
        "P1: Agreed."])
    import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "First, scenario A."), ("P1", "Keep it, the commute is awful."),
        ("P2", "Ditch it, I miss people."), ("Facilitator", "Now scenario B."),
        ("P3", "Add quiet rooms."), ("P1", "Agreed.")]
    places = read_document(f).places
    assert places[:4] == ["paragraph 1", "paragraph 2", "table 1, row 1", "table 1, row 2"]


def test_a_table_that_is_not_a_transcript_keeps_its_cells(tmp_path):
    f = make_docx(tmp_path / "grid.docx", [
        "Intro", [["Scenario", "Keep", "Ditch"], ["A: remote", "commute", "isolation"]], "End"])
    assert read_document(f).text.split("\n") == [
        "Leeds table 2", "Intro", "Scenario | Keep | Ditch", "A: remote | commute | isolation",
        "End"]


def test_a_transcript_imports_as_an_interview_through_import_path(project, tmp_path):
    from exports.content import attribution
    f = make_docx(tmp_path / "interview.docx", [
        "Interviewer: How has hybrid working been?", "P4: Lonely, mostly.",
        "Interviewer: Thanks."])
    reports = import_path(project, f, kind="document", source_kind="interview", site="Leeds")
    assert reports[0].kind == "interview"
    assert project.scalar("SELECT kind FROM sources") == "interview"
    pid = project.scalar("SELECT id FROM passages WHERE speaker = 'P4'")
    assert attribution(project, "passage", pid) == "Interview participant"
    import_path(project, f, kind="document", site="Leeds", again=True)     # the default
    pid = project.scalar("SELECT max(id) FROM passages WHERE speaker = 'P4'")
    assert attribution(project, "passage", pid) == "Leeds co-design participant"
    with pytest.raises(Exception, match="unknown document kind"):
        import_document(project, f, source_kind="focus group")


def test_lines_kept_out_are_listed_with_their_reason():
    text = ("Leeds table 2\nWorkshop: Leeds\nOrganiser: DfE\nFacilitator: Hello.\nP1: Hi.\n"
            "Facilitator: Go.")
    split = split_document(text)
    assert [(s.line, s.warn) for s in split.skipped] == [(0, False), (1, False), (2, True)]
    assert "title" in split.skipped[0].reason and "Workshop:" in split.skipped[1].reason
    assert split.speakers == {"Facilitator": 2, "P1": 1}


def test_a_study_manifest_marks_a_transcript_as_an_interview(project, tmp_path):
    import json
    study = tmp_path / "study"
    study.mkdir()
    make_docx(study / "ana.docx", ["Interviewer: What would you keep?",
                                   "Ana: Working from home two days a week."])
    make_docx(study / "table.docx", ["Facilitator: Scenario A.", "P1: Keep the hubs."])
    (study / "study.json").write_text(json.dumps({"files": [
        {"path": "ana.docx", "kind": "document", "source_kind": "interview"},
        {"path": "table.docx", "kind": "document"}]}), encoding="utf-8")
    import_path(project, study)
    assert [tuple(r) for r in project.query("SELECT name, kind FROM sources ORDER BY id")] == [
        ("ana", "interview"), ("table", "workshop")]
    (study / "study.json").write_text(json.dumps({"files": [
        {"path": "ana.docx", "kind": "document", "source_kind": "podcast"}]}), encoding="utf-8")
    with pytest.raises(Exception) as e:
        import_path(project, study, again=True)
    assert "unknown document kind “podcast”" in str(e.value)
    assert project.scalar("SELECT count(*) FROM sources") == 2


def test_the_import_line_counts_one_in_the_singular(project, tmp_path):
    f = make_docx(tmp_path / "one.docx", ["P1: Keep the hubs open on Fridays.",
                                          "P1: And on Mondays."], heading="")
    (report,) = import_path(project, f)
    # "1 documents, 2 passages, 1 speakers" before
    assert report.lines() == [f"{f} (workshop): 1 document, 2 passages, 1 speaker"]


def test_a_phrase_before_a_colon_inside_a_turn_is_no_new_speaker():
    text = ("Facilitator: What did you decide about scenario B?\n"
            "P1: We argued for a while.\n"
            "The answer is: yes, regional hubs, if the trains work.\n"
            "P2: I was less sure.\n"
            "Dr Amira Khan: One point from me about the hubs.\n"
            "P1: Agreed.\n")
    split = split_document(text)
    got = [(p.speaker, text[p.start:p.end]) for p in split.passages]
    assert [s for s, _ in got] == ["Facilitator", "P1", "P2", "Dr Amira Khan", "P1"]
    assert got[1][1] == ("We argued for a while.\n"
                         "The answer is: yes, regional hubs, if the trains work.")


def test_a_table_nested_in_a_cell_keeps_its_words(tmp_path):
    d = docx.Document()
    d.add_paragraph("Facilitator: Which scenario did your table like?")
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Scenario B"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r, (a, b) in enumerate([("Keep", "Hubs near stations"), ("Ditch", "Two-hour commutes")]):
        inner.cell(r, 0).text = a
        inner.cell(r, 1).text = b
    d.add_paragraph("P1: The hubs, mostly.")
    d.save(tmp_path / "nested.docx")
    text = read_document(tmp_path / "nested.docx").text
    assert "Keep | Hubs near stations" in text
    assert "Ditch | Two-hour commutes" in text
    assert text.index("Scenario B") < text.index("Hubs near stations") < text.index("P1:")
