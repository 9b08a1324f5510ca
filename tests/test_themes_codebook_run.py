"""A themes run beside the team's codebook (QA, stop 18): codes that held no card before the run
are said to be waiting for cards, not "kept though now empty"; a code named as a cluster the
run finds (a codebook exported from a run and imported again) fills with that cluster's cards
rather than standing empty beside a twin of the same name; undo puts the cards back."""
from __future__ import annotations

from tests.themes_study import dump, fill, topic_texts

BOARD = ("themes", "card_places")     # (a run's record stays on undo)


def _names(project) -> dict[int, str]:
    return dict(project.query("SELECT id, name FROM themes"))


def _cards_in(project, theme_id: int) -> set:
    return {(r[0], r[1]) for r in project.query(
        "SELECT card_kind, card_id FROM card_places WHERE theme_id = ?", (theme_id,))}


def test_a_code_named_as_a_found_theme_takes_its_cards_and_the_others_wait(project):
    from synth.board import CreateTheme
    from synth.themes.project_themes import discover_themes
    refs = fill(project, topic_texts())
    first = discover_themes(project, k=3, seed=0)
    found = {t["name"]: set(map(tuple, _cards_in(project, t["id"]))) for t in first["themes"]}
    assert len(found) == 3
    twin, cards = next(iter(found.items()))
    # the project as after a codebook round trip: the run's themes gone, the team's codes
    # (named by the team, no card) in their place, one of them named as the run named a theme
    with project.transaction() as db:
        db.execute("DELETE FROM card_places")
        db.execute("DELETE FROM run_places")
        db.execute("DELETE FROM themes")
    h = project.history
    code = h.apply(CreateTheme(f"  {twin.upper()} ", [], status="candidate"))
    with project.transaction() as db:                   # as add_codes writes an imported code
        db.execute("UPDATE themes SET name_edited = 1")
    other = h.apply(CreateTheme("Carers and families", [], status="accepted"))
    before = dump(project, BOARD)

    second = discover_themes(project, k=3, seed=0)
    assert _cards_in(project, code) == cards            # the twin's cards, in the team's code
    assert _names(project)[code] == twin.upper()          # under the team's name
    assert twin not in {t["name"] for t in second["themes"]}    # and no twin beside it
    assert len(second["themes"]) == 2
    assert second["still_empty"] == [other] and second["kept_empty"] == []
    placed = sum(len(_cards_in(project, t["id"])) for t in second["themes"])
    assert placed + len(cards) + second["unsorted"] == len(refs)

    h.undo()
    assert dump(project, BOARD) == before               # one undo step puts it all back


def test_two_codes_of_one_name_take_no_cluster(project):
    """Which of two same-named codes a cluster means cannot be told: neither takes it."""
    from synth.board import CreateTheme
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    first = discover_themes(project, k=3, seed=0)
    twin = first["themes"][0]["name"]
    with project.transaction() as db:
        db.execute("DELETE FROM card_places")
        db.execute("DELETE FROM run_places")
        db.execute("DELETE FROM themes")
    parent = project.history.apply(CreateTheme("Ours", [], status="accepted"))
    a = project.history.apply(CreateTheme(twin, [], status="accepted"))
    b = project.history.apply(CreateTheme(twin, [], status="accepted", parent_id=parent))
    second = discover_themes(project, k=3, seed=0)
    assert _cards_in(project, a) == _cards_in(project, b) == set()
    assert len(second["themes"]) == 3
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
    one = {"themes": [{"id": 1}], "unsorted": 0, "still_empty": [8]}
    assert finished_message("Finding candidate themes", one, facts={"names": names}) == (
        "1 candidate theme found; “Pay and reward” holds no card yet: More like this (L) on "
        "one offers cards by its name.")

