"""`make bench`: run every bench/bench_*.py, then gather bench/results/*.md into BENCHMARKS.md."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from common import RESULTS, ROOT, git_commit, machine

ORDER = ["import", "votes", "themes", "ui", "report", "reliability"]
# bench_reliability builds a 100,000-statement study (about an hour with theme discovery):
# `make bench` leaves it out; run it with `python bench/run_all.py reliability`.
SLOW = {"reliability"}


def main() -> int:
    # `run_all.py --collect` only gathers the fragments; `run_all.py votes ui` runs those two.
    collect_only = "--collect" in sys.argv[1:]
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    scripts = sorted(Path(__file__).parent.glob("bench_*.py"),
                     key=lambda p: (ORDER.index(p.stem[6:]) if p.stem[6:] in ORDER else 99,
                                    p.name))
    failed = []
    for script in scripts:
        if collect_only or (only and script.stem[6:] not in only) or \
                (not only and script.stem[6:] in SLOW):
            continue
        print(f"== {script.name}", flush=True)
        t = time.perf_counter()
        r = subprocess.run([sys.executable, str(script)], cwd=ROOT)
        print(f"== {script.name}: exit {r.returncode} in {time.perf_counter() - t:.0f} s",
              flush=True)
        if r.returncode:
            failed.append(script.name)
    parts = ["# Benchmarks", "",
             f"Gathered by `make bench` at commit {git_commit()} on {machine()}; each section "
             "names the commit it was measured at.",
             "Each figure is the median of several runs unless it says otherwise; peers run in the "
             "same process and are given as ratios.", ""]
    for name in ORDER + sorted(p.stem for p in RESULTS.glob("*.md") if p.stem not in ORDER):
        f = RESULTS / f"{name}.md"
        if f.exists():
            text = f.read_text(encoding="utf-8")
            if text.startswith("# "):   # a fragment with its own title: one level down
                text = "\n".join("#" + line if line.startswith("#") else line
                                  for line in text.splitlines())
            parts.append(text)
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
