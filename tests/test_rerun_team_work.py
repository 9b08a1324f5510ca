"""A rerun of theme discovery respects the team's work, with the real bundled model on the three
small topics: a card placed by hand stays where the team put it, an accepted theme keeps its
cards and may take new ones, the machine's cards of candidate themes are sorted again as before
(same cards and seed: the same themes), a drag made while the run works is kept, undo and the
split by similarity keep the record of who placed what, and a project saved before the record
existed opens with it inferred."""
from __future__ import annotations

import sqlite3

from tests.themes_study import TOPICS, dump, fill, topic_texts


def _notes(project) -> list[tuple[str, int]]:
    return [("note", r[0]) for r in project.query("SELECT id FROM notes ORDER BY id")]


def _places(project) -> dict:
    return {(r[0], r[1]): r[2] for r in project.query(
        "SELECT card_kind, card_id, theme_id FROM card_places")}


def _theme_of(project, card) -> int | None:
    return _places(project).get(card)


def _topic_theme(project, topic: str) -> int:
    """The theme holding the second card of a topic (its first IT card reads like the office
    ones)."""
    return _theme_of(project, _notes(project)[6 * list(TOPICS).index(topic) + 1])


def test_a_rerun_of_an_untouched_project_gives_the_same_themes_and_records_the_run(project):
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import fixed_cards
    refs = fill(project, topic_texts())
    first = discover_themes(project, k=3, seed=0)
    places = _places(project)
    recorded = dict(((r[0], r[1]), r[2]) for r in project.query(
        "SELECT card_kind, card_id, theme_id FROM run_places"))
    assert recorded == {c: places.get(c) for c in refs}     # the unsorted too, as None
    assert fixed_cards(project) == set()                    # nothing the team did
    second = discover_themes(project, k=3, seed=0)
    assert _places(project) == places
    assert [t["id"] for t in second["themes"]] == [t["id"] for t in first["themes"]]
    assert (second["kept"], second["cards_kept"], second["by_hand"]) == ([], 0, 0)
    assert second["new_cards"]["sorted"] == 0 and second["moved"] == 0
    assert second["resorted"] == 18
    # each card's record names the run that put it there: the first, left unchanged
    assert {r[0] for r in project.query("SELECT DISTINCT run_id FROM run_places")} == \
        {first["run_id"]}
    assert first["kept"] == [] and first["new_cards"] == {
        "sorted": 18, "kept": 0, "candidate": 18 - first["unsorted"],
        "unsorted": first["unsorted"]}


def test_cards_placed_by_hand_stay_and_the_machines_cards_are_sorted_as_before(project):
    from synth.board import CreateTheme, MoveCards
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import describe_rerun, fixed_cards
    fill(project, topic_texts())
    notes = _notes(project)
    discover_themes(project, k=3, seed=0)
    office = _topic_theme(project, "office")
    machine = _places(project)
    dragged = [notes[2], notes[3]]                  # two pay cards: the team reads them as office
    project.history.apply(MoveCards(dragged, office, [(0.0, 50.0), (0.0, 51.0)]))
    ours = project.history.apply(CreateTheme("Ours", [notes[14]], status="candidate"))
    assert fixed_cards(project) == {*dragged, notes[14]}
    second = discover_themes(project, k=3, seed=0)
    now = _places(project)
    assert [now[c] for c in dragged] == [office, office] and now[notes[14]] == ours
    # the positions the drop gave them too: nothing wrote over them
    assert [r[0] for r in project.query("SELECT y FROM card_places WHERE card_kind = 'note' "
                                        "AND card_id IN (?, ?) ORDER BY y",
                                        (notes[2][1], notes[3][1]))] == [50.0, 51.0]
    others = {c: t for c, t in machine.items() if c not in (*dragged, notes[14])}
    assert {c: now.get(c) for c in others} == others    # same cards and seed: same places
    assert (second["cards_kept"], second["by_hand"]) == (3, 3)
    assert second["kept"] == [{"id": ours, "name": "Ours"}]
    assert describe_rerun(second).startswith(
        "kept 1 theme as the team left it (“Ours”); 3 cards kept as placed (3 placed by "
        "hand); 0 new cards sorted; ")


