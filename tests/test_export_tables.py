"""Spreadsheet exports: the figures are the votes' figures, and a hostile cell never runs."""
from __future__ import annotations

import csv
import zipfile

import pytest

from export_study import build_study
from exports.tables import neutralise, write_csv, write_xlsx

HOSTILE = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1", "\r=1",
           "=HYPERLINK(\"http://evil.example\",\"x\")"]


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from synth.project import Project
    tmp = tmp_path_factory.mktemp("tables")
    project = Project.create(tmp / "s.synth")
    build_study(project, tmp, participants=40)
    src = project.scalar("SELECT id FROM sources WHERE kind = 'workshop' LIMIT 1")
    with project.transaction():
        for text in HOSTILE:
            project.db.execute("INSERT INTO notes(source_id, text, site) VALUES (?, ?, ?)",
                               (src, text, "=cmd|' /C calc'!A0"))
    tid = project.scalar("SELECT id FROM themes ORDER BY id LIMIT 1")
    from synth import board
    notes = [("note", r[0]) for r in project.query("SELECT id FROM notes WHERE text IN (%s)" %
                                                   ",".join("?" * len(HOSTILE)), HOSTILE)]
    project.history.apply(board.MoveCards(notes, tid))
    project.history.apply(board.UpdateTheme(tid, {"name": "=EVIL()"}))
    yield project, tmp
    project.close()


def test_neutralise():
    for v in HOSTILE:
        assert neutralise(v) == "'" + v
    assert neutralise("fine") == "fine" and neutralise(-3) == -3 and neutralise(None) is None


def test_csv_has_no_cell_a_spreadsheet_would_run(study):
    project, tmp = study
    paths = write_csv(project, tmp / "csv")
    assert {p.name for p in paths} == {"statements.csv", "themes.csv", "codes.csv",
                                       "recommendations.csv", "quotes.csv",
                                       "characteristics.csv", "figures.csv"}
    seen_hostile = 0
    for p in paths:
        with open(p, encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (p.name, cell)
                    if cell.startswith("-"):
                        float(cell)  # only a negative number may start with a minus
                    if cell.startswith("'") and cell[1:] in HOSTILE + ["=EVIL()"]:
                        seen_hostile += 1
    assert seen_hostile >= len(HOSTILE)


def test_xlsx_holds_hostile_text_as_text_not_formulas(study):
    project, tmp = study
    path = write_xlsx(project, tmp / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode() and "<f " not in z.read(name).decode()
    from openpyxl import load_workbook
    wb = load_workbook(path)
    assert wb.sheetnames == ["Statements", "Themes", "Codes", "Recommendations", "Quotes",
                             "Characteristics", "Figures"]
    texts = {c.value for row in wb["Themes"].iter_rows() for c in row}
    assert set(HOSTILE) <= texts and "=EVIL()" in texts   # kept verbatim, as text
    for row in wb["Themes"].iter_rows():
        for c in row:
            assert c.data_type != "f"


def test_statement_figures_equal_the_votes(study):
    project, tmp = study
    from openpyxl import load_workbook
    ws = load_workbook(write_xlsx(project, tmp / "t2.xlsx"))["Statements"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == project.scalar("SELECT count(*) FROM statements WHERE moderation >= 0 "
                                       "AND is_meta = 0")
    for r in rows:
        sid = int(r["statement"][1:])
        a, d, p = project.query("SELECT sum(value=1), sum(value=-1), sum(value=0) FROM votes "
                                "WHERE statement_id = ?", (sid,))[0]
        assert (r["agree"], r["disagree"], r["pass"]) == (a, d, p)
        assert r["n (voted)"] == a + d + p
        assert r["% agree"] == (200 * a + a + d + p) // (2 * (a + d + p))
    recs = load_workbook(tmp / "t2.xlsx")["Recommendations"]
    numbers = {r[0].value for r in recs.iter_rows(min_row=2)}
    assert {"1.1", "1.2", "1.3", "5.3"} <= numbers


def test_a_write_reads_what_the_sheets_share_once(study, monkeypatch):
    """The themes' contents, the statements' figures and the groups in use are read once for
    a whole write, not by each sheet (nor by each recommendation's strength), and each sheet
    written alone is the same as in the write."""
    import exports.content as C
    import exports.tables as T
    import synth.votes.statement_figures as SF
    project, _tmp = study
    which = [w for w in T.SHEETS if w != "figures"]   # the report's figures: built anew
    alone = {w: T.SHEETS[w](project, False) for w in which}
    # recommendations with group figures: strength() alone would read the groups for each
    from coding.strength import strength
    recs = [r[0] for r in project.query("SELECT id FROM recommendations")]
    assert sum(bool(strength(project, recommendation_id=r).groups) for r in recs) > 1
    calls: dict[str, int] = {}

    def counted(module, name):
        real = getattr(module, name)

        def wrapper(*a, **kw):
            calls[name] = calls.get(name, 0) + 1
            return real(*a, **kw)
        monkeypatch.setattr(module, name, wrapper)
    counted(C, "theme_contents")
    counted(T, "statement_tallies")
    counted(T, "groups_in_use")
    counted(SF, "groups_in_use")       # what strength() reads when not given them
    together = T.sheets(project, which, strip_personal_data=False)
    assert calls == {"theme_contents": 1, "statement_tallies": 1, "groups_in_use": 1}
    assert [s.name for s in together] == ["Statements", "Themes", "Codes", "Recommendations",
                                          "Quotes", "Characteristics"]
    for w, s in zip(which, together):
        assert (s.header, s.rows) == (alone[w].header, alone[w].rows), w
