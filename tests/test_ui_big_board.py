"""A big project opens without freezing the window: the cards are read on the task runner and
the board fills in slices, while the GUI thread goes on processing events; changes wait until
every card is on the board."""
from __future__ import annotations

from PySide6.QtCore import QTimer

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401
from ui.board.loading import BIG_BOARD
from ui.testing import bring_into_sight, file_places, file_rows, make_project

N_NOTES = 15_000


def test_a_big_project_fills_the_board_in_the_background(window, tmp_path, qtbot):
    assert N_NOTES > BIG_BOARD
    path = make_project(tmp_path / "big.synth", statements=0, notes=N_NOTES, themes=0)
    ticks, progress = [], []
    timer = QTimer()
    timer.setInterval(10)
    # counted only while the board is not ready: proof the event loop turned during the open
    timer.timeout.connect(lambda: ticks.append(1) if not window.scene.ready else None)
    window.loader.progressed.connect(lambda placed, total, _m: progress.append((placed, total)))
    timer.start()

    assert window.open_project(path)
    assert not window.scene.ready                   # the big path: filled in the background
    from synth.board import CreateTheme
    assert window.run_operation(CreateTheme("Too early")) is None
    assert window.notify.messages[-1][0] == "warning"
    assert file_rows(path, "SELECT count(*) FROM themes") == [(0,)]

    qtbot.waitUntil(lambda: window.scene.ready and not window.runner.busy()
                    and not window.reader.busy(), timeout=120_000)     # counts read last
    timer.stop()
    assert len(ticks) >= 2, "the GUI thread did not process events while the board filled"
    assert len({p for p, _t in progress}) >= 3      # several slices, each its own turn
    assert progress[-1] == (N_NOTES, N_NOTES) or progress[-1][1] == N_NOTES
    refs = {("note", i) for (i,) in file_rows(path, "SELECT id FROM notes")}
    assert set(window.scene.card_items) == refs and len(refs) == N_NOTES
    assert len(window.scene.frames[None].cells) == N_NOTES     # all in the unsorted frame
    assert not window.progress.isVisible()
    assert f"{N_NOTES:,} notes" in window.summary_label.text()

    tid = window.run_operation(CreateTheme("Now it can", cards=[("note", 1), ("note", 2)]))
    assert file_rows(path, "SELECT id, name FROM themes") == [(tid, "Now it can")]
    assert file_rows(path, "SELECT card_kind, card_id FROM card_places WHERE theme_id = ? "
                           "ORDER BY card_id", (tid,)) == [("note", 1), ("note", 2)]
    assert window.scene.cards[("note", 1)].theme_id == tid


def test_opening_another_project_while_a_big_board_fills_shows_the_new_one(window, tmp_path,
                                                                           qtbot):
    big = make_project(tmp_path / "big.synth", statements=0, notes=N_NOTES, themes=0)
    small = make_project(tmp_path / "small.synth", statements=10, notes=5, themes=1)
    assert window.open_project(big)
    assert not window.scene.ready
    assert window.open_project(small)             # small: complete at once
    assert window.scene.ready and len(window.scene.card_items) == 15
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60_000)
    qtbot.wait(50)                                # the stale read's result is ignored
    assert len(window.scene.card_items) == 15 and window.scene.ready


# --------------------------------------------------------------------------- edits, big board
MID_STATEMENTS, MID_NOTES, MID_THEMES = 9_000, 3_000, 12      # 12,000 cards: the big paths


def _mid_project(tmp_path, with_votes: bool = False):
    """A board above every big-board threshold, 60 % of its cards in themes; with single votes
    of 40 participants on 300 statements and an opinion-groups run of two groups if asked."""
    import random
    path = make_project(tmp_path / "mid.synth", statements=MID_STATEMENTS, notes=MID_NOTES,
                        themes=MID_THEMES, placed=0.6)
    if with_votes:
        from synth.project import Project, now_iso
        rng = random.Random(7)
        with Project.open(path) as p, p.transaction() as db:
            db.executemany("INSERT INTO participants(id, source_id, external_id) "
                           "VALUES (?, 1, ?)", [(i, f"p{i}") for i in range(1, 41)])
            db.executemany("INSERT INTO votes(statement_id, participant_id, value) "
                           "VALUES (?, ?, ?)",
                           [(s, i, rng.choice((-1, 0, 1, 1))) for s in range(1, 301)
                            for i in range(1, 41) if rng.random() < 0.7])
            db.execute("INSERT INTO analysis_runs(id, kind, created) "
                       "VALUES (1, 'opinion_groups', ?)", (now_iso(),))
            db.executemany("INSERT INTO group_members(run_id, participant_id, group_id) "
                           "VALUES (1, ?, ?)", [(i, i % 2) for i in range(1, 41)])
    return path


