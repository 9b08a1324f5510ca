"""REFI-QDA export: valid against Project.xsd, and every coding points at the right text."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from export_study import build_study
from exports.refi_qda import NS, build_qde, read_codings, validate, write_qdpx

SHARED_XSD = Path(__file__).resolve().parents[2] / "shared" / "data" / "refi-qda" / "Project.xsd"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from synth.project import Project
    tmp = tmp_path_factory.mktemp("qdpx")
    project = Project.create(tmp / "s.synth")
    build_study(project, tmp, participants=30)
    # a code on a span that crosses a line and holds non-ASCII text
    doc, text = project.query("SELECT id, text FROM documents ORDER BY id LIMIT 1")[0]
    with project.transaction():
        project.db.execute("UPDATE documents SET text = ? WHERE id = ?",
                           ("Café — naïve 😀 " + text, doc))
        project.db.execute("UPDATE passages SET start = start + 15, end = end + 15 "
                           "WHERE document_id = ?", (doc,))
        project.db.execute("UPDATE codings SET start = start + 15, end = end + 15 "
                           "WHERE document_id = ?", (doc,))
        tid = project.scalar("SELECT id FROM themes ORDER BY id DESC LIMIT 1")
        project.db.execute("INSERT INTO codings(theme_id, document_id, start, end) "
                           "VALUES (?, ?, 0, 40)", (tid, doc))
    path = write_qdpx(project, tmp / "s.qdpx")
    yield project, path
    project.close()


def test_validates_against_the_refi_qda_schema(study):
    _, result = study
    with zipfile.ZipFile(result.path) as z:
        xml = z.read("project.qde")
        names = z.namelist()
    validate(xml)
    if SHARED_XSD.exists():   # the copy we ship is the standard's, unchanged
        schema = etree.XMLSchema(etree.parse(str(SHARED_XSD)))
        assert schema.validate(etree.fromstring(xml)), schema.error_log
    root = etree.fromstring(xml)
    for src in root.iter(f"{{{NS}}}TextSource"):
        assert f"sources/{src.get('plainTextPath')[len('internal://'):]}" in names


def test_codings_point_at_the_coded_text(study):
    project, result = study
    got = read_codings(result.path)
    expected = set()
    for r in project.query("SELECT t.name, substr(d.text, c.start + 1, c.end - c.start) FROM "
                           "codings c JOIN themes t ON t.id = c.theme_id JOIN documents d "
                           "ON d.id = c.document_id"):
        expected.add((r[0], r[1]))
    for r in project.query("SELECT t.name, s.text FROM card_places c JOIN themes t ON "
                           "t.id = c.theme_id JOIN statements s ON s.id = c.card_id WHERE "
                           "c.card_kind = 'statement'"):
        expected.add((r[0], r[1]))
    for r in project.query("SELECT t.name, n.text FROM card_places c JOIN themes t ON "
                           "t.id = c.theme_id JOIN notes n ON n.id = c.card_id WHERE "
                           "c.card_kind = 'note'"):
        expected.add((r[0], " ".join(r[1].split())))
    assert {(code, text) for _, code, text in got} >= expected
    assert any(text.startswith("Café — naïve 😀") for _, _, text in got)
    assert result.codings == len(got)


def test_codes_cases_and_notes(study):
    project, result = study
    with zipfile.ZipFile(result.path) as z:
        root = etree.fromstring(z.read("project.qde"))
    codes = [c.get("name") for c in root.iter(f"{{{NS}}}Code")]
    assert sorted(codes) == sorted(r[0] for r in project.query("SELECT name FROM themes"))
    cases = root.findall(f".//{{{NS}}}Case")
    assert len(cases) == project.scalar("SELECT count(DISTINCT participant_id) FROM "
                                        "participant_attributes") == result.cases
    variables = {v.get("name") for v in root.iter(f"{{{NS}}}Variable")}
    assert {"gender", "line manager", "site"} <= variables
    notes = root.findall(f".//{{{NS}}}Notes/{{{NS}}}Note")
    assert len(notes) == project.scalar("SELECT count(*) FROM memos")


def test_same_project_same_guids(study):
    project, _ = study
    a, _ = build_qde(project)
    b, _ = build_qde(project)
    strip = lambda x: etree.fromstring(x).xpath("//@guid")  # noqa: E731
    assert strip(a) == strip(b)
