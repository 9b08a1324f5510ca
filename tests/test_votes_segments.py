"""Segments the researcher defines: the same agreement figures, checked against plain SQL."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from synth.errors import UserError
from synth.votes.project_analysis import agreement_by
from synth.votes.segments import DefineSegment, RemoveSegment, parse_rule


def test_rule_syntax():
    assert parse_rule("line_manager=yes") == {"attribute": "line_manager", "in": ["yes"]}
    assert parse_rule("grade=G6,G7 & region!=London") == {"all": [
        {"attribute": "grade", "in": ["G6", "G7"]},
        {"attribute": "region", "not_in": ["London"]}]}
    with pytest.raises(UserError):
        parse_rule("nonsense")


def test_segment_figures_equal_a_count_of_the_votes(sample_project):
    p = sample_project
    p.history.apply(DefineSegment("Line managers outside London",
                                  parse_rule("line_manager=yes & region!=London")))
    table = agreement_by(p, "segment:Line managers outside London")
    members = {r[0] for r in p.query(
        "SELECT a.participant_id FROM participant_attributes a "
        "JOIN participant_attributes b ON b.participant_id = a.participant_id "
        "WHERE a.name = 'line_manager' AND a.value = 'yes' "
        "AND b.name = 'region' AND b.value != 'London'")}
    assert 50 < len(members) < 600
    marks = ",".join("?" for _ in members)
    checked = 0
    for sid, agree, n in p.query(
            f"SELECT statement_id, sum(value = 1), count(*) FROM votes "
            f"WHERE participant_id IN ({marks}) GROUP BY statement_id "
            f"ORDER BY statement_id LIMIT 40", sorted(members)):
        f = table.figure("Line managers outside London", sid)
        assert (f.agree, f.n) == (agree, n)
        checked += 1
    assert checked == 40


def test_segments_are_undoable_and_refuse_typos(sample_project):
    p = sample_project
    with pytest.raises(UserError, match="no participant has the characteristic"):
        p.history.apply(DefineSegment("x", parse_rule("linemanager=yes")))
    with pytest.raises(UserError, match="nobody matches"):
        p.history.apply(DefineSegment("x", parse_rule("region=Atlantis")))
    p.history.apply(DefineSegment("Wales", parse_rule("region=Wales")))
    assert p.scalar("SELECT count(*) FROM segments") == 1
    p.history.apply(RemoveSegment("Wales"))
    assert p.scalar("SELECT count(*) FROM segments") == 0
    p.history.undo()
    assert p.scalar("SELECT name FROM segments") == "Wales"


def test_segments_command(sample_project, tmp_path):
    path = sample_project.path
    sample_project.close()
    out = tmp_path / "seg.json"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "segments", str(path),
                        "--define", "Line managers", "line_manager=yes", "--json", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    seg = data["Line managers"]
    assert seg["participants"] > 0
    some = next(iter(seg["statements"].values()))
    assert set(some) >= {"agree", "n", "pct_agree", "small_n"}


def test_a_json_not_written_says_the_segments_were_changed_all_the_same(sample_project, tmp_path,
                                                                         monkeypatch, capsys):
    import main as synth_main
    from synth import files
    from synth.project import Project
    path = sample_project.path
    sample_project.close()
    out = tmp_path / "s.json"

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", disk_full)
    assert synth_main.main(["segments", str(path), "--define", "Managers", "line_manager=yes",
                            "--json", str(out)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"synth segments: --json {out}: cannot write the segments' agreement (No space left "
        "on device); nothing was written to s.json; the project's segments were changed all "
        "the same (“Managers” defined)")
    assert not out.exists()
    with Project.look(path) as p:
        assert [r[0] for r in p.query("SELECT name FROM segments")] == ["Managers"]
    # nothing defined or removed: nothing was written anywhere, as the message says
    assert synth_main.main(["segments", str(path), "--json", str(out)]) == 1
    assert capsys.readouterr().err.strip().endswith(
        "(No space left on device); nothing was written")


def test_the_analyses_read_the_reports_small_n_rule(sample_project):
    """The threshold the export dialog sets (small_n_threshold) is the analyses' too: the
    segments' figures and an opinion-groups run read it, not only the older report.small_n."""
    from exports.figures import FigureRegistry
    from synth.votes.project_analysis import latest_run, run_opinion_groups
    p = sample_project
    p.history.apply(DefineSegment("Disabled", parse_rule("disability=Yes")))
    assert agreement_by(p, "segment:Disabled").small_n == FigureRegistry.for_project(p).small_n
    p.set_setting("report.small_n", 7)
    assert agreement_by(p, "segment:Disabled").small_n == 7
    p.set_setting("small_n_threshold", 25)
    p.set_setting("small_n_action", "suppress")
    table = agreement_by(p, "segment:Disabled")
    assert (table.small_n, table.suppress_small) == (25, True)
    sid = int(table.statements[0])
    n = p.scalar("SELECT count(*) FROM votes WHERE statement_id = ? AND participant_id IN "
                 "(SELECT participant_id FROM participant_attributes WHERE name = 'disability' "
                 "AND value = 'Yes')", (sid,))
    f = table.figure("Disabled", sid)
    assert f.n == n and (f.pct_agree is None) == (n < 25)
    run_opinion_groups(p, seed=0, groups="recompute")
    assert latest_run(p)[1]["small_n"] == 25
