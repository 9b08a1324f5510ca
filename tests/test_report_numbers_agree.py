"""Numbers in the Word report that must agree with each other and with the votes, read back from
the .docx: the headline, the methodology's "N people cast V votes on S statements" and the
characteristics annex count the same people and votes; the headline's references read F1, F2,
F3 … in order; and a small opinion group gets a comparison with its figures marked †, not an
empty section."""
from __future__ import annotations

import re

import docx
import pytest

from export_study import build_study
from exports.report import write_report

REF = re.compile(r"^([\d,]+)(†?)(F\d+)$")


def _annex(document) -> dict[str, list[str]]:
    for t in document.tables:
        if [c.text for c in t.rows[0].cells][:2] == ["Ref", "Figure"]:
            return {r.cells[0].text: [c.text for c in r.cells] for r in t.rows[1:]}
    raise AssertionError("no traceability annex")


def _headline(document) -> list[tuple[str, str, str]]:
    """(number, reference, label) of each row of the headline table."""
    t = next(t for t in document.tables if len(t.columns) == 2 and REF.match(
        t.rows[0].cells[0].text))
    out = []
    for r in t.rows:
        m = REF.match(r.cells[0].text)
        out.append((m.group(1), m.group(3), r.cells[1].text))
    return out


@pytest.fixture
def study(tmp_path):
    """The export study plus what the QA found in real debates: votes on a moderated-out
    statement (one person voted only there), and a debate participant with characteristics
    who never voted."""
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    build_study(project, tmp_path, participants=40)
    with project.transaction() as db:
        debate = db.execute("SELECT id FROM sources WHERE kind = 'debate'").fetchone()[0]
        spam = db.execute("SELECT id FROM statements WHERE moderation < 0").fetchone()[0]
        chars = db.execute("SELECT id FROM sources WHERE kind = 'characteristics'").fetchone()[0]
        for pid in (1, 2, 3):
            db.execute("INSERT INTO votes(statement_id, participant_id, value) VALUES (?,?,-1)",
                       (spam, pid))
        for ext in ("only-spam", "never-voted"):
            pid = db.execute("INSERT INTO participants(source_id, external_id) VALUES (?,?)",
                             (debate, ext)).lastrowid
            db.execute("INSERT INTO participant_attributes VALUES (?,?,?,?)",
                       (pid, "gender", "Woman", chars))
            if ext == "only-spam":
                db.execute("INSERT INTO votes(statement_id, participant_id, value) "
                           "VALUES (?,?,1)", (spam, pid))
    yield project
    project.close()


def test_headline_methodology_and_annex_count_the_same_people_and_votes(study, tmp_path):
    project = study
    write_report(project, tmp_path / "r.docx")
    d = docx.Document(str(tmp_path / "r.docx"))
    listed = "statement_id IN (SELECT id FROM statements WHERE moderation >= 0 AND is_meta = 0)"
    voters = project.scalar(f"SELECT count(DISTINCT participant_id) FROM votes WHERE {listed}")
    votes = project.scalar(f"SELECT count(*) FROM votes WHERE {listed}")
    statements = project.scalar("SELECT count(*) FROM statements WHERE moderation >= 0 AND "
                                "is_meta = 0")
    assert votes < project.scalar("SELECT count(*) FROM votes")      # 4 on the spam
    head = {label: (n, ref) for n, ref, label in _headline(d)}
    assert head["people took part in the online debate"][0] == f"{voters:,}"
    assert head["statements were voted on"][0] == f"{statements:,}"
    assert head["agree, disagree or pass votes were cast on these statements"][0] == \
        f"{votes:,}"
    # the methodology's sentence cites the same figures, by the same references
    sentence = next(p.text for p in d.paragraphs if " people cast " in p.text)
    people = head["people took part in the online debate"]
    cast = head["agree, disagree or pass votes were cast on these statements"]
    on = head["statements were voted on"]
    assert f"{people[0]}{people[1]} people cast {cast[0]}{cast[1]} votes on {on[0]}{on[1]} " \
           "statements" in sentence
    annex = _annex(d)
    assert annex[cast[1]][1] == f"{votes:,}" and "4 votes on moderated-out" in annex[cast[1]][7]
    # the characteristics annex's debate column counts the headline's people
    gender = next(t for t in d.tables if t.rows[0].cells[0].text == "Gender")
    header = [c.text for c in gender.rows[0].cells]
    total = gender.rows[-1].cells[header.index("Online debate (n)")].text
    assert total == f"{voters:,}"
    assert any("2 people with characteristics who did not vote" in p.text for p in d.paragraphs)


