"""Big studies: a synthetic study of 100,000 statements, 2,000,000 votes and 20,000 notes is
imported, opened, changed and analysed; each step runs in its own process so its time and peak
memory are its own. Writes bench/results/reliability.md (with, below, the counts the reliability
tests recorded in bench/results/reliability-tests.json: steps, kills, inputs) and
bench/results/reliability-big.json. RELIABILITY.md explains and quotes these figures.

``python bench/bench_reliability.py [--small]`` (--small: a tenth of the size, for a quick look).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import RESULTS, ROOT, machine, write_fragment

STATEMENTS, VOTES, NOTES, PARTICIPANTS = 100_000, 2_000_000, 20_000, 20_000
WORDS = ("office team manager hybrid week days home pay grade promotion skills training tools "
         "laptop desk quiet meetings travel hub london region career flexible trust outcomes "
         "wellbeing carers budget system admin learning mentor senior junior policy").split()
STEP_TIMEOUT = 2700


def generate(folder: Path, scale: float, seed: int = 0) -> tuple[Path, Path, dict]:
    rng = np.random.default_rng(seed)
    n_s, n_v = int(STATEMENTS * scale), int(VOTES * scale)
    n_n, n_p = int(NOTES * scale), int(PARTICIPANTS * scale)
    polis = folder / "debate"
    polis.mkdir(parents=True)

    def sentence() -> str:
        return " ".join(rng.choice(WORDS, rng.integers(6, 18))).capitalize() + "."

    with open(polis / "comments.csv", "w", encoding="utf-8") as f:
        f.write("timestamp,comment-id,author-id,moderated,is-seed,comment-body\n")
        for i in range(n_s):
            f.write(f"{1741000000000 + i},{i},{rng.integers(n_p)},1,{int(i < 50)},"
                    f"\"{sentence()} ({i})\"\n")
    keys = np.unique(rng.integers(0, n_p, int(n_v * 1.05)).astype(np.int64) * n_s
                     + rng.integers(0, n_s, int(n_v * 1.05)))[:n_v]
    rng.shuffle(keys)
    pid, tid = keys // n_s, keys % n_s
    vote = rng.choice(np.array([-1, 0, 1]), len(keys), p=[0.3, 0.2, 0.5])
    ts = 1741000000000 + np.arange(len(keys))
    with open(polis / "votes.csv", "w", encoding="utf-8") as f:
        f.write("timestamp,comment-id,voter-id,vote\n")
        for a in range(0, len(keys), 200_000):
            f.write("".join(f"{t},{c},{p},{v}\n" for t, c, p, v in zip(
                ts[a:a + 200_000].tolist(), tid[a:a + 200_000].tolist(),
                pid[a:a + 200_000].tolist(), vote[a:a + 200_000].tolist())))
    (polis / "summary.csv").write_text("topic,Big synthetic debate\n", encoding="utf-8")
    notes = folder / "notes.csv"
    with open(notes, "w", encoding="utf-8") as f:
        f.write("note_id,site,workshop,activity,text\n")
        for i in range(n_n):
            f.write(f"{i},{rng.choice(['Leeds', 'Cardiff', 'Glasgow'])},W{i % 9},"
                    f"{rng.choice(['keep', 'ditch', 'add'])},\"{sentence()}\"\n")
    return polis, notes, {"statements": n_s, "votes": len(keys), "notes": n_n,
                          "participants": n_p}


STEP = r"""
import json, re, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
out = {{}}
{body}
out["seconds"] = round(time.perf_counter() - t, 2)
out["peak_mib"] = round(int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024)
print("RESULT " + json.dumps(out))
"""

STEPS = {
    "create project and import the debate (Pol.is folder)": """
from synth.project import Project
from synth.importers import import_path
with Project.create(sys.argv[1], overwrite=True) as p:
    import_path(p, sys.argv[2])
    out.update(p.summary().as_dict())
""",
    "import the workshop notes (CSV)": """
from synth.project import Project
from synth.importers import import_path
with Project.open(sys.argv[1]) as p:
    import_path(p, sys.argv[3])
""",
    "open the project and read its summary": """
from synth.project import Project
with Project.open(sys.argv[1]) as p:
    out.update(p.summary().as_dict())
""",
    "list every card for the board": """
from synth.project import Project
from synth import board
with Project.open(sys.argv[1], read_only=True) as p:
    out["cards"] = len(board.cards(p))
""",
    "integrity check of the whole file (PRAGMA integrity_check)": """
from synth.project import Project
with Project.open(sys.argv[1], read_only=True) as p:
    out["result"] = p.scalar("PRAGMA integrity_check")
""",
    "move 5,000 cards into a new theme, undo, redo (one operation each)": """
