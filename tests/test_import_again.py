"""Importing a file whose data the project holds already: refused with the earlier import named,
in the one place the window and the command line both call (synth.importers.import_path)."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from conftest import POLIS, SAMPLE
from synth.importers import import_path
from synth.importers.fingerprints import AlreadyImported


def _notes(path, n):
    path.write_text("text\n" + "".join(f"note {i}\n" for i in range(n)), encoding="utf-8")
    return path


def test_the_same_bytes_under_another_name_are_refused_and_nothing_is_written(project, tmp_path):
    first = _notes(tmp_path / "notes.csv", 10)
    import_path(project, first)
    copy = tmp_path / "elsewhere" / "renamed.csv"
    copy.parent.mkdir()
    shutil.copy(first, copy)
    for p in (first, copy):
        with pytest.raises(AlreadyImported) as e:
            import_path(project, p)
        assert e.value.path == str(p)
        assert "already imported into this project (“notes”, imported " in str(e.value)
    assert project.scalar("SELECT count(*) FROM notes") == 10
    assert project.scalar("SELECT count(*) FROM sources") == 1
    (details,) = project.query("SELECT details FROM sources")[0]
    assert json.loads(details)["file"]["path"] == str(first.resolve())


def test_again_imports_a_second_time(project, tmp_path):
    f = _notes(tmp_path / "notes.csv", 10)
    import_path(project, f)
    import_path(project, f, again=True)
    assert project.scalar("SELECT count(*) FROM notes") == 20


def test_a_changed_file_at_the_same_path_imports_with_a_warning_kept_with_it(project, tmp_path):
    f = _notes(tmp_path / "notes.csv", 10)
    import_path(project, f)
    _notes(f, 12)
    (report,) = import_path(project, f)
    assert report.counts["notes"] == 12
    assert len(report.warnings) == 2
    assert report.warnings[0].startswith("10 of the 12 notes in notes.csv have the text of "
                                         "notes already imported from “notes”, ")
    assert report.warnings[0].endswith(": are these the same notes? They are now held twice")
    assert report.warnings[1].startswith("a file at this path was imported before (“notes”, ")
    assert report.warnings[1].endswith("has changed since: that earlier import is still in "
                                       "the project")
    details = json.loads(project.scalar("SELECT details FROM sources WHERE id = ?",
                                        (report.source_id,)))
    assert details["import"]["warnings"] == report.warnings


def test_a_source_from_before_fingerprints_is_matched_by_its_path(project, tmp_path):
    f = _notes(tmp_path / "notes.csv", 10)
    import_path(project, f)
    with project.transaction() as db:
        db.execute("UPDATE sources SET details = json_remove(details, '$.file')")
    with pytest.raises(AlreadyImported):
        import_path(project, f)
    (tmp_path / "other.csv").write_text("text\nmore\nless\nsome\n", encoding="utf-8")
    import_path(project, tmp_path / "other.csv")
    assert project.scalar("SELECT count(*) FROM notes") == 13


def test_a_polis_folder_and_a_study_are_refused_whole(project):
    (debate,) = import_path(project, POLIS / "london.youth.policing")
    with pytest.raises(AlreadyImported):
        import_path(project, POLIS / "london.youth.policing")
    assert project.scalar("SELECT count(*) FROM votes") == debate.counts["votes"] == 638
    reports = import_path(project, SAMPLE)
    counts = {t: project.scalar(f"SELECT count(*) FROM {t}")
              for t in ("sources", "statements", "votes", "notes", "passages")}
    with pytest.raises(AlreadyImported) as e:
        import_path(project, SAMPLE)
    assert e.value.path == str(SAMPLE / "debate")      # the study's first file
    assert {t: project.scalar(f"SELECT count(*) FROM {t}") for t in counts} == counts
    assert len(reports) == 6 and counts["sources"] == 7


def test_a_qdpx_keeps_its_fingerprint_through_undo_and_redo(project, tmp_path):
    from qdpx_files import qualcoder_qdpx  # noqa: PLC0415
    path = qualcoder_qdpx(tmp_path / "other.qdpx")
    import_path(project, path)
    with pytest.raises(AlreadyImported):
        import_path(project, path)
    project.history.undo()
    assert project.scalar("SELECT count(*) FROM sources") == 0
    project.history.redo()
    with pytest.raises(AlreadyImported):
        import_path(project, path)


def test_characteristics_imported_again_update_in_place_and_join_a_new_debate(project, tmp_path):
    """The same characteristics table, imported again to join a debate imported since, is not
    refused: its values update each participant's in place, holding nothing twice."""
    table = tmp_path / "people.csv"
    table.write_text("participant,grade\n1,G6\n2,G7\n", encoding="utf-8")
    import_path(project, POLIS / "bg2050-volunteers")
    import_path(project, table)
    import_path(project, POLIS / "london.youth.policing")         # a newly imported debate
    # joined to it now, named: both debates hold ids 1 and 2, so the table fits them alike
    import_path(project, table, debate="london.youth.policing")
    debates = [r[0] for r in project.query("SELECT id FROM sources WHERE kind = 'debate' "
                                           "ORDER BY id")]
    rows = project.query(
        "SELECT p.source_id, p.external_id, a.value FROM participant_attributes a "
        "JOIN participants p ON p.id = a.participant_id ORDER BY p.source_id, p.external_id")
    assert len(debates) == 2 and [tuple(r) for r in rows] == [
        (debates[0], "1", "G6"), (debates[0], "2", "G7"),
        (debates[1], "1", "G6"), (debates[1], "2", "G7")]
    import_path(project, table, debate="london.youth.policing")    # in place, nothing twice
    assert project.scalar("SELECT count(*) FROM participant_attributes") == 4


