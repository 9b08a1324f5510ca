"""The research team's words are not printed as participants' (QA 18, 54); the notes the report
prints are checked for personal data as quotes are, and a theme name the analysis made of a
person's name does not print it (QA 40)."""
from __future__ import annotations

import docx
import pytest

from coding.quotes import MarkQuote, attribution_for
from export_study import build_study
from exports.content import printed_item_findings
from exports.report import ReportOptions, write_report


@pytest.fixture
def study(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=30)
    yield project, tmp_path, ids
    project.close()


def _chapter(path, title: str) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs of one theme chapter."""
    out, inside = [], False
    for p in docx.Document(str(path)).paragraphs:
        if p.style.name.startswith("Heading 1"):
            inside = p.text.endswith(title)
            continue
        if inside:
            out.append((p.style.name, p.text))
    return out


def _section(chapter: list[tuple[str, str]], heading: str) -> list[str]:
    out, inside = [], False
    for style, text in chapter:
        if style.startswith("Heading"):
            inside = text == heading
        elif inside:
            out.append(text)
    return out


def test_a_facilitators_note_is_not_what_participants_want_to_see(study):
    project, tmp, ids = study
    theme = ids["themes"]["wellbeing"]
    with project.transaction() as db:
        db.execute("DELETE FROM evidence WHERE theme_id = ? AND item_kind = 'note'", (theme,))
        db.execute("UPDATE notes SET author_role = 'facilitator' WHERE text LIKE 'Team days%'")
        src = db.execute("SELECT source_id FROM notes WHERE text LIKE 'Team days%'").fetchone()[0]
        nid = db.execute("INSERT INTO notes(source_id, text, site, activity, dot_votes) VALUES "
                         "(?, 'Get Ms Adeyemi from the youth club involved, she knows everyone',"
                         " 'Cardiff', 'add', 1)", (src,)).lastrowid
        db.execute("INSERT INTO card_places(card_kind, card_id, theme_id) VALUES "
                   "('note', ?, ?)", (nid, theme))
    write_report(project, tmp / "r.docx", ReportOptions(strip_personal_data=True))
    want = _section(_chapter(tmp / "r.docx", "Wellbeing"), "What participants want to see")
    assert not [w for w in want if "Team days" in w]
    assert "“Get [name] from the youth club involved, she knows everyone” (Cardiff co-design " \
           "participant)" in want
    # what the export dialog lists: the notes the report prints are checked as quotes are
    found = [(f.kind, f.item, f.finding.text) for f in printed_item_findings(project)]
    assert ("note", nid, "Ms Adeyemi") in found

    # linked by the team as evidence, the facilitator's note is printed as a facilitator's
    note = project.scalar("SELECT id FROM notes WHERE text LIKE 'Team days%'")
    with project.transaction() as db:
        db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                   "(?, 'note', ?, 'want')", (theme, note))
    write_report(project, tmp / "r2.docx", ReportOptions(strip_personal_data=False))
    want = _section(_chapter(tmp / "r2.docx", "Wellbeing"), "What participants want to see")
    assert "“Team days in the office that have a purpose” (Cardiff workshop facilitator)" in want


def test_a_facilitators_turn_is_quoted_as_the_facilitators(study):
    project, tmp, ids = study
    turn = project.scalar("SELECT p.id FROM passages p JOIN documents d ON d.id = p.document_id "
                          "WHERE p.speaker_role = 'facilitator' AND d.site = 'Manchester' "
                          "ORDER BY p.id LIMIT 1")
    assert attribution_for(project, "passage", turn) == "Manchester workshop facilitator"
    q = project.history.apply(MarkQuote("passage", turn))
    assert project.scalar("SELECT attribution FROM quotes WHERE id = ?", (q,)) == \
        "Manchester workshop facilitator"
    # a quote marked before turns were attributed by role keeps no participant's label
    old = project.history.apply(MarkQuote("passage", turn, attribution="Manchester co-design "
                                                                        "participant"))
    theme = ids["themes"]["tech"]
    with project.transaction() as db:
        db.execute("DELETE FROM evidence WHERE item_kind = 'quote'")
        db.execute("DELETE FROM quotes WHERE id != ?", (old,))
        db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                   "(?, 'quote', ?, 'support')", (theme, old))
    write_report(project, tmp / "r.docx", ReportOptions())
    words = _section(_chapter(tmp / "r.docx", "Technology and the office"),
                     "In participants' words")
    assert words == ["“Let's start with scenario A, fully remote.”",
                     "— Manchester workshop facilitator"]


def test_seed_statements_are_not_quoted_as_participants(study):
    project, tmp, ids = study
    theme = ids["themes"]["hybrid"]      # its three statements are the organisers' seeds
    with project.transaction() as db:
        db.execute("DELETE FROM evidence WHERE item_kind = 'quote'")
        db.execute("DELETE FROM quotes")
        # a participant's statement among the seeds, with a text long enough to quote
        sid = ids["statements"][9]
        db.execute("UPDATE card_places SET theme_id = ? WHERE card_kind = 'statement' AND "
                   "card_id = ?", (theme, sid))
    seed = ids["statements"][0]
    assert attribution_for(project, "statement", seed) == \
        "Seed statement by the debate's organisers"
    write_report(project, tmp / "r.docx", ReportOptions())
    words = _section(_chapter(tmp / "r.docx", "Hybrid working"), "In participants' words")
    quoted = [w for w in words if w.startswith("“")]
    assert quoted == ["“People on compressed hours are treated as less committed.”"]
    seeds = {project.scalar("SELECT text FROM statements WHERE id = ?", (s,))
             for s in ids["statements"][:8]}
    assert not [w for w in words if w.strip("“”") in seeds]


def test_a_theme_name_made_of_a_persons_name_does_not_print_it(study):
    project, tmp, ids = study
    theme = ids["themes"]["tech"]
    with project.transaction() as db:
        db.execute("UPDATE themes SET name = 'Panel & Holloway', name_edited = 0, "
                   "status = 'candidate', description = '', keywords = ? WHERE id = ?",
                   ('["panel", "Holloway", "Mike"]', theme))
        src = db.execute("SELECT source_id FROM notes LIMIT 1").fetchone()[0]
        nid = db.execute("INSERT INTO notes(source_id, text, site, activity) VALUES (?, 'Ask "
                         "Sergeant Mike Holloway to run the panel training', 'Cardiff', 'add')",
                         (src,)).lastrowid
        db.execute("INSERT INTO card_places(card_kind, card_id, theme_id) VALUES "
                   "('note', ?, ?)", (nid, theme))
        db.execute("UPDATE themes SET status = 'candidate'")
    write_report(project, tmp / "r.docx", ReportOptions())
    text = "\n".join(p.text for p in docx.Document(str(tmp / "r.docx")).paragraphs)
    assert "Holloway" not in text and "Mike" not in text
    assert "Panel & [name]" in text
