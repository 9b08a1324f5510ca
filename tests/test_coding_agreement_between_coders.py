"""Cohen's kappa and % agreement between two coders equal hand-computed values."""
from __future__ import annotations

import pytest

from synth.board import CreateTheme

from coding.agreement_between_coders import compare_coders, disagreements
from coding.passages import ApplyCode


def test_kappa_and_disagreements(project):
    text = "abcdefghij" * 20                                 # 200 characters, no blanks
    with project.transaction() as db:
        src = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                         "('interview', 'i1', '2025')").lastrowid
        doc = db.execute("INSERT INTO documents(source_id, title, text) VALUES (?, 't', ?)",
                         (src, text)).lastrowid
    cost, place, kit = (project.history.apply(CreateTheme(n)) for n in ("Cost", "Place", "Kit"))
    apply = lambda t, s, e, who: project.history.apply(  # noqa: E731
        ApplyCode(doc, s, e, [t], coder=who))
    apply(cost, 0, 100, "ana")
    apply(cost, 20, 100, "ben")
    apply(place, 150, 200, "ana")
    apply(kit, 0, 40, "ana")
    apply(kit, 0, 40, "ben")
    got = {a.code: a for a in compare_coders(project, "ana", "ben")}
    # Cost: N=200, a=100, b=80, both=80, neither=100: po=0.9, pe=.5*.4+.5*.6=0.5, κ=0.8
    assert got["Cost"].percent == pytest.approx(90.0)
    assert got["Cost"].kappa == pytest.approx(0.8)
    # Place: a=50, b=0: po=0.75, pe=0.25*0+0.75*1=0.75, κ=0
    assert got["Place"].percent == pytest.approx(75.0) and got["Place"].kappa == pytest.approx(0)
    assert got["Kit"].percent == 100.0 and got["Kit"].kappa == pytest.approx(1.0)
    found = [(d.code, d.start, d.end, d.coded_by) for d in disagreements(project, "ana", "ben")]
    assert found == [("Cost", 0, 20, "ana"), ("Place", 150, 200, "ana")]


def test_evidence_report_shows_agreement_between_coders(project):
    from coding.cli import evidence_report
    text = "abcdefghij" * 20
    with project.transaction() as db:
        src = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                         "('interview', 'i1', '2025')").lastrowid
        doc = db.execute("INSERT INTO documents(source_id, title, text) VALUES (?, 't', ?)",
                         (src, text)).lastrowid
    cost = project.history.apply(CreateTheme("Cost"))
    project.history.apply(ApplyCode(doc, 0, 100, [cost], coder="ana"))
    project.history.apply(ApplyCode(doc, 20, 100, [cost], coder="ben"))
    pairs = evidence_report(project)["coder_agreement"]
    assert [p["coders"] for p in pairs] == [["ana", "ben"]]
    code = pairs[0]["codes"][0]
    assert code["code"] == "Cost" and code["kappa"] == pytest.approx(0.8)
    assert [(d["start"], d["end"], d["coded_by"]) for d in pairs[0]["disagreements"]] == \
        [(0, 20, "ana")]
