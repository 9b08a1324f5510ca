"""`python main.py themes FILE.csv`: reading the texts (the shared table reader) and its errors.
No embedding is run here: the reading is checked on its own, the errors through main()."""
from __future__ import annotations

import main as synth_main
from synth.errors import ImportProblem
from synth.themes.cli import read_texts


def _csv(tmp_path, text: str, name: str = "texts.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_one_text_per_data_row_blank_rows_kept_so_indexes_match_the_file(tmp_path):
    p = _csv(tmp_path, "id,text\r\n1,  Pay is low  \r\n,\r\n\r\n3,\"two\r\nlines\"\r\n4,\r\n,,\r\n")
    # the empty line is no record (as csv.DictReader reads it); "," and ",," are rows
    assert read_texts(str(p), "text") == ["Pay is low", "", "two\r\nlines", "", ""]


def test_column_names_and_encodings_as_every_other_import(tmp_path):
    p = _csv(tmp_path, "Id;Text\n1;Café “au lait”\n", encoding="cp1252", name="w.csv")
    assert read_texts(str(p), "text") == ["Café “au lait”"]


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
        ", row 2: the file holds binary data (a NUL byte), not text"


def test_a_row_wider_than_the_header_is_refused_not_cut_short(tmp_path, capsys):
    # an unquoted comma inside a text: csv.DictReader kept "Pay is low" and dropped the rest
    assert _error(tmp_path, capsys, "id,text\n1,Pay is low, and rising\n") == \
        ", row 2: the row has 3 cells but the header names 2 columns"


def test_missing_file(tmp_path):
    try:
        read_texts(str(tmp_path / "nope.csv"), "text")
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
    assert read_texts(str(path), "text") == ["Pay has fallen behind", "", "The VPN drops"]
