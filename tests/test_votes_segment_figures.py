"""synth.votes.segment_figures on the sample study: a segment's and a characteristic's figures
equal counts made here with plain SQL, the small-n flag follows the threshold, and "where a
segment differs" ranks by the gap a reader sees, with Pol.is's z-test worked out here by hand."""
from __future__ import annotations

import math

import pytest

from synth.votes.segment_figures import (NO_ANSWER, Z_CHANCE, VoteArrays, characteristic_values,
                                         characteristics, defined_segments, differences,
                                         most_different, statement_rows)
from synth.votes.segments import DefineSegment, parse_rule
from synth.votes.statement_figures import Tally


def _sql(project, where: str, params=()) -> dict[int, Tally]:
    """(agree, disagree, pass) per statement of the votes ``where`` picks, written apart from
    the module under test."""
    return {r[0]: Tally(r[1], r[2], r[3]) for r in project.query(
        "SELECT v.statement_id, sum(CASE WHEN v.value = 1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN v.value = -1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN v.value = 0 THEN 1 ELSE 0 END) FROM votes v "
        f"WHERE {where} GROUP BY v.statement_id", params)}


DISABLED = ("v.participant_id IN (SELECT participant_id FROM participant_attributes "
            "WHERE name = 'disability' AND value = 'Yes')")


@pytest.fixture
def segmented(sample_project):
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    p.history.apply(DefineSegment("Line managers outside London",
                                  parse_rule("line_manager=yes & region!=London")))
    return p


def test_segments_listed_with_their_size_and_rule(segmented):
    p = segmented
    listed = {s.name: s for s in defined_segments(p)}
    assert listed["Disabled"].size == p.scalar(
        "SELECT count(*) FROM participant_attributes WHERE name = 'disability' AND "
        "value = 'Yes'") == 91
    assert listed["Disabled"].rule_text == "disability=Yes"
    managers = listed["Line managers outside London"]
    assert managers.rule_text == "line_manager=yes & region!=London"
    assert managers.size == p.scalar(
        "SELECT count(*) FROM participant_attributes a JOIN participant_attributes b "
        "ON b.participant_id = a.participant_id WHERE a.name = 'line_manager' AND "
        "a.value = 'yes' AND b.name = 'region' AND b.value != 'London'") == 222


def test_a_statements_segment_figures_equal_sql(segmented):
    p = segmented
    disabled, everyone = _sql(p, DISABLED), _sql(p, "1")
    checked = 0
    for sid in sorted(everyone)[:60]:
        rows = {r.label: r for r in statement_rows(p, sid, 10)}
        assert rows["Everyone"].tally == everyone[sid]
        assert rows["Disabled"].tally == disabled.get(sid, Tally())
        assert rows["Disabled"].participants == 91
        t = rows["Disabled"].tally
        if t.n:
            assert rows["Disabled"].pct() == (200 * t.agree + t.n) // (2 * t.n)   # half up
        checked += 1
    assert checked == 60


def test_a_characteristics_rows_equal_sql_and_add_up_to_everyone(segmented):
    p = segmented
    sid = 5
    rows = statement_rows(p, sid, 10, characteristic="region")
    by = {r.label: r for r in rows}
    for region, n_people in p.query("SELECT value, count(*) FROM participant_attributes WHERE "
                                    "name = 'region' GROUP BY value"):
        want = _sql(p, "v.statement_id = ? AND v.participant_id IN (SELECT participant_id "
                       "FROM participant_attributes WHERE name = 'region' AND value = ?)",
                    (sid, region)).get(sid, Tally())
        assert by[region].tally == want
        assert by[region].participants == n_people
    # the voters who gave no region are a row of their own: nobody is dropped
    no_region = _sql(p, "v.statement_id = ? AND v.participant_id NOT IN (SELECT participant_id "
                        "FROM participant_attributes WHERE name = 'region')", (sid,))
    assert by[NO_ANSWER].tally == no_region[sid]
    assert sum((r.tally for r in rows[1:]), Tally()) == by["Everyone"].tally
    # the small-n flag: the three overseas participants cast one vote here
    assert by["Overseas"].tally.n == 1 and by["Overseas"].flagged
    assert not by["London"].flagged and by["London"].tally.n >= 10
    assert all(not r.flagged for r in statement_rows(p, sid, 0, characteristic="region"))


def test_characteristics_list_the_values_people_gave(segmented):
    chars = {c.name: dict(c.values) for c in characteristics(segmented)}
    assert chars["disability"] == {"No": 530, "Prefer not to say": 32, "Yes": 91}
    assert chars["line_manager"] == {"no": 367, "yes": 286}
    assert len(chars["department"]) == 19
    assert len(characteristic_values(segmented, "region")) == 641


