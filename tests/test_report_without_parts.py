"""A report written --without a part says nothing that points at it, read back from the .docx
(QA2 dangling.py): without the traceability annex no figure carries an F-reference and the
introduction does not promise one; without the opinion-group chapter no "Group A" figure or
method for finding groups is left undefined; without the methodology no "(see Methodology)"."""
from __future__ import annotations

import re

from exports.report import ReportOptions, write_report
from test_report_privacy import ONE, _paragraphs, study  # noqa: F401 - the fixture


def _all_text(path) -> str:
    import docx
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] +
                     [c.text for t in d.tables for r in t.rows for c in r.cells])


def _options(**off) -> ReportOptions:
    return ReportOptions(max_statements_per_theme=ONE.max_statements_per_theme, **off)


def _with_and_without(project, tmp_path, part: str) -> tuple[str, str]:
    """The whole report's text, and the text of the report written without ``part``."""
    write_report(project, tmp_path / "with.docx", _options())
    write_report(project, tmp_path / "r.docx", _options(**{part: False}))
    return _all_text(tmp_path / "with.docx"), _all_text(tmp_path / "r.docx")


def test_without_traceability_no_figure_carries_a_reference(study, tmp_path):
    project, _ids, _pid = study
    write_report(project, tmp_path / "with.docx", _options())
    assert re.search(r"\d+%F\d+\b", _all_text(tmp_path / "with.docx"))
    result = write_report(project, tmp_path / "r.docx", _options(traceability=False))
    text = _all_text(tmp_path / "r.docx")
    assert result.figures                     # the figures are still counted the same way
    assert not re.search(r"F\d+\b", text), re.search(r".{60}F\d+\b", text).group()
    assert "reference (such as F1)" not in text and "annex that shows" not in text
    intro = [p.text for p in _paragraphs(tmp_path / "r.docx")
             if p.text.startswith("This report brings together")]
    assert len(intro) == 1 and intro[0].endswith("and our recommendations.")


def test_without_opinion_groups_no_group_is_left_undefined(study, tmp_path):
    whole, text = _with_and_without(study[0], tmp_path, "opinion_groups")
    assert "Group A" in whole
    assert "Group A" not in text and "Group B" not in text
    assert not re.search(r"[Oo]pinion group", text)
    # the theme chapters still give every statement's figure over everyone who voted
    assert re.search(r"— \d+%F\d+ of those who voted agreed \(n = \d+\)\.", text)


def test_without_methodology_nothing_points_to_it(study, tmp_path):
    whole, text = _with_and_without(study[0], tmp_path, "methodology")
    assert "(see Methodology)" in whole
    assert "Methodology" not in text and "methodology" not in text
    assert "Not yet chosen by the research team: statements from the online debate, which " \
        "every participant could read." in text.split("\n")
