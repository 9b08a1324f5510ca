"""`make bench`: run every bench/bench_*.py, then gather bench/results/*.md into BENCHMARKS.md."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from common import RESULTS, ROOT, git_commit, machine

ORDER = ["import", "votes", "themes", "ui", "report", "reliability"]


def main() -> int:
    only = sys.argv[1:]
    scripts = sorted(Path(__file__).parent.glob("bench_*.py"),
                     key=lambda p: (ORDER.index(p.stem[6:]) if p.stem[6:] in ORDER else 99,
                                    p.name))
    failed = []
    for script in scripts:
        if only and script.stem[6:] not in only:
            continue
        print(f"== {script.name}", flush=True)
        t = time.perf_counter()
        r = subprocess.run([sys.executable, str(script)], cwd=ROOT)
        print(f"== {script.name}: exit {r.returncode} in {time.perf_counter() - t:.0f} s",
              flush=True)
        if r.returncode:
            failed.append(script.name)
    parts = ["# Benchmarks", "",
             f"Written by `make bench` (commit {git_commit()}) on {machine()}.",
             "Each figure is the median of several runs unless it says otherwise; peers run in the "
             "same process and are given as ratios.", ""]
    for name in ORDER + sorted(p.stem for p in RESULTS.glob("*.md") if p.stem not in ORDER):
        f = RESULTS / f"{name}.md"
        if f.exists():
            parts.append(f.read_text(encoding="utf-8"))
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
