"""Zoom and Teams transcripts (WebVTT) and SubRip subtitles import as transcripts: one passage per
speaker turn, without time stamps or tags; a broken file is refused, naming its line, with the
project unchanged."""
from __future__ import annotations

import pytest

from qdpx_files import refused_unchanged, write_qdpx_file
from synth.importers import detect, import_path

ZOOM = """WEBVTT
Kind: captions

1
00:00:05.120 --> 00:00:09.440
Sam Okafor (Facilitator): Welcome everyone. Let's start
with the fully remote scenario.

2
00:00:09.500 --> 00:00:12.010
Sam Okafor (Facilitator): What would you keep?

NOTE recorded in Leeds,
second room

3
00:00:12.300 --> 00:00:15.000
Priya Shah: Not coming in &amp; the <b>two hours</b> I save.

4
00:00:15.100 --> 00:00:17.000
<i>It costs me £14 a day.</i>

5
00:00:17.100 --> 00:00:19.000
Dr. Jane O'Neil: Same for me.

6
00:01:02.000 --> 00:01:04.500
Priya Shah: And a proper chair.
"""

TEAMS = """WEBVTT

STYLE
::cue { color: yellow }

3f1c2a8e-6b1d-4d5e-9c1a-1/12-0
00:00:00.000 --> 00:00:03.250
<v Interviewer Alex Reid>How has hybrid working been for you?</v>

3f1c2a8e-6b1d-4d5e-9c1a-1/18-0
00:00:03.400 --> 00:00:06.000
<v Ben Cole (Guest)>Honestly, great for my family.</v>

3f1c2a8e-6b1d-4d5e-9c1a-1/19-0
00:00:06.100 --> 00:00:09.000
<v Ben Cole (Guest)>But nobody checks in on me.</v>

3f1c2a8e-6b1d-4d5e-9c1a-1/25-0
00:00:09.100 --> 00:00:11.000
<v.loud Interviewer Alex Reid>Tell me more.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
- Mo: Keep the <font color="#ffff00">quiet rooms</font>.
- Ana: Ditch the booking app.

2
00:00:03,500 --> 00:00:05,000
It never has a desk.

3
00:00:05,500 --> 00:00:07,000
Mo: Agreed.
"""


def passages(project):
    doc = project.scalar("SELECT text FROM documents ORDER BY id DESC LIMIT 1")
    return [(speaker, role, doc[s:e]) for s, e, speaker, role in project.query(
        "SELECT start, end, speaker, speaker_role FROM passages ORDER BY start")]


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_zoom_vtt_is_one_passage_per_turn_without_time_stamps_or_tags(project, tmp_path):
    f = write(tmp_path / "leeds_workshop.vtt", ZOOM)
    assert detect(f) == "document"
    [report] = import_path(project, f, site="Leeds")
    assert passages(project) == [
        ("Sam Okafor (Facilitator)", "facilitator",
         "Welcome everyone. Let's start with the fully remote scenario. What would you keep?"),
        ("Priya Shah", "participant",
         "Not coming in & the two hours I save. It costs me £14 a day."),   # no speaker: hers
        ("Dr. Jane O'Neil", "participant", "Same for me."),
        ("Priya Shah", "participant", "And a proper chair.")]
    assert report.counts == {"documents": 1, "passages": 4, "speakers": 3}
    assert report.lines()[0] == f"{f} (workshop): 1 document, 4 passages, 3 speakers"
    assert report.warnings == []
    text = project.scalar("SELECT text FROM documents")
    assert "-->" not in text and "00:0" not in text and "NOTE" not in text and "<" not in text
    assert [tuple(r) for r in project.query("SELECT kind, site FROM sources")] == [
        ("workshop", "Leeds")]


def test_teams_voice_tags_name_the_speaker_and_their_cues_join(project, tmp_path):
    f = write(tmp_path / "interview_ben.vtt", TEAMS)
    [report] = import_path(project, f, source_kind="interview")
    assert passages(project) == [
        ("Interviewer Alex Reid", "facilitator", "How has hybrid working been for you?"),
        ("Ben Cole (Guest)", "participant",
         "Honestly, great for my family. But nobody checks in on me."),
        ("Interviewer Alex Reid", "facilitator", "Tell me more.")]
    assert report.counts == {"documents": 1, "passages": 3, "speakers": 2}
    # each turn's place is the line of its first words in the file, with its start time
    from synth.importers.documents import document_split, read_document
    doc = read_document(f)
    split = document_split(doc)
    assert [doc.place(doc.text.count("\n", 0, p.start)) for p in split.passages] == [
        "line 8, 00:00:00", "line 12, 00:00:03", "line 20, 00:00:09"]


