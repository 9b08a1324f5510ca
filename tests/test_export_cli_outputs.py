"""`report`'s outputs are checked before anything is written (QA 34): `--out FOLDER` ended in
a traceback, `--out x.pdf` wrote a Word file named .pdf, `--xlsx t.csv` an Excel file named .csv,
`--csv FILE` a traceback; each is now one line naming the option, and no file is written."""
from __future__ import annotations

import pytest

import main as synth_main


@pytest.fixture
def project(tmp_path):
    from synth.project import Project
    from export_study import build_study
    path = tmp_path / "s.synth"
    p = Project.create(path)
    build_study(p, tmp_path, participants=20)
    p.close()
    return path


@pytest.mark.parametrize("extra, says", [
    (["--out", "{tmp}"], "--out {tmp}: is a folder; give a file name ending in .docx"),
    (["--out", "{tmp}/r.pdf"], "--out {tmp}/r.pdf: the report is a Word document: give a file "
                               "name ending in .docx"),
    (["--xlsx", "{tmp}/t.csv"], "--xlsx {tmp}/t.csv: the tables are an Excel workbook: give a "
                                "file name ending in .xlsx"),
    (["--qdpx", "{tmp}"], "--qdpx {tmp}: is a folder; give a file name ending in .qdpx"),
    (["--csv", "{tmp}/s.synth"], "--csv {tmp}/s.synth: is a file; give a folder to write the "
                                 "CSV tables into"),
])
def test_a_wrong_output_is_one_line_and_nothing_is_written(project, tmp_path, capsys, extra,
                                                           says):
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [a.format(tmp=tmp_path) for a in extra]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "r.docx")]
    code = synth_main.main(["report", str(project), *args])
    assert code != 0
    err = capsys.readouterr().err
    assert says.format(tmp=tmp_path) in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_good_outputs_are_written(project, tmp_path, capsys):
    code = synth_main.main(["report", str(project), "--out", str(tmp_path / "r.DOCX"),
                            "--xlsx", str(tmp_path / "t.xlsx"), "--qdpx",
                            str(tmp_path / "p.qdpx"), "--csv", str(tmp_path / "csv")])
    assert code == 0
    assert (tmp_path / "r.DOCX").stat().st_size > 0
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "p.qdpx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "csv" / "themes.csv").exists()
