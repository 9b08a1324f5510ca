"""Segments on the sample study (QA s19): the command defines all its segments or none; names and
values match whatever their case or surrounding spaces, stored as the data spells them; a rule
naming what nobody has is refused with what exists; and --differs prints where a segment differs
from everyone else as the report's Segments section does."""
from __future__ import annotations

import re

import pytest

import main as synth_main
from synth.errors import UserError
from synth.project import Project
from synth.votes.project_analysis import segment_members
from synth.votes.segment_rules import fit_line
from synth.votes.segments import ChangeSegments, DefineSegment, parse_rule


def _run(*argv: str) -> int:
    return synth_main.main(["segments", *argv])


@pytest.fixture
def sample_path(sample_project):
    path = sample_project.path
    sample_project.close()
    return path


def _segment_rows(path) -> list[tuple[str, str]]:
    with Project.look(path) as p:
        return [tuple(r) for r in p.query("SELECT name, rule FROM segments ORDER BY name")]


# --------------------------------------------------------------------------- all or nothing
def test_one_refused_define_leaves_every_segment_of_the_command_undefined(sample_path, capsys):
    assert _run(str(sample_path), "--define", "Wales", "region=Wales") == 0
    before = _segment_rows(sample_path)
    assert [n for n, _r in before] == ["Wales"]
    capsys.readouterr()
    assert _run(str(sample_path), "--define", "Line managers", "line_manager=yes",
                "--define", "London, not DWP", "region=London & department!=DWP",
                "--define", "Women", "gender=wman", "--remove", "Wales") == 1
    err = capsys.readouterr().err
    assert err.startswith("synth segments: nobody matches the segment “Women” (gender=wman)")
    assert err.strip().endswith(
        "Nothing was changed: “Line managers” and “London, not DWP” are not defined and "
        "“Wales” is not removed either, since the segments of one command are changed all "
        "together or not at all")
    assert _segment_rows(sample_path) == before            # 1 row before, the same 1 after
    # the same command spelled right: all three defined and Wales removed, one undo step
    assert _run(str(sample_path), "--define", "Line managers", "line_manager=yes",
                "--define", "London, not DWP", "region=London & department!=DWP",
                "--define", "Women", "gender=woman", "--remove", "Wales") == 0
    assert [n for n, _r in _segment_rows(sample_path)] == [
        "Line managers", "London, not DWP", "Women"]
    with Project.open(sample_path) as p:
        assert p.history.names()[-1] == ("Define segments “Line managers”, “London, not DWP” "
                                         "and “Women”; remove segment “Wales”")
        p.history.undo()
        assert [r[0] for r in p.query("SELECT name FROM segments")] == ["Wales"]


def test_a_rule_that_does_not_parse_changes_nothing(sample_path, capsys):
    assert _run(str(sample_path), "--define", "Managers", "line_manager=yes",
                "--define", "Bad", "nonsense") == 1
    assert capsys.readouterr().err.strip() == (
        "synth segments: --define “Bad”: “nonsense”: write a condition as characteristic=value "
        "or characteristic!=value; nothing was changed")
    assert _segment_rows(sample_path) == []


def test_a_name_defined_twice_in_one_command_is_refused(sample_project):
    p = sample_project
    with pytest.raises(UserError, match="“Wales” is defined twice in one command"):
        p.history.apply(ChangeSegments([("Wales", parse_rule("region=Wales")),
                                        ("Wales ", parse_rule("region=Scotland"))], []))
    assert p.scalar("SELECT count(*) FROM segments") == 0


def test_a_name_removed_twice_in_one_command_is_refused_and_nothing_changes(sample_project):
    p = sample_project
    p.history.apply(ChangeSegments([("W", parse_rule("gender=woman")),
                                    ("M", parse_rule("gender=man"))], []))
    for twice in (["W", "W"], ["M", "W", "w"]):
        with pytest.raises(UserError, match="is removed twice in one command: nothing was "
                                            "changed"):
            p.history.apply(ChangeSegments([], twice))
        assert [r[0] for r in p.query("SELECT name FROM segments ORDER BY id")] == ["W", "M"]
    p.history.apply(ChangeSegments([], ["W"]))
    assert [r[0] for r in p.query("SELECT name FROM segments")] == ["M"]


