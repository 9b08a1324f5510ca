"""A project's own .qdpx brought back into it (the NVivo round trip) is refused, naming the
texts it holds already, instead of putting every card on the board twice (QA 24: 64 → 128)."""
from __future__ import annotations

import pytest

from export_study import build_study
from synth.errors import ImportProblem
from synth.importers import import_path
from synth.project import Project


@pytest.fixture
def study(tmp_path):
    from exports.refi_qda import write_qdpx
    p = Project.create(tmp_path / "study.synth")
    build_study(p, tmp_path, participants=20)
    qdpx = write_qdpx(p, tmp_path / "out" / "study.qdpx").path
    yield p, qdpx
    p.close()


def _state(p):
    return (p.scalar("SELECT count(*) FROM card_places"),
            p.scalar("SELECT count(*) FROM documents"),
            p.scalar("SELECT count(*) FROM passages"),
            p.scalar("SELECT count(*) FROM codings"))


def test_the_projects_own_export_is_refused(study):
    p, qdpx = study
    before = _state(p)
    assert before[0] > 0
    with pytest.raises(ImportProblem) as e:
        import_path(p, qdpx)
    said = str(e.value)
    assert "exported from this project: 5 texts (" in said
    assert "importing them would put each of their cards on the board a second time" in said
    assert _state(p) == before


def test_a_texts_words_already_held_are_refused_in_another_export(study, tmp_path):
    from exports.refi_qda import write_qdpx
    p, _ = study
    # a copy of the project under another name: other GUIDs, the same transcripts
    with p.save_as(tmp_path / "copy.synth") as c:
        other = write_qdpx(c, tmp_path / "out" / "copy.qdpx").path
    before = _state(p)
    with pytest.raises(ImportProblem, match="holds texts this project has already"):
        import_path(p, other)
    assert _state(p) == before


def test_into_a_new_project_it_comes_in(study, tmp_path):
    _, qdpx = study
    with Project.create(tmp_path / "fresh.synth") as q:
        (report,) = import_path(q, qdpx)
        assert report.counts["documents"] == 5


def test_a_redacted_export_of_a_copy_is_still_the_projects(study, tmp_path):
    """QA's case: exported from a copy under another name, a redaction in one transcript; the
    statements and notes come back as texts of one line each."""
    from exports.refi_qda import write_qdpx
    p, _ = study
    doc, text = p.query("SELECT id, text FROM documents ORDER BY id LIMIT 1")[0]
    with p.save_as(tmp_path / "work.synth") as c:
        with c.transaction() as db:     # one line of one transcript masked, same length
            first = text.split("\n")[0]
            db.execute("UPDATE documents SET text = ? WHERE id = ?",
                       (text.replace(first, "x" * len(first), 1), doc))
        other = write_qdpx(c, tmp_path / "out" / "work.qdpx").path
    with pytest.raises(ImportProblem) as e:
        import_path(p, other)
    assert "holds texts this project has already: 5 texts" in str(e.value)
