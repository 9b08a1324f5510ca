"""The Recommendations panel marks an evidence figure few voted for (†) as the Votes panel, Details
and the report do: QA read "B 40 % (n 5)" there unmarked while Votes showed "40 %† agree, n=5".
Same threshold (the project's ``FigureRegistry.flag_below``), same whole per cents (half up)."""
from __future__ import annotations

from tests.coding_study import (build, recommendation_with_a_statement,
                                recommendations_panel)
from ui.coding import RecommendationsPanel


def _labels(panel) -> list[str]:
    return [panel.evidence_list.item(i).text() for i in range(panel.evidence_list.count())]


def test_figures_below_the_threshold_carry_the_mark_and_others_do_not(qtbot, project,
                                                                       tmp_path):
    ids, theme, rec = recommendation_with_a_statement(project, tmp_path)
    panel = recommendations_panel(qtbot, project, theme)
    assert panel.recommendation_id() == rec
    # the default threshold, 10: the groups (6 and 4 voted) are marked, everyone (10) is not
    assert panel.small_n == 10
    (label,) = _labels(panel)
    assert label.endswith("— 50 % agree of 10 who voted; Group A 67 %† (n 6) · Group B 25 %† (n 4)")
    tip = panel.evidence_list.item(0).toolTip()
    assert "† fewer than 10 voted: read with care" in tip

    # the project's threshold: 5 marks group B alone (4 voted), not group A (6)
    project.set_setting("small_n_threshold", 5)
    panel.refresh()
    (label,) = _labels(panel)
    assert label.endswith("— 50 % agree of 10 who voted; Group A 67 % (n 6) · Group B 25 %† (n 4)")
    assert "fewer than 5 voted" in panel.evidence_list.item(0).toolTip()

    # above every n: nothing marked, no note
    project.set_setting("small_n_threshold", 3)
    panel.refresh()
    (label,) = _labels(panel)
    assert "†" not in label
    assert "read with care" not in panel.evidence_list.item(0).toolTip()

    # the project's rule is to show such figures as they are: none marked, as the report
    project.set_setting("small_n_threshold", 10)
    project.set_setting("small_n_action", "show")
    panel.refresh()
    assert panel.small_n == 0
    assert "†" not in _labels(panel)[0]


def test_the_mark_follows_the_vote_panels_rule(qtbot, project, tmp_path):
    """The panel's threshold is the one the Votes panel reads."""
    from ui.panels.votes import VotesPanel
    build(project, tmp_path)
    project.set_setting("small_n_threshold", 7)
    panel = RecommendationsPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.small_n == VotesPanel.read(project)["small_n"] == 7
