"""The strength check's group warning says figures a researcher can check, on the bundled
sample study, each counted here straight from the votes in SQL: over several statements the
pooled figure is votes by so many people, then each statement's "% of those who voted" as the
report prints it (QA: "26 % of 304 who voted" was three statements' 33 + 70 + 201 votes added
up, read as 304 people)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from coding.evidence import LinkEvidence
from coding.recommendations import AddRecommendation
from coding.strength import strength
from synth.board import CreateTheme
from synth.words import shortened

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
pytestmark = pytest.mark.skipif(not (SAMPLE / "study.json").exists(),
                                reason="the sample study is not generated yet")
STARTS = ("My department has made real progress%", "Pay isn't everything%",
          "Civil Service Learning has improved%")


def _pct(agree: int, n: int) -> int:
    return math.floor(100 * agree / n + 0.5)


def test_a_low_group_is_said_in_votes_and_in_each_statements_figure(sample_project):
    p = sample_project
    if p.scalar("SELECT count(*) FROM analysis_runs WHERE kind = 'opinion_groups'"):
        pytest.skip("the sample import ran its own opinion groups")
    ids = [p.scalar("SELECT id FROM statements WHERE text LIKE ?", (s,)) for s in STARTS]
    assert None not in ids
    theme = p.history.apply(CreateTheme("Inclusion"))
    rec = p.history.apply(AddRecommendation(theme, "Keep what works"))
    p.history.apply(LinkEvidence([("statement", i) for i in ids], recommendation_id=rec))
    marks = ",".join("?" * len(ids))
    st = strength(p, recommendation_id=rec)
    warned = {w.group: w.message for w in st.warnings if w.code == "low_group_agreement"}
    groups = [r[0] for r in p.query("SELECT DISTINCT polis_group FROM participants WHERE "
                                    "polis_group >= 0 ORDER BY 1")]
    assert groups == [0, 1]
    for gid in groups:
        label = "AB"[gid]
        agree, n, people = p.query(
            f"SELECT sum(v.value = 1), count(*), count(DISTINCT v.participant_id) FROM votes v "
            f"JOIN participants x ON x.id = v.participant_id WHERE x.polis_group = ? AND "
            f"v.statement_id IN ({marks})", (gid, *ids))[0]
        each = {r[0]: (r[1], r[2]) for r in p.query(
            f"SELECT v.statement_id, sum(v.value = 1), count(*) FROM votes v JOIN participants "
            f"x ON x.id = v.participant_id WHERE x.polis_group = ? AND v.statement_id IN "
            f"({marks}) GROUP BY v.statement_id", (gid, *ids))}
        assert (st.groups[label].agree, st.groups[label].n) == (agree, n)
        assert st.group_voters[label] == people
        if 100 * agree / n >= 50:
            assert label not in warned
            continue
        assert len(each) == 3 and people < n       # votes, not people: the QA's confusion
        lowest = min(ids, key=lambda i: (each[i][0] / each[i][1], -each[i][1]))
        text = p.scalar("SELECT text FROM statements WHERE id = ?", (lowest,))
        short = shortened(text, 60)          # as every message cuts a text (test_words_shortened)
        agreed = sum(a / m >= 0.5 for a, m in each.values())
        assert warned[label] == (
            f"agreement below 50 % in group {label}: {_pct(agree, n)} % of {n} votes by "
            f"{people} people on 3 statements; at least 50 % agree on {agreed} of the 3 "
            f"(lowest: {_pct(*each[lowest])} % of {each[lowest][1]} who voted on “{short}”)")
    assert warned                                   # these three divide the groups


def test_a_low_group_of_fewer_people_than_the_threshold_is_said_small(sample_project):
    """Group B's warning rests on the people of B who voted on the statements (counted here in
    SQL): at a threshold above that count the warning says small n, as the report marks each of
    their figures; at that count exactly it does not."""
    p = sample_project
    if p.scalar("SELECT count(*) FROM analysis_runs WHERE kind = 'opinion_groups'"):
        pytest.skip("the sample import ran its own opinion groups")
    ids = [p.scalar("SELECT id FROM statements WHERE text LIKE ?", (s,)) for s in STARTS]
    theme = p.history.apply(CreateTheme("Inclusion"))
    rec = p.history.apply(AddRecommendation(theme, "Keep what works"))
    p.history.apply(LinkEvidence([("statement", i) for i in ids], recommendation_id=rec))
    marks = ",".join("?" * len(ids))
    st = strength(p, recommendation_id=rec)
    (label, plain), = [(w.group, w.message) for w in st.warnings
                       if w.code == "low_group_agreement"]
    gid = "AB".index(label)
    people = p.scalar(f"SELECT count(DISTINCT v.participant_id) FROM votes v JOIN participants "
                      f"x ON x.id = v.participant_id WHERE x.polis_group = ? AND "
                      f"v.statement_id IN ({marks})", (gid, *ids))
    assert f"by {people} people on 3 statements" in plain and "small n" not in plain
    assert people > 10             # the default threshold: no note above
    p.set_setting("small_n_threshold", people + 1)
    said = [w.message for w in strength(p, recommendation_id=rec).warnings
            if w.code == "low_group_agreement"]
    assert said == [plain + f"; small n: it rests on {people} people, fewer than the "
                            f"project's threshold of {people + 1} (the report marks such "
                            "figures †)"]
    p.set_setting("small_n_threshold", people)
    assert [w.message for w in strength(p, recommendation_id=rec).warnings
            if w.code == "low_group_agreement"] == [plain]
