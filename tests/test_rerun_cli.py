"""QA's case on the command line: the team accepts the sample study's candidate themes, renames
one and drags 10 cards from the second theme into the first with the board's own operation;
`run --project` (which "analyses an existing project as it is") and `run new.csv --project`
then keep every card where the team left it, print what they kept under the names the themes
bear, and send new cards to the accepted themes they belong to."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from ui.testing import file_places

NEW_NOTES = """note_id,site,workshop,activity,text
NEW-001,Leeds,Leeds follow-up,add,AI tools that draft the first version of a letter for us
NEW-002,Leeds,Leeds follow-up,keep,Senior jobs should be based outside London too
NEW-003,Leeds,Leeds follow-up,keep,Roles not tied to London open the civil service to more people
"""


def synth(*args):
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _themes_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("themes:"))


@pytest.fixture(scope="module")
def team_project(tmp_path_factory):
    """The sample study with its candidate themes found by `run`, then the team's work: every
    theme accepted, the first renamed, 10 cards of the second dragged into the first."""
    from synth.board import MoveCards, UpdateTheme
    from synth.project import Project
    path = tmp_path_factory.mktemp("team") / "s.synth"
    first = _themes_line(synth("run", "--project", path, "--new", "--no-groups"))
    assert re.match(r"themes: \d+ candidate themes \(", first)   # a first run: nothing kept
    with Project.open(path) as p:
        themes = [r[0] for r in p.query("SELECT id FROM themes WHERE parent_id IS NULL "
                                        "ORDER BY id")]
        for t in themes:
            p.history.apply(UpdateTheme(t, {"status": "accepted"}))
        p.history.apply(UpdateTheme(themes[0], {"name": "Renamed by the team"}))
        dragged = [tuple(r) for r in p.query("SELECT card_kind, card_id FROM card_places "
                                             "WHERE theme_id = ? ORDER BY card_kind, card_id "
                                             "LIMIT 10", (themes[1],))]
        # as the board's drop does (ui/board/scene.py move_cards): one MoveCards, positions
        p.history.apply(MoveCards(dragged, themes[0], [(0.0, 100.0 + i) for i in range(10)]))
    return path, themes, dragged


def test_run_on_an_edited_project_keeps_the_teams_cards_and_says_what_it_kept(
        team_project, tmp_path):
    source, themes, dragged = team_project
    path = shutil.copyfile(source, tmp_path / "s.synth")
    before = file_places(path)
    line = _themes_line(synth("run", "--project", path, "--no-groups"))
    after = file_places(path)
    assert {c: after[c] for c in dragged} == {c: themes[0] for c in dragged}
    assert after == before                        # every placed card where the team left it
    n = len(themes)
    assert line.startswith(f"themes: kept {n} themes as the team left them "
                           "(“Renamed by the team”, “")
    assert f"; {len(before)} cards kept as placed (10 placed by hand); 0 new cards sorted" \
        in line
    assert "; 0 candidate themes; " in line       # no stale cluster labels: nothing new made
    from ui.testing import file_rows
    assert file_rows(path, "SELECT name, status FROM themes WHERE id = ?", (themes[0],)) == \
        [("Renamed by the team", "accepted")]


def test_run_with_a_new_file_sends_new_cards_to_the_accepted_themes_they_belong_to(
        team_project, tmp_path):
    from ui.testing import file_rows
    source, themes, dragged = team_project
    path = shutil.copyfile(source, tmp_path / "s.synth")
    before = file_places(path)
    notes = tmp_path / "new.csv"
    notes.write_text(NEW_NOTES, encoding="utf-8")
    line = _themes_line(synth("run", notes, "--project", path, "--no-groups"))
    after = file_places(path)
    assert {c: after[c] for c in before} == before    # the team's cards all stay
    new = dict(file_rows(path, "SELECT n.text, c.theme_id FROM notes n LEFT JOIN card_places "
                               "c ON c.card_kind = 'note' AND c.card_id = n.id "
                               "WHERE n.external_id LIKE 'NEW-%'"))
    # "Renamed by the team" holds the London cards ("Jobs not tied to London", …)
    assert new["Senior jobs should be based outside London too"] == themes[0]
    assert new["Roles not tied to London open the civil service to more people"] == themes[0]
    accepted = {r[0] for r in file_rows(path, "SELECT id FROM themes WHERE status = "
                                              "'accepted'")}
    assert new["AI tools that draft the first version of a letter for us"] in accepted
    assert f"{len(before)} cards kept as placed (10 placed by hand); " \
           "3 new cards sorted (3 into kept themes)" in line
