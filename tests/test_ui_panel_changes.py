"""Every view the window keeps up to date says what it shows and is told of every change: the
reads each makes for a move of cards, an import of votes, an undo, a redo and the board read
again, with the panels in sight and behind another dock's tab."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from synth.board import CreateTheme  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, take_counts, window  # noqa: E402,F401
from ui.panels.reading import out_of_sight  # noqa: E402
from ui.testing import bring_into_sight, coding_panel, make_project, settle  # noqa: E402

VIEWS = ("sources", "votes", "themes", "summary", "codebook")


def test_a_view_is_stale_after_a_change_to_what_it_shows_and_reads_once_to_catch_up():
    from synth.operations import ChangeSet, RowChange
    from ui.panels.reading import Follower
    reads = []
    view = Follower({"themes": frozenset({"name"}), "votes": None}, lambda: reads.append(1))

    def change(table, before, after):
        return ChangeSet("op", [RowChange("card_places", ("note", 1), {"theme_id": 1},
                                          {"theme_id": 2}),
                                RowChange(table, (1,), before, after)])
    view.note_changes(change("themes", {"name": "Pay", "x": 0.0}, {"name": "Pay", "x": 9.0}))
    view.note_changes(change("dot_votes", None, {"voter": "Ana"}))
    assert not view.stale and view.catch_up() is False and reads == []   # a frame moved
    view.note_changes(change("themes", {"name": "Pay"}, {"name": "Pay and grades"}))
    assert view.stale and view.catch_up() is True and reads == [1] and not view.stale
    assert view.catch_up() is False and reads == [1]                     # read once
    view.note_changes(change("votes", None, {"value": 1}))                # a row added
    view.note_changes(change("themes", {"name": "Pay"}, None))            # … or deleted
    assert view.catch_up() is True and reads == [1, 1]
    assert view.catch_up(everything=True) is True and reads == [1, 1, 1]

    def fails():
        raise RuntimeError("the disk is gone")
    view.read_now = fails
    with pytest.raises(RuntimeError):
        view.catch_up(everything=True)
    assert view.stale                                   # tried again at the next catch-up


def _spy(window, monkeypatch) -> dict[str, list]:
    """Count the reads of every view: the sources and votes panels' reads, the themes list's
    refills, the summary's counts and the codebook's refreshes."""
    calls: dict[str, list] = {k: [] for k in VIEWS}

    def counting(obj, name, key):
        real = getattr(obj, name)
        monkeypatch.setattr(obj, name, lambda *a: (calls[key].append(1), real(*a))[1])
    counting(window.sources_panel, "read", "sources")
    counting(window.votes_panel, "read", "votes")
    counting(window.themes_list, "refresh_from", "themes")
    counting(window.project, "summary", "summary")
    counting(coding_panel(window, "CodebookPanel"), "refresh", "codebook")
    return calls


def _polis_folder(folder):
    """A small Pol.is export: three statements, four voters."""
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
        "comment-body\n" + "".join(
            f"1740751500000,Fri Feb 28 14:05:00 GMT 2025,{i},0,0,0,1,false,true,{text}\n"
            for i, text in enumerate(("More quiet rooms in the office",
                                      "Fridays at home for everyone",
                                      "Training budgets for every grade"))),
        encoding="utf-8")
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n" + "".join(
            f"17415475{c}{v}000,Sun Mar 09 19:12:36 GMT 2025,{c},{v},{(-1, 0, 1)[(c + v) % 3]}\n"
            for c in range(3) for v in range(4)), encoding="utf-8")
    return folder


def _import(window, qtbot, folder) -> None:
    task = window.import_path(str(folder))
    qtbot.waitUntil(lambda: task.state == "done" and not window.runner.busy()
                    and window.scene.ready, timeout=20_000)
    settle(qtbot, window)


@pytest.fixture
def study(tmp_path):
    return make_project(tmp_path / "study.synth", statements=12, notes=6, themes=2,
                        placed=0.5)


def test_in_sight_a_move_of_cards_recounts_no_votes_and_an_import_reads_everything(
        window, study, tmp_path, qtbot, monkeypatch):
    bring_into_sight(window, "Sources", "Votes", "Codebook", "Themes")
    assert window.open_project(study)
    settle(qtbot, window)
    calls = _spy(window, monkeypatch)
    sc = window.scene
    first, second = sorted(sc.themes)
    card = next(c.ref for c in sc.members()[first])

    sc.move_cards([card], second)
    settle(qtbot, window)
    assert take_counts(calls) == {"sources": 0, "votes": 0, "themes": 1, "summary": 0,
                              "codebook": 1}
    window.undo_stack.undo()
    settle(qtbot, window)
    assert sc.cards[card].theme_id == first
    assert take_counts(calls) == {"sources": 0, "votes": 0, "themes": 1, "summary": 0,
                              "codebook": 1}
    window.undo_stack.redo()
    settle(qtbot, window)
    assert sc.cards[card].theme_id == second
    assert take_counts(calls) == {"sources": 0, "votes": 0, "themes": 1, "summary": 0,
                              "codebook": 1}

    window.run_operation(CreateTheme("Childcare"))      # a theme: no figures change
    settle(qtbot, window)
    assert take_counts(calls) == {"sources": 0, "votes": 0, "themes": 1, "summary": 0,
                              "codebook": 1}

    _import(window, qtbot, _polis_folder(tmp_path / "debate"))
    assert take_counts(calls) == {"sources": 1, "votes": 1, "themes": 1, "summary": 1,
                              "codebook": 1}
    panel = window.votes_panel
    assert panel.model.rowCount() == 12 + 3
    assert window.sources_panel.tree.topLevelItemCount() == 3
    assert "12 votes" in window.summary_label.text()

    window.reload_board()                               # the board read again: everything
    settle(qtbot, window)
    assert take_counts(calls) == {"sources": 1, "votes": 1, "themes": 1, "summary": 1,
                              "codebook": 1}


def test_behind_a_tab_a_panel_reads_nothing_until_its_tab_is_chosen(window, study, tmp_path,
                                                                    qtbot, monkeypatch):
    assert window.open_project(study)       # the default layout: sources behind the themes,
    settle(qtbot, window)                   # votes behind the details
    sources, votes = window.sources_panel, window.votes_panel
    book = coding_panel(window, "CodebookPanel")
    next(d for d in window.docks if d.windowTitle() == "Document").raise_()  # codebook behind
    qtbot.waitUntil(lambda: out_of_sight(sources) and out_of_sight(votes)
                    and out_of_sight(book), timeout=2000)
    calls = _spy(window, monkeypatch)

    _import(window, qtbot, _polis_folder(tmp_path / "debate"))
    window.run_operation(CreateTheme("Childcare"))
    settle(qtbot, window)
    counts = take_counts(calls)
    assert counts["sources"] == counts["votes"] == counts["codebook"] == 0
    assert votes.model.rowCount() == 0          # never seen since the project opened

    for title, key in (("Votes", "votes"), ("Sources", "sources"), ("Codebook", "codebook")):
        next(d for d in window.docks if d.windowTitle() == title).raise_()
        qtbot.waitUntil(lambda key=key: bool(calls[key]), timeout=2000)
        settle(qtbot, window)
        assert take_counts(calls) == {k: int(k == key) for k in VIEWS}, title
    assert votes.model.rowCount() == 15 and sources.tree.topLevelItemCount() == 3
    assert "Childcare" in [i.text(0) for i in book.tree.all_items()]

    sc = window.scene                        # seen and up to date: a move reads none of them
    first, second = sorted(sc.themes)[:2]
    sc.move_cards([next(c.ref for c in sc.members()[first])], second)
    settle(qtbot, window)
    assert take_counts(calls)["votes"] == 0


def test_an_operation_on_the_data_and_its_undo_read_each_view_once_per_board_read(
        window, study, tmp_path, qtbot, monkeypatch):
    """A .qdpx import is one operation on sources, documents, passages, codes, codings and a
    setting: the board is read again and every view with it, once, not once more for the
    change itself (each read twice before); its undo and redo likewise."""
    from tests.qdpx_files import qualcoder_qdpx
    bring_into_sight(window, "Sources", "Votes", "Codebook", "Themes")
    assert window.open_project(study)
    settle(qtbot, window)
    calls = _spy(window, monkeypatch)
    boards: list = []
    ready = window._on_board_ready
    monkeypatch.setattr(window, "_on_board_ready", lambda more: (boards.append(1), ready(more)))
    _import(window, qtbot, qualcoder_qdpx(tmp_path / "study.qdpx"))
    # the import's task reads the board again after the history's change did (its own doing)
    assert boards and take_counts(calls) == {k: len(boards) for k in VIEWS}
    assert window.sources_panel.tree.topLevelItemCount() == 4
    assert window.votes_panel.model.rowCount() == 12
    for step, sources in ((window.undo_stack.undo, 2), (window.undo_stack.redo, 4)):
        boards.clear()
        step()
        settle(qtbot, window)
        assert boards == [1] and take_counts(calls) == {k: 1 for k in VIEWS}, step
        assert window.sources_panel.tree.topLevelItemCount() == sources


def test_a_panel_that_fails_to_read_is_reported_and_reads_again_at_the_next_change(
        window, study, qtbot, monkeypatch):
    bring_into_sight(window, "Codebook", "Votes")
    assert window.open_project(study)
    settle(qtbot, window)
    book = coding_panel(window, "CodebookPanel")
    real = book.refresh
    failing = [True]

    def refresh():
        if failing[0]:
            raise RuntimeError("the disk is gone")
        real()
    monkeypatch.setattr(book, "refresh", refresh)
    monkeypatch.setattr(window.votes_panel, "read",
                        lambda p: (_ for _ in ()).throw(RuntimeError("no votes table")))
    window.run_operation(CreateTheme("Childcare"))
    window.reload_board()
    settle(qtbot, window)
    messages = [m for _level, m in window.notify.messages]
    assert any("refreshing a panel" in m and "the disk is gone" in m for m in messages)
    assert any("reading figures" in m and "no votes table" in m for m in messages)
    assert book.stale
    failing[0] = False
    window.run_operation(CreateTheme("Transport"))
    settle(qtbot, window)
    assert not book.stale
    assert {"Childcare", "Transport"} <= {i.text(0) for i in book.tree.all_items()}