def test_srt_cues_with_and_without_speakers(project, tmp_path):
    f = write(tmp_path / "table3.srt", SRT)
    assert detect(f) == "document"
    [report] = import_path(project, f)
    assert [(s, t) for s, _, t in passages(project)] == [
        ("Mo", "Keep the quiet rooms."),
        ("Ana", "Ditch the booking app. It never has a desk."),
        ("Mo", "Agreed.")]
    assert report.counts == {"documents": 1, "passages": 3, "speakers": 2}


def test_a_name_is_told_from_words_before_a_colon(project, tmp_path):
    f = write(tmp_path / "names.vtt", "WEBVTT\n\n00:01.000 --> 00:04.000\nSmith, Jane (DfE): Hi.\n"
                                      "\n00:04.500 --> 00:06.000\nWell, the point is: rooms.\n"
                                      "\n00:06.500 --> 00:08.000\nAt 10:30: lunch?\n\n"
                                      "00:08.500 --> 00:09.000\nAli: Yes.\n")
    import_path(project, f)
    assert [(s, t) for s, _, t in passages(project)] == [
        ("Smith, Jane (DfE)", "Hi. Well, the point is: rooms. At 10:30: lunch?"), ("Ali", "Yes.")]


def test_cues_naming_no_speaker_are_a_passage_each(project, tmp_path):
    f = write(tmp_path / "captions.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello <i>all</i>.\n\n"
                                         "2\n00:00:02,500 --> 00:00:04,000\nShall we begin?\n")
    [report] = import_path(project, f)
    assert passages(project) == [("", "", "Hello all."), ("", "", "Shall we begin?")]
    assert report.warnings == ["no cue names its speaker: 2 passages, one per cue"]


def test_a_txt_that_starts_with_webvtt_is_read_as_webvtt(project, tmp_path):
    f = write(tmp_path / "zoom_transcript.txt", "\ufeff" + TEAMS)
    assert detect(f) == "document"
    import_path(project, f)
    assert [s for s, _, _ in passages(project)] == ["Interviewer Alex Reid", "Ben Cole (Guest)",
                                                    "Interviewer Alex Reid"]
    assert "<v" not in project.scalar("SELECT text FROM documents")


@pytest.mark.parametrize("name, text, match", [
    ("empty.vtt", "WEBVTT\n\nNOTE nothing was said\n", "no cues found"),
    ("broken.vtt", ZOOM.replace("00:00:12.300 --> 00:00:15.000", "00:00:12.300 -> 00:00:15.000"),
     "line 17: “00:00:12.300 -> 00:00:15.000” is not a cue's time line"),
    ("minutes.vtt", ZOOM.replace("00:00:17.100 -->", "00:00:97.100 -->"),
     "line 25: “00:00:97.100 --> 00:00:19.000” is not a cue's time line"),
    ("broken.srt",
     SRT.replace("00:00:03,500 --> 00:00:05,000", "00:00:03,500 00:00:05,000"),
     "line 7: “00:00:03,500 00:00:05,000” is not a cue's time line"),
    ("headless.vtt", ZOOM.replace("WEBVTT\n", ""),
     "line 1: a WebVTT file starts with “WEBVTT”"),
    ("stray.vtt", "WEBVTT\n\nJust some words\nwith no time\n",
     "line 3: “Just some words” is in no cue"),
])
def test_a_broken_subtitle_file_is_refused_naming_its_line_and_nothing_changes(
        project, tmp_path, name, text, match):
    write(tmp_path / "good.vtt", TEAMS)
    import_path(project, tmp_path / "good.vtt")
    refused_unchanged(project, write(tmp_path / name, text), match)


def test_qdpx_transcripts_say_which_lines_they_keep_out(project, tmp_path):
    text = "Organiser: DfE\nFacilitator: Hello all.\nP1: Hi.\nFacilitator: Let's start.\n"
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           'name="York"><Sources><TextSource guid="9e4d2a30-3333-4c5d-8e7f-000000000001" '
           f'name="York table 1"><PlainTextContent>{text}</PlainTextContent></TextSource>'
           '</Sources></Project>')
    f = write_qdpx_file(tmp_path / "york.qdpx", {"project.qde": qde.encode("utf-8")})
    [report] = import_path(project, f)
    assert [s for s, _, _ in passages(project)] == ["Facilitator", "P1", "Facilitator"]
    assert report.warnings == [
        "york.qdpx, York table 1, line 1: “Organiser: DfE” is no passage, taken as a header "
        "line: “Organiser” speaks once, before the conversation starts"]