def test_a_file_given_twice_in_one_import_is_said_given_twice(project, tmp_path):
    """Named twice in one run, or listed twice in a study.json: refused as given twice, not as
    'already imported … imported <time>', since nothing of it is in the project yet."""
    from synth.importers.fingerprints import GivenTwice
    from synth.pipeline import import_all
    notes = _notes(tmp_path / "notes.csv", 3)
    with pytest.raises(GivenTwice) as e:
        import_all(project, [notes, notes])
    assert str(e.value) == (f"{notes}: given twice in this import; nothing of it is in the "
                            "project yet")
    study = tmp_path / "study"
    study.mkdir()
    shutil.copy(notes, study / "a.csv")
    shutil.copy(notes, study / "b.csv")
    (study / "study.json").write_text(json.dumps({"files": [
        {"path": "a.csv", "kind": "notes"}, {"path": "b.csv", "kind": "notes"}]}),
        encoding="utf-8")
    with pytest.raises(GivenTwice) as e:
        import_path(project, study)
    assert str(e.value) == (f"{(study / 'b.csv').resolve()}: given twice in this import (also "
                            f"as {(study / 'a.csv').resolve()}); nothing of it is in the "
                            "project yet")
    assert project.scalar("SELECT count(*) FROM sources") == 0
    import_all(project, [notes])                             # given once: imported
    with pytest.raises(AlreadyImported):                     # and now it is in the project
        import_all(project, [notes])
    assert project.scalar("SELECT count(*) FROM notes") == 3


def test_a_file_changed_while_it_is_imported_is_refused_whole(project, tmp_path, monkeypatch):
    """The fingerprint is taken before the importer reads the file: one saved again in between
    would be kept with a fingerprint of bytes that were never imported."""
    from synth.errors import ImportProblem
    from synth.importers import tables
    f = _notes(tmp_path / "notes.csv", 10)
    read = tables.import_notes

    def saved_again_while_read(project, path, **options):
        report = read(project, path, **options)
        _notes(f, 12)
        return report
    monkeypatch.setattr(tables, "import_notes", saved_again_while_read)
    with pytest.raises(ImportProblem) as e:
        import_path(project, f)
    assert str(e.value) == (f"{f.resolve()}: changed while it was being imported; nothing of it "
                            "was imported. Import it again once it is saved")
    assert project.scalar("SELECT count(*) FROM sources") == 0
    assert project.scalar("SELECT count(*) FROM notes") == 0
    monkeypatch.undo()
    (report,) = import_path(project, f)                     # saved: imported, its own hash kept
    assert report.counts["notes"] == 12
    details = json.loads(project.scalar("SELECT details FROM sources"))
    assert details["file"]["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()
