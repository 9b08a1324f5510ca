"""The one way the UI reads from the project for what it shows (ui.panels.reading): at once over
a small project, on the window's reader over a big one; only the newest answer is shown; a read
that fails is reported once, in one place."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: E402,F401
from ui.panels.reading import Reads  # noqa: E402
from ui.testing import bring_into_sight, coding_panel, settle  # noqa: E402


class Held:
    """A background that keeps each read to answer it later, as the window's reader does."""

    def __init__(self, project):
        self.project, self.held = project, []

    def __call__(self, read, on_done) -> bool:
        self.held.append((read, on_done))
        return True

    def answer(self, i: int) -> None:
        read, on_done = self.held[i]
        on_done(read(self.project))


class Reporting:
    """A background that declines (a small project) and reports failures, as ``Reader`` does."""

    def __init__(self):
        self.reported = []

    def __call__(self, read, on_done) -> bool:
        return False

    def report(self, e) -> None:
        self.reported.append(str(e))


def test_a_small_project_is_read_at_once_and_no_project_shows_none():
    project = {"n": 3}
    shown = []
    reads = Reads(lambda: project, lambda: None)
    assert reads.ask("k", lambda p: p["n"] * 2, shown.append) is False
    assert shown == [6] and not reads.waiting("k")
    project = None
    reads.ask("k", lambda p: p["n"], shown.append)
    assert shown == [6, None]


def test_only_the_newest_answer_of_a_key_is_shown_and_a_forgotten_one_never():
    project = {"n": 1}
    bg = Held(project)
    shown = []
    reads = Reads(lambda: project, lambda: bg)
    assert reads.ask("k", lambda p: ("first", p["n"]), shown.append) is True
    assert reads.ask("k", lambda p: ("second", p["n"]), shown.append) is True
    assert reads.ask("other", lambda p: ("other", p["n"]), shown.append) is True
    assert reads.waiting("k")
    bg.answer(1)
    bg.answer(0)                    # the older answer comes last: dropped
    assert shown == [("second", 1)] and not reads.waiting("k")
    bg.answer(2)                    # another key is not touched by the first's asks
    assert shown == [("second", 1), ("other", 1)]
    reads.ask("k", lambda p: "third", shown.append)
    reads.forget("k")
    bg.answer(3)
    assert shown == [("second", 1), ("other", 1)] and not reads.waiting("k")


def _fails(p):
    raise ValueError("the table is gone")


def test_a_failed_read_shows_its_fallback_or_is_reported_by_the_reader_or_raised():
    project = object()
    shown = []
    bg = Held(project)
    reads = Reads(lambda: project, lambda: bg)
    reads.ask("k", _fails, shown.append, fallback=[])
    bg.answer(0)                                       # on the worker: the fallback
    assert shown == [[]]
    reporting = Reporting()
    reads = Reads(lambda: project, lambda: reporting)
    assert reads.ask("k", _fails, shown.append, fallback=None) is False
    assert shown == [[], None] and reporting.reported == []
    assert reads.ask("k", _fails, shown.append) is False
    assert shown == [[], None] and reporting.reported == ["the table is gone"]
    with pytest.raises(ValueError):                    # no reader (a panel alone): raised
        Reads(lambda: project, lambda: None).ask("k", _fails, shown.append)


# --------------------------------------------------------------------------- the Details panel
@pytest.fixture(scope="module")
def topics_study(tmp_path_factory):
    """60 cards with real topics (IT, pay, managers), every card embedded with the bundled
    model; three themes of five statements each, a recommendation under IT; built once."""
    from coding.recommendations import AddRecommendation
    from synth.project import Project
    from tests.ui_fixtures import add_three_themes, build_topic_study
    path = build_topic_study(tmp_path_factory.mktemp("topics"))
    ids = add_three_themes(path)
    with Project.open(path) as p:
        ids["recommendation"] = p.history.apply(AddRecommendation(ids["IT"], "Fix the laptops"))
    return path, ids


@pytest.fixture
def topics(tmp_path, topics_study):
    import shutil
    path, ids = topics_study
    return shutil.copyfile(path, tmp_path / "study.synth"), dict(ids)


def _spy_details(window, monkeypatch) -> tuple[list, list]:
    """Every page the Details panel sets, and every card its offer is asked for."""
    details, offer = window.details_panel, window.offer
    pages: list[str] = []
    asked: list = []
    set_html, ask = details.browser.setHtml, offer.ask
    monkeypatch.setattr(details.browser, "setHtml", lambda html: (pages.append(html),
                                                                 set_html(html)))
    monkeypatch.setattr(offer, "ask", lambda ref, show: (asked.append(ref), ask(ref, show)))
    return pages, asked


