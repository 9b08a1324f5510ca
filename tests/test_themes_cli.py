"""`python main.py themes FILE.csv`: reading the texts (the shared table reader) and its errors.
No embedding is run here: the reading is checked on its own, the errors through main()."""
from __future__ import annotations

import main as synth_main
from synth.errors import ImportProblem
from synth.themes.cli import read_rows


def _csv(tmp_path, text: str, name: str = "texts.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_one_text_per_data_row_blank_rows_kept_so_indexes_match_the_file(tmp_path):
    p = _csv(tmp_path, "id,text\r\n1,  Pay is low  \r\n,\r\n\r\n3,\"two\r\nlines\"\r\n4,\r\n,,\r\n"
                       "\r\n\r\n")
    # the empty line is a blank row, as a spreadsheet shows it; "," and ",," are rows; the
    # empty lines closing the file are not
    assert read_rows(str(p), "text")[0] == ["Pay is low", "", "", "two\r\nlines", "", ""]
    from synth.importers.common import read_table
    assert read_table(p, keep_blank_rows=True).row_numbers == [2, 3, 4, 5, 6, 7]


def _sheet(tmp_path, rows: list[str | None]):
    """The same one-column sheet as .xlsx and as the .csv a spreadsheet saves of it (a blank
    row of a one-column sheet is an empty line)."""
    import csv
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["text"])
    for t in rows:
        wb.active.append([t])
    wb.save(tmp_path / "sheet.xlsx")
    with open(tmp_path / "sheet.csv", "w", newline="", encoding="utf-8") as f:
        f.write("text\r\n")
        w = csv.writer(f)
        for t in rows:
            w.writerow([t] if t else [])
    return tmp_path / "sheet.xlsx", tmp_path / "sheet.csv"


def test_a_sheet_and_its_csv_give_the_same_rows_at_the_same_indexes(tmp_path):
    from synth.importers.common import read_table
    rows = ["Pay is low", None, "The VPN drops", "Two\nlines", None, None, "Desks are short"]
    xlsx, csv_file = _sheet(tmp_path, rows)
    expected = ["Pay is low", "", "The VPN drops", "Two\nlines", "", "", "Desks are short"]
    assert read_rows(str(xlsx), "text")[0] == expected
    assert read_rows(str(csv_file), "text")[0] == expected
    # the row numbers a spreadsheet shows, the same for both
    assert read_table(xlsx, keep_blank_rows=True).row_numbers == [2, 3, 4, 5, 6, 7, 8]
    assert read_table(csv_file, keep_blank_rows=True).row_numbers == [2, 3, 4, 5, 6, 7, 8]


def test_a_one_column_csv_whose_texts_hold_semicolons_is_one_column(tmp_path):
    # one ";" in every text: csv.Sniffer took it for the delimiter, and refused row 2
    texts = [f"Point number {i} is here; table {i}" for i in range(30)]
    p = _csv(tmp_path, "text\r\n" + "".join(f"{t}\r\n" for t in texts))
    assert read_rows(str(p), "text")[0] == texts
    # tabs and commas in the texts of a one-column file neither
    p = _csv(tmp_path, "text\n" + "a\tb\n" * 5 + "\"x, y\"\n")
    assert read_rows(str(p), "text")[0] == ["a\tb"] * 5 + ["x, y"]


def test_the_delimiter_is_the_headers(tmp_path):
    from synth.importers.common import read_table
    assert read_table(_csv(tmp_path, "id;text\n1;a, b, c\n2;d, e\n")).rows == \
        [["1", "a, b, c"], ["2", "d, e"]]
    assert read_table(_csv(tmp_path, "id\ttext\n1\ta; b, c\n", name="t.tsv")).rows == \
        [["1", "a; b, c"]]
    # a quoted header name holding ";" is no ";" delimiter
    assert read_table(_csv(tmp_path, '"id; no",text\n1,a;b\n')).headers == ["id; no", "text"]
    # the header holds both: the one that splits the rows as the header is split
    assert read_table(_csv(tmp_path, "id;text,more\n1;a\n2;b\n")).rows == [["1", "a"],
                                                                           ["2", "b"]]


def test_column_names_and_encodings_as_every_other_import(tmp_path):
    p = _csv(tmp_path, "Id;Text\n1;Café “au lait”\n", encoding="cp1252", name="w.csv")
    assert read_rows(str(p), "text")[0] == ["Café “au lait”"]


def _error(tmp_path, capsys, text: str) -> str:
    p = _csv(tmp_path, text)
    assert synth_main.main(["themes", str(p), "--text-column", "text"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"synth themes: {p}")
    return err[len(f"synth themes: {p}"):]


def test_errors_name_the_file_row_and_column(tmp_path, capsys):
    assert _error(tmp_path, capsys, "a,b\n1,2\n") == \
        ", row 1: no column named “text” (found: a, b)"
    assert _error(tmp_path, capsys, 'text\nfine\n"never closed\n') == \
        ", row 3: the file ends inside a quoted cell (truncated, or a quote is not closed)"
    assert _error(tmp_path, capsys, "") == ": the file is empty"
    assert _error(tmp_path, capsys, "text\nok\x00\n") == \
        ", row 2, column “text”: the file holds binary data (a NUL byte), not text"


def test_a_row_wider_than_the_header_is_refused_not_cut_short(tmp_path, capsys):
    # an unquoted comma inside a text: csv.DictReader kept "Pay is low" and dropped the rest
    assert _error(tmp_path, capsys, "id,text\n1,Pay is low, and rising\n") == \
        ", row 2: the row has 3 cells but the header names 2 columns"


def test_missing_file(tmp_path):
    try:
        read_rows(str(tmp_path / "nope.csv"), "text")[0]
    except ImportProblem as e:
        assert str(e) == f"{tmp_path / 'nope.csv'}: no such file"
    else:
        raise AssertionError("no error for a missing file")


def test_a_spreadsheets_formatted_empty_rows_after_the_last_text_are_not_texts(tmp_path):
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["text"])
    ws.append(["Pay has fallen behind"])
    ws.append([None])                       # a blank row between texts keeps its place
    ws.append(["The VPN drops"])
    ws["A10"].font = Font(bold=True)        # formatted, empty: Excel keeps it as a row
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    assert read_rows(str(path), "text")[0] == ["Pay has fallen behind", "", "The VPN drops"]