def _open_big(window, path, qtbot) -> None:
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.scene.ready and not window.runner.busy()
                    and not window.reader.busy(), timeout=120_000)
    assert len(window.scene.card_items) > BIG_BOARD


def _positions(scene) -> dict:
    return {ref: (item.scenePos().x(), item.scenePos().y())
            for ref, item in scene.card_items.items()}


def _frames(scene) -> dict:
    return {k: (f.pos().x(), f.pos().y(), f.boundingRect().width(),
                f.boundingRect().height(), f.count) for k, f in scene.frames.items()}


def test_a_drop_on_a_big_board_relays_out_only_what_changed_and_matches_a_full_layout(
        window, tmp_path, qtbot, monkeypatch):
    import ui.board.scene as scene_module
    monkeypatch.setattr(scene_module, "RELAYOUT_BUDGET", 0.0)    # one slice per turn
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc = window.scene
    tids = sorted(sc.themes)
    refs = [c.ref for c in sc.members()[tids[5]][:300]]
    sc.move_cards(refs, tids[0])
    assert sc.relayout_pending()          # the frames that only moved follow, turn by turn
    qtbot.waitUntil(lambda: not sc.relayout_pending(), timeout=30_000)
    # the board's model is the engine's: every card in the theme the file says
    places = dict(file_places(path))
    assert all(places[r] == tids[0] for r in refs)
    for ref, c in sc.cards.items():
        assert c.theme_id == places.get(ref), ref
    members = sc.members()
    assert {c.ref for c in members[tids[0]]} == {r for r, t in places.items() if t == tids[0]}
    assert sum(len(v) for v in members.values()) == len(sc.cards)
    # the incremental relayout put every item where a full one puts it
    after, frames = _positions(sc), _frames(sc)
    sc.relayout()
    assert _positions(sc) == after and _frames(sc) == frames
    assert sc.frames[tids[0]].count == len(members[tids[0]])

    # rename: no card moves at all, the name is on the frame; undo brings both back
    from synth.board import UpdateTheme
    window.run_operation(UpdateTheme(tids[1], {"name": "Renamed"}))
    assert sc.frames[tids[1]].title == "Renamed" and _positions(sc) == after
    window.undo_stack.undo()                         # the rename
    window.undo_stack.undo()                         # the drop
    qtbot.waitUntil(lambda: not sc.relayout_pending(), timeout=30_000)
    assert all(sc.cards[r].theme_id == tids[5] for r in refs)
    back, frames = _positions(sc), _frames(sc)
    sc.relayout()
    assert _positions(sc) == back and _frames(sc) == frames


def test_reading_a_big_board_again_keeps_its_items_and_takes_the_new_data(window, tmp_path,
                                                                          qtbot):
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc = window.scene
    items = dict(sc.card_items)
    sc.select_cards([("statement", 3)])
    from synth.project import Project
    with Project.open(path, read_only=True) as p:
        tally = p.query("SELECT agree_tally FROM statements WHERE id = 3")[0][0]
    window.project.db.execute("UPDATE statements SET agree_tally = ? WHERE id = 3",
                              (tally + 1000,))
    window.project.db.commit()
    assert not window.reload_board()                 # big: read in the background
    qtbot.waitUntil(lambda: sc.ready and not window.runner.busy(), timeout=120_000)
    assert sc.card_items == items                    # the same items, none made again
    assert all(sc.card_items[r].card is sc.cards[r] for r in sc.cards)
    assert sc.cards[("statement", 3)].agree == tally + 1000
    assert sc.card_items[("statement", 3)].isSelected()
    after = _positions(sc)
    sc.relayout()
    assert _positions(sc) == after