def test_an_accepted_theme_keeps_its_cards_and_a_new_card_can_join_it(project):
    from synth import board
    from synth.board import UpdateTheme
    from synth.project import now_iso
    from synth.themes.project_themes import discover_themes
    texts = [t for items in TOPICS.values() for t in items[:5]]
    fill(project, texts)
    discover_themes(project, k=3, seed=0)
    pay = _theme_of(project, _notes(project)[1])
    project.history.apply(UpdateTheme(pay, {"status": "accepted", "name": "Fair pay"}))
    pay_cards = board.theme_cards(project, pay)
    with project.transaction() as db:               # a second workshop's notes come in
        db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES "
                   "(2, 'workshop', 'w2', ?)", (now_iso(),))
        for items in TOPICS.values():
            db.execute("INSERT INTO notes(source_id, text) VALUES (2, ?)", (items[5],))
    new_pay = ("note", project.scalar("SELECT id FROM notes WHERE text = ?",
                                      (TOPICS["pay"][5],)))
    result = discover_themes(project, k=3, seed=5)   # another seed: the candidates may change
    assert set(pay_cards) < set(board.theme_cards(project, pay))
    assert _theme_of(project, new_pay) == pay        # "Pay progression within a grade is frozen"
    assert pay not in [t["id"] for t in result["themes"]]   # kept, not a candidate made again
    assert result["kept"] == [{"id": pay, "name": "Fair pay"}]
    assert result["new_cards"]["sorted"] == 3 and result["new_cards"]["kept"] >= 1
    assert result["cards_kept"] == len(pay_cards)


def test_a_card_dragged_while_the_run_works_stays_where_it_was_dropped(project, monkeypatch):
    from synth.board import MoveCards
    from synth.themes import labels
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    notes = _notes(project)
    discover_themes(project, k=3, seed=0)
    office = _topic_theme(project, "office")
    real = labels.label_themes

    def naming(*a, **k):            # the team drags a pay card while the themes are named
        named = real(*a, **k)
        project.history.apply(MoveCards([notes[4]], office))
        return named
    monkeypatch.setattr(labels, "label_themes", naming)
    discover_themes(project, k=3, seed=0)
    assert _theme_of(project, notes[4]) == office
    assert project.history.names()[-2:] == ["Move 1 card to theme", "Find 3 candidate themes"]


def test_undo_of_a_rerun_brings_back_who_placed_what(project):
    from synth.board import MoveCards
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import fixed_cards
    fill(project, topic_texts())
    notes = _notes(project)
    discover_themes(project, k=3, seed=0)
    project.history.apply(MoveCards([notes[0]], _topic_theme(project, "it")))
    before = dump(project, ("card_places", "run_places", "themes"))
    discover_themes(project, k=2, seed=1)
    assert fixed_cards(project) == {notes[0]}
    project.history.undo()
    assert dump(project, ("card_places", "run_places", "themes")) == before
    assert fixed_cards(project) == {notes[0]}


def test_a_split_by_similarity_keeps_a_card_placed_by_hand_in_the_theme(project):
    from synth import board
    from synth.board import MoveCards
    from synth.themes.project_themes import discover_themes, split_theme
    from synth.themes.placements import fixed_cards
    fill(project, topic_texts())
    notes = _notes(project)
    discover_themes(project, k=3, seed=0)
    pay = _topic_theme(project, "pay")
    project.history.apply(MoveCards([notes[7]], pay))          # an office card, by hand
    parts = split_theme(project, pay, k=2)
    recorded = dict(((r[0], r[1]), r[2]) for r in project.query(
        "SELECT card_kind, card_id, theme_id FROM run_places"))
    for part in parts:
        for card in board.theme_cards(project, part):
            assert (recorded[card] == part) == (card != notes[7])
    assert fixed_cards(project) == {notes[7]}
    discover_themes(project, k=3, seed=0)                      # it stays in a part of pay
    assert _theme_of(project, notes[7]) in board.subtree(project, pay)


