"""A spreadsheet's closing "Total" row is no statement and no note (QA 1)."""
from __future__ import annotations

import pytest

from synth.errors import ImportProblem
from synth.importers import import_path

TALLIES = ("Statement;Agree;Disagree;Pass\n"
           "Police should publish stop and search data monthly;41;3;2\n"
           "Young people should be paid to sit on panels;35;9;4\n"
           "Schools officers build trust;22;;10\n"
           "Total;98;12;16\n")


def test_a_totals_row_of_tallies_is_left_out_with_a_warning_naming_it(project, tmp_path):
    f = tmp_path / "tallies_total.csv"
    f.write_bytes(TALLIES.encode("cp1252"))
    report = import_path(project, f)[0]
    assert report.counts == {"statements": 3, "votes (tallied)": 126}
    assert project.scalar("SELECT count(*) FROM statements WHERE text = 'Total'") == 0
    assert "tallies_total.csv, row 5: a totals row (“Total”: “Agree” 98, “Disagree” 12, " \
           "“Pass” 16, the sums of the rows above) left out" in report.warnings


def test_a_totals_row_of_notes_is_left_out(project, tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text("Note ID;City;Note;Dot votes\nL-01;Lambeth;Youth panels;3\n"
                 "L-02;Lambeth;No quotas;5\n;;Total;8\n", encoding="utf-8-sig")
    report = import_path(project, f)[0]
    assert report.counts["notes"] == 2
    assert project.scalar("SELECT sum(dot_votes) FROM notes") == 8
    assert any(w.startswith("notes.csv, row 4: a totals row (“Total”: “Dot votes” 8")
               for w in report.warnings)


def test_a_total_that_does_not_add_up_is_kept_and_said(project, tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("Statement,Agree,Disagree\nOne,4,1\nTwo,2,2\nTotal,7,3\n", encoding="utf-8")
    report = import_path(project, f)[0]
    assert report.counts["statements"] == 3
    assert any("t.csv, row 4: “Total” looks like a totals row, but its “Agree” is not the sum"
               in w for w in report.warnings)


def test_a_statement_saying_total_among_others_stays(project, tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("Statement,Agree,Disagree\nTotal,4,1\nTwo,2,2\n", encoding="utf-8")
    report = import_path(project, f)[0]
    assert report.counts["statements"] == 2
    assert not [w for w in report.warnings if "total" in w.lower()]


def test_a_bad_count_above_the_total_still_refuses_the_whole_file(project, tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("Statement,Agree,Disagree\nOne,x,1\nTwo,2,2\nTotal,2,3\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        import_path(project, f)
    assert "row 2" in str(e.value) and "Agree" in str(e.value)
    assert project.scalar("SELECT count(*) FROM statements") == 0
    assert project.scalar("SELECT count(*) FROM sources") == 0