def test_the_votes_and_sources_panels_read_a_big_project_in_the_background(window, tmp_path,
                                                                           qtbot):
    path = _mid_project(tmp_path, with_votes=True)
    window.votes_dock.show()
    window.votes_dock.raise_()
    bring_into_sight(window, "Sources", "Recommendations")     # the others read when seen
    reads = []
    window.reader.task_started.connect(reads.append)
    _open_big(window, path, qtbot)
    # sources, votes, counts, and the strength of the theme the recommendations panel shows
    assert len(reads) == 4 and all(t.state == "done" for t in reads)
    panel = window.votes_panel
    assert window.reader.tasks == []
    shown = panel.model
    background = (list(shown.headers), shown.ids.copy(), shown.values.copy(), panel.run_id)
    tree = [[window.sources_panel.tree.topLevelItem(i).text(c) for c in range(3)]
            for i in range(window.sources_panel.tree.topLevelItemCount())]
    # the same figures read here, now, as a small project would be
    panel.show(panel.read(window.project))
    window.sources_panel.show(window.sources_panel.read(window.project))
    assert background[0] == shown.headers == ["Statement", "Votes", "% agree", "Group A %",
                                              "Group B %", "Consensus (lowest group %)",
                                              "Divisiveness (spread)"]
    assert (background[1] == shown.ids).all() and len(shown.ids) == MID_STATEMENTS
    import numpy as np
    assert np.array_equal(background[2], shown.values, equal_nan=True)
    assert background[3] == panel.run_id == 1
    assert tree == [[window.sources_panel.tree.topLevelItem(i).text(c) for c in range(3)]
                    for i in range(window.sources_panel.tree.topLevelItemCount())]
    assert any("votes" in row[1] for row in tree)
    # a real figure: statement 1's votes and agreement as the file has them
    from synth.project import Project
    with Project.open(path, read_only=True) as p:
        n, a = p.query("SELECT count(*), sum(value = 1) FROM votes WHERE statement_id = 1")[0]
    row = int(np.flatnonzero(shown.ids == 1)[0])
    assert shown.values[row, 1] == n and shown.values[row, 2] == a / n


# --------------------------------------------------------------------------- far out and near
def _colour_of(scene, item) -> int:
    st = scene.style
    if item.isSelected():
        return st.colour("selection").rgba()
    return (st.colour("dim_fill") if item.dimmed else st.accent(item.card)).rgba()


