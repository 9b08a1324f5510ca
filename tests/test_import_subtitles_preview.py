"""The Import dialog previews a Zoom or Teams .vtt as it previews a .docx: each turn with where it
starts in the file (line and time) and its speaker, and suggests an interview when an
interviewer speaks."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from tests.test_import_subtitles import TEAMS, ZOOM  # noqa: E402
from tests.test_ui_import_preview import open_dialog, rows  # noqa: E402
from tests.ui_fixtures import settings  # noqa: E402,F401
from ui.testing import pixel_variety  # noqa: E402


def test_vtt_preview_shows_its_turns_with_line_time_and_speaker(qtbot, settings, tmp_path):
    dlg = open_dialog(qtbot, settings, tmp_path / "leeds_workshop.vtt", ZOOM)
    assert dlg.kind == "document"
    assert dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    assert dlg.preview_summary.text() == (
        "4 passages, one per speaker turn, by 3 speakers (turns: Sam Okafor (Facilitator) 1, "
        "Priya Shah 2, Dr. Jane O'Neil 1).")
    assert rows(dlg) == [
        ("line 6, 00:00:05", "Sam Okafor (Facilitator)",
         "Welcome everyone. Let's start with the fully remote scenario. What would you keep?"),
        ("line 18, 00:00:12", "Priya Shah",
         "Not coming in & the two hours I save. It costs me £14 a day."),
        ("line 26, 00:00:17", "Dr. Jane O'Neil", "Same for me."),
        ("line 30, 00:01:02", "Priya Shah", "And a proper chair.")]
    assert dlg.problem_label.text() == ""
    assert dlg.source_kind_box.currentData() == "workshop"
    dlg.resize(900, 640)    # grab() lays out and paints the dialog without showing it
    image = dlg.grab().toImage()
    assert pixel_variety(image) > 20        # not blank
    assert image.save(str(tmp_path / "vtt_preview.png"))


def test_teams_txt_preview_suggests_an_interview(qtbot, settings, tmp_path):
    dlg = open_dialog(qtbot, settings, tmp_path / "teams_transcript.txt", TEAMS)
    assert [r[1:] for r in rows(dlg)] == [
        ("Interviewer Alex Reid", "How has hybrid working been for you?"),
        ("Ben Cole (Guest)", "Honestly, great for my family. But nobody checks in on me."),
        ("Interviewer Alex Reid", "Tell me more.")]
    assert dlg.source_kind_box.currentData() == "interview"
    assert dlg.options()["source_kind"] == "interview"


def test_a_broken_vtt_is_said_in_the_dialog_and_cannot_be_imported(qtbot, settings, tmp_path):
    f = tmp_path / "broken.vtt"
    dlg = open_dialog(qtbot, settings, f, ZOOM.replace("00:00:12.300 --> 00:00:15.000",
                                                       "00:00:12.300 -> 00:00:15.000"))
    assert dlg.problem_label.text() == (
        f"{f}: line 17: “00:00:12.300 -> 00:00:15.000” is not a cue's time line (such as "
        "“00:00:05.120 --> 00:00:09.440”)")
    assert dlg.preview.rowCount() == 0
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    f.write_text(ZOOM, encoding="utf-8")      # mended: it can be imported
    dlg.set_path(str(f))
    assert dlg.problem_label.text() == "" and dlg.preview.rowCount() == 4
    assert dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