def test_a_project_of_format_2_opens_with_who_placed_what_inferred(tmp_path):
    from synth.board import CreateTheme, MoveCards
    from synth.project import Project
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import fixed_cards
    path = tmp_path / "old.synth"
    with Project.create(path) as p:
        fill(p, topic_texts())
        notes = _notes(p)
        discover_themes(p, k=3, seed=0)
        ours = p.history.apply(CreateTheme("Ours", [notes[17]]))
        p.history.apply(MoveCards([notes[0]], _topic_theme(p, "it")))
        places = _places(p)
    db = sqlite3.connect(path)                      # as Synth before format 3 left it
    db.execute("DROP TABLE run_places")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Project.open(path) as p:
        assert int(p.meta("schema_version")) >= 3
        recorded = dict(((r[0], r[1]), r[2]) for r in p.query(
            "SELECT card_kind, card_id, theme_id FROM run_places"))
        # cards in themes a run made count as that run's; the drag between two of them can
        # no longer be told; the hand-made theme's card is the team's
        assert recorded == {c: t for c, t in places.items() if t != ours}
        assert fixed_cards(p) == {notes[17]}


def test_the_outlook_says_what_a_rerun_keeps_and_what_it_may_move(project):
    from synth.board import MoveCards, UpdateTheme
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import describe_outlook, rerun_outlook
    fill(project, topic_texts())
    notes = _notes(project)
    first = rerun_outlook(project)
    assert describe_outlook(first) == "Sorts the 18 cards into candidate themes."
    result = discover_themes(project, k=3, seed=0)
    pay, office = _topic_theme(project, "pay"), _topic_theme(project, "office")
    project.history.apply(UpdateTheme(pay, {"status": "accepted", "name": "Fair pay"}))
    project.history.apply(MoveCards([notes[8]], pay))
    project.history.apply(UpdateTheme(office, {"pinned": 1}))
    o = rerun_outlook(project)
    in_pay = len(project.query("SELECT 1 FROM card_places WHERE theme_id = ?", (pay,)))
    in_office = len(project.query("SELECT 1 FROM card_places WHERE theme_id = ?", (office,)))
    office_name = project.scalar("SELECT name FROM themes WHERE id = ?", (office,))
    assert sorted(o.kept) == sorted(["Fair pay", office_name])
    assert (o.pinned, o.cards_kept, o.by_hand) == (1, in_pay + in_office, 1)
    assert o.may_move == 18 - result["unsorted"] - in_pay - in_office
    assert o.to_sort == result["unsorted"] and o.new == 0
    said = describe_outlook(o)
    assert said.startswith("A rerun keeps 2 themes as they are (")
    assert f"leaves {in_pay + in_office} cards where they lie, 1 of them placed by hand. " \
        in said
    assert f"It may move the {o.may_move} cards that earlier runs placed in candidate " \
           "themes" in said
    assert said.endswith("New cards can join accepted and renamed themes; pinned themes take none.")


