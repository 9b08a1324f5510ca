"""A Pol.is comments.csv given alone is not read as "% of those who voted" (QA 15): its counts
include re-votes and leave out passes (bg2050 statement 'food pantries': 76% of 51 from the
file, 61% of 62 from the final votes)."""
from __future__ import annotations

import shutil

import pytest

from conftest import POLIS
from synth.errors import ImportProblem
from synth.importers.polis import comments_alone
from synth.pipeline import import_all

BG = POLIS / "bg2050-volunteers"


def test_comments_csv_in_its_export_is_refused_naming_the_folder(project):
    with pytest.raises(ImportProblem) as e:
        import_all(project, [BG / "comments.csv"])
    assert "cannot give “% of those who voted”" in str(e.value)
    assert f"Import the export folder {BG} instead" in str(e.value)
    assert project.summary().statements == 0


def test_comments_csv_alone_is_refused(project, tmp_path):
    shutil.copy(BG / "comments.csv", tmp_path / "comments.csv")
    with pytest.raises(ImportProblem) as e:
        import_all(project, [tmp_path / "comments.csv"])
    assert "re-votes included, and it has no passes" in str(e.value)
    assert "comments.csv with votes.csv or participant-votes.csv" in str(e.value)
    assert project.summary().statements == 0


def test_the_folder_gives_the_final_votes(project):
    import_all(project, [BG])
    agree, voted = project.query(
        "SELECT sum(v.value = 1), count(*) FROM votes v JOIN statements s "
        "ON s.id = v.statement_id WHERE s.text LIKE 'Bowling Green has multiple effectively "
        "located food pantries%'")[0]
    assert (agree, voted) == (38, 62)


def test_an_ordinary_tally_table_is_not_taken_for_one(tmp_path):
    t = tmp_path / "comments.csv"
    t.write_text("statement,agree,disagree,pass\nMore buses,10,2,1\n", encoding="utf-8")
    assert comments_alone(t) is None


def test_a_study_folder_listing_comments_csv_alone_is_refused(project, tmp_path):
    """Review: the refusal lived on the command line's path; a study.json listing the same
    file imported 272 statements with tallies counting re-votes."""
    import json
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(BG / "comments.csv", folder / "comments.csv")
    (folder / "study.json").write_text(json.dumps(
        {"name": "BG", "files": [{"path": "comments.csv"}]}), encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        import_all(project, [folder])
    assert "re-votes included, and it has no passes" in str(e.value)
    assert project.summary().statements == 0
