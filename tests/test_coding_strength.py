"""Strength and coverage warnings appear exactly when their conditions hold."""
from __future__ import annotations

from synth.board import CreateTheme, MoveCards

from coding.evidence import LinkEvidence, UnlinkEvidence, evidence
from coding.recommendations import AddRecommendation
from coding.strength import strength
from tests.coding_study import build


def _codes(project, rec):
    return sorted(w.code for w in strength(project, recommendation_id=rec).warnings)


def test_warnings_follow_their_conditions(project, tmp_path):
    ids = build(project, tmp_path)
    s, n = ids["statements"], ids["notes"]
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    link = lambda *items: project.history.apply(  # noqa: E731
        LinkEvidence(list(items), recommendation_id=rec))

    assert _codes(project, rec) == ["no_evidence"]
    link(("note", n["m1"]))
    assert _codes(project, rec) == ["no_debate", "one_city"]
    msg = [w.message for w in strength(project, recommendation_id=rec).warnings]
    assert "all evidence from one city (Manchester)" in msg and "no debate evidence" in msg
    link(("note", n["g1"]))                                   # a second city
    assert _codes(project, rec) == ["no_debate"]
    link(("statement", s[2]))                                 # 10 votes, all agree
    assert _codes(project, rec) == []
    st = strength(project, recommendation_id=rec)
    assert (st.items, st.sources, st.cities, st.votes, st.participants_voted) == \
        (3, 3, ["Glasgow", "Manchester"], 10, 10)
    assert st.agreement == "consensus"

    # statement 3 has only 3 votes
    link(("statement", s[3]))
    assert _codes(project, rec) == ["few_votes"]
    # no group is low, and each group's people are still counted (the evidence command's JSON
    # printed {} beside groups A and B): 7 and 6 votes by 6 and 4 people
    st = strength(project, recommendation_id=rec)
    assert (st.groups["A"].n, st.groups["B"].n) == (7, 6)
    assert st.as_dict()["group_voters"] == {"A": 6, "B": 4}
    # group B pooled over statements 2 and 3: 4 agrees of 6 votes (67 %): no group warning;
    # with statement 1 too: 4 + 0 + 1 = 5 agrees of 4 + 2 + 4 = 10 votes, exactly 50 %: none
    link(("statement", s[1]))
    st = strength(project, recommendation_id=rec)
    assert (st.groups["B"].agree, st.groups["B"].n) == (5, 10)
    assert _codes(project, rec) == ["few_votes"]
    # without statement 2, group B falls to 1 agree of 6 votes (17 %): below 50 %
    e2 = next(e.id for e in evidence(project, recommendation_id=rec) if e.item_id == s[2]
              and e.item_kind == "statement")
    project.history.apply(UnlinkEvidence([e2]))
    st = strength(project, recommendation_id=rec)
    assert _codes(project, rec) == ["few_votes", "low_group_agreement"]
    # 6 votes by 4 people (participants 6-9) on 2 statements, not "17 % of 6 who voted"
    # (QA): each statement's own figure is what the report prints
    # … and 4 people are fewer than the small-n threshold (10): said, as the report marks them
    assert any(w.message == "agreement below 50 % in group B: 17 % of 6 votes by 4 people on "
                            "2 statements; at least 50 % agree on 0 of the 2 (lowest: 0 % of 2 "
                            "who voted on “The office is too far from where I live.”); small "
                            "n: it rests on 4 people, fewer than the project's threshold of 10 "
                            "(the report marks such figures †)"
               for w in st.warnings)
    assert st.group_voters == {"A": 6, "B": 4}
    # one statement with the group's votes: its figure, "% of those who voted"
    e1 = next(e.id for e in evidence(project, recommendation_id=rec) if e.item_id == s[1]
              and e.item_kind == "statement")
    project.history.apply(UnlinkEvidence([e1]))
    assert [w.message for w in strength(project, recommendation_id=rec).warnings
            if w.code == "low_group_agreement"] == [
        "agreement below 50 % in group B (0 % of 2 who voted); small n: it rests on 2 "
        "people, fewer than the project's threshold of 10 (the report marks such figures †)"]
    # a project that shows small n unmarked (the report marks none) has it unsaid; a threshold
    # of 2 has 2 people as enough
    for setting, value in (("small_n_action", "show"), ("small_n_threshold", 2)):
        project.set_setting(setting, value)
        assert [w.message for w in strength(project, recommendation_id=rec).warnings
                if w.code == "low_group_agreement"] == [
            "agreement below 50 % in group B (0 % of 2 who voted)"]
        project.set_setting("small_n_action", "flag")
    assert st.agreement == "split"