def test_an_outlook_with_nothing_kept_says_so_and_a_rename_keeps(project):
    """QA: before a rerun of an untouched board the dialog said "A rerun leaves 0 cards where
    they lie"; and a renamed theme was not among those kept, though the team had named it."""
    from synth.board import UpdateTheme
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import describe_outlook, rerun_outlook
    fill(project, topic_texts())
    result = discover_themes(project, k=3, seed=0)
    said = describe_outlook(rerun_outlook(project))
    assert said.startswith("No theme is accepted, renamed or pinned and no card was placed by "
                           "hand, so a rerun keeps none of this board. It may move the "
                           f"{18 - result['unsorted']} cards")
    it = _topic_theme(project, "it")
    project.history.apply(UpdateTheme(it, {"name": "Our IT"}))
    o = rerun_outlook(project)
    in_it = len(project.query("SELECT 1 FROM card_places WHERE theme_id = ?", (it,)))
    assert o.kept == ["Our IT"] and o.cards_kept == in_it
    assert describe_outlook(o).startswith(
        f"A rerun keeps 1 theme as it is (“Our IT”: accepted, renamed or pinned) and leaves "
        f"{in_it} cards where they lie. ")


def _as_if_a_run_placed(project, cards) -> None:
    """Record the cards' places as a discovery run's (``run_places``): the themes they lie in
    stand for themes an earlier run made."""
    from synth.board import Batch
    from synth.operations import Operation
    from synth.themes.placements import record_run_places

    class Record(Operation):
        def run(self, tx):
            record_run_places(tx, {c: tx.scalar("SELECT theme_id FROM card_places WHERE "
                                                "card_kind = ? AND card_id = ?", c)
                                   for c in cards}, 0)
    project.history.apply(Batch([Record()], label="As if a run placed them"))


def test_a_machine_sub_theme_of_a_theme_that_is_not_reused_goes_unless_it_has_work(project):
    """"Mixed bag" (a description written, one card of each topic, as a run left them)
    matches no cluster: its machine-placed card goes to its topic's theme; it is kept for its
    description, with its sub-theme that the researcher accepted, which keeps its card; a
    machine sub-theme in it with no work is removed. (A renamed theme would keep its cards, as
    an accepted one: test_accepted_and_edited_names_survive_a_rerun_….)"""
    from synth import board
    from synth.board import CreateTheme, UpdateTheme
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    notes = _notes(project)
    h = project.history
    bag = h.apply(CreateTheme("Mixed bag", [notes[0]], status="candidate"))
    h.apply(UpdateTheme(bag, {"description": "Cards we have not sorted yet"}))
    mine = h.apply(CreateTheme("Kept part", [notes[6]], parent_id=bag))         # accepted
    machine = h.apply(CreateTheme("Part", [notes[12]], parent_id=bag, status="candidate"))
    _as_if_a_run_placed(project, [notes[0], notes[6], notes[12]])
    result = discover_themes(project, k=3, seed=0)
    themes = {r[0]: r[1] for r in project.query("SELECT id, parent_id FROM themes")}
    assert machine not in themes and themes[mine] == bag
    assert project.scalar("SELECT name FROM themes WHERE id = ?", (bag,)) == "Mixed bag"
    assert board.theme_cards(project, mine) == [notes[6]]       # accepted: kept its card
    topics = {t["id"] for t in result["themes"]}
    assert _theme_of(project, notes[0]) in topics and _theme_of(project, notes[12]) in topics
    assert result["kept_empty"] == []                           # bag holds its sub-theme's card
    assert [t["id"] for t in result["kept"]] == [bag]
    assert len(result["themes"]) == 3
    assert sum(len(board.theme_cards(project, t["id"])) for t in result["themes"]) \
        + result["unsorted"] + 1 == 18


