"""The Word report read back as a reader (and a checker) would: headings in order, every
percentage equal to the figure recomputed here from the votes with our own SQL, every figure in
the traceability annex, quotes verbatim, tables that add up."""
from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest

from export_study import build_study
from exports.report import ReportOptions, write_report

PCT_WITH_REF = re.compile(r"(\d+)%(†?)(F\d+)")
ANY_PCT = re.compile(r"\d+\s?%")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from synth.project import Project
    tmp = tmp_path_factory.mktemp("report")
    project = Project.create(tmp / "study.synth")
    ids = build_study(project, tmp)
    path = tmp / "report.docx"
    result = write_report(project, path)
    yield project, ids, path, result
    project.close()


def body_blocks(document):
    """Paragraphs and table cells of the document in order, with the level-1 heading above."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    chapter = ""
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, document)
            if p.style.name == "Heading 1":
                chapter = p.text
            yield chapter, p
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        yield chapter, p


def annex_rows(document):
    """The traceability annex: {ref: row cells}."""
    for t in document.tables:
        header = [c.text for c in t.rows[0].cells]
        if header[:2] == ["Ref", "Figure"]:
            return {r.cells[0].text: [c.text for c in r.cells] for r in t.rows[1:]}
    raise AssertionError("no traceability annex")


def recompute(project, statement_id: int, population: str) -> tuple[int, int]:
    """(agrees, voters) from the votes table, independently of exports/."""
    if population == "all participants":
        row = project.query("SELECT sum(value = 1), count(*) FROM votes WHERE statement_id = ?",
                            (statement_id,))[0]
    else:
        letter = population.split()[-1]
        run = project.scalar("SELECT max(run_id) FROM group_members")
        gids = [r[0] for r in project.query("SELECT DISTINCT group_id FROM group_members WHERE "
                                            "run_id = ? ORDER BY group_id", (run,))]
        gid = gids[ord(letter) - ord("A")]
        row = project.query("SELECT sum(v.value = 1), count(*) FROM votes v JOIN group_members g"
                            " ON g.participant_id = v.participant_id AND g.run_id = ? WHERE "
                            "v.statement_id = ? AND g.group_id = ?",
                            (run, statement_id, gid))[0]
    return row[0], row[1]


def half_up(a: int, n: int) -> int:
    from decimal import ROUND_HALF_UP, Decimal
    return int((Decimal(100 * a) / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_headings_in_order(study):
    _, _, path, _ = study
    d = docx.Document(str(path))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["Introduction", "Opinion groups", "Themes at a glance", "1. Hybrid working",
                  "2. Management and trust", "3. Technology and the office", "4. Inclusion",
                  "5. Wellbeing", "Methodology", "Annex A: Participants' characteristics",
                  "Annex B: Where every figure comes from"]
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    chapter = h2[h2.index("What participants shared"):][:4]
    assert chapter == ["What participants shared", "What participants want to see",
                       "In participants' words", "Recommendations"]
    assert d.paragraphs[0].style.name != "Heading 1"
    titles = [p for p in d.paragraphs if p.style.name == "Title"]
    assert titles and "Future of work debate" in titles[0].text
    # a contents field Word fills in
    xml = d.element.xml
    assert "TOC \\o" in xml and 'w:updateFields w:val="true"' in d.settings.element.xml


def test_every_percentage_recomputes_from_the_votes_and_is_in_the_annex(study):
    project, _, path, _ = study
    d = docx.Document(str(path))
    annex = annex_rows(d)
    checked = 0
    for chapter, p in body_blocks(d):
        if chapter.startswith("Annex"):
            continue
        text = p.text
        refs = PCT_WITH_REF.findall(text)
        # no percentage in the body without its reference to the annex
        assert len(ANY_PCT.findall(text)) == len(refs) + text.count("60% office"), text
        for pct, flag, ref in refs:
            assert ref in annex, f"{ref} printed but not in the annex"
            row = annex[ref]
            assert row[1].rstrip("†") == f"{pct}%"
            if row[3]:  # a statement's agreement
                sid = int(re.match(r"S(\d+)", row[3]).group(1))   # "S4, Pol.is comment 3: …"
                agrees, n = recompute(project, sid, row[5])
                assert int(pct) == half_up(agrees, n), (ref, row)
                assert row[4].startswith(f"agree {agrees},"), row
                assert f"n = {n}" in text
                checked += 1
    assert checked >= 20


def test_bold_agreement_figures_with_n_of_those_who_voted(study):
    _, _, path, _ = study
    d = docx.Document(str(path))
    bullets = [p for ch, p in body_blocks(d) if ch.startswith("1. ")
               and "of those who voted agreed" in p.text]
    assert bullets
    for p in bullets:
        bold = [r.text for r in p.runs if r.bold]
        assert any(re.fullmatch(r"\d+%", b) for b in bold), p.text
        assert re.search(r"\(n = \d+\)", p.text)


def test_annex_lists_every_registered_figure_with_its_section(study):
    _, _, path, result = study
    annex = annex_rows(docx.Document(str(path)))
    assert set(annex) == {f.id for f in result.figures}
    for f in result.figures:
        assert annex[f.id][6], f"{f.id} has no section"


def test_quotes_are_verbatim_and_attributed(study):
    project, _, path, _ = study
    d = docx.Document(str(path))
    sources = [r[0] for r in project.query("SELECT text FROM documents UNION ALL SELECT text "
                                           "FROM notes UNION ALL SELECT text FROM statements")]
    quotes = [p for p in d.paragraphs if p.style.name == "Quote" and p.text.startswith("“")]
    assert len(quotes) >= 5
    for p in quotes:
        body = p.text.strip()[1:-1]
        # verbatim, except personal data masked by coding.redaction's tokens
        pieces = [x for x in re.split(r"\[[a-z ]+\]", body) if x.strip()]
        assert pieces and all(any(x in s for s in sources) for x in pieces), body
    attributions = [p.text for p in d.paragraphs
                    if p.style.name == "Quote" and p.text.startswith("— ")]
    assert len(attributions) == len(quotes)
    assert any("Manchester co-design participant" in a for a in attributions)


def test_phone_numbers_in_quotes_are_masked(tmp_path):
    from synth.project import Project
    pytest.importorskip("coding.redaction")
    project = Project.create(tmp_path / "s.synth")
    build_study(project, tmp_path, participants=20)
    with project.transaction():
        doc = project.scalar("SELECT id FROM documents ORDER BY id LIMIT 1")
        text = project.scalar("SELECT text FROM documents WHERE id = ?", (doc,))
        extra = "\nP5: Call me on 0141 496 0218 or write to sam.jones@example.gov.uk any time."
        project.db.execute("UPDATE documents SET text = ? WHERE id = ?", (text + extra, doc))
        start = len(text) + len("\nP5: ")
        pid = project.db.execute("INSERT INTO passages(document_id, start, end, speaker, "
                                 "speaker_role) VALUES (?,?,?,?,?)",
                                 (doc, start, len(text + extra), "P5", "participant")).lastrowid
        project.db.execute("INSERT INTO card_places(card_kind, card_id, theme_id) VALUES "
                           "('passage', ?, (SELECT min(id) FROM themes))", (pid,))
        project.db.execute("INSERT INTO quotes(item_kind, item_id) VALUES ('passage', ?)", (pid,))
    write_report(project, tmp_path / "r.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert "Call me on" in text
    assert "0141 496 0218" not in text and "sam.jones@example.gov.uk" not in text
    project.close()


def test_recommendations_are_numbered_per_theme(study):
    _, _, path, _ = study
    d = docx.Document(str(path))
    numbers = [p.text.split("\t")[0] for p in d.paragraphs if re.match(r"\d+\.\d+\t", p.text)]
    assert numbers == [f"{t}.{r}" for t in range(1, 6) for r in range(1, 4)]


def test_characteristics_tables_add_up(study):
    project, _, path, _ = study
    d = docx.Document(str(path))
    tables = [t for t in d.tables if t.rows[-1].cells[0].text == "Total"]
    assert len(tables) >= 2
    debate_n = project.scalar("SELECT count(*) FROM participants p JOIN sources s ON "
                              "s.id = p.source_id WHERE s.kind = 'debate'")
    for t in tables:
        header = [c.text for c in t.rows[0].cells]
        for j, h in enumerate(header):
            if not h.endswith("(n)"):
                continue
            values = [int(r.cells[j].text) for r in t.rows[1:-1]]
            total = int(t.rows[-1].cells[j].text)
            assert sum(values) == total, header
            if h.startswith("Online debate"):
                assert total == debate_n
            shares = [int(r.cells[j + 1].text.rstrip("%")) for r in t.rows[1:-1]]
            assert all(s == half_up(v, total) for s, v in zip(shares, values))
            assert abs(sum(shares) - 100) <= len(shares)


def test_headline_figures_match_the_project(study):
    project, _, path, _ = study
    d = docx.Document(str(path))
    annex = annex_rows(d)
    by_label = {row[2]: row for row in annex.values()}
    # the people, votes and statements of "N people cast V votes on S statements" are counted
    # over the same statements: those the report lists
    listed = "statement_id IN (SELECT id FROM statements WHERE moderation >= 0 AND is_meta = 0)"
    assert by_label["participants who voted on the online debate's statements"][1] == str(
        project.scalar(f"SELECT count(DISTINCT participant_id) FROM votes WHERE {listed}"))
    assert by_label["agree, disagree and pass votes on those statements"][1] == \
        f"{project.scalar(f'SELECT count(*) FROM votes WHERE {listed}'):,}"
    assert by_label["workshop participants in Cardiff"][1] == "7"
    assert by_label["workshop participants in Manchester"][1] == "12"
    # meta and moderated-out statements are not counted and never printed
    assert by_label["statements voted on (moderated-out and meta statements left out)"][1] == \
        "12"
    full = "\n".join(p.text for p in d.paragraphs)
    assert "Spam spam spam" not in full and "Is this debate anonymous?" not in full


def test_charts_have_alt_text_and_print_resolution(study):
    _, _, path, result = study
    d = docx.Document(str(path))
    pics = d.inline_shapes
    assert len(pics) == result.charts == 3
    for shape in pics:
        assert len(shape._inline.docPr.get("descr", "")) > 40
    from PIL import Image
    import io
    for rel in d.part.rels.values():
        if "image" in rel.reltype:
            im = Image.open(io.BytesIO(rel.target_part.blob))
            assert im.width >= 1500   # 300 dpi over a 6-inch chart


def test_small_n_suppressed_when_the_project_says_so(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    build_study(project, tmp_path, participants=30)
    project.set_setting("small_n_threshold", 20)
    project.set_setting("small_n_action", "suppress")
    result = write_report(project, tmp_path / "r.docx")
    agreements = [f for f in result.figures if f.kind == "agreement"]
    assert agreements and all((f.denominator < 20) == f.suppressed for f in agreements)
    assert any(f.suppressed for f in agreements)
    d = docx.Document(str(tmp_path / "r.docx"))
    for f in agreements:
        if f.suppressed:
            assert f.text == "—"
    text = "\n".join(p.text for p in d.paragraphs)
    assert "fewer than 20 votes are not shown" in text
    project.set_setting("small_n_action", "flag")
    result = write_report(project, tmp_path / "r2.docx")
    flagged = [f for f in result.figures if f.small_n]
    assert flagged and all(not f.suppressed for f in flagged)
    assert "†F" in "\n".join(p.text for p in docx.Document(str(tmp_path / "r2.docx")).paragraphs)
    project.close()


def test_parts_are_optional(study, tmp_path):
    project, _, _, _ = study
    options = ReportOptions(opinion_groups=False, characteristics=False, traceability=False,
                            charts=False, contents=False, title_page=False)
    write_report(project, tmp_path / "r.docx", options)
    d = docx.Document(str(tmp_path / "r.docx"))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[0] == "Introduction" and "Opinion groups" not in h1
    assert not any(h.startswith("Annex") for h in h1)
    assert len(d.inline_shapes) == 0


def test_researchers_template_styles_headers_and_footers(study, tmp_path):
    project, _, _, _ = study
    from docx.shared import Pt, RGBColor
    t = docx.Document()
    t.sections[0].header.paragraphs[0].text = "OFFICIAL – Policy Lab"
    t.sections[0].footer.paragraphs[0].text = "Crown copyright"
    t.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x80)
    t.styles["Normal"].font.size = Pt(12)
    t.add_paragraph("Template body text that must not survive")
    t.save(str(tmp_path / "template.docx"))
    write_report(project, tmp_path / "r.docx", ReportOptions(template=str(tmp_path /
                                                                            "template.docx")))
    d = docx.Document(str(tmp_path / "r.docx"))
    assert d.sections[0].header.paragraphs[0].text == "OFFICIAL – Policy Lab"
    assert d.sections[0].footer.paragraphs[0].text == "Crown copyright"
    assert d.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x80)
    assert d.styles["Normal"].font.size == Pt(12)
    assert "Template body text" not in "\n".join(p.text for p in d.paragraphs)
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"][0] == "Introduction"


def test_report_of_a_project_without_votes_or_themes(tmp_path):
    from synth.project import Project
    with Project.create(tmp_path / "empty.synth") as project:
        result = write_report(project, tmp_path / "r.docx")
    assert result.path.exists()
    h1 = [p.text for p in docx.Document(str(result.path)).paragraphs
          if p.style.name == "Heading 1"]
    assert "Themes at a glance" in h1


def test_command_line_writes_the_report(study, tmp_path):
    import main
    project, _, _, _ = study
    out = tmp_path / "cli.docx"
    assert main.main(["report", str(project.path), "--out", str(out),
                      "--without", "charts"]) == 0
    assert out.exists() and len(docx.Document(str(out)).inline_shapes) == 0
    assert main.main(["report", str(tmp_path / "missing.synth")]) == 1


def test_sample_study_report(sample_project, tmp_path):
    result = write_report(sample_project, tmp_path / "sample.docx")
    assert result.figures and result.path.exists()


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (CI does not install it)")
def test_report_converts_to_pdf_with_libreoffice(study, tmp_path):
    _, _, path, _ = study
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    profile = tmp_path / "lo-profile"
    proc = subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=120)
    pdf = tmp_path / "report.pdf"
    assert proc.returncode == 0, proc.stderr
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 50_000


def test_candidate_themes_without_a_description_show_their_keywords(tmp_path):
    """Themes nobody has described yet (straight from clustering) say what they hold in the
    overview table by their keywords, not a dash, in a column that says they are the
    clustering's, not under "In one line", which reads as the team's words."""
    import json
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    build_study(project, tmp_path)
    with project.transaction() as db:
        db.execute("UPDATE themes SET status = 'candidate', description = '', "
                   "summary_shared = '', keywords = ?",
                   (json.dumps(["pay", "grade", "fair", "salary", "pension", "bonus"]),))
        db.execute("UPDATE themes SET keywords = '[]' WHERE id = (SELECT max(id) FROM themes "
                   "WHERE parent_id IS NULL)")
    write_report(project, tmp_path / "r.docx")
    d = docx.Document(str(tmp_path / "r.docx"))
    overview = next(t for t in d.tables if t.rows[0].cells[0].text == "Theme")
    assert [c.text for c in overview.rows[0].cells] == ["Theme", "Keywords found by clustering"]
    lines = [r.cells[1].text for r in overview.rows[1:]]
    assert lines[:-1] and all(x == "pay, grade, fair, salary, pension" for x in lines[:-1])
    assert lines[-1] == "—"


def test_a_sub_themes_recommendations_are_printed_under_its_theme(tmp_path):
    """Numbered on after the theme's own, as the Recommendations panel numbers them; they were
    left out of the report, though the panel showed them as 1.2."""
    from coding.recommendations import AddRecommendation, recommendations
    from synth.board import CreateTheme, UpdateTheme
    from synth.project import Project
    from ui.testing import make_project
    path = make_project(tmp_path / "p.synth", statements=10, notes=0, themes=1, placed=0.5)
    with Project.open(path) as p:
        top = p.scalar("SELECT id FROM themes")
        p.history.apply(UpdateTheme(top, {"status": "accepted"}))
        sub = p.history.apply(CreateTheme("Sub", parent_id=top))
        subsub = p.history.apply(CreateTheme("Sub-sub", parent_id=sub))
        p.history.apply(AddRecommendation(subsub, "On its sub-sub-theme"))
        p.history.apply(AddRecommendation(top, "On the theme"))
        p.history.apply(AddRecommendation(sub, "On its sub-theme"))
        panel = [(r.number, r.title) for r in recommendations(p)]
        write_report(p, tmp_path / "r.docx")
    printed = [tuple(x.text.split("\t")[:2]) for x in docx.Document(str(tmp_path / "r.docx"))
               .paragraphs if re.match(r"\d+\.\d+\t", x.text)]
    assert printed == panel == [("1.1", "On the theme"), ("1.2", "On its sub-theme"),
                                ("1.3", "On its sub-sub-theme")]