def test_max_unsorted_is_a_share_from_0_to_1_refused_at_parsing(tmp_path, capsys):
    import argparse

    import pytest

    from synth.themes.cli import configure
    parser = argparse.ArgumentParser(prog="synth themes")
    configure(parser)
    for ok, share in (("0", 0.0), ("0.25", 0.25), ("1", 1.0)):
        assert parser.parse_args(["t.csv", "--max-unsorted", ok]).max_unsorted == share
    assert parser.parse_args(["t.csv"]).max_unsorted == 0.10
    for bad in ("-1", "5", "nan", "NaN", "inf", "-inf", "1.0001", "a tenth"):
        with pytest.raises(SystemExit):
            parser.parse_args(["t.csv", f"--max-unsorted={bad}"])
        assert (f"argument --max-unsorted: {bad}: the share of texts left unsorted must be a "
                "number from 0 to 1") in capsys.readouterr().err


def test_the_json_is_strict_nan_is_refused_not_written(tmp_path, monkeypatch, capsys):
    import synth.themes.cli as themes_cli
    p = _csv(tmp_path, "text\nPay is low\n")
    out = tmp_path / "out.json"
    monkeypatch.setattr(themes_cli, "run", lambda texts, **kw: {
        "themes": [], "blank_rows": [], "seconds": 0.1,
        "params": {"unsorted": 0, "max_unsorted": float("nan")}})
    assert synth_main.main(["themes", str(p), "--json", str(out)]) == 1
    assert not out.exists()
    assert capsys.readouterr().err.startswith(
        "synth themes: the result holds a number JSON cannot carry (Out of range float values "
        "are not JSON compliant")


def test_an_exact_column_name_is_taken_before_one_differing_in_case(tmp_path):
    p = _csv(tmp_path, "Text,text\nthe title,the note\n")
    assert read_rows(str(p), "text")[0] == ["the note"]          # was ["the title"]
    assert read_rows(str(p), "Text")[0] == ["the title"]
    assert read_rows(str(_csv(tmp_path, "id,TEXT\n1,only\n", "b.csv")), "text")[0] == ["only"]


def test_one_theme_is_said_in_the_singular(tmp_path, monkeypatch, capsys):
    import synth.themes.cli as themes_cli
    p = _csv(tmp_path, "text\nPay is low\n\n")
    monkeypatch.setattr(themes_cli, "run", lambda texts, **kw: {
        "themes": [{"id": 0}], "blank_rows": [1], "seconds": 0.5, "params": {"unsorted": 0}})
    out = tmp_path / "out.json"
    assert synth_main.main(["themes", str(p), "--json", str(out)]) == 0
    assert capsys.readouterr().out == f"1 theme, 0 unsorted, 1 blank row skipped, 0.5 s → {out}\n"


def test_statements_the_moderators_rejected_are_not_clustered(tmp_path, capsys):
    """QA: on a Pol.is comments.csv the command line clustered the rejected statements too (289
    of 896 for Bowling Green), where the window leaves them off the board."""
    import json
    p = tmp_path / "comments.csv"
    rows = [("1", "Bus routes should reach the new estates"), ("-1", "buy cheap watches here"),
            ("0", "More buses on Sundays"), ("1", "Cycle lanes on the bypass"),
            ("-1", "test test"), ("1", "Safer crossings near schools")]
    p.write_text("comment-id,moderated,comment-body\n"
                 + "".join(f"{i},{m},{t}\n" for i, (m, t) in enumerate(rows)), encoding="utf-8")
    out = tmp_path / "out.json"
    assert synth_main.main(["themes", str(p), "--text-column", "comment-body", "--k", "2",
                            "--json", str(out)]) == 0
    said = capsys.readouterr().out
    assert "2 rows the moderators rejected skipped" in said
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rejected_rows"] == [1, 4]
    assert [data["assignments"][i] for i in (1, 4)] == [-1, -1]
    clustered = [i for i in range(6) if i not in (1, 4)]
    assert sum(t["size"] for t in data["themes"]) + data["params"]["unsorted"] == len(clustered)
    assert data["params"]["rejected_rows"] == 2 and data["params"]["texts"] == 6


def test_fewer_themes_than_asked_says_why(tmp_path, capsys):
    """Review: with emoji and "+1" among the texts the line said "there are only 2 distinct
    texts" of a file of 9."""
    p = tmp_path / "k.csv"
    p.write_text("text\nPay is low\nPay is too low\n👍\n+1\nn/a\n😀\nok\n", encoding="utf-8")
    assert synth_main.main(["themes", str(p), "--k", "3", "--json", str(tmp_path / "k.json")]) == 0
    assert "2 themes (of 3 asked: only 2 distinct texts have words to sort by), 5 unsorted" \
        in capsys.readouterr().out
