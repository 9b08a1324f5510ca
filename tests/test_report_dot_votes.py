"""The team's dot vote in the Word report: after "Themes at a glance", the themes ranked by
dots (ties sharing a rank), numbered as their chapters, with how many dots and people, never
who; the totals are traceable figures. No dots: no such table."""
from __future__ import annotations

import docx

from export_study import build_study
from exports.report import write_report


def _tables(path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


def _text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_the_ranking_is_printed_without_names(project, tmp_path):
    from synth.board import CastDots
    build_study(project, tmp_path)
    themes = [r[0] for r in project.query(
        "SELECT id FROM themes WHERE parent_id IS NULL ORDER BY position, id")]
    first, second = themes[0], themes[1]
    for theme, voter, n in ((second, "Asha", 2), (second, "Ben", 1), (first, "Cara", 1),
                            (first, "ben", 1)):
        project.history.apply(CastDots(theme, voter, n))
    result = write_report(project, tmp_path / "r.docx")
    text = _text(result.path)
    assert "the team prioritised the themes by dot voting: 5" in text
    assert "dots from 3" in text and \
        "people on 2 of the report's themes (a sub-theme's dots count for its theme)." in text
    assert "Priorities by dot voting" in text
    (ranking,) = [t for t in _tables(result.path) if t[0] == ["Rank", "Theme", "Dots", "People"]]
    names = dict(project.query("SELECT id, name FROM themes"))
    assert ranking[1:] == [["1", f"2. {names[second]}", "3", "2"],
                           ["2", f"1. {names[first]}", "2", "2"]]
    assert not any(n in text for n in ("Asha", "Cara"))
    labels = [f.label for f in result.figures]
    assert "dots given in dot voting" in labels and "people who gave dots" in labels


def test_no_dots_no_table(project, tmp_path):
    build_study(project, tmp_path)
    result = write_report(project, tmp_path / "r.docx")
    assert "dot voting" not in _text(result.path)


def test_only_the_reports_themes_by_their_chapters_names(project, tmp_path):
    """Review: a sub-theme and a theme the report leaves out were ranked, unnumbered, under
    names the report never cleaned; a sub-theme's dots now count for its chapter's theme."""
    from synth.board import CastDots, CreateTheme
    build_study(project, tmp_path)
    themes = [r[0] for r in project.query(
        "SELECT id FROM themes WHERE parent_id IS NULL ORDER BY position, id")]
    first = themes[0]
    sub = project.history.apply(CreateTheme("Sub of first", [], parent_id=first))
    for theme, voter, n in ((sub, "Asha", 2), (first, "Ben", 1)):
        project.history.apply(CastDots(theme, voter, n))
    result = write_report(project, tmp_path / "r.docx")
    names = dict(project.query("SELECT id, name FROM themes"))
    (ranking,) = [t for t in _tables(result.path) if t[0] == ["Rank", "Theme", "Dots", "People"]]
    assert ranking[1:] == [["1", f"1. {names[first]}", "3", "2"]]
    assert "Sub of first" not in "\n".join(r[1] for r in ranking)
