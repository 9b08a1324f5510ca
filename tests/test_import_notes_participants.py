"""A note's "Participant id" column ties it to its author, whatever imports it (QA 45)."""
from __future__ import annotations

from synth.importers import import_path

NOTES = "note_id,city,note,dots,pid\n" \
        "Q-1,Lambeth,Pay us for panel time,3,5\n" \
        "Q-2,Lambeth,Meet after school,2,7.0\n" \
        "Q-3,Croydon,Independent chair,1,99\n"


def _with_people(project, tmp_path):
    chars = tmp_path / "people.csv"
    chars.write_text("participant id,age band\n5,16-17\n7,18-19\n9,20-21\n", encoding="utf-8")
    import_path(project, chars, kind="characteristics")
    return dict(project.query("SELECT external_id, id FROM participants"))


def test_notes_are_tied_to_the_participants_their_ids_name(project, tmp_path):
    people = _with_people(project, tmp_path)
    f = tmp_path / "notes_pid.csv"
    f.write_text(NOTES, encoding="utf-8")
    report = import_path(project, f)[0]
    assert report.options["mapping"]["participant"] == "pid"
    rows = project.query("SELECT external_id, participant_id FROM notes ORDER BY id")
    assert [tuple(r) for r in rows] == [("Q-1", people["5"]), ("Q-2", people["7"]),
                                        ("Q-3", None)]
    [w] = [w for w in report.warnings if "participant id" in w]
    assert w.startswith("notes_pid.csv: 1 participant id in column “pid” that no participant "
                        "of the project has (“99” (row 4))")
    # the author's characteristics reach the note
    assert project.scalar("SELECT a.value FROM notes n JOIN participant_attributes a ON "
                          "a.participant_id = n.participant_id WHERE n.external_id = 'Q-2'") \
        == "18-19"


def test_the_import_dialogs_mapping_keeps_the_participant(qtbot, project, tmp_path):
    import pytest
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from ui.import_dialog import ImportDialog
    from ui.settings import Settings
    people = _with_people(project, tmp_path)
    f = tmp_path / "notes_pid.csv"
    f.write_text(NOTES, encoding="utf-8")
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    dlg = ImportDialog(settings, None, str(f))
    qtbot.addWidget(dlg)
    assert dlg.kind == "notes" and dlg.mapping_boxes["participant"].currentText() == "pid"
    opts = dlg.options()
    import_path(project, dlg.path, **opts)
    assert [r[0] for r in project.query("SELECT participant_id FROM notes ORDER BY id")] == [
        people["5"], people["7"], None]
