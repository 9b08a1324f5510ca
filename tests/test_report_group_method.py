"""The methodology says which opinion groups the report uses, read back from the .docx: Pol.is's
own (exported with the debate, or chosen for a run), or recomputed here, and then how far they
are from the groups of Pol.is's report (the run's polis_export). It said "found as Pol.is finds
them" whatever groups were used."""
from __future__ import annotations

import json

from exports.report import ReportOptions, write_report
from test_export_template import project, study  # noqa: F401 - the fixtures
from test_report_privacy import _paragraphs

OLD = "Opinion groups were found as Pol.is finds them"


def _method(project, tmp_path) -> str:
    write_report(project, tmp_path / "r.docx", ReportOptions(charts=False))
    said = [p.text for p in _paragraphs(tmp_path / "r.docx")
            if "Pol.is's method" in p.text or "Pol.is's own, as exported" in p.text]
    assert len(said) == 1, said
    assert OLD not in said[0]
    return said[0]


def _run(project, groups: str, result: dict) -> int:
    run, source = project.scalar("SELECT max(id) FROM analysis_runs"), \
        project.scalar("SELECT id FROM sources WHERE kind = 'debate'")
    with project.transaction() as db:
        db.execute("UPDATE analysis_runs SET params = ?, result = ? WHERE id = ?",
                   (json.dumps({"source_id": source, "groups": groups}), json.dumps(result),
                    run))
    return run


def test_recomputed_groups_that_differ_from_polis_say_by_how_much(project, tmp_path):
    run = _run(project, "recompute", {"k": 2, "polis_export": {
        "groups": 3, "sizes": [20, 12, 8], "adjusted_rand": 0.25,
        "participants_compared": 38}})
    assert _method(project, tmp_path) == (
        "The opinion groups were recomputed here from the final votes with Pol.is's method: "
        "a principal component analysis of the vote matrix and k-means clustering of "
        f"participants who voted enough (analysis run {run}). Pol.is's own report placed "
        "participants in three groups; the groups here agree with Pol.is's at an adjusted "
        "Rand index of 0.25 (1 means the same groups), over the 38 participants both placed.")


def test_recomputed_groups_equal_to_polis_say_so(project, tmp_path):
    _run(project, "recompute", {"k": 2, "polis_export": {
        "groups": 2, "sizes": [25, 15], "adjusted_rand": 1.0, "participants_compared": 40}})
    assert _method(project, tmp_path).endswith(
        "They are the same two groups as in Pol.is's own report.")


def test_recomputed_without_polis_groups_compares_nothing(project, tmp_path):
    _run(project, "recompute", {"k": 2})
    said = _method(project, tmp_path)
    assert said.startswith("The opinion groups were recomputed here from the final votes")
    assert "Rand" not in said and "own report" not in said


def test_polis_groups_chosen_for_the_run(project, tmp_path):
    run = _run(project, "polis", {"k": 2})
    assert _method(project, tmp_path).startswith(
        f"The opinion groups are Pol.is's own, as exported with the debate (analysis run "
        f"{run}): the groups of the Pol.is report participants saw")


def test_polis_groups_from_the_export_without_a_run(project, tmp_path):
    with project.transaction() as db:
        db.execute("UPDATE participants SET polis_group = (SELECT group_id FROM group_members "
                   "g WHERE g.participant_id = participants.id)")
        db.execute("DELETE FROM group_members")
        db.execute("DELETE FROM analysis_runs")
    said = _method(project, tmp_path)
    assert said.startswith("The opinion groups are Pol.is's own, as exported with the "
                           "debate: the groups of the Pol.is report participants saw")
    assert "analysis run" not in said


def test_two_debates_say_the_method_once_and_each_debates_groups(debates, tmp_path):
    said = _method(debates, tmp_path)
    assert said.startswith("Each debate's participants were grouped separately, on their own "
                           "votes, with Pol.is's method: a principal component analysis")
    assert said.count("principal component analysis") == 1
    runs = dict(debates.query("SELECT s.name, max(r.id) FROM analysis_runs r JOIN sources s "
                              "ON s.id = json_extract(r.params, '$.source_id') "
                              "GROUP BY s.name"))
    for debate, run in runs.items():
        assert f"{debate}: the groups were recomputed here from the final votes (analysis " \
            f"run {run})." in said