# --------------------------------------------------------------------------- spelling
def test_name_and_value_match_whatever_their_case_and_are_stored_as_the_data_spells_them(
        sample_project):
    p = sample_project
    p.history.apply(DefineSegment("Women", parse_rule(" Gender = WOMAN ")))
    rule = p.scalar("SELECT rule FROM segments WHERE name = 'Women'")
    assert rule == '{"attribute": "gender", "in": ["Woman"]}'
    women = {r[0] for r in p.query("SELECT participant_id FROM participant_attributes "
                                   "WHERE name = 'gender' AND value = 'Woman'")}
    assert len(women) == 357
    assert segment_members(p, {"attribute": "gender", "in": ["woman"]}) == women


def test_two_spellings_of_one_answer_are_one_answer(sample_project):
    p = sample_project
    with p.transaction() as db:     # a table merged from two forms: "yes", "Yes" and " YES "
        db.execute("UPDATE participant_attributes SET value = 'Yes' WHERE name = "
                   "'line_manager' AND value = 'yes' AND participant_id % 3 = 0")
        db.execute("UPDATE participant_attributes SET value = ' YES ' WHERE name = "
                   "'line_manager' AND value = 'yes' AND participant_id % 3 = 1")
    spelled = dict(p.query("SELECT value, count(*) FROM participant_attributes WHERE "
                           "name = 'line_manager' GROUP BY value"))
    assert set(spelled) == {"yes", "Yes", " YES ", "no"} and spelled["no"] == 367
    p.history.apply(DefineSegment("Line managers", parse_rule("line_manager=yes")))
    members = {r[0] for r in p.query(
        "SELECT participant_id FROM participant_attributes WHERE name = 'line_manager' AND "
        "lower(trim(value)) = 'yes'")}
    assert len(members) == 286
    stored = p.scalar("SELECT rule FROM segments")
    rule = __import__("json").loads(stored)
    # every spelling, surrounding spaces left out, the most common first
    by_count = sorted(((n, v.strip()) for v, n in spelled.items() if v != "no"),
                      key=lambda nv: (-nv[0], nv[1]))
    assert rule == {"attribute": "line_manager", "in": [v for _n, v in by_count]}
    assert segment_members(p, rule) == members
    others = segment_members(p, parse_rule("line_manager!=YES"))
    assert len(others) == 367 and not others & members


def test_everyone_except_leaves_out_those_who_gave_no_answer(sample_path, capsys):
    """"region!=London" is those who gave a region other than London: not those whose region
    is blank, nor those with none at all; the command, the report and the engine agree, and each
    says so beside the rule."""
    from docx import Document

    from exports.figures import FigureRegistry
    from exports.segments_section import add_segments_section
    with Project.open(sample_path) as p:
        with p.transaction() as db:     # a table with empty cells: blank and a space
            db.execute("UPDATE participant_attributes SET value = '' WHERE name = 'region' "
                       "AND value = 'Wales'")
            db.execute("UPDATE participant_attributes SET value = ' ' WHERE name = 'region' "
                       "AND value = 'Scotland'")
        blank = p.scalar("SELECT count(*) FROM participant_attributes WHERE name = 'region' "
                         "AND trim(value) = ''")
        no_row = p.scalar("SELECT count(*) FROM participants WHERE id NOT IN (SELECT "
                          "participant_id FROM participant_attributes WHERE name = 'region')")
        outside = {r[0] for r in p.query(
            "SELECT participant_id FROM participant_attributes WHERE name = 'region' AND "
            "lower(trim(value)) NOT IN ('london', '')")}
        voted = p.scalar("SELECT count(DISTINCT participant_id) FROM votes WHERE "
                         f"participant_id IN ({','.join(map(str, outside))})")
        assert (blank, no_row, len(outside), voted) == (101, 13, 400, 400)
        assert segment_members(p, parse_rule("region!=London")) == outside
        assert segment_members(p, parse_rule("region!=london,overseas")) == {
            r[0] for r in p.query("SELECT participant_id FROM participant_attributes WHERE "
                                  "name = 'region' AND trim(value) NOT IN ('London', "
                                  "'Overseas', '')")}
    assert _run(str(sample_path), "--define", "Outside London", "region!=London") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("Outside London: region!=London (those who gave no region are not in "
                      "it) — 400 participants")
    with Project.look(sample_path) as p:
        doc = Document()
        add_segments_section(doc, p, FigureRegistry.for_project(p))
        defined = [x.text for x in doc.paragraphs if x.text.startswith("Defined as")]
        assert defined == ["Defined as region!=London (those who gave no region are not in "
                           "it): 400F1 participants."]