def test_headline_references_read_in_order(study, tmp_path):
    write_report(study, tmp_path / "r.docx")
    refs = [int(ref[1:]) for _n, ref, _label in _headline(docx.Document(str(tmp_path /
                                                                               "r.docx")))]
    assert len(refs) >= 6                   # with seed and added statements, and two cities
    assert refs == list(range(1, len(refs) + 1))


@pytest.fixture
def small_group(tmp_path):
    """A debate whose second opinion group has 8 people: no statement reaches 10 votes in it."""
    from synth.project import Project
    project = Project.create(tmp_path / "g.synth")
    build_study(project, tmp_path, participants=24)
    yield project
    project.close()


def _section(document, title: str) -> list[str]:
    out, inside = [], False
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            inside = p.text == title
        elif inside:
            out.append(p.text)
    return out


def test_a_small_opinion_group_is_compared_with_its_figures_marked(small_group, tmp_path):
    project = small_group
    run = project.scalar("SELECT max(run_id) FROM group_members")
    sizes = [r[0] for r in project.query("SELECT count(*) FROM group_members WHERE run_id = ? "
                                         "GROUP BY group_id ORDER BY group_id", (run,))]
    assert sizes[1] < 10
    write_report(project, tmp_path / "r.docx")
    d = docx.Document(str(tmp_path / "r.docx"))
    annex = _annex(d)
    differ = _section(d, "Where the groups differ")
    assert not any("No statement was voted on" in p for p in differ)
    assert any(f"Group B ({sizes[1]} people) has fewer than 10 votes on every statement" in p
               for p in differ)
    bullets = [p for p in differ if " — Group A " in p]
    assert len(bullets) == 3
    gids = [r[0] for r in project.query("SELECT DISTINCT group_id FROM group_members WHERE "
                                        "run_id = ? ORDER BY group_id", (run,))]
    for p in bullets:
        for letter, gid in zip("AB", gids):
            pct, flag, ref = re.search(rf"Group {letter} (\d+)%(†?)(F\d+) agree \(n = (\d+)\)",
                                       p).groups()[:3]
            row = annex[ref]
            sid = int(re.match(r"S(\d+)", row[3]).group(1))
            a, n = project.query("SELECT sum(v.value = 1), count(*) FROM votes v JOIN "
                                 "group_members g ON g.participant_id = v.participant_id AND "
                                 "g.run_id = ? WHERE v.statement_id = ? AND g.group_id = ?",
                                 (run, sid, gid))[0]
            assert int(pct) == int(100 * a / n + 0.5) and row[1].rstrip("†") == f"{pct}%"
            assert (flag == "†") == (n < 10)
            if letter == "B":
                assert flag == "†" and n >= sizes[1] / 2
    assert "Figures based on fewer than 10 votes are marked †; read them with care." in differ


def test_when_small_figures_are_left_out_the_section_says_why(small_group, tmp_path):
    small_group.set_setting("small_n_action", "suppress")
    write_report(small_group, tmp_path / "r.docx")
    differ = _section(docx.Document(str(tmp_path / "r.docx")), "Where the groups differ")
    assert len(differ) == 1 and "fewer than 10 votes on every statement, and figures from " \
        "fewer than 10 votes are left out of this report" in differ[0]
