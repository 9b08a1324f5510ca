"""A name the researcher redacted in a quote is redacted in every file that prints the item's
words, read back from the files: the report (a second quote of the same statement printed it:
"Sarah in HR sat on m"), the tables (themes.csv, statements.csv, recommendations.csv, the
codes sheet) and the REFI-QDA project, each coding kept on its words. E-mail addresses and
phone numbers are masked in every export by default, as the report masks them (the tables and
the .qdpx printed them unless stripping personal data was asked for)."""
from __future__ import annotations

import csv
import zipfile

import docx
import pytest

from coding.evidence import LinkEvidence
from coding.quotes import MarkQuote
from coding.recommendations import AddRecommendation
from coding.redaction import ConfirmRedaction
from export_study import add_turn, build_study
from exports.content import published_quote
from exports.refi_qda import read_codings, write_qdpx
from exports.report import write_report
from exports.tables import write_csv, write_xlsx

SAID = "Sarah in HR sat on my adjustments request for six months"
TURN = "Ask Tom Reed on 07700 900123 or tom.reed@example.org, he knows the rota"


@pytest.fixture
def study(tmp_path):
    """The export study with a statement naming Sarah, quoted whole with her name redacted and
    quoted again from its first words (that quote redacts nothing), the second quote evidence
    for a recommendation; and a transcript turn naming Tom Reed with his phone and e-mail,
    placed in a theme, quoted with his name redacted and coded from inside the name."""
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=30)
    sid = ids["statements"][0]
    theme = ids["themes"]["hybrid"]
    with project.transaction() as db:
        db.execute("UPDATE statements SET text = ? WHERE id = ?", (SAID, sid))
        doc, start, pid = add_turn(db, TURN, theme, after="\nP6: Thanks.")
        # coded from "Reed" (inside the name) to the end of the turn
        db.execute("INSERT INTO codings(theme_id, document_id, start, end, coder) VALUES "
                   "(?,?,?,?,'RA')", (theme, doc, start + TURN.index("Reed"),
                                      start + len(TURN)))
    whole = project.history.apply(MarkQuote("statement", sid))
    project.history.apply(ConfirmRedaction(whole, 0, 5, "[name]"))
    second = project.history.apply(MarkQuote("statement", sid, 0, 20))  # "Sarah in HR sat on m"
    rec = project.history.apply(AddRecommendation(theme, "Answer adjustment requests"))
    project.history.apply(LinkEvidence([("quote", second)], recommendation_id=rec))
    turn = project.history.apply(MarkQuote("passage", pid))
    project.history.apply(ConfirmRedaction(turn, 4, 12, "[colleague]"))     # "Tom Reed"
    yield project, tmp_path, second
    project.close()


def _csv(folder, name: str) -> str:
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return "\n".join(c for row in csv.reader(f) for c in row)


def test_a_second_quote_keeps_the_name_a_first_one_redacted(study):
    project, tmp, second = study
    q = published_quote(project, second)
    assert q is not None and q.text == "[name] in HR sat on m"
    write_report(project, tmp / "r.docx")
    printed = "\n".join(p.text for p in docx.Document(str(tmp / "r.docx")).paragraphs)
    assert "“[name] in HR sat on m”" in printed       # the recommendation's evidence
    assert "Sarah" not in printed and "Tom Reed" not in printed


def test_tables_print_the_items_words_with_their_redactions(study):
    project, tmp, _second = study
    folder = write_csv(project, tmp / "csv")[0].parent
    statements, themes, recs, codes = (_csv(folder, n) for n in
                                       ("statements", "themes", "recommendations", "codes"))
    for table in (statements, themes, recs, codes):
        assert "Sarah" not in table and "Tom Reed" not in table
    assert SAID.replace("Sarah", "[name]") in statements
    assert SAID.replace("Sarah", "[name]") in themes
    assert "[name] in HR sat on m" in recs
    assert ("Ask [colleague] on [phone number] or [e-mail address], he knows the rota"
            in themes)
    # the coding began inside the redacted name: it begins at its replacement
    assert "[colleague] on [phone number] or [e-mail address], he knows the rota" in \
        codes.split("\n")
    from openpyxl import load_workbook
    wb = load_workbook(write_xlsx(project, tmp / "t.xlsx"))
    values = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert not any("Sarah" in v or "Tom Reed" in v or "900123" in v for v in values)


def test_tables_mask_phones_and_e_mails_by_default_and_names_when_asked(study):
    project, tmp, _second = study
    plain = _csv(write_csv(project, tmp / "plain")[0].parent, "themes")
    assert "07700 900123" not in plain and "tom.reed@example.org" not in plain
    assert "Ask [colleague] on [phone number] or [e-mail address]" in plain
    assert "Sarah" not in plain
    asked = _csv(write_csv(project, tmp / "asked", strip_personal_data=True)[0].parent,
                 "themes")
    assert "07700 900123" not in asked and "tom.reed@example.org" not in asked


def test_refi_qda_prints_redacted_masked_words_with_each_coding_on_them(study):
    project, tmp, _second = study
    write_qdpx(project, tmp / "p.qdpx")
    with zipfile.ZipFile(tmp / "p.qdpx") as z:
        texts = "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    for leak in ("Sarah", "Tom Reed", "07700 900123", "tom.reed@example.org"):
        assert leak not in texts
    assert SAID.replace("Sarah", "[name]") in texts
    assert "P5: Ask [colleague] on [phone number] or [e-mail address], he knows the rota" \
        in texts
    coded = [t for _s, _c, t in read_codings(tmp / "p.qdpx")]
    # the passage placed in a theme and the coding from inside the name, each on its words
    assert "Ask [colleague] on [phone number] or [e-mail address], he knows the rota" in coded
    assert "[colleague] on [phone number] or [e-mail address], he knows the rota" in coded
    assert SAID.replace("Sarah", "[name]") in coded


def test_another_quotes_redaction_is_cut_to_the_quoted_span(study):
    project, _tmp, _second = study
    sid = project.query("SELECT item_id FROM quotes WHERE id = ?", (_second,))[0][0]
    other = project.history.apply(MarkQuote("statement", sid))
    project.history.apply(ConfirmRedaction(other, 6, 15, "[team]"))   # "in HR sat"
    late = project.history.apply(MarkQuote("statement", sid, 9, 33))  # "HR sat on my adjustments"
    q = published_quote(project, late)
    # begins inside the other quote's redaction: its replacement, then the quote's own words
    assert q is not None and q.text == "[team] on my adjustments"


def test_the_board_image_keeps_the_redaction(study):
    """A name redacted in a quote was still printed on its card in the board image."""
    from exports.board_image import draw_board
    project, tmp, _ = study
    svg = draw_board(project, tmp / "b.svg").read_text(encoding="utf-8")
    assert "Sarah" not in svg and "Tom Reed" not in svg and "[name]" in svg
