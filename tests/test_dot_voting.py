"""Dot voting in presentation mode as on a whiteboard: each person, by name, has a set number of
dots (3 unless the facilitator sets another), the bar says how many are left, a name is asked
for rather than made up, and Ctrl+Z gives a dot back. Keys go where the focus is; the dots are
read from the project file."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.qt

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.testing import file_rows, make_project  # noqa: E402
from tests.test_presentation_room import key, present  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401


def dots(path) -> dict[str, int]:
    return dict(file_rows(path, "SELECT voter, sum(dots) FROM dot_votes GROUP BY voter"))


def present_on_a_theme(window, qtbot, path) -> int:
    present(window, qtbot, path)
    theme = min(window.scene.themes)
    window.scene.select_themes([theme])
    return theme


def type_voter(window, qtbot, name: str) -> None:
    """The facilitator clicks the name box, types, and Enter takes the keys back to the board."""
    edit = window.presentation.voter_edit
    qtbot.mouseClick(edit, Qt.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, name)
    qtbot.keyClick(edit, Qt.Key_Return)
    assert QApplication.focusWidget() is window.view


@pytest.fixture
def project_path(tmp_path):
    return make_project(tmp_path / "s.synth", statements=20, notes=0, themes=2, placed=0.5)


def test_three_dots_each_then_no_more_and_the_bar_counts_down(window, project_path, qtbot):
    present_on_a_theme(window, qtbot, project_path)
    bar = window.presentation
    type_voter(window, qtbot, "Asha")
    assert bar.dots_left.text() == "Asha: 3 of 3 dots left"
    key(qtbot, Qt.Key_D)
    assert bar.dots_left.text() == "Asha: 2 of 3 dots left"
    key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_D)
    assert bar.dots_left.text() == "Asha: 0 of 3 dots left"
    key(qtbot, Qt.Key_D)                    # a fourth: refused, and said so
    assert dots(project_path) == {"Asha": 3}
    assert "Asha has used all 3 dots" in window.notify.label.text()
    assert QApplication.focusWidget() is bar.voter_edit    # ready for the next name
    type_voter(window, qtbot, "Ben")
    assert bar.dots_left.text() == "Ben: 3 of 3 dots left"
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {"Asha": 3, "Ben": 1}


def test_undo_gives_the_dot_back(window, project_path, qtbot):
    present_on_a_theme(window, qtbot, project_path)
    bar = window.presentation
    type_voter(window, qtbot, "Asha")
    for _ in range(3):
        key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert dots(project_path) == {"Asha": 2}
    assert bar.dots_left.text() == "Asha: 1 of 3 dots left"
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {"Asha": 3}
    assert bar.dots_left.text() == "Asha: 0 of 3 dots left"


def test_no_name_no_dot_and_the_name_is_asked_for(window, project_path, qtbot, settings):
    settings._set("presentation/voter", "Someone from last week")     # as older versions kept it
    present_on_a_theme(window, qtbot, project_path)
    bar = window.presentation
    assert bar.voter_edit.text() == ""      # not last session's voter
    assert bar.dots_left.text() == "type a name to vote"
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {}         # no "Participant"
    assert "Type the voter's name" in window.notify.label.text()
    assert QApplication.focusWidget() is bar.voter_edit
    qtbot.keyClicks(bar.voter_edit, "  ")   # blanks are no name either
    qtbot.keyClick(bar.voter_edit, Qt.Key_Return)
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {}


def test_the_facilitator_sets_the_dots_each(window, project_path, qtbot, settings):
    present_on_a_theme(window, qtbot, project_path)
    bar = window.presentation
    bar.dots_each.setValue(5)
    assert settings.dots_per_voter == 5     # the next session starts with 5
    type_voter(window, qtbot, "Asha")
    assert bar.dots_left.text() == "Asha: 5 of 5 dots left"
    for _ in range(6):
        key(qtbot, Qt.Key_D)
    assert dots(project_path) == {"Asha": 5}
    bar.dots_each.setValue(1)
    assert bar.dots_left.text() == "Asha: 0 of 1 dot left"


def test_dots_already_in_the_project_count_for_their_voter(window, project_path, qtbot):
    from synth.board import CastDots
    from synth.project import Project
    with Project.open(project_path) as p:
        theme = p.scalar("SELECT min(id) FROM themes")
        p.history.apply(CastDots(theme, "asha", 2))         # an earlier session, any case
        p.history.apply(CastDots(theme, "Participant", 7))  # as the old default stored them
    present_on_a_theme(window, qtbot, project_path)
    type_voter(window, qtbot, "Asha")
    assert window.presentation.dots_left.text() == "Asha: 1 of 3 dots left"
    key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {"asha": 2, "Asha": 1, "Participant": 7}
    assert window.scene.frames[theme].label.words().endswith("●10")


def test_outside_presentation_the_dot_is_the_researchers_not_the_last_voters(
        window, project_path, qtbot, settings):
    """Alone at the laptop D gives the researcher's dot: the name their codings carry (the
    Document panel's Coder box: the project's coder name, else the login), else "Researcher";
    never the last voter of a session (this one's or one an older version remembered in the
    settings)."""
    from ui.testing import coding_panel
    settings._set("presentation/voter", "Someone from last week")
    theme = present_on_a_theme(window, qtbot, project_path)
    type_voter(window, qtbot, "Asha")
    key(qtbot, Qt.Key_D)
    key(qtbot, Qt.Key_F5)                   # leave
    assert window.presentation is None
    coder = coding_panel(window, "DocumentPanel").coder_edit
    coder.setText("")                       # no login name on this computer
    window.scene.select_themes([theme])
    window.view.setFocus()
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {"Asha": 1, "Researcher": 1}
    coder.setText("  Maya   Patel ")        # typed in the Coder box: her codings' name
    key(qtbot, Qt.Key_D)
    assert dots(project_path) == {"Asha": 1, "Researcher": 1, "Maya Patel": 1}
    assert window.undo_stack.undoText() == "Maya Patel votes for a theme"


def test_the_dots_each_belong_to_the_study(window, project_path, qtbot, settings, tmp_path):
    """The allowance is the project's (its dots are counted against it): another study on the
    same laptop starts from the last one set here but keeps its own once set."""
    other = make_project(tmp_path / "other.synth", statements=10, notes=0, themes=1)
    present_on_a_theme(window, qtbot, project_path)
    window.presentation.dots_each.setValue(5)
    window.set_presentation(False)
    present_on_a_theme(window, qtbot, other)
    assert window.presentation.dots_each.value() == 5     # a new study: the last one set here
    window.presentation.dots_each.setValue(2)
    window.set_presentation(False)
    present_on_a_theme(window, qtbot, project_path)
    assert window.presentation.dots_each.value() == 5     # was 2: the laptop's last setting
    type_voter(window, qtbot, "Asha")
    assert window.presentation.dots_left.text() == "Asha: 5 of 5 dots left"
    assert dict(file_rows(other, "SELECT key, value FROM settings WHERE key = 'dots_per_voter'")
                ) == {"dots_per_voter": "2"}
