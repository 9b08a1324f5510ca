"""A quote linked as a recommendation's evidence is printed as the quote the researcher made,
read back from the .docx and recommendations.csv: the span they quoted (not the whole turn),
their redactions applied, under its attribution; withheld, and counted in a report warning,
when its consent was withdrawn (QA2 redaction_leak.py and span_quote.py: the report printed the
whole turn, the redacted name and the quote without consent, labelled "quote:")."""
from __future__ import annotations

import csv

import pytest

from coding.evidence import LinkEvidence
from coding.quotes import MarkQuote, UpdateQuote
from coding.redaction import ConfirmRedaction
from exports.report import write_report
from exports.tables import write_csv
from test_report_privacy import SAID, _paragraphs, study  # noqa: F401 - the fixture

QUOTED = "Call me on 07700 900123 if you need more."      # the sentence the team selected


def _evidence(path) -> list[str]:
    return [p.text for p in _paragraphs(path) if p.text.startswith("Evidence: ")]


def _csv_evidence(folder) -> list[str]:
    with open(folder / "recommendations.csv", encoding="utf-8-sig", newline="") as f:
        return [r["evidence text"] for r in csv.DictReader(f) if r["evidence kind"] == "quote"]


def _first_recommendation(project) -> int:
    return project.scalar("SELECT r.id FROM recommendations r JOIN themes t ON "
                          "t.id = r.theme_id ORDER BY t.position, t.id, r.position LIMIT 1")


def test_a_quote_without_consent_is_withheld_from_evidence(study, tmp_path):
    project, _ids, pid = study
    qid = project.history.apply(MarkQuote("passage", pid, attribution="Leeds participant"))
    name = SAID.index("Jane Smith")
    project.history.apply(ConfirmRedaction(qid, name, name + len("Jane Smith"), "[name]"))
    project.history.apply(UpdateQuote(qid, {"consent": False}))
    rec = _first_recommendation(project)
    project.history.apply(LinkEvidence([("quote", qid)], recommendation_id=rec))
    result = write_report(project, tmp_path / "r.docx")
    text = "\n".join(p.text for p in _paragraphs(tmp_path / "r.docx"))
    assert "rarely checks in" not in text and "Jane Smith" not in text
    line = [e for e in _evidence(tmp_path / "r.docx") if "withheld" in e]
    assert len(line) == 1 and line[0].endswith("; a quote withheld (consent withdrawn)")
    assert "quote:" not in line[0]
    assert "recommendation 1.1: a quote withheld from its evidence (consent withdrawn)" \
        in result.warnings
    write_csv(project, tmp_path / "csv")
    assert _csv_evidence(tmp_path / "csv") == ["(quote withheld: consent withdrawn)"]
    assert "rarely checks in" not in (tmp_path / "csv" / "recommendations.csv").read_text(
        encoding="utf-8-sig")


def test_a_quoted_span_is_printed_with_its_redactions_and_attribution(study, tmp_path):
    project, _ids, pid = study
    start = SAID.index(QUOTED)
    qid = project.history.apply(MarkQuote("passage", pid, start, len(SAID),
                                          attribution="Leeds co-design participant"))
    # the researcher's redactions count within the quoted span, as coding.quotes keeps them
    project.history.apply(ConfirmRedaction(qid, 11, 23, "[number withheld]"))
    rec = _first_recommendation(project)
    project.history.apply(LinkEvidence([("quote", qid)], recommendation_id=rec))
    project.history.apply(LinkEvidence([("quote", qid)], theme_id=project.scalar(
        "SELECT theme_id FROM recommendations WHERE id = ?", (rec,))))
    write_report(project, tmp_path / "r.docx")
    said = "Call me on [number withheld] if you need more."
    lines = [e for e in _evidence(tmp_path / "r.docx") if "Call me" in e]
    assert len(lines) == 1
    assert f"Leeds co-design participant: “{said}”" in lines[0]
    assert "quote:" not in lines[0] and "Jane Smith" not in lines[0]
    # the same quote in the theme's own words, redacted alike (the offsets were read as the
    # turn's before: the redaction was dropped)
    quotes = [p.text for p in _paragraphs(tmp_path / "r.docx") if p.style.name == "Quote"]
    assert f"“{said}”" in quotes
    assert not any("[phone number]" in q or "07700" in q for q in quotes)
    write_csv(project, tmp_path / "csv")
    assert _csv_evidence(tmp_path / "csv") == [f"Leeds co-design participant: {said}"]


def test_a_name_redacted_in_a_quote_is_redacted_wherever_its_words_are_printed(study,
                                                                              tmp_path):
    """The researcher redacted "Sarah" in a quote of a statement: the statement printed with
    its figures (what participants shared, a recommendation's evidence) is redacted alike."""
    project, ids, _pid = study
    sid = ids["statements"][0]
    said = "Sarah in HR sat on my adjustments request for six months"
    with project.transaction() as db:
        db.execute("UPDATE statements SET text = ? WHERE id = ?", (said, sid))
    write_report(project, tmp_path / "before.docx")
    assert said in "\n".join(p.text for p in _paragraphs(tmp_path / "before.docx"))
    qid = project.history.apply(MarkQuote("statement", sid, 6, len(said)))  # "in HR sat …"
    project.history.apply(MarkQuote("statement", sid))
    whole = max(r[0] for r in project.query("SELECT id FROM quotes"))
    project.history.apply(ConfirmRedaction(whole, 0, 5, "[name]"))
    rec = project.scalar("SELECT recommendation_id FROM evidence WHERE item_kind = "
                         "'statement' AND item_id = ? AND recommendation_id IS NOT NULL", (sid,))
    assert qid and rec
    write_report(project, tmp_path / "r.docx")
    printed = [p.text for p in _paragraphs(tmp_path / "r.docx")]
    assert not any("Sarah" in t for t in printed)
    assert any(t.startswith("“[name] in HR sat on my adjustments request for six months” — ")
               for t in printed)       # what participants shared, with its figures
    assert any("“[name] in HR sat on my adjustments request for six months” (" in t
               for t in printed if t.startswith("Evidence: "))
