"""Import of Bowling Green (225,524 votes), opening its project, import of the sample study."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, SHARED, median_time, write_fragment

from synth.importers import import_path
from synth.project import Project

BG = SHARED / "polis" / "american-assembly.bowling-green"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bg.synth"

    def fresh() -> None:
        for s in ("", "-wal", "-shm", ".lock"):
            Path(str(path) + s).unlink(missing_ok=True)
        Project.create(path).close()

    def do_import() -> None:
        with Project.open(path) as p:
            import_path(p, BG)

    imp, imp_all = median_time(do_import, repeat=5, setup=fresh)

    def do_open() -> None:
        with Project.open(path) as p:
            p.summary()

    opn, _ = median_time(do_open, repeat=9)
    # a cold open, in a fresh process, as the researcher experiences it (interpreter excluded)
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter();"
            "from synth.project import Project; p = Project.open(sys.argv[2]); p.summary();"
            "p.close(); print(time.perf_counter() - t)")
    cold = sorted(float(subprocess.run([sys.executable, "-c", code, str(ROOT), str(path)],
                                       capture_output=True, text=True).stdout)
                  for _ in range(5))[2]
    lines = ["| step | median | target |", "|---|---|---|",
             f"| import Bowling Green (2,031 participants, 896 statements, 225,524 votes) | "
             f"{imp:.2f} s | < 2 s |",
             f"| open its project and read the summary (warm) | {opn * 1000:.0f} ms | < 0.5 s |",
             f"| same, in a fresh process (imports of Synth included) | {cold * 1000:.0f} ms "
             "| < 0.5 s |"]
    sample = ROOT / "sample_data"
    if (sample / "study.json").exists():
        spath = tmp / "sample.synth"

        def fresh_sample() -> None:
            for s in ("", "-wal", "-shm", ".lock"):
                Path(str(spath) + s).unlink(missing_ok=True)
            Project.create(spath).close()

        def do_sample() -> None:
            with Project.open(spath) as p:
                import_path(p, sample)

        smp, _ = median_time(do_sample, repeat=5, setup=fresh_sample)
        with Project.open(spath) as p:
            s = p.summary()
        lines.append(f"| import the sample study ({s.statements:,} statements, {s.votes:,} votes, "
                     f"{s.notes:,} notes, {s.passages:,} passages) | {smp:.2f} s | |")
    lines.append("")
    lines.append("Command: `python bench/bench_import.py` (5 runs each; open: 9 runs).")
    write_fragment("import", "Import and open", lines)


if __name__ == "__main__":
    main()
