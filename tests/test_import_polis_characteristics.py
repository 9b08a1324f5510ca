"""Characteristics join a debate's voters whatever the order they came in (QA 16), and with two
debates they join the one whose participant ids they match (QA 51)."""
from __future__ import annotations

import csv

from conftest import POLIS
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


def test_two_debates_that_fit_alike_are_warned(project, tmp_path):
    copy = tmp_path / "london2"
    copy.mkdir()
    # the same people in a second debate (other statements: not a later export of the first)
    (copy / "votes.csv").write_bytes((LONDON / "votes.csv").read_bytes())
    text = (LONDON / "comments.csv").read_text("utf-8")
    (copy / "comments.csv").write_text(text.replace("police", "council"), "utf-8")
    reports = import_all(project, [LONDON, copy, _table(tmp_path)], again=True)
    assert "WARNING" in reports[-1].warnings[-1]
