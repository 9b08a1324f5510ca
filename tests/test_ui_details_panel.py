"""The details panel prints, for a statement, the report's figures: overall and for each opinion
group the whole per cent the report prints (half up, from ``synth.votes.statement_figures``),
never a rounding of its own (Python's ``round`` showed 12 for 12.5 %)."""
from __future__ import annotations

from tests.ui_fixtures import no_thread_left, settings, window  # noqa: F401


def _report_group_figures(p, sid):
    from exports import content
    from exports.figures import FigureRegistry
    reg = FigureRegistry.for_project(p)
    groups = content.opinion_groups(p)
    return {groups.labels[g]: reg.agreement(groups.tallies[g][sid], statement_id=sid).text
            for g in groups.group_ids if sid in groups.tallies.get(g, {})}


def test_group_agreement_is_the_reports_half_up_figure(qtbot, north, tmp_path):
    from ui.board.data import load_cards
    from ui.panels.details import DetailsPanel
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 300)
    panel.show()
    card = load_cards(north)[("statement", 1)]
    panel.show_card(card, {})
    text = panel.browser.toPlainText()
    # 3 of 24 = 12.5 % and 10 of 16 = 62.5 %: the report prints 13 % and 63 %
    assert _report_group_figures(north, 1) == {"Group A": "13%", "Group B": "63%"}
    assert "Group A: 13 % agree — of 24 who voted" in text
    assert "Group B: 63 % agree — of 16 who voted" in text
    assert "33 % agree" in text           # 13 of 40 = 32.5 % overall
    assert panel.grab().save(str(tmp_path / "details.png"))


def test_the_boards_group_filter_names_each_debates_groups(qtbot, window, debates_file):
    """Two debates: the filter lists the groups the cards stand out in, by their names."""
    assert window.open_project(debates_file)
    qtbot.waitUntil(lambda: window.group_box.count() > 1)
    items = [(window.group_box.itemText(i), window.group_box.itemData(i))
             for i in range(window.group_box.count())]
    # statement 2 stands out in North's group A, 1 in North's group B, 4 in South's group B
    assert items == [("All opinion groups", None), ("Group A (Debate North)", 0),
                     ("Group B (Debate North)", 1), ("Group B (Debate South)", 3)]


def test_details_say_the_cards_are_not_embedded_from_the_offers_public_answer(qtbot, window,
                                                                              tmp_path):
    """"Reads most like" is missing because nothing is embedded: the panel asks the offer
    (``NearestOffer.none_embedded``) rather than decoding what the offer keeps."""
    from ui.panels.details import DetailsPanel
    from ui.testing import make_project
    assert window.open_project(make_project(tmp_path / "s.synth", statements=6, notes=0,
                                            themes=2, placed=0.5))
    sc, offer, details = window.scene, window.offer, window.details_panel
    assert not offer.none_embedded                      # nothing read yet
    loose = next(r for r, c in sc.cards.items() if c.theme_id is None)
    sc.clearSelection()
    sc.card_items[loose].setSelected(True)
    qtbot.waitUntil(lambda: offer.vectors is not None)
    assert offer.none_embedded and details.nearest == []
    said = "Which themes this card reads like shows once the cards are embedded"
    assert said in details.browser.toPlainText()
    offer.forget()                                      # a change: read again before it says
    assert not offer.none_embedded

    class Offer:                                        # what a panel may rely on
        version = 0
        none_embedded = True
        vectors = ("model", object())                   # kept vectors are the offer's own

        def ask(self, ref, show):
            show(ref, [], movable=True)
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.offer = Offer()
    card = sc.cards[loose]
    panel.show_card(card, {t: sc.themes[t] for t in sc.themes})
    assert said in panel.browser.toPlainText()
    panel.offer.none_embedded = False
    panel.show_card(card, {t: sc.themes[t] for t in sc.themes})
    assert "embedded" not in panel.browser.toPlainText()


