"""The report's fixed sentences are true of the study at hand or not printed (QA 7, 29, 31):
"Everything … was sorted into two themes" while 12 cards were unsorted; "speakers anonymised"
when the transcripts name people; "recorded at a table" for a Zoom interview; "not the whole
workforce" in every study; "votes do not divide participants into opinion groups" for a study
with vote totals only."""
from __future__ import annotations

import pytest

from export_study import build_study
from exports.report import ReportOptions, write_report
from test_report_privacy import _paragraphs, _text


@pytest.fixture
def study(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=30)
    yield project, ids
    project.close()


def test_themes_at_a_glance_says_how_many_cards_are_outside_the_themes(study, tmp_path):
    project, _ids = study
    write_report(project, tmp_path / "all.docx")
    assert "Everything participants shared was sorted into five themes:" in \
        _text(tmp_path / "all.docx")
    with project.transaction() as db:
        db.execute("DELETE FROM card_places WHERE rowid IN (SELECT rowid FROM card_places "
                   "WHERE card_kind = 'note' LIMIT 2)")
    total = project.scalar("SELECT count(*) FROM card_places") + 2
    write_report(project, tmp_path / "r.docx")
    text = _text(tmp_path / "r.docx")
    assert "Everything participants shared" not in text
    assert f"The five themes below hold {total - 2} of the {total} statements, notes and " \
           f"passages on the board; 2 are not in any of them yet:" in text
    assert f"2 of the {total} cards are not in any of the themes reported yet." in text


def test_the_workshops_are_described_by_what_the_project_holds(study, tmp_path):
    project, _ids = study
    write_report(project, tmp_path / "r.docx")
    text = _text(tmp_path / "r.docx")
    assert "future scenarios" not in text          # no note has a scenario
    assert "Participants wrote sticky notes on what to keep, ditch and add; two workshop " \
           "discussions were recorded and transcribed; speakers are named by role or number " \
           "in the transcripts." in text
    # a transcript that names its speakers: no word of anonymising
    with project.transaction() as db:
        db.execute("UPDATE passages SET speaker = 'Kwame Mensah' WHERE speaker = 'P1'")
    write_report(project, tmp_path / "named.docx")
    text = _text(tmp_path / "named.docx")
    assert "anonymis" not in text and "named by role" not in text
    assert "two workshop discussions were recorded and transcribed." in text
    assert "workforce" not in text
    assert "not everyone the study is about" in text


def test_an_interview_is_not_a_workshop_table(tmp_path):
    from synth.importers.documents import import_document
    from synth.project import Project
    project = Project.create(tmp_path / "i.synth")
    f = tmp_path / "zoom.txt"
    f.write_text("Interviewer: How did the panels feel?\nP1: Like a tick box.\n"
                 "P2: Nobody came back to us.\n", encoding="utf-8")
    import_document(project, f, site="Southwark", source_kind="interview")
    write_report(project, tmp_path / "r.docx", ReportOptions(characteristics=False))
    text = _text(tmp_path / "r.docx")
    import docx
    cells = [c.text for t in docx.Document(str(tmp_path / "r.docx")).tables
             for row in t.rows for c in row.cells]
    assert "participants speak in the transcripts from Southwark" in cells
    assert not [c for c in cells if "at a table" in c or "workshop table" in c]
    assert "Every participant turn in the transcripts was placed on a shared board; no themes " \
           "have been made yet." in text
    assert "People chose to take part in the interview;" in text
    assert "workshop groups were small" not in text and "workforce" not in text
    assert "Small numbers. What a few people wrote or said is not a statistic." in text
    project.close()


def test_tallies_only_do_not_claim_a_finding_about_groups(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "t.synth")
    with project.transaction() as db:
        src = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES ('tallies', "
                         "'likert.csv', '2025-03-01')").lastrowid
        for i, (text, a, d, p) in enumerate([("Publish stop and search data monthly", 41, 3, 4),
                                             ("Hold panels after school hours", 20, 10, 5)]):
            db.execute("INSERT INTO statements(source_id, external_id, text, agree_tally, "
                       "disagree_tally, pass_tally) VALUES (?,?,?,?,?,?)",
                       (src, str(i), text, a, d, p))
    write_report(project, tmp_path / "r.docx")
    ps = _paragraphs(tmp_path / "r.docx")
    text = "\n".join(p.text for p in ps)
    assert "do not divide" not in text
    assert "Only each statement's vote totals were available, not each person's votes, so " \
           "opinion groups could not be computed." in text
    assert "workshop" not in text.lower()
    project.close()


def test_candidate_themes_and_no_recommendations_are_not_called_the_teams_work(study,
                                                                               tmp_path):
    project, _ids = study
    with project.transaction() as db:
        db.execute("DELETE FROM evidence WHERE recommendation_id IS NOT NULL")
        db.execute("DELETE FROM recommendations")
        db.execute("UPDATE themes SET status = 'candidate'")
        db.execute("DELETE FROM card_places WHERE rowid IN (SELECT rowid FROM card_places "
                   "LIMIT 1)")
    write_report(project, tmp_path / "r.docx")
    text = _text(tmp_path / "r.docx")
    assert "It sets out the opinion groups found in the debate and the themes that emerged " \
           "from what participants shared." in text
    assert "our recommendations" not in text and "recommendations written" not in text
    assert "Researcher judgement. The themes are candidates found by clustering the texts; " \
           "the research team has not yet reviewed them; the evidence behind each one is " \
           "listed so readers can judge it for themselves." in text
