"""The Recommendations panel's words: a statement's text reaches the strength label as typed (it
is escaped: "<b>x</b> & y" is no markup there), and the evidence names the opinion groups as the
Votes panel does ("Group A", not "A")."""
from __future__ import annotations

from PySide6.QtGui import QTextDocument

from coding.evidence import LinkEvidence
from coding.recommendations import AddRecommendation
from synth.board import CreateTheme
from tests.coding_study import (build, recommendation_with_a_statement,
                                recommendations_panel)

MARKUP = "<b>x</b> & y < z"


def _shown(html: str) -> str:
    """What a QLabel shows of its rich text."""
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_a_statement_with_markup_is_shown_as_typed_in_the_strength(qtbot, project, tmp_path):
    ids = build(project, tmp_path)
    few = ids["statements"][3]          # 3 votes: the warning quotes it
    with project.transaction() as db:
        db.execute("UPDATE statements SET text = ? WHERE id = ?", (MARKUP, few))
    theme = project.history.apply(CreateTheme("Commuting"))
    rec = project.history.apply(AddRecommendation(theme, "Pay travel"))
    project.history.apply(LinkEvidence([("statement", few)], recommendation_id=rec))
    panel = recommendations_panel(qtbot, project, theme)
    qtbot.waitUntil(lambda: panel.rec_strength.text() != "")
    html = panel.rec_strength.text()
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y &lt; z" in html
    assert "<b>x</b>" not in html
    shown = _shown(html)
    assert f"“{MARKUP}” (n = 3)" in shown
    assert shown.splitlines()[-1] == f"⚠ fewer than 10 votes on “{MARKUP}” (n = 3)"


def test_the_evidence_names_the_groups_as_the_votes_panel(qtbot, project, tmp_path):
    from ui.panels.votes import VotesPanel
    ids, theme, rec = recommendation_with_a_statement(project, tmp_path)
    panel = recommendations_panel(qtbot, project, theme)
    votes_names = VotesPanel.read(project)["names"]
    assert votes_names == ["Group A", "Group B"]
    (label,) = [panel.evidence_list.item(i).text() for i in range(panel.evidence_list.count())]
    # group A: 4 agree of 6 who voted (67 %); group B: 1 of 4 (25 %), as SQL counts them
    a_agree, a_n = project.query(
        "SELECT sum(v.value = 1), count(*) FROM votes v JOIN participants p ON p.id = "
        "v.participant_id WHERE v.statement_id = ? AND p.polis_group = 0",
        (ids["statements"][1],))[0]
    assert (a_agree, a_n) == (4, 6)
    assert label.endswith(f"; {votes_names[0]} 67 %† (n 6) · {votes_names[1]} 25 %† (n 4)")


def test_with_two_debates_the_groups_carry_the_votes_panels_short_debate_name(qtbot, project):
    """A Pol.is debate's name is its whole question: the Votes panel names its groups "Group A
    (Debate 2)"; the evidence does the same, the whole question in the tooltip."""
    from tests.test_import_polis_characteristics import BG, LONDON
    from synth.importers import import_path
    from ui.panels.votes import VotesPanel
    import_path(project, LONDON)
    import_path(project, BG)
    bg = project.scalar("SELECT id FROM sources WHERE path LIKE '%bg2050-volunteers'")
    statement = project.scalar("SELECT min(id) FROM statements WHERE source_id = ?", (bg,))
    theme = project.history.apply(CreateTheme("Welcome"))
    rec = project.history.apply(AddRecommendation(theme, "Welcome all"))
    project.history.apply(LinkEvidence([("statement", statement)], recommendation_id=rec))
    panel = recommendations_panel(qtbot, project, theme)
    names = VotesPanel.read(project)["names"]
    assert names[-2:] == ["Group A (Debate 2)", "Group B (Debate 2)"]
    (label,) = [panel.evidence_list.item(i).text() for i in range(panel.evidence_list.count())]
    groups = label.split(" who voted; ", 1)[1].split(" · ")
    assert [g.split(" ")[0:3] for g in groups] == [["Group", "A", "(Debate"],
                                                   ["Group", "B", "(Debate"]]
    assert [" ".join(g.split(" ")[:4]) for g in groups] == names[-2:]
    # each group's n is its members' votes on the statement, as SQL counts them
    counted = [project.scalar(
        "SELECT count(*) FROM votes v JOIN participants p ON p.id = v.participant_id WHERE "
        "v.statement_id = ? AND p.polis_group = ?", (statement, g)) for g in (0, 1)]
    assert [int(g.rsplit("(n ", 1)[1].rstrip(")")) for g in groups] == counted
    assert "Debate 2: Together, we'll build the BG of 2050." in \
        panel.evidence_list.item(0).toolTip()
