"""Agreement figures, degenerate conversations, the `polis` command and project runs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from synth.errors import UserError
from synth.votes.agreement import agreement, by_value
from synth.votes.analysis import analyse
from synth.votes.matrix import from_votes
from synth.votes.polis_math import opinion_groups

ROOT = Path(__file__).resolve().parents[1]
POLIS = ROOT.parent / "shared" / "data" / "polis"
MATH = ROOT.parent / "shared" / "data" / "polis-math"


def two_camps(n=40, m=12, seed=1):
    """Half agree with the first half of the statements and disagree with the rest; the
    other half the opposite; a few passes."""
    rng = np.random.default_rng(seed)
    pid, tid, val = [], [], []
    for p in range(n):
        camp = 1 if p < n // 2 else -1
        for t in range(m):
            v = camp if t < m // 2 else -camp
            if rng.random() < 0.1:
                v = 0
            pid.append(p); tid.append(t); val.append(v)
    return from_votes(pid, tid, val)


def test_agreement_figures_carry_n_and_flag_small_groups():
    vm = from_votes([1, 2, 3, 4, 5, 1, 2], [10, 10, 10, 10, 10, 11, 11], [1, 1, -1, 0, 1, 1, -1])
    overall = agreement(vm)
    f = overall.figure("all", 10)
    assert (f.agree, f.disagree, f.passes, f.n) == (3, 1, 1, 5)
    assert f.pct_agree == pytest.approx(60.0)          # % of those who voted, passes included
    assert f.small_n
    table = by_value(vm, {1: "HR", 2: "HR", 3: "IT", 4: "IT", 5: "IT"}, small_n=3,
                     suppress_small=True)
    assert table.labels == ["HR", "IT"]
    hr = table.figure("HR", 11)
    assert (hr.agree, hr.disagree, hr.n) == (1, 1, 2) and hr.small_n and hr.pct_agree is None
    it = table.figure("IT", 10)
    assert it.n == 3 and not it.small_n and it.pct_agree == pytest.approx(100 / 3)


def test_two_camps_are_found_and_listed():
    vm = two_camps()
    va = analyse(vm)
    r = va.result
    assert r["k"] == 2
    assert sorted(g["size"] for g in r["groups"]) == [20, 20]
    camp_of = {p: (0 if p < 20 else 1) for p in range(40)}
    pairs = {(camp_of[int(p)], g) for p, g in r["participants"].items()}
    assert len(pairs) == 2                             # groups are exactly the camps
    assert all(r["repness"][str(g)] for g in (0, 1))
    first = r["statements"]["0"]
    assert first["overall"]["n"] == sum(first["groups"][g]["n"] for g in ("0", "1"))
    assert r["divisive"] and r["divisive"][0]["divisiveness"] > 0.7
    assert r["consensus"] == {"agree": [], "disagree": []}


def test_forced_k_and_determinism():
    vm = two_camps(60, 16, seed=3)
    a = opinion_groups(vm, k=3)
    b = opinion_groups(vm, k=3)
    assert a.k == 3 and a.how_k == "forced"
    assert np.array_equal(a.labels, b.labels)
    assert np.array_equal(a.projection, b.projection)


@pytest.mark.parametrize("case", ["few", "one statement", "all pass", "unvoted", "one voter"])
def test_degenerate_conversations_give_a_message_not_a_crash(case):
    if case == "few":
        vm = two_camps(6, 8)
    elif case == "one statement":
        vm = from_votes(range(20), [0] * 20, [1, -1] * 10)
    elif case == "all pass":
        vm = from_votes(np.repeat(range(20), 5), np.tile(range(5), 20), np.zeros(100, int))
    elif case == "unvoted":
        base = two_camps(30, 6)
        vm = from_votes(base.participants[base.row], base.statements[base.col], base.value,
                        statements=list(range(7)))          # statement 6: nobody voted
    else:
        vm = from_votes([0] * 10, range(10), [1, -1] * 5)
    r = analyse(vm).result
    json.dumps(r)
    assert set(r) >= {"participants", "groups", "repness", "consensus",
                      "group_informed_consensus", "statements", "k", "seconds"}
    if case in ("few", "one voter"):
        assert any("participants" in w for w in r["warnings"])
    if case == "all pass":
        assert r["k"] == 0 and any("same way" in w for w in r["warnings"])
        assert r["statements"]["0"]["overall"]["pct_pass"] == 100.0
    if case == "one statement":
        assert any("one statement" in w for w in r["warnings"])
        assert r["k"] == 2
    if case == "unvoted":
        assert "6" not in r["statements"] and r["k"] >= 2
    if case == "one voter":
        assert r["k"] == 0


def test_bad_votes_and_bad_k_are_user_errors():
    with pytest.raises(UserError):
        from_votes([1], [1], [2])
    with pytest.raises(UserError):
        opinion_groups(two_camps(), k=0)


@pytest.mark.skipif(not POLIS.exists(), reason="shared Pol.is fixtures not present")
def test_polis_command_writes_the_issue_keys(tmp_path):
    out = tmp_path / "lyp.json"
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "polis",
                          str(POLIS / "london.youth.policing"), "--json", str(out), "--groups",
                          "polis"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    r = json.loads(out.read_text())
    for key in ("participants", "groups", "repness", "consensus", "group_informed_consensus",
                "statements", "k", "seconds"):
        assert key in r
    assert r["k"] == 3 and r["groups_from"] == "polis"
    assert sum(g["size"] for g in r["groups"]) == 24
    # Pol.is's summary says 26 voters: the author who never voted is a participant, no voter
    assert run.stdout.startswith("london.youth.policing: 27 participants (26 voted), 39 "
                                 "statements, 638 votes; 3 groups (polis;")
    assert all("tid" in d and d["repful_for"] in ("agree", "disagree")
               for lst in r["repness"].values() for d in lst)
    # participant 1 is in Pol.is group 1 (participants-votes.csv, first row)
    assert r["participants"]["1"] == 1
    bad = subprocess.run([sys.executable, str(ROOT / "main.py"), "polis", str(tmp_path),
                          "--json", str(out)], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert bad.returncode == 1 and "synth polis:" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.skipif(not POLIS.exists(), reason="shared Pol.is fixtures not present")
def test_project_run_stores_groups_and_figures(tmp_path):
    from synth.importers.polis import import_polis
    from synth.project import Project
    from synth.votes.project_analysis import agreement_by, latest_run, run_opinion_groups

    with Project.create(tmp_path / "p.synth") as project:
        import_polis(project, POLIS / "london.youth.policing")
        summary = run_opinion_groups(project, groups="polis")
        assert "3 groups" in summary
        run_id, params, result = latest_run(project)
        assert params["groups"] == "polis" and result["k"] == 3
        n = project.scalar("SELECT count(*) FROM group_members WHERE run_id = ?", (run_id,))
        assert n == 24
        table = agreement_by(project, "group")
        assert table.labels == [0, 1, 2]
        assert table.counts.seen.sum() == sum(
            f["n"] for r in result["statements"].values() for f in r["groups"].values())
        run_opinion_groups(project, groups="recompute", k=2)
        assert latest_run(project)[2]["k"] == 2
        assert project.get_array(latest_run(project)[0], "projection").shape[1] == 2


def test_charts_draw_groups_and_bars(tmp_path):
    from synth.votes.charts import agreement_bars, opinion_map, save_png
    vm = two_camps()
    va = analyse(vm)
    fig = opinion_map(va.opinion.projection, va.labels)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Group A: 20 (50 %)", "Group B: 20 (50 %)"]
    save_png(fig, tmp_path / "map.png")
    st = va.result["statements"]["0"]
    bars = agreement_bars({"All": st["overall"], **st["groups"]}, title="Statement 0")
    texts = [t.get_text() for t in bars.axes[0].texts]
    assert any("(n = 40)" in t for t in texts)
    save_png(bars, tmp_path / "bars.png")
    from PIL import Image
    img = np.asarray(Image.open(tmp_path / "map.png").convert("L"))
    assert img.std() > 5                               # not blank


def test_small_sparse_conversation_with_vote_times_finishes(tmp_path, monkeypatch):
    """60 participants, 300 statements, ~5,300 timed votes (the big-study generator at 0.3 %):
    the replay's k-means used to loop for ever when its most distant participant sat alone in
    a cluster. Now it finishes with groups covering the clustered participants."""
    from conftest import ROOT
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import bench_reliability
    from synth.importers import import_path
    from synth.project import Project
    from synth.votes.project_analysis import run_opinion_groups
    polis, _, info = bench_reliability.generate(tmp_path, 0.003)
    with Project.create(tmp_path / "small.synth") as p:
        import_path(p, polis)
        summary = run_opinion_groups(p)
        members = p.scalar("SELECT count(*) FROM group_members")
        groups = p.scalar("SELECT count(DISTINCT group_id) FROM group_members")
    assert info["participants"] == 60
    assert 2 <= groups <= 5 and 15 <= members <= 60, summary


def test_a_big_result_is_written_in_pieces_that_read_back_as_one_dump():
    """The result is made in pieces so a worker thread gives the interpreter's lock back
    between them; joined, they are json.dumps's text, character for character."""
    from synth.votes.project_analysis import _json_pieces

    def dumps_in_pieces(value, piece=100):
        return "".join(_json_pieces(value, piece))
    result = {"statements": {str(i): {"agree": i / 7, "n": i} for i in range(2_345)},
              "uncertainty": [[i, -i * 0.5] for i in range(3_001)],
              "groups": [{"id": 0, "size": 12}], "k": 2, "nan": float("nan"),
              "int keys": {i: str(i) for i in range(1_500)}, "empty": {}, "none": None,
              "text": "Ünïcode “quotes”"}
    assert dumps_in_pieces(result) == json.dumps(result)
    assert dumps_in_pieces(result, piece=7) == json.dumps(result)
    for value in ({}, [], [1] * 2500, "x", 3.5):
        assert dumps_in_pieces(value, piece=100) == json.dumps(value)


