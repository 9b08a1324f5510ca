"""A theme the team named and has hardly filled (a codebook's code, a theme made empty on the
board) reads by its name and description: More like this offers it the cards that read like
them, the unsorted pile's cards are offered it, and the shared words read its name's words,
with the bundled model's real vectors (cached like the cards' and read from the cache)."""
from __future__ import annotations

import pytest

from tests.themes_study import TOPICS, fill, topic_texts

PAY = ("Pay and salaries", "Pay rises, salary bands, inflation and pay progression.")
OFFICE = ("Office and hybrid working", "Desks, office days, working from home, commuting.")


def _board(project):
    """The 18 topic notes, unsorted, embedded with the bundled model."""
    from synth.themes.embeddings import embed_texts
    refs = fill(project, topic_texts())
    embed_texts(topic_texts(), project=project)
    return refs


def _topic(refs, topic):
    i = list(TOPICS).index(topic)
    return set(refs[6 * i:6 * i + 6])


def test_an_empty_theme_is_offered_the_cards_that_read_like_its_name(project):
    from synth.board import CreateTheme
    from synth.themes.suggestions import (NamesNotEmbedded, more_like_this, name_text,
                                          name_vectors)
    refs = _board(project)
    pay = project.history.apply(CreateTheme(PAY[0], description=PAY[1]))
    # the window's quick read embeds nothing: the name alone lacks its vector, and says so
    with pytest.raises(NamesNotEmbedded) as e:
        more_like_this(project, pay, limit=6, cached_only=True)
    assert e.value.texts == [name_text(*PAY)] == [
        "Pay and salaries: Pay rises, salary bands, inflation and pay progression."]
    found = more_like_this(project, pay, limit=6)          # embeds (and caches) the name
    assert name_text(*PAY) in name_vectors(project, [name_text(*PAY)], cached_only=True)
    # five of the six pay notes reach the threshold (0.58 … 0.44); "My salary barely covers
    # my rent" reads like it at 0.23 only, still above every other topic's note (0.17)
    assert len(found) == 5 and {s.card for s in found} < _topic(refs, "pay")
    assert all(s.theme_id is None for s in found)          # all from the unsorted pile
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True) and 0.4 < scores[-1] < scores[0] < 0.7
    seven = more_like_this(project, pay, limit=7, min_score=0.0)
    assert {s.card for s in seven[:6]} == _topic(refs, "pay") and 0.2 < seven[5].score < 0.3
    assert seven[6].card not in _topic(refs, "pay") and seven[6].score < seven[5].score
    # now cached: the quick read answers the same
    assert [(s.card, s.score) for s in more_like_this(project, pay, limit=6, cached_only=True)
            ] == [(s.card, s.score) for s in found]


def test_a_name_counts_while_the_theme_is_small_and_only_if_the_team_gave_it(project):
    from synth.board import CreateTheme, MoveCards, UpdateTheme
    from synth.themes.suggestions import NAME_FADES, more_like_this, theme_names
    refs = _board(project)
    made = project.history.apply(CreateTheme("Untitled theme"))
    new_code = project.history.apply(CreateTheme("New code"))       # the Codebook panel's
    run = project.history.apply(CreateTheme("Pay inflation", status="candidate"))
    codes = project.history.apply(CreateTheme(*PAY[:1], description=PAY[1],
                                              status="candidate"))
    office = project.history.apply(CreateTheme(OFFICE[0]))          # made on the board
    assert theme_names(project) == {codes: "Pay and salaries: " + PAY[1],
                                    office: "Office and hybrid working"}
    assert more_like_this(project, made) == [] and more_like_this(project, run) == []
    assert more_like_this(project, new_code) == []
    # a sub-theme's cards count as the theme's; at NAME_FADES cards the name no longer reads
    filler = fill_more(project, NAME_FADES - 1)
    project.history.apply(MoveCards(filler, office))
    assert office in theme_names(project)
    sub = project.history.apply(CreateTheme("Part", parent_id=office,
                                            cards=[sorted(_topic(refs, "it"))[0]]))
    assert office not in theme_names(project) and sub in theme_names(project)
    project.history.apply(UpdateTheme(codes, {"description": ""}))
    assert codes not in theme_names(project)       # a run's name, nothing the team wrote


def fill_more(project, n):
    with project.transaction() as db:
        for i in range(n):
            db.execute("INSERT INTO notes(source_id, text) VALUES (1, ?)", (f"Filler {i}",))
    return [("note", r[0]) for r in project.query(
        "SELECT id FROM notes WHERE text LIKE 'Filler %' ORDER BY id")]


def test_the_unsorted_pile_is_offered_a_theme_that_holds_no_card(project):
    from synth.board import CreateTheme
    from synth.themes.suggestions import nearest_themes, theme_vectors
    refs = _board(project)
    pay = project.history.apply(CreateTheme(PAY[0], description=PAY[1]))
    office = project.history.apply(CreateTheme(OFFICE[0], description=OFFICE[1]))
    # nothing embedded of the names: the quick read leaves them out, and raises nothing
    assert theme_vectors(project, cached_only=True).ids == []
    offers = nearest_themes(project, refs)                 # embeds the names
    tv = theme_vectors(project, cached_only=True)
    assert tv.ids == [pay, office] and list(tv.starts) == [0, 2, 4]   # a name counts twice
    firsts = {r: offers[r][0][0] for r in refs}
    assert all(firsts[r] == pay for r in _topic(refs, "pay"))
    assert all(firsts[r] == office for r in _topic(refs, "office"))
    top = offers[sorted(_topic(refs, "pay"))[0]]
    assert 0.3 < top[0][1] < 0.9 and top[1][1] < top[0][1]


def test_a_run_embeds_the_names_of_the_codebook_s_codes(project):
    from synth.board import CreateTheme
    from synth.themes.project_themes import discover_themes
    from synth.themes.suggestions import name_text, name_vectors
    _board(project)
    codes = project.history.apply(CreateTheme(PAY[0], description=PAY[1]))
    discover_themes(project, k=3)
    assert project.scalar("SELECT count(*) FROM themes WHERE id = ?", (codes,)) == 1
    assert list(name_vectors(project, [name_text(*PAY)], cached_only=True)) == [name_text(*PAY)]


def test_shared_words_read_the_name_and_description_of_a_small_theme():
    from ui.board.data import CardData, ThemeData
    from ui.board.suggest import word_suggestions
    texts = topic_texts()
    cards = {("note", i): CardData("note", i, t, 1, "notes", "Workshop", "", None)
             for i, t in enumerate(texts)}
    themes = {1: ThemeData(1, None, PAY[0], "#ccc", "accepted", 0, description=PAY[1])}
    got = word_suggestions(cards, themes, 1, k=6)
    assert len(got) >= 4 and {texts[i] for _, i in got} <= set(TOPICS["pay"])
    themes[1].status = "candidate"          # a run's name with no description: no words
    themes[1].description = ""
    assert word_suggestions(cards, themes, 1, k=6) == []