def test_workshop_evidence_from_one_city_beside_the_debate(project, tmp_path):
    ids = build(project, tmp_path)
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    project.history.apply(LinkEvidence([("statement", ids["statements"][2]),
                                        ("note", ids["notes"]["m1"]),
                                        ("note", ids["notes"]["m2"])], recommendation_id=rec))
    assert _codes(project, rec) == ["workshops_one_city"]
    # a theme counts its cards, its own evidence and its recommendations' evidence, once each
    project.history.apply(MoveCards([("note", ids["notes"]["g1"]),
                                     ("note", ids["notes"]["m1"])], theme))
    st = strength(project, theme_id=theme)
    assert st.items == 4 and st.cities == ["Glasgow", "Manchester"]
    assert [w.code for w in st.warnings] == []


def test_the_level_says_why_and_what_the_next_needs(project, tmp_path):
    ids = build(project, tmp_path)
    s, n = ids["statements"], ids["notes"]
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))

    def link(*items):
        project.history.apply(LinkEvidence(list(items), recommendation_id=rec))
        st = strength(project, recommendation_id=rec)
        assert st.as_dict()["reason"] == st.reason
        return st.level, st.reason

    assert strength(project, recommendation_id=rec).reason == "no evidence is linked"
    # two statements agreed with by most: weak, and the researcher is told why (QA)
    assert link(("statement", s[2]), ("statement", s[1])) == (
        "weak", "2 items of evidence: moderate needs at least 3")
    assert link(("note", n["m1"])) == (
        "moderate", "strong needs 5 items (it has 3)")
    assert link(("note", n["g1"]), ("note", n["m2"])) == (
        "strong", "5 items from 3 places (the debate and each city count as one), with no "
                  "warning about cities, agreement or votes")


def test_the_reason_names_warnings_in_words(project, tmp_path):
    ids = build(project, tmp_path)
    s, n = ids["statements"], ids["notes"]
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    project.history.apply(LinkEvidence([("statement", s[3]), ("note", n["m1"]),
                                        ("note", n["g1"])], recommendation_id=rec))
    st = strength(project, recommendation_id=rec)
    assert sorted(w.code for w in st.warnings) == ["few_votes", "low_group_agreement"]
    # "… (few_votes, low_group_agreement)" before: the codes' names, not words (QA)
    assert (st.level, st.reason) == ("weak", "2 serious warnings (too few votes, a group "
                                             "agreeing less than half the time): moderate "
                                             "allows one")


def test_a_group_of_one_of_several_debates_is_named_as_the_panels_name_it(debates):
    """With two debates whose names are their whole questions, a warning named the group
    "A (What is the best way …?)" where the panels and the report say "A (Debate 1)"."""
    from coding.strength import _short_labels
    with debates.transaction() as db:
        db.execute("UPDATE sources SET name = 'What would make the north a better place to "
                   "work in 2030?' WHERE id = 1")
        db.execute("UPDATE sources SET name = 'How should the south plan its bus routes "
                   "for the next decade?' WHERE id = 2")
    short = _short_labels(debates)
    assert short["A (What would make the north a better place to work in 2030?)"] == \
        "A (Debate 1)"
    assert short["B (How should the south plan its bus routes for the next decade?)"] == \
        "B (Debate 2)"


def test_the_groups_in_use_given_are_those_read(project, tmp_path, monkeypatch):
    """A caller judging many recommendations (the tables) reads the groups in use once and
    passes them: the same strength, warnings and people per group, with no reading of its own."""
    import synth.votes.statement_figures as SF
    ids = build(project, tmp_path)
    s, n = ids["statements"], ids["notes"]
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    project.history.apply(LinkEvidence([("note", n["m1"]), ("statement", s[1]),
                                        ("statement", s[3])], recommendation_id=rec))
    read = strength(project, recommendation_id=rec)
    assert read.group_voters == {"A": 6, "B": 4}
    assert "low_group_agreement" in {w.code for w in read.warnings}
    in_use = SF.groups_in_use(project)

    def no_reading(_project):
        raise AssertionError("groups_in_use read although given")
    monkeypatch.setattr(SF, "groups_in_use", no_reading)
    given = strength(project, recommendation_id=rec, in_use=in_use)
    assert given.as_dict() == read.as_dict()
