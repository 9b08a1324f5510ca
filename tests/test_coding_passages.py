"""Coding passages: offsets survive reopening, coded spans become cards, undo restores."""
from __future__ import annotations

from synth.board import CreateTheme, cards
from synth.project import Project

from coding.passages import (ApplyCode, Recode, RemoveCodings, Uncode, codings,
                             coded_passage_id, segments)
from tests.coding_study import build, dump, span


def test_coded_passages_survive_reopening(project, tmp_path):
    ids = build(project, tmp_path)
    doc = ids["document"]
    text = project.scalar("SELECT text FROM documents WHERE id = ?", (doc,))
    cost = project.history.apply(CreateTheme("Cost of commuting"))
    place = project.history.apply(CreateTheme("Place"))
    phrases = ["it's the time. And the cost.", "somebody in Stornoway can do it"]
    s1, e1 = span(text, phrases[0])
    s2, e2 = span(text, phrases[1])
    # a selection with a trailing blank is trimmed to the words
    project.history.apply(ApplyCode(doc, s1, e1 + 1, [cost, place], coder="ana"))
    project.history.apply(ApplyCode(doc, s2, e2, [place], coder="ana"))
    before = [(c.theme_id, c.start, c.end, c.coder, c.text) for c in codings(project)]
    assert [b[4] for b in before] == [phrases[0], phrases[0], phrases[1]]
    highlighted = [(s.start, s.end, s.theme_ids) for s in segments(project, doc)]
    path = project.path
    project.close()
    with Project.open(path) as again:
        after = [(c.theme_id, c.start, c.end, c.coder, c.text) for c in codings(again)]
        assert after == before
        assert [(s.start, s.end, s.theme_ids) for s in segments(again, doc)] == highlighted
        assert [again.scalar("SELECT substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?",
                             (s, e, s, doc)) for s, e, _ in highlighted] == phrases
        # each coded span is a card on the board, placed in its first code
        pid = coded_passage_id(again, doc, s1, e1)
        card = next(c for c in cards(again) if c.ref == ("passage", pid))
        assert card.text == phrases[0] and card.theme_id == cost


def test_uncode_recode_and_undo(project, tmp_path):
    ids = build(project, tmp_path)
    doc = ids["document"]
    text = project.scalar("SELECT text FROM documents WHERE id = ?", (doc,))
    a = project.history.apply(CreateTheme("Wellbeing"))
    b = project.history.apply(CreateTheme("Learning"))
    start, end = span(text, "I was working from my bedroom for two years. It was grim.")
    snapshot = dump(project)
    (cid,) = project.history.apply(ApplyCode(doc, start, end, [a], coder="ana"))
    coded = dump(project)
    # un-code the middle: the coding is cut in two
    m0, m1 = span(text, "for two years.")
    project.history.apply(Uncode(doc, m0, m1, [a]))
    pieces = [(c.start, c.end) for c in codings(project)]
    assert pieces == [(start, m0), (m1, end)]
    assert project.scalar("SELECT count(*) FROM passages WHERE origin = 'coded'") == 2
    project.history.undo()
    assert dump(project) == coded
    project.history.apply(Recode(cid, theme_id=b))
    assert [c.theme_id for c in codings(project)] == [b]
    project.history.apply(RemoveCodings([cid]))
    assert codings(project) == []
    assert project.scalar("SELECT count(*) FROM passages WHERE origin = 'coded'") == 0
    for _ in range(3):
        project.history.undo()
    assert dump(project) == snapshot
    project.history.redo()
    assert dump(project) == coded


def test_same_code_same_span_is_not_doubled(project, tmp_path):
    ids = build(project, tmp_path)
    t = project.history.apply(CreateTheme("Kit"))
    first = project.history.apply(ApplyCode(ids["document"], 10, 40, [t], coder="ana"))
    again = project.history.apply(ApplyCode(ids["document"], 10, 40, [t], coder="ana"))
    assert first == again
    other = project.history.apply(ApplyCode(ids["document"], 10, 40, [t], coder="ben"))
    assert other != first
    assert project.scalar("SELECT count(*) FROM passages WHERE origin = 'coded'") == 1
