"""What the report and the board image print of participants' words, read back from the .docx
and the drawn SVG: no transcript passage quoted unless the team chose it, no quote whose
consent was withdrawn, e-mail addresses and phone numbers always masked, and names too when
the researcher asked for personal data to be stripped (project setting strip_personal_data)."""
from __future__ import annotations

import warnings

import docx
import pytest

from export_study import add_turn, build_study
from exports.board_image import draw_board
from exports.report import ReportOptions, write_report

ONE = ReportOptions(max_statements_per_theme=1)   # leaves each theme statements to quote

SAID = "My manager, Jane Smith, rarely checks in. Call me on 07700 900123 if you need more."


def _paragraphs(path) -> list:
    return docx.Document(str(path)).paragraphs


def _text(path) -> str:
    return "\n".join(p.text for p in _paragraphs(path))


@pytest.fixture
def study(tmp_path):
    """The export study with a transcript turn naming a third party (and a phone number) in
    the first theme, and no quote chosen by the team anywhere."""
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=40)
    theme = ids["themes"]["hybrid"]
    with project.transaction() as db:
        _doc, _start, pid = add_turn(db, SAID, theme)
        db.execute("DELETE FROM evidence WHERE item_kind = 'quote'")
        db.execute("DELETE FROM quotes")
    yield project, ids, pid
    project.close()


def _chapter(path, number: int) -> list:
    """(style, text) of the paragraphs of theme chapter ``number``."""
    out, inside = [], False
    for p in _paragraphs(path):
        if p.style.name == "Heading 1":
            inside = p.text.startswith(f"{number}. ")
        elif inside:
            out.append((p.style.name, p.text))
    return out


def test_no_transcript_passage_is_quoted_unless_the_team_chose_it(study, tmp_path):
    project, ids, _pid = study
    write_report(project, tmp_path / "r.docx", ONE)
    text = _text(tmp_path / "r.docx")
    # the old report quoted the theme's passages verbatim: "My manager, Jane Smith, …"
    assert "Jane Smith" not in text and "rarely checks in" not in text
    passages = [r[0].strip() for r in project.query(
        "SELECT substr(d.text, p.start + 1, p.end - p.start) FROM passages p "
        "JOIN documents d ON d.id = p.document_id")]
    quotes = [p.text[1:-1] for p in _paragraphs(tmp_path / "r.docx")
              if p.style.name == "Quote" and p.text.startswith("“")]
    assert quotes, "the debate's public statements are quoted instead"
    assert not any(q in passages for q in quotes)
    listed = {r[0] for r in project.query("SELECT text FROM statements WHERE moderation >= 0 "
                                          "AND is_meta = 0")}
    assert all(q in listed for q in quotes)
    # the first chapter quoting anyone (chapter 1's statements are the organisers' seeds,
    # which are no participant's words to quote)
    chapter = next(c for c in (_chapter(tmp_path / "r.docx", n) for n in range(1, 20))
                   if any(s == "Quote" and t.startswith("— ") for s, t in c))
    said = [t for s, t in chapter if s == "Quote" and t.startswith("— ")]
    assert said and set(said) == {"— Online debate participant"}
    assert ("Caption", "Not yet chosen by the research team: statements from the online "
            "debate, which every participant could read (see Methodology).") in chapter
    assert "transcripts and workshop notes are never quoted before the team has chosen a " \
        "passage" in text
    # a statement already printed with its figures is not quoted again beneath them
    shared = [t.split("” —")[0][1:] for s, t in chapter if s == "List Bullet" and "” —" in t]
    assert shared and not set(shared) & {t[1:-1] for s, t in chapter
                                          if s == "Quote" and t.startswith("“")}


def test_a_statement_whose_quote_has_no_consent_is_not_quoted(study, tmp_path):
    project, ids, _pid = study
    write_report(project, tmp_path / "before.docx", ONE)
    quoted = [p.text[1:-1] for p in _paragraphs(tmp_path / "before.docx")
              if p.style.name == "Quote" and p.text.startswith("“")]
    statements = [q for q in quoted
                  if project.scalar("SELECT id FROM statements WHERE text = ?", (q,))]
    assert statements, quoted
    first = statements[0]
    sid = project.scalar("SELECT id FROM statements WHERE text = ?", (first,))
    with project.transaction() as db:
        db.execute("INSERT INTO quotes(item_kind, item_id, consent) VALUES ('statement', ?, 0)",
                   (sid,))
    write_report(project, tmp_path / "after.docx", ONE)
    quotes = [p.text for p in _paragraphs(tmp_path / "after.docx") if p.style.name == "Quote"]
    assert f"“{first}”" not in quotes