def test_the_keys_for_many_cards_are_listed_with_the_windows_shortcuts(qtbot, window,
                                                                      tmp_path):
    """Several cards selected: Details lists what the keys do with them, E (link to a
    recommendation) and Q (quote) beside M and Ctrl+G, each the shortcut of a window action."""
    from PySide6.QtGui import QAction, QKeySequence

    from ui.testing import make_project
    assert window.open_project(make_project(tmp_path / "s.synth", statements=12, notes=0,
                                            themes=1, placed=0.5))
    qtbot.waitUntil(lambda: window.scene.ready, timeout=10000)
    window.scene.select_cards([("statement", 1), ("statement", 2), ("statement", 3)])
    qtbot.waitUntil(lambda: "3 cards selected" in window.details_panel.browser.toPlainText())
    text = window.details_panel.browser.toPlainText()
    lines = text.split("\n")[1:]                  # a key, then what it does
    keys = lines[0:-1:2]
    assert keys == ["M", "Ctrl+G", "E", "Q"]
    assert dict(zip(keys, lines[1::2]))["E"] == "link them to a recommendation"
    assert dict(zip(keys, lines[1::2]))["Q"] == "quote them"
    shortcuts = {s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()}
    assert all(QKeySequence(k).toString() in shortcuts for k in keys)
    assert window.details_panel.grab().save(str(tmp_path / "details_many.png"))


def test_details_mark_small_n_figures_as_the_report_does(qtbot, window, debates_file, tmp_path):
    """QA 10: Details showed "Group B: 100 % agree — of 7 who voted" with no mark while the
    report printed 100%†. The window gives the panel the report's threshold (a project
    setting); a figure on fewer votes carries † and the panel says what † means."""
    from synth.project import Project
    with Project.open(debates_file) as p:
        p.set_setting("small_n_threshold", 20)
    assert window.open_project(debates_file)
    qtbot.waitUntil(lambda: window.scene.ready)
    assert window.details_panel.small_n == 20
    sc = window.scene
    sc.clearSelection()
    sc.card_items[("statement", 1)].setSelected(True)
    text = window.details_panel.browser.toPlainText()
    assert "Group A (Debate North): 13 % agree — of 24 who voted" in text     # 24: not small
    assert "Group B (Debate North): 63 %† agree — of 16 who voted" in text
    assert "33 % agree" in text and "— of 40 who voted" in text               # everyone: 40
    assert "† fewer than 20 voted: read with care (the report marks it the same way)" in text
    window.details_panel.grab().save(str(tmp_path / "details_small_n.png"))


def test_details_without_small_figures_show_no_mark(qtbot, north):
    from ui.board.data import load_cards
    from ui.panels.details import DetailsPanel
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.small_n = 10
    panel.show_card(load_cards(north)[("statement", 1)], {})
    text = panel.browser.toPlainText()
    assert "†" not in text and "fewer than" not in text
    panel.small_n = 17                                      # Group B: 16 voted
    panel.show_card(load_cards(north)[("statement", 1)], {})
    text = panel.browser.toPlainText()
    assert "Group B: 63 %† agree — of 16 who voted" in text
    assert "Group A: 13 % agree — of 24 who voted" in text


def test_every_view_marks_few_voted_by_one_rule_and_nobody_voting_is_not_few():
    import numpy as np
    from exports.figures import FLAG
    from synth.votes.segment_figures import Row
    from synth.votes.small_n import few_voted
    from synth.votes.statement_figures import Tally
    from ui.panels.details import _flag
    from ui.panels.votes import GroupBars, agree_text
    ns = list(range(13))
    want = [0 < n < 10 for n in ns]
    assert [bool(few_voted(n, 10)) for n in ns] == want
    assert few_voted(np.array(ns), 10).tolist() == want
    # Details marked n = 0 (its own test lacked "0 <")
    assert [_flag(n, 10) == FLAG for n in ns] == want
    assert [Row("x", Tally(n, 0, 0), 10).flagged for n in ns] == want
    assert [FLAG in agree_text(Tally(n, 0, 0), 10) for n in ns] == want
    bars = GroupBars()
    noted = []
    for n in ns:
        bars.set_rows([("Group A", n, 0, 0)], 10)
        noted.append(bool(bars.note()))
    assert noted == want