from synth.project import Project
from synth.board import CreateTheme, MoveCards
with Project.open(sys.argv[1]) as p:
    ids = [r[0] for r in p.query("SELECT id FROM statements LIMIT 5000")]
    tid = p.history.apply(CreateTheme("Big theme"))
    t0 = time.perf_counter(); p.history.apply(MoveCards([("statement", i) for i in ids], tid))
    out["move_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter(); p.history.undo(); out["undo_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter(); p.history.redo(); out["redo_s"] = round(time.perf_counter() - t0, 2)
""",
    "opinion groups (synth.votes.project_analysis.run_opinion_groups)": """
from synth.project import Project
try:
    from synth.votes.project_analysis import run_opinion_groups
except ImportError:
    out["skipped"] = "synth.votes.project_analysis.run_opinion_groups not present"
else:
    with Project.open(sys.argv[1]) as p:
        out["summary"] = run_opinion_groups(p)
""",
    "candidate themes (synth.themes.project_themes.discover_themes)": """
from synth.project import Project
try:
    from synth.themes.project_themes import discover_themes
except ImportError:
    out["skipped"] = "synth.themes.project_themes.discover_themes not present"
else:
    with Project.open(sys.argv[1]) as p:
        r = discover_themes(p)
        out["themes"] = len(r["themes"]) if isinstance(r, dict) and "themes" in r else str(r)[:80]
""",
}


def run_step(name: str, body: str, args: list[str]) -> dict:
    code = STEP.format(root=str(ROOT), body=body)
    t = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                           timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {STEP_TIMEOUT} s",
                "seconds": round(time.perf_counter() - t)}
    for line in r.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": (r.stderr.strip().splitlines() or ["no output"])[-1][:200],
            "seconds": round(time.perf_counter() - t, 1)}


def test_counts() -> list[str]:
    """The counts of the latest reliability test runs (CI and soak variants)."""
    f = RESULTS / "reliability-tests.json"
    if not f.exists():
        return ["(no reliability test counts yet: run `make test` or `make soak`)"]
    data = json.loads(f.read_text(encoding="utf-8"))
    out = ["Counts of the latest reliability test runs (`bench/results/reliability-tests.json`):",
           "", "| test | figures |", "|---|---|"]
    for name in sorted(data):
        figures = ", ".join(f"{k}: {v:,}" if isinstance(v, int) and not isinstance(v, bool)
                            else f"{k}: {v}" for k, v in data[name].items())
        out.append(f"| {name} | {figures.replace('|', '/')} |")
    return out


def main() -> None:
    if "--render" in sys.argv:   # rewrite the fragment from the last measurement
        render(json.loads((RESULTS / "reliability-big.json").read_text(encoding="utf-8")))
        return
    scale = 0.1 if "--small" in sys.argv else 1.0
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    tmp = Path(tempfile.mkdtemp(prefix="synth-big-"))
    t = time.perf_counter()
    polis, notes, sizes = generate(tmp, scale)
    gen_s = time.perf_counter() - t
    project = tmp / "big.synth"
    results = {}
    for name, body in STEPS.items():
        if only and not any(o in name for o in only):
            continue
        print(f"… {name}", flush=True)
        results[name] = run_step(name, body, [str(project), str(polis), str(notes)])
        print(f"  {results[name]}", flush=True)
    size_mib = project.stat().st_size / 2**20 if project.exists() else 0
    measured = {"sizes": sizes, "file_mib": round(size_mib), "generate_s": round(gen_s),
                "steps": results, "machine": machine()}
    (RESULTS / "reliability-big.json").write_text(json.dumps(measured, indent=1),
                                                  encoding="utf-8")
    render(measured)
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)


def render(measured: dict) -> None:
    sizes, results = measured["sizes"], measured["steps"]
    lines = [f"Synthetic study: {sizes['statements']:,} statements, {sizes['votes']:,} votes, "
             f"{sizes['notes']:,} notes, {sizes['participants']:,} participants "
             f"(generated in {measured.get('generate_s', '?')} s; project file "
             f"{measured['file_mib']:,} MiB). "
             "Each step in its own process; peak = that process's maximum resident memory.", "",
             "| step | time | peak memory | notes |", "|---|---|---|---|"]
    for name, r in results.items():
        extra = {k: v for k, v in r.items() if k not in ("seconds", "peak_mib")}
        note = ", ".join(f"{k}: {v}" for k, v in extra.items()).replace("|", "/")
        peak = f"{r['peak_mib']:,} MiB" if "peak_mib" in r else "—"
        lines.append(f"| {name} | {r.get('seconds', '—')} s | {peak} | {note} |")
    lines += ["", *test_counts()]
    write_fragment("reliability", "Reliability: a big study", lines)


if __name__ == "__main__":
    main()
