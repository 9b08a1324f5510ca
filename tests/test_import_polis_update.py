"""A later export of a Pol.is conversation in the project updates that debate instead of adding
it a second time (QA 20: 78 statements, 1,127 votes, each statement twice)."""
from __future__ import annotations

import csv
import shutil

import pytest

from conftest import POLIS
from synth.errors import ImportProblem
from synth.importers import import_path

LONDON = POLIS / "london.youth.policing"


def _early(tmp_path, *, summary=True):
    """The london export as exported mid-week: without its last 150 vote events."""
    folder = tmp_path / "early"
    folder.mkdir()
    shutil.copy(LONDON / "comments.csv", folder)
    if summary:
        shutil.copy(LONDON / "summary.csv", folder)
    with open(LONDON / "votes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], sorted(rows[1:], key=lambda r: float(r[0]))
    with open(folder / "votes.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([head] + body[:-150])
    return folder


def _counts(project):
    return (project.scalar("SELECT count(*) FROM sources WHERE kind = 'debate'"),
            project.summary().statements, project.summary().votes)


def test_the_later_export_updates_the_debate(project, tmp_path):
    [first] = import_path(project, _early(tmp_path))
    early = _counts(project)
    assert early[:2] == (1, 39) and early[2] < 638
    sid = project.scalar("SELECT id FROM statements WHERE external_id = '5'")
    with project.transaction() as db:
        theme = db.execute("INSERT INTO themes(name) VALUES ('Trust')").lastrowid
        db.execute("INSERT INTO card_places(card_kind, card_id, theme_id) "
                   "VALUES ('statement', ?, ?)", (sid, theme))
    [report] = import_path(project, LONDON)
    assert _counts(project) == (1, 39, 638)
    assert report.source_id == first.source_id
    said = " ".join(report.warnings)
    assert "the same Pol.is conversation as “What is the best way" in said
    assert f"votes {early[2]:,} → 638" in said
    # the statement is the same card, still in its theme
    assert project.scalar("SELECT card_id FROM card_places") == sid
    assert project.scalar("SELECT count(*) FROM votes WHERE statement_id = ?", (sid,)) == \
        project.scalar("SELECT count(*) FROM votes v JOIN statements s ON s.id = "
                       "v.statement_id WHERE s.external_id = '5'")


def test_an_older_export_is_refused(project, tmp_path):
    import_path(project, LONDON)
    with pytest.raises(ImportProblem) as e:
        import_path(project, _early(tmp_path))
    assert "older than that one" in str(e.value)
    assert _counts(project) == (1, 39, 638)


def test_same_statements_without_a_summary_are_the_same_conversation(project, tmp_path):
    import_path(project, _early(tmp_path, summary=False))
    import_path(project, LONDON)
    assert _counts(project) == (1, 39, 638)


def test_another_conversation_is_a_second_debate(project):
    import_path(project, LONDON)
    import_path(project, POLIS / "bg2050-volunteers")
    assert _counts(project)[:2] == (2, 39 + 371)


def test_the_same_export_imported_again_on_purpose_is_held_twice(project):
    import_path(project, LONDON)
    import_path(project, LONDON, again=True)        # --again: the researcher's choice
    assert _counts(project) == (2, 78, 1276)
