"""The exported tables keep the report's honesty marks (QA: statements.csv showed "Group B n 4,
% agree 75" with no flag; the recommendations had no attribution, site nor strength; the XLSX had
no characteristics, figures nor quotes): a figure from few votes flagged by the project's own
small-n rule, evidence attributed as the report attributes it, the report's annex of
characteristics with small categories merged, the report's figures with the report's
references, and the quotes, masked when personal data is stripped. Read back from the files,
XLSX with openpyxl and CSV with csv, the same columns in both."""
from __future__ import annotations

import csv

import pytest

from export_study import add_turn, build_study
from exports.tables import write_csv, write_xlsx

SAID = "Ask Jane Smith in HR, she sorted my contract in a week"
MASKED = "Ask [name] in HR, she sorted my contract in a week"
THRESHOLD = 23      # the project's, not the default 10: the tables must read it


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from synth.project import Project
    tmp = tmp_path_factory.mktemp("honesty")
    project = Project.create(tmp / "s.synth")
    ids = build_study(project, tmp, participants=40)
    project.set_setting("small_n_threshold", THRESHOLD)
    hybrid = ids["themes"]["hybrid"]
    manchester = project.scalar("SELECT id FROM notes WHERE site = 'Manchester' ORDER BY id")
    with project.transaction() as db:
        _doc, _start, pid = add_turn(db, SAID, hybrid)
        qid = db.execute("INSERT INTO quotes(item_kind, item_id, start, end) VALUES "
                         "('passage', ?, 0, ?)", (pid, len(SAID))).lastrowid
        db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                   "(?, 'quote', ?, 'support')", (hybrid, qid))
        rec = db.execute("SELECT id FROM recommendations WHERE theme_id = ? ORDER BY position "
                         "LIMIT 1", (hybrid,)).fetchone()[0]
        db.execute("INSERT INTO evidence(recommendation_id, item_kind, item_id, position) "
                   "VALUES (?, 'note', ?, 1)", (rec, manchester))
    out = tmp / "out"
    out.mkdir()
    yield project, out, {**ids, "quote": qid, "note": manchester, "recommendation": rec}
    project.close()


def _xlsx(path, sheet: str) -> list[dict]:
    from openpyxl import load_workbook
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def _csv(folder, name: str) -> tuple[list[str], list[dict]]:
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture(scope="module")
def written(study):
    project, out, ids = study
    xlsx = write_xlsx(project, out / "t.xlsx", strip_personal_data=True)
    folder = write_csv(project, out / "csv", strip_personal_data=True)[0].parent
    return xlsx, folder


def test_every_table_is_in_both_files_with_the_same_columns(written):
    from openpyxl import load_workbook
    xlsx, folder = written
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Statements", "Themes", "Codes", "Recommendations", "Quotes",
                             "Characteristics", "Figures"]
    for ws in wb:
        header, _rows = _csv(folder, ws.title.lower())
        assert [c.value for c in ws[1]] == header, ws.title


def test_small_groups_are_flagged_by_the_projects_threshold(study, written):
    project, _out, _ids = study
    xlsx, folder = written
    rows = _xlsx(xlsx, "Statements")
    header = list(rows[0])
    # the older columns keep their places; the flags stand at the end
    assert header[:12] == ["statement", "id in source", "source", "text", "seed", "agree",
                           "disagree", "pass", "n (voted)", "% agree", "% disagree", "% pass"]
    assert header[-4:] == ["theme", "% agree small n", "Group A % agree small n",
                           "Group B % agree small n"]
    flagged = 0
    for r in rows:
        assert (r["% agree small n"] == f"† fewer than {THRESHOLD} voted") == \
            (r["n (voted)"] < THRESHOLD)
        for g in ("Group A", "Group B"):
            small = 0 < r[f"{g} n"] < THRESHOLD
            assert (r[f"{g} % agree small n"] == f"† fewer than {THRESHOLD} voted") == small
            assert bool(r[f"{g} % agree small n"]) == small     # nothing else said
            flagged += small
    assert flagged >= 5     # Group B (14 people, not all voting) is under 23 on every statement
    assert any(r["Group A % agree small n"] is None for r in rows)   # Group A (26) mostly isn't
    _h, csv_rows = _csv(folder, "statements")
    assert [r["Group B % agree small n"] for r in csv_rows] == \
        [r["Group B % agree small n"] or "" for r in rows]