# --------------------------------------------------------------------------- what exists
def test_nobody_matches_lists_the_values_there_are_with_counts(sample_project):
    p = sample_project
    counts = [tuple(r) for r in p.query(
        "SELECT value, count(*) FROM participant_attributes WHERE name = 'region' "
        "GROUP BY value ORDER BY count(*) DESC, value")]
    assert len(counts) == 13 and counts[0] == ("London", 140)
    with pytest.raises(UserError) as refused:
        p.history.apply(DefineSegment("Atlantis", parse_rule("region=Atlantis")))
    said = str(refused.value)
    listed = fit_line([f"{v} ({n})" for v, n in counts])
    assert said == ("nobody matches the segment “Atlantis” (region=Atlantis): no "
                    f"participant's region is “Atlantis” (region: {listed})")
    assert listed.startswith("London (140), North West (79), Yorkshire and the Humber (58), ")
    shown = listed.split(", … and ")[0].count(" (")
    assert listed.endswith(f", … and {13 - shown} more") and 3 <= shown < 13
    assert len(listed) <= 90
    assert p.scalar("SELECT count(*) FROM segments") == 0



def test_of_ten_thousand_values_the_closest_then_the_most_common_fill_one_line():
    from synth.votes.segment_rules import Characteristic, closest_values
    c = Characteristic("team", {"team": 10_000}, {
        f"team {i:05d}": [(f"Team {i:05d}", 1 + i % 5)] for i in range(10_000)})
    c.values["team 00123"].append(("TEAM 00123", 7))
    # "team 0123" is as like "team 01234" as "team 00123" (ratio 18/19): the more common first
    assert closest_values("Team 0123", c) == (
        "Team 00123/TEAM 00123 (11), Team 01234 (5), Team 01239 (5), … and 9,997 more")
    assert closest_values("zzz", c) == (
        "Team 00123/TEAM 00123 (11), Team 00004 (5), Team 00009 (5), … and 9,997 more")
    items = [f"v{i}" for i in range(30_000)]
    assert fit_line(items, 30) == "v0, v1, v2, … and 29,997 more"
    assert fit_line(items[:3], 30, total=30_000) == fit_line(items, 30)
    assert fit_line(["a", "b"], 20) == "a, b" and fit_line(["a" * 30], 20) == "a" * 30

def test_a_typo_lists_the_closest_value_first(sample_project):
    p = sample_project
    with pytest.raises(UserError) as refused:
        p.history.apply(DefineSegment("Not DWP", parse_rule("department!=DWPP")))
    # not "nobody matches" (everyone but DWPP is everyone): the value itself is refused
    assert str(refused.value).startswith(
        "the segment “Not DWP”: no participant's department is “DWPP” (department: DWP (90), ")
    assert str(refused.value).endswith("): correct the value or leave it out")


def test_an_unknown_characteristic_lists_those_there_are_closest_first(sample_project):
    p = sample_project
    with pytest.raises(UserError) as refused:
        p.history.apply(DefineSegment("x", parse_rule("linemanager=yes")))
    said = str(refused.value)
    assert said.startswith("no participant has the characteristic “linemanager” (there are: "
                           "line_manager, ")
    names = {r[0] for r in p.query("SELECT DISTINCT name FROM participant_attributes")}
    listed = said.split("(there are: ")[1].rstrip(")").split(", … and ")
    shown = listed[0].split(", ")
    assert set(shown) <= names
    assert len(shown) + (int(listed[1].split()[0]) if len(listed) > 1 else 0) == len(names)


def test_conditions_that_each_match_someone_but_not_together(sample_project):
    with pytest.raises(UserError) as refused:
        sample_project.history.apply(DefineSegment(
            "Both", parse_rule("gender=Woman & gender=Man")))
    assert str(refused.value) == (
        "nobody matches the segment “Both” (gender=Woman & gender=Man): each condition alone "
        "matches someone (gender=Woman: 357 and gender=Man: 281), but no participant meets "
        "them all")


