"""The same rows in other bytes (Excel's re-save in another encoding) are the same data (QA 5)."""
from __future__ import annotations

import pytest

from synth.importers import import_path
from synth.importers.fingerprints import AlreadyImported, same_text

HEADER = "Note ID;City;Sticky note text;Dot votes\n"
ROWS = [f"L-{i:02d};Lambeth;Note “{i}” – about pay\u00a0and time;{i}\n" for i in range(1, 28)]


def test_the_same_notes_saved_in_another_encoding_are_refused_whole(project, tmp_path):
    a = tmp_path / "sticky_notes_utf8bom.csv"
    a.write_bytes(b"\xef\xbb\xbf" + (HEADER + "".join(ROWS)).encode("utf-8"))
    import_path(project, a, name="Sticky notes (typed up)")
    b = tmp_path / "sticky_notes_utf16.csv"
    b.write_bytes((HEADER.replace(";", "\t") + "".join(r.replace(";", "\t") for r in ROWS)
                   ).encode("utf-16"))
    with pytest.raises(AlreadyImported) as e:
        import_path(project, b)
    assert str(e.value).startswith(
        f"{b}: 27 of the 27 notes in sticky_notes_utf16.csv have the id and text of notes already "
        "imported from “Sticky notes (typed up)”, imported ")
    assert project.scalar("SELECT count(*) FROM notes") == 27
    assert project.scalar("SELECT count(*) FROM sources") == 1
    # asked for, it imports, saying so
    (report,) = import_path(project, b, again=True)
    assert report.counts["notes"] == 27
    assert any(w.endswith(": they are now held twice") for w in report.warnings)
    assert project.scalar("SELECT count(*) FROM notes") == 54


def test_statements_already_held_are_refused_and_a_few_in_common_said(project, tmp_path):
    a = tmp_path / "t.csv"
    a.write_text("Id,Statement,Agree,Disagree\n"
                 + "".join(f"s{i},Statement {i},3,1\n" for i in range(10)), encoding="utf-8")
    import_path(project, a)
    b = tmp_path / "t.xlsx"
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["Id", "Statement", "Agree", "Disagree"])
    for i in range(10):
        wb.active.append([f"s{i}", f"statement  {i}", 3, 1])
    wb.save(b)
    with pytest.raises(AlreadyImported):
        import_path(project, b)
    c = tmp_path / "c.csv"
    c.write_text("Statement,Agree,Disagree\n" + "".join(f"Statement {i},3,1\n" for i in range(3))
                 + "".join(f"New {i},1,1\n" for i in range(7)), encoding="utf-8")
    (report,) = import_path(project, c)
    assert report.counts["statements"] == 10
    (said,) = [w for w in report.warnings if "have the text" in w]
    assert said.startswith("3 of the 10 statements in c.csv have the text of statements "
                           "already imported from “t”, imported ")
    assert said.endswith(" UTC: are these the same statements? They are now held twice")


def test_the_same_texts_without_ids_are_imported_with_a_warning(project, tmp_path):
    a = tmp_path / "n.csv"
    a.write_text("site,text\nLeeds,Pay\nLeeds,Time\nLeeds,Trust\n", encoding="utf-8")
    import_path(project, a)
    b = tmp_path / "n16.csv"
    b.write_text("site,text\nLeeds,Pay\nLeeds,Time\nLeeds,Trust\n", encoding="utf-16")
    (report,) = import_path(project, b)
    assert report.counts["notes"] == 3
    (said,) = [w for w in report.warnings if "have the text" in w]
    assert said.startswith("3 of the 3 notes in n16.csv have the text of notes already "
                           "imported from “n”, ") and said.endswith(": they are now held twice")


def test_texts_compare_without_case_spacing_and_typographic_quotes():
    assert same_text("It’s  “fine” – really\u00a0") == same_text("it's \"FINE\" - really")
    assert same_text("Café") == same_text("Cafe\u0301")
    assert same_text("pay") != same_text("play")