def test_leaving_figures_out_leaves_the_per_cent_out_and_says_why(study, tmp_path):
    project, _out, _ids = study
    project.set_setting("small_n_action", "suppress")
    try:
        rows = _xlsx(write_xlsx(project, tmp_path / "s.xlsx", which=("statements",)),
                     "Statements")
    finally:
        project.set_setting("small_n_action", "flag")
    small = [r for r in rows if 0 < r["Group B n"] < THRESHOLD]
    assert small and all(r["Group B % agree"] is None and r["Group B % agree small n"] ==
                         f"left out: fewer than {THRESHOLD} voted" for r in small)
    big = [r for r in rows if r["Group A n"] >= THRESHOLD]
    assert big and all(isinstance(r["Group A % agree"], int) for r in big)


def test_recommendations_say_who_said_it_where_and_how_strong(study, written):
    project, _out, ids = study
    from coding.strength import strength
    xlsx, folder = written
    rows = _xlsx(xlsx, "Recommendations")
    assert list(rows[0])[:9] == ["number", "theme", "recommendation", "text", "evidence kind",
                                 "evidence id", "evidence text", "% agree", "n (voted)"]
    note = next(r for r in rows if r["evidence kind"] == "note" and r["evidence id"] == ids["note"])
    assert note["evidence attributed to"] == "Manchester co-design participant"
    assert note["evidence site"] == "Manchester"
    st = strength(project, recommendation_id=ids["recommendation"])
    assert (note["strength"], note["why this strength"]) == (st.level, st.reason)
    assert note["strength"] in ("weak", "moderate", "strong")
    stmt = next(r for r in rows if r["number"] == note["number"]
                and r["evidence kind"] == "statement")
    assert stmt["evidence attributed to"] in ("Online debate participant",
                                              "Seed statement by the debate's organisers")
    assert stmt["evidence site"] is None and stmt["strength"] == note["strength"]
    assert (stmt["% agree small n"] or "") == ("† fewer than 23 voted"
                                               if stmt["n (voted)"] < THRESHOLD else "")
    _h, csv_rows = _csv(folder, "recommendations")
    same = next(r for r in csv_rows if r["evidence kind"] == "note"
                and r["evidence id"] == str(ids["note"]))
    assert same["evidence attributed to"] == "Manchester co-design participant"
    assert same["strength"] == st.level


def test_quotes_are_attributed_and_masked_when_stripping(study, written, tmp_path):
    project, _out, ids = study
    xlsx, folder = written
    rows = _xlsx(xlsx, "Quotes")
    mine = next(r for r in rows if r["quote"] == f"Q{ids['quote']}")
    assert mine["text"] == MASKED and mine["theme"] == "Hybrid working"
    assert mine["attributed to"] == "Manchester co-design participant"
    assert mine["site"] == "Manchester" and mine["chosen by"] == "research team"
    assert len([r for r in rows if r["chosen by"] == "research team"]) == \
        project.scalar("SELECT count(*) FROM quotes")
    values = [str(c) for r in rows for c in r.values() if c]
    assert not any("Jane Smith" in v for v in values)
    _h, csv_rows = _csv(folder, "quotes")
    assert next(r for r in csv_rows if r["quote"] == f"Q{ids['quote']}")["text"] == MASKED
    # not stripping: the words as said; consent withdrawn: none of them
    plain = _xlsx(write_xlsx(project, tmp_path / "p.xlsx", which=("quotes",),
                             strip_personal_data=False), "Quotes")
    assert next(r for r in plain if r["quote"] == f"Q{ids['quote']}")["text"] == SAID
    with project.transaction() as db:
        db.execute("UPDATE quotes SET consent = 0 WHERE id = ?", (ids["quote"],))
    try:
        gone = _xlsx(write_xlsx(project, tmp_path / "w.xlsx", which=("quotes",),
                                strip_personal_data=False), "Quotes")
    finally:
        with project.transaction() as db:
            db.execute("UPDATE quotes SET consent = 1 WHERE id = ?", (ids["quote"],))
    row = next(r for r in gone if r["quote"] == f"Q{ids['quote']}")
    assert row["text"] == "(withheld: consent withdrawn)" and row["attributed to"] is None