def test_chosen_quote_keeps_the_name_unless_stripping_is_asked(study, tmp_path):
    project, _ids, pid = study
    with project.transaction() as db:
        db.execute("INSERT INTO quotes(item_kind, item_id) VALUES ('passage', ?)", (pid,))
    write_report(project, tmp_path / "kept.docx")
    text = _text(tmp_path / "kept.docx")
    # chosen by the team: the name is their call; the phone number is masked regardless
    assert "My manager, Jane Smith, rarely checks in." in text
    assert "07700 900123" not in text and "[phone number]" in text
    project.set_setting("strip_personal_data", True)
    write_report(project, tmp_path / "stripped.docx")
    text = _text(tmp_path / "stripped.docx")
    assert "Jane Smith" not in text
    assert "My manager, [name], rarely checks in. Call me on [phone number]" in text


def test_stripping_masks_names_in_every_printed_text(study, tmp_path):
    """Statements (with figures, compared by group, as evidence) and workshop notes are
    participants' words too."""
    project, ids, _pid = study
    sid = ids["statements"][0]
    with project.transaction() as db:
        db.execute("UPDATE statements SET text = 'Ask for Jane Smith in HR, she sorted my "
                   "hybrid contract' WHERE id = ?", (sid,))
        nid = ids["notes"][0][0]
        db.execute("UPDATE notes SET text = 'Talk to Dr Patel or mail ann.lee@example.org' "
                   "WHERE id = ?", (nid,))
    write_report(project, tmp_path / "plain.docx")
    plain = _text(tmp_path / "plain.docx")
    assert "Jane Smith" in plain and "Dr Patel" in plain
    assert "ann.lee@example.org" not in plain and "[e-mail address]" in plain
    project.set_setting("strip_personal_data", True)
    write_report(project, tmp_path / "stripped.docx")
    text = _text(tmp_path / "stripped.docx")
    assert "Jane Smith" not in text and "Patel" not in text
    assert "“Ask for [name] in HR, she sorted my hybrid contract”" in text
    assert "Talk to [name] or mail [e-mail address]" in text


def test_the_board_image_masks_what_the_report_masks(study, tmp_path):
    project, _ids, _pid = study
    svg = draw_board(project, tmp_path / "b.svg").read_text(encoding="utf-8")
    assert "07700 900123" not in svg and "[phone number]" in svg
    assert "Jane Smith" in svg          # not asked to strip: names are the researcher's call
    project.set_setting("strip_personal_data", True)
    svg = draw_board(project, tmp_path / "s.svg").read_text(encoding="utf-8")
    assert "Jane Smith" not in svg and "[name]" in svg and "07700 900123" not in svg
    svg = draw_board(project, tmp_path / "o.svg", strip_personal_data=False
                     ).read_text(encoding="utf-8")
    assert "Jane Smith" in svg


def test_the_board_image_draws_cjk_with_an_installed_font_and_warns_once(study, tmp_path):
    project, ids, _pid = study
    with project.transaction() as db:
        db.execute("UPDATE notes SET text = '在家工作需要更好的网络 👵' WHERE id = ?",
                   (ids["notes"][0][0],))
    from exports.board_image import font_families
    families, missing = font_families(["在家工作需要更好的网络 👵"])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        draw_board(project, tmp_path / "b.png")
    glyphs = [w for w in seen if "missing from font" in str(w.message)]
    assert glyphs == []             # matplotlib warned once per missing glyph (26 for QA's)
    said = [str(w.message) for w in seen if "no font on this machine" in str(w.message)]
    if missing:
        assert len(said) == 1 and "👵" in said[0]
    else:
        assert said == []
    if len(families) == 1:
        pytest.skip("no font with CJK glyphs on this machine")
    assert "在" not in missing