# --------------------------------------------------------------------------- where it differs
def test_differs_prints_what_the_reports_segments_section_prints(sample_path, capsys):
    from docx import Document

    from exports.figures import FigureRegistry
    from exports.segments_section import add_segments_section
    assert _run(str(sample_path), "--define", "Disabled", "disability=yes") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Disabled: disability=Yes — 91 participants"
    assert out[2] == ("Where “Disabled” differs most from everyone else (% agree of those who "
                      "voted; statements at least 10 of its members and 10 others voted on):")
    printed = [line.split("” — ", 1)[1] for line in out[3:]]
    with Project.look(sample_path) as p:
        doc = Document()
        add_segments_section(doc, p, FigureRegistry.for_project(p))
    bullets = [re.sub(r"(?<=[%†])F\d+", "", para.text).split("” — ", 1)[1]
               for para in doc.paragraphs if para.style.name == "List Bullet"]
    assert len(bullets) >= 3 and printed == bullets
    assert re.fullmatch(r"Disabled \d+% agree \(n = \d+\); everyone else \d+% \(n = \d+\): "
                        r"\d+ points? (higher|lower), .+ \(z = -?\d\.\d\d\)\.", printed[0])
    # asked again by name, in any case, without defining anything
    assert _run(str(sample_path), "--differs", "DISABLED") == 0
    again = capsys.readouterr().out.splitlines()
    assert [line.split("” — ", 1)[1] for line in again[3:]] == printed


def test_a_segment_under_the_small_n_threshold_is_marked(sample_path, capsys):
    assert _run(str(sample_path), "--define", "Overseas", "region=overseas") == 0
    out = capsys.readouterr().out.splitlines()
    with Project.look(sample_path) as p:
        voters = p.scalar("SELECT count(DISTINCT v.participant_id) FROM votes v JOIN "
                          "participant_attributes a ON a.participant_id = v.participant_id "
                          "WHERE a.name = 'region' AND a.value = 'Overseas'")
    assert voters == 3
    assert out[0] == ("Overseas: region=Overseas — 3 participants † (fewer than 10 voted: each "
                      "of its figures is small-n)")
    assert out[2] == ("“Overseas”: No statement was voted on by at least 10 people in this "
                      "segment and 10 others, so it cannot be compared with everyone else here.")


def test_the_small_n_rule_is_the_reports(sample_project):
    from exports.figures import FLAG, SMALL_N_ACTIONS, SMALL_N_DEFAULT, FigureRegistry
    from synth.votes import small_n
    p = sample_project
    assert (small_n.FLAG, small_n.ACTIONS, small_n.DEFAULT) == (FLAG, SMALL_N_ACTIONS,
                                                                 SMALL_N_DEFAULT)
    for settings in ({}, {"small_n_threshold": 5, "small_n_action": "suppress"},
                     {"report.small_n": 7, "small_n_action": "show"},
                     {"small_n_action": "nonsense"}):
        for k, v in settings.items():
            p.set_setting(k, v)
        reg = FigureRegistry.for_project(p)
        assert small_n.small_n_rule(p) == (reg.small_n, reg.small_n_action)


def test_a_figure_reads_as_the_report_prints_it():
    from exports.figures import FLAG, FigureRegistry
    from synth.votes.small_n import figure_text
    from synth.votes.statement_figures import Tally
    seen = set()
    for action in ("flag", "suppress", "show"):
        reg = FigureRegistry(small_n=10, small_n_action=action)
        for i, tally in enumerate((Tally(0, 0, 0), Tally(2, 1, 1), Tally(9, 0, 0),
                                   Tally(5, 4, 1), Tally(37, 20, 3))):
            f = reg.agreement(tally, statement_id=i)
            printed = f.text + (FLAG if f.small_n and not f.suppressed else "")
            assert figure_text(tally, 10, action) == printed
            seen.add(printed)
    assert {"—", "50%†", "100%†", "50%", "62%", "100%"} <= seen


def test_differs_names_a_segment_there_is(sample_path, capsys):
    assert _run(str(sample_path), "--define", "Women", "gender=Woman") == 0
    capsys.readouterr()
    assert _run(str(sample_path), "--differs", "Wmen", "--define", "Men", "gender=man") == 1
    assert capsys.readouterr().err.strip() == (
        "synth segments: no segment named “Wmen” (there are: “Women”)")
    assert [n for n, _r in _segment_rows(sample_path)] == ["Women"]


def test_a_name_differing_only_by_case_is_not_a_second_segment(sample_project):
    p = sample_project
    p.history.apply(DefineSegment("Women", parse_rule("gender=Woman")))
    with pytest.raises(UserError, match="a segment “Women” exists: to redefine it, name it so"):
        p.history.apply(DefineSegment("women", parse_rule("gender=Man")))
    p.history.apply(DefineSegment("Women", parse_rule("gender=woman,non-binary or other")))
    assert p.query("SELECT name, rule FROM segments")[0][:] == (
        "Women", '{"attribute": "gender", "in": ["Woman", "Non-binary or other"]}')
    assert len(segment_members(p, {"attribute": "gender", "in": ["Woman",
                                                                 "Non-binary or other"]})) == 360