def test_accepted_and_edited_names_survive_a_rerun_and_a_kept_empty_theme_is_reported(project):
    from synth import board
    from synth.board import CreateTheme, UpdateTheme
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    first = discover_themes(project, k=3, seed=0)
    pay, office, it = (_topic_theme(project, t) for t in TOPICS)
    assert len({pay, office, it}) == 3
    machine_names = {t["id"]: t["name"] for t in first["themes"]}
    with project.transaction() as db:       # names an earlier run gave, not the researcher
        db.execute("UPDATE themes SET name = 'Old name ' || id")
    project.history.apply(UpdateTheme(office, {"status": "accepted"}))
    office_cards = board.theme_cards(project, office)
    it_cards = board.theme_cards(project, it)
    project.history.apply(UpdateTheme(it, {"name": "Our IT"}))
    extra = project.history.apply(CreateTheme("Loose ends", [], status="accepted"))
    second = discover_themes(project, k=3, seed=0)
    names = dict(project.query("SELECT id, name FROM themes"))
    assert names[pay] == machine_names[pay]                 # a candidate's name is the machine's
    assert names[office] == f"Old name {office}"            # accepted: the researcher's, and
    assert board.theme_cards(project, office) == office_cards    # its cards
    # renamed: the team has read its cards, as for an accepted theme (QA: a renamed theme was
    # emptied by a rerun and its cards went to another)
    assert names[it] == "Our IT" and board.theme_cards(project, it) == it_cards
    assert {t["id"]: t["name"] for t in second["themes"]} == {pay: machine_names[pay]}
    assert sorted(t["id"] for t in second["kept"]) == sorted([office, it, extra])
    # kept, with its name, and said so: as a theme still waiting for cards, since it held
    # none before the run either (the run did not empty it)
    assert second["kept_empty"] == [] and second["still_empty"] == [extra]
    runs = project.query("SELECT result FROM analysis_runs ORDER BY id DESC LIMIT 1")
    assert '"still_empty": [%d]' % extra in runs[0][0]


def test_a_stale_theme_the_team_works_on_while_the_run_works_is_not_removed(project,
                                                                             monkeypatch):
    """Review: the themes to remove were decided when the run was planned; one renamed while
    the run named its themes was deleted all the same (with its codings and evidence)."""
    from synth.board import CreateTheme, UpdateTheme
    from synth.themes.project_themes import discover_themes
    fill(project, topic_texts())
    notes = _notes(project)
    h = project.history
    bag = h.apply(CreateTheme("Mixed bag", [notes[0]], status="candidate"))
    h.apply(UpdateTheme(bag, {"description": "Cards we have not sorted yet"}))
    machine = h.apply(CreateTheme("Part", [notes[12]], parent_id=bag, status="candidate"))
    _as_if_a_run_placed(project, [notes[0], notes[12]])
    from synth.themes.project_themes import WriteCandidateThemes
    real = project.history.apply

    def apply(op):                  # the team renames the machine's sub-theme meanwhile:
        write = [o for o in getattr(op, "operations", [op])   # after the plan, before its
                 if isinstance(o, WriteCandidateThemes)]       # write
        if write:
            assert machine in write[0].remove
            real(UpdateTheme(machine, {"name": "Our part"}))
        return real(op)
    monkeypatch.setattr(project.history, "apply", apply)
    discover_themes(project, k=3, seed=0)
    assert project.query("SELECT name, parent_id FROM themes WHERE id = ?", (machine,)) \
        and project.scalar("SELECT name FROM themes WHERE id = ?", (machine,)) == "Our part"


def test_the_same_name_given_again_is_no_rename(project):
    """Review: OK in the Rename box without a change marked the name as the team's, so a rerun
    kept the theme and its cards as if the team had named it."""
    from synth.board import UpdateTheme
    from synth.themes.project_themes import discover_themes
    from synth.themes.placements import rerun_outlook
    fill(project, topic_texts())
    discover_themes(project, k=3, seed=0)
    it = _topic_theme(project, "it")
    name = project.scalar("SELECT name FROM themes WHERE id = ?", (it,))
    project.history.apply(UpdateTheme(it, {"name": f"  {name} "}))
    assert project.scalar("SELECT name_edited FROM themes WHERE id = ?", (it,)) == 0
    assert rerun_outlook(project).kept == []
    project.history.apply(UpdateTheme(it, {"name": "Our IT"}))
    assert project.scalar("SELECT name_edited FROM themes WHERE id = ?", (it,)) == 1