def test_characteristics_are_the_reports_annex_with_small_categories_merged(study, written):
    project, _out, _ids = study
    from exports.content import NO_ANSWER, OTHER, characteristics_annex
    xlsx, folder = written
    rows = _xlsx(xlsx, "Characteristics")
    annex = {t.name: t for t in characteristics_annex(project).tables}
    assert {r["characteristic"] for r in rows} == {n.replace("_", " ") for n in annex}
    for r in rows:
        for strand in ("online debate", "workshops"):
            n = r[f"{strand} n"]
            # no one alone in a cell (those who did not answer are told apart by no answer)
            assert n is None or n == 0 or n >= 5 or r["category"] == NO_ANSWER, r
    totals = {r["characteristic"]: r for r in rows if r["category"] == "Total"}
    debate_voters = project.scalar("SELECT count(DISTINCT participant_id) FROM votes")
    assert totals["gender"]["online debate n"] == debate_voters
    assert totals["gender"]["online debate %"] == 100 and totals["gender"]["workshops n"] == 19
    site = {r["category"]: r for r in rows if r["characteristic"] == "site"}
    assert site["Manchester"]["workshops n"] == 12 and site["Cardiff"]["workshops n"] == 7
    assert site["Cardiff"]["workshops %"] == 37          # 7 of 19, half up
    merged = [t for t in annex.values() if t.merged]
    for t in merged:
        other = next(r for r in rows if r["characteristic"] == t.name and r["category"] in
                     (OTHER, "Other or no answer"))
        assert all(m in other["note"] for m in t.merged) and "fewer than 5" in other["note"]
    _h, csv_rows = _csv(folder, "characteristics")
    assert [(r["characteristic"], r["category"], r["workshops n"]) for r in csv_rows] == \
        [(r["characteristic"], r["category"], "" if r["workshops n"] is None
          else str(r["workshops n"])) for r in rows]


def _annex(docx_path) -> list[list[str]]:
    import docx
    table = docx.Document(str(docx_path)).tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:3] == ["Ref", "Figure", "What it is"]
    # the annex gives a statement as "S7, Pol.is comment 6: “first words …”"; a table keeps
    # "S7" (to look it up in the Statements sheet) and the Pol.is id in its own column
    return [r[:3] + [r[3].split(",")[0].split(":")[0]] + r[4:] for r in rows[1:]]


def test_figures_are_the_reports_annex_with_its_references(study, written, tmp_path):
    project, _out, _ids = study
    from exports.report import write_report
    xlsx, folder = written
    annex = _annex(write_report(project, tmp_path / "r.docx").path)
    rows = _xlsx(xlsx, "Figures")
    assert [[r["ref"], r["figure"], r["what it is"], r["statement"] or "", r["counts"],
             r["group or segment"], r["section"], r["computed from"]] for r in rows] == annex
    small = [r for r in rows if r["small n"]]
    assert small and all(r["figure"].endswith("†") and r["out of (n)"] < THRESHOLD
                         for r in small)
    _h, csv_rows = _csv(folder, "figures")
    assert [r["ref"] for r in csv_rows] == [a[0] for a in annex]


def test_report_command_numbers_the_figures_as_the_report_it_wrote(study, tmp_path):
    """A report with a part left out numbers its figures differently: the tables written with
    it follow that report, not one with every part."""
    project, _out, _ids = study
    import argparse
    from exports import cli
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args([str(project.path), "--out", str(tmp_path / "r.docx"),
                              "--without", "introduction", "--xlsx", str(tmp_path / "t.xlsx"),
                              "--csv", str(tmp_path / "csv")])
    project.db.commit()
    assert cli.main(args) == 0
    annex = _annex(tmp_path / "r.docx")
    whole = _xlsx(write_xlsx(project, tmp_path / "whole.xlsx", which=("figures",)), "Figures")
    # without the introduction the headline figures are registered later, in the methodology
    assert [r["what it is"] for r in whole] != [a[2] for a in annex]
    assert whole[0]["what it is"] != annex[0][2]
    assert [[r["ref"], r["what it is"]] for r in _xlsx(tmp_path / "t.xlsx", "Figures")] == \
        [[a[0], a[2]] for a in annex]
    _h, csv_rows = _csv(tmp_path / "csv", "figures")
    assert [[r["ref"], r["figure"]] for r in csv_rows] == [[a[0], a[1]] for a in annex]


def test_the_reports_figures_are_those_a_report_with_the_same_parts_prints(study, tmp_path):
    """exports.report.report_figures: what the tables number their Figures by, for the parts
    asked for, without writing the report."""
    project, _out, _ids = study
    from exports.report import ReportOptions, report_figures, write_report
    options = ReportOptions(introduction=False)
    written = write_report(project, tmp_path / "r.docx", options).figures
    built = report_figures(project, options)
    assert [(f.id, f.text, f.label) for f in built] == \
        [(f.id, f.text, f.label) for f in written]
    assert options.charts                              # the caller's options left as given
    whole = report_figures(project)
    assert [f.label for f in whole] != [f.label for f in built]
    assert [r["ref"] for r in _xlsx(write_xlsx(project, tmp_path / "t.xlsx", which=("figures",)),
                                    "Figures")] == [f.id for f in whole]
