"""A themes run beside the team's codebook (QA, stop 18): codes that held no card before the run
are said to be waiting for cards, not "kept though now empty"; a candidate theme named as such a
code (a codebook exported from a run and imported again) is named as its twin, for the team to
merge once it has read its cards: the run puts no card in the team's code itself (review: the
report then called the machine's sorting the team's)."""
from __future__ import annotations

from tests.themes_study import fill, topic_texts


def _cards_in(project, theme_id: int) -> set:
    return {(r[0], r[1]) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (theme_id,))}


def _round_trip(project) -> tuple[str, set]:
    """The project as after a codebook round trip: a run's themes gone, the team's codes in
    their place; the name of one theme the run found and its cards."""
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    first = discover_themes(project, k=3, seed=0)
    twin = first["themes"][0]
    cards = _cards_in(project, twin["id"])
    with project.transaction() as db:
        db.execute("DELETE FROM card_places")
        db.execute("DELETE FROM run_places")
        db.execute("DELETE FROM themes")
    return twin["name"], cards


def test_a_candidate_named_as_a_waiting_code_is_its_twin_and_the_code_stays_empty(project):
    from synth.board import CreateTheme
    from synth.themes.project_themes import discover_themes
    twin, cards = _round_trip(project)
    h = project.history
    code = h.apply(CreateTheme(f"  {twin.upper()} ", [], status="candidate"))
    with project.transaction() as db:                   # as add_codes writes an imported code
        db.execute("UPDATE themes SET name_edited = 1")
    other = h.apply(CreateTheme("Carers and families", [], status="accepted"))
    second = discover_themes(project, k=3, seed=0)
    assert _cards_in(project, code) == set()            # the team's code: no card unread
    found = {t["name"]: t["id"] for t in second["themes"]}
    assert len(found) == 3 and _cards_in(project, found[twin]) == cards
    assert second["twins"] == [[found[twin], code]]
    assert sorted(second["still_empty"]) == sorted([code, other])
    assert second["kept_empty"] == []


def test_two_codes_of_one_name_have_no_twin(project):
    """Which of two same-named codes a candidate doubles cannot be told: neither is named."""
    from synth.board import CreateTheme
    from synth.themes.project_themes import discover_themes
    twin, _cards = _round_trip(project)
    parent = project.history.apply(CreateTheme("Ours", [], status="accepted"))
    a = project.history.apply(CreateTheme(twin, [], status="accepted"))
    b = project.history.apply(CreateTheme(twin, [], status="accepted", parent_id=parent))
    second = discover_themes(project, k=3, seed=0)
    assert _cards_in(project, a) == _cards_in(project, b) == set()
    assert second["twins"] == [] and len(second["themes"]) == 3
    assert sorted(second["still_empty"]) == sorted([parent, a, b])


def test_the_run_says_which_codes_wait_for_cards():
    from ui.window_analysis import finished_message
    result = {"themes": [{"id": 1}] * 4, "unsorted": 2, "kept_empty": [7],
              "still_empty": [8, 9, 10, 11]}
    names = {7: "Four-day week", 8: "Pay and reward", 9: "Learning", 10: "Kit, IT and AI",
             11: "Fair access"}
    assert finished_message("Finding candidate themes", result, facts={"names": names}) == (
        "4 candidate themes found; 2 cards left unsorted; “Four-day week” kept though now "
        "empty (your name, acceptance or coding is on it); “Pay and reward”, “Learning”, "
        "“Kit, IT and AI” and 1 more hold no card yet: More like this (L) on one offers "
        "cards by its name.")
    one = {"themes": [{"id": 1}], "unsorted": 0, "still_empty": [8], "twins": [[1, 8]]}
    assert finished_message("Finding candidate themes", one, facts={"names": names}) == (
        "1 candidate theme found; “Pay and reward” holds no card yet: More like this (L) on "
        "one offers cards by its name; a candidate theme is named as your code “Pay and "
        "reward”: once the team has read its cards, Details → Reads most like merges it into "
        "the code.")



def test_undo_labels_count_as_people_read_them(project):
    from coding.codebook import MergeCodes
    from synth.themes.project_themes import PlannedTheme, WriteCandidateThemes
    assert MergeCodes([1, 2], 1).describe() == "Merge 2 codes"       # was "Merge 1 code(s)"
    one = WriteCandidateThemes([PlannedTheme("Pay", [], [])], [], [], [], 1)
    assert one.describe() == "Find 1 candidate theme"