def test_spellings_of_one_answer_are_one_value_everywhere(sample_project):
    """A participants table merged from two forms ("Yes", "yes", " YES ", and the name as
    "Disability" on some rows): the pick list, a statement's rows per value and the figures
    per characteristic give each answer one row, in its most used spelling, with the count SQL
    gives for lower(trim(value))."""
    from synth.votes.project_analysis import agreement_by
    p = sample_project
    with p.transaction() as db:
        db.execute("UPDATE participant_attributes SET value = 'yes' WHERE name = 'disability' "
                   "AND value = 'Yes' AND participant_id % 3 != 0")
        db.execute("UPDATE participant_attributes SET value = ' YES ' WHERE name = "
                   "'disability' AND value = 'Yes' AND participant_id % 5 = 0")
        db.execute("UPDATE participant_attributes SET name = 'Disability' WHERE name = "
                   "'disability' AND participant_id % 7 = 0")
    spelled = dict(p.query("SELECT value, count(*) FROM participant_attributes WHERE "
                           "lower(name) = 'disability' GROUP BY value"))
    assert set(spelled) == {"Yes", "yes", " YES ", "No", "Prefer not to say"}
    assert spelled["yes"] > spelled["Yes"] > 0 and spelled[" YES "] > 0
    want = dict(p.query("SELECT lower(trim(value)), count(*) FROM participant_attributes "
                        "WHERE lower(name) = 'disability' GROUP BY 1"))
    assert want == {"yes": 91, "no": 530, "prefer not to say": 32}

    chars = {c.name: dict(c.values) for c in characteristics(p)}
    assert "Disability" not in chars        # the name's spellings are one characteristic too
    assert chars["disability"] == {"No": 530, "Prefer not to say": 32, "yes": 91}

    values = characteristic_values(p, "Disability")
    assert len(values) == 653 and set(values.values()) == {"No", "Prefer not to say", "yes"}
    sid = 5
    rows = {r.label: r for r in statement_rows(p, sid, 10, characteristic="disability")}
    assert list(rows) == ["Everyone", "No", "Prefer not to say", "yes"]
    assert rows["yes"].participants == 91
    yes = "v.participant_id IN (SELECT participant_id FROM participant_attributes WHERE " \
          "lower(name) = 'disability' AND lower(trim(value)) = 'yes')"
    assert rows["yes"].tally == _sql(p, f"v.statement_id = {sid} AND {yes}")[sid]

    table = agreement_by(p, "attribute:disability")
    assert [str(x) for x in table.labels] == ["No", "Prefer not to say", "yes"]
    by_sql = _sql(p, yes)
    for s in sorted(by_sql)[:30]:
        f = table.figure("yes", s)
        assert Tally(f.agree, f.disagree, f.passes) == by_sql[s]


def _z(a1, n1, a2, n2) -> float:
    """Pol.is's two-proportion test (one added to every count), by hand."""
    s1, s2, m1, m2 = a1 + 1, a2 + 1, n1 + 1, n2 + 1
    pi = (s1 + s2) / (m1 + m2)
    return (s1 / m1 - s2 / m2) / math.sqrt(pi * (1 - pi) * (1 / m1 + 1 / m2))


def test_where_a_segment_differs_ranked_by_the_printed_gap(segmented):
    p = segmented
    disabled = next(s for s in defined_segments(p) if s.name == "Disabled")
    listed = {r[0] for r in p.query("SELECT id FROM statements WHERE moderation >= 0 AND "
                                    "is_meta = 0")}
    seg, everyone = _sql(p, DISABLED), _sql(p, "1")
    diffs = differences(p, disabled, 10)
    # every listed statement that 10 of the segment and 10 others voted on, and no other
    expected = {sid for sid in listed & set(everyone)
                if seg.get(sid, Tally()).n >= 10 and everyone[sid].n - seg[sid].n >= 10}
    assert {d.statement_id for d in diffs} == expected
    for d in diffs:
        rest = everyone[d.statement_id]
        assert d.segment == seg[d.statement_id]
        assert (d.rest.agree, d.rest.n) == (rest.agree - d.segment.agree, rest.n - d.segment.n)
        assert d.gap == d.segment.whole_pct() - d.rest.whole_pct()
        assert d.z == pytest.approx(_z(d.segment.agree, d.segment.n, d.rest.agree, d.rest.n))
    gaps = [abs(d.gap) for d in diffs]
    assert gaps == sorted(gaps, reverse=True)
    # the sample's disabled participants agree more with the inclusion complaints: the first
    # gap is 37 points (12 of 14 vs 36 of 74), more than chance
    top = diffs[0]
    assert (top.segment, top.rest) == (Tally(12, 2, 0), Tally(36, 23, 15))
    assert top.gap == 37 and top.z > Z_CHANCE and top.more_than_chance
    # a higher threshold leaves out the statements too few of the segment voted on
    strict = differences(p, disabled, 30, votes=VoteArrays(p))
    assert strict and all(d.segment.n >= 30 and d.rest.n >= 30 for d in strict)
    assert top.statement_id not in {d.statement_id for d in strict}


def test_most_different_keeps_three_then_only_more_than_chance(segmented):
    p = segmented
    disabled = next(s for s in defined_segments(p) if s.name == "Disabled")
    diffs = differences(p, disabled, 10)
    chosen = most_different(diffs)
    assert chosen[:3] == diffs[:3]
    assert chosen == [d for i, d in enumerate(diffs[:5]) if i < 3 or d.more_than_chance]
    assert 3 <= len(chosen) <= 5


def test_the_figures_and_the_report_section_need_no_qt():
    """Below ``ui`` nothing imports Qt: the figures and the report's section import with Qt
    blocked (the command line and the report run headless)."""
    import subprocess
    import sys

    from conftest import ROOT
    code = ("import sys; sys.modules['PySide6'] = None; "
            "import synth.votes.segment_figures, exports.segments_section; print('ok')")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
