"""Coding on the bundled sample study: passages coded in a real transcript survive reopening;
statement figures shown as evidence equal the vote counts taken straight from the export."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from synth.board import CreateTheme
from synth.project import Project

from coding.evidence import LinkEvidence, evidence
from coding.passages import ApplyCode, codings, segments
from coding.recommendations import AddRecommendation
from coding.strength import strength

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
pytestmark = pytest.mark.skipif(not (SAMPLE / "study.json").exists(),
                                reason="the sample study is not generated yet")


def test_codes_in_a_transcript_survive_reopening(sample_project):
    p = sample_project
    doc, text = p.query("SELECT id, text FROM documents WHERE site = 'Glasgow'")[0]
    phrases = [ln.split(": ", 1)[1][:60].rstrip() for ln in text.split("\n")
               if ln.startswith("P") and ": " in ln][:3]
    assert len(phrases) == 3
    a = p.history.apply(CreateTheme("Travel and cost"))
    b = p.history.apply(CreateTheme("Visibility"))
    for k, phrase in enumerate(phrases):
        s = text.index(phrase)
        p.history.apply(ApplyCode(doc, s, s + len(phrase), [a] if k % 2 else [a, b],
                                  coder="researcher 1"))
    before = [(c.theme_id, c.start, c.end, c.text) for c in codings(p)]
    shown = [(s.start, s.end, s.theme_ids) for s in segments(p, doc)]
    path = p.path
    p.close()
    with Project.open(path) as again:
        assert [(c.theme_id, c.start, c.end, c.text) for c in codings(again)] == before
        assert [(s.start, s.end, s.theme_ids) for s in segments(again, doc)] == shown
        assert sorted({c.text for c in codings(again)}) == sorted(set(phrases))


def _independent_counts() -> tuple[dict, dict]:
    """Latest vote of each voter on each comment, and Pol.is's group of each voter."""
    latest: dict[tuple[str, str], tuple[int, int]] = {}
    with open(SAMPLE / "debate" / "votes.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["comment-id"], row["voter-id"])
            stamp = int(row["timestamp"])
            if key not in latest or stamp >= latest[key][0]:
                latest[key] = (stamp, int(row["vote"]))
    groups = {}
    with open(SAMPLE / "debate" / "participants-votes.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["group-id"] != "":
                groups[row["participant"]] = chr(ord("A") + int(row["group-id"]))
    return latest, groups


def test_statement_figures_equal_the_export(sample_project):
    p = sample_project
    if p.scalar("SELECT count(*) FROM analysis_runs WHERE kind = 'opinion_groups'"):
        pytest.skip("the sample import ran its own opinion groups")
    latest, groups = _independent_counts()
    theme = p.history.apply(CreateTheme("Hybrid work"))
    rec = p.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    externals = ["0", "1", "2"]
    ids = [p.scalar("SELECT s.id FROM statements s JOIN sources src ON src.id = s.source_id "
                    "WHERE src.kind = 'debate' AND s.external_id = ?", (e,)) for e in externals]
    p.history.apply(LinkEvidence([("statement", i) for i in ids], recommendation_id=rec))
    shown = {e.item_id: e.figures for e in evidence(p, recommendation_id=rec)}
    pooled: dict[str, list[int]] = {}
    for ext, sid in zip(externals, ids):
        votes = [(voter, v) for (c, voter), (_, v) in latest.items() if c == ext]
        f = shown[sid]
        assert (f.overall.agree, f.overall.disagree, f.overall.n) == (
            sum(v == 1 for _, v in votes), sum(v == -1 for _, v in votes), len(votes))
        for g in sorted(set(groups.values())):
            mine = [v for voter, v in votes if groups.get(voter) == g]
            assert (f.groups[g].agree, f.groups[g].n) == (sum(v == 1 for v in mine), len(mine))
            assert f.groups[g].pct_agree == pytest.approx(100 * sum(v == 1 for v in mine)
                                                          / len(mine))
            pooled.setdefault(g, [0, 0])
            pooled[g][0] += sum(v == 1 for v in mine)
            pooled[g][1] += len(mine)
    s = strength(p, recommendation_id=rec)
    low = {g for g, (a, n) in pooled.items() if n and 100 * a / n < 50}
    assert {w.group for w in s.warnings if w.code == "low_group_agreement"} == low
    assert ("no_debate" in {w.code for w in s.warnings}) is False


def test_figures_agree_with_synth_votes_after_an_opinion_groups_run(sample_project):
    """The same numbers as the vote engine's own agreement table, group by group."""
    import numpy as np
    from synth.votes.agreement import agreement
    from synth.votes.matrix import from_project
    from synth.votes.project_analysis import run_opinion_groups
    from coding.figures import group_membership, statement_figures
    p = sample_project
    run_opinion_groups(p, seed=0)
    membership, runs = group_membership(p)
    assert runs and membership
    vm = from_project(p)
    labels = np.array([ord(membership[pid]) - ord("A") if pid in membership else -1
                       for pid in vm.participants.tolist()])
    table = agreement(vm, labels)
    ids = [int(s) for s in vm.statements[:25]]
    mine = statement_figures(p, ids)
    for sid in ids:
        rows = table.rows(sid)
        for name in table.labels:
            label = chr(ord("A") + int(name))
            theirs = rows[str(name)]
            ours = mine[sid].groups.get(label)
            assert (ours.agree if ours else 0, ours.n if ours else 0) == \
                (theirs["agree"], theirs["n"])
            if theirs["pct_agree"] is not None:
                assert ours.pct_agree == pytest.approx(theirs["pct_agree"])
