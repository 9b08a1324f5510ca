"""Chart 2's bars print a small-n figure as the text and the caption do, with † (QA 28: the bars
said "100%" for groups of 9 and 4 while the text said "100%†"), and a statement label cut to
three lines says it was cut."""
from __future__ import annotations

import re

import docx

from exports.charts import agreement_bars
from exports.figures import FLAG
from exports.report import ReportOptions, write_report


def test_a_bar_label_is_the_figure_as_printed():
    chart = agreement_bars([("Panels should meet after school", [("Group A", 91, "91%"),
                                                                 ("Group B", 100, "100%†")])],
                           title="Agreement by opinion group", dpi=50)
    assert "Group A 91%, Group B 100%†" in chart.alt
    long = "word " * 40
    chart = agreement_bars([(long, [("Group A", 50)])], title="t", dpi=50)
    assert "Group A 50%" in chart.alt

def test_the_reports_bars_carry_the_small_n_mark(tmp_path):
    from export_study import build_study
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    build_study(project, tmp_path, participants=14)     # group B: 5 people, every n < 10
    write_report(project, tmp_path / "r.docx", ReportOptions())
    d = docx.Document(str(tmp_path / "r.docx"))
    alts = [e.get("descr") for e in d.element.body.iter()
            if e.tag.endswith("}docPr") and "Agreement by opinion group" in (e.get("descr") or "")]
    assert alts, "chart 2 is in the report"
    text = "\n".join(p.text for p in d.paragraphs)
    flagged = re.findall(rf"\d+%{FLAG}", text)
    assert flagged, "the text marks small-n group figures"
    assert f"%{FLAG}" in alts[0]
    project.close()
