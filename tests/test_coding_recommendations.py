"""Recommendations: numbering that follows moves, evidence with figures checked against vote
statistics computed independently here, and every change undoable."""
from __future__ import annotations

from synth.board import CreateTheme, MoveCards, NestTheme, UpdateTheme

from coding.evidence import LinkEvidence, MoveEvidence, UnlinkEvidence, evidence
from coding.figures import statement_figures
from coding.recommendations import (AddRecommendation, DeleteRecommendation,
                                    MoveRecommendation, SetThemeSummary, UpdateRecommendation,
                                    recommendations)
from tests.coding_study import VOTES, build, dump


def _independent(statement: int) -> dict[str, tuple[int, int]]:
    """(agrees, voters) overall and per Pol.is group, straight from the vote list."""
    last: dict[int, int] = {}
    for person, value in VOTES[statement]:
        last.setdefault(person, value)          # the importer kept the first (INSERT OR IGNORE)
    out: dict[str, tuple[int, int]] = {}
    for label, people in (("all", range(10)), ("A", range(6)), ("B", range(6, 10))):
        vs = [last[p] for p in people if p in last]
        out[label] = (sum(1 for v in vs if v == 1), len(vs))
    return out


def test_numbering_follows_moves_and_undo(project, tmp_path):
    build(project, tmp_path)
    one = project.history.apply(CreateTheme("Hybrid work"))
    two = project.history.apply(CreateTheme("Wellbeing"))
    cand = project.history.apply(CreateTheme("Maybe", status="candidate"))
    sub = project.history.apply(CreateTheme("Kit", parent_id=one))
    r = {k: project.history.apply(AddRecommendation(t, k)) for k, t in
         (("a", one), ("b", one), ("c", two), ("d", sub), ("e", cand))}
    numbers = lambda: {x.title: x.number for x in recommendations(project)}  # noqa: E731
    assert numbers() == {"a": "1.1", "b": "1.2", "d": "1.3", "c": "2.1", "e": "–.1"}
    before = dump(project)
    project.history.apply(MoveRecommendation(r["b"], 0))
    assert numbers()["b"] == "1.1" and numbers()["a"] == "1.2"
    project.history.apply(MoveRecommendation(r["a"], 0, theme_id=two))
    assert numbers() == {"b": "1.1", "d": "1.2", "a": "2.1", "c": "2.2", "e": "–.1"}
    project.history.apply(UpdateTheme(two, {"position": -1}))        # theme order changes
    assert numbers()["a"] == "1.1" and numbers()["b"] == "2.1"
    project.history.apply(NestTheme(sub, None))
    project.history.apply(DeleteRecommendation(r["c"]))
    project.history.apply(UpdateRecommendation(r["d"], title="Fund home kit", text="…"))
    project.history.apply(SetThemeSummary(one, shared="People value…", want="Kit"))
    for _ in range(7):
        project.history.undo()
    assert dump(project) == before


def test_linked_statements_show_figures_matching_the_votes(project, tmp_path):
    ids = build(project, tmp_path)
    theme = project.history.apply(CreateTheme("Hybrid work"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    s = ids["statements"]
    before = dump(project)
    project.history.apply(LinkEvidence([("statement", s[1]), ("statement", s[2]),
                                        ("note", ids["notes"]["m1"])], recommendation_id=rec))
    project.history.apply(LinkEvidence([("statement", s[1])], recommendation_id=rec))  # no double
    items = evidence(project, recommendation_id=rec)
    assert [(e.item_kind, e.position) for e in items] == [("statement", 0), ("statement", 1),
                                                        ("note", 2)]
    for e in items[:2]:
        truth = _independent(next(k for k, v in s.items() if v == e.item_id))
        f = e.figures
        assert (f.overall.agree, f.overall.n) == truth["all"]
        assert {g: (t.agree, t.n) for g, t in f.groups.items()} == \
            {"A": truth["A"], "B": truth["B"]}
        assert f.overall.pct_agree == 100 * truth["all"][0] / truth["all"][1]
    assert round(items[0].figures.groups["B"].pct_agree, 1) == 25.0    # 1 of 4 who voted
    assert items[2].figures is None
    # the figures follow the latest opinion-groups run when there is one
    with project.transaction() as db:
        run = db.execute("INSERT INTO analysis_runs(kind, created) VALUES "
                         "('opinion_groups', '2025-02-01')").lastrowid
        for i, p in enumerate(ids["people"]):
            db.execute("INSERT INTO group_members VALUES (?, ?, ?)", (run, p, i % 2))
    f = statement_figures(project, [s[1]])[s[1]]
    assert {g: (t.agree, t.n) for g, t in f.groups.items()} == {"A": (3, 5), "B": (2, 5)}
    # evidence of the theme's summaries, reordered, unlinked, all undoable
    shared = project.history.apply(LinkEvidence([("note", ids["notes"]["m2"])], theme_id=theme,
                                                role="shared"))
    project.history.apply(MoveEvidence(items[2].id, 0))
    assert [e.item_kind for e in evidence(project, recommendation_id=rec)][0] == "note"
    project.history.apply(UnlinkEvidence([items[0].id] + shared))
    assert len(evidence(project, recommendation_id=rec)) == 2
    for _ in range(4):
        project.history.undo()
    with project.transaction() as db:
        db.execute("DELETE FROM group_members")
        db.execute("DELETE FROM analysis_runs")
    assert dump(project) == before
