"""Tables, notes, characteristics and documents: mapping, encodings, bad files, atomicity."""
from __future__ import annotations

import pytest

from synth.errors import ImportProblem
from synth.importers import detect, import_path
from synth.importers.documents import import_document, split_passages
from synth.importers.tables import (NOTE_FIELDS, import_characteristics, import_notes,
                                    import_tallies, suggest_mapping)

NOTES_CSV = (
    "Note ID,City,Workshop,Table,Activity,Scenario,Colour,Dots,Role,Note text\n"
    "1,Manchester,Co-design 1,T1,Keep,Scenario A,yellow,3,participant,Keep the flexibility\n"
    "2,Manchester,Co-design 1,T2,Ditch,Scenario A,pink,0,participant,Ditch hot-desking\n"
    "3,Cardiff,Co-design 2,T1,Add,Scenario B,green,5,facilitator,Add mentoring for new starters\n"
)


def _table_error(path) -> str:
    """The message reading ``path`` as a table is refused with."""
    from synth.importers.common import read_table
    with pytest.raises(ImportProblem) as e:
        read_table(path)
    return str(e.value)


def test_notes_mapping_is_suggested_from_headers(project, tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text(NOTES_CSV, encoding="utf-8")
    headers = NOTES_CSV.splitlines()[0].split(",")
    m = suggest_mapping(headers, NOTE_FIELDS)
    assert m["text"] == "Note text" and m["site"] == "City" and m["dot_votes"] == "Dots"
    assert detect(f) == "notes"
    report = import_notes(project, f)
    assert report.counts == {"notes": 3, "sites": 2}
    rows = project.query("SELECT site, activity, dot_votes, author_role, text, row_number "
                         "FROM notes ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("Manchester", "keep", 3, "participant", "Keep the flexibility", 2),
        ("Manchester", "ditch", 0, "participant", "Ditch hot-desking", 3),
        ("Cardiff", "add", 5, "facilitator", "Add mentoring for new starters", 4)]


def test_explicit_mapping_wins(project, tmp_path):
    f = tmp_path / "n.csv"
    f.write_text("a,b\nGlasgow,More quiet rooms\n", encoding="utf-8")
    import_notes(project, f, mapping={"text": "b", "site": "a"})
    assert tuple(project.query("SELECT site, text FROM notes")[0]) == ("Glasgow",
                                                                      "More quiet rooms")


def test_cp1252_and_utf8_bom_keep_accents(project, tmp_path):
    text = "Café culture in the office — naïve to think it’s enough"
    a = tmp_path / "cp.csv"
    a.write_bytes(f"site,text\nLondon,{text}\n".encode("cp1252"))
    b = tmp_path / "bom.csv"
    b.write_bytes(b"\xef\xbb\xbf" + f"site,text\nLondon,{text}\n".encode("utf-8"))
    import_notes(project, a)
    # the same note saved again in another encoding is the same note: imported only when asked
    report = import_notes(project, b, again=True)
    assert [r[0] for r in project.query("SELECT text FROM notes")] == [text, text]
    (warning,) = report.warnings
    assert warning.startswith("1 of the 1 notes in bom.csv have the text of notes already "
                              "imported from “cp”, imported ")
    assert warning.endswith(": they are now held twice")


def test_xlsx_notes(project, tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["site", "activity", "text", "dot votes"])
    ws.append(["Glasgow", "Add", "A buddy scheme", 2])
    ws.append(["Glasgow", "Keep", "Team days once a month", None])
    f = tmp_path / "notes.xlsx"
    wb.save(f)
    assert detect(f) == "notes"
    import_path(project, f)
    assert [tuple(r) for r in project.query("SELECT site, activity, text, dot_votes, row_number "
                                            "FROM notes ORDER BY id")] == [
        ("Glasgow", "add", "A buddy scheme", 2, 2),
        ("Glasgow", "keep", "Team days once a month", 0, 3)]


def test_tallies(project, tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("id,statement,agree,disagree,pass\n"
                 "s1,Hybrid working should stay,92,5,3\n"
                 "s2,Managers need training,40,40,20\n"
                 "s2,duplicate id,1,1,1\n", encoding="utf-8")
    assert detect(f) == "tallies"
    report = import_tallies(project, f)
    assert report.counts == {"statements": 2, "votes (tallied)": 200}
    assert "already used" in report.warnings[0]
    assert [tuple(r) for r in project.query(
        "SELECT external_id, agree_tally, disagree_tally, pass_tally FROM statements")] == [
        ("s1", 92, 5, 3), ("s2", 40, 40, 20)]


def test_characteristics_join_by_participant(project, tmp_path):
    from conftest import POLIS
    import_path(project, POLIS / "london.youth.policing")
    f = tmp_path / "people.csv"
    f.write_text("participant,borough,age band\n1,Hackney,16-18\n2,Camden,19-21\n999,Brent,16-18\n",
                 encoding="utf-8")
    assert detect(f) == "characteristics"
    report = import_characteristics(project, f)
    assert "1 participant not found" in report.warnings[0]
    rows = project.query("SELECT p.external_id, a.name, a.value FROM participant_attributes a "
                         "JOIN participants p ON p.id = a.participant_id ORDER BY 1, 2")
    assert [tuple(r) for r in rows] == [("1", "age band", "16-18"), ("1", "borough", "Hackney"),
                                        ("2", "age band", "19-21"), ("2", "borough", "Camden"),
                                        ("999", "age band", "16-18"), ("999", "borough", "Brent")]


TRANSCRIPT = """Manchester co-design workshop, table 2

Facilitator: Welcome everyone. What does a good week look like?
P3: Honestly, two days in the office with my team and the rest at home.
It works because we plan it.
P4: I'd say the opposite — I never see my manager.
Facilitator: Say more about that?
P4: We only talk on calls.
"""


def test_transcript_split_into_speaker_turns(project, tmp_path):
    f = tmp_path / "t.txt"
    f.write_text(TRANSCRIPT, encoding="utf-8")
    report = import_document(project, f, site="Manchester", workshop="Co-design 1")
    assert report.counts == {"documents": 1, "passages": 5, "speakers": 3}
    doc = project.scalar("SELECT text FROM documents")
    rows = project.query("SELECT start, end, speaker, speaker_role FROM passages ORDER BY start")
    texts = [doc[r[0]:r[1]] for r in rows]
    assert texts[1] == ("Honestly, two days in the office with my team and the rest at home.\n"
                        "It works because we plan it.")
    assert [r[2] for r in rows] == ["Facilitator", "P3", "P4", "Facilitator", "P4"]
    assert [r[3] for r in rows] == ["facilitator", "participant", "participant", "facilitator",
                                    "participant"]


def test_paragraphs_when_no_speakers():
    text = "First paragraph.\n\nSecond one, longer.\n"
    ps = split_passages(text)
    assert [text[p.start:p.end] for p in ps] == ["First paragraph.", "Second one, longer."]


def test_docx_transcript(project, tmp_path):
    import docx
    d = docx.Document()
    d.add_heading("Cardiff workshop", 1)
    for line in TRANSCRIPT.splitlines()[2:]:
        d.add_paragraph(line)
    f = tmp_path / "cardiff.docx"
    d.save(f)
    assert detect(f) == "document"
    import_path(project, f, site="Cardiff")
    assert project.summary().passages == 5
    assert project.scalar("SELECT site FROM documents") == "Cardiff"


@pytest.mark.parametrize("name,content,message", [
    ("empty.csv", b"", "the file is empty"),
    ("junk.csv", b"\x00\x01\x02\x03binary\x00junk", "binary data"),
    ("wrong.csv", b"colour,size\nred,3\n", "no column for note text"),
    ("trunc.csv", b'site,text\nLeeds,"an unfinished quote\n', "ends inside a quoted cell"),
    ("notzip.docx", b"this is not a zip file at all", "not a Word file"),
    ("notzip.xlsx", b"PK\x03\x04 broken", "not a Excel file"),
    ("wide.csv", b"site,text\nLeeds,ok\nYork,too,many,cells\n", "row 3"),
])
def test_bad_files_give_clear_messages_and_change_nothing(project, tmp_path, name, content,
                                                          message):
    f = tmp_path / name
    f.write_bytes(content)
    kind = "document" if name.endswith(".docx") else "notes"
    with pytest.raises(ImportProblem) as e:
        import_path(project, f, kind=kind)
    assert message in str(e.value)
    assert str(f) in str(e.value)
    assert project.summary().sources == 0 and project.summary().notes == 0


def test_bad_number_names_row_and_column(project, tmp_path):
    f = tmp_path / "n.csv"
    f.write_text("text,dots\nfine,1\nbad,lots\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        import_notes(project, f)
    assert str(e.value).endswith("n.csv, row 3, column “dots”: expected a number of dots, "
                                 "found “lots”")
    assert project.summary().notes == 0


def test_notes_skip_empty_lines_and_keep_the_rows_a_spreadsheet_shows(project, tmp_path):
    """Empty lines are no notes; a note's row number and an error's row are the ones a
    spreadsheet shows for the file: an empty line is a row there, a cell of two lines one."""
    f = tmp_path / "n.csv"
    f.write_text('text,dots\r\nfirst,1\r\n\r\n"two\r\nlines",2\r\n,\r\nlast,3\r\n\r\n',
                 encoding="utf-8")
    import_notes(project, f)
    assert [tuple(r) for r in project.query("SELECT text, row_number FROM notes ORDER BY id")] \
        == [("first", 2), ("two\r\nlines", 4), ("last", 6)]
    f.write_text('text,dots\r\nfirst,1\r\n\r\n"two\r\nlines",2\r\n\r\nbad,lots\r\n',
                 encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        import_notes(project, f)
    assert str(e.value).endswith("n.csv, row 6, column “dots”: expected a number of dots, "
                                 "found “lots”")


def test_a_header_cell_over_two_lines_does_not_hide_the_delimiter(tmp_path):
    """A wrapped header cell (a line break in it): the header's first line holds no ";" or
    tab, yet the header row, and so the file, is split on them."""
    from synth.importers.common import read_table
    for d in ";\t":
        f = tmp_path / "wrapped.csv"
        f.write_text(f'"Comment\n(free text)"{d}text{d}dots\n"a"{d}"Pay is low"{d}1\n'
                     f'"b"{d}"Rent\nis high"{d}2\n', encoding="utf-8")
        t = read_table(f)
        assert t.headers == ["Comment\n(free text)", "text", "dots"]
        assert t.rows == [["a", "Pay is low", "1"], ["b", "Rent\nis high", "2"]]
        assert t.row_numbers == [2, 3]


def test_a_csv_parse_error_names_the_spreadsheet_row(tmp_path):
    """Rows counted as a spreadsheet shows them (a cell over three lines is one row), as for
    notes: not the file's line; a quote never closed is named at the row where it opened."""
    from synth.importers.common import read_table
    f = tmp_path / "t.csv"
    f.write_text('text,dots\n"one\ntwo\nthree",1\nok,2\n"never closed,3\n', encoding="utf-8")
    assert _table_error(f) == (f"{f}, row 4: the file ends inside a quoted cell (truncated, "
                            "or a quote is not closed)")
    f.write_text('text,dots\n"one\ntwo\nthree",1\n"a"b,2\nok,3\n', encoding="utf-8")
    assert _table_error(f) == f"{f}, row 3: ',' expected after '\"'"


def test_several_files_import_whole_or_not_at_all(project, tmp_path):
    from conftest import POLIS
    from synth.pipeline import import_all
    bad = tmp_path / "bad.csv"
    bad.write_text("text,dots\nx,notanumber\n", encoding="utf-8")
    with pytest.raises(ImportProblem):
        import_all(project, [POLIS / "london.youth.policing", bad])
    s = project.summary()
    assert (s.sources, s.statements, s.votes, s.participants) == (0, 0, 0, 0)


@pytest.mark.parametrize("above", ['"",""', " , ", ";;", '"";""', ""])
@pytest.mark.parametrize("d", [",", ";", "\t"])
def test_a_line_of_nothing_above_the_header_is_skipped_whatever_the_delimiter(
        tmp_path, above, d):
    """The delimiter's choice and the reading judge a line above the header by one rule: it
    holds nothing but spaces, quotes and delimiters. They judged it apart: the choice skipped
    ' , ' but not '"",""', the reading the other way round, so a ';' file under '"",""' was
    read as one column, and one under ' , ' took that line for its header (an error: 'the row
    has 2 cells but the header names 1 columns')."""
    from synth.importers.common import read_table
    f = tmp_path / "t.csv"
    f.write_text(f"{above}\ntext{d}dots\nPay is low{d}2\n", encoding="utf-8")
    from synth.importers.common import read_header
    t = read_table(f)
    assert (t.headers, t.rows, t.row_numbers, t.header_row) == \
        (["text", "dots"], [["Pay is low", "2"]], [3], 2)
    h = read_header(f)
    assert (h.headers, h.rows, h.header_row) == (["text", "dots"], [], 2)


def test_a_missing_column_is_named_at_the_header_row(project, tmp_path):
    """The header below blank rows: a missing or wrongly mapped column is named at the
    header's row, not row 1."""
    from synth.importers.common import read_table
    f = tmp_path / "t.csv"
    f.write_text("\n,\ncolour,size\nred,3\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        read_table(f).require("text")
    assert str(e.value) == f"{f}, row 3: no column named “text” (found: colour, size)"
    with pytest.raises(ImportProblem) as e:
        import_notes(project, f)
    assert str(e.value).startswith(f"{f}, row 3: no column for note text")
    with pytest.raises(ImportProblem) as e:
        import_notes(project, f, mapping={"text": "Words"})
    assert str(e.value).startswith(f"{f}, row 3: the mapping names a column “Words”")
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append([])
    wb.active.append(["colour", "size"])
    wb.active.append(["red", 3])
    wb.active.cell(1, 1).value = None
    x = tmp_path / "t.xlsx"
    wb.save(x)
    with pytest.raises(ImportProblem) as e:
        read_table(x).require("text")
    assert str(e.value) == f"{x}, row 2: no column named “text” (found: colour, size)"


@pytest.mark.parametrize("bad,message", [
    (b"\x00", "the file holds binary data (a NUL byte), not text"),
    (b"\x81", "the text is neither UTF-8 nor Windows-1252"),
])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bytes_that_are_no_text_are_named_by_their_spreadsheet_row(tmp_path, bad, message,
                                                                  bom):
    """As every other problem of a table: a cell over three lines is one row (they were
    named by the file's line, here 5)."""
    from synth.importers.common import read_table
    f = tmp_path / "t.csv"
    f.write_bytes(bom + b'text,dots\r\n"one\r\ntwo\r\nthree",1\r\nok' + bad + b",2\r\nlast,3\r\n")
    assert _table_error(f) == f"{f}, row 3, column “text”: {message}"
    f.write_bytes(bom + b'\r\n"",""\r\n"a' + bad + b'\r\nb",c\r\nd,e\r\n')   # in the header
    assert _table_error(f) == f"{f}, row 3: {message}"


def test_notes_take_the_column_named_exactly_before_one_differing_in_case(project, tmp_path):
    from synth.importers import import_path
    from synth.importers.tables import NOTE_FIELDS, suggest_mapping
    f = tmp_path / "notes.csv"
    f.write_text("Text,text,Site\nHeading A,the note itself,Leeds\n", encoding="utf-8")
    assert suggest_mapping(["Text", "text", "Site"], NOTE_FIELDS)["text"] == "text"
    import_path(project, f)
    assert [tuple(r) for r in project.query("SELECT text, site FROM notes")] == [
        ("the note itself", "Leeds")]


def test_bad_bytes_are_named_by_row_and_column_even_after_other_bad_bytes(project, tmp_path):
    from synth.errors import ImportProblem
    from synth.importers import import_path
    f = tmp_path / "bad.csv"
    f.write_bytes(b"site,text\nLeeds,ok\n\"York\nNorth\",\"fine\",\n,\x81\x8d bad\n")
    with pytest.raises(ImportProblem) as e:
        import_path(project, f, kind="notes")
    assert (e.value.row, e.value.column) == (4, "text")
    f.write_bytes(b"\x9d\x00")          # a byte no encoding reads, before a NUL: was a traceback
    with pytest.raises(ImportProblem) as e:
        import_path(project, f, kind="notes")
    assert (e.value.row, e.value.column, e.value.detail) == (
        1, None, "the file holds binary data (a NUL byte), not text")
    f.write_bytes(b"site,t\x81\x8dxt\nLeeds,ok\n")      # in the header: no column to name
    with pytest.raises(ImportProblem) as e:
        import_path(project, f, kind="notes")
    assert (e.value.row, e.value.column) == (1, None)


def test_a_header_problem_is_named_by_the_headers_row(project, tmp_path):
    from synth.errors import ImportProblem
    from synth.importers import detect, import_path
    f = tmp_path / "odd.csv"
    f.write_text("\n\nfoo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        detect(f)
    assert e.value.row == 3
    pv = tmp_path / "export"
    pv.mkdir()
    (pv / "comments.csv").write_text("comment-id,comment-body,author-id\n1,hello,0\n",
                                     encoding="utf-8")
    (pv / "participants-votes.csv").write_text("\nparticipant,group-id,first\n0,0,1\n",
                                               encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        import_path(project, pv)
    assert (e.value.row, e.value.column) == (2, "first")


def test_the_header_is_read_from_the_start_of_a_table_only(tmp_path, monkeypatch):
    """detect() needs a table's header only: read_header reads the first HEADER_BYTES of a
    CSV, whole lines, and stops a sheet at its header row; the same header as read_table."""
    from synth.importers import common
    monkeypatch.setattr(common, "HEADER_BYTES", 64)
    f = tmp_path / "n.csv"
    head = "\n\nnote;dots\n"
    rows = "".join(f"Caf\u00e9 {i:03} \u00e9t\u00e9;{i}\n" for i in range(20))
    f.write_bytes(head.encode() + rows.encode() + b"bad \x00 byte;1\n")   # past the head
    with pytest.raises(ImportProblem, match="binary data"):
        common.read_table(f)
    h = common.read_header(f)
    assert (h.headers, h.header_row, h.rows) == (["note", "dots"], 3, [])
    assert detect(f) == "notes"
    f.write_bytes(head.encode() + rows.encode())
    t = common.read_table(f)
    assert (t.headers, t.header_row) == (["note", "dots"], 3)
    for cut in range(40, 80):           # wherever the head ends, in an é or not
        monkeypatch.setattr(common, "HEADER_BYTES", cut)
        assert common.read_header(f).headers == ["note", "dots"]
    f.write_text("text,dots\n" + "Pay,1\n" * 30, encoding="utf-16")
    assert common.read_header(f).headers == common.read_table(f).headers == ["text", "dots"]
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in ([], ["Note text", "Dots"], ["Keep it", 1], ["Ditch it", 2]):
        ws.append(r)
    wb.save(tmp_path / "n.xlsx")
    h = common.read_header(tmp_path / "n.xlsx")
    t = common.read_table(tmp_path / "n.xlsx")
    assert (h.headers, h.header_row, h.rows) == (t.headers, t.header_row, []) == \
        (["Note text", "Dots"], 2, [])


def test_notes_with_an_id_already_used_are_kept_and_named(project, tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text("note_id,text\nN1,Desks\nN9,Trains\nN2,Pay\nN9,Parking\nN1,Lunch\nN3,Kit\n",
                 encoding="utf-8")
    report = import_notes(project, f)
    assert project.scalar("SELECT count(*) FROM notes") == 6        # no note is lost
    assert [tuple(r) for r in project.query("SELECT external_id, text FROM notes WHERE "
                                            "external_id = 'N9' ORDER BY row_number")] == [
        ("N9", "Trains"), ("N9", "Parking")]
    (warning,) = [w for w in report.warnings if "earlier row" in w]
    assert warning == ("2 notes with an id an earlier row has (column “note_id”: “N9” in rows "
                       "3 and 5; “N1” in rows 2 and 6): imported, but the report cites notes "
                       "by id, so give them ids of their own")
    g = tmp_path / "fine.csv"
    g.write_text("note_id,text\nA,Chairs\nB,Buses\n", encoding="utf-8")
    assert not [w for w in import_notes(project, g).warnings if "earlier row" in w]
