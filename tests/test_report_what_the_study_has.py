"""The Word report says only what the study has, read back from the .docx: a workshops-only
study gets no debate in its subtitle and no opinion-group chapter; a note thousands of
characters long is printed once, shortened, with where to find the whole; annexes are lettered
in the order they appear; a recommendation without evidence says so."""
from __future__ import annotations

import pytest

from export_study import build_study
from exports.report import ReportOptions, write_report
from test_report_privacy import _paragraphs, _text

LONG = ("We need proper kit at home. " * 200).strip()        # 5,599 characters, as QA's


@pytest.fixture
def workshops_only(tmp_path):
    """Two workshops' sticky notes (one of them the same long note imported three times) and
    one theme holding them; no debate, no transcripts."""
    from synth import board
    from synth.project import Project
    project = Project.create(tmp_path / "w.synth")
    cards = []
    with project.transaction() as db:
        for city in ("Leeds", "Cardiff"):
            src = db.execute("INSERT INTO sources(kind, name, site, workshop, imported_at) "
                             "VALUES ('workshop', ?, ?, ?, '2025-03-05')",
                             (f"{city} notes", city, f"{city} workshop")).lastrowid
            texts = [LONG] * 3 + ["Flexible hours help me care for my mum"] \
                if city == "Leeds" else ["Commute costs are too high for junior grades"]
            for text in texts:
                nid = db.execute("INSERT INTO notes(source_id, text, site, workshop, activity, "
                                 "dot_votes) VALUES (?,?,?,?,'add',1)",
                                 (src, text, city, f"{city} workshop")).lastrowid
                cards.append(("note", nid))
    project.history.apply(board.CreateTheme("Kit and costs", cards))
    yield project, [i for _k, i in cards]
    project.close()


def test_a_workshops_only_report_says_nothing_of_a_debate(workshops_only, tmp_path):
    project, _notes = workshops_only
    write_report(project, tmp_path / "r.docx")
    ps = _paragraphs(tmp_path / "r.docx")
    subtitle = next(p.text for p in ps if p.style.name == "Subtitle")
    assert subtitle == "Findings and recommendations from two co-design workshops"
    h1 = [p.text for p in ps if p.style.name == "Heading 1"]
    assert h1 == ["Introduction", "Themes at a glance", "1. Kit and costs", "Methodology",
                  "Annex A: Where every figure comes from"]
    text = _text(tmp_path / "r.docx")
    assert "debate" not in text.lower() and "voted" not in text
    assert "This report brings together what people told us in two co-design workshops. It " \
           "sets out the themes" in text
    assert "Every workshop note was placed on a shared board" in text


def test_a_long_note_is_printed_once_shortened_with_where_the_whole_is(workshops_only,
                                                                        tmp_path):
    project, notes = workshops_only
    write_report(project, tmp_path / "r.docx")
    bullets = [p.text for p in _paragraphs(tmp_path / "r.docx")
               if p.style.name == "List Bullet" and "proper kit" in p.text]
    assert len(bullets) == 1                  # three notes with the same words: printed once
    b = bullets[0]
    assert len(b) < 900 and b.startswith("“We need proper kit at home.")
    assert f"at home. …” [shortened from {len(LONG):,} characters; the whole text is note " \
           f"{notes[0]} in the project]" in b
    assert b.endswith("(Leeds co-design participant; the same words on 3 notes)")


def test_annexes_are_lettered_in_order(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    build_study(project, tmp_path, participants=20)
    write_report(project, tmp_path / "a.docx", ReportOptions(characteristics=False))
    h1 = [p.text for p in _paragraphs(tmp_path / "a.docx") if p.style.name == "Heading 1"]
    assert [h for h in h1 if h.startswith("Annex")] == ["Annex A: Where every figure comes from"]
    write_report(project, tmp_path / "b.docx")
    h1 = [p.text for p in _paragraphs(tmp_path / "b.docx") if p.style.name == "Heading 1"]
    assert [h for h in h1 if h.startswith("Annex")] == [
        "Annex A: Participants' characteristics", "Annex B: Where every figure comes from"]
    project.close()


def test_a_recommendation_without_evidence_is_flagged(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=20)
    with project.transaction() as db:
        db.execute("DELETE FROM evidence WHERE recommendation_id = (SELECT id FROM "
                   "recommendations WHERE theme_id = ? ORDER BY position LIMIT 1)",
                   (ids["themes"]["hybrid"],))
    result = write_report(project, tmp_path / "r.docx")
    ps = [p.text for p in _paragraphs(tmp_path / "r.docx")]
    at = next(i for i, t in enumerate(ps) if t.startswith("1.1\t"))
    assert ps[at + 2] == "No evidence has been linked to this recommendation yet."
    assert ps[at + 3].startswith("1.2\t")
    assert not any(t == "No evidence has been linked to this recommendation yet."
                   for t in ps[at + 3:])
    assert "recommendation 1.1 has no evidence linked" in result.warnings
    project.close()


def test_a_description_of_blanks_is_no_description(tmp_path):
    """QA: 43 tabs saved into a theme's description printed a blank line in "Themes at a
    glance" and a blank italic paragraph under the theme's heading."""
    from synth import board
    from synth.project import Project
    project = Project.create(tmp_path / "b.synth")
    ids = build_study(project, tmp_path, participants=30)
    tid = ids["themes"]["hybrid"]
    project.history.apply(board.UpdateTheme(tid, {"description": "\t" * 43,
                                                  "summary_shared": " \n "}))
    write_report(project, tmp_path / "r.docx")
    import docx
    d = docx.Document(str(tmp_path / "r.docx"))
    name = project.scalar("SELECT name FROM themes WHERE id = ?", (tid,))
    glance = [r.cells[1].text for t in d.tables for r in t.rows
              if r.cells[0].text.endswith(f". {name}")]
    assert glance == ["—"]
    paragraphs = _paragraphs(tmp_path / "r.docx")
    at = next(i for i, p in enumerate(paragraphs)
              if p.style.name == "Heading 1" and p.text.endswith(f". {name}"))
    assert paragraphs[at + 1].style.name == "Heading 2", paragraphs[at + 1].text
    project.close()
