"""The Recommendations panel's words: a statement's text reaches the strength label as typed (it
is escaped: "<b>x</b> & y" is no markup there)."""
from __future__ import annotations

from PySide6.QtGui import QTextDocument

from coding.evidence import LinkEvidence
from coding.recommendations import AddRecommendation
from synth.board import CreateTheme
from tests.coding_study import build
from ui.coding import RecommendationsPanel

MARKUP = "<b>x</b> & y < z"


def _panel(qtbot, project, theme):
    panel = RecommendationsPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.resize(700, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_theme(theme)
    return panel


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
    panel = _panel(qtbot, project, theme)
    qtbot.waitUntil(lambda: panel.rec_strength.text() != "")
    html = panel.rec_strength.text()
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y &lt; z" in html
    assert "<b>x</b>" not in html
    shown = _shown(html)
    assert f"“{MARKUP}” (n = 3)" in shown
    assert shown.splitlines()[-1] == f"⚠ fewer than 10 votes on “{MARKUP}” (n = 3)"
