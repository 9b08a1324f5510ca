"""Segments whose people cast no votes (QA 17: segments --json crashed) and values holding "&"
(QA 53: "Black & Black British" could not be named)."""
from __future__ import annotations

import csv
import json

import pytest

import main as synth_main
from conftest import POLIS
from synth.errors import UserError
from synth.importers import import_path
from synth.project import Project
from synth.votes.segments import describe_rule, parse_rule

LONDON = POLIS / "london.youth.policing"


@pytest.fixture
def study(tmp_path):
    """london (voters 1..26) with characteristics; 98 and 99 are in the table only."""
    table = tmp_path / "people.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["participant", "Ethnic group", "Stopped"])
        for p in range(1, 27):
            w.writerow([p, "Black & Black British" if p <= 5 else "White", "No"])
        w.writerow([98, "White", "Yes"])
        w.writerow([99, "Asian & Asian British", "Yes"])
    path = tmp_path / "s.synth"
    with Project.create(path) as p:
        import_path(p, LONDON)
        import_path(p, table)
    return path


def test_parse_rule_keeps_an_ampersand_inside_a_value():
    assert parse_rule("Ethnic group=Black & Black British") == \
        {"attribute": "Ethnic group", "in": ["Black & Black British"]}
    assert parse_rule('Ethnic group="Black & Black British",White & Stopped=No') == \
        {"all": [{"attribute": "Ethnic group", "in": ["Black & Black British", "White"]},
                 {"attribute": "Stopped", "in": ["No"]}]}
    assert parse_rule('Borough!="Kensington, Chelsea"') == \
        {"attribute": "Borough", "not_in": ["Kensington, Chelsea"]}
    rule = parse_rule("Ethnic group=Black & Black British & Stopped=No")
    assert rule["all"][0]["in"] == ["Black & Black British"]
    assert describe_rule(rule) == 'Ethnic group="Black & Black British" & Stopped=No'
    assert parse_rule(describe_rule(rule)) == rule
    with pytest.raises(UserError, match="not closed"):
        parse_rule('Ethnic group="Black')


def test_a_segment_named_with_an_ampersand_has_its_five_voters(study, tmp_path, capsys):
    out = tmp_path / "seg.json"
    assert synth_main.main(["segments", str(study), "--define", "Black",
                            "Ethnic group=Black & Black British", "--json", str(out)]) == 0
    assert 'Black: Ethnic group="Black & Black British" — 5 participants' in \
        capsys.readouterr().out
    figures = json.loads(out.read_text("utf-8"))["Black"]["statements"]
    assert max(f["n"] for f in figures.values()) == 5


def test_segments_json_with_a_segment_that_never_voted(study, tmp_path, capsys):
    out = tmp_path / "seg.json"
    assert synth_main.main(["segments", str(study), "--define", "Stopped", "Stopped=Yes",
                            "--json", str(out)]) == 0
    said = capsys.readouterr().out
    assert ("Stopped: Stopped=Yes — 2 participants. None of them voted in the debate, so there "
            "are no agreement figures for this segment.") in said
    data = json.loads(out.read_text("utf-8"))["Stopped"]
    assert data["participants"] == 2
    assert len(data["statements"]) == 39
    assert {(f["n"], f["pct_agree"]) for f in data["statements"].values()} == {(0, None)}