def test_the_details_show_a_card_once_and_ask_its_offer_again_only_when_it_can_change(
        window, topics, qtbot, monkeypatch):
    from coding.recommendations import UpdateRecommendation
    from synth.board import UpdateTheme
    path, ids = topics
    assert window.open_project(path)
    sc, details = window.scene, window.details_panel
    loose = ("statement", 2)                 # a pay statement, unsorted
    sc.clearSelection()
    pages, asked = _spy_details(window, monkeypatch)
    sc.card_items[loose].setSelected(True)
    assert len(pages) == 1 and asked == [loose]          # drawn once, with its offer
    assert "Reads most like" in pages[0] and f"move:{ids['Pay']}" in pages[0]
    assert details.nearest[0][0] == ids["Pay"]
    pages.clear(), asked.clear()

    window.run_operation(UpdateRecommendation(ids["recommendation"], title="Fix the Wi-Fi"))
    settle(qtbot, window)
    assert pages == [] and asked == []                   # nothing the panel shows changed

    window.run_operation(UpdateTheme(ids["Managers"], {"name": "Line managers"}))
    settle(qtbot, window)
    assert asked == [] and len(pages) == 1               # a name it shows: drawn, not asked
    assert "Line managers" in details.browser.toPlainText()
    pages.clear()

    sc.move_cards([loose], ids["Pay"])                   # the card moved: asked again
    settle(qtbot, window)
    assert asked == [loose] and len(pages) == 1
    assert "Theme: Pay" in details.browser.toPlainText()
    assert details.nearest and ids["Pay"] not in {t for t, _ in details.nearest}


# --------------------------------------------------------------------------- the Document panel
def test_the_document_panel_reads_a_documents_codings_once_per_refresh(qtbot, project,
                                                                       tmp_path, monkeypatch):
    """The highlights and the list of codings come from one read; "Mine only" highlights the
    same stretches as the engine's own ``segments`` for that coder."""
    from coding.passages import ApplyCode, segments
    from synth.board import CreateTheme
    from tests.coding_study import build
    from ui.coding import DocumentPanel
    ids = build(project, tmp_path)
    doc = ids["document"]
    cost = project.history.apply(CreateTheme("Cost", colour="#e15759"))
    place = project.history.apply(CreateTheme("Place", colour="#59a14f"))
    project.history.apply(ApplyCode(doc, 0, 40, [cost], coder="ana"))
    project.history.apply(ApplyCode(doc, 20, 90, [place], coder="ben"))
    panel = DocumentPanel(lambda: project)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_document(doc)
    reads = []
    query = project.query
    monkeypatch.setattr(project, "query", lambda sql, params=(): (
        reads.extend([params] if "FROM codings c" in sql else []), query(sql, params))[1])
    panel.refresh()
    assert reads == [[doc]]                              # one read of the codings
    assert panel.codings_list.count() == 2
    assert [panel.codings_list.item(i).text().split(" · ")[:2] for i in range(2)] == [
        ["Cost", "ana"], ["Place", "ben"]]
    assert [(a, b) for a, b, _ in panel.highlighted_spans()] == [
        (s.start, s.end) for s in segments(project, doc)] == [(0, 20), (20, 40), (40, 89)]
    panel.coder_edit.setText("ben")
    panel.only_mine.setChecked(True)
    assert [(a, b) for a, b, _ in panel.highlighted_spans()] == [
        (s.start, s.end) for s in segments(project, doc, coder="ben")] == [(20, 89)]


# --------------------------------------------------------------------------- panels out of sight
def _dock(window, title):
    return next(d for d in window.docks if d.windowTitle() == title)


def _codebook(window):
    return coding_panel(window, "CodebookPanel")


def _codebook_names(window) -> list[str]:
    return [i.text(0) for i in _codebook(window).tree.all_items()]


def test_a_panel_behind_another_tab_reads_nothing_until_its_tab_is_chosen(window, topics,
                                                                           qtbot, monkeypatch):
    from synth.board import CreateTheme
    from ui.panels.reading import out_of_sight
    path, ids = topics
    assert window.open_project(path)
    book = _codebook(window)
    _dock(window, "Document").raise_()                # the codebook's tab is not the current one
    qtbot.waitUntil(lambda: out_of_sight(book), timeout=2000)
    reads = []
    real = book.refresh
    monkeypatch.setattr(book, "refresh", lambda: (reads.append(1), real()))
    window.run_operation(CreateTheme("Childcare"))
    settle(qtbot, window)
    assert reads == [] and book.stale and "Childcare" not in _codebook_names(window)
    _dock(window, "Codebook").raise_()                # the researcher chooses its tab
    qtbot.waitUntil(lambda: bool(reads), timeout=2000)
    assert reads == [1] and not book.stale
    assert _codebook_names(window) == ["IT", "Pay", "Managers", "Childcare"]
    row = next(i for i in book.tree.all_items() if i.text(0) == "Pay")
    assert [row.text(c) for c in range(1, 4)] == ["0", "5", "0"]   # coded, cards, evidence


def test_a_closed_panel_reads_when_opened_again(window, topics, qtbot, monkeypatch):
    from synth.project import now_iso
    path, ids = topics
    bring_into_sight(window, "Sources")
    assert window.open_project(path)
    panel, dock = window.sources_panel, _dock(window, "Sources")
    names = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    dock.close()
    reads = []
    real = panel.read
    monkeypatch.setattr(panel, "read", lambda p: (reads.append(1), real(p))[1])
    with window.project.transaction() as db:      # a source the panel has not seen
        db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                   "('workshop', 'Leeds workshop', ?)", (now_iso(),))
    window.refresh_panels()
    assert reads == []
    assert panel.tree.topLevelItemCount() == len(names)
    dock.show()
    qtbot.waitUntil(lambda: bool(reads), timeout=2000)
    assert reads == [1]
    assert [panel.tree.topLevelItem(i).text(0)
            for i in range(panel.tree.topLevelItemCount())] == [*names, "Leeds workshop"]