def test_a_runs_result_is_streamed_into_the_file_and_reads_back_as_one_dump(tmp_path):
    """write_in_pieces fills the row's zeroblob piece by piece (no 114 MB string is built):
    the column holds exactly json.dumps's bytes, and latest_run reads them."""
    from synth.project import Project
    from synth.votes.project_analysis import _json_pieces, latest_run, write_in_pieces
    result = {"statements": {str(i): {"agree": i / 7} for i in range(2_345)}, "k": 2,
              "text": "Ünïcode “quotes”"}
    pieces = [piece.encode("utf-8") for piece in _json_pieces(result, 100)]
    assert len(pieces) > 20
    with Project.create(tmp_path / "p.synth") as p:
        with p.transaction() as db:
            run = db.execute("INSERT INTO analysis_runs (kind, created, params, result) VALUES "
                             "('opinion_groups', '2025-01-01', '{}', zeroblob(?))",
                             (sum(map(len, pieces)),)).lastrowid
            write_in_pieces(db, run, pieces)
        stored = p.scalar("SELECT result FROM analysis_runs WHERE id = ?", (run,))
        assert stored == json.dumps(result).encode("utf-8")
        assert latest_run(p)[2] == json.loads(json.dumps(result))


def test_vote_matrix_places_each_vote_by_its_ids_and_names_an_unknown_one():
    """Rows and columns found by sorted search (numpy, the interpreter's lock free): the same
    places as looking each id up, and a vote naming someone not listed is refused by name."""
    import numpy as np
    import pytest

    from synth.errors import UserError
    from synth.votes.matrix import from_votes
    rng = np.random.default_rng(4)
    people = rng.choice(np.arange(10, 100_000), 500, replace=False)
    statements = rng.choice(np.arange(1, 5_000), 80, replace=False)
    pids, tids = rng.choice(people, 6_000), rng.choice(statements, 6_000)
    values = rng.choice([-1, 0, 1], 6_000)
    m = from_votes(pids, tids, values, participants=people.tolist(),
                   statements=statements.tolist())
    where_p = {int(p): i for i, p in enumerate(people)}
    where_s = {int(s): j for j, s in enumerate(statements)}
    latest = {(where_p[int(p)], where_s[int(s)]): int(v) for p, s, v in zip(pids, tids, values)}
    assert list(m.participants) == people.tolist() and list(m.statements) == statements.tolist()
    assert {(int(r), int(c)): int(v) for r, c, v in zip(m.row, m.col, m.value)} == latest
    with pytest.raises(UserError, match="participant 7, which is not in the list"):
        from_votes([people[0], 7], [statements[0]] * 2, [1, 1], participants=people.tolist())
    with pytest.raises(UserError, match="statement 99999, which is not in the list"):
        from_votes([people[0]], [99999], [1], statements=statements.tolist())
    with pytest.raises(UserError, match="participant 5, which is not in the list"):
        from_votes([5], [1], [1], participants=["p5"])
    whole = from_votes([1.0, 2.0], [1, 1], [1, -1], participants=[1, 2])   # 1.0 is 1
    assert whole.row.tolist() == [0, 1]
    named = from_votes(["b", "a", "b"], [1, 1, 2], [1, -1, 0])      # names as ids
    assert list(named.participants) == ["a", "b"] and named.row.tolist() == [0, 1, 1]
