"""The report's Segments section on a python-docx Document, from the sample study: nothing without
segments; with them, each segment's size and the statements where it differs most, every figure
registered (the traceability annex lists it) and equal to counts made here with SQL."""
from __future__ import annotations

import re

import pytest
from docx import Document

from exports.figures import FigureRegistry
from exports.segments_section import add_segments_section
from synth.votes.segments import DefineSegment, parse_rule

DISABLED = ("SELECT participant_id FROM participant_attributes WHERE name = 'disability' AND "
            "value = 'Yes'")


def _counts(p, sid: int, inside: bool) -> tuple[int, int]:
    """(agrees, votes) on statement ``sid`` by the disabled participants, or by everyone else."""
    r = p.query(f"SELECT sum(value = 1), count(*) FROM votes WHERE statement_id = ? AND "
                f"participant_id {'' if inside else 'NOT '}IN ({DISABLED})", (sid,))[0]
    return int(r[0] or 0), int(r[1])


def _half_up(k: int, n: int) -> int:
    return (200 * k + n) // (2 * n)


def _paragraphs(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def test_no_segment_no_section(sample_project):
    doc = Document()
    before = len(doc.paragraphs)
    reg = FigureRegistry.for_project(sample_project)
    assert add_segments_section(doc, sample_project, reg) == []
    assert len(doc.paragraphs) == before and len(reg) == 0


def test_each_segment_its_size_and_where_it_differs_most(sample_project):
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    p.history.apply(DefineSegment("Line managers outside London",
                                  parse_rule("line_manager=yes & region!=London")))
    doc = Document()
    reg = FigureRegistry.for_project(p)
    figures = add_segments_section(doc, p, reg)
    paras = _paragraphs(doc)
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    assert headings == [("Heading 1", "Segments"), ("Heading 2", "Disabled"),
                        ("Heading 2", "Line managers outside London")]
    assert "at least 10 people in the segment and 10 others" in paras[1][1]
    assert ("Normal", "Defined as disability=Yes: 91F1 participants.") in paras
    assert ("Normal", "Defined as line_manager=yes & region!=London (those who gave no "
                      "region are not in it): 222F12 participants.") in paras
    start = paras.index(("Heading 2", "Disabled"))
    end = paras.index(("Heading 2", "Line managers outside London"))
    bullets = [t for s, t in paras[start:end] if s == "List Bullet"]
    assert 3 <= len(bullets) <= 5
    assert bullets[0] == (
        "“A lot of vacancies are advertised when they already know who they want, usually "
        "whoever is acting up.” — Disabled 86%F2 agree (n = 14); everyone else 49%F3 "
        "(n = 74): 37 points higher, more than chance (z = 2.66).")
    # every bullet's two figures are the SQL counts' half-up per cents; gaps never grow
    gaps = []
    by_id = {f.id: f for f in figures}
    for text in bullets:
        m = re.search(r"— Disabled (\d+)%(F\d+) agree \(n = (\d+)\); everyone else "
                      r"(\d+)%(F\d+) \(n = (\d+)\): (\d+) points? (higher|lower)", text)
        assert m, text
        mine, rest = by_id[m[2]], by_id[m[5]]
        assert mine.statement_id == rest.statement_id
        sid = mine.statement_id
        a, n = _counts(p, sid, inside=True)
        ra, rn = _counts(p, sid, inside=False)
        assert (mine.numerator, mine.denominator, int(m[3])) == (a, n, n)
        assert (rest.numerator, rest.denominator, int(m[6])) == (ra, rn, rn)
        assert n >= 10 and rn >= 10
        assert int(m[1]) == _half_up(a, n) == mine.value
        assert int(m[4]) == _half_up(ra, rn) == rest.value
        gap = _half_up(a, n) - _half_up(ra, rn)
        assert int(m[7]) == abs(gap) and m[8] == ("higher" if gap > 0 else "lower")
        gaps.append(abs(gap))
        assert mine.population == "Disabled" and rest.population == "everyone but “Disabled”"
        assert mine.statement_ref == p.scalar("SELECT external_id FROM statements WHERE id = ?",
                                              (sid,))
    assert gaps == sorted(gaps, reverse=True)
    # the sizes are registered counts, traceable to the rule
    assert (by_id["F1"].kind, by_id["F1"].value, by_id["F1"].origin) == (
        "count", 91, "segment rule disability=Yes")
    assert [f.id for f in reg.figures] == [f.id for f in figures]


def test_the_threshold_is_the_projects(sample_project):
    p = sample_project
    p.set_setting("small_n_threshold", 40)
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    doc = Document()
    reg = FigureRegistry.for_project(p)
    figures = add_segments_section(doc, p, reg)
    assert "at least 40 people in the segment and 40 others" in doc.paragraphs[1].text
    shares = [f for f in figures if f.kind == "agreement"]
    assert shares and all(f.denominator >= 40 for f in shares)
    # statement 240 (14 disabled voters) led at 10; at 40 it is not compared
    assert 240 not in {f.statement_id for f in shares}


def test_inside_the_report_its_figures_reach_the_annex(sample_project):
    """As the report's hook calls it: the writer's heading, figure and words."""
    from exports.report import ReportOptions, _ReportWriter
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    w = _ReportWriter(p, ReportOptions(charts=False), None)
    figures = add_segments_section(w.doc, p, w.reg, heading=w.heading, fig=w.fig,
                                   words=w.words)
    assert (1, "Segments") in w.headings and (2, "Disabled") in w.headings
    w.traceability()
    annex = w.doc.tables[-1]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in annex.rows[1:]}
    for f in figures:
        assert rows[f.id][1] == f.text and rows[f.id][5] == f.population
    first = next(f for f in figures if f.kind == "agreement")
    assert rows[first.id][3].startswith("S240, Pol.is comment 239: “A lot of vacancies")
    assert rows[first.id][4:6] == ["agree 12, disagree 2, pass 0", "Disabled"]


def test_a_segment_nobody_in_which_voted(sample_project):
    """Workshop participants with characteristics and no votes: counted, and said to have no
    figures, never compared on nothing."""
    p = sample_project
    with p.transaction() as db:
        for i in range(3):
            pid = db.execute("INSERT INTO participants (source_id, external_id) VALUES (3, ?)",
                             (f"w{i}",)).lastrowid
            db.execute("INSERT INTO participant_attributes (participant_id, name, value) "
                       "VALUES (?, 'region', 'Atlantis')", (pid,))
    p.history.apply(DefineSegment("Workshop only", parse_rule("region=Atlantis")))
    doc = Document()
    figures = add_segments_section(doc, p, FigureRegistry.for_project(p))
    texts = [para.text for para in doc.paragraphs]
    assert texts[2:] == ["Workshop only", "Defined as region=Atlantis: 3F1 participants.",
                         "None of them voted in the debate, so there are no agreement figures "
                         "for this segment."]
    assert [(f.kind, f.value) for f in figures] == [("count", 3)]
