"""Codebook: tree, counts, reorder/nest, merge, memos, and the REFI-QDA .qdc round trip."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from synth.board import CreateTheme, MoveCards
from synth.errors import UserError
from synth.project import Project

from coding.codebook import (AddMemo, MergeCodes, MoveCode, codebook, codebook_outline,
                             export_qdc, import_qdc, memos, validate_qdc)
from coding.passages import ApplyCode, codings
from tests.coding_study import build, dump

XSD = Path(__file__).resolve().parents[2] / "shared" / "data" / "refi-qda" / "Codebook.xsd"


def _tree(project):
    work = project.history.apply(CreateTheme("Hybrid work", description="Where & how we work"))
    project.history.apply(CreateTheme("Commuting <cost>", parent_id=work, colour="#E15759"))
    project.history.apply(CreateTheme("Kit at home", parent_id=work))
    wellbeing = project.history.apply(CreateTheme("Wellbeing — “isolation”"))
    return work, wellbeing


def test_counts_reorder_and_nest(project, tmp_path):
    ids = build(project, tmp_path)
    work, wellbeing = _tree(project)
    sub = [c.id for c in codebook(project)[0].children]
    project.history.apply(ApplyCode(ids["document"], 0, 30, [sub[0]], coder="ana"))
    project.history.apply(MoveCards([("note", ids["notes"]["m1"])], sub[1]))
    root = codebook(project)[0]
    assert (root.counts.codings, root.total.codings, root.total.cards) == (0, 1, 2)
    # the coded passage is a card too: 1 note + 1 passage under the first sub-code
    assert root.children[0].counts.cards == 1 and root.children[1].counts.cards == 1
    before = dump(project)
    project.history.apply(MoveCode(sub[1], None, 0))           # to the top, first
    assert [c.name for c in codebook(project)] == ["Kit at home", "Hybrid work",
                                                   "Wellbeing — “isolation”"]
    assert [c.position for c in codebook(project)] == [0, 1, 2]
    with pytest.raises(ValueError):
        project.history.apply(MoveCode(work, sub[0]))         # not inside its own child
    project.history.undo()
    assert dump(project) == before


def test_merge_moves_codings_memos_and_drops_duplicates(project, tmp_path):
    ids = build(project, tmp_path)
    a = project.history.apply(CreateTheme("Cost"))
    b = project.history.apply(CreateTheme("Money"))
    doc = ids["document"]
    project.history.apply(ApplyCode(doc, 0, 30, [a, b], coder="ana"))
    project.history.apply(AddMemo("theme", b, "Money and cost overlap"))
    before = dump(project)
    project.history.apply(MergeCodes([b], a))
    assert [(c.theme_id, c.start, c.end) for c in codings(project)] == [(a, 0, 30)]
    assert [m["text"] for m in memos(project, "theme", a)] == ["Money and cost overlap"]
    assert [c.name for c in codebook(project)] == ["Cost"]
    project.history.undo()
    assert dump(project) == before


def test_qdc_round_trip_is_equal_and_schema_valid(project, tmp_path):
    _tree(project)
    out = export_qdc(project, tmp_path / "codebook.qdc")
    # valid against the shared copy of the schema, not only our bundled one
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.parse(str(out))), schema.error_log
    assert validate_qdc(out) == []
    with Project.create(tmp_path / "other.synth") as other:
        made = import_qdc(other, out)
        assert len(made) == 4
        assert codebook_outline(other) == codebook_outline(project)
        again = export_qdc(other, tmp_path / "again.qdc")
        assert again.read_bytes() == out.read_bytes()      # same GUIDs, same file
        # importing the same file twice adds nothing; undo removes the import whole
        assert import_qdc(other, out) == []
        other.history.undo()
        other.history.undo()
        assert codebook(other) == []


def test_invalid_qdc_is_refused(project, tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(UserError, match="not a REFI-QDA codebook"):
        import_qdc(project, bad)