def _mosaic_colours(frame) -> "Counter":
    """How many of the frame's far-out image's card pixels have each colour."""
    from collections import Counter

    from ui.board.items import mosaic
    image, cols = mosaic(frame), frame.cols
    return Counter(image.pixel(i % cols, i // cols) for i in range(len(frame.cells)))


def test_far_out_each_frame_shows_its_cards_colours_as_a_mosaic(window, tmp_path, qtbot):
    from collections import Counter

    from ui.board.items import MOSAIC_LOD, mosaic, prepare_cells
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc, view = window.scene, window.view
    tids = sorted(sc.themes)
    chosen = [c.ref for c in sc.members()[tids[2]][:7]]
    sc.select_cards(chosen)
    view.fit_all()
    view.set_zoom(MOSAIC_LOD / 2)          # far enough for one pixel per card
    assert sc.style.overview
    for key, frame in sc.frames.items():
        image = mosaic(frame)
        cols = frame.cols
        assert image.width() == cols and image.height() == -(-len(frame.cells) // cols)
        shown = _mosaic_colours(frame)
        cards = Counter(_colour_of(sc, item) for item in frame.card_items())
        assert shown == cards, key
        assert len(frame.cells) == len(sc.members()[key])
        # nearer, the rects batched by colour count the same
        batches = prepare_cells(frame, True, batches=True).groups
        assert Counter({k: len(rects) for k, (_c, rects) in batches.items()}) == cards
    # the selection shows far out, and the cards keep it while their layer is transparent
    frame = sc.frames[tids[2]]
    sel = sc.style.colour("selection").rgba()
    assert _mosaic_colours(frame)[sel] == 7
    assert frame.layer.opacity() == 0.0 and set(sc.selected_refs()) == set(chosen)
    # another frame's mosaic is not made again for a selection elsewhere
    other = sc.frames[tids[4]]
    before = mosaic(other)
    sc.select_cards([c.ref for c in sc.members()[tids[2]][7:9]])
    assert mosaic(other) is before
    assert _mosaic_colours(frame)[sel] == 2
    # what a person sees: the frames in their cards' colours, not blank
    image = view.viewport().grab().toImage()
    seen = {image.pixel(x, y) for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)}
    accents = {sc.style.accent(c).rgba() for c in sc.cards.values()}
    assert len(seen & accents) >= 2, "the far-out board shows no card colours"


def test_near_cards_lie_in_blocks_that_cover_them_and_answer_the_mouse(window, tmp_path, qtbot):
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc, view = window.scene, window.view
    for key, frame in sc.frames.items():
        for item in frame.card_items():
            assert item.frame is frame and item.parentItem() is item.block
            assert item.block.sceneBoundingRect().contains(item.sceneBoundingRect()), key
    assert sum(len(f.card_items()) for f in sc.frames.values()) == len(sc.card_items)
    tid = sorted(sc.themes)[1]
    card = sc.card_items[sc.members()[tid][5].ref]
    view.set_zoom(1.0)
    view.centerOn(card)
    assert not sc.style.overview and sc.frames[tid].layer.opacity() == 1.0
    hit = [i for i in sc.items(card.sceneBoundingRect().center()) if i is card]
    assert hit, "a card inside its block is not found under the mouse"
    # what a person sees near: readable cards, drawn by their items
    image = view.viewport().grab().toImage()
    fill = sc.style.colour("card_fill").rgba()
    assert sum(image.pixel(x, y) == fill for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)) > 100


def test_the_recommendations_panel_counts_a_big_themes_strength_in_the_background(
        window, tmp_path, qtbot):
    from coding.strength import strength
    from ui.coding.recommendations_panel import RecommendationsPanel, strength_text
    path = _mid_project(tmp_path, with_votes=True)
    _open_big(window, path, qtbot)
    panel = next(p for p in window.coding_panels if isinstance(p, RecommendationsPanel))
    assert panel.background == window._read_in_background
    tid = sorted(window.scene.themes)[0]
    panel.show_theme(tid)
    qtbot.waitUntil(lambda: not window.reader.busy(), timeout=60_000)
    expected = strength(window.project, theme_id=tid)
    assert expected.items == len(window.scene.members()[tid]) and expected.items > 0
    assert panel.theme_strength.text() == strength_text(expected)
    # a newer theme chosen before the first count came back: the label shows the newer one
    other = sorted(window.scene.themes)[1]
    panel.show_theme(tid)
    panel.show_theme(other)
    qtbot.waitUntil(lambda: not window.reader.busy(), timeout=60_000)
    assert panel.theme_strength.text() == strength_text(strength(window.project,
                                                                 theme_id=other))


def test_the_search_box_dims_on_a_big_board_exactly_the_cards_the_filter_leaves_out(
        window, tmp_path, qtbot):
    from ui.board.scene import CardFilter
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc = window.scene
    word = sc.cards[("statement", 1)].text.split()[0].upper()     # case does not matter
    for flt in (CardFilter(text=word), CardFilter(text=f"{word} zzznothing"),
                CardFilter(text=word.lower(), kinds=frozenset({"note"})),
                CardFilter(kinds=frozenset({"statement"})), CardFilter()):
        counted: list = []

        def count(n, total, counted=counted):
            counted.append((n, total))
        sc.filter_counted.connect(count)
        sc.apply_filter(flt)
        sc.filter_counted.disconnect(count)
        expected = {ref for ref, c in sc.cards.items() if flt.is_empty() or flt.matches(c)}
        assert {ref for ref, i in sc.card_items.items() if not i.dimmed} == expected, flt
        assert counted[-1] == (len(expected), len(sc.card_items))
    assert 0 < len({r for r, c in sc.cards.items() if CardFilter(text=word).matches(c)}) \
        < len(sc.cards)


def test_more_like_this_on_a_big_board_ranks_cached_vectors_on_a_worker(window, tmp_path,
                                                                        qtbot):
    """Suggestions read 12,000 cached vectors on the reader, not on the GUI thread, and show
    the cards nearest the theme's centre. The vectors are made here (a direction for the
    theme, four unsorted cards near it, the rest at random): the bundled model embedding
    12,000 cards would take minutes; tests/test_themes_discovery.py ranks real ones."""
    import numpy as np

    from synth import board
    from synth.project import Project
    from synth.themes.embeddings import _cache_put, backend_from_settings, text_hash
    path = _mid_project(tmp_path)
    rng = np.random.default_rng(3)
    with Project.open(path) as p:
        cards = board.cards(p)
        theme = min(c.theme_id for c in cards if c.theme_id is not None)
        unsorted = [c for c in cards if c.theme_id is None]
        near = {c.ref for c in unsorted[5:9]}
        axis = np.zeros(384, np.float32)
        axis[0] = 1.0
        vectors = {}
        for c in cards:
            v = rng.standard_normal(384).astype(np.float32)
            v /= np.linalg.norm(v)
            if c.theme_id == theme:
                v = axis + 0.5 * v
            elif c.ref in near:
                v = axis + 0.3 * v
            vectors[text_hash(c.text)] = v / np.linalg.norm(v)
        _cache_put(p, backend_from_settings(p).model_name, vectors)
    _open_big(window, path, qtbot)
    reads = []
    window.reader.task_started.connect(reads.append)
    assert window.controller.more_like_this(theme, k=6) == 0       # asked of the reader
    assert len(reads) == 1 and theme not in window.scene.ghosts
    qtbot.waitUntil(lambda: not window.reader.busy() and theme in window.scene.ghosts,
                    timeout=60_000)
    assert {g.ref for g in window.scene.ghosts[theme]} == near
    assert window.controller.suggestion_source == "embeddings"
    # accepting them moves exactly those four cards into the theme, in the file too
    window.controller.accept_all_ghosts(theme)
    places = file_places(path)
    assert all(places[r] == theme for r in near)


# --------------------------------------------------------------------------- the selection
def test_ctrl_a_and_a_rubber_band_on_a_big_board_select_exactly_and_show_it_far_out(
        window, tmp_path, qtbot):
    """Select all on 12,000 cards tells the window once, from what it selected (no read of
    the scene's selection), and the far-out mosaic shows each card in its colour after it;
    a search then Ctrl+A takes only the cards shown; a rubber band near takes the cards in
    their blocks that it crosses."""
    from collections import Counter

    from PySide6.QtCore import QPointF, QRectF, Qt

    from ui.testing import drag
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc, view = window.scene, window.view
    n = MID_STATEMENTS + MID_NOTES
    view.fit_all()
    assert sc.style.overview
    told: list = []
    sc.selection_made.connect(told.append)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_A, Qt.ControlModifier)
    assert len(told) == 1 and len(told[0].cards) == n and not told[0].ghosts
    assert set(sc.selected_refs()) == set(sc.cards) and len(sc.cards) == n
    assert sorted(i.ref for i in told[0].cards) == sorted(sc.cards)
    assert window.selection_label.text() == f"{n:,} cards selected"
    assert window.details_panel.browser.toPlainText().startswith(f"{n:,} cards selected.")
    assert not window.act_pin.isEnabled()          # cards of many themes: no theme in hand
    sel = sc.style.colour("selection").rgba()
    for key, frame in sc.frames.items():
        assert _mosaic_colours(frame) == Counter({sel: len(frame.cells)}), key

    def colours_match() -> None:
        for key, frame in sc.frames.items():
            assert _mosaic_colours(frame) == Counter(
                _colour_of(sc, item) for item in frame.card_items()), key
    # a search dims cards; Escape clears; Ctrl+A takes the cards the search shows
    word = sc.cards[("statement", 1)].text.split()[1]
    window.search_edit.setText(word)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Escape)
    assert not sc.selected_refs() and window.selection_label.text() == ""
    colours_match()
    del told[:]
    qtbot.keyClick(view, Qt.Key_A, Qt.ControlModifier)
    shown = {r for r, i in sc.card_items.items() if not i.dimmed}
    assert 0 < len(shown) < n and set(sc.selected_refs()) == shown
    assert len(told) == 1 and sorted(i.ref for i in told[0].cards) == sorted(shown)
    assert window.selection_label.text() == f"{len(shown):,} cards selected"
    colours_match()
    # near, a rubber band over a theme's first cards: exactly those it crosses
    window.search_edit.setText("")
    sc.clearSelection()
    tid = sorted(sc.themes)[1]
    first = sc.card_items[sc.members()[tid][0].ref].sceneBoundingRect()
    cols = sc.frame_cols[tid]
    third = sc.card_items[sc.members()[tid][2 * cols + 1].ref].sceneBoundingRect()
    start = QPointF(first.left() - 7, first.top() + 5)     # the frame's body, by a card
    end = third.center()                                   # third row, second column
    view.set_zoom(0.5)
    view.centerOn((start + end) / 2)
    assert not sc.style.overview
    drag(view, start, end)
    band = QRectF(start, end)
    crossed = {r for r, i in sc.card_items.items() if band.intersects(i.sceneBoundingRect())}
    assert len(crossed) == 6 and set(sc.selected_refs()) == crossed
    assert window.selection_label.text() == "6 cards selected"
    assert sc.selected_theme_ids() == [] and window.act_pin.isEnabled()   # the theme in hand
    assert window.controller.current_theme() == tid
    # the theme in hand is read from the cards' items: they hold the scene's own data, also
    # once the board was read again (the items kept, each given its new data)
    assert window.reload_board() is False
    qtbot.waitUntil(lambda: sc.ready and not window.runner.busy(), timeout=120_000)
    assert all(i.card is sc.cards[r] for r, i in sc.card_items.items())
    assert set(sc.selected_refs()) == crossed and window.controller.current_theme() == tid
