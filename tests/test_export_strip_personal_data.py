"""Stripping personal data is one choice for every export, read back from the files: the
tables (CSV/XLSX) and the REFI-QDA project mask what the report masks when it is asked; the
report command's --strip-personal-data and the export dialog's tick-box keep it as the
project's choice. Before, only a project setting asked for it, and only the report and the
board image followed it (QA: a name masked in the report was in themes.csv and the .qdpx)."""
from __future__ import annotations

import argparse
import csv
import zipfile

import pytest

from export_study import add_turn, build_study
from exports.content import STRIP_SETTING, mask_personal_data, strip_requested
from exports.refi_qda import read_codings, write_qdpx
from exports.tables import write_csv, write_xlsx

SAID = "Ask Jane Smith in HR or mail ann.lee@example.org, she sorted my contract"


@pytest.fixture
def study(tmp_path):
    """The export study with a statement and a transcript turn naming someone; the turn is
    coded (codes sheet, REFI-QDA coding) and placed in a theme (themes sheet)."""
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path, participants=30)
    with project.transaction() as db:
        db.execute("UPDATE statements SET text = ? WHERE id = ?", (SAID, ids["statements"][0]))
        doc, start, _pid = add_turn(db, SAID, ids["themes"]["hybrid"],
                                    after="\nP6: Thanks, that helps.")
        # coded from "Smith" (inside the name) to the end of the next turn
        db.execute("INSERT INTO codings(theme_id, document_id, start, end, coder) VALUES "
                   "(?,?,?,?,'RA')", (ids["themes"]["hybrid"], doc,
                                      start + SAID.index("Smith"),
                                      start + len(SAID) + len("\nP6: Thanks, that helps."))
                   )
    yield project, tmp_path
    project.close()


def _csv_cells(folder) -> list[str]:
    out = []
    for name in ("statements", "themes", "codes", "recommendations"):
        with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            out += [c for row in csv.reader(f) for c in row]
    return out


def test_tables_mask_names_when_stripping_is_asked(study):
    project, tmp = study
    plain = _csv_cells(write_csv(project, tmp / "plain")[0].parent)
    # e-mail addresses are masked always, as in the report; the name only when asked
    assert sum(SAID.replace("ann.lee@example.org", "[e-mail address]") in c
               for c in plain) >= 3      # statements, themes (statement, passage)
    write_csv(project, tmp / "asked", strip_personal_data=True)
    cells = _csv_cells(tmp / "asked")
    masked = "Ask [name] in HR or mail [e-mail address], she sorted my contract"
    assert not any("Jane Smith" in c or "ann.lee" in c for c in cells)
    assert sum(masked in c for c in cells) >= 3
    # the codes sheet's coded text starts inside the name: masked all the same
    assert not any("Smith in HR" in c for c in cells)
    project.set_setting(STRIP_SETTING, True)          # the project's choice, by default
    from openpyxl import load_workbook
    wb = load_workbook(write_xlsx(project, tmp / "t.xlsx"))
    values = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert not any("Jane Smith" in v for v in values)
    assert any(masked in v for v in values)


def test_refi_qda_masks_names_and_keeps_each_coding_on_its_words(study):
    project, tmp = study
    before = read_codings(write_qdpx(project, tmp / "plain.qdpx").path)
    write_qdpx(project, tmp / "s.qdpx", strip_personal_data=True)
    with zipfile.ZipFile(tmp / "s.qdpx") as z:
        texts = "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    assert "Jane Smith" not in texts and "ann.lee@example.org" not in texts
    assert "Ask [name] in HR or mail [e-mail address]" in texts
    after = read_codings(tmp / "s.qdpx")
    assert len(after) == len(before)
    # every coding covers the same words, masked: a span that began inside the name begins
    # at its mask
    for (src, code, text), (src2, code2, text2) in zip(sorted(before), sorted(after)):
        assert (src, code) == (src2, code2)
        assert text2 == mask_personal_data(text, names=True) or \
            text2 == "[name]" + mask_personal_data(text, names=True).split("Smith", 1)[-1]
    assert any(t.startswith("[name] in HR or mail [e-mail address]") for _s, _c, t in after)


def test_report_command_flag_masks_every_file_and_is_kept(study, capsys):
    project, tmp = study
    project.close()
    from exports import cli
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args([str(tmp / "s.synth"), "--out", str(tmp / "r.docx"),
                              "--strip-personal-data", "--csv", str(tmp / "csv"),
                              "--qdpx", str(tmp / "r.qdpx")])
    assert cli.main(args) == 0
    assert "masked in every file written (kept as the project's choice)" in \
        capsys.readouterr().out
    import docx
    report = "\n".join(p.text for p in docx.Document(str(tmp / "r.docx")).paragraphs)
    assert "Jane Smith" not in report and "[name]" in report
    assert not any("Jane Smith" in c for c in _csv_cells(tmp / "csv"))
    assert not any("Jane Smith" in t for _s, _c, t in read_codings(tmp / "r.qdpx"))
    from synth.project import Project
    with Project.look(tmp / "s.synth") as p:
        assert strip_requested(p) is True
    # and undone the same way
    assert cli.main(parser.parse_args([str(tmp / "s.synth"), "--out", str(tmp / "r2.docx"),
                                       "--no-strip-personal-data"])) == 0
    with Project.look(tmp / "s.synth") as p:
        assert strip_requested(p) is False


def test_export_dialog_tick_box_is_kept_as_the_projects_choice(study, qtbot):
    project, tmp = study
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QDialog
    from ui.export_dialog import ExportDialog
    dlg = ExportDialog(project, str(tmp / "out"))
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.strip_box.isChecked()
    assert dlg.strip_box.accessibleName() == "Strip personal data from every file"
    qtbot.mouseClick(dlg.strip_box, Qt.LeftButton,        # on its box
                     pos=QPoint(8, dlg.strip_box.height() // 2))
    dlg.csv_box.setChecked(True)
    assert dlg.plan().report.strip_personal_data is True
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert strip_requested(project) is True     # tables and REFI-QDA read it from here
    dlg2 = ExportDialog(project, str(tmp / "out"))
    qtbot.addWidget(dlg2)
    assert dlg2.strip_box.isChecked()
