"""Characteristics join a debate's voters whatever the order they came in (QA 16), and with two
debates they join the one whose participant ids they match (QA 51)."""
from __future__ import annotations

import csv

import pytest

from conftest import POLIS
from synth.errors import ImportProblem
from synth.importers import import_path
from synth.pipeline import import_all

LONDON = POLIS / "london.youth.policing"
BG = POLIS / "bg2050-volunteers"


def _table(tmp_path):
    """The london voters 1..26 and one id (99) that is in no debate, with a borough each."""
    path = tmp_path / "people.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["participant", "Borough"])
        for p in list(range(1, 27)) + [99]:
            w.writerow([p, "Lambeth" if p % 2 else "Croydon"])
    return path


def _voters_with(project, name="Borough"):
    return project.scalar(
        "SELECT count(DISTINCT a.participant_id) FROM participant_attributes a "
        "WHERE a.name = ? AND EXISTS (SELECT 1 FROM votes v WHERE v.participant_id = "
        "a.participant_id)", (name,))


def test_characteristics_before_the_debate_join_its_voters(project, tmp_path):
    table = _table(tmp_path)
    import_path(project, table)
    assert _voters_with(project) == 0
    [report] = import_path(project, LONDON)
    # the 26 voters 1..26 now carry their borough; 99 stays, alone, without votes
    assert _voters_with(project) == 26
    assert project.scalar("SELECT count(*) FROM participants") == 27 + 1
    assert project.scalar(
        "SELECT value FROM participant_attributes a JOIN participants p ON p.id = "
        "a.participant_id JOIN sources s ON s.id = p.source_id WHERE s.kind = 'debate' "
        "AND p.external_id = '3'") == "Lambeth"
    assert any("joined to 26 participants of this debate" in w for w in report.warnings)


def test_run_imports_the_debate_first_whatever_the_order_given(project, tmp_path):
    import_all(project, [_table(tmp_path), LONDON])
    assert _voters_with(project) == 26
    assert project.scalar("SELECT count(*) FROM participants") == 28


def test_two_debates_join_the_one_whose_ids_match(project, tmp_path):
    # bg2050 has ids 0..125: all 27 of the table's; the london debate has 26 of them among
    # its 27. The old rule took the last debate imported (bg2050).
    reports = import_all(project, [LONDON, BG, _table(tmp_path)])
    london = project.scalar("SELECT id FROM sources WHERE path LIKE '%london.youth.policing'")
    joined = {r[0] for r in project.query(
        "SELECT p.source_id FROM participant_attributes a JOIN participants p "
        "ON p.id = a.participant_id")}
    assert joined == {london}
    assert _voters_with(project) == 26
    said = reports[-1].warnings[-1]
    assert said.startswith("joined to the debate “What is the best way to engage")
    assert "26 of the table's 27 ids" in said


def _london_twice(project, tmp_path):
    """The london debate and a second one of the same people (other statements: not a later
    export of the first), named by its folder."""
    copy = tmp_path / "london2"
    copy.mkdir()
    (copy / "votes.csv").write_bytes((LONDON / "votes.csv").read_bytes())
    text = (LONDON / "comments.csv").read_text("utf-8")
    (copy / "comments.csv").write_text(text.replace("police", "council"), "utf-8")
    import_all(project, [LONDON, copy])
    return copy


def test_two_debates_that_fit_alike_are_refused_naming_them_and_the_option(project, tmp_path):
    # QA: both debates held all of the table's ids and it joined "the best fit" without a way
    # to choose; now nothing is imported until the researcher names the debate
    _london_twice(project, tmp_path)
    table = _table(tmp_path)
    before = project.scalar("SELECT count(*) FROM sources")
    with pytest.raises(ImportProblem) as e:
        import_path(project, table)
    assert str(e.value) == (
        f"{table}: 2 debates of the project hold as many of the table's 27 participant ids, so "
        "which one it describes cannot be told: “What is the best way to engage more young "
        "people in local…” (folder london.youth.policing; 26 of the ids among its 27 "
        "participants) and “london2” (26 of the ids among its 27 participants). Nothing was "
        "imported: choose the debate by its name or its folder's (run --debate "
        "london.youth.policing; “debate” in study.json)")
    assert project.scalar("SELECT count(*) FROM sources") == before
    assert project.scalar("SELECT count(*) FROM participant_attributes") == 0


def test_the_debate_named_is_joined(project, tmp_path):
    _london_twice(project, tmp_path)
    london2 = project.scalar("SELECT id FROM sources WHERE name = 'london2'")
    [report] = import_path(project, _table(tmp_path), debate="LONDON2")
    joined = {r[0] for r in project.query(
        "SELECT p.source_id FROM participant_attributes a JOIN participants p "
        "ON p.id = a.participant_id")}
    assert joined == {london2}
    assert _voters_with(project) == 26
    assert report.warnings[-1] == "joined to the debate “london2”, as asked"


def test_a_debate_named_that_the_project_has_not_is_refused(project, tmp_path):
    _london_twice(project, tmp_path)
    with pytest.raises(ImportProblem) as e:
        import_path(project, _table(tmp_path), debate="leeds")
    assert "no debate of the project is named “leeds” (its debates: “What is the best way" \
        in str(e.value)
    assert "(folder london.youth.policing) and “london2”); nothing was imported" in str(e.value)
    assert project.scalar("SELECT count(*) FROM sources WHERE kind = 'characteristics'") == 0


def test_a_study_folder_names_the_debate(project, tmp_path):
    import json
    import shutil
    study = tmp_path / "study"
    study.mkdir()
    shutil.copytree(LONDON, study / "london")
    twin = study / "london2"
    twin.mkdir()
    (twin / "votes.csv").write_bytes((LONDON / "votes.csv").read_bytes())
    text = (LONDON / "comments.csv").read_text("utf-8")
    (twin / "comments.csv").write_text(text.replace("police", "council"), "utf-8")
    shutil.copy(_table(tmp_path), study / "people.csv")
    (study / "study.json").write_text(json.dumps({"files": [
        {"path": "london"}, {"path": "london2"},
        {"path": "people.csv", "debate": "london"}]}), "utf-8")
    import_path(project, study)
    joined = project.query("SELECT DISTINCT s.path FROM participant_attributes a JOIN "
                           "participants p ON p.id = a.participant_id JOIN sources s "
                           "ON s.id = p.source_id")
    assert [r[0].rsplit("/", 1)[-1] for r in joined] == ["london"]


def test_a_debate_that_fits_almost_as_well_is_warned_of(project, tmp_path):
    # the second debate lacks voter 1: 25 of the table's ids against the first's 26, no tie
    twin = tmp_path / "london_less"
    twin.mkdir()
    votes = (LONDON / "votes.csv").read_text("utf-8").splitlines(keepends=True)
    (twin / "votes.csv").write_text(
        "".join([votes[0]] + [v for v in votes[1:] if v.split(",")[3] != "1"]), "utf-8")
    text = (LONDON / "comments.csv").read_text("utf-8")
    (twin / "comments.csv").write_text(text.replace("police", "council"), "utf-8")
    reports = import_all(project, [LONDON, twin, _table(tmp_path)])
    said = reports[-1].warnings[-1]
    assert said.startswith("joined to the debate “What is the best way to engage")
    assert "26 of the table's 27 ids" in said
    assert "WARNING: “london_less” fits almost as well (25 ids among 26)" in said
