"""The characteristics annex: shares are of everyone in that part of the study, as it says, with
the people who did not answer in a row of their own (QA 52: 10 of 26 voters made 100 %); ages
are banded in numeric order, no one is alone in a cell, and a column left out is named
(QA 46: one row per year of age, ordered by count, five cells of one person, Postcode dropped
without a word)."""
from __future__ import annotations

import docx
import pytest

from exports.report import ReportOptions, write_report

BOROUGHS = ["Southwark"] * 5 + ["Croydon"] * 3 + ["Lambeth"] * 2
AGES = [15, 15, 15, 15, 15, 22, 22, 22, 22, 22, 14, 14, 14, 14, 18, 18, 18, 18, 17, 17, 17,
        13, 20, 21, 23, 24]


@pytest.fixture
def debate(tmp_path):
    """26 voters on two statements; characteristics for some or all of them."""
    from synth.project import Project
    project = Project.create(tmp_path / "d.synth")
    with project.transaction() as db:
        src = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES ('debate', "
                         "'Youth policing', '2025-03-01')").lastrowid
        chars = db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                           "('characteristics', 'people.xlsx', '2025-03-02')").lastrowid
        sids = [db.execute("INSERT INTO statements(source_id, external_id, text) VALUES "
                           "(?,?,?)", (src, str(i), t)).lastrowid
                for i, t in enumerate(["Panels should meet after school",
                                       "Police should publish stop and search data"])]
        pids = []
        for i in range(26):
            pid = db.execute("INSERT INTO participants(source_id, external_id) VALUES (?,?)",
                             (src, str(i))).lastrowid
            pids.append(pid)
            for sid in sids:
                db.execute("INSERT INTO votes(statement_id, participant_id, value) VALUES "
                           "(?,?,1)", (sid, pid))
    yield project, pids, chars
    project.close()


def _tables(path) -> dict[str, list[list[str]]]:
    out = {}
    for t in docx.Document(str(path)).tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        if rows[-1][0] == "Total":
            out[rows[0][0]] = rows
    return out


def _text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_shares_are_of_every_voter_with_a_no_answer_row(debate, tmp_path):
    project, pids, chars = debate
    with project.transaction() as db:
        for pid, borough in zip(pids, BOROUGHS):
            db.execute("INSERT INTO participant_attributes VALUES (?, 'Borough', ?, ?)",
                       (pid, borough, chars))
    write_report(project, tmp_path / "r.docx", ReportOptions())
    rows = _tables(tmp_path / "r.docx")["Borough"]
    # Croydon (3) and Lambeth (2) are too few to show apart: together under "Other"
    assert rows[1:] == [["Southwark", "5", "19%"], ["Other", "5", "19%"],
                        ["No answer", "16", "62%"], ["Total", "26", "100%"]]
    text = _text(tmp_path / "r.docx")
    assert "including those who did not answer (“No answer”)" in text
    assert "“Other”: Croydon and Lambeth, each with fewer than 5 people in a column." in text


def test_ages_are_banded_in_order_and_a_column_left_out_is_named(debate, tmp_path):
    project, pids, chars = debate
    with project.transaction() as db:
        for k, (pid, age) in enumerate(zip(pids, AGES)):
            db.execute("INSERT INTO participant_attributes VALUES (?, 'Age', ?, ?)",
                       (pid, str(age), chars))
            db.execute("INSERT INTO participant_attributes VALUES (?, 'Postcode', ?, ?)",
                       (pid, f"SE{k} 1AA", chars))
    write_report(project, tmp_path / "r.docx", ReportOptions())
    tables = _tables(tmp_path / "r.docx")
    assert "Postcode" not in tables
    # 13–15 (10), 16–17 (3: joined to the smaller of its neighbours), 18–24 (13)
    assert tables["Age"][1:] == [["17 and under", "13", "50%"], ["18–24", "13", "50%"],
                                 ["Total", "26", "100%"]]
    assert all(int(r[1]) >= 5 for r in tables["Age"][1:])
    assert "Left out: Postcode, which has too many different values to show as categories" \
        in _text(tmp_path / "r.docx")


def test_two_carers_are_no_cell_of_their_own_and_nan_is_no_number(debate, tmp_path):
    """Review: "Other" held exactly the 2 carers (the small categories were merged, the merge
    itself not checked), and an age column holding "NaN" stopped the whole report."""
    project, pids, chars = debate
    with project.transaction() as db:
        for k, pid in enumerate(pids):
            db.execute("INSERT INTO participant_attributes VALUES (?, 'Carer', ?, ?)",
                       (pid, "Yes" if k < 2 else "No", chars))
            db.execute("INSERT INTO participant_attributes VALUES (?, 'Years', ?, ?)",
                       (pid, "NaN" if k == 3 else str(k % 7), chars))
    write_report(project, tmp_path / "r.docx", ReportOptions())
    tables = _tables(tmp_path / "r.docx")
    assert tables["Carer"][1:] == [["No", "24", "92%"], ["Other or no answer", "2", "8%"],
                                   ["Total", "26", "100%"]]
    assert "“Other or no answer”: Yes, with fewer than 5 people in a column, with those " \
        "who did not answer, so that no one can be told apart." in _text(tmp_path / "r.docx")
    assert "Years" in tables                     # read as categories, not bands


def test_a_category_joined_to_other_is_not_said_to_be_small(debate, tmp_path):
    """Review: "Other" held the 2 non-binary people and, so that they could not be worked out,
    the 6 who preferred not to say; the note said both had "fewer than 5 people"."""
    project, pids, chars = debate
    genders = ["Non-binary"] * 2 + ["Prefer not to say"] * 6 + ["Woman"] * 10 + ["Man"] * 8
    with project.transaction() as db:
        for pid, gender in zip(pids, genders):
            db.execute("INSERT INTO participant_attributes VALUES (?, 'Gender', ?, ?)",
                       (pid, gender, chars))
    write_report(project, tmp_path / "r.docx", ReportOptions())
    assert _tables(tmp_path / "r.docx")["Gender"][1:] == [
        ["Woman", "10", "38%"], ["Man", "8", "31%"], ["Other", "8", "31%"],
        ["Total", "26", "100%"]]
    assert ("“Other”: Non-binary, with fewer than 5 people in a column; Prefer not to say, "
            "added so that it cannot be worked out from the rest.") in _text(tmp_path / "r.docx")
